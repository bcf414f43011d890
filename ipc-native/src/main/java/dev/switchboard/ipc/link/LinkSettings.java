package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.util.concurrent.TimeUnit;

/**
 * Settings of an agent's {@link DirectLinks}, each with a system property and a documented default (the properties are
 * read by {@code IpcContext}, which makes this record from them: {@code IpcContext.linkSettings()}); every limit is
 * checked at the boundary and every refusal counted.
 *
 * <table>
 *   <caption>Agent link settings</caption>
 *   <tr><th>property</th><th>default</th><th>what</th></tr>
 *   <tr><td>{@value #MAX_FRAME_PROP}</td><td>65536</td><td>largest direct frame (header + payload), bytes; both ends
 *       must agree (a larger record closes the link)</td></tr>
 *   <tr><td>{@value #MAX_LINKS_PROP}</td><td>64</td><td>links an agent accepts at once (more: verdict LIMIT)</td></tr>
 *   <tr><td>{@value #MAX_EXPECTED_PROP}</td><td>64</td><td>grants it holds waiting for their claim</td></tr>
 *   <tr><td>{@value #CLAIM_TIMEOUT_PROP}</td><td>2000</td><td>ms an accepted connection may take to present a claim
 *       that matches a grant (covers a half-sent claim, and a LinkExpect still on its way)</td></tr>
 *   <tr><td>{@value #OPEN_TIMEOUT_PROP}</td><td>5000</td><td>ms {@code open} waits to connect (a full listen queue) and
 *       for the receiver's hello</td></tr>
 *   <tr><td>{@value #SEND_BUFFER_PROP}</td><td>262144</td><td>bytes of frames a lane buffers before
 *       {@code BACK_PRESSURED}</td></tr>
 *   <tr><td>{@value #SWEEP_PROP}</td><td>50</td><td>ms between sweeps of the links that need no signal to be read
 *       (a sender without the inbox path, a lost wake-up): late, never lost</td></tr>
 *   <tr><td>{@value #RECEIVE_BUFFERS_PROP}</td><td>64</td><td>provided buffers of the HIGH receive pool (a power of
 *       two)</td></tr>
 *   <tr><td>{@value #RECEIVE_BUFFER_LENGTH_PROP}</td><td>16384</td><td>bytes per provided buffer</td></tr>
 * </table>
 *
 * @param maxFrameLength       largest direct frame, header included.
 * @param maxLinks             links accepted at once.
 * @param maxExpected          grants held at once.
 * @param claimTimeoutNs       deadline of a claim after accept.
 * @param openTimeoutNs        deadline of {@code open}.
 * @param sendBufferLength     bytes a lane buffers.
 * @param sweepIntervalNs      interval of the safety sweep.
 * @param receiveBuffers       HIGH receive pool entries.
 * @param receiveBufferLength  bytes per pool entry.
 */
public record LinkSettings(
    int maxFrameLength,
    int maxLinks,
    int maxExpected,
    long claimTimeoutNs,
    long openTimeoutNs,
    int sendBufferLength,
    long sweepIntervalNs,
    int receiveBuffers,
    int receiveBufferLength)
{
    /** Property: largest direct frame. */
    public static final String MAX_FRAME_PROP = "switchboard.link.max.frame";
    /** Default of {@value #MAX_FRAME_PROP}: 64 KiB. */
    public static final int MAX_FRAME_DEFAULT = 64 * 1024;
    /** Property: links accepted at once. */
    public static final String MAX_LINKS_PROP = "switchboard.link.max.links";
    /** Default of {@value #MAX_LINKS_PROP}. */
    public static final int MAX_LINKS_DEFAULT = 64;
    /** Property: grants held at once. */
    public static final String MAX_EXPECTED_PROP = "switchboard.link.max.expected";
    /** Default of {@value #MAX_EXPECTED_PROP}. */
    public static final int MAX_EXPECTED_DEFAULT = 64;
    /** Property: claim deadline, ms. */
    public static final String CLAIM_TIMEOUT_PROP = "switchboard.link.claim.timeout.ms";
    /** Default of {@value #CLAIM_TIMEOUT_PROP}, ms. */
    public static final long CLAIM_TIMEOUT_DEFAULT_MS = 2000;
    /** Property: open deadline, ms. */
    public static final String OPEN_TIMEOUT_PROP = "switchboard.link.open.timeout.ms";
    /** Default of {@value #OPEN_TIMEOUT_PROP}, ms. */
    public static final long OPEN_TIMEOUT_DEFAULT_MS = 5000;
    /** Property: lane send buffer, bytes. */
    public static final String SEND_BUFFER_PROP = "switchboard.link.send.buffer";
    /** Default of {@value #SEND_BUFFER_PROP}: 256 KiB. */
    public static final int SEND_BUFFER_DEFAULT = 256 * 1024;
    /** Property: sweep interval, ms. */
    public static final String SWEEP_PROP = "switchboard.link.sweep.ms";
    /** Default of {@value #SWEEP_PROP}, ms. */
    public static final long SWEEP_DEFAULT_MS = 50;
    /** Property: HIGH receive pool entries. */
    public static final String RECEIVE_BUFFERS_PROP = "switchboard.link.receive.buffers";
    /** Default of {@value #RECEIVE_BUFFERS_PROP}. */
    public static final int RECEIVE_BUFFERS_DEFAULT = 64;
    /** Property: bytes per HIGH receive pool entry. */
    public static final String RECEIVE_BUFFER_LENGTH_PROP = "switchboard.link.receive.buffer.length";
    /** Default of {@value #RECEIVE_BUFFER_LENGTH_PROP}: 16 KiB. */
    public static final int RECEIVE_BUFFER_LENGTH_DEFAULT = 16 * 1024;

    /**
     * Checks every limit.
     *
     * @throws IllegalArgumentException naming the property, the limit and the value.
     */
    public LinkSettings
    {
        require(maxFrameLength >= 64 && maxFrameLength <= 16 * 1024 * 1024, MAX_FRAME_PROP, maxFrameLength,
            "in [64, 16777216]");
        require(maxLinks >= 1 && maxLinks <= 4096, MAX_LINKS_PROP, maxLinks, "in [1, 4096]");
        require(maxExpected >= 1 && maxExpected <= 4096, MAX_EXPECTED_PROP, maxExpected, "in [1, 4096]");
        require(claimTimeoutNs >= TimeUnit.MILLISECONDS.toNanos(1), CLAIM_TIMEOUT_PROP, claimTimeoutNs, ">= 1 ms");
        require(openTimeoutNs >= TimeUnit.MILLISECONDS.toNanos(1), OPEN_TIMEOUT_PROP, openTimeoutNs, ">= 1 ms");
        require(sendBufferLength >= maxFrameLength + 64, SEND_BUFFER_PROP, sendBufferLength,
            ">= the largest frame + 64 (" + (maxFrameLength + 64) + ")");
        require(sweepIntervalNs >= TimeUnit.MILLISECONDS.toNanos(1), SWEEP_PROP, sweepIntervalNs, ">= 1 ms");
        require(receiveBuffers >= 2 && receiveBuffers <= 32768 && Integer.bitCount(receiveBuffers) == 1,
            RECEIVE_BUFFERS_PROP, receiveBuffers, "a power of two in [2, 32768]");
        require(receiveBufferLength >= 1024 && receiveBufferLength <= 1024 * 1024, RECEIVE_BUFFER_LENGTH_PROP,
            receiveBufferLength, "in [1024, 1048576]");
    }

    /**
     * @return the defaults (the {@code *_DEFAULT} constants); {@code IpcContext.linkSettings()} gives the properties'.
     */
    public static LinkSettings defaults()
    {
        return new LinkSettings(
            MAX_FRAME_DEFAULT,
            MAX_LINKS_DEFAULT,
            MAX_EXPECTED_DEFAULT,
            TimeUnit.MILLISECONDS.toNanos(CLAIM_TIMEOUT_DEFAULT_MS),
            TimeUnit.MILLISECONDS.toNanos(OPEN_TIMEOUT_DEFAULT_MS),
            SEND_BUFFER_DEFAULT,
            TimeUnit.MILLISECONDS.toNanos(SWEEP_DEFAULT_MS),
            RECEIVE_BUFFERS_DEFAULT,
            RECEIVE_BUFFER_LENGTH_DEFAULT);
    }

    /**
     * @return the largest payload a lane takes: {@link #maxFrameLength()} less the direct frame header.
     */
    public int maxPayloadLength()
    {
        return maxFrameLength - DirectFrames.HEADER_LENGTH;
    }

    private static void require(final boolean ok, final String property, final long value, final String limit)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(property + " must be " + limit + ": " + value);
        }
    }
}
