/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gates a task is held to, in evaluation order, with the profiles of the original specification:
 *
 * <table>
 *   <caption>Gates and thresholds</caption>
 *   <tr><th>gate</th><th>thresholds</th><th>{@link #defaults()}</th><th>{@link #strict()}</th>
 *       <th>{@link #lenient()}</th></tr>
 *   <tr><td>{@value #CODE_QUALITY}</td><td>coverage &gt;= 80 %, complexity &lt; 10, duplication &lt; 5 %</td>
 *       <td>BLOCKING</td><td>BLOCKING</td><td>WARNING</td></tr>
 *   <tr><td>{@value #SECURITY}</td><td>critical = 0, high = 0</td><td>BLOCKING</td><td>BLOCKING</td>
 *       <td>WARNING</td></tr>
 *   <tr><td>{@value #PERFORMANCE}</td><td>p95 &lt; 100 ms, memory &lt; 500 MB</td><td>WARNING</td>
 *       <td>BLOCKING</td><td>WARNING</td></tr>
 *   <tr><td>{@value #DOCUMENTATION}</td><td>API docs = 100 %</td><td>WARNING</td><td>BLOCKING</td>
 *       <td>WARNING</td></tr>
 * </table>
 *
 * The default ("standard") profile blocks on what a change controls deterministically (code and security) and
 * only warns on performance, whose numbers depend on the machine that measured them, and on documentation,
 * which a later task can complete. {@link #lenient()} blocks on nothing and reports everything.
 *
 * <p>Overrides: {@link #only} keeps the gates named on a command line ({@code "code,security"}),
 * {@link #withEnforcement} and {@link #withThreshold} change one gate, and {@link #withOverride} applies a spec
 * string ({@code code-quality.TEST_COVERAGE_PERCENT>=85} or {@code performance=BLOCKING}). A gate is named by
 * its full name or any unambiguous prefix ({@code code}, {@code sec}, {@code perf}, {@code doc}).
 *
 * <p>Immutable and thread-safe; every change returns a new instance.
 */
public final class QualityGates implements Iterable<QualityGate>
{
    /** Name of the code-quality gate. */
    public static final String CODE_QUALITY = "code-quality";
    /** Name of the security gate. */
    public static final String SECURITY = "security";
    /** Name of the performance gate. */
    public static final String PERFORMANCE = "performance";
    /** Name of the documentation gate. */
    public static final String DOCUMENTATION = "documentation";
    /** Name of the review gate: a reviewer agent approved the phase's merged work. */
    public static final String REVIEW = "review";

    private final List<QualityGate> gates;

    private QualityGates(final List<QualityGate> gates)
    {
        this.gates = List.copyOf(gates);
    }

    /**
     * Gates as given, in the given order.
     *
     * @param gates the gates; names must be distinct.
     * @return the collection.
     * @throws IllegalArgumentException when two gates share a name.
     */
    public static QualityGates of(final List<QualityGate> gates)
    {
        for (int i = 0; i < gates.size(); i++)
        {
            for (int j = i + 1; j < gates.size(); j++)
            {
                if (gates.get(i).name().equals(gates.get(j).name()))
                {
                    throw new IllegalArgumentException("two quality gates are named '" + gates.get(i).name() + "'");
                }
            }
        }
        return new QualityGates(gates);
    }

    /**
     * The standard profile: code quality and security BLOCKING, performance and documentation WARNING.
     *
     * @return the default gates.
     */
    public static QualityGates defaults()
    {
        return new QualityGates(List.of(
            new QualityGate(CODE_QUALITY, List.of(
                Threshold.atLeast(Metric.TEST_COVERAGE_PERCENT, 80),
                Threshold.below(Metric.CYCLOMATIC_COMPLEXITY_MAX, 10),
                Threshold.below(Metric.DUPLICATION_PERCENT, 5)), Enforcement.BLOCKING),
            new QualityGate(SECURITY, List.of(
                Threshold.equalTo(Metric.CRITICAL_VULNERABILITIES, 0),
                Threshold.equalTo(Metric.HIGH_VULNERABILITIES, 0)), Enforcement.BLOCKING),
            new QualityGate(PERFORMANCE, List.of(
                Threshold.below(Metric.P95_RESPONSE_MS, 100),
                Threshold.below(Metric.MEMORY_MB, 500)), Enforcement.WARNING),
            new QualityGate(DOCUMENTATION, List.of(
                Threshold.equalTo(Metric.API_DOCS_PERCENT, 100)), Enforcement.WARNING)));
    }

    /**
     * A profile with every threshold of the original specification's gate definitions: the profile's own, plus
     * lint score {@code >= 95} and no failed test (code quality), no secret and no vulnerable dependency
     * (security), comments {@code >= 30 %} and a complete README (documentation), and the review gate (a reviewer
     * agent's verdict, {@link Metric#REVIEW_APPROVED}; blocking but in the lenient profile). These are the gates the
     * orchestrator holds a tree to when it measures the tree itself ({@code gates.measure}); the plain profiles
     * leave the extra thresholds out because agent-reported metrics never cover them.
     *
     * @param profile as for {@link #profile(String)}.
     * @return the complete gates of that profile.
     * @throws IllegalArgumentException naming the known profiles.
     */
    public static QualityGates completeProfile(final String profile)
    {
        return profile(profile)
            .withThreshold(CODE_QUALITY, Threshold.atLeast(Metric.LINT_SCORE, 95))
            .withThreshold(CODE_QUALITY, Threshold.equalTo(Metric.TEST_FAILURES, 0))
            .withThreshold(SECURITY, Threshold.equalTo(Metric.SECRETS_FOUND, 0))
            .withThreshold(SECURITY, Threshold.equalTo(Metric.VULNERABLE_DEPENDENCIES, 0))
            .withThreshold(DOCUMENTATION, Threshold.atLeast(Metric.COMMENT_PERCENT, 30))
            .withThreshold(DOCUMENTATION, Threshold.equalTo(Metric.README_COMPLETE_PERCENT, 100))
            .with(new QualityGate(REVIEW, List.of(Threshold.equalTo(Metric.REVIEW_APPROVED, 1)),
                "lenient".equalsIgnoreCase(profile.strip()) ? Enforcement.WARNING : Enforcement.BLOCKING));
    }

    /**
     * @param gate a gate whose name none of these has.
     * @return these gates and {@code gate}, last.
     * @throws IllegalArgumentException when the name is taken.
     */
    public QualityGates with(final QualityGate gate)
    {
        final List<QualityGate> all = new ArrayList<>(gates);
        all.add(gate);
        return of(all);
    }

    /** @return the default thresholds with every gate BLOCKING. */
    public static QualityGates strict()
    {
        return defaults().withEnforcementForAll(Enforcement.BLOCKING);
    }

    /** @return the default thresholds with every gate WARNING: nothing blocks, everything is reported. */
    public static QualityGates lenient()
    {
        return defaults().withEnforcementForAll(Enforcement.WARNING);
    }

    /**
     * A profile by name, as given on a command line.
     *
     * @param profile {@code standard} (or {@code default}), {@code strict} or {@code lenient}; case-insensitive.
     * @return the profile's gates.
     * @throws IllegalArgumentException naming the known profiles.
     */
    public static QualityGates profile(final String profile)
    {
        return switch (Objects.requireNonNull(profile, "profile").trim().toLowerCase(Locale.ROOT))
        {
            case "standard", "default", "defaults" -> defaults();
            case "strict" -> strict();
            case "lenient" -> lenient();
            default -> throw new IllegalArgumentException(
                "unknown quality gate profile '" + profile + "': expected standard, strict or lenient");
        };
    }

    /** @return the gates in evaluation order; unmodifiable. */
    public List<QualityGate> gates()
    {
        return gates;
    }

    @Override
    public Iterator<QualityGate> iterator()
    {
        return gates.iterator();
    }

    /**
     * @param name a gate's exact name.
     * @return the gate, or empty.
     */
    public Optional<QualityGate> gate(final String name)
    {
        for (final QualityGate gate : gates)
        {
            if (gate.name().equals(name))
            {
                return Optional.of(gate);
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps only the gates named in a comma-separated list, in this collection's order.
     *
     * @param commaSeparatedNames for example {@code "code,security"}; names or unambiguous prefixes.
     * @return the selected gates.
     * @throws IllegalArgumentException when a name matches no gate or several, or the list is empty.
     */
    public QualityGates only(final String commaSeparatedNames)
    {
        final List<String> wanted = new ArrayList<>();
        for (final String part : commaSeparatedNames.split(","))
        {
            if (!part.isBlank())
            {
                wanted.add(resolve(part.trim()));
            }
        }
        if (wanted.isEmpty())
        {
            throw new IllegalArgumentException(
                "no quality gate named in '" + commaSeparatedNames + "': expected some of " + names());
        }
        final List<QualityGate> kept = new ArrayList<>();
        for (final QualityGate gate : gates)
        {
            if (wanted.contains(gate.name()))
            {
                kept.add(gate);
            }
        }
        return new QualityGates(kept);
    }

    /**
     * @param gateName    a gate's name or unambiguous prefix.
     * @param enforcement the new enforcement.
     * @return these gates with that gate's enforcement changed.
     */
    public QualityGates withEnforcement(final String gateName, final Enforcement enforcement)
    {
        final String name = resolve(gateName);
        return replace(name, gate(name).orElseThrow().withEnforcement(enforcement));
    }

    /**
     * @param enforcement the enforcement for every gate.
     * @return these gates, all with {@code enforcement}.
     */
    public QualityGates withEnforcementForAll(final Enforcement enforcement)
    {
        final List<QualityGate> changed = new ArrayList<>(gates.size());
        for (final QualityGate gate : gates)
        {
            changed.add(gate.withEnforcement(enforcement));
        }
        return new QualityGates(changed);
    }

    /**
     * @param gateName  a gate's name or unambiguous prefix.
     * @param threshold replaces the gate's threshold on the same metric, or is added.
     * @return these gates with that gate changed.
     */
    public QualityGates withThreshold(final String gateName, final Threshold threshold)
    {
        final String name = resolve(gateName);
        return replace(name, gate(name).orElseThrow().withThreshold(threshold));
    }

    /**
     * Applies one override written as text:
     * <ul>
     *   <li>{@code gate.METRIC<op>value}, e.g. {@code code-quality.TEST_COVERAGE_PERCENT>=85}: see
     *       {@link #withThreshold} and {@link Threshold#parse}.</li>
     *   <li>{@code gate=BLOCKING} or {@code gate=WARNING}: see {@link #withEnforcement}.</li>
     * </ul>
     *
     * @param spec the override.
     * @return these gates with the override applied.
     * @throws IllegalArgumentException saying what in {@code spec} could not be understood.
     */
    public QualityGates withOverride(final String spec)
    {
        Objects.requireNonNull(spec, "spec");
        final int dot = spec.indexOf('.');
        final int equals = spec.indexOf('=');
        if (equals > 0 && (dot < 0 || dot > equals))
        {
            final String value = spec.substring(equals + 1).trim().toUpperCase(Locale.ROOT);
            final Enforcement enforcement;
            try
            {
                enforcement = Enforcement.valueOf(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("override '" + spec + "' sets enforcement '" + value +
                    "': expected BLOCKING or WARNING", ex);
            }
            return withEnforcement(spec.substring(0, equals).trim(), enforcement);
        }
        if (dot <= 0)
        {
            throw new IllegalArgumentException("override '" + spec + "' must be gate.METRIC<op>value " +
                "(e.g. code-quality.TEST_COVERAGE_PERCENT>=85) or gate=BLOCKING|WARNING");
        }
        return withThreshold(spec.substring(0, dot).trim(), Threshold.parse(spec.substring(dot + 1)));
    }

    /** @return the metrics these gates' thresholds read, in {@link Metric} order; what a measurement must cover. */
    public Set<Metric> metrics()
    {
        final Set<Metric> metrics = EnumSet.noneOf(Metric.class);
        for (final QualityGate gate : gates)
        {
            for (final Threshold threshold : gate.thresholds())
            {
                metrics.add(threshold.metric());
            }
        }
        return metrics;
    }

    /** @return the gate names, in order. */
    public List<String> names()
    {
        final List<String> names = new ArrayList<>(gates.size());
        for (final QualityGate gate : gates)
        {
            names.add(gate.name());
        }
        return names;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof QualityGates that && gates.equals(that.gates);
    }

    @Override
    public int hashCode()
    {
        return gates.hashCode();
    }

    @Override
    public String toString()
    {
        return "QualityGates" + gates;
    }

    private String resolve(final String nameOrPrefix)
    {
        final String wanted = nameOrPrefix.trim().toLowerCase(Locale.ROOT);
        String match = null;
        for (final QualityGate gate : gates)
        {
            if (gate.name().equals(wanted))
            {
                return gate.name();
            }
            if (gate.name().startsWith(wanted) && !wanted.isEmpty())
            {
                if (match != null)
                {
                    throw new IllegalArgumentException("quality gate '" + nameOrPrefix + "' is ambiguous: matches " +
                        match + " and " + gate.name());
                }
                match = gate.name();
            }
        }
        if (match == null)
        {
            throw new IllegalArgumentException(
                "unknown quality gate '" + nameOrPrefix + "': expected one of " + names());
        }
        return match;
    }

    private QualityGates replace(final String name, final QualityGate replacement)
    {
        final List<QualityGate> changed = new ArrayList<>(gates);
        changed.replaceAll(gate -> gate.name().equals(name) ? replacement : gate);
        return new QualityGates(changed);
    }
}
