package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One poll merges the tiers, CRITICAL first; a tier that cannot run falls back without losing anything.
 */
@Tag("slow")
class TierMergeAndFallbackTest
{
    @TempDir
    Path dir;

    @Test
    void criticalTrafficKeepsArrivingWhileNormalIsFlooded() throws Exception
    {
        final long flood = 1_000_000;
        final long critical = 20_000;
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            receiver.register("Receiver");
            try (ChildJvm flooder = ChildJvm.start(dir, List.of(), SenderAgentMain.class,
                    dir.toString(), "Flooder", "Receiver", "NORMAL", String.valueOf(flood));
                ChildJvm urgent = ChildJvm.start(dir, List.of(), SenderAgentMain.class,
                    dir.toString(), "Urgent", "Receiver", "CRITICAL", String.valueOf(critical)))
            {
                final long[] normalSeen = {0};
                final long[] criticalSeen = {0};
                final long[] normalWhenCriticalDone = {-1};
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (normalSeen[0] < flood || criticalSeen[0] < critical)
                {
                    final int work = receiver.poll(m ->
                    {
                        final long seq = m.buffer().getLong(m.payloadOffset());
                        if (m.tier() == Tier.CRITICAL)
                        {
                            assertEquals(criticalSeen[0]++, seq, "CRITICAL in order");
                            if (criticalSeen[0] == critical)
                            {
                                normalWhenCriticalDone[0] = normalSeen[0];
                            }
                        }
                        else
                        {
                            assertEquals(Tier.NORMAL, m.tier());
                            assertEquals(normalSeen[0]++, seq, "NORMAL in order");
                        }
                    });
                    receiver.idleStrategy().idle(work);
                    if (System.nanoTime() > deadline)
                    {
                        fail("normal " + normalSeen[0] + "/" + flood + " critical " + criticalSeen[0] + "/" + critical +
                            "; stderr: " + flooder.stderrText() + urgent.stderrText());
                    }
                }
                System.out.println("CRITICAL finished after " + normalWhenCriticalDone[0] + " of " + flood +
                    " NORMAL messages had been handled");
                assertTrue(normalWhenCriticalDone[0] < flood,
                    "every CRITICAL message was handled before the NORMAL flood drained: no starvation");
                assertEquals(0, flooder.awaitExit(Duration.ofSeconds(30)));
                assertEquals(0, urgent.awaitExit(Duration.ofSeconds(30)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Dswitchboard.iouring.disable=true", "-Dswitchboard.liburing.path=/nonexistent/liburing.so.2"})
    void highFallsBackToNormalWithOneWarningWhenIoUringCannotRunAndNothingIsLost(final String cause) throws Exception
    {
        final long count = 10_000;
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            ChildJvm sender = ChildJvm.builder(SenderAgentMain.class).jvmOptions(JvmFlags.of(JvmFlags.Group.NATIVE))
                .jvmOptions(cause).args(dir.toString(), "Sender", "Receiver", "HIGH", String.valueOf(count))
                .outputIn(dir).start())
        {
            receiver.register("Receiver");
            final long[] next = {0};
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (next[0] < count)
            {
                final int work = receiver.poll(m -> assertEquals(next[0]++, m.buffer().getLong(m.payloadOffset())));
                receiver.idleStrategy().idle(work);
                assertTrue(System.nanoTime() < deadline, "received " + next[0] + "; " + sender.stderrText());
            }
            assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)));
            final String stderr = sender.stderrText();
            // One warning (through System.Logger; the child runs the JDK's default one, java.util.logging).
            assertEquals(1, stderr.lines().filter(l -> l.contains("HIGH tier unavailable, falling back to NORMAL"))
                .count(), stderr);
            assertTrue(stderr.contains("WARNING"), stderr);
        }
    }

    @Test
    void anUnwritableShmDirMakesCriticalFallBackToNormalWithOneWarningAndNothingLost() throws Exception
    {
        final long count = 10_000;
        // A regular file where the shm dir's parent should be: no process, root included, can create the dir.
        final Path unwritable = Files.createFile(dir.resolve("readonly-shm")).resolve("sub");
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final IpcContext receiverIpc = new IpcContext().underDirectory(dir).shmDir(unwritable);
        try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(
                new ClientContext().connection(IpcConnection.connect(receiverIpc)));
            ChildJvm sender = ChildJvm.start(dir, List.of("-Dswitchboard.shm.dir=" + unwritable),
                SenderAgentMain.class, dir.toString(), "Sender", "Receiver", "CRITICAL", String.valueOf(count)))
        {
            receiver.register("Receiver");
            assertEquals(1, receiver.counter(dev.switchboard.counters.RouterCounter.TIER_FALLBACKS),
                "the receiver's own CRITICAL fallback is counted");
            final long[] next = {0};
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (next[0] < count)
            {
                final int work = receiver.poll(m ->
                {
                    assertEquals(Tier.NORMAL, m.tier(), "CRITICAL fell back to NORMAL");
                    assertEquals(next[0]++, m.buffer().getLong(m.payloadOffset()));
                });
                receiver.idleStrategy().idle(work);
                assertTrue(System.nanoTime() < deadline, "received " + next[0] + "; " + sender.stderrText());
            }
            assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)));
            final String stderr = sender.stderrText();
            final long warnings = stderr.lines()
                .filter(l -> l.contains("CRITICAL tier unavailable, falling back to NORMAL")).count();
            assertEquals(1, warnings, stderr);
            assertTrue(stderr.contains("WARNING") && stderr.contains("readonly-shm"), stderr);
        }
    }
}
