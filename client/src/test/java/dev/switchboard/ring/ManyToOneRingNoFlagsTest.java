package dev.switchboard.ring;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client data path must run in a JVM started with no flags at all (no {@code --add-exports}, no
 * {@code --enable-native-access}): a child JVM runs {@link NoFlagsRingMain} and must exit 0 having printed
 * nothing on stderr (a JDK warning about Unsafe or restricted methods would show there).
 */
@Tag("slow")
class ManyToOneRingNoFlagsTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void ringRunsInAJvmStartedWithNoFlags() throws Exception
    {
        final String java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        // Under surefire this may be a manifest-only jar; the launcher follows its Class-Path entries.
        final String classPath = System.getProperty("java.class.path");
        final Path out = directory.resolve("stdout.txt");
        final Path err = directory.resolve("stderr.txt");

        final List<String> command = List.of(java, "-cp", classPath, NoFlagsRingMain.class.getName());
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        // Options injected through the environment would be flags by the back door (and print on stderr).
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");

        final int exitCode = builder.start().waitFor();
        final String stdout = Files.readString(out, StandardCharsets.UTF_8);
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);

        assertEquals("", stderr, "stderr of the child JVM (stdout: " + stdout + ")");
        assertEquals(0, exitCode, "exit code of the child JVM (stdout: " + stdout + ")");
        assertEquals("ok", stdout.strip());
    }
}
