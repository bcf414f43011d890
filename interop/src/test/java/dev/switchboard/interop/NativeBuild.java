/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds {@code native/} (part A's {@code libswitchboard} and this module's C agents under {@code native/interop/})
 * with CMake into {@code interop/target/native}, once per test JVM, and says where the results are. A missing tool or
 * a failing build is an {@link AssertionError} with CMake's output: the cross-language tests then fail, they are not
 * skipped.
 *
 * <p>Thread-safety: {@link #get()} is synchronized.
 */
final class NativeBuild
{
    private static NativeBuild built;

    private final Path root;
    private final Path buildDir;

    private NativeBuild(final Path root, final Path buildDir)
    {
        this.root = root;
        this.buildDir = buildDir;
    }

    /**
     * @return the build, made on the first call.
     */
    static synchronized NativeBuild get()
    {
        if (null == built)
        {
            final Path module = Path.of("").toAbsolutePath();
            final Path root = module.getParent();
            final Path buildDir = module.resolve("target").resolve("native");
            if (!Files.isRegularFile(root.resolve("native").resolve("CMakeLists.txt")))
            {
                throw new AssertionError("native/CMakeLists.txt not found under " + root +
                    ": the C library (libswitchboard) is not in this checkout");
            }
            run(root, List.of("cmake", "-S", "native", "-B", buildDir.toString(), "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                "-DSB_BUILD_TESTS=OFF", "-DSB_BUILD_EXAMPLES=OFF"));
            run(root, List.of("cmake", "--build", buildDir.toString(), "--parallel", "2"));
            built = new NativeBuild(root, buildDir);
        }
        return built;
    }

    /**
     * @return the checkout's root (the directory holding {@code native/}).
     */
    Path root()
    {
        return root;
    }

    /**
     * @return the C interop agent, {@code native/interop/sbx_agent.c} built.
     */
    Path agent()
    {
        return find("sbx_agent");
    }

    /**
     * @return the shared library {@code libswitchboard.so}, as the Python package loads it.
     */
    Path sharedLibrary()
    {
        return find("libswitchboard.so");
    }

    private Path find(final String fileName)
    {
        try (Stream<Path> files = Files.walk(buildDir))
        {
            return files.filter(p -> p.getFileName().toString().equals(fileName) && Files.isRegularFile(p))
                .findFirst()
                .orElseThrow(() -> new AssertionError(fileName + " was not built under " + buildDir));
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot look for " + fileName + " under " + buildDir + ": " + ex, ex);
        }
    }

    private static void run(final Path dir, final List<String> command)
    {
        try
        {
            final Path log = Files.createTempFile("cmake", ".log");
            final Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES))
            {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 10 minutes");
            }
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0)
            {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" +
                    output);
            }
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot run " + command.get(0) + " (is it installed?): " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted building native/", ex);
        }
    }
}
