/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.Main;
import dev.switchboard.ipc.StopSignals;

/**
 * The demo's last part: the orchestrator at work on the sample repository shipped in {@code samples/inventory-service}
 * (copied to a temporary directory first, so the project is never modified). It runs the real commands:
 * {@code analyze} (gaps against the gates), {@code plan} (writes AGENT_PLAN.md and AGENT_PLAN.json), then
 * {@code coordinate --workflow feature --agent-processes} with two task agents in JVMs of their own, the second
 * scripted to crash in the middle of its first task, so recovery moves that task to the other agent. Two agents of
 * capacity 1 make the crash certain: the implementation phase's two parallel tasks take both. Progress bars, the
 * departure and the gate results are printed as they happen. On a stop ({@link StopSignals}) coordinate stops its
 * agents and its router; the run then ends with a {@link java.util.concurrent.CancellationException} and the copy is
 * deleted.
 */
public final class OrchestrationDemo
{
    /** The sample repository, under the project root. */
    public static final String SAMPLE = "samples/inventory-service";
    /** The agent scripted to crash. */
    public static final String CRASHING_AGENT = "agent-2";

    private OrchestrationDemo()
    {
    }

    /**
     * What the run produced.
     *
     * @param repository the copy of the sample that was analysed and planned.
     * @param status     the workflow's final status.
     * @param gates      phase to gate state, from the final report.
     */
    public record Report(Path repository, String status, JsonNode gates)
    {
    }

    /**
     * @param projectRoot the project root (the directory holding {@value #SAMPLE}).
     * @param out         where everything is printed.
     * @return what was produced.
     * @throws IllegalStateException when a step fails, with its output.
     */
    public static Report run(final Path projectRoot, final PrintStream out)
    {
        final Path sample = projectRoot.resolve(SAMPLE);
        if (!Files.isDirectory(sample))
        {
            throw new IllegalStateException("the sample repository " + sample + " is missing (run from the project " +
                "root, or set -Dswitchboard.home)");
        }
        final Path repository = copy(sample);
        try
        {
            return analyzePlanCoordinate(repository, out);
        }
        catch (final RuntimeException ex)
        {
            if (StopSignals.current().isStopRequested())
            {
                // cut short, the copy holds a half-done run: it goes with the rest of the demo's files
                CrossProcessDemo.deleteRecursively(repository.getParent());
            }
            throw ex;
        }
    }

    private static Report analyzePlanCoordinate(final Path repository, final PrintStream out)
    {
        out.println();
        out.println("Orchestrator: analyse the sample repository, plan a feature workflow, run it across agent " +
            "processes");
        step(out, "analyze", repository.toString());
        step(out, "plan", repository.toString(), "--workflow", "feature");
        printStrategy(out, repository.resolve("AGENT_PLAN.md"));

        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        final String[] coordinate = {"coordinate", "--workflow", "feature", "--scope", repository.toString(),
            "--agents", "2", "--agent-processes", "--agent-script", CRASHING_AGENT + "=crash:1:150",
            "--task-duration-ms", "300", "--timeout", "120"};
        out.println("$ switchboard " + String.join(" ", coordinate).replace(repository.toString(), "<copy>") +
            "   (" + CRASHING_AGENT + " is scripted to crash mid-task)");
        final int exit = Main.run(coordinate, new PrintStream(json, true, StandardCharsets.UTF_8), out);
        StopSignals.current().throwIfStopRequested();
        final JsonNode report;
        try
        {
            report = new ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("coordinate printed no JSON report (exit " + exit + "): " + json, ex);
        }
        out.println("Workflow " + report.path("status").asText() + ", " + report.path("progress").asDouble() +
            " % complete; quality gates by phase: " + report.path("quality_gates"));
        if (exit != Main.EXIT_OK)
        {
            throw new IllegalStateException("coordinate exited with " + exit + ": " + json);
        }
        out.println("AGENT_PLAN.md and AGENT_PLAN.json are in " + repository);
        return new Report(repository, report.path("status").asText(), report.path("quality_gates"));
    }

    private static void step(final PrintStream out, final String... args)
    {
        out.println("$ switchboard " + String.join(" ", args));
        final int exit = Main.run(args, out, out);
        StopSignals.current().throwIfStopRequested();
        if (exit != Main.EXIT_OK)
        {
            throw new IllegalStateException("switchboard " + args[0] + " exited with " + exit);
        }
    }

    private static void printStrategy(final PrintStream out, final Path plan)
    {
        try
        {
            final List<String> lines = Files.readAllLines(plan, StandardCharsets.UTF_8);
            final List<String> strategy = new ArrayList<>();
            boolean in = false;
            for (final String line : lines)
            {
                if (line.startsWith("## "))
                {
                    in = line.startsWith("## Strategy");
                }
                if (in && !line.isBlank())
                {
                    strategy.add(line);
                }
            }
            out.println("AGENT_PLAN.md (" + lines.size() + " lines), its strategy:");
            strategy.forEach(line -> out.println("  " + line));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + plan, ex);
        }
    }

    private static Path copy(final Path sample)
    {
        try
        {
            final Path target = Files.createTempDirectory("switchboard-sample").resolve("inventory-service");
            try (Stream<Path> paths = Files.walk(sample))
            {
                for (final Path path : paths.toList())
                {
                    final Path to = target.resolve(sample.relativize(path).toString());
                    if (Files.isDirectory(path))
                    {
                        Files.createDirectories(to);
                    }
                    else
                    {
                        Files.copy(path, to);
                    }
                }
            }
            return target;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy the sample repository " + sample + ": " + ex.getMessage(), ex);
        }
    }
}
