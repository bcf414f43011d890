/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.orchestrator.director.BusDirector;
import dev.switchboard.orchestrator.director.DirectorCodec;
import dev.switchboard.orchestrator.director.DirectorMessage;
import dev.switchboard.orchestrator.director.ReportFrequency;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.gates.Enforcement;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGate;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.Threshold;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reports to the Director and guidance from it, over a real in-process router with real agent threads. */
class DirectorRuntimeTest
{
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    private Router router;
    private InProcessHub hub;
    private final List<TaskAgent> agents = new ArrayList<>();
    private final InMemoryJournal journal = new InMemoryJournal();

    @BeforeEach
    void startRouter()
    {
        router = Router.launch(new RouterContext());
        hub = new InProcessHub(router);
    }

    @AfterEach
    void stopEverything()
    {
        agents.forEach(TaskAgent::close);
        router.close();
    }

    private void agent(final String name, final TaskHandler handler)
    {
        final TaskAgent agent = new TaskAgent(hub, name, List.of("implementation"), handler);
        agents.add(agent);
        agent.start();
    }

    private static WorkflowDefinition phases(final int count)
    {
        final WorkflowDefinition.Builder workflow = WorkflowDefinition.builder("phased");
        for (int i = 1; i <= count; i++)
        {
            final TaskDefinition.Builder task = TaskDefinition.builder("task-" + i, "implementation");
            if (i > 1)
            {
                task.dependsOn("task-" + (i - 1));
            }
            workflow.phase(PhaseDefinition.builder("phase-" + i).task(task.build()).build());
        }
        return workflow.buildChecked();
    }

    /** Runs three phases with no gate and returns the reports a subscriber of topic director received. */
    private List<DirectorMessage.Report> reportsOfARun(final ReportFrequency frequency) throws InterruptedException
    {
        agent("ada", ScriptedTaskHandler.succeeding(Map.of()));
        try (SwitchboardClient watcher = SwitchboardClient.connect(new ClientContext().connection(hub.connect())))
        {
            watcher.register("Watcher", "watching");
            watcher.subscribe(BusDirector.REPORT_TOPIC);
            final RunResult result = WorkflowRuntime.builder(phases(3), hub).journal(journal)
                .qualityGates(QualityGates.of(List.of())).reportFrequency(frequency).build().run(RUN_TIMEOUT);
            assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
            final List<DirectorMessage.Report> reports = new ArrayList<>();
            final long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < quietUntil)
            {
                watcher.poll(message ->
                {
                    if (DirectorCodec.fromBytes(message.payloadBytes()) instanceof DirectorMessage.Report report)
                    {
                        reports.add(report);
                    }
                });
                Thread.sleep(1);
            }
            return reports;
        }
    }

    @Test
    void atPhaseFrequencyOneReportGoesToTheDirectorTopicPerPhase() throws InterruptedException
    {
        final List<DirectorMessage.Report> reports = reportsOfARun(ReportFrequency.parse("phase"));

        assertEquals(3, reports.size(), reports.toString());
        assertEquals("COMPLETED", reports.getLast().status());
        assertEquals(100.0, reports.getLast().progress(), 1e-9);
        assertEquals("PASSING", reports.getLast().qualityGates());
        assertEquals("IN_PROGRESS", reports.getFirst().status());
    }

    @Test
    void onCompletionOneReportGoesAtTheEnd() throws InterruptedException
    {
        final List<DirectorMessage.Report> reports = reportsOfARun(ReportFrequency.parse("on-completion"));

        assertEquals(1, reports.size(), reports.toString());
        assertEquals("COMPLETED", reports.getFirst().status());
    }

    @Test
    void aGateOverrideSentByTheDirectorLetsThePhaseItsBlockingGateFailedPass() throws Exception
    {
        final CountDownLatch guided = new CountDownLatch(1);
        // the task finishes only once the guidance is applied, so it is in force when the phase is evaluated
        agent("ada", (taskId, capability) -> guided.await(20, TimeUnit.SECONDS) ? TaskOutcome.success(Map.of()) :
            TaskOutcome.failure("NO_GUIDANCE", "the guidance never came"));
        final WorkflowDefinition slow = WorkflowDefinition.builder("slow").phase(PhaseDefinition.builder("build")
            .gates("performance").task(TaskDefinition.builder("serve", "implementation").build()).build())
            .buildChecked();
        final Thread director = new Thread(() -> sendGuidance(new DirectorMessage.Guidance(null, null,
            List.of(new DirectorMessage.GateOverride("performance", "warning", "the load rig is down this week")),
            List.of("latency unmeasured in production"), null)));
        director.start();

        final WorkflowRuntime runtime = WorkflowRuntime.builder(slow, hub).journal(journal)
            .qualityGates(QualityGates.of(List.of(new QualityGate("performance",
                List.of(Threshold.atMost(Metric.P95_RESPONSE_MS, 100)), Enforcement.BLOCKING))))
            .measurer(request -> List.of(new WorkflowEvent.MeasuredMetric(Metric.P95_RESPONSE_MS, 450.0, "k6",
                List.of())))
            .noticeListener(notice ->
            {
                if (notice.startsWith("guidance from the Director applied"))
                {
                    guided.countDown();
                }
            })
            .build();
        final RunResult result = runtime.run(RUN_TIMEOUT);
        director.join();

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertEquals(Enforcement.WARNING, runtime.gateOverrides().get("performance").enforcement());
        assertTrue(journal.events().stream().anyMatch(e -> e instanceof WorkflowEvent.DirectorGuidance g &&
            g.gateOverrides().getFirst().reason().equals("the load rig is down this week")), journal.events()
            .toString());
    }

    @Test
    @Tag("slow")
    void aBlockingGateWithNothingLeftToRemediateAsksTheDirectorForAnExemption() throws Exception
    {
        agent("ada", (taskId, capability) -> TaskOutcome.success(Map.of()));
        final WorkflowDefinition slow = WorkflowDefinition.builder("slow").phase(PhaseDefinition.builder("build")
            .gates("performance").task(TaskDefinition.builder("serve", "implementation").build()).build())
            .buildChecked();
        final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch registered = new CountDownLatch(1);
        final Thread director = new Thread(() ->
        {
            try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(hub.connect())))
            {
                client.register(BusDirector.DEFAULT_NAME, "director");
                registered.countDown();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (received.stream().noneMatch(m -> m.contains("EMERGENCY")) && System.nanoTime() < deadline)
                {
                    // listens only: the escalation that follows gets no answer, so the default (abort) applies
                    client.poll(message -> received.add(new String(message.payloadBytes(),
                        java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        });
        director.start();
        assertTrue(registered.await(20, TimeUnit.SECONDS));

        final RunResult result = WorkflowRuntime.builder(slow, hub).journal(journal)
            .qualityGates(QualityGates.of(List.of(new QualityGate("performance",
                List.of(Threshold.atMost(Metric.P95_RESPONSE_MS, 100)), Enforcement.BLOCKING))))
            .measurer(request -> List.of(new WorkflowEvent.MeasuredMetric(Metric.P95_RESPONSE_MS, 450.0, "k6",
                List.of())))
            .busDirector(new BusDirector(BusDirector.DEFAULT_NAME, Duration.ofSeconds(2),
                dev.switchboard.orchestrator.recovery.DirectorDecision.Verdict.ABORT))
            .build().run(RUN_TIMEOUT);
        director.join();

        assertEquals(WorkflowStatus.FAILED, result.status(), result.failureReason());
        assertTrue(received.stream().anyMatch(m -> m.contains("\"GATE_EXEMPTION\"") &&
            m.contains("P95_RESPONSE_MS: measured 450 ms")), received.toString());
        assertTrue(received.stream().anyMatch(m -> m.contains("\"escalation\"")), received.toString());
        assertTrue(received.stream().anyMatch(m -> m.contains("\"EMERGENCY\"")), received.toString());
    }

    /** A Director in the same router: waits for the orchestrator to register, then sends it the guidance. */
    private void sendGuidance(final DirectorMessage.Guidance guidance)
    {
        try (SwitchboardClient director = SwitchboardClient.connect(new ClientContext().connection(hub.connect())))
        {
            director.register(BusDirector.DEFAULT_NAME, "director");
            AgentInfo orchestrator;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((orchestrator = director.lookup(TaskAgent.ORCHESTRATOR)) == null && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            final byte[] bytes = DirectorCodec.toBytes(guidance);
            final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), bytes.length);
            buffer.putBytes(0, bytes);
            int status;
            while ((status = director.send(orchestrator.agentId(), Priority.NORMAL, buffer, 0, bytes.length)) ==
                OfferStatus.BACK_PRESSURED)
            {
                Thread.onSpinWait();
            }
            assertEquals(OfferStatus.OK, status);
        }
    }
}
