/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.transport.OfferStatus;

/**
 * A soak sender process: sends one {@link SoakStream}'s sequence numbers to the sink (or enqueues them as work
 * items) at a fixed rate until it is killed, recording each attempt and each OK in its {@link SoakProgress} file and
 * starting, when restarted, after the last one. Back-pressure is retried (never dropped) and counted.
 * When the stop file appears it stops, closes its client (which flushes what its socket buffer holds) and exits 0.
 * Arguments: runtimeDir progressFile stream ratePerSecond sinkName queueName stopFile.
 */
public final class SoakSender
{
    private SoakSender()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final SoakStream stream = SoakStream.valueOf(args[2]);
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / Math.max(1, Long.parseLong(args[3]));
        final String sinkName = args[4];
        final long queueId = NameIds.of(args[5]);
        final Path stopFile = Path.of(args[6]);
        try (SoakProgress progress = SoakProgress.open(Path.of(args[1]));
            SwitchboardClient client = SoakWorker.connectAndRegister(ipc, "soak-sender-" + stream.name().toLowerCase()))
        {
            final long sinkId = SoakWorker.awaitAgent(client, sinkName);
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 16);
            payload.putLong(0, stream.ordinal());
            long backPressured = progress.backPressured();
            long seq = progress.nextSequence();
            System.out.println("sending " + stream + " from " + seq);
            System.out.flush();
            long nextSendNs = System.nanoTime();
            long nextStopCheckNs = nextSendNs;
            while (true)
            {
                if (System.nanoTime() - nextStopCheckNs >= 0)
                {
                    if (Files.exists(stopFile))
                    {
                        break;
                    }
                    nextStopCheckNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                }
                final long waitNs = nextSendNs - System.nanoTime();
                if (waitNs > 0)
                {
                    client.poll(m ->
                    {
                    });
                    LockSupport.parkNanos(Math.min(waitNs, TimeUnit.MILLISECONDS.toNanos(1)));
                    continue;
                }
                payload.putLong(8, seq);
                progress.attempt(seq);
                final int status = stream == SoakStream.WORK ?
                    client.enqueue(queueId, stream.priority(), payload, 0, 16) :
                    client.send(sinkId, stream.priority(), payload, 0, 16);
                if (status == OfferStatus.OK)
                {
                    progress.confirm(seq);
                    seq++;
                    nextSendNs += intervalNs;
                    if ((seq & 63) == 0)
                    {
                        client.poll(m ->
                        {
                        });
                    }
                }
                else if (status == OfferStatus.BACK_PRESSURED)
                {
                    progress.backPressured(++backPressured);
                    client.poll(m ->
                    {
                    });
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                }
                else
                {
                    System.err.println("send " + stream + " " + seq + ": " + OfferStatus.name(status) + "; retrying");
                    client.poll(m ->
                    {
                    });
                    Thread.sleep(10);
                }
            }
            System.out.println("stopped before " + seq);
        }
    }
}
