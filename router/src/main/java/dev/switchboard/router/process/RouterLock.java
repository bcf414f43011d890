package dev.switchboard.router.process;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.switchboard.ipc.files.OwnedFiles;

/**
 * One router per runtime dir: an exclusive lock ({@code fcntl}, through {@link FileChannel#tryLock()}) on
 * {@code <runtime dir>/router.lock}, held for the router's life, with the holder's pid written in the file. A second
 * router on the same dir fails to take it and refuses to start, naming the live one's pid; the kernel releases the lock
 * when its holder exits, however it exits (a {@code kill -9} included), so a crashed router never blocks the next.
 *
 * <p>The lock also decides when a socket file left in the runtime dir is stale: {@link #removeStaleSocket} removes one
 * only when nothing answers on it, so even a router on another runtime dir configured with the same socket path is
 * never cut off from its agents.
 *
 * <p>Thread-safety: acquire and close from one thread.
 */
final class RouterLock implements AutoCloseable
{
    /** Name of the lock file in the runtime dir. */
    static final String FILE_NAME = "router.lock";
    /** How long a socket that answers is given to stop answering before it is taken for a live server's. */
    private static final long STALE_SOCKET_GRACE_NS = 3_000_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private RouterLock(final Path path, final FileChannel channel, final FileLock lock)
    {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Take the runtime dir's lock and write this process's pid into it.
     *
     * @param runtimeDir the router's runtime dir (created by the caller).
     * @return the held lock; close it when the router stops.
     * @throws IllegalStateException when another router holds it (the message names its pid) or the file cannot be
     *                               used (a link, another user's file).
     */
    static RouterLock acquire(final Path runtimeDir)
    {
        final Path path = runtimeDir.resolve(FILE_NAME);
        FileChannel channel = null;
        try
        {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                OwnedFiles.processDefault().checkOurs(path); // no link, no other user's file
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            }
            else
            {
                channel = OwnedFiles.processDefault().createNew(path);
            }
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException e)
            {
                throw new IllegalStateException("another router in this process (pid " + ProcessHandle.current().pid() +
                    ") is running on runtime dir " + runtimeDir + " (lock " + path + "); close it first, or use " +
                    "another switchboard.runtime.dir");
            }
            if (lock == null)
            {
                throw new IllegalStateException("another router (pid " + holder(channel) + ") is running on runtime " +
                    "dir " + runtimeDir + " (lock " + path + "); stop it first, or use another switchboard.runtime.dir");
            }
            final byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new RouterLock(path, channel, lock);
        }
        catch (final IOException e)
        {
            closeQuietly(channel);
            throw new IllegalStateException("cannot lock runtime dir " + runtimeDir + " (" + path + "): " +
                e.getMessage(), e);
        }
        catch (final RuntimeException e)
        {
            closeQuietly(channel);
            throw e;
        }
    }

    private static String holder(final FileChannel channel)
    {
        try
        {
            final ByteBuffer bytes = ByteBuffer.allocate(32);
            channel.read(bytes, 0);
            final String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? "unknown" : text;
        }
        catch (final IOException e)
        {
            return "unknown";
        }
    }

    /**
     * Remove a socket file left at {@code path} by a router that is gone, before binding there: only when nothing
     * answers on it. A socket where a server still accepts is never removed.
     *
     * @param path where a socket is to be bound.
     * @throws IllegalStateException when a live server answers there, or the file is not ours to remove (see
     *                               {@link OwnedFiles#removeStaleSocket}).
     */
    static void removeStaleSocket(final Path path)
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        if (!Files.isSymbolicLink(path) && answers(path))
        {
            // A router killed a moment ago may still answer while the kernel tears down its io_uring (a pending
            // accept holds the listening socket): give it a little time before calling it alive.
            final long deadline = System.nanoTime() + STALE_SOCKET_GRACE_NS;
            while (answers(path))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("a server answers on " + path + " (another router?): not " +
                        "removed; stop it first, or configure another socket path");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
        }
        try
        {
            OwnedFiles.removeStaleSocket(path);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot bind the router's socket " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(final Path path)
    {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        }
        catch (final IOException | RuntimeException e)
        {
            return false; // ECONNREFUSED: nobody listens; not a socket at all: OwnedFiles decides
        }
    }

    /**
     * @return the lock file.
     */
    Path path()
    {
        return path;
    }

    @Override
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing more to do
            }
        }
    }
}
