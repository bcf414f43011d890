/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One gate evaluated: its status and every threshold's result.
 *
 * <p>Immutable and thread-safe.
 *
 * @param gate    the gate evaluated.
 * @param status  the outcome, derived as described on {@link GateStatus}.
 * @param results one per threshold, in the gate's order.
 */
public record GateResult(QualityGate gate, GateStatus status, List<ThresholdResult> results)
{
    /**
     * Copies the results.
     */
    public GateResult
    {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(status, "status");
        results = List.copyOf(results);
    }

    /** @return true when this gate stops the task ({@link GateStatus#FAILED}). */
    public boolean blocks()
    {
        return status == GateStatus.FAILED;
    }

    /** @return the thresholds that were missed or not measured. */
    public List<ThresholdResult> unmet()
    {
        final List<ThresholdResult> unmet = new ArrayList<>();
        for (final ThresholdResult result : results)
        {
            if (result.outcome() != ThresholdResult.Outcome.MET)
            {
                unmet.add(result);
            }
        }
        return unmet;
    }

    /**
     * The gate's outcome in one line, naming each unmet threshold with the value seen and the value required:
     * {@code code-quality (BLOCKING) FAILED: TEST_COVERAGE_PERCENT: measured 79.9 %, required >= 80 % (missed)}.
     *
     * @return the message.
     */
    public String message()
    {
        final StringBuilder text = new StringBuilder()
            .append(gate.name()).append(" (").append(gate.enforcement()).append(") ").append(status);
        final List<ThresholdResult> unmet = unmet();
        if (unmet.isEmpty())
        {
            return text.toString();
        }
        text.append(": ");
        for (int i = 0; i < unmet.size(); i++)
        {
            text.append(i == 0 ? "" : "; ").append(unmet.get(i).message());
        }
        return text.toString();
    }
}
