/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterMain;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 of the router process: agents see the loss (connection closed, NOT_CONNECTED from routed tiers, control
 * calls throw) instead of hanging; CRITICAL keeps flowing between agents that had already mapped each other's
 * inboxes (it never crosses the router); agents restarted against a new router get every LOW message appended
 * before the crash.
 */
@Tag("slow")
class KilledRouterTest
{
    private static final int LOW_COUNT = 200;

    @TempDir
    Path dir;

    @Test
    void agentsSeeTheRouterGoAndLowMessagesAppendedBeforeTheCrashAreDeliveredAfterARestart() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 8);
        try (ChildJvm router = startRouter())
        {
            final IpcConnection receiverConnection = IpcConnection.connect(ipc);
            final IpcConnection senderConnection = IpcConnection.connect(ipc);
            try (SwitchboardClient archive = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
                SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(receiverConnection));
                SwitchboardClient sender = SwitchboardClient.connect(new ClientContext().connection(senderConnection)))
            {
                archive.register("Archive");
                receiver.register("Receiver");
                sender.register("Sender");
                final long receiverId = sender.agentIdOf("Receiver");
                final long archiveId = sender.agentIdOf("Archive");
                assertEquals(Tier.LOW, sender.tierFor(Priority.LOW));
                final Destination archiveQueue = sender.destination(archiveId, Priority.LOW);
                final Destination receiverInbox = sender.destination(receiverId, Priority.CRITICAL);
                assertTrue(receiverInbox.isDirect(), receiverInbox.toString());
                for (long i = 0; i < LOW_COUNT; i++)
                {
                    payload.putLong(0, i);
                    assertEquals(OfferStatus.OK, sender.send(archiveQueue, payload, 0, 8),
                        "appended durably: the archive does not read until after the crash");
                }
                payload.putLong(0, -1);
                assertEquals(OfferStatus.OK, sender.send(receiverInbox, payload, 0, 8));

                router.kill();
                assertEquals(137, router.awaitExit(Duration.ofSeconds(10)));

                final List<Long> critical = new ArrayList<>();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (receiverConnection.isConnected() || senderConnection.isConnected())
                {
                    receiver.poll(m ->
                    {
                        if (m.tier() == Tier.CRITICAL)
                        {
                            critical.add(m.buffer().getLong(m.payloadOffset()));
                        }
                    });
                    sender.poll(m ->
                    {
                    });
                    assertTrue(System.nanoTime() < deadline, "a client still thinks the dead router is there");
                    Thread.sleep(1);
                }
                System.out.println("router gone: " + receiverConnection.closeReason());
                assertNotEquals(OfferStatus.OK, sender.send(receiverId, Priority.NORMAL, payload, 0, 8),
                    "NORMAL goes through the router: not accepted once it is gone");
                assertThrows(SwitchboardException.class, () -> sender.lookup("Receiver"), "control calls fail, not hang");

                payload.putLong(0, -2);
                assertEquals(OfferStatus.OK, sender.send(receiverInbox, payload, 0, 8),
                    "CRITICAL is sender to receiver inbox: no router on the path");
                final long criticalDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (critical.size() < 2)
                {
                    receiver.poll(m ->
                    {
                        if (m.tier() == Tier.CRITICAL)
                        {
                            critical.add(m.buffer().getLong(m.payloadOffset()));
                        }
                    });
                    assertTrue(System.nanoTime() < criticalDeadline, "CRITICAL received " + critical);
                    Thread.sleep(1);
                }
                assertEquals(List.of(-1L, -2L), critical);
            }
        }

        try (ChildJvm router = startRouter();
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            receiver.register("Archive");
            final long[] next = {0};
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (next[0] < LOW_COUNT)
            {
                receiver.poll(m ->
                {
                    assertEquals(Tier.LOW, m.tier());
                    final long seq = m.buffer().getLong(m.payloadOffset());
                    if (seq != next[0])
                    {
                        fail("LOW after the router restart: expected " + next[0] + " got " + seq);
                    }
                    next[0]++;
                });
                assertTrue(System.nanoTime() < deadline, "LOW received " + next[0] + " of " + LOW_COUNT +
                    " after the router restart; router: " + router.stderrText());
                Thread.sleep(1);
            }
            final int[] extra = {0};
            for (int i = 0; i < 50; i++)
            {
                receiver.poll(m -> extra[0]++);
                Thread.sleep(2);
            }
            assertEquals(0, extra[0], "each LOW message exactly once");
            assertFalse(router.stdoutText().isEmpty(), "the new router started");
        }
    }

    private ChildJvm startRouter() throws Exception
    {
        final List<String> flags = new ArrayList<>(List.of(
            "-Dswitchboard.runtime.dir=" + dir,
            "-Dswitchboard.shm.dir=" + dir.resolve("shm"),
            "-Dswitchboard.data.dir=" + dir.resolve("data")));
        flags.addAll(JvmFlags.router());
        final ChildJvm router = ChildJvm.start(dir, flags, RouterMain.class);
        KilledSenderUnblockTest.awaitStdout(router, "listening");
        return router;
    }
}
