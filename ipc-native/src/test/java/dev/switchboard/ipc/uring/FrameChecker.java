package dev.switchboard.ipc.uring;

import org.agrona.DirectBuffer;

/**
 * Checks frames from one sender arrive in order and intact; records the first failure instead of throwing, so
 * that it can run on a duty-cycle thread and be asserted on the test thread.
 */
final class FrameChecker
{
    private volatile long received;
    private volatile String firstError;

    void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final long expected = received;
        if (null == firstError)
        {
            final String error = TestFrames.verify(buffer, offset, length, expected);
            if (null != error)
            {
                firstError = "frame #" + expected + ": " + error;
            }
        }
        received = expected + 1;
    }

    long received()
    {
        return received;
    }

    String firstError()
    {
        return firstError;
    }
}
