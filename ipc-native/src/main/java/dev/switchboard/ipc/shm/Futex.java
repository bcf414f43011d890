package dev.switchboard.ipc.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import dev.switchboard.ipc.process.ProcessContext;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code futex(2)} through FFM, for the parked word of an inbox ({@link InboxDescriptor#PARKED_OFFSET}): the owner
 * sleeps in {@code FUTEX_WAIT} on the word, a producer that took the word ({@link InboxFile#wakeIfParked()}) calls
 * {@code FUTEX_WAKE} on it. This is the cheapest cross-process wake-up Linux has: no descriptor, no file, one system
 * call on each side, and only when the owner really sleeps.
 *
 * <h2>Binding</h2>
 * glibc has no {@code futex} wrapper, so the call goes through {@code long syscall(long number, ...)} from
 * {@link Linker#defaultLookup()}, a variadic function: every variadic argument is passed as a 64-bit value
 * ({@code long} or a pointer), which is what glibc's {@code syscall} reads and moves into the kernel's registers.
 * <pre>
 *   long syscall(SYS_futex, uint32_t *uaddr, FUTEX_WAIT, uint32_t val, const struct timespec *timeout);
 *   long syscall(SYS_futex, uint32_t *uaddr, FUTEX_WAKE, int count);
 * </pre>
 * <ul>
 *   <li>{@code SYS_futex}: {@value #SYS_FUTEX_X86_64} on x86-64, {@value #SYS_FUTEX_AARCH64} on AArch64; on any
 *       other architecture (or OS) the futex is unavailable, with that reason.</li>
 *   <li>Operations without {@code FUTEX_PRIVATE_FLAG} ({@value #FUTEX_PRIVATE_FLAG}): the word is in a file that
 *       several processes map, at different addresses, and only a shared futex is keyed by the file's page and
 *       offset rather than by this process's address space. A private wait would never see another process's
 *       wake.</li>
 *   <li>The timeout of {@code FUTEX_WAIT} is relative, a {@code struct timespec} ({@link #TIMESPEC}: two
 *       {@code long}s, {@code tv_sec} and {@code tv_nsec}, 16 bytes on LP64), measured on
 *       {@code CLOCK_MONOTONIC}.</li>
 *   <li>Results: {@code FUTEX_WAIT} returns 0 when woken (or spuriously), or -1 with {@code errno}
 *       {@value #EAGAIN} {@code EAGAIN} (the word did not hold the expected value: a producer got there first),
 *       {@value #ETIMEDOUT} {@code ETIMEDOUT} or {@value #EINTR} {@code EINTR} (a signal). {@code FUTEX_WAKE} returns
 *       the number of waiters woken. {@code errno} is read through
 *       {@link Linker.Option#captureCallState(String...) captureCallState("errno")} into a segment each
 *       {@link Waiter} owns.</li>
 * </ul>
 *
 * <h2>Availability</h2>
 * {@link #isAvailable()} is decided once, when this class initialises, in order: not disabled by
 * {@code -D}{@value #DISABLE_PROP}{@code =true}; Linux on x86-64 or AArch64; native access enabled for this module
 * ({@code --enable-native-access=ALL-UNNAMED}, or the module's name), checked with
 * {@link Module#isNativeAccessEnabled()} <em>before</em> any restricted call, so a JVM started without the flag
 * gets a reason here and never the JDK's restricted-method warning; the downcalls link; and one
 * {@code FUTEX_WAKE} on a private word succeeds (a seccomp profile may forbid the call). {@link #availability()} says
 * what was found. Callers check {@link #isAvailable()} before {@link #wake} or {@link Waiter}: both throw
 * {@link IllegalStateException} (with the reason) otherwise.
 *
 * <h2>Thread-safety and allocation</h2>
 * {@link #wake} may be called from any thread and allocates nothing (a failing wake allocates to read its
 * {@code errno}). A {@link Waiter} belongs to one thread at a time; {@link Waiter#await} allocates nothing.
 */
public final class Futex
{
    /**
     * System property: {@code true} makes the futex unavailable (every owner then parks on its doorbell); read by
     * {@link ProcessContext} ({@link ProcessContext#FUTEX_DISABLE_PROP}).
     */
    public static final String DISABLE_PROP = ProcessContext.FUTEX_DISABLE_PROP;

    /** {@code SYS_futex} on x86-64 ({@code asm/unistd_64.h}). */
    public static final long SYS_FUTEX_X86_64 = 202;
    /** {@code SYS_futex} on AArch64 ({@code asm-generic/unistd.h}). */
    public static final long SYS_FUTEX_AARCH64 = 98;

    /** {@code FUTEX_WAIT}: sleep if the word still holds the expected value. */
    public static final int FUTEX_WAIT = 0;
    /** {@code FUTEX_WAKE}: wake up to {@code count} waiters on the word. */
    public static final int FUTEX_WAKE = 1;
    /** {@code FUTEX_PRIVATE_FLAG}: deliberately never set here (see the class comment). */
    public static final int FUTEX_PRIVATE_FLAG = 128;

    /** {@code EINTR}: a signal ended the wait. */
    public static final int EINTR = 4;
    /** {@code EAGAIN}: the word did not hold the expected value when the wait began. */
    public static final int EAGAIN = 11;
    /** {@code ETIMEDOUT}: the wait's timeout passed. */
    public static final int ETIMEDOUT = 110;

    /** {@code struct timespec} on LP64 Linux: {@code long tv_sec; long tv_nsec;} (16 bytes). */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("tv_sec"),
        ValueLayout.JAVA_LONG.withName("tv_nsec"));

    private static final long TV_SEC_OFFSET = TIMESPEC.byteOffset(groupElement("tv_sec"));
    private static final long TV_NSEC_OFFSET = TIMESPEC.byteOffset(groupElement("tv_nsec"));
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final Availability AVAILABILITY = probe();
    private static final boolean AVAILABLE = AVAILABILITY.available;
    private static final long SYS_FUTEX = AVAILABILITY.sysFutex;

    private Futex()
    {
    }

    /**
     * Whether this process can make futex calls (see the class comment).
     *
     * @return true when {@link #wake} and {@link Waiter} work here.
     */
    public static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * What the availability check found, one line.
     *
     * @return for example {@code "futex available (x86-64, SYS_futex 202)"}, or why it is not.
     */
    public static String availability()
    {
        return AVAILABILITY.reason;
    }

    /**
     * {@code FUTEX_WAKE} (shared): wake up to {@code count} threads, in any process, waiting on the word.
     *
     * @param word  4 bytes, 4-byte aligned, in a native (for example mapped) segment.
     * @param count most waiters to wake, {@code >= 1} ({@link Integer#MAX_VALUE} for all).
     * @return the number of waiters woken ({@code >= 0}), or {@code -errno}.
     * @throws IllegalStateException    if the futex is not available (the message says why).
     * @throws IllegalArgumentException if the word is misaligned or shorter than 4 bytes.
     */
    public static int wake(final MemorySegment word, final int count)
    {
        requireAvailable();
        checkWord(word);
        final long result;
        try
        {
            result = (long)Native.WAKE.invokeExact(SYS_FUTEX, word, (long)FUTEX_WAKE, (long)count);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
        if (result >= 0)
        {
            return (int)result;
        }
        return -wakeErrno(word, count);
    }

    /**
     * The waiting side: owns the native memory a {@code FUTEX_WAIT} needs (its timeout and the captured
     * {@code errno}), so that a wait allocates nothing.
     *
     * <p>Thread-safety: one thread at a time (the owner's). {@link #close()} must not race with {@link #await}.
     */
    public static final class Waiter implements AutoCloseable
    {
        private final Arena arena;
        private final MemorySegment timeout;
        private final MemorySegment captureState;

        /**
         * Allocate a waiter's native memory.
         *
         * @throws IllegalStateException if the futex is not available (the message says why).
         */
        public Waiter()
        {
            requireAvailable();
            // Shared: the strategy that owns it may be built on one thread and idle on another.
            this.arena = Arena.ofShared();
            this.timeout = arena.allocate(TIMESPEC);
            this.captureState = arena.allocate(Native.CAPTURE_STATE_LAYOUT);
        }

        /**
         * {@code FUTEX_WAIT} (shared): sleep while the word holds {@code expected}, at most {@code timeoutNs}.
         *
         * @param word      4 bytes, 4-byte aligned, in a native segment.
         * @param expected  the value the word must hold for the sleep to begin.
         * @param timeoutNs longest sleep, nanoseconds, {@code > 0}.
         * @return 0 when woken (possibly spuriously), {@code -EAGAIN} when the word did not hold {@code expected},
         * {@code -ETIMEDOUT} when the timeout passed, {@code -EINTR} on a signal, another {@code -errno} on error.
         * @throws IllegalArgumentException if the word is misaligned or short, or the timeout is not positive.
         */
        public int await(final MemorySegment word, final int expected, final long timeoutNs)
        {
            checkWord(word);
            if (timeoutNs <= 0)
            {
                throw new IllegalArgumentException("futex wait timeout must be > 0 ns: " + timeoutNs);
            }
            timeout.set(ValueLayout.JAVA_LONG, TV_SEC_OFFSET, timeoutNs / NANOS_PER_SECOND);
            timeout.set(ValueLayout.JAVA_LONG, TV_NSEC_OFFSET, timeoutNs % NANOS_PER_SECOND);
            final long result;
            try
            {
                result = (long)Native.WAIT.invokeExact(
                    captureState, SYS_FUTEX, word, (long)FUTEX_WAIT, (long)expected, timeout);
            }
            catch (final Throwable ex)
            {
                throw rethrow(ex);
            }
            return 0 == result ? 0 : -(int)Native.ERRNO.get(captureState, 0L);
        }

        /**
         * Free the native memory. Idempotent.
         */
        public void close()
        {
            if (arena.scope().isAlive())
            {
                arena.close();
            }
        }
    }

    private static int wakeErrno(final MemorySegment word, final int count)
    {
        // Error path only: repeat the (harmless) wake through the errno-capturing handle to learn why it failed.
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(Native.CAPTURE_STATE_LAYOUT);
            final long result = (long)Native.WAKE_ERRNO.invokeExact(state, SYS_FUTEX, word, (long)FUTEX_WAKE,
                (long)count);
            return result >= 0 ? 0 : (int)Native.ERRNO.get(state, 0L);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static void requireAvailable()
    {
        if (!AVAILABLE)
        {
            throw new IllegalStateException("futex unavailable: " + AVAILABILITY.reason);
        }
    }

    private static void checkWord(final MemorySegment word)
    {
        if (word.byteSize() < Integer.BYTES || (word.address() & (Integer.BYTES - 1)) != 0 || !word.isNative())
        {
            throw new IllegalArgumentException("a futex word is 4 native bytes at a 4-byte aligned address: " + word);
        }
    }

    private static RuntimeException rethrow(final Throwable ex)
    {
        if (ex instanceof RuntimeException runtime)
        {
            return runtime;
        }
        if (ex instanceof Error error)
        {
            throw error;
        }
        return new IllegalStateException("futex call failed: " + ex, ex);
    }

    private record Availability(boolean available, String reason, long sysFutex)
    {
    }

    private static Availability probe()
    {
        if (ProcessContext.current().futexDisabled())
        {
            return new Availability(false, "disabled by -D" + DISABLE_PROP + "=true", -1);
        }
        final String os = System.getProperty("os.name", "");
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("Linux"))
        {
            return new Availability(false, "futex(2) is Linux-only; this is " + os, -1);
        }
        final long sysFutex = switch (arch)
        {
            case "amd64", "x86_64" -> SYS_FUTEX_X86_64;
            case "aarch64" -> SYS_FUTEX_AARCH64;
            default -> -1;
        };
        if (sysFutex < 0)
        {
            return new Availability(false, "no SYS_futex number known for architecture " + arch +
                " (x86-64 and AArch64 are supported)", -1);
        }
        final Module module = Futex.class.getModule();
        if (!module.isNativeAccessEnabled())
        {
            final String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            return new Availability(false, "native access is not enabled for " +
                (module.isNamed() ? "module " + name : "the class path") + ": start the JVM with " +
                "--enable-native-access=" + name, -1);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
            final long woken = (long)Native.WAKE.invokeExact(sysFutex, word, (long)FUTEX_WAKE, 1L);
            if (woken < 0)
            {
                final MemorySegment state = arena.allocate(Native.CAPTURE_STATE_LAYOUT);
                final long again = (long)Native.WAKE_ERRNO.invokeExact(state, sysFutex, word, (long)FUTEX_WAKE, 1L);
                return new Availability(false, "futex(FUTEX_WAKE) is refused here: errno " +
                    (again < 0 ? (int)Native.ERRNO.get(state, 0L) : 0) + " (a seccomp profile?)", -1);
            }
        }
        catch (final Throwable ex)
        {
            return new Availability(false, "cannot link syscall(SYS_futex, ...): " + ex, -1);
        }
        return new Availability(true, "futex available (" + arch + ", SYS_futex " + sysFutex + ")", sysFutex);
    }

    /**
     * The downcalls, in their own holder so that nothing restricted runs (and no JDK warning is printed) unless
     * {@link #probe()} found native access enabled first.
     */
    @SuppressWarnings("restricted")
    private static final class Native
    {
        static final Linker LINKER = Linker.nativeLinker();
        static final MemorySegment SYSCALL = LINKER.defaultLookup().find("syscall")
            .orElseThrow(() -> new UnsatisfiedLinkError("libc does not export syscall"));
        static final GroupLayout CAPTURE_STATE_LAYOUT = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE_STATE_LAYOUT.varHandle(groupElement("errno"));

        /** {@code syscall(SYS_futex, uaddr, FUTEX_WAIT, val, timeout)} with errno captured: it blocks. */
        static final MethodHandle WAIT = LINKER.downcallHandle(SYSCALL,
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

        private static final FunctionDescriptor WAKE_DESCRIPTOR = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

        /**
         * {@code syscall(SYS_futex, uaddr, FUTEX_WAKE, count)}: a short call that never blocks, so it is bound
         * critical (no thread-state transition), and without errno capture so that any producer thread can make it
         * with no per-thread native memory.
         */
        static final MethodHandle WAKE = LINKER.downcallHandle(SYSCALL, WAKE_DESCRIPTOR,
            Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));

        /** The same wake with errno captured, for the error path. */
        static final MethodHandle WAKE_ERRNO = LINKER.downcallHandle(SYSCALL, WAKE_DESCRIPTOR,
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

        private Native()
        {
        }
    }
}
