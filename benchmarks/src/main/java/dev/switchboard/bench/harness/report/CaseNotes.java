/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cases' notes as numbered footnotes: every table marks a case that has notes with its number, and the notes
 * are printed once, under the first table that shows the case.
 */
final class CaseNotes
{
    private final Map<String, Integer> numbers = new LinkedHashMap<>();
    private final Map<String, CaseResult> byId = new LinkedHashMap<>();
    private final Set<String> printed = new HashSet<>();

    /**
     * @param ordered the cases in report order; numbers follow it.
     */
    CaseNotes(final Collection<CaseResult> ordered)
    {
        for (final CaseResult c : ordered)
        {
            if (null != c.notes() && c.notes().stream().anyMatch(Objects::nonNull))
            {
                numbers.put(c.id(), numbers.size() + 1);
                byId.put(c.id(), c);
            }
        }
    }

    /**
     * @param c a case.
     * @return its name for a table cell, with its footnote mark when it has notes.
     */
    String name(final CaseResult c)
    {
        final Integer n = numbers.get(c.id());
        return RunCases.name(c) + (null == n ? "" : " [" + n + "]");
    }

    /**
     * @param shown the cases of the table just written.
     * @return the notes of those not yet printed, one list item each, or an empty string.
     */
    String footnotes(final Collection<CaseResult> shown)
    {
        final StringBuilder out = new StringBuilder();
        for (final CaseResult c : shown)
        {
            append(out, c.id());
        }
        return out.toString();
    }

    /**
     * @return every note not yet printed.
     */
    String remaining()
    {
        final StringBuilder out = new StringBuilder();
        numbers.keySet().forEach(id -> append(out, id));
        return out.toString();
    }

    private void append(final StringBuilder out, final String id)
    {
        final Integer n = numbers.get(id);
        if (null == n || !printed.add(id))
        {
            return;
        }
        final StringBuilder text = new StringBuilder();
        for (final String note : byId.get(id).notes())
        {
            if (null != note)
            {
                text.append(text.isEmpty() ? "" : "; ").append(note);
            }
        }
        out.append("- [").append(n).append("] `").append(id).append("`: ").append(text).append('\n');
    }
}
