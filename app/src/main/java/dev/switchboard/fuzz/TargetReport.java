/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one target of a fuzz campaign did: inputs run, frames and bytes written, connections opened, connections the
 * target closed as the rules say it must, replies read, the target's own counters ({@link #details()}), and its
 * findings. Everything here was measured during the run.
 * <p>
 * Thread-safety: the counters and {@link #add(Finding)} may be used from the campaign's driver threads at once; read
 * the report after the run. Allocation: none per count.
 */
public final class TargetReport
{
    /** Findings kept per target; more are counted, not kept (the first ones reproduce the failure). */
    static final int MAX_FINDINGS = 50;

    final LongAdder inputs = new LongAdder();
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder closesExpected = new LongAdder();
    final LongAdder closedAsExpected = new LongAdder();
    final LongAdder replies = new LongAdder();

    private final String name;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Long> details = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private long findingCount;
    private long elapsedNs;
    private long runningNs;

    TargetReport(final String name)
    {
        this.name = name;
    }

    /**
     * @return the target and engine, e.g. {@code sockets/nio}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return inputs generated and run (each one frame, record or byte string of the campaign's generator).
     */
    public long inputs()
    {
        return inputs.sum();
    }

    /**
     * @return frames written to the target, the inputs plus each connection's preamble (registration, attach) and
     * fences.
     */
    public long frames()
    {
        return frames.sum();
    }

    /**
     * @return bytes written to the target.
     */
    public long bytes()
    {
        return bytes.sum();
    }

    /**
     * @return connections opened to the target (0 for targets without connections).
     */
    public long connections()
    {
        return connections.sum();
    }

    /**
     * @return connections that sent an input after which the target must close them (broken framing, an oversized
     * frame before registration, a refused attach).
     */
    public long closesExpected()
    {
        return closesExpected.sum();
    }

    /**
     * @return of {@link #closesExpected()}, those the target did close within the deadline.
     */
    public long closedAsExpected()
    {
        return closedAsExpected.sum();
    }

    /**
     * @return frames the target sent back (errors, acks, lookup results, events).
     */
    public long replies()
    {
        return replies.sum();
    }

    /**
     * @return wall-clock time of the run, start-up of the target's processes included.
     */
    public long elapsedNs()
    {
        return elapsedNs;
    }

    void elapsedNs(final long ns)
    {
        elapsedNs = ns;
    }

    /**
     * @return time the inputs ran: {@link #elapsedNs()} without starting and stopping processes and traffic (the same
     * when the target has none).
     */
    public long runningNs()
    {
        return runningNs > 0 ? runningNs : elapsedNs;
    }

    void runningNs(final long ns)
    {
        runningNs = ns;
    }

    /**
     * @return inputs per second over {@link #runningNs()}.
     */
    public double inputsPerSecond()
    {
        final long ns = runningNs();
        return ns == 0 ? 0 : inputs() * (double)TimeUnit.SECONDS.toNanos(1) / ns;
    }

    /**
     * @return the findings kept (at most {@value #MAX_FINDINGS}, the first ones).
     */
    public synchronized List<Finding> findings()
    {
        return List.copyOf(findings);
    }

    /**
     * @return findings found, kept or not.
     */
    public synchronized long findingCount()
    {
        return findingCount;
    }

    /**
     * @param kind a class of finding.
     * @return findings of that kind among those kept.
     */
    public synchronized long count(final Finding.Kind kind)
    {
        return findings.stream().filter(f -> f.kind() == kind).count();
    }

    /**
     * @return the target's own numbers (the router's counters at its stop, a reader's counters), by name.
     */
    public synchronized Map<String, Long> details()
    {
        return new LinkedHashMap<>(details);
    }

    /**
     * @return remarks on the run (what was skipped and why).
     */
    public synchronized List<String> notes()
    {
        return List.copyOf(notes);
    }

    /**
     * @param finding to record.
     * @return true when it was kept (false past {@value #MAX_FINDINGS}: counted only).
     */
    synchronized boolean add(final Finding finding)
    {
        findingCount++;
        if (findings.size() >= MAX_FINDINGS)
        {
            return false;
        }
        findings.add(finding);
        return true;
    }

    synchronized void detail(final String key, final long value)
    {
        details.put(key, value);
    }

    synchronized void note(final String note)
    {
        notes.add(note);
    }
}
