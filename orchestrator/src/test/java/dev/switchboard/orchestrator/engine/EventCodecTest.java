/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import dev.switchboard.orchestrator.engine.WorkflowEvent.GateEvaluated;
import dev.switchboard.orchestrator.engine.WorkflowEvent.GatesRequested;
import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.engine.WorkflowEvent.PhaseMeasured;
import dev.switchboard.orchestrator.engine.WorkflowEvent.RemediationPlanned;
import dev.switchboard.orchestrator.engine.WorkflowEvent.TaskCompleted;
import dev.switchboard.orchestrator.engine.WorkflowEvent.WorkspaceRecorded;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.prompt.TaskOutput;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskInstructions;
import org.junit.jupiter.api.Test;

/** The journal's JSON form of the events of measured gates, and journals written before them. */
class EventCodecTest
{
    private static WorkflowEvent roundTrip(final WorkflowEvent event)
    {
        final String json = EventCodec.toJson(event);
        assertTrue(json.startsWith("{\"type\":\"" + event.getClass().getSimpleName() + "\""), json);
        final WorkflowEvent read = EventCodec.fromJson(json);
        assertEquals(event, read, json);
        return read;
    }

    @Test
    void everyEventOfMeasuredGatesRoundTrips()
    {
        final TaskDefinition fix = new TaskDefinition("implementation.fix-1-coverage", "Fix coverage", "testing",
            List.of(), 30, false, new TaskInstructions("Raise coverage", "TEST_COVERAGE_PERCENT: 40 % (JaCoCo)\n" +
            "- src/A.java: missed 3-9\n- literal $${context.coverage}", List.of("every test passes")));
        final List<WorkflowEvent> events = List.of(
            new GatesRequested(1000, "implementation", 2),
            new PhaseMeasured(1001, "implementation", Map.of(), List.of(
                new MeasuredMetric(Metric.TEST_COVERAGE_PERCENT, 40.0, "JaCoCo", List.of("src/A.java: missed 3-9",
                    "src/B.java: missed 1-2")),
                new MeasuredMetric(Metric.CRITICAL_VULNERABILITIES, null, "not measured: SpotBugs is not installed",
                    List.of()))),
            new PhaseMeasured(1002, "implementation", Map.of("implement-core", "CONFLICT (content): src/A.java",
                "implement-api", "CONFLICT (modify/delete): src/B.java"), List.of()),
            new GateEvaluated(1003, "implementation", false, "quality gates FAILED\n  code-quality: ...", true),
            new GateEvaluated(1004, "design", true, "merged; no quality gate configured for [review]", false),
            new RemediationPlanned(1005, "implementation", 1, List.of(fix), "quality gates FAILED"),
            new WorkspaceRecorded(1006, "TaskMerged", "implementation", "implement-core", "0123abcd", "fast-forward"),
            new WorkspaceRecorded(1007, "RolledBack", null, null, null, null),
            new TaskCompleted(1008, "implement-core", Map.of(Metric.TEST_COVERAGE_PERCENT, 99.0),
                new TaskOutput("implement-core", "parser and printer", List.of("src/A.java", "src/B.java"),
                    List.of("target/report.html"))),
            new TaskCompleted(1009, "design", Map.of()));
        for (final WorkflowEvent event : events)
        {
            roundTrip(event);
        }
        final PhaseMeasured measured = (PhaseMeasured)roundTrip(events.get(1));
        assertEquals(List.of("src/A.java: missed 3-9", "src/B.java: missed 1-2"),
            measured.metrics().getFirst().details());
        assertEquals(null, measured.metrics().getLast().value(), "not measured stays null, not 0");
        assertTrue(((GateEvaluated)roundTrip(events.get(3))).remediating());
        assertEquals(fix, ((RemediationPlanned)roundTrip(events.get(5))).tasks().getFirst());
        assertTrue(events.get(6).isInput() && !events.get(0).isInput() && events.get(1).isInput());
    }

    @Test
    void gateEvaluatedWithoutRemediatingReadsAsNotRemediating()
    {
        final WorkflowEvent read = EventCodec.fromJson("{\"type\":\"GateEvaluated\",\"timestampMs\":5," +
            "\"phaseId\":\"implementation\",\"passed\":false,\"summary\":\"quality gates FAILED\"}");

        assertEquals(new GateEvaluated(5, "implementation", false, "quality gates FAILED"), read);
        assertFalse(((GateEvaluated)read).remediating());
    }

    @Test
    void taskCompletedWithoutOutputReadsAsAnEmptyOutput()
    {
        final WorkflowEvent read = EventCodec.fromJson("{\"type\":\"TaskCompleted\",\"timestampMs\":7," +
            "\"taskId\":\"design\",\"metrics\":{\"TEST_COVERAGE_PERCENT\":90.0}}");

        assertEquals(new TaskCompleted(7, "design", Map.of(Metric.TEST_COVERAGE_PERCENT, 90.0)), read);
        assertEquals(new TaskOutput("design", "", List.of(), List.of()), ((TaskCompleted)read).output());
    }

    @Test
    void measuredMetricWithoutDetailsReadsAsNone()
    {
        final PhaseMeasured read = (PhaseMeasured)EventCodec.fromJson("{\"type\":\"PhaseMeasured\"," +
            "\"timestampMs\":9,\"phaseId\":\"testing\",\"conflicts\":{},\"metrics\":[{\"metric\":\"LINT_SCORE\"," +
            "\"value\":97.5,\"note\":\"PMD\"}]}");

        assertEquals(List.of(new MeasuredMetric(Metric.LINT_SCORE, 97.5, "PMD", List.of())), read.metrics());
    }

    @Test
    void unknownFieldIsStillAnError()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> EventCodec.fromJson(
            "{\"type\":\"GatesRequested\",\"timestampMs\":1,\"phaseId\":\"p\",\"round\":1,\"merged\":true}"));
        assertTrue(ex.getMessage().contains("merged"), ex.getMessage());
    }
}
