/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * The latency and memory of a command the workflow names: it runs {@code sh -c COMMAND} in the tree N times, one
 * after another. p95 is the nearest-rank 95th percentile of the wall times (process start to exit, so a JVM's
 * start-up counts: the command is what a user runs). Peak memory is the largest maximum resident set size GNU
 * {@code /usr/bin/time} reports over the runs (for the command's process tree, the largest single process); without
 * {@code /usr/bin/time} memory is not measured. A run that fails or exceeds its limit makes both not measured.
 */
final class CommandPerformance
{
    static final Path GNU_TIME = Path.of("/usr/bin/time");

    private CommandPerformance()
    {
    }

    /**
     * @param root    the tree, the command's working directory.
     * @param options the command, the runs and the limit.
     * @param work    a scratch directory.
     * @return p95 and memory, in that order.
     * @throws IOException          when the scratch files fail.
     * @throws InterruptedException when interrupted.
     */
    static List<Measurement> measure(final Path root, final MeasurementOptions options, final Path work)
        throws IOException, InterruptedException
    {
        if (options.performanceCommand().isEmpty())
        {
            final String why = "no performance command is named (validate --perf-command CMD)";
            return List.of(Measurement.notMeasured(Metric.P95_RESPONSE_MS, why),
                Measurement.notMeasured(Metric.MEMORY_MB, why));
        }
        final String command = options.performanceCommand().get();
        final boolean timed = Files.isExecutable(GNU_TIME);
        final long[] nanos = new long[options.performanceRuns()];
        long peakKb = 0;
        for (int i = 0; i < nanos.length; i++)
        {
            final Path rss = work.resolve("rss-" + i);
            final List<String> argv = new ArrayList<>();
            if (timed)
            {
                argv.addAll(List.of(GNU_TIME.toString(), "-f", "%M", "-o", rss.toString()));
            }
            argv.addAll(List.of("sh", "-c", command));
            final ProcessRun run = ProcessRun.run(argv, root, work.resolve("perf.log"), options.performanceLimit());
            if (!run.succeeded())
            {
                final String why = "run " + (i + 1) + " of '" + command + "' failed: " + run.reason("the command");
                return List.of(Measurement.notMeasured(Metric.P95_RESPONSE_MS, why),
                    Measurement.notMeasured(Metric.MEMORY_MB, why));
            }
            nanos[i] = run.nanos();
            if (timed)
            {
                final List<String> lines = Files.readAllLines(rss, StandardCharsets.UTF_8);
                peakKb = Math.max(peakKb, Long.parseLong(lines.getLast().strip()));
            }
        }
        Arrays.sort(nanos);
        final int rank = (int)Math.ceil(0.95 * nanos.length);
        final double p95 = Math.round(nanos[rank - 1] / 100_000.0) / 10.0;
        final String runs = nanos.length + " runs of '" + command + "'";
        final Measurement memory = timed ?
            Measurement.of(Metric.MEMORY_MB, Math.round(peakKb / 102.4) / 10.0,
                "peak RSS over " + runs + " (/usr/bin/time)") :
            Measurement.notMeasured(Metric.MEMORY_MB, GNU_TIME + " is not installed (apt-get install time)");
        return List.of(Measurement.of(Metric.P95_RESPONSE_MS, p95, "p95 wall time over " + runs), memory);
    }
}
