package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.SampleMessage;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Java and the C codecs generated from the same schema agree byte for byte: native/codec-check/codec_check.c is
 * compiled with {@code -std=c11 -Wall -Wextra -Werror}, decodes frames Java wrote, and writes an Envelope that Java
 * decodes and compares with its own encoding of the same values.
 */
class CCodecInteropTest
{
    private static final int LENGTH_FIELD = 4;
    private static final SampleMessage[] FRAMES_FOR_C =
    {
        SampleMessage.ENVELOPE, SampleMessage.REGISTER, SampleMessage.TASK_RESULT
    };

    private final Arena arena = Arena.ofConfined();
    private Path target;
    private Path work;

    @BeforeEach
    void locateBuildDirectories() throws Exception
    {
        target = Path.of(CCodecInteropTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getParent();
        work = Files.createDirectories(target.resolve("codec-check"));
    }

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    @Test
    void cDecodesJavaFramesAndJavaDecodesTheCEnvelopeByteForByte() throws Exception
    {
        final Path executable = compileCodecCheck();
        final Path framesIn = work.resolve("java-frames.bin");
        final Path envelopeOut = work.resolve("c-envelope.bin");
        Files.write(framesIn, javaFrames());
        Files.deleteIfExists(envelopeOut);

        final Map<String, String> printed = parseLines(
            run("codec_check", List.of(executable.toString(), framesIn.toString(), envelopeOut.toString())));

        assertEquals(expectedFields(), withoutMetricValues(printed));
        assertEquals(0.87, Double.parseDouble(printed.get("taskResult.metrics.0.value")));
        assertEquals(201.5, Double.parseDouble(printed.get("taskResult.metrics.1.value")));

        final byte[] written = Files.readAllBytes(envelopeOut);
        final SegmentBuffer fromC = SegmentBuffer.allocate(arena, written.length);
        fromC.putBytes(0, written);
        final int length = fromC.getInt(0, LITTLE_ENDIAN);
        assertEquals(written.length - LENGTH_FIELD, length, "C frame length field");
        final FrameValidator validator = new FrameValidator(4096, new FrameRejections());
        assertEquals(EnvelopeDecoder.TEMPLATE_ID, validator.validate(fromC, LENGTH_FIELD, length),
            validator::lastErrorText);
        SampleMessage.ENVELOPE.verify(fromC, LENGTH_FIELD, length);

        final SegmentBuffer fromJava = SegmentBuffer.allocate(arena, 4096);
        final int javaLength = SampleMessage.ENVELOPE.encode(fromJava, 0);
        assertArrayEquals(bytes(fromJava, 0, javaLength), bytes(fromC, LENGTH_FIELD, length));
    }

    private Path compileCodecCheck() throws Exception
    {
        final Path gcc = findOnPath("gcc");
        final Path source = target.getParent().resolveSibling("native").resolve("codec-check").resolve("codec_check.c");
        final Path headers = target.resolve("generated-c");
        final Path executable = work.resolve("codec_check");
        run("gcc", List.of(gcc.toString(), "-std=c11", "-Wall", "-Wextra", "-Werror",
            "-I", headers.toString(), "-o", executable.toString(), source.toString()));
        return executable;
    }

    private byte[] javaFrames()
    {
        final SegmentBuffer buffer = SegmentBuffer.allocate(arena, 4096);
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (final SampleMessage message : FRAMES_FOR_C)
        {
            final int length = message.encode(buffer, LENGTH_FIELD);
            buffer.putInt(0, length, LITTLE_ENDIAN);
            frames.writeBytes(bytes(buffer, 0, LENGTH_FIELD + length));
        }
        return frames.toByteArray();
    }

    private static Map<String, String> expectedFields()
    {
        final Map<String, String> expected = new LinkedHashMap<>();
        expected.put("envelope.sourceAgentId", Long.toString(SampleMessage.ENVELOPE_SOURCE_AGENT_ID));
        expected.put("envelope.targetId", Long.toString(SampleMessage.ENVELOPE_TARGET_ID));
        expected.put("envelope.correlationId", Long.toString(SampleMessage.ENVELOPE_CORRELATION_ID));
        expected.put("envelope.timestampNs", Long.toString(SampleMessage.ENVELOPE_TIMESTAMP_NS));
        expected.put("envelope.flags", Long.toString(SampleMessage.ENVELOPE_FLAGS));
        expected.put("envelope.targetKind", Integer.toString(TargetKind.TOPIC.value()));
        expected.put("envelope.pattern", Integer.toString(Pattern.PUBLISH.value()));
        expected.put("envelope.priority", Integer.toString(Priority.CRITICAL.value()));
        expected.put("envelope.payload", SampleMessage.ENVELOPE_PAYLOAD);

        expected.put("register.correlationId", "1001");
        expected.put("register.pid", "4242");
        expected.put("register.requestedLeaseMs", "5000");
        expected.put("register.tiers", "critical,normal,inProcess");
        expected.put("register.capabilities.count", Integer.toString(SampleMessage.REGISTER_CAPABILITIES.size()));
        for (int i = 0; i < SampleMessage.REGISTER_CAPABILITIES.size(); i++)
        {
            expected.put("register.capabilities." + i, SampleMessage.REGISTER_CAPABILITIES.get(i));
        }
        expected.put("register.name", SampleMessage.REGISTER_NAME);
        expected.put("register.credential", java.util.HexFormat.of().formatHex(SampleMessage.registerCredential()));

        expected.put("taskResult.workflowId", "77");
        expected.put("taskResult.taskId", "3");
        expected.put("taskResult.attempt", "2");
        expected.put("taskResult.status", Integer.toString(TaskStatus.SUCCEEDED.value()));
        expected.put("taskResult.durationNs", "1500000000");
        expected.put("taskResult.metrics.count", "2");
        expected.put("taskResult.metrics.0.name", "coverage");
        expected.put("taskResult.metrics.1.name", "latencyP99Ns");
        expected.put("taskResult.errorKind", "");
        expected.put("taskResult.detail", "all gates passed");

        expected.put("nameId.orders", Long.toUnsignedString(NameIds.of("orders")));
        expected.put("encoded.envelope.length", "69");
        return expected;
    }

    private static Map<String, String> withoutMetricValues(final Map<String, String> printed)
    {
        final Map<String, String> fields = new LinkedHashMap<>(printed);
        fields.keySet().removeIf(key -> key.startsWith("taskResult.metrics.") && key.endsWith(".value"));
        return fields;
    }

    private static Map<String, String> parseLines(final String output)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final String line : output.split("\n"))
        {
            final int equals = line.indexOf('=');
            if (equals < 0)
            {
                fail("codec_check printed a line that is not key=value: " + line);
            }
            fields.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return fields;
    }

    private String run(final String name, final List<String> command) throws IOException, InterruptedException
    {
        final Path stdout = work.resolve(name + ".stdout");
        final Path stderr = work.resolve(name + ".stderr");
        final Process process = new ProcessBuilder(new ArrayList<>(command))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail(name + " did not finish within 120 s: " + command);
        }

        final String out = Files.readString(stdout, StandardCharsets.UTF_8);
        final String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> name + " failed: " + command + "\n" + err + out);
        assertEquals("", err, name + " wrote to stderr");
        return out;
    }

    private static Path findOnPath(final String program)
    {
        final String path = System.getenv().getOrDefault("PATH", "");
        for (final String directory : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }

        return fail(program + " is not on PATH (" + path + "): the C codec check needs a C11 compiler; " +
            "on Debian or Ubuntu install it with 'apt-get install build-essential'");
    }

    private static byte[] bytes(final SegmentBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
