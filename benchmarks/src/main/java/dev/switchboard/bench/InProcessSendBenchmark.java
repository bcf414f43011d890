/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.AgentInvoker;
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
 * One 32-byte CRITICAL message between two in-process agents through the public client API, with the router in
 * invoker mode so everything runs on the benchmark thread.
 * <ul>
 *   <li>{@link #sendThenPoll()}: {@code sender.send(receiverId, CRITICAL, ..)} goes straight into the receiver's
 *   inbox (the direct path: no router on it), then {@code receiver.poll} delivers it to a handler.</li>
 *   <li>{@link #publishInvokeThenPoll()}: {@code sender.publish(topic, CRITICAL, ..)} goes into the router's
 *   ingress, one {@code invoker().invoke()} routes it to the one subscriber's inbox, then {@code receiver.poll}.</li>
 * </ul>
 * A {@code BACK_PRESSURED} offer is never dropped: it is counted in {@link #backPressured}, the receiver (and for
 * publish the router) is polled, and the offer is retried. Teardown checks that every message sent arrived.
 * Allocation: none once warm; {@code -prof gc} should show about 0 B/op.
 */
@BenchmarkMode({ Mode.SampleTime, Mode.Throughput })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class InProcessSendBenchmark
{
    private static final String TOPIC = "bench-topic";

    private InProcessFixture fixture;
    private AgentInvoker invoker;
    private SwitchboardClient sender;
    private SwitchboardClient receiver;
    private long receiverId;
    private long topicId;
    private Arena arena;
    private SegmentBuffer payload;
    private final Counter handler = new Counter();

    /**
     * Offers that returned {@code BACK_PRESSURED} and were retried after polling.
     */
    long backPressured;

    /**
     * Messages sent or published with {@code OK}.
     */
    long sent;

    /**
     * Launch the router, connect and register two clients, subscribe the receiver to the topic.
     */
    @Setup
    public void setUp()
    {
        arena = Arena.ofShared();
        payload = EnvelopeFrames.payload(arena);
        fixture = new InProcessFixture();
        invoker = fixture.invoker();
        sender = fixture.connectAndRegister("bench-sender");
        receiver = fixture.connectAndRegister("bench-receiver");
        receiverId = receiver.agentId();
        fixture.control(() -> topicId = receiver.subscribe(TOPIC));
        summary(); // bootstraps the string concatenation now, not in the teardown that -prof gc counts
    }

    /**
     * Between iterations, let the router read the heartbeats that {@link #sendThenPoll()} left in its ingress.
     */
    @Setup(Level.Iteration)
    public void drainRouter()
    {
        fixture.drain();
        receiver.poll(handler);
    }

    /**
     * Check nothing was lost, report back-pressure, and close clients and router. JMH's {@code -prof gc} counts this
     * in the last iteration, so it allocates little: see {@link InProcessFixture#close(SwitchboardClient...)}.
     */
    @TearDown
    public void tearDown()
    {
        fixture.drain();
        while (receiver.poll(handler) > 0)
        {
            Thread.onSpinWait();
        }
        if (handler.received != sent)
        {
            throw new IllegalStateException("lost messages: " + summary());
        }
        System.out.println(summary());
        fixture.close(sender, receiver);
        arena.close();
    }

    /**
     * Direct path: send into the receiver's inbox, then poll the receiver.
     *
     * @return work done by the poll (1).
     */
    @Benchmark
    public int sendThenPoll()
    {
        int status;
        while (OfferStatus.BACK_PRESSURED ==
            (status = sender.send(receiverId, Priority.CRITICAL, payload, 0, EnvelopeFrames.PAYLOAD_LENGTH)))
        {
            backPressured++;
            receiver.poll(handler);
        }
        checkOk(status);
        return receiver.poll(handler);
    }

    /**
     * Routed path: publish into the router's ingress, route it with one duty cycle, then poll the receiver.
     *
     * @return work done by the duty cycle and the poll.
     */
    @Benchmark
    public int publishInvokeThenPoll()
    {
        int status;
        while (OfferStatus.BACK_PRESSURED ==
            (status = sender.publish(topicId, Priority.CRITICAL, payload, 0, EnvelopeFrames.PAYLOAD_LENGTH)))
        {
            backPressured++;
            invoker.invoke();
            receiver.poll(handler);
        }
        checkOk(status);
        return invoker.invoke() + receiver.poll(handler);
    }

    private String summary()
    {
        return "InProcessSendBenchmark: sent=" + sent + " received=" + handler.received +
            " backPressured=" + backPressured;
    }

    private void checkOk(final int status)
    {
        if (OfferStatus.OK != status)
        {
            throw new IllegalStateException("offer failed: " + OfferStatus.name(status));
        }
        sent++;
    }

    /**
     * Counts what the receiver is handed and touches the payload, as a real handler would.
     */
    static final class Counter implements MessageHandler
    {
        long received;
        long bytes;

        @Override
        public void onMessage(final Message message)
        {
            received++;
            bytes += message.buffer().getByte(message.payloadOffset()) + message.payloadLength();
        }
    }
}
