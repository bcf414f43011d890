/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

/**
 * The names of the agent capabilities a {@link Gap} can be handed to. These are the names agents register under;
 * {@link Gap.Area#agent()} says which one closes each kind of gap.
 */
public final class AgentCapabilities
{
    /** Writes and extends tests: closes {@link Gap.Area#TESTS} and {@link Gap.Area#COVERAGE} gaps. */
    public static final String TESTBED = "Testbed";
    /** Writes documentation and Javadoc: closes {@link Gap.Area#DOCUMENTATION} gaps. */
    public static final String SCRIBE = "Scribe";
    /** Restructures code: closes {@link Gap.Area#COMPLEXITY} and {@link Gap.Area#DUPLICATION} gaps. */
    public static final String REFACTORER = "Refactorer";
    /** Measures and speeds up code: closes {@link Gap.Area#PERFORMANCE} gaps. */
    public static final String OPTIMIZER = "Optimizer";
    /** Reviews dependencies and code for security: closes {@link Gap.Area#SECURITY} gaps. */
    public static final String AUDITOR = "Auditor";

    private AgentCapabilities()
    {
    }
}
