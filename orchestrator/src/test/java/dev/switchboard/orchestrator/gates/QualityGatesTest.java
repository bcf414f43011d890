/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QualityGatesTest
{
    @Test
    void defaultsHoldTheThresholdsOfTheSpecification()
    {
        final QualityGates gates = QualityGates.defaults();
        assertAll(
            () -> assertEquals(List.of("code-quality", "security", "performance", "documentation"), gates.names()),
            () -> assertEquals(List.of(
                    Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 80),
                    Threshold.below(Metric.CYCLOMATIC_COMPLEXITY_MAX, 10),
                    Threshold.below(Metric.DUPLICATION_PERCENT, 5)),
                gates.gate("code-quality").orElseThrow().thresholds()),
            () -> assertEquals(List.of(
                    Threshold.equalTo(Metric.CRITICAL_VULNERABILITIES, 0),
                    Threshold.equalTo(Metric.HIGH_VULNERABILITIES, 0)),
                gates.gate("security").orElseThrow().thresholds()),
            () -> assertEquals(List.of(
                    Threshold.below(Metric.P95_RESPONSE_MS, 100),
                    Threshold.below(Metric.MEMORY_MB, 500)),
                gates.gate("performance").orElseThrow().thresholds()),
            () -> assertEquals(List.of(Threshold.equalTo(Metric.API_DOCS_PERCENT, 100)),
                gates.gate("documentation").orElseThrow().thresholds()));
    }

    @Test
    void defaultsBlockOnCodeAndSecurityAndWarnOnPerformanceAndDocumentation()
    {
        final QualityGates gates = QualityGates.defaults();
        assertAll(
            () -> assertEquals(Enforcement.BLOCKING, gates.gate("code-quality").orElseThrow().enforcement()),
            () -> assertEquals(Enforcement.BLOCKING, gates.gate("security").orElseThrow().enforcement()),
            () -> assertEquals(Enforcement.WARNING, gates.gate("performance").orElseThrow().enforcement()),
            () -> assertEquals(Enforcement.WARNING, gates.gate("documentation").orElseThrow().enforcement()));
    }

    @Test
    void strictMakesEveryGateBlockingAndLenientEveryGateWarning()
    {
        assertAll(
            () -> QualityGates.strict().forEach(gate -> assertEquals(Enforcement.BLOCKING, gate.enforcement())),
            () -> QualityGates.lenient().forEach(gate -> assertEquals(Enforcement.WARNING, gate.enforcement())));
    }

    @Test
    void profilesAreFoundByName()
    {
        assertAll(
            () -> assertEquals(QualityGates.strict(), QualityGates.profile("STRICT")),
            () -> assertEquals(QualityGates.defaults(), QualityGates.profile("standard")),
            () -> assertEquals(QualityGates.lenient(), QualityGates.profile("lenient")),
            () -> assertEquals("unknown quality gate profile 'loose': expected standard, strict or lenient",
                assertThrows(IllegalArgumentException.class, () -> QualityGates.profile("loose")).getMessage()));
    }

    @Test
    void commandLineSelectionKeepsNamedGatesByPrefixInOrder()
    {
        final QualityGates selected = QualityGates.profile("strict").only("security, code");
        assertAll(
            () -> assertEquals(List.of("code-quality", "security"), selected.names()),
            () -> selected.forEach(gate -> assertEquals(Enforcement.BLOCKING, gate.enforcement())));
    }

    @Test
    void unknownGateNameIsRejectedListingTheKnownOnes()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> QualityGates.defaults().only("code,style"));
        assertEquals("unknown quality gate 'style': expected one of " +
            "[code-quality, security, performance, documentation]", error.getMessage());
    }

    @Test
    void overrideSpecReplacesOneThreshold()
    {
        final QualityGates gates = QualityGates.defaults().withOverride("code-quality.TEST_COVERAGE_PERCENT>=85");
        assertEquals(Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 85),
            gates.gate("code-quality").orElseThrow().thresholds().getFirst());
        assertEquals(3, gates.gate("code-quality").orElseThrow().thresholds().size());
    }

    @Test
    void overrideSpecAddsThresholdOnANewMetric()
    {
        final QualityGates gates = QualityGates.defaults().withOverride("perf.CYCLOMATIC_COMPLEXITY_MAX <= 20");
        assertEquals(Threshold.atMost(Metric.CYCLOMATIC_COMPLEXITY_MAX, 20),
            gates.gate("performance").orElseThrow().thresholds().getLast());
    }

    @Test
    void overrideSpecChangesEnforcement()
    {
        final QualityGates gates = QualityGates.defaults().withOverride("documentation=blocking");
        assertEquals(Enforcement.BLOCKING, gates.gate("documentation").orElseThrow().enforcement());
    }

    @Test
    void overrideChangesOnlyACopy()
    {
        final QualityGates original = QualityGates.defaults();
        original.withOverride("security=WARNING");
        assertEquals(QualityGates.defaults(), original);
    }

    @Test
    void malformedOverridesAreRejectedWithTheirText()
    {
        assertAll(
            () -> assertEquals("override 'coverage' must be gate.METRIC<op>value " +
                    "(e.g. code-quality.TEST_COVERAGE_PERCENT>=85) or gate=BLOCKING|WARNING",
                assertThrows(IllegalArgumentException.class,
                    () -> QualityGates.defaults().withOverride("coverage")).getMessage()),
            () -> assertEquals("override 'security=FATAL' sets enforcement 'FATAL': expected BLOCKING or WARNING",
                assertThrows(IllegalArgumentException.class,
                    () -> QualityGates.defaults().withOverride("security=FATAL")).getMessage()),
            () -> assertEquals("threshold 'COVERAGE>=85' names unknown metric 'COVERAGE': expected one of " +
                    java.util.Arrays.toString(Metric.values()),
                assertThrows(IllegalArgumentException.class,
                    () -> QualityGates.defaults().withOverride("code.COVERAGE>=85")).getMessage()),
            () -> assertEquals("threshold 'TEST_COVERAGE_PERCENT>=high' has value 'high', which is not a number",
                assertThrows(IllegalArgumentException.class,
                    () -> QualityGates.defaults().withOverride("code.TEST_COVERAGE_PERCENT>=high")).getMessage()));
    }

    @Test
    void ambiguousPrefixIsRejected()
    {
        final QualityGates gates = QualityGates.of(List.of(
            new QualityGate("perf-api", List.of(Threshold.below(Metric.P95_RESPONSE_MS, 100)), Enforcement.WARNING),
            new QualityGate("perf-batch", List.of(Threshold.below(Metric.MEMORY_MB, 500)), Enforcement.WARNING)));
        assertEquals("quality gate 'perf' is ambiguous: matches perf-api and perf-batch",
            assertThrows(IllegalArgumentException.class, () -> gates.only("perf")).getMessage());
    }

    @Test
    void gateRejectsTwoThresholdsOnOneMetric()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new QualityGate("x", List.of(
                Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 80),
                Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 90)), Enforcement.BLOCKING));
        assertEquals("quality gate 'x' constrains TEST_COVERAGE_PERCENT twice: " +
            "TEST_COVERAGE_PERCENT >= 80 % and TEST_COVERAGE_PERCENT >= 90 %", error.getMessage());
    }

    @Test
    void thresholdParsesEveryOperator()
    {
        assertAll(
            () -> assertEquals(Threshold.atLeast(Metric.MEMORY_MB, 1), Threshold.parse("MEMORY_MB>=1")),
            () -> assertEquals(new Threshold(Metric.MEMORY_MB, Comparison.ABOVE, 1), Threshold.parse("memory_mb>1")),
            () -> assertEquals(Threshold.atMost(Metric.MEMORY_MB, 1), Threshold.parse("MEMORY_MB<=1")),
            () -> assertEquals(Threshold.below(Metric.MEMORY_MB, 1.5), Threshold.parse("MEMORY_MB < 1.5")),
            () -> assertEquals(Threshold.equalTo(Metric.MEMORY_MB, 0), Threshold.parse("MEMORY_MB=0")),
            () -> assertEquals(Threshold.equalTo(Metric.MEMORY_MB, 0), Threshold.parse("MEMORY_MB==0")),
            () -> assertEquals("unknown comparison '=>': expected one of >=, >, <=, <, = (or ==)",
                assertThrows(IllegalArgumentException.class, () -> Threshold.parse("MEMORY_MB=>0")).getMessage()));
    }
}
