/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.Map;
import java.util.Objects;

/**
 * What kind of failure a {@link Failure} is, which decides what {@link RecoveryPolicy} does about it. A failure's
 * error kind is a string chosen by whoever reported it; its class is what recovery reasons about. The built-in
 * table ({@link #BUILT_IN}) is overridden per error kind by {@link RetryOptions.Builder#classify}.
 *
 * <table>
 *   <caption>Classes, the error kinds in them by default, and what recovery does</caption>
 *   <tr><th>class</th><th>error kinds</th><th>recovery, in order</th></tr>
 *   <tr><td>{@link #TRANSIENT}</td><td>{@code UNREACHABLE}, {@code AGENT_FAILED}, {@code COMMAND_FAILED},
 *       and every kind not listed here</td>
 *       <td>retry on the same agent with backoff, up to the attempts; another agent; skip if optional;
 *       escalate</td></tr>
 *   <tr><td>{@link #AGENT_FAILURE}</td><td>{@code AGENT_CRASHED}, {@code AGENT_LOST}</td>
 *       <td>another agent at once; skip if optional; escalate</td></tr>
 *   <tr><td>{@link #CAPABILITY_MISMATCH}</td><td>{@code CAPABILITY_MISMATCH}, {@code NO_COMMAND}</td>
 *       <td>another agent, never the same one again; skip if optional; escalate</td></tr>
 *   <tr><td>{@link #TOO_COMPLEX}</td><td>{@code TOO_COMPLEX}</td>
 *       <td>decompose when decomposable; another agent; skip if optional; escalate</td></tr>
 *   <tr><td>{@link #TIMEOUT}</td><td>{@code TASK_TIMEOUT}, {@code AGENT_TIMED_OUT}</td>
 *       <td>another agent; decompose when decomposable (the task was too big); skip if optional; escalate</td></tr>
 *   <tr><td>{@link #MERGE_CONFLICT}</td><td>{@code MERGE_CONFLICT}</td>
 *       <td>re-run at once on the same agent from the merged head, up to the attempts; another agent; skip if
 *       optional; escalate</td></tr>
 *   <tr><td>{@link #GATE_FAILURE}</td><td>{@code QUALITY_GATE_FAILED}</td>
 *       <td>escalate with the gate summary: gates are remediated by the engine, not retried</td></tr>
 *   <tr><td>{@link #PERMANENT}</td><td>{@code INVALID_RESULT}, {@code HANDLER_ERROR}</td>
 *       <td>another agent; skip if optional; escalate</td></tr>
 * </table>
 *
 * An error kind nobody listed is {@link #TRANSIENT}: kinds come from handlers this table does not know (a command
 * handler, a test's script), the cost of treating one as transient is bounded (the attempts and their backoff,
 * then the ladder goes on), and it is what recovery did before failures had classes. Whoever knows better lists
 * the kind with {@link RetryOptions.Builder#classify} or {@link RetryOptions.Builder#setNonRetryableErrorKinds}.
 *
 * <p>Immutable and thread-safe.
 */
public enum FailureClass
{
    /** The environment failed, not the work: a lost connection, a rate limit, a non-zero exit of the agent CLI. */
    TRANSIENT("transient"),
    /** The agent's process died (a signal, a lost connection to it): the work may be fine, the agent is not. */
    AGENT_FAILURE("agent failure"),
    /** The agent says, or shows, it cannot do this kind of task. */
    CAPABILITY_MISMATCH("capability mismatch"),
    /** The agent says the task is too large or tangled to finish as one piece. */
    TOO_COMPLEX("too complex"),
    /** The task's phase failed its quality gates; the engine remediates, recovery does not retry. */
    GATE_FAILURE("gate failure"),
    /** The task's work could not be merged onto the work that finished before it. */
    MERGE_CONFLICT("merge conflict"),
    /** The task ran out of time, on the runtime's clock or the agent's own. */
    TIMEOUT("timeout"),
    /** The attempt failed in a way another run on the same agent would repeat (an unreadable result, a bug). */
    PERMANENT("permanent");

    /**
     * The error kinds with a class by default. Kinds are the constants of the code that reports them
     * ({@code WorkflowRuntime}, {@code AgentDeparted}, {@code AgentInvocation}, {@code MergeConflict},
     * {@code GateReport}, {@code CommandTaskHandler}, {@code TaskAgent}); they are spelled out here so that this
     * package depends on none of them.
     */
    public static final Map<String, FailureClass> BUILT_IN = Map.ofEntries(
        Map.entry("UNREACHABLE", TRANSIENT),
        Map.entry("AGENT_FAILED", TRANSIENT),
        Map.entry("COMMAND_FAILED", TRANSIENT),
        Map.entry("AGENT_CRASHED", AGENT_FAILURE),
        Map.entry("AGENT_LOST", AGENT_FAILURE),
        Map.entry("CAPABILITY_MISMATCH", CAPABILITY_MISMATCH),
        Map.entry("NO_COMMAND", CAPABILITY_MISMATCH),
        Map.entry("TOO_COMPLEX", TOO_COMPLEX),
        Map.entry("QUALITY_GATE_FAILED", GATE_FAILURE),
        Map.entry("MERGE_CONFLICT", MERGE_CONFLICT),
        Map.entry("TASK_TIMEOUT", TIMEOUT),
        Map.entry("AGENT_TIMED_OUT", TIMEOUT),
        Map.entry("INVALID_RESULT", PERMANENT),
        Map.entry("HANDLER_ERROR", PERMANENT));

    /** The class of an error kind found in neither the options nor {@link #BUILT_IN}. */
    public static final FailureClass UNKNOWN_KIND = TRANSIENT;

    private final String description;

    FailureClass(final String description)
    {
        this.description = description;
    }

    /**
     * @param errorKind a failure's error kind.
     * @return its class by the built-in table, {@link #UNKNOWN_KIND} when it is not listed.
     */
    public static FailureClass builtIn(final String errorKind)
    {
        return BUILT_IN.getOrDefault(Objects.requireNonNull(errorKind, "errorKind"), UNKNOWN_KIND);
    }

    /** @return the class in a few words, for people: {@code merge conflict}. */
    public String description()
    {
        return description;
    }

    /**
     * @return whether recovery runs a task of this class again on the agent that failed it (with backoff for
     *         {@link #TRANSIENT}, at once for {@link #MERGE_CONFLICT}).
     */
    public boolean retriesOnSameAgent()
    {
        return this == TRANSIENT || this == MERGE_CONFLICT;
    }

    /** @return the prefix every recovery reason for this class starts with: {@code MERGE_CONFLICT (merge conflict)}. */
    public String label()
    {
        return name() + " (" + description + ")";
    }
}
