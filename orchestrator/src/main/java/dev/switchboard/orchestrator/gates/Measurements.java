/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link Measurement} per metric, what {@link GateEvaluator#evaluate(QualityGates, Measurements)} holds gates
 * against. A metric absent from the set reads as not measured, with the reason "nothing measured it".
 *
 * <p>Immutable and thread-safe once built.
 */
public final class Measurements
{
    /** The reason given for a metric nobody measured at all. */
    public static final String NOTHING_MEASURED_IT = "nothing measured it";

    private final Map<Metric, Measurement> byMetric;

    private Measurements(final Map<Metric, Measurement> byMetric)
    {
        this.byMetric = Collections.unmodifiableMap(new EnumMap<>(byMetric));
    }

    /**
     * @param measurements the measurements; a later one for the same metric replaces an earlier one.
     * @return the set.
     */
    public static Measurements of(final List<Measurement> measurements)
    {
        final Map<Metric, Measurement> byMetric = new EnumMap<>(Metric.class);
        for (final Measurement measurement : measurements)
        {
            byMetric.put(measurement.metric(), measurement);
        }
        return new Measurements(byMetric);
    }

    /**
     * @param metric the metric.
     * @return its measurement, empty when nothing measured it.
     */
    public Optional<Measurement> get(final Metric metric)
    {
        return Optional.ofNullable(byMetric.get(metric));
    }

    /** @return the measured values only, by metric; unmodifiable. */
    public Map<Metric, Double> values()
    {
        final Map<Metric, Double> values = new EnumMap<>(Metric.class);
        byMetric.forEach((metric, measurement) ->
            measurement.value().ifPresent(value -> values.put(metric, value)));
        return Collections.unmodifiableMap(values);
    }

    /**
     * @param metric the metric.
     * @return why it has no value: the measurement's note, or {@link #NOTHING_MEASURED_IT}; {@code ""} when it has
     *         a value.
     */
    public String reasonNotMeasured(final Metric metric)
    {
        final Measurement measurement = byMetric.get(metric);
        if (measurement == null)
        {
            return NOTHING_MEASURED_IT;
        }
        return measurement.measured() ? "" : measurement.note();
    }

    /**
     * The specifics behind a metric's value, for a person or an agent to act on (see {@link Measurement#details()}).
     *
     * @param metric the metric.
     * @return its detail lines, worst first; empty when it has none or nothing measured it.
     */
    public List<String> details(final Metric metric)
    {
        final Measurement measurement = byMetric.get(metric);
        return measurement == null ? List.of() : measurement.details();
    }

    /**
     * A metric's measurement with its details as Markdown for a prompt ({@link Measurement#describe()}); for a
     * metric nothing measured, {@code METRIC: not measured: nothing measured it}.
     *
     * @param metric the metric.
     * @return the text, first line the one-line summary, then one {@code - } bullet per detail.
     */
    public String describe(final Metric metric)
    {
        final Measurement measurement = byMetric.get(metric);
        return measurement == null ? Measurement.notMeasured(metric, NOTHING_MEASURED_IT).describe() :
            measurement.describe();
    }

    /** @return every measurement, in metric order. */
    public List<Measurement> all()
    {
        return new ArrayList<>(byMetric.values());
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Measurements that && byMetric.equals(that.byMetric);
    }

    @Override
    public int hashCode()
    {
        return byMetric.hashCode();
    }

    @Override
    public String toString()
    {
        return "Measurements" + byMetric.values();
    }
}
