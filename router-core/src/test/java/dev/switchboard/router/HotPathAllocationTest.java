package dev.switchboard.router;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import com.sun.management.ThreadMXBean;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.concurrent.AgentInvoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths (offer, route, poll, encode, decode, ack) allocate nothing once warm. Everything runs on
 * the test thread (router in invoker mode), so the thread's allocation counter sees client and router.
 */
class HotPathAllocationTest
{
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 100_000;

    private long warmedUp;
    private final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
    private Router router;
    private AgentInvoker invoker;
    private SwitchboardClient a;
    private SwitchboardClient b;
    private long topic;
    private long queue;
    private final SegmentBuffer payload = RouterFixture.buffer(32);
    private final Handler handler = new Handler();

    private final class Handler implements MessageHandler, ResponseHandler
    {
        long received;
        long responses;

        @Override
        public void onMessage(final Message m)
        {
            received++;
            if (m.pattern() == Pattern.REQUEST)
            {
                b.respond(m, payload, 0, 32);
            }
            else if (m.pattern() == Pattern.WORK)
            {
                b.ack(m);
            }
        }

        @Override
        public void onResponse(final long correlationId, final Message response)
        {
            responses++;
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            throw new AssertionError("request " + correlationId + " timed out");
        }
    }

    @BeforeEach
    void setUp() throws Exception
    {
        // A short lease, so that heartbeats (every quarter lease) are part of the warmed-up steady state.
        router = Router.launch(new RouterContext().useInvoker(true)
            .defaultLeaseNs(TimeUnit.MILLISECONDS.toNanos(2000)).timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(1)));
        invoker = router.invoker();
        final InProcessHub hub = new InProcessHub(router);
        final AutoCloseable duty = RouterFixture.dutyCycleThread(invoker);
        a = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
        b = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
        a.register("A");
        b.register("B");
        topic = b.subscribe("ticks");
        queue = b.consume("jobs");
        duty.close();
    }

    @AfterEach
    void tearDown()
    {
        a.close();
        b.close();
        router.close();
    }

    private long allocatedBy(final Runnable iteration)
    {
        // Warm up for a count and for a time that spans several heartbeats and timer runs.
        final long warmUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
        for (int i = 0; i < WARM_UP || System.nanoTime() < warmUntil; i++)
        {
            iteration.run();
            warmedUp++;
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            iteration.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Zero per message. A handful of bytes over the whole run is tolerated: the JIT replacing a method
     * (tiered compilation, OSR) can run a few iterations in code without escape analysis. Anything that
     * allocates per message, or even once per hundred messages, fails this check by orders of magnitude.
     */
    private static void assertNoPerMessageAllocation(final long bytes, final String what)
    {
        final double perMessage = (double)bytes / MEASURED;
        assertTrue(perMessage < 0.01,
            what + ": " + bytes + " bytes over " + MEASURED + " messages (" + perMessage + " B/op)");
    }

    @Test
    void directSendAndPollAllocateNothing()
    {
        final long before = handler.received;
        final long bytes = allocatedBy(() ->
        {
            assertEquals(OfferStatus.OK, a.send(b.agentId(), Priority.CRITICAL, payload, 0, 32));
            b.poll(handler);
            a.poll(handler);
            invoker.invoke();
        });
        assertEquals(warmedUp + MEASURED, handler.received - before);
        assertNoPerMessageAllocation(bytes, "send+poll");
    }

    @Test
    void publishRouteAndPollAllocateNothing()
    {
        final long before = handler.received;
        final long bytes = allocatedBy(() ->
        {
            assertEquals(OfferStatus.OK, a.publish(topic, Priority.NORMAL, payload, 0, 32));
            invoker.invoke();
            b.poll(handler);
            a.poll(handler);
        });
        assertEquals(warmedUp + MEASURED, handler.received - before);
        assertNoPerMessageAllocation(bytes, "publish+route+poll");
    }

    @Test
    void requestResponseAllocatesNothing()
    {
        final long before = handler.responses;
        final long bytes = allocatedBy(() ->
        {
            assertTrue(a.request(b.agentId(), Priority.HIGH, payload, 0, 32, TimeUnit.SECONDS.toNanos(30), handler) > 0);
            b.poll(handler);
            a.poll(handler);
            invoker.invoke();
        });
        assertEquals(warmedUp + MEASURED, handler.responses - before);
        assertNoPerMessageAllocation(bytes, "request+respond+complete");
    }

    @Test
    void workItemEnqueueDispatchAndAckAllocateNothing()
    {
        final long before = handler.received;
        final long bytes = allocatedBy(() ->
        {
            assertEquals(OfferStatus.OK, a.enqueue(queue, Priority.NORMAL, payload, 0, 32));
            invoker.invoke();
            b.poll(handler);
            invoker.invoke();
            a.poll(handler);
        });
        assertEquals(warmedUp + MEASURED, handler.received - before);
        assertNoPerMessageAllocation(bytes, "enqueue+dispatch+ack");
    }
}
