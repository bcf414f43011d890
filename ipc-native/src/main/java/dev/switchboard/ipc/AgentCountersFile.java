package dev.switchboard.ipc;

import java.io.UncheckedIOException;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.ipc.counters.CountersFile;

/**
 * The counters file of an agent process's connection ({@link IpcConnection}): created at connect as
 * {@code agent-pid-N-N.counters}, renamed {@code agent-<name>-N.counters} when the agent registers, removed when the
 * connection closes. Its values are the connection's counters (the client flushes into them from its duty slice), its
 * histograms the client's ({@code request_response_ns}), its error log the connection's error reports under the kinds
 * below. When the file cannot be created (the shm dir is full or not ours) the connection counts in memory instead,
 * with one warning: {@code stat} then does not see the agent, nothing else changes.
 *
 * <p>Thread-safety: stateless. Allocation: at connect.
 */
public final class AgentCountersFile
{
    /** The histogram of request/response round trips (send to matched response), ns: the client's. */
    public static final String REQUEST_RESPONSE_HISTOGRAM = "request_response_ns";
    /** Error kind: this agent's own CRITICAL inbox faulted (truncated by another process). */
    public static final String INBOX_FAULT = "inbox fault: own inbox truncated";
    /** Error kind: a receiver's CRITICAL inbox faulted while this agent wrote to it. */
    public static final String PEER_INBOX_FAULT = "inbox fault: a receiver's inbox truncated";
    /** Error kind: a record a sender claimed and never committed was unblocked. */
    public static final String INBOX_RECORD_UNBLOCKED = "inbox record unblocked";
    /** Error kind: corrupt records in this agent's inbox, discarded. */
    public static final String INBOX_CORRUPT = "inbox corrupt records";
    /** Error kind: a tier fell back to another ({@link TierProbe}); the message names the tier and the cause. */
    public static final String TIER_FALLBACK = "tier fallback";

    private AgentCountersFile()
    {
    }

    /**
     * The counters file of a new connection, named {@code pid-N} until it registers.
     *
     * @param ctx where the shm dir is.
     * @return the file, or one in memory when the shared one cannot be created (warned once per process).
     */
    static CountersFile open(final IpcContext ctx)
    {
        final String name = "pid-" + ProcessHandle.current().pid();
        CountersFile file;
        try
        {
            file = CountersFile.create(ctx.shmDir(), CountersSnapshot.Role.AGENT, name);
        }
        catch (final UncheckedIOException | IllegalArgumentException | IllegalStateException e)
        {
            Warned.once("no counters file for this agent in " + ctx.shmDir() + " (switchboard stat will not see it): " +
                e.getMessage());
            file = CountersFile.inMemory(CountersSnapshot.Role.AGENT, name, CounterIds.COUNT);
        }
        // Labels written flag-free (no Agrona CountersManager in an agent process).
        file.writer().defineFixedCounters();
        return file;
    }

    /** Holder: one warning per process. */
    private static final class Warned
    {
        private static final java.util.concurrent.atomic.AtomicBoolean DONE =
            new java.util.concurrent.atomic.AtomicBoolean();

        static void once(final String message)
        {
            if (DONE.compareAndSet(false, true))
            {
                IpcLog.warn(message);
            }
        }
    }
}
