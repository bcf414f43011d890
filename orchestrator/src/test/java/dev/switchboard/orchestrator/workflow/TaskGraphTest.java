/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskGraphTest
{
    private static List<String> ids(final List<TaskDefinition> tasks)
    {
        return tasks.stream().map(TaskDefinition::id).toList();
    }

    private static WorkflowDefinition workflow(final TaskDefinition... tasks)
    {
        final PhaseDefinition.Builder phase = PhaseDefinition.builder("only");
        for (final TaskDefinition task : tasks)
        {
            phase.task(task);
        }
        return WorkflowDefinition.builder("test").phase(phase.build()).build();
    }

    private static TaskDefinition task(final String id, final String... dependsOn)
    {
        return TaskDefinition.builder(id, Capabilities.IMPLEMENTATION).dependsOn(dependsOn).build();
    }

    @Test
    void topologicalOrderPutsEveryTaskAfterItsDependenciesAndOtherwiseKeepsDeclarationOrder()
    {
        final TaskGraph graph = TaskGraph.of(workflow(task("d", "b", "c"), task("c", "a"), task("b", "a"), task("a")));
        assertEquals(List.of("a", "c", "b", "d"), ids(graph.topologicalOrder()));
    }

    @Test
    void featureTopologicalOrderFollowsThePhases()
    {
        assertEquals(List.of("design", "implement-core", "implement-api", "unit-tests", "integration-tests",
            "optimize", "document"), ids(TaskGraph.of(WorkflowTemplates.feature()).topologicalOrder()));
    }

    @Test
    void featureParallelTracksAreTheDepthsOfTheDag()
    {
        final List<TaskGraph.Track> tracks = TaskGraph.of(WorkflowTemplates.feature()).parallelTracks();
        assertEquals(List.of(
            List.of("design"),
            List.of("implement-core", "implement-api"),
            List.of("unit-tests", "integration-tests"),
            List.of("optimize", "document")), tracks.stream().map(TaskGraph.Track::taskIds).toList());
        for (int i = 0; i < tracks.size(); i++)
        {
            assertEquals(i, tracks.get(i).depth());
        }
    }

    @Test
    void depthIsTheLongestDependencyChain()
    {
        final TaskGraph graph = TaskGraph.of(workflow(task("a"), task("b", "a"), task("c", "a", "b")));
        assertEquals(2, graph.depth("c"));
    }

    @Test
    void readyGivesTasksWhoseDependenciesAreAllComplete()
    {
        final TaskGraph graph = TaskGraph.of(WorkflowTemplates.feature());
        assertEquals(List.of("design"), ids(graph.ready(Set.of())));
        assertEquals(List.of("implement-core", "implement-api"), ids(graph.ready(Set.of("design"))));
        assertEquals(List.of("implement-api", "unit-tests"), ids(graph.ready(Set.of("design", "implement-core"))));
    }

    @Test
    void readyIsEmptyWhenEverythingIsComplete()
    {
        final TaskGraph graph = TaskGraph.of(WorkflowTemplates.bugfix());
        assertTrue(graph.ready(Set.of("diagnose", "fix", "regression-tests", "review-fix")).isEmpty());
    }

    @Test
    void readyRejectsUnknownCompletedTask()
    {
        final TaskGraph graph = TaskGraph.of(WorkflowTemplates.bugfix());
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> graph.ready(Set.of("deploy")));
        assertEquals("completed task 'deploy' is not in workflow 'bugfix'; task ids: diagnose, fix, "
            + "regression-tests, review-fix", ex.getMessage());
    }

    @Test
    void cycleIsReportedWithItsPath()
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> TaskGraph.of(workflow(task("a", "b"), task("b", "a"))));
        assertEquals(List.of(new WorkflowValidationException.Problem("phases[0].tasks[0].dependsOn",
            "cycle in task dependencies: a → b → a (each task depends on the next)")), ex.problems());
        assertTrue(ex.getMessage().startsWith("workflow 'test': 1 problem"), ex.getMessage());
    }

    @Test
    void longerCycleStartsAtTheTaskDeclaredFirst()
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> TaskGraph.of(workflow(task("root"), task("x", "root", "z"), task("y", "x"), task("z", "y"))));
        assertEquals("cycle in task dependencies: x → z → y → x (each task depends on the next)",
            ex.problems().getFirst().message());
    }

    @Test
    void selfDependencyIsReportedAtTheDependency()
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> TaskGraph.of(workflow(task("a"), task("b", "a", "b"))));
        assertEquals(List.of(new WorkflowValidationException.Problem("phases[0].tasks[1].dependsOn[1]",
            "task 'b' depends on itself")), ex.problems());
    }

    @Test
    void unknownDependencyIsReportedWithTheKnownIds()
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> TaskGraph.of(workflow(task("a"), task("b", "ghost"))));
        assertEquals(List.of(new WorkflowValidationException.Problem("phases[0].tasks[1].dependsOn[0]",
            "unknown task 'ghost'; task ids: a, b")), ex.problems());
    }

    @Test
    void duplicateTaskIdAcrossPhasesIsReported()
    {
        final WorkflowDefinition definition = WorkflowDefinition.builder("dup")
            .phase(PhaseDefinition.builder("one").task(task("a")).build())
            .phase(PhaseDefinition.builder("two").task(task("a")).build())
            .build();
        final WorkflowValidationException ex =
            assertThrows(WorkflowValidationException.class, () -> TaskGraph.of(definition));
        assertEquals(List.of(new WorkflowValidationException.Problem("phases[1].tasks[0].id",
            "duplicate task id 'a', first declared at phases[0].tasks[0]")), ex.problems());
    }

    @Test
    void taskRejectsUnknownCapabilityNamingTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TaskDefinition.builder("t", "telepathy").build());
        assertEquals("unknown capability 'telepathy' for task 't'; known capabilities: " + Capabilities.knownList(),
            ex.getMessage());
    }

    @Test
    void taskRejectsNegativeEstimate()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TaskDefinition.builder("t", Capabilities.TESTING).estimatedMinutes(-1).build());
        assertEquals("estimatedMinutes of task 't' must be >= 0 but was -1", ex.getMessage());
    }
}
