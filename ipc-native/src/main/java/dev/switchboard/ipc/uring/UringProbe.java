package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.liburing_h;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.ipc.process.ProcessContext;

/**
 * Can HIGH run here? Checked at start, in order, stopping at the first failure:
 * <ol>
 *   <li>not disabled by {@code -D}{@value #DISABLE_PROP}{@code =true};</li>
 *   <li>native access enabled for this module ({@code --enable-native-access=ALL-UNNAMED}): checked with
 *       {@link Module#isNativeAccessEnabled()}, before any restricted call, so a JVM without the flag gets a
 *       reason and no JDK warning;</li>
 *   <li>liburing loadable: the file named by {@code -D}{@value liburing_h#LIBRARY_PATH_PROP} (a path that does not
 *       exist is named in the reason), else {@value liburing_h#LIBRARY_NAME}, with every function the bindings
 *       use;</li>
 *   <li>io_uring permitted: a ring is set up ({@code io_uring_queue_init_params}; refused under seccomp profiles
 *       or {@code kernel.io_uring_disabled}) and one NOP makes the round trip through the Java ring code.</li>
 * </ol>
 * The library is checked in a private arena, so a bad path never reaches {@link liburing_h}, which loads its
 * library once per JVM. When HIGH can run, {@link #features()} says which of the newer kernel features the engines
 * use are there: the completion mode ({@code SINGLE_ISSUER}/{@code DEFER_TASKRUN}, {@link UringRing.CompletionMode}),
 * provided buffer rings, multishot receive (each tried for real on a socket pair, not guessed from a version), and
 * the supported opcodes; the probe's reason names them.
 *
 * <p>Thread-safety: stateless; each {@link #probe()} checks afresh (with the settings {@link ProcessContext} read once
 * per process). Allocation: a ring and a library handle per
 * probe, released before it returns.
 */
public final class UringProbe
{
    /** System property: {@code true} forces HIGH unavailable; read by {@link ProcessContext}. */
    public static final String DISABLE_PROP = ProcessContext.IO_URING_DISABLE_PROP;

    private static final String[] REQUIRED_SYMBOLS = {
        "io_uring_queue_init",
        "io_uring_queue_init_params",
        "io_uring_queue_exit",
        "io_uring_submit",
        "io_uring_submit_and_wait",
        "io_uring_wait_cqe_timeout",
        "io_uring_register_buffers",
        "io_uring_register_buffers_sparse",
        "io_uring_register_buffers_update_tag",
    };

    private static final Path IO_URING_DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final long NOP_USER_DATA = 0x5EED;

    private UringProbe()
    {
    }

    /**
     * The outcome of a probe.
     *
     * @param available true when HIGH can run.
     * @param reason    one line: what runs, or why it cannot.
     */
    public record Result(boolean available, String reason)
    {
        @Override
        public String toString()
        {
            return (available ? "HIGH available: " : "HIGH unavailable: ") + reason;
        }
    }

    /**
     * The kernel features the io_uring engines use, as tried here.
     *
     * @param mode          the strongest completion mode the kernel accepted (and the property allows).
     * @param setup         {@link UringRing#setupDiagnostic()} of that try.
     * @param bufferRings   provided buffer rings register ({@code IORING_REGISTER_PBUF_RING}, 5.19+).
     * @param multishotRecv a multishot receive with buffer select stays armed after a message (6.0+).
     * @param ops           supported opcodes, index = opcode (empty when the kernel cannot say).
     */
    public record Features(
        UringRing.CompletionMode mode, String setup, boolean bufferRings, boolean multishotRecv, boolean[] ops)
    {
        /**
         * @param opcode an {@code IORING_OP_*}.
         * @return whether the kernel runs it.
         */
        public boolean supports(final int opcode)
        {
            return opcode >= 0 && opcode < ops.length && ops[opcode];
        }

        /**
         * @return one line for a diagnostic.
         */
        public String summary()
        {
            int supported = 0;
            for (final boolean op : ops)
            {
                supported += op ? 1 : 0;
            }
            return setup + "; provided buffer rings " + (bufferRings ? "yes" : "no") + "; multishot receive " +
                (multishotRecv ? "yes" : "no") + "; " + supported + " of " + ops.length + " opcodes";
        }
    }

    /**
     * Try the features the engines use (call only when {@link #probe()} said available).
     *
     * @return what this kernel runs.
     */
    public static Features features()
    {
        try (UringRing ring = UringRing.create(4, 0, UringRing.CompletionMode.DEFERRED);
            Arena arena = Arena.ofConfined())
        {
            final boolean[] ops = ring.supportedOps();
            UringBufferRing buffers = null;
            try
            {
                buffers = UringBufferRing.register(ring, 0, 1, 64);
            }
            catch (final java.io.UncheckedIOException ex)
            {
                // No provided buffer rings: no multishot receive either.
            }
            final boolean multishot = null != buffers && tryMultishotReceive(ring, buffers, arena);
            return new Features(ring.mode(), ring.setupDiagnostic(), null != buffers, multishot, ops);
        }
    }

    private static boolean tryMultishotReceive(final UringRing ring, final UringBufferRing buffers, final Arena arena)
    {
        final MemorySegment sv = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT, 2);
        final MemorySegment errno = liburing_h.allocateErrno(arena);
        if (0 != liburing_h.socketpair(errno, liburing_h.AF_UNIX(),
            liburing_h.SOCK_STREAM() | liburing_h.SOCK_CLOEXEC(), 0, sv))
        {
            return false;
        }
        final int a = sv.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 0);
        final int b = sv.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 1);
        try
        {
            ring.prepRecvMultishot(ring.nextSqe(), a, buffers.groupId(), NOP_USER_DATA);
            ring.submit();
            final MemorySegment one = arena.allocate(1);
            if (1 != liburing_h.write(errno, b, one, 1))
            {
                return false;
            }
            final int[] seen = {Integer.MIN_VALUE, 0};
            final long deadlineNs = System.nanoTime() + 1_000_000_000L;
            while (Integer.MIN_VALUE == seen[0] && System.nanoTime() < deadlineNs)
            {
                ring.submit();
                ring.reap((userData, res, flags) ->
                {
                    seen[0] = res;
                    seen[1] = flags;
                });
                if (Integer.MIN_VALUE == seen[0])
                {
                    ring.awaitCompletion(10_000_000L);
                }
            }
            return 1 == seen[0] && 0 != (seen[1] & liburing_h.IORING_CQE_F_MORE());
        }
        finally
        {
            UnixSocket.closeQuietly(b);
            UnixSocket.closeQuietly(a);
        }
    }

    /**
     * Probe with this process's settings ({@link ProcessContext#current()}).
     *
     * @return whether HIGH can run, and why (not).
     */
    public static Result probe()
    {
        return probe(ProcessContext.current());
    }

    /**
     * Probe with the given settings (whether io_uring is disabled, where liburing is).
     *
     * @param settings the process's settings.
     * @return whether HIGH can run, and why (not).
     */
    public static Result probe(final ProcessContext settings)
    {
        if (settings.ioUringDisabled())
        {
            return unavailable("io_uring disabled by -D" + DISABLE_PROP + "=true");
        }

        final Module module = UringProbe.class.getModule();
        if (!module.isNativeAccessEnabled())
        {
            final String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            return unavailable(
                "native access is not enabled for " + (module.isNamed() ? "module " + name : "the class path") +
                ": start the JVM with --enable-native-access=" + name);
        }

        final String configuredPath = settings.liburingPath();
        final boolean hasPath = null != configuredPath && !configuredPath.isBlank();
        final String library = hasPath ? configuredPath : liburing_h.LIBRARY_NAME;
        if (hasPath && !Files.exists(Path.of(configuredPath)))
        {
            return unavailable(
                "liburing not found at " + configuredPath + " (-D" + liburing_h.LIBRARY_PATH_PROP + ")");
        }

        final Result libraryResult = checkLibrary(library, hasPath);
        if (null != libraryResult)
        {
            return libraryResult;
        }

        return checkRing(library);
    }

    @SuppressWarnings("restricted")
    private static Result checkLibrary(final String library, final boolean isPath)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final SymbolLookup lookup = isPath ?
                SymbolLookup.libraryLookup(Path.of(library), arena) : SymbolLookup.libraryLookup(library, arena);
            for (final String symbol : REQUIRED_SYMBOLS)
            {
                if (lookup.find(symbol).isEmpty())
                {
                    return unavailable(library + " does not export " + symbol + " (liburing 2.2 or later needed)");
                }
            }

            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return unavailable("cannot load " + library + ": " + ex.getMessage() +
                (isPath ? "" : " (install liburing2, or set -D" + liburing_h.LIBRARY_PATH_PROP + ")"));
        }
    }

    private static Result checkRing(final String library)
    {
        final UringRing ring;
        try
        {
            ring = UringRing.create(2, 0);
        }
        catch (final ExceptionInInitializerError | NoClassDefFoundError | UnsatisfiedLinkError ex)
        {
            return unavailable("cannot bind liburing: " + oneLine(ex));
        }
        catch (final RuntimeException ex)
        {
            return unavailable("io_uring setup refused: " + oneLine(ex) + sysctlHint());
        }

        try (ring)
        {
            final long sqe = ring.nextSqe();
            ring.prepNop(sqe, NOP_USER_DATA);
            final int submitted = ring.submit();
            if (submitted < 0)
            {
                return unavailable("io_uring_enter refused: " + Errno.describe(submitted));
            }

            final long[] seen = new long[1];
            final long deadlineNs = System.nanoTime() + 1_000_000_000L;
            while (0 == ring.reap((userData, res, flags) -> seen[0] = userData) && System.nanoTime() < deadlineNs)
            {
                ring.awaitCompletion(10_000_000L);
            }
            if (NOP_USER_DATA != seen[0])
            {
                return unavailable("io_uring NOP did not complete within 1 s");
            }

            String features;
            try
            {
                features = "; " + features().summary();
            }
            catch (final RuntimeException | LinkageError ex)
            {
                features = "; newer features not probed (liburing 2.3 exports them): " + oneLine(ex);
            }
            return new Result(true, "io_uring through " + library + " (SQ " + ring.sqEntries() + ", CQ " +
                ring.cqEntries() + ", features 0x" + Integer.toHexString(ring.features()) + ")" + features);
        }
    }

    private static String sysctlHint()
    {
        try
        {
            if (Files.isReadable(IO_URING_DISABLED_SYSCTL))
            {
                final String value = Files.readString(IO_URING_DISABLED_SYSCTL).trim();
                if (!"0".equals(value))
                {
                    return " (kernel.io_uring_disabled=" + value + ")";
                }
            }
        }
        catch (final IOException ignore)
        {
            // No hint.
        }

        return "";
    }

    private static String oneLine(final Throwable ex)
    {
        final Throwable cause = null != ex.getCause() ? ex.getCause() : ex;
        final String message = null != cause.getMessage() ? cause.getMessage() : cause.getClass().getSimpleName();
        return message.replace('\n', ' ');
    }

    private static Result unavailable(final String reason)
    {
        return new Result(false, reason);
    }
}
