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
 * where each sender incarnation started and how it ended ({@link #onIncarnationEnded}), when the router was found dead
 * ({@link #onRouterKilled}), what each sender had attempted when its own client said the router was gone
 * ({@link #onSendersSawRouterGo}) and when the sink had its subscription back ({@link #onSinkResubscribed}). At the
 * end, {@link #results} sorts every sequence number the senders attempted:
 * <ul>
 *   <li><b>sent</b>: sends that returned OK (confirmed in the sender's progress file);</li>
 *   <li><b>uncertain</b>: attempted by a sender killed before it could record the outcome (OK or not unknown);</li>
 *   <li><b>delivered</b>: distinct sequence numbers the sink received;</li>
 *   <li><b>in flight at kill</b>: sent, not delivered, and explained by a kill of the sender: the uncertain one, or, on
 *       streams where OK only means "in this process's socket buffer" (HIGH, NORMAL, the topics, the WORK enqueue), the
 *       contiguous undelivered tail of an incarnation that was killed;</li>
 *   <li><b>in flight at router kill</b>: sent, never delivered, and explained by a kill of the router, only on the
 *       streams whose frames cross the router ({@link SoakStream#throughRouter()}). The bound is what the router can
 *       have held when it died. Its top is the sender's last attempt when its own client said the router was gone (or
 *       when the router was found dead, if that is later): a routed send may return OK after the router died, since OK
 *       means "in this process's buffers", but not once the client knows (it answers NOT_CONNECTED). Its bottom:
 *       <ul>
 *         <li>on a topic, the highest number the sink had received when the router was found dead: the router forwards
 *             one connection's frames in order, so a number missing below one that came through was not cut by the
 *             kill;</li>
 *         <li>on the WORK queue (its items live in the router's memory and are handed out in any order), the top of
 *             the previous router kill: only items enqueued to the router that died can have died with it;</li>
 *       </ul></li>
 *   <li><b>before resubscribe</b>: on a topic, numbers published to the restarted router before the sink had
 *       subscribed again (a topic reaches only its subscribers of the moment): above the router-kill range, up to the
 *       publisher's last attempt when the sink's {@code onReconnected} came;</li>
 *   <li><b>lost</b>: every other sent and undelivered number. Must be 0 on every stream. CRITICAL (OK = committed in
 *       the receiver's ring), LOW (OK = durably appended) and the point-to-point links get no allowance for a router
 *       kill at all;</li>
 *   <li><b>duplicated</b>: deliveries of a number already delivered; must be 0 except on WORK (at least once:
 *       an item whose worker was killed after forwarding it and before acking it comes again);</li>
 *   <li><b>reordered</b>: deliveries of a number lower than one already delivered; must be 0 except on WORK.</li>
 * </ul>
 * A stream whose frames cross the router must also never have had a send return OK while its client said the router
 * was gone (that frame would be OK and lost).
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
            if (++a.duplicated <= 5)
            {
                a.firstDuplicates.append(a.firstDuplicates.isEmpty() ? "" : ",").append(seq);
            }
        }
        else
        {
            a.delivered.set(s);
        }
        if (seq < a.highest)
        {
            if (++a.reordered <= 5)
            {
                a.firstReordered.append(a.firstReordered.isEmpty() ? "" : ",").append(seq).append(" after ")
                    .append(a.highest).append(" at delivery ").append(a.deliveries);
            }
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
        a.maxAttempted = Math.max(a.maxAttempted, Math.max(progress.attempted(), progress.confirmed()));
    }

    /**
     * The router was found dead (after a kill -9, or it exited by itself): what the sink had received by then, and what
     * each sender had attempted by then.
     *
     * @param attempted per stream, the sender's last attempted sequence number (its progress file), or -1.
     */
    public void onRouterKilled(final Map<SoakStream, Long> attempted)
    {
        for (final SoakStream stream : SoakStream.values())
        {
            final StreamAccount a = accounts.get(stream);
            a.routerKills.add(new long[]{a.highest, attempted.getOrDefault(stream, -1L), -1, -1});
        }
    }

    /**
     * Each sender's client said the router was gone: what it had attempted when it said so. A routed send can return OK
     * after the router died and before the client knows (OK means "in this process's buffers"), so the bound of what
     * the router kill may have cost runs to here.
     *
     * @param attempted per stream, the sender's {@link SoakProgress#attemptedAtDisconnect()} for this kill, or -1 when
     *                  it did not see this kill (it was down, or started after).
     */
    public void onSendersSawRouterGo(final Map<SoakStream, Long> attempted)
    {
        for (final SoakStream stream : SoakStream.values())
        {
            final List<long[]> kills = accounts.get(stream).routerKills;
            if (!kills.isEmpty() && kills.getLast()[3] < 0)
            {
                kills.getLast()[3] = Math.max(kills.getLast()[1], attempted.getOrDefault(stream, -1L));
            }
        }
    }

    /**
     * The sink registered again with the restarted router and has its subscription back: a publish before this may
     * have found no subscriber.
     *
     * @param attempted per stream, the sender's last attempted sequence number (its progress file), or -1.
     */
    public void onSinkResubscribed(final Map<SoakStream, Long> attempted)
    {
        for (final SoakStream stream : SoakStream.values())
        {
            final List<long[]> kills = accounts.get(stream).routerKills;
            if (!kills.isEmpty() && kills.getLast()[2] < 0)
            {
                kills.getLast()[2] = attempted.getOrDefault(stream, -1L);
            }
        }
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
     * @param progress per stream, its progress file (for the senders' counters), read at the end.
     * @return one result per stream.
     */
    public List<StreamResult> results(final Map<SoakStream, SoakProgress> progress)
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

            final BitSet atRouterKill = new BitSet();
            final BitSet beforeResubscribe = new BitSet();
            final BitSet explained = (BitSet)inFlight.clone();
            long mostAtOneRouterKill = 0;
            if (stream.throughRouter())
            {
                long previousAttempted = 0;
                for (final long[] kill : a.routerKills)
                {
                    final long attemptedAtKill = Math.max(kill[1], kill[3]);
                    final long from = stream.atLeastOnce() ? previousAttempted : kill[0] + 1;
                    final int atThisKill = markUndelivered(a.delivered, explained, from, attemptedAtKill, atRouterKill);
                    mostAtOneRouterKill = Math.max(mostAtOneRouterKill, atThisKill);
                    if (!stream.atLeastOnce() && kill[2] > attemptedAtKill)
                    {
                        markUndelivered(a.delivered, explained, attemptedAtKill + 1, kill[2], beforeResubscribe);
                    }
                    previousAttempted = Math.max(previousAttempted, attemptedAtKill);
                }
            }

            long lost = 0;
            final StringBuilder firstLost = new StringBuilder();
            int ranges = 0;
            long rangeStart = -1;
            for (long s = 0; s <= a.maxAttempted + 1; s++)
            {
                final int i = (int)s;
                final boolean isLost = s <= a.maxAttempted && !a.delivered.get(i) && !uncertain.get(i) && !explained.get(i);
                if (isLost)
                {
                    lost++;
                    if (rangeStart < 0)
                    {
                        rangeStart = s;
                    }
                }
                else if (rangeStart >= 0)
                {
                    // Lost numbers as ranges, the first 10: where they sit says which kill, if any, was near.
                    if (++ranges <= 10)
                    {
                        firstLost.append(firstLost.isEmpty() ? "" : ",").append(rangeStart)
                            .append(rangeStart == s - 1 ? "" : "-" + (s - 1));
                    }
                    rangeStart = -1;
                }
            }
            final long delivered = a.delivered.cardinality();
            final long deliveredUncertain = countAnd(uncertain, a.delivered);
            final SoakProgress p = progress.get(stream);
            results.add(new StreamResult(stream, sent, uncertain.cardinality(), delivered, deliveredUncertain,
                inFlight.cardinality(), atRouterKill.cardinality(), beforeResubscribe.cardinality(), mostAtOneRouterKill,
                lost, firstLost.toString(), a.duplicated, a.firstDuplicates.toString(), a.reordered,
                a.firstReordered.toString(),
                p == null ? 0 : p.backPressured(), p == null ? 0 : p.notConnected(),
                p == null ? 0 : p.okWhileDisconnected(), p == null ? 0 : p.reconnects(), p == null ? 0 : p.errors(),
                a.incarnations.size()));
        }
        return results;
    }

    /**
     * Mark into {@code into} (and {@code explained}) every number in [from, to] never delivered and not yet explained.
     *
     * @return how many it marked.
     */
    private static int markUndelivered(final BitSet delivered, final BitSet explained, final long from, final long to,
        final BitSet into)
    {
        int n = 0;
        for (long s = Math.max(0, from); s <= to; s++)
        {
            if (!delivered.get((int)s) && !explained.get((int)s))
            {
                into.set((int)s);
                explained.set((int)s);
                n++;
            }
        }
        return n;
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
     * @param stream               the stream.
     * @param sent                 sends confirmed OK.
     * @param uncertain            numbers attempted by a sender killed before it recorded the outcome.
     * @param delivered            distinct numbers delivered.
     * @param deliveredUncertain   of the uncertain ones, how many were delivered.
     * @param inFlightAtKill       sent or uncertain, not delivered, explained by a kill of the sender.
     * @param inFlightAtRouterKill sent, never delivered, within what a killed router can have held (see the class).
     * @param beforeResubscribe    published to a restarted router before the sink had subscribed again.
     * @param mostAtOneRouterKill  the most numbers any one router kill accounts for.
     * @param lost                 sent, not delivered, not explained: a violated guarantee.
     * @param firstLost            the first 10 ranges of lost numbers ("5,9-12").
     * @param duplicated           deliveries of a number already delivered.
     * @param firstDuplicates      up to 5 duplicated numbers.
     * @param reordered            deliveries of a number lower than one delivered before.
     * @param firstReordered       up to 5 of them, with the highest delivered before each.
     * @param backPressured        sends refused with BACK_PRESSURED (retried).
     * @param notConnected         sends refused with NOT_CONNECTED or another refusal (retried).
     * @param okWhileDisconnected  sends that returned OK while the sender's client said the router was gone.
     * @param reconnects           times the sender's client came back by itself (all incarnations).
     * @param errors               ClientListener.onError calls in the sender.
     * @param incarnations         sender processes started (1 + restarts).
     */
    public record StreamResult(
        SoakStream stream,
        long sent,
        long uncertain,
        long delivered,
        long deliveredUncertain,
        long inFlightAtKill,
        long inFlightAtRouterKill,
        long beforeResubscribe,
        long mostAtOneRouterKill,
        long lost,
        String firstLost,
        long duplicated,
        String firstDuplicates,
        long reordered,
        String firstReordered,
        long backPressured,
        long notConnected,
        long okWhileDisconnected,
        long reconnects,
        long errors,
        int incarnations)
    {
        /** @return what is wrong with this stream, or null when its guarantees held. */
        public String violation()
        {
            if (lost > 0)
            {
                return stream + ": " + lost + " sent and never delivered, beyond what the kills explain (first: " +
                    firstLost + ")";
            }
            if (!stream.atLeastOnce() && duplicated > 0)
            {
                return stream + ": " + duplicated + " duplicates (first: " + firstDuplicates + ")";
            }
            if (!stream.atLeastOnce() && reordered > 0)
            {
                return stream + ": " + reordered + " out of order (first: " + firstReordered + ")";
            }
            if (stream.throughRouter() && okWhileDisconnected > 0)
            {
                return stream + ": " + okWhileDisconnected + " sends returned OK while the client said the router " +
                    "(its only path) was gone";
            }
            if (delivered + inFlightAtKill + inFlightAtRouterKill + beforeResubscribe + lost != sent + uncertain)
            {
                return stream + ": accounting does not add up: delivered " + delivered + " + in flight at kill " +
                    inFlightAtKill + " + in flight at router kill " + inFlightAtRouterKill + " + before resubscribe " +
                    beforeResubscribe + " + lost " + lost + " != sent " + sent + " + uncertain " + uncertain;
            }
            return null;
        }

        /** @return this result as a JSON object. */
        public String toJson()
        {
            return String.format(Locale.ROOT,
                "{\"stream\":\"%s\",\"path\":\"%s\",\"sent\":%d,\"uncertain\":%d,\"delivered\":%d," +
                    "\"delivered_uncertain\":%d,\"in_flight_at_kill\":%d,\"in_flight_at_router_kill\":%d," +
                    "\"before_resubscribe\":%d,\"most_at_one_router_kill\":%d,\"lost\":%d,\"duplicated\":%d," +
                    "\"reordered\":%d,\"back_pressured\":%d,\"not_connected\":%d,\"ok_while_router_gone\":%d," +
                    "\"reconnects\":%d,\"listener_errors\":%d,\"incarnations\":%d,\"ok\":%s}",
                stream, stream.path(), sent, uncertain, delivered, deliveredUncertain, inFlightAtKill,
                inFlightAtRouterKill, beforeResubscribe, mostAtOneRouterKill, lost, duplicated, reordered,
                backPressured, notConnected, okWhileDisconnected, reconnects, errors, incarnations, violation() == null);
        }
    }

    private static final class StreamAccount
    {
        final BitSet delivered = new BitSet();
        final List<long[]> incarnations = new ArrayList<>();
        /**
         * Per router kill: {highest delivered when the router was found dead, sender's attempted then, its attempted
         * when the sink subscribed again, its attempted when its own client said the router was gone}.
         */
        final List<long[]> routerKills = new ArrayList<>();
        final StringBuilder firstDuplicates = new StringBuilder();
        final StringBuilder firstReordered = new StringBuilder();
        long highest = -1;
        long deliveries;
        long duplicated;
        long reordered;
        long malformed;
        long maxAttempted = -1;
    }
}
