package dev.switchboard.ipc.durable;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.MessageHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Measures what the append and poll paths allocate once warm (bytes allocated by this thread, from
 * {@code com.sun.management.ThreadMXBean}) and prints it. The numbers are reported, and asserted only
 * loosely: Chronicle owns most of the path and may allocate when a cycle rolls or a mapping grows.
 */
class DurableAllocationTest
{
    private static final String AGENT = "agent-b";
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;

    @TempDir
    Path dir;

    @Test
    void warmAppendAndPollAllocateAlmostNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final DurableQueues queues = new DurableQueues(dir);
        final LowFrames frames = new LowFrames();
        final long[] sum = new long[1];
        final MessageHandler handler = (type, buffer, index, length) -> sum[0] += buffer.getLong(index);
        try (DurableOutbox outbox = new DurableOutbox(queues, (ex) -> fail(ex));
            DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", (ex) -> fail(ex)))
        {
            long seq = 0;
            for (int i = 0; i < WARM_UP; i++)
            {
                appendOk(frames, outbox, seq++);
                inbox.poll(handler, 1);
            }

            final long beforeAppend = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++)
            {
                appendOk(frames, outbox, seq++);
            }
            final long appendBytes = threads.getCurrentThreadAllocatedBytes() - beforeAppend;

            final long beforePoll = threads.getCurrentThreadAllocatedBytes();
            int polled = 0;
            while (polled < MEASURED)
            {
                polled += inbox.poll(handler, 64);
            }
            final long pollBytes = threads.getCurrentThreadAllocatedBytes() - beforePoll;

            System.out.printf("LOW allocation once warm: append %d B in %d (%.3f B/op), poll %d B in %d (%.3f B/op)%n",
                appendBytes, MEASURED, (double)appendBytes / MEASURED, pollBytes, MEASURED, (double)pollBytes / MEASURED);
            assertEquals(MEASURED, polled);
            // Loose: well under one object per operation. A leak of even 16 B per op would be 1.6 MB here.
            assertTrue(appendBytes < MEASURED, "append allocated " + appendBytes + " B for " + MEASURED + " frames");
            assertTrue(pollBytes < MEASURED, "poll allocated " + pollBytes + " B for " + MEASURED + " frames");
        }
    }

    private static void appendOk(final LowFrames frames, final DurableOutbox outbox, final long seq)
    {
        final int status = frames.append(outbox, AGENT, seq);
        if (status != OfferStatus.OK)
        {
            fail("append returned " + OfferStatus.name(status));
        }
    }
}
