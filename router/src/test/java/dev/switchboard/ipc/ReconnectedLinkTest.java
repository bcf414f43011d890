package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterMain;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent-to-agent link across a router restart (found by the soak with router kills): the receiver holds a link to the
 * agent id the sender had when the router granted it, and refuses frames carrying any other source. A sender that
 * registered again under a new id must therefore not write on its old links: such a destination answers NOT_CONNECTED
 * (resolve it again) instead of OK for frames the receiver then drops as spoofed, and what it held before the
 * reconnection is still delivered.
 */
@Tag("slow")
class ReconnectedLinkTest
{
    /** Reconnection waits this long, so that other agents take the old ids on the new router first. */
    private static final long BACKOFF_NS = TimeUnit.SECONDS.toNanos(5);

    @TempDir
    Path dir;

    @Test
    void aLinkFromBeforeTheSendersIdChangedAnswersNotConnectedAndEveryOkIsDelivered() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final List<String> events = new CopyOnWriteArrayList<>();
        final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 8);
        final Set<Long> received = new TreeSet<>();
        ChildJvm router = startRouter();
        final List<SwitchboardClient> squatters = new ArrayList<>();
        try (SwitchboardClient receiver = SwitchboardClient.connect(slowReconnect(ipc, "receiver", events));
            SwitchboardClient sender = SwitchboardClient.connect(slowReconnect(ipc, "sender", events)))
        {
            receiver.register("Receiver");
            sender.register("Sender");
            final Destination link = sender.destination("Receiver", Priority.NORMAL);
            assertTrue(link.isDirect(), "a link: " + link);
            final Runnable poll = () ->
            {
                receiver.poll(m -> received.add(m.buffer().getLong(m.payloadOffset())));
                sender.poll(m ->
                {
                });
            };
            final Set<Long> ok = new TreeSet<>();
            for (long seq = 1; seq <= 10; seq++)
            {
                payload.putLong(0, seq);
                assertEquals(OfferStatus.OK, sender.send(link, payload, 0, 8));
                ok.add(seq);
            }
            await(() -> received.containsAll(ok), "the link delivers before the kill", poll);

            final long senderIdBefore = sender.agentId();
            router.kill();
            router.awaitExit(Duration.ofSeconds(10));
            await(() -> events.containsAll(List.of("receiver disconnected", "sender disconnected")), "both see it go", poll);
            router = startRouter();
            // The ids the two had go to others: the new router's registry starts again from its first id.
            for (int i = 0; i < 2; i++)
            {
                final SwitchboardClient squatter =
                    SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
                squatters.add(squatter);
                squatter.register("Squatter-" + i);
            }
            await(() -> events.containsAll(List.of("receiver reconnected", "sender reconnected")),
                "both register again by themselves", poll);
            assertNotEquals(senderIdBefore, sender.agentId(), "the premise: the sender has a new id");

            final List<Integer> statuses = new ArrayList<>();
            for (long seq = 11; seq <= 30; seq++)
            {
                payload.putLong(0, seq);
                final int status = sender.send(link, payload, 0, 8);
                statuses.add(status);
                if (status == OfferStatus.OK)
                {
                    ok.add(seq);
                }
                poll.run();
            }
            for (int i = 0; i < 200; i++)
            {
                poll.run();
                Thread.sleep(5);
            }
            final Set<Long> missing = new TreeSet<>(ok);
            missing.removeAll(received);
            assertTrue(missing.isEmpty(), "every send that answered OK was delivered; missing " + missing +
                ", statuses after the reconnection: " + statuses);
            assertTrue(statuses.stream().allMatch(s -> s == OfferStatus.NOT_CONNECTED),
                "the old link answers NOT_CONNECTED: " + statuses);

            final Destination again = sender.destination("Receiver", Priority.NORMAL);
            assertTrue(again.isDirect(), "a new link: " + again);
            payload.putLong(0, 31);
            assertEquals(OfferStatus.OK, sender.send(again, payload, 0, 8));
            await(() -> received.contains(31L), "the destination resolved again delivers", poll);
        }
        finally
        {
            squatters.forEach(SwitchboardClient::close);
            router.close();
        }
    }

    private static ClientContext slowReconnect(final IpcContext ipc, final String who, final List<String> events)
    {
        return new ClientContext()
            .connection(IpcConnection.connect(ipc))
            .reconnectBackoffNs(BACKOFF_NS)
            .reconnectBackoffMaxNs(BACKOFF_NS)
            .listener(new ClientListener()
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
            });
    }

    private static void await(final BooleanSupplier done, final String what, final Runnable poll)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            poll.run();
            assertTrue(System.nanoTime() < deadline, what);
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
