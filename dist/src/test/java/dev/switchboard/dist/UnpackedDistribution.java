/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tarball this build made ({@code distribution.tarball}, set by failsafe), unpacked with {@code tar} into a
 * directory of a test's own, and what a test needs to run it as a user would: from a working directory outside the
 * repository, with a {@code PATH} that has no Maven.
 *
 * @param home the unpacked {@code switchboard-VERSION/} directory.
 */
record UnpackedDistribution(Path home)
{
    /** The commands a PATH without Maven leaves out: Maven itself and its wrappers. */
    private static final Set<String> MAVEN_COMMANDS = Set.of("mvn", "mvnDebug", "mvnyjp", "mvnw", "mvn25");

    /**
     * @param into an empty directory.
     * @return the distribution unpacked into it.
     */
    static UnpackedDistribution unpack(final Path into) throws IOException, InterruptedException
    {
        final Path tarball = Path.of(requiredProperty("distribution.tarball"));
        assertTrue(Files.isRegularFile(tarball), () -> "no tarball at " + tarball + ": run mvn package first");
        final ProcessRun tar = ProcessRun.start(List.of("tar", "-xzf", tarball.toString()), into, Map.of(),
            into.resolve("tar.log"));
        tar.awaitExit(TimeUnit.MINUTES.toMillis(2));
        assertTrue(tar.exitStatus() == 0, () -> "tar -xzf " + tarball + " failed: " + tar.output());
        final Path home = into.resolve(requiredProperty("distribution.name"));
        assertTrue(Files.isExecutable(home.resolve("bin/switchboard")), () -> "no executable bin/switchboard in " + home);
        return new UnpackedDistribution(home);
    }

    /** @return {@code bin/switchboard}. */
    Path launcher()
    {
        return home.resolve("bin").resolve("switchboard");
    }

    /**
     * A directory that stands in for {@code PATH}: a symbolic link to every command of the current {@code PATH} but
     * Maven's, so that the tools a run may need (bash, git, tar, gcc...) are there and Maven is not.
     *
     * @param dir where to make it.
     * @return the directory, to be the whole of {@code PATH}.
     */
    static Path pathWithoutMaven(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        for (final String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        {
            final Path pathDir = Path.of(entry.isEmpty() ? "." : entry);
            if (!Files.isDirectory(pathDir))
            {
                continue;
            }
            final List<Path> commands;
            try (Stream<Path> listing = Files.list(pathDir))
            {
                commands = listing.toList();
            }
            catch (final IOException ex)
            {
                continue; // an unreadable PATH entry offers no command either
            }
            for (final Path command : commands)
            {
                final String name = command.getFileName().toString();
                final Path link = dir.resolve(name);
                // the first of a name on PATH wins, as it would for the shell
                if (!MAVEN_COMMANDS.contains(name) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS) &&
                    Files.isExecutable(command))
                {
                    Files.createSymbolicLink(link, command.toAbsolutePath());
                }
            }
        }
        return dir;
    }

    /**
     * Removes a directory made by {@link #pathWithoutMaven}: its links first, which JUnit's clean-up of a temporary
     * directory would otherwise report one by one as links to outside it.
     */
    static void removePathWithoutMaven(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        try (Stream<Path> links = Files.list(dir))
        {
            for (final Path link : links.toList())
            {
                Files.delete(link);
            }
        }
        Files.delete(dir);
    }

    /**
     * The environment of a launcher run: no {@code JAVA_HOME} (the launcher must find a Java 25 itself, where this JVM's
     * installation lies), {@code PATH} as given, no options from the caller, and the orchestrator's kept metrics in
     * {@code scratch} rather than in the user's home.
     */
    static Map<String, String> launcherEnvironment(final Path path, final Path scratch)
    {
        final Path javaHome = Path.of(System.getProperty("java.home"));
        return Map.of(
            "PATH", path.toString(),
            "SWITCHBOARD_JDK_SEARCH_DIR", javaHome.getParent().toString(),
            "SWITCHBOARD_METRICS_FILE", scratch.resolve("metrics.jsonl").toString(),
            // the demo's temporary files (copies, runtime dirs) stay in the test's directory
            "SWITCHBOARD_JVM_OPTS", "-Djava.io.tmpdir=" + scratch);
    }

    static String requiredProperty(final String name)
    {
        final String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), () -> "system property " + name + " is not set (failsafe sets " +
            "it: run these tests with mvn verify)");
        return value;
    }
}
