package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.__kernel_timespec;
import dev.switchboard.ipc.uring.liburing.io_cqring_offsets;
import dev.switchboard.ipc.uring.liburing.io_sqring_offsets;
import dev.switchboard.ipc.uring.liburing.io_uring;
import dev.switchboard.ipc.uring.liburing.io_uring_buf;
import dev.switchboard.ipc.uring.liburing.io_uring_buf_reg;
import dev.switchboard.ipc.uring.liburing.io_uring_buf_ring;
import dev.switchboard.ipc.uring.liburing.io_uring_cq;
import dev.switchboard.ipc.uring.liburing.io_uring_cqe;
import dev.switchboard.ipc.uring.liburing.io_uring_params;
import dev.switchboard.ipc.uring.liburing.io_uring_probe;
import dev.switchboard.ipc.uring.liburing.io_uring_probe_op;
import dev.switchboard.ipc.uring.liburing.io_uring_sq;
import dev.switchboard.ipc.uring.liburing.io_uring_sqe;
import dev.switchboard.ipc.uring.liburing.iovec;
import dev.switchboard.ipc.uring.liburing.liburing_h;
import dev.switchboard.ipc.uring.liburing.pollfd;
import dev.switchboard.ipc.uring.liburing.sockaddr_un;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hand-written bindings agree with the C header: {@code native/probe/uring_layout.c} is compiled with gcc
 * against {@code <liburing.h>} and run; every line it prints (struct size, field offset and size, constant) must
 * equal the Java value, and every field and constant the Java bindings declare must be printed by the probe.
 * The Java side is read by reflection from the jextract-shaped classes ({@code sizeof()}, {@code x$offset()},
 * {@code x$layout()}), and each {@code x$offset()} literal is also checked against the struct's {@link GroupLayout}.
 */
class UringLayoutTest
{
    private static final List<Class<?>> STRUCTS = List.of(
        io_uring.class,
        io_uring_sq.class,
        io_uring_cq.class,
        io_uring_sqe.class,
        io_uring_cqe.class,
        io_uring_params.class,
        io_sqring_offsets.class,
        io_cqring_offsets.class,
        __kernel_timespec.class,
        iovec.class,
        sockaddr_un.class,
        io_uring_buf.class,
        io_uring_buf_ring.class,
        io_uring_buf_reg.class,
        io_uring_probe.class,
        io_uring_probe_op.class,
        pollfd.class);

    @Test
    void everyStructFieldAndConstantMatchesTheCHeader() throws Exception
    {
        final Map<String, String> c = runProbe();
        final Map<String, String> java = javaLayouts();

        final List<String> problems = new ArrayList<>();
        for (final Map.Entry<String, String> e : c.entrySet())
        {
            final String javaValue = java.get(e.getKey());
            if (null == javaValue)
            {
                problems.add(e.getKey() + ": C says " + e.getValue() + ", no Java counterpart");
            }
            else if (!javaValue.equals(e.getValue()))
            {
                problems.add(e.getKey() + ": C says " + e.getValue() + ", Java says " + javaValue);
            }
        }
        for (final String key : new TreeSet<>(java.keySet()))
        {
            if (!c.containsKey(key))
            {
                problems.add(key + ": Java says " + java.get(key) + ", not printed by the C probe");
            }
        }

        assertTrue(problems.isEmpty(), "layouts differ from <liburing.h>:\n  " + String.join("\n  ", problems));
        assertTrue(c.size() > 100, "probe printed only " + c.size() + " lines");
    }

    @Test
    void layoutsHaveTheSizesLiburing23DocumentsOnX8664()
    {
        assertEquals(216, io_uring.sizeof());
        assertEquals(104, io_uring_sq.sizeof());
        assertEquals(88, io_uring_cq.sizeof());
        assertEquals(64, io_uring_sqe.sizeof());
        assertEquals(16, io_uring_cqe.sizeof());
        assertEquals(120, io_uring_params.sizeof());
        assertEquals(16, io_uring_buf.sizeof());
        assertEquals(16, io_uring_buf_ring.sizeof());
        assertEquals(40, io_uring_buf_reg.sizeof());
        assertEquals(16, io_uring_probe.sizeof());
        assertEquals(8, io_uring_probe_op.sizeof());
    }

    private static Map<String, String> javaLayouts() throws Exception
    {
        final Map<String, String> java = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final Class<?> struct : STRUCTS)
        {
            final String name = struct.getSimpleName();
            final GroupLayout layout = (GroupLayout)struct.getMethod("layout").invoke(null);
            final long sizeof = (long)struct.getMethod("sizeof").invoke(null);
            java.put(name, Long.toString(sizeof));
            assertEquals(layout.byteSize(), sizeof, name + ".sizeof()");
            assertEquals(name, layout.name().orElse(""), name + " layout name");

            for (final Method m : struct.getMethods())
            {
                if (m.getName().endsWith("$offset") && Modifier.isStatic(m.getModifiers()))
                {
                    final String field = m.getName().substring(0, m.getName().length() - "$offset".length());
                    final long offset = (long)m.invoke(null);
                    final MemoryLayout fieldLayout = (MemoryLayout)struct.getMethod(field + "$layout").invoke(null);
                    java.put(name + "." + field, offset + " " + fieldLayout.byteSize());

                    final OptionalLong fromLayout = offsetOf(layout, field);
                    if (fromLayout.isEmpty() || fromLayout.getAsLong() != offset)
                    {
                        problems.add(name + "." + field + "$offset() = " + offset + " but the GroupLayout says " +
                            (fromLayout.isEmpty() ? "no such member" : fromLayout.getAsLong()));
                    }
                }
            }
        }

        for (final Method m : liburing_h.class.getMethods())
        {
            if (Modifier.isStatic(m.getModifiers()) && 0 == m.getParameterCount() && int.class == m.getReturnType() &&
                m.getName().equals(m.getName().toUpperCase()))
            {
                java.put("const " + m.getName(), Integer.toString((int)m.invoke(null)));
            }
        }

        assertTrue(problems.isEmpty(), String.join("\n", problems));
        return java;
    }

    /**
     * Offset of a named member anywhere in the layout, looking inside anonymous unions and structs as C does.
     */
    private static OptionalLong offsetOf(final GroupLayout group, final String member)
    {
        long offset = 0;
        for (final MemoryLayout element : group.memberLayouts())
        {
            final long base = group instanceof java.lang.foreign.UnionLayout ? 0 : offset;
            if (element.name().map(member::equals).orElse(false))
            {
                return OptionalLong.of(base);
            }
            if (element instanceof GroupLayout inner && inner.name().map(n -> n.startsWith("$anon$")).orElse(true))
            {
                final OptionalLong nested = offsetOf(inner, member);
                if (nested.isPresent())
                {
                    return OptionalLong.of(base + nested.getAsLong());
                }
            }
            offset += element.byteSize();
        }

        return OptionalLong.empty();
    }

    private static Map<String, String> runProbe() throws IOException, InterruptedException
    {
        final Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        final Path source = moduleDir.resolveSibling("native").resolve("probe").resolve("uring_layout.c");
        assertTrue(Files.isRegularFile(source), "C probe not found at " + source);

        final Path gcc = findOnPath("gcc");
        if (null == gcc)
        {
            fail("gcc not found on PATH (" + System.getenv("PATH") + "): the layout test compiles " + source +
                " with it. Install build-essential (.ci/run does: apt-get install build-essential liburing-dev).");
        }

        final Path outDir = moduleDir.resolve("target").resolve("uring-probe");
        Files.createDirectories(outDir);
        final Path binary = outDir.resolve("uring_layout");
        final Run compile = run(List.of(
            gcc.toString(), "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(), source.toString()));
        if (0 != compile.exitCode)
        {
            if (compile.output.contains("liburing.h") &&
                (compile.output.contains("No such file") || compile.output.contains("not found")))
            {
                fail("liburing-dev is not installed: gcc cannot find <liburing.h>. " +
                    "Install it (apt-get install liburing-dev; .ci/run does). gcc said:\n" + compile.output);
            }
            fail("gcc could not compile " + source + " (exit " + compile.exitCode + "):\n" + compile.output);
        }

        final Run probe = run(List.of(binary.toString()));
        assertEquals(0, probe.exitCode, "probe failed: " + probe.output);

        final Map<String, String> lines = new LinkedHashMap<>();
        for (final String line : probe.output.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] parts = line.trim().split(" ");
            if ("const".equals(parts[0]))
            {
                lines.put("const " + parts[1], parts[2]);
            }
            else
            {
                lines.put(parts[0], String.join(" ", java.util.Arrays.copyOfRange(parts, 1, parts.length)));
            }
        }

        return lines;
    }

    private static Path findOnPath(final String program)
    {
        final String path = System.getenv("PATH");
        if (null != path)
        {
            for (final String dir : path.split(File.pathSeparator))
            {
                final Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private record Run(int exitCode, String output)
    {
    }

    private static Run run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
