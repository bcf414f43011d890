package dev.switchboard.ipc.shm;

import dev.switchboard.idle.IdleSettings;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child process: owns an inbox and idles in {@link ParkingIdleStrategy} (no yields, longest park one hour, so only a
 * wake-up can end a sleep in a test's time) until it has received {@code count} messages of {@code [sequence,
 * send time]}. Arguments: shmDir name count spinNs routerRelaysWakes.
 * Prints {@code inbox <path>}, {@code mode <FUTEX|DOORBELL>}, then at the end
 * {@code received <n> outOfOrder <n> timeouts <n> futexSleeps <n> doorbellSleeps <n> sleeps <n> lastLookSaves <n>}
 * and a latency line (send time to handler, both CLOCK_MONOTONIC).
 */
public final class ParkedOwnerMain
{
    static final int TYPE_ID = 7;

    private ParkedOwnerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args shmDir name count spinNs routerRelaysWakes.
     */
    public static void main(final String[] args)
    {
        final int count = Integer.parseInt(args[2]);
        final boolean relay = Boolean.parseBoolean(args[4]);
        final IdleSettings settings = IdleSettings.defaults().withSpinNs(Long.parseLong(args[3])).withYields(0)
            .withMaxParkMs(IdleSettings.MAX_MAX_PARK_MS);
        try (InboxFile inbox = InboxFile.create(Path.of(args[0]), args[1], 1 << 16);
            ParkingIdleStrategy idle = new ParkingIdleStrategy(inbox, () -> 0 != inbox.ring().size(), null,
                () -> relay, settings))
        {
            System.out.println("inbox " + inbox.path());
            System.out.println("mode " + idle.parker().nextMode());
            final long[] latencies = new long[count];
            final int[] received = {0};
            final long[] outOfOrder = {0};
            while (received[0] < count)
            {
                final int work = inbox.ring().read((typeId, buffer, index, length) ->
                {
                    if (TYPE_ID != typeId || buffer.getLong(index) != received[0])
                    {
                        outOfOrder[0]++;
                    }
                    latencies[received[0]++] = System.nanoTime() - buffer.getLong(index + 8);
                }, count - received[0]);
                idle.idle(work);
            }
            System.out.println("received " + received[0] + " outOfOrder " + outOfOrder[0] +
                " timeouts " + idle.timeoutCount() + " futexSleeps " + idle.parker().futexSleeps() +
                " doorbellSleeps " + idle.parker().doorbellSleeps() + " sleeps " + idle.parkCount() +
                " lastLookSaves " + idle.strategy().lastLookSaves());
            Arrays.sort(latencies);
            System.out.printf("latency p50 %.1f us p90 %.1f us p99 %.1f us max %.1f us%n", latencies[count / 2] / 1e3,
                latencies[(int)(count * 0.9)] / 1e3, latencies[(int)(count * 0.99)] / 1e3, latencies[count - 1] / 1e3);
        }
    }
}
