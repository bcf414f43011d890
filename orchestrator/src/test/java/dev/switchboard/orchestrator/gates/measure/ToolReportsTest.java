/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parsers on real reports the tools wrote for {@code measure/tiny-project} (see measure/reports/README.md). */
class ToolReportsTest
{
    static Path report(final String name) throws URISyntaxException
    {
        return Path.of(ToolReportsTest.class.getResource("/measure/reports/" + name).toURI());
    }

    @Test
    void lineCoverageIsJacocosReportLevelLineCounter() throws Exception
    {
        final Measurement coverage = ToolReports.coverage(List.of(report("jacoco.xml")));
        assertAll(
            () -> assertEquals(30.0, coverage.value().orElseThrow(), 1e-9),
            () -> assertEquals("JaCoCo: 3 of 10 lines covered, 1 report(s)", coverage.note()));
    }

    @Test
    void jacocoReportsOfSeveralModulesAreSummed() throws Exception
    {
        final Measurement coverage = ToolReports.coverage(List.of(report("jacoco.xml"), report("jacoco.xml")));
        assertEquals("JaCoCo: 6 of 20 lines covered, 2 report(s)", coverage.note());
    }

    @Test
    void testFailuresCountFailuresAndErrorsOfSurefireReports() throws Exception
    {
        final Measurement failures = ToolReports.testFailures(List.of(report("TEST-demo.GreeterTest.xml")));
        assertAll(
            () -> assertEquals(0.0, failures.value().orElseThrow()),
            () -> assertEquals("Surefire: 0 of 1 tests failed", failures.note()));
    }

    @Test
    void lintScoreWeighsPmdViolationsOverCodeLines() throws Exception
    {
        final Measurement lint = ToolReports.lintScore(List.of(report("pmd.xml")), 40);
        assertAll(
            () -> assertEquals(97.5, lint.value().orElseThrow(), 1e-9),
            () -> assertEquals("PMD: 1 violation(s), weight 1, over 40 code lines", lint.note()));
    }

    @Test
    void lintWithoutCodeIsNotMeasured() throws Exception
    {
        assertFalse(ToolReports.lintScore(List.of(report("pmd.xml")), 0).measured());
    }

    @Test
    void securityFindingsOfSpotBugsAndFindSecBugsAreCountedByRank() throws Exception
    {
        final List<Measurement> found = ToolReports.vulnerabilities(List.of(report("spotbugsXml.xml")));
        final Measurement critical = found.get(0);
        final Measurement high = found.get(1);
        assertAll(
            () -> assertEquals(Metric.CRITICAL_VULNERABILITIES, critical.metric()),
            () -> assertEquals(0.0, critical.value().orElseThrow()),
            () -> assertEquals(Metric.HIGH_VULNERABILITIES, high.metric()),
            () -> assertEquals(4.0, high.value().orElseThrow()),
            () -> assertTrue(high.note().contains("SQL_INJECTION_JDBC"), high.note()),
            () -> assertTrue(high.note().contains("WEAK_MESSAGE_DIGEST_MD5"), high.note()),
            () -> assertTrue(high.note().contains("PREDICTABLE_RANDOM"), high.note()));
    }
}
