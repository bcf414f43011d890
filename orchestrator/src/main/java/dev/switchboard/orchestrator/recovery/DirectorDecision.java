/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.Objects;

/**
 * The {@link Director}'s answer to an {@link EscalationRequest}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param verdict what to do.
 * @param note    why, for the record; may be empty, never null.
 */
public record DirectorDecision(Verdict verdict, String note)
{
    /** What the Director decided. */
    public enum Verdict
    {
        /** Run the task again (the Director has changed something: an agent, the task, the environment). */
        RETRY,
        /** Go on without the task, even if it was required. */
        SKIP,
        /** Stop the workflow. */
        ABORT
    }

    /** Validates. */
    public DirectorDecision
    {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(note, "note");
    }

    /**
     * A RETRY decision.
     *
     * @param note why.
     * @return a RETRY decision.
     */
    public static DirectorDecision retry(final String note)
    {
        return new DirectorDecision(Verdict.RETRY, note);
    }

    /**
     * A SKIP decision.
     *
     * @param note why.
     * @return a SKIP decision.
     */
    public static DirectorDecision skip(final String note)
    {
        return new DirectorDecision(Verdict.SKIP, note);
    }

    /**
     * An ABORT decision.
     *
     * @param note why.
     * @return an ABORT decision.
     */
    public static DirectorDecision abort(final String note)
    {
        return new DirectorDecision(Verdict.ABORT, note);
    }
}
