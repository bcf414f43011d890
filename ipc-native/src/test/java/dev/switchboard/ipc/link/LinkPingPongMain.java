package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;

/**
 * One side of the link round-trip benchmark ({@code LinkRttBenchmark}), a process of its own. Both sides busy-spin.
 * <ul>
 *   <li>{@code raw-server <socket> <dir>} / {@code raw-client <socket> <warmup> <samples> <count> <dir>}: the raw peer,
 *       a {@code java.nio} Unix socket ping-pong of 32-byte messages, non-blocking, spinning on {@code read};
 *       {@code rawb-server}/{@code rawb-client}: the same with blocking reads.</li>
 *   <li>{@code link-pong <dir> <round> <tier>} / {@code link-ping <dir> <round> <tier> <warmup> <samples> <count>}:
 *       two agents with a link each way (granted by the router the benchmark runs), ping-pong of 32-byte payloads.</li>
 * </ul>
 * The measuring side prints {@code rtt p50 p99 p999 samples}. Then, for the syscall count, each side prints
 * {@code tid <n>} (its spinning thread); the measuring side waits for {@code <dir>/go-<round>}, marks the start with
 * one {@code access("mark-begin")}, makes {@code count} more round trips, marks the end ({@code mark-end}) and prints
 * {@code counted}; the benchmark traces both threads meanwhile and counts what lies between the marks.
 */
public final class LinkPingPongMain
{
    private static final int MESSAGE = 32;
    private static final long CONTROL_SPINS = (1 << 22) - 1;

    private LinkPingPongMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "raw-server" -> rawServer(Path.of(args[1]), Path.of(args[2]), false);
            case "raw-client" -> rawClient(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Path.of(args[5]), false, args[6]);
            case "rawb-server" -> rawServer(Path.of(args[1]), Path.of(args[2]), true);
            case "rawb-client" -> rawClient(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Path.of(args[5]), true, args[6]);
            case "link-pong" -> linkPong(Path.of(args[1]), args[2], Tier.valueOf(args[3]));
            case "link-ping" -> linkPing(Path.of(args[1]), args[2], Tier.valueOf(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Raw java.nio peer

    private static void rawServer(final Path socket, final Path dir, final boolean blocking)
        throws IOException, InterruptedException
    {
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            System.out.println("ready");
            System.out.flush();
            try (SocketChannel channel = server.accept())
            {
                channel.configureBlocking(blocking);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
                printTid();
                while (true)
                {
                    buffer.clear();
                    while (buffer.hasRemaining())
                    {
                        if (channel.read(buffer) < 0)
                        {
                            return;
                        }
                    }
                    buffer.flip();
                    while (buffer.hasRemaining())
                    {
                        channel.write(buffer);
                    }
                }
            }
        }
    }

    private static void rawClient(
        final Path socket, final int warmup, final int samples, final int count, final Path dir, final boolean blocking,
        final String round)
        throws IOException, InterruptedException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(blocking);
            final ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
            final long[] rtt = new long[samples];
            for (int i = 0; i < warmup + samples; i++)
            {
                final long t0 = System.nanoTime();
                rawRoundTrip(channel, buffer, i);
                if (i >= warmup)
                {
                    rtt[i - warmup] = System.nanoTime() - t0;
                }
            }
            report(rtt);
            printTid();
            awaitGo(dir, round);
            mark(dir, "begin");
            for (int i = 0; i < count; i++)
            {
                rawRoundTrip(channel, buffer, i);
            }
            mark(dir, "end");
            System.out.println("counted");
            System.out.flush();
            Thread.sleep(1000);
        }
    }

    private static void rawRoundTrip(final SocketChannel channel, final ByteBuffer buffer, final long seq)
        throws IOException
    {
        buffer.clear();
        buffer.putLong(0, seq);
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new IOException("server gone");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Agent links

    private static void linkPong(final Path dir, final String round, final Tier tier) throws Exception
    {
        try (LinkTestAgent agent = LinkTestAgent.connect(LinkTestAgent.context(dir), "pong-" + round, tier == Tier.HIGH))
        {
            agent.listen();
            final long ping = agent.awaitAgent("ping-" + round, 30_000);
            final Lane lane = openWhenListening(agent, ping, tier);
            final long self = agent.agentId();
            final boolean[] stop = {false};
            final LinkTestAgent.DataHandler echo = (direct, buffer, offset, length) ->
            {
                if (buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) < 0)
                {
                    stop[0] = true;
                }
                while (lane.offer(self, 0, (short)0, (short)0, 0, buffer, offset, length) == OfferStatus.BACK_PRESSURED)
                {
                    lane.flush();
                }
            };
            final org.agrona.concurrent.MessageHandler direct = (typeId, buffer, index, length) -> echo.onData(true,
                buffer, index + DirectFrames.HEADER_LENGTH, length - DirectFrames.HEADER_LENGTH);
            awaitBothWays(agent, lane, echo); // ping may start before this side sees both links up: echo meanwhile
            System.out.println("ready");
            System.out.flush();
            printTid();
            long spins = 0;
            while (!stop[0] && lane.isConnected())
            {
                // The data path only: the links' poll. The control socket and the duty slice rarely (their syscalls
                // would count against the links; under strace a round trip is ~10^4 spins, so ~1 in 400 round trips).
                agent.links.poll(direct, 16);
                if ((++spins & CONTROL_SPINS) == 0)
                {
                    agent.poll(echo, 16);
                }
            }
        }
    }

    private static void linkPing(
        final Path dir, final String round, final Tier tier, final int warmup, final int samples, final int count)
        throws Exception
    {
        try (LinkTestAgent agent = LinkTestAgent.connect(LinkTestAgent.context(dir), "ping-" + round, tier == Tier.HIGH))
        {
            agent.listen();
            final long pong = agent.awaitAgent("pong-" + round, 30_000);
            final Lane lane = openWhenListening(agent, pong, tier);
            final long self = agent.agentId();
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), MESSAGE);
            final long[] got = {-1};
            final LinkTestAgent.DataHandler onEcho = (direct, buffer, offset, length) ->
                got[0] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            final org.agrona.concurrent.MessageHandler onDirect = (typeId, buffer, index, length) ->
                got[0] = buffer.getLong(index + DirectFrames.HEADER_LENGTH, ByteOrder.LITTLE_ENDIAN);
            awaitBothWays(agent, lane, onEcho);
            final long[] rtt = new long[samples];
            for (int i = 0; i < warmup + samples; i++)
            {
                final long t0 = System.nanoTime();
                linkRoundTrip(agent, lane, self, payload, onDirect, onEcho, got, i);
                if (i >= warmup)
                {
                    rtt[i - warmup] = System.nanoTime() - t0;
                }
            }
            report(rtt);
            printTid();
            awaitGo(dir, round);
            mark(dir, "begin");
            for (int i = 0; i < count; i++)
            {
                linkRoundTrip(agent, lane, self, payload, onDirect, onEcho, got, warmup + samples + i);
            }
            mark(dir, "end");
            System.out.println("counted");
            System.out.flush();
            Thread.sleep(1000);
            payload.putLong(0, -1, ByteOrder.LITTLE_ENDIAN);
            lane.offer(self, 0, (short)0, (short)0, 0, payload, 0, MESSAGE);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline)
            {
                agent.poll(onEcho, 16);
            }
        }
    }

    private static void linkRoundTrip(
        final LinkTestAgent agent,
        final Lane lane,
        final long self,
        final SegmentBuffer payload,
        final org.agrona.concurrent.MessageHandler onDirect,
        final LinkTestAgent.DataHandler onEcho,
        final long[] got,
        final long seq)
    {
        payload.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
        while (lane.offer(self, 0, (short)0, (short)0, 0, payload, 0, MESSAGE) == OfferStatus.BACK_PRESSURED)
        {
            agent.links.poll(onDirect, 16);
        }
        long spins = 0;
        long since = 0;
        while (got[0] != seq)
        {
            agent.links.poll(onDirect, 16);
            if ((++spins & CONTROL_SPINS) == 0)
            {
                agent.poll(onEcho, 16); // it may deliver the echo too: hand it to the same handler
                final long now = System.nanoTime();
                if (since == 0)
                {
                    since = now;
                }
                else if (now - since > 5_000_000_000L)
                {
                    System.out.println("STUCK waiting for " + seq + " (last got " + got[0] + "): " + lane + " " +
                        agent.links);
                    System.out.flush();
                    since = now + 3_600_000_000_000L;
                }
            }
        }
    }

    /** Both links up: this side's lane admitted by the other, and the other's link admitted here. */
    private static void awaitBothWays(final LinkTestAgent agent, final Lane lane, final LinkTestAgent.DataHandler data)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.links.activeLinks() == 0 || !(lane instanceof NormalLane n ? n.isAccepted() :
            ((HighLane)lane).isAccepted()))
        {
            agent.poll(data, 16);
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("links not up both ways: " + agent.links);
            }
        }
    }

    /** The other side may not have announced its sockets yet: retry the request for a while. */
    private static Lane openWhenListening(final LinkTestAgent agent, final long target, final Tier tier)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final Lane lane = agent.requestLink(target, tier);
            if (lane != null)
            {
                return lane;
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no link: " + agent.errorText());
            }
            Thread.sleep(20);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void report(final long[] rtt)
    {
        Arrays.sort(rtt);
        System.out.println("rtt " + rtt[rtt.length / 2] + " " + rtt[(int)(rtt.length * 0.99)] + " " +
            rtt[(int)(rtt.length * 0.999)] + " " + rtt.length);
        System.out.flush();
    }

    private static void printTid() throws IOException
    {
        final String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        System.out.println("tid " + self.substring(self.lastIndexOf('/') + 1));
        System.out.flush();
    }

    /** A syscall the trace can find: the counted round trips are the syscalls between two of these. */
    private static void mark(final Path dir, final String what)
    {
        Files.exists(dir.resolve("mark-" + what));
    }

    private static void awaitGo(final Path dir, final String round) throws InterruptedException
    {
        final Path go = dir.resolve("go-" + round);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
    }
}
