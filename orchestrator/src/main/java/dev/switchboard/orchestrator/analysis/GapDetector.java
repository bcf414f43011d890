/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SequencedSet;
import java.util.Set;
import java.util.regex.Pattern;

import dev.switchboard.orchestrator.analysis.Gap.Area;
import dev.switchboard.orchestrator.analysis.Gap.Severity;

/**
 * Compares a {@link RepositoryAnalysis} with the quality gate thresholds and lists the gaps, and names the agents
 * that would close them. Stateless and thread-safe; each call allocates its result.
 * <p>
 * What counts as a gap, in the order they are reported:
 * <ul>
 *   <li>{@link Area#TESTS}: code but no test files (HIGH).</li>
 *   <li>{@link Area#COVERAGE}: no coverage report (MEDIUM), or line coverage below the minimum (HIGH when under
 *       half of it, else MEDIUM).</li>
 *   <li>{@link Area#DOCUMENTATION}: public Java API Javadoc below the minimum (LOW from 80 %, else MEDIUM).</li>
 *   <li>{@link Area#COMPLEXITY}: a method at or above the complexity limit (HIGH from twice the limit, else
 *       MEDIUM).</li>
 *   <li>{@link Area#DUPLICATION}: duplicated lines at or above the limit (HIGH from three times it, else
 *       MEDIUM).</li>
 *   <li>{@link Area#SECURITY}: an npm, Python, Go or Cargo project with no lock file (MEDIUM); dependencies whose
 *       version is a range, a wildcard or missing, outside Maven, where a missing version means managed (LOW).
 *       Maven ranges ({@code [1.0,2.0)}) and {@code LATEST}/{@code RELEASE} count as unpinned too.</li>
 * </ul>
 */
public final class GapDetector
{
    /** Versions that float: npm/Cargo ranges, wildcards, tags, pip specifiers other than {@code ==}. */
    private static final Pattern UNPINNED = Pattern.compile(
        "^$|.*[\\^~*<>|].*|.*\\bx\\b.*|latest|next|LATEST|RELEASE|[\\[(].*|>=.*|~=.*|!=.*");

    private static final Map<ProjectType, Set<String>> LOCK_FILES_BY_ECOSYSTEM = Map.of(
        ProjectType.NPM, Set.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"),
        ProjectType.PYTHON, Set.of("poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock"),
        ProjectType.GO, Set.of("go.sum"),
        ProjectType.CARGO, Set.of("Cargo.lock"));

    /**
     * The gate thresholds gaps are measured against.
     *
     * @param minCoveragePercent    line coverage must be at least this (default 80).
     * @param maxComplexity         every method's complexity must be below this (default 10).
     * @param maxDuplicationPercent duplicated lines must be below this percentage (default 5).
     * @param minApiDocsPercent     documented public API must be at least this percentage (default 100).
     */
    public record Thresholds(double minCoveragePercent, int maxComplexity, double maxDuplicationPercent,
        double minApiDocsPercent)
    {
        /** The project's gate: coverage at least 80 %, complexity below 10, duplication below 5 %, API docs 100 %. */
        public static final Thresholds DEFAULTS = new Thresholds(80.0, 10, 5.0, 100.0);
    }

    private GapDetector()
    {
    }

    /**
     * The gaps against {@link Thresholds#DEFAULTS}.
     *
     * @param analysis what was measured.
     * @return the gaps, in the order of the class comment; empty when the repository meets every gate.
     */
    public static List<Gap> detect(final RepositoryAnalysis analysis)
    {
        return detect(analysis, Thresholds.DEFAULTS);
    }

    /**
     * The gaps against given thresholds.
     *
     * @param analysis   what was measured.
     * @param thresholds the gate.
     * @return the gaps, in the order of the class comment; empty when the repository meets every gate.
     */
    public static List<Gap> detect(final RepositoryAnalysis analysis, final Thresholds thresholds)
    {
        final List<Gap> gaps = new ArrayList<>();
        final RepositoryAnalysis.Structure structure = analysis.structure();
        if (structure.sourceFiles() > 0 && analysis.tests().files() == 0)
        {
            gaps.add(new Gap(Area.TESTS, Severity.HIGH, "no test files found for " + structure.sourceFiles() +
                " source files", OptionalDouble.of(0), 1));
        }
        coverage(analysis, thresholds, gaps);
        final RepositoryAnalysis.ApiDocs docs = analysis.apiDocs();
        if (docs.total() > 0 && docs.percent() < thresholds.minApiDocsPercent())
        {
            gaps.add(new Gap(Area.DOCUMENTATION, docs.percent() >= 80 ? Severity.LOW : Severity.MEDIUM,
                String.format("%d of %d public Java types, methods and constructors have no Javadoc (%.1f %% " +
                    "documented, gate %.0f %%)", docs.total() - docs.documented(), docs.total(), docs.percent(),
                    thresholds.minApiDocsPercent()), OptionalDouble.of(docs.percent()), thresholds.minApiDocsPercent()));
        }
        final RepositoryAnalysis.Complexity complexity = analysis.complexity();
        if (complexity.methods() > 0 && complexity.max() >= thresholds.maxComplexity())
        {
            final long over = complexity.complex().stream()
                .filter(m -> m.complexity() >= thresholds.maxComplexity()).count();
            gaps.add(new Gap(Area.COMPLEXITY, complexity.max() >= 2 * thresholds.maxComplexity() ? Severity.HIGH :
                Severity.MEDIUM, "highest cyclomatic complexity " + complexity.max() + " (gate: below " +
                thresholds.maxComplexity() + "); " + over + " listed method(s) at or above it" +
                complexity.complex().stream().findFirst().map(m -> ", worst " + m.method().signature()).orElse(""),
                OptionalDouble.of(complexity.max()), thresholds.maxComplexity()));
        }
        final RepositoryAnalysis.Duplication duplication = analysis.duplication();
        if (duplication.totalLines() > 0 && duplication.percent() >= thresholds.maxDuplicationPercent())
        {
            gaps.add(new Gap(Area.DUPLICATION, duplication.percent() >= 3 * thresholds.maxDuplicationPercent() ?
                Severity.HIGH : Severity.MEDIUM, String.format("%.1f %% of code lines (%d of %d) are in repeated " +
                "%d-line blocks (gate: below %.0f %%)", duplication.percent(), duplication.duplicatedLines(),
                duplication.totalLines(), duplication.windowLines(), thresholds.maxDuplicationPercent()),
                OptionalDouble.of(duplication.percent()), thresholds.maxDuplicationPercent()));
        }
        security(analysis, gaps);
        return List.copyOf(gaps);
    }

    /**
     * The capabilities of the agents that would close the gaps, each once, in the order of the first gap that
     * needs it. See {@link Gap.Area#agent()} for the mapping.
     *
     * @param gaps gaps from {@link #detect(RepositoryAnalysis)}.
     * @return {@link AgentCapabilities} names; empty when there are no gaps.
     */
    public static SequencedSet<String> recommendedAgents(final Collection<Gap> gaps)
    {
        final SequencedSet<String> agents = new LinkedHashSet<>();
        for (final Gap gap : gaps)
        {
            agents.add(gap.area().agent());
        }
        return Collections.unmodifiableSequencedSet(agents);
    }

    private static void coverage(final RepositoryAnalysis analysis, final Thresholds thresholds,
        final List<Gap> gaps)
    {
        if (analysis.structure().sourceFiles() == 0)
        {
            return;
        }
        if (analysis.coverage().isEmpty())
        {
            gaps.add(new Gap(Area.COVERAGE, Severity.MEDIUM, "no coverage report found (jacoco.xml, coverage.xml " +
                "or lcov.info); line coverage must be at least " + thresholds.minCoveragePercent() + " %",
                OptionalDouble.empty(), thresholds.minCoveragePercent()));
            return;
        }
        final double percent = analysis.coverage().get().percent();
        if (percent < thresholds.minCoveragePercent())
        {
            gaps.add(new Gap(Area.COVERAGE, percent < thresholds.minCoveragePercent() / 2 ? Severity.HIGH :
                Severity.MEDIUM, String.format("line coverage %.1f %% is below the gate of %.0f %%", percent,
                thresholds.minCoveragePercent()), OptionalDouble.of(percent), thresholds.minCoveragePercent()));
        }
    }

    private static void security(final RepositoryAnalysis analysis, final List<Gap> gaps)
    {
        final List<String> missingLocks = new ArrayList<>();
        for (final Map.Entry<ProjectType, Set<String>> entry : LOCK_FILES_BY_ECOSYSTEM.entrySet())
        {
            if (analysis.projectTypes().contains(entry.getKey()) &&
                entry.getValue().stream().noneMatch(analysis.structure().lockFiles()::contains))
            {
                missingLocks.add(entry.getKey().name());
            }
        }
        if (!missingLocks.isEmpty())
        {
            missingLocks.sort(null);
            gaps.add(new Gap(Area.SECURITY, Severity.MEDIUM, "no dependency lock file for " +
                String.join(", ", missingLocks) + ": resolved versions are not pinned",
                OptionalDouble.of(missingLocks.size()), 0));
        }
        final List<RepositoryAnalysis.Dependency> unpinned = analysis.dependencies().stream()
            .filter(GapDetector::isUnpinned).toList();
        if (!unpinned.isEmpty())
        {
            gaps.add(new Gap(Area.SECURITY, Severity.LOW, unpinned.size() + " dependencies have unpinned versions, " +
                "first " + unpinned.getFirst().name() + " '" + unpinned.getFirst().version() + "' in " +
                unpinned.getFirst().declaredIn(), OptionalDouble.of(unpinned.size()), 0));
        }
    }

    private static boolean isUnpinned(final RepositoryAnalysis.Dependency dependency)
    {
        if (dependency.ecosystem() == ProjectType.MAVEN && dependency.version().isEmpty())
        {
            return false; // managed by a parent or a BOM
        }
        return UNPINNED.matcher(dependency.version().strip()).matches();
    }
}
