package dev.switchboard.ipc.link;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.uring.UringProbe;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Agent-to-agent links between real processes through a real router: the router grants, the sender connects to the
 * receiver's socket, frames flow agent to agent. Order across the switch (issue 18 item 7): each sender sends half its
 * frames through the router, asks for the link on the same control stream and at once sends the other half on the
 * link; the receiver must see every number in order, on five fresh pairs per tier (before this, 2-3 of 5 fresh pairs
 * reordered HIGH). The hand-off without a grant: a process that connects to a receiver's socket and presents a claim
 * with bytes the router never issued is refused and counted, and the real sender's traffic is not disturbed.
 */
@Tag("slow")
class AgentLinkCrossProcessTest
{
    private static final int ROUTED = 2_000;
    private static final int DIRECT = 2_000;
    private static final int PAIRS = 5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NORMAL", "HIGH"})
    void framesRoutedBeforeTheLinkArriveBeforeTheFramesOnItOnFiveFreshPairs(final Tier tier) throws Exception
    {
        assumeHigh(tier);
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc))
        {
            for (int pair = 0; pair < PAIRS; pair++)
            {
                final String receiverName = "receiver-" + pair;
                try (ChildJvm receiver = child(dir, tier, LinkReceiverMain.class, dir.toString(), receiverName,
                    String.valueOf(ROUTED + DIRECT), String.valueOf(tier == Tier.HIGH), "60000");
                    ChildJvm sender = startWhenReady(receiver, dir, tier, LinkSenderMain.class, dir.toString(),
                        "sender-" + pair, receiverName, tier.name(), String.valueOf(ROUTED), String.valueOf(DIRECT)))
                {
                    assertEquals(0, receiver.awaitExit(Duration.ofSeconds(90)),
                        "pair " + pair + ": " + receiver.describe() + "\nsender: " + sender.describe());
                    final String out = receiver.stdoutText();
                    assertTrue(out.contains("in order " + (ROUTED + DIRECT) + " routed=" + ROUTED + " direct=" + DIRECT),
                        "pair " + pair + ": " + out);
                    assertTrue(out.contains("accepted=1 refusedNoGrant=0 refusedPeer=0 rejected=0"), out);
                    assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender.describe());
                }
            }
            assertEquals(PAIRS, router.router().counters().block().get(RouterCounter.LINK_GRANTS));
            assertEquals(0, router.router().counters().block().get(RouterCounter.LINK_REQUESTS_REFUSED));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NORMAL", "HIGH"})
    void aConnectionToAReceiversSocketWithoutAGrantIsRefusedAndCounted(final Tier tier) throws Exception
    {
        assumeHigh(tier);
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            ChildJvm receiver = child(dir, tier, LinkReceiverMain.class, dir.toString(), "receiver",
                String.valueOf(ROUTED + DIRECT), String.valueOf(tier == Tier.HIGH), "60000"))
        {
            final String ready = awaitLine(receiver, "ready");
            final String[] endpoints = ready.split(" ");
            final Path socket = Path.of(tier == Tier.HIGH ? endpoints[2] : endpoints[1]);
            assertTrue(Files.exists(socket), ready);

            // A claim naming a real agent pair, with 16 bytes the router never issued; then frames behind it.
            final byte[] forged = new byte[LinkClaim.GRANT_LENGTH];
            new SecureRandom().nextBytes(forged);
            try (SocketChannel intruder = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                intruder.connect(UnixDomainSocketAddress.of(socket));
                final SegmentBuffer claim = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 64);
                LinkClaim.writeClaim(claim, 0, tier, 1, 2, forged);
                final ByteBuffer bytes = ByteBuffer.allocate(4 + LinkClaim.CLAIM_LENGTH + 4 + 32)
                    .order(ByteOrder.LITTLE_ENDIAN);
                bytes.putInt(LinkClaim.CLAIM_LENGTH);
                final byte[] claimBytes = new byte[LinkClaim.CLAIM_LENGTH];
                claim.getBytes(0, claimBytes);
                bytes.put(claimBytes).putInt(32).put(new byte[32]).flip();
                while (bytes.hasRemaining())
                {
                    intruder.write(bytes);
                }
                // The receiver answers with a NO_GRANT verdict once its claim timeout passes, then closes.
                final ByteBuffer in = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (intruder.read(in) >= 0 && System.nanoTime() < deadline)
                {
                    Thread.onSpinWait();
                }
                in.flip();
                assertEquals(4 + LinkClaim.VERDICT_LENGTH, in.remaining(), "a verdict, then the end of the stream");
                in.getInt();
                final byte[] verdict = new byte[LinkClaim.VERDICT_LENGTH];
                in.get(verdict);
                final SegmentBuffer verdictBuffer = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 64);
                verdictBuffer.putBytes(0, verdict);
                assertEquals(LinkClaim.NO_GRANT, LinkClaim.verdict(verdictBuffer, 0, verdict.length));
            }

            // The real sender's link, set up through the router, carries every frame in order meanwhile.
            try (ChildJvm sender = child(dir, tier, LinkSenderMain.class, dir.toString(), "sender", "receiver",
                tier.name(), String.valueOf(ROUTED), String.valueOf(DIRECT)))
            {
                assertEquals(0, receiver.awaitExit(Duration.ofSeconds(90)),
                    receiver.describe() + "\nsender: " + sender.describe());
                final String out = receiver.stdoutText();
                assertTrue(out.contains("in order " + (ROUTED + DIRECT)), out);
                assertTrue(out.contains("accepted=1 refusedNoGrant=1"), out);
                assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender.describe());
            }
        }
    }

    private static void assumeHigh(final Tier tier)
    {
        if (tier == Tier.HIGH)
        {
            assumeTrue(UringProbe.probe().available(), UringProbe.probe().reason());
        }
    }

    private static ChildJvm startWhenReady(final ChildJvm receiver, final Path dir, final Tier tier,
        final Class<?> main, final String... args) throws IOException
    {
        awaitLine(receiver, "ready");
        return child(dir, tier, main, args);
    }

    /**
     * A child JVM with the test's class path and only the flags its tier needs (none for NORMAL: the links must work
     * in a flag-less agent).
     */
    private static ChildJvm child(final Path dir, final Tier tier, final Class<?> main, final String... args)
        throws IOException
    {
        return ChildJvm.start(dir, tier == Tier.HIGH ? JvmFlags.of(JvmFlags.Group.NATIVE) : List.of(), main, args);
    }

    /**
     * @return the first line of the child's output that starts with {@code prefix}, once there is one.
     */
    private static String awaitLine(final ChildJvm child, final String prefix)
    {
        child.await(() -> child.stdoutLines().stream().anyMatch((l) -> l.startsWith(prefix)), "a '" + prefix + "' line");
        return child.stdoutLines().stream().filter((l) -> l.startsWith(prefix)).findFirst().orElseThrow();
    }
}
