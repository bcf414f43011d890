package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * An agent process for tests: registers as {@code name}, then sends {@code count} messages to
 * {@code target} at {@code priority}, each payload a sequence number, retrying on back-pressure (never
 * dropping), then prints "sent N" and exits.
 * Arguments: runtimeDir name target priority count [lingerMs].
 */
public final class SenderAgentMain
{
    private SenderAgentMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final String name = args[1];
        final String target = args[2];
        final Priority priority = Priority.valueOf(args[3]);
        final long count = Long.parseLong(args[4]);
        final long lingerMs = args.length > 5 ? Long.parseLong(args[5]) : 0;
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register(name, "test-sender");
            System.out.println("registered " + client.agentId());
            final long targetId = client.agentIdOf(target);
            if (targetId == 0)
            {
                System.err.println("no agent named " + target);
                System.exit(2);
            }
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            final FrameClaim claim = new FrameClaim();
            // Back-pressured: poll (heartbeats, replies), then back off so the consumers get the CPU.
            final IdleStrategy backOff = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
            long backPressured = 0;
            for (long seq = 0; seq < count; )
            {
                final int status;
                if (priority == Priority.BATCH)
                {
                    // Zero copy: the payload is written in place in the receiver's inbox.
                    status = client.tryClaim(targetId, priority, 32, claim);
                    if (status == OfferStatus.OK)
                    {
                        claim.buffer().putLong(claim.payloadOffset(), seq);
                        claim.commit();
                    }
                }
                else
                {
                    payload.putLong(0, seq);
                    status = client.send(targetId, priority, payload, 0, 32);
                }
                if (status == OfferStatus.OK)
                {
                    seq++;
                    backOff.reset();
                }
                else if (status == OfferStatus.BACK_PRESSURED)
                {
                    if (backPressured++ == 0)
                    {
                        System.out.println("back-pressured first at " + seq);
                        System.out.flush();
                    }
                    client.poll(m ->
                    {
                    });
                    backOff.idle();
                }
                else
                {
                    System.err.println("send failed at " + seq + ": " + OfferStatus.name(status));
                    System.exit(3);
                }
            }
            System.out.println("sent " + count + ", back-pressured " + backPressured);
            final long end = System.currentTimeMillis() + lingerMs;
            while (System.currentTimeMillis() < end)
            {
                client.poll(m ->
                {
                });
                Thread.sleep(1);
            }
        }
    }
}
