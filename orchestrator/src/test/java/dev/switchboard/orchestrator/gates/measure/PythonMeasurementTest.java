/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python measurement on {@code measure/python-project} (one module, two passing tests, one function no test calls,
 * one unused import) with the real tools. Where a tool is not installed the same test asserts the reason given
 * instead, found with the detection the measurement uses, so a machine without them still checks something and
 * never passes silently.
 */
class PythonMeasurementTest
{
    @TempDir
    Path repo;

    @Test
    @Tag("slow")
    void testsCoverageAndLintOfAPythonProjectAreMeasuredWithItsToolsOrSayWhichToolIsMissing() throws Exception
    {
        copyPythonProject();
        final PythonTools tools = PythonTools.detect();
        final Measurements measured = TreeMeasurement.measure(repo,
            EnumSet.of(Metric.TEST_COVERAGE_PERCENT, Metric.TEST_FAILURES, Metric.LINT_SCORE),
            MeasurementOptions.defaults());
        final String all = measured.toString();
        assertAll(
            () ->
            {
                if (tools.pytest().isPresent())
                {
                    assertEquals(0.0, measured.values().get(Metric.TEST_FAILURES), all);
                    assertEquals("pytest: 0 of 2 tests failed",
                        measured.get(Metric.TEST_FAILURES).orElseThrow().note());
                }
                else
                {
                    assertTrue(measured.reasonNotMeasured(Metric.TEST_FAILURES).startsWith("pytest is not installed"),
                        all);
                }
            },
            () ->
            {
                if (tools.coverage())
                {
                    // 7 of 10 statements of inventory.py and the 5 of the test module, which --source=. includes
                    assertEquals(80.0, measured.values().get(Metric.TEST_COVERAGE_PERCENT), 1e-9, all);
                    assertEquals(List.of("inventory.py: 7 of 10 statements covered (lines 15-17 missed)"),
                        measured.details(Metric.TEST_COVERAGE_PERCENT));
                }
                else
                {
                    assertTrue(measured.reasonNotMeasured(Metric.TEST_COVERAGE_PERCENT).matches(
                        "(coverage\\.py|pytest) is not installed .*\\(apt-get install .*python3-coverage.*\\)"), all);
                }
            },
            () ->
            {
                if (tools.pyflakes().isPresent())
                {
                    assertEquals(94.7, measured.values().get(Metric.LINT_SCORE), 1e-9, all);
                    assertEquals(List.of("inventory.py:2 pyflakes: 'os' imported but unused"),
                        measured.details(Metric.LINT_SCORE));
                }
                else
                {
                    assertEquals("pyflakes is not installed (" + PythonTools.APT_PACKAGES + ")",
                        measured.reasonNotMeasured(Metric.LINT_SCORE), all);
                }
            },
            () -> assertFalse(Files.exists(repo.resolve(".coverage")), "no coverage data left in the tree"),
            () -> assertFalse(Files.exists(repo.resolve(".pytest_cache")), "no pytest cache left in the tree"));
    }

    @Test
    void aPythonProjectIsOneWithAManifestOrPythonFilesAndNoPom() throws Exception
    {
        Files.writeString(repo.resolve("tool.py"), "print('hi')\n");
        final boolean scripts = PythonMeasurement.isPythonProject(repo);
        Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
        final boolean withPom = PythonMeasurement.isPythonProject(repo);
        Files.writeString(repo.resolve("requirements.txt"), "requests\n");
        assertAll(
            () -> assertTrue(scripts),
            () -> assertFalse(withPom, "Python files beside a pom: measured as the Maven project"),
            () -> assertTrue(PythonMeasurement.isPythonProject(repo), "a Python manifest at the root"));
    }

    @Test
    void pyflakesOutputOfVersions2And3IsReadAndCodeThatCannotRunWeighsMost()
    {
        final List<ToolReports.LintFinding> findings = PythonMeasurement.pyflakesFindings(List.of(
            "inventory.py:2:1 'os' imported but unused",
            "pkg/mod.py:7:5: undefined name 'stok'",
            "bad.py:3:9: invalid syntax",
            "    x = = 1",
            "        ^"));
        final Measurement lint = ToolReports.lintScore("pyflakes", findings, 100, "no code");
        assertAll(
            () -> assertEquals(3, findings.size(), findings.toString()),
            () -> assertEquals(89.0, lint.value().orElseThrow(), 1e-9),
            () -> assertEquals(List.of("pkg/mod.py:7 pyflakes: undefined name 'stok'",
                "bad.py:3 pyflakes: invalid syntax", "inventory.py:2 pyflakes: 'os' imported but unused"),
                lint.details()));
    }

    @Test
    void aPythonProjectHasNoJavaSecurityOrDependencyMeasurementAndSaysSo() throws Exception
    {
        Files.writeString(repo.resolve("pyproject.toml"), "[project]\nname = \"x\"\n");
        final Measurements measured = TreeMeasurement.measure(repo,
            EnumSet.of(Metric.HIGH_VULNERABILITIES, Metric.CYCLOMATIC_COMPLEXITY_MAX), MeasurementOptions.defaults());
        assertAll(
            () -> assertTrue(measured.reasonNotMeasured(Metric.HIGH_VULNERABILITIES).startsWith("a Python project: " +
                "SpotBugs"), measured.toString()),
            () -> assertTrue(measured.reasonNotMeasured(Metric.CYCLOMATIC_COMPLEXITY_MAX).contains("a Python " +
                "project"), measured.toString()));
    }

    private void copyPythonProject() throws Exception
    {
        final Path source = Path.of(PythonMeasurementTest.class.getResource("/measure/python-project").toURI());
        try (Stream<Path> paths = Files.walk(source))
        {
            for (final Path path : paths.toList())
            {
                final Path target = repo.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
