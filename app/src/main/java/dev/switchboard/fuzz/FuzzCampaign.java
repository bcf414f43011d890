/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fuzz campaign: runs each target of its {@link FuzzSettings} in turn (codecs, inbox, then the sockets of a router
 * on each engine), collects what each did and found ({@link TargetReport}, {@link Finding}), and writes
 * {@code fuzz-report.json}, the reproducers ({@code findings/}) and the routers' logs ({@code logs/}) under the out
 * dir. Every input derives from the seed and its index, so a finding is reproduced by its seed and input indices;
 * its bytes are saved as well.
 * <p>
 * {@code ./switchboard fuzz} ({@link FuzzMain}) and the CI test run it. Thread-safety: one {@link #run()} at a time.
 */
public final class FuzzCampaign
{
    /** Name of the JSON report in the out dir. */
    public static final String REPORT_FILE = "fuzz-report.json";

    private final FuzzSettings settings;
    private final PrintStream out;
    private CodecTarget.Check codecCheck;

    /**
     * @param settings what to run.
     * @param out      where progress and findings are printed as they happen.
     */
    public FuzzCampaign(final FuzzSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Check the codecs target's inputs with this instead of the oracle (a test's deliberately broken decoder).
     *
     * @param check the check.
     * @return this.
     */
    FuzzCampaign codecCheck(final CodecTarget.Check check)
    {
        this.codecCheck = check;
        return this;
    }

    /**
     * Run every target and write the report.
     *
     * @return what each target did and found.
     * @throws IOException if the out dir or the report cannot be written.
     * @throws InterruptedException if interrupted.
     */
    public Result run() throws IOException, InterruptedException
    {
        final long start = System.nanoTime();
        final Path outDir = settings.outDir().toAbsolutePath();
        Files.createDirectories(outDir);
        final FindingLog findings = new FindingLog(outDir.resolve("findings"), out);
        final List<TargetReport> reports = new ArrayList<>();
        out.println("fuzz: " + settings);
        for (final FuzzSettings.Target target : settings.targets())
        {
            switch (target)
            {
                case CODECS -> reports.add(codecCheck == null ? CodecTarget.withOracle(settings, findings, out).run() :
                    new CodecTarget(settings, findings, out, codecCheck, null).run());
                case INBOX -> reports.add(new InboxTarget(settings, findings, out).run());
                case SOCKETS ->
                {
                    for (final String engine : settings.engines())
                    {
                        reports.add(new SocketTarget(settings, engine, findings, out).run(outDir.resolve("logs")));
                    }
                }
            }
            final TargetReport last = reports.get(reports.size() - 1);
            out.printf(Locale.ROOT, "fuzz: %s done: %,d inputs in %.1f s, %d finding(s)%n", last.name(),
                last.inputs(), last.elapsedNs() / 1e9, last.findingCount());
        }
        final Result result = new Result(settings, reports, System.nanoTime() - start, outDir.resolve(REPORT_FILE));
        Files.writeString(result.reportFile(), result.toJson(), StandardCharsets.UTF_8);
        return result;
    }

    /**
     * Delete a directory tree, quietly: a leftover temporary directory is harmless.
     *
     * @param dir the directory.
     */
    static void deleteQuietly(final Path dir)
    {
        try (var paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException | RuntimeException e)
        {
            // nothing to do
        }
    }

    /**
     * What a campaign did: one report per target run, its duration and where its JSON report is.
     *
     * @param settings   the settings it ran with.
     * @param targets    one report per target (per engine for sockets), in the order they ran.
     * @param elapsedNs  wall-clock time of the whole campaign.
     * @param reportFile the JSON report.
     */
    public record Result(FuzzSettings settings, List<TargetReport> targets, long elapsedNs, Path reportFile)
    {
        /**
         * @return findings over all targets, kept or not.
         */
        public long findingCount()
        {
            return targets.stream().mapToLong(TargetReport::findingCount).sum();
        }

        /**
         * @return the findings kept, over all targets.
         */
        public List<Finding> findings()
        {
            return targets.stream().flatMap(t -> t.findings().stream()).toList();
        }

        /**
         * @return inputs run, over all targets.
         */
        public long inputs()
        {
            return targets.stream().mapToLong(TargetReport::inputs).sum();
        }

        /**
         * @return the summary table: one line per target.
         */
        public String table()
        {
            final StringBuilder table = new StringBuilder();
            table.append(String.format(Locale.ROOT, "%-14s %12s %12s %9s %13s %12s %8s %8s %10s %5s %5s %5s %5s%n",
                "target", "inputs", "frames", "conns", "closed/expect", "replies", "time s", "run s", "inputs/s",
                "crash", "hang", "loss", "wrong"));
            for (final TargetReport t : targets)
            {
                table.append(String.format(Locale.ROOT,
                    "%-14s %,12d %,12d %,9d %13s %,12d %8.1f %8.1f %,10.0f %5d %5d %5d %5d%n", t.name(), t.inputs(),
                    t.frames(), t.connections(), t.closedAsExpected() + "/" + t.closesExpected(), t.replies(),
                    t.elapsedNs() / 1e9, t.runningNs() / 1e9, t.inputsPerSecond(), t.count(Finding.Kind.CRASH),
                    t.count(Finding.Kind.HANG),
                    t.count(Finding.Kind.LOSS), t.count(Finding.Kind.WRONG)));
                for (final String note : t.notes())
                {
                    table.append("    ").append(note).append(System.lineSeparator());
                }
            }
            table.append(String.format(Locale.ROOT, "seed %d: %,d inputs in %.1f s, %d finding(s); report %s%n",
                settings.seed(), inputs(), elapsedNs / 1e9, findingCount(), reportFile));
            return table.toString();
        }

        /**
         * @return the report as JSON: the settings, then per target its counts, details, notes and findings.
         */
        public String toJson()
        {
            final StringBuilder json = new StringBuilder(4096);
            json.append("{\n  \"seed\": ").append(settings.seed())
                .append(",\n  \"elapsedSeconds\": ").append(seconds(elapsedNs))
                .append(",\n  \"inputs\": ").append(inputs())
                .append(",\n  \"findings\": ").append(findingCount())
                .append(",\n  \"settings\": {\"connections\": ").append(settings.connections())
                .append(", \"batchFrames\": ").append(settings.batchFrames())
                .append(", \"closeEvery\": ").append(settings.closeEvery())
                .append(", \"corruptEvery\": ").append(settings.corruptEvery())
                .append(", \"deadlineMs\": ").append(settings.deadlineMs())
                .append(", \"engines\": [");
            for (int i = 0; i < settings.engines().size(); i++)
            {
                json.append(i > 0 ? ", " : "").append(quote(settings.engines().get(i)));
            }
            json.append("]},\n  \"targets\": [");
            for (int i = 0; i < targets.size(); i++)
            {
                final TargetReport t = targets.get(i);
                json.append(i > 0 ? "," : "").append("\n    {\"target\": ").append(quote(t.name()))
                    .append(", \"inputs\": ").append(t.inputs())
                    .append(", \"frames\": ").append(t.frames())
                    .append(", \"bytes\": ").append(t.bytes())
                    .append(", \"connections\": ").append(t.connections())
                    .append(", \"closesExpected\": ").append(t.closesExpected())
                    .append(", \"closedAsExpected\": ").append(t.closedAsExpected())
                    .append(", \"replies\": ").append(t.replies())
                    .append(", \"elapsedSeconds\": ").append(seconds(t.elapsedNs()))
                    .append(", \"runningSeconds\": ").append(seconds(t.runningNs()))
                    .append(", \"inputsPerSecond\": ").append(Math.round(t.inputsPerSecond()));
                for (final Finding.Kind kind : Finding.Kind.values())
                {
                    json.append(", \"").append(kind.name().toLowerCase(Locale.ROOT)).append("\": ")
                        .append(t.count(kind));
                }
                json.append(",\n     \"details\": {");
                int n = 0;
                for (final Map.Entry<String, Long> detail : t.details().entrySet())
                {
                    json.append(n++ > 0 ? ", " : "").append(quote(detail.getKey())).append(": ")
                        .append(detail.getValue());
                }
                json.append("},\n     \"notes\": [");
                n = 0;
                for (final String note : t.notes())
                {
                    json.append(n++ > 0 ? ", " : "").append(quote(note));
                }
                json.append("],\n     \"findings\": [");
                n = 0;
                for (final Finding f : t.findings())
                {
                    json.append(n++ > 0 ? "," : "").append("\n       {\"kind\": ").append(quote(f.kind().name()))
                        .append(", \"seed\": ").append(f.seed())
                        .append(", \"firstInput\": ").append(f.firstIndex())
                        .append(", \"lastInput\": ").append(f.lastIndex())
                        .append(", \"detail\": ").append(quote(f.detail()))
                        .append(", \"reproducer\": ").append(f.reproducer() == null ? "null" :
                            quote(f.reproducer().toString()))
                        .append('}');
                }
                json.append("]}");
            }
            return json.append("\n  ]\n}\n").toString();
        }

        private static String seconds(final long ns)
        {
            return String.format(Locale.ROOT, "%.3f", ns / (double)TimeUnit.SECONDS.toNanos(1));
        }

        private static String quote(final String text)
        {
            final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
            for (int i = 0; i < text.length(); i++)
            {
                final char c = text.charAt(i);
                switch (c)
                {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    case '\n' -> quoted.append("\\n");
                    case '\r' -> quoted.append("\\r");
                    case '\t' -> quoted.append("\\t");
                    default ->
                    {
                        if (c < 0x20)
                        {
                            quoted.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                        }
                        else
                        {
                            quoted.append(c);
                        }
                    }
                }
            }
            return quoted.append('"').toString();
        }
    }
}
