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
    API_DOCS_PERCENT("%"),
    /** Tests that failed or ended in an error; 0 when every test passed. */
    TEST_FAILURES(""),
    /**
     * Lint score, 0 to 100: {@code 100 * (1 - weighted findings / lines of code)}, floored at 0, where a
     * finding of priority 1 weighs 5, of priority 2 weighs 3 and any other 1 (see
     * {@code gates.measure.ToolReports.lintScore}; the same for PMD and pyflakes).
     */
    LINT_SCORE(""),
    /** Hard-coded secrets found (keys, tokens, private keys, credential literals). */
    SECRETS_FOUND(""),
    /** Resolved dependencies matched by an entry of the configured advisory database. */
    VULNERABLE_DEPENDENCIES(""),
    /** Comment lines as a share of comment and code lines of the non-test sources, 0 to 100. */
    COMMENT_PERCENT("%"),
    /** Share of the required README sections present, 0 to 100. */
    README_COMPLETE_PERCENT("%"),
    /**
     * 1 when a reviewer agent approved the phase's merged work in its result file ({@code "verdict": "approve"}),
     * 0 when it rejected it; measured by running the reviewer, never taken from the author's report.
     */
    REVIEW_APPROVED("");

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
     * Formats a value of this metric with its unit, to one decimal, dropping a fraction of zero: {@code 80 %},
     * {@code 79.9 %} (for 79.94), {@code 120 ms}, {@code 3}.
     *
     * @param value the value.
     * @return the value and unit.
     */
    public String format(final double value)
    {
        final double rounded = Math.abs(value) < 1e15 ? Math.round(value * 10) / 10.0 : value;
        final String number = rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15 ?
            Long.toString((long)rounded) : Double.toString(rounded);
        return unit.isEmpty() ? number : number + " " + unit;
    }
}
