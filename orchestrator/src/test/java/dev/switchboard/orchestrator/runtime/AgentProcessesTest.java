/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.engine.EngineSnapshot;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.TaskState;
import dev.switchboard.orchestrator.engine.WorkflowEngine;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.workflow.Capabilities;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflows whose agents are separate JVMs ({@link TaskAgentProcess}) connected to a router embedded in the test's
 * JVM, which the runtime reaches in-process: assignments, progress and results cross real processes.
 */
@Tag("slow")
class AgentProcessesTest
{
    /** Scheduling and recovery, not gates: no phase waits for a measurement with the tools. */
    private static final QualityGates NO_GATES = QualityGates.of(java.util.List.of());

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RouterProcess router;
    private InProcessHub hub;
    private AgentProcesses agents;
    private final InMemoryJournal journal = new InMemoryJournal();

    @BeforeEach
    void startRouter()
    {
        router = RouterProcess.launch(new RouterContext(), new IpcContext().underDirectory(dir.resolve("run")));
        hub = new InProcessHub(router.router());
    }

    @AfterEach
    void stop()
    {
        if (agents != null)
        {
            agents.close();
        }
        router.close();
    }

    private static AgentProcesses.Spec agent(final String name, final String script, final long durationMs)
    {
        return new AgentProcesses.Spec(name, List.copyOf(new TreeSet<>(Capabilities.known())), script, durationMs, Map.of());
    }

    private String logs()
    {
        final StringBuilder text = new StringBuilder(journal.events().toString());
        for (final String name : agents.names())
        {
            text.append("\n--- ").append(name).append(" stderr:\n").append(agents.stderr(name));
        }
        return text.toString();
    }

    private <E extends WorkflowEvent> List<E> events(final Class<E> type)
    {
        return journal.events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void featureWorkflowRunsAcrossAgentProcessesWithTheirProgressReports()
    {
        agents = AgentProcesses.start(dir.resolve("run"), dir.resolve("logs"), dir, List.of(
            agent("proc-1", "succeed", 200), agent("proc-2", "succeed", 200)), READY);

        final RunResult result = WorkflowRuntime.builder(WorkflowTemplates.feature(), hub).journal(journal)
            .qualityGates(NO_GATES).build()
            .run(RUN_TIMEOUT);

        assertTrue(result.completed(), result.failureReason() + " " + result.progress() + "\n" + logs());
        assertEquals(WorkflowTemplates.feature().tasks().size(), events(WorkflowEvent.TaskCompleted.class).size());
        final List<Integer> percents = events(WorkflowEvent.TaskProgress.class).stream()
            .map(WorkflowEvent.TaskProgress::percent).distinct().sorted().toList();
        assertEquals(List.of(25, 50, 75), percents, "each agent process reported its quarters");
        assertTrue(events(WorkflowEvent.TaskAssigned.class).stream().map(WorkflowEvent.TaskAssigned::agentName)
            .distinct().count() == 2, "both processes worked");
    }

    @Test
    void agentProcessThatCrashesMidTaskLosesItToAnotherAgent() throws Exception
    {
        // three independent tasks and three agents of capacity 1: each agent gets one, the crasher included
        final PhaseDefinition.Builder phase = PhaseDefinition.builder("build").requires(Capabilities.IMPLEMENTATION);
        for (final String id : List.of("a", "b", "c"))
        {
            phase.task(TaskDefinition.builder(id, Capabilities.IMPLEMENTATION).build());
        }
        final WorkflowDefinition definition = WorkflowDefinition.builder("three").phase(phase.build()).buildChecked();
        agents = AgentProcesses.start(dir.resolve("run"), dir.resolve("logs"), dir, List.of(
            agent("steady-1", "succeed", 300), agent("crasher", "crash:1000:150", 0),
            agent("steady-2", "succeed", 300)), READY);

        final RunResult result = WorkflowRuntime.builder(definition, hub).journal(journal)
            .qualityGates(NO_GATES).build().run(RUN_TIMEOUT);

        assertTrue(result.completed(), result.failureReason() + " " + result.progress());
        assertEquals(ScriptedTaskHandler.CRASH_EXIT_CODE, agents.awaitExit("crasher", Duration.ofSeconds(10)));
        final List<WorkflowEvent.AgentDeparted> departed = events(WorkflowEvent.AgentDeparted.class);
        assertEquals(List.of("crasher"), departed.stream().map(WorkflowEvent.AgentDeparted::agentName).toList());
        assertTrue(events(WorkflowEvent.TaskAssigned.class).stream().anyMatch(a -> a.agentName().equals("crasher")),
            "the crasher was given a task");
        for (final EngineSnapshot.TaskSnapshot task : WorkflowEngine.recover(journal, WorkflowEngine.builder(definition)).snapshot().tasks())
        {
            assertEquals(TaskState.COMPLETED, task.state());
            assertNotEquals("crasher", task.agentName(), task.taskId() + " was finished by a live agent");
        }
        assertFalse(agents.isAlive("crasher"));
    }

    @Test
    void closeKillsAnAgentProcessThatCannotAnswerSigtermAndSaysSoWithItsNameAndTheOthersExitQuietly()
        throws Exception
    {
        agents = AgentProcesses.start(dir.resolve("run"), dir.resolve("logs"), dir, List.of(
            agent("frozen", "succeed", 0), agent("fine", "succeed", 0)), READY);
        final long frozenPid = agents.pid("frozen");
        assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(frozenPid)).start().waitFor());

        final List<String> said;
        try (LogCapture log = LogCapture.of(AgentProcesses.class.getName()))
        {
            agents.close();
            said = log.lines();
        }

        assertFalse(agents.isAlive("frozen"));
        assertFalse(agents.isAlive("fine"));
        assertEquals(1, said.size(), "only the kill; no stop lines when this process is not stopping: " + said);
        assertTrue(said.getFirst().startsWith("WARNING agent process frozen (pid " + frozenPid + ") did not stop " +
            "within " + dev.switchboard.ipc.StopSignals.CHILD_GRACE_MS + " ms of SIGTERM: killed (SIGKILL); its error " +
            "output: "), said.toString());
    }
}
