/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads line coverage from the report formats the analysis recognises, by file name: {@code jacoco.xml} (the
 * report-level {@code LINE} counter, and the least-covered source files, through {@link JacocoReport}),
 * {@code coverage.xml} or {@code cobertura.xml} (Cobertura's root {@code line-rate}, with
 * {@code lines-covered}/{@code lines-valid} when present) and {@code lcov.info} (sums of {@code LH} and {@code LF}
 * records). Stateless.
 */
final class CoverageReports
{
    private CoverageReports()
    {
    }

    /**
     * Whether a file name is one of the recognised reports.
     *
     * @param fileName the name without directories.
     * @return true for the names above.
     */
    static boolean isReport(final String fileName)
    {
        return switch (fileName)
        {
            case "jacoco.xml", "coverage.xml", "cobertura.xml", "cobertura-coverage.xml", "lcov.info" -> true;
            default -> false;
        };
    }

    /**
     * Reads one report.
     *
     * @param fileName     the name without directories, deciding the format.
     * @param relativePath the path recorded in the result.
     * @param bytes        the content.
     * @return the report, or empty when the file is of the right name but not a coverage report (a
     *         {@code coverage.xml} of another tool) or holds no lines.
     * @throws IOException when the content is malformed.
     */
    static Optional<RepositoryAnalysis.CoverageReport> read(final String fileName, final String relativePath,
        final byte[] bytes) throws IOException
    {
        if (fileName.equals("lcov.info"))
        {
            return lcov(relativePath, new String(bytes, StandardCharsets.UTF_8));
        }
        final Document document = SafeXml.parse(bytes);
        final Element root = document.getDocumentElement();
        if (JacocoReport.isReport(root))
        {
            final JacocoReport jacoco = JacocoReport.of(root);
            final long total = jacoco.coveredLines() + jacoco.missedLines();
            return total <= 0 ? Optional.empty() : Optional.of(new RepositoryAnalysis.CoverageReport("jacoco",
                relativePath, 100.0 * jacoco.coveredLines() / total, jacoco.coveredLines(), total,
                JacocoReport.leastCovered(jacoco.files(), JacocoReport.LEAST_COVERED_LISTED).stream()
                    .map(file -> file.at(JacocoReport.sourcePath(relativePath, file.file()))).toList()));
        }
        if (root.getTagName().equals("coverage") && root.hasAttribute("line-rate"))
        {
            if (root.hasAttribute("lines-covered") && root.hasAttribute("lines-valid"))
            {
                return counted("cobertura", relativePath, number(root, "lines-covered"), number(root, "lines-valid"));
            }
            final double rate = Double.parseDouble(root.getAttribute("line-rate"));
            return Optional.of(new RepositoryAnalysis.CoverageReport("cobertura", relativePath, 100.0 * rate, -1, -1));
        }
        return Optional.empty();
    }

    /**
     * Combines reports: covered over total lines when every report has counts, else the mean percentage.
     *
     * @param reports the reports read.
     * @return the coverage, or empty when there are no reports.
     */
    static Optional<RepositoryAnalysis.Coverage> combine(final List<RepositoryAnalysis.CoverageReport> reports)
    {
        if (reports.isEmpty())
        {
            return Optional.empty();
        }
        final boolean allCounted = reports.stream().allMatch(r -> r.totalLines() >= 0);
        final double percent = allCounted ?
            100.0 * reports.stream().mapToLong(RepositoryAnalysis.CoverageReport::coveredLines).sum() /
                reports.stream().mapToLong(RepositoryAnalysis.CoverageReport::totalLines).sum() :
            reports.stream().mapToDouble(RepositoryAnalysis.CoverageReport::percent).average().orElse(0);
        return Optional.of(new RepositoryAnalysis.Coverage(percent, reports, JacocoReport.leastCovered(
            reports.stream().flatMap(r -> r.files().stream()).toList(), JacocoReport.LEAST_COVERED_LISTED)));
    }

    private static Optional<RepositoryAnalysis.CoverageReport> lcov(final String relativePath, final String text)
        throws IOException
    {
        long found = 0;
        long hit = 0;
        for (final String line : text.split("\\R"))
        {
            try
            {
                if (line.startsWith("LF:"))
                {
                    found += Long.parseLong(line.substring(3).strip());
                }
                else if (line.startsWith("LH:"))
                {
                    hit += Long.parseLong(line.substring(3).strip());
                }
            }
            catch (final NumberFormatException e)
            {
                throw new IOException("bad lcov record '" + line + "'", e);
            }
        }
        return counted("lcov", relativePath, hit, found);
    }

    private static Optional<RepositoryAnalysis.CoverageReport> counted(final String format, final String path,
        final long covered, final long total)
    {
        return total <= 0 ? Optional.empty() :
            Optional.of(new RepositoryAnalysis.CoverageReport(format, path, 100.0 * covered / total, covered, total));
    }

    private static long number(final Element element, final String attribute) throws IOException
    {
        try
        {
            return Long.parseLong(element.getAttribute(attribute));
        }
        catch (final NumberFormatException e)
        {
            throw new IOException("attribute " + attribute + " of <" + element.getTagName() + "> is not a number: '" +
                element.getAttribute(attribute) + "'", e);
        }
    }
}
