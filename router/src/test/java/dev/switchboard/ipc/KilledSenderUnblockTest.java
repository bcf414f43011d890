/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 of a sender in the middle of a CRITICAL ring write: the record it claimed and never committed would stop
 * the receiver's inbox for ever; the receiver unblocks it after {@code switchboard.inbox.unblock.timeout.ns}, counts
 * it, and receives what other senders wrote behind it, in order.
 */
@Tag("slow")
class KilledSenderUnblockTest
{
    private static final long COUNT = 2_000;

    @TempDir
    Path dir;

    @Test
    void aSenderKilledBetweenClaimAndCommitDoesNotBlockTheInboxForEver() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir).inboxUnblockTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200));
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            IpcConnection connection = IpcConnection.connect(ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(connection)))
        {
            receiver.register("Receiver", "test-receiver");
            final String inbox = connection.inboxPath();
            assertTrue(!inbox.isEmpty(), "the receiver has no CRITICAL inbox");

            try (ChildJvm claimant = ChildJvm.start(dir, List.of(), ClaimAndHangMain.class, inbox))
            {
                awaitStdout(claimant, "claimed ");
                claimant.kill();
                assertEquals(137, claimant.awaitExit(Duration.ofSeconds(10)), "killed by SIGKILL");
            }

            try (ChildJvm sender = ChildJvm.start(dir, List.of(), SenderAgentMain.class,
                dir.toString(), "Sender", "Receiver", "CRITICAL", String.valueOf(COUNT)))
            {
                final long[] next = {0};
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (next[0] < COUNT)
                {
                    final int work = receiver.poll(m ->
                    {
                        assertEquals(Tier.CRITICAL, m.tier());
                        final long seq = m.buffer().getLong(m.payloadOffset());
                        if (seq != next[0])
                        {
                            fail("expected " + next[0] + " got " + seq);
                        }
                        next[0]++;
                    });
                    receiver.idleStrategy().idle(work);
                    if (System.nanoTime() > deadline)
                    {
                        fail("received " + next[0] + " of " + COUNT + " behind the dead sender's claim; unblocked " +
                            receiver.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED) + "; sender: " + sender.stderrText());
                    }
                }
                assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender.stderrText());
            }
            assertEquals(1, receiver.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED), "the one stuck record is counted");
        }
    }

    static void awaitStdout(final ChildJvm child, final String text) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!child.stdoutText().contains(text))
        {
            if (!child.process().isAlive() || System.nanoTime() > deadline)
            {
                fail("child never printed '" + text + "': " + child.stderrText());
            }
            Thread.sleep(5);
        }
    }
}
