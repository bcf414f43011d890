/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link TreeMeasurement} measures a tree. Immutable; the {@code with...} methods return changed copies.
 *
 * @param maven              the Maven command, for example {@code [mvn]} (the default) or {@code [./mvnw]}.
 * @param mavenArguments     extra arguments for every Maven run, for example {@code -Dmaven.repo.local=...}.
 * @param mavenLimit         the longest one Maven run may take (default 20 minutes).
 * @param advisories         the advisory database for the dependency audit (format on {@link AdvisoryDatabase});
 *                           without one the audit is not measured.
 * @param performanceCommand the command whose latency and memory are measured ({@code sh -c} in the tree); without
 *                           one performance is not measured.
 * @param performanceRuns    how many times the command runs (default 20).
 * @param performanceLimit   the longest one run of the command may take (default 60 s).
 */
public record MeasurementOptions(List<String> maven, List<String> mavenArguments, Duration mavenLimit,
    Optional<Path> advisories, Optional<String> performanceCommand, int performanceRuns, Duration performanceLimit)
{
    /** Validates and copies. */
    public MeasurementOptions
    {
        maven = List.copyOf(maven);
        mavenArguments = List.copyOf(mavenArguments);
        Objects.requireNonNull(mavenLimit, "mavenLimit");
        Objects.requireNonNull(advisories, "advisories");
        Objects.requireNonNull(performanceCommand, "performanceCommand");
        Objects.requireNonNull(performanceLimit, "performanceLimit");
        if (maven.isEmpty())
        {
            throw new IllegalArgumentException("the Maven command must not be empty");
        }
        if (performanceRuns < 1)
        {
            throw new IllegalArgumentException("performance runs must be at least 1, was " + performanceRuns);
        }
    }

    /** @return {@code mvn} from the path, 20 minutes, no advisory database, no performance command, 20 runs. */
    public static MeasurementOptions defaults()
    {
        return new MeasurementOptions(List.of("mvn"), List.of(), Duration.ofMinutes(20), Optional.empty(),
            Optional.empty(), 20, Duration.ofSeconds(60));
    }

    /**
     * @param command   the Maven command and any fixed arguments.
     * @param arguments extra arguments for every run.
     * @return these options with that Maven.
     */
    public MeasurementOptions withMaven(final List<String> command, final List<String> arguments)
    {
        return new MeasurementOptions(command, arguments, mavenLimit, advisories, performanceCommand,
            performanceRuns, performanceLimit);
    }

    /**
     * @param limit the longest one Maven run may take.
     * @return these options with that limit.
     */
    public MeasurementOptions withMavenLimit(final Duration limit)
    {
        return new MeasurementOptions(maven, mavenArguments, limit, advisories, performanceCommand,
            performanceRuns, performanceLimit);
    }

    /**
     * @param file the advisory database.
     * @return these options auditing dependencies against it.
     */
    public MeasurementOptions withAdvisories(final Path file)
    {
        return new MeasurementOptions(maven, mavenArguments, mavenLimit, Optional.of(file), performanceCommand,
            performanceRuns, performanceLimit);
    }

    /**
     * @param command the command to time.
     * @param runs    how many times.
     * @param limit   the longest one run may take.
     * @return these options measuring that command.
     */
    public MeasurementOptions withPerformanceCommand(final String command, final int runs, final Duration limit)
    {
        return new MeasurementOptions(maven, mavenArguments, mavenLimit, advisories, Optional.of(command), runs,
            limit);
    }
}
