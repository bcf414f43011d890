package dev.switchboard.ring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        // No JVM option at all: ChildJvm adds none, and drops those the environment would slip in (JAVA_TOOL_OPTIONS...).
        try (ChildJvm child = ChildJvm.builder(NoFlagsRingMain.class).outputIn(directory).start())
        {
            final int exitCode = child.awaitExit(Duration.ofSeconds(90));
            final String stdout = child.stdoutText();
            assertEquals("", child.stderrText(), "stderr of the child JVM (stdout: " + stdout + ")");
            assertEquals(0, exitCode, "exit code of the child JVM (stdout: " + stdout + ")");
            assertEquals("ok", stdout.strip());
        }
    }
}
