package dev.switchboard.counters.file;

import java.nio.file.Path;
import java.util.List;

/**
 * One process's counters file read at one instant: who wrote it, and every counter, histogram and distinct error in
 * it. Made by {@link CountersFiles#read(Path)} / {@link CountersFiles#readAll(Path)}; what {@code ./switchboard stat},
 * {@code ./switchboard errors}, the Prometheus exporter and the status page show.
 *
 * @param file        the counters file.
 * @param role        what kind of process writes it.
 * @param name        the process's name: the router's runtime directory name, the agent's registered name (or
 *                    {@code "pid-N"} before it registers), the orchestrator's workflow.
 * @param pid         the writer's process id.
 * @param startMs     when the writer created the file (epoch ms).
 * @param heartbeatMs the writer's last heartbeat (epoch ms; written about once a second while it runs).
 * @param alive       whether the writer's process is alive now (checked by pid and start time, not by heartbeat).
 * @param counters    every allocated counter, in id order.
 * @param histograms  every latency histogram.
 * @param errors      every distinct error kind seen, in order of first occurrence.
 */
public record CountersSnapshot(
    Path file,
    Role role,
    String name,
    long pid,
    long startMs,
    long heartbeatMs,
    boolean alive,
    List<Counter> counters,
    List<Histogram> histograms,
    List<DistinctError> errors)
{
    /** What kind of process writes a counters file. */
    public enum Role
    {
        /** A router process (or a router embedded in the orchestrator). */
        ROUTER,
        /** An agent process (its client's counters). */
        AGENT,
        /** The orchestrator: workflows, tasks, gates. */
        ORCHESTRATOR
    }

    /**
     * One counter.
     *
     * @param id     its id in the file (its slot).
     * @param typeId its type, as Agrona's counters have one (see {@code CountersFileDescriptor}).
     * @param label  what it counts, e.g. {@code "SENT tier=CRITICAL pattern=SEND"}.
     * @param value  its value when read.
     */
    public record Counter(int id, int typeId, String label, long value)
    {
    }

    /**
     * A latency histogram: counts in buckets with fixed upper bounds.
     *
     * @param name          what it measures, e.g. {@code "request_response_ns"}.
     * @param upperBoundsNs each bucket's upper bound in nanoseconds, ascending; the last is {@link Long#MAX_VALUE}.
     * @param counts        the count in each bucket (not cumulative), as many as {@code upperBoundsNs}.
     * @param sumNs         the sum of every recorded value (ns).
     */
    public record Histogram(String name, long[] upperBoundsNs, long[] counts, long sumNs)
    {
    }

    /**
     * A distinct error kind, as in Aeron's distinct error log: counted, with its first and last time.
     *
     * @param kind    the error kind, e.g. {@code "inbox corrupt record"}.
     * @param message the first occurrence's message.
     * @param firstMs when it first happened (epoch ms).
     * @param lastMs  when it last happened (epoch ms).
     * @param count   how many times.
     */
    public record DistinctError(String kind, String message, long firstMs, long lastMs, long count)
    {
    }
}
