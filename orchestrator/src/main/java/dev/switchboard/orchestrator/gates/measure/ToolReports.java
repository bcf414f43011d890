/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.switchboard.orchestrator.analysis.JacocoReport;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.SafeXml;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;
import org.w3c.dom.Element;

/**
 * Reads the XML reports the tools wrote into measurements. Each method takes every report of its kind that the run
 * produced (one per Maven module) and sums them. Stateless.
 */
final class ToolReports
{
    /** SpotBugs ranks 1 to 9 ("scariest" and "scary") count as critical. */
    static final int CRITICAL_RANK_MAX = 9;
    /** SpotBugs ranks 10 to 14 ("troubling") count as high; 15 to 20 ("of concern") are not counted. */
    static final int HIGH_RANK_MAX = 14;

    private ToolReports()
    {
    }

    /**
     * Line coverage: the report-level {@code LINE} counters of JaCoCo's {@code jacoco.xml}, summed, read by
     * {@link JacocoReport}; the details are the least-covered source files of all reports, worst first, with their
     * missed lines ({@code src/main/java/demo/Tokens.java: 0 of 5 lines covered (lines 12-29 missed)}).
     *
     * @param tree    the tree the reports were written in, for the files' paths.
     * @param reports the {@code jacoco.xml} files.
     * @return the coverage, or not measured when no report counts any line.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static Measurement coverage(final Path tree, final List<Path> reports) throws IOException
    {
        long covered = 0;
        long missed = 0;
        final List<RepositoryAnalysis.FileCoverage> files = new ArrayList<>();
        for (final Path report : reports)
        {
            final JacocoReport jacoco;
            try
            {
                jacoco = JacocoReport.read(Files.readAllBytes(report));
            }
            catch (final IOException ex)
            {
                throw new IOException(report + ": " + ex.getMessage(), ex);
            }
            covered += jacoco.coveredLines();
            missed += jacoco.missedLines();
            final String reportPath = reportPath(tree, report);
            jacoco.files().forEach(file -> files.add(file.at(JacocoReport.sourcePath(reportPath, file.file()))));
        }
        if (covered + missed == 0)
        {
            return Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT,
                "the JaCoCo reports (" + reports.size() + ") count no line of code");
        }
        return Measurement.of(Metric.TEST_COVERAGE_PERCENT, 100.0 * covered / (covered + missed),
            "JaCoCo: " + covered + " of " + (covered + missed) + " lines covered, " + reports.size() + " report(s)")
            .withDetails(JacocoReport.leastCovered(files, JacocoReport.LEAST_COVERED_LISTED).stream()
                .map(RepositoryAnalysis.FileCoverage::describe).toList());
    }

    /**
     * Failed tests: {@code failures + errors} of JUnit XML reports, Surefire's {@code TEST-*.xml} (a
     * {@code <testsuite>} root) or pytest's {@code --junitxml} (a {@code <testsuites>} root); the details are the
     * failed tests, {@code class#method: message}.
     *
     * @param reports the report files.
     * @param tool    the tool that wrote them, for the evidence ({@code Surefire}, {@code pytest}).
     * @return the count, or not measured when no test ran.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static Measurement testFailures(final List<Path> reports, final String tool) throws IOException
    {
        long tests = 0;
        long failed = 0;
        final List<String> failures = new ArrayList<>();
        for (final Path report : reports)
        {
            final Element root = root(report);
            final List<Element> suites = root.getTagName().equals("testsuites") ?
                SafeXml.children(root, "testsuite") : List.of(root);
            for (final Element suite : suites)
            {
                tests += number(suite, "tests", report);
                failed += number(suite, "failures", report) + number(suite, "errors", report);
                for (final Element test : SafeXml.children(suite, "testcase"))
                {
                    for (final String kind : List.of("failure", "error"))
                    {
                        for (final Element failure : SafeXml.children(test, kind))
                        {
                            failures.add(test.getAttribute("classname") + "#" + test.getAttribute("name") + ": " +
                                (kind.equals("error") ? "error: " : "") + failureMessage(failure));
                        }
                    }
                }
            }
        }
        if (tests == 0)
        {
            return Measurement.notMeasured(Metric.TEST_FAILURES, "no test ran (" + tool + " wrote no test result)");
        }
        return Measurement.of(Metric.TEST_FAILURES, failed, tool + ": " + failed + " of " + tests + " tests failed")
            .withDetails(limited(failures, Measurement.MAX_DETAILS));
    }

    /** Surefire: message attribute (may be absent), else the type, else the first line of the stack trace. */
    private static String failureMessage(final Element failure)
    {
        final String message = failure.getAttribute("message").strip();
        if (!message.isEmpty())
        {
            return message;
        }
        final String type = failure.getAttribute("type").strip();
        final String trace = failure.getTextContent().strip();
        return !type.isEmpty() ? type : trace.isEmpty() ? "(no message)" : trace.lines().findFirst().orElse("");
    }

    /**
     * The violations in PMD's {@code pmd.xml} files.
     *
     * @param tree    the tree, to make PMD's absolute file names relative.
     * @param reports the {@code pmd.xml} files.
     * @return the findings, in report order.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static List<LintFinding> pmdFindings(final Path tree, final List<Path> reports) throws IOException
    {
        final List<LintFinding> findings = new ArrayList<>();
        for (final Path report : reports)
        {
            for (final Element file : SafeXml.children(root(report), "file"))
            {
                for (final Element violation : SafeXml.children(file, "violation"))
                {
                    final long priority = violation.hasAttribute("priority") ?
                        number(violation, "priority", report) : 3;
                    findings.add(new LintFinding(relative(tree, file.getAttribute("name")),
                        violation.hasAttribute("beginline") ? number(violation, "beginline", report) : 0,
                        violation.getAttribute("rule"), violation.getTextContent(), (int)priority));
                }
            }
        }
        return findings;
    }

    /**
     * Lint score: {@code 100 * (1 - weighted / codeLines)}, floored at 0, where each finding weighs 5 at priority 1,
     * 3 at priority 2 and 1 otherwise. It reads as the share of code lines free of findings when all findings are
     * minor; a serious finding costs as much as five minor ones. The same formula for PMD and the Python linters.
     * The details are the findings, highest priority first, {@code path:line rule: message}.
     *
     * @param tool      the linter, for the evidence ({@code PMD}, {@code pyflakes}).
     * @param findings  what it found.
     * @param codeLines the non-blank, non-comment lines of the sources it checked.
     * @param noCode    the reason when there is no code line.
     * @return the score, or not measured when there is no code.
     */
    static Measurement lintScore(final String tool, final List<LintFinding> findings, final long codeLines,
        final String noCode)
    {
        if (codeLines <= 0)
        {
            return Measurement.notMeasured(Metric.LINT_SCORE, noCode);
        }
        long weighted = 0;
        for (final LintFinding finding : findings)
        {
            weighted += finding.weight();
        }
        final double score = Math.max(0.0, 100.0 * (1.0 - (double)weighted / codeLines));
        return Measurement.of(Metric.LINT_SCORE, Math.round(score * 10) / 10.0,
            tool + ": " + findings.size() + " violation(s), weight " + weighted + ", over " + codeLines +
                " code lines")
            .withDetails(limited(findings.stream().sorted(Comparator.comparingInt(LintFinding::priority))
                .map(LintFinding::toString).toList(), Measurement.MAX_DETAILS));
    }

    /**
     * One lint finding.
     *
     * @param file     relative to the tree where it lies in it.
     * @param line     from 1; 0 when unknown.
     * @param rule     the rule or message kind.
     * @param message  what is wrong.
     * @param priority 1 (most serious) to 5.
     */
    record LintFinding(String file, long line, String rule, String message, int priority)
    {
        /** @return 5 at priority 1, 3 at priority 2, 1 otherwise. */
        int weight()
        {
            return priority == 1 ? 5 : priority == 2 ? 3 : 1;
        }

        /** @return {@code path:line rule: message}. */
        @Override
        public String toString()
        {
            return file + ":" + line + " " + rule + ": " + message.strip();
        }
    }

    /**
     * Critical and high security findings of SpotBugs with FindSecBugs ({@code spotbugsXml.xml}): a
     * {@code BugInstance} of category {@code SECURITY} or {@code MALICIOUS_CODE} is critical at rank
     * 1..{@value #CRITICAL_RANK_MAX}, high at rank up to {@value #HIGH_RANK_MAX}, and not counted above.
     *
     * The details of each are its findings, {@code path:line TYPE (rank r, priority p)}, most serious first.
     *
     * @param tree    the tree the reports were written in, for the files' paths.
     * @param reports the {@code spotbugsXml.xml} files.
     * @return the critical count and the high count, in that order.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static List<Measurement> vulnerabilities(final Path tree, final List<Path> reports) throws IOException
    {
        final List<SecurityFinding> criticalFindings = new ArrayList<>();
        final List<SecurityFinding> highFindings = new ArrayList<>();
        long critical = 0;
        long high = 0;
        long other = 0;
        final StringBuilder types = new StringBuilder();
        for (final Path report : reports)
        {
            final String reportPath = reportPath(tree, report);
            for (final Element bug : SafeXml.children(root(report), "BugInstance"))
            {
                final String category = bug.getAttribute("category");
                if (!category.equals("SECURITY") && !category.equals("MALICIOUS_CODE"))
                {
                    continue;
                }
                final long rank = number(bug, "rank", report);
                final long priority = bug.hasAttribute("priority") ? number(bug, "priority", report) : 0;
                if (rank <= CRITICAL_RANK_MAX)
                {
                    critical++;
                    criticalFindings.add(new SecurityFinding(rank, priority,
                        bugLine(bug, reportPath, rank, priority)));
                }
                else if (rank <= HIGH_RANK_MAX)
                {
                    high++;
                    highFindings.add(new SecurityFinding(rank, priority,
                        bugLine(bug, reportPath, rank, priority)));
                }
                else
                {
                    other++;
                    continue;
                }
                if (types.length() < 200)
                {
                    types.append(types.isEmpty() ? "" : ", ").append(bug.getAttribute("type"));
                }
            }
        }
        final String evidence = "SpotBugs + FindSecBugs: " + critical + " critical, " + high + " high, " + other +
            " lower security finding(s)" + (types.isEmpty() ? "" : ": " + types);
        return List.of(Measurement.of(Metric.CRITICAL_VULNERABILITIES, critical, evidence)
                .withDetails(limited(byRank(criticalFindings), Measurement.MAX_DETAILS)),
            Measurement.of(Metric.HIGH_VULNERABILITIES, high, evidence)
                .withDetails(limited(byRank(highFindings), Measurement.MAX_DETAILS)));
    }

    /** @return {@code path:line TYPE (rank r, priority p)} at the bug's primary source line. */
    private static String bugLine(final Element bug, final String reportPath, final long rank, final long priority)
    {
        Element line = null;
        for (final Element candidate : SafeXml.children(bug, "SourceLine"))
        {
            if (line == null || candidate.getAttribute("primary").equals("true"))
            {
                line = candidate;
            }
        }
        if (line == null)
        {
            line = SafeXml.children(SafeXml.children(bug, "Class").stream().findFirst().orElse(null), "SourceLine")
                .stream().findFirst().orElse(null);
        }
        final String where = line == null ? bug.getAttribute("type") :
            JacocoReport.sourcePath(reportPath, line.getAttribute("sourcepath")) +
                (line.getAttribute("start").isEmpty() ? "" : ":" + line.getAttribute("start"));
        return where + " " + bug.getAttribute("type") + " (rank " + rank + ", priority " + priority + ")";
    }

    /** @return the findings' texts ordered by rank, then priority, then report order (the sort is stable). */
    private static List<String> byRank(final List<SecurityFinding> findings)
    {
        return findings.stream().sorted(Comparator.comparingLong(SecurityFinding::rank)
            .thenComparingLong(SecurityFinding::priority)).map(SecurityFinding::text).toList();
    }

    private record SecurityFinding(long rank, long priority, String text)
    {
    }

    /**
     * @param lines the lines.
     * @param max   how many at most, the last one saying how many more there are when some are left out.
     * @return the lines, cut.
     */
    static List<String> limited(final List<String> lines, final int max)
    {
        if (lines.size() <= max)
        {
            return lines;
        }
        final List<String> kept = new ArrayList<>(lines.subList(0, max - 1));
        kept.add("... and " + (lines.size() - max + 1) + " more");
        return kept;
    }

    /** @return the report relative to the tree, or {@code ""} (no module known) when it lies elsewhere. */
    private static String reportPath(final Path tree, final Path report)
    {
        final Path absolute = report.toAbsolutePath().normalize();
        return absolute.startsWith(tree) ? tree.relativize(absolute).toString().replace('\\', '/') : "";
    }

    /**
     * @param tree the tree.
     * @param file a file name a tool wrote, absolute or not.
     * @return the name relative to the tree with {@code /} separators when it lies in the tree, else as written.
     */
    static String relative(final Path tree, final String file)
    {
        final Path path = Path.of(file);
        return path.isAbsolute() && path.normalize().startsWith(tree) ?
            tree.relativize(path.normalize()).toString().replace('\\', '/') : file;
    }

    private static Element root(final Path report) throws IOException
    {
        try
        {
            return SafeXml.parse(Files.readAllBytes(report)).getDocumentElement();
        }
        catch (final IOException ex)
        {
            throw new IOException(report + ": " + ex.getMessage(), ex);
        }
    }

    private static long number(final Element element, final String attribute, final Path report) throws IOException
    {
        try
        {
            return Long.parseLong(element.getAttribute(attribute).trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException(report + ": attribute " + attribute + " of <" + element.getTagName() +
                "> is not a whole number: '" + element.getAttribute(attribute) + "'", ex);
        }
    }
}
