/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.ipc.fuzz;

import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.ipc.RouterProcess;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.ring.RingDescriptor;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, target 3: garbage written straight into a live agent's CRITICAL inbox (its /dev/shm file, mapped here
 * as any sender maps it) while a well-behaved sender writes numbered messages into the same inbox. The garbage
 * claims its space by the ring's protocol, as a buggy sender would, then lies:
 * <ol>
 *     <li>plausible lengths with unknown record type ids, and malformed, truncated and foreign frames (mutated
 *     control and data frames): the receiver skips each record by its length, counts it (bad type:
 *     {@link RouterCounter#REJECTED_MALFORMED}; bad frame: CRITICAL/SEND rejected, exactly as many as a local
 *     validator rejects) and loses none of the good sender's messages;</li>
 *     <li>impossible lengths (shorter than a record header, reaching past the end of the record area, negative
 *     after commit is not tried: that is a producer that died mid-claim, {@code ManyToOneRing#unblock}'s case):
 *     the receiver discards the ring up to its tail, counts {@link RouterCounter#INBOX_CORRUPT_RECORDS}, and the
 *     good sender's messages keep arriving, in order, some possibly lost with the discarded span.</li>
 * </ol>
 * Size: {@code switchboard.fuzz.inbox.records} (default {@value #DEFAULT_RECORDS}) plausible garbage records.
 */
class InboxGarbageFuzzTest
{
    static final int DEFAULT_RECORDS = 20_000;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int[] BAD_TYPES = {0, Tier.count() + 1, 99, Integer.MAX_VALUE, Integer.MIN_VALUE, -7};

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void receiverSkipsCountsOrResynchronisesOnGarbageRecordsAndGoodRecordsKeepArriving() throws Exception
    {
        final int records = Integer.getInteger("switchboard.fuzz.inbox.records", DEFAULT_RECORDS);
        final long seed = Long.getLong("switchboard.fuzz.seed", 0x5EED_F022L);
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess process = RouterProcess.launch(new RouterContext(), ipc);
            GoodTraffic good = new GoodTraffic(ipc, Priority.CRITICAL);
            Arena arena = Arena.ofShared())
        {
            good.start();
            good.awaitReceived(100, 30_000);
            final Path inboxPath = Path.of(good.receiverInbox());
            final MemorySegment file;
            try (FileChannel channel = FileChannel.open(inboxPath, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                file = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            }
            final MemorySegment ringSegment = file.asSlice(InboxDescriptor.HEADER_LENGTH);
            final ManyToOneRing ring = new ManyToOneRing(ringSegment);
            final CounterBlock counters = good.receiverCounters();
            final int badFrameCounter = CounterIds.of(Tier.CRITICAL, dev.switchboard.codecs.sbe.Pattern.SEND,
                CounterKind.REJECTED);
            final int malformedCounter = CounterIds.of(RouterCounter.REJECTED_MALFORMED);
            final long badFramesBefore = counters.get(badFrameCounter);
            final long malformedBefore = counters.get(malformedCounter);

            // 1. Plausible lengths: skipped by length, counted, nothing good lost.
            final RawFrames frames = new RawFrames(seed);
            final SplittableRandom random = new SplittableRandom(seed);
            final FrameValidator validator = new FrameValidator(WireLimits.MAX_FRAME_LENGTH, new FrameRejections());
            long expectedBadFrames = 0;
            long expectedBadTypes = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < records; i++)
            {
                final byte[] body = frames.next();
                final boolean badType = random.nextInt(4) == 0;
                final int index = claim(ring, body.length, good);
                ring.buffer().putBytes(index, body);
                final int recordIndex = index - RingDescriptor.HEADER_LENGTH;
                if (badType)
                {
                    ring.buffer().putInt(recordIndex + RingDescriptor.TYPE_OFFSET, BAD_TYPES[random.nextInt(BAD_TYPES.length)]);
                    expectedBadTypes++;
                }
                else if (validator.validate(new UnsafeBuffer(body), 0, body.length) != EnvelopeDecoder.TEMPLATE_ID)
                {
                    expectedBadFrames++;
                }
                commitAs(ringSegment, recordIndex, RingDescriptor.HEADER_LENGTH + body.length);
            }
            final long plausibleNs = System.nanoTime() - start;
            awaitCounter(counters, malformedCounter, malformedBefore + expectedBadTypes, "bad record types");
            awaitCounter(counters, badFrameCounter, badFramesBefore + expectedBadFrames, "bad frames");
            final long receivedAfterPlausible = good.received();
            good.awaitReceived(receivedAfterPlausible + 100, 30_000);
            assertEquals(0, good.gaps(), "no good message lost to plausible garbage");
            assertEquals(0, counters.get(CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS)));

            // 2. Impossible lengths: discard to the tail, count, carry on.
            good.allowGaps();
            final int corruptions = 20;
            final int capacity = ring.capacity();
            for (int i = 0; i < corruptions; i++)
            {
                final int index = claim(ring, 16, good);
                final int recordIndex = index - RingDescriptor.HEADER_LENGTH;
                final int lie = switch (i % 4)
                {
                    case 0 -> 1 + random.nextInt(RingDescriptor.HEADER_LENGTH - 1);
                    case 1 -> capacity - recordIndex + RingDescriptor.ALIGNMENT;
                    case 2 -> Integer.MAX_VALUE;
                    default -> capacity + 1 + random.nextInt(1 << 20);
                };
                commitAs(ringSegment, recordIndex, lie);
                awaitCounter(counters, CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS), i + 1, "corrupt records");
                good.awaitReceived(good.received() + 50, 30_000);
            }

            final long sent = good.stop();
            System.out.printf("inbox fuzz: %,d garbage records in %.1f s (%,.0f/s): %,d bad types and %,d bad frames " +
                "counted, no good message lost; %d impossible lengths -> %d resynchronisations, %,d bytes and %,d " +
                "good messages discarded; %,d good messages sent%n",
                records, plausibleNs / 1e9, records * 1e9 / plausibleNs, expectedBadTypes, expectedBadFrames,
                corruptions, counters.get(CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS)),
                counters.get(CounterIds.of(RouterCounter.INBOX_DISCARDED_BYTES)), good.gaps(), sent);
            assertEquals(corruptions, counters.get(CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS)));
            assertTrue(good.received() == sent, "the last good message arrived");
        }
    }

    /**
     * Claim space by the ring's protocol, letting the receiver drain when the inbox is full.
     */
    private static int claim(final ManyToOneRing ring, final int length, final GoodTraffic good) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int index;
        while ((index = ring.tryClaim(Tier.CRITICAL.typeId(), length)) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "inbox stayed full: status " + index + ", received " +
                good.received());
            Thread.sleep(0, 50_000);
        }
        return index;
    }

    /**
     * Commit a claimed record with any length, as ManyToOneRing's commit does: one release store.
     */
    private static void commitAs(final MemorySegment ringSegment, final int recordIndex, final int length)
    {
        INT.setRelease(ringSegment, (long)recordIndex, length);
    }

    private static void awaitCounter(final CounterBlock counters, final int id, final long expected, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counters.get(id) < expected)
        {
            assertTrue(System.nanoTime() < deadline, what + " counted " + counters.get(id) + " of " + expected);
            Thread.sleep(1);
        }
        assertEquals(expected, counters.get(id), what);
    }
}
