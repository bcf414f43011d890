package dev.switchboard.ipc.uring;

import java.util.concurrent.TimeUnit;

/**
 * Settings of the HIGH tier's io_uring links and server, as one immutable value. Each setting has a system property
 * and a documented default (the {@code *_PROP} and {@code *_DEFAULT} constants); the properties are read by
 * {@code IpcContext}, which makes this value from them ({@code IpcContext.uringConfig()}). {@link Builder#build()}
 * validates once.
 *
 * <p>Memory per link: {@code sendSlots * sendSlotLength + receiveBufferLength} bytes of registered (pinned) buffers,
 * 384 KiB with the defaults. Without {@code CAP_IPC_LOCK} pinned memory is charged to {@code RLIMIT_MEMLOCK}
 * ({@code ulimit -l}, often 8 MiB): a server holds up to {@code maxConnections} links' worth.
 *
 * <p>Both ends should use the same lengths: a frame longer than the receiver's {@link #maxFrameLength()} closes
 * the link as a protocol error.
 *
 * <p>Thread-safety: immutable. Allocation: none after construction.
 *
 * @param ringEntries         SQ entries of a client link's ring (the server sizes its own from
 *                            {@code maxConnections}).
 * @param sendSlots           registered send buffers per link (power of two, at least 2): frames are appended to one
 *                            while another is being written; when all are full or in flight, offers are
 *                            back-pressured.
 * @param sendSlotLength      bytes per send buffer; bounds the largest frame ({@code sendSlotLength - 4}).
 * @param receiveBufferLength bytes of the registered receive buffer per link; at least {@code sendSlotLength}.
 * @param maxConnections      links a server holds at once; more connections are accepted and closed.
 * @param fragmentLimit       frames a server delivers per link per duty cycle.
 * @param closeLingerNs       how long {@code close()} keeps flushing queued frames, and then waits for the kernel to
 *                            finish with the buffers.
 */
public record UringConfig(
    int ringEntries,
    int sendSlots,
    int sendSlotLength,
    int receiveBufferLength,
    int maxConnections,
    int fragmentLimit,
    long closeLingerNs)
{
    /** Property for {@link #ringEntries()}; default {@value #RING_ENTRIES_DEFAULT}. */
    public static final String RING_ENTRIES_PROP = "switchboard.uring.ring.entries";
    /** Default {@link #ringEntries()}. */
    public static final int RING_ENTRIES_DEFAULT = 16;
    /** Property for {@link #sendSlots()}; default {@value #SEND_SLOTS_DEFAULT}. */
    public static final String SEND_SLOTS_PROP = "switchboard.uring.send.slots";
    /** Default {@link #sendSlots()}. */
    public static final int SEND_SLOTS_DEFAULT = 4;
    /** Property for {@link #sendSlotLength()}; default {@value #SEND_SLOT_LENGTH_DEFAULT}. */
    public static final String SEND_SLOT_LENGTH_PROP = "switchboard.uring.send.slot.length";
    /** Default {@link #sendSlotLength()}: 64 KiB. */
    public static final int SEND_SLOT_LENGTH_DEFAULT = 64 * 1024;
    /** Property for {@link #receiveBufferLength()}; default {@value #RECEIVE_BUFFER_LENGTH_DEFAULT}. */
    public static final String RECEIVE_BUFFER_LENGTH_PROP = "switchboard.uring.receive.buffer.length";
    /** Default {@link #receiveBufferLength()}: 128 KiB. */
    public static final int RECEIVE_BUFFER_LENGTH_DEFAULT = 128 * 1024;
    /** Property for {@link #maxConnections()}; default {@value #MAX_CONNECTIONS_DEFAULT}. */
    public static final String MAX_CONNECTIONS_PROP = "switchboard.uring.max.connections";
    /** Default {@link #maxConnections()}. */
    public static final int MAX_CONNECTIONS_DEFAULT = 16;
    /** Property for {@link #fragmentLimit()}; default {@value #FRAGMENT_LIMIT_DEFAULT}. */
    public static final String FRAGMENT_LIMIT_PROP = "switchboard.uring.fragment.limit";
    /** Default {@link #fragmentLimit()}. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 1024;
    /** Property for {@link #closeLingerNs()}, in milliseconds; default {@value #CLOSE_LINGER_MS_DEFAULT}. */
    public static final String CLOSE_LINGER_MS_PROP = "switchboard.uring.close.linger.ms";
    /** Default close linger in milliseconds. */
    public static final long CLOSE_LINGER_MS_DEFAULT = 1000;

    /** Bytes of the length prefix before each frame on the wire: an int32, little-endian. */
    public static final int LENGTH_PREFIX = 4;

    /**
     * Validates every setting.
     *
     * @throws IllegalArgumentException naming the setting, the value and the limit.
     */
    public UringConfig
    {
        require(ringEntries >= 4 && ringEntries <= 32768, "ringEntries", ringEntries, "in [4, 32768]");
        require(sendSlots >= 2 && Integer.bitCount(sendSlots) == 1, "sendSlots", sendSlots, "a power of two >= 2");
        require(sendSlotLength >= 64, "sendSlotLength", sendSlotLength, ">= 64");
        require(
            receiveBufferLength >= sendSlotLength, "receiveBufferLength", receiveBufferLength,
            ">= sendSlotLength (" + sendSlotLength + ")");
        require(maxConnections >= 1 && maxConnections <= 4096, "maxConnections", maxConnections, "in [1, 4096]");
        require(fragmentLimit >= 1, "fragmentLimit", fragmentLimit, ">= 1");
        require(closeLingerNs >= 0, "closeLingerNs", closeLingerNs, ">= 0");
        final long pinned = (long)sendSlots * sendSlotLength + receiveBufferLength;
        require(pinned <= Integer.MAX_VALUE, "sendSlots * sendSlotLength + receiveBufferLength", pinned, "<= 2^31-1");
    }

    /**
     * @return the default settings (the {@code *_DEFAULT} constants).
     */
    public static UringConfig defaults()
    {
        return builder().build();
    }

    /**
     * @return a builder preset with the defaults.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return the longest frame a link sends or accepts: {@code sendSlotLength - 4}.
     */
    public int maxFrameLength()
    {
        return sendSlotLength - LENGTH_PREFIX;
    }

    /**
     * @return registered bytes per link: {@code sendSlots * sendSlotLength + receiveBufferLength}.
     */
    public int pinnedBytesPerLink()
    {
        return sendSlots * sendSlotLength + receiveBufferLength;
    }

    private static void require(final boolean ok, final String name, final long value, final String limit)
    {
        if (!ok)
        {
            throw new IllegalArgumentException("UringConfig." + name + " must be " + limit + ", was " + value);
        }
    }

    /**
     * Mutable builder of {@link UringConfig}, preset with the defaults.
     *
     * <p>Thread-safety: none. Allocation: the built value.
     */
    public static final class Builder
    {
        private int ringEntries = RING_ENTRIES_DEFAULT;
        private int sendSlots = SEND_SLOTS_DEFAULT;
        private int sendSlotLength = SEND_SLOT_LENGTH_DEFAULT;
        private int receiveBufferLength = RECEIVE_BUFFER_LENGTH_DEFAULT;
        private int maxConnections = MAX_CONNECTIONS_DEFAULT;
        private int fragmentLimit = FRAGMENT_LIMIT_DEFAULT;
        private long closeLingerNs = TimeUnit.MILLISECONDS.toNanos(CLOSE_LINGER_MS_DEFAULT);

        private Builder()
        {
        }

        /**
         * @param value see {@link UringConfig#ringEntries()}.
         * @return this.
         */
        public Builder ringEntries(final int value)
        {
            ringEntries = value;
            return this;
        }

        /**
         * @param value see {@link UringConfig#sendSlots()}.
         * @return this.
         */
        public Builder sendSlots(final int value)
        {
            sendSlots = value;
            return this;
        }

        /**
         * @param value see {@link UringConfig#sendSlotLength()}.
         * @return this.
         */
        public Builder sendSlotLength(final int value)
        {
            sendSlotLength = value;
            return this;
        }

        /**
         * @param value see {@link UringConfig#receiveBufferLength()}.
         * @return this.
         */
        public Builder receiveBufferLength(final int value)
        {
            receiveBufferLength = value;
            return this;
        }

        /**
         * @param value see {@link UringConfig#maxConnections()}.
         * @return this.
         */
        public Builder maxConnections(final int value)
        {
            maxConnections = value;
            return this;
        }

        /**
         * @param value see {@link UringConfig#fragmentLimit()}.
         * @return this.
         */
        public Builder fragmentLimit(final int value)
        {
            fragmentLimit = value;
            return this;
        }

        /**
         * @param value    see {@link UringConfig#closeLingerNs()}.
         * @param timeUnit of the value.
         * @return this.
         */
        public Builder closeLinger(final long value, final TimeUnit timeUnit)
        {
            closeLingerNs = timeUnit.toNanos(value);
            return this;
        }

        /**
         * @return the validated settings.
         * @throws IllegalArgumentException when a setting is out of range.
         */
        public UringConfig build()
        {
            return new UringConfig(
                ringEntries, sendSlots, sendSlotLength, receiveBufferLength, maxConnections, fragmentLimit, closeLingerNs);
        }
    }
}
