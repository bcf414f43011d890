package dev.switchboard.router;

import java.util.concurrent.TimeUnit;

import dev.switchboard.counters.RouterCounter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a router that is parked with nothing to do wakes its duty cycle: close does not sleep out the park.
 */
class RouterCloseTest
{
    private static final long PARK_MS = 30_000;

    @Test
    void closeWakesAParkedDutyCycleInsteadOfWaitingOutItsPark()
    {
        final Router router = Router.launch(new RouterContext().idleMaxParkNs(TimeUnit.MILLISECONDS.toNanos(PARK_MS)));
        try
        {
            // The first park only learns its thread; the second blocks, for up to PARK_MS with nothing to do.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (router.counters().block().get(RouterCounter.ROUTER_PARKS) < 2 || !router.ingress().isParked())
            {
                assertTrue(System.nanoTime() < deadline, "the idle router never parked");
                Thread.onSpinWait();
            }
        }
        finally
        {
            final long start = System.nanoTime();
            router.close();
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < PARK_MS / 10, "close took " + tookMs + " ms of a " + PARK_MS + " ms park");
        }
        assertTrue(router.isClosed());
    }
}
