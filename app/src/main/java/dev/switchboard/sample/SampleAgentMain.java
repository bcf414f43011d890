package dev.switchboard.sample;

import dev.switchboard.ipc.ConsoleLogging;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;
import java.lang.foreign.Arena;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.ipc.shm.ParkingIdleStrategy;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.IdleStrategy;

/**
 * {@code ./switchboard agent --name NAME [--capabilities a,b] [--topic T]}: a sample agent process. It
 * registers, subscribes to a topic, answers every request with its payload (an echo), acks every work item,
 * and prints one line per second with what it received. Runs until SIGINT or SIGTERM ({@link StopSignals}): then it
 * leaves its loop (a parked agent is woken), deregisters and closes its connection (the router drops it from the
 * registry at once, not at lease expiry), prints what it received and its counters, and exits 0, within
 * {@code switchboard.stop.timeout.ms} (default 5 s; longer: exit 1). A second signal exits at once, with 130 (SIGINT) or
 * 143 (SIGTERM).
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
        ConsoleLogging.oneLinePerRecord();
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
        System.exit(run(name, capabilities, topic));
    }

    /**
     * Runs the agent until a signal.
     *
     * @param name         the agent's name.
     * @param capabilities comma-separated.
     * @param topic        the topic it subscribes to.
     * @return the exit status.
     */
    public static int run(final String name, final String capabilities, final String topic)
    {
        final StopSignals signals = StopSignals.install("switchboard agent " + name);
        final IpcConnection connection = IpcConnection.connect(new IpcContext());
        final long[] received = new long[Pattern.values().length];
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection)))
        {
            client.register(name, capabilities.split(","));
            client.subscribe(topic);
            System.out.println("agent " + name + " registered as " + Long.toHexString(client.agentId()) +
                ", subscribed to '" + topic + "' (pid " + ProcessHandle.current().pid() + "); Ctrl-C to stop");
            final SegmentBuffer reply = SegmentBuffer.allocate(Arena.ofAuto(), 64 * 1024);
            final IdleStrategy idle = client.idleStrategy();
            if (idle instanceof ParkingIdleStrategy parking)
            {
                signals.onStop(parking::wakeUp); // a parked agent sees the stop now, not at its next duty deadline
            }
            long nextReport = System.currentTimeMillis() + 1000;
            while (!signals.isStopRequested())
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
                    System.out.println(receivedLine(name, received));
                }
            }
            System.out.println("agent " + name + " stopping (" + signals.reason() + "): deregistering");
        }
        System.out.println(receivedLine(name, received));
        System.out.println("agent " + name + " stopped; counters:");
        System.out.print(SwitchboardCounters.report(new CounterBlock(connection.countersValues())));
        System.out.flush();
        signals.finished();
        return 0;
    }

    private static String receivedLine(final String name, final long[] received)
    {
        final StringBuilder sb = new StringBuilder("agent ").append(name).append(" received:");
        for (final Pattern p : Pattern.values())
        {
            if (p != Pattern.NULL_VAL && received[p.ordinal()] > 0)
            {
                sb.append(' ').append(p).append('=').append(received[p.ordinal()]);
            }
        }
        return sb.toString();
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
