/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.switchboard.codecs.JvmFlags;

/**
 * Runs the JMH suites in a JVM of their own ({@code org.openjdk.jmh.Main} with the profile's options,
 * {@code -prof gc}, both modes each benchmark declares), writing {@code jmh.json} into the run directory and the
 * full JMH output to {@code logs/jmh.out}; the console gets one line per benchmark and its result.
 */
final class JmhRunner
{
    private final Path runDir;
    private final Profile profile;
    private final String regex;
    private final PrintStream console;

    JmhRunner(final Path runDir, final Profile profile, final String regex, final PrintStream console)
    {
        this.runDir = runDir;
        this.profile = profile;
        this.regex = regex;
        this.console = console;
    }

    /**
     * @return the JSON file relative to the run directory, or null when JMH failed.
     * @throws Exception when JMH cannot be started.
     */
    String run() throws Exception
    {
        final Path json = runDir.resolve("jmh.json");
        final Path log = runDir.resolve("logs").resolve("jmh.out");
        Files.createDirectories(log.getParent());
        final List<String> command = new ArrayList<>();
        command.add(Machine.javaBinary());
        // JMH's forks start with this JVM's flags (JMH's default), and with -f 0 (the smoke profile) benchmarks run in
        // it: the router's flags, for ClientPollBenchmark's IPC clients open LOW.
        command.addAll(JvmFlags.router());
        command.addAll(Machine.CHILD_JVM_SETTINGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jmh.Main", regex,
            "-prof", "gc", "-rf", "json", "-rff", json.toString()));
        command.addAll(profile.jmhArgs());
        console.printf("[jmh] %s%n", String.join(" ", profile.jmhArgs()));
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        final Process process = pb.start();
        int benchmarks = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true))
        {
            String line;
            String mode = null;
            while ((line = r.readLine()) != null)
            {
                out.println(line);
                // JMH prints a run's mode before its name.
                if (line.startsWith("# Benchmark mode: "))
                {
                    mode = line.substring("# Benchmark mode: ".length());
                }
                else if (line.startsWith("# Benchmark: "))
                {
                    benchmarks++;
                    console.printf("  jmh %2d  %s (%s)%n", benchmarks, line.substring("# Benchmark: ".length()),
                        mode);
                }
                else if (line.startsWith("Result \"") || line.contains("ERROR") || line.contains("Exception"))
                {
                    console.printf("          %s%n", line.trim());
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            console.println("[jmh] timed out");
            return null;
        }
        if (process.exitValue() != 0 || !Files.exists(json))
        {
            console.printf("[jmh] failed (exit %d); see %s%n", process.exitValue(), runDir.relativize(log));
            return null;
        }
        return runDir.relativize(json).toString();
    }
}
