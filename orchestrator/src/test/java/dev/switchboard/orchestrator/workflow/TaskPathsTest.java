/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;

import dev.switchboard.orchestrator.engine.EventCodec;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.workflow.WorkflowLoader.Format;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException.Problem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskPathsTest
{
    private static final String WITH_PATHS = """
        name: w
        phases:
          - id: p
            tasks:
              - id: auth
                capability: implementation
                paths: [src/main/java/com/acme/auth/**, docs/auth.md]
              - id: free
                capability: testing
        """;

    private static List<Problem> problemsOf(final String yaml)
    {
        return assertThrows(WorkflowValidationException.class,
            () -> WorkflowLoader.parse(yaml, Format.YAML, "test.yaml")).problems();
    }

    @Test
    void loaderReadsDeclaredPathsInOrder()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse(WITH_PATHS, Format.YAML, "test.yaml");

        assertEquals(List.of("src/main/java/com/acme/auth/**", "docs/auth.md"), workflow.tasks().get(0).paths());
    }

    @Test
    void taskWithoutPathsDeclaresNone()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse(WITH_PATHS, Format.YAML, "test.yaml");

        assertEquals(List.of(), workflow.tasks().get(1).paths());
    }

    @Test
    void jsonReadsPathsToo()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse("""
            {"name": "w", "phases": [{"id": "p", "tasks": [
              {"id": "t", "capability": "testing", "paths": ["src/test/**"]}]}]}
            """, Format.JSON, "test.json");

        assertEquals(List.of("src/test/**"), workflow.tasks().getFirst().paths());
    }

    @Test
    void absolutePathIsReportedAtItsIndex()
    {
        final List<Problem> problems = problemsOf(WITH_PATHS.replace("docs/auth.md", "/etc/passwd"));

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("phases[0].tasks[0].paths[1]", problems.getFirst().path());
        assertTrue(problems.getFirst().message().contains("'/etc/passwd' is absolute"), problems.getFirst().message());
    }

    @Test
    void climbingOutWithDotDotIsReportedAtItsIndex()
    {
        final List<Problem> problems = problemsOf(WITH_PATHS.replace("src/main/java/com/acme/auth/**", "src/../../x"));

        assertEquals(List.of(new Problem("phases[0].tasks[0].paths[0]",
            "'src/../../x' climbs out of the repository with '..'; paths stay inside it")), problems);
    }

    @Test
    void pathsThatAreNotAListOfStringsAreReported()
    {
        final List<Problem> problems = problemsOf(WITH_PATHS.replace(
            "paths: [src/main/java/com/acme/auth/**, docs/auth.md]", "paths: docs/auth.md"));

        assertEquals("phases[0].tasks[0].paths", problems.getFirst().path());
    }

    @Test
    void toDocumentWritesPathsAndReadsBackEqual()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse(WITH_PATHS, Format.YAML, "test.yaml");

        assertEquals(workflow, WorkflowLoader.fromDocument(WorkflowLoader.toDocument(workflow), "round trip"));
    }

    @Test
    void builderKeepsPaths()
    {
        final TaskDefinition task = TaskDefinition.builder("t", "testing").paths("a/**").paths("b.md").build();

        assertEquals(List.of("a/**", "b.md"), task.paths());
    }

    @Test
    void olderConstructorsDeclareNoPaths()
    {
        assertEquals(List.of(), new TaskDefinition("t", "t", "testing", List.of(), 0, false).paths());
        assertEquals(List.of(),
            new TaskDefinition("t", "t", "testing", List.of(), 0, false, TaskInstructions.NONE).paths());
    }

    @Test
    void constructorRejectsAbsoluteAndClimbingPaths()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new TaskDefinition("t", "t", "testing", List.of(), 0, false, null, List.of("/src")));
        assertThrows(IllegalArgumentException.class,
            () -> new TaskDefinition("t", "t", "testing", List.of(), 0, false, null, List.of("a/../..")));
        assertThrows(IllegalArgumentException.class,
            () -> new TaskDefinition("t", "t", "testing", List.of(), 0, false, null, List.of("C:\\src")));
    }

    @Test
    void nullPathsFromAnOlderJournalReadAsNone()
    {
        assertTrue(new TaskDefinition("t", "t", "testing", List.of(), 0, false, null, null).paths().isEmpty());
    }

    @Test
    void dotsInsideNamesAreNotClimbing()
    {
        assertFalse(TaskDefinition.pathProblem("src/..hidden/a..b/**") != null);
    }

    @Test
    void journalKeepsSubtaskPathsAndReadsOlderEventsWithoutThem()
    {
        final TaskDefinition part = TaskDefinition.builder("t.part-1", "testing").paths("src/a/**").build();
        final WorkflowEvent decomposed = new WorkflowEvent.TaskDecomposed(1, "t", List.of(part), "split");

        assertEquals(decomposed, EventCodec.fromJson(EventCodec.toJson(decomposed)));
        final String older = EventCodec.toJson(decomposed).replace(",\"paths\":[\"src/a/**\"]", "");
        assertFalse(older.contains("paths"), older);
        assertEquals(List.of(), ((WorkflowEvent.TaskDecomposed)EventCodec.fromJson(older)).subtasks().getFirst().paths());
    }
}
