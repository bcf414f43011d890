/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import dev.switchboard.orchestrator.gates.GateEvaluator;
import dev.switchboard.orchestrator.gates.GateReport;
import dev.switchboard.orchestrator.gates.GateStatus;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.QualityGates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeMeasurementTest
{
    @TempDir
    Path repo;

    @Test
    void everyToolMetricIsNotMeasuredWithMavensFailureWhenMavenCannotStart() throws Exception
    {
        copyTinyProject();
        final MeasurementOptions options = MeasurementOptions.defaults()
            .withMaven(List.of(repo.resolve("no-mvn").toString()), List.of());
        final Measurements measured = TreeMeasurement.measure(repo, EnumSet.allOf(Metric.class), options);
        final GateReport report = GateEvaluator.evaluate(QualityGates.completeProfile("standard"), measured);
        assertAll(
            () -> assertTrue(measured.reasonNotMeasured(Metric.TEST_COVERAGE_PERCENT)
                .startsWith("no JaCoCo report: could not start " + repo.resolve("no-mvn")), measured.toString()),
            () -> assertTrue(measured.reasonNotMeasured(Metric.HIGH_VULNERABILITIES).startsWith("no SpotBugs report"),
                measured.toString()),
            () -> assertTrue(measured.get(Metric.SECRETS_FOUND).orElseThrow().measured()),
            () -> assertEquals(GateStatus.FAILED, report.result(QualityGates.CODE_QUALITY).status()),
            () -> assertEquals(GateStatus.FAILED, report.result(QualityGates.SECURITY).status()));
    }

    @Test
    void aTreeWithoutPomHasNoToolMetrics() throws Exception
    {
        final Measurements measured = TreeMeasurement.measure(repo, EnumSet.of(Metric.LINT_SCORE),
            MeasurementOptions.defaults());
        assertTrue(measured.reasonNotMeasured(Metric.LINT_SCORE).startsWith("no pom.xml at the root"),
            measured.toString());
    }

    @Test
    void complexityAndApiDocsDetailsNameTheMethodsAndMembersWithTheirLines() throws Exception
    {
        final Path source = repo.resolve("src/main/java/ex/Grades.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
            package ex;

            public class Grades
            {
                public String grade(final int s)
                {
                    if (s > 90) { return "A"; }
                    if (s > 80) { return "B"; }
                    if (s > 70) { return "C"; }
                    if (s > 60) { return "D"; }
                    if (s > 50) { return "E"; }
                    if (s > 40) { return "F"; }
                    if (s > 30) { return "G"; }
                    if (s > 20) { return "H"; }
                    if (s > 10 && s < 15) { return "I"; }
                    return "J";
                }
            }
            """);
        final Measurements measured = TreeMeasurement.measure(repo,
            EnumSet.of(Metric.CYCLOMATIC_COMPLEXITY_MAX, Metric.API_DOCS_PERCENT), MeasurementOptions.defaults());
        assertAll(
            () -> assertEquals(List.of("ex.Grades.grade(int) at src/main/java/ex/Grades.java:5 (CC 11)"),
                measured.details(Metric.CYCLOMATIC_COMPLEXITY_MAX)),
            () -> assertEquals(List.of("src/main/java/ex/Grades.java:3 ex.Grades",
                "src/main/java/ex/Grades.java:5 ex.Grades.grade(int)"), measured.details(Metric.API_DOCS_PERCENT)),
            () -> assertTrue(measured.describe(Metric.CYCLOMATIC_COMPLEXITY_MAX).endsWith(
                "\n- ex.Grades.grade(int) at src/main/java/ex/Grades.java:5 (CC 11)"),
                measured.describe(Metric.CYCLOMATIC_COMPLEXITY_MAX)));
    }

    @Test
    void aNamedCommandIsTimedAndAFailingOneIsNotMeasured() throws Exception
    {
        final Measurements timed = TreeMeasurement.measure(repo, EnumSet.of(Metric.P95_RESPONSE_MS, Metric.MEMORY_MB),
            MeasurementOptions.defaults().withPerformanceCommand("true", 3, Duration.ofSeconds(10)));
        final Measurements failing = TreeMeasurement.measure(repo, EnumSet.of(Metric.P95_RESPONSE_MS),
            MeasurementOptions.defaults().withPerformanceCommand("exit 3", 3, Duration.ofSeconds(10)));
        assertAll(
            () -> assertTrue(timed.get(Metric.P95_RESPONSE_MS).orElseThrow().measured(), timed.toString()),
            () -> assertEquals(Files.isExecutable(CommandPerformance.GNU_TIME),
                timed.get(Metric.MEMORY_MB).orElseThrow().measured(), timed.toString()),
            () -> assertTrue(failing.reasonNotMeasured(Metric.P95_RESPONSE_MS)
                .startsWith("run 1 of 'exit 3' failed: the command exited with 3"), failing.toString()));
    }

    /** Runs Maven with JaCoCo, PMD and SpotBugs + FindSecBugs on a tiny project: about 20 s, more on a cold cache. */
    @Test
    @Tag("slow")
    void theRealToolsMeasureATinyMavenProject() throws Exception
    {
        copyTinyProject();
        final MeasurementOptions options = MeasurementOptions.defaults().withMaven(List.of("mvn"), mavenConfig())
            .withMavenLimit(Duration.ofMinutes(10));
        final Measurements measured = TreeMeasurement.measure(repo, EnumSet.allOf(Metric.class), options);
        final String all = measured.toString();
        assertAll(
            () -> assertEquals(30.0, measured.values().get(Metric.TEST_COVERAGE_PERCENT), all),
            () -> assertEquals(0.0, measured.values().get(Metric.TEST_FAILURES), all),
            () -> assertTrue(measured.values().get(Metric.LINT_SCORE) < 100, all),
            () -> assertEquals(0.0, measured.values().get(Metric.CRITICAL_VULNERABILITIES), all),
            () -> assertEquals(4.0, measured.values().get(Metric.HIGH_VULNERABILITIES), all),
            () -> assertEquals(0.0, measured.values().get(Metric.SECRETS_FOUND), all),
            () -> assertFalse(measured.get(Metric.VULNERABLE_DEPENDENCIES).orElseThrow().measured(), all),
            () -> assertEquals("src/main/java/demo/Tokens.java: 0 of 5 lines covered (lines 12-29 missed)",
                measured.details(Metric.TEST_COVERAGE_PERCENT).getFirst(), all),
            () -> assertEquals(4, measured.details(Metric.HIGH_VULNERABILITIES).size(), all),
            () -> assertTrue(measured.details(Metric.HIGH_VULNERABILITIES).getFirst()
                .startsWith("src/main/java/demo/Tokens.java:"), measured.details(Metric.HIGH_VULNERABILITIES)
                .toString()),
            () -> assertTrue(measured.details(Metric.LINT_SCORE).stream()
                .anyMatch(d -> d.startsWith("src/main/java/demo/Tokens.java:14 UnusedPrivateField")),
                measured.details(Metric.LINT_SCORE).toString()));
    }

    /** The arguments of the build's own {@code .mvn/maven.config}, if any, so the child uses the same repository. */
    private static List<String> mavenConfig() throws IOException
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path config = dir.resolve(".mvn/maven.config");
            if (Files.isRegularFile(config))
            {
                final List<String> arguments = new ArrayList<>();
                for (final String word : Files.readString(config).strip().split("\\s+"))
                {
                    if (!word.isEmpty())
                    {
                        arguments.add(word);
                    }
                }
                return arguments;
            }
        }
        return List.of();
    }

    private void copyTinyProject() throws Exception
    {
        final Path source = Path.of(TreeMeasurementTest.class.getResource("/measure/tiny-project").toURI());
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
