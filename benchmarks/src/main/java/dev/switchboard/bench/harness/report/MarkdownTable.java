/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table: the first {@code textColumns} columns left-aligned (names), the rest
 * right-aligned (numbers). Cells are escaped for pipes and line breaks.
 */
final class MarkdownTable
{
    private final List<String> headers;
    private final int textColumns;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param textColumns how many leading columns hold text (left-aligned).
     * @param headers     the column headers.
     */
    MarkdownTable(final int textColumns, final String... headers)
    {
        this.headers = List.of(headers);
        this.textColumns = textColumns;
    }

    /**
     * @param cells one cell per header.
     * @return this table.
     */
    MarkdownTable row(final String... cells)
    {
        if (cells.length != headers.size())
        {
            throw new IllegalArgumentException(
                "a row needs " + headers.size() + " cells " + headers + ", got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    boolean isEmpty()
    {
        return rows.isEmpty();
    }

    /**
     * @return the table, one line per row, ending with a newline.
     */
    String render()
    {
        final StringBuilder out = new StringBuilder();
        line(out, headers);
        out.append('|');
        for (int i = 0; i < headers.size(); i++)
        {
            out.append(i < textColumns ? " :-- |" : " --: |");
        }
        out.append('\n');
        for (final List<String> row : rows)
        {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(final StringBuilder out, final List<String> cells)
    {
        out.append('|');
        for (final String cell : cells)
        {
            out.append(' ').append(escape(cell)).append(" |");
        }
        out.append('\n');
    }

    private static String escape(final String cell)
    {
        return null == cell ? ReportFormat.MISSING : cell.replace("|", "\\|").replace("\n", " ");
    }
}
