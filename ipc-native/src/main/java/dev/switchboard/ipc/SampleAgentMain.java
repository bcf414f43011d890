package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.IdleStrategy;

/**
 * {@code ./switchboard agent --name NAME [--capabilities a,b] [--topic T]}: a sample agent process. It
 * registers, subscribes to a topic, answers every request with its payload (an echo), acks every work item,
 * and prints one line per second with what it received. Runs until SIGINT or SIGTERM.
 */
public final class SampleAgentMain
{
    private SampleAgentMain()
    {
    }

    /**
     * @param args {@code --name NAME [--capabilities a,b] [--topic T]}.
     */
    public static void main(final String[] args)
    {
        String name = null;
        String capabilities = "sample";
        String topic = "demo";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--name" -> name = value(args, ++i);
                case "--capabilities" -> capabilities = value(args, ++i);
                case "--topic" -> topic = value(args, ++i);
                default ->
                {
                    System.err.println("switchboard agent: unknown option '" + args[i] +
                        "'; usage: agent --name NAME [--capabilities a,b] [--topic T]");
                    System.exit(2);
                }
            }
        }
        if (name == null)
        {
            System.err.println("switchboard agent: --name is required; usage: agent --name NAME [--capabilities a,b]");
            System.exit(2);
        }
        final AtomicBoolean running = new AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false)));
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(new IpcContext()))))
        {
            client.register(name, capabilities.split(","));
            client.subscribe(topic);
            System.out.println("agent " + name + " registered as " + Long.toHexString(client.agentId()) +
                ", subscribed to '" + topic + "'");
            final SegmentBuffer reply = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
            final long[] received = new long[Pattern.values().length];
            final IdleStrategy idle = client.idleStrategy();
            long nextReport = System.currentTimeMillis() + 1000;
            while (running.get())
            {
                final int work = client.poll(m ->
                {
                    received[m.pattern().ordinal()]++;
                    if (m.pattern() == Pattern.REQUEST)
                    {
                        final int n = Math.min(m.payloadLength(), reply.capacity());
                        m.buffer().getBytes(m.payloadOffset(), reply, 0, n);
                        while (client.respond(m, reply, 0, n) == OfferStatus.BACK_PRESSURED)
                        {
                            Thread.onSpinWait();
                        }
                    }
                    else if (m.pattern() == Pattern.WORK)
                    {
                        client.ack(m);
                    }
                });
                idle.idle(work);
                if (System.currentTimeMillis() >= nextReport)
                {
                    nextReport += 1000;
                    final StringBuilder sb = new StringBuilder("agent ").append(name).append(" received:");
                    for (final Pattern p : Pattern.values())
                    {
                        if (p != Pattern.NULL_VAL && received[p.ordinal()] > 0)
                        {
                            sb.append(' ').append(p).append('=').append(received[p.ordinal()]);
                        }
                    }
                    System.out.println(sb);
                }
            }
        }
    }

    private static String value(final String[] args, final int i)
    {
        if (i >= args.length)
        {
            System.err.println("switchboard agent: option " + args[i - 1] + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
