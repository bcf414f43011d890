/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.transport.OfferStatus;

/**
 * A soak work-queue consumer process: for each work item it forwards the item's (stream, sequence) to the sink
 * (NORMAL, retrying on back-pressure) and only then acks it, so an item whose worker is killed before the ack is
 * redelivered to another worker (at least once), and an acked item has always reached the sink.
 * Arguments: runtimeDir name sinkName queueName.
 */
public final class SoakWorker
{
    private SoakWorker()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        try (SwitchboardClient client = connectAndRegister(ipc, args[1]))
        {
            final long sinkId = awaitAgent(client, args[2]);
            client.consume(args[3]);
            System.out.println("consuming " + args[3] + " as " + client.agentId() + ", sink " + sinkId);
            System.out.flush();
            // Items as they arrive (queue id, item id, sequence), forwarded then acked outside the handler.
            final ArrayDeque<long[]> pending = new ArrayDeque<>();
            final SegmentBuffer report = SegmentBuffer.allocate(Arena.ofAuto(), 16);
            report.putLong(0, SoakStream.WORK.ordinal());
            boolean forwarded = false;
            while (true)
            {
                final int work = client.poll(m ->
                {
                    if (m.pattern() == Pattern.WORK)
                    {
                        pending.add(new long[]{m.targetId(), m.correlationId(), m.buffer().getLong(m.payloadOffset() + 8)});
                    }
                });
                while (!pending.isEmpty())
                {
                    final long[] item = pending.peek();
                    if (!forwarded)
                    {
                        report.putLong(8, item[2]);
                        if (client.send(sinkId, Priority.NORMAL, report, 0, 16) != OfferStatus.OK)
                        {
                            break;
                        }
                        forwarded = true;
                    }
                    if (client.ack(item[0], item[1], Priority.NORMAL) != OfferStatus.OK)
                    {
                        break;
                    }
                    pending.poll();
                    forwarded = false;
                }
                if (work == 0)
                {
                    Thread.sleep(0, 200_000);
                }
            }
        }
    }

    /**
     * Connect and register, retrying while the name is still held by a killed predecessor the router has not yet
     * deregistered.
     */
    static SwitchboardClient connectAndRegister(final IpcContext ipc, final String name) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            try
            {
                client.register(name, "soak");
                return client;
            }
            catch (final SwitchboardException ex)
            {
                client.close();
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(50);
            }
        }
    }

    static long awaitAgent(final SwitchboardClient client, final String name) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long id;
        while ((id = client.agentIdOf(name)) == 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no agent named " + name + " within 30 s");
            }
            Thread.sleep(20);
        }
        return id;
    }
}
