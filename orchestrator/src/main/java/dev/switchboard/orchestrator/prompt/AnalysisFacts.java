/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.prompt;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.workflow.Placeholders;

/**
 * The repository analysis as the texts a task's {@code ${context.NAME}} placeholders stand for, one per
 * {@link Placeholders#CONTEXT_FACTS fact}: {@code uncovered} (test files and coverage, and the least-covered files
 * with their missed lines when a JaCoCo report lists them), {@code coverage} (line
 * coverage per report), {@code undocumented} (public members without Javadoc, {@code file:line}), {@code complex}
 * (methods at or above the complexity gate, {@code file:line}), {@code duplication}, {@code security} (the security
 * gaps) and {@code gaps} (every gap). A fact with nothing to say says so in words, so an agent never reads an empty
 * section as "not measured". Immutable.
 *
 * @param facts text by fact name.
 */
public record AnalysisFacts(Map<String, String> facts)
{
    /** When no analysis ran: every fact says so. */
    public static final AnalysisFacts NONE = new AnalysisFacts(Map.of());

    /** Complexity from which a method is listed, the gate's default limit. */
    private static final int COMPLEXITY_LISTED = 10;
    /** Members or methods listed at most, so a prompt stays readable on a large repository. */
    private static final int LISTED = 40;

    /** Copies, sorted by name. */
    public AnalysisFacts
    {
        facts = java.util.Collections.unmodifiableMap(new TreeMap<>(facts));
    }

    /**
     * @param analysis what the analyzer measured.
     * @param gaps     the gaps {@link dev.switchboard.orchestrator.analysis.GapDetector} found in it.
     * @return the facts.
     */
    public static AnalysisFacts of(final RepositoryAnalysis analysis, final List<Gap> gaps)
    {
        final Map<String, String> facts = new TreeMap<>();
        final RepositoryAnalysis.Structure structure = analysis.structure();
        final String coverage = analysis.coverage()
            .map(c -> String.format(Locale.ROOT, "Line coverage is %.1f %% over %d report(s): %s", c.percent(),
                c.reports().size(), String.join(", ", c.reports().stream().map(r -> String.format(Locale.ROOT,
                    "%s %.1f %% (%s)", r.path(), r.percent(), r.format())).toList())))
            .orElse("No coverage report was found (jacoco.xml, coverage.xml or lcov.info): coverage is not measured.");
        facts.put("coverage", coverage);
        final List<RepositoryAnalysis.FileCoverage> leastCovered = analysis.coverage()
            .map(RepositoryAnalysis.Coverage::leastCovered).orElse(List.of());
        final String tests = structure.sourceFiles() > 0 && analysis.tests().files() == 0 ?
            "There are no test files for the " + structure.sourceFiles() + " source files." :
            analysis.tests().files() + " test files for " + structure.sourceFiles() + " source files. " + coverage;
        facts.put("uncovered", leastCovered.isEmpty() ? tests : tests + "\nThe least-covered files, worst first " +
            "(covered of total lines, lines never run):\n" +
            list(leastCovered.stream().map(RepositoryAnalysis.FileCoverage::describe).toList()));
        final RepositoryAnalysis.ApiDocs docs = analysis.apiDocs();
        facts.put("undocumented", docs.undocumented().isEmpty() ? "Every public type and member has Javadoc (" +
            docs.total() + " counted)." : (docs.total() - docs.documented()) + " of " + docs.total() +
            " public types and members have no Javadoc" + (docs.undocumented().size() < docs.total() -
            docs.documented() ? "; the first " + docs.undocumented().size() : "") + ":\n" +
            list(docs.undocumented().stream().map(m -> m.signature() + " (" + m.file() + ":" + m.line() + ")").toList()));
        final List<RepositoryAnalysis.MethodComplexity> complex = analysis.complexity().complex().stream()
            .filter(m -> m.complexity() >= COMPLEXITY_LISTED).toList();
        facts.put("complex", complex.isEmpty() ? "No method reaches a cyclomatic complexity of " + COMPLEXITY_LISTED +
            " (highest " + analysis.complexity().max() + ")." : complex.size() + " method(s) with a cyclomatic " +
            "complexity of " + COMPLEXITY_LISTED + " or more, highest first:\n" + list(complex.stream().map(m ->
            m.method().signature() + " complexity " + m.complexity() + " (" + m.method().file() + ":" +
            m.method().line() + ")").toList()));
        final RepositoryAnalysis.Duplication duplication = analysis.duplication();
        facts.put("duplication", String.format(Locale.ROOT, "%.1f %% of code lines (%d of %d) lie in repeated " +
            "%d-line blocks.", duplication.percent(), duplication.duplicatedLines(), duplication.totalLines(),
            duplication.windowLines()));
        facts.put("security", gaps(gaps.stream().filter(g -> g.area() == Gap.Area.SECURITY).toList(),
            "No security gap found (lock files and pinned versions)."));
        facts.put("gaps", gaps(gaps, "The repository meets every quality gate the analysis checks."));
        return new AnalysisFacts(facts);
    }

    /**
     * @param name a fact name, e.g. {@code uncovered}.
     * @return its text; for a fact not measured, a sentence saying so.
     */
    public String fact(final String name)
    {
        final String fact = facts.get(name);
        return fact != null ? fact : "(no repository analysis was run, so '" + name + "' is not known)";
    }

    private static String gaps(final List<Gap> gaps, final String none)
    {
        return gaps.isEmpty() ? none : list(gaps.stream().map(g -> g.severity() + " " +
            g.area().name().toLowerCase(Locale.ROOT) + ": " + g.message()).toList());
    }

    private static String list(final List<String> lines)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(lines.size(), LISTED); i++)
        {
            sb.append(i == 0 ? "" : "\n").append("- ").append(lines.get(i));
        }
        if (lines.size() > LISTED)
        {
            sb.append("\n- ... and ").append(lines.size() - LISTED).append(" more");
        }
        return sb.toString();
    }
}
