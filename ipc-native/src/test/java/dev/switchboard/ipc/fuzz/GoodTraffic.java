/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.ipc.fuzz;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Well-behaved traffic that must keep flowing while something else attacks the router: a sender client and a
 * receiver client, each on its own thread and its own connection to the router, the sender sending numbered SEND
 * messages at a priority until {@link #stop()} and the receiver checking that those from the sender arrive complete
 * and in order. Thread-safety: start and stop from one thread.
 */
final class GoodTraffic implements AutoCloseable
{
    private final IpcContext ipc;
    private final Priority priority;
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicBoolean receiving = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch receiverReady = new CountDownLatch(1);
    private final AtomicLong senderId = new AtomicLong();
    private final AtomicReference<String> receiverInbox = new AtomicReference<>();
    private final AtomicBoolean gapsAllowed = new AtomicBoolean();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong(-1);
    private volatile CounterBlock receiverCounters;
    private final Thread receiver;
    private final Thread sender;

    GoodTraffic(final IpcContext ipc, final Priority priority)
    {
        this.ipc = ipc;
        this.priority = priority;
        this.receiver = new Thread(this::receive, "good-receiver");
        this.sender = new Thread(this::send, "good-sender");
    }

    void start() throws InterruptedException
    {
        receiver.start();
        if (!receiverReady.await(30, TimeUnit.SECONDS))
        {
            throw new AssertionError("receiver did not register: " + failure.get());
        }
        sender.start();
    }

    /**
     * Block until the receiver has taken at least {@code count} messages.
     */
    void awaitReceived(final long count, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (received.get() < count && failure.get() == null)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("good traffic stalled at " + received.get() + " received, " + sent.get() +
                    " sent", failure.get());
            }
            Thread.sleep(1);
        }
        if (failure.get() != null)
        {
            throw new AssertionError("good traffic failed", failure.get());
        }
    }

    /**
     * Stop sending, then wait until everything sent has arrived.
     *
     * @return messages sent (all of which arrived, in order).
     */
    long stop() throws InterruptedException
    {
        sending.set(false);
        sender.join(30_000);
        awaitReceived(sent.get(), 30_000);
        receiving.set(false);
        receiver.join(30_000);
        if (failure.get() != null)
        {
            throw new AssertionError("good traffic failed", failure.get());
        }
        return sent.get();
    }

    /**
     * @return one more than the highest sequence number received (all of them, unless gaps were allowed).
     */
    long received()
    {
        return received.get();
    }

    String receiverInbox()
    {
        return receiverInbox.get();
    }

    /**
     * From now on a sequence number may skip ahead (messages discarded with a corrupt inbox), never go back.
     */
    void allowGaps()
    {
        gapsAllowed.set(true);
    }

    long gaps()
    {
        return gaps.get();
    }

    /**
     * @return the receiver process's counters (its connection's shared block, safe to read from any thread).
     */
    CounterBlock receiverCounters()
    {
        return receiverCounters;
    }

    private void receive()
    {
        final IpcConnection connection;
        try
        {
            connection = IpcConnection.connect(ipc);
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
            receiverReady.countDown();
            return;
        }
        receiverCounters = new CounterBlock(connection.countersValues());
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection)))
        {
            client.register("Receiver", "good");
            receiverInbox.set(connection.inboxPath());
            receiverReady.countDown();
            while (receiving.get())
            {
                final int work = client.poll(m ->
                {
                    if (m.pattern() != Pattern.SEND || m.sourceAgentId() != senderId.get() || senderId.get() == 0)
                    {
                        return;
                    }
                    final long seq = m.buffer().getLong(m.payloadOffset());
                    final long expected = lastSeq.get() + 1;
                    if (seq != expected)
                    {
                        if (!gapsAllowed.get() || seq < expected)
                        {
                            throw new IllegalStateException("good message " + seq + " arrived, expected " + expected);
                        }
                        gaps.addAndGet(seq - expected);
                    }
                    lastSeq.set(seq);
                    received.set(seq + 1);
                });
                client.idleStrategy().idle(work);
            }
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
            receiverReady.countDown();
        }
    }

    private void send()
    {
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            senderId.set(client.register("Sender", "good").agentId());
            final long target = client.agentIdOf("Receiver");
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            long seq = 0;
            while (sending.get())
            {
                payload.putLong(0, seq);
                final int status = client.send(target, priority, payload, 0, 32);
                if (status == OfferStatus.OK)
                {
                    seq++;
                    sent.set(seq);
                    if ((seq & 63) == 0)
                    {
                        Thread.sleep(0, 200_000);
                    }
                }
                else if (status == OfferStatus.BACK_PRESSURED)
                {
                    client.poll(m ->
                    {
                    });
                    Thread.onSpinWait();
                }
                else
                {
                    throw new IllegalStateException("good send failed at " + seq + ": " + OfferStatus.name(status));
                }
            }
            // Let heartbeats and replies flow while the receiver catches up.
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() < until)
            {
                client.poll(m ->
                {
                });
                Thread.sleep(1);
            }
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        sending.set(false);
        receiving.set(false);
        sender.join(10_000);
        receiver.join(10_000);
    }
}
