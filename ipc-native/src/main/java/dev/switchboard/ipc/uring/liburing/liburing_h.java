package dev.switchboard.ipc.uring.liburing;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import dev.switchboard.ipc.process.ProcessContext;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Bindings to {@code <liburing.h>} (liburing 2.x, {@code liburing.so.2}) and the few libc functions HIGH needs, in
 * the shape jextract generates (jextract itself cannot be obtained here, so this file is written by hand and
 * checked by {@code UringLayoutTest} against a C probe compiled with the real header): C type layouts, one
 * static method per macro or enum constant, and for each function a lazily initialised holder class with its
 * {@link FunctionDescriptor}, address and {@link MethodHandle}, plus {@code name$handle()} and a static method that
 * invokes it. Only the constants and functions ipc-native and the router call are here (jextract's
 * {@code name$descriptor()} and {@code name$address()} are left out, nothing calls them); the package
 * documentation says how to add one.
 *
 * <p>Only functions exported by {@code liburing.so.2} are bound: liburing's {@code io_uring_get_sqe},
 * {@code io_uring_prep_*}, {@code io_uring_cqe_seen} and {@code io_uring_cq_advance} are inline in the header
 * and are written in Java over the mapped rings by {@link dev.switchboard.ipc.uring.UringRing}.
 *
 * <p>Library: {@code liburing.so.2} through the dynamic linker's search path, or the file named by the system
 * property {@value #LIBRARY_PATH_PROP}, loaded once, when this class initialises, into the global arena. Loading
 * fails with an {@link ExceptionInInitializerError} when the library is missing: call
 * {@link dev.switchboard.ipc.uring.UringProbe#probe()} first, which checks the same library without touching this class. libc functions come from
 * {@link Linker#defaultLookup()}; those that set {@code errno} are bound with
 * {@link Linker.Option#captureCallState(String...) captureCallState("errno")} and take the capture segment as
 * their first argument (allocate it with {@link #allocateErrno(Arena)}, read it with {@link #errno(MemorySegment)}).
 *
 * <p>Every method here is a restricted operation (FFM downcall): the JVM needs
 * {@code --enable-native-access=ALL-UNNAMED} (or the module's name).
 *
 * <p>Thread-safety: the bindings are stateless; thread-safety is that of the C function. Allocation: none in the
 * invokers (the handles are constants).
 */
@SuppressWarnings({ "checkstyle:TypeName", "checkstyle:MethodName", "unused", "restricted" })
public final class liburing_h
{
    /**
     * System property: absolute path of the liburing shared library to load instead of {@code liburing.so.2}; read
     * by {@link ProcessContext} ({@link ProcessContext#LIBURING_PATH_PROP}).
     */
    public static final String LIBRARY_PATH_PROP = ProcessContext.LIBURING_PATH_PROP;

    /** Library name given to the dynamic linker when {@value #LIBRARY_PATH_PROP} is not set. */
    public static final String LIBRARY_NAME = "liburing.so.2";

    liburing_h()
    {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.global();

    static final SymbolLookup SYMBOL_LOOKUP = libraryLookup(ProcessContext.current().liburingPath(), LIBRARY_ARENA);

    static final Linker LINKER = Linker.nativeLinker();

    static final SymbolLookup LIBC_LOOKUP = LINKER.defaultLookup();

    /**
     * The lookup of liburing as configured: a path when given (a missing file fails here, naming it), else
     * {@value #LIBRARY_NAME} through the dynamic linker.
     *
     * @param path  value of {@value #LIBRARY_PATH_PROP}, may be null or blank.
     * @param arena lifetime of the loaded library.
     * @return the lookup.
     * @throws IllegalArgumentException if the library cannot be loaded; the message names it.
     */
    static SymbolLookup libraryLookup(final String path, final Arena arena)
    {
        if (null == path || path.isBlank())
        {
            return SymbolLookup.libraryLookup(LIBRARY_NAME, arena);
        }

        final Path file = Path.of(path);
        if (!java.nio.file.Files.exists(file))
        {
            throw new IllegalArgumentException(
                "liburing not found at " + file + " (set by -D" + LIBRARY_PATH_PROP + ")");
        }

        return SymbolLookup.libraryLookup(file, arena);
    }

    static MemorySegment findOrThrow(final String symbol)
    {
        return SYMBOL_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol in liburing: " + symbol));
    }

    static MemorySegment findLibcOrThrow(final String symbol)
    {
        return LIBC_LOOKUP.find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol in libc: " + symbol));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // C types (x86_64 / aarch64 Linux, LP64)
    // ---------------------------------------------------------------------------------------------------------------

    /** C {@code char}, {@code __u8}. */
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    /** C {@code short}, {@code __u16}. */
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    /** C {@code int}, {@code unsigned}, {@code __u32}, {@code __s32}. */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** C {@code long long}, {@code __u64}. */
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    /** C {@code long}, {@code size_t}, {@code ssize_t} (LP64). */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** Any C pointer. */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
        .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, JAVA_BYTE));

    // ---------------------------------------------------------------------------------------------------------------
    // Constants (enum io_uring_op, #define IORING_*, libc); each is compared with the C value by UringLayoutTest.
    // ---------------------------------------------------------------------------------------------------------------

    private static final int IORING_OP_NOP = 0;
    private static final int IORING_OP_READ_FIXED = 4;
    private static final int IORING_OP_WRITE_FIXED = 5;
    private static final int IORING_OP_ACCEPT = 13;
    private static final int IORING_OP_ASYNC_CANCEL = 14;
    private static final int IORING_SETUP_CQSIZE = 1 << 3;
    private static final int IORING_SETUP_SQE128 = 1 << 10;
    private static final int IORING_SETUP_CQE32 = 1 << 11;
    private static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    private static final int IORING_SQ_TASKRUN = 1 << 2;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SHUT_RDWR = 2;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ECANCELED = 125;
    private static final int IORING_OP_SEND = 26;
    private static final int IORING_OP_RECV = 27;
    private static final int IORING_SETUP_R_DISABLED = 1 << 6;
    private static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    private static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    private static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    private static final int IORING_RECV_MULTISHOT = 1 << 1;
    private static final int IOSQE_BUFFER_SELECT = 1 << 5;
    private static final int IORING_CQE_F_BUFFER = 1;
    private static final int IORING_CQE_F_MORE = 1 << 1;
    private static final int IORING_CQE_BUFFER_SHIFT = 16;
    private static final int IORING_REGISTER_ENABLE_RINGS = 12;
    private static final int IO_URING_OP_SUPPORTED = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int POLLIN = 1;
    private static final int EINVAL = 22;
    private static final int ENOBUFS = 105;
    private static final int EPIPE = 32;
    private static final int ECONNRESET = 104;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;

    /** @return {@code IORING_OP_NOP}. */
    public static int IORING_OP_NOP()
    {
        return IORING_OP_NOP;
    }

    /** @return {@code IORING_OP_READ_FIXED}. */
    public static int IORING_OP_READ_FIXED()
    {
        return IORING_OP_READ_FIXED;
    }

    /** @return {@code IORING_OP_WRITE_FIXED}. */
    public static int IORING_OP_WRITE_FIXED()
    {
        return IORING_OP_WRITE_FIXED;
    }

    /** @return {@code IORING_OP_ACCEPT}. */
    public static int IORING_OP_ACCEPT()
    {
        return IORING_OP_ACCEPT;
    }

    /** @return {@code IORING_OP_ASYNC_CANCEL}. */
    public static int IORING_OP_ASYNC_CANCEL()
    {
        return IORING_OP_ASYNC_CANCEL;
    }

    /** @return {@code IORING_SETUP_CQSIZE}. */
    public static int IORING_SETUP_CQSIZE()
    {
        return IORING_SETUP_CQSIZE;
    }

    /** @return {@code IORING_SETUP_SQE128}. */
    public static int IORING_SETUP_SQE128()
    {
        return IORING_SETUP_SQE128;
    }

    /** @return {@code IORING_SETUP_CQE32}. */
    public static int IORING_SETUP_CQE32()
    {
        return IORING_SETUP_CQE32;
    }

    /** @return {@code IORING_SQ_CQ_OVERFLOW}. */
    public static int IORING_SQ_CQ_OVERFLOW()
    {
        return IORING_SQ_CQ_OVERFLOW;
    }

    /** @return {@code IORING_SQ_TASKRUN}. */
    public static int IORING_SQ_TASKRUN()
    {
        return IORING_SQ_TASKRUN;
    }

    /** @return {@code AF_UNIX}. */
    public static int AF_UNIX()
    {
        return AF_UNIX;
    }

    /** @return {@code SOCK_STREAM}. */
    public static int SOCK_STREAM()
    {
        return SOCK_STREAM;
    }

    /** @return {@code SOCK_CLOEXEC}. */
    public static int SOCK_CLOEXEC()
    {
        return SOCK_CLOEXEC;
    }

    /** @return {@code SHUT_RDWR}. */
    public static int SHUT_RDWR()
    {
        return SHUT_RDWR;
    }

    /** @return {@code EAGAIN}. */
    public static int EAGAIN()
    {
        return EAGAIN;
    }

    /** @return {@code EINTR}. */
    public static int EINTR()
    {
        return EINTR;
    }

    /** @return {@code ECANCELED}. */
    public static int ECANCELED()
    {
        return ECANCELED;
    }

    /** @return {@code IORING_OP_SEND}. */
    public static int IORING_OP_SEND()
    {
        return IORING_OP_SEND;
    }

    /** @return {@code IORING_OP_RECV}. */
    public static int IORING_OP_RECV()
    {
        return IORING_OP_RECV;
    }

    /** @return {@code IORING_SETUP_R_DISABLED}. */
    public static int IORING_SETUP_R_DISABLED()
    {
        return IORING_SETUP_R_DISABLED;
    }

    /** @return {@code IORING_SETUP_COOP_TASKRUN}. */
    public static int IORING_SETUP_COOP_TASKRUN()
    {
        return IORING_SETUP_COOP_TASKRUN;
    }

    /** @return {@code IORING_SETUP_TASKRUN_FLAG}. */
    public static int IORING_SETUP_TASKRUN_FLAG()
    {
        return IORING_SETUP_TASKRUN_FLAG;
    }

    /** @return {@code IORING_SETUP_SINGLE_ISSUER}. */
    public static int IORING_SETUP_SINGLE_ISSUER()
    {
        return IORING_SETUP_SINGLE_ISSUER;
    }

    /** @return {@code IORING_SETUP_DEFER_TASKRUN}. */
    public static int IORING_SETUP_DEFER_TASKRUN()
    {
        return IORING_SETUP_DEFER_TASKRUN;
    }

    /** @return {@code IORING_RECV_MULTISHOT}. */
    public static int IORING_RECV_MULTISHOT()
    {
        return IORING_RECV_MULTISHOT;
    }

    /** @return {@code IOSQE_BUFFER_SELECT}. */
    public static int IOSQE_BUFFER_SELECT()
    {
        return IOSQE_BUFFER_SELECT;
    }

    /** @return {@code IORING_CQE_F_BUFFER}. */
    public static int IORING_CQE_F_BUFFER()
    {
        return IORING_CQE_F_BUFFER;
    }

    /** @return {@code IORING_CQE_F_MORE}. */
    public static int IORING_CQE_F_MORE()
    {
        return IORING_CQE_F_MORE;
    }

    /** @return {@code IORING_CQE_BUFFER_SHIFT}. */
    public static int IORING_CQE_BUFFER_SHIFT()
    {
        return IORING_CQE_BUFFER_SHIFT;
    }

    /** @return {@code IORING_REGISTER_ENABLE_RINGS}. */
    public static int IORING_REGISTER_ENABLE_RINGS()
    {
        return IORING_REGISTER_ENABLE_RINGS;
    }

    /** @return {@code IO_URING_OP_SUPPORTED}. */
    public static int IO_URING_OP_SUPPORTED()
    {
        return IO_URING_OP_SUPPORTED;
    }

    /** @return {@code SOCK_NONBLOCK}. */
    public static int SOCK_NONBLOCK()
    {
        return SOCK_NONBLOCK;
    }

    /** @return {@code POLLIN}. */
    public static int POLLIN()
    {
        return POLLIN;
    }

    /** @return {@code EINVAL}. */
    public static int EINVAL()
    {
        return EINVAL;
    }

    /** @return {@code ENOBUFS}. */
    public static int ENOBUFS()
    {
        return ENOBUFS;
    }

    /** @return {@code EPIPE}. */
    public static int EPIPE()
    {
        return EPIPE;
    }

    /** @return {@code ECONNRESET}. */
    public static int ECONNRESET()
    {
        return ECONNRESET;
    }

    /** @return {@code SOL_SOCKET}. */
    public static int SOL_SOCKET()
    {
        return SOL_SOCKET;
    }

    /** @return {@code SO_PEERCRED} (x86_64, aarch64). */
    public static int SO_PEERCRED()
    {
        return SO_PEERCRED;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // liburing functions (exported by liburing.so.2)
    // ---------------------------------------------------------------------------------------------------------------

    private static final class io_uring_queue_init_params
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_queue_init_params");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_queue_init_params}. */
    public static MethodHandle io_uring_queue_init_params$handle()
    {
        return io_uring_queue_init_params.HANDLE;
    }

    /**
     * {@code int io_uring_queue_init_params(unsigned entries, struct io_uring *ring, struct io_uring_params *p)}:
     * {@code io_uring_setup(2)} plus the mmap of both rings and the SQE array.
     *
     * @param entries SQ size.
     * @param ring    {@link io_uring} to fill.
     * @param p       {@link io_uring_params} in and out.
     * @return 0, or {@code -errno}.
     */
    public static int io_uring_queue_init_params(final int entries, final MemorySegment ring, final MemorySegment p)
    {
        try
        {
            return (int)io_uring_queue_init_params.HANDLE.invokeExact(entries, ring, p);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_queue_exit
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_queue_exit");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_queue_exit}. */
    public static MethodHandle io_uring_queue_exit$handle()
    {
        return io_uring_queue_exit.HANDLE;
    }

    /**
     * {@code void io_uring_queue_exit(struct io_uring *ring)}: unmaps the rings and closes the ring fd; the kernel
     * cancels what is still in flight.
     *
     * @param ring an initialised {@link io_uring}.
     */
    public static void io_uring_queue_exit(final MemorySegment ring)
    {
        try
        {
            io_uring_queue_exit.HANDLE.invokeExact(ring);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_submit
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_submit");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_submit}. */
    public static MethodHandle io_uring_submit$handle()
    {
        return io_uring_submit.HANDLE;
    }

    /**
     * {@code int io_uring_submit(struct io_uring *ring)}: publishes {@code sq.sqe_tail} (when it differs from
     * {@code sq.sqe_head}) and calls {@code io_uring_enter(2)} when there is something to submit or the CQ needs
     * flushing; makes no system call otherwise.
     *
     * @param ring an initialised {@link io_uring}.
     * @return SQEs submitted, or {@code -errno}.
     */
    public static int io_uring_submit(final MemorySegment ring)
    {
        try
        {
            return (int)io_uring_submit.HANDLE.invokeExact(ring);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_wait_cqe_timeout
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_wait_cqe_timeout");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_wait_cqe_timeout}. */
    public static MethodHandle io_uring_wait_cqe_timeout$handle()
    {
        return io_uring_wait_cqe_timeout.HANDLE;
    }

    /**
     * {@code int io_uring_wait_cqe_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
     * struct __kernel_timespec *ts)}: block until a CQE is available or the timeout passes. Does not consume the
     * CQE.
     *
     * @param ring   an initialised {@link io_uring}.
     * @param cqePtr a pointer-sized segment that receives the CQE's address.
     * @param ts     a {@link __kernel_timespec}, relative.
     * @return 0, {@code -ETIME} on timeout, or another {@code -errno}.
     */
    public static int io_uring_wait_cqe_timeout(final MemorySegment ring, final MemorySegment cqePtr, final MemorySegment ts)
    {
        try
        {
            return (int)io_uring_wait_cqe_timeout.HANDLE.invokeExact(ring, cqePtr, ts);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_register_buffers
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
        static final MemorySegment ADDR = findOrThrow("io_uring_register_buffers");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_register_buffers}. */
    public static MethodHandle io_uring_register_buffers$handle()
    {
        return io_uring_register_buffers.HANDLE;
    }

    /**
     * {@code int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs, unsigned nr_iovecs)}:
     * pins the buffers (charged to {@code RLIMIT_MEMLOCK} without {@code CAP_IPC_LOCK}) so fixed reads and writes
     * skip the per-operation page mapping.
     *
     * @param ring     an initialised {@link io_uring}.
     * @param iovecs   array of {@link iovec}.
     * @param nrIovecs entries in the array.
     * @return 0, or {@code -errno} ({@code -ENOMEM} when over {@code RLIMIT_MEMLOCK}).
     */
    public static int io_uring_register_buffers(final MemorySegment ring, final MemorySegment iovecs, final int nrIovecs)
    {
        try
        {
            return (int)io_uring_register_buffers.HANDLE.invokeExact(ring, iovecs, nrIovecs);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_register_buffers_sparse
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        static final MemorySegment ADDR = findOrThrow("io_uring_register_buffers_sparse");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_register_buffers_sparse}. */
    public static MethodHandle io_uring_register_buffers_sparse$handle()
    {
        return io_uring_register_buffers_sparse.HANDLE;
    }

    /**
     * {@code int io_uring_register_buffers_sparse(struct io_uring *ring, unsigned nr)} (liburing 2.2, kernel 5.19):
     * a table of {@code nr} empty buffer slots, filled later by {@link #io_uring_register_buffers_update_tag}.
     *
     * @param ring an initialised {@link io_uring}.
     * @param nr   slots.
     * @return 0, or {@code -errno}.
     */
    public static int io_uring_register_buffers_sparse(final MemorySegment ring, final int nr)
    {
        try
        {
            return (int)io_uring_register_buffers_sparse.HANDLE.invokeExact(ring, nr);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_register_buffers_update_tag
    {
        static final FunctionDescriptor DESC =
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT);
        static final MemorySegment ADDR = findOrThrow("io_uring_register_buffers_update_tag");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_register_buffers_update_tag}. */
    public static MethodHandle io_uring_register_buffers_update_tag$handle()
    {
        return io_uring_register_buffers_update_tag.HANDLE;
    }

    /**
     * {@code int io_uring_register_buffers_update_tag(struct io_uring *ring, unsigned off,
     * const struct iovec *iovecs, const __u64 *tags, unsigned nr)}: replace slots {@code [off, off + nr)} of the
     * registered buffer table; an {@link iovec} of {@code {NULL, 0}} empties a slot.
     *
     * @param ring   an initialised {@link io_uring}.
     * @param off    first slot.
     * @param iovecs array of {@code nr} {@link iovec}.
     * @param tags   {@code __u64[nr]}, or {@link MemorySegment#NULL}.
     * @param nr     slots to replace.
     * @return slots replaced, or {@code -errno}.
     */
    public static int io_uring_register_buffers_update_tag(
        final MemorySegment ring, final int off, final MemorySegment iovecs, final MemorySegment tags, final int nr)
    {
        try
        {
            return (int)io_uring_register_buffers_update_tag.HANDLE.invokeExact(ring, off, iovecs, tags, nr);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_register_buf_ring
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
        static final MemorySegment ADDR = findOrThrow("io_uring_register_buf_ring");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_register_buf_ring}. */
    public static MethodHandle io_uring_register_buf_ring$handle()
    {
        return io_uring_register_buf_ring.HANDLE;
    }

    /**
     * {@code int io_uring_register_buf_ring(struct io_uring *ring, struct io_uring_buf_reg *reg, unsigned int flags)}: registers a provided-buffer ring
     * ({@code IORING_REGISTER_PBUF_RING}, kernel 5.19+); the ring memory stays the caller's and must stay mapped until
     * it is unregistered or the io_uring exits.
     *
     * @param ring an initialised {@link io_uring}.
     * @param reg an {@link io_uring_buf_reg}.
     * @param flags 0.
     * @return 0, or {@code -errno}.
     */
    public static int io_uring_register_buf_ring(final MemorySegment ring, final MemorySegment reg, final int flags)
    {
        try
        {
            return (int)io_uring_register_buf_ring.HANDLE.invokeExact(ring, reg, flags);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_unregister_buf_ring
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        static final MemorySegment ADDR = findOrThrow("io_uring_unregister_buf_ring");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_unregister_buf_ring}. */
    public static MethodHandle io_uring_unregister_buf_ring$handle()
    {
        return io_uring_unregister_buf_ring.HANDLE;
    }

    /**
     * {@code int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid)}.
     *
     * @param ring an initialised {@link io_uring}.
     * @param bgid the buffer group id.
     * @return 0, or {@code -errno}.
     */
    public static int io_uring_unregister_buf_ring(final MemorySegment ring, final int bgid)
    {
        try
        {
            return (int)io_uring_unregister_buf_ring.HANDLE.invokeExact(ring, bgid);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_get_probe_ring
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_get_probe_ring");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_get_probe_ring}. */
    public static MethodHandle io_uring_get_probe_ring$handle()
    {
        return io_uring_get_probe_ring.HANDLE;
    }

    /**
     * {@code struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring)}: which opcodes the kernel supports
     * ({@code IORING_REGISTER_PROBE}); the result is malloc'd, free it with {@link #io_uring_free_probe}.
     *
     * @param ring an initialised {@link io_uring}.
     * @return an {@link io_uring_probe} of 256 ops, or NULL.
     */
    public static MemorySegment io_uring_get_probe_ring(final MemorySegment ring)
    {
        try
        {
            return (MemorySegment)io_uring_get_probe_ring.HANDLE.invokeExact(ring);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_free_probe
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_free_probe");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_free_probe}. */
    public static MethodHandle io_uring_free_probe$handle()
    {
        return io_uring_free_probe.HANDLE;
    }

    /**
     * {@code void io_uring_free_probe(struct io_uring_probe *probe)}.
     *
     * @param probe what {@link #io_uring_get_probe_ring} returned.
     */
    public static void io_uring_free_probe(final MemorySegment probe)
    {
        try
        {
            io_uring_free_probe.HANDLE.invokeExact(probe);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_register
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT);
        static final MemorySegment ADDR = findOrThrow("io_uring_register");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_register}. */
    public static MethodHandle io_uring_register$handle()
    {
        return io_uring_register.HANDLE;
    }

    /**
     * {@code int io_uring_register(unsigned int fd, unsigned int opcode, const void *arg, unsigned int nr_args)}: the raw
     * {@code io_uring_register(2)} (liburing's wrapper returns {@code -errno}); used for
     * {@code IORING_REGISTER_ENABLE_RINGS}, which liburing 2.3 declares but does not export.
     *
     * @param fd the ring's descriptor.
     * @param opcode {@code IORING_REGISTER_*}.
     * @param arg argument, or NULL.
     * @param nrArgs argument count.
     * @return 0 or a positive result, or {@code -errno}.
     */
    public static int io_uring_register(final int fd, final int opcode, final MemorySegment arg, final int nrArgs)
    {
        try
        {
            return (int)io_uring_register.HANDLE.invokeExact(fd, opcode, arg, nrArgs);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_register_ring_fd
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_register_ring_fd");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_register_ring_fd}. */
    public static MethodHandle io_uring_register_ring_fd$handle()
    {
        return io_uring_register_ring_fd.HANDLE;
    }

    /**
     * {@code int io_uring_register_ring_fd(struct io_uring *ring)}: registers the ring's own descriptor with
     * the calling task ({@code IORING_REGISTER_RING_FDS}, 5.18+), so that its {@code io_uring_enter} calls skip the
     * descriptor lookup; liburing then enters with {@code IORING_ENTER_REGISTERED_RING}. Per task: only the thread
     * that registered may enter through it.
     *
     * @param ring an initialised {@link io_uring}.
     * @return 1 (the number registered), or {@code -errno}.
     */
    public static int io_uring_register_ring_fd(final MemorySegment ring)
    {
        try
        {
            return (int)io_uring_register_ring_fd.HANDLE.invokeExact(ring);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class io_uring_submit_and_get_events
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MemorySegment ADDR = findOrThrow("io_uring_submit_and_get_events");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code io_uring_submit_and_get_events}. */
    public static MethodHandle io_uring_submit_and_get_events$handle()
    {
        return io_uring_submit_and_get_events.HANDLE;
    }

    /**
     * {@code int io_uring_submit_and_get_events(struct io_uring *ring)}: submit and always enter with
     * {@code IORING_ENTER_GETEVENTS}, so that deferred completions ({@code IORING_SETUP_DEFER_TASKRUN}) are posted.
     *
     * @param ring an initialised {@link io_uring}.
     * @return SQEs submitted, or {@code -errno}.
     */
    public static int io_uring_submit_and_get_events(final MemorySegment ring)
    {
        try
        {
            return (int)io_uring_submit_and_get_events.HANDLE.invokeExact(ring);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // libc (default lookup); errno captured through Linker.Option.captureCallState("errno")
    // ---------------------------------------------------------------------------------------------------------------

    private static final GroupLayout CAPTURE_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = CAPTURE_STATE_LAYOUT.varHandle(groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * @param arena owner of the segment.
     * @return a segment for the {@code errno} captured by the libc invokers below.
     */
    public static MemorySegment allocateErrno(final Arena arena)
    {
        return arena.allocate(CAPTURE_STATE_LAYOUT);
    }

    /**
     * @param captureState a segment from {@link #allocateErrno(Arena)} passed to a libc invoker.
     * @return the {@code errno} that call left.
     */
    public static int errno(final MemorySegment captureState)
    {
        return (int)ERRNO_HANDLE.get(captureState, 0L);
    }

    private static final class socket
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("socket");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code socket} (first parameter: the errno capture segment). */
    public static MethodHandle socket$handle()
    {
        return socket.HANDLE;
    }

    /**
     * {@code int socket(int domain, int type, int protocol)}.
     *
     * @param errno    capture segment, see {@link #allocateErrno(Arena)}.
     * @param domain   {@link #AF_UNIX()}.
     * @param type     {@link #SOCK_STREAM()} | {@link #SOCK_CLOEXEC()}.
     * @param protocol 0.
     * @return the descriptor, or -1 with {@code errno} set.
     */
    public static int socket(final MemorySegment errno, final int domain, final int type, final int protocol)
    {
        try
        {
            return (int)socket.HANDLE.invokeExact(errno, domain, type, protocol);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class getsockopt
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER);
        static final MemorySegment ADDR = findLibcOrThrow("getsockopt");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code getsockopt} (first parameter: the errno capture segment). */
    public static MethodHandle getsockopt$handle()
    {
        return getsockopt.HANDLE;
    }

    /**
     * {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *length)}.
     *
     * @param errno  capture segment, see {@link #allocateErrno(Arena)}.
     * @param fd     socket.
     * @param level  e.g. {@link #SOL_SOCKET()}.
     * @param name   e.g. {@link #SO_PEERCRED()}.
     * @param value  where the option is written.
     * @param length in: bytes of {@code value}; out: bytes written (a 4-byte {@code socklen_t}).
     * @return 0, or -1 with {@code errno} set.
     */
    public static int getsockopt(
        final MemorySegment errno,
        final int fd,
        final int level,
        final int name,
        final MemorySegment value,
        final MemorySegment length)
    {
        try
        {
            return (int)getsockopt.HANDLE.invokeExact(errno, fd, level, name, value, length);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class connect
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("connect");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code connect} (first parameter: the errno capture segment). */
    public static MethodHandle connect$handle()
    {
        return connect.HANDLE;
    }

    /**
     * {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)}.
     *
     * @param errno capture segment.
     * @param fd    socket.
     * @param addr  a {@link sockaddr_un}.
     * @param len   its length.
     * @return 0, or -1 with {@code errno} set.
     */
    public static int connect(final MemorySegment errno, final int fd, final MemorySegment addr, final int len)
    {
        try
        {
            return (int)connect.HANDLE.invokeExact(errno, fd, addr, len);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class bind
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("bind");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code bind} (first parameter: the errno capture segment). */
    public static MethodHandle bind$handle()
    {
        return bind.HANDLE;
    }

    /**
     * {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)}.
     *
     * @param errno capture segment.
     * @param fd    socket.
     * @param addr  a {@link sockaddr_un}.
     * @param len   its length.
     * @return 0, or -1 with {@code errno} set.
     */
    public static int bind(final MemorySegment errno, final int fd, final MemorySegment addr, final int len)
    {
        try
        {
            return (int)bind.HANDLE.invokeExact(errno, fd, addr, len);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class listen
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("listen");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code listen} (first parameter: the errno capture segment). */
    public static MethodHandle listen$handle()
    {
        return listen.HANDLE;
    }

    /**
     * {@code int listen(int fd, int backlog)}.
     *
     * @param errno   capture segment.
     * @param fd      bound socket.
     * @param backlog pending connections.
     * @return 0, or -1 with {@code errno} set.
     */
    public static int listen(final MemorySegment errno, final int fd, final int backlog)
    {
        try
        {
            return (int)listen.HANDLE.invokeExact(errno, fd, backlog);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class shutdown
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("shutdown");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code shutdown} (first parameter: the errno capture segment). */
    public static MethodHandle shutdown$handle()
    {
        return shutdown.HANDLE;
    }

    /**
     * {@code int shutdown(int fd, int how)}: on a socket with an armed io_uring read, the read completes with 0
     * and a write in flight fails with {@code -EPIPE}, which is how a link drains its requests before closing.
     *
     * @param errno capture segment.
     * @param fd    socket.
     * @param how   {@link #SHUT_RDWR()}.
     * @return 0, or -1 with {@code errno} set.
     */
    public static int shutdown(final MemorySegment errno, final int fd, final int how)
    {
        try
        {
            return (int)shutdown.HANDLE.invokeExact(errno, fd, how);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class close
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("close");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code close} (first parameter: the errno capture segment). */
    public static MethodHandle close$handle()
    {
        return close.HANDLE;
    }

    /**
     * {@code int close(int fd)}.
     *
     * @param errno capture segment.
     * @param fd    descriptor.
     * @return 0, or -1 with {@code errno} set.
     */
    public static int close(final MemorySegment errno, final int fd)
    {
        try
        {
            return (int)close.HANDLE.invokeExact(errno, fd);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class socketpair
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        static final MemorySegment ADDR = findLibcOrThrow("socketpair");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code socketpair} (first parameter: the errno capture segment). */
    public static MethodHandle socketpair$handle()
    {
        return socketpair.HANDLE;
    }

    /**
     * {@code int socketpair(int domain, int type, int protocol, int sv[2])}.
     *
     * @param errno capture segment, see {@link #allocateErrno(Arena)}.
     * @param domain {@link #AF_UNIX()}.
     * @param type {@link #SOCK_STREAM()} | {@link #SOCK_CLOEXEC()}.
     * @param protocol 0.
     * @param sv two ints: the descriptors.
     * @return 0, or -1 with {@code errno} set.
     */
    public static int socketpair(final MemorySegment errno, final int domain, final int type, final int protocol, final MemorySegment sv)
    {
        try
        {
            return (int)socketpair.HANDLE.invokeExact(errno, domain, type, protocol, sv);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class read
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MemorySegment ADDR = findLibcOrThrow("read");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code read} (first parameter: the errno capture segment). */
    public static MethodHandle read$handle()
    {
        return read.HANDLE;
    }

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count)}: blocking link set-up only; the data path reads
     * through io_uring.
     *
     * @param errno capture segment, see {@link #allocateErrno(Arena)}.
     * @param fd descriptor.
     * @param buf where to.
     * @param count most bytes.
     * @return bytes read, 0 at end of stream, or -1 with {@code errno} set.
     */
    public static long read(final MemorySegment errno, final int fd, final MemorySegment buf, final long count)
    {
        try
        {
            return (long)read.HANDLE.invokeExact(errno, fd, buf, count);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class write
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MemorySegment ADDR = findLibcOrThrow("write");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code write} (first parameter: the errno capture segment). */
    public static MethodHandle write$handle()
    {
        return write.HANDLE;
    }

    /**
     * {@code ssize_t write(int fd, const void *buf, size_t count)}: blocking link set-up only; the data path
     * writes through io_uring.
     *
     * @param errno capture segment, see {@link #allocateErrno(Arena)}.
     * @param fd descriptor.
     * @param buf bytes.
     * @param count how many.
     * @return bytes written, or -1 with {@code errno} set.
     */
    public static long write(final MemorySegment errno, final int fd, final MemorySegment buf, final long count)
    {
        try
        {
            return (long)write.HANDLE.invokeExact(errno, fd, buf, count);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class poll
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("poll");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC, CAPTURE_ERRNO);
    }

    /** @return handle of {@code poll} (first parameter: the errno capture segment). */
    public static MethodHandle poll$handle()
    {
        return poll.HANDLE;
    }

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}: bounds the blocking link set-up.
     *
     * @param errno capture segment, see {@link #allocateErrno(Arena)}.
     * @param fds an array of {@link pollfd}.
     * @param nfds its length.
     * @param timeoutMs milliseconds, -1 for ever.
     * @return descriptors ready, 0 on timeout, or -1 with {@code errno} set.
     */
    public static int poll(final MemorySegment errno, final MemorySegment fds, final long nfds, final int timeoutMs)
    {
        try
        {
            return (int)poll.HANDLE.invokeExact(errno, fds, nfds, timeoutMs);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static final class strerror
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_INT);
        static final MemorySegment ADDR = findLibcOrThrow("strerror");
        static final MethodHandle HANDLE = LINKER.downcallHandle(ADDR, DESC);
    }

    /** @return handle of {@code strerror}. */
    public static MethodHandle strerror$handle()
    {
        return strerror.HANDLE;
    }

    /**
     * {@code char *strerror(int errnum)}. Not thread-safe in C for unknown values; used only on error paths.
     *
     * @param errnum an errno value.
     * @return the C string.
     */
    public static MemorySegment strerror(final int errnum)
    {
        try
        {
            return (MemorySegment)strerror.HANDLE.invokeExact(errnum);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static RuntimeException rethrow(final Throwable ex)
    {
        if (ex instanceof RuntimeException re)
        {
            throw re;
        }
        if (ex instanceof Error e)
        {
            throw e;
        }
        throw new AssertionError("should not reach here", ex);
    }
}
