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
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Main;
import dev.switchboard.ipc.StopSignals;

/**
 * The demo's last part: the orchestrator drives real agents on the sample repository shipped in
 * {@code samples/inventory-service}, copied to a temporary directory and committed to a new git repository there (the
 * project is never modified). It runs the real commands: {@code analyze} (gaps against the gates), {@code plan}
 * (AGENT_PLAN.md with a ready-to-run {@code invoke} command per task), then {@code coordinate --workflow feature}
 * with the named agents of {@code samples/agents/agents.yaml}: each a real process that applies the prepared patch of
 * its task in the task's own git worktree; the orchestrator merges each phase and measures the merged tree with the
 * real tools (JaCoCo, PMD, SpotBugs + FindSecBugs, the analysis, a reviewer agent for the review gate). What it shows,
 * all measured in the run: the implementation phase's code-quality gate fails on measured coverage and complexity, its
 * remediation tasks (tests for the uncovered classes, the complex method split) run and the numbers move; Testbed
 * crashes in the middle of its first task and the task is re-run on Testbed-2; the optional optimization phase, for
 * which no patch was prepared, is skipped after its agent fails. On a stop ({@link StopSignals}) coordinate stops its
 * agents and its router; the run then ends with a {@link java.util.concurrent.CancellationException} and the copy is
 * deleted.
 */
public final class OrchestrationDemo
{
    /** The sample repository, under the project root. */
    public static final String SAMPLE = "samples/inventory-service";
    /** The demo's agents file, under the project root. */
    public static final String AGENTS = "samples/agents/agents.yaml";
    /** The advisory database the dependency audit reads, under the project root. */
    public static final String ADVISORIES = "samples/agents/advisories.tsv";
    /** The agent whose first task crashes. */
    public static final String CRASHING_AGENT = "Testbed";

    private OrchestrationDemo()
    {
    }

    /**
     * What the run produced.
     *
     * @param repository the copy of the sample, a git repository holding the merged work.
     * @param status     the workflow's final status.
     * @param gates      phase to gate state, from the final report.
     * @param log        {@code git log --oneline} of the copy after the run.
     */
    public record Report(Path repository, String status, JsonNode gates, String log)
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
            git(repository, "init", "--quiet");
            git(repository, "add", "--all");
            git(repository, "-c", "user.name=Switchboard demo", "-c", "user.email=demo@switchboard.invalid",
                "commit", "--quiet", "-m", "The sample as shipped");
            return analyzePlanCoordinate(projectRoot, repository, out);
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

    private static Report analyzePlanCoordinate(final Path projectRoot, final Path repository, final PrintStream out)
    {
        final String agents = projectRoot.resolve(AGENTS).toAbsolutePath().normalize().toString();
        final String advisories = projectRoot.resolve(ADVISORIES).toAbsolutePath().normalize().toString();
        out.println();
        out.println("Orchestrator: analyse the sample repository, plan a feature workflow, run it with named agents " +
            "that change the code, in git worktrees, the gates measured by the tools");
        step(out, repository, "analyze", repository.toString());
        step(out, repository, "plan", repository.toString(), "--workflow", "feature", "--agents-file", agents);
        printCommands(out, repository.resolve("AGENT_PLAN.md"));

        if (!onPath(MAVEN))
        {
            // As a tier that cannot run here: one clear line, and the rest of the demo stands. The workflow's gates are
            // measured on the sample with Maven plugins; run without them, each blocking gate would fail "not measured".
            out.println("switchboard demo: WARNING the workflow run is skipped: its quality gates are measured with " +
                "Maven (JaCoCo, PMD, SpotBugs on the sample) and '" + MAVEN + "' is not on PATH; install Maven to see " +
                "it (analyze and plan above ran in full)");
            return new Report(repository, "SKIPPED", null, git(repository, "log", "--oneline", "--first-parent"));
        }
        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        final String[] coordinate = {"coordinate", "--workflow", "feature", "--repo", repository.toString(),
            "--scope", "low-stock alerts", "--agents-file", agents, "--advisories", advisories, "--timeout", "900"};
        out.println("$ switchboard " + String.join(" ", coordinate).replace(repository.toString(), "<copy>")
            .replace(projectRoot.toAbsolutePath().normalize() + "/", "") + "   (" + CRASHING_AGENT +
            " crashes in its first task)");
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
        if (exit != ExitCodes.OK)
        {
            throw new IllegalStateException("coordinate exited with " + exit + ": " + json);
        }
        final String log = git(repository, "log", "--oneline", "--first-parent");
        out.println("The copy's history (each phase's tasks merged from their own branches):");
        log.lines().forEach(line -> out.println("  " + line));
        out.println("AGENT_PLAN.md and AGENT_PLAN.json are in " + repository);
        return new Report(repository, report.path("status").asText(), report.path("quality_gates"), log);
    }

    /** The build tool the workflow's measured gates run. */
    static final String MAVEN = "mvn";

    /**
     * @param command a program's name.
     * @return whether an executable of that name is in a directory of {@code PATH}.
     */
    static boolean onPath(final String command)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return false;
        }
        for (final String dir : path.split(java.io.File.pathSeparator))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        return false;
    }

    /** Runs git in the copy; the output, or an exception with git's. */
    private static String git(final Path repository, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try
        {
            final Process git = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true)
                .start();
            final String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (git.waitFor() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + repository + ": " +
                    output);
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run git (the demo's orchestrator part needs it): " +
                ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git", ex);
        }
    }

    private static void step(final PrintStream out, final Path repository, final String... args)
    {
        out.println("$ switchboard " + String.join(" ", args).replace(repository.toString(), "<copy>"));
        final int exit = Main.run(args, out, out);
        StopSignals.current().throwIfStopRequested();
        if (exit != ExitCodes.OK)
        {
            throw new IllegalStateException("switchboard " + args[0] + " exited with " + exit);
        }
    }

    /** The plan's first ready-to-run agent commands: what a person would type to do a task by hand. */
    private static void printCommands(final PrintStream out, final Path plan)
    {
        try
        {
            final List<String> lines = Files.readAllLines(plan, StandardCharsets.UTF_8);
            final List<String> commands = lines.stream().filter(line -> line.contains("switchboard invoke"))
                .limit(2).toList();
            out.println("AGENT_PLAN.md (" + lines.size() + " lines), its first agent commands:");
            commands.forEach(line -> out.println("  " + (line.length() > 220 ? line.substring(0, 217) + "..." :
                line)));
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
