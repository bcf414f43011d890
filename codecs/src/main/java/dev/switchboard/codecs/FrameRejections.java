package dev.switchboard.codecs;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of frames refused by {@link FrameValidator}s, one counter per {@link FrameError}. Several validators (one per
 * receiving thread) may share one instance.
 * <p>
 * Thread-safety: every method may be called from any thread; increments are atomic, reads see each counter's latest
 * value (the counters are not read as one snapshot). Allocation: none after construction.
 */
public final class FrameRejections
{
    private static final FrameError[] ERRORS = FrameError.values();

    private final AtomicLongArray counts = new AtomicLongArray(ERRORS.length);

    /**
     * Count one rejection.
     *
     * @param error why the frame was refused.
     */
    public void increment(final FrameError error)
    {
        counts.getAndIncrement(error.ordinal());
    }

    /**
     * Rejections counted for one reason.
     *
     * @param error the reason.
     * @return how many frames were refused for it.
     */
    public long count(final FrameError error)
    {
        return counts.get(error.ordinal());
    }

    /**
     * Rejections counted for all reasons.
     *
     * @return the sum of every {@link #count(FrameError)}.
     */
    public long total()
    {
        long total = 0;
        for (int i = 0; i < ERRORS.length; i++)
        {
            total += counts.get(i);
        }

        return total;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("FrameRejections{");
        for (int i = 0; i < ERRORS.length; i++)
        {
            builder.append(i > 0 ? ", " : "").append(ERRORS[i]).append('=').append(counts.get(i));
        }

        return builder.append('}').toString();
    }
}
