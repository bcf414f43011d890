/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link RepositoryAnalyzer} found in one repository. Immutable (every collection is an unmodifiable copy),
 * so it may be shared between threads freely.
 *
 * @param root          the directory analysed, absolute and normalised.
 * @param projectTypes  every project type whose manifest was found; {@code [UNKNOWN]} when none was.
 * @param structure     file counts and layout.
 * @param dependencies  declared dependencies, in the order their manifests were read.
 * @param tests         the test files found.
 * @param coverage      line coverage from the reports found, or empty when there was none.
 * @param apiDocs       Javadoc coverage of the public Java API in non-test sources.
 * @param complexity    cyclomatic complexity of the Java methods in non-test sources.
 * @param duplication   repeated line windows across all code files.
 * @param limits        what the walk skipped or stopped at, and the files that could not be parsed.
 */
public record RepositoryAnalysis(
    Path root,
    Set<ProjectType> projectTypes,
    Structure structure,
    List<Dependency> dependencies,
    Tests tests,
    Optional<Coverage> coverage,
    ApiDocs apiDocs,
    Complexity complexity,
    Duplication duplication,
    WalkLimits limits)
{
    /** Metric name: line coverage in percent, from the coverage reports. */
    public static final String TEST_COVERAGE_PERCENT = "TEST_COVERAGE_PERCENT";
    /** Metric name: the highest cyclomatic complexity of any Java method. */
    public static final String CYCLOMATIC_COMPLEXITY_MAX = "CYCLOMATIC_COMPLEXITY_MAX";
    /** Metric name: percentage of code lines that lie in a repeated window. */
    public static final String DUPLICATION_PERCENT = "DUPLICATION_PERCENT";
    /** Metric name: percentage of public Java types, methods and constructors that have Javadoc. */
    public static final String API_DOCS_PERCENT = "API_DOCS_PERCENT";

    /** Makes the collections unmodifiable copies. */
    public RepositoryAnalysis
    {
        projectTypes = Set.copyOf(projectTypes);
        dependencies = List.copyOf(dependencies);
    }

    /**
     * The measured values under the names the gate evaluator reads. A metric that could not be measured (no
     * coverage report, no Java methods, no public API, no code lines) is absent rather than zero, so a gate can tell
     * "not measured" from "measured as nothing". Allocates a new map on each call.
     *
     * @return an unmodifiable map from metric name to value, in the order of the constants above.
     */
    public Map<String, Double> metrics()
    {
        final Map<String, Double> metrics = new LinkedHashMap<>();
        coverage.ifPresent(c -> metrics.put(TEST_COVERAGE_PERCENT, c.percent()));
        if (complexity.methods() > 0)
        {
            metrics.put(CYCLOMATIC_COMPLEXITY_MAX, (double)complexity.max());
        }
        if (duplication.totalLines() > 0)
        {
            metrics.put(DUPLICATION_PERCENT, duplication.percent());
        }
        if (apiDocs.total() > 0)
        {
            metrics.put(API_DOCS_PERCENT, apiDocs.percent());
        }
        return Collections.unmodifiableMap(metrics);
    }

    /**
     * The repository's files, as counted by the walk.
     *
     * @param totalFiles      regular files seen (after skipped directories, before the size limit).
     * @param byExtension     file count per lower-case extension ({@code ""} for none), sorted.
     * @param byLanguage      code file count per language name, sorted.
     * @param sourceFiles     code files that are not tests.
     * @param testFiles       code files that are tests (see {@link Tests}).
     * @param topLevelDirectories directories directly under the root, sorted, skipped ones left out.
     * @param modules         modules the root build declares (Maven {@code <module>}), in declared order.
     * @param lockFiles       names of dependency lock files found ({@code package-lock.json}, {@code go.sum},
     *                        {@code Cargo.lock}, ...), sorted, each once.
     */
    public record Structure(int totalFiles, SortedMap<String, Integer> byExtension,
        SortedMap<String, Integer> byLanguage, int sourceFiles, int testFiles, List<String> topLevelDirectories,
        List<String> modules, List<String> lockFiles)
    {
        /** Makes the collections unmodifiable copies. */
        public Structure
        {
            byExtension = Collections.unmodifiableSortedMap(new TreeMap<>(byExtension));
            byLanguage = Collections.unmodifiableSortedMap(new TreeMap<>(byLanguage));
            topLevelDirectories = List.copyOf(topLevelDirectories);
            modules = List.copyOf(modules);
            lockFiles = List.copyOf(lockFiles);
        }
    }

    /**
     * One declared dependency.
     *
     * @param ecosystem  the manifest's project type.
     * @param name       {@code groupId:artifactId} for Maven, the package or module name elsewhere.
     * @param version    the version or constraint as written ({@code ${prop}} unresolved); {@code ""} when none
     *                   is declared (Maven: managed by a parent).
     * @param scope      Maven scope ({@code compile} when absent), npm section ({@code dependencies},
     *                   {@code devDependencies}, ...), or {@code ""}.
     * @param declaredIn the manifest, relative to the root, with {@code /} separators.
     */
    public record Dependency(ProjectType ecosystem, String name, String version, String scope, String declaredIn)
    {
    }

    /**
     * The test files found, classified by the first naming convention each matches.
     *
     * @param files        test files in all.
     * @param byConvention count per convention, keys as in {@link SourceFiles#testConvention(String)}.
     */
    public record Tests(int files, SortedMap<String, Integer> byConvention)
    {
        /** Makes the map an unmodifiable copy. */
        public Tests
        {
            byConvention = Collections.unmodifiableSortedMap(new TreeMap<>(byConvention));
        }
    }

    /**
     * Line coverage combined from every report found.
     *
     * @param percent      covered lines over all lines, 0 to 100; when a report gives only a rate (Cobertura without
     *                     line counts) the reports' percentages are averaged instead.
     * @param reports      each report read.
     * @param leastCovered the least-covered source files of every report that lists files (JaCoCo), worst first
     *                     (see {@link JacocoReport#leastCovered}), at most {@link JacocoReport#LEAST_COVERED_LISTED};
     *                     empty when no report lists files.
     */
    public record Coverage(double percent, List<CoverageReport> reports, List<FileCoverage> leastCovered)
    {
        /** Makes the lists unmodifiable copies. */
        public Coverage
        {
            reports = List.copyOf(reports);
            leastCovered = List.copyOf(leastCovered);
        }

        /**
         * Coverage without a file listing.
         *
         * @param percent the combined line coverage.
         * @param reports each report read.
         */
        public Coverage(final double percent, final List<CoverageReport> reports)
        {
            this(percent, reports, List.of());
        }
    }

    /**
     * One coverage report.
     *
     * @param format  {@code jacoco}, {@code cobertura} or {@code lcov}.
     * @param path    relative to the root, with {@code /} separators.
     * @param percent this report's line coverage, 0 to 100.
     * @param coveredLines covered lines, or -1 when the report gives only a rate.
     * @param totalLines   instrumented lines, or -1 when the report gives only a rate.
     * @param files        the report's least-covered source files, worst first, paths relative to the root (see
     *                     {@link JacocoReport#sourcePath}); empty for formats read without files.
     */
    public record CoverageReport(String format, String path, double percent, long coveredLines, long totalLines,
        List<FileCoverage> files)
    {
        /** Makes the list an unmodifiable copy. */
        public CoverageReport
        {
            files = List.copyOf(files);
        }

        /**
         * A report without a file listing.
         *
         * @param format       the format.
         * @param path         relative to the root.
         * @param percent      line coverage.
         * @param coveredLines covered lines, or -1.
         * @param totalLines   instrumented lines, or -1.
         */
        public CoverageReport(final String format, final String path, final double percent, final long coveredLines,
            final long totalLines)
        {
            this(format, path, percent, coveredLines, totalLines, List.of());
        }
    }

    /**
     * Line coverage of one source file.
     *
     * @param file         the file: relative to the root with {@code /} separators where it could be placed,
     *                     otherwise as the report names it.
     * @param coveredLines lines with at least one covered instruction (or statement).
     * @param totalLines   lines with code.
     * @param missedLines  the lines not run, as ascending ranges ({@code 12}, {@code 28-40}); empty when the report
     *                     does not say.
     */
    public record FileCoverage(String file, long coveredLines, long totalLines, List<String> missedLines)
    {
        /** Makes the list an unmodifiable copy. */
        public FileCoverage
        {
            missedLines = List.copyOf(missedLines);
        }

        /**
         * The missed lines of a file as ranges: a run of missed lines is one range, ended by a covered line (lines
         * without code, absent from the map, do not end it).
         *
         * @param missedByLine for each line with code, in ascending order, whether it was missed.
         * @return {@code 12}, {@code 28-40}, ... in ascending order.
         */
        public static List<String> ranges(final SortedMap<Long, Boolean> missedByLine)
        {
            final List<String> ranges = new java.util.ArrayList<>();
            long first = -1;
            long last = -1;
            for (final Map.Entry<Long, Boolean> line : missedByLine.entrySet())
            {
                if (line.getValue())
                {
                    first = first < 0 ? line.getKey() : first;
                    last = line.getKey();
                }
                else if (first >= 0)
                {
                    ranges.add(first == last ? Long.toString(first) : first + "-" + last);
                    first = -1;
                }
            }
            if (first >= 0)
            {
                ranges.add(first == last ? Long.toString(first) : first + "-" + last);
            }
            return ranges;
        }

        /** @return covered over total lines, in percent; 100 for a file without lines. */
        public double percent()
        {
            return totalLines == 0 ? 100.0 : 100.0 * coveredLines / totalLines;
        }

        /**
         * @param path the file's path in the tree.
         * @return this coverage under that path.
         */
        public FileCoverage at(final String path)
        {
            return new FileCoverage(path, coveredLines, totalLines, missedLines);
        }

        /**
         * @return {@code src/main/java/demo/Tokens.java: 0 of 5 lines covered (lines 12, 18, 28-29 missed)}; at
         *         most ten ranges are named.
         */
        public String describe()
        {
            final String ranges = missedLines.isEmpty() ? "" : " (line" + (missedLines.size() == 1 &&
                !missedLines.getFirst().contains("-") ? " " : "s ") + String.join(", ",
                missedLines.subList(0, Math.min(10, missedLines.size()))) +
                (missedLines.size() > 10 ? ", ..." : "") + " missed)";
            return file + ": " + coveredLines + " of " + totalLines + " lines covered" + ranges;
        }
    }

    /**
     * Javadoc coverage of the public Java API: public top-level and nested types (every enclosing type public too),
     * and the public methods and constructors in them (members of interfaces count as public unless private).
     *
     * @param documented   members with a Javadoc comment.
     * @param total        members counted.
     * @param undocumented the first undocumented members found, at most the limit's length.
     */
    public record ApiDocs(int documented, int total, List<ApiMember> undocumented)
    {
        /** Makes the list an unmodifiable copy. */
        public ApiDocs
        {
            undocumented = List.copyOf(undocumented);
        }

        /**
         * Documented over total, in percent; 100 when there is no public API.
         *
         * @return 0 to 100.
         */
        public double percent()
        {
            return total == 0 ? 100.0 : 100.0 * documented / total;
        }
    }

    /**
     * A Java declaration and where it is.
     *
     * @param signature {@code pkg.Type} for a type, {@code pkg.Type#method(ParamType, ...)} for a method or
     *                  constructor (constructors use the type's simple name), parameter types as written.
     * @param file      relative to the root, with {@code /} separators.
     * @param line      1-based line of the declaration's start.
     */
    public record ApiMember(String signature, String file, int line)
    {
    }

    /**
     * Cyclomatic complexity of Java methods and constructors in non-test sources.
     *
     * @param methods   methods and constructors measured.
     * @param max       the highest complexity, 0 when none was measured.
     * @param mean      the mean complexity, 0 when none was measured.
     * @param complex   every method at or above the listing threshold, highest first.
     */
    public record Complexity(int methods, int max, double mean, List<MethodComplexity> complex)
    {
        /** Makes the list an unmodifiable copy. */
        public Complexity
        {
            complex = List.copyOf(complex);
        }
    }

    /**
     * One method's complexity.
     *
     * @param method     the method, as in {@link ApiMember}.
     * @param complexity 1 plus its decision points.
     */
    public record MethodComplexity(ApiMember method, int complexity)
    {
    }

    /**
     * Duplicated code lines, by the method described in {@link DuplicationScanner}.
     *
     * @param windowLines     the window length in normalised lines.
     * @param totalLines      normalised (non-blank) code lines in all code files.
     * @param duplicatedLines of those, lines that lie in at least one window that occurs twice or more.
     */
    public record Duplication(int windowLines, long totalLines, long duplicatedLines)
    {
        /**
         * Duplicated over total lines, in percent; 0 when there are no lines.
         *
         * @return 0 to 100.
         */
        public double percent()
        {
            return totalLines == 0 ? 0.0 : 100.0 * duplicatedLines / totalLines;
        }
    }

    /**
     * What the walk left out, and what failed to parse.
     *
     * @param truncated        true when the file limit stopped the walk; every count then covers only the files
     *                         seen before it.
     * @param maxFiles         the file limit.
     * @param skippedLargeFiles files not read because they exceed the size limit.
     * @param skippedSymlinks  symbolic links seen and not followed.
     * @param parseErrors      files that could not be parsed (Java, XML, JSON, coverage reports).
     * @param problems         the first few parse errors, as {@code path: message}.
     */
    public record WalkLimits(boolean truncated, int maxFiles, int skippedLargeFiles, int skippedSymlinks,
        int parseErrors, List<String> problems)
    {
        /** Makes the list an unmodifiable copy. */
        public WalkLimits
        {
            problems = List.copyOf(problems);
        }
    }
}
