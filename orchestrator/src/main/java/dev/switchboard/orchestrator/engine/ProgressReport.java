/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * {@link Progress} as reported upward, in JSON:
 * <pre>
 * {"phase":"implementation","status":"RUNNING","progress":7.7,"agents_active":["ada","bob"],
 *  "quality_gates":{"design":"PASSED","implementation":"PENDING",...},
 *  "estimated_completion":"1970-01-01T07:00:00Z","issues":[...],"recommendations":[...]}
 * </pre>
 * {@code progress} is the percent complete rounded to one decimal; {@code estimated_completion} is the logical
 * time as ISO-8601 (the engine's clock is whatever the host feeds it; epoch milliseconds read as UTC), or null
 * while unknown.
 *
 * <p>Immutable and thread-safe.
 *
 * @param phase               the current phase.
 * @param status              the workflow status.
 * @param progress            percent complete, one decimal.
 * @param agentsActive        agents with work, sorted.
 * @param qualityGates        phase id to PENDING, PASSED or FAILED.
 * @param estimatedCompletion ISO-8601, or null.
 * @param issues              one line per blocked task and per failed gate.
 * @param recommendations     one line per issue saying what would unblock it.
 * @param successMetrics      the run's success metrics ({@code dev.switchboard.orchestrator.metrics}), or null before
 *                            they are computed.
 * @param target              with {@code --target}: what was measured before and after and the goal, or null.
 */
@JsonPropertyOrder({"phase", "status", "progress", "agents_active", "quality_gates", "estimated_completion", "issues",
    "recommendations", "success_metrics", "target"})
public record ProgressReport(
    @JsonProperty("phase") String phase,
    @JsonProperty("status") String status,
    @JsonProperty("progress") double progress,
    @JsonProperty("agents_active") List<String> agentsActive,
    @JsonProperty("quality_gates") Map<String, String> qualityGates,
    @JsonProperty("estimated_completion") String estimatedCompletion,
    @JsonProperty("issues") List<String> issues,
    @JsonProperty("recommendations") List<String> recommendations,
    @JsonProperty("success_metrics") Map<String, Object> successMetrics,
    @JsonProperty("target") Map<String, Object> target)
{
    /** Copies. */
    public ProgressReport
    {
        agentsActive = List.copyOf(agentsActive);
        qualityGates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(qualityGates));
        issues = List.copyOf(issues);
        recommendations = List.copyOf(recommendations);
        successMetrics = successMetrics == null ? null :
            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(successMetrics));
        target = target == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(target));
    }

    /**
     * A report without success metrics or target.
     *
     * @param phase               the current phase.
     * @param status              the workflow status.
     * @param progress            percent complete, one decimal.
     * @param agentsActive        agents with work, sorted.
     * @param qualityGates        phase id to PENDING, PASSED or FAILED.
     * @param estimatedCompletion ISO-8601, or null.
     * @param issues              one line per blocked task and per failed gate.
     * @param recommendations     one line per issue saying what would unblock it.
     */
    public ProgressReport(final String phase, final String status, final double progress,
        final List<String> agentsActive, final Map<String, String> qualityGates, final String estimatedCompletion,
        final List<String> issues, final List<String> recommendations)
    {
        this(phase, status, progress, agentsActive, qualityGates, estimatedCompletion, issues, recommendations, null,
            null);
    }

    /**
     * @param metrics the run's success metrics, as JSON-ready values.
     * @return this report with them.
     */
    public ProgressReport withSuccessMetrics(final Map<String, Object> metrics)
    {
        return new ProgressReport(phase, status, progress, agentsActive, qualityGates, estimatedCompletion, issues,
            recommendations, metrics, target);
    }

    /**
     * @param measured the target's measurements and goal, as JSON-ready values.
     * @return this report with them.
     */
    public ProgressReport withTarget(final Map<String, Object> measured)
    {
        return new ProgressReport(phase, status, progress, agentsActive, qualityGates, estimatedCompletion, issues,
            recommendations, successMetrics, measured);
    }

    /**
     * @param progress a progress snapshot.
     * @return its report.
     */
    public static ProgressReport of(final Progress progress)
    {
        Objects.requireNonNull(progress, "progress");
        final Map<String, String> gates = new LinkedHashMap<>();
        progress.gates().forEach((phase, state) -> gates.put(phase, state.name()));
        final List<String> issues = new ArrayList<>();
        final List<String> recommendations = new ArrayList<>();
        for (final Progress.BlockedTask blocked : progress.blocked())
        {
            issues.add("task " + blocked.taskId() + " " + blocked.cause() + ": " + blocked.detail());
            recommendations.add(switch (blocked.cause())
            {
                case NO_AGENT -> "register or free an agent with capability '" + blocked.capability() + "' for task " +
                    blocked.taskId();
                case WAITING_RETRY -> "if task " + blocked.taskId() + " keeps failing, check its agent and inputs";
                case ESCALATED -> "answer the Director's escalation of task " + blocked.taskId() +
                    " (RETRY, SKIP or ABORT)";
            });
        }
        progress.failedGates().forEach((phase, summary) ->
        {
            issues.add("phase " + phase + " failed its quality gates: " + summary.replace(System.lineSeparator(), "; "));
            recommendations.add("fix what the quality gates of phase " + phase + " report; its last task is being " +
                "recovered");
        });
        final String eta = progress.estimatedCompletionMs().isPresent() ?
            Instant.ofEpochMilli(progress.estimatedCompletionMs().getAsLong()).toString() : null;
        return new ProgressReport(progress.currentPhase(), progress.status().name(),
            Math.round(progress.percentComplete() * 10.0) / 10.0, progress.agentsActive(), gates, eta, issues,
            recommendations);
    }

    /** @return this report as one line of JSON, every field present (null when unknown). */
    public String toJson()
    {
        try
        {
            return EventCodec.MAPPER.writeValueAsString(this);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the progress report as JSON: " + ex.getOriginalMessage(), ex);
        }
    }
}
