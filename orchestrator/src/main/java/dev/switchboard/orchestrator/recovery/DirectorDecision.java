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
 * @param agent   for {@link Verdict#REASSIGN}, the agent the task goes to; empty otherwise (and in decisions
 *                recorded before REASSIGN existed).
 */
public record DirectorDecision(Verdict verdict, String note, String agent)
{
    /** What the Director decided. */
    public enum Verdict
    {
        /** Run the task again (the Director has changed something: an agent, the task, the environment). */
        RETRY,
        /** Go on without the task, even if it was required. */
        SKIP,
        /** Stop the workflow. */
        ABORT,
        /**
         * Run the task again on the named agent ({@link DirectorDecision#agent()}), or on the best other agent when
         * that one is unknown, departed, not capable or busy.
         */
        REASSIGN,
        /**
         * The Director is changing the plan: the task returns to the queue with every agent allowed again (its
         * history of tried agents cleared), after whatever guidance the Director sends.
         */
        REPLAN
    }

    /** Validates; a null agent reads as empty, so decisions journaled before REASSIGN existed still read. */
    public DirectorDecision
    {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(note, "note");
        agent = agent == null ? "" : agent.strip();
        if (verdict == Verdict.REASSIGN && agent.isEmpty())
        {
            throw new IllegalArgumentException("a REASSIGN decision names the agent the task goes to; none given");
        }
        if (verdict != Verdict.REASSIGN && !agent.isEmpty())
        {
            throw new IllegalArgumentException("only a REASSIGN decision names an agent; " + verdict + " named '" +
                agent + "'");
        }
    }

    /**
     * A decision that names no agent.
     *
     * @param verdict what to do; not REASSIGN.
     * @param note    why.
     */
    public DirectorDecision(final Verdict verdict, final String note)
    {
        this(verdict, note, "");
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

    /**
     * A REASSIGN decision.
     *
     * @param agent the agent the task goes to.
     * @param note  why.
     * @return a REASSIGN decision.
     */
    public static DirectorDecision reassign(final String agent, final String note)
    {
        return new DirectorDecision(Verdict.REASSIGN, note, agent);
    }

    /**
     * A REPLAN decision.
     *
     * @param note why.
     * @return a REPLAN decision.
     */
    public static DirectorDecision replan(final String note)
    {
        return new DirectorDecision(Verdict.REPLAN, note);
    }

    /**
     * @param note a note to use instead.
     * @return this decision with {@code note}.
     */
    public DirectorDecision withNote(final String note)
    {
        return new DirectorDecision(verdict, note, agent);
    }
}
