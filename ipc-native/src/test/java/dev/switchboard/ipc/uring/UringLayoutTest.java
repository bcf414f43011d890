package dev.switchboard.ipc.uring;

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
import dev.switchboard.ipc.uring.liburing.liburing_h;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hand-kept bindings in {@code dev.switchboard.ipc.uring.liburing} agree with the C header, and the C probe checks
 * exactly what they declare. {@code native/probe/uring_layout.c} is compiled with gcc against {@code <liburing.h>}
 * and run; it prints each struct's size, each field's offset and size, and each constant's value.
 *
 * <p>The Java side is read by reflection, private members included, so that no binding member has to exist only
 * for this test: the struct classes are found by listing the package (every top-level class with a static
 * {@code $LAYOUT} {@link GroupLayout}); a struct's fields are the names it declares anything for ({@code x$OFFSET},
 * {@code x$LAYOUT}, {@code x$offset()}, {@code x$layout()}, a getter or setter named after a member of its
 * layout); the constants are the {@code int NAME()} methods of {@link liburing_h}. Each field's {@code x$OFFSET} and
 * {@code x$LAYOUT} are also checked against the struct's {@code $LAYOUT}.
 */
class UringLayoutTest
{
    private static final String BINDINGS_PACKAGE = "dev.switchboard.ipc.uring.liburing";
    private static final Pattern FIELD_MEMBER =
        Pattern.compile("(.+)\\$(OFFSET|LAYOUT|DIMS|ELEM_HANDLE|offset|layout|dimensions)");

    private static Map<String, String> probeOutput;

    @Test
    void everyStructSizeFieldOffsetAndConstantMatchesTheCHeader() throws Exception
    {
        final Map<String, String> c = probe();
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

        assertTrue(problems.isEmpty(), "bindings differ from <liburing.h>:\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyStructAndFieldTheBindingsDeclareIsPrintedByTheProbe() throws Exception
    {
        final Set<String> printed = probe().keySet();
        final List<Class<?>> structs = structClasses();
        assertFalse(structs.isEmpty(), "no struct classes found in " + BINDINGS_PACKAGE);

        final List<String> unchecked = new ArrayList<>();
        for (final Class<?> struct : structs)
        {
            unchecked.addAll(uncheckedByProbe(struct, printed));
        }

        assertEquals(List.of(), unchecked,
            "declared by the bindings but not printed by native/probe/uring_layout.c (add its SIZE or FIELD line)");
    }

    @Test
    void aFieldOrStructLeftOutOfTheProbeIsReported() throws Exception
    {
        assertEquals(
            List.of("fixture_struct.b", "fixture_struct.c"),
            uncheckedByProbe(fixture_struct.class, Set.of("fixture_struct", "fixture_struct.a")));
        assertEquals(
            List.of("fixture_struct (size)", "fixture_struct.a", "fixture_struct.b", "fixture_struct.c"),
            uncheckedByProbe(fixture_struct.class, Set.of()));
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

    /**
     * What the probe does not print of a struct class: its size line, or a line for one of its fields.
     */
    private static List<String> uncheckedByProbe(final Class<?> struct, final Set<String> printed) throws Exception
    {
        final String name = struct.getSimpleName();
        final List<String> unchecked = new ArrayList<>();
        if (!printed.contains(name))
        {
            unchecked.add(name + " (size)");
        }
        for (final String field : declaredFields(struct))
        {
            if (!printed.contains(name + "." + field))
            {
                unchecked.add(name + "." + field);
            }
        }

        return unchecked;
    }

    /**
     * Every field a struct class declares anything for, whatever its visibility: offset and layout constants and
     * accessors, and getters or setters named after a member of the struct's layout.
     */
    private static TreeSet<String> declaredFields(final Class<?> struct) throws Exception
    {
        final Set<String> members = new TreeSet<>();
        memberNames(structLayout(struct), members);

        final TreeSet<String> fields = new TreeSet<>();
        final List<String> names = new ArrayList<>();
        for (final Field f : struct.getDeclaredFields())
        {
            if (Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
            {
                names.add(f.getName());
            }
        }
        for (final Method m : struct.getDeclaredMethods())
        {
            if (Modifier.isStatic(m.getModifiers()) && !m.isSynthetic())
            {
                names.add(m.getName());
            }
        }
        for (final String n : names)
        {
            final Matcher matcher = FIELD_MEMBER.matcher(n);
            if (matcher.matches())
            {
                fields.add(matcher.group(1));
            }
            else if (members.contains(n))
            {
                fields.add(n);
            }
        }

        return fields;
    }

    private static Map<String, String> javaLayouts() throws Exception
    {
        final Map<String, String> java = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final Class<?> struct : structClasses())
        {
            final String name = struct.getSimpleName();
            final GroupLayout layout = structLayout(struct);
            java.put(name, Long.toString(layout.byteSize()));
            assertEquals(name, layout.name().orElse(""), name + " layout name");
            if (!hasStaticMethod(struct, "layout") || !hasStaticMethod(struct, "sizeof"))
            {
                problems.add(name + ": every struct binding has layout() and sizeof()");
                continue;
            }
            assertEquals(layout, invokeStatic(struct, "layout"), name + ".layout()");
            assertEquals(layout.byteSize(), invokeStatic(struct, "sizeof"), name + ".sizeof()");

            for (final String field : declaredFields(struct))
            {
                final Object offset = staticField(struct, field + "$OFFSET");
                final Object fieldLayout = staticField(struct, field + "$LAYOUT");
                if (!(offset instanceof Long) || !(fieldLayout instanceof MemoryLayout))
                {
                    problems.add(name + "." + field + ": needs both " + field + "$OFFSET and " + field + "$LAYOUT");
                    continue;
                }
                final long fieldOffset = (long)offset;
                java.put(name + "." + field, fieldOffset + " " + ((MemoryLayout)fieldLayout).byteSize());

                final LayoutMember member = member(layout, field, 0);
                if (null == member)
                {
                    problems.add(name + "." + field + ": no such member in " + name + "'s $LAYOUT");
                }
                else if (member.offset != fieldOffset || !member.layout.equals(fieldLayout))
                {
                    problems.add(name + "." + field + ": $OFFSET " + fieldOffset + " and $LAYOUT " + fieldLayout +
                        ", but $LAYOUT has " + member.offset + " and " + member.layout);
                }
                if (hasStaticMethod(struct, field + "$offset") &&
                    fieldOffset != (long)invokeStatic(struct, field + "$offset"))
                {
                    problems.add(name + "." + field + "$offset() differs from " + field + "$OFFSET");
                }
            }
        }

        for (final Method m : liburing_h.class.getDeclaredMethods())
        {
            if (Modifier.isStatic(m.getModifiers()) && 0 == m.getParameterCount() && int.class == m.getReturnType() &&
                m.getName().equals(m.getName().toUpperCase()))
            {
                m.setAccessible(true);
                java.put("const " + m.getName(), Integer.toString((int)m.invoke(null)));
            }
        }

        assertTrue(problems.isEmpty(), String.join("\n", problems));
        return java;
    }

    /**
     * The top-level classes of the bindings package that describe a struct (a static {@code $LAYOUT}
     * {@link GroupLayout}), found by listing the package's directory on the class path.
     */
    private static List<Class<?>> structClasses() throws IOException, URISyntaxException, ClassNotFoundException
    {
        final Path dir = Path.of(liburing_h.class.getResource("liburing_h.class").toURI()).getParent();
        final List<Class<?>> structs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.sorted().toList())
            {
                final String fileName = file.getFileName().toString();
                if (!fileName.endsWith(".class") || fileName.contains("$") || fileName.startsWith("package-info"))
                {
                    continue;
                }
                final Class<?> type =
                    Class.forName(BINDINGS_PACKAGE + "." + fileName.substring(0, fileName.length() - ".class".length()));
                if (staticField(type, "$LAYOUT") instanceof GroupLayout)
                {
                    structs.add(type);
                }
            }
        }

        return structs;
    }

    private static GroupLayout structLayout(final Class<?> struct) throws Exception
    {
        return (GroupLayout)staticField(struct, "$LAYOUT");
    }

    private static Object staticField(final Class<?> type, final String name)
    {
        try
        {
            final Field f = type.getDeclaredField(name);
            if (!Modifier.isStatic(f.getModifiers()))
            {
                return null;
            }
            f.setAccessible(true);
            return f.get(null);
        }
        catch (final NoSuchFieldException ex)
        {
            return null;
        }
        catch (final IllegalAccessException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static boolean hasStaticMethod(final Class<?> type, final String name)
    {
        return Arrays.stream(type.getDeclaredMethods())
            .anyMatch(m -> m.getName().equals(name) && 0 == m.getParameterCount() && Modifier.isStatic(m.getModifiers()));
    }

    private static Object invokeStatic(final Class<?> type, final String name) throws Exception
    {
        final Method m = type.getDeclaredMethod(name);
        m.setAccessible(true);
        return m.invoke(null);
    }

    private record LayoutMember(long offset, MemoryLayout layout)
    {
    }

    /**
     * A named member anywhere in the layout, looking inside anonymous unions and structs as C does.
     */
    private static LayoutMember member(final GroupLayout group, final String name, final long groupOffset)
    {
        long offset = 0;
        for (final MemoryLayout element : group.memberLayouts())
        {
            final long at = groupOffset + (group instanceof UnionLayout ? 0 : offset);
            if (element.name().map(name::equals).orElse(false))
            {
                return new LayoutMember(at, element);
            }
            if (element instanceof GroupLayout inner && isAnonymous(inner))
            {
                final LayoutMember nested = member(inner, name, at);
                if (null != nested)
                {
                    return nested;
                }
            }
            offset += element.byteSize();
        }

        return null;
    }

    private static void memberNames(final GroupLayout group, final Set<String> names)
    {
        for (final MemoryLayout element : group.memberLayouts())
        {
            if (element instanceof GroupLayout inner && isAnonymous(inner))
            {
                memberNames(inner, names);
            }
            else
            {
                element.name().ifPresent(names::add);
            }
        }
    }

    private static boolean isAnonymous(final GroupLayout group)
    {
        return group.name().map(n -> n.startsWith("$anon$")).orElse(true);
    }

    /**
     * The probe's output, compiled and run once per test class: {@code struct} to size, {@code struct.field} to
     * "offset size", {@code const NAME} to value.
     */
    private static synchronized Map<String, String> probe() throws IOException, InterruptedException
    {
        if (null == probeOutput)
        {
            probeOutput = runProbe();
        }

        return probeOutput;
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
            final String key = "const".equals(parts[0]) ? "const " + parts[1] : parts[0];
            final String value = String.join(" ", Arrays.copyOfRange(parts, "const".equals(parts[0]) ? 2 : 1, parts.length));
            if (null != lines.put(key, value))
            {
                fail("the probe prints " + key + " twice");
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

    /**
     * A struct binding for {@link #aFieldOrStructLeftOutOfTheProbeIsReported()}: field {@code a} in full shape,
     * {@code b} with only a getter, {@code c} with only its constants.
     */
    @SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused" })
    static final class fixture_struct
    {
        private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("a"),
            ValueLayout.JAVA_INT.withName("b"),
            ValueLayout.JAVA_INT.withName("c"),
            ValueLayout.JAVA_INT.withName("d")
        ).withName("fixture_struct");

        private static final ValueLayout.OfInt a$LAYOUT = ValueLayout.JAVA_INT.withName("a");
        private static final long a$OFFSET = 0;
        private static final ValueLayout.OfInt c$LAYOUT = ValueLayout.JAVA_INT.withName("c");
        private static final long c$OFFSET = 8;

        private fixture_struct()
        {
        }

        static int a(final MemorySegment struct)
        {
            return struct.get(a$LAYOUT, a$OFFSET);
        }

        static int b(final MemorySegment struct)
        {
            return struct.get(ValueLayout.JAVA_INT, 4);
        }
    }
}
