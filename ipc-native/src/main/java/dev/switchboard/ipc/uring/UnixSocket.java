package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.liburing_h;
import dev.switchboard.ipc.uring.liburing.pollfd;
import dev.switchboard.ipc.uring.liburing.sockaddr_un;
import dev.switchboard.ipc.files.OwnedFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unix domain stream sockets as raw descriptors through FFM (libc {@code socket}, {@code connect}, {@code bind},
 * {@code listen}, {@code shutdown}, {@code close}, and for a link's blocking set-up {@code read}, {@code write},
 * {@code poll}), for io_uring to read and write.
 *
 * <p>Thread-safety: stateless. Allocation: each call allocates a small confined arena (setup and tear-down paths
 * only).
 */
public final class UnixSocket
{
    /** Longest path a {@code sockaddr_un} holds: 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = (int)sockaddr_un.sun_path$layout().byteSize() - 1;

    private static final int SOCKADDR_UN_LENGTH = (int)sockaddr_un.sizeof();

    private UnixSocket()
    {
    }

    /**
     * Connect a blocking stream socket to {@code path}.
     *
     * @param path of a listening socket.
     * @return the connected descriptor (close-on-exec).
     * @throws UncheckedIOException naming the path and errno when it cannot connect.
     */
    public static int connect(final Path path)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = liburing_h.allocateErrno(arena);
            final MemorySegment address = address(arena, path);
            final int fd = newSocket(errno, path);
            if (liburing_h.connect(errno, fd, address, SOCKADDR_UN_LENGTH) < 0)
            {
                final int error = liburing_h.errno(errno);
                closeQuietly(fd);
                throw failure("connect to " + path, error);
            }

            return fd;
        }
    }

    /**
     * Bind and listen on {@code path}, replacing a stale socket file; the socket file is made owner-only (0600).
     *
     * @param path    socket path.
     * @param backlog pending connections.
     * @return the listening descriptor (close-on-exec).
     * @throws UncheckedIOException naming the path and errno when it cannot listen.
     */
    public static int listen(final Path path, final int backlog)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = liburing_h.allocateErrno(arena);
            final MemorySegment address = address(arena, path);
            OwnedFiles.removeStaleSocket(path);
            final int fd = newSocket(errno, path);
            if (liburing_h.bind(errno, fd, address, SOCKADDR_UN_LENGTH) < 0)
            {
                final int error = liburing_h.errno(errno);
                closeQuietly(fd);
                throw failure("bind to " + path, error);
            }

            if (liburing_h.listen(errno, fd, backlog) < 0)
            {
                final int error = liburing_h.errno(errno);
                closeQuietly(fd);
                throw failure("listen on " + path, error);
            }

            try
            {
                Files.setPosixFilePermissions(path, OwnedFiles.processDefault().fileMode());
            }
            catch (final IOException | UnsupportedOperationException ex)
            {
                closeQuietly(fd);
                throw new UncheckedIOException(new IOException("cannot make " + path + " owner-only", ex));
            }

            return fd;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot replace " + path, ex);
        }
    }

    /**
     * {@code shutdown(fd, SHUT_RDWR)}: an armed io_uring read completes with 0 and a write in flight with
     * {@code -EPIPE}. Errors (the peer already gone: {@code ENOTCONN}) are ignored.
     *
     * @param fd socket.
     */
    public static void shutdown(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            liburing_h.shutdown(liburing_h.allocateErrno(arena), fd, liburing_h.SHUT_RDWR());
        }
    }

    /**
     * The kernel's credentials of the process at the other end ({@code SO_PEERCRED}: {@code struct ucred} =
     * pid, uid, gid, three 32-bit ints).
     *
     * @param fd connected Unix socket.
     * @return {@code {pid, uid, gid}}, or null when the kernel does not say.
     */
    public static int[] peerCredentials(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment ucred = arena.allocate(12, 4);
            final MemorySegment length = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            length.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 12);
            if (liburing_h.getsockopt(liburing_h.allocateErrno(arena), fd, liburing_h.SOL_SOCKET(),
                liburing_h.SO_PEERCRED(), ucred, length) != 0)
            {
                return null;
            }
            return new int[] {
                ucred.get(java.lang.foreign.ValueLayout.JAVA_INT, 0),
                ucred.get(java.lang.foreign.ValueLayout.JAVA_INT, 4),
                ucred.get(java.lang.foreign.ValueLayout.JAVA_INT, 8)};
        }
    }

    /**
     * {@code close(fd)}, ignoring errors.
     *
     * @param fd descriptor.
     */
    public static void closeQuietly(final int fd)
    {
        if (fd >= 0)
        {
            try (Arena arena = Arena.ofConfined())
            {
                liburing_h.close(liburing_h.allocateErrno(arena), fd);
            }
        }
    }

    /**
     * Connect a non-blocking stream socket to {@code path}, retrying while the listener's queue is full
     * ({@code EAGAIN}) until the deadline: a connect that cannot hang.
     *
     * @param path       of a listening socket.
     * @param deadlineNs {@link System#nanoTime()} after which to give up.
     * @return the connected, non-blocking descriptor (close-on-exec).
     * @throws UncheckedIOException naming the path and errno (or the timeout) when it cannot connect.
     */
    public static int connectNonBlocking(final Path path, final long deadlineNs)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = liburing_h.allocateErrno(arena);
            final MemorySegment address = address(arena, path);
            final int fd = newSocket(errno, path, liburing_h.SOCK_NONBLOCK());
            while (true)
            {
                if (liburing_h.connect(errno, fd, address, SOCKADDR_UN_LENGTH) == 0)
                {
                    return fd;
                }
                final int error = liburing_h.errno(errno);
                if (error != liburing_h.EAGAIN() || System.nanoTime() - deadlineNs > 0)
                {
                    closeQuietly(fd);
                    throw failure("connect to " + path + (error == liburing_h.EAGAIN() ?
                        " (its listen queue stayed full until the deadline)" : ""), error);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
            }
        }
    }

    /**
     * {@code write(2)} once.
     *
     * @param fd      descriptor.
     * @param segment bytes.
     * @param offset  of the first byte.
     * @param length  bytes.
     * @return bytes written, or {@code -errno} ({@code -EAGAIN} on a full non-blocking socket).
     */
    public static int write(final int fd, final MemorySegment segment, final long offset, final int length)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = liburing_h.allocateErrno(arena);
            final long n = liburing_h.write(errno, fd, segment.asSlice(offset, length), length);
            return n < 0 ? -liburing_h.errno(errno) : (int)n;
        }
    }

    /**
     * {@code read(2)} once.
     *
     * @param fd      descriptor.
     * @param segment where.
     * @param offset  of the first byte.
     * @param length  most bytes.
     * @return bytes read, 0 at end of stream, or {@code -errno} ({@code -EAGAIN}: nothing yet).
     */
    public static int read(final int fd, final MemorySegment segment, final long offset, final int length)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = liburing_h.allocateErrno(arena);
            final long n = liburing_h.read(errno, fd, segment.asSlice(offset, length), length);
            return n < 0 ? -liburing_h.errno(errno) : (int)n;
        }
    }

    /**
     * {@code poll(2)} one descriptor for input, bounded.
     *
     * @param fd        descriptor.
     * @param timeoutMs most milliseconds to wait.
     * @return true when it is readable (or at end of stream, or in error: a read says which).
     */
    public static boolean awaitReadable(final int fd, final int timeoutMs)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment pfd = pollfd.allocate(arena);
            pollfd.fd(pfd, fd);
            pollfd.events(pfd, (short)liburing_h.POLLIN());
            return liburing_h.poll(liburing_h.allocateErrno(arena), pfd, 1, timeoutMs) > 0;
        }
    }

    /**
     * {@code close(fd)}, ignoring errors.
     *
     * @param fd descriptor.
     */
    public static void close(final int fd)
    {
        closeQuietly(fd);
    }

    /**
     * Remove a socket file this process bound, ignoring errors.
     *
     * @param path the socket's path.
     */
    public static void unlink(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // best effort: a stale socket of ours is replaced by the next bind
        }
    }

    private static int newSocket(final MemorySegment errno, final Path path)
    {
        return newSocket(errno, path, 0);
    }

    private static int newSocket(final MemorySegment errno, final Path path, final int extraType)
    {
        final int fd = liburing_h.socket(
            errno, liburing_h.AF_UNIX(), liburing_h.SOCK_STREAM() | liburing_h.SOCK_CLOEXEC() | extraType, 0);
        if (fd < 0)
        {
            throw failure("socket(AF_UNIX) for " + path, liburing_h.errno(errno));
        }

        return fd;
    }

    private static MemorySegment address(final Arena arena, final Path path)
    {
        final byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES)
        {
            throw new IllegalArgumentException(
                "socket path is " + bytes.length + " bytes, longer than the " + MAX_PATH_BYTES +
                " a sockaddr_un holds: " + path);
        }

        final MemorySegment address = sockaddr_un.allocate(arena);
        sockaddr_un.sun_family(address, (short)liburing_h.AF_UNIX());
        MemorySegment.copy(bytes, 0, sockaddr_un.sun_path(address), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return address;
    }

    private static UncheckedIOException failure(final String what, final int errno)
    {
        return new UncheckedIOException(new IOException(what + " failed: " + Errno.describe(errno)));
    }
}
