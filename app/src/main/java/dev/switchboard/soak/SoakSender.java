/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.client.Destination;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.transport.OfferStatus;

/**
 * A soak sender process: sends one {@link SoakStream}'s sequence numbers to the sink, publishes them to the soak's
 * topic or enqueues them as work items, at a fixed rate until it is killed, recording each attempt and each OK in its
 * {@link SoakProgress} file and starting, when restarted, after the last one. A refused send (BACK_PRESSURED,
 * NOT_CONNECTED) is retried with the same number, never dropped, and counted.
 *
 * <p>Point-to-point streams send through a {@link Destination} resolved by name (the hot path: the sink's inbox, its
 * durable queue or a link to it, direct from the first message); a send that answers NOT_CONNECTED (the path is gone:
 * the receiver left, or, after a reconnection, a link or durable destination from before) resolves it again before the
 * next try, as any application does when its receiver goes. It has no code of its own
 * for a router that goes away: its client reconnects, registers again and forgets the old router's ids by itself (on
 * by default, {@link dev.switchboard.client.ClientContext#reconnect()}); destinations resolved before keep the inboxes
 * and links they opened. Its {@link SoakClients.Recorder} only counts what the client tells it. When the stop file
 * appears it stops, closes its client (which flushes what its socket buffer holds) and exits 0.
 * Arguments: runtimeDir progressFile stream ratePerSecond sinkName queueName topicName stopFile.
 *
 * <p>Thread-safety: one thread. Allocation: none per message.
 */
public final class SoakSender
{
    private SoakSender()
    {
    }

    /**
     * @param args runtimeDir progressFile stream ratePerSecond sinkName queueName topicName stopFile.
     * @throws Exception when it cannot set up (the soak shows its stderr and restarts it).
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final SoakStream stream = SoakStream.valueOf(args[2]);
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / Math.max(1, Long.parseLong(args[3]));
        final String sinkName = args[4];
        final long queueId = NameIds.of(args[5]);
        final long topicId = NameIds.of(args[6]);
        final Path stopFile = Path.of(args[7]);
        // SIGTERM, SIGINT or the soak's exit (switchboard.stop.with.parent) stops it like the stop file does
        final StopSignals signals = StopSignals.install("soak sender " + args[2]);
        final MessageHandler ignore = m ->
        {
        };
        try (SoakProgress progress = SoakProgress.open(Path.of(args[1])))
        {
            final SoakClients.Recorder recorder = new SoakClients.Recorder(progress);
            try (SwitchboardClient client = SoakClients.connectAndRegister(ipc,
                "soak-sender-" + stream.name().toLowerCase(Locale.ROOT), recorder, c ->
                {
                }))
            {
                final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 16);
                payload.putLong(0, stream.ordinal());
                long backPressured = progress.backPressured();
                long seq = progress.nextSequence();
                System.out.println("sending " + stream + " from " + seq);
                System.out.flush();
                long nextSendNs = System.nanoTime();
                long nextStopCheckNs = nextSendNs;
                int lastRefusal = OfferStatus.OK;
                Destination destination = null;
                while (true)
                {
                    if (System.nanoTime() - nextStopCheckNs >= 0)
                    {
                        if (Files.exists(stopFile) || signals.isStopRequested())
                        {
                            break;
                        }
                        nextStopCheckNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                    }
                    final long waitNs = nextSendNs - System.nanoTime();
                    if (waitNs > 0)
                    {
                        client.poll(ignore);
                        LockSupport.parkNanos(Math.min(waitNs, TimeUnit.MILLISECONDS.toNanos(1)));
                        continue;
                    }
                    payload.putLong(8, seq);
                    progress.attempt(seq);
                    if (stream.kind() == SoakStream.Kind.SEND && destination == null)
                    {
                        destination = resolve(client, sinkName, stream);
                    }
                    final int status = switch (stream.kind())
                    {
                        case SEND -> destination == null ? OfferStatus.NOT_CONNECTED :
                            client.send(destination, payload, 0, 16);
                        case PUBLISH -> client.publish(topicId, stream.priority(), payload, 0, 16);
                        case ENQUEUE -> client.enqueue(queueId, stream.priority(), payload, 0, 16);
                    };
                    if (status != OfferStatus.OK && status != OfferStatus.BACK_PRESSURED)
                    {
                        destination = null; // the sink's path is gone: resolve it again (the next try)
                    }
                    if (status == OfferStatus.OK)
                    {
                        progress.confirm(seq);
                        recorder.onSendOk();
                        seq++;
                        nextSendNs += intervalNs;
                        lastRefusal = OfferStatus.OK;
                        if ((seq & 63) == 0)
                        {
                            client.poll(ignore);
                        }
                    }
                    else if (status == OfferStatus.BACK_PRESSURED)
                    {
                        progress.backPressured(++backPressured);
                        client.poll(ignore);
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                    }
                    else
                    {
                        progress.incrementNotConnected();
                        if (status != lastRefusal)
                        {
                            System.err.println(SoakClients.now() + " send " + stream + " " + seq + ": " + OfferStatus.name(status) +
                                "; retrying every 10 ms");
                            lastRefusal = status;
                        }
                        client.poll(ignore);
                        Thread.sleep(10);
                    }
                    if (nextSendNs - System.nanoTime() < -TimeUnit.SECONDS.toNanos(1))
                    {
                        // Back from an outage: resume at the rate, no burst to catch up.
                        nextSendNs = System.nanoTime();
                    }
                }
                System.out.println("stopped before " + seq);
            }
        }
    }

    /**
     * The sink's destination at the stream's priority: its inbox, its durable queue, or a link to it, resolved once
     * (a control call), so that the stream's path is direct from its first message.
     *
     * @return the destination, or null when there is no router or no sink to resolve it with now (retried).
     */
    private static Destination resolve(final SwitchboardClient client, final String sinkName, final SoakStream stream)
    {
        try
        {
            final Destination d = client.destination(sinkName, stream.priority());
            System.out.println(SoakClients.now() + " resolved " + d);
            return d;
        }
        catch (final SwitchboardException ex)
        {
            return null;
        }
    }
}
