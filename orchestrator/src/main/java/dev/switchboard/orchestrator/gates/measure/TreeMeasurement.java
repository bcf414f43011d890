/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * Measures a tree with real tools, in processes of their own, and never takes a number from the tree itself: a
 * coverage report shipped in the repository is ignored, JaCoCo runs the tests instead.
 * <ul>
 *   <li>Python projects without a {@code pom.xml} ({@link PythonMeasurement}): pytest under coverage.py, and
 *       pyflakes, when installed ({@link PythonTools}); a tree with a {@code pom.xml} is measured as a Maven project
 *       even when it holds Python code too.</li>
 *   <li>Maven projects: one Maven run ({@link #MAVEN_GOALS the goals below}, by full coordinates so the project's
 *       pom needs no change) runs the tests under the JaCoCo agent, then PMD, SpotBugs with FindSecBugs and, when
 *       an advisory database is configured, {@code dependency:list}; the reports it writes are read by
 *       {@link ToolReports}. A tool whose report is missing is not measured, with Maven's error as the reason.</li>
 *   <li>Complexity, duplication and API docs: the repository analysis ({@link RepositoryAnalyzer}).</li>
 *   <li>Secrets, README completeness and comment ratio: plain Java ({@link SecretsScan},
 *       {@link ReadmeCompleteness}, {@link SourceLines}).</li>
 *   <li>Dependency audit: the resolved dependencies against {@link AdvisoryDatabase}; without a database, not
 *       measured.</li>
 *   <li>Performance: {@link CommandPerformance}.</li>
 * </ul>
 * Only the tools the wanted metrics need run. Not thread-safe per tree: two measurements of one tree at once would
 * overwrite each other's {@code target/}.
 */
public final class TreeMeasurement
{
    /** JaCoCo's Maven plugin: the agent for the tests and the XML report. */
    public static final String JACOCO = "org.jacoco:jacoco-maven-plugin:0.8.15";
    /** PMD's Maven plugin with its default rule set, for the lint score. */
    public static final String PMD = "org.apache.maven.plugins:maven-pmd-plugin:3.28.0";
    /** SpotBugs' Maven plugin (4.10.3.0: the last that runs on Maven 3.8.7, Debian 12's). */
    public static final String SPOTBUGS = "com.github.spotbugs:spotbugs-maven-plugin:4.10.3.0";
    /** FindSecBugs, the security detectors SpotBugs loads as a plugin. */
    public static final String FINDSECBUGS = "com.h3xstream.findsecbugs:findsecbugs-plugin:1.14.0";
    /** The dependency plugin: fetches FindSecBugs and lists resolved dependencies. */
    public static final String DEPENDENCY = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
    /** A summary of the goals, for documentation. */
    public static final String MAVEN_GOALS = "jacoco:prepare-agent test jacoco:report pmd:pmd spotbugs:spotbugs " +
        "dependency:list";

    private static final Set<Metric> TEST_METRICS = EnumSet.of(Metric.TEST_COVERAGE_PERCENT, Metric.TEST_FAILURES);
    private static final Set<Metric> SECURITY_METRICS =
        EnumSet.of(Metric.CRITICAL_VULNERABILITIES, Metric.HIGH_VULNERABILITIES);
    private static final Set<String> SKIPPED = Set.of(".git", "node_modules", ".venv", "venv", ".idea");

    private TreeMeasurement()
    {
    }

    /**
     * Measures {@code wanted} on {@code root}.
     *
     * @param root    the tree.
     * @param wanted  the metrics the gates need; others are not measured.
     * @param options how to run the tools.
     * @return one measurement per wanted metric: a value with its evidence or why there is none.
     * @throws IOException          when the tree cannot be read.
     * @throws InterruptedException when interrupted while a tool runs (the tool is stopped).
     */
    public static Measurements measure(final Path root, final Collection<Metric> wanted,
        final MeasurementOptions options) throws IOException, InterruptedException
    {
        final Path tree = root.toAbsolutePath().normalize();
        final Set<Metric> want = wanted.isEmpty() ? EnumSet.noneOf(Metric.class) : EnumSet.copyOf(wanted);
        final List<Measurement> found = new ArrayList<>();
        final Path work = Files.createTempDirectory("switchboard-measure");
        try
        {
            measureMaven(tree, want, options, work, found);
            analysis(tree, want, found);
            if (want.contains(Metric.SECRETS_FOUND))
            {
                found.add(SecretsScan.measure(tree));
            }
            if (want.contains(Metric.README_COMPLETE_PERCENT))
            {
                found.add(ReadmeCompleteness.measure(tree));
            }
            if (want.contains(Metric.COMMENT_PERCENT))
            {
                final Measurement comments = SourceLines.commentRatio(tree, mainJavaSources(tree));
                found.add(comments.measured() || !PythonMeasurement.isPythonProject(tree) ? comments :
                    Measurement.notMeasured(Metric.COMMENT_PERCENT, comments.note() + " (a Python project: the " +
                        "comment ratio is measured on Java sources only)"));
            }
            if (want.contains(Metric.P95_RESPONSE_MS) || want.contains(Metric.MEMORY_MB))
            {
                found.addAll(CommandPerformance.measure(tree, options, work));
            }
        }
        finally
        {
            deleteQuietly(work);
        }
        found.removeIf(measurement -> !want.contains(measurement.metric()));
        return Measurements.of(found);
    }

    private static void measureMaven(final Path tree, final Set<Metric> want, final MeasurementOptions options,
        final Path work, final List<Measurement> found) throws IOException, InterruptedException
    {
        final boolean tests = want.stream().anyMatch(TEST_METRICS::contains);
        final boolean lint = want.contains(Metric.LINT_SCORE);
        final boolean security = want.stream().anyMatch(SECURITY_METRICS::contains);
        final boolean audit = want.contains(Metric.VULNERABLE_DEPENDENCIES);
        if (audit && options.advisories().isEmpty())
        {
            found.add(Measurement.notMeasured(Metric.VULNERABLE_DEPENDENCIES,
                "no advisory database is configured (validate --advisories FILE)"));
        }
        final boolean listDependencies = audit && options.advisories().isPresent();
        if (!tests && !lint && !security && !listDependencies)
        {
            return;
        }
        final List<Metric> mavenMetrics = new ArrayList<>();
        want.stream().filter(m -> TEST_METRICS.contains(m) || SECURITY_METRICS.contains(m) ||
            m == Metric.LINT_SCORE || (m == Metric.VULNERABLE_DEPENDENCIES && listDependencies))
            .forEach(mavenMetrics::add);
        if (!Files.isRegularFile(tree.resolve("pom.xml")))
        {
            final boolean python = PythonMeasurement.isPythonProject(tree);
            if (python)
            {
                PythonMeasurement.measure(tree, tests, lint, options, work, found);
            }
            for (final Metric metric : mavenMetrics)
            {
                if (!python)
                {
                    found.add(Measurement.notMeasured(metric, "no pom.xml at the root: only Maven and Python " +
                        "projects are measured with tools so far"));
                }
                else if (SECURITY_METRICS.contains(metric))
                {
                    found.add(Measurement.notMeasured(metric, "a Python project: SpotBugs and FindSecBugs analyse " +
                        "Java byte code, and no Python security scanner is run"));
                }
                else if (metric == Metric.VULNERABLE_DEPENDENCIES)
                {
                    found.add(Measurement.notMeasured(metric, "a Python project: the dependency audit reads the " +
                        "dependencies Maven resolves only"));
                }
            }
            return;
        }
        final Path dependencies = work.resolve("dependencies.txt");
        final List<String> command = new ArrayList<>(options.maven());
        // jacoco.append=false: JaCoCo's agent otherwise adds to a target/jacoco.exec left by an earlier measurement
        // of the same tree, and lines only the earlier tests ran would count as covered
        command.addAll(List.of("-B", "-Dmaven.test.failure.ignore=true", "-Djacoco.append=false",
            "-Dspotbugs.threshold=Low",
            "-Dspotbugs.effort=Max", "-Dspotbugs.pluginList=" + work.resolve("findsecbugs-plugin.jar")));
        command.addAll(options.mavenArguments());
        if (security)
        {
            command.addAll(List.of(DEPENDENCY + ":copy", "-Dartifact=" + FINDSECBUGS, "-Dmdep.stripVersion=true",
                "-DoutputDirectory=" + work, "-Dmdep.overWriteReleases=true"));
        }
        if (tests)
        {
            command.addAll(List.of(JACOCO + ":prepare-agent", "test", JACOCO + ":report"));
        }
        else if (security)
        {
            command.add("compile");
        }
        if (security)
        {
            command.add(SPOTBUGS + ":spotbugs");
        }
        if (lint)
        {
            command.add(PMD + ":pmd");
        }
        if (listDependencies)
        {
            command.addAll(List.of(DEPENDENCY + ":list", "-DoutputFile=" + dependencies, "-DappendOutput=true",
                "-DoutputAbsoluteArtifactFilename=false"));
        }
        final long startMillis = System.currentTimeMillis() - 1000;
        final ProcessRun run = ProcessRun.run(command, tree, work.resolve("maven.log"), options.mavenLimit());
        final String failed = run.reason("mvn");
        final Reports reports = Reports.find(tree, startMillis);
        if (tests)
        {
            found.add(reports.jacoco.isEmpty() ?
                Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT, missing("JaCoCo", failed,
                    "no test ran under the JaCoCo agent (no test, or a surefire argLine without @{argLine})")) :
                ToolReports.coverage(tree, reports.jacoco));
            found.add(reports.surefire.isEmpty() ?
                Measurement.notMeasured(Metric.TEST_FAILURES, missing("Surefire", failed, "no test ran")) :
                ToolReports.testFailures(reports.surefire, "Surefire"));
        }
        if (security)
        {
            if (reports.spotbugs.isEmpty())
            {
                final String why = missing("SpotBugs", failed, "SpotBugs found no class to analyse");
                found.add(Measurement.notMeasured(Metric.CRITICAL_VULNERABILITIES, why));
                found.add(Measurement.notMeasured(Metric.HIGH_VULNERABILITIES, why));
            }
            else
            {
                found.addAll(ToolReports.vulnerabilities(tree, reports.spotbugs));
            }
        }
        if (lint)
        {
            found.add(reports.pmd.isEmpty() ?
                Measurement.notMeasured(Metric.LINT_SCORE, missing("PMD", failed, "PMD wrote no report")) :
                ToolReports.lintScore("PMD", ToolReports.pmdFindings(tree, reports.pmd),
                    SourceLines.count(mainJavaSources(tree)).codeLines(), "no Java code line in src/main/java to lint"));
        }
        if (listDependencies)
        {
            found.add(run.succeeded() && Files.isRegularFile(dependencies) ?
                DependencyAudit.audit(Files.readAllLines(dependencies, StandardCharsets.UTF_8),
                    AdvisoryDatabase.read(options.advisories().get()), options.advisories().get()) :
                Measurement.notMeasured(Metric.VULNERABLE_DEPENDENCIES,
                    missing("dependency:list", failed, "Maven listed no dependency")));
        }
    }

    private static String missing(final String tool, final String mavenFailure, final String otherwise)
    {
        return mavenFailure.isEmpty() ? tool + " wrote no report: " + otherwise :
            "no " + tool + " report: " + mavenFailure;
    }

    private static void analysis(final Path tree, final Set<Metric> want, final List<Measurement> found)
        throws IOException
    {
        final Set<Metric> fromAnalysis = EnumSet.of(Metric.CYCLOMATIC_COMPLEXITY_MAX, Metric.DUPLICATION_PERCENT,
            Metric.API_DOCS_PERCENT);
        fromAnalysis.retainAll(want);
        if (fromAnalysis.isEmpty())
        {
            return;
        }
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(tree);
        final String javaOnly = PythonMeasurement.isPythonProject(tree) ? " (a Python project: complexity and API " +
            "docs are measured on Java sources only, with JavaParser)" : "";
        for (final Metric metric : fromAnalysis)
        {
            final Double value = analysis.metrics().get(metric.name());
            found.add(value != null ? Measurement.of(metric, value, evidence(metric, analysis))
                .withDetails(ToolReports.limited(details(metric, analysis), Measurement.MAX_DETAILS)) :
                Measurement.notMeasured(metric, switch (metric)
                {
                    case CYCLOMATIC_COMPLEXITY_MAX -> "no Java method found to measure" + javaOnly;
                    case DUPLICATION_PERCENT -> "no code line found to compare";
                    default -> "no public Java API found" + javaOnly;
                }));
        }
    }

    private static String evidence(final Metric metric, final RepositoryAnalysis analysis)
    {
        return switch (metric)
        {
            case CYCLOMATIC_COMPLEXITY_MAX -> "analysis: " + analysis.complexity().methods() + " Java methods";
            case DUPLICATION_PERCENT -> "analysis: " + analysis.duplication().totalLines() + " code lines compared";
            default -> "analysis: " + analysis.apiDocs().total() + " public Java elements";
        };
    }

    /** @return the complex methods ({@code Type.method(..) at path:line (CC n)}) or the undocumented members. */
    private static List<String> details(final Metric metric, final RepositoryAnalysis analysis)
    {
        return switch (metric)
        {
            case CYCLOMATIC_COMPLEXITY_MAX -> analysis.complexity().complex().stream().map(m ->
                m.method().signature().replace('#', '.') + " at " + m.method().file() + ":" + m.method().line() +
                    " (CC " + m.complexity() + ")").toList();
            case API_DOCS_PERCENT -> analysis.apiDocs().undocumented().stream().map(m ->
                m.file() + ":" + m.line() + " " + m.signature().replace('#', '.')).toList();
            default -> List.of();
        };
    }

    /** @return every {@code .java} file under a {@code src/main/java} of the tree, sorted. */
    static List<Path> mainJavaSources(final Path tree) throws IOException
    {
        final String marker = String.join(tree.getFileSystem().getSeparator(), "src", "main", "java");
        return walk(tree, file -> file.toString().endsWith(".java") && tree.relativize(file).toString()
            .contains(marker));
    }

    private static List<Path> walk(final Path tree, final Predicate<Path> keep) throws IOException
    {
        final TreeSet<Path> files = new TreeSet<>();
        Files.walkFileTree(tree, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
            {
                final String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return !dir.equals(tree) && (SKIPPED.contains(name) || name.equals("target")) ?
                    FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs)
            {
                if (keep.test(file))
                {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new ArrayList<>(files);
    }

    /** The tools' reports a run wrote (modified since it started), in every module's {@code target/}. */
    private record Reports(List<Path> jacoco, List<Path> surefire, List<Path> pmd, List<Path> spotbugs)
    {
        static Reports find(final Path tree, final long sinceMillis) throws IOException
        {
            final List<Path> jacoco = new ArrayList<>();
            final List<Path> surefire = new ArrayList<>();
            final List<Path> pmd = new ArrayList<>();
            final List<Path> spotbugs = new ArrayList<>();
            Files.walkFileTree(tree, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
                {
                    final String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    return !dir.equals(tree) && SKIPPED.contains(name) ? FileVisitResult.SKIP_SUBTREE :
                        FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs)
                {
                    if (attrs.lastModifiedTime().toMillis() < sinceMillis || !file.toString().contains("target"))
                    {
                        return FileVisitResult.CONTINUE;
                    }
                    final String name = file.getFileName().toString();
                    final String parent = file.getParent().getFileName().toString();
                    if (name.equals("jacoco.xml") && parent.equals("jacoco"))
                    {
                        jacoco.add(file);
                    }
                    else if (name.startsWith("TEST-") && name.endsWith(".xml") && parent.equals("surefire-reports"))
                    {
                        surefire.add(file);
                    }
                    else if (name.equals("pmd.xml") && parent.equals("target"))
                    {
                        pmd.add(file);
                    }
                    else if (name.equals("spotbugsXml.xml") && parent.equals("target"))
                    {
                        spotbugs.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            return new Reports(jacoco, surefire, pmd, spotbugs);
        }
    }

    private static void deleteQuietly(final Path dir)
    {
        try (var paths = Files.walk(dir))
        {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // a scratch directory left behind in the temporary directory is harmless
        }
    }
}
