/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

/**
 * A measured property of a change that a {@link Threshold} can constrain, with the unit its values are in.
 * The measurement itself (coverage tool, scanner, load test) is outside this package: it hands
 * {@link GateEvaluator} a {@code Map<Metric, Double>}.
 */
public enum Metric
{
    /** Line coverage of the test suite, 0 to 100. */
    TEST_COVERAGE_PERCENT("%"),
    /** The highest cyclomatic complexity of any method. */
    CYCLOMATIC_COMPLEXITY_MAX(""),
    /** Share of duplicated lines, 0 to 100. */
    DUPLICATION_PERCENT("%"),
    /** Count of open critical vulnerabilities. */
    CRITICAL_VULNERABILITIES(""),
    /** Count of open high vulnerabilities. */
    HIGH_VULNERABILITIES(""),
    /** 95th percentile response time. */
    P95_RESPONSE_MS("ms"),
    /** Peak resident memory. */
    MEMORY_MB("MB"),
    /** Share of public API with documentation, 0 to 100. */
    API_DOCS_PERCENT("%");

    private final String unit;

    Metric(final String unit)
    {
        this.unit = unit;
    }

    /**
     * The unit values are in, for messages: {@code "%"}, {@code "ms"}, {@code "MB"}, or {@code ""} for counts.
     *
     * @return the unit symbol, never null.
     */
    public String unit()
    {
        return unit;
    }

    /**
     * Formats a value of this metric with its unit, dropping a fraction of zero: {@code 80 %}, {@code 79.9 %},
     * {@code 120 ms}, {@code 3}.
     *
     * @param value the value.
     * @return the value and unit.
     */
    public String format(final double value)
    {
        final String number = value == Math.rint(value) && Math.abs(value) < 1e15 ?
            Long.toString((long)value) : Double.toString(value);
        return unit.isEmpty() ? number : number + " " + unit;
    }
}
