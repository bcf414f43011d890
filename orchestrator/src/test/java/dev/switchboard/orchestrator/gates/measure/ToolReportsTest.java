/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.net.URISyntaxException;
import java.nio.file.Files;
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

    /** Where the tools wrote the reports: the tiny project's copy, as PMD's absolute file names show. */
    private static final Path WRITTEN_IN = Path.of("/tmp/i12c-tiny");

    static Path fixture(final String name) throws URISyntaxException
    {
        return Path.of(ToolReportsTest.class.getResource("/measure/fixtures/" + name).toURI());
    }

    @Test
    void lineCoverageIsJacocosReportLevelLineCounter() throws Exception
    {
        final Measurement coverage = ToolReports.coverage(WRITTEN_IN, List.of(report("jacoco.xml")));
        assertAll(
            () -> assertEquals(30.0, coverage.value().orElseThrow(), 1e-9),
            () -> assertEquals("JaCoCo: 3 of 10 lines covered, 1 report(s)", coverage.note()));
    }

    @Test
    void coverageDetailsAreTheLeastCoveredFilesWithTheirMissedLinesInTheModulesSources() throws Exception
    {
        final Path tree = Files.createTempDirectory("tool-reports");
        try
        {
            final Path jacoco = tree.resolve("core/target/site/jacoco/jacoco.xml");
            Files.createDirectories(jacoco.getParent());
            Files.copy(report("jacoco.xml"), jacoco);
            assertEquals(List.of("core/src/main/java/demo/Tokens.java: 0 of 5 lines covered (lines 12-29 missed)",
                "core/src/main/java/demo/Greeter.java: 3 of 5 lines covered (lines 14, 26 missed)"),
                ToolReports.coverage(tree, List.of(jacoco)).details());
        }
        finally
        {
            try (var paths = Files.walk(tree))
            {
                for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void jacocoReportsOfSeveralModulesAreSummed() throws Exception
    {
        final Measurement coverage = ToolReports.coverage(WRITTEN_IN,
            List.of(report("jacoco.xml"), report("jacoco.xml")));
        assertEquals("JaCoCo: 6 of 20 lines covered, 2 report(s)", coverage.note());
    }

    @Test
    void testFailuresCountFailuresAndErrorsOfSurefireReports() throws Exception
    {
        final Measurement failures = ToolReports.testFailures(List.of(report("TEST-demo.GreeterTest.xml")),
            "Surefire");
        assertAll(
            () -> assertEquals(0.0, failures.value().orElseThrow()),
            () -> assertEquals("Surefire: 0 of 1 tests failed", failures.note()),
            () -> assertEquals(List.of(), failures.details()));
    }

    @Test
    void testFailureDetailsNameEachFailedTestWithItsMessage() throws Exception
    {
        final Measurement failures = ToolReports.testFailures(
            List.of(report("TEST-demo.GreeterTest.xml"), fixture("TEST-demo.GreeterEdgeTest.xml")), "Surefire");
        assertAll(
            () -> assertEquals(2.0, failures.value().orElseThrow()),
            () -> assertEquals("Surefire: 2 of 4 tests failed", failures.note()),
            () -> assertEquals(List.of(
                "demo.GreeterEdgeTest#greetsNobodyByDefault: expected: <Hello, nobody> but was: <Hello, null>",
                "demo.GreeterEdgeTest#maxOfEqualNumbers: error: java.lang.IllegalStateException"),
                failures.details()));
    }

    @Test
    void lintScoreWeighsPmdViolationsOverCodeLines() throws Exception
    {
        final Measurement lint = ToolReports.lintScore("PMD",
            ToolReports.pmdFindings(WRITTEN_IN, List.of(report("pmd.xml"))), 40, "no code");
        assertAll(
            () -> assertEquals(97.5, lint.value().orElseThrow(), 1e-9),
            () -> assertEquals("PMD: 1 violation(s), weight 1, over 40 code lines", lint.note()),
            () -> assertEquals(List.of("src/main/java/demo/Tokens.java:14 UnusedPrivateField: " +
                "Avoid unused private fields such as 'unused'."), lint.details()));
    }

    @Test
    void lintDetailsPutTheMostSeriousFindingFirst()
    {
        final Measurement lint = ToolReports.lintScore("PMD", List.of(
            new ToolReports.LintFinding("A.java", 3, "Minor", "m", 3),
            new ToolReports.LintFinding("B.java", 7, "Serious", "s", 1)), 100, "no code");
        assertAll(
            () -> assertEquals(94.0, lint.value().orElseThrow(), 1e-9),
            () -> assertEquals(List.of("B.java:7 Serious: s", "A.java:3 Minor: m"), lint.details()));
    }

    @Test
    void lintWithoutCodeIsNotMeasured() throws Exception
    {
        assertFalse(ToolReports.lintScore("PMD", ToolReports.pmdFindings(WRITTEN_IN, List.of(report("pmd.xml"))), 0,
            "no code").measured());
    }

    @Test
    void securityFindingDetailsNameTheSourceLineTypeRankAndPriority() throws Exception
    {
        final Measurement high = ToolReports.vulnerabilities(WRITTEN_IN, List.of(report("spotbugsXml.xml"))).get(1);
        assertAll(
            () -> assertEquals(4, high.details().size(), high.details().toString()),
            () -> assertTrue(high.details().stream().anyMatch(d ->
                d.matches("demo/Tokens\\.java:\\d+ SQL_INJECTION_JDBC \\(rank \\d+, priority \\d\\)")),
                high.details().toString()));
    }

    @Test
    void securityFindingsOfSpotBugsAndFindSecBugsAreCountedByRank() throws Exception
    {
        final List<Measurement> found = ToolReports.vulnerabilities(WRITTEN_IN, List.of(report("spotbugsXml.xml")));
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
