/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of a case's run: what the initiator does between two {@code go}s from the coordinator. The initiator
 * announces each step by its {@link #key()} ({@code STEP ping-pong/32B/r3of10}) and waits; the coordinator starts
 * the cases of a group that announced the same key one after the other ({@link GroupRunner}), so rounds of the same
 * phase alternate between the cases. Every step ends with the responder paused, so a case whose turn it is not
 * leaves both CPUs to the one measuring.
 *
 * @param kind      what the step does.
 * @param payload   bytes per message.
 * @param producers producers (throughput), else 1.
 * @param round     0-based round of its phase.
 * @param rounds    rounds in its phase (1 for a phase that is not cut into rounds).
 */
public record Step(Kind kind, int payload, int producers, int round, int rounds)
{
    /** The kinds of step, in the order a case runs them. */
    public enum Kind
    {
        /** Ping-pong round trips, one round. */
        PING_PONG,
        /** Round trips counted under perf (one step, not paired). */
        SYSCALLS,
        /** One-way at a fixed rate, one round. */
        ONE_WAY,
        /** Throughput with some producers, one round. */
        THROUGHPUT,
        /** Wake-ups of a parked receiver (one step). */
        WAKE_UP,
        /** The idle window (one step). */
        IDLE,
        /** Stop the responder and exit. */
        FINISH
    }

    private static final Pattern ROUND = Pattern.compile("/r(\\d+)of(\\d+)$");

    /**
     * @return how the initiator announces the step and the coordinator matches it across a group.
     */
    public String key()
    {
        return switch (kind)
        {
            case PING_PONG -> "ping-pong/" + payload + "B/" + roundText();
            case ONE_WAY -> "one-way/" + payload + "B/" + roundText();
            case THROUGHPUT -> "throughput/" + payload + "B/" + producers + "p/" + roundText();
            case SYSCALLS -> "syscalls/" + payload + "B";
            case WAKE_UP -> "wake-up/" + payload + "B";
            case IDLE -> "idle";
            case FINISH -> "finish";
        };
    }

    private String roundText()
    {
        return "r" + round + "of" + rounds;
    }

    /**
     * @return true for the last round of its phase.
     */
    public boolean lastRound()
    {
        return round == rounds - 1;
    }

    /**
     * @param key a step's key.
     * @return its round, 0 for a step that is not cut into rounds.
     */
    public static int roundOf(final String key)
    {
        final Matcher m = ROUND.matcher(key);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * @param key a step's key.
     * @return true when the key is the last step of a case.
     */
    public static boolean isFinish(final String key)
    {
        return "finish".equals(key);
    }

    /**
     * The steps of one case, in order: ping-pong at each payload round by round, the system-call window, one-way
     * round by round, throughput with one producer and then with N round by round, the wake-up phase, the idle
     * window, finish. A phase appears when the case runs it ({@link BenchCase#phases()}) and the plan asks for it.
     *
     * @param benchCase the case.
     * @param plan      the plan.
     * @return the steps.
     */
    public static List<Step> plan(final BenchCase benchCase, final ChildPlan plan)
    {
        final Profile p = plan.profile();
        final Set<Kind> phases = benchCase.phases();
        final int headline = p.payloads().getFirst();
        final List<Step> steps = new ArrayList<>();
        if (plan.pingPong() && phases.contains(Kind.PING_PONG))
        {
            for (final int payload : p.payloads())
            {
                rounds(steps, Kind.PING_PONG, payload, 1, p.rounds());
            }
        }
        if (plan.syscallRoundTrips() > 0 && phases.contains(Kind.SYSCALLS))
        {
            steps.add(new Step(Kind.SYSCALLS, headline, 1, 0, 1));
        }
        if (plan.oneWay() && phases.contains(Kind.ONE_WAY))
        {
            rounds(steps, Kind.ONE_WAY, headline, 1, p.rounds());
        }
        if (plan.throughput() && phases.contains(Kind.THROUGHPUT))
        {
            rounds(steps, Kind.THROUGHPUT, headline, 1, p.rounds());
            final int n = Math.min(p.producers(), benchCase.maxProducers());
            if (n > 1)
            {
                rounds(steps, Kind.THROUGHPUT, headline, n, p.rounds());
            }
        }
        if (phases.contains(Kind.WAKE_UP))
        {
            steps.add(new Step(Kind.WAKE_UP, headline, 1, 0, 1));
        }
        if (phases.contains(Kind.IDLE))
        {
            steps.add(new Step(Kind.IDLE, headline, 1, 0, 1));
        }
        steps.add(new Step(Kind.FINISH, headline, 1, 0, 1));
        return steps;
    }

    private static void rounds(
        final List<Step> steps, final Kind kind, final int payload, final int producers, final int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            steps.add(new Step(kind, payload, producers, r, rounds));
        }
    }

    @Override
    public String toString()
    {
        return key().toLowerCase(Locale.ROOT);
    }
}
