package dev.switchboard.ipc.link;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.LinkMac;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;

/**
 * The protocol of every Switchboard socket link, written once and run over any byte mover (the control socket's
 * {@code java.nio} channel, an io_uring link to the router, an agent-to-agent link): length framing, the link hello,
 * the frame MAC, partial frames and the limits. It owns no socket and no buffer: a mover hands it the bytes it
 * received ({@link #parse}) and the records it is about to send ({@link #seal}), in place.
 *
 * <h2>Framing</h2>
 * <pre>
 *   0                   4                                   4 + n               4 + n + t
 *   +-------------------+-----------------------------------+-------------------+
 *   | n + t (int32 LE)  | frame, n bytes                    | tag, t bytes      |  next record ...
 *   +-------------------+-----------------------------------+-------------------+
 *   t = 0 with the MAC off, {@value FrameMac#TAG_LENGTH} with it on (after the hellos)
 * </pre>
 * A length prefix outside {@code [1, maxFrameLength + t]} is a protocol error: the link must close (the stream
 * cannot be resynchronised), with the reason {@code protocol error: frame length L outside [1, max]}. A record whose
 * bytes have not all arrived is a partial frame: {@link #parse} stops before it and the mover keeps it (see
 * {@link #missingBytes}).
 *
 * <h2>Link hello and MAC ({@link LinkMac})</h2>
 * With the MAC on, each end's first record is its {@value LinkMac#HELLO_LENGTH}-byte hello ({@link #localHello()}),
 * sent without a tag; the keys of both directions derive from the two nonces, the link kind and the roles
 * ({@code acceptor}: the end that accepted the connection, the router or a receiving agent). Until the peer's hello
 * has come, {@link #canSend()} is false. Every later frame carries a tag, verified in place: a frame that fails is
 * never handed over, {@code macRejected} is counted and the link must close. With the MAC off no hello is sent, but the
 * peer's first record is checked for one: an end with the MAC on meeting an end with it off (or the reverse) fails at
 * set-up with a reason naming the setting, counted {@link RouterCounter#LINK_SETUP_REFUSED}; {@link #takeReply()}
 * then holds the "off" hello the mover may send so that the peer can say why, too.
 *
 * <h2>States</h2>
 * <pre>
 *   MAC off:  PLAIN_FIRST --first record--> PLAIN           (a hello there: FAILED)
 *   MAC on:   AWAIT_HELLO --peer's hello--> MAC             (anything else, a bad hello: FAILED)
 *   any:      bad length, bad tag -------> FAILED           (failure() says why; the mover closes)
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; one end of one link, used by the thread that moves its bytes (a sending thread
 * and a receiving thread may not share it). Allocation: none in {@link #parse} and {@link #seal} per frame; the hello
 * exchange (once per link) and a failure allocate.
 */
public final class LinkProtocol
{
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX = 4;

    /**
     * How long the sending end of a link, closing, waits for its receiver to read what it still holds, in ms (both
     * movers: {@code NormalLane}, {@code HighLane}). A receiver that is itself reconnecting to a restarted router does
     * not read its links for a few hundred ms.
     */
    public static final long CLOSE_DRAIN_MS = 2_000;

    private static final System.Logger LOG = System.getLogger("dev.switchboard.link");
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Says that a closing sending end could not write everything within {@link #CLOSE_DRAIN_MS}: frames the sender was
     * told OK for are lost, and that is never silent.
     *
     * @param tier          the link's tier, for the message.
     * @param targetAgentId the receiver.
     * @param unwritten     what was left, e.g. {@code "120 bytes of frames"}.
     * @param reason        why the link closed.
     */
    public static void warnUnwritten(final String tier, final long targetAgentId, final String unwritten,
        final String reason)
    {
        LOG.log(System.Logger.Level.WARNING, "the " + tier + " link to agent " + targetAgentId + " closed with " +
            unwritten + " its receiver did not read within " + CLOSE_DRAIN_MS + " ms; they are lost (" + reason + ")");
    }

    /** Receives each complete frame; returning false leaves it (and what follows) for the next parse. */
    @FunctionalInterface
    public interface FrameSink
    {
        /**
         * @param buffer holding the frame (valid during the call only).
         * @param offset of the frame (after its length prefix).
         * @param length of the frame (without its tag).
         * @return true when the frame was taken; false to stop and keep it.
         */
        boolean onFrame(DirectBuffer buffer, int offset, int length);
    }

    private static final int PLAIN_FIRST = 0;
    private static final int PLAIN = 1;
    private static final int AWAIT_HELLO = 2;
    private static final int MAC = 3;
    private static final int FAILED = 4;

    private final LinkMac linkMac;
    private final byte kind;
    private final boolean acceptor;
    private final int maxFrameLength;
    private final int tagLength;
    private final int maxWireLength;
    private final String peerName;
    private final String linkName;
    private final CounterBlock counters;
    private final RouterCounter macRejected;
    private final RouterCounter framingRejected;
    private final byte[] localNonce;

    private FrameMac frameMac;
    private int state;
    private int position;
    private boolean stopped;
    private boolean stopAfterFrame;
    private String failure;
    private byte[] reply;

    /**
     * @param linkMac        the frame MAC setting; must match the peer's.
     * @param kind           link kind ({@link LinkMac#KIND_CONTROL}, {@link LinkMac#KIND_HIGH},
     *                       {@link LinkMac#KIND_LINK_NORMAL}, {@link LinkMac#KIND_LINK_HIGH}): part of the hello and
     *                       of the keys.
     * @param acceptor       whether this end accepted the connection (chooses each direction's key).
     * @param maxFrameLength largest frame either way, without the tag.
     * @param peerName       who the peer is, for messages ("the router", "the client", "agent 7").
     * @param linkName       what the link is, for messages ("", "HIGH ", "NORMAL link ").
     * @param counters       where refusals are counted, or null.
     * @param macRejected    the counter of frames whose tag failed on this kind of link.
     * @param framingRejected the counter of links closed for a bad length prefix, or null when the mover counts
     *                        them itself (by the reason's {@code protocol error} prefix).
     */
    public LinkProtocol(
        final LinkMac linkMac,
        final byte kind,
        final boolean acceptor,
        final int maxFrameLength,
        final String peerName,
        final String linkName,
        final CounterBlock counters,
        final RouterCounter macRejected,
        final RouterCounter framingRejected)
    {
        if (maxFrameLength < 1)
        {
            throw new IllegalArgumentException("maxFrameLength must be at least 1: " + maxFrameLength);
        }
        this.linkMac = linkMac;
        this.kind = kind;
        this.acceptor = acceptor;
        this.maxFrameLength = maxFrameLength;
        this.tagLength = linkMac.enabled() ? FrameMac.TAG_LENGTH : 0;
        this.maxWireLength = maxFrameLength + tagLength;
        this.peerName = peerName;
        this.linkName = linkName;
        this.counters = counters;
        this.macRejected = macRejected;
        this.framingRejected = framingRejected;
        this.localNonce = linkMac.enabled() ? LinkMac.newNonce() : null;
        this.state = linkMac.enabled() ? AWAIT_HELLO : PLAIN_FIRST;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * @return this end's hello (the first record to send, as is, without a tag), or null with the MAC off.
     */
    public byte[] localHello()
    {
        return linkMac.enabled() ? linkMac.hello(kind, localNonce) : null;
    }

    /**
     * @return false while the MAC is on and the peer's hello has not come (no key to sign with: the caller keeps the
     * frame, nothing is lost), and once the link failed.
     */
    public boolean canSend()
    {
        return state == PLAIN_FIRST || state == PLAIN || state == MAC;
    }

    /**
     * The checks every writer of this protocol makes before it queues a frame (the control socket's, the router's
     * io_uring connections', a link's). Allocation: none.
     *
     * @param length         bytes of the frame.
     * @param maxFrameLength the writer's largest frame.
     * @return {@link OfferStatus#OK} when the frame may be queued; {@link OfferStatus#BACK_PRESSURED} while the MAC is
     * on and the peer's hello has not come (no key yet: the frame waits with the caller, nothing is lost);
     * {@link OfferStatus#NOT_CONNECTED} once the link failed; {@link OfferStatus#TOO_LARGE};
     * {@link OfferStatus#REJECTED} for an empty frame.
     */
    public int admit(final int length, final int maxFrameLength)
    {
        return admit(true, length, maxFrameLength);
    }

    /**
     * As {@link #admit(int, int)} for a writer that may have closed: {@link OfferStatus#NOT_CONNECTED} once it has.
     *
     * @param open           whether the writer is still open.
     * @param length         bytes of the frame.
     * @param maxFrameLength the writer's largest frame.
     * @return as {@link #admit(int, int)}, or {@link OfferStatus#NOT_CONNECTED} when closed.
     */
    public int admit(final boolean open, final int length, final int maxFrameLength)
    {
        if (!open)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (!canSend())
        {
            return failed() ? OfferStatus.NOT_CONNECTED : OfferStatus.BACK_PRESSURED;
        }
        if (length > maxFrameLength)
        {
            return OfferStatus.TOO_LARGE;
        }
        return length <= 0 ? OfferStatus.REJECTED : OfferStatus.OK;
    }

    /**
     * @return bytes of the tag after every frame: 0 with the MAC off, {@value FrameMac#TAG_LENGTH} with it on.
     */
    public int tagLength()
    {
        return tagLength;
    }

    /**
     * @return largest frame, without the tag.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @param frameLength bytes of a frame.
     * @return bytes its record takes on the wire: prefix, frame, tag.
     */
    public int recordLength(final int frameLength)
    {
        return LENGTH_PREFIX + frameLength + tagLength;
    }

    /**
     * Finish a record whose frame the caller wrote in place at {@code at + LENGTH_PREFIX}: write the length prefix
     * and, with the MAC on, the tag after the frame. Call only when {@link #canSend()}, in send order.
     *
     * @param segment     holding the record.
     * @param macView     a {@link ByteBuffer} over the same memory (position and limit are used as scratch).
     * @param at          offset of the record (its length prefix).
     * @param frameLength bytes of the frame, {@code 1..maxFrameLength()}.
     * @return bytes of the record.
     */
    public int seal(final MemorySegment segment, final ByteBuffer macView, final int at, final int frameLength)
    {
        segment.set(INT_LE, at, frameLength + tagLength);
        final FrameMac mac = frameMac;
        if (mac != null)
        {
            mac.sign(macView, at + LENGTH_PREFIX, frameLength);
        }
        return LENGTH_PREFIX + frameLength + tagLength;
    }

    /**
     * Write a record outside the MAC (a hello) at {@code at}.
     *
     * @param segment where.
     * @param at      offset of the record.
     * @param bytes   the frame.
     * @return bytes of the record.
     */
    public static int writeRaw(final MemorySegment segment, final long at, final byte[] bytes)
    {
        segment.set(INT_LE, at, bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, at + LENGTH_PREFIX, bytes.length);
        return LENGTH_PREFIX + bytes.length;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Hand over the complete frames of {@code [from, end)}, verifying their tags, consuming the peer's hello.
     * Afterwards {@link #position()} is the first byte not consumed (a partial frame, a frame the sink kept, or
     * {@code end}), {@link #stopped()} says whether the sink kept one, and {@link #failed()} whether the link must
     * close ({@link #failure()} says why; counted and logged once here).
     *
     * @param view    the receive buffer.
     * @param macView a {@link ByteBuffer} over the same memory (scratch position and limit).
     * @param from    offset of the first unconsumed byte.
     * @param end     offset after the last received byte.
     * @param sink    receives frames.
     * @param limit   most frames to hand over.
     * @return frames handed over.
     */
    public int parse(
        final SegmentBuffer view,
        final ByteBuffer macView,
        final int from,
        final int end,
        final FrameSink sink,
        final int limit)
    {
        int at = from;
        int frames = 0;
        stopped = false;
        stopAfterFrame = false;
        while (frames < limit && state != FAILED && end - at >= LENGTH_PREFIX)
        {
            final int length = view.getInt(at, ByteOrder.LITTLE_ENDIAN);
            if (length <= 0 || length > maxWireLength)
            {
                fail(framingRejected,
                    "protocol error: frame length " + length + " outside [1, " + maxWireLength + "]", false);
                break;
            }
            if (end - at - LENGTH_PREFIX < length)
            {
                break;
            }
            final int frameOffset = at + LENGTH_PREFIX;
            int frameLength = length;
            if (state == MAC)
            {
                frameLength = length - tagLength;
                if (frameLength <= 0 || !frameMac.verify(macView, frameOffset, frameLength))
                {
                    fail(macRejected, "frame MAC mismatch on " + linkName + "frame " + frameMac.receiveSequence() +
                        " (" + length + " bytes with tag) from " + peerName +
                        ": tampered, replayed, reordered or dropped frame; link closed", true);
                    break;
                }
            }
            else if (state != PLAIN)
            {
                if (onSetupRecord(view, frameOffset, length))
                {
                    at = frameOffset + length;
                    continue;
                }
                if (state == FAILED)
                {
                    break;
                }
            }
            if (!sink.onFrame(view, frameOffset, frameLength))
            {
                stopped = true;
                break;
            }
            if (state == MAC)
            {
                frameMac.received();
            }
            at = frameOffset + length;
            frames++;
            if (stopAfterFrame)
            {
                break;
            }
        }
        position = at;
        return frames;
    }

    /**
     * Called by a sink during {@link #parse}: the frame it is taking is the last of this parse (its buffer may go
     * away: the handler closed the link). Read nothing more.
     */
    public void stopAfterThisFrame()
    {
        stopAfterFrame = true;
    }

    /**
     * @return after {@link #parse}: offset of the first byte not consumed.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return after {@link #parse}: whether the sink kept a frame (it is at {@link #position()}).
     */
    public boolean stopped()
    {
        return stopped;
    }

    /**
     * @return true once the link must close: a protocol error, a frame that failed its tag, a refused set-up.
     */
    public boolean failed()
    {
        return state == FAILED;
    }

    /**
     * @return why the link failed, or null.
     */
    public String failure()
    {
        return failure;
    }

    /**
     * @return whether frames carry a MAC (the MAC is on and the hellos were exchanged).
     */
    public boolean isMacActive()
    {
        return state == MAC;
    }

    /**
     * @return true until the peer's first record was parsed (its hello with the MAC on; with it off, the record checked
     * for a hello): a peer that refused the link may have said why in it.
     */
    public boolean awaitingFirstRecord()
    {
        return state == PLAIN_FIRST || state == AWAIT_HELLO;
    }

    /**
     * @return set-up done: the MAC is off, or the peer's hello came.
     */
    public boolean isSetUp()
    {
        return state == PLAIN_FIRST || state == PLAIN || state == MAC;
    }

    /**
     * The "off" hello to send back once, when this end has the MAC off and the peer's first record was a hello (so
     * that the peer learns the reason too); null otherwise. Cleared by the call.
     *
     * @return the record's frame, or null.
     */
    public byte[] takeReply()
    {
        final byte[] r = reply;
        reply = null;
        return r;
    }

    /**
     * Fail the link from outside (the mover saw something the protocol cannot: a refused claim, a bad frame header).
     *
     * @param reason why; kept as {@link #failure()} if none is set yet.
     */
    public void failWith(final String reason)
    {
        if (state != FAILED)
        {
            state = FAILED;
            failure = reason;
        }
    }

    /**
     * @param view receive buffer.
     * @param from first unconsumed byte.
     * @param end  after the last received byte.
     * @return true when a complete record waits at {@code from}, or a length prefix that is a protocol error (so
     * that the next {@link #parse} reports it).
     */
    public boolean hasCompleteRecord(final DirectBuffer view, final int from, final int end)
    {
        final int available = end - from;
        if (available < LENGTH_PREFIX)
        {
            return false;
        }
        final int length = view.getInt(from, ByteOrder.LITTLE_ENDIAN);
        return length <= 0 || length > maxWireLength || available - LENGTH_PREFIX >= length;
    }

    /**
     * @param view receive buffer.
     * @param from first unconsumed byte.
     * @param end  after the last received byte.
     * @return bytes still missing to complete the record at {@code from} (at least 1 while its prefix is partial),
     * 0 when it is complete or there is nothing.
     */
    public int missingBytes(final DirectBuffer view, final int from, final int end)
    {
        final int available = end - from;
        if (available == 0)
        {
            return 0;
        }
        if (available < LENGTH_PREFIX)
        {
            return LENGTH_PREFIX - available;
        }
        final int length = Math.max(0, Math.min(view.getInt(from, ByteOrder.LITTLE_ENDIAN), maxWireLength));
        return Math.max(0, LENGTH_PREFIX + length - available);
    }

    /**
     * @return the MAC of this link once keyed, else null (tests and counters).
     */
    FrameMac frameMac()
    {
        return frameMac;
    }

    /**
     * The first record of the link with the MAC off, or any record while waiting for the peer's hello.
     *
     * @return true when the record was the peer's hello and is consumed; false when it is a frame for the sink (MAC
     * off, not a hello) or the set-up failed.
     */
    private boolean onSetupRecord(final SegmentBuffer view, final int frameOffset, final int length)
    {
        final byte[] first = new byte[Math.min(length, LinkMac.HELLO_LENGTH + 1)];
        view.getBytes(frameOffset, first);
        final String name = linkName.trim();
        final String suffix = name.isEmpty() ? "" : " (" + name + (name.endsWith("link") ? ")" : " link)");
        if (state == PLAIN_FIRST)
        {
            state = PLAIN;
            if (LinkMac.isHello(first))
            {
                reply = linkMac.hello(kind, null);
                fail(RouterCounter.LINK_SETUP_REFUSED, LinkMac.peerHasMacOn(peerName) + suffix, true);
            }
            return false;
        }
        try
        {
            final byte[] peerNonce = linkMac.checkPeerHello(first, kind, peerName);
            frameMac = acceptor ?
                linkMac.frameMac(true, kind, peerNonce, localNonce) :
                linkMac.frameMac(false, kind, localNonce, peerNonce);
            state = MAC;
            return true;
        }
        catch (final IllegalStateException e)
        {
            fail(RouterCounter.LINK_SETUP_REFUSED, e.getMessage() + suffix, true);
            return false;
        }
    }

    private void fail(final RouterCounter counter, final String reason, final boolean log)
    {
        state = FAILED;
        if (failure == null)
        {
            failure = reason;
        }
        if (counters != null && counter != null)
        {
            counters.increment(CounterIds.of(counter));
        }
        if (log)
        {
            LOG.log(System.Logger.Level.WARNING, "switchboard: " + reason);
        }
    }
}
