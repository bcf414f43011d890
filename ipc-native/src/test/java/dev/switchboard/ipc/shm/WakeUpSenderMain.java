package dev.switchboard.ipc.shm;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Child process (no JVM flags): {@code args[1]} times, waits until the owner of the inbox at {@code args[0]} is
 * parked (its flag up, then one more millisecond so it is really asleep, not about to sleep), then sends one
 * message whose payload is {@code System.nanoTime()} (CLOCK_MONOTONIC: comparable across processes of one
 * host). Prints the time its offers took (ring included), then {@code sent <n>}; exits 1 with a message on stderr if the owner never parks within 30 s.
 */
public final class WakeUpSenderMain
{
    static final int TYPE_ID = 9;

    private WakeUpSenderMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args inbox path, number of wake-ups.
     * @throws InterruptedException never expected.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path path = Path.of(args[0]);
        final int count = Integer.parseInt(args[1]);
        try (InboxFile inbox = InboxFile.open(path); Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer buffer = new SegmentBuffer(arena.allocate(16, 8));
            final long[] offerNs = new long[count];
            for (int i = 0; i < count; i++)
            {
                final long deadline = System.nanoTime() + 30_000_000_000L;
                do
                {
                    while (!inbox.isParked())
                    {
                        if (System.nanoTime() > deadline)
                        {
                            System.err.println("owner did not park within 30 s before wake-up " + i);
                            System.exit(1);
                        }
                        Thread.sleep(0, 100_000);
                    }
                    Thread.sleep(1);
                }
                while (!inbox.isParked());

                final long stamp = System.nanoTime();
                buffer.putLong(0, stamp);
                final int status = inbox.offer(TYPE_ID, buffer, 0, 8, buffer, 8, 0);
                offerNs[i] = System.nanoTime() - stamp;
                if (OfferStatus.OK != status)
                {
                    System.err.println("offer " + i + " returned " + OfferStatus.name(status));
                    System.exit(1);
                }
            }
            java.util.Arrays.sort(offerNs);
            System.out.printf("sender's offer including the ring: p50 %.1f us, p99 %.1f us%n",
                offerNs[count / 2] / 1000.0, offerNs[(int)(count * 0.99)] / 1000.0);
        }
        System.out.println("sent " + count);
    }
}
