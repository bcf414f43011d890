/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * Code and comment lines of the non-test Java sources (every {@code src/main/java} of the tree, outside build
 * output). A line is a comment line when everything on it outside whitespace is comment ({@code //}, or inside
 * {@code /* ... *}{@code /}, Javadoc included), a code line when it holds anything else; blank lines count as
 * neither. The comment ratio is {@code comment / (comment + code)}.
 *
 * @param files        Java files read.
 * @param codeLines    lines holding code.
 * @param commentLines lines holding only comment.
 */
record SourceLines(int files, long codeLines, long commentLines)
{
    /** Least-commented files listed at most. */
    static final int LEAST_COMMENTED_LISTED = 10;

    /**
     * Counts the lines of the given Java files.
     *
     * @param javaFiles the files.
     * @return the counts.
     * @throws IOException when a file cannot be read.
     */
    static SourceLines count(final List<Path> javaFiles) throws IOException
    {
        long code = 0;
        long comment = 0;
        for (final Path file : javaFiles)
        {
            boolean inBlock = false;
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                final String text = line.strip();
                if (text.isEmpty())
                {
                    continue;
                }
                boolean hasCode = false;
                boolean hasComment = inBlock;
                int i = 0;
                while (i < text.length())
                {
                    if (inBlock)
                    {
                        final int end = text.indexOf("*/", i);
                        if (end < 0)
                        {
                            i = text.length();
                        }
                        else
                        {
                            inBlock = false;
                            i = end + 2;
                        }
                    }
                    else if (text.startsWith("//", i))
                    {
                        hasComment = true;
                        i = text.length();
                    }
                    else if (text.startsWith("/*", i))
                    {
                        hasComment = true;
                        inBlock = true;
                        i += 2;
                    }
                    else
                    {
                        if (!Character.isWhitespace(text.charAt(i)))
                        {
                            hasCode = true;
                        }
                        i = skipLiteral(text, i);
                    }
                }
                if (hasCode)
                {
                    code++;
                }
                else if (hasComment)
                {
                    comment++;
                }
            }
        }
        return new SourceLines(javaFiles.size(), code, comment);
    }

    /** @return the comment ratio, or not measured when there is no Java source. */
    Measurement commentRatio()
    {
        if (codeLines + commentLines == 0)
        {
            return Measurement.notMeasured(Metric.COMMENT_PERCENT, "no Java source in src/main/java");
        }
        return Measurement.of(Metric.COMMENT_PERCENT, percent(),
            commentLines + " comment and " + codeLines + " code lines in " + files + " Java file(s)");
    }

    /**
     * The comment ratio of the files together, with the least-commented files as details ({@code path: 2 comment
     * and 40 code lines (4.8 %)}), fewest comments per code line first, at most {@value #LEAST_COMMENTED_LISTED}.
     *
     * @param tree      the tree, for the files' paths.
     * @param javaFiles the files.
     * @return the ratio, or not measured when there is no Java source.
     * @throws IOException when a file cannot be read.
     */
    static Measurement commentRatio(final Path tree, final List<Path> javaFiles) throws IOException
    {
        final List<Map.Entry<String, SourceLines>> perFile = new ArrayList<>();
        long code = 0;
        long comment = 0;
        for (final Path file : javaFiles)
        {
            final SourceLines lines = count(List.of(file));
            code += lines.codeLines;
            comment += lines.commentLines;
            if (lines.codeLines > 0)
            {
                perFile.add(Map.entry(ToolReports.relative(tree, file.toString()), lines));
            }
        }
        final List<String> least = perFile.stream()
            .sorted(Comparator.comparingDouble((Map.Entry<String, SourceLines> e) -> e.getValue().percent())
                .thenComparing(Comparator.comparingLong((Map.Entry<String, SourceLines> e) ->
                    e.getValue().codeLines).reversed()))
            .limit(LEAST_COMMENTED_LISTED)
            .map(e -> e.getKey() + ": " + e.getValue().commentLines + " comment and " + e.getValue().codeLines +
                " code lines (" + e.getValue().percent() + " %)").toList();
        return new SourceLines(javaFiles.size(), code, comment).commentRatio().withDetails(least);
    }

    private double percent()
    {
        return codeLines + commentLines == 0 ? 0.0 : Math.round(1000.0 * commentLines / (codeLines + commentLines)) /
            10.0;
    }

    /** Skips a string or char literal starting at {@code i} (so "//" inside one is not a comment), or one char. */
    private static int skipLiteral(final String text, final int i)
    {
        final char quote = text.charAt(i);
        if (quote != '"' && quote != '\'')
        {
            return i + 1;
        }
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != quote)
        {
            j += text.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, text.length());
    }
}
