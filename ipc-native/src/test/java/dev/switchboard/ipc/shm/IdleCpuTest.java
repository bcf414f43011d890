package dev.switchboard.ipc.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent with nothing to do does not burn a core: a receiver thread idling in {@link ParkingIdleStrategy}
 * (default settings) for 2 s uses a small fraction of one core. The bound is generous (20 %): this is about
 * behaviour (sleeping rather than spinning, which would show ~100 %), not speed.
 */
class IdleCpuTest
{
    private static final long WINDOW_MS = 2_000;

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void anIdleReceiverUsesAlmostNoCpu() throws Exception
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertTrue(threads.isCurrentThreadCpuTimeSupported(), "thread CPU time is measurable here");

        try (InboxFile inbox = InboxFile.create(tempDir.resolve("shm"), "idler", 1 << 16))
        {
            final AtomicBoolean running = new AtomicBoolean(true);
            final CountDownLatch started = new CountDownLatch(1);
            final long[] cpuNs = new long[1];
            final long[] parks = new long[1];
            final Thread receiver = new Thread(() ->
            {
                try (ParkingIdleStrategy idle = new ParkingIdleStrategy(inbox))
                {
                    final long cpuStart = threads.getCurrentThreadCpuTime();
                    started.countDown();
                    while (running.get())
                    {
                        final int work = inbox.ring().read((typeId, buffer, index, length) -> { });
                        inbox.heartbeat();
                        idle.idle(work);
                    }
                    cpuNs[0] = threads.getCurrentThreadCpuTime() - cpuStart;
                    parks[0] = idle.parkCount();
                }
            }, "idle-receiver");

            final long wallStart = System.nanoTime();
            receiver.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Thread.sleep(WINDOW_MS);
            running.set(false);
            receiver.join(TimeUnit.SECONDS.toMillis(10));
            final long wallNs = System.nanoTime() - wallStart;

            final double share = (double)cpuNs[0] / wallNs;
            System.out.printf("idle receiver: %.3f ms CPU over %.0f ms wall = %.3f %% of one core (%d sleeps of at most %d ms)%n",
                cpuNs[0] / 1e6, wallNs / 1e6, share * 100, parks[0], ParkingIdleStrategy.maxParkMsFromProperty());
            assertTrue(!receiver.isAlive(), "receiver stopped");
            assertTrue(share < 0.20, "idle receiver used " + share * 100 + " % of a core");
        }
    }
}
