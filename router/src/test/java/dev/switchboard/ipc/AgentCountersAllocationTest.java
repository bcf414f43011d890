package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request/response between two agents' connections over CRITICAL allocates nothing once warm, with everything the
 * counters files add on that path: each response's round trip recorded in the requester's {@code request_response_ns}
 * histogram, the counts flushed into the files from the duty slices, the heartbeats.
 */
class AgentCountersAllocationTest
{
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 2_000;
    private static final int WINDOWS = 25;

    @TempDir
    Path dir;

    private final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
    private int responses;
    private SwitchboardClient responder;

    private final ResponseHandler onResponse = new ResponseHandler()
    {
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
    };

    private final MessageHandler respond = m ->
    {
        if (m.pattern() == Pattern.REQUEST)
        {
            // BACK_PRESSURED is an answer a sender retries (the requester's destination still being resolved at the
            // start, or its inbox full), as PythonInteropTest's responder does; anything else fails.
            int status;
            while ((status = responder.respond(m, payload, 0, 8)) == OfferStatus.BACK_PRESSURED)
            {
                Thread.onSpinWait();
            }
            assertEquals(OfferStatus.OK, status, OfferStatus.name(status));
        }
    };

    private final MessageHandler ignore = m -> { };

    @Test
    void requestResponseWithRoundTripsRecordedInTheCountersFileAllocatesNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        // Without agent-to-agent links: their accept on every duty slice allocates a FileDescriptor in the JDK
        // (ServerSocketChannelImpl.accept), which this test is not about.
        final IpcContext ipc = new IpcContext().underDirectory(dir).disabledTiers("LINKS");
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            IpcConnection requesterConnection = IpcConnection.connect(ipc);
            SwitchboardClient requester =
                SwitchboardClient.connect(new ClientContext().connection(requesterConnection));
            SwitchboardClient responder =
                SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            this.responder = responder;
            requester.register("Requester");
            responder.register("Responder");
            final Destination destination = requester.destination("Responder", Priority.CRITICAL);

            roundTrips(requester, destination, WARM_UP);
            // Short windows of MEASURED round trips (a few ms each): a per-message allocation would show in every one,
            // at least 16 bytes per round trip. The duty slices' periodic work allocates a little now and then,
            // whatever the traffic (LOW's look for its own queue, Files.isDirectory every 100 ms: not the counters'),
            // so a window that holds one is not 0; most hold none.
            final long[] windows = new long[WINDOWS];
            for (int w = 0; w < WINDOWS; w++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                roundTrips(requester, destination, MEASURED);
                windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
            }
            final String seen = java.util.Arrays.toString(windows);
            assertEquals(0L, java.util.Arrays.stream(windows).min().orElseThrow(),
                "bytes allocated per window of " + MEASURED + " round trips: " + seen);
            requester.counter(dev.switchboard.counters.RouterCounter.REQUEST_TIMEOUTS); // flush
            final CountersSnapshot file = CountersFiles.read(requesterConnection.countersFile().path());
            final long recorded = file.histograms().stream()
                .filter(h -> h.name().equals(AgentCountersFile.REQUEST_RESPONSE_HISTOGRAM))
                .mapToLong(h -> java.util.Arrays.stream(h.counts()).sum()).sum();
            assertEquals(WARM_UP + (long)MEASURED * WINDOWS, recorded, "every round trip recorded");
            assertTrue(router.router() != null);
        }
    }

    private void roundTrips(final SwitchboardClient requester, final Destination destination, final int count)
    {
        final int target = responses + count;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (responses < target)
        {
            if (requester.pendingRequests() == 0)
            {
                final long id = requester.request(destination, payload, 0, 8, TimeUnit.SECONDS.toNanos(30),
                    onResponse);
                if (id <= 0 && id != OfferStatus.BACK_PRESSURED)
                {
                    throw new AssertionError("request refused: " + id);
                }
            }
            responder.poll(respond);
            requester.poll(ignore);
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(responses + " of " + target + " responses");
            }
        }
    }
}
