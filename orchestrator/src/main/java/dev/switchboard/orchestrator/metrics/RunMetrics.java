/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.metrics;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one run did, as the counts the success metrics are ratios of ({@link JournalMetrics} reads them from the
 * run's journal; {@link MetricsFile} keeps one per line). Immutable.
 *
 * @param workflowId    the workflow instance.
 * @param definition    the workflow definition's name.
 * @param finishedAt    when the run ended, ISO-8601 (wall clock).
 * @param handoffs      work items that reached their agent and were reported on, of the work items sent.
 * @param planUnchanged 1 of 1 when the workflow completed without a change to its plan, 0 of 1 otherwise.
 * @param planChanges   what changed the plan (decomposition, remediation, a Director's REPLAN), for people.
 * @param timeSaved     in milliseconds: the sequential sum of the measured task durations minus their critical
 *                      path, of the sequential sum.
 * @param timeSavedEstimated the same in minutes on the tasks' planning estimates.
 * @param gates         gates evaluated on measured values, of the gates configured on the phases that completed.
 * @param execution     1 of 1 when the workflow completed, 0 of 1 otherwise.
 * @param recovery      task failures recovered without the Director, of the task failures.
 */
@JsonPropertyOrder({"workflow_id", "definition", "finished_at", "handoffs", "plan_unchanged", "plan_changes",
    "time_saved_ms", "time_saved_estimated_minutes", "gates", "execution", "recovery"})
public record RunMetrics(
    @JsonProperty("workflow_id") String workflowId,
    @JsonProperty("definition") String definition,
    @JsonProperty("finished_at") String finishedAt,
    @JsonProperty("handoffs") Ratio handoffs,
    @JsonProperty("plan_unchanged") Ratio planUnchanged,
    @JsonProperty("plan_changes") List<String> planChanges,
    @JsonProperty("time_saved_ms") Ratio timeSaved,
    @JsonProperty("time_saved_estimated_minutes") Ratio timeSavedEstimated,
    @JsonProperty("gates") Ratio gates,
    @JsonProperty("execution") Ratio execution,
    @JsonProperty("recovery") Ratio recovery)
{
    /** Validates and copies. */
    public RunMetrics
    {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(handoffs, "handoffs");
        Objects.requireNonNull(planUnchanged, "planUnchanged");
        planChanges = planChanges == null ? List.of() : List.copyOf(planChanges);
        Objects.requireNonNull(timeSaved, "timeSaved");
        Objects.requireNonNull(timeSavedEstimated, "timeSavedEstimated");
        Objects.requireNonNull(gates, "gates");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(recovery, "recovery");
    }
}
