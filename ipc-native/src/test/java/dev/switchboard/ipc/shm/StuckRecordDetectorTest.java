/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.shm;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StuckRecordDetectorTest
{
    private final ManyToOneRing ring = ManyToOneRing.create(Arena.ofAuto().allocate(ManyToOneRing.requiredSize(4096), 128));
    private final SegmentBuffer message = SegmentBuffer.allocate(Arena.ofAuto(), 8);
    private final List<Long> read = new ArrayList<>();

    private int drain()
    {
        return ring.read((type, buffer, index, length) -> read.add(buffer.getLong(index)));
    }

    @Test
    void anAbandonedClaimIsTurnedIntoPaddingOnceTheHeadHasNotMovedForTheTimeout() throws Exception
    {
        final StuckRecordDetector detector = new StuckRecordDetector(ring, TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(ring.tryClaim(1, 8) >= 0);
        message.putLong(0, 42);
        assertEquals(OfferStatus.OK, ring.offer(1, message, 0, 8));

        assertEquals(0, drain());
        assertFalse(detector.onEmptyRead(), "the first empty read only starts the clock");
        Thread.sleep(5);
        assertTrue(detector.onEmptyRead());
        assertEquals(1, drain());
        assertEquals(List.of(42L), read);
        assertEquals(1, detector.unblockedCount());
        assertFalse(detector.onEmptyRead(), "an empty ring is not stuck");
    }

    @Test
    void aClaimCommittedBeforeTheTimeoutIsDeliveredIntact()
    {
        final StuckRecordDetector detector = new StuckRecordDetector(ring, TimeUnit.HOURS.toNanos(1));
        final int index = ring.tryClaim(1, 8);
        assertEquals(0, drain());
        assertFalse(detector.onEmptyRead());
        assertFalse(detector.onEmptyRead());
        ring.buffer().putLong(index, 7);
        ring.commit(index);
        assertEquals(1, drain());
        assertEquals(List.of(7L), read);
        assertEquals(0, detector.unblockedCount());
    }

    @Test
    void aTimeoutBelowOneMillisecondIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new StuckRecordDetector(ring, 999_999));
    }
}
