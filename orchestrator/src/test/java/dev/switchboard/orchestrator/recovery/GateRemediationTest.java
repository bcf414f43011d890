/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.gates.Enforcement;
import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGate;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.gates.Threshold;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.prompt.TaskPrompt;
import dev.switchboard.orchestrator.workflow.Capabilities;
import dev.switchboard.orchestrator.workflow.Placeholders;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import org.junit.jupiter.api.Test;

class GateRemediationTest
{
    private static final Set<String> EVERYONE = Set.of(Capabilities.IMPLEMENTATION, Capabilities.TESTING,
        Capabilities.OPTIMIZATION, Capabilities.SECURITY, Capabilities.DOCUMENTATION, Capabilities.DEBUGGING,
        Capabilities.LINTING, Capabilities.PERFORMANCE);

    /** Code quality and security blocking, documentation warning, as the default profile has them. */
    private static GateReport report(final List<Measurement> measured)
    {
        return GateEvaluator.evaluate(QualityGates.defaults(), Measurements.of(measured));
    }

    private static List<Measurement> good()
    {
        return List.of(
            Measurement.of(Metric.TEST_COVERAGE_PERCENT, 90, "JaCoCo"),
            Measurement.of(Metric.CYCLOMATIC_COMPLEXITY_MAX, 4, "analysis"),
            Measurement.of(Metric.DUPLICATION_PERCENT, 1, "analysis"),
            Measurement.of(Metric.CRITICAL_VULNERABILITIES, 0, "SpotBugs"),
            Measurement.of(Metric.HIGH_VULNERABILITIES, 0, "SpotBugs"),
            Measurement.of(Metric.P95_RESPONSE_MS, 20, "bench"),
            Measurement.of(Metric.MEMORY_MB, 100, "bench"),
            Measurement.of(Metric.API_DOCS_PERCENT, 100, "analysis"));
    }

    private static List<Measurement> replace(final List<Measurement> base, final Measurement... changed)
    {
        final Map<Metric, Measurement> byMetric = new EnumMap<>(Metric.class);
        base.forEach(m -> byMetric.put(m.metric(), m));
        for (final Measurement m : changed)
        {
            byMetric.put(m.metric(), m);
        }
        return List.copyOf(byMetric.values());
    }

    private static List<String> ids(final List<TaskDefinition> tasks)
    {
        return tasks.stream().map(TaskDefinition::id).toList();
    }

    @Test
    void everyMetricHasAOneWordSlugAndOnlyTheTwoVulnerabilityCountsShareOne()
    {
        final Set<String> seen = new HashSet<>();
        for (final Metric metric : Metric.values())
        {
            final String slug = GateRemediation.slug(metric);
            assertTrue(slug.matches("[a-z]+(-[a-z]+)*"), metric + " -> " + slug);
            final boolean shared = metric == Metric.HIGH_VULNERABILITIES;
            assertEquals(!shared, seen.add(slug), metric + " -> " + slug);
        }
        assertEquals("coverage", GateRemediation.slug(Metric.TEST_COVERAGE_PERCENT));
        assertEquals("test-failures", GateRemediation.slug(Metric.TEST_FAILURES));
        assertEquals("security", GateRemediation.slug(Metric.CRITICAL_VULNERABILITIES));
        assertEquals("security", GateRemediation.slug(Metric.HIGH_VULNERABILITIES));
        assertEquals("api-docs", GateRemediation.slug(Metric.API_DOCS_PERCENT));
    }

    @Test
    void capabilityIsTheFirstPreferenceSomeAgentHas()
    {
        assertEquals(Capabilities.TESTING, GateRemediation.capabilityFor(Metric.TEST_COVERAGE_PERCENT, EVERYONE));
        assertEquals(Capabilities.IMPLEMENTATION, GateRemediation.capabilityFor(Metric.TEST_COVERAGE_PERCENT,
            Set.of(Capabilities.IMPLEMENTATION, Capabilities.DOCUMENTATION)));
        assertNull(GateRemediation.capabilityFor(Metric.TEST_COVERAGE_PERCENT, Set.of(Capabilities.DOCUMENTATION)));
        assertEquals(Capabilities.DEBUGGING, GateRemediation.capabilityFor(Metric.TEST_FAILURES, EVERYONE));
        assertEquals(Capabilities.TESTING, GateRemediation.capabilityFor(Metric.TEST_FAILURES,
            Set.of(Capabilities.TESTING)));
        assertEquals(Capabilities.OPTIMIZATION, GateRemediation.capabilityFor(Metric.CYCLOMATIC_COMPLEXITY_MAX,
            EVERYONE));
        assertEquals(Capabilities.LINTING, GateRemediation.capabilityFor(Metric.LINT_SCORE, EVERYONE));
        assertEquals(Capabilities.SECURITY, GateRemediation.capabilityFor(Metric.SECRETS_FOUND, EVERYONE));
        assertEquals(Capabilities.IMPLEMENTATION, GateRemediation.capabilityFor(Metric.VULNERABLE_DEPENDENCIES,
            Set.of(Capabilities.IMPLEMENTATION)));
        assertNull(GateRemediation.capabilityFor(Metric.API_DOCS_PERCENT, Set.of(Capabilities.IMPLEMENTATION)),
            "only a writer documents");
        assertEquals(Capabilities.PERFORMANCE, GateRemediation.capabilityFor(Metric.P95_RESPONSE_MS,
            Set.of(Capabilities.PERFORMANCE)));
        assertEquals(Capabilities.IMPLEMENTATION, GateRemediation.capabilityFor(Metric.REVIEW_APPROVED, EVERYONE));
    }

    @Test
    void oneTaskPerMeasuredShortfallOfABlockingGateInGateOrder()
    {
        final GateReport report = report(replace(good(),
            Measurement.of(Metric.TEST_COVERAGE_PERCENT, 40, "JaCoCo"),
            Measurement.of(Metric.CYCLOMATIC_COMPLEXITY_MAX, 14, "analysis"),
            Measurement.of(Metric.CRITICAL_VULNERABILITIES, 1, "SpotBugs"),
            Measurement.of(Metric.HIGH_VULNERABILITIES, 3, "SpotBugs"),
            Measurement.of(Metric.API_DOCS_PERCENT, 50, "analysis"))); // documentation only warns

        final List<TaskDefinition> tasks = GateRemediation.plan("impl", 2, report, Map.of(), EVERYONE, List.of());

        assertEquals(List.of("impl.fix-2-coverage", "impl.fix-2-complexity", "impl.fix-2-security"), ids(tasks));
        assertEquals(List.of(Capabilities.TESTING, Capabilities.OPTIMIZATION, Capabilities.SECURITY),
            tasks.stream().map(TaskDefinition::capability).toList());
        final TaskDefinition security = tasks.getLast();
        assertTrue(security.instructions().description().contains("CRITICAL_VULNERABILITIES: measured 1"),
            security.instructions().description());
        assertTrue(security.instructions().description().contains("HIGH_VULNERABILITIES: measured 3"),
            security.instructions().description());
        assertEquals(List.of("CRITICAL_VULNERABILITIES = 0 when the orchestrator measures the tree again",
            "HIGH_VULNERABILITIES = 0 when the orchestrator measures the tree again", "every test passes"),
            security.instructions().acceptanceCriteria());
        assertTrue(tasks.stream().allMatch(t -> t.dependsOn().isEmpty() && !t.decomposable()));
    }

    @Test
    void notMeasuredThresholdsTakenIdsAndMetricsNobodyCanFixGetNoTask()
    {
        final GateReport report = report(replace(good(),
            Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, "mvn exited with 1"),
            Measurement.of(Metric.DUPLICATION_PERCENT, 9, "CPD"),
            Measurement.of(Metric.HIGH_VULNERABILITIES, 2, "SpotBugs")));
        assertFalse(report.passed());

        assertEquals(List.of("p.fix-1-duplication", "p.fix-1-security"),
            ids(GateRemediation.plan("p", 1, report, Map.of(), EVERYONE, List.of())), "nothing for coverage");
        assertEquals(List.of("p.fix-1-security"),
            ids(GateRemediation.plan("p", 1, report, Map.of(), EVERYONE, List.of("p.fix-1-duplication"))));
        assertEquals(List.of(), GateRemediation.plan("p", 1, report, Map.of(), Set.of(Capabilities.DOCUMENTATION),
            List.of()));
        assertEquals(List.of(), GateRemediation.plan("p", 1, report(List.of(
            Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, "no JaCoCo report"))), Map.of(), EVERYONE,
            List.of()), "only unmeasured shortfalls: nothing a task could fix");
    }

    @Test
    void evidenceBecomesTheContextOnceEvenWhenTwoThresholdsShareIt()
    {
        final GateReport report = report(replace(good(),
            Measurement.of(Metric.CRITICAL_VULNERABILITIES, 1, "SpotBugs"),
            Measurement.of(Metric.HIGH_VULNERABILITIES, 1, "SpotBugs")));
        final String seen = "SpotBugs: 1 finding\n- src/A.java:12 SQL injection";

        final TaskDefinition task = GateRemediation.plan("p", 1, report, Map.of(Metric.CRITICAL_VULNERABILITIES, seen,
            Metric.HIGH_VULNERABILITIES, seen), EVERYONE, List.of()).getFirst();

        assertEquals(seen, task.instructions().context());
    }

    @Test
    void measuredTextStaysLiteralThroughPlaceholdersAndThePrompt()
    {
        final GateReport report = report(replace(good(), Measurement.of(Metric.TEST_COVERAGE_PERCENT, 40, "JaCoCo")));
        final String evidence = "TEST_COVERAGE_PERCENT: 40 % (JaCoCo)\n- src/Template.java: \"${context.coverage}\" " +
            "and ${repo} and $${x} uncovered";
        final TaskDefinition task = GateRemediation.plan("p", 1, report,
            Map.of(Metric.TEST_COVERAGE_PERCENT, evidence), EVERYONE, List.of()).getFirst();

        assertEquals(List.of(), Placeholders.namesIn(task.instructions().context()),
            "no placeholder for the loader to reject or the prompt to fill");
        assertEquals(evidence, Placeholders.fill(task.instructions().context(), name -> "FILLED"));

        final String prompt = TaskPrompt.render("feature", task, new TaskPrompt.Scope("", Path.of("/repo")),
            AnalysisFacts.NONE, Map.of()).text();
        assertTrue(prompt.contains(evidence), prompt);
        assertFalse(prompt.contains("FILLED"), prompt);
    }

    @Test
    void warningGatesAndPassingReportsPlanNothing()
    {
        final QualityGates warnOnly = QualityGates.of(List.of(new QualityGate("code-quality",
            List.of(Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 80)), Enforcement.WARNING)));
        final GateReport warned = GateEvaluator.evaluate(warnOnly,
            Measurements.of(List.of(Measurement.of(Metric.TEST_COVERAGE_PERCENT, 10, "JaCoCo"))));

        assertTrue(warned.passed());
        assertEquals(List.of(), GateRemediation.plan("p", 1, warned, Map.of(), EVERYONE, List.of()));
        assertEquals(List.of(), GateRemediation.plan("p", 1, report(good()), Map.of(), EVERYONE, List.of()));
    }
}
