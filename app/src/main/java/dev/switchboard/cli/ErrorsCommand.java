/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard errors}: the distinct error log of every process with a counters file (running, or dead within
 * the retention): per process, each kind of error with its count, first and last time and the first occurrence's
 * message, as Aeron's error log. {@code --json} for scripts. Exit 0 (also when there is no error), 2 on bad options.
 */
@Command(name = "errors", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Show the distinct error log of every router, agent process and orchestrator: each kind of error " +
        "with its count, first and last time and first message.")
final class ErrorsCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private CountersOptions where = new CountersOptions();

    @Option(names = "--json", description = "print one JSON document: {\"processes\":[{role, name, pid, alive, " +
        "errors:[{kind, count, first_ms, last_ms, message}]}], \"skipped\":[...]}")
    private boolean json;

    @Override
    public Integer call() throws Exception
    {
        final CountersSample sample = CountersSample.take(where.shmDirs());
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            final List<Map<String, Object>> processes = new ArrayList<>();
            for (final CountersSnapshot s : sample.snapshots())
            {
                final Map<String, Object> p = StatView.process(s, sample.epochMs());
                p.put("errors", StatView.errors(s));
                processes.add(p);
            }
            final Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("shm_dirs", sample.shmDirs().stream().map(Object::toString).toList());
            doc.put("processes", processes);
            doc.put("skipped", StatView.skipped(sample));
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            out.flush();
            return ExitCodes.OK;
        }
        final long total = sample.snapshots().stream().mapToLong(s -> s.errors().size()).sum();
        out.printf(Locale.ROOT, "switchboard errors: %d error kind%s in %d process%s in %s%n", total,
            total == 1 ? "" : "s", sample.snapshots().size(), sample.snapshots().size() == 1 ? "" : "es",
            StatView.dirs(sample));
        for (final CountersSnapshot s : sample.snapshots())
        {
            out.printf(Locale.ROOT, "%s %s (pid %d, %s)%n", s.role(), s.name(), s.pid(),
                s.alive() ? "running" : "not running");
            if (s.errors().isEmpty())
            {
                out.println("  no errors");
            }
            for (final CountersSnapshot.DistinctError e : s.errors())
            {
                out.printf(Locale.ROOT, "  %,d x %s (first %s, last %s)%n      %s%n", e.count(), e.kind(),
                    Instant.ofEpochMilli(e.firstMs()), Instant.ofEpochMilli(e.lastMs()), e.message());
            }
        }
        for (final CountersFiles.Skipped skipped : sample.skipped())
        {
            out.println("skipped " + skipped.file() + ": " + skipped.reason());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
