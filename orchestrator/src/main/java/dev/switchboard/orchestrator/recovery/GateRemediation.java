/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.GateResult;
import dev.switchboard.orchestrator.gates.GateStatus;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.ThresholdResult;
import dev.switchboard.orchestrator.workflow.Capabilities;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskInstructions;

/**
 * Turns a failed quality gate into tasks that change something: one remediation task per shortfall of a blocking
 * gate that was <em>measured</em> (a value that missed its threshold), for the specialist of that metric, with the
 * measurement (value, threshold, where it came from and its details: the uncovered classes, the complex methods with
 * {@code file:line}, the findings) as its context. A metric nobody could measure gets no task: an agent cannot fix a
 * missing tool, and the gate fails with the reason instead.
 *
 * <table>
 *   <caption>Remediation by metric (task id {@code <phase>.fix-<round>-<slug>})</caption>
 *   <tr><th>metrics</th><th>slug</th><th>capability (first one an agent has)</th></tr>
 *   <tr><td>TEST_COVERAGE_PERCENT</td><td>coverage</td><td>testing, implementation</td></tr>
 *   <tr><td>TEST_FAILURES</td><td>test-failures</td><td>debugging, implementation, testing</td></tr>
 *   <tr><td>CYCLOMATIC_COMPLEXITY_MAX</td><td>complexity</td><td>optimization, implementation</td></tr>
 *   <tr><td>DUPLICATION_PERCENT</td><td>duplication</td><td>optimization, implementation</td></tr>
 *   <tr><td>LINT_SCORE</td><td>lint</td><td>linting, implementation</td></tr>
 *   <tr><td>CRITICAL/HIGH_VULNERABILITIES</td><td>security</td><td>security, implementation</td></tr>
 *   <tr><td>SECRETS_FOUND</td><td>secrets</td><td>security, implementation</td></tr>
 *   <tr><td>VULNERABLE_DEPENDENCIES</td><td>dependencies</td><td>security, implementation</td></tr>
 *   <tr><td>API_DOCS_PERCENT</td><td>api-docs</td><td>documentation</td></tr>
 *   <tr><td>COMMENT_PERCENT</td><td>comments</td><td>documentation</td></tr>
 *   <tr><td>README_COMPLETE_PERCENT</td><td>readme</td><td>documentation</td></tr>
 *   <tr><td>P95_RESPONSE_MS</td><td>performance</td><td>optimization, performance</td></tr>
 *   <tr><td>MEMORY_MB</td><td>memory</td><td>optimization, performance</td></tr>
 *   <tr><td>REVIEW_APPROVED</td><td>review</td><td>implementation, debugging</td></tr>
 * </table>
 *
 * <p>Pure and deterministic (the engine records the tasks it plans, so replay never calls this again). Stateless.
 */
public final class GateRemediation
{
    private GateRemediation()
    {
    }

    /**
     * @param phaseId      the phase whose gate failed.
     * @param round        the remediation round, from 1.
     * @param report       the gate evaluation.
     * @param evidence     per metric, what the host measured: value, where it came from and the details (uncovered
     *                     classes, complex methods with {@code file:line}, findings), as text.
     * @param capabilities the capabilities the workflow's agents have.
     * @param takenIds     task ids in use.
     * @return the tasks, one per measured shortfall some agent can take; empty when there is none.
     */
    public static List<TaskDefinition> plan(final String phaseId, final int round, final GateReport report,
        final Map<Metric, String> evidence, final Set<String> capabilities, final Collection<String> takenIds)
    {
        final Map<String, List<ThresholdResult>> bySlug = new LinkedHashMap<>();
        for (final GateResult gate : report.results())
        {
            if (gate.status() != GateStatus.FAILED)
            {
                continue;
            }
            for (final ThresholdResult result : gate.unmet())
            {
                if (result.outcome() == ThresholdResult.Outcome.MISSED)
                {
                    bySlug.computeIfAbsent(slug(result.threshold().metric()), s -> new ArrayList<>()).add(result);
                }
            }
        }
        final List<TaskDefinition> tasks = new ArrayList<>();
        for (final Map.Entry<String, List<ThresholdResult>> entry : bySlug.entrySet())
        {
            final Metric metric = entry.getValue().getFirst().threshold().metric();
            final String capability = capabilityFor(metric, capabilities);
            if (capability == null)
            {
                continue;
            }
            final String id = phaseId + ".fix-" + round + "-" + entry.getKey();
            if (takenIds.contains(id))
            {
                continue;
            }
            tasks.add(new TaskDefinition(id, "Fix " + entry.getKey() + " (" + phaseId + ", round " + round + ")",
                capability, List.of(), 30, false, instructions(phaseId, entry.getValue(), evidence)));
        }
        return tasks;
    }

    /**
     * @param metric a metric.
     * @return the short name remediation task ids use for it.
     */
    public static String slug(final Metric metric)
    {
        return switch (metric)
        {
            case TEST_COVERAGE_PERCENT -> "coverage";
            case TEST_FAILURES -> "test-failures";
            case CYCLOMATIC_COMPLEXITY_MAX -> "complexity";
            case DUPLICATION_PERCENT -> "duplication";
            case LINT_SCORE -> "lint";
            case CRITICAL_VULNERABILITIES, HIGH_VULNERABILITIES -> "security";
            case SECRETS_FOUND -> "secrets";
            case VULNERABLE_DEPENDENCIES -> "dependencies";
            case API_DOCS_PERCENT -> "api-docs";
            case COMMENT_PERCENT -> "comments";
            case README_COMPLETE_PERCENT -> "readme";
            case P95_RESPONSE_MS -> "performance";
            case MEMORY_MB -> "memory";
            case REVIEW_APPROVED -> "review";
        };
    }

    /**
     * @param metric       a metric that missed its threshold.
     * @param capabilities the capabilities agents have.
     * @return the specialist's capability, the first of the metric's preferences that an agent has; null if none.
     */
    static String capabilityFor(final Metric metric, final Set<String> capabilities)
    {
        final List<String> preferred = switch (metric)
        {
            case TEST_COVERAGE_PERCENT -> List.of(Capabilities.TESTING, Capabilities.IMPLEMENTATION);
            case TEST_FAILURES -> List.of(Capabilities.DEBUGGING, Capabilities.IMPLEMENTATION, Capabilities.TESTING);
            case CYCLOMATIC_COMPLEXITY_MAX, DUPLICATION_PERCENT ->
                List.of(Capabilities.OPTIMIZATION, Capabilities.IMPLEMENTATION);
            case LINT_SCORE -> List.of(Capabilities.LINTING, Capabilities.IMPLEMENTATION);
            case CRITICAL_VULNERABILITIES, HIGH_VULNERABILITIES, SECRETS_FOUND, VULNERABLE_DEPENDENCIES ->
                List.of(Capabilities.SECURITY, Capabilities.IMPLEMENTATION);
            case API_DOCS_PERCENT, COMMENT_PERCENT, README_COMPLETE_PERCENT -> List.of(Capabilities.DOCUMENTATION);
            case P95_RESPONSE_MS, MEMORY_MB -> List.of(Capabilities.OPTIMIZATION, Capabilities.PERFORMANCE);
            case REVIEW_APPROVED -> List.of(Capabilities.IMPLEMENTATION, Capabilities.DEBUGGING);
        };
        for (final String capability : preferred)
        {
            if (capabilities.contains(capability))
            {
                return capability;
            }
        }
        return null;
    }

    private static TaskInstructions instructions(final String phaseId, final List<ThresholdResult> shortfalls,
        final Map<Metric, String> evidence)
    {
        final StringBuilder description = new StringBuilder("The orchestrator measured the merged work of phase '")
            .append(phaseId).append("' and a blocking quality gate failed. Change the repository so that it passes:");
        final StringBuilder context = new StringBuilder();
        final List<String> acceptance = new ArrayList<>();
        for (final ThresholdResult shortfall : shortfalls)
        {
            final Metric metric = shortfall.threshold().metric();
            description.append("\n- ").append(shortfall.message());
            acceptance.add(metric + " " + shortfall.threshold().comparison().symbol() + " " +
                metric.format(shortfall.threshold().value()) + " when the orchestrator measures the tree again");
            final String seen = evidence.get(metric);
            if (seen != null && context.indexOf(seen) < 0)
            {
                context.append(context.isEmpty() ? "" : "\n\n").append(seen);
            }
        }
        acceptance.add("every test passes");
        return new TaskInstructions(literal(description.toString()), literal(context.toString()), acceptance.stream()
            .map(GateRemediation::literal).toList());
    }

    /** Measured text is not a template: a {@code ${} in it stays as written. */
    private static String literal(final String text)
    {
        return text.replace("${", "$${");
    }
}
