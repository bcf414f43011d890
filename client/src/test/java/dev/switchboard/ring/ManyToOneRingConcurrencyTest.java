package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.switchboard.transport.OfferStatus.BACK_PRESSURED;
import static dev.switchboard.transport.OfferStatus.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Real producer threads against one consumer. Each producer uses a different write path (offer from a
 * {@link SegmentBuffer}, offer from a {@code byte[]}-backed buffer, the two-part offer, tryClaim/commit)
 * and varies its message length, so claims race at the wrap and padding records are written concurrently.
 * The timeout only guards against a hang; nothing here measures speed.
 */
class ManyToOneRingConcurrencyTest
{
    private static final int PRODUCERS = 4;
    private static final int MESSAGES_PER_PRODUCER = 250_000;
    private static final int CAPACITY = 64 * 1024;
    private static final int TYPE = 3;
    /** Body: producer id (int), sequence (int), then {@code sequence % 29} filler bytes derived from both. */
    private static final int FIXED_LENGTH = 8;
    private static final int MAX_FILLER = 28;

    private static byte filler(final int producer, final int sequence, final int i)
    {
        return (byte)(producer * 7 + sequence + i);
    }

    private static int writeBody(
        final MutableDirectBuffer buffer, final int index, final int producer, final int sequence)
    {
        buffer.putInt(index, producer);
        buffer.putInt(index + 4, sequence);
        final int fillerLength = sequence % (MAX_FILLER + 1);
        for (int i = 0; i < fillerLength; i++)
        {
            buffer.putByte(index + FIXED_LENGTH + i, filler(producer, sequence, i));
        }
        return FIXED_LENGTH + fillerLength;
    }

    @Test
    @Tag("slow")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyMessageFromEveryProducerArrivesExactlyOnceInProducerOrder() throws InterruptedException
    {
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment memory = arena.allocate(ManyToOneRing.requiredSize(CAPACITY), 64);
            final ManyToOneRing ring = ManyToOneRing.create(memory);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> producers = new ArrayList<>();

            for (int p = 0; p < PRODUCERS; p++)
            {
                final int producer = p;
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        produce(ring, producer);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "producer-" + p);
                thread.start();
                producers.add(thread);
            }

            final int[] nextSequence = new int[PRODUCERS];
            final long[] received = {0};
            final String[] error = {null};
            start.countDown();

            final long total = (long)PRODUCERS * MESSAGES_PER_PRODUCER;
            while (received[0] < total && null == failure.get() && null == error[0])
            {
                final int read = ring.read((msgTypeId, buffer, index, length) ->
                {
                    final int producer = buffer.getInt(index);
                    final int sequence = buffer.getInt(index + 4);
                    if (msgTypeId != TYPE || producer < 0 || producer >= PRODUCERS)
                    {
                        error[0] = "bad record: type=" + msgTypeId + " producer=" + producer;
                        return;
                    }
                    if (sequence != nextSequence[producer])
                    {
                        error[0] = "producer " + producer + ": expected sequence " + nextSequence[producer] +
                            " got " + sequence;
                        return;
                    }
                    final int fillerLength = sequence % (MAX_FILLER + 1);
                    if (length != FIXED_LENGTH + fillerLength)
                    {
                        error[0] = "producer " + producer + " sequence " + sequence + ": length " + length;
                        return;
                    }
                    for (int i = 0; i < fillerLength; i++)
                    {
                        if (buffer.getByte(index + FIXED_LENGTH + i) != filler(producer, sequence, i))
                        {
                            error[0] = "producer " + producer + " sequence " + sequence + ": corrupt byte " + i;
                            return;
                        }
                    }
                    nextSequence[producer]++;
                    received[0]++;
                }, 64);

                if (0 == read)
                {
                    Thread.yield();
                }
            }

            for (final Thread thread : producers)
            {
                thread.join();
            }

            assertNull(failure.get());
            assertNull(error[0]);
            assertEquals(total, received[0]);
            for (int p = 0; p < PRODUCERS; p++)
            {
                assertEquals(MESSAGES_PER_PRODUCER, nextSequence[p], "messages from producer " + p);
            }
            assertEquals(0, ring.read((msgTypeId, buffer, index, length) -> received[0]++), "nothing more");
            assertEquals(ring.producerPosition(), ring.consumerPosition());
        }
    }

    /**
     * Two producers that spin on back-pressure (as a throughput producer does) against a ring a few dozen records long
     * and a consumer that never yields, on a machine with fewer cores than threads: a producer is often preempted
     * between its reads of the tail and the head, and meanwhile the others and the consumer move both by more than the
     * capacity. It must never take the trailer for damaged: every offer is OK or BACK_PRESSURED. (Before the fix about
     * one offer in ten thousand here answered NOT_CONNECTED; the bench's two-producer runs hit it.)
     */
    @Test
    @Tag("slow")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void producersSpinningOnATinyRingNeverTakeItForDamaged() throws InterruptedException
    {
        final int producers = 2;
        final int perProducer = 2_000_000;
        try (Arena arena = Arena.ofShared())
        {
            final ManyToOneRing ring = ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(1024), 64));
            final java.util.concurrent.atomic.AtomicLong otherStatuses = new java.util.concurrent.atomic.AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final Thread thread = new Thread(() ->
                {
                    try (Arena local = Arena.ofConfined())
                    {
                        final SegmentBuffer payload = new SegmentBuffer(local.allocate(32, 8));
                        for (int i = 0; i < perProducer; )
                        {
                            final int status = ring.offer(TYPE, payload, 0, 32);
                            if (OK == status)
                            {
                                i++;
                            }
                            else if (BACK_PRESSURED != status)
                            {
                                otherStatuses.incrementAndGet(); // counted, and the message offered again
                            }
                        }
                    }
                }, "spinning-producer-" + p);
                thread.start();
                threads.add(thread);
            }
            long received = 0;
            while (received < (long)producers * perProducer)
            {
                received += ring.read((msgTypeId, buffer, index, length) -> { }, 256);
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertEquals(0, otherStatuses.get(), "offers answered neither OK nor BACK_PRESSURED");
            assertEquals(0, ring.corruptRecordCount());
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void producersRacingAConsumerOnAFullRingAreToldBackPressuredNeverNotConnected() throws InterruptedException
    {
        // A producer that found the ring full read the head after its tail: the consumer may have read past that
        // tail in between (others claimed and committed meanwhile), and the head ahead of the tail looked like a
        // damaged trailer. Before: NOT_CONNECTED to a healthy sender, dozens of times a second on a small full ring
        // (found by the fuzz campaign's inbox target).
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment memory = arena.allocate(ManyToOneRing.requiredSize(4096), 64);
            final ManyToOneRing consumer = ManyToOneRing.create(memory);
            final AtomicReference<String> failure = new AtomicReference<>();
            final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            final java.util.concurrent.atomic.AtomicLong offered = new java.util.concurrent.atomic.AtomicLong();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                final Thread thread = new Thread(() ->
                {
                    final ManyToOneRing ring = new ManyToOneRing(memory);
                    final UnsafeBuffer body = new UnsafeBuffer(new byte[40]);
                    boolean claim = false;
                    while (running.get() && failure.get() == null)
                    {
                        claim = !claim;
                        final int index = claim ? ring.tryClaim(TYPE, 40) : ring.offer(TYPE, body, 0, 40);
                        if (claim && index > 0)
                        {
                            ring.commit(index);
                        }
                        if (index >= 0)
                        {
                            offered.incrementAndGet();
                        }
                        else if (index != BACK_PRESSURED)
                        {
                            failure.compareAndSet(null, "status " + index + " after " + offered.get() + " messages");
                        }
                    }
                }, "producer-" + p);
                thread.start();
                producers.add(thread);
            }
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long read = 0;
            while (System.nanoTime() < end && failure.get() == null)
            {
                read += consumer.read((msgTypeId, buffer, index, length) -> { });
            }
            running.set(false);
            for (final Thread thread : producers)
            {
                thread.join();
            }
            assertNull(failure.get(), "read " + read);
            assertEquals(0, consumer.corruptRecordCount());
        }
    }

    private static void produce(final ManyToOneRing ring, final int producer)
    {
        final byte[] heap = new byte[FIXED_LENGTH + MAX_FILLER];
        final UnsafeBuffer heapBuffer = new UnsafeBuffer(heap);
        try (Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer segmentBuffer = new SegmentBuffer(arena.allocate(FIXED_LENGTH + MAX_FILLER, 8));
            for (int sequence = 0; sequence < MESSAGES_PER_PRODUCER; sequence++)
            {
                int status;
                while (OK != (status = write(ring, producer, sequence, segmentBuffer, heapBuffer)))
                {
                    if (BACK_PRESSURED != status)
                    {
                        throw new IllegalStateException("producer " + producer + " got status " + status);
                    }
                    Thread.yield();
                }
            }
        }
    }

    private static int write(
        final ManyToOneRing ring,
        final int producer,
        final int sequence,
        final SegmentBuffer segmentBuffer,
        final UnsafeBuffer heapBuffer)
    {
        switch (producer % 4)
        {
            case 0:
            {
                final int length = writeBody(segmentBuffer, 0, producer, sequence);
                return ring.offer(TYPE, segmentBuffer, 0, length);
            }
            case 1:
            {
                final int length = writeBody(heapBuffer, 0, producer, sequence);
                return ring.offer(TYPE, heapBuffer, 0, length);
            }
            case 2:
            {
                final int length = writeBody(segmentBuffer, 0, producer, sequence);
                final DirectBuffer header = segmentBuffer;
                heapBuffer.putBytes(0, segmentBuffer, 4, length - 4);
                return ring.offer(TYPE, header, 0, 4, heapBuffer, 0, length - 4);
            }
            default:
            {
                final int length = FIXED_LENGTH + sequence % (MAX_FILLER + 1);
                final int index = ring.tryClaim(TYPE, length);
                if (index < 0)
                {
                    return index;
                }
                writeBody(ring.buffer(), index, producer, sequence);
                ring.commit(index);
                return OK;
            }
        }
    }
}
