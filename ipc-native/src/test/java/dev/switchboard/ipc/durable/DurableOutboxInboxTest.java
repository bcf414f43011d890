package dev.switchboard.ipc.durable;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class DurableOutboxInboxTest
{
    private static final String AGENT = "agent-b";

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void pollDeliversEveryAppendedFrameInOrderWithTheLowTypeId()
    {
        final int total = 10_000;
        final DurableQueues queues = new DurableQueues(dir);
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add);
            DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            final List<Long> seqs = new ArrayList<>();
            final MessageHandler handler = (type, buffer, index, length) ->
            {
                assertEquals(Tier.LOW.typeId(), type);
                assertFalse(inbox.lastWasPossibleDuplicate());
                seqs.add(LowFrames.check(buffer, index, length));
            };
            long previousIndex = -1;
            for (long seq = 0; seq < total; seq++)
            {
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, seq));
                assertTrue(outbox.lastAppendedIndex() > previousIndex);
                previousIndex = outbox.lastAppendedIndex();
                if (seq % 1000 == 999)
                {
                    inbox.poll(handler, 400); // interleave reads with appends
                }
            }
            while (inbox.poll(handler, 1000) > 0)
            {
                // drain
            }
            assertEquals(total, seqs.size());
            for (int i = 0; i < total; i++)
            {
                assertEquals(i, seqs.get(i));
            }
            assertEquals(outbox.lastAppendedIndex(), inbox.lastIndex());
            assertEquals(total, outbox.appendedCount());
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void appendCopiesHeapAndNativeBuffersAtTheirOffsetsIntoOneFrame()
    {
        final DurableQueues queues = new DurableQueues(dir);
        final byte[] array = new byte[32];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = (byte)i;
        }
        final UnsafeBuffer heap = new UnsafeBuffer(array, 8, 16); // wrap adjustment 8
        final SegmentBuffer direct = SegmentBuffer.allocate(Arena.ofAuto(), 16);
        for (int i = 0; i < 16; i++)
        {
            direct.putByte(i, (byte)(100 + i));
        }
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add);
            DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            assertEquals(OfferStatus.OK, outbox.append(AGENT, heap, 2, 5, direct, 3, 4));
            assertEquals(OfferStatus.OK, outbox.append(AGENT, direct, 0, 0, heap, 0, 0)); // an empty frame
            final List<byte[]> got = new ArrayList<>();
            assertEquals(2, inbox.poll((type, buffer, index, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(index, bytes);
                got.add(bytes);
            }, 10));
            assertEquals("[10, 11, 12, 13, 14, 103, 104, 105, 106]", java.util.Arrays.toString(got.get(0)));
            assertEquals(0, got.get(1).length);
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void pollHandsOverAtMostLimitFrames()
    {
        final DurableQueues queues = new DurableQueues(dir);
        appendFrames(queues, 10);
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            assertEquals(3, inbox.poll((type, buffer, index, length) -> { }, 3));
            assertEquals(7, inbox.poll((type, buffer, index, length) -> { }, 100));
            assertEquals(0, inbox.poll((type, buffer, index, length) -> { }, 100));
        }
    }

    @Test
    void appendReturnsTooLargeOverTheConfiguredLimitAndWritesNothing()
    {
        final DurableQueues queues = new DurableQueues(dir).maxFrameLength(1024);
        final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), 1024);
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add);
            DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            assertEquals(OfferStatus.TOO_LARGE, outbox.append(AGENT, buffer, 0, 1000, buffer, 0, 25));
            assertEquals(1, outbox.tooLargeCount());
            assertEquals(0, inbox.poll((type, b, index, length) -> fail("nothing was appended"), 10));
            assertEquals(OfferStatus.OK, outbox.append(AGENT, buffer, 0, 1000, buffer, 0, 24));
            assertEquals(1, inbox.poll((type, b, index, length) -> assertEquals(1024, length), 10));
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void appendAcceptsAFrameOfTheDefaultLimitAndTheInboxGrowsItsCopy()
    {
        final DurableQueues queues = new DurableQueues(dir);
        assertEquals(WireLimits.MAX_FRAME_LENGTH, queues.conclude().maxFrameLength());
        try (Arena arena = Arena.ofConfined();
            DurableOutbox outbox = new DurableOutbox(queues, errors::add);
            DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            final SegmentBuffer big = SegmentBuffer.allocate(arena, WireLimits.MAX_FRAME_LENGTH);
            for (int i = 0; i < big.capacity(); i += 4096)
            {
                big.putInt(i, i);
            }
            assertEquals(OfferStatus.OK, outbox.append(AGENT, big, 0, 16, big, 16, big.capacity() - 16));
            assertEquals(OfferStatus.TOO_LARGE, outbox.append(AGENT, big, 0, 16, big, 0, big.capacity() - 15));
            assertEquals(1, inbox.poll((type, buffer, index, length) ->
            {
                assertEquals(WireLimits.MAX_FRAME_LENGTH, length);
                for (int i = 0; i < length; i += 4096)
                {
                    assertEquals(i, buffer.getInt(index + i));
                }
            }, 10));
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void appendRejectsBadArgumentsWithAMessageAndACount()
    {
        final DurableQueues queues = new DurableQueues(dir);
        final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), 64);
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.REJECTED, outbox.append(AGENT, buffer, 0, -1, buffer, 0, 0));
            assertEquals(OfferStatus.REJECTED, outbox.append(AGENT, buffer, 60, 8, buffer, 0, 0));
            assertEquals(OfferStatus.REJECTED, outbox.append(AGENT, null, 0, 8, buffer, 0, 0));
            assertEquals(OfferStatus.REJECTED, outbox.append("", buffer, 0, 8, buffer, 0, 0));
            assertEquals(OfferStatus.REJECTED, outbox.append(null, buffer, 0, 8, buffer, 0, 0));
            assertEquals(OfferStatus.REJECTED, outbox.append("x".repeat(200), buffer, 0, 8, buffer, 0, 0));
            assertEquals(6, outbox.rejectedCount());
            assertEquals(0, outbox.appendedCount());
        }
        assertEquals(6, errors.size());
        assertTrue(errors.get(1).getMessage().contains("outside its buffer"), errors.get(1).getMessage());
        assertTrue(errors.get(3).getMessage().contains("must not be empty"), errors.get(3).getMessage());
        assertTrue(errors.get(5).getMessage().contains("longer than 128"), errors.get(5).getMessage());
    }

    @Test
    void appendReturnsRejectedWithAClearMessageWhenTheDataDirIsAFile() throws Exception
    {
        // Stands in for an unwritable disk: tests run as root here, so permission bits would not stop a write.
        final Path notADir = Files.createFile(dir.resolve("data"));
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(new DurableQueues(notADir), errors::add))
        {
            assertEquals(OfferStatus.REJECTED, frames.append(outbox, AGENT, 0));
            assertEquals(OfferStatus.REJECTED, frames.append(outbox, AGENT, 1));
            assertEquals(2, outbox.rejectedCount());
        }
        assertEquals(2, errors.size());
        final String message = errors.get(0).getMessage();
        assertTrue(message.contains("'" + AGENT + "'") && message.contains(notADir.resolve(AGENT).toString()) &&
            message.contains("not a directory"), message);
    }

    @Test
    void appendRecoversOnceTheQueueDirectoryIsRepaired() throws Exception
    {
        final Path data = Files.createDirectory(dir.resolve("data"));
        final Path blocker = Files.createFile(data.resolve(AGENT));
        final DurableQueues queues = new DurableQueues(data);
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.REJECTED, frames.append(outbox, AGENT, 0));
            Files.delete(blocker);
            assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, 1));
            assertEquals(1, outbox.rejectedCount());
            assertEquals(1, outbox.appendedCount());
        }
        assertEquals(1, errors.size());
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", (ex) -> fail(ex)))
        {
            assertEquals(1, inbox.poll((type, buffer, index, length) ->
                assertEquals(1, LowFrames.check(buffer, index, length)), 10));
        }
    }

    @Test
    void appendAfterCloseReturnsClosed()
    {
        final DurableOutbox outbox = new DurableOutbox(new DurableQueues(dir), errors::add);
        outbox.close();
        assertEquals(OfferStatus.CLOSED, new LowFrames().append(outbox, AGENT, 0));
    }

    @Test
    void namedReaderResumesAfterReopenWithoutRedelivery()
    {
        final DurableQueues queues = new DurableQueues(dir);
        appendFrames(queues, 10);
        final List<Long> seen = new ArrayList<>();
        final long indexAfterFour;
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            assertEquals(DurableInbox.NO_INDEX, inbox.lastIndex());
            assertEquals(4, inbox.poll((type, buffer, index, length) -> seen.add(LowFrames.check(buffer, index, length)), 4));
            indexAfterFour = inbox.lastIndex();
        }
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            assertEquals(indexAfterFour, inbox.lastIndex(), "the last index handed over survives the restart");
            assertEquals(6, inbox.poll((type, buffer, index, length) ->
            {
                assertFalse(inbox.lastWasPossibleDuplicate());
                seen.add(LowFrames.check(buffer, index, length));
            }, 100));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seen);
    }

    @Test
    void twoReaderNamesAreIndependent()
    {
        final DurableQueues queues = new DurableQueues(dir);
        appendFrames(queues, 10);
        final List<Long> first = new ArrayList<>();
        final List<Long> second = new ArrayList<>();
        try (DurableInbox a = new DurableInbox(queues, AGENT, "reader-a", errors::add);
            DurableInbox b = new DurableInbox(queues, AGENT, "reader-b", errors::add))
        {
            assertEquals(7, a.poll((type, buffer, index, length) -> first.add(LowFrames.check(buffer, index, length)), 7));
            assertEquals(2, b.poll((type, buffer, index, length) -> second.add(LowFrames.check(buffer, index, length)), 2));
        }
        try (DurableInbox b = new DurableInbox(queues, AGENT, "reader-b", errors::add);
            DurableInbox a = new DurableInbox(queues, AGENT, "reader-a", errors::add))
        {
            assertEquals(8, b.poll((type, buffer, index, length) -> second.add(LowFrames.check(buffer, index, length)), 100));
            assertEquals(3, a.poll((type, buffer, index, length) -> first.add(LowFrames.check(buffer, index, length)), 100));
        }
        final List<Long> all = List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertEquals(all, first);
        assertEquals(all, second);
    }

    @Test
    void secondInboxWithTheSameReaderNameIsRefused()
    {
        final DurableQueues queues = new DurableQueues(dir);
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> new DurableInbox(queues, AGENT, "inbox", errors::add));
            assertTrue(ex.getMessage().contains("already reads"), ex.getMessage());
            assertEquals("inbox", inbox.readerName());
        }
        new DurableInbox(queues, AGENT, "inbox", errors::add).close(); // free again once closed
    }

    @Test
    void readerNamesOutsideThePortableSetAreRefused()
    {
        final DurableQueues queues = new DurableQueues(dir);
        assertThrows(IllegalArgumentException.class, () -> new DurableInbox(queues, AGENT, "a/b", errors::add));
        assertThrows(IllegalArgumentException.class, () -> new DurableInbox(queues, AGENT, "", errors::add));
    }

    @Test
    void handlerExceptionLeavesTheFrameUncommittedAndFlagsItsRedelivery()
    {
        final DurableQueues queues = new DurableQueues(dir);
        appendFrames(queues, 5);
        final List<String> seen = new ArrayList<>();
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            final MessageHandler failOnTwo = (type, buffer, index, length) ->
            {
                final long seq = LowFrames.check(buffer, index, length);
                seen.add(seq + (inbox.lastWasPossibleDuplicate() ? "?" : ""));
                if (seq == 2 && !inbox.lastWasPossibleDuplicate())
                {
                    throw new IllegalStateException("handler failed on 2");
                }
            };
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> inbox.poll(failOnTwo, 10));
            assertEquals("handler failed on 2", ex.getMessage());
            assertEquals(3, inbox.poll(failOnTwo, 10));
        }
        assertEquals(List.of("0", "1", "2", "2?", "3", "4"), seen);
    }

    @Test
    void framesInLaterCyclesAreDeliveredAcrossARestart() throws Exception
    {
        final DurableQueues queues = new DurableQueues(dir).rollCycle("TEST_SECONDLY");
        final List<Long> seen = new ArrayList<>();
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            for (long seq = 0; seq < 3; seq++)
            {
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, seq));
            }
            try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
            {
                assertEquals(3, inbox.poll((type, buffer, index, length) ->
                    seen.add(LowFrames.check(buffer, index, length)), 10));
            }
            // Wait for the next one-second cycle, then append more: they go to a new file.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long seq = 3;
            do
            {
                Thread.sleep(50);
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, seq++));
                assertTrue(System.nanoTime() - deadline < 0, "no new cycle within 30 s");
            }
            while (countCycleFiles(queues.queuePath(AGENT)) < 2);
            try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
            {
                assertEquals(seq - 3, inbox.poll((type, buffer, index, length) ->
                    seen.add(LowFrames.check(buffer, index, length)), 1000));
            }
            for (int i = 0; i < seq; i++)
            {
                assertEquals(i, seen.get(i));
            }
            assertTrue(countCycleFiles(queues.queuePath(AGENT)) >= 2);
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void recordsThatAreNotLowFramesAreSkippedAndReported() throws Exception
    {
        final DurableQueues queues = new DurableQueues(dir).conclude();
        try (SingleChronicleQueue queue = queues.open(AGENT); ExcerptAppender appender = queue.createAppender())
        {
            appender.writeText("not a frame");
        }
        appendFrames(queues, 1);
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            final List<Long> seen = new ArrayList<>();
            assertEquals(1, inbox.poll((type, buffer, index, length) ->
                seen.add(LowFrames.check(buffer, index, length)), 10));
            assertEquals(List.of(0L), seen);
            assertEquals(1, inbox.skippedCount());
        }
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains("is not a LOW frame"), errors.get(0).getMessage());
    }

    private static long countCycleFiles(final Path queueDir) throws Exception
    {
        try (var files = Files.list(queueDir))
        {
            return files.filter((p) -> p.getFileName().toString().endsWith(".cq4")).count();
        }
    }

    private void appendFrames(final DurableQueues queues, final int count)
    {
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            for (long seq = 0; seq < count; seq++)
            {
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, seq));
            }
        }
    }
}
