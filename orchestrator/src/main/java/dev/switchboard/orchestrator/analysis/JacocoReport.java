/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.w3c.dom.Element;

/**
 * One JaCoCo XML report ({@code jacoco.xml}) read: the report-level {@code LINE} counter and, per source file, its
 * {@code LINE} counter and the lines no instruction of which ran. The one reader of the format, used by the
 * repository analysis ({@link CoverageReports}) and by the gates' own measurement. A file counts every class in it
 * (nested and anonymous ones too), which is how a source file is fixed: as a whole.
 * <p>
 * Line numbers come from {@code <sourcefile><line nr mi ci>}: a line is missed when it has missed instructions and
 * no covered one ({@code mi > 0, ci = 0}), which is JaCoCo's own rule for its {@code LINE} counter. Immutable.
 *
 * @param coveredLines covered lines of the whole report.
 * @param missedLines  missed lines of the whole report.
 * @param files        every source file that has lines, with a package-relative path ({@code demo/Greeter.java}),
 *                     in report order.
 */
public record JacocoReport(long coveredLines, long missedLines, List<RepositoryAnalysis.FileCoverage> files)
{
    /** Files listed at most as least covered, so a prompt stays readable. */
    public static final int LEAST_COVERED_LISTED = 20;

    /** Makes the list an unmodifiable copy. */
    public JacocoReport
    {
        files = List.copyOf(files);
    }

    /**
     * Parses a report with {@link SafeXml}.
     *
     * @param bytes the report's content.
     * @return the report.
     * @throws IOException when the XML is malformed, is not a JaCoCo report or has a count that is not a number.
     */
    public static JacocoReport read(final byte[] bytes) throws IOException
    {
        final Element root = SafeXml.parse(bytes).getDocumentElement();
        if (!isReport(root))
        {
            throw new IOException("not a JaCoCo report: the root element is <" + root.getTagName() + ">");
        }
        return of(root);
    }

    /**
     * @param root a parsed document's root element.
     * @return true when it is a JaCoCo {@code <report>}.
     */
    static boolean isReport(final Element root)
    {
        return root.getTagName().equals("report");
    }

    /**
     * Reads a parsed report.
     *
     * @param root the {@code <report>} element.
     * @return the report; zero lines when it has no {@code LINE} counter.
     * @throws IOException when a count is not a number.
     */
    static JacocoReport of(final Element root) throws IOException
    {
        final long[] total = lineCounter(root);
        final List<RepositoryAnalysis.FileCoverage> files = new ArrayList<>();
        final List<Element> packages = new ArrayList<>(SafeXml.children(root, "package"));
        for (final Element group : SafeXml.children(root, "group"))
        {
            packages.addAll(allPackages(group));
        }
        for (final Element pkg : packages)
        {
            final String prefix = pkg.getAttribute("name").isEmpty() ? "" : pkg.getAttribute("name") + "/";
            for (final Element source : SafeXml.children(pkg, "sourcefile"))
            {
                final long[] lines = lineCounter(source);
                if (lines[0] + lines[1] > 0)
                {
                    files.add(new RepositoryAnalysis.FileCoverage(prefix + source.getAttribute("name"), lines[0],
                        lines[0] + lines[1], missedRanges(source)));
                }
            }
        }
        return new JacocoReport(total[0], total[1], files);
    }

    /**
     * The files worst covered first: lowest share of covered lines, then most missed lines, then by path; fully
     * covered files are left out.
     *
     * @param files the files, of one report or several.
     * @param max   how many to keep at most.
     * @return a new list.
     */
    public static List<RepositoryAnalysis.FileCoverage> leastCovered(
        final Collection<RepositoryAnalysis.FileCoverage> files, final int max)
    {
        return files.stream().filter(f -> f.coveredLines() < f.totalLines())
            .sorted(Comparator.comparingDouble(RepositoryAnalysis.FileCoverage::percent)
                .thenComparing(Comparator.comparingLong((RepositoryAnalysis.FileCoverage f) ->
                    f.totalLines() - f.coveredLines()).reversed())
                .thenComparing(RepositoryAnalysis.FileCoverage::file))
            .limit(max).toList();
    }

    /**
     * Where a file of a report lies in the tree, by Maven's layout: a report under a module's {@code target/}
     * (the plugin writes {@code target/site/jacoco/jacoco.xml}) covers that module's {@code src/main/java}.
     *
     * @param reportPath  the report, relative to the tree root, {@code /} separators.
     * @param packagePath the file as the report names it, {@code demo/Greeter.java}.
     * @return {@code module/src/main/java/demo/Greeter.java}, or the package path when the report is not in a
     *         {@code target/} directory.
     */
    public static String sourcePath(final String reportPath, final String packagePath)
    {
        final String path = "/" + reportPath;
        final int target = path.lastIndexOf("/target/");
        return target < 0 ? packagePath : path.substring(1, target + 1) + "src/main/java/" + packagePath;
    }

    /** @return the packages of a group ({@code <group>} nests for multi-module reports), depth first. */
    private static List<Element> allPackages(final Element group)
    {
        final List<Element> packages = new ArrayList<>(SafeXml.children(group, "package"));
        for (final Element nested : SafeXml.children(group, "group"))
        {
            packages.addAll(allPackages(nested));
        }
        return packages;
    }

    /** @return {covered, missed} of the element's own {@code LINE} counter, zeros when it has none. */
    private static long[] lineCounter(final Element element) throws IOException
    {
        for (final Element counter : SafeXml.children(element, "counter"))
        {
            if (counter.getAttribute("type").equals("LINE"))
            {
                return new long[] {number(counter, "covered"), number(counter, "missed")};
            }
        }
        return new long[] {0, 0};
    }

    /** @return the missed lines as ranges; a partly covered line is covered and ends a range. */
    private static List<String> missedRanges(final Element source) throws IOException
    {
        final SortedMap<Long, Boolean> missedByLine = new TreeMap<>();
        for (final Element line : SafeXml.children(source, "line"))
        {
            final boolean covered = number(line, "ci") > 0;
            if (covered || number(line, "mi") > 0)
            {
                missedByLine.put(number(line, "nr"), !covered);
            }
        }
        return RepositoryAnalysis.FileCoverage.ranges(missedByLine);
    }

    private static long number(final Element element, final String attribute) throws IOException
    {
        try
        {
            return Long.parseLong(element.getAttribute(attribute).trim());
        }
        catch (final NumberFormatException e)
        {
            throw new IOException("attribute " + attribute + " of <" + element.getTagName() + "> is not a number: '" +
                element.getAttribute(attribute) + "'", e);
        }
    }
}
