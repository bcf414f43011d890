/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's judgement of a router kill, on made-up accounts: what a kill may explain on each path, and what it may
 * not (so that the soak can fail).
 */
class SoakLedgerTest
{
    @TempDir
    Path dir;

    private final SoakLedger ledger = new SoakLedger();
    private final Map<SoakStream, SoakProgress> progress = new EnumMap<>(SoakStream.class);

    @AfterEach
    void close()
    {
        progress.values().forEach(SoakProgress::close);
    }

    @Test
    void aTopicTailCutByARouterKillAndPublishesBeforeTheResubscribeAreExplainedNotLost()
    {
        sent(SoakStream.NORMAL_TOPIC, 20);
        deliver(SoakStream.NORMAL_TOPIC, 0, 6);
        ledger.onRouterKilled(Map.of(SoakStream.NORMAL_TOPIC, 7L));
        // The publisher's client said the router was gone only after two more sends had returned OK into its buffers.
        ledger.onSendersSawRouterGo(Map.of(SoakStream.NORMAL_TOPIC, 9L));
        ledger.onSinkResubscribed(Map.of(SoakStream.NORMAL_TOPIC, 12L));
        deliver(SoakStream.NORMAL_TOPIC, 13, 19);
        end(SoakStream.NORMAL_TOPIC);

        final SoakLedger.StreamResult r = result(SoakStream.NORMAL_TOPIC);
        assertEquals(3, r.inFlightAtRouterKill(), "7..9: after the last delivered, up to the publisher's last attempt");
        assertEquals(3, r.beforeResubscribe(), "10..12: published before the sink subscribed again");
        assertEquals(0, r.lost());
        assertNull(r.violation());
    }

    @Test
    void aTopicFrameMissingBelowOneDeliveredBeforeTheRouterDiedIsLost()
    {
        sent(SoakStream.NORMAL_TOPIC, 10);
        deliver(SoakStream.NORMAL_TOPIC, 0, 4);
        deliver(SoakStream.NORMAL_TOPIC, 6, 6);
        ledger.onRouterKilled(Map.of(SoakStream.NORMAL_TOPIC, 9L));
        ledger.onSendersSawRouterGo(Map.of(SoakStream.NORMAL_TOPIC, 9L));
        end(SoakStream.NORMAL_TOPIC);

        final SoakLedger.StreamResult r = result(SoakStream.NORMAL_TOPIC);
        assertEquals(3, r.inFlightAtRouterKill());
        assertEquals(1, r.lost(), "5 was skipped while 6 came through: not cut by the kill");
        assertNotNull(r.violation());
    }

    @Test
    void aRouterKillExplainsNothingOnCriticalLowOrTheLinks()
    {
        for (final SoakStream stream : new SoakStream[]{SoakStream.CRITICAL, SoakStream.LOW, SoakStream.NORMAL})
        {
            sent(stream, 20);
            deliver(stream, 0, 6);
        }
        final Map<SoakStream, Long> attempted = new EnumMap<>(SoakStream.class);
        attempted.put(SoakStream.CRITICAL, 9L);
        attempted.put(SoakStream.LOW, 9L);
        attempted.put(SoakStream.NORMAL, 9L);
        ledger.onRouterKilled(attempted);
        ledger.onSendersSawRouterGo(attempted);
        for (final SoakStream stream : new SoakStream[]{SoakStream.CRITICAL, SoakStream.LOW, SoakStream.NORMAL})
        {
            deliver(stream, 10, 19);
            end(stream);
            final SoakLedger.StreamResult r = result(stream);
            assertEquals(0, r.inFlightAtRouterKill(), stream + ": the router is not on its path");
            assertEquals(3, r.lost(), stream.toString());
            assertNotNull(r.violation(), stream.toString());
        }
    }

    @Test
    void onlyWorkItemsEnqueuedToTheRouterThatDiedAreExplainedByItsKill()
    {
        sent(SoakStream.WORK, 30);
        for (int s = 0; s < 30; s++)
        {
            if (s != 3 && s != 15 && s != 25)
            {
                ledger.onDelivered(SoakStream.WORK.ordinal(), s);
            }
        }
        ledger.onRouterKilled(Map.of(SoakStream.WORK, 9L));
        ledger.onSendersSawRouterGo(Map.of());
        ledger.onRouterKilled(Map.of(SoakStream.WORK, 19L));
        ledger.onSendersSawRouterGo(Map.of());
        end(SoakStream.WORK);

        final SoakLedger.StreamResult r = result(SoakStream.WORK);
        assertEquals(2, r.inFlightAtRouterKill(), "3 in the first router, 15 in the second");
        assertEquals(1, r.lost(), "25 was enqueued to the router that is still up");
        assertTrue(r.violation().contains("first: 25"), r.violation());
    }

    @Test
    void aRoutedSendThatReturnedOkWhileItsClientSaidTheRouterWasGoneIsAViolation()
    {
        sent(SoakStream.HIGH_TOPIC, 5);
        deliver(SoakStream.HIGH_TOPIC, 0, 4);
        progress.get(SoakStream.HIGH_TOPIC).incrementOkWhileDisconnected();
        end(SoakStream.HIGH_TOPIC);

        assertTrue(result(SoakStream.HIGH_TOPIC).violation().contains("returned OK while the client said the router"));
    }

    @Test
    void aDuplicateOutsideWorkIsAViolationAndOnWorkItIsNot()
    {
        sent(SoakStream.HIGH, 3);
        sent(SoakStream.WORK, 3);
        deliver(SoakStream.HIGH, 0, 2);
        deliver(SoakStream.WORK, 0, 2);
        ledger.onDelivered(SoakStream.HIGH.ordinal(), 1);
        ledger.onDelivered(SoakStream.WORK.ordinal(), 1);
        end(SoakStream.HIGH);
        end(SoakStream.WORK);

        assertTrue(result(SoakStream.HIGH).violation().contains("duplicates"));
        assertNull(result(SoakStream.WORK).violation());
    }

    /** A sender that attempted and confirmed 0..n-1. */
    private void sent(final SoakStream stream, final int n)
    {
        final SoakProgress p = SoakProgress.open(dir.resolve(stream + ".progress"));
        progress.put(stream, p);
        for (int s = 0; s < n; s++)
        {
            p.attempt(s);
            p.confirm(s);
        }
    }

    private void deliver(final SoakStream stream, final int from, final int to)
    {
        for (int s = from; s <= to; s++)
        {
            ledger.onDelivered(stream.ordinal(), s);
        }
    }

    /** The sender stopped by itself: its whole account is in. */
    private void end(final SoakStream stream)
    {
        ledger.onIncarnationEnded(stream, 0, progress.get(stream), false);
    }

    private SoakLedger.StreamResult result(final SoakStream stream)
    {
        return ledger.results(progress).stream().filter(r -> r.stream() == stream).findFirst().orElseThrow();
    }
}
