package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.io_uring_probe;
import dev.switchboard.ipc.uring.liburing.io_uring_probe_op;
import dev.switchboard.ipc.uring.liburing.iovec;
import dev.switchboard.ipc.uring.liburing.__kernel_timespec;
import dev.switchboard.ipc.uring.liburing.io_uring;
import dev.switchboard.ipc.uring.liburing.io_uring_cq;
import dev.switchboard.ipc.uring.liburing.io_uring_cqe;
import dev.switchboard.ipc.uring.liburing.io_uring_params;
import dev.switchboard.ipc.uring.liburing.io_uring_sq;
import dev.switchboard.ipc.uring.liburing.io_uring_sqe;
import dev.switchboard.ipc.uring.liburing.liburing_h;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import dev.switchboard.ipc.process.ProcessContext;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One io_uring instance, set up by liburing ({@code io_uring_queue_init_params} maps the rings) and driven from Java:
 * the inline half of liburing ({@code io_uring_get_sqe}, {@code io_uring_prep_rw}, {@code io_uring_sqe_set_data},
 * the SQ tail publication, {@code io_uring_for_each_cqe} and {@code io_uring_cq_advance}) is written here over the
 * mmap'd rings; liburing's exported {@code io_uring_submit} makes the {@code io_uring_enter(2)} call, and only when
 * there is something to submit or the kernel asked for a flush.
 *
 * <h2>Memory ordering (the contract of {@code io_uring/io_uring.c}'s header comment)</h2>
 * The rings are shared with the kernel; indices are free-running 32-bit counters, masked to find a slot.
 * <pre>
 *   SQ: we write SQEs, then            tail  (store-release)  -> kernel: smp_load_acquire(&amp;sq.tail)
 *       kernel consumes, then          head  (smp_store_release) -> we: load-acquire before reusing a slot
 *   CQ: kernel writes CQEs, then       tail  (smp_store_release) -> we: load-acquire before reading CQEs
 *       we read CQEs, then             head  (store-release)  -> kernel: reads head before reusing a slot
 * </pre>
 * <ul>
 *   <li><b>SQ head, {@link #nextSqe()}</b>: {@code getAcquire}. Pairs with the kernel's release store of
 *       {@code sq.head} after it has copied the SQEs: an SQE slot we see as free has been read by the kernel, so
 *       our writes to it cannot race its reads. (liburing uses a plain {@code READ_ONCE} when there is no SQPOLL
 *       thread, since the kernel then consumes only inside our own {@code io_uring_enter}; acquire is as cheap on
 *       x86 and stays right with SQPOLL.)</li>
 *   <li><b>SQ tail, {@link #submit()}</b>: {@code setRelease}. The plain writes of the SQEs and of the SQ index
 *       array happen-before the kernel's {@code smp_load_acquire(&sq.tail)}, so the kernel never reads a
 *       half-written SQE. liburing's {@code io_uring_submit} then finds {@code sqe_head == sqe_tail} and only
 *       enters.</li>
 *   <li><b>CQ tail, {@link #reap}</b>: {@code getAcquire}. Pairs with the kernel's {@code smp_store_release} of
 *       {@code cq.tail} after it filled the CQEs: every CQE below the tail we read is complete.</li>
 *   <li><b>CQ head, {@link #reap}</b>: {@code setRelease} after the CQEs were read. Our reads of the CQEs
 *       happen-before the kernel sees the slots as free, so it cannot overwrite a CQE we are still reading.
 *       Only this thread writes {@code cq.head}, so its own load is plain.</li>
 *   <li><b>SQ flags</b>: {@code getOpaque} ({@code READ_ONCE} in liburing): a hint ({@code IORING_SQ_CQ_OVERFLOW},
 *       {@code IORING_SQ_TASKRUN}) that the next {@code io_uring_submit} must enter to flush completions.</li>
 * </ul>
 * liburing's {@code struct io_uring} stays consistent: {@code sq.sqe_tail} and {@code sq.sqe_head} are read and
 * written in place, exactly as the inline liburing functions do, so liburing's exported functions can be mixed in.
 *
 * <h2>Setup flags and completion modes ({@link CompletionMode})</h2>
 * {@link #create(int, int, CompletionMode)} asks for a mode and falls back to the next weaker one when the kernel
 * refuses its flags ({@code EINVAL} from {@code io_uring_setup}); {@link #setupDiagnostic()} says what was asked and
 * what runs:
 * <pre>
 *   DEFERRED     SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG   (6.1+)  completions posted only when the owner enters
 *       |                                                               with GETEVENTS; no interrupt of the owner
 *       v  EINVAL
 *   COOPERATIVE  SINGLE_ISSUER | COOP_TASKRUN | TASKRUN_FLAG    (6.0+)  posted at the owner's next kernel entry
 *       |  EINVAL
 *       v
 *   INTERRUPT    (no flags)                                             the kernel interrupts the owner to post them:
 *                                                                       they appear in the CQ without a system call
 * </pre>
 * In the first two modes the kernel raises {@code IORING_SQ_TASKRUN} in the SQ flags when completions wait to be
 * posted; {@link #hasPendingCompletions()} reads it (one load) and {@link #submit()} enters with
 * {@code IORING_ENTER_GETEVENTS} when it is up, so a poll loop makes a system call only when there is work.
 * {@code SINGLE_ISSUER} ties the ring to one thread: such rings are set up disabled ({@code IORING_SETUP_R_DISABLED})
 * and enabled ({@code IORING_REGISTER_ENABLE_RINGS}) by the first {@link #submit()}/{@link #awaitCompletion} or an
 * explicit {@link #enable()}, so the thread that polls owns the ring whichever thread created it. Registrations
 * (buffers, buffer rings, probes) may be made from any thread until then, and only by the owner after. Enabling also
 * registers the ring's descriptor with the owner ({@code io_uring_register_ring_fd}), so that each of its
 * {@code io_uring_enter} calls skips the descriptor lookup.
 *
 * <h2>Life cycle and threads</h2>
 * Not thread-safe: one thread owns the ring for its whole life. io_uring ties requests to the task that submitted
 * them (completions of socket I/O run as task work of that thread, and its exit cancels them): submit only from
 * the thread that polls, and close before it exits. Memory: one shared {@link Arena} owns {@code struct io_uring},
 * the setup parameters and scratch space; segments over the mmap'd rings are scoped to it, so they are unusable
 * after {@link #close()}.
 *
 * <p>Allocation: none in {@link #nextSqe()}, the {@code prep*} methods, {@link #submit()} and {@link #reap}.
 */
public final class UringRing implements AutoCloseable
{
    /**
     * How completions reach the CQ, strongest first; see the class comment. {@link #create(int, int, CompletionMode)}
     * falls back along this order.
     */
    public enum CompletionMode
    {
        /** {@code SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG}: posted when the owner enters with GETEVENTS. */
        DEFERRED(liburing_h.IORING_SETUP_SINGLE_ISSUER() | liburing_h.IORING_SETUP_DEFER_TASKRUN() |
            liburing_h.IORING_SETUP_TASKRUN_FLAG()),
        /** {@code SINGLE_ISSUER | COOP_TASKRUN | TASKRUN_FLAG}: posted at the owner's next entry into the kernel. */
        COOPERATIVE(liburing_h.IORING_SETUP_SINGLE_ISSUER() | liburing_h.IORING_SETUP_COOP_TASKRUN() |
            liburing_h.IORING_SETUP_TASKRUN_FLAG()),
        /** No flags: the kernel interrupts the owner to post completions. */
        INTERRUPT(0);

        private final int setupFlags;

        CompletionMode(final int setupFlags)
        {
            this.setupFlags = setupFlags;
        }

        /**
         * @return the {@code IORING_SETUP_*} flags of this mode (without {@code R_DISABLED}).
         */
        public int setupFlags()
        {
            return setupFlags;
        }

        /**
         * @param value {@code deferred}, {@code cooperative} or {@code interrupt} (any case).
         * @return the mode.
         * @throws IllegalArgumentException naming {@value #MODE_PROP} and the value otherwise.
         */
        public static CompletionMode parse(final String value)
        {
            return parse(MODE_PROP, value);
        }

        /**
         * @param property the setting that gave the value, for the message.
         * @param value    {@code deferred}, {@code cooperative} or {@code interrupt} (any case).
         * @return the mode.
         * @throws IllegalArgumentException naming the property and the value otherwise.
         */
        public static CompletionMode parse(final String property, final String value)
        {
            for (final CompletionMode m : values())
            {
                if (m.name().equalsIgnoreCase(value.trim()))
                {
                    return m;
                }
            }
            throw new IllegalArgumentException(property + " must be deferred, cooperative or interrupt: " + value);
        }
    }

    /**
     * System property: the strongest {@link CompletionMode} any ring of this process may use ({@code deferred},
     * {@code cooperative}, {@code interrupt}); default {@code deferred}. A ring asks for its own mode and gets the
     * weaker of the two. Read by {@link ProcessContext} ({@link ProcessContext#URING_MODE_PROP}).
     */
    public static final String MODE_PROP = ProcessContext.URING_MODE_PROP;

    /**
     * Receives each completion during {@link #reap}.
     */
    public interface CompletionHandler
    {
        /**
         * @param userData the SQE's {@code user_data}.
         * @param res      result: bytes, a descriptor, or {@code -errno}.
         * @param flags    {@code IORING_CQE_F_*}.
         */
        void onCompletion(long userData, int res, int flags);
    }

    static final int SQE_SIZE = 64;
    static final int CQE_SIZE = 16;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private static final long SQE_OPCODE = io_uring_sqe.opcode$offset();
    private static final long SQE_FLAGS = io_uring_sqe.flags$offset();
    private static final long SQE_IOPRIO = io_uring_sqe.ioprio$offset();
    private static final long SQE_FD = io_uring_sqe.fd$offset();
    private static final long SQE_OFF = io_uring_sqe.off$offset();
    private static final long SQE_ADDR = io_uring_sqe.addr$offset();
    private static final long SQE_LEN = io_uring_sqe.len$offset();
    private static final long SQE_RW_FLAGS = io_uring_sqe.rw_flags$offset();
    private static final long SQE_USER_DATA = io_uring_sqe.user_data$offset();
    private static final long SQE_BUF_INDEX = io_uring_sqe.buf_index$offset();
    private static final long SQE_PERSONALITY = io_uring_sqe.personality$offset();
    private static final long SQE_FILE_INDEX = io_uring_sqe.file_index$offset();
    private static final long SQE_ADDR3 = io_uring_sqe.addr3$offset();
    private static final long SQE_PAD2 = io_uring_sqe.__pad2$offset();

    private static final long CQE_USER_DATA = io_uring_cqe.user_data$offset();
    private static final long CQE_RES = io_uring_cqe.res$offset();
    private static final long CQE_FLAGS = io_uring_cqe.flags$offset();

    private static final int NEEDS_FLUSH = liburing_h.IORING_SQ_CQ_OVERFLOW() | liburing_h.IORING_SQ_TASKRUN();
    private static final long SQE_BUF_GROUP = io_uring_sqe.buf_group$offset();

    private final Arena arena;
    private final MemorySegment ring;
    private final MemorySegment sq;
    private final MemorySegment sqHead;
    private final MemorySegment sqTail;
    private final MemorySegment sqFlags;
    private final MemorySegment sqArray;
    private final MemorySegment sqes;
    private final MemorySegment cqHead;
    private final MemorySegment cqTail;
    private final MemorySegment cqes;
    private final MemorySegment cqePtr;
    private final MemorySegment timeout;
    private final int sqEntries;
    private final int sqMask;
    private final int cqEntries;
    private final int cqMask;
    private final int features;
    private final int ringFd;
    private final CompletionMode mode;
    private final String setupDiagnostic;
    private boolean disabled;
    private boolean registeredRingFd;
    private Thread owner;
    private long enterCalls;
    private boolean closed;

    private UringRing(
        final Arena arena,
        final MemorySegment ring,
        final MemorySegment params,
        final CompletionMode mode,
        final String setupDiagnostic)
    {
        this.mode = mode;
        this.setupDiagnostic = setupDiagnostic;
        this.arena = arena;
        this.ring = ring;
        this.sq = io_uring.sq(ring);
        final MemorySegment cq = io_uring.cq(ring);

        final int setupFlags = io_uring.flags(ring);
        if ((setupFlags & (liburing_h.IORING_SETUP_SQE128() | liburing_h.IORING_SETUP_CQE32())) != 0)
        {
            throw new IllegalStateException("rings with 128-byte SQEs or 32-byte CQEs are not supported");
        }

        disabled = (setupFlags & liburing_h.IORING_SETUP_R_DISABLED()) != 0;
        sqEntries = io_uring_sq.ring_entries(sq);
        sqMask = io_uring_sq.ring_mask(sq);
        cqEntries = io_uring_cq.ring_entries(cq);
        cqMask = io_uring_cq.ring_mask(cq);
        features = io_uring_params.features(params);
        ringFd = io_uring.ring_fd(ring);

        sqHead = mapped(io_uring_sq.khead(sq), Integer.BYTES);
        sqTail = mapped(io_uring_sq.ktail(sq), Integer.BYTES);
        sqFlags = mapped(io_uring_sq.kflags(sq), Integer.BYTES);
        sqArray = mapped(io_uring_sq.array(sq), (long)sqEntries * Integer.BYTES);
        sqes = mapped(io_uring_sq.sqes(sq), (long)sqEntries * SQE_SIZE);
        cqHead = mapped(io_uring_cq.khead(cq), Integer.BYTES);
        cqTail = mapped(io_uring_cq.ktail(cq), Integer.BYTES);
        cqes = mapped(io_uring_cq.cqes(cq), (long)cqEntries * CQE_SIZE);

        cqePtr = arena.allocate(ValueLayout.ADDRESS);
        timeout = __kernel_timespec.allocate(arena);
    }

    /**
     * Set up a ring in {@link CompletionMode#INTERRUPT} mode (no setup flags): {@code io_uring_setup(2)} and the mmap
     * of its rings, through liburing. Any thread may use it, one at a time.
     *
     * @param entries   SQ entries (a power of two is used by the kernel).
     * @param cqEntries CQ entries, or 0 for the kernel's default of twice the SQ.
     * @return the ring.
     * @throws UncheckedIOException when the kernel refuses (the message names the errno).
     */
    public static UringRing create(final int entries, final int cqEntries)
    {
        return create(entries, cqEntries, CompletionMode.INTERRUPT);
    }

    /**
     * Set up a ring in the strongest mode the kernel, {@value #MODE_PROP} and {@code wanted} allow, falling back
     * along {@link CompletionMode}'s order when {@code io_uring_setup} refuses a mode's flags with {@code EINVAL}.
     * A {@code SINGLE_ISSUER} ring starts disabled and belongs to the first thread that submits or waits on it.
     *
     * @param entries   SQ entries (a power of two is used by the kernel).
     * @param cqEntries CQ entries, or 0 for the kernel's default of twice the SQ.
     * @param wanted    the strongest mode wanted.
     * @return the ring; {@link #mode()} and {@link #setupDiagnostic()} say what runs.
     * @throws UncheckedIOException when the kernel refuses every mode (the message names the errno).
     */
    public static UringRing create(final int entries, final int cqEntries, final CompletionMode wanted)
    {
        return create(entries, cqEntries, wanted, ProcessContext.current());
    }

    /**
     * As {@link #create(int, int, CompletionMode)}, with the cap of the given settings instead of the process's.
     *
     * @param entries   SQ entries.
     * @param cqEntries CQ entries, or 0 for the kernel's default.
     * @param wanted    the strongest mode wanted.
     * @param settings  whose {@link ProcessContext#uringMode()} caps the mode.
     * @return the ring.
     * @throws IllegalArgumentException when the cap names no mode.
     * @throws UncheckedIOException     when the kernel refuses every mode.
     */
    public static UringRing create(
        final int entries, final int cqEntries, final CompletionMode wanted, final ProcessContext settings)
    {
        final CompletionMode cap = CompletionMode.parse(settings.uringMode());
        final CompletionMode first = wanted.ordinal() >= cap.ordinal() ? wanted : cap;
        final StringBuilder refused = new StringBuilder();
        final CompletionMode[] modes = CompletionMode.values();
        for (int m = first.ordinal(); m < modes.length; m++)
        {
            final CompletionMode mode = modes[m];
            final int flags = mode.setupFlags() |
                ((mode.setupFlags() & liburing_h.IORING_SETUP_SINGLE_ISSUER()) != 0 ?
                liburing_h.IORING_SETUP_R_DISABLED() : 0);
            final Arena arena = Arena.ofShared();
            try
            {
                final MemorySegment ring = io_uring.allocate(arena);
                final MemorySegment params = io_uring_params.allocate(arena);
                io_uring_params.flags(params, flags | (cqEntries > 0 ? liburing_h.IORING_SETUP_CQSIZE() : 0));
                if (cqEntries > 0)
                {
                    io_uring_params.cq_entries(params, cqEntries);
                }

                final int rc = liburing_h.io_uring_queue_init_params(entries, ring, params);
                if (rc == -liburing_h.EINVAL() && m < modes.length - 1)
                {
                    refused.append(refused.isEmpty() ? "" : ", ").append(mode).append(" (")
                        .append(flagNames(mode.setupFlags())).append("): ").append(Errno.describe(rc));
                    arena.close();
                    continue;
                }
                if (rc < 0)
                {
                    throw new UncheckedIOException(new IOException(
                        "io_uring_queue_init_params(" + entries + ", " + flagNames(flags) + ") failed: " +
                        Errno.describe(rc) + (refused.isEmpty() ? "" : "; refused before: " + refused)));
                }

                final String diagnostic = "io_uring " + mode + " (" + flagNames(mode.setupFlags()) + ")" +
                    (mode == wanted ? "" : ", asked " + wanted) +
                    (mode != first ? "; the kernel refused " + refused : first != wanted ? " (capped by -D" +
                    MODE_PROP + "=" + cap.name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
                try
                {
                    return new UringRing(arena, ring, params, mode, diagnostic);
                }
                catch (final RuntimeException ex)
                {
                    liburing_h.io_uring_queue_exit(ring);
                    throw ex;
                }
            }
            catch (final RuntimeException | Error ex)
            {
                arena.close();
                throw ex;
            }
        }
        throw new IllegalStateException("unreachable: INTERRUPT mode is always tried");
    }

    /**
     * @param flags {@code IORING_SETUP_*} bits.
     * @return their names joined by {@code |}, or {@code none}.
     */
    public static String flagNames(final int flags)
    {
        final StringBuilder sb = new StringBuilder();
        final String[] names = {"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED",
            "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN"};
        for (int bit = 0; bit < 32; bit++)
        {
            if ((flags & (1 << bit)) != 0)
            {
                sb.append(sb.isEmpty() ? "" : "|").append(bit < names.length ? names[bit] : "1<<" + bit);
            }
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    @SuppressWarnings("restricted")
    private MemorySegment mapped(final MemorySegment pointer, final long byteSize)
    {
        return pointer.reinterpret(byteSize, arena, null);
    }

    /**
     * @return the completion mode the kernel accepted.
     */
    public CompletionMode mode()
    {
        return mode;
    }

    /**
     * @return one line: the mode that runs, the one asked for, and what the kernel refused on the way.
     */
    public String setupDiagnostic()
    {
        return setupDiagnostic;
    }

    /**
     * Make the calling thread the ring's owner: enable a ring set up disabled ({@code SINGLE_ISSUER} modes). Done by
     * the first {@link #submit()} or {@link #awaitCompletion} anyway; idempotent. Registrations after this must come
     * from the owner.
     *
     * @throws UncheckedIOException when the kernel refuses.
     */
    public void enable()
    {
        if (disabled)
        {
            final int rc = liburing_h.io_uring_register(
                ringFd, liburing_h.IORING_REGISTER_ENABLE_RINGS(), MemorySegment.NULL, 0);
            if (rc < 0)
            {
                throw new UncheckedIOException(new IOException("IORING_REGISTER_ENABLE_RINGS failed: " +
                    Errno.describe(rc)));
            }
            disabled = false;
            owner = Thread.currentThread();
            // The owner's io_uring_enter calls then skip the descriptor lookup (per task: only the owner enters).
            registeredRingFd = liburing_h.io_uring_register_ring_fd(ring) == 1;
        }
    }

    /**
     * @return true when the owner enters through its registered ring descriptor ({@code IORING_ENTER_REGISTERED_RING}).
     */
    public boolean isRingFdRegistered()
    {
        return registeredRingFd;
    }

    /**
     * @return the thread that enabled a {@code SINGLE_ISSUER} ring, or null (not enabled yet, or no owner needed).
     */
    public Thread owner()
    {
        return owner;
    }

    /**
     * @return the ring's arena, for memory that must live exactly as long as the ring.
     */
    public Arena arena()
    {
        return arena;
    }

    /**
     * @return {@code IORING_FEAT_*} the kernel reported.
     */
    public int features()
    {
        return features;
    }

    /**
     * @return SQ entries.
     */
    public int sqEntries()
    {
        return sqEntries;
    }

    /**
     * @return CQ entries.
     */
    public int cqEntries()
    {
        return cqEntries;
    }

    /**
     * @return the ring's file descriptor.
     */
    public int ringFd()
    {
        return ringFd;
    }

    /**
     * @return how many times {@link #submit()} called into {@code io_uring_submit}, each one an
     * {@code io_uring_enter(2)}.
     */
    public long enterCalls()
    {
        return enterCalls;
    }

    /**
     * The Java {@code io_uring_get_sqe}: claim the next SQE slot. The caller must fill all of it (the
     * {@code prep*} methods do) before the next {@link #submit()}.
     *
     * @return byte offset of the SQE in the SQE array, or -1 when the SQ is full (submit, then retry).
     */
    public long nextSqe()
    {
        // Acquire: pairs with the kernel's release of sq.head once it has copied the SQEs below it.
        final int head = (int)INT.getAcquire(sqHead, 0L);
        final int tail = io_uring_sq.sqe_tail(sq);
        if (tail - head >= sqEntries)
        {
            return -1;
        }

        final int index = tail & sqMask;
        // Identity mapping of the SQ index array (liburing >= 2.2 pre-fills it; written anyway, same value).
        sqArray.setAtIndex(JAVA_INT, index, index);
        io_uring_sq.sqe_tail(sq, tail + 1);

        return (long)index * SQE_SIZE;
    }

    /**
     * The Java {@code io_uring_prep_rw} + {@code io_uring_sqe_set_data64}: fill every field of the SQE.
     */
    private void prepRw(
        final long sqe,
        final int opcode,
        final int fd,
        final long addr,
        final int len,
        final long offset,
        final long userData)
    {
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_OPCODE, (byte)opcode);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, (byte)0);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_IOPRIO, (short)0);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_OFF, offset);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR, addr);
        sqes.set(JAVA_INT, sqe + SQE_LEN, len);
        sqes.set(JAVA_INT, sqe + SQE_RW_FLAGS, 0);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_USER_DATA, userData);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_BUF_INDEX, (short)0);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_PERSONALITY, (short)0);
        sqes.set(JAVA_INT, sqe + SQE_FILE_INDEX, 0);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR3, 0L);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_PAD2, 0L);
    }

    /**
     * {@code io_uring_prep_read_fixed}: read from a socket into a registered buffer (file offset 0, as a socket
     * requires).
     */
    public void prepReadFixed(
        final long sqe, final int fd, final long address, final int length, final int bufIndex, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_READ_FIXED(), fd, address, length, 0L, userData);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_BUF_INDEX, (short)bufIndex);
    }

    /**
     * {@code io_uring_prep_write_fixed}: write to a socket from a registered buffer.
     */
    public void prepWriteFixed(
        final long sqe, final int fd, final long address, final int length, final int bufIndex, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_WRITE_FIXED(), fd, address, length, 0L, userData);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_BUF_INDEX, (short)bufIndex);
    }

    /**
     * {@code io_uring_prep_accept(sqe, fd, NULL, NULL, flags)}.
     */
    public void prepAccept(final long sqe, final int fd, final int acceptFlags, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_ACCEPT(), fd, 0L, 0, 0L, userData);
        sqes.set(JAVA_INT, sqe + SQE_RW_FLAGS, acceptFlags);
    }

    /**
     * {@code io_uring_prep_nop}.
     */
    public void prepNop(final long sqe, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_NOP(), -1, 0L, 0, 0L, userData);
    }

    /**
     * {@code io_uring_prep_send(sqe, fd, addr, len, flags)}: send from native memory on a socket.
     */
    public void prepSend(
        final long sqe, final int fd, final long address, final int length, final int msgFlags, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_SEND(), fd, address, length, 0L, userData);
        sqes.set(JAVA_INT, sqe + SQE_RW_FLAGS, msgFlags);
    }

    /**
     * {@code io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0)} with {@code IOSQE_BUFFER_SELECT} from buffer group
     * {@code bufferGroup}: one SQE that keeps posting a CQE per receive, each naming the provided buffer it filled
     * ({@code flags >>> IORING_CQE_BUFFER_SHIFT}), with {@code IORING_CQE_F_MORE} while it stays armed. It ends (a CQE
     * without {@code F_MORE}) at end of stream ({@code res} 0), on an error, or when the group ran out of buffers
     * ({@code -ENOBUFS}): re-arm it then. Kernel 6.0+.
     */
    public void prepRecvMultishot(final long sqe, final int fd, final int bufferGroup, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_RECV(), fd, 0L, 0, 0L, userData);
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_IOPRIO, (short)liburing_h.IORING_RECV_MULTISHOT());
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, (byte)liburing_h.IOSQE_BUFFER_SELECT());
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_BUF_GROUP, (short)bufferGroup);
    }

    /**
     * {@code io_uring_prep_recv(sqe, fd, NULL, 0, 0)} with {@code IOSQE_BUFFER_SELECT}: one receive into a buffer
     * of group {@code bufferGroup} (for kernels without multishot receive).
     */
    public void prepRecvSelect(final long sqe, final int fd, final int bufferGroup, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_RECV(), fd, 0L, 0, 0L, userData);
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, (byte)liburing_h.IOSQE_BUFFER_SELECT());
        sqes.set(ValueLayout.JAVA_SHORT, sqe + SQE_BUF_GROUP, (short)bufferGroup);
    }

    /**
     * {@code io_uring_prep_recv(sqe, fd, addr, len, 0)}: one receive into native memory.
     */
    public void prepRecv(final long sqe, final int fd, final long address, final int length, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_RECV(), fd, address, length, 0L, userData);
    }

    /**
     * {@code io_uring_prep_cancel64(sqe, target, 0)}: cancel the request whose {@code user_data} is {@code target}
     * (a multishot receive to stop). Its own completion carries {@code userData}.
     */
    public void prepCancel(final long sqe, final long target, final long userData)
    {
        prepRw(sqe, liburing_h.IORING_OP_ASYNC_CANCEL(), -1, target, 0, 0L, userData);
    }

    /**
     * @return SQEs claimed by {@link #nextSqe()} and not yet submitted.
     */
    public int queuedSqes()
    {
        return io_uring_sq.sqe_tail(sq) - (int)INT.getAcquire(sqHead, 0L);
    }

    /**
     * Which opcodes this kernel supports ({@code io_uring_get_probe_ring}).
     *
     * @return one flag per opcode, index = opcode; empty when the kernel cannot say.
     */
    public boolean[] supportedOps()
    {
        final MemorySegment probe = liburing_h.io_uring_get_probe_ring(ring);
        if (MemorySegment.NULL.equals(probe))
        {
            return new boolean[0];
        }
        try
        {
            final MemorySegment header = io_uring_probe.reinterpret(probe, 1, arena, null);
            final int opsLength = Byte.toUnsignedInt(io_uring_probe.ops_len(header));
            final MemorySegment all = probe.reinterpret(io_uring_probe.sizeof() + opsLength * io_uring_probe_op.sizeof(),
                arena, null);
            final int lastOp = Byte.toUnsignedInt(io_uring_probe.last_op(header));
            final boolean[] supported = new boolean[Math.min(opsLength, lastOp + 1)];
            for (int i = 0; i < supported.length; i++)
            {
                final MemorySegment op = io_uring_probe_op.asSlice(all.asSlice(io_uring_probe.sizeof()), i);
                supported[i] = (io_uring_probe_op.flags(op) & liburing_h.IO_URING_OP_SUPPORTED()) != 0;
            }
            return supported;
        }
        finally
        {
            liburing_h.io_uring_free_probe(probe);
        }
    }

    /**
     * @return the liburing {@code struct io_uring} (for liburing calls this class does not wrap).
     */
    public MemorySegment ring()
    {
        return ring;
    }

    /**
     * Publish the SQEs claimed since the last call and enter the kernel if there is anything to submit, or
     * completions to flush.
     *
     * @return SQEs submitted (0 without a system call), or {@code -errno} ({@code -EAGAIN}, {@code -EBUSY} and
     * {@code -EINTR} are transient: the SQEs stay queued and the next call submits them).
     */
    public int submit()
    {
        if (disabled)
        {
            enable();
        }
        final int tail = io_uring_sq.sqe_tail(sq);
        if (tail != io_uring_sq.sqe_head(sq))
        {
            // Release: the SQE and index-array writes happen-before the kernel's smp_load_acquire(&sq.tail).
            INT.setRelease(sqTail, 0L, tail);
            io_uring_sq.sqe_head(sq, tail);
        }

        final int unconsumed = tail - (int)INT.getAcquire(sqHead, 0L);
        if (0 == unconsumed && 0 == ((int)INT.getOpaque(sqFlags, 0L) & NEEDS_FLUSH))
        {
            return 0;
        }

        if (owner != null && owner != Thread.currentThread())
        {
            // The kernel would refuse (EEXIST), or not find the owner's registered descriptor (EBADF): say why.
            throw new IllegalStateException("io_uring ring (" + mode + ") is owned by thread '" + owner.getName() +
                "' (IORING_SETUP_SINGLE_ISSUER); thread '" + Thread.currentThread().getName() + "' may not submit");
        }
        enterCalls++;
        return liburing_h.io_uring_submit(ring);
    }

    /**
     * Like {@link #submit()}, and always enter the kernel with {@code IORING_ENTER_GETEVENTS}, so that completions
     * waiting to be posted (deferred or cooperative task work) reach the CQ now.
     *
     * @return SQEs submitted, or {@code -errno}.
     */
    public int submitAndGetEvents()
    {
        if (disabled)
        {
            enable();
        }
        final int tail = io_uring_sq.sqe_tail(sq);
        if (tail != io_uring_sq.sqe_head(sq))
        {
            // Release: as in submit().
            INT.setRelease(sqTail, 0L, tail);
            io_uring_sq.sqe_head(sq, tail);
        }
        enterCalls++;
        return liburing_h.io_uring_submit_and_get_events(ring);
    }

    /**
     * @return true when the kernel flagged completions waiting to be posted ({@code IORING_SQ_TASKRUN}) or a CQ
     * overflow: the next {@link #submit()} enters the kernel to post them. One opaque load. Always false in
     * {@link CompletionMode#INTERRUPT} mode, where the kernel posts them itself.
     */
    public boolean hasPendingCompletions()
    {
        return ((int)INT.getOpaque(sqFlags, 0L) & NEEDS_FLUSH) != 0;
    }

    /**
     * @return true when at least one CQE waits in the CQ (one acquire load; no system call).
     */
    public boolean hasCompletions()
    {
        return (int)INT.getAcquire(cqTail, 0L) != (int)INT.get(cqHead, 0L);
    }

    /**
     * {@code io_uring_for_each_cqe} + {@code io_uring_cq_advance}: hand every available CQE to the handler, then
     * release their slots to the kernel at once.
     *
     * @param handler called once per CQE, in completion order.
     * @return CQEs reaped.
     */
    public int reap(final CompletionHandler handler)
    {
        // Plain: only this thread writes cq.head.
        final int head = (int)INT.get(cqHead, 0L);
        // Acquire: pairs with the kernel's smp_store_release(&cq.tail) after it wrote the CQEs below it.
        final int tail = (int)INT.getAcquire(cqTail, 0L);
        if (head == tail)
        {
            return 0;
        }

        int i = head;
        try
        {
            while (i != tail)
            {
                final long cqe = (long)(i & cqMask) * CQE_SIZE;
                final long userData = cqes.get(ValueLayout.JAVA_LONG, cqe + CQE_USER_DATA);
                final int res = cqes.get(JAVA_INT, cqe + CQE_RES);
                final int flags = cqes.get(JAVA_INT, cqe + CQE_FLAGS);
                i++;
                handler.onCompletion(userData, res, flags);
            }
        }
        finally
        {
            // Release: our reads of the CQEs happen-before the kernel sees their slots free again.
            INT.setRelease(cqHead, 0L, i);
        }

        return tail - head;
    }

    /**
     * Block until a CQE is available or the timeout passes ({@code io_uring_wait_cqe_timeout}); consumes nothing.
     * Call {@link #submit()} first.
     *
     * @param timeoutNs most nanoseconds to wait.
     * @return true if a CQE is available.
     */
    public boolean awaitCompletion(final long timeoutNs)
    {
        if (disabled)
        {
            enable();
        }
        final long ns = Math.max(0L, timeoutNs);
        __kernel_timespec.tv_sec(timeout, ns / 1_000_000_000L);
        __kernel_timespec.tv_nsec(timeout, ns % 1_000_000_000L);
        return 0 == liburing_h.io_uring_wait_cqe_timeout(ring, cqePtr, timeout);
    }

    /**
     * Register fixed buffers ({@code io_uring_register_buffers}); buffer {@code i} gets index {@code i}.
     *
     * @param buffers native segments.
     * @throws UncheckedIOException when the kernel refuses, typically {@code ENOMEM} over {@code RLIMIT_MEMLOCK}.
     */
    public void registerBuffers(final MemorySegment... buffers)
    {
        try (Arena scratch = Arena.ofConfined())
        {
            final MemorySegment iovecs = iovec.allocateArray(buffers.length, scratch);
            for (int i = 0; i < buffers.length; i++)
            {
                final MemorySegment iov = iovec.asSlice(iovecs, i);
                iovec.iov_base(iov, buffers[i]);
                iovec.iov_len(iov, buffers[i].byteSize());
            }

            final int rc = liburing_h.io_uring_register_buffers(ring, iovecs, buffers.length);
            if (rc < 0)
            {
                throw registrationFailure("io_uring_register_buffers", buffers, rc);
            }
        }
    }

    /**
     * Register a table of empty buffer slots to fill later with {@link #updateBuffers}.
     *
     * @param slots table size.
     * @throws UncheckedIOException when the kernel refuses (kernel older than 5.19: {@code EINVAL}).
     */
    public void registerSparseBuffers(final int slots)
    {
        final int rc = liburing_h.io_uring_register_buffers_sparse(ring, slots);
        if (rc < 0)
        {
            throw new UncheckedIOException(new IOException(
                "io_uring_register_buffers_sparse(" + slots + ") failed: " + Errno.describe(rc) +
                " (needs kernel 5.19 or later)"));
        }
    }

    /**
     * Replace registered buffer slots {@code [first, first + buffers.length)}; a {@link MemorySegment#NULL}
     * buffer empties its slot.
     *
     * @param first   first slot.
     * @param buffers native segments or {@link MemorySegment#NULL}.
     * @throws UncheckedIOException when the kernel refuses, typically {@code ENOMEM} over {@code RLIMIT_MEMLOCK}.
     */
    public void updateBuffers(final int first, final MemorySegment... buffers)
    {
        try (Arena scratch = Arena.ofConfined())
        {
            final MemorySegment iovecs = iovec.allocateArray(buffers.length, scratch);
            for (int i = 0; i < buffers.length; i++)
            {
                final MemorySegment iov = iovec.asSlice(iovecs, i);
                iovec.iov_base(iov, buffers[i]);
                iovec.iov_len(iov, buffers[i].byteSize());
            }

            final int rc = liburing_h.io_uring_register_buffers_update_tag(
                ring, first, iovecs, MemorySegment.NULL, buffers.length);
            if (rc < 0)
            {
                throw registrationFailure("io_uring_register_buffers_update_tag", buffers, rc);
            }
        }
    }

    private static UncheckedIOException registrationFailure(
        final String function, final MemorySegment[] buffers, final int rc)
    {
        long bytes = 0;
        for (final MemorySegment buffer : buffers)
        {
            bytes += buffer.byteSize();
        }

        final String hint = -Errno.ENOMEM == rc ?
            " (registered buffers are pinned and charged to RLIMIT_MEMLOCK, see ulimit -l, unless CAP_IPC_LOCK)" : "";
        return new UncheckedIOException(new IOException(
            function + " of " + buffers.length + " buffers, " + bytes + " bytes, failed: " + Errno.describe(rc) + hint));
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * {@code io_uring_queue_exit} (the kernel cancels what is still in flight), then close the arena. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                liburing_h.io_uring_queue_exit(ring);
            }
            finally
            {
                arena.close();
            }
        }
    }
}
