/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.switchboard.orchestrator.OrchestratorContext;
import dev.switchboard.orchestrator.metrics.MetricsFile;
import dev.switchboard.orchestrator.metrics.RunMetrics;
import dev.switchboard.orchestrator.metrics.SuccessMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard metrics [--metrics-file FILE] [--json]}: the specification's success metrics over the runs
 * {@code coordinate} and {@code receive} kept, and those of the last run, each beside its target; a metric no run
 * gives a basis for is "not measured". Exit 0, or 1 when the file cannot be read.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Show the success metrics of the kept runs (totals and the last run) beside their targets.")
final class MetricsCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--metrics-file", paramLabel = "FILE",
        description = "the kept runs, one JSON line each (default: ~/.switchboard/metrics.jsonl)")
    private Path metricsFile;

    @Option(names = "--json", description = "print {\"runs\":N,\"totals\":{...},\"last_run\":{...}} instead")
    private boolean json;

    @Override
    public Integer call() throws Exception
    {
        final MetricsFile file =
            new MetricsFile(metricsFile != null ? metricsFile : new OrchestratorContext().metricsFile());
        final List<RunMetrics> runs;
        try
        {
            runs = file.read();
        }
        catch (final IOException ex)
        {
            spec.commandLine().getErr().println("switchboard metrics: " + ex.getMessage());
            return ExitCodes.FAILED;
        }
        final PrintWriter out = spec.commandLine().getOut();
        final SuccessMetrics totals = SuccessMetrics.over(runs);
        final RunMetrics last = runs.isEmpty() ? null : runs.getLast();
        if (json)
        {
            final java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("runs", runs.size());
            map.put("file", file.path().toString());
            map.put("totals", totals.toMap());
            map.put("last_run", last == null ? null : SuccessMetrics.over(List.of(last)).toMap());
            out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map));
            out.flush();
            return ExitCodes.OK;
        }
        out.println("success metrics of " + runs.size() + " kept run" + (runs.size() == 1 ? "" : "s") + " in " +
            file.path());
        out.println("totals:");
        out.print(totals.table("  "));
        if (last != null)
        {
            out.println("last run: " + last.workflowId() + " (" + last.definition() + ", finished " +
                last.finishedAt() + ")");
            out.print(SuccessMetrics.over(List.of(last)).table("  "));
            if (!last.planChanges().isEmpty())
            {
                out.println("  plan changes: " + String.join("; ", last.planChanges()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
