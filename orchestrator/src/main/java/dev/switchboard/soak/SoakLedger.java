/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's account, per {@link SoakStream}. The sink {@link #onDelivered records} each message; the soak tells it
 * where each sender incarnation started and how it ended ({@link #onIncarnationEnded}). At the end,
 * {@link #results()} sorts every sequence number the senders attempted:
 * <ul>
 *   <li><b>sent</b>: sends that returned OK (confirmed in the sender's progress file);</li>
 *   <li><b>uncertain</b>: attempted by a sender killed before it could record the outcome (OK or not unknown);</li>
 *   <li><b>delivered</b>: distinct sequence numbers the sink received;</li>
 *   <li><b>in flight at kill</b>: sent, not delivered, and explained by the kill: the uncertain one, or, on tiers
 *       where OK only means "in this process's socket buffer" (HIGH, NORMAL, WORK enqueue), the contiguous
 *       undelivered tail of an incarnation that was killed;</li>
 *   <li><b>lost</b>: every other sent and undelivered number. Must be 0 on every stream: for CRITICAL (OK = committed
 *       in the receiver's ring), LOW (OK = durably appended) and WORK (an acked item has reached the sink; an unacked
 *       one is redelivered) there is no allowance at all;</li>
 *   <li><b>duplicated</b>: deliveries of a number already delivered; must be 0 except on WORK (at least once:
 *       an item whose worker was killed after forwarding it and before acking it comes again);</li>
 *   <li><b>reordered</b>: deliveries of a number lower than one already delivered; must be 0 except on WORK.</li>
 * </ul>
 *
 * <p>Thread-safety: one thread (the soak's). Allocation: a bit per sequence number.
 */
public final class SoakLedger
{
    private final Map<SoakStream, StreamAccount> accounts = new EnumMap<>(SoakStream.class);

    /** Empty ledger. */
    public SoakLedger()
    {
        for (final SoakStream s : SoakStream.values())
        {
            accounts.put(s, new StreamAccount());
        }
    }

    /**
     * The sink received a message.
     *
     * @param stream ordinal of the stream (from the payload).
     * @param seq    sequence number (from the payload).
     */
    public void onDelivered(final int stream, final long seq)
    {
        if (stream < 0 || stream >= SoakStream.values().length || seq < 0 || seq > Integer.MAX_VALUE)
        {
            accounts.get(SoakStream.NORMAL).malformed++;
            return;
        }
        final StreamAccount a = accounts.get(SoakStream.values()[stream]);
        final int s = (int)seq;
        if (a.delivered.get(s))
        {
            a.duplicated++;
        }
        else
        {
            a.delivered.set(s);
        }
        if (seq < a.highest)
        {
            a.reordered++;
        }
        a.highest = Math.max(a.highest, seq);
        a.deliveries++;
    }

    /**
     * A sender incarnation ended (killed, or stopped at the end).
     *
     * @param stream    its stream.
     * @param start     first sequence number it used.
     * @param progress  its progress file, read after it died.
     * @param killed    true when it was killed, false when it stopped and exited by itself (its socket buffer
     *                  flushed: nothing it sent may be missing).
     */
    public void onIncarnationEnded(final SoakStream stream, final long start, final SoakProgress progress, final boolean killed)
    {
        final StreamAccount a = accounts.get(stream);
        a.incarnations.add(new long[]{start, progress.confirmed(), progress.uncertain(), killed ? 1 : 0});
        a.backPressured = progress.backPressured();
        a.maxAttempted = Math.max(a.maxAttempted, Math.max(progress.attempted(), progress.confirmed()));
    }

    /**
     * @return whether every number any sender attempted has been delivered (the drain may stop early).
     */
    public boolean allDelivered()
    {
        for (final StreamAccount a : accounts.values())
        {
            if (a.delivered.nextClearBit(0) <= a.maxAttempted)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return deliveries so far, over all streams (duplicates included).
     */
    public long deliveries()
    {
        long n = 0;
        for (final StreamAccount a : accounts.values())
        {
            n += a.deliveries;
        }
        return n;
    }

    /**
     * @return one result per stream.
     */
    public List<StreamResult> results()
    {
        final List<StreamResult> results = new ArrayList<>();
        for (final SoakStream stream : SoakStream.values())
        {
            final StreamAccount a = accounts.get(stream);
            final BitSet uncertain = new BitSet();
            final BitSet inFlight = new BitSet();
            long sent = 0;
            for (final long[] inc : a.incarnations)
            {
                final long start = inc[0];
                final long confirmed = inc[1];
                final long unsure = inc[2];
                if (confirmed >= start)
                {
                    sent += confirmed - start + 1;
                }
                if (unsure >= 0)
                {
                    uncertain.set((int)unsure);
                    if (!a.delivered.get((int)unsure))
                    {
                        inFlight.set((int)unsure);
                    }
                }
                if (inc[3] == 1 && !stream.okMeansStored() && confirmed >= start)
                {
                    // OK only put it in this process's socket buffer: the undelivered tail died with the process.
                    for (long s = confirmed; s >= start && !a.delivered.get((int)s); s--)
                    {
                        inFlight.set((int)s);
                    }
                }
            }
            long lost = 0;
            final StringBuilder firstLost = new StringBuilder();
            for (long s = 0; s <= a.maxAttempted; s++)
            {
                if (!a.delivered.get((int)s) && !uncertain.get((int)s) && !inFlight.get((int)s))
                {
                    lost++;
                    if (lost <= 10)
                    {
                        firstLost.append(firstLost.isEmpty() ? "" : ",").append(s);
                    }
                }
            }
            final long delivered = a.delivered.cardinality();
            final long deliveredUncertain = countAnd(uncertain, a.delivered);
            results.add(new StreamResult(stream, sent, uncertain.cardinality(), delivered, deliveredUncertain,
                inFlight.cardinality(), lost, firstLost.toString(), a.duplicated, a.reordered, a.backPressured,
                a.incarnations.size()));
        }
        return results;
    }

    private static long countAnd(final BitSet a, final BitSet b)
    {
        final BitSet c = (BitSet)a.clone();
        c.and(b);
        return c.cardinality();
    }

    /**
     * The account of one stream.
     *
     * @param stream             the stream.
     * @param sent               sends confirmed OK.
     * @param uncertain          numbers attempted by a sender killed before it recorded the outcome.
     * @param delivered          distinct numbers delivered.
     * @param deliveredUncertain of the uncertain ones, how many were delivered.
     * @param inFlightAtKill     sent or uncertain, not delivered, explained by a kill of the sender.
     * @param lost               sent, not delivered, not explained: a violated guarantee.
     * @param firstLost          up to 10 lost numbers.
     * @param duplicated         deliveries of a number already delivered.
     * @param reordered          deliveries of a number lower than one delivered before.
     * @param backPressured      sends refused with BACK_PRESSURED (retried).
     * @param incarnations       sender processes started (1 + restarts).
     */
    public record StreamResult(
        SoakStream stream,
        long sent,
        long uncertain,
        long delivered,
        long deliveredUncertain,
        long inFlightAtKill,
        long lost,
        String firstLost,
        long duplicated,
        long reordered,
        long backPressured,
        int incarnations)
    {
        /** @return what is wrong with this stream, or null when its guarantees held. */
        public String violation()
        {
            if (lost > 0)
            {
                return stream + ": " + lost + " sent and never delivered (first: " + firstLost + ")";
            }
            if (!stream.atLeastOnce() && duplicated > 0)
            {
                return stream + ": " + duplicated + " duplicates";
            }
            if (!stream.atLeastOnce() && reordered > 0)
            {
                return stream + ": " + reordered + " out of order";
            }
            if (delivered + inFlightAtKill + lost != sent + uncertain)
            {
                return stream + ": accounting does not add up: delivered " + delivered + " + in flight at kill " +
                    inFlightAtKill + " + lost " + lost + " != sent " + sent + " + uncertain " + uncertain;
            }
            return null;
        }

        /** @return this result as a JSON object. */
        public String toJson()
        {
            return String.format(Locale.ROOT,
                "{\"tier\":\"%s\",\"sent\":%d,\"uncertain\":%d,\"delivered\":%d,\"delivered_uncertain\":%d," +
                    "\"in_flight_at_kill\":%d,\"lost\":%d,\"duplicated\":%d,\"reordered\":%d,\"back_pressured\":%d," +
                    "\"incarnations\":%d,\"ok\":%s}",
                stream, sent, uncertain, delivered, deliveredUncertain, inFlightAtKill, lost, duplicated, reordered,
                backPressured, incarnations, violation() == null);
        }
    }

    private static final class StreamAccount
    {
        final BitSet delivered = new BitSet();
        final List<long[]> incarnations = new ArrayList<>();
        long highest = -1;
        long deliveries;
        long duplicated;
        long reordered;
        long malformed;
        long backPressured;
        long maxAttempted = -1;
    }
}
