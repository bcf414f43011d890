/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link TaskAgent} asked to stop does no more work: a work item that arrives as the stop begins is neither
 * started nor reported (the router hands it out again once the agent has deregistered), so the stop waits for no
 * task's bookkeeping. An agent process gets SIGTERM from its parent with a grace of
 * {@link dev.switchboard.ipc.StopSignals#CHILD_GRACE_MS}, and the first item of a fresh JVM was slow to take on
 * (JSON set-up): a stop that waited for it was cut short by SIGKILL, and the agent never deregistered.
 */
class TaskAgentStopTest
{
    @Test
    @Timeout(30)
    void aWorkItemArrivingWhileTheAgentStopsIsNotStartedAndTheAgentDeregisters() throws Exception
    {
        final Router router = Router.launch(new RouterContext());
        try (InProcessHub hub = new InProcessHub(router);
            SwitchboardClient orchestrator = SwitchboardClient.connect(new ClientContext().connection(hub.connect())))
        {
            orchestrator.register(TaskAgent.ORCHESTRATOR);
            final AtomicInteger handled = new AtomicInteger();
            final List<Thread> closers = new CopyOnWriteArrayList<>();
            final TaskAgent agent = new TaskAgent(hub, "Worker", List.of("testing"), (taskId, capability) ->
            {
                handled.incrementAndGet();
                return TaskOutcome.success(java.util.Map.of());
            });
            agent.receiptListener((item, message, receivedNs) ->
            {
                // the stop begins while the item is being received: close() from another thread, which first marks
                // the agent stopping and then waits for this duty-cycle thread
                final Thread closer = Thread.ofPlatform().name("closer").start(agent::close);
                closers.add(closer);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive() &&
                    System.nanoTime() < deadline)
                {
                    Thread.onSpinWait();
                }
            });
            agent.start();
            final long deregisteredBefore = router.counters().block().get(RouterCounter.DEREGISTRATIONS);

            final byte[] bytes = new WorkItem("wf", "job", "testing", 1).toBytes();
            final SegmentBuffer buffer = Json.buffer(bytes);
            assertEquals(OfferStatus.OK, orchestrator.enqueue(NameIds.of(WorkItem.queueOf("Worker")),
                Priority.NORMAL, buffer, 0, bytes.length));

            final List<String> reports = new CopyOnWriteArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((closers.isEmpty() || closers.getFirst().isAlive()) && System.nanoTime() < deadline)
            {
                orchestrator.poll(m -> reports.add(new String(m.payloadBytes(), StandardCharsets.UTF_8)));
                Thread.sleep(1);
            }
            assertEquals(1, closers.size(), "the agent received the item");
            assertTrue(!closers.getFirst().isAlive(), "close() returned");
            final long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < settle)
            {
                orchestrator.poll(m -> reports.add(new String(m.payloadBytes(), StandardCharsets.UTF_8)));
                Thread.sleep(1);
            }

            assertEquals(List.of(), reports, "a stopping agent reports nothing");
            assertEquals(0, handled.get(), "a stopping agent starts no task");
            assertEquals(deregisteredBefore + 1, router.counters().block().get(RouterCounter.DEREGISTRATIONS),
                "the agent deregistered");
        }
        finally
        {
            router.close();
        }
    }
}
