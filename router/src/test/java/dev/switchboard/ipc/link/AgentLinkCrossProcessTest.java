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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.uring.UringProbe;
import dev.switchboard.router.RouterContext;
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
                try (Child receiver = Child.start(dir, tier, LinkReceiverMain.class, dir.toString(), receiverName,
                    String.valueOf(ROUTED + DIRECT), String.valueOf(tier == Tier.HIGH), "60000");
                    Child sender = startWhenReady(receiver, tier, LinkSenderMain.class, dir.toString(), "sender-" + pair,
                        receiverName, tier.name(), String.valueOf(ROUTED), String.valueOf(DIRECT)))
                {
                    assertEquals(0, receiver.waitFor(90_000), "pair " + pair + ": " + receiver.output() + "\nsender: " +
                        sender.output());
                    final String out = receiver.output();
                    assertTrue(out.contains("in order " + (ROUTED + DIRECT) + " routed=" + ROUTED + " direct=" + DIRECT),
                        "pair " + pair + ": " + out);
                    assertTrue(out.contains("accepted=1 refusedNoGrant=0 refusedPeer=0 rejected=0"), out);
                    assertEquals(0, sender.waitFor(30_000), sender.output());
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
            Child receiver = Child.start(dir, tier, LinkReceiverMain.class, dir.toString(), "receiver",
                String.valueOf(ROUTED + DIRECT), String.valueOf(tier == Tier.HIGH), "60000"))
        {
            final String ready = receiver.awaitLine("ready", 30_000);
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
            try (Child sender = Child.start(dir, tier, LinkSenderMain.class, dir.toString(), "sender", "receiver",
                tier.name(), String.valueOf(ROUTED), String.valueOf(DIRECT)))
            {
                assertEquals(0, receiver.waitFor(90_000), receiver.output() + "\nsender: " + sender.output());
                final String out = receiver.output();
                assertTrue(out.contains("in order " + (ROUTED + DIRECT)), out);
                assertTrue(out.contains("accepted=1 refusedNoGrant=1"), out);
                assertEquals(0, sender.waitFor(30_000), sender.output());
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

    private static Child startWhenReady(final Child receiver, final Tier tier, final Class<?> main, final String... args)
        throws IOException, InterruptedException
    {
        receiver.awaitLine("ready", 30_000);
        return Child.start(receiver.dir, tier, main, args);
    }

    /**
     * A child JVM with the test's class path and only the flag its tier needs (none for NORMAL: the links must work
     * in a flag-less agent). Output to a file; killed on close if still running.
     */
    private static final class Child implements AutoCloseable
    {
        final Process process;
        final Path out;
        final Path dir;

        private Child(final Process process, final Path out, final Path dir)
        {
            this.process = process;
            this.out = out;
            this.dir = dir;
        }

        static Child start(final Path dir, final Tier tier, final Class<?> main, final String... args) throws IOException
        {
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElseThrow());
            if (tier == Tier.HIGH)
            {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
            command.addAll(List.of(args));
            final Path out = Files.createTempFile(dir, main.getSimpleName(), ".out");
            final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("_JAVA_OPTIONS");
            return new Child(pb.start(), out, dir);
        }

        String awaitLine(final String prefix, final long timeoutMs) throws IOException, InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (System.nanoTime() < deadline)
            {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(out),
                    StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = r.readLine()) != null)
                    {
                        if (line.startsWith(prefix))
                        {
                            return line;
                        }
                    }
                }
                if (!process.isAlive())
                {
                    fail("child exited (" + process.exitValue() + ") before '" + prefix + "': " + output());
                }
                Thread.sleep(20);
            }
            fail("no '" + prefix + "' line within " + timeoutMs + " ms: " + output());
            return null;
        }

        int waitFor(final long timeoutMs) throws InterruptedException
        {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                fail("child did not exit within " + timeoutMs + " ms: " + output());
            }
            return process.exitValue();
        }

        String output()
        {
            try
            {
                return Files.readString(out, StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                return "(unreadable: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
