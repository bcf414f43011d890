/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.orchestrator.analysis.JacocoReport;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * Measures a Python project with the Python tools ({@link PythonTools}), each in a process of its own in the tree:
 * <ul>
 *   <li>tests and line coverage: {@code python3 -m coverage run --source=. -m pytest -q --junitxml=...}, then
 *       {@code coverage json}; coverage is {@code totals.percent_covered}, its details the least-covered files with
 *       their missing lines, and failed tests come from the JUnit XML pytest wrote. Without coverage.py, pytest runs
 *       alone and only failures are measured;</li>
 *   <li>lint: pyflakes over every {@code .py} file of the tree, scored with PMD's formula
 *       ({@link ToolReports#lintScore}): an undefined name or a syntax error (code that fails when it runs) weighs
 *       as a priority-1 finding, anything else (unused imports and variables, shadowing) as priority 3; over the
 *       code lines of those files (not blank, not a {@code #} comment).</li>
 * </ul>
 * Caches and byte code are kept out of the tree ({@code -p no:cacheprovider}, {@code PYTHONDONTWRITEBYTECODE}, the
 * coverage data in the scratch directory). Stateless.
 */
final class PythonMeasurement
{
    /** The manifests that make a tree a Python project. */
    static final List<String> MANIFESTS = List.of("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt");

    private static final Pattern PYFLAKES_LINE = Pattern.compile("^(.+?\\.py):(\\d+):(?:\\d+:?)?\\s*(.+)$");
    private static final Set<String> SKIPPED = Set.of(".git", ".venv", "venv", "env", ".tox", ".nox", "build",
        "dist", "node_modules", "__pycache__", "site-packages", "target", ".eggs");
    private static final Map<String, String> QUIET = Map.of("PYTHONDONTWRITEBYTECODE", "1");

    private PythonMeasurement()
    {
    }

    /**
     * @param tree the tree.
     * @return true when the tree has a Python manifest at its root, or Python files and no {@code pom.xml}.
     * @throws IOException when the tree cannot be walked.
     */
    static boolean isPythonProject(final Path tree) throws IOException
    {
        for (final String manifest : MANIFESTS)
        {
            if (Files.isRegularFile(tree.resolve(manifest)))
            {
                return true;
            }
        }
        return !Files.isRegularFile(tree.resolve("pom.xml")) && !pythonFiles(tree).isEmpty();
    }

    /**
     * Measures the test and lint metrics wanted.
     *
     * @param tree    the tree.
     * @param tests   whether coverage or failures are wanted.
     * @param lint    whether the lint score is wanted.
     * @param options the time limit (the Maven limit serves every tool run).
     * @param work    a scratch directory.
     * @param found   where the measurements go.
     * @throws IOException          when the tree or a report cannot be read.
     * @throws InterruptedException when interrupted while a tool runs.
     */
    static void measure(final Path tree, final boolean tests, final boolean lint, final MeasurementOptions options,
        final Path work, final List<Measurement> found) throws IOException, InterruptedException
    {
        final PythonTools tools = PythonTools.detect();
        if (tests)
        {
            measureTests(tree, tools, options, work, found);
        }
        if (lint)
        {
            found.add(lint(tree, tools, options, work));
        }
    }

    private static void measureTests(final Path tree, final PythonTools tools, final MeasurementOptions options,
        final Path work, final List<Measurement> found) throws IOException, InterruptedException
    {
        if (tools.pytest().isEmpty())
        {
            found.add(Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, tools.whyNoTests()));
            found.add(Measurement.notMeasured(Metric.TEST_FAILURES, tools.whyNoTests()));
            return;
        }
        final String python = tools.pytest().get();
        final Path junit = work.resolve("pytest-junit.xml");
        final Path data = work.resolve("coverage.data");
        final List<String> command = new ArrayList<>(List.of(python, "-m"));
        if (tools.coverage())
        {
            command.addAll(List.of("coverage", "run", "--data-file=" + data, "--source=.",
                "--omit=.venv/*,venv/*,*/site-packages/*", "-m"));
        }
        command.addAll(List.of("pytest", "-q", "-p", "no:cacheprovider", "--junitxml=" + junit));
        final ProcessRun run = ProcessRun.run(command, tree, work.resolve("pytest.log"), options.mavenLimit(), QUIET);
        // pytest: 0 all passed, 1 some failed; 5 no test collected; anything else is an error of the run itself.
        final boolean ran = run.failure().isEmpty() && (run.exitCode() == 0 || run.exitCode() == 1);
        final String why = run.failure().isEmpty() && run.exitCode() == 5 ? "pytest collected no test" :
            run.reason("pytest");
        found.add(ran && Files.isRegularFile(junit) ? ToolReports.testFailures(List.of(junit), "pytest") :
            Measurement.notMeasured(Metric.TEST_FAILURES, why.isEmpty() ? "pytest wrote no JUnit XML" : why));
        if (!tools.coverage())
        {
            found.add(Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, tools.whyNoCoverage()));
            return;
        }
        if (!ran)
        {
            found.add(Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, why));
            return;
        }
        final Path json = work.resolve("coverage.json");
        final ProcessRun report = ProcessRun.run(List.of(python, "-m", "coverage", "json", "--data-file=" + data,
            "-o", json.toString()), tree, work.resolve("coverage-json.log"), options.mavenLimit(), QUIET);
        found.add(report.succeeded() && Files.isRegularFile(json) ? coverage(json) :
            Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, "no coverage.py report: " +
                report.reason("coverage json")));
    }

    /**
     * Line coverage from coverage.py's JSON report ({@code coverage json}, format of coverage.py 6 and later).
     *
     * @param json the report.
     * @return {@code totals.percent_covered}, with the least-covered files and their missing lines as details.
     * @throws IOException when the report cannot be read.
     */
    static Measurement coverage(final Path json) throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(json.toFile());
        final JsonNode totals = root.path("totals");
        final long statements = totals.path("num_statements").asLong(0);
        if (statements == 0 || !totals.path("percent_covered").isNumber())
        {
            return Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT,
                "coverage.py measured no Python statement (no source file under the tree ran or was found)");
        }
        final List<RepositoryAnalysis.FileCoverage> files = new ArrayList<>();
        for (final Map.Entry<String, JsonNode> file : root.path("files").properties())
        {
            final SortedMap<Long, Boolean> missedByLine = new TreeMap<>();
            file.getValue().path("executed_lines").forEach(line -> missedByLine.put(line.asLong(), false));
            file.getValue().path("missing_lines").forEach(line -> missedByLine.put(line.asLong(), true));
            final JsonNode summary = file.getValue().path("summary");
            files.add(new RepositoryAnalysis.FileCoverage(file.getKey(), summary.path("covered_lines").asLong(),
                summary.path("num_statements").asLong(), RepositoryAnalysis.FileCoverage.ranges(missedByLine)));
        }
        return Measurement.of(Metric.TEST_COVERAGE_PERCENT, totals.path("percent_covered").asDouble(),
            "coverage.py: " + totals.path("covered_lines").asLong() + " of " + statements + " statements covered, " +
                root.path("meta").path("version").asText("?") + ", pytest")
            .withDetails(JacocoReport.leastCovered(files, JacocoReport.LEAST_COVERED_LISTED).stream()
                .map(RepositoryAnalysis.FileCoverage::describe).map(d -> d.replace(" lines covered",
                    " statements covered")).toList());
    }

    private static Measurement lint(final Path tree, final PythonTools tools, final MeasurementOptions options,
        final Path work) throws IOException, InterruptedException
    {
        if (tools.pyflakes().isEmpty())
        {
            return Measurement.notMeasured(Metric.LINT_SCORE, tools.whyNoLint());
        }
        final List<Path> files = pythonFiles(tree);
        final long codeLines = codeLines(files);
        if (codeLines == 0)
        {
            return Measurement.notMeasured(Metric.LINT_SCORE, "no Python code line to lint");
        }
        final List<String> command = new ArrayList<>(tools.pyflakes().get());
        files.forEach(file -> command.add(tree.relativize(file).toString()));
        final Path log = work.resolve("pyflakes.log");
        final ProcessRun run = ProcessRun.run(command, tree, log, options.mavenLimit(), QUIET);
        // pyflakes exits with 1 when it found something; anything else means it did not run through.
        if (!run.failure().isEmpty() || run.exitCode() > 1)
        {
            return Measurement.notMeasured(Metric.LINT_SCORE, run.reason("pyflakes"));
        }
        return ToolReports.lintScore("pyflakes", pyflakesFindings(Files.readAllLines(log, StandardCharsets.UTF_8)),
            codeLines, "no Python code line to lint");
    }

    /**
     * @param output pyflakes' output, {@code path:line:col: message} (2.x and 3.x) or {@code path:line: message}.
     * @return one finding per such line; other lines (a syntax error's source excerpt) are skipped.
     */
    static List<ToolReports.LintFinding> pyflakesFindings(final List<String> output)
    {
        final List<ToolReports.LintFinding> findings = new ArrayList<>();
        for (final String line : output)
        {
            final Matcher matcher = PYFLAKES_LINE.matcher(line.strip());
            if (matcher.matches())
            {
                final String message = matcher.group(3).strip();
                final boolean breaks = message.startsWith("undefined name") || message.contains("syntax") ||
                    message.contains("indent");
                findings.add(new ToolReports.LintFinding(matcher.group(1).replace('\\', '/'),
                    Long.parseLong(matcher.group(2)), "pyflakes", message, breaks ? 1 : 3));
            }
        }
        return findings;
    }

    /** @return lines of the files that are neither blank nor a {@code #} comment (docstrings count as code). */
    static long codeLines(final List<Path> files) throws IOException
    {
        long code = 0;
        for (final Path file : files)
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                final String text = line.strip();
                code += text.isEmpty() || text.startsWith("#") ? 0 : 1;
            }
        }
        return code;
    }

    /** @return every {@code .py} file of the tree outside virtual environments and build output, sorted. */
    static List<Path> pythonFiles(final Path tree) throws IOException
    {
        try (var paths = Files.walk(tree))
        {
            return paths.filter(path -> path.toString().endsWith(".py") && Files.isRegularFile(path))
                .filter(path ->
                {
                    for (final Path part : tree.relativize(path))
                    {
                        if (SKIPPED.contains(part.toString()))
                        {
                            return false;
                        }
                    }
                    return true;
                })
                .sorted().toList();
        }
    }
}
