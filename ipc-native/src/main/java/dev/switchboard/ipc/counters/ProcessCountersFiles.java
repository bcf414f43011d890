package dev.switchboard.ipc.counters;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.file.DistinctErrorLog;
import dev.switchboard.counters.file.LatencyHistogram;
import dev.switchboard.ipc.files.OwnedFiles;

/**
 * The counters files this process has open, so that code with no file of its own at hand can reach the right one:
 * an error reported where only a connection's {@link CounterBlock} is known goes to the error log of the file whose
 * counters those are ({@link #errorLogOf}); a process-wide error (a file {@link OwnedFiles} refused) or a process-wide
 * histogram (the orchestrator's task hand-off) goes to the process's first open file ({@link #primary()}: the router's
 * in a router or orchestrator process, the agent's in an agent process).
 *
 * <p>Thread-safety: any thread. Allocation: on the error paths, and when files open and close.
 */
public final class ProcessCountersFiles
{
    private static final List<CountersFile> OPEN = new CopyOnWriteArrayList<>();

    static
    {
        OwnedFiles.onRefusal(refused -> recordProcessError("file refused: " + refused.reason(), refused.getMessage()));
    }

    private ProcessCountersFiles()
    {
    }

    static CountersFile register(final CountersFile file)
    {
        OPEN.add(file);
        return file;
    }

    static void unregister(final CountersFile file)
    {
        OPEN.remove(file);
    }

    /**
     * @return this process's first counters file still open, or null.
     */
    public static CountersFile primary()
    {
        for (final CountersFile file : OPEN)
        {
            return file;
        }
        return null;
    }

    /**
     * @param counters a connection's counters.
     * @return the error log of the open file those counters are in; else the {@link #primary()}'s; else null.
     */
    public static DistinctErrorLog errorLogOf(final CounterBlock counters)
    {
        for (final CountersFile file : OPEN)
        {
            if (file.writer().counters() == counters)
            {
                return file.writer().errors();
            }
        }
        final CountersFile primary = primary();
        return primary == null ? null : primary.writer().errors();
    }

    /**
     * Log an error in the error log of the file those counters are in (see {@link #errorLogOf}), if there is one.
     *
     * @param counters a connection's counters.
     * @param kind     the error kind.
     * @param message  what happened.
     */
    public static void recordError(final CounterBlock counters, final String kind, final String message)
    {
        final DistinctErrorLog log = errorLogOf(counters);
        if (log != null)
        {
            log.record(kind, message);
        }
    }

    /**
     * Log a process-wide error in the {@link #primary()} file's error log, if there is one.
     *
     * @param kind    the error kind.
     * @param message what happened.
     */
    public static void recordProcessError(final String kind, final String message)
    {
        final CountersFile primary = primary();
        if (primary != null)
        {
            primary.writer().errors().record(kind, message);
        }
    }

    /**
     * A process-wide histogram in the {@link #primary()} file (several threads may record into it: use
     * {@link LatencyHistogram#recordAtomic}).
     *
     * @param name what it measures.
     * @return the histogram, or null when this process has no counters file or its histogram slots are taken.
     */
    public static LatencyHistogram processHistogram(final String name)
    {
        final CountersFile primary = primary();
        return primary == null ? null : primary.writer().histogram(name);
    }
}
