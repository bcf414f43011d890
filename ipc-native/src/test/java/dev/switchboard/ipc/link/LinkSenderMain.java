package dev.switchboard.ipc.link;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.Lane;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;

/**
 * A sending agent process for {@code AgentLinkCrossProcessTest}: registers {@code <name>}, finds {@code <target>},
 * sends {@code routed} numbered frames through the router (on its control socket), asks for a link on the tier and at
 * once sends {@code direct} more frames on it (numbers continuing): the receiver must see them all in order. Prints
 * {@code sent <routed> routed, <direct> direct on <tier>} and exits 0; or the reason and exits 1.
 * <p>
 * Args: dir, name, target, tier (HIGH/NORMAL), routed, direct.
 */
public final class LinkSenderMain
{
    private LinkSenderMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final String name = args[1];
        final String target = args[2];
        final Tier tier = Tier.valueOf(args[3]);
        final int routed = Integer.parseInt(args[4]);
        final int direct = Integer.parseInt(args[5]);
        final Priority priority = tier == Tier.HIGH ? Priority.HIGH : Priority.NORMAL;
        try (LinkTestAgent agent = LinkTestAgent.connect(LinkTestAgent.context(dir), name, tier == Tier.HIGH))
        {
            final long targetId = agent.awaitAgent(target, 10_000);
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            long seq = 0;
            for (int i = 0; i < routed; i++)
            {
                payload.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
                while (agent.sendRouted(targetId, priority, payload, 0, 32) == OfferStatus.BACK_PRESSURED)
                {
                    agent.poll(null, 10);
                }
                seq++;
            }
            // On the same control stream, after every routed frame: the router orders the LinkExpect behind them.
            final Lane lane = agent.requestLink(targetId, tier);
            if (lane == null)
            {
                System.out.println("link refused: " + agent.errorText());
                System.exit(1);
            }
            for (int i = 0; i < direct; i++)
            {
                payload.putLong(0, seq, ByteOrder.LITTLE_ENDIAN);
                int status;
                while ((status = lane.offer(agent.agentId(), 0, (short)0, (short)priority.value(), 0, payload, 0, 32)) ==
                    OfferStatus.BACK_PRESSURED)
                {
                    agent.poll(null, 10);
                }
                if (status != OfferStatus.OK)
                {
                    System.out.println("offer failed at " + seq + ": " + status + " " + lane);
                    System.exit(1);
                }
                seq++;
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((agent.links.isBusy() || !accepted(lane)) && System.nanoTime() < deadline && lane.isConnected())
            {
                agent.poll(null, 10);
            }
            System.out.println("sent " + routed + " routed, " + direct + " direct on " + tier + "; " + lane);
            System.out.flush();
            lane.close();
        }
        System.exit(0);
    }

    private static boolean accepted(final Lane lane)
    {
        return lane instanceof NormalLane n ? n.isAccepted() : ((HighLane)lane).isAccepted();
    }
}
