/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * An in-process request/response round trip on one thread, through the public client API: {@code requester.request}
 * (32-byte CRITICAL payload, straight into the responder's inbox), {@code responder.poll} with a handler that
 * {@code respond}s (32 bytes, straight into the requester's inbox), then {@code requester.poll} until the one reused
 * {@link ResponseHandler} has fired. The router (invoker mode) is not on this path; it is invoked only between
 * iterations, to read heartbeats.
 * <p>
 * {@code BACK_PRESSURED} is never dropped: it is counted in {@link #backPressured} and the other side is polled
 * before the retry. A timeout fails the run. Allocation: none once warm; {@code -prof gc} should show about 0 B/op.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RequestResponseBenchmark
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private InProcessFixture fixture;
    private SwitchboardClient requester;
    private SwitchboardClient responder;
    private long responderId;
    private Arena arena;
    private SegmentBuffer requestPayload;
    private SegmentBuffer responsePayload;
    private final Responder responderHandler = new Responder();
    private final Completion completion = new Completion();
    private final MessageHandler unexpected = message ->
    {
        throw new IllegalStateException("requester was handed a non-response: " + message.pattern());
    };

    /**
     * Offers (request or response) that returned {@code BACK_PRESSURED} and were retried after polling.
     */
    long backPressured;

    /**
     * Completed round trips.
     */
    long roundTrips;

    /**
     * Launch the router and register the requester and the responder.
     */
    @Setup
    public void setUp()
    {
        arena = Arena.ofShared();
        requestPayload = EnvelopeFrames.payload(arena);
        responsePayload = EnvelopeFrames.payload(arena);
        fixture = new InProcessFixture();
        requester = fixture.connectAndRegister("bench-requester");
        responder = fixture.connectAndRegister("bench-responder");
        responderId = responder.agentId();
        summary(); // bootstraps the string concatenation now, not in the teardown that -prof gc counts
    }

    /**
     * Between iterations, let the router read the heartbeats both clients left in its ingress.
     */
    @Setup(Level.Iteration)
    public void drainRouter()
    {
        fixture.drain();
    }

    /**
     * Report counts and close clients and router; cheap, as JMH's {@code -prof gc} counts it in the last iteration.
     */
    @TearDown
    public void tearDown()
    {
        System.out.println(summary());
        fixture.close(requester, responder);
        arena.close();
    }

    /**
     * One request, its response, and the completion of the response handler.
     *
     * @return the correlation id of the completed request.
     */
    @Benchmark
    public long roundTrip()
    {
        long correlationId;
        while (OfferStatus.BACK_PRESSURED == (correlationId = requester.request(
            responderId, Priority.CRITICAL, requestPayload, 0, EnvelopeFrames.PAYLOAD_LENGTH, TIMEOUT_NS, completion)))
        {
            backPressured++;
            responder.poll(responderHandler);
        }
        if (correlationId <= 0)
        {
            throw new IllegalStateException("request failed: " + OfferStatus.name(correlationId));
        }

        // Usually one pass: the responder reads the request and responds, the requester reads the response. A poll
        // that only stepped over the padding at the end of an inbox takes another pass.
        completion.awaiting = correlationId;
        do
        {
            responder.poll(responderHandler);
            requester.poll(unexpected);
        }
        while (completion.awaiting != 0);
        roundTrips++;
        return correlationId;
    }

    private String summary()
    {
        return "RequestResponseBenchmark: roundTrips=" + roundTrips + " backPressured=" + backPressured +
            " pending=" + requester.pendingRequests();
    }

    /**
     * The responder's handler: answers each request with a 32-byte payload, retrying on back-pressure after letting
     * the requester drain its inbox.
     */
    final class Responder implements MessageHandler
    {
        @Override
        public void onMessage(final Message request)
        {
            int status;
            while (OfferStatus.BACK_PRESSURED ==
                (status = responder.respond(request, responsePayload, 0, EnvelopeFrames.PAYLOAD_LENGTH)))
            {
                backPressured++;
                requester.poll(unexpected);
            }
            if (OfferStatus.OK != status)
            {
                throw new IllegalStateException("respond failed: " + OfferStatus.name(status));
            }
        }
    }

    /**
     * The one reused response handler: clears {@link #awaiting} when the awaited response arrives.
     */
    static final class Completion implements ResponseHandler
    {
        long awaiting;
        long bytes;

        @Override
        public void onResponse(final long correlationId, final Message response)
        {
            if (correlationId != awaiting)
            {
                throw new IllegalStateException("response for " + correlationId + " while awaiting " + awaiting);
            }
            bytes += response.buffer().getByte(response.payloadOffset()) + response.payloadLength();
            awaiting = 0;
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            throw new IllegalStateException("request " + correlationId + " timed out");
        }
    }
}
