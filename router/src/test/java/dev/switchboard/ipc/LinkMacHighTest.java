/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.ipc.uring.HighTransport;
import dev.switchboard.router.process.RouterProcess;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.uring.UringLink;
import dev.switchboard.ipc.uring.UringProbe;
import dev.switchboard.router.RouterContext;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.SecretFile;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The frame MAC on HIGH (io_uring over a Unix socket), over real sockets: HIGH traffic flows with it on; a frame
 * modified in flight is rejected, counted and closes that HIGH link only (the agent falls back to NORMAL, other
 * agents' HIGH links keep flowing).
 */
class LinkMacHighTest
{
    @TempDir
    Path dir;

    private LinkMac on;

    @BeforeEach
    void setUp()
    {
        assumeTrue(UringProbe.probe().available(), "io_uring unavailable here");
        on = LinkMac.on(SecretFile.create(dir.resolve("secret")));
    }

    private IpcContext ipc()
    {
        // CRITICAL off so that HIGH-priority frames travel the HIGH link both ways.
        return new IpcContext().underDirectory(dir).disabledTiers("CRITICAL").linkMac(on);
    }

    @Test
    void highTrafficFlowsWithTheMacOn()
    {
        final IpcContext ipc = ipc();
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            IpcConnection aConnection = IpcConnection.connect(ipc);
            SwitchboardClient a = SwitchboardClient.connect(new ClientContext().connection(aConnection));
            IpcConnection bConnection = IpcConnection.connect(ipc);
            SwitchboardClient b = SwitchboardClient.connect(new ClientContext().connection(bConnection)))
        {
            a.register("A");
            b.register("B");
            // Each agent opens its HIGH link to the router on first use; both are opened here, so the frames from A
            // reach B over B's HIGH link (this test is about the MAC of the router's HIGH links).
            highLink(bConnection);
            final UringLink link = highLink(aConnection);
            assertTrue(link.isMacActive(), "the HIGH link carries the MAC");
            final int[] high = new int[1];
            assertEquals(200, exchange(a, b, 200, high));
            assertTrue(high[0] > 0, "frames arrived over HIGH: " + high[0]);
            assertEquals(0, router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_HIGH));
        }
    }

    @Test
    void highFrameModifiedInFlightIsRejectedCountedAndClosesOnlyThatLink() throws Exception
    {
        final IpcContext ipc = ipc();
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            TamperingRelay relay = new TamperingRelay(dir.resolve("relay-high.sock"), ipc.highSocketPath());
            IpcConnection victimConnection = IpcConnection.connect(ipc().highSocketPath(relay.path()));
            SwitchboardClient victim = SwitchboardClient.connect(new ClientContext().connection(victimConnection));
            IpcConnection receiverConnection = IpcConnection.connect(ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(receiverConnection));
            SwitchboardClient other = client(ipc))
        {
            victim.register("Victim");
            receiver.register("Receiver");
            other.register("Other");
            highLink(receiverConnection);
            final UringLink victimLink = highLink(victimConnection);
            assertTrue(victimLink.isMacActive());
            final int[] high = new int[1];
            assertEquals(20, exchange(victim, receiver, 20, high), "through the relay, untouched, frames pass");

            relay.arm(TamperingRelay.Mode.FLIP_BYTE);
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            payload.putLong(0, 20);
            assertEquals(OfferStatus.OK, victim.send(receiver.agentId(), Priority.HIGH, payload, 0, 32));
            await(() ->
            {
                victim.poll(m -> fail("nothing comes back")); // the poll submits the queued frame
                return router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_HIGH) == 1;
            }, "the router counts the tampered HIGH frame");
            await(() ->
            {
                victim.poll(m -> { });
                return !victimLink.isConnected();
            }, "the router closes the tampered HIGH link");
            assertEquals(1, relay.tampered());
            final int[] leaked = {0};
            final long quiet = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < quiet)
            {
                receiver.poll(m -> leaked[0]++);
            }
            assertEquals(0, leaked[0], "the tampered frame never reaches its receiver");

            assertTrue(victimConnection.isConnected(), "the agent's control socket is unaffected");
            final int[] otherHigh = new int[1];
            assertEquals(50, exchange(other, receiver, 50, otherHigh), "another agent's HIGH link keeps working");
            assertTrue(otherHigh[0] > 0);
            assertEquals(1, router.router().counters().block().get(RouterCounter.LINK_MAC_REJECTED_HIGH));
        }
    }

    private static UringLink highLink(final IpcConnection connection)
    {
        final HighTransport high = connection.openHigh();
        assertNotNull(high, "HIGH runs here");
        final UringLink link = high.link();
        assertNotNull(link, "HIGH link open");
        return link;
    }

    private static SwitchboardClient client(final IpcContext ipc)
    {
        return SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
    }

    /** Send count HIGH messages, in order; return how many arrived in order; count those that came over HIGH. */
    private static int exchange(final SwitchboardClient from, final SwitchboardClient to, final int count, final int[] high)
    {
        return InOrderTraffic.exchange(from, to, count, Priority.HIGH, tier -> high[0] += tier == Tier.HIGH ? 1 : 0);
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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
