/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A counter's label read as a name and attributes: {@code "SENT tier=CRITICAL pattern=SEND"} is the name
 * {@code SENT} with {@code tier=CRITICAL} and {@code pattern=SEND}; {@code "rejected: unknown schema"} is a name
 * alone. Words of the form {@code key=value} are attributes wherever they stand; the other words, joined by one
 * space, are the name.
 *
 * <p>Immutable.
 *
 * @param name       the words that are not attributes.
 * @param attributes the {@code key=value} words, in order.
 */
public record CounterLabel(String name, Map<String, String> attributes)
{
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*=\\S+");
    private static final Pattern NOT_IDENTIFIER = Pattern.compile("[^a-z0-9]+");

    /** Copies. */
    public CounterLabel
    {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /**
     * @param label a counter's label as its file holds it.
     * @return its name and attributes.
     */
    public static CounterLabel parse(final String label)
    {
        final List<String> words = new ArrayList<>();
        final Map<String, String> attributes = new LinkedHashMap<>();
        for (final String word : label.strip().split("\\s+"))
        {
            if (ATTRIBUTE.matcher(word).matches())
            {
                final int eq = word.indexOf('=');
                attributes.putIfAbsent(word.substring(0, eq), word.substring(eq + 1));
            }
            else if (!word.isEmpty())
            {
                words.add(word);
            }
        }
        return new CounterLabel(String.join(" ", words), attributes);
    }

    /**
     * @param text any text.
     * @return it as a Prometheus-friendly identifier: lower case, each run of other characters one underscore, none
     * at the ends ({@code "rejected: unknown schema"} is {@code rejected_unknown_schema}); {@code "unnamed"} when
     * nothing is left.
     */
    public static String identifier(final String text)
    {
        final String id = NOT_IDENTIFIER.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("_");
        final String trimmed = id.replaceAll("^_+|_+$", "");
        return trimmed.isEmpty() ? "unnamed" : trimmed;
    }
}
