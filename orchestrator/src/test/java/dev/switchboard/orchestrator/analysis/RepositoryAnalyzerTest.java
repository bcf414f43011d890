/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis.ApiMember;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis.Dependency;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis of the fixture in {@link FixtureRepository#mixed(Path)}, one measurement per test. */
class RepositoryAnalyzerTest
{
    @TempDir
    static Path root;

    private static RepositoryAnalysis analysis;

    @BeforeAll
    static void analyseFixture() throws IOException
    {
        analysis = RepositoryAnalyzer.analyze(FixtureRepository.mixed(root));
    }

    @Test
    void detectsEveryProjectTypeWhoseManifestIsPresent()
    {
        assertEquals(Set.of(ProjectType.MAVEN, ProjectType.NPM, ProjectType.GO), analysis.projectTypes());
    }

    @Test
    void countsFilesByExtensionAndLanguageOutsideSkippedDirectories()
    {
        final RepositoryAnalysis.Structure structure = analysis.structure();
        assertEquals(9, structure.totalFiles());
        assertEquals(Map.of("xml", 1, "java", 3, "json", 1, "js", 1, "info", 1, "mod", 1, "sum", 1),
            structure.byExtension());
        assertEquals(Map.of("Java", 3, "JavaScript", 1), structure.byLanguage());
        assertEquals(2, structure.sourceFiles());
        assertEquals(2, structure.testFiles());
    }

    @Test
    void listsTopLevelDirectoriesModulesAndLockFiles()
    {
        assertEquals(List.of("src", "tools", "web"), analysis.structure().topLevelDirectories());
        assertEquals(List.of("core"), analysis.structure().modules());
        assertEquals(List.of("go.sum"), analysis.structure().lockFiles());
    }

    @Test
    void readsDependenciesFromEveryManifestInPathOrder()
    {
        assertEquals(List.of(
            new Dependency(ProjectType.MAVEN, "com.example:lib", "1.2.3", "compile", "pom.xml"),
            new Dependency(ProjectType.MAVEN, "org.junit.jupiter:junit-jupiter", "5.14.0", "test", "pom.xml"),
            new Dependency(ProjectType.GO, "github.com/pkg/errors", "v0.9.1", "", "tools/go.mod"),
            new Dependency(ProjectType.GO, "golang.org/x/text", "v0.14.0", "", "tools/go.mod"),
            new Dependency(ProjectType.GO, "rsc.io/quote", "v1.5.2", "", "tools/go.mod"),
            new Dependency(ProjectType.NPM, "left-pad", "^1.3.0", "dependencies", "web/package.json"),
            new Dependency(ProjectType.NPM, "jest", "29.7.0", "devDependencies", "web/package.json")),
            analysis.dependencies());
    }

    @Test
    void countsTestFilesByConvention()
    {
        assertEquals(2, analysis.tests().files());
        assertEquals(Map.of("src/test", 1, "*.test.js|ts", 1), analysis.tests().byConvention());
    }

    @Test
    void combinesJacocoReportLevelLinesWithLcovSums()
    {
        final RepositoryAnalysis.Coverage coverage = analysis.coverage().orElseThrow();
        assertEquals(List.of(
            new RepositoryAnalysis.CoverageReport("jacoco", "target/site/jacoco/jacoco.xml", 75.0, 75, 100),
            new RepositoryAnalysis.CoverageReport("lcov", "web/coverage/lcov.info", 75.0, 30, 40)),
            coverage.reports());
        assertEquals(100.0 * (75 + 30) / (100 + 40), coverage.percent(), 1e-9);
    }

    @Test
    void countsDocumentedPublicApiAndListsTheUndocumentedMethod()
    {
        assertEquals(3, analysis.apiDocs().documented());
        assertEquals(4, analysis.apiDocs().total());
        assertEquals(List.of(new ApiMember("ex.Calculator#classify(int, boolean)", "src/main/java/ex/Calculator.java",
            14)), analysis.apiDocs().undocumented());
    }

    @Test
    void measuresCyclomaticComplexityOfNonTestMethods()
    {
        final RepositoryAnalysis.Complexity complexity = analysis.complexity();
        assertEquals(5, complexity.methods());
        assertEquals(10, complexity.max());
        assertEquals((1 + 4 + 10 + 1 + 1) / 5.0, complexity.mean(), 1e-9);
        assertEquals(List.of(new RepositoryAnalysis.MethodComplexity(
            new ApiMember("ex.Calculator#grade(int)", "src/main/java/ex/Calculator.java", 24), 10)),
            complexity.complex());
    }

    @Test
    void countsLinesInRepeatedSixLineWindowsAsDuplicated()
    {
        assertEquals(new RepositoryAnalysis.Duplication(6, 58, 16), analysis.duplication());
        assertEquals(100.0 * 16 / 58, analysis.duplication().percent(), 1e-9);
    }

    @Test
    void exposesEveryMeasuredMetricUnderTheGateNames()
    {
        assertEquals(Map.of(
            RepositoryAnalysis.TEST_COVERAGE_PERCENT, 75.0,
            RepositoryAnalysis.CYCLOMATIC_COMPLEXITY_MAX, 10.0,
            RepositoryAnalysis.DUPLICATION_PERCENT, 100.0 * 16 / 58,
            RepositoryAnalysis.API_DOCS_PERCENT, 75.0), analysis.metrics());
    }

    @Test
    void reportsNothingSkippedOrUnparseableInAWellFormedRepository()
    {
        final RepositoryAnalysis.WalkLimits limits = analysis.limits();
        assertFalse(limits.truncated());
        assertEquals(0, limits.skippedLargeFiles());
        assertEquals(0, limits.skippedSymlinks());
        assertEquals(0, limits.parseErrors(), () -> limits.problems().toString());
    }

    @Test
    void emptyDirectoryIsUnknownWithNoMetrics(@TempDir final Path empty) throws IOException
    {
        final RepositoryAnalysis nothing = RepositoryAnalyzer.analyze(empty);
        assertEquals(Set.of(ProjectType.UNKNOWN), nothing.projectTypes());
        assertEquals(Map.of(), nothing.metrics());
        assertTrue(nothing.coverage().isEmpty());
    }

    @Test
    void notADirectoryIsAnIoError(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertThrows(IOException.class, () -> RepositoryAnalyzer.analyze(file));
    }
}
