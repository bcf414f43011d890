/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Writes a run directory's {@code report.md} and {@code plots/*.png} from its {@code harness.json}, HdrHistogram
 * logs and {@code jmh.json}, for a performance engineer: the targets first, then latency, throughput, system
 * calls, JMH and profiles. Run as {@code ReportWriter <runDir>} to regenerate a report.
 *
 * <p>One report at a time per run directory; a missing hlog, JMH file or plot is said in the report, not thrown.
 */
public final class ReportWriter
{
    /** The run's results, written by the harness. */
    public static final String HARNESS_JSON = "harness.json";

    /** The report, in the run directory. */
    public static final String REPORT_MD = "report.md";

    /** The charts' directory, relative to the run directory. */
    static final String PLOTS_DIR = "plots";

    private ReportWriter()
    {
    }

    /**
     * @param runDir a run directory holding {@code harness.json}.
     * @return the path of the {@code report.md} written.
     * @throws IOException when {@code harness.json} cannot be read or the report cannot be written.
     */
    public static Path write(final Path runDir) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final Path harnessJson = runDir.resolve(HARNESS_JSON);
        if (!Files.isRegularFile(harnessJson))
        {
            throw new IOException("no " + HARNESS_JSON + " in " + runDir.toAbsolutePath() +
                ": pass a run directory (benchmarks/results/<timestamp>/)");
        }
        final RunResult run = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .readValue(harnessJson.toFile(), RunResult.class);
        final RunCases cases = new RunCases(run);

        JmhResults jmh = null;
        String jmhMissing = null;
        if (null == run.jmhJson() || run.jmhJson().isBlank())
        {
            jmhMissing = "JMH did not run in this run";
        }
        else if (!Files.isRegularFile(runDir.resolve(run.jmhJson())))
        {
            jmhMissing = "JMH results file " + run.jmhJson() + " not found";
        }
        else
        {
            try
            {
                jmh = JmhResults.read(runDir.resolve(run.jmhJson()));
            }
            catch (final IOException ex)
            {
                jmhMissing = "cannot read " + run.jmhJson() + ": " + ex.getMessage();
            }
        }

        final CaseNotes notes = new CaseNotes(cases.ordered());
        final StringBuilder md = new StringBuilder();
        header(md, run, cases);
        targets(md, cases, jmh, jmhMissing, run);
        skipped(md, cases, notes);
        md.append(PairedSection.paired(cases));
        md.append(PairedSection.settings(cases));
        md.append(LatencySection.render(cases, notes, runDir));
        md.append(ThroughputSection.throughput(cases, notes, runDir));
        md.append(ThroughputSection.syscalls(cases));
        md.append(PairedSection.idle(cases));
        md.append(OrchestratorSection.render(run.orchestrator()));
        md.append(JmhSection.render(jmh, run.jmhJson(), jmhMissing));
        profiles(md, run);
        final String leftOver = notes.remaining();
        if (!leftOver.isEmpty())
        {
            md.append("## Other notes\n\n").append(leftOver).append('\n');
        }

        final Path report = runDir.resolve(REPORT_MD);
        Files.writeString(report, md.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
        return report;
    }

    /**
     * Regenerate a run directory's report.
     *
     * @param args the run directory.
     */
    public static void main(final String[] args)
    {
        if (args.length != 1)
        {
            System.err.println("usage: ReportWriter <runDir>   (a benchmarks/results/<timestamp>/ directory)");
            System.exit(2);
        }
        try
        {
            System.out.println(write(Path.of(args[0])));
        }
        catch (final IOException ex)
        {
            System.err.println("report not written: " + ex.getMessage());
            System.exit(1);
        }
    }

    private static void header(final StringBuilder md, final RunResult run, final RunCases cases)
    {
        md.append("# Switchboard benchmark report — ").append(text(run.startedAt())).append("\n\n");
        md.append("Run **").append(text(run.startedAt())).append("**, profile **").append(text(run.profile()))
            .append("**, elapsed ").append(ReportFormat.duration(run.elapsedSeconds())).append(".\n\n");

        final RunResult.Machine m = run.machine();
        if (null != m)
        {
            md.append("- **Machine:** ").append(text(m.cpuModel())).append(", ").append(m.cpus())
                .append(" CPUs, kernel ").append(text(m.kernel())).append(", JDK ").append(text(m.jdk())).append('\n');
            md.append("- **Pinning:** ").append(text(m.pinning())).append('\n');
        }
        final RunResult.Settings s = run.settings();
        if (null != s && s.rounds() == 0)
        {
            md.append("- **Settings:** a run from before paired rounds (no rounds, warm-up by time); ping-pong ")
                .append(ReportFormat.count(s.pingPongSamples())).append(" round trips per case (at most ")
                .append(ReportFormat.duration(s.pingPongMaxSeconds())).append("); one-way ")
                .append(ReportFormat.count(s.oneWayRatePerSecond())).append(" msg/s for ")
                .append(ReportFormat.duration(s.oneWaySeconds())).append('\n');
        }
        else if (null != s)
        {
            md.append("- **Settings:** every phase in ").append(s.rounds()).append(" rounds; ping-pong ")
                .append(ReportFormat.count(s.pingPongSamples()))
                .append(" round trips per case at the headline payload (a tenth at the others; at most ")
                .append(ReportFormat.duration(s.pingPongMaxSeconds())).append(" a phase); warm-up by count: ")
                .append(ReportFormat.count(s.warmupRoundTrips())).append(" round trips before a phase, ")
                .append(ReportFormat.count(s.roundWarmupRoundTrips())).append(" before each later round, ")
                .append(ReportFormat.count(s.warmupMessages())).append(" messages before one-way and throughput; ")
                .append("one-way ").append(ReportFormat.count(s.oneWayRatePerSecond())).append(" msg/s for ")
                .append(ReportFormat.duration(s.oneWaySeconds())).append("; throughput ")
                .append(ReportFormat.duration(s.throughputSeconds())).append(" per phase with 1 and ")
                .append(s.producers()).append(" producers; at most ").append(s.pollLimit())
                .append(" messages per poll, every case; wake-up ").append(ReportFormat.count(s.wakeUpSamples()))
                .append(" messages ").append(ReportFormat.count(s.wakeUpIntervalUs())).append(" µs apart; idle window ")
                .append(ReportFormat.duration(s.idleSeconds())).append("; payloads ")
                .append(null == s.payloadLengths() ? ReportFormat.MISSING :
                    s.payloadLengths().stream().map(p -> p + " B").collect(Collectors.joining(", ")))
                .append('\n');
        }
        md.append('\n');

        final String floorId = cases.ordered().stream().filter(c -> RunCases.FLOOR_KIND.equals(c.kind()))
            .map(CaseResult::id).findFirst().orElse(RunCases.FLOOR_ID);
        md.append("## How to read this\n\n")
            .append("One-way latency is the receiver's clock minus the message's intended send time, on the same ")
            .append("clock, at a fixed rate: a sender that falls behind is charged for it (coordinated omission ")
            .append("corrected). Ping-pong tables show round-trip times; their one-way columns are RTT/2, not a ")
            .append("separate measurement. Each Switchboard case ran in alternating rounds with the raw mechanism ")
            .append("it is judged against (its group: see Paired rounds), and the Targets' ratios are medians of ")
            .append("per-round ratios, so the machine's drift between rounds cancels out. The latency tables pool ")
            .append("every round and give ratios to the C cache-line floor (`").append(floorId)
            .append("`: one cache line passed between two processes) for orientation only. On a ")
            .append(null == m ? "small" : m.cpus() + "-vCPU")
            .append(" VM, p99.9 and max are dominated by hypervisor steal, not by the transport: compare p50 and ")
            .append("p99 first.");
        final long floors = cases.ran().stream().filter(c -> RunCases.FLOOR_KIND.equals(c.kind())).count();
        if (floors > 1)
        {
            md.append(" The floor was measured again at the end of the run; the later floor's ratio columns show how ")
                .append("far the floor drifted (this VM's floor is bimodal).");
        }
        md.append("\n\n");
    }

    private static String text(final String value)
    {
        return null == value || value.isBlank() ? "unknown" : value;
    }

    private static void targets(
        final StringBuilder md, final RunCases cases, final JmhResults jmh, final String jmhMissing,
        final RunResult run)
    {
        md.append("## Targets\n\n").append("Judged on the ").append(cases.headlinePayload())
            .append(" B results of this run. A ratio of a Switchboard case to its raw anchor is the median of the ")
            .append("per-round ratios of their paired rounds (\"0.95–1.31x\": the smallest and largest round); a ")
            .append("ratio across groups is pooled and only informs. A MISS is a MISS: no threshold is tuned to ")
            .append("pass.\n\n");
        final List<Targets.Row> rows = new ArrayList<>(Targets.evaluate(cases, jmh, jmhMissing));
        rows.addAll(OrchestratorSection.targetRows(run.orchestrator()));
        final MarkdownTable table = new MarkdownTable(4, "Target", "Measured", "Goal", "Result");
        for (final Targets.Row row : rows)
        {
            table.row(row.target(), row.measured(), row.goal(), row.verdictText());
        }
        md.append(table.render()).append('\n')
            .append("**").append(count(rows, Targets.Verdict.PASS)).append(" PASS, ")
            .append(count(rows, Targets.Verdict.MISS)).append(" MISS, ")
            .append(count(rows, Targets.Verdict.NOT_AVAILABLE)).append(" n/a** (")
            .append(count(rows, Targets.Verdict.INFO)).append(" info rows).\n\n");
    }

    private static long count(final List<Targets.Row> rows, final Targets.Verdict verdict)
    {
        return rows.stream().filter(r -> r.verdict() == verdict).count();
    }

    private static void skipped(final StringBuilder md, final RunCases cases, final CaseNotes notes)
    {
        final List<CaseResult> skipped = cases.skipped();
        if (skipped.isEmpty())
        {
            return;
        }
        md.append("## Cases not run\n\n");
        for (final CaseResult c : skipped)
        {
            md.append("- ").append(notes.name(c)).append(": ").append(c.skipped()).append('\n');
        }
        md.append(notes.footnotes(skipped)).append('\n');
    }

    private static void profiles(final StringBuilder md, final RunResult run)
    {
        md.append("## Profiles\n\n");
        final List<RunResult.ProfileSummary> profiles =
            null == run.profiles() ? List.of() : run.profiles().stream().filter(Objects::nonNull).toList();
        if (profiles.isEmpty())
        {
            md.append("No JFR profiles in this run (they are taken for missed targets).\n");
            return;
        }
        md.append("JFR recordings of cases behind missed targets: the methods most often on top of the stack, ")
            .append("as a share of execution samples.\n\n");
        for (final RunResult.ProfileSummary p : profiles)
        {
            md.append("### `").append(p.caseId()).append("`, ").append(p.process());
            if (null != p.jfrFile())
            {
                md.append(" ([").append(p.jfrFile()).append("](").append(p.jfrFile()).append("))");
            }
            md.append("\n\n");
            final List<String> frames = null == p.topFrames() ? List.of() : p.topFrames();
            if (frames.isEmpty())
            {
                md.append("No execution samples.\n\n");
                continue;
            }
            for (int i = 0; i < frames.size(); i++)
            {
                md.append(i + 1).append(". `").append(frames.get(i)).append("`\n");
            }
            md.append('\n');
        }
    }
}
