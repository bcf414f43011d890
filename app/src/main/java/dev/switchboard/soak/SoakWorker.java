/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayDeque;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.transport.OfferStatus;

/**
 * A soak work-queue consumer process: for each work item it forwards the item's (stream, sequence) to the sink by name
 * (NORMAL, retrying on any refusal) and only then acks it, so an item whose worker is killed before the ack is
 * redelivered to another worker (at least once), and an acked item has always reached the sink.
 *
 * <p>Like the senders, it has no code of its own for a router that goes away: its client reconnects, registers again
 * and consumes the queue again by itself. An item it held when the router died is still forwarded; its ack then names
 * an item of the dead router, and the new router ignores it (counted as a late ack), since that router never had it.
 * Its {@link SoakProgress} file holds only counters (reconnections, redelivered items, forwards).
 * Arguments: runtimeDir name sinkName queueName progressFile.
 *
 * <p>Thread-safety: one thread. Allocation: an array per item received (not a hot path).
 */
public final class SoakWorker
{
    private SoakWorker()
    {
    }

    /**
     * @param args runtimeDir name sinkName queueName progressFile.
     * @throws Exception when it cannot set up (the soak shows its stderr and restarts it).
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final String sinkName = args[2];
        final String queue = args[3];
        // SIGTERM, SIGINT or the soak's exit (switchboard.stop.with.parent) ends its loop
        final StopSignals signals = StopSignals.install("soak worker " + args[1]);
        try (SoakProgress progress = SoakProgress.open(Path.of(args[4])))
        {
            final SoakClients.Recorder recorder = new SoakClients.Recorder(progress);
            try (SwitchboardClient client = SoakClients.connectAndRegister(ipc, args[1], recorder, c -> c.consume(queue)))
            {
                System.out.println("consuming " + queue + " as " + client.agentId());
                System.out.flush();
                // Items as they arrive (queue id, item id, sequence), forwarded then acked outside the handler.
                final ArrayDeque<long[]> pending = new ArrayDeque<>();
                final SegmentBuffer report = SegmentBuffer.allocate(Arena.ofAuto(), 16);
                report.putLong(0, SoakStream.WORK.ordinal());
                boolean forwarded = false;
                while (!signals.isStopRequested())
                {
                    final int work = client.poll(m ->
                    {
                        if (m.pattern() == Pattern.WORK)
                        {
                            if (m.isRedelivery())
                            {
                                progress.incrementRedelivered();
                            }
                            pending.add(new long[]{m.targetId(), m.correlationId(), m.buffer().getLong(m.payloadOffset() + 8)});
                        }
                    });
                    while (!pending.isEmpty())
                    {
                        final long[] item = pending.peek();
                        if (!forwarded)
                        {
                            report.putLong(8, item[2]);
                            if (client.send(sinkName, Priority.NORMAL, report, 0, 16) != OfferStatus.OK)
                            {
                                break;
                            }
                            forwarded = true;
                            progress.incrementForwarded();
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
    }
}
