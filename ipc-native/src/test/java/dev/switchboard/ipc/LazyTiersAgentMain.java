package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;

/**
 * Child process for {@link ClientDataPlaneTest}: an agent that first uses only CRITICAL (to itself), reports whether
 * LOW's Chronicle files are open and which threads run, then sends one LOW message to itself and reports again.
 * Arguments: runtimeDir name. Prints {@code critical-only durable=<b> threads=[...]}, then
 * {@code after-low durable=<b> received=<n> threads=[...]}.
 */
public final class LazyTiersAgentMain
{
    private LazyTiersAgentMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args runtimeDir name.
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final IpcConnection connection = IpcConnection.connect(ipc);
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection)))
        {
            client.register(args[1]);
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            final int[] received = {0};
            final Destination self = client.destination(client.agentId(), Priority.CRITICAL);
            for (int i = 0; i < 1_000; i++)
            {
                while (client.send(self, payload, 0, 32) != OfferStatus.OK)
                {
                    client.poll(m -> received[0]++);
                }
                client.poll(m -> received[0]++);
            }
            System.out.println("critical-only durable=" + connection.isDurableOpen() + " threads=" + threads());
            final Destination durableSelf = client.destination(client.agentId(), Priority.LOW);
            final int status = client.send(durableSelf, payload, 0, 32);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            final int before = received[0];
            while (received[0] == before && System.nanoTime() < deadline)
            {
                client.idleStrategy().idle(client.poll(m -> received[0]++));
            }
            System.out.println("after-low status=" + OfferStatus.name(status) + " durable=" + connection.isDurableOpen() +
                " received=" + (received[0] - before) + " threads=" + threads());
            System.out.flush();
        }
    }

    /** Names of the live threads that belong to Chronicle (its disk-space monitor, housekeeping, event loops). */
    private static TreeSet<String> threads()
    {
        final TreeSet<String> names = new TreeSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            final String name = t.getName().toLowerCase(Locale.ROOT);
            if (name.contains("chronicle") || name.contains("disk") || name.contains("queue") || name.contains("~"))
            {
                names.add(t.getName());
            }
        }
        return names;
    }
}
