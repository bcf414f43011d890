package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.liburing_h;
import java.lang.foreign.MemorySegment;

/**
 * Readable errno values for error messages: {@code "errno 32 EPIPE (Broken pipe)"}.
 *
 * <p>Thread-safety: stateless. Allocation: builds a String; error paths only.
 */
final class Errno
{
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int ENOSYS = 38;
    static final int ETIME = 62;
    static final int ECONNRESET = 104;
    static final int ECONNREFUSED = 111;
    static final int ECANCELED = 125;

    private Errno()
    {
    }

    /**
     * @param errno a positive errno, or a negative one as io_uring and liburing return them.
     * @return for example {@code "errno 32 EPIPE (Broken pipe)"}.
     */
    static String describe(final int errno)
    {
        final int value = Math.abs(errno);
        final StringBuilder sb = new StringBuilder("errno ").append(value);
        final String name = name(value);
        if (null != name)
        {
            sb.append(' ').append(name);
        }

        final String text = strerror(value);
        if (null != text)
        {
            sb.append(" (").append(text).append(')');
        }

        return sb.toString();
    }

    private static String name(final int errno)
    {
        return switch (errno)
        {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EBUSY -> "EBUSY";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case EPIPE -> "EPIPE";
            case ENOSYS -> "ENOSYS";
            case ETIME -> "ETIME";
            case ECONNRESET -> "ECONNRESET";
            case ECONNREFUSED -> "ECONNREFUSED";
            case ECANCELED -> "ECANCELED";
            default -> null;
        };
    }

    @SuppressWarnings("restricted")
    private static String strerror(final int errno)
    {
        try
        {
            final MemorySegment text = liburing_h.strerror(errno);
            return MemorySegment.NULL.equals(text) ? null : text.reinterpret(256).getString(0);
        }
        catch (final Throwable ignore)
        {
            return null;
        }
    }
}
