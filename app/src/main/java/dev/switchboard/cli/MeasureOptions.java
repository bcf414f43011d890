/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.switchboard.orchestrator.gates.measure.MeasurementOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How the orchestrator runs the tools that measure a tree, shared by {@code validate} (one measurement) and
 * {@code coordinate}/{@code receive} (one per finished phase).
 */
final class MeasureOptions
{
    @Option(names = "--maven", paramLabel = "CMD", defaultValue = "mvn",
        description = "the Maven command that runs the tools (default: ${DEFAULT-VALUE})")
    String maven;

    @Option(names = "--maven-timeout", paramLabel = "SECONDS", defaultValue = "1200",
        description = "longest the Maven run may take; then its metrics are not measured (default: ${DEFAULT-VALUE})")
    long mavenTimeoutSeconds;

    @Option(names = "--advisories", paramLabel = "FILE",
        description = "advisory database for the dependency audit (lines 'group:artifact<TAB>versions<TAB>id'); " +
            "without it the audit is not measured")
    Path advisories;

    @Option(names = "--perf-command", paramLabel = "CMD", defaultValue = "${env:SWITCHBOARD_PERF_COMMAND}",
        description = "command whose p95 wall time and peak memory are measured (sh -c, in the measured tree) " +
            "(default: the environment's SWITCHBOARD_PERF_COMMAND); without it performance is not measured")
    String perfCommand;

    @Option(names = "--perf-runs", paramLabel = "N", defaultValue = "20",
        description = "how many times --perf-command runs (default: ${DEFAULT-VALUE})")
    int perfRuns;

    /**
     * @param commandLine for errors.
     * @return the options, checked.
     * @throws ParameterException naming the bad option.
     */
    MeasurementOptions toOptions(final CommandLine commandLine)
    {
        if (advisories != null && !Files.isRegularFile(advisories))
        {
            throw new ParameterException(commandLine, "advisory database '" + advisories + "' is not a file");
        }
        if (perfRuns < 1 || mavenTimeoutSeconds < 1)
        {
            throw new ParameterException(commandLine, "--perf-runs and --maven-timeout must be at least 1");
        }
        MeasurementOptions options = MeasurementOptions.defaults()
            .withMaven(List.of(maven.strip().split("\\s+")), List.of())
            .withMavenLimit(Duration.ofSeconds(mavenTimeoutSeconds));
        if (advisories != null)
        {
            options = options.withAdvisories(advisories.toAbsolutePath());
        }
        if (perfCommand != null)
        {
            options = options.withPerformanceCommand(perfCommand, perfRuns, Duration.ofSeconds(60));
        }
        return options;
    }
}
