package dev.switchboard.router;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data plane only reads and writes data: a poll with nothing to read and a send through a resolved destination read
 * no clock (the client's clock is injected and counts its reads); slow, periodic work runs in duty slices whose count
 * adapts to the poll rate.
 */
class DataPollTest
{
    @Test
    void aPollWithNothingToReadReadsNoClockOnceItsDutyCountHasGrown()
    {
        final AtomicLong clockReads = new AtomicLong();
        final NanoClock clock = () ->
        {
            clockReads.incrementAndGet();
            return 1_000_000_000L; // time stands still: the duty count doubles up to its maximum
        };
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient a = f.client(new ClientContext().nanoClock(clock).dutyInterval(1024));
            a.register("Reader");
            for (int i = 0; i < 100_000; i++)
            {
                a.poll(m ->
                {
                });
            }
            // Run polls up to the next duty slice, then count: the next 1,023 polls read no clock.
            final long before = clockReads.get();
            while (clockReads.get() == before)
            {
                a.poll(m ->
                {
                });
            }
            final long afterSlice = clockReads.get();
            for (int i = 0; i < 1_023; i++)
            {
                assertEquals(0, a.poll(m ->
                {
                }));
            }
            assertEquals(afterSlice, clockReads.get(), "empty polls between two duty slices read no clock");
        }
    }

    @Test
    void aSlowPollingLoopStillGetsItsDutySlices()
    {
        final long[] now = {0};
        final AtomicLong clockReads = new AtomicLong();
        final NanoClock clock = () ->
        {
            clockReads.incrementAndGet();
            return now[0];
        };
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient a = f.client(new ClientContext().nanoClock(clock).dutyInterval(256));
            a.register("Sleeper");
            // A fast loop first (the count grows), then one that polls every 10 ms of its clock.
            for (int i = 0; i < 10_000; i++)
            {
                a.poll(m ->
                {
                });
            }
            final long slowFrom = clockReads.get();
            for (int i = 0; i < 1_000; i++)
            {
                now[0] += 10_000_000;
                a.poll(m ->
                {
                });
            }
            final long slices = clockReads.get() - slowFrom;
            assertTrue(slices > 700, "after at most one long count, a slow loop runs a duty slice nearly every poll: " +
                slices + " slices in 1,000 polls");
        }
    }

    @Test
    void aSendThroughADestinationReadsNoClock()
    {
        final AtomicLong clockReads = new AtomicLong();
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient receiver = f.agent("Receiver");
            final SwitchboardClient sender = f.client(new ClientContext().dutyInterval(65_536)
                .nanoClock(() ->
                {
                    clockReads.incrementAndGet();
                    return 0;
                }));
            sender.register("Sender");
            final Destination to = sender.destination(receiver.agentId(), Priority.CRITICAL);
            assertTrue(to.isDirect(), to.toString());
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            for (int i = 0; i < 40_000; i++)
            {
                assertEquals(OfferStatus.OK, sender.send(to, payload, 0, 32));
                receiver.poll(m ->
                {
                });
            }
            final long before = clockReads.get();
            for (int i = 0; i < 1_000; i++)
            {
                assertEquals(OfferStatus.OK, sender.send(to, payload, 0, 32));
                receiver.poll(m ->
                {
                });
            }
            assertTrue(clockReads.get() - before <= 1, "at most one lease check in 1,000 sends: " +
                (clockReads.get() - before));
        }
    }
}
