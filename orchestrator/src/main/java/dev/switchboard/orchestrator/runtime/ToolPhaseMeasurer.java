/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.switchboard.orchestrator.agents.AgentInvocation;
import dev.switchboard.orchestrator.agents.ResultFile;
import dev.switchboard.orchestrator.engine.WorkflowEvent.MeasuredMetric;
import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Measurements;
import dev.switchboard.orchestrator.gates.Metric;
import dev.switchboard.orchestrator.gates.measure.MeasurementOptions;
import dev.switchboard.orchestrator.gates.measure.TreeMeasurement;
import dev.switchboard.orchestrator.prompt.AnalysisFacts;
import dev.switchboard.orchestrator.prompt.TaskPrompt;
import dev.switchboard.orchestrator.workflow.Capabilities;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskInstructions;

/**
 * Measures a phase's merged tree with the real tools ({@link TreeMeasurement}: JaCoCo, PMD, SpotBugs + FindSecBugs,
 * the secrets scan, the analysis, the named performance command) and has the review gate evaluated by a reviewer
 * agent: the agent is run on the merged tree with a prompt naming the phase's changes, and its result file's
 * {@code verdict} ({@code approve} or {@code reject}, with {@code findings}) is the measurement of
 * {@link Metric#REVIEW_APPROVED}. Without a reviewer, or when the reviewer gives no verdict, the metric is "not
 * measured" with why, and a blocking review gate fails with that reason. Thread-safe for one phase at a time.
 */
public final class ToolPhaseMeasurer implements PhaseMeasurer
{
    private final MeasurementOptions options;
    private final AgentInvocation reviewer;
    private final Path runDirectory;

    /**
     * @param options      how to run the tools.
     * @param reviewer     the agent that reviews, or null when there is none.
     * @param runDirectory where reviews keep their prompt, result and logs.
     */
    public ToolPhaseMeasurer(final MeasurementOptions options, final AgentInvocation reviewer,
        final Path runDirectory)
    {
        this.options = Objects.requireNonNull(options, "options");
        this.reviewer = reviewer;
        this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
    }

    @Override
    public List<MeasuredMetric> measure(final Request request) throws InterruptedException
    {
        final Set<Metric> tools = request.metrics().isEmpty() ? EnumSet.noneOf(Metric.class) :
            EnumSet.copyOf(request.metrics());
        tools.remove(Metric.REVIEW_APPROVED);
        final List<MeasuredMetric> measured = new ArrayList<>();
        if (!tools.isEmpty())
        {
            try
            {
                final MeasurementOptions phaseOptions = request.performanceCommand().isEmpty() ? options :
                    options.withPerformanceCommand(request.performanceCommand(), options.performanceRuns(),
                        options.performanceLimit());
                final Measurements found = TreeMeasurement.measure(request.tree(), tools, phaseOptions);
                for (final Metric metric : tools)
                {
                    measured.add(found.get(metric).map(ToolPhaseMeasurer::toJournal).orElseGet(() ->
                        new MeasuredMetric(metric, null, found.reasonNotMeasured(metric), List.of())));
                }
            }
            catch (final IOException ex)
            {
                measured.addAll(PhaseMeasurer.notMeasured(tools, "the merged tree could not be read: " +
                    ex.getMessage()));
            }
        }
        if (request.metrics().contains(Metric.REVIEW_APPROVED))
        {
            measured.add(review(request));
        }
        return measured;
    }

    /**
     * @param measurement a measurement.
     * @return it as the journal keeps it.
     */
    static MeasuredMetric toJournal(final Measurement measurement)
    {
        return new MeasuredMetric(measurement.metric(), measurement.measured() ? measurement.value().getAsDouble() :
            null, measurement.note(), measurement.details());
    }

    private MeasuredMetric review(final Request request) throws InterruptedException
    {
        if (reviewer == null)
        {
            return new MeasuredMetric(Metric.REVIEW_APPROVED, null, "no reviewer: no agent of the agents file " +
                "declares capability " + Capabilities.REVIEW, List.of());
        }
        final TaskDefinition review = new TaskDefinition(request.phaseId() + ".review-" + request.round(),
            "Review phase " + request.phaseName(), Capabilities.REVIEW, List.copyOf(request.outputs().keySet()), 15,
            false, new TaskInstructions(
                "Review the merged work of phase '" + request.phaseName() + "' of workflow " + request.workflow() +
                    " for ${scope}: the repository is the merged result. Check it against what the phase's tasks " +
                    "were to do (their outputs are below) and decide whether the next phase may build on it. Put " +
                    "\"verdict\": \"" + ResultFile.APPROVE + "\" or \"" + ResultFile.REJECT + "\" and the " +
                    "\"findings\" (what must change, each with file:line) in the result file.",
                "", List.of("the result file holds a verdict", "every finding names a file")));
        final Path dir = runDirectory.resolve("reviews").resolve(request.phaseId() + "-" + request.round());
        final TaskPrompt prompt = TaskPrompt.render(request.workflow(), review,
            new TaskPrompt.Scope(request.scope(), request.tree()), AnalysisFacts.NONE, request.outputs());
        final AgentInvocation.Outcome outcome;
        try
        {
            outcome = reviewer.run(prompt, request.tree(), dir);
        }
        catch (final IOException ex)
        {
            return new MeasuredMetric(Metric.REVIEW_APPROVED, null, "the review could not be set up in " + dir +
                ": " + ex.getMessage(), List.of());
        }
        final String who = "reviewer " + reviewer.agent().name();
        if (!outcome.succeeded())
        {
            return new MeasuredMetric(Metric.REVIEW_APPROVED, null, who + " failed: " + firstLine(outcome.message()),
                List.of());
        }
        final Path file = dir.resolve(ResultFile.FILE_NAME);
        if (!Files.exists(file))
        {
            return new MeasuredMetric(Metric.REVIEW_APPROVED, null, who + " wrote no " + ResultFile.FILE_NAME +
                " with a verdict", List.of());
        }
        try
        {
            final ResultFile result = ResultFile.read(file);
            if (result.verdict().isEmpty())
            {
                return new MeasuredMetric(Metric.REVIEW_APPROVED, null, who + " gave no verdict in " + file,
                    result.findings());
            }
            final boolean approved = result.verdict().equals(ResultFile.APPROVE);
            return new MeasuredMetric(Metric.REVIEW_APPROVED, approved ? 1.0 : 0.0, who + ": " + result.verdict() +
                (result.summary().isEmpty() ? "" : " (" + firstLine(result.summary()) + ")"), result.findings());
        }
        catch (final IOException ex)
        {
            return new MeasuredMetric(Metric.REVIEW_APPROVED, null, who + ": " + ex.getMessage(), List.of());
        }
    }

    /** @return the text up to its first line break: a one-line notice or note of a longer message. */
    static String firstLine(final String text)
    {
        final int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
