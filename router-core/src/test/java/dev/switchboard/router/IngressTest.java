package dev.switchboard.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.ControlledMessageHandler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MPSC ingress: many producer threads, one consumer.
 */
class IngressTest
{
    @Test
    @Tag("slow")
    void framesFromManyProducerThreadsArriveExactlyOnceInPerProducerOrder() throws Exception
    {
        final int producers = 4;
        final int perProducer = 250_000;
        final Ingress ingress = new Ingress(64 * 1024, new SwitchboardCounters().block());
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int sessionId = p + 1;
            final Thread t = new Thread(() ->
            {
                final SegmentBuffer frame = RouterFixture.buffer(16);
                try
                {
                    start.await();
                }
                catch (final InterruptedException e)
                {
                    throw new RuntimeException(e);
                }
                for (long seq = 0; seq < perProducer; seq++)
                {
                    frame.putLong(0, seq);
                    frame.putInt(8, sessionId);
                    while (ingress.offer(sessionId, frame, 0, 12) == OfferStatus.BACK_PRESSURED)
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        final long[] next = new long[producers + 1];
        final long[] received = new long[1];
        final ControlledMessageHandler handler = (sessionId, buffer, index, length) ->
        {
            assertEquals(12, length);
            assertEquals(sessionId, buffer.getInt(index + 8), "the record type is the producer's session");
            assertEquals(next[sessionId]++, buffer.getLong(index), "per-producer order, no loss, no duplicate");
            received[0]++;
            return ControlledMessageHandler.Action.CONTINUE;
        };
        start.countDown();
        final long total = (long)producers * perProducer;
        while (received[0] < total)
        {
            if (ingress.read(handler, 256) == 0)
            {
                Thread.onSpinWait();
            }
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        assertEquals(0, ingress.read(handler, 256), "nothing extra");
        for (int p = 1; p <= producers; p++)
        {
            assertEquals(perProducer, next[p]);
        }
    }

    @Test
    void fullIngressReturnsBackPressuredAndCountsIt()
    {
        final SwitchboardCounters counters = new SwitchboardCounters();
        final Ingress ingress = new Ingress(64 * 1024, counters.block());
        final SegmentBuffer frame = RouterFixture.buffer(1024);
        int accepted = 0;
        while (ingress.offer(1, frame, 0, 1000) == OfferStatus.OK)
        {
            accepted++;
        }
        assertTrue(accepted > 0);
        assertEquals(OfferStatus.BACK_PRESSURED, ingress.offer(1, frame, 0, 1000));
        assertEquals(2, counters.block().get(RouterCounter.INGRESS_BACK_PRESSURED));
        ingress.read((sessionId, buffer, index, length) -> ControlledMessageHandler.Action.CONTINUE, 1);
        assertEquals(OfferStatus.OK, ingress.offer(1, frame, 0, 1000));
    }

    @Test
    void ingressRefusesFramesOverItsLimitAndBadSessionIds()
    {
        final Ingress ingress = new Ingress(64 * 1024, new SwitchboardCounters().block());
        final SegmentBuffer frame = RouterFixture.buffer(64 * 1024);
        assertEquals(OfferStatus.OK, ingress.offer(1, frame, 0, ingress.maxMessageLength()));
        assertEquals(OfferStatus.TOO_LARGE, ingress.offer(1, frame, 0, ingress.maxMessageLength() + 1));
        assertEquals(OfferStatus.REJECTED, ingress.offer(0, frame, 0, 8));
    }
}
