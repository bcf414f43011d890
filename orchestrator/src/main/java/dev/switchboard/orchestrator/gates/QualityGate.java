/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named set of thresholds that pass or fail together, and what a failure does.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return new gates.
 *
 * @param name        the gate's name, for example {@code code-quality}; not blank.
 * @param thresholds  at least one, at most one per metric; copied.
 * @param enforcement whether a failure blocks.
 */
public record QualityGate(String name, List<Threshold> thresholds, Enforcement enforcement)
{
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when the name is blank, there are no thresholds, or two constrain the same
     *                                  metric (an override must replace, not add a contradiction).
     */
    public QualityGate
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(enforcement, "enforcement");
        thresholds = List.copyOf(thresholds);
        if (name.isBlank())
        {
            throw new IllegalArgumentException("quality gate name must not be blank");
        }
        if (thresholds.isEmpty())
        {
            throw new IllegalArgumentException("quality gate '" + name + "' must have at least one threshold");
        }
        for (int i = 0; i < thresholds.size(); i++)
        {
            for (int j = i + 1; j < thresholds.size(); j++)
            {
                if (thresholds.get(i).metric() == thresholds.get(j).metric())
                {
                    throw new IllegalArgumentException("quality gate '" + name + "' constrains " +
                        thresholds.get(i).metric() + " twice: " + thresholds.get(i) + " and " + thresholds.get(j));
                }
            }
        }
    }

    /**
     * @param enforcement the new enforcement.
     * @return this gate with {@code enforcement}.
     */
    public QualityGate withEnforcement(final Enforcement enforcement)
    {
        return new QualityGate(name, thresholds, enforcement);
    }

    /**
     * Replaces the threshold on {@code threshold.metric()}, or adds it when this gate has none on that metric.
     *
     * @param threshold the new threshold.
     * @return the changed gate.
     */
    public QualityGate withThreshold(final Threshold threshold)
    {
        final List<Threshold> changed = new ArrayList<>(thresholds);
        boolean replaced = false;
        for (int i = 0; i < changed.size(); i++)
        {
            if (changed.get(i).metric() == threshold.metric())
            {
                changed.set(i, threshold);
                replaced = true;
            }
        }
        if (!replaced)
        {
            changed.add(threshold);
        }
        return new QualityGate(name, changed, enforcement);
    }
}
