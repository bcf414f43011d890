/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Builds one data point's labels: names are made Prometheus names, a name already taken (a counter's attribute
 * {@code name=...} beside the process's {@code name}) gets the prefix {@code counter_}, and a label set that a family
 * already holds gets {@code counter_id}, so that two counters never collapse into one series (which the exposition
 * would refuse).
 *
 * <p>Not thread-safe: one scrape's.
 */
final class LabelSet
{
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    /**
     * @param name  a label's name (made an identifier).
     * @param value its value, any text.
     * @return this.
     */
    LabelSet add(final String name, final String value)
    {
        String key = CounterLabel.identifier(name);
        while (names.contains(key) || key.startsWith("__") || "le".equals(key) || "quantile".equals(key))
        {
            key = "counter_" + key;
        }
        names.add(key);
        values.add(value);
        return this;
    }

    /**
     * @param taken the label sets of the family so far; this one is added.
     * @param id    what tells this series apart when its labels are taken.
     * @return the labels.
     */
    Labels unique(final Set<Labels> taken, final String id)
    {
        Labels labels = Labels.of(names, values);
        if (!taken.add(labels))
        {
            add("counter_id", id);
            labels = Labels.of(names, values);
            taken.add(labels);
        }
        return labels;
    }

    /** @return a new, empty set of taken labels. */
    static Set<Labels> taken()
    {
        return new HashSet<>();
    }
}
