package dev.switchboard.router;

import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.concurrent.AgentInvoker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedder can run the router's duty cycle on its own thread ("invoker mode").
 */
class InvokerModeTest
{
    @Test
    void embedderDrivesTheRouterDutyCycleOnItsOwnThread() throws Exception
    {
        try (Router router = Router.launch(new RouterContext().useInvoker(true)))
        {
            final AgentInvoker invoker = router.invoker();
            final InProcessHub hub = new InProcessHub(router);
            assertNotNull(invoker);
            // Registration blocks until the router answers, so the duty cycle runs on a helper thread
            // for the control plane only, then stops; data is routed by explicit invoke() calls below.
            final AutoCloseable duty = RouterFixture.dutyCycleThread(invoker);
            final SwitchboardClient pub = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
            final SwitchboardClient sub = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
            pub.register("Publisher");
            sub.register("Subscriber");
            final long topic = sub.subscribe("t");
            duty.close();

            final SegmentBuffer payload = RouterFixture.buffer(8);
            assertEquals(OfferStatus.OK, pub.publish(topic, Priority.NORMAL, payload, 0, 8));
            final AtomicInteger got = new AtomicInteger();
            sub.poll(m -> got.incrementAndGet());
            assertEquals(0, got.get(), "nothing moves until the embedder invokes the duty cycle");
            assertTrue(invoker.invoke() > 0);
            sub.poll(m -> got.incrementAndGet());
            assertEquals(1, got.get());
            pub.close();
            sub.close();
        }
    }
}
