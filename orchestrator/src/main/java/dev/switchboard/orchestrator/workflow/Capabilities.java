/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.Set;
import java.util.TreeSet;

/**
 * The capability vocabulary: the names an agent advertises and a phase or task asks for. A workflow naming a
 * capability outside this set is rejected, because no agent could ever be selected for it.
 * <p>
 * Stateless and thread-safe; nothing here allocates after class initialisation.
 */
public final class Capabilities
{
    /** Producing a design: interfaces, data model, trade-offs. */
    public static final String DESIGN = "design";
    /** Module boundaries and dependencies across the system. */
    public static final String ARCHITECTURE = "architecture";
    /** Writing production code. */
    public static final String IMPLEMENTATION = "implementation";
    /** Writing and running tests. */
    public static final String TESTING = "testing";
    /** Making measured code faster or smaller. */
    public static final String OPTIMIZATION = "optimization";
    /** Measuring where time and memory go. */
    public static final String PROFILING = "profiling";
    /** Benchmarking and judging performance against a budget. */
    public static final String PERFORMANCE = "performance";
    /** Writing user and API documentation. */
    public static final String DOCUMENTATION = "documentation";
    /** Finding the cause of a reported defect. */
    public static final String DIAGNOSIS = "diagnosis";
    /** Stepping through and instrumenting running code. */
    public static final String DEBUGGING = "debugging";
    /** Threat review and vulnerability scanning. */
    public static final String SECURITY = "security";
    /** Reviewing someone else's change. */
    public static final String REVIEW = "review";
    /** Static analysis and style checks. */
    public static final String LINTING = "linting";

    private static final Set<String> KNOWN = Set.copyOf(new TreeSet<>(Set.of(
        DESIGN, ARCHITECTURE, IMPLEMENTATION, TESTING, OPTIMIZATION, PROFILING, PERFORMANCE, DOCUMENTATION,
        DIAGNOSIS, DEBUGGING, SECURITY, REVIEW, LINTING)));

    private static final String KNOWN_LIST = String.join(", ", new TreeSet<>(KNOWN));

    private Capabilities()
    {
    }

    /**
     * Whether {@code capability} is in the vocabulary. Names are case-sensitive and lower-case.
     *
     * @param capability the name to look up; {@code null} is not known.
     * @return {@code true} if the capability is known.
     */
    public static boolean isKnown(final String capability)
    {
        return capability != null && KNOWN.contains(capability);
    }

    /**
     * @return every known capability, as an unmodifiable set.
     */
    public static Set<String> known()
    {
        return KNOWN;
    }

    /**
     * @return the known capabilities sorted and comma-separated, for error messages.
     */
    public static String knownList()
    {
        return KNOWN_LIST;
    }

    /**
     * Throws unless {@code capability} is known.
     *
     * @param capability the name to check.
     * @param owner      what asked for it, named in the error, e.g. {@code "task 'core'"}.
     * @return {@code capability}, for use in constructors.
     * @throws IllegalArgumentException naming the capability, the owner and the known capabilities.
     */
    static String requireKnown(final String capability, final String owner)
    {
        if (!isKnown(capability))
        {
            throw new IllegalArgumentException(
                "unknown capability '" + capability + "' for " + owner + "; known capabilities: " + KNOWN_LIST);
        }
        return capability;
    }
}
