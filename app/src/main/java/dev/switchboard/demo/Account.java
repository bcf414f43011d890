/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.transport.Tier;

/**
 * The demo's printed account: a roster, one table row per pattern, notes, the lookup, the counters.
 * Lines stay within about 100 columns.
 *
 * <p>Thread-safety: used by the demo's main thread only. Allocation: freely (formatting).
 */
final class Account
{
    private static final String ROW = "%-10s %-41s %-8s %-10s %8s %9s %7s  %s%n";

    private final PrintStream out;

    Account(final PrintStream out)
    {
        this.out = out;
    }

    void roster(final List<DemoAgent> agents)
    {
        out.printf("Switchboard demo: a router and %d agents in one JVM, each agent a client on its own thread%n",
            agents.size());
        for (int i = 0; i < agents.size(); i += 4)
        {
            final StringBuilder line = new StringBuilder(i == 0 ? "agents:" : "       ");
            for (final DemoAgent a : agents.subList(i, Math.min(agents.size(), i + 4)))
            {
                line.append(' ').append(a.name()).append(a.capabilities());
            }
            out.println(line);
        }
        out.println();
        out.printf(ROW, "pattern", "route", "priority", "tier", "sent", "delivered", "router", "speed");
    }

    /**
     * Print one pattern's row.
     *
     * @param run the pattern's run.
     * @return the run.
     * @throws IllegalStateException when it delivered other than expected.
     */
    Demo.PatternRun row(final Demo.PatternRun run)
    {
        final String name = switch (run.pattern())
        {
            case SEND -> "send";
            case PUBLISH -> "publish";
            case REQUEST -> "request";
            case WORK -> "work queue";
            case BROADCAST -> "broadcast";
            case MULTICAST -> "multicast";
            default -> run.pattern().name();
        };
        if (run.delivered() != run.expected())
        {
            throw new IllegalStateException(name + " " + run.route() + ": " + run.delivered() + " delivered, " +
                run.expected() + " expected");
        }
        final String tier = run.senderTier() == run.receiverTier() ? String.valueOf(run.receiverTier()) :
            run.senderTier() + ">" + run.receiverTier();
        out.printf(Locale.ROOT, ROW, name, run.route(), run.priority(), tier, count(run.sent()),
            count(run.delivered()), count(run.routerFrames()), run.measured());
        return run;
    }

    void notes(final Map<String, Long> workTaken, final long outOfOrder, final int warmupPercent)
    {
        out.printf("  work split: %s (competing consumers, every item acked)%n", String.join(", ",
            workTaken.entrySet().stream().map(e -> e.getKey() + " " + count(e.getValue())).toList()));
        out.printf("  order: %s; each count ran after a warm-up burst of %d%%%n",
            outOfOrder == 0 ? "every receiver saw each sender's messages in order" :
                outOfOrder + " messages arrived OUT OF ORDER", warmupPercent);
        out.println("  tier: message.tier() at the receivers; router: frames the router thread read; speed: received/s");
    }

    void lookup(final String capability, final List<AgentInfo> found)
    {
        out.println();
        out.println("lookup by capability '" + capability + "' -> " + String.join(", ",
            found.stream().map(i -> i.name() + " (id " + Long.toHexString(i.agentId()) + ", tiers " +
                Tier.describe(i.tiers()) + ")").toList()));
    }

    void counters(final Map<String, Long> selected)
    {
        out.println("router counters:");
        final StringBuilder line = new StringBuilder("  ");
        for (final Map.Entry<String, Long> e : selected.entrySet())
        {
            final String item = e.getKey() + " " + count(e.getValue());
            if (line.length() + item.length() > 100)
            {
                out.println(line);
                line.setLength(2);
            }
            line.append(line.length() > 2 ? " | " : "").append(item);
        }
        if (line.length() > 2)
        {
            out.println(line);
        }
    }

    void closed(final long deregistered, final long elapsedNs)
    {
        out.printf(Locale.ROOT, "closed: %d agents deregistered, router stopped; demo took %.1f s%n",
            deregistered, elapsedNs / 1e9);
    }

    /**
     * @param counters the router's counters.
     * @return the ones the demo shows, by label: IN_PROCESS totals over all patterns, then router-wide.
     */
    static Map<String, Long> select(final CounterBlock counters)
    {
        final Map<String, Long> selected = new LinkedHashMap<>();
        for (final CounterKind kind : List.of(CounterKind.SENT, CounterKind.DELIVERED, CounterKind.BACK_PRESSURED))
        {
            long total = 0;
            for (final Pattern p : Pattern.values())
            {
                if (p != Pattern.NULL_VAL)
                {
                    total += counters.get(CounterIds.of(Tier.IN_PROCESS, p, kind));
                }
            }
            selected.put("IN_PROCESS " + kind.name().toLowerCase(Locale.ROOT).replace('_', '-'), total);
        }
        for (final RouterCounter c : List.of(
            RouterCounter.REGISTRATIONS,
            RouterCounter.INGRESS_FRAMES,
            RouterCounter.INGRESS_BACK_PRESSURED,
            RouterCounter.FANOUT_DELIVERIES,
            RouterCounter.ROUTER_STALLS,
            RouterCounter.WORK_ENQUEUED,
            RouterCounter.WORK_DELIVERED,
            RouterCounter.WORK_ACKED,
            RouterCounter.WORK_REDELIVERED,
            RouterCounter.REQUEST_TIMEOUTS,
            RouterCounter.CONTROL_ERRORS,
            RouterCounter.DEREGISTRATIONS))
        {
            selected.put(c.label(), counters.get(c));
        }
        return selected;
    }

    static String micros(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
    }

    static String rate(final long count, final long elapsedNs)
    {
        if (elapsedNs <= 0)
        {
            return "n/a";
        }
        final double perSecond = count * 1e9 / elapsedNs;
        return perSecond >= 1e6 ?
            String.format(Locale.ROOT, "%.2f M msg/s", perSecond / 1e6) :
            String.format(Locale.ROOT, "%,.0f k msg/s", perSecond / 1e3);
    }

    private static String count(final long n)
    {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
