/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.switchboard.orchestrator.gates.Metric;

/**
 * What an agent sends to "Orchestrator" about a work item: one line of JSON. The runtime turns it into a
 * {@code TaskStarted}, {@code TaskProgress}, {@code TaskCompleted} or {@code TaskFailed} stamped with its own clock;
 * {@code agentName} and {@code attempt} let it drop reports about an assignment it has since given up on.
 *
 * @param kind       what happened.
 * @param workflowId the workflow instance.
 * @param taskId     the task.
 * @param agentName  the reporting agent.
 * @param attempt    the attempt reported on.
 * @param percent    for PROGRESS, 0..100.
 * @param metrics    for COMPLETED, values the agent reported by {@link Metric} name (shown, never gated on).
 * @param errorKind  for FAILED, what kind of failure (retry options match on it).
 * @param message    for FAILED, for people.
 * @param summary    for COMPLETED, what was done.
 * @param changedFiles for COMPLETED, the files the agent says it changed.
 * @param artifacts  for COMPLETED, other outputs.
 */
public record TaskReport(
    Kind kind,
    String workflowId,
    String taskId,
    String agentName,
    int attempt,
    int percent,
    Map<String, Double> metrics,
    String errorKind,
    String message,
    String summary,
    List<String> changedFiles,
    List<String> artifacts)
{
    /** What a report says. */
    public enum Kind
    {
        /** The agent took the item and began work. */
        STARTED,
        /** Partial progress. */
        PROGRESS,
        /** Done, with metrics. */
        COMPLETED,
        /** Failed, with an error kind. */
        FAILED
    }

    /** Validates and copies. */
    public TaskReport
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentName, "agentName");
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        errorKind = errorKind == null ? "" : errorKind;
        message = message == null ? "" : message;
        summary = summary == null ? "" : summary;
        changedFiles = changedFiles == null ? List.of() : List.copyOf(changedFiles);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /**
     * A report without output.
     *
     * @param kind       what happened.
     * @param workflowId the workflow instance.
     * @param taskId     the task.
     * @param agentName  the reporting agent.
     * @param attempt    the attempt reported on.
     * @param percent    for PROGRESS, 0..100.
     * @param metrics    for COMPLETED, values the agent reported.
     * @param errorKind  for FAILED, what kind of failure.
     * @param message    for FAILED, for people.
     */
    public TaskReport(final Kind kind, final String workflowId, final String taskId, final String agentName,
        final int attempt, final int percent, final Map<String, Double> metrics, final String errorKind,
        final String message)
    {
        this(kind, workflowId, taskId, agentName, attempt, percent, metrics, errorKind, message, "", List.of(),
            List.of());
    }

    static TaskReport started(final WorkItem item, final String agentName)
    {
        return new TaskReport(Kind.STARTED, item.workflowId(), item.taskId(), agentName, item.attempt(), 0,
            Map.of(), "", "");
    }

    static TaskReport progress(final WorkItem item, final String agentName, final int percent)
    {
        return new TaskReport(Kind.PROGRESS, item.workflowId(), item.taskId(), agentName, item.attempt(), percent,
            Map.of(), "", "");
    }

    static TaskReport of(final WorkItem item, final String agentName, final TaskOutcome outcome)
    {
        return switch (outcome)
        {
            case TaskOutcome.Success s -> new TaskReport(Kind.COMPLETED, item.workflowId(), item.taskId(), agentName,
                item.attempt(), 100, names(s.metrics()), "", "", s.summary(), s.changedFiles(), s.artifacts());
            case TaskOutcome.Failure f -> new TaskReport(Kind.FAILED, item.workflowId(), item.taskId(), agentName,
                item.attempt(), 0, Map.of(), f.errorKind(), f.message());
        };
    }

    /**
     * @return the metrics, those with a name that is no {@link Metric} left out.
     */
    Map<Metric, Double> typedMetrics()
    {
        final Map<Metric, Double> typed = new EnumMap<>(Metric.class);
        metrics.forEach((name, value) ->
        {
            try
            {
                typed.put(Metric.valueOf(name), value);
            }
            catch (final IllegalArgumentException ignored)
            {
                // an agent may measure more than the gates know; the engine only takes gate metrics
            }
        });
        return typed;
    }

    private static Map<String, Double> names(final Map<Metric, Double> metrics)
    {
        final Map<String, Double> named = new java.util.TreeMap<>();
        metrics.forEach((metric, value) -> named.put(metric.name(), value));
        return named;
    }

    byte[] toBytes()
    {
        return Json.write(this);
    }

    static TaskReport fromBytes(final byte[] bytes)
    {
        final TaskReport report = Json.read(bytes, TaskReport.class);
        return report == null || report.kind() == null ? null : report;
    }
}
