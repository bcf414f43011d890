/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test directory, to make a file system run out of space for real. Needs
 * {@code mount} permission (root, or CAP_SYS_ADMIN); a test that cannot mount is skipped with the reason,
 * not failed. {@link #close()} always unmounts (lazily, so an open file cannot keep it mounted).
 */
public final class Tmpfs implements AutoCloseable
{
    private final Path dir;

    private Tmpfs(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * Mount a tmpfs of {@code sizeBytes} on {@code dir} (created if missing), or skip the test.
     *
     * @param dir       mount point.
     * @param sizeBytes size of the file system.
     * @return the mount, to close in a finally block or try-with-resources.
     */
    public static Tmpfs mountOrSkip(final Path dir, final long sizeBytes) throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final String result = run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes + ",mode=0700", "tmpfs", dir.toString());
        Assumptions.assumeTrue(result == null,
            () -> "skipped: cannot mount a tmpfs to fill a file system (needs root or CAP_SYS_ADMIN): " + result);
        return new Tmpfs(dir);
    }

    /**
     * Grow (or shrink) the mounted file system, as an operator freeing space would.
     *
     * @param sizeBytes new size.
     */
    public void resize(final long sizeBytes) throws IOException, InterruptedException
    {
        final String result = run("mount", "-o", "remount,size=" + sizeBytes, dir.toString());
        if (result != null)
        {
            throw new IllegalStateException("cannot resize tmpfs " + dir + ": " + result);
        }
    }

    /** @return the mount point. */
    public Path dir()
    {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException
    {
        run("umount", "-l", dir.toString());
    }

    /** @return null on success, else the command's output and exit status. */
    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return String.join(" ", command) + " timed out";
        }
        return process.exitValue() == 0 ? null : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
    }
}
