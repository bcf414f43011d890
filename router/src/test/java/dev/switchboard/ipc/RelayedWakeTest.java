package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sender started without {@code --enable-native-access} cannot make the futex call, so it cannot wake an agent
 * parked on its inbox's futex itself: it sends {@code Wake} to the router, which does. Real processes: the router
 * here (this JVM has native access, so it relays), the parked owner and the flag-less sender each in a child JVM. The
 * owner's longest park is an hour: a relay that did not happen would hang the test, and a sleep ended by timeout is
 * counted and must not happen.
 */
@Tag("slow")
class RelayedWakeTest
{
    private static final Pattern OWNER_RESULT =
        Pattern.compile("received (\\d+) outOfOrder (\\d+) timeouts (\\d+) futexSleeps (\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aFlaglessSendersWakeIsRelayedByTheRouter() throws Exception
    {
        final int wakes = 200;
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            ChildJvm owner = ChildJvm.start(dir, JvmFlags.of(JvmFlags.Group.NATIVE),
                FutexOwnerAgentMain.class, dir.toString(), "sleeper", Integer.toString(wakes)))
        {
            assertTrue(router.router().context().relaysWakes(), "a router in a JVM with native access relays");
            awaitLine(owner, "mode FUTEX");
            try (ChildJvm sender = ChildJvm.start(dir, List.of(), RelayedSenderMain.class, dir.toString(), "waker",
                "sleeper", Integer.toString(wakes)))
            {
                assertEquals(0, sender.awaitExit(Duration.ofSeconds(120)), sender.stderrText());
                assertTrue(sender.stdoutText().contains("futex false"), sender.stdoutText());
                assertTrue(sender.stdoutText().contains("sent " + wakes + " relayed " + wakes), sender.stdoutText());
                assertEquals("", sender.stderrText(), "a flag-less sender prints no warning");
            }
            assertEquals(0, owner.awaitExit(Duration.ofSeconds(60)), owner.stderrText());
            final Matcher m = OWNER_RESULT.matcher(owner.stdoutText());
            assertTrue(m.find(), owner.stdoutText());
            System.out.println("relayed wake-up, " + wakes + " wakes: " + owner.stdoutText().lines()
                .filter(l -> l.startsWith("received") || l.startsWith("latency")).toList() + "; router counted " +
                router.router().counters().block().get(RouterCounter.WAKES_RELAYED) + " relayed");
            assertEquals(wakes, Long.parseLong(m.group(1)));
            assertEquals(0, Long.parseLong(m.group(2)));
            assertEquals(0, Long.parseLong(m.group(3)), "sleeps ended by timeout: a relay was lost");
            assertTrue(Long.parseLong(m.group(4)) >= wakes);
            assertEquals(wakes, router.router().counters().block().get(RouterCounter.WAKES_RELAYED));
        }
    }

    private static void awaitLine(final ChildJvm child, final String line) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!child.stdoutText().lines().toList().contains(line))
        {
            assertTrue(child.process().isAlive(), "child ended: " + child.stdoutText() + child.stderrText());
            assertTrue(System.nanoTime() < deadline, "no '" + line + "' within 60 s: " + child.stdoutText() +
                child.stderrText());
            Thread.sleep(10);
        }
    }
}
