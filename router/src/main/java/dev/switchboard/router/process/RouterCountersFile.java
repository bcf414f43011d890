package dev.switchboard.router.process;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.counters.file.DistinctErrorLog;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.counters.CountersFile;
import dev.switchboard.ipc.counters.StaleCountersCleaner;
import dev.switchboard.router.RouterContext;
import org.agrona.ErrorHandler;

/**
 * A router process's counters file: {@code <shm dir>/counters/router-<runtime dir name>-<pid>.counters} (role and name
 * from {@link IpcContext#countersRole()} and {@link IpcContext#countersName()} when set). The router's
 * {@link SwitchboardCounters} (Agrona's {@code CountersManager}) are laid over its metadata and values; the router's
 * duty-cycle errors ({@link RouterContext#errorHandler()}), and its tier and engine fallbacks, go to its distinct error
 * log; a {@code CountersKeeper} thread writes its heartbeat and removes the files of processes dead for longer than
 * {@link IpcContext#countersRetainMs()}. Before creating it, the router removes the stale files already there. When it
 * cannot be created (the shm dir is full or not ours) the router counts in memory, with one warning.
 *
 * <p>Thread-safety: {@link #open} on the launching thread. Allocation: at launch.
 */
final class RouterCountersFile
{
    /** Error kind: a tier the router serves falls back (HIGH to NORMAL). */
    static final String TIER_FALLBACK = "tier fallback";
    /** Error kind: the io_uring engine could not start; the NIO engine runs. */
    static final String ENGINE_FALLBACK = "engine fallback";
    /** Error kind prefix of an unexpected error in the duty cycle (followed by its class's simple name). */
    static final String DUTY_CYCLE_ERROR = "router duty-cycle error: ";

    private static final System.Logger LOG = System.getLogger(RouterProcess.class.getName());

    private RouterCountersFile()
    {
    }

    /**
     * Clean the stale counters files, create this router's, and point the router context at it: its counters, and its
     * error handler (which then also calls the handler the context had).
     *
     * @param routerContext the router's settings; its counters and error handler are set.
     * @param ipc           where the shm dir is, the retention, and the role and name if set.
     * @return the file.
     */
    static CountersFile open(final RouterContext routerContext, final IpcContext ipc)
    {
        try
        {
            StaleCountersCleaner.clean(ipc.shmDir(), ipc.countersRetainMs());
        }
        catch (final RuntimeException e)
        {
            LOG.log(System.Logger.Level.WARNING, "cannot clean stale counters files: " + e.getMessage());
        }
        final CountersSnapshot.Role role = ipc.countersRole() != null ? ipc.countersRole() :
            CountersSnapshot.Role.ROUTER;
        final String name = ipc.countersName() != null ? ipc.countersName() : runtimeDirName(ipc.runtimeDir());
        CountersFile file;
        try
        {
            file = CountersFile.create(ipc.shmDir(), role, name);
        }
        catch (final UncheckedIOException | IllegalArgumentException e)
        {
            LOG.log(System.Logger.Level.WARNING, "no counters file for this router (switchboard stat will not see " +
                "it): " + e.getMessage());
            file = CountersFile.inMemory(role, name, CounterIds.COUNT);
        }
        routerContext.counters(new SwitchboardCounters(file.metadataBuffer(), file.valuesBuffer()));
        routerContext.errorHandler(new LoggedErrors(file.writer().errors(), routerContext.errorHandler()));
        return file;
    }

    private static String runtimeDirName(final Path runtimeDir)
    {
        final Path name = runtimeDir.toAbsolutePath().normalize().getFileName();
        return name == null ? "router" : name.toString();
    }

    /**
     * Logs each duty-cycle error in the distinct error log (kind {@value #DUTY_CYCLE_ERROR} and the error's class),
     * then hands it to the handler the context had. Duty-cycle thread; allocates the kind's text.
     */
    static final class LoggedErrors implements ErrorHandler
    {
        private final DistinctErrorLog log;
        private final ErrorHandler next;

        LoggedErrors(final DistinctErrorLog log, final ErrorHandler next)
        {
            this.log = log;
            // A context reused for another router process: chain to the user's handler, not to the last file's.
            this.next = next instanceof LoggedErrors previous ? previous.next : next;
        }

        @Override
        public void onError(final Throwable throwable)
        {
            log.record(DUTY_CYCLE_ERROR + throwable.getClass().getSimpleName(), String.valueOf(throwable));
            if (next != null)
            {
                next.onError(throwable);
            }
        }
    }
}
