package dev.switchboard.ipc.link;

import dev.switchboard.transport.DirectFrames;
import java.util.concurrent.TimeUnit;

/**
 * Settings of an agent's {@link DirectLinks}, each with a system property and a documented default (read when the
 * record is made by {@link #fromProperties()}); every limit is checked at the boundary and every refusal counted.
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
    /** Property: links accepted at once. */
    public static final String MAX_LINKS_PROP = "switchboard.link.max.links";
    /** Property: grants held at once. */
    public static final String MAX_EXPECTED_PROP = "switchboard.link.max.expected";
    /** Property: claim deadline, ms. */
    public static final String CLAIM_TIMEOUT_PROP = "switchboard.link.claim.timeout.ms";
    /** Property: open deadline, ms. */
    public static final String OPEN_TIMEOUT_PROP = "switchboard.link.open.timeout.ms";
    /** Property: lane send buffer, bytes. */
    public static final String SEND_BUFFER_PROP = "switchboard.link.send.buffer";
    /** Property: sweep interval, ms. */
    public static final String SWEEP_PROP = "switchboard.link.sweep.ms";
    /** Property: HIGH receive pool entries. */
    public static final String RECEIVE_BUFFERS_PROP = "switchboard.link.receive.buffers";
    /** Property: bytes per HIGH receive pool entry. */
    public static final String RECEIVE_BUFFER_LENGTH_PROP = "switchboard.link.receive.buffer.length";

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
     * @return the settings from the system properties, defaults where unset.
     * @throws IllegalArgumentException naming a bad property.
     */
    public static LinkSettings fromProperties()
    {
        return new LinkSettings(
            Integer.getInteger(MAX_FRAME_PROP, 64 * 1024),
            Integer.getInteger(MAX_LINKS_PROP, 64),
            Integer.getInteger(MAX_EXPECTED_PROP, 64),
            TimeUnit.MILLISECONDS.toNanos(Long.getLong(CLAIM_TIMEOUT_PROP, 2000)),
            TimeUnit.MILLISECONDS.toNanos(Long.getLong(OPEN_TIMEOUT_PROP, 5000)),
            Integer.getInteger(SEND_BUFFER_PROP, 256 * 1024),
            TimeUnit.MILLISECONDS.toNanos(Long.getLong(SWEEP_PROP, 50)),
            Integer.getInteger(RECEIVE_BUFFERS_PROP, 64),
            Integer.getInteger(RECEIVE_BUFFER_LENGTH_PROP, 16 * 1024));
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
