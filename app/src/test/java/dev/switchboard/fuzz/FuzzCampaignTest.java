/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.fuzz.FuzzCampaign;
import dev.switchboard.fuzz.FuzzSettings;
import dev.switchboard.fuzz.TargetReport;
import dev.switchboard.codecs.fuzz.FrameMutator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI's bounded slice of the fuzz campaign ({@code ./switchboard fuzz}) on every target, with a fixed seed: it must find
 * nothing and must have exercised each target (a campaign that ran nothing would find nothing too); and proof that a
 * campaign reports what it finds: a router killed mid-run, a decoder that throws, a check that never returns, each
 * named by its seed and inputs, with their bytes saved.
 */
class FuzzCampaignTest
{
    private static final long SEED = 0x5EED_F022L;
    private static final long INPUTS = 40_000;

    @TempDir
    Path out;

    @Test
    @Tag("slow")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aBoundedCampaignOnEveryTargetFindsNothingAndExercisedEachTarget() throws Exception
    {
        final FuzzSettings settings = FuzzSettings.builder().seed(SEED).inputs(INPUTS).closeEvery(500)
            .corruptEvery(2000).deadlineMs(20_000).outDir(out).build();
        final FuzzCampaign.Result result = new FuzzCampaign(settings, System.out).run();
        System.out.print(result.table());

        assertEquals(List.of(), result.findings(), "nothing found");
        assertEquals(0, result.findingCount());
        final TargetReport codecs = target(result, "codecs");
        assertEquals(INPUTS, codecs.inputs());
        assertTrue(codecs.details().get("accepted (decoded completely)") > 1000, codecs.details().toString());

        final TargetReport inbox = target(result, "inbox");
        assertEquals(INPUTS + 1, inbox.inputs(), "the rounds, then the truncation");
        assertEquals(1, inbox.details().get("truncated inbox: mapping faults counted by its reader"));
        assertEquals(INPUTS / 2000, inbox.details().get("impossible records: ring resynchronised"),
            "each impossible record made the reader resynchronise, once");
        assertTrue(inbox.details().get("records with a bad type counted") > INPUTS / 8, inbox.details().toString());
        assertTrue(inbox.details().get("records with a bad frame counted") > INPUTS / 4, inbox.details().toString());
        assertTrue(inbox.details().get("good CRITICAL messages sent") > 0, inbox.details().toString());

        int engines = 0;
        for (final String engine : FuzzSettings.ENGINES)
        {
            final TargetReport sockets = target(result, "sockets/" + engine);
            if (sockets.notes().stream().anyMatch(n -> n.startsWith("skipped")))
            {
                assertEquals("uring", engine, "only io_uring may be missing: " + sockets.notes());
                continue;
            }
            engines++;
            final Map<String, Long> details = sockets.details();
            assertEquals(INPUTS, sockets.inputs());
            assertTrue(sockets.closesExpected() >= INPUTS / 1000,
                "inputs broke the framing: " + sockets.closesExpected());
            assertEquals(sockets.closesExpected(), sockets.closedAsExpected(), "the router closed each of them");
            assertEquals(sockets.closedAsExpected(), details.get("router: connections closed: framing error"),
                "and counted each");
            assertTrue(sockets.connections() > INPUTS / settings.batchFrames(),
                "connections: " + sockets.connections());
            assertTrue(sockets.replies() > INPUTS / 4, "the router answered: " + sockets.replies());
            assertTrue(details.get("router: rejected: malformed") > INPUTS / 20, details.toString());
            assertEquals(details.get("expected: rejected: malformed"), details.get("router: rejected: malformed"));
            assertTrue(details.get("fences answered") >= INPUTS / settings.batchFrames() / 2, details.toString());
            assertTrue(details.get("probes answered") > 0, details.toString());
            assertTrue(details.get("good good-normal messages during the attack") > 0, details.toString());
            assertEquals(0, details.getOrDefault("router: router duty-cycle errors", 0L));
        }
        assertTrue(engines > 0, "at least one router engine ran");
        final String json = Files.readString(result.reportFile());
        assertTrue(json.contains("\"seed\": " + SEED) && json.contains("\"target\": \"sockets/nio\""), json);
    }

    @Test
    @Tag("slow")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRouterThatDiesDuringTheRunIsACrashNamingTheSeedAndTheInputsInFlightWithTheirBytes() throws Exception
    {
        final long seed = 42;
        final FuzzSettings settings = FuzzSettings.builder().seed(seed).inputs(50_000_000L)
            .targets(EnumSet.of(FuzzSettings.Target.SOCKETS)).engines(List.of("nio")).outDir(out).build();
        final AtomicReference<FuzzCampaign.Result> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread campaign = new Thread(() ->
        {
            try
            {
                result.set(new FuzzCampaign(settings, System.out).run());
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        }, "campaign");
        campaign.start();

        // The router is a child JVM of this one: wait until it serves and the attack is under way, then kill it.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Optional<ProcessHandle> router = Optional.empty();
        while (router.isEmpty())
        {
            assertTrue(System.nanoTime() < deadline && campaign.isAlive(), () -> "the campaign started a router; " +
                "it ended with " + failure.get());
            router = ProcessHandle.current().descendants()
                .filter(p -> commandLine(p).contains("dev.switchboard.router.process.RouterMain")).findFirst();
            Thread.sleep(20);
        }
        Thread.sleep(8_000);
        assertTrue(router.get().destroyForcibly(), "killed the router");
        campaign.join(TimeUnit.SECONDS.toMillis(120));
        assertFalse(campaign.isAlive(), "the campaign ended after the router died");
        assertEquals(null, failure.get());

        final TargetReport sockets = target(result.get(), "sockets/nio");
        assertTrue(sockets.inputs() > 0 && sockets.inputs() < settings.inputs(FuzzSettings.Target.SOCKETS),
            "it stopped early: " + sockets.inputs());
        final Finding crash = sockets.findings().stream().filter(f -> f.kind() == Finding.Kind.CRASH).findFirst()
            .orElseThrow(() -> new AssertionError("no crash reported: " + sockets.findings()));
        assertEquals(seed, crash.seed());
        // The inputs of the connections in flight: from batches the drivers had taken, near the inputs run so far.
        assertTrue(crash.firstIndex() >= 0 && crash.lastIndex() >= crash.firstIndex() &&
            crash.lastIndex() < sockets.inputs() + 2L * settings.connections() * settings.batchFrames(), crash.toString());
        assertTrue(crash.detail().contains("router process exited"), crash.detail());
        assertNotNull(crash.reproducer(), crash.toString());
        try (var files = Files.list(crash.reproducer()))
        {
            final List<Path> inputs = files.filter(p -> p.getFileName().toString().endsWith(".bin")).toList();
            assertFalse(inputs.isEmpty(), "the inputs in flight were saved");
            for (final Path bytes : inputs)
            {
                assertTrue(Files.size(bytes) > 0, bytes.toString());
            }
        }
        assertTrue(Files.readString(crash.reproducer().resolve("finding.txt")).contains("seed " + seed));
        assertEquals(List.of(), sockets.findings().stream().filter(f -> f.kind() != Finding.Kind.CRASH).toList(),
            "the router's death is reported once, as a crash, not as the hangs and losses it caused");
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aDecoderThatThrowsIsACrashNamingTheSeedAndTheInputWhoseBytesAreSaved() throws Exception
    {
        final long seed = 7;
        final FuzzSettings settings = FuzzSettings.builder().seed(seed).inputs(20_000)
            .targets(EnumSet.of(FuzzSettings.Target.CODECS)).outDir(out).build();
        // A deliberately broken decoder: it throws on every Lookup (template 18) longer than 40 bytes.
        final CodecTarget.Check broken = frame ->
        {
            if (isBrokenDecodersInput(frame))
            {
                throw new IndexOutOfBoundsException("broken decoder read past the frame");
            }
            return 1;
        };
        final FuzzCampaign.Result result = new FuzzCampaign(settings, System.out).codecCheck(broken).run();

        final TargetReport codecs = target(result, "codecs");
        assertTrue(codecs.findingCount() > 0, "the broken decoder was found");
        assertEquals(codecs.findings().size(), codecs.count(Finding.Kind.CRASH), "each one a crash");
        for (final Finding finding : codecs.findings())
        {
            assertEquals(seed, finding.seed());
            assertEquals(finding.firstIndex(), finding.lastIndex());
            assertTrue(finding.detail().contains("IndexOutOfBoundsException"), finding.detail());
            final byte[] saved = Files.readAllBytes(finding.reproducer().resolve("input.bin"));
            assertArrayEquals(new FrameMutator(seed).input(finding.firstIndex()), saved,
                "the saved bytes are the input at that index, generated again from the seed");
            assertTrue(isBrokenDecodersInput(saved));
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aCheckThatNeverReturnsIsAHangNamingItsInput() throws Exception
    {
        final FuzzSettings settings = FuzzSettings.builder().seed(3).inputs(1000).deadlineMs(300)
            .targets(EnumSet.of(FuzzSettings.Target.CODECS)).outDir(out).build();
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final CodecTarget.Check stuck = frame ->
        {
            if (calls.getAndIncrement() == 5)
            {
                try
                {
                    release.await();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
            return 1;
        };
        try
        {
            final FuzzCampaign.Result result = new FuzzCampaign(settings, System.out).codecCheck(stuck).run();
            final List<Finding> findings = target(result, "codecs").findings();
            assertEquals(1, findings.size(), findings.toString());
            assertEquals(Finding.Kind.HANG, findings.get(0).kind());
            assertEquals(5, findings.get(0).firstIndex());
        }
        finally
        {
            release.countDown();
        }
    }

    @Test
    void theCommandExitsTwoOnBadArgumentsZeroOnHelpAndWritesItsReport() throws Exception
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(text, true, StandardCharsets.UTF_8);
        assertEquals(2, FuzzMain.run(new String[] {"--target", "bogus"}, stream, stream));
        assertEquals(2, FuzzMain.run(new String[] {"--inputs", "0"}, stream, stream));
        assertEquals(2, FuzzMain.run(new String[] {"--long", "--inputs", "5"}, stream, stream));
        assertEquals(2, FuzzMain.run(new String[] {"--engine", "epoll"}, stream, stream));
        assertEquals(2, FuzzMain.run(new String[] {"--seed"}, stream, stream));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("--target must be sockets, inbox, codecs or all"));
        assertEquals(0, FuzzMain.run(new String[] {"--help"}, stream, stream));
        assertEquals(0, FuzzMain.run(new String[] {"--target", "codecs", "--inputs", "5,000", "--seed", "9", "--out",
            out.toString()}, stream, stream));
        assertTrue(Files.readString(out.resolve(FuzzCampaign.REPORT_FILE)).contains("\"inputs\": 5000"));
        assertEquals(FuzzSettings.LONG_INPUTS,
            FuzzMain.parse(new String[] {"--long"}).inputs(FuzzSettings.Target.SOCKETS));
    }

    private static boolean isBrokenDecodersInput(final byte[] frame)
    {
        return frame.length > 40 && (frame[2] & 0xFF | (frame[3] & 0xFF) << 8) == 18;
    }

    private static TargetReport target(final FuzzCampaign.Result result, final String name)
    {
        return result.targets().stream().filter(t -> t.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no report for " + name));
    }

    /**
     * A process's whole command line, from {@code /proc}: {@link ProcessHandle.Info#commandLine()} gives up on long
     * ones (the app's class path is), and the main class comes after it.
     */
    private static String commandLine(final ProcessHandle process)
    {
        try
        {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            return ""; // gone meanwhile
        }
    }
}
