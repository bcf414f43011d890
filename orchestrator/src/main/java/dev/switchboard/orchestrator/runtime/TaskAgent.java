/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Message;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.file.LatencyHistogram;
import dev.switchboard.ipc.counters.ProcessCountersFiles;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * An agent that does workflow tasks: registers under its name and capabilities, consumes {@code tasks.<name>}, and
 * for each work item sends "Orchestrator" a STARTED report, runs its {@link TaskHandler}, sends a PROGRESS report
 * whenever the handler's {@link ProgressReporter} moves forward (the latest value, once per duty cycle), then the
 * outcome, and acks the item. Items start in arrival order, up to its concurrency at once (1 by default: one at a
 * time). A {@link TaskCancel} from the
 * runtime (sent when the task timed out there) interrupts the handler of that item (an agent command's whole process
 * tree is killed) or drops the item if it has not started; the cancelled item is reported FAILED with
 * {@link #CANCELLED} and acked, so the next item, e.g. the task's retry, does not wait behind it.
 *
 * <p>Threads: the client is confined to the agent's duty-cycle thread, which keeps polling (and so keeps the lease
 * alive) while the handler runs on worker threads (one per item at once); {@link #close()} interrupts them.
 *
 * <p>Stopping: once {@link #close()} is called the agent starts no further item and reports nothing more for one it
 * has not started (it stays unacked, so the router hands it out again); it deregisters as soon as its duty cycle
 * sees the stop. The JSON codecs are warmed up before registration, so that no first item keeps a stop waiting.
 * Thread-safety: {@link #start()} and {@link #close()} from any thread. Allocation: per work item (JSON).
 */
public final class TaskAgent implements AutoCloseable
{
    /** Name the runtime registers under, to which reports go. */
    public static final String ORCHESTRATOR = "Orchestrator";
    /**
     * Lease the agents and the runtime ask for, in ms: a process that dies closes its connection and is
     * deregistered at once, so the lease only matters for one that hangs; a long one keeps a live agent starved of
     * CPU on a loaded machine (or paused by GC) from being declared gone, which would strand the reports it sends.
     */
    public static final int LEASE_MS = 15_000;

    /** Error kind reported for an item the runtime cancelled. */
    public static final String CANCELLED = "CANCELLED";

    /**
     * The histogram of task hand-offs (the runtime's enqueue to this agent's receipt, ns) in the counters file of the
     * process the agent runs in: {@code ./switchboard stat} shows it.
     */
    public static final String TASK_HANDOFF_HISTOGRAM = "task_handoff_ns";

    /** Error kind reported when the handler throws. */
    public static final String HANDLER_ERROR = "HANDLER_ERROR";

    private static final long START_TIMEOUT_S = 30;

    private final Supplier<SwitchboardClient> connector;
    private final String name;
    private final List<String> capabilities;
    private final TaskHandler handler;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    private final ExecutorService worker;
    private final int concurrency;
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    private ReceiptListener receiptListener; // set before start(); Thread.start() publishes it to the duty cycle
    /** The process's task hand-off histogram (duty-cycle thread; several agents of one process add to it). */
    private LatencyHistogram handoffs;

    // owned by the duty-cycle thread
    private final ArrayDeque<Received> inbox = new ArrayDeque<>();
    private final java.util.Set<String> cancelled = new java.util.HashSet<>();
    private final List<InFlight> inFlight = new ArrayList<>();

    /** An item being worked on: its handler's future, and the progress it reported and the agent sent on. */
    private static final class InFlight
    {
        final Received received;
        /** Latest percent the handler reported; written by its worker, read by the duty cycle. */
        final AtomicInteger percentReported = new AtomicInteger();
        Future<TaskOutcome> outcome;
        int percentSent;

        InFlight(final Received received)
        {
            this.received = received;
        }
    }

    /** A work item and where it came from: {@code assignerId} is the agent id of the runtime that enqueued it. */
    private record Received(WorkItem item, long queueId, long itemId, Priority priority, long assignerId)
    {
    }

    /**
     * @param hub          the router to connect to, in-process.
     * @param name         unique agent name.
     * @param capabilities what it can do.
     * @param handler      does the tasks.
     */
    public TaskAgent(final InProcessHub hub, final String name, final List<String> capabilities,
        final TaskHandler handler)
    {
        this(hub, name, capabilities, handler, 1);
    }

    /**
     * @param hub          the router to connect to, in-process.
     * @param name         unique agent name.
     * @param capabilities what it can do.
     * @param handler      does the tasks; called on up to {@code concurrency} threads at once.
     * @param concurrency  items worked on at once, at least 1.
     */
    public TaskAgent(final InProcessHub hub, final String name, final List<String> capabilities,
        final TaskHandler handler, final int concurrency)
    {
        this(() -> SwitchboardClient.connect(new ClientContext().requestedLeaseMs(LEASE_MS).connection(hub.connect())),
            name, capabilities, handler, concurrency);
    }

    /**
     * @param connector    makes the agent's client (called on the agent's thread).
     * @param name         unique agent name.
     * @param capabilities what it can do.
     * @param handler      does the tasks.
     */
    public TaskAgent(final Supplier<SwitchboardClient> connector, final String name, final List<String> capabilities,
        final TaskHandler handler)
    {
        this(connector, name, capabilities, handler, 1);
    }

    /**
     * @param connector    makes the agent's client (called on the agent's thread).
     * @param name         unique agent name.
     * @param capabilities what it can do.
     * @param handler      does the tasks; called on up to {@code concurrency} threads at once.
     * @param concurrency  items worked on at once, at least 1 (an agents file's {@code concurrency}).
     */
    public TaskAgent(final Supplier<SwitchboardClient> connector, final String name, final List<String> capabilities,
        final TaskHandler handler, final int concurrency)
    {
        if (concurrency < 1)
        {
            throw new IllegalArgumentException("agent '" + name + "' needs a concurrency of at least 1, was " +
                concurrency);
        }
        this.connector = Objects.requireNonNull(connector, "connector");
        this.name = Objects.requireNonNull(name, "name");
        this.capabilities = List.copyOf(capabilities);
        this.handler = Objects.requireNonNull(handler, "handler");
        this.concurrency = concurrency;
        this.worker = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "task-" + name));
        this.thread = new Thread(this::dutyCycle, "agent-" + name);
    }

    /**
     * Starts the agent and waits until it is registered and consuming its queue.
     *
     * @return this.
     * @throws IllegalStateException when registration fails or takes longer than 30 s.
     */
    public TaskAgent start()
    {
        thread.start();
        try
        {
            started.get(START_TIMEOUT_S, TimeUnit.SECONDS);
            return this;
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("agent '" + name + "' did not start: " + ex.getCause().getMessage(),
                ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("agent '" + name + "' did not register within " + START_TIMEOUT_S + " s");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting agent '" + name + "'", ex);
        }
    }

    /**
     * Told of each work item as it arrives, before anything else is done with it: for measuring the hand-off from
     * the runtime's {@code enqueue} to the agent (the benchmarks' orchestrator section).
     *
     * @param listener called on the agent's duty-cycle thread, inside the client's poll callback; must not block.
     * @return this.
     * @throws IllegalStateException when the agent has already started.
     */
    public TaskAgent receiptListener(final ReceiptListener listener)
    {
        if (thread.getState() != Thread.State.NEW)
        {
            throw new IllegalStateException("set the receipt listener of agent '" + name + "' before start()");
        }
        this.receiptListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** @return the agent's name. */
    public String name()
    {
        return name;
    }

    /** @return its capabilities. */
    public List<String> capabilities()
    {
        return capabilities;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            // the duty cycle never waits on the worker, so it stops first and submits nothing after shutdown
            if (thread.isAlive())
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            worker.shutdownNow(); // interrupts a handler still working (or stalling)
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void dutyCycle()
    {
        final SwitchboardClient client;
        try
        {
            // Before registering: the first use of the JSON codecs costs a fresh JVM hundreds of ms of class loading
            // and introspection (seconds on a loaded machine), which would otherwise fall on the first work item,
            // delaying its STARTED report and any stop that comes meanwhile.
            Json.warmUp(name);
            client = connector.get();
            // This process's counters file (the orchestrator's router's, or an agent process's own): hand-offs.
            handoffs = ProcessCountersFiles.processHistogram(TASK_HANDOFF_HISTOGRAM);
            client.register(name, capabilities.toArray(String[]::new));
            client.consume(WorkItem.queueOf(name));
            started.complete(client.agentId());
        }
        catch (final RuntimeException ex)
        {
            started.completeExceptionally(ex);
            return;
        }
        try (client)
        {
            while (running)
            {
                int work = client.poll(this::onMessage);
                work += advance(client);
                idle.idle(work);
            }
        }
    }

    private void onMessage(final Message message)
    {
        final long receivedNs = System.nanoTime();
        if (message.pattern() == Pattern.SEND)
        {
            final TaskCancel cancel = TaskCancel.fromBytes(message.payloadBytes());
            if (cancel != null)
            {
                cancelled.add(cancel.key());
            }
            return;
        }
        if (message.pattern() != Pattern.WORK || !running)
        {
            return; // stopping: the item stays unacked, and the router hands it out again after the deregistration
        }
        if (handoffs != null && message.timestampNs() != 0)
        {
            // The runtime stamped the envelope with its System.nanoTime() when it enqueued the item: one clock.
            handoffs.recordAtomic(receivedNs - message.timestampNs());
        }
        final WorkItem item = WorkItem.fromBytes(message.payloadBytes());
        if (item != null)
        {
            if (receiptListener != null)
            {
                receiptListener.onReceipt(item, message, receivedNs);
            }
            inbox.addLast(new Received(item, message.targetId(), message.correlationId(), message.priority(),
                message.sourceAgentId()));
        }
    }

    private int advance(final SwitchboardClient client)
    {
        int work = 0;
        while (running && inFlight.size() < concurrency && !inbox.isEmpty())
        {
            work += start(client, inbox.pollFirst());
        }
        for (int i = inFlight.size() - 1; i >= 0; i--) // by index: the idle duty cycle allocates nothing
        {
            final InFlight task = inFlight.get(i);
            final int done = advance(client, task);
            if (done < 0)
            {
                return work; // closing
            }
            if (task.outcome == null)
            {
                inFlight.remove(i);
            }
            work += done;
        }
        return work;
    }

    /** Starts an item on a worker, or drops it if the runtime cancelled it already. */
    private int start(final SwitchboardClient client, final Received received)
    {
        if (cancelled.remove(TaskCancel.keyOf(received.item())))
        {
            send(client, TaskReport.of(received.item(), name, TaskOutcome.failure(CANCELLED,
                "the runtime cancelled task " + received.item().taskId() + " before " + name + " started it")),
                received.assignerId());
            ack(client, received);
            return 1;
        }
        send(client, TaskReport.started(received.item(), name), received.assignerId());
        final InFlight task = new InFlight(received);
        final WorkItem item = received.item();
        final ProgressReporter reporter = percent -> task.percentReported.accumulateAndGet(Math.clamp(percent, 0,
            100), Math::max);
        task.outcome = worker.submit(() -> handler.handle(item, reporter));
        inFlight.add(task);
        return 1;
    }

    /** @return work done, or -1 when closing; clears {@code task.outcome} once the item is reported and acked. */
    private int advance(final SwitchboardClient client, final InFlight task)
    {
        final Received current = task.received;
        if (!task.outcome.isDone() && cancelled.remove(TaskCancel.keyOf(current.item())))
        {
            task.outcome.cancel(true); // interrupts the handler: an agent command's process tree is killed
        }
        if (!task.outcome.isDone())
        {
            final int percent = task.percentReported.get();
            if (percent > task.percentSent && percent < 100)
            {
                task.percentSent = percent;
                send(client, TaskReport.progress(current.item(), name, percent), current.assignerId());
                return 1;
            }
            return 0;
        }
        TaskOutcome result;
        try
        {
            result = task.outcome.get();
        }
        catch (final ExecutionException ex)
        {
            result = TaskOutcome.failure(HANDLER_ERROR, String.valueOf(ex.getCause()));
        }
        catch (final java.util.concurrent.CancellationException ex)
        {
            if (!running)
            {
                return -1; // closing
            }
            result = TaskOutcome.failure(CANCELLED, "the runtime cancelled task " + current.item().taskId() +
                " (attempt " + current.item().attempt() + ") while " + name + " worked on it; its work was stopped");
        }
        catch (final InterruptedException ex)
        {
            return -1; // closing
        }
        send(client, TaskReport.of(current.item(), name, result), current.assignerId());
        ack(client, current);
        task.outcome = null;
        return 1;
    }

    /** Acks an item; an item whose ack is lost is redelivered and its reports are stale. */
    private void ack(final SwitchboardClient client, final Received received)
    {
        while (client.ack(received.queueId(), received.itemId(), received.priority()) == OfferStatus.BACK_PRESSURED &&
            running)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Reports go to the runtime that enqueued the item, by its agent id. Not to {@value #ORCHESTRATOR} by name: the
     * client caches a name's id, and once that runtime has gone and a new one registered under the name, a frame
     * to the cached id on a tier through the router (NORMAL, HIGH) is accepted and then dropped by the router,
     * so an agent serving one runtime after another lost every report to the second.
     */
    private void send(final SwitchboardClient client, final TaskReport report, final long assignerId)
    {
        final byte[] bytes = report.toBytes();
        final SegmentBuffer buffer = Json.buffer(bytes);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((assignerId != 0 ? client.send(assignerId, Priority.NORMAL, buffer, 0, bytes.length) :
            client.send(ORCHESTRATOR, Priority.NORMAL, buffer, 0, bytes.length)) != OfferStatus.OK &&
            running && System.nanoTime() < deadlineNs)
        {
            client.keepAlive();
            Thread.onSpinWait();
        }
        // an undelivered report is recovered by the runtime's task timeout, when one is set
    }

    /** Observes work items as they reach an agent. */
    @FunctionalInterface
    public interface ReceiptListener
    {
        /**
         * @param item       the work item, decoded.
         * @param message    its envelope, valid only during the call: {@link Message#timestampNs()} is the
         *                   runtime's {@code System.nanoTime()} when it enqueued the item, {@link Message#tier()}
         *                   the tier it arrived on.
         * @param receivedNs this agent's {@code System.nanoTime()} on entering the poll callback.
         */
        void onReceipt(WorkItem item, Message message, long receivedNs);
    }
}
