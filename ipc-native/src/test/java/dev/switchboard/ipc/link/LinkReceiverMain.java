package dev.switchboard.ipc.link;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.counters.RouterCounter;

/**
 * A receiving agent process for {@code AgentLinkCrossProcessTest}: registers {@code <name>} with an inbox, announces its
 * link sockets, then takes frames (routed on the control socket, direct on links) until {@code <count>} arrived,
 * checking that their sequence numbers run 0, 1, 2... in delivery order whatever path each took. Prints
 * {@code ready <endpoints>}, then {@code in order <n> routed=<r> direct=<d>} and its link counters, and exits 0; or
 * {@code REORDER ...} / a timeout and exits 1.
 * <p>
 * Args: dir, name, count, high (true/false), timeoutMs.
 */
public final class LinkReceiverMain
{
    private LinkReceiverMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final String name = args[1];
        final long count = Long.parseLong(args[2]);
        final boolean high = Boolean.parseBoolean(args[3]);
        final long timeoutMs = Long.parseLong(args[4]);
        try (LinkTestAgent agent = LinkTestAgent.connect(LinkTestAgent.context(dir), name, high))
        {
            if (!agent.listen())
            {
                System.out.println("listen refused: " + agent.errorText());
                System.exit(1);
            }
            System.out.println("ready " + agent.links.normalEndpoint() + " " + agent.links.highEndpoint());
            System.out.flush();
            final long[] next = {0};
            final long[] routed = {0};
            final long[] direct = {0};
            final String[] problem = {null};
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (next[0] < count && problem[0] == null)
            {
                agent.poll((isDirect, buffer, offset, length) ->
                {
                    final long seq = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                    if (seq != next[0] && problem[0] == null)
                    {
                        problem[0] = "REORDER at " + next[0] + ": got " + seq + (isDirect ? " on the link" :
                            " through the router") + " (routed so far " + routed[0] + ", direct " + direct[0] + ")";
                    }
                    next[0]++;
                    if (isDirect)
                    {
                        direct[0]++;
                    }
                    else
                    {
                        routed[0]++;
                    }
                }, 256);
                if (System.nanoTime() - deadline > 0)
                {
                    problem[0] = "TIMEOUT after " + next[0] + " of " + count + " (routed " + routed[0] + ", direct " +
                        direct[0] + "); " + agent.links;
                }
            }
            System.out.println(problem[0] != null ? problem[0] :
                "in order " + next[0] + " routed=" + routed[0] + " direct=" + direct[0]);
            System.out.println("accepted=" + agent.counter(RouterCounter.LINK_CLAIMS_ACCEPTED) + " refusedNoGrant=" +
                agent.counter(RouterCounter.LINK_REFUSED_NO_GRANT) + " refusedPeer=" +
                agent.counter(RouterCounter.LINK_REFUSED_PEER) + " rejected=" +
                agent.counter(RouterCounter.LINK_FRAMES_REJECTED));
            System.out.flush();
            // Linger a little so that a sender still writing sees an orderly close, not a reset mid-frame.
            final long linger = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < linger)
            {
                agent.poll((isDirect, buffer, offset, length) -> { }, 256);
            }
            System.exit(problem[0] == null ? 0 : 1);
        }
    }
}
