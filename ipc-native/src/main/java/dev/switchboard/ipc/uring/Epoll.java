package dev.switchboard.ipc.uring;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * One {@code epoll} instance over a few descriptors, through FFM: the router process's single blocking wait when its
 * sockets are watched by two mechanisms at once (a NIO {@code Selector}, itself an epoll descriptor, and an io_uring,
 * whose descriptor is readable while its completion queue holds entries). Waiting here until either is ready is one
 * {@code epoll_wait} system call; which one was ready is returned as a bit mask of the tags given at {@link #add}.
 *
 * <p>{@code struct epoll_event} is {@code {uint32_t events; uint64_t data;}}, packed to 12 bytes on x86_64 and 16
 * bytes (natural alignment) elsewhere; the tag travels in {@code data}.
 *
 * <p>Thread-safety: {@link #add} before use, {@link #await} on one thread; {@link #close()} once. Allocation: none in
 * {@link #await}.
 */
public final class Epoll implements AutoCloseable
{
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 0x001;
    private static final int EINTR = 4;
    private static final int MAX_EVENTS = 8;
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch")) ||
        "x86_64".equals(System.getProperty("os.arch"));
    private static final int EVENT_SIZE = PACKED ? 12 : 16;
    private static final int DATA_OFFSET = PACKED ? 4 : 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle EPOLL_CREATE1 = libc("epoll_create1",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = libc("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = libc("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.captureCallState("errno"));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = arena.allocate((long)EVENT_SIZE * MAX_EVENTS, 8);
    private final MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
    private final int epfd;
    private boolean closed;

    private static MethodHandle libc(final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol in libc: " + name)), descriptor, options);
    }

    /**
     * @throws UncheckedIOException when the kernel refuses an epoll instance.
     */
    public Epoll()
    {
        final int fd;
        try
        {
            fd = (int)EPOLL_CREATE1.invokeExact(EPOLL_CLOEXEC);
        }
        catch (final Throwable e)
        {
            arena.close();
            throw new IllegalStateException(e);
        }
        if (fd < 0)
        {
            arena.close();
            throw new UncheckedIOException(new java.io.IOException("epoll_create1 failed"));
        }
        this.epfd = fd;
    }

    /**
     * Watch a descriptor for readability.
     *
     * @param fd  to watch; owned by the caller, who must keep it open while this instance lives.
     * @param tag a bit (1, 2, 4...) returned by {@link #await} when {@code fd} is readable.
     * @throws UncheckedIOException when the kernel refuses it.
     */
    public void add(final int fd, final int tag)
    {
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment event = call.allocate(EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, DATA_OFFSET, tag);
            final int rc = (int)EPOLL_CTL.invokeExact(epfd, EPOLL_CTL_ADD, fd, event);
            if (rc != 0)
            {
                throw new UncheckedIOException(new java.io.IOException("epoll_ctl(ADD, " + fd + ") failed"));
            }
        }
        catch (final RuntimeException e)
        {
            throw e;
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Block until a watched descriptor is readable or the timeout passes (millisecond resolution; an interrupted
     * wait returns as a timeout).
     *
     * @param timeoutMs longest wait, &gt;= 0.
     * @return the tags of the readable descriptors, 0 on timeout.
     */
    public int await(final int timeoutMs)
    {
        final int n;
        try
        {
            n = (int)EPOLL_WAIT.invokeExact(errno, epfd, events, MAX_EVENTS, timeoutMs);
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException(e);
        }
        if (n < 0)
        {
            final int error = errno.get(ValueLayout.JAVA_INT, 0);
            if (error == EINTR)
            {
                return 0;
            }
            throw new UncheckedIOException(new java.io.IOException("epoll_wait failed: errno " + error));
        }
        int tags = 0;
        for (int i = 0; i < n; i++)
        {
            tags |= events.get(ValueLayout.JAVA_INT_UNALIGNED, (long)i * EVENT_SIZE + DATA_OFFSET);
        }
        return tags;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            UnixSocket.closeQuietly(epfd);
            arena.close();
        }
    }
}
