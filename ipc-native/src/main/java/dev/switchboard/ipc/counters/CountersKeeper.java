package dev.switchboard.ipc.counters;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that keeps a long-running process's counters file: it writes the heartbeat once a second and removes
 * the stale counters files of the shm dir ({@link StaleCountersCleaner}) every half retention (at least every second,
 * at most every 30 s). The router runs one, so its duty cycle never lists a directory; an agent needs none (its client
 * writes the heartbeat from its duty slice).
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread. Allocation: a sweep allocates; a heartbeat does
 * not.
 */
public final class CountersKeeper implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("dev.switchboard.ipc.counters");
    private static final long HEARTBEAT_NS = CountersFile.HEARTBEAT_INTERVAL_NS;

    private final CountersFile file;
    private final Path shmDir;
    private final long retainMs;
    private final long sweepNs;
    private final Thread thread;
    private volatile boolean running = true;

    private CountersKeeper(final CountersFile file, final Path shmDir, final long retainMs)
    {
        this.file = file;
        this.shmDir = shmDir;
        this.retainMs = retainMs;
        this.sweepNs = TimeUnit.MILLISECONDS.toNanos(Math.clamp(retainMs / 2, 1_000L, 30_000L));
        this.thread = Thread.ofPlatform().daemon().name("switchboard-counters").unstarted(this::run);
    }

    /**
     * Start keeping a counters file.
     *
     * @param file     the process's counters file.
     * @param shmDir   the shm dir whose stale counters files are removed.
     * @param retainMs how long a dead process's file is kept after its last heartbeat.
     * @return the running keeper.
     */
    public static CountersKeeper start(final CountersFile file, final Path shmDir, final long retainMs)
    {
        final CountersKeeper keeper = new CountersKeeper(file, shmDir, retainMs);
        keeper.thread.start();
        return keeper;
    }

    private void run()
    {
        long nextSweepNs = System.nanoTime();
        while (running)
        {
            final long nowNs = System.nanoTime();
            file.heartbeat(nowNs);
            if (nowNs - nextSweepNs >= 0)
            {
                nextSweepNs = nowNs + sweepNs;
                try
                {
                    StaleCountersCleaner.clean(shmDir, retainMs);
                }
                catch (final RuntimeException ex)
                {
                    LOG.log(System.Logger.Level.WARNING, "cannot clean stale counters files: " + ex);
                }
            }
            LockSupport.parkNanos(this, HEARTBEAT_NS);
        }
    }

    /**
     * Stop the thread (within a moment; it does not remove the file: its owner does).
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
