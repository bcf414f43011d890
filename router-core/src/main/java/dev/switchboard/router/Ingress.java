package dev.switchboard.router;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The router's MPSC ingress: any number of producer threads (in-process clients, socket readers) hand
 * frames to the one router duty cycle through an Agrona {@link ManyToOneRingBuffer}. Each record's type id
 * is the {@link Session#sessionId() session id} of the frame's sender, so the router knows who sent a
 * frame without trusting anything inside it.
 *
 * <p>Limits: capacity is a power of two (checked by {@link RouterContext#conclude()}); the largest frame is
 * {@link #maxMessageLength()} (capacity / 8), longer offers return {@link OfferStatus#TOO_LARGE}.
 *
 * <p><b>Waking a parked router.</b> A quiet router blocks when it has nothing to do (in a {@code Selector}, an
 * io_uring wait or {@code LockSupport.park}). Before it blocks it raises a parked word ({@link #prepareToPark()},
 * sequentially consistent store) and then looks at the ring once more; a producer, after committing its record,
 * issues a full fence and loads the word; if it is raised, the producer that wins the compare-and-set back to awake
 * runs the {@link #waker(Runnable) waker} ({@code Selector.wakeup()}, {@code LockSupport.unpark}, an eventfd write).
 * The router's store then its look, against the producer's commit then its load, is a Dekker pair: at least one
 * side sees the other, so a frame never waits for the park's timeout. An awake router costs a producer one fence
 * and one load of a word only the router writes (twice per park).
 *
 * <p>Thread-safety: {@code offer} from any thread; {@code read}, {@link #prepareToPark()} and {@link #awake()} from
 * the router thread only. Allocation: none in {@code offer} or {@code read}. No locks: producers claim space with one
 * CAS.
 */
public final class Ingress
{
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final java.lang.invoke.VarHandle PARKED_WORD;

    static
    {
        try
        {
            PARKED_WORD = java.lang.invoke.MethodHandles.lookup().findVarHandle(Ingress.class, "parked", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer buffer;
    private final CounterBlock counters;
    private final int backPressuredId = CounterIds.of(RouterCounter.INGRESS_BACK_PRESSURED);

    /** Bit of a record's type id that marks "this session closed" (the rest is the session id). */
    static final int SESSION_CLOSED_BIT = 0x4000_0000;

    /** Written by the router thread (raise, lower) and by the producer that wakes it (lower); padded by its use. */
    @SuppressWarnings("unused")
    private volatile int parked;
    private volatile Runnable waker = () ->
    {
    };

    /**
     * @param capacity data capacity in bytes, a power of two.
     * @param counters where back-pressure is counted.
     */
    public Ingress(final int capacity, final CounterBlock counters)
    {
        this.buffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new ManyToOneRingBuffer(buffer);
        this.counters = counters;
    }

    /**
     * @return largest frame accepted, in bytes.
     */
    public int maxMessageLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * Offer a frame of two parts from a session, as one record.
     *
     * @param sessionId     sender's session, at least 1.
     * @param a             first part.
     * @param aOffset       its offset.
     * @param aLength       its length.
     * @param b             second part.
     * @param bOffset       its offset.
     * @param bLength       its length.
     * @return an {@link OfferStatus}.
     */
    public int offer(
        final int sessionId,
        final DirectBuffer a,
        final int aOffset,
        final int aLength,
        final DirectBuffer b,
        final int bOffset,
        final int bLength)
    {
        final int length = aLength + bLength;
        if (sessionId < 1 || aLength < 0 || bLength < 0)
        {
            return OfferStatus.REJECTED;
        }
        if (length > ring.maxMsgLength())
        {
            return OfferStatus.TOO_LARGE;
        }
        final int index = ring.tryClaim(sessionId, length);
        if (index < 0)
        {
            counters.increment(backPressuredId);
            return OfferStatus.BACK_PRESSURED;
        }
        buffer.putBytes(index, a, aOffset, aLength);
        if (bLength > 0)
        {
            buffer.putBytes(index + aLength, b, bOffset, bLength);
        }
        ring.commit(index);
        wakeIfParked();
        return OfferStatus.OK;
    }

    /**
     * Set how a parked router is woken (router side, before it first parks).
     *
     * @param waker run by the producer that finds the router parked; must be safe from any thread and quick.
     */
    public void waker(final Runnable waker)
    {
        this.waker = waker;
    }

    /**
     * Router thread, about to block: raise the parked word. Then look at every source once more (at least
     * {@link #isEmpty()}) and block only if all are empty; call {@link #awake()} after the wait.
     */
    public void prepareToPark()
    {
        PARKED_WORD.setVolatile(this, PARKED);
    }

    /**
     * Router thread, after its wait (or instead of it): lower the parked word.
     */
    public void awake()
    {
        PARKED_WORD.setRelease(this, AWAKE);
    }

    /**
     * @return true when the router has raised its parked word and nobody has woken it yet.
     */
    public boolean isParked()
    {
        return (int)PARKED_WORD.getVolatile(this) != AWAKE;
    }

    /**
     * Producer side, after making something visible to the router (a ring commit, a new session): wake it if it is
     * parked. One full fence and one load when it is awake.
     *
     * @return true when this call woke the router.
     */
    public boolean wakeIfParked()
    {
        java.lang.invoke.VarHandle.fullFence(); // orders the commit before the load of the word (the Dekker pair)
        if ((int)PARKED_WORD.getVolatile(this) != AWAKE && PARKED_WORD.compareAndSet(this, PARKED, AWAKE))
        {
            waker.run();
            return true;
        }
        return false;
    }

    /**
     * @return true when no record waits (router thread, or a snapshot from any other).
     */
    public boolean isEmpty()
    {
        return ring.producerPosition() == ring.consumerPosition();
    }

    /**
     * Offer a frame from a session.
     *
     * @param sessionId sender's session.
     * @param src       holding the frame.
     * @param offset    of the frame.
     * @param length    of the frame.
     * @return an {@link OfferStatus}.
     */
    public int offer(final int sessionId, final DirectBuffer src, final int offset, final int length)
    {
        return offer(sessionId, src, offset, length, src, offset, 0);
    }

    /**
     * Tell the router, in order after the session's last frame, that its connection closed: frames it
     * sent before closing are still routed, then its agent is deregistered.
     *
     * @param sessionId the closed session.
     * @return an {@link OfferStatus}; retry on {@link OfferStatus#BACK_PRESSURED}.
     */
    public int offerSessionClosed(final int sessionId)
    {
        if (sessionId < 1 || sessionId >= SESSION_CLOSED_BIT)
        {
            return OfferStatus.REJECTED;
        }
        final int index = ring.tryClaim(sessionId | SESSION_CLOSED_BIT, 0);
        if (index < 0)
        {
            counters.increment(backPressuredId);
            return OfferStatus.BACK_PRESSURED;
        }
        ring.commit(index);
        wakeIfParked();
        return OfferStatus.OK;
    }

    /**
     * Read frames; a handler that returns ABORT leaves its frame at the head for the next call
     * (back-pressure from a full receiver propagates to the producers this way).
     *
     * @param handler called with (sessionId, buffer, index, length).
     * @param limit   most frames to read.
     * @return frames consumed.
     */
    int read(final ControlledMessageHandler handler, final int limit)
    {
        return ring.controlledRead(handler, limit);
    }

    /**
     * @return the underlying ring, for tools and tests.
     */
    public RingBuffer ring()
    {
        return ring;
    }

    /**
     * Unblock a record claimed by a producer that died before committing it.
     *
     * @return true when a record was unblocked.
     */
    boolean unblock()
    {
        return ring.unblock();
    }
}
