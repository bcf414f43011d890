/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.health;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.monitoring.metrics.CounterLabel;

/**
 * Watches each process's count of stuck inbox records ({@link RouterCounter#INBOX_RECORDS_UNBLOCKED}: records a
 * sender claimed and never committed, which the receiver had to skip after its unblock timeout). One such record is
 * a sender that died mid-write and was dealt with; the count rising again and again is an inbox that keeps getting
 * stuck. So an inbox counts as stuck when its count rose at two or more observations within the window
 * ({@code switchboard.metrics.stuck.window.ms}). The server observes once a sample interval (about a second) and at
 * each {@code /health/ready}.
 *
 * <p>Thread-safety: synchronized; observed from the sampler and from request threads.
 */
public final class StuckRecordWatch
{
    private static final String STUCK_LABEL = RouterCounter.INBOX_RECORDS_UNBLOCKED.label();

    private final long windowMs;
    private final Map<String, Watched> processes = new HashMap<>();

    /**
     * @param windowMs within how long two rises make an inbox stuck.
     */
    public StuckRecordWatch(final long windowMs)
    {
        this.windowMs = windowMs;
    }

    /**
     * A process whose inbox keeps getting stuck.
     *
     * @param process who: role, name and pid.
     * @param rises   how many observations within the window saw the count rise.
     * @param count   the count now.
     */
    public record Stuck(String process, int rises, long count)
    {
    }

    /**
     * Take one observation.
     *
     * @param snapshots the counters files as read now.
     * @param nowMs     when (epoch ms).
     * @return the processes whose count rose at two or more observations within the window.
     */
    public synchronized List<Stuck> observe(final List<CountersSnapshot> snapshots, final long nowMs)
    {
        final List<Stuck> stuck = new ArrayList<>();
        final Map<String, Watched> seen = new HashMap<>();
        for (final CountersSnapshot snapshot : snapshots)
        {
            final Long count = stuckRecords(snapshot);
            if (count == null)
            {
                continue;
            }
            final String who = snapshot.role().name().toLowerCase(Locale.ROOT) + " " + snapshot.name() + " (pid " +
                snapshot.pid() + ")";
            final Watched watched = processes.getOrDefault(who, new Watched(count));
            if (count > watched.last)
            {
                watched.rises.addLast(nowMs);
            }
            watched.last = count;
            while (!watched.rises.isEmpty() && watched.rises.peekFirst() <= nowMs - windowMs)
            {
                watched.rises.removeFirst();
            }
            if (watched.rises.size() >= 2)
            {
                stuck.add(new Stuck(who, watched.rises.size(), count));
            }
            seen.put(who, watched);
        }
        // a process that is gone is forgotten: its file went with it
        processes.clear();
        processes.putAll(seen);
        return stuck;
    }

    /** @return the process's stuck-record count (over all its inboxes); null when its file has no such counter. */
    private static Long stuckRecords(final CountersSnapshot snapshot)
    {
        Long count = null;
        for (final CountersSnapshot.Counter counter : snapshot.counters())
        {
            if (CounterLabel.parse(counter.label()).name().equals(STUCK_LABEL))
            {
                count = (count == null ? 0 : count) + counter.value();
            }
        }
        return count;
    }

    private static final class Watched
    {
        private long last;
        private final ArrayDeque<Long> rises = new ArrayDeque<>();

        private Watched(final long last)
        {
            this.last = last;
        }
    }
}
