package dev.switchboard.ipc.durable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable halves of LOW across hosts, without a router: origin records (the receiving side's de-duplication state,
 * read back from the queue as after a restart) and the forwarder (the sending side: order, window, confirmed index
 * persisted in the queue, resend).
 */
class DurableForwardingTest
{
    private static final String AGENT = "bob";
    private static final long ORIGIN = 0x1234_5678_9ABCL;
    private static final long OTHER_ORIGIN = 77;

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void originRecordsAreReadBackAfterReopeningAndTheInboxDeliversOnlyTheirFrames()
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("b"));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(DurableOrigins.NONE, DurableOrigins.lastOriginIndex(queues, AGENT, ORIGIN));
            for (long i = 1; i <= 5; i++)
            {
                frame.putLong(0, i);
                assertEquals(OfferStatus.OK, outbox.appendWithOrigin(AGENT, frame, 0, 8, ORIGIN, 100 + i));
            }
            frame.putLong(0, 6);
            assertEquals(OfferStatus.OK, outbox.appendWithOrigin(AGENT, frame, 0, 8, OTHER_ORIGIN, 9));
            frame.putLong(0, 7);
            assertEquals(OfferStatus.OK, outbox.append(AGENT, frame, 0, 8, null, 0, 0)); // a local sender's
        }
        // as a restarted router sees it: the last index of each origin, past other origins' and local records
        assertEquals(105, DurableOrigins.lastOriginIndex(queues, AGENT, ORIGIN));
        assertEquals(9, DurableOrigins.lastOriginIndex(queues, AGENT, OTHER_ORIGIN));
        assertEquals(DurableOrigins.NONE, DurableOrigins.lastOriginIndex(queues, AGENT, 5));

        final List<Long> got = new ArrayList<>();
        try (DurableInbox inbox = new DurableInbox(queues, AGENT, "inbox", errors::add))
        {
            while (inbox.poll((type, buffer, index, length) ->
            {
                assertEquals(8, length, "the frame only, not its origin trailer");
                got.add(buffer.getLong(index));
            }, 100) > 0)
            {
                // drain
            }
            assertEquals(0, inbox.skippedCount());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), got);
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void theForwarderShipsInOrderWithinItsWindowAndResumesAfterTheConfirmedIndexWhenReopened()
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("a"));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
        final int total = DurableForwarder.MAX_IN_FLIGHT + 144;
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            for (long i = 0; i < total; i++)
            {
                frame.putLong(0, i);
                assertEquals(OfferStatus.OK, outbox.append(AGENT, frame, 0, 8, null, 0, 0));
            }
        }
        final List<long[]> shipped = new ArrayList<>(); // {prevIndex, index, value}
        final DurableForwarder.Shipper shipper = (prev, index, buffer, offset, length) ->
        {
            shipped.add(new long[] {prev, index, buffer.getLong(offset)});
            return OfferStatus.OK;
        };
        long confirmedAt;
        try (DurableForwarder forwarder = new DurableForwarder(queues, AGENT, 1024, 1_000, 0, errors::add))
        {
            assertEquals(DurableForwarder.MAX_IN_FLIGHT, forwarder.poll(shipper, 10_000, 0), "the window");
            assertEquals(0, forwarder.poll(shipper, 10_000, 0));
            for (int i = 0; i < shipped.size(); i++)
            {
                assertEquals(i, shipped.get(i)[2], "in queue order");
                assertEquals(i == 0 ? 0 : shipped.get(i - 1)[1], shipped.get(i)[0], "each names its predecessor");
            }
            confirmedAt = shipped.get(99)[1];
            assertEquals(100, forwarder.onConfirmed(confirmedAt, false, false, 10));
            assertEquals(confirmedAt, forwarder.confirmedIndex());
            assertEquals(100, forwarder.poll(shipper, 10_000, 10), "the window slides by what was confirmed");

            // no confirmation within the resend time: everything after the confirmed index goes again
            assertTrue(forwarder.tick(2_000));
            shipped.clear();
            assertEquals(DurableForwarder.MAX_IN_FLIGHT, forwarder.poll(shipper, 10_000, 2_000));
            assertEquals(100, shipped.get(0)[2]);
            assertEquals(confirmedAt, shipped.get(0)[0]);
        }
        // reopened (a restarted router): it resumes after the persisted confirmed index
        shipped.clear();
        try (DurableForwarder forwarder = new DurableForwarder(queues, AGENT, 1024, 1_000, 0, errors::add))
        {
            assertEquals(confirmedAt, forwarder.confirmedIndex());
            forwarder.poll(shipper, 10_000, 0);
            assertEquals(100, shipped.get(0)[2]);
            // the peer had more than this incarnation knew: a gap answer ships again after what it has
            assertEquals(249, shipped.get(149)[2]);
            final long peerHas = shipped.get(149)[1];
            forwarder.onConfirmed(peerHas, true, false, 1);
            shipped.clear();
            forwarder.poll(shipper, 10_000, 1);
            assertEquals(250, shipped.get(0)[2]);
            assertEquals(peerHas, shipped.get(0)[0]);
            assertEquals(total - 250, shipped.size());
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }
}
