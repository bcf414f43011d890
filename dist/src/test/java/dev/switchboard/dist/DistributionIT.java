/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tarball runs on a machine with a Java 25 and no Maven: unpacked into a temporary directory, run from a working
 * directory outside the repository, with a PATH that holds every command but Maven's and no JAVA_HOME.
 */
@Tag("slow")
class DistributionIT
{
    private static final long DEMO_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(10);

    @TempDir
    static Path scratch;

    private static UnpackedDistribution distribution;
    private static Path path;
    private static Path workingDirectory;

    @BeforeAll
    static void unpack() throws IOException, InterruptedException
    {
        distribution = UnpackedDistribution.unpack(Files.createDirectories(scratch.resolve("unpacked")));
        path = UnpackedDistribution.pathWithoutMaven(scratch.resolve("path"));
        workingDirectory = Files.createDirectories(scratch.resolve("elsewhere"));
        assertTrue(!Files.exists(path.resolve("mvn")), "the PATH of these tests must have no mvn");
    }

    @AfterAll
    static void removePath() throws IOException
    {
        UnpackedDistribution.removePathWithoutMaven(path);
    }

    @Test
    void versionNamesTheBuiltVersionAndTheJavaTheLauncherFound() throws Exception
    {
        final ProcessRun run = launch("version.log", "--version").awaitExit(TimeUnit.MINUTES.toMillis(1));

        assertEquals(0, run.exitStatus(), run::output);
        assertTrue(run.output().contains("switchboard " + UnpackedDistribution.requiredProperty("distribution.version") +
            " (Java " + Runtime.version().feature()), run::output);
    }

    @Test
    void aCommandTheAppDoesNotKnowIsRefusedByName() throws Exception
    {
        final ProcessRun run = launch("unknown.log", "no-such-command").awaitExit(TimeUnit.MINUTES.toMillis(1));

        assertEquals(2, run.exitStatus(), run::output);
        assertTrue(run.output().contains("unknown command 'no-such-command'"), run::output);
    }

    @Test
    void withoutJava25TheLauncherSaysWhatItNeeds() throws Exception
    {
        final Map<String, String> environment = new HashMap<>(
            UnpackedDistribution.launcherEnvironment(path, scratch));
        environment.put("SWITCHBOARD_JDK_SEARCH_DIR", Files.createDirectories(scratch.resolve("no-jdks")).toString());
        final ProcessRun run = ProcessRun.start(List.of(distribution.launcher().toString(), "--version"),
            workingDirectory, environment, scratch.resolve("no-java.log")).awaitExit(TimeUnit.MINUTES.toMillis(1));

        assertEquals(2, run.exitStatus(), run::output);
        assertTrue(run.output().contains("needs Java 25 or newer"), run::output);
    }

    /**
     * The demo's messaging parts need nothing but Java; its orchestrator part runs git and the sample's agents from
     * samples/ of the distribution, and measures the merged sample with Maven plugins. Without Maven that measurement
     * is skipped with one warning saying why, and the demo ends with 0.
     */
    @Test
    void demoRunsItsMessagingPartsAndSkipsTheMeasuredWorkflowWithoutMaven() throws Exception
    {
        final ProcessRun run = launch("demo.log", "demo").awaitExit(DEMO_TIMEOUT_MS);
        final String output = run.output();

        // in one JVM: a router, 8 agents, six patterns
        assertTrue(output.contains("closed: 8 agents deregistered, router stopped; demo took"), output);
        // across processes: a round-trip row per priority
        for (final String priority : List.of("CRITICAL", "HIGH", "NORMAL", "LOW"))
        {
            assertTrue(Pattern.compile("request/response C<->T +" + priority + " +[A-Z_]+ +\\d+ ").matcher(output)
                .find(), () -> "no cross-process row for " + priority + " in:\n" + output);
        }
        assertTrue(Pattern.compile("zero-copy 64 KiB C<->T +BATCH ").matcher(output).find(), output);
        // the orchestrator found samples/ under switchboard.home, analysed and planned the sample, ran the workflow
        assertTrue(output.contains("$ switchboard analyze <copy>"), output);
        assertTrue(output.contains("$ switchboard plan <copy> --workflow feature --agents-file " +
            distribution.home().resolve("samples/agents/agents.yaml")), output);
        // the workflow run is skipped, saying why: its gates are measured with Maven, which this PATH does not have
        assertTrue(output.contains("WARNING the workflow run is skipped: its quality gates are measured with Maven"),
            output);
        assertFalse(output.contains("$ switchboard coordinate --workflow feature"), output);
        assertEquals(0, run.exitStatus(), output);
    }

    private ProcessRun launch(final String log, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(distribution.launcher().toString()));
        command.addAll(List.of(args));
        return ProcessRun.start(command, workingDirectory, UnpackedDistribution.launcherEnvironment(path, scratch),
            scratch.resolve(log));
    }
}
