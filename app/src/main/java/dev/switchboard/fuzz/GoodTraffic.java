/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
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
 * Well-behaved traffic that must keep flowing while something else attacks the router or an inbox: a sender client and
 * a receiver client, each on its own thread and its own connection to the router, the sender sending numbered
 * messages at a priority until {@link #stop} and the receiver checking that those from the sender arrive complete and
 * in order. {@link Route#DIRECT} sends to the receiver by id (CRITICAL into its inbox; HIGH and NORMAL on an
 * agent-to-agent link once granted); {@link Route#TOPIC} publishes to a topic the receiver subscribed to, so every
 * message crosses the router (NORMAL on the control socket, HIGH on the HIGH socket).
 * <p>
 * Every message the sender's {@code send} or {@code publish} accepted with {@code OK} must arrive: a gap or a
 * reordering is a failure ({@link #failure()}), unless gaps were allowed ({@link #allowGaps()}: an inbox whose records
 * the reader had to discard), and then only counted. Nothing here throws to its caller; results are values.
 * <p>
 * Thread-safety: start, stop and close from one thread; the getters from any.
 */
final class GoodTraffic implements AutoCloseable
{
    /** How the messages travel. */
    enum Route
    {
        /** To the receiver by id: its inbox (CRITICAL) or an agent-to-agent link (HIGH, NORMAL). */
        DIRECT,
        /** Published to a topic the receiver subscribed to: through the router on every tier that has it. */
        TOPIC
    }

    private static final int PAYLOAD = 32;

    private final IpcContext ipc;
    private final Priority priority;
    private final Route route;
    private final String label;
    private final String receiverName;
    private final String senderName;
    private final String topic;
    private final long topicId;
    private final int burst;
    private final long pauseNs;
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicBoolean receiving = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final CountDownLatch receiverReady = new CountDownLatch(1);
    private final AtomicLong senderId = new AtomicLong();
    private final AtomicReference<String> receiverInbox = new AtomicReference<>();
    private final AtomicBoolean gapsAllowed = new AtomicBoolean();
    private final AtomicBoolean endOnNotConnected = new AtomicBoolean();
    private final AtomicBoolean endedNotConnected = new AtomicBoolean();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong(-1);
    private volatile CounterBlock receiverCounters;
    private final Thread receiver;
    private final Thread sender;

    /**
     * @param ipc      where the router is.
     * @param priority of every message.
     * @param route    how the messages travel.
     * @param label    names the two agents ({@code <label>-receiver}, {@code <label>-sender}) and the topic.
     * @param burst    messages sent between two pauses.
     * @param pauseNs  length of a pause (the sender also polls then, to keep its lease).
     */
    GoodTraffic(
        final IpcContext ipc,
        final Priority priority,
        final Route route,
        final String label,
        final int burst,
        final long pauseNs)
    {
        this.ipc = ipc;
        this.priority = priority;
        this.route = route;
        this.label = label;
        this.receiverName = label + "-receiver";
        this.senderName = label + "-sender";
        this.topic = label + "-topic";
        this.topicId = NameIds.of(topic);
        this.burst = burst;
        this.pauseNs = pauseNs;
        this.receiver = new Thread(this::receive, label + "-receiver");
        this.sender = new Thread(this::send, label + "-sender");
    }

    /**
     * Start the receiver, wait until it registered (and subscribed), then start the sender.
     *
     * @return true when both run; false with {@link #failure()} saying why.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean start() throws InterruptedException
    {
        receiver.start();
        if (!receiverReady.await(60, TimeUnit.SECONDS))
        {
            fail(Finding.Kind.WRONG, "the good receiver did not register within 60 s");
        }
        if (failure.get() != null)
        {
            return false;
        }
        sender.start();
        return true;
    }

    /**
     * Wait until the receiver has taken at least {@code count} messages.
     *
     * @param count     messages.
     * @param timeoutMs how long to wait.
     * @return true when it has; false on the timeout or a failure.
     * @throws InterruptedException if interrupted.
     */
    boolean awaitReceived(final long count, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (received.get() < count && failure.get() == null)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return failure.get() == null;
    }

    /**
     * Stop sending, then wait until everything the sender had accepted with OK has arrived.
     *
     * @param timeoutMs how long to wait for the last messages.
     * @return what was sent and received; {@link Outcome#isWhole()} when every accepted message arrived in order.
     * @throws InterruptedException if interrupted.
     */
    Outcome stop(final long timeoutMs) throws InterruptedException
    {
        sending.set(false);
        sender.join(timeoutMs);
        final boolean arrived = awaitReceived(sent.get(), timeoutMs);
        receiving.set(false);
        receiver.join(timeoutMs);
        if (!arrived && failure.get() == null)
        {
            fail(Finding.Kind.LOSS, "only " + received.get() + " of the " + sent.get() +
                " messages accepted with OK arrived within " + timeoutMs + " ms");
        }
        return new Outcome(sent.get(), received.get(), gaps.get(), failure());
    }

    /**
     * @return the label that names its agents and topic.
     */
    String label()
    {
        return label;
    }

    /**
     * @return messages the sender had accepted with OK so far.
     */
    long sent()
    {
        return sent.get();
    }

    /**
     * @return one more than the highest sequence number received (all of them, unless gaps were allowed).
     */
    long received()
    {
        return received.get();
    }

    /**
     * @return why the traffic failed (a gap, a reordering, a send refused, an exception), or null.
     */
    String failure()
    {
        final Failure first = failure.get();
        return first == null ? null : first.text();
    }

    /**
     * @return what class of finding {@link #failure()} is: LOSS for a gap or a reordering, CRASH for an exception out
     * of a client call, WRONG for a refusal; null without a failure.
     */
    Finding.Kind failureKind()
    {
        final Failure first = failure.get();
        return first == null ? null : first.kind();
    }

    /**
     * @return " at" and the top frames of the exception's stack: where a client call threw.
     */
    private static String where(final Throwable e)
    {
        final StringBuilder where = new StringBuilder(" at");
        final StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(4, frames.length); i++)
        {
            where.append(i > 0 ? " < " : " ").append(frames[i]);
        }
        return where.toString();
    }

    private void fail(final Finding.Kind kind, final String why)
    {
        failure.compareAndSet(null, new Failure(kind, why));
    }

    /** The first failure: its class and what was seen. */
    private record Failure(Finding.Kind kind, String text)
    {
    }

    /**
     * @return the receiver's inbox file (CRITICAL), once registered.
     */
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

    /**
     * From now on a send answered {@code NOT_CONNECTED} ends the sender normally instead of failing the traffic: the
     * receiver's inbox is about to be destroyed (truncated), and the sender must be told so by a status.
     */
    void endOnNotConnected()
    {
        endOnNotConnected.set(true);
    }

    /**
     * @return true once the sender ended on a {@code NOT_CONNECTED} it was told to expect.
     */
    boolean endedNotConnected()
    {
        return endedNotConnected.get();
    }

    /**
     * From now on a gap is a loss again.
     */
    void disallowGaps()
    {
        gapsAllowed.set(false);
    }

    /**
     * @return messages skipped while gaps were allowed.
     */
    long gaps()
    {
        return gaps.get();
    }

    /**
     * @return the receiver process's counters (its connection's block, safe to read from any thread), once started.
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
        catch (final RuntimeException e)
        {
            fail(Finding.Kind.WRONG, "the good receiver cannot connect: " + e);
            receiverReady.countDown();
            return;
        }
        receiverCounters = new CounterBlock(connection.countersValues());
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection)))
        {
            client.register(receiverName, "good");
            if (route == Route.TOPIC)
            {
                client.subscribe(topic);
            }
            receiverInbox.set(connection.inboxPath());
            receiverReady.countDown();
            while (receiving.get())
            {
                client.idleStrategy().idle(client.poll(m ->
                {
                    final long from = senderId.get();
                    if (from == 0 || m.sourceAgentId() != from ||
                        m.pattern() != (route == Route.TOPIC ? Pattern.PUBLISH : Pattern.SEND))
                    {
                        return;
                    }
                    onSequence(m.buffer().getLong(m.payloadOffset()));
                }));
            }
        }
        catch (final RuntimeException | Error e)
        {
            // An Error too (an InternalError out of a poll is a fault no caller can handle): reported, not lost.
            fail(Finding.Kind.CRASH, "the good receiver failed: " + e + where(e));
            receiverReady.countDown();
        }
    }

    private void onSequence(final long seq)
    {
        final long expected = lastSeq.get() + 1;
        if (seq != expected)
        {
            if (!gapsAllowed.get() || seq < expected)
            {
                fail(Finding.Kind.LOSS, "good message " + seq + " arrived, expected " + expected +
                    (seq < expected ? " (out of order or twice)" : " (messages lost)"));
                receiving.set(false);
                return;
            }
            gaps.addAndGet(seq - expected);
        }
        lastSeq.set(seq);
        received.set(seq + 1);
    }

    private void send()
    {
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            senderId.set(client.register(senderName, "good").agentId());
            final long target = route == Route.TOPIC ? topicId : client.agentIdOf(receiverName);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
            long seq = 0;
            while (sending.get())
            {
                payload.putLong(0, seq);
                final int status = route == Route.TOPIC ? client.publish(target, priority, payload, 0, PAYLOAD) :
                    client.send(target, priority, payload, 0, PAYLOAD);
                if (status == OfferStatus.OK)
                {
                    seq++;
                    sent.set(seq);
                    if (seq % burst == 0)
                    {
                        client.poll(m ->
                        {
                        });
                        Thread.sleep(pauseNs / 1_000_000, (int)(pauseNs % 1_000_000));
                    }
                }
                else if (status == OfferStatus.BACK_PRESSURED)
                {
                    client.poll(m ->
                    {
                    });
                    Thread.onSpinWait();
                }
                else if (status == OfferStatus.NOT_CONNECTED && endOnNotConnected.get())
                {
                    endedNotConnected.set(true);
                    return;
                }
                else
                {
                    fail(Finding.Kind.WRONG, "good send refused at message " + seq + ": " +
                        OfferStatus.name(status));
                    return;
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
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException | Error e)
        {
            fail(Finding.Kind.CRASH, "the good sender failed: " + e + where(e));
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        sending.set(false);
        receiving.set(false);
        if (sender.isAlive())
        {
            sender.join(10_000);
        }
        if (receiver.isAlive())
        {
            receiver.join(10_000);
        }
    }

    /**
     * What well-behaved traffic did.
     *
     * @param sent     messages accepted with OK.
     * @param received one more than the highest sequence number received.
     * @param gaps     messages skipped where gaps were allowed.
     * @param failure  why the traffic failed, or null.
     */
    record Outcome(long sent, long received, long gaps, String failure)
    {
        /**
         * @return true when every message accepted with OK arrived, in order (gaps where allowed aside).
         */
        boolean isWhole()
        {
            return failure == null && received == sent;
        }
    }
}
