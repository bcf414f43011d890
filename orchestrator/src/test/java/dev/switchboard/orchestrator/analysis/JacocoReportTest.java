/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JaCoCo reader on the real report in {@code measure/reports} (JaCoCo 0.8.15 on {@code measure/tiny-project}). */
class JacocoReportTest
{
    private static byte[] realReport() throws Exception
    {
        return Files.readAllBytes(Path.of(JacocoReportTest.class.getResource("/measure/reports/jacoco.xml").toURI()));
    }

    @Test
    void readsTheReportTotalsAndEverySourceFileWithItsMissedLineRanges() throws Exception
    {
        final JacocoReport report = JacocoReport.read(realReport());
        assertAll(
            () -> assertEquals(3, report.coveredLines()),
            () -> assertEquals(7, report.missedLines()),
            () -> assertEquals(List.of(
                new RepositoryAnalysis.FileCoverage("demo/Greeter.java", 3, 5, List.of("14", "26")),
                new RepositoryAnalysis.FileCoverage("demo/Tokens.java", 0, 5, List.of("12-29"))), report.files()));
    }

    @Test
    void leastCoveredPutsTheWorstFileFirstAndLeavesOutFullyCoveredOnes()
    {
        final RepositoryAnalysis.FileCoverage half = new RepositoryAnalysis.FileCoverage("a/A.java", 5, 10, List.of());
        final RepositoryAnalysis.FileCoverage none = new RepositoryAnalysis.FileCoverage("b/B.java", 0, 2, List.of());
        final RepositoryAnalysis.FileCoverage full = new RepositoryAnalysis.FileCoverage("c/C.java", 4, 4, List.of());
        assertAll(
            () -> assertEquals(List.of(none, half), JacocoReport.leastCovered(List.of(half, full, none), 20)),
            () -> assertEquals(List.of(none), JacocoReport.leastCovered(List.of(half, full, none), 1)));
    }

    @Test
    void aReportUnderAModulesTargetCoversThatModulesMainSources()
    {
        assertAll(
            () -> assertEquals("src/main/java/demo/A.java",
                JacocoReport.sourcePath("target/site/jacoco/jacoco.xml", "demo/A.java")),
            () -> assertEquals("core/src/main/java/demo/A.java",
                JacocoReport.sourcePath("core/target/site/jacoco/jacoco.xml", "demo/A.java")),
            () -> assertEquals("demo/A.java", JacocoReport.sourcePath("reports/jacoco.xml", "demo/A.java")));
    }

    @Test
    void describesAFileAsCoveredOfTotalLinesWithTheMissedRanges()
    {
        assertEquals("src/main/java/demo/Tokens.java: 0 of 5 lines covered (lines 12-29 missed)",
            new RepositoryAnalysis.FileCoverage("src/main/java/demo/Tokens.java", 0, 5, List.of("12-29")).describe());
    }

    @Test
    void aDocumentThatIsNotAJacocoReportIsRejected()
    {
        assertThrows(IOException.class, () -> JacocoReport.read("<coverage/>".getBytes()));
    }

    @Test
    void theAnalysisListsTheLeastCoveredFilesAndTheUncoveredFactNamesThem(@TempDir final Path root) throws Exception
    {
        Files.createDirectories(root.resolve("target/site/jacoco"));
        Files.write(root.resolve("target/site/jacoco/jacoco.xml"), realReport());
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(root);
        final RepositoryAnalysis.Coverage coverage = analysis.coverage().orElseThrow();
        final String uncovered = AnalysisFacts.of(analysis, List.of()).fact("uncovered");
        assertAll(
            () -> assertEquals(List.of("src/main/java/demo/Tokens.java", "src/main/java/demo/Greeter.java"),
                coverage.leastCovered().stream().map(RepositoryAnalysis.FileCoverage::file).toList()),
            () -> assertTrue(uncovered.contains(
                "- src/main/java/demo/Tokens.java: 0 of 5 lines covered (lines 12-29 missed)\n" +
                "- src/main/java/demo/Greeter.java: 3 of 5 lines covered (lines 14, 26 missed)"), uncovered));
    }

    @Test
    void withoutAFileListingTheUncoveredFactIsTheCoarseOne(@TempDir final Path root) throws Exception
    {
        Files.writeString(root.resolve("lcov.info"), "LF:4\nLH:1\n");
        final String uncovered = AnalysisFacts.of(RepositoryAnalyzer.analyze(root), List.of()).fact("uncovered");
        assertTrue(uncovered.startsWith("0 test files for 0 source files. Line coverage is 25.0 %"), uncovered);
    }
}
