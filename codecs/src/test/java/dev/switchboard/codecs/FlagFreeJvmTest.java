package dev.switchboard.codecs;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
        final String java = ProcessHandle.current().info().command().orElseThrow();
        final String classPath = String.join(File.pathSeparator,
            locationOf(SegmentBuffer.class), locationOf(FlagFreeCodecMain.class), locationOf(DirectBuffer.class));

        final ProcessBuilder builder = new ProcessBuilder(List.of(java, FlagFreeCodecMain.class.getName()));
        final Map<String, String> environment = builder.environment();
        environment.put("CLASSPATH", classPath);
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("_JAVA_OPTIONS");

        final Path outputDirectory = Files.createDirectories(
            Path.of(locationOf(FlagFreeCodecMain.class)).resolveSibling("flag-free-jvm"));
        final Path stdout = outputDirectory.resolve("stdout.txt");
        final Path stderr = outputDirectory.resolve("stderr.txt");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());

        final Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("child JVM did not finish within 60 s");
        }
        final String out = Files.readString(stdout, StandardCharsets.UTF_8);
        final String err = Files.readString(stderr, StandardCharsets.UTF_8);

        assertEquals(0, process.exitValue(), () -> "exit code; stderr:\n" + err + "\nstdout:\n" + out);
        assertEquals(FlagFreeCodecMain.SUCCESS_LINE, out.strip());
        assertEquals("", err, "stderr of a JVM started with no options");
    }

    private static String locationOf(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
