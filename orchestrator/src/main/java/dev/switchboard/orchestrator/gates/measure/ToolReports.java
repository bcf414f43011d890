/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.orchestrator.analysis.SafeXml;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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
     * Line coverage: the report-level {@code LINE} counters of JaCoCo's {@code jacoco.xml}, summed.
     *
     * @param reports the {@code jacoco.xml} files.
     * @return the coverage, or not measured when no report counts any line.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static Measurement coverage(final List<Path> reports) throws IOException
    {
        long covered = 0;
        long missed = 0;
        for (final Path report : reports)
        {
            for (final Element counter : SafeXml.children(root(report), "counter"))
            {
                if (counter.getAttribute("type").equals("LINE"))
                {
                    covered += number(counter, "covered", report);
                    missed += number(counter, "missed", report);
                }
            }
        }
        if (covered + missed == 0)
        {
            return Measurement.notMeasured(Metric.TEST_COVERAGE_PERCENT,
                "the JaCoCo reports (" + reports.size() + ") count no line of code");
        }
        return Measurement.of(Metric.TEST_COVERAGE_PERCENT, 100.0 * covered / (covered + missed),
            "JaCoCo: " + covered + " of " + (covered + missed) + " lines covered, " + reports.size() + " report(s)");
    }

    /**
     * Failed tests: {@code failures + errors} of Surefire's {@code TEST-*.xml} files.
     *
     * @param reports the {@code TEST-*.xml} files.
     * @return the count, or not measured when no test ran.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static Measurement testFailures(final List<Path> reports) throws IOException
    {
        long tests = 0;
        long failed = 0;
        for (final Path report : reports)
        {
            final Element suite = root(report);
            tests += number(suite, "tests", report);
            failed += number(suite, "failures", report) + number(suite, "errors", report);
        }
        if (tests == 0)
        {
            return Measurement.notMeasured(Metric.TEST_FAILURES, "no test ran (Surefire wrote no test result)");
        }
        return Measurement.of(Metric.TEST_FAILURES, failed, "Surefire: " + failed + " of " + tests + " tests failed");
    }

    /**
     * Lint score from PMD's {@code pmd.xml}: {@code 100 * (1 - weighted / codeLines)}, floored at 0, where each
     * violation weighs 5 at priority 1, 3 at priority 2 and 1 otherwise. It reads as the share of code lines free
     * of findings when all findings are minor; a serious finding costs as much as five minor ones.
     *
     * @param reports   the {@code pmd.xml} files.
     * @param codeLines the non-blank, non-comment lines of the sources PMD checked.
     * @return the score, or not measured when there is no code.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static Measurement lintScore(final List<Path> reports, final long codeLines) throws IOException
    {
        if (codeLines <= 0)
        {
            return Measurement.notMeasured(Metric.LINT_SCORE, "no Java code line in src/main/java to lint");
        }
        long violations = 0;
        long weighted = 0;
        for (final Path report : reports)
        {
            final NodeList found = root(report).getElementsByTagName("violation");
            for (int i = 0; i < found.getLength(); i++)
            {
                final Element violation = (Element)found.item(i);
                final long priority = violation.hasAttribute("priority") ? number(violation, "priority", report) : 3;
                weighted += priority == 1 ? 5 : priority == 2 ? 3 : 1;
                violations++;
            }
        }
        final double score = Math.max(0.0, 100.0 * (1.0 - (double)weighted / codeLines));
        return Measurement.of(Metric.LINT_SCORE, Math.round(score * 10) / 10.0,
            "PMD: " + violations + " violation(s), weight " + weighted + ", over " + codeLines + " code lines");
    }

    /**
     * Critical and high security findings of SpotBugs with FindSecBugs ({@code spotbugsXml.xml}): a
     * {@code BugInstance} of category {@code SECURITY} or {@code MALICIOUS_CODE} is critical at rank
     * 1..{@value #CRITICAL_RANK_MAX}, high at rank up to {@value #HIGH_RANK_MAX}, and not counted above.
     *
     * @param reports the {@code spotbugsXml.xml} files.
     * @return the critical count and the high count, in that order.
     * @throws IOException when a report cannot be read or is malformed.
     */
    static List<Measurement> vulnerabilities(final List<Path> reports) throws IOException
    {
        long critical = 0;
        long high = 0;
        long other = 0;
        final StringBuilder types = new StringBuilder();
        for (final Path report : reports)
        {
            for (final Element bug : SafeXml.children(root(report), "BugInstance"))
            {
                final String category = bug.getAttribute("category");
                if (!category.equals("SECURITY") && !category.equals("MALICIOUS_CODE"))
                {
                    continue;
                }
                final long rank = number(bug, "rank", report);
                if (rank <= CRITICAL_RANK_MAX)
                {
                    critical++;
                }
                else if (rank <= HIGH_RANK_MAX)
                {
                    high++;
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
        return List.of(Measurement.of(Metric.CRITICAL_VULNERABILITIES, critical, evidence),
            Measurement.of(Metric.HIGH_VULNERABILITIES, high, evidence));
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
