/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One way a repository falls short of a quality gate, as found by {@link GapDetector}. Immutable.
 *
 * @param area      what kind of shortfall it is, which decides the agent that can close it.
 * @param severity  how far from the threshold the measurement is.
 * @param message   what was measured against what, in words a user can act on.
 * @param measured  the measured value, empty when nothing could be measured (for example no coverage report).
 * @param threshold the value the gate asks for, in the same unit as {@code measured}.
 */
public record Gap(Area area, Severity severity, String message, OptionalDouble measured, double threshold)
{
    /** The kinds of gap, each with the capability of the agent that closes it. */
    public enum Area
    {
        /** No tests, or too few. */
        TESTS(AgentCapabilities.TESTBED),
        /** Line coverage below the gate, or not measured. */
        COVERAGE(AgentCapabilities.TESTBED),
        /** Public Java API without Javadoc. */
        DOCUMENTATION(AgentCapabilities.SCRIBE),
        /** Methods whose cyclomatic complexity reaches the gate. */
        COMPLEXITY(AgentCapabilities.REFACTORER),
        /** Too many lines in repeated blocks. */
        DUPLICATION(AgentCapabilities.REFACTORER),
        /** Not produced by static analysis; reserved for gaps found by benchmark gates. */
        PERFORMANCE(AgentCapabilities.OPTIMIZER),
        /** Dependencies without a lock file or with unpinned versions. */
        SECURITY(AgentCapabilities.AUDITOR);

        private final String agent;

        Area(final String agent)
        {
            this.agent = agent;
        }

        /**
         * The capability that closes gaps of this kind.
         *
         * @return one of the {@link AgentCapabilities} names.
         */
        public String agent()
        {
            return agent;
        }
    }

    /** How far a measurement is from its threshold, least to most. */
    public enum Severity
    {
        /** Close to the threshold, or a hygiene issue. */
        LOW,
        /** Clearly below the gate. */
        MEDIUM,
        /** Far below the gate, or the measure is missing entirely. */
        HIGH
    }

    /**
     * Checks the components are present.
     *
     * @throws NullPointerException if any reference component is null.
     */
    public Gap
    {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(measured, "measured");
    }
}
