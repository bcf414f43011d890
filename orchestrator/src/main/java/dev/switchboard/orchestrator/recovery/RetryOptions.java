/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a failed task is retried on the same agent: exponential backoff, a cap on the delay, a cap on attempts and
 * the {@link FailureClass} of each error kind, which decides whether it is retried at all. Modelled on Temporal's
 * {@code RetryOptions}.
 *
 * <p>Attempts are numbered from 1 (the first run). The delay before attempt {@code n >= 2} is
 * {@code min(initialInterval * backoffCoefficient^(n - 2), maximumInterval)}: with 1 s, 2.0 and 10 s, attempts 2,
 * 3, 4, 5, 6 wait 1 s, 2 s, 4 s, 8 s, 10 s.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>valid</th></tr>
 *   <tr><td>initialInterval</td><td>1 s</td><td>positive</td></tr>
 *   <tr><td>backoffCoefficient</td><td>2.0</td><td>finite, {@code >= 1}</td></tr>
 *   <tr><td>maximumInterval</td><td>100 &times; initialInterval</td><td>{@code >= initialInterval}</td></tr>
 *   <tr><td>maximumAttempts</td><td>3</td><td>{@code >= 0}; 0 means unlimited</td></tr>
 *   <tr><td>errorKindClasses</td><td>none: {@link FailureClass#BUILT_IN} applies</td><td>non-blank kinds</td></tr>
 * </table>
 *
 * Only failures whose class {@link FailureClass#retriesOnSameAgent() retries on the same agent} are retried
 * ({@link FailureClass#TRANSIENT} with backoff, {@link FailureClass#MERGE_CONFLICT} at once). A kind's class comes
 * from {@link Builder#classify}, else from {@link FailureClass#BUILT_IN}, else it is
 * {@link FailureClass#UNKNOWN_KIND}. Temporal's non-retryable error types are the kinds classified
 * {@link FailureClass#PERMANENT} here: {@link Builder#setNonRetryableErrorKinds} is shorthand for that.
 *
 * The default of 3 attempts differs from Temporal's unlimited on purpose: with unlimited attempts a retryable
 * failure is retried forever and never reaches the rest of the recovery ladder (alternative agent, decompose,
 * skip, escalate).
 *
 * <p>Immutable and thread-safe; {@link #delayForAttempt} allocates one {@link Duration}.
 */
public final class RetryOptions
{
    /** Default {@link #initialInterval()}. */
    public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(1);
    /** Default {@link #backoffCoefficient()}. */
    public static final double DEFAULT_BACKOFF_COEFFICIENT = 2.0;
    /** Default {@link #maximumInterval()} as a multiple of the initial interval. */
    public static final int DEFAULT_MAXIMUM_INTERVAL_MULTIPLIER = 100;
    /** Default {@link #maximumAttempts()}. */
    public static final int DEFAULT_MAXIMUM_ATTEMPTS = 3;
    /** {@link #maximumAttempts()} value meaning "no limit". */
    public static final int UNLIMITED_ATTEMPTS = 0;

    /** Longest interval accepted: delays are computed in nanoseconds in a {@code long}. */
    private static final Duration LONGEST_INTERVAL = Duration.ofNanos(Long.MAX_VALUE);

    private final Duration initialInterval;
    private final double backoffCoefficient;
    private final Duration maximumInterval;
    private final int maximumAttempts;
    private final Map<String, FailureClass> errorKindClasses;

    private RetryOptions(final Builder builder)
    {
        this.initialInterval = builder.initialInterval;
        this.backoffCoefficient = builder.backoffCoefficient;
        this.maximumInterval = builder.maximumInterval != null ?
            builder.maximumInterval : cappedMultiple(builder.initialInterval);
        this.maximumAttempts = builder.maximumAttempts;
        this.errorKindClasses = Map.copyOf(builder.errorKindClasses);
    }

    /** @return a builder holding the defaults. */
    public static Builder newBuilder()
    {
        return new Builder();
    }

    /** @return the options with every default. */
    public static RetryOptions defaults()
    {
        return newBuilder().build();
    }

    /** @return a builder holding these options, to derive changed ones. */
    public Builder toBuilder()
    {
        final Builder builder = new Builder()
            .setInitialInterval(initialInterval)
            .setBackoffCoefficient(backoffCoefficient)
            .setMaximumInterval(maximumInterval)
            .setMaximumAttempts(maximumAttempts);
        builder.errorKindClasses.putAll(errorKindClasses);
        return builder;
    }

    /** @return the delay before the first retry (attempt 2). */
    public Duration initialInterval()
    {
        return initialInterval;
    }

    /** @return the factor each further retry's delay grows by. */
    public double backoffCoefficient()
    {
        return backoffCoefficient;
    }

    /** @return the longest delay between attempts. */
    public Duration maximumInterval()
    {
        return maximumInterval;
    }

    /** @return the most attempts on one agent, counting the first; {@value #UNLIMITED_ATTEMPTS} means unlimited. */
    public int maximumAttempts()
    {
        return maximumAttempts;
    }

    /** @return the error kinds these options classify {@link FailureClass#PERMANENT}; unmodifiable. */
    public Set<String> nonRetryableErrorKinds()
    {
        final Set<String> kinds = new TreeSet<>();
        errorKindClasses.forEach((kind, failureClass) ->
        {
            if (failureClass == FailureClass.PERMANENT)
            {
                kinds.add(kind);
            }
        });
        return Collections.unmodifiableSet(kinds);
    }

    /** @return the classes these options give error kinds, over {@link FailureClass#BUILT_IN}; unmodifiable. */
    public Map<String, FailureClass> errorKindClasses()
    {
        return errorKindClasses;
    }

    /**
     * @param errorKind a failure's error kind.
     * @return its class: as classified here, else as {@link FailureClass#BUILT_IN}, else
     *         {@link FailureClass#UNKNOWN_KIND}.
     */
    public FailureClass classOf(final String errorKind)
    {
        final FailureClass configured = errorKindClasses.get(Objects.requireNonNull(errorKind, "errorKind"));
        return configured != null ? configured : FailureClass.builtIn(errorKind);
    }

    /**
     * @param errorKind a failure's error kind.
     * @return whether a failure of that kind is run again on the same agent: its {@link #classOf class}
     *         {@link FailureClass#retriesOnSameAgent() retries on the same agent}.
     */
    public boolean isRetryable(final String errorKind)
    {
        return classOf(errorKind).retriesOnSameAgent();
    }

    /**
     * @param attempt the attempt that just failed, from 1.
     * @return true when another attempt is allowed after it.
     */
    public boolean allowsAttemptAfter(final int attempt)
    {
        return maximumAttempts == UNLIMITED_ATTEMPTS || attempt < maximumAttempts;
    }

    /**
     * The backoff before attempt {@code attempt}: zero for the first, then
     * {@code min(initialInterval * backoffCoefficient^(attempt - 2), maximumInterval)}, rounded to the nearest
     * nanosecond. Does not consult {@link #maximumAttempts()}.
     *
     * @param attempt the attempt about to start, from 1.
     * @return the delay.
     * @throws IllegalArgumentException when {@code attempt < 1}.
     */
    public Duration delayForAttempt(final int attempt)
    {
        if (attempt < 1)
        {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt);
        }
        if (attempt == 1)
        {
            return Duration.ZERO;
        }
        final double maxNanos = maximumInterval.toNanos();
        final double nanos = initialInterval.toNanos() * Math.pow(backoffCoefficient, attempt - 2);
        return nanos >= maxNanos ? maximumInterval : Duration.ofNanos(Math.round(nanos));
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof RetryOptions that &&
            initialInterval.equals(that.initialInterval) &&
            Double.compare(backoffCoefficient, that.backoffCoefficient) == 0 &&
            maximumInterval.equals(that.maximumInterval) &&
            maximumAttempts == that.maximumAttempts &&
            errorKindClasses.equals(that.errorKindClasses);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(initialInterval, backoffCoefficient, maximumInterval, maximumAttempts,
            errorKindClasses);
    }

    @Override
    public String toString()
    {
        return "RetryOptions{initialInterval=" + initialInterval +
            ", backoffCoefficient=" + backoffCoefficient +
            ", maximumInterval=" + maximumInterval +
            ", maximumAttempts=" + (maximumAttempts == UNLIMITED_ATTEMPTS ? "unlimited" : maximumAttempts) +
            ", errorKindClasses=" + new TreeMap<>(errorKindClasses) + '}';
    }

    private static Duration cappedMultiple(final Duration interval)
    {
        final Duration limit = LONGEST_INTERVAL.dividedBy(DEFAULT_MAXIMUM_INTERVAL_MULTIPLIER);
        return interval.compareTo(limit) > 0 ? LONGEST_INTERVAL : interval.multipliedBy(
            DEFAULT_MAXIMUM_INTERVAL_MULTIPLIER);
    }

    /**
     * Collects settings; {@link #build()} validates them all at once. Not thread-safe; reusable.
     */
    public static final class Builder
    {
        private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;
        private double backoffCoefficient = DEFAULT_BACKOFF_COEFFICIENT;
        private Duration maximumInterval;
        private int maximumAttempts = DEFAULT_MAXIMUM_ATTEMPTS;
        private final Map<String, FailureClass> errorKindClasses = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * Checked when {@link #build()} runs, not here.
         *
         * @param initialInterval positive delay before the first retry.
         * @return this builder.
         */
        public Builder setInitialInterval(final Duration initialInterval)
        {
            this.initialInterval = Objects.requireNonNull(initialInterval, "initialInterval");
            return this;
        }

        /**
         * Checked when {@link #build()} runs, not here.
         *
         * @param backoffCoefficient finite, at least 1.
         * @return this builder.
         */
        public Builder setBackoffCoefficient(final double backoffCoefficient)
        {
            this.backoffCoefficient = backoffCoefficient;
            return this;
        }

        /**
         * @param maximumInterval at least the initial interval; null restores the default of 100 &times; initial.
         * @return this builder.
         */
        public Builder setMaximumInterval(final Duration maximumInterval)
        {
            this.maximumInterval = maximumInterval;
            return this;
        }

        /**
         * Checked when {@link #build()} runs, not here.
         *
         * @param maximumAttempts attempts on one agent counting the first; 0 = unlimited.
         * @return this builder.
         */
        public Builder setMaximumAttempts(final int maximumAttempts)
        {
            this.maximumAttempts = maximumAttempts;
            return this;
        }

        /**
         * Replaces the kinds classified {@link FailureClass#PERMANENT} (never retried on the same agent; another
         * agent, then skip or escalation) by these; other classifications stay.
         *
         * @param errorKinds kinds never retried on the same agent; non-blank.
         * @return this builder.
         */
        public Builder setNonRetryableErrorKinds(final String... errorKinds)
        {
            errorKindClasses.values().removeIf(failureClass -> failureClass == FailureClass.PERMANENT);
            for (final String kind : errorKinds)
            {
                errorKindClasses.put(kind, FailureClass.PERMANENT);
            }
            return this;
        }

        /**
         * Gives an error kind a class, over {@link FailureClass#BUILT_IN}: {@code classify("RATE_LIMITED",
         * FailureClass.TRANSIENT)}, {@code classify("AGENT_FAILED", FailureClass.PERMANENT)}.
         *
         * @param errorKind     a failure's error kind; checked non-blank when {@link #build()} runs.
         * @param failureClass  what recovery treats it as.
         * @return this builder.
         */
        public Builder classify(final String errorKind, final FailureClass failureClass)
        {
            errorKindClasses.put(errorKind, Objects.requireNonNull(failureClass, "failureClass"));
            return this;
        }

        /**
         * Validates every setting and builds.
         *
         * @return the options.
         * @throws IllegalArgumentException naming the first invalid setting, its limit and the value seen.
         */
        public RetryOptions build()
        {
            if (initialInterval.isZero() || initialInterval.isNegative())
            {
                throw new IllegalArgumentException("initialInterval must be positive, was " + initialInterval);
            }
            if (initialInterval.compareTo(LONGEST_INTERVAL) > 0)
            {
                throw new IllegalArgumentException(
                    "initialInterval must be at most " + LONGEST_INTERVAL + ", was " + initialInterval);
            }
            if (!Double.isFinite(backoffCoefficient) || backoffCoefficient < 1.0)
            {
                throw new IllegalArgumentException(
                    "backoffCoefficient must be a finite number >= 1.0, was " + backoffCoefficient);
            }
            if (maximumInterval != null && maximumInterval.compareTo(initialInterval) < 0)
            {
                throw new IllegalArgumentException("maximumInterval must be >= initialInterval (" + initialInterval +
                    "), was " + maximumInterval);
            }
            if (maximumInterval != null && maximumInterval.compareTo(LONGEST_INTERVAL) > 0)
            {
                throw new IllegalArgumentException(
                    "maximumInterval must be at most " + LONGEST_INTERVAL + ", was " + maximumInterval);
            }
            if (maximumAttempts < 0)
            {
                throw new IllegalArgumentException(
                    "maximumAttempts must be >= 0 (0 means unlimited), was " + maximumAttempts);
            }
            for (final String kind : errorKindClasses.keySet())
            {
                if (kind == null || kind.isBlank())
                {
                    throw new IllegalArgumentException("error kinds must not be null or blank, were " +
                        errorKindClasses.keySet().stream().map(k -> k == null ? "null" : "'" + k + "'").toList());
                }
            }
            return new RetryOptions(this);
        }
    }
}
