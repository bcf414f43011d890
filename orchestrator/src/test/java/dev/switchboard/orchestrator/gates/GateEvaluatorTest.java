/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateEvaluatorTest
{
    /** Every metric at a value that meets the default thresholds. */
    private static Map<Metric, Double> passing()
    {
        final Map<Metric, Double> measured = new EnumMap<>(Metric.class);
        measured.put(Metric.TEST_COVERAGE_PERCENT, 90.0);
        measured.put(Metric.CYCLOMATIC_COMPLEXITY_MAX, 5.0);
        measured.put(Metric.DUPLICATION_PERCENT, 1.0);
        measured.put(Metric.CRITICAL_VULNERABILITIES, 0.0);
        measured.put(Metric.HIGH_VULNERABILITIES, 0.0);
        measured.put(Metric.P95_RESPONSE_MS, 50.0);
        measured.put(Metric.MEMORY_MB, 256.0);
        measured.put(Metric.API_DOCS_PERCENT, 100.0);
        return measured;
    }

    private static GateReport strictWith(final Metric metric, final double value)
    {
        final Map<Metric, Double> measured = passing();
        measured.put(metric, value);
        return GateEvaluator.evaluate(QualityGates.strict(), measured);
    }

    @Test
    void everyGatePassesWhenEveryMetricMeetsItsThreshold()
    {
        final GateReport report = GateEvaluator.evaluate(QualityGates.strict(), passing());
        assertAll(
            () -> assertTrue(report.passed()),
            () -> assertTrue(report.blockingFailures().isEmpty()),
            () -> assertTrue(report.warnings().isEmpty()),
            () -> report.results().forEach(result -> assertEquals(GateStatus.PASSED, result.status())));
    }

    @ParameterizedTest(name = "{0} = {1} -> passes: {2}")
    @CsvSource({
        "TEST_COVERAGE_PERCENT, 79.9, false",
        "TEST_COVERAGE_PERCENT, 80, true",
        "TEST_COVERAGE_PERCENT, 80.1, true",
        "CYCLOMATIC_COMPLEXITY_MAX, 10, false",
        "CYCLOMATIC_COMPLEXITY_MAX, 9.99, true",
        "CYCLOMATIC_COMPLEXITY_MAX, 9, true",
        "DUPLICATION_PERCENT, 5, false",
        "DUPLICATION_PERCENT, 4.99, true",
        "CRITICAL_VULNERABILITIES, 1, false",
        "CRITICAL_VULNERABILITIES, 0, true",
        "HIGH_VULNERABILITIES, 1, false",
        "HIGH_VULNERABILITIES, 0, true",
        "P95_RESPONSE_MS, 100, false",
        "P95_RESPONSE_MS, 99.9, true",
        "MEMORY_MB, 500, false",
        "MEMORY_MB, 499, true",
        "API_DOCS_PERCENT, 99.9, false",
        "API_DOCS_PERCENT, 100, true",
    })
    void eachDefaultThresholdHoldsAtItsBoundary(final Metric metric, final double value, final boolean passes)
    {
        final GateReport report = strictWith(metric, value);
        assertEquals(passes, report.passed(), report::summary);
        if (!passes)
        {
            assertEquals(1, report.blockingFailures().size());
            assertEquals(metric, report.blockingFailures().getFirst().unmet().getFirst().threshold().metric());
        }
    }

    @Test
    void failedThresholdMessageStatesMeasuredAndRequiredValues()
    {
        final GateResult codeQuality = strictWith(Metric.TEST_COVERAGE_PERCENT, 79.9).result(QualityGates.CODE_QUALITY);
        assertAll(
            () -> assertEquals(GateStatus.FAILED, codeQuality.status()),
            () -> assertEquals("TEST_COVERAGE_PERCENT: measured 79.9 %, required >= 80 % (missed)",
                codeQuality.unmet().getFirst().message()),
            () -> assertEquals("code-quality (BLOCKING) FAILED: " +
                "TEST_COVERAGE_PERCENT: measured 79.9 %, required >= 80 % (missed)", codeQuality.message()));
    }

    @Test
    void failingWarningGateIsWarnedAndDoesNotBlock()
    {
        final Map<Metric, Double> measured = passing();
        measured.put(Metric.P95_RESPONSE_MS, 250.0);
        final GateReport report = GateEvaluator.evaluate(QualityGates.defaults(), measured);
        assertAll(
            () -> assertTrue(report.passed()),
            () -> assertEquals(GateStatus.WARNED, report.result(QualityGates.PERFORMANCE).status()),
            () -> assertEquals(1, report.warnings().size()),
            () -> assertTrue(report.blockingFailures().isEmpty()));
    }

    @Test
    void sameFailureBlocksWhenTheGateIsBlocking()
    {
        final Map<Metric, Double> measured = passing();
        measured.put(Metric.P95_RESPONSE_MS, 250.0);
        final GateReport report = GateEvaluator.evaluate(
            QualityGates.defaults().withEnforcement("performance", Enforcement.BLOCKING), measured);
        assertAll(
            () -> assertFalse(report.passed()),
            () -> assertEquals(QualityGates.PERFORMANCE, report.blockingFailures().getFirst().gate().name()));
    }

    @Test
    void missingMetricFailsBlockingGateAsNotMeasured()
    {
        final Map<Metric, Double> measured = passing();
        measured.remove(Metric.HIGH_VULNERABILITIES);
        final GateResult security = GateEvaluator.evaluate(QualityGates.defaults(), measured)
            .result(QualityGates.SECURITY);
        assertAll(
            () -> assertEquals(GateStatus.FAILED, security.status()),
            () -> assertEquals(ThresholdResult.Outcome.NOT_MEASURED, security.unmet().getFirst().outcome()),
            () -> assertTrue(security.unmet().getFirst().measured().isEmpty()),
            () -> assertEquals("HIGH_VULNERABILITIES: not measured, required = 0",
                security.unmet().getFirst().message()));
    }

    @Test
    void missingMetricOnWarningGateIsReportedNotMeasuredAndDoesNotBlock()
    {
        final Map<Metric, Double> measured = passing();
        measured.remove(Metric.API_DOCS_PERCENT);
        final GateReport report = GateEvaluator.evaluate(QualityGates.defaults(), measured);
        assertAll(
            () -> assertTrue(report.passed()),
            () -> assertEquals(GateStatus.NOT_MEASURED, report.result(QualityGates.DOCUMENTATION).status()),
            () -> assertEquals(1, report.warnings().size()));
    }

    @Test
    void warningGateWithBothMissedAndUnmeasuredThresholdsIsWarned()
    {
        final Map<Metric, Double> measured = passing();
        measured.remove(Metric.MEMORY_MB);
        measured.put(Metric.P95_RESPONSE_MS, 100.0);
        final GateResult performance = GateEvaluator.evaluate(QualityGates.defaults(), measured)
            .result(QualityGates.PERFORMANCE);
        assertAll(
            () -> assertEquals(GateStatus.WARNED, performance.status()),
            () -> assertEquals(2, performance.unmet().size()));
    }

    @Test
    void nothingMeasuredFailsEveryBlockingGateUnderStrict()
    {
        final GateReport report = GateEvaluator.evaluate(QualityGates.strict(), Map.of());
        assertEquals(4, report.blockingFailures().size());
    }

    @Test
    void lenientProfileNeverBlocks()
    {
        final Map<Metric, Double> measured = passing();
        measured.put(Metric.CRITICAL_VULNERABILITIES, 3.0);
        measured.put(Metric.TEST_COVERAGE_PERCENT, 10.0);
        final GateReport report = GateEvaluator.evaluate(QualityGates.lenient(), measured);
        assertAll(
            () -> assertTrue(report.passed()),
            () -> assertEquals(2, report.warnings().size()));
    }

    @Test
    void nonFiniteMeasurementIsRejectedNamingTheMetric()
    {
        final Map<Metric, Double> measured = passing();
        measured.put(Metric.MEMORY_MB, Double.NaN);
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> GateEvaluator.evaluate(QualityGates.defaults(), measured));
        assertEquals("measured value of MEMORY_MB must be a finite number, was NaN", error.getMessage());
    }

    @Test
    void evaluationIsDeterministic()
    {
        final Map<Metric, Double> measured = passing();
        measured.put(Metric.DUPLICATION_PERCENT, 7.5);
        assertEquals(GateEvaluator.evaluate(QualityGates.defaults(), measured),
            GateEvaluator.evaluate(QualityGates.defaults(), new EnumMap<>(measured)));
    }

    @Test
    void summaryListsEveryGate()
    {
        final String summary = strictWith(Metric.CYCLOMATIC_COMPLEXITY_MAX, 12).summary();
        assertAll(
            () -> assertTrue(summary.startsWith("quality gates FAILED"), summary),
            () -> assertTrue(summary.contains("CYCLOMATIC_COMPLEXITY_MAX: measured 12, required < 10 (missed)"),
                summary),
            () -> assertTrue(summary.contains("documentation (BLOCKING) PASSED"), summary));
    }

    @Test
    void aBlockingGateOnAnUnmeasuredMetricFailsWithTheReason()
    {
        final List<Measurement> measured = new ArrayList<>();
        passing().forEach((metric, value) -> measured.add(Measurement.of(metric, value, "test")));
        measured.add(Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, "mvn exited with 1: compilation failed"));
        final GateResult code = GateEvaluator.evaluate(QualityGates.defaults(), Measurements.of(measured))
            .result(QualityGates.CODE_QUALITY);
        assertAll(
            () -> assertEquals(GateStatus.FAILED, code.status()),
            () -> assertEquals("mvn exited with 1: compilation failed", code.unmet().getFirst().reason()),
            () -> assertEquals("code-quality (BLOCKING) FAILED: TEST_COVERAGE_PERCENT: not measured (mvn exited " +
                "with 1: compilation failed), required >= 80 %", code.message()));
    }

    @Test
    void aMetricNobodyMeasuredSaysSo()
    {
        final GateResult security = GateEvaluator.evaluate(QualityGates.completeProfile("standard"),
            Measurements.of(List.of())).result(QualityGates.SECURITY);
        assertAll(
            () -> assertEquals(GateStatus.FAILED, security.status()),
            () -> assertTrue(security.message().contains("SECRETS_FOUND: not measured (nothing measured it)"),
                security.message()));
    }

    @Test
    void theCompleteProfileHoldsEveryThresholdOfTheSpecification()
    {
        final Map<Metric, Double> measured = passing();
        measured.put(Metric.LINT_SCORE, 95.0);
        measured.put(Metric.TEST_FAILURES, 0.0);
        measured.put(Metric.SECRETS_FOUND, 0.0);
        measured.put(Metric.VULNERABLE_DEPENDENCIES, 0.0);
        measured.put(Metric.COMMENT_PERCENT, 30.0);
        measured.put(Metric.README_COMPLETE_PERCENT, 100.0);
        measured.put(Metric.REVIEW_APPROVED, 1.0);
        assertTrue(GateEvaluator.evaluate(QualityGates.completeProfile("strict"), measured).passed());
        measured.put(Metric.LINT_SCORE, 94.9);
        assertEquals("code-quality (BLOCKING) FAILED: LINT_SCORE: measured 94.9, required >= 95 (missed)",
            GateEvaluator.evaluate(QualityGates.completeProfile("strict"), measured)
                .result(QualityGates.CODE_QUALITY).message());
    }
}
