/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.List;

/**
 * Every gate's result for one measurement, in gate order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param results one per gate evaluated.
 */
public record GateReport(List<GateResult> results)
{
    /**
     * The error kind under which a report that did not pass is handed to recovery, so that a
     * {@code RetryOptions} can list it as non-retryable if a retry of the same agent is pointless.
     */
    public static final String ERROR_KIND = "QUALITY_GATE_FAILED";

    /**
     * Copies the results.
     */
    public GateReport
    {
        results = List.copyOf(results);
    }

    /** @return true when no gate blocks: every BLOCKING gate passed (WARNING gates never block). */
    public boolean passed()
    {
        return blockingFailures().isEmpty();
    }

    /** @return the gates with status {@link GateStatus#FAILED}, which block the task. */
    public List<GateResult> blockingFailures()
    {
        return withStatus(GateStatus.FAILED);
    }

    /** @return the gates with status {@link GateStatus#WARNED} or {@link GateStatus#NOT_MEASURED}. */
    public List<GateResult> warnings()
    {
        final List<GateResult> warnings = new ArrayList<>(withStatus(GateStatus.WARNED));
        warnings.addAll(withStatus(GateStatus.NOT_MEASURED));
        return warnings;
    }

    /**
     * @param name a gate's exact name.
     * @return that gate's result.
     * @throws IllegalArgumentException when no gate of that name was evaluated.
     */
    public GateResult result(final String name)
    {
        for (final GateResult result : results)
        {
            if (result.gate().name().equals(name))
            {
                return result;
            }
        }
        final List<String> names = new ArrayList<>();
        results.forEach(result -> names.add(result.gate().name()));
        throw new IllegalArgumentException("no quality gate '" + name + "' in this report; it has " + names);
    }

    /** @return one line per gate, from {@link GateResult#message()}. */
    public String summary()
    {
        final StringBuilder text = new StringBuilder(passed() ? "quality gates passed" : "quality gates FAILED");
        for (final GateResult result : results)
        {
            text.append(System.lineSeparator()).append("  ").append(result.message());
        }
        return text.toString();
    }

    private List<GateResult> withStatus(final GateStatus status)
    {
        final List<GateResult> matching = new ArrayList<>();
        for (final GateResult result : results)
        {
            if (result.status() == status)
            {
                matching.add(result);
            }
        }
        return matching;
    }
}
