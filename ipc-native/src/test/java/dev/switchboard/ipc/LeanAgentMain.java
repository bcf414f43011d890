package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;

/**
 * An agent started with only the client's own jars on its class path (client, ipc-native, codecs, Agrona: no
 * Chronicle Queue): sends one message per priority to the named receiver and prints each send's status, one line
 * each ({@code CRITICAL OK}, {@code LOW NOT_CONNECTED}, ...). A class of Chronicle's loaded by accident would end it
 * with a {@link NoClassDefFoundError} instead.
 */
public final class LeanAgentMain
{
    private LeanAgentMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register("Lean", "test-sender");
            final long target = client.agentIdOf(args[1]);
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 16);
            for (final String name : args[2].split(","))
            {
                final Priority priority = Priority.valueOf(name);
                payload.putLong(0, priority.ordinal());
                // A first send on a tier may wait for its link to the peer (BACK_PRESSURED): poll and retry, bounded.
                final long deadline = System.nanoTime() + 10_000_000_000L;
                int status = client.send(target, priority, payload, 0, 16);
                while (status == OfferStatus.BACK_PRESSURED && System.nanoTime() < deadline)
                {
                    client.poll(m ->
                    {
                    });
                    Thread.sleep(1);
                    status = client.send(target, priority, payload, 0, 16);
                }
                System.out.println(priority + " " + OfferStatus.name(status));
            }
            System.out.flush();
            for (int i = 0; i < 50; i++)
            {
                client.poll(m ->
                {
                });
                Thread.sleep(2);
            }
        }
    }
}
