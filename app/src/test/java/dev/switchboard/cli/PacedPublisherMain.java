/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;

/**
 * A test's agent process that keeps traffic going until it is killed: every 50 ms it publishes a few messages on a
 * topic (NORMAL, through the router's fan-out) and sends as many straight to a named agent (CRITICAL, into its inbox),
 * so that the counters of the router and of both agents rise steadily. Back-pressured offers are dropped (and
 * counted); nothing is retried.
 * Arguments: runtime directory, name, topic, receiver, messages per tick.
 */
public final class PacedPublisherMain
{
    private PacedPublisherMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final String name = args[1];
        final long topic = NameIds.of(args[2]);
        final String receiver = args[3];
        final int perTick = Integer.parseInt(args[4]);
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register(name, "test-publisher");
            long receiverId = 0;
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 64);
            System.out.println("publisher " + name + " registered (pid " + ProcessHandle.current().pid() + ")");
            System.out.flush();
            long sequence = 0;
            while (true)
            {
                if (receiverId == 0)
                {
                    receiverId = client.agentIdOf(receiver);
                }
                for (int i = 0; i < perTick; i++)
                {
                    payload.putLong(0, sequence++);
                    client.publish(topic, Priority.NORMAL, payload, 0, 64);
                    if (receiverId != 0)
                    {
                        client.send(receiverId, Priority.CRITICAL, payload, 0, 64);
                    }
                }
                final long until = System.nanoTime() + 50_000_000L;
                while (System.nanoTime() < until)
                {
                    client.poll(m ->
                    {
                    });
                    Thread.sleep(5);
                }
            }
        }
    }
}
