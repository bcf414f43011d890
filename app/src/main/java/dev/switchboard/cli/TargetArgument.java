/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.measure.MeasurementOptions;
import dev.switchboard.orchestrator.gates.measure.TreeMeasurement;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code --target TEXT --baseline current|MS --goal "N% improvement"}: an optimization held to a measured number.
 * The target's p95 wall time is measured ({@link TreeMeasurement}, which runs the command {@code --perf-runs} times)
 * with {@code --perf-command}, else the first phase's {@code performance:} command; before the workflow when the
 * baseline is {@code current}, and on the repository after the workflow's last phase merged. The improvement is
 * {@code 1 - after / baseline}; the run fails unless it reaches the goal. Immutable once checked.
 *
 * @param target   what is measured, for people.
 * @param command  the command measured.
 * @param baseline the baseline in milliseconds, or null for "current".
 * @param goal     the improvement wanted, as a fraction (0.5 for 50 %).
 * @param options  how the command runs.
 */
record TargetArgument(String target, String command, Double baseline, double goal, MeasurementOptions options)
{
    private static final Pattern GOAL = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*(?:%|percent)(?:\\s+\\w+)*\\s*$",
        Pattern.CASE_INSENSITIVE);

    /**
     * @param options     the run's options.
     * @param definition  the workflow, for its performance command.
     * @param commandLine for usage errors.
     * @return the target, or null without {@code --target}.
     * @throws ParameterException when the goal, baseline or command is missing or malformed.
     */
    static TargetArgument of(final RunOptions options, final WorkflowDefinition definition,
        final CommandLine commandLine)
    {
        if (options.target == null)
        {
            if (options.goal != null)
            {
                throw new ParameterException(commandLine, "--goal needs --target: what to measure");
            }
            return null;
        }
        if (options.goal == null)
        {
            throw new ParameterException(commandLine, "--target '" + options.target + "' needs --goal, e.g. " +
                "--goal \"50% improvement\"");
        }
        final Matcher goal = GOAL.matcher(options.goal);
        if (!goal.matches() || Double.parseDouble(goal.group(1)) <= 0 || Double.parseDouble(goal.group(1)) >= 100)
        {
            throw new ParameterException(commandLine, "--goal '" + options.goal + "': expected \"N% improvement\" " +
                "with 0 < N < 100 (how much lower the p95 must end than the baseline)");
        }
        final Double baseline;
        if ("current".equalsIgnoreCase(options.baseline.strip()))
        {
            baseline = null;
        }
        else
        {
            try
            {
                baseline = Double.parseDouble(options.baseline.strip().replaceFirst("(?i)\\s*ms$", ""));
            }
            catch (final NumberFormatException ex)
            {
                throw new ParameterException(commandLine, "--baseline '" + options.baseline + "': expected current " +
                    "or a p95 in milliseconds", ex);
            }
            if (!(baseline > 0) || baseline.isInfinite())
            {
                throw new ParameterException(commandLine, "--baseline must be a positive number of milliseconds, " +
                    "was " + options.baseline);
            }
        }
        MeasurementOptions measurement = options.measure.toOptions(commandLine);
        String command = measurement.performanceCommand().orElse(null);
        if (command == null)
        {
            command = definition.phases().stream().map(PhaseDefinition::performanceCommand).filter(c -> !c.isEmpty())
                .findFirst().orElse(null);
            if (command == null)
            {
                throw new ParameterException(commandLine, "--target '" + options.target + "' needs a command to " +
                    "measure: give --perf-command CMD (or set SWITCHBOARD_PERF_COMMAND), or name it with " +
                    "performance: CMD on the workflow's optimization phase");
            }
            measurement = measurement.withPerformanceCommand(command, options.measure.perfRuns,
                Duration.ofSeconds(60));
        }
        return new TargetArgument(options.target, command, baseline, Double.parseDouble(goal.group(1)) / 100.0,
            measurement);
    }

    /**
     * @param tree the tree the command runs in.
     * @return the p95 in milliseconds, or not measured with why.
     * @throws IOException          when the scratch files fail.
     * @throws InterruptedException when interrupted.
     */
    Measurement measure(final Path tree) throws IOException, InterruptedException
    {
        return TreeMeasurement.measure(tree, EnumSet.of(Metric.P95_RESPONSE_MS), options)
            .get(Metric.P95_RESPONSE_MS)
            .orElse(Measurement.notMeasured(Metric.P95_RESPONSE_MS, "nothing measured it"));
    }

    /**
     * @param before the baseline measured, or null when it was given.
     * @param after  the p95 after the workflow.
     * @return the report's {@code target}: target, command, baseline, after, improvement, goal, met.
     */
    Map<String, Object> report(final Measurement before, final Measurement after)
    {
        final OptionalDouble base = baseline != null ? OptionalDouble.of(baseline) :
            before == null ? OptionalDouble.empty() : before.value();
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", target);
        map.put("command", command);
        map.put("baseline_p95_ms", base.isPresent() ? round(base.getAsDouble()) : null);
        map.put("baseline_source", baseline != null ? "given" : "measured before the workflow");
        map.put("after_p95_ms", after != null && after.value().isPresent() ? round(after.value().getAsDouble()) :
            null);
        final Double ratio = improvement(before, after);
        map.put("improvement_percent", ratio == null ? null : round(ratio * 100.0));
        map.put("goal_percent", round(goal * 100.0));
        map.put("goal_met", ratio != null && ratio >= goal);
        return map;
    }

    /** @return 1 - after / baseline, or null when either is not measured. */
    Double improvement(final Measurement before, final Measurement after)
    {
        final OptionalDouble base = baseline != null ? OptionalDouble.of(baseline) :
            before == null ? OptionalDouble.empty() : before.value();
        if (base.isEmpty() || base.getAsDouble() <= 0 || after == null || after.value().isEmpty())
        {
            return null;
        }
        return 1.0 - after.value().getAsDouble() / base.getAsDouble();
    }

    /** @return e.g. "p95 of 'sh api.sh' (API response time)". */
    String describe()
    {
        return String.format(Locale.ROOT, "%s: p95 of '%s', goal %.0f %% lower", target, command, goal * 100.0);
    }

    private static double round(final double value)
    {
        return Math.round(value * 10.0) / 10.0;
    }
}
