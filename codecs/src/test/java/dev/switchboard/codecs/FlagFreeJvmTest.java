package dev.switchboard.codecs;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

import dev.switchboard.testing.ChildJvm;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client data path must run in a JVM started with no flags: this test starts one, with no options at all (the
 * class path travels in the {@code CLASSPATH} environment variable), and runs {@link FlagFreeCodecMain} in it.
 */
@Tag("slow")
class FlagFreeJvmTest
{
    @Test
    void everyMessageEncodesAndDecodesInAJvmStartedWithNoOptions() throws Exception
    {
        final String classPath = String.join(File.pathSeparator,
            locationOf(SegmentBuffer.class), locationOf(FlagFreeCodecMain.class), locationOf(DirectBuffer.class));
        final Path outputDirectory = Path.of(locationOf(FlagFreeCodecMain.class)).resolveSibling("flag-free-jvm");
        try (ChildJvm child = ChildJvm.builder(FlagFreeCodecMain.class).classPath(classPath).classPathInEnvironment()
            .outputIn(outputDirectory).start())
        {
            child.process().getOutputStream().close();
            final int exit = child.awaitExit(Duration.ofSeconds(60));
            final String out = child.stdoutText();
            final String err = child.stderrText();
            assertEquals(0, exit, () -> "exit code; stderr:\n" + err + "\nstdout:\n" + out);
            assertEquals(FlagFreeCodecMain.SUCCESS_LINE, out.strip());
            assertEquals("", err, "stderr of a JVM started with no options");
        }
    }

    private static String locationOf(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
