/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code native/interop/sbx_bench.c} (libsbx_bench.so, on libswitchboard) through FFM: the C side of the benchmark's
 * C rows. The harness's Java drivers time the C endpoint exactly as every other case; on the data path the C code does
 * what a C agent does ({@code sb_send} through a destination resolved once, {@code sb_poll}, {@code sb_idle}), and each
 * call costs one downcall. {@code sbx_bench_offer} and {@code sbx_bench_poll} are critical downcalls (no thread-state
 * transition: they never block and never call back into Java; the poll copies each message's stamp, sequence and kind
 * into a native array this class owns); {@code sbx_bench_idle} is an ordinary one, since it may park in a futex.
 *
 * <p>{@link #build(Path)} builds {@code native/} with CMake into {@code benchmarks/target/native} (the coordinator does,
 * before the case's processes start); every process then loads {@link #libraryPath(Path)}.
 */
final class CBenchLibrary
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static CBenchLibrary loaded;

    final MethodHandle open;
    final MethodHandle lookup;
    final MethodHandle destination;
    final MethodHandle agentId;
    final MethodHandle isDirect;
    final MethodHandle offer;
    final MethodHandle poll;
    final MethodHandle idle;
    final MethodHandle close;
    final MethodHandle errmsg;

    private CBenchLibrary(final SymbolLookup symbols)
    {
        final ValueLayout.OfLong j = ValueLayout.JAVA_LONG;
        final ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        final var p = ValueLayout.ADDRESS;
        final Linker.Option critical = Linker.Option.critical(false);
        open = handle(symbols, "sbx_bench_open", FunctionDescriptor.of(p, p, p, p, i));
        lookup = handle(symbols, "sbx_bench_lookup", FunctionDescriptor.of(j, p, p));
        destination = handle(symbols, "sbx_bench_destination", FunctionDescriptor.of(i, p, j));
        agentId = handle(symbols, "sbx_bench_agent_id", FunctionDescriptor.of(j, p));
        isDirect = handle(symbols, "sbx_bench_is_direct", FunctionDescriptor.of(i, p));
        offer = handle(symbols, "sbx_bench_offer", FunctionDescriptor.of(i, p, j, j, i, i), critical);
        poll = handle(symbols, "sbx_bench_poll", FunctionDescriptor.of(i, p, p, i), critical);
        idle = handle(symbols, "sbx_bench_idle", FunctionDescriptor.ofVoid(p, i));
        close = handle(symbols, "sbx_bench_close", FunctionDescriptor.ofVoid(p));
        errmsg = handle(symbols, "sbx_bench_errmsg", FunctionDescriptor.of(p));
    }

    private static MethodHandle handle(
        final SymbolLookup symbols, final String name, final FunctionDescriptor descriptor,
        final Linker.Option... options)
    {
        return LINKER.downcallHandle(symbols.find(name).orElseThrow(
            () -> new IllegalStateException(name + " is not exported by libsbx_bench.so")), descriptor, options);
    }

    /**
     * @param projectRoot the checkout.
     * @return where {@link #build} puts libsbx_bench.so.
     */
    static Path libraryPath(final Path projectRoot)
    {
        return buildDir(projectRoot).resolve("interop").resolve("libsbx_bench.so");
    }

    private static Path buildDir(final Path projectRoot)
    {
        return projectRoot.resolve("benchmarks").resolve("target").resolve("native");
    }

    /**
     * Build {@code native/} (libswitchboard and {@code native/interop}) with CMake, Release.
     *
     * @param projectRoot the checkout.
     * @return null when libsbx_bench.so is there, else why not (no CMake, no {@code native/CMakeLists.txt}, the
     * build's error).
     */
    static String build(final Path projectRoot)
    {
        if (!Files.isRegularFile(projectRoot.resolve("native").resolve("CMakeLists.txt")))
        {
            return "native/CMakeLists.txt is missing: libswitchboard is not in this checkout";
        }
        final Path dir = buildDir(projectRoot);
        for (final List<String> command : List.of(
            List.of("cmake", "-S", "native", "-B", dir.toString(), "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DSB_BUILD_TESTS=OFF",
                "-DSB_BUILD_EXAMPLES=OFF"),
            List.of("cmake", "--build", dir.toString(), "--target", "sbx_bench", "--parallel", "2")))
        {
            try
            {
                Files.createDirectories(dir);
                final Path log = dir.resolve("build.log");
                final Process process = new ProcessBuilder(command).directory(projectRoot.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!process.waitFor(10, TimeUnit.MINUTES))
                {
                    process.destroyForcibly();
                    return String.join(" ", command) + " took longer than 10 minutes";
                }
                if (process.exitValue() != 0)
                {
                    final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    return String.join(" ", command) + " failed (exit " + process.exitValue() + "): " +
                        String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
                }
            }
            catch (final IOException ex)
            {
                return "cannot run " + command.get(0) + " (is CMake installed?): " + ex.getMessage();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return "interrupted building native/";
            }
        }
        return Files.isRegularFile(libraryPath(projectRoot)) ? null :
            "the CMake build made no " + libraryPath(projectRoot);
    }

    /**
     * @param projectRoot the checkout.
     * @return the library, loaded once per process.
     */
    static synchronized CBenchLibrary load(final Path projectRoot)
    {
        if (null == loaded)
        {
            final Path path = libraryPath(projectRoot);
            if (!Files.isRegularFile(path))
            {
                throw new IllegalStateException(path + " is missing: the coordinator builds it (CBenchLibrary.build)");
            }
            loaded = new CBenchLibrary(SymbolLookup.libraryLookup(path, Arena.global()));
        }
        return loaded;
    }

    /**
     * @return the calling thread's last error of libsbx_bench.
     */
    String lastError()
    {
        try
        {
            return ((MemorySegment)errmsg.invokeExact()).reinterpret(1024).getString(0, StandardCharsets.UTF_8);
        }
        catch (final Throwable t)
        {
            return "(no error text: " + t + ")";
        }
    }
}
