/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A project outside the repository builds against the distribution and talks through its router: the
 * {@code samples/client-app} the tarball ships is copied to a temporary directory and built by Maven offline, with a
 * local repository of its own and a settings file whose only repositories are the distribution's {@code maven/} and
 * the local repository of this build (file:// both); then {@code bin/switchboard router} runs from the unpacked
 * distribution and the sample's agent process, on its own class path, sends through it.
 */
@Tag("slow")
class ClientAppSampleIT
{
    /** Jars that must not reach a client's class path: the router's, the orchestrator's and LOW's trees, a logging binding. */
    private static final Pattern SERVER_SIDE_JAR = Pattern.compile(
        "(chronicle-.*|jackson-.*|java-jwt-.*|slf4j-(?!api-).*|logback-.*|log4j-slf4j.*)\\.jar");

    @TempDir
    static Path scratch;

    private static UnpackedDistribution distribution;
    private static Path sample;
    private static ProcessRun build;
    private static Path shmDir;

    @BeforeAll
    static void buildTheSampleAgainstTheDistribution() throws IOException, InterruptedException
    {
        distribution = UnpackedDistribution.unpack(Files.createDirectories(scratch.resolve("unpacked")));
        sample = scratch.resolve("client-app");
        copy(distribution.home().resolve("samples/client-app"), sample);
        final Path settings = writeSettings(scratch.resolve("settings.xml"));
        final List<String> command = List.of(maven(), "-B", "-o", "-Daether.offline.protocols=file",
            "-s", settings.toString(), "-Dmaven.repo.local=" + scratch.resolve("repository"), "package");
        build = ProcessRun.start(command, sample, Map.of("JAVA_HOME", System.getProperty("java.home"),
            "MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow"), scratch.resolve("build.log"))
            .awaitExit(TimeUnit.MINUTES.toMillis(5));
        shmDir = Files.isDirectory(Path.of("/dev/shm")) ?
            Files.createTempDirectory(Path.of("/dev/shm"), "switchboard-dist-it-") : scratch.resolve("shm");
    }

    @AfterAll
    static void removeLinksAndInboxes() throws IOException
    {
        UnpackedDistribution.removePathWithoutMaven(scratch.resolve("path"));
        if (shmDir != null && shmDir.startsWith("/dev/shm"))
        {
            try (Stream<Path> files = Files.walk(shmDir))
            {
                for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void theSampleBuildsOfflineWithSwitchboardFromTheDistributionsRepository()
    {
        assertEquals(0, build.exitStatus(), build::output);
        final String log = build.output();
        for (final String artifact : List.of("switchboard-bom/%1$s/switchboard-bom-%1$s.pom",
            "client/%1$s/client-%1$s.jar", "ipc-native/%1$s/ipc-native-%1$s.jar"))
        {
            final String file = "/maven/dev/switchboard/" + artifact.formatted(version());
            assertTrue(Pattern.compile("Downloaded from switchboard-distribution: file:\\S*" + Pattern.quote(file))
                .matcher(log).find(), () -> "not resolved from the distribution: " + file + "\n" + log);
        }
    }

    @Test
    void theSamplesClassPathHasTheClientAndNothingOfTheServerSide() throws IOException
    {
        assertEquals(0, build.exitStatus(), build::output);
        final List<Path> classPath = sampleClassPath();
        final List<String> names = classPath.stream().map(p -> p.getFileName().toString()).toList();

        assertTrue(names.contains("client-" + version() + ".jar"), names::toString);
        assertTrue(names.contains("ipc-native-" + version() + ".jar"), names::toString);
        assertTrue(names.stream().noneMatch(n -> SERVER_SIDE_JAR.matcher(n).matches()), names::toString);
        // resolved into the build's own repository, not the user's
        assertTrue(classPath.stream().allMatch(p -> p.startsWith(scratch.resolve("repository"))), classPath::toString);
    }

    @Test
    void theSamplesAgentsTalkThroughARouterOfTheDistribution() throws Exception
    {
        assertEquals(0, build.exitStatus(), build::output);
        final Path runtimeDir = Files.createDirectories(scratch.resolve("run"));
        final Map<String, String> environment = new HashMap<>(UnpackedDistribution.launcherEnvironment(
            UnpackedDistribution.pathWithoutMaven(scratch.resolve("path")), scratch));
        environment.put("SWITCHBOARD_JVM_OPTS", "-Dswitchboard.shm.dir=" + shmDir);
        final ProcessRun router = ProcessRun.start(List.of(distribution.launcher().toString(), "router",
            "--runtime-dir", runtimeDir.toString()), scratch, environment, scratch.resolve("router.log"));
        try
        {
            router.awaitOutput("switchboard router listening on " + runtimeDir.resolve("router.sock"),
                TimeUnit.MINUTES.toMillis(1));

            final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dswitchboard.runtime.dir=" + runtimeDir, "-Dswitchboard.shm.dir=" + shmDir,
                "-cp", sample.resolve("target/classes") + ":" + String.join(":",
                    sampleClassPath().stream().map(Path::toString).toList()),
                "com.example.clientapp.ClientApp"));
            final ProcessRun agent = ProcessRun.start(command, sample, Map.of(), scratch.resolve("agent.log"))
                .awaitExit(TimeUnit.MINUTES.toMillis(1));
            final String output = agent.output();

            assertEquals(0, agent.exitStatus(), output);
            for (final String priority : List.of("CRITICAL", "HIGH", "NORMAL"))
            {
                assertTrue(output.contains("Listener received \"hello from Greeter at " + priority + "\" (SEND at " +
                    priority + " on "), () -> "nothing received at " + priority + ":\n" + output);
            }
            assertTrue(output.contains("Listener received 3 of 3 messages"), output);
        }
        finally
        {
            router.stop();
        }
        assertEquals(0, router.exitStatus(), router::output);
        assertTrue(router.output().contains("switchboard router stopped; counters:"), router::output);
    }

    private static List<Path> sampleClassPath() throws IOException
    {
        final String line = Files.readString(sample.resolve("target/classpath.txt"), StandardCharsets.UTF_8).trim();
        return Arrays.stream(line.split(":")).map(Path::of).toList();
    }

    private static String version()
    {
        return UnpackedDistribution.requiredProperty("distribution.version");
    }

    /** Maven: the one running this build (failsafe passes maven.home), else mvn from PATH. */
    private static String maven()
    {
        final String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn")))
        {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    /**
     * Settings whose repositories are all file:// URLs: the distribution's maven/ (Switchboard's snapshots) and, in
     * place of Maven Central, the local repository of this build (plugins, Agrona), which keeps no checksums. With
     * {@code -o -Daether.offline.protocols=file} Maven may read these and nothing else.
     */
    private static Path writeSettings(final Path file) throws IOException
    {
        final String buildRepository = Path.of(System.getProperty("maven.repo.local",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString())).toUri().toString();
        final String distributionRepository = distribution.home().resolve("maven").toUri().toString();
        final String central = """
                  <id>central</id>
                  <url>%s</url>
                  <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
            """.formatted(buildRepository);
        Files.writeString(file, """
            <settings>
              <profiles>
                <profile>
                  <id>switchboard-distribution</id>
                  <repositories>
                    <repository>
                      <id>switchboard-distribution</id>
                      <url>%s</url>
                      <releases><enabled>true</enabled></releases>
                      <snapshots><enabled>true</enabled></snapshots>
                    </repository>
                    <repository>
            %s        </repository>
                  </repositories>
                  <pluginRepositories>
                    <pluginRepository>
            %s        </pluginRepository>
                  </pluginRepositories>
                </profile>
              </profiles>
              <activeProfiles><activeProfile>switchboard-distribution</activeProfile></activeProfiles>
            </settings>
            """.formatted(distributionRepository, central, central), StandardCharsets.UTF_8);
        return file;
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> paths = Files.walk(from))
        {
            for (final Path path : paths.toList())
            {
                final Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(path, target);
                }
            }
        }
    }
}
