/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.orchestrator.agents.AgentInvocation;
import dev.switchboard.orchestrator.agents.AgentSpec;
import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.engine.InMemoryJournal;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.WorkflowStatus;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workflow stopped in the middle of a phase, after one of its tasks finished and before the phase's merge, and run
 * again on its journal: the finished task's work, committed on its branch by the first run, is taken back and merged
 * with the task the second run does (real git, a real agent process).
 */
@Tag("slow")
class WorkspaceResumeTest
{
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Router router;
    private InProcessHub hub;
    private final InMemoryJournal journal = new InMemoryJournal();
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void startRouter()
    {
        router = Router.launch(new RouterContext());
        hub = new InProcessHub(router);
    }

    @AfterEach
    void stopRouter()
    {
        router.close();
    }

    private static void git(final Path repo, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c",
            "user.email=t@example.invalid"));
        command.addAll(List.of(args));
        final Process git = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        final String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), out);
    }

    /** One run: the agent, a fresh workspace over the same run directory, the runtime on the shared journal. */
    private WorkflowStatus run(final Path repo, final WorkflowDefinition workflow, final AgentSpec spec,
        final java.util.function.BooleanSupplier stopWhen)
    {
        final Path runDir = dir.resolve("run");
        try (TaskAgent agent = new TaskAgent(hub, spec.name(), List.of("implementation"),
            new AgentTaskHandler(new AgentInvocation(spec, dir, runDir)), 2).start())
        {
            final WorkflowRuntime.Builder settings = WorkflowRuntime.builder(workflow, hub).journal(journal)
                .qualityGates(QualityGates.of(List.of())).agentCapacities(java.util.Map.of(spec.name(), 2))
                .runDirectory(runDir).noticeListener(notices::add).stopWhen(stopWhen);
            try (GitTaskWorkspace workspace = GitTaskWorkspace.open(repo, runDir, workflow.name(),
                settings.workspaceRecorder()))
            {
                return settings.workspace(workspace).build().run(RUN_TIMEOUT).status();
            }
        }
    }

    @Test
    void aTaskFinishedBeforeTheStopIsMergedByTheRunThatResumes() throws Exception
    {
        final Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("README.md"), "# r\n");
        git(repo, "init", "--quiet");
        git(repo, "add", "--all");
        git(repo, "commit", "--quiet", "-m", "start");
        final WorkflowDefinition workflow = WorkflowDefinition.builder("resume")
            .phase(PhaseDefinition.builder("build")
                .task(TaskDefinition.builder("fast", "implementation").build())
                .task(TaskDefinition.builder("slow", "implementation").build())
                .build())
            .buildChecked();
        // slow sleeps in the first run (it is stopped there); in the second, the marker says go on
        final AgentSpec spec = AgentsFile.parse("""
            agents:
              - name: Ada
                capabilities: [implementation]
                concurrency: 2
                command: 'echo "$SWITCHBOARD_TASK_ID" > "$SWITCHBOARD_TASK_ID.txt"; if [ "$SWITCHBOARD_TASK_ID" = slow ] && [ ! -e "$SWITCHBOARD_WORKFLOW_DIR/second" ]; then sleep 60; fi'
            """, "agents.yaml").agent("Ada");

        final WorkflowStatus first = run(repo, workflow, spec, () -> journal.events().stream()
            .anyMatch(e -> e instanceof WorkflowEvent.TaskCompleted c && c.taskId().equals("fast")));
        assertEquals(WorkflowStatus.RUNNING, first, "stopped after fast completed");
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run").resolve("second"), "");

        final WorkflowStatus second = run(repo, workflow, spec, () -> false);

        assertEquals(WorkflowStatus.COMPLETED, second, String.join("\n", notices));
        assertTrue(notices.stream().anyMatch(n -> n.contains("taken back from the earlier run") &&
            n.contains("fast")), String.join("\n", notices));
        assertEquals("fast\n", Files.readString(repo.resolve("fast.txt")));
        assertEquals("slow\n", Files.readString(repo.resolve("slow.txt")));
        assertEquals(1L, journal.events().stream().filter(e -> e instanceof WorkflowEvent.TaskCompleted c &&
            c.taskId().equals("fast")).count(), "fast ran once");
    }
}
