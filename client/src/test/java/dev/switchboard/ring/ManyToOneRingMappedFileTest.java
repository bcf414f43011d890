package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.switchboard.transport.OfferStatus.BACK_PRESSURED;
import static dev.switchboard.transport.OfferStatus.OK;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The ring over a file mapped twice, as two processes would map an inbox under {@code /dev/shm}: the
 * writer uses one mapping, the reader another, so every handover goes through the file's pages.
 */
class ManyToOneRingMappedFileTest
{
    private static final int CAPACITY = 16 * 1024;
    private static final int MESSAGES = 200_000;
    private static final int TYPE = 11;

    @TempDir
    Path directory;

    private static MemorySegment map(final Path file, final Arena arena) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, READ, WRITE))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, ManyToOneRing.requiredSize(CAPACITY), arena);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void writerOnOneMappingAndReaderOnAnotherExchangeEveryMessageInOrder() throws Exception
    {
        final Path file = directory.resolve("inbox.ring");
        Files.newByteChannel(file, CREATE_NEW, WRITE).close();

        try (Arena readerArena = Arena.ofShared(); Arena writerArena = Arena.ofShared())
        {
            final MemorySegment readerMapping = map(file, readerArena);
            final ManyToOneRing reader = ManyToOneRing.create(readerMapping);
            final MemorySegment writerMapping = map(file, writerArena);
            assertNotEquals(readerMapping.address(), writerMapping.address(), "two distinct mappings");
            final ManyToOneRing writer = new ManyToOneRing(writerMapping);

            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread producer = new Thread(() ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final SegmentBuffer src = new SegmentBuffer(arena.allocate(16, 8));
                    for (int i = 0; i < MESSAGES; i++)
                    {
                        src.putInt(0, i);
                        src.putLong(4, ~(long)i);
                        final int length = 4 + (i % 2) * 8;
                        int status;
                        while (OK != (status = writer.offer(TYPE, src, 0, length)))
                        {
                            if (BACK_PRESSURED != status)
                            {
                                throw new IllegalStateException("offer returned " + status);
                            }
                            Thread.yield();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "mapped-writer");
            producer.start();

            final int[] next = {0};
            final String[] error = {null};
            while (next[0] < MESSAGES && null == failure.get() && null == error[0])
            {
                final int read = reader.read((msgTypeId, buffer, index, length) ->
                {
                    final int value = buffer.getInt(index);
                    if (TYPE != msgTypeId || value != next[0] || length != 4 + (value % 2) * 8 ||
                        (8 < length && buffer.getLong(index + 4) != ~(long)value))
                    {
                        error[0] = "expected message " + next[0] + ", got type=" + msgTypeId + " value=" + value +
                            " length=" + length;
                        return;
                    }
                    next[0]++;
                });
                if (0 == read)
                {
                    Thread.yield();
                }
            }
            producer.join();

            assertNull(failure.get());
            assertNull(error[0]);
            assertEquals(MESSAGES, next[0]);
            assertEquals(writer.producerPosition(), reader.consumerPosition());
            assertEquals(0, writer.size());
        }

        try (Arena arena = Arena.ofConfined())
        {
            final ManyToOneRing reattached = new ManyToOneRing(map(file, arena));
            assertEquals(CAPACITY, reattached.capacity());
            assertEquals(reattached.producerPosition(), reattached.consumerPosition(), "state persisted in the file");
        }
    }

    @Test
    void attachingToAFileNeverCreatedAsARingFailsWithIllegalState() throws IOException
    {
        final Path file = directory.resolve("not-a-ring");
        Files.newByteChannel(file, CREATE_NEW, WRITE).close();

        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mapping = map(file, arena);
            assertThrows(IllegalStateException.class, () -> new ManyToOneRing(mapping));
        }
    }
}
