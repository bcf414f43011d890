/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short soak with a fixed seed: real sender and worker processes on every stream and a router in its own JVM, all
 * killed with SIGKILL and restarted, and an account that must add up with nothing lost beyond what each kill can cost.
 */
@Tag("slow")
class SoakTest
{
    @TempDir
    Path dir;

    @Test
    void aShortSoakWithSenderAndRouterKillsLosesNothingBeyondItsBoundsAndEveryClientComesBack() throws Exception
    {
        final Path json = dir.resolve("soak.json");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final SoakMain.Result result = SoakMain.soak(SoakMain.Options.parse(new String[]{
            "--seconds", "20", "--seed", "42", "--rate", "300", "--workers", "1", "--kill-ms", "2000:4000",
            "--router-kill-ms", "5000:7000", "--router-down-ms", "200:500", "--json", json.toString()}), out);
        final String report = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(report);

        assertTrue(result.violations().isEmpty(), report);
        assertTrue(result.kills() >= 3, "the schedule killed senders and workers: " + report);
        final SoakMain.RouterKills router = result.routerKills();
        assertTrue(router.kills() >= 1, "the schedule killed the router: " + report);
        assertEquals(router.kills(), router.restarts(), "every killed router was restarted and listened: " + report);
        assertEquals(0, router.exitedByItself(), report);
        assertEquals(router.kills(), router.sinkDisconnects(), "the sink saw every router kill: " + report);
        assertEquals(router.kills(), router.sinkReconnects(), "and came back from each by itself: " + report);
        assertEquals(router.kills(), router.comebackMs().size(), "every client came back after every restart: " + report);
        long senderReconnects = 0;
        long okWhileRouterGone = 0;
        for (final SoakLedger.StreamResult r : result.streams())
        {
            senderReconnects += r.reconnects();
            assertTrue(r.delivered() > 0, r.stream() + " delivered something: " + report);
            assertEquals(0, r.lost(), r.stream() + " lost nothing: " + report);
            assertEquals(r.sent() + r.uncertain(),
                r.delivered() + r.inFlightAtKill() + r.inFlightAtRouterKill() + r.beforeResubscribe() + r.lost(),
                r.stream() + ": every attempted number is delivered, in flight at a kill, or lost");
            if (!r.stream().atLeastOnce())
            {
                assertEquals(0, r.duplicated(), r.stream() + " has no duplicates");
                assertEquals(0, r.reordered(), r.stream() + " keeps order");
            }
            if (r.stream().okMeansStored())
            {
                assertEquals(r.uncertain() - r.deliveredUncertain(), r.inFlightAtKill(),
                    r.stream() + ": only a number whose send was cut by the kill may be missing");
            }
            if (r.stream().throughRouter())
            {
                assertEquals(0, r.okWhileDisconnected(), r.stream() + ": no routed OK while the router was gone");
            }
            else
            {
                assertEquals(0, r.inFlightAtRouterKill() + r.beforeResubscribe(), r.stream() + ": no router on its path");
                okWhileRouterGone += r.okWhileDisconnected();
            }
        }
        assertTrue(senderReconnects >= router.kills(), "senders reconnected by themselves: " + report);
        assertTrue(okWhileRouterGone > 0, "the direct paths kept flowing while the router was gone: " + report);
        assertTrue(Files.readString(json).contains("\"ok\":true"), Files.readString(json));
    }

    @Test
    void badArgumentsExitTwo()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, SoakMain.run(new String[]{"--minutes", "x"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--minutes needs a number"));
    }
}
