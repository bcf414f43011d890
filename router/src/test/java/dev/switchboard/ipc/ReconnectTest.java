package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterMain;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the router, then a new router on the same runtime dir (issue 18): clients reconnect on their own, register
 * again under their names, get their subscriptions and groups back, and tell the application; a CRITICAL destination
 * resolved before keeps delivering throughout (no router on its path).
 */
@Tag("slow")
class ReconnectTest
{
    @TempDir
    Path dir;

    @Test
    void clientsReconnectReregisterAndRestoreTheirSubscriptionsAfterTheRouterIsKilledAndRestarted() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final List<String> events = new CopyOnWriteArrayList<>();
        final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
        ChildJvm router = startRouter();
        try (SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext()
                .connection(IpcConnection.connect(ipc)).listener(recording("receiver", events)));
            SwitchboardClient sender = SwitchboardClient.connect(new ClientContext()
                .connection(IpcConnection.connect(ipc)).listener(recording("sender", events))))
        {
            receiver.register("Receiver", "testing");
            sender.register("Sender");
            receiver.subscribe("builds");
            receiver.joinGroup("reviewers");
            final Destination inbox = sender.destination(receiver.agentId(), Priority.CRITICAL);
            assertTrue(inbox.isDirect(), inbox.toString());

            router.kill();
            router.awaitExit(Duration.ofSeconds(10));
            await(() -> events.contains("receiver disconnected") && events.contains("sender disconnected"),
                "both clients see the router go", receiver, sender);
            payload.putLong(0, 1);
            assertEquals(OfferStatus.OK, sender.send(inbox, payload, 0, 32), "CRITICAL needs no router");
            final List<String> got = new ArrayList<>();
            await(() -> got.contains("SEND 1"), "CRITICAL delivered while no router runs", receiver, sender, got);

            router = startRouter();
            await(() -> events.stream().filter(e -> e.endsWith("reconnected")).count() == 2,
                "both clients reconnect and register again on their own", receiver, sender);
            assertNotNull(sender.lookup("Receiver"), "registered again under its name");
            assertEquals(receiver.agentId(), sender.lookup("Receiver").agentId());

            payload.putLong(0, 2);
            assertEquals(OfferStatus.OK, sender.send(inbox, payload, 0, 32), "the destination made before still delivers");
            payload.putLong(0, 3);
            int status;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((status = sender.publish(NameIds.of("builds"), Priority.NORMAL, payload, 0, 32)) != OfferStatus.OK)
            {
                assertTrue(System.nanoTime() < deadline, "publish status " + status);
                sender.poll(m ->
                {
                });
            }
            payload.putLong(0, 4);
            assertEquals(OfferStatus.OK, sender.multicast(NameIds.of("reviewers"), Priority.NORMAL, payload, 0, 32));
            await(() -> got.containsAll(List.of("SEND 2", "PUBLISH 3", "MULTICAST 4")),
                "the subscription and the group came back with the reconnection", receiver, sender, got);
        }
        finally
        {
            router.close();
        }
    }

    private static ClientListener recording(final String who, final List<String> events)
    {
        return new ClientListener()
        {
            @Override
            public void onDisconnected(final String reason)
            {
                events.add(who + " disconnected");
            }

            @Override
            public void onReconnected(final long previousAgentId, final long agentId)
            {
                events.add(who + " reconnected");
            }
        };
    }

    private static void await(
        final java.util.function.BooleanSupplier done, final String what, final SwitchboardClient receiver,
        final SwitchboardClient sender) throws InterruptedException
    {
        await(done, what, receiver, sender, new ArrayList<>());
    }

    private static void await(
        final java.util.function.BooleanSupplier done, final String what, final SwitchboardClient receiver,
        final SwitchboardClient sender, final List<String> got) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean())
        {
            receiver.poll(m ->
            {
                final Pattern p = m.pattern();
                got.add(p + " " + m.buffer().getLong(m.payloadOffset()));
            });
            sender.poll(m ->
            {
            });
            assertTrue(System.nanoTime() < deadline, what + "; received " + got);
            Thread.sleep(1);
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
