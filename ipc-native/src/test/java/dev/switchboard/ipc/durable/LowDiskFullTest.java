/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.ipc.files.Tmpfs;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOW on a full disk: a small tmpfs as the data dir, filled for real. The sender gets a status and an error
 * saying why (never a crash), every frame acknowledged before is read back intact, and appends work again
 * once the file system has room. Skipped where a tmpfs cannot be mounted (not root).
 */
class LowDiskFullTest
{
    private static final String AGENT = "receiver";
    private static final int PAYLOAD_LENGTH = 4000;
    private static final int MAX_APPENDS = 10_000;

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void appendIsBackPressuredBelowTheFreeSpaceReserveAndResumesWhenSpaceIsFreed() throws Exception
    {
        try (Tmpfs tmpfs = Tmpfs.mountOrSkip(dir.resolve("mnt"), 2L << 20))
        {
            final DurableQueues queues = new DurableQueues(tmpfs.dir().resolve("data"))
                .maxFrameLength(8192).minFreeBytes(512 * 1024);
            long acknowledged = 0;
            int status = OfferStatus.OK;
            try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
            {
                for (int i = 0; i < MAX_APPENDS && status == OfferStatus.OK; i++)
                {
                    status = append(outbox, acknowledged);
                    if (status == OfferStatus.OK)
                    {
                        acknowledged++;
                    }
                }
                assertEquals(OfferStatus.BACK_PRESSURED, status, () -> "status of an append to a full disk: " + errors);
                assertTrue(acknowledged > 0, "some frames fit before the disk filled");
                assertEquals(1, outbox.noSpaceCount());
                assertEquals(0, outbox.rejectedCount(), () -> "the guard refuses before a mapped write fails: " + errors);
                assertEquals(1, errors.size());
                final String message = errors.get(0).getMessage();
                assertTrue(message.contains("no space") && message.contains(DurableQueues.MIN_FREE_BYTES_PROP), message);

                // Still full: refused again, counted again, reported once per episode.
                assertEquals(OfferStatus.BACK_PRESSURED, append(outbox, acknowledged));
                assertEquals(2, outbox.noSpaceCount());
                assertEquals(1, errors.size());

                tmpfs.resize(64L << 20);
                assertEquals(OfferStatus.OK, append(outbox, acknowledged), () -> "after space was freed: " + errors);
                acknowledged++;
            }
            assertEveryAcknowledgedFrameIsIntact(queues, acknowledged);
        }
    }

    @Test
    void appendWhenAnotherWriterFilledTheDiskIsRejectedNotACrashAndEarlierFramesStayIntact() throws Exception
    {
        try (Tmpfs tmpfs = Tmpfs.mountOrSkip(dir.resolve("mnt"), 4L << 20))
        {
            final DurableQueues queues = new DurableQueues(tmpfs.dir().resolve("data")).maxFrameLength(8192);
            final Path filler = tmpfs.dir().resolve("filler");
            long acknowledged = 0;
            try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
            {
                // The guard looks at the first append and then only every minFreeBytes / 4 bytes: fill the disk
                // behind its back, as another process on the same file system could.
                assertEquals(OfferStatus.OK, append(outbox, acknowledged));
                acknowledged++;
                fillUp(filler);
                int status = OfferStatus.OK;
                for (int i = 0; i < 100 && status == OfferStatus.OK; i++)
                {
                    status = append(outbox, acknowledged);
                    if (status == OfferStatus.OK)
                    {
                        acknowledged++;
                    }
                }
                assertEquals(OfferStatus.REJECTED, status, () -> "status of a mapped write the disk cannot back: " + errors);
                assertEquals(1, outbox.rejectedCount());
                final String message = errors.get(errors.size() - 1).getMessage();
                assertTrue(message.contains("disk full"), message);
                // A receiver reading its queue while the disk is full neither faults nor throws (issue 18).
                try (DurableInbox reader = new DurableInbox(queues, AGENT, "while-full", errors::add))
                {
                    int read;
                    do
                    {
                        read = reader.poll((type, buffer, index, length) ->
                        {
                        }, 100);
                    }
                    while (read > 0);
                }

                Files.delete(filler);
                assertEquals(OfferStatus.OK, append(outbox, acknowledged), () -> "after space was freed: " + errors);
                acknowledged++;
            }
            assertEveryAcknowledgedFrameIsIntact(queues, acknowledged);
        }
    }

    private static int append(final DurableOutbox outbox, final long seq)
    {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[Long.BYTES]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
        fill(header, payload, seq);
        return outbox.append(AGENT, header, 0, Long.BYTES, payload, 0, PAYLOAD_LENGTH);
    }

    private static void fillUp(final Path filler) throws IOException
    {
        final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            while (true)
            {
                chunk.clear();
                channel.write(chunk);
            }
        }
        catch (final IOException ex)
        {
            if (!String.valueOf(ex.getMessage()).contains("No space"))
            {
                throw ex;
            }
        }
    }

    private void assertEveryAcknowledgedFrameIsIntact(final DurableQueues queues, final long acknowledged)
    {
        final List<Long> seen = new ArrayList<>();
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "reader", errors::add))
        {
            while (inbox.poll((type, buffer, index, length) ->
            {
                assertEquals(Long.BYTES + PAYLOAD_LENGTH, length, "frame length");
                final long seq = buffer.getLong(index);
                for (int j = 0; j < PAYLOAD_LENGTH; j++)
                {
                    if (buffer.getByte(index + Long.BYTES + j) != (byte)(seq * 31 + j))
                    {
                        throw new AssertionError("frame " + seq + " corrupt at byte " + j);
                    }
                }
                seen.add(seq);
            }, 100) > 0)
            {
                // drain
            }
            assertEquals(0, inbox.skippedCount());
        }
        // The refused frame was appended again after space came back (as a sender retries): had the refused append been
        // persisted after all, it would be here twice.
        assertEquals(acknowledged, seen.size(), "every acknowledged frame, and only those, once each");
        for (int i = 0; i < seen.size(); i++)
        {
            assertEquals(i, seen.get(i));
        }
    }

    private static void fill(final UnsafeBuffer header, final UnsafeBuffer payload, final long seq)
    {
        header.putLong(0, seq);
        for (int j = 0; j < PAYLOAD_LENGTH; j++)
        {
            payload.putByte(j, (byte)(seq * 31 + j));
        }
    }
}
