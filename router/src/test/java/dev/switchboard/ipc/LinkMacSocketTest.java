/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The frame MAC on the control/NORMAL socket, over real sockets: traffic flows with it on; a frame modified or
 * replayed in flight (by a relay between client and router) is rejected, counted and closes that link only; a
 * router and a client that disagree on the setting say so at link setup.
 */
class LinkMacSocketTest
{
    @TempDir
    Path dir;

    private LinkMac on;

    @BeforeEach
    void createSecret()
    {
        on = LinkMac.on(SecretFile.create(dir.resolve("secret")));
    }

    private IpcContext ipc(final LinkMac mac)
    {
        // HIGH and agent-to-agent links are covered by their own tests; here every frame goes over the control socket.
        return new IpcContext().underDirectory(dir).disabledTiers("HIGH,CRITICAL,LINKS").linkMac(mac);
    }

    @Test
    void normalTrafficFlowsBothWaysWithTheMacOn()
    {
        final IpcContext ipc = ipc(on);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient a = client(ipc);
            SwitchboardClient b = client(ipc))
        {
            a.register("A");
            b.register("B");
            assertEquals(100, exchange(a, b, 100));
            assertEquals(100, exchange(b, a, 100));
            assertEquals(0, router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_NORMAL));
        }
    }

    @Test
    @Tag("slow")
    void agentProcessWithTheMacOnByPropertySendsThroughTheRouter() throws Exception
    {
        final IpcContext ipc = ipc(on);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient receiver = client(ipc))
        {
            receiver.register("Receiver");
            final int count = 2_000;
            try (ChildJvm sender = ChildJvm.start(dir, java.util.List.of(
                    "-D" + LinkMac.PROPERTY + "=on",
                    "-D" + SecretFile.PROPERTY + "=" + dir.resolve("secret"),
                    "-Dswitchboard.tiers.disable=HIGH,CRITICAL"),
                SenderAgentMain.class, dir.toString(), "Sender", "Receiver", "NORMAL", String.valueOf(count), "200"))
            {
                final long[] seen = {0};
                await(() ->
                {
                    receiver.poll(m -> assertEquals(seen[0]++, m.buffer().getLong(m.payloadOffset()), "in order"));
                    return seen[0] == count;
                }, "every message from the child process", 60);
                assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender.stderrText());
            }
            assertEquals(0, router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_NORMAL));
            assertEquals(0, router.router().counters().block().get(RouterCounter.LINK_SETUP_REFUSED));
        }
    }

    @Test
    void frameModifiedInFlightIsRejectedCountedAndClosesOnlyItsLink() throws Exception
    {
        final IpcContext ipc = ipc(on);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            TamperingRelay relay = new TamperingRelay(dir.resolve("relay.sock"), ipc.socketPath());
            IpcConnection victimConnection = IpcConnection.connect(ipc(on).socketPath(relay.path()));
            SwitchboardClient victim = SwitchboardClient.connect(new ClientContext().connection(victimConnection));
            SwitchboardClient receiver = client(ipc);
            SwitchboardClient other = client(ipc))
        {
            assertTrue(victimConnection.isFrameMacActive());
            victim.register("Victim");
            receiver.register("Receiver");
            other.register("Other");
            assertEquals(10, exchange(victim, receiver, 10), "through the relay, untouched, frames pass");

            relay.arm(TamperingRelay.Mode.FLIP_BYTE);
            final SegmentBuffer payload = payload(99);
            assertEquals(OfferStatus.OK, victim.send(receiver.agentId(), Priority.NORMAL, payload, 0, 32));
            await(() ->
            {
                victim.poll(m -> fail("nothing comes back")); // the poll writes the queued frame out
                return router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_NORMAL) == 1;
            }, "the router counts the tampered frame");
            await(() ->
            {
                victim.poll(m -> fail("nothing comes back"));
                return !victimConnection.isConnected();
            }, "the router closes the tampered link");
            assertEquals(1, relay.tampered());
            final int[] leaked = {0};
            receiver.poll(m -> leaked[0]++);
            assertEquals(0, leaked[0], "the tampered frame never reaches its receiver");

            assertEquals(50, exchange(other, receiver, 50), "another agent's link keeps working");
        }
    }

    @Test
    void frameReplayedInFlightIsRejectedAndCounted() throws Exception
    {
        final IpcContext ipc = ipc(on);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            TamperingRelay relay = new TamperingRelay(dir.resolve("relay.sock"), ipc.socketPath());
            IpcConnection victimConnection = IpcConnection.connect(ipc(on).socketPath(relay.path()));
            SwitchboardClient victim = SwitchboardClient.connect(new ClientContext().connection(victimConnection));
            SwitchboardClient receiver = client(ipc))
        {
            victim.register("Victim");
            receiver.register("Receiver");
            relay.arm(TamperingRelay.Mode.REPLAY);
            assertEquals(OfferStatus.OK, victim.send(receiver.agentId(), Priority.NORMAL, payload(7), 0, 32));
            await(() ->
            {
                victim.poll(m -> { }); // the poll writes the queued frame out
                return router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_NORMAL) == 1;
            }, "the router counts the replayed frame");
            final int[] received = {0};
            await(() ->
            {
                receiver.poll(m -> received[0]++);
                return received[0] == 1;
            }, "the original frame arrives once");
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < deadline)
            {
                receiver.poll(m -> received[0]++);
            }
            assertEquals(1, received[0], "the replay is not delivered");
            await(() ->
            {
                victim.poll(m -> { });
                return !victimConnection.isConnected();
            }, "the replaying link is closed");
        }
    }

    @Test
    void clientWithMacOnRefusesRouterWithMacOffNamingTheSetting()
    {
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc(LinkMac.off())))
        {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> IpcConnection.connect(ipc(on)));
            // the router (MAC off) speaks first with its Challenge, where a MAC-on router would send its hello
            assertTrue(e.getMessage().contains("runs with switchboard.link.mac=off while this side has on"),
                e.getMessage());
            await(() -> router.router().counters().block().get(RouterCounter.LINK_SETUP_REFUSED) == 1,
                "the router counts the refused link");
        }
    }

    @Test
    void clientWithMacOffIsRefusedByRouterWithMacOnNamingTheSetting()
    {
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc(on));
            IpcConnection connection = IpcConnection.connect(ipc(LinkMac.off()));
            SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection)))
        {
            assertFalse(connection.isFrameMacActive());
            assertThrows(RuntimeException.class, () -> client.register("Plain"));
            assertFalse(connection.isConnected());
            assertTrue(connection.closeReason().contains("the router runs with switchboard.link.mac=on"),
                connection.closeReason());
            await(() -> router.router().counters().block().get(RouterCounter.LINK_SETUP_REFUSED) == 1,
                "the router counts the refused link");
            assertEquals(0, router.router().counters().block().get(RouterCounter.REGISTRATIONS));
        }
    }

    private static SwitchboardClient client(final IpcContext ipc)
    {
        return SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
    }

    private static SegmentBuffer payload(final long value)
    {
        final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
        payload.putLong(0, value);
        return payload;
    }

    /** Send count messages from one to the other at NORMAL, in order; return how many arrived in order. */
    private static int exchange(final SwitchboardClient from, final SwitchboardClient to, final int count)
    {
        return InOrderTraffic.exchange(from, to, count, Priority.NORMAL, tier -> { });
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        await(condition, what, 10);
    }

    private static void await(final BooleanSupplier condition, final String what, final int seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting: " + what);
            }
            Thread.onSpinWait();
        }
    }
}
