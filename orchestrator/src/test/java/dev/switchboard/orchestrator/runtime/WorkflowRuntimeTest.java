/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.RetryOptions;
import dev.switchboard.orchestrator.selection.Candidate;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs workflows over a real in-process router with real agent threads. */
class WorkflowRuntimeTest
{
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    /** Scripted agents report nothing: the gates, none here, would be measured by the orchestrator. */
    private static final Map<dev.switchboard.orchestrator.gates.Metric, Double> PASSING =
        java.util.Map.of();

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

    private TaskAgent agent(final String name, final TaskHandler handler, final String... capabilities)
    {
        final TaskAgent agent = new TaskAgent(hub, name, List.of(capabilities), handler);
        agents.add(agent);
        return agent.start();
    }

    private <E extends WorkflowEvent> List<E> events(final Class<E> type)
    {
        return journal.events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private WorkflowRuntime.Builder runtime(final WorkflowDefinition definition)
    {
        // scheduling and recovery, not gates: no gate, so no phase waits for a measurement with the tools
        return WorkflowRuntime.builder(definition, hub).journal(journal).qualityGates(QualityGates.of(List.of()));
    }

    /** Agents with a history, so the selector prefers the first: recovery tests need to know who goes first. */
    private static List<Candidate> preferringFirst(final String capability, final String... names)
    {
        final List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < names.length; i++)
        {
            candidates.add(new Candidate(names[i], 0, Set.of(capability), 0, 1, i == 0 ? 50 : 0, i == 0 ? 0 : 50));
        }
        return candidates;
    }

    private static WorkflowDefinition oneTask(final String capability)
    {
        return WorkflowDefinition.builder("single")
            .phase(dev.switchboard.orchestrator.workflow.PhaseDefinition.builder("work")
                .task(dev.switchboard.orchestrator.workflow.TaskDefinition.builder("job", capability).build())
                .build())
            .buildChecked();
    }

    @Test
    void featureWorkflowCompletesWithThreeScriptedAgentsEachTaskCompletedExactlyOnce()
    {
        agent("Architect", ScriptedTaskHandler.succeeding(PASSING), "design", "documentation");
        agent("Constructor", ScriptedTaskHandler.succeeding(PASSING), "implementation", "optimization");
        agent("Testbed", ScriptedTaskHandler.succeeding(PASSING), "testing", "implementation");
        final List<Progress> updates = new CopyOnWriteArrayList<>();

        final RunResult result = runtime(WorkflowTemplates.feature())
            .progressListener(updates::add).build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        final Map<String, Long> completions = events(WorkflowEvent.TaskCompleted.class).stream()
            .collect(Collectors.groupingBy(WorkflowEvent.TaskCompleted::taskId, Collectors.counting()));
        final Set<String> allTasks = WorkflowTemplates.feature().tasks().stream()
            .map(dev.switchboard.orchestrator.workflow.TaskDefinition::id).collect(Collectors.toSet());
        assertEquals(allTasks, completions.keySet());
        completions.forEach((task, n) -> assertEquals(1L, n, task + " completed " + n + " times"));
        assertEquals(1, events(WorkflowEvent.WorkflowCompleted.class).size());
        assertEquals(100.0, result.progress().percentComplete(), 1e-9);
        assertTrue(updates.size() > 3, "progress listener called on each change, got " + updates.size());
        assertEquals(WorkflowStatus.COMPLETED, updates.getLast().status());
    }

    @Test
    void anAgentOfConcurrencyTwoWorksOnTwoTasksAtOnce()
    {
        final java.util.concurrent.CountDownLatch bothInside = new java.util.concurrent.CountDownLatch(2);
        final TaskHandler together = (taskId, capability) ->
        {
            bothInside.countDown();
            // returns only once the other task is inside too: one at a time would never get there
            return bothInside.await(20, java.util.concurrent.TimeUnit.SECONDS) ? TaskOutcome.success(PASSING) :
                TaskOutcome.failure("ALONE", taskId + " never had company");
        };
        final TaskAgent agent = new TaskAgent(hub, "Pair", List.of("implementation"), together, 2);
        agents.add(agent);
        agent.start();
        final WorkflowDefinition twoAtOnce = WorkflowDefinition.builder("pair")
            .phase(dev.switchboard.orchestrator.workflow.PhaseDefinition.builder("work")
                .task(dev.switchboard.orchestrator.workflow.TaskDefinition.builder("a", "implementation").build())
                .task(dev.switchboard.orchestrator.workflow.TaskDefinition.builder("b", "implementation").build())
                .build())
            .buildChecked();

        final RunResult result = runtime(twoAtOnce).agentCapacities(Map.of("Pair", 2)).build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertTrue(events(WorkflowEvent.TaskFailed.class).isEmpty(), "both ran at once: " +
            events(WorkflowEvent.TaskFailed.class));
    }

    @Test
    void taskFailingTwiceThenSucceedingIsRetriedOnTheSameAgent()
    {
        final ScriptedTaskHandler flaky = ScriptedTaskHandler.failingFirst(2, "FLAKY", PASSING);
        agent("Diagnoser", ScriptedTaskHandler.succeeding(PASSING), "diagnosis");
        agent("Patcher", flaky, "implementation");
        agent("Testbed", ScriptedTaskHandler.succeeding(PASSING), "testing", "review");

        final RunResult result = runtime(WorkflowTemplates.bugfix()).build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertEquals(3, flaky.callsFor("fix"));
        assertEquals(List.of(2, 3), events(WorkflowEvent.RetryScheduled.class).stream()
            .filter(e -> e.taskId().equals("fix")).map(WorkflowEvent.RetryScheduled::attempt).toList());
        assertEquals(2, events(WorkflowEvent.RetryTimerFired.class).size());
        assertEquals(1, events(WorkflowEvent.TaskCompleted.class).stream().filter(e -> e.taskId().equals("fix"))
            .count());
    }

    @Test
    void nonRetryableFailureMovesTheTaskToAnAlternativeAgent()
    {
        final ScriptedTaskHandler broken = ScriptedTaskHandler.alwaysFailing("BROKEN_TOOLCHAIN");
        final ScriptedTaskHandler healthy = ScriptedTaskHandler.succeeding(PASSING);
        agent("Broken", broken, "implementation");
        agent("Healthy", healthy, "implementation");

        final RunResult result = runtime(oneTask("implementation"))
            .candidates(preferringFirst("implementation", "Broken", "Healthy"))
            .retryOptions(RetryOptions.newBuilder().setNonRetryableErrorKinds("BROKEN_TOOLCHAIN").build())
            .build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertEquals(1, broken.callsFor("job"));
        assertEquals(1, healthy.callsFor("job"));
        assertEquals(List.of("Broken", "Healthy"), events(WorkflowEvent.TaskAssigned.class).stream()
            .map(WorkflowEvent.TaskAssigned::agentName).toList());
        assertTrue(events(WorkflowEvent.RetryScheduled.class).isEmpty());
    }

    @Test
    void stallingAgentTimesOutAndTheTaskMovesToAnAlternativeAgent()
    {
        final ScriptedTaskHandler healthy = ScriptedTaskHandler.succeeding(PASSING);
        agent("Staller", ScriptedTaskHandler.stalling(), "implementation");
        agent("Healthy", healthy, "implementation");

        final RunResult result = runtime(oneTask("implementation"))
            .candidates(preferringFirst("implementation", "Staller", "Healthy"))
            .retryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .taskTimeout(Duration.ofMillis(300))
            .build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.COMPLETED, result.status(), result.failureReason());
        assertEquals(List.of(WorkflowRuntime.TASK_TIMEOUT), events(WorkflowEvent.TaskFailed.class).stream()
            .map(WorkflowEvent.TaskFailed::errorKind).toList());
        assertEquals(1, healthy.callsFor("job"));
    }

    @Test
    void directorDecisionIsFedBackWhenRecoveryGivesUp()
    {
        agent("Broken", ScriptedTaskHandler.alwaysFailing("BROKEN_TOOLCHAIN"), "implementation");
        final List<String> escalated = new CopyOnWriteArrayList<>();

        final RunResult result = runtime(oneTask("implementation"))
            .retryOptions(RetryOptions.newBuilder().setNonRetryableErrorKinds("BROKEN_TOOLCHAIN").build())
            .director(request ->
            {
                escalated.add(request.failure().taskId());
                return DirectorDecision.abort("cannot build here");
            })
            .build().run(RUN_TIMEOUT);

        assertEquals(WorkflowStatus.FAILED, result.status());
        assertFalse(result.timedOut());
        assertEquals(List.of("job"), escalated);
        assertEquals(1, events(WorkflowEvent.DirectorDecided.class).size());
        assertTrue(result.failureReason().contains("cannot build here"), result.failureReason());
    }

    @Test
    void runWithNoCapableAgentTimesOutAndSaysWhatIsBlocked()
    {
        agent("Writer", ScriptedTaskHandler.succeeding(PASSING), "documentation");

        final RunResult result = runtime(oneTask("implementation")).build().run(Duration.ofMillis(300));

        assertTrue(result.timedOut());
        assertEquals(WorkflowStatus.RUNNING, result.status());
        assertTrue(result.failureReason().contains("job"), result.failureReason());
    }

    @Test
    void runAskedToStopReturnsAtOnceWithTheProgressSoFarNeitherTimedOutNorFailed()
    {
        agent("Staller", ScriptedTaskHandler.stalling(), "implementation");

        final long startNs = System.nanoTime();
        final RunResult result = runtime(oneTask("implementation"))
            .stopWhen(() -> !events(WorkflowEvent.TaskStarted.class).isEmpty())
            .build().run(RUN_TIMEOUT);

        assertTrue(result.stopped());
        assertFalse(result.timedOut());
        assertEquals(WorkflowStatus.RUNNING, result.status(), "the journal keeps the workflow for a later run");
        assertTrue(Duration.ofNanos(System.nanoTime() - startNs).compareTo(RUN_TIMEOUT.dividedBy(3)) < 0,
            "returned when asked, not at its timeout");
        assertTrue(result.failureReason().contains("stopped"), result.failureReason());
        assertTrue(events(WorkflowEvent.WorkflowCompleted.class).isEmpty());
    }
}
