/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.MonitoringContext;
import dev.switchboard.monitoring.RouterView;

/**
 * What {@code /health/ready} answers: ready when every check passes.
 * <ol>
 *   <li><b>router</b>: the router's counters file is there, its process alive, its heartbeat fresh
 *       ({@link MonitoringContext#heartbeatFreshMs()}, 3 s by default); the router is the one of
 *       {@link MonitoringContext#routerPid()}, or any when that is 0;</li>
 *   <li><b>accepting</b>: the router's duty cycle runs and its sockets are bound ({@link RouterView#accepting()});</li>
 *   <li><b>tiers</b>: its tiers were probed ({@link RouterView#tiers()} says how each runs; a tier that falls back
 *       is no reason to be unready, its traffic goes on another tier);</li>
 *   <li><b>inboxes</b>: no inbox keeps getting stuck ({@link StuckRecordWatch}).</li>
 * </ol>
 * Outside a router process there is no {@link RouterView}, and the two checks that need one fail as unknown.
 *
 * <p>Thread-safety: safe from any thread (the watch is synchronized).
 */
public final class Readiness
{
    private final MonitoringContext context;
    private final RouterView router;
    private final StuckRecordWatch stuckRecords;

    /**
     * @param context      the settings (heartbeat freshness, the router's pid, the stuck-record window).
     * @param router       what the router process knows of itself; null outside one.
     * @param stuckRecords the watch over stuck inbox records, shared with the sampler.
     */
    public Readiness(final MonitoringContext context, final RouterView router, final StuckRecordWatch stuckRecords)
    {
        this.context = context;
        this.router = router;
        this.stuckRecords = stuckRecords;
    }

    /**
     * One check.
     *
     * @param name   {@code router}, {@code accepting}, {@code tiers} or {@code inboxes}.
     * @param ok     whether it passed.
     * @param detail what was found, for people.
     */
    public record Check(String name, boolean ok, String detail)
    {
    }

    /**
     * The answer.
     *
     * @param ready  whether every check passed.
     * @param checks every check, in the order above.
     */
    public record Report(boolean ready, List<Check> checks)
    {
        /** Copies. */
        public Report
        {
            checks = List.copyOf(checks);
        }

        /** @return as JSON-ready values: {@code {"ready": .., "checks": [{"name", "ok", "detail"}], "notReady": [names]}}. */
        public Map<String, Object> toMap()
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("ready", ready);
            final List<Object> list = new ArrayList<>();
            final List<Object> failed = new ArrayList<>();
            for (final Check check : checks)
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", check.name());
                entry.put("ok", check.ok());
                entry.put("detail", check.detail());
                list.add(entry);
                if (!check.ok())
                {
                    failed.add(check.name());
                }
            }
            map.put("notReady", failed);
            map.put("checks", list);
            return map;
        }
    }

    /**
     * @param snapshots the counters files as read now; null when they could not be read.
     * @param problem   why they could not be read; null when they were.
     * @param nowMs     the wall clock (epoch ms).
     * @return the report.
     */
    public Report evaluate(final List<CountersSnapshot> snapshots, final String problem, final long nowMs)
    {
        final List<Check> checks = new ArrayList<>();
        checks.add(snapshots == null ? new Check("router", false, "cannot read the counters files in " +
            context.shmDir() + ": " + problem) : routerFile(snapshots, nowMs));
        if (router == null)
        {
            checks.add(new Check("accepting", false, "unknown: this server does not run in a router process"));
            checks.add(new Check("tiers", false, "unknown: this server does not run in a router process"));
        }
        else
        {
            checks.add(router.accepting() ? new Check("accepting", true, "the router's duty cycle runs") :
                new Check("accepting", false, "the router's duty cycle has stopped: it accepts no agent"));
            checks.add(tiers(router.tiers()));
        }
        checks.add(snapshots == null ? new Check("inboxes", false, "cannot read the counters files: " + problem) :
            inboxes(stuckRecords.observe(snapshots, nowMs)));
        return new Report(checks.stream().allMatch(Check::ok), checks);
    }

    private Check routerFile(final List<CountersSnapshot> snapshots, final long nowMs)
    {
        final long pid = context.routerPid();
        final String which = pid == 0 ? "a router" : "router pid " + pid;
        CountersSnapshot best = null;
        for (final CountersSnapshot snapshot : snapshots)
        {
            if (snapshot.role() == CountersSnapshot.Role.ROUTER && (pid == 0 || snapshot.pid() == pid) &&
                (best == null || rank(snapshot, nowMs) > rank(best, nowMs)))
            {
                best = snapshot;
            }
        }
        if (best == null)
        {
            return new Check("router", false, "no counters file of " + which + " in " + context.shmDir());
        }
        final String who = "router " + best.name() + " (pid " + best.pid() + ")";
        if (!best.alive())
        {
            return new Check("router", false, who + " is not running (its counters file is left over)");
        }
        final long ageMs = nowMs - best.heartbeatMs();
        final String age = String.format(Locale.ROOT, "%.1f s", ageMs / 1000.0);
        if (best.heartbeatMs() <= 0 || ageMs >= context.heartbeatFreshMs())
        {
            return new Check("router", false, who + ": heartbeat " + (best.heartbeatMs() <= 0 ? "never written" :
                age + " old") + ", fresh is under " + context.heartbeatFreshMs() + " ms");
        }
        return new Check("router", true, who + ": alive, heartbeat " + age + " old");
    }

    /** Alive and fresh beats alive, which beats a leftover; then the latest heartbeat. */
    private long rank(final CountersSnapshot snapshot, final long nowMs)
    {
        final boolean fresh = snapshot.alive() && nowMs - snapshot.heartbeatMs() < context.heartbeatFreshMs();
        return (fresh ? 2L << 60 : snapshot.alive() ? 1L << 60 : 0) + Math.max(0, snapshot.heartbeatMs());
    }

    private static Check tiers(final List<RouterView.TierState> tiers)
    {
        if (tiers.isEmpty())
        {
            return new Check("tiers", false, "the router's tiers have not been probed");
        }
        final List<String> states = new ArrayList<>();
        for (final RouterView.TierState tier : tiers)
        {
            states.add(tier.tier() + (tier.available() ? " runs" : " falls back") +
                (tier.detail().isEmpty() ? "" : " (" + tier.detail() + ")"));
        }
        return new Check("tiers", true, "probed: " + String.join("; ", states));
    }

    private Check inboxes(final List<StuckRecordWatch.Stuck> stuck)
    {
        if (stuck.isEmpty())
        {
            return new Check("inboxes", true, "no inbox keeps getting stuck");
        }
        final List<String> who = new ArrayList<>();
        for (final StuckRecordWatch.Stuck process : stuck)
        {
            who.add(process.process() + ": stuck records rose " + process.rises() + " times in the last " +
                context.stuckWindowMs() + " ms (now " + process.count() + ")");
        }
        return new Check("inboxes", false, String.join("; ", who));
    }
}
