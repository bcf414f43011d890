/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import java.nio.file.Path;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Pattern;

/**
 * A test agent process that consumes a work queue and never acks: it prints "got N" after each item (so the test
 * knows what it holds) and reads, but does not ack, until it is killed. Arguments: runtimeDir name queue.
 */
public final class HoldingConsumerMain
{
    private HoldingConsumerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register(args[1], "test-holder");
            client.consume(args[2]);
            System.out.println("consuming");
            System.out.flush();
            final long[] held = {0};
            while (true)
            {
                client.poll(m ->
                {
                    if (m.pattern() == Pattern.WORK)
                    {
                        held[0]++;
                        System.out.println("got " + held[0]);
                        System.out.flush();
                    }
                });
                Thread.sleep(1);
            }
        }
    }
}
