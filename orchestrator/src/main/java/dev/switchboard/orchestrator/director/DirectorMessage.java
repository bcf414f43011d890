/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.director;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One message between an orchestrator and the Director, as one JSON object whose {@code type} says which:
 * {@code report}, {@code escalation}, {@code decision}, {@code plan-request}, {@code plan}, {@code guidance} or
 * {@code request}. Field names are the protocol's (the report's are snake_case, as the specification writes them).
 *
 * <p>Immutable and thread-safe.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DirectorMessage.Report.class, name = "report"),
    @JsonSubTypes.Type(value = DirectorMessage.Escalation.class, name = "escalation"),
    @JsonSubTypes.Type(value = DirectorMessage.Decision.class, name = "decision"),
    @JsonSubTypes.Type(value = DirectorMessage.PlanRequest.class, name = "plan-request"),
    @JsonSubTypes.Type(value = DirectorMessage.Plan.class, name = "plan"),
    @JsonSubTypes.Type(value = DirectorMessage.Guidance.class, name = "guidance"),
    @JsonSubTypes.Type(value = DirectorMessage.Request.class, name = "request")})
public sealed interface DirectorMessage
{
    /**
     * Upward report, published by the orchestrator on topic {@value BusDirector#REPORT_TOPIC}.
     *
     * @param workflowId          the workflow.
     * @param status              IN_PROGRESS, BLOCKED (nothing running and something blocked), COMPLETED or FAILED.
     * @param progress            percent complete, one decimal.
     * @param phase               the current phase.
     * @param agentsActive        agents with work.
     * @param qualityGates        PASSING, or FAILING once a gate failed.
     * @param blockers            one line per blocked task.
     * @param estimatedCompletion ISO-8601, or null while unknown.
     * @param resourceNeeds       capabilities blocked tasks wait for.
     * @param issues              failed gates, the Director's gate overrides and risk notes.
     * @param recommendations     what would unblock the blockers.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Report(
        String workflowId,
        String status,
        double progress,
        String phase,
        @JsonProperty("agents_active") List<String> agentsActive,
        @JsonProperty("quality_gates") String qualityGates,
        List<String> blockers,
        @JsonProperty("estimated_completion") String estimatedCompletion,
        @JsonProperty("resource_needs") List<String> resourceNeeds,
        List<String> issues,
        List<String> recommendations) implements DirectorMessage
    {
        /** Copies; null lists read as empty. */
        public Report
        {
            agentsActive = copy(agentsActive);
            blockers = copy(blockers);
            resourceNeeds = copy(resourceNeeds);
            issues = copy(issues);
            recommendations = copy(recommendations);
        }
    }

    /**
     * An escalation: the orchestrator asks the Director (a request) what to do with a task recovery gave up on.
     *
     * @param workflowId  the workflow.
     * @param taskId      the task.
     * @param errorKind   its last error kind.
     * @param failureClass how recovery classed the error.
     * @param message     the last failure's message.
     * @param agentsTried every agent that ran it.
     * @param reason      why recovery gave up.
     */
    record Escalation(String workflowId, String taskId, String errorKind, String failureClass, String message,
        List<String> agentsTried, String reason) implements DirectorMessage
    {
        /** Copies; a null list reads as empty. */
        public Escalation
        {
            agentsTried = copy(agentsTried);
        }
    }

    /**
     * The Director's answer to an {@link Escalation}.
     *
     * @param verdict RETRY, SKIP, REASSIGN, REPLAN or ABORT.
     * @param note    why; may be empty.
     * @param agent   for REASSIGN, the agent the task goes to.
     */
    record Decision(String verdict, String note, String agent) implements DirectorMessage
    {
        /** Null note and agent read as empty. */
        public Decision
        {
            note = note == null ? "" : note;
            agent = agent == null ? "" : agent;
        }
    }

    /**
     * An orchestrator asking the Director for the plan of a phase (a request).
     *
     * @param workflowId the workflow.
     * @param phase      the phase, from 1.
     */
    record PlanRequest(String workflowId, int phase) implements DirectorMessage
    {
    }

    /**
     * The Director's answer to a {@link PlanRequest}.
     *
     * @param format {@code markdown} or {@code json}.
     * @param text   the plan.
     */
    record Plan(String format, String text) implements DirectorMessage
    {
        /** Validates. */
        public Plan
        {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Guidance the Director sends the orchestrator (agent {@code Orchestrator}) at any time; what it leaves out
     * stays as it was.
     *
     * @param priorities        phase or task id to rank, 1 first.
     * @param resourceLimits    {@code maxParallelTasks}: the most tasks assigned at once (0: no limit).
     * @param gateOverrides     gates whose enforcement changes for phases not yet evaluated.
     * @param riskNotes         for the record.
     * @param parallelExecution false: one task at a time.
     */
    record Guidance(Map<String, Integer> priorities, Map<String, Integer> resourceLimits,
        List<GateOverride> gateOverrides, List<String> riskNotes, Boolean parallelExecution) implements DirectorMessage
    {
        /** Copies; nulls read as empty. */
        public Guidance
        {
            priorities = priorities == null ? Map.of() : Map.copyOf(priorities);
            resourceLimits = resourceLimits == null ? Map.of() : Map.copyOf(resourceLimits);
            gateOverrides = copy(gateOverrides);
            riskNotes = copy(riskNotes);
        }
    }

    /**
     * One gate override in a {@link Guidance}.
     *
     * @param gate        the gate, e.g. {@code performance}.
     * @param enforcement WARNING or BLOCKING.
     * @param reason      why.
     */
    record GateOverride(String gate, String enforcement, String reason)
    {
    }

    /**
     * A request from the orchestrator to the Director (sent, not asked: no answer is awaited).
     *
     * @param kind       RESOURCES, REPLAN, GATE_EXEMPTION or EMERGENCY.
     * @param workflowId the workflow.
     * @param detail     what is needed and why.
     */
    record Request(String kind, String workflowId, String detail) implements DirectorMessage
    {
    }

    private static <T> List<T> copy(final List<T> list)
    {
        return list == null ? List.of() : List.copyOf(list);
    }
}
