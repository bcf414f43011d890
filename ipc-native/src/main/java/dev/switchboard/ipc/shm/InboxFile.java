package dev.switchboard.ipc.shm;

import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.ring.RingDescriptor;
import dev.switchboard.transport.OfferStatus;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static dev.switchboard.ipc.shm.InboxDescriptor.AWAKE;
import static dev.switchboard.ipc.shm.InboxDescriptor.DOORBELL_PATH_LENGTH_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.DOORBELL_PATH_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.DOORBELL_SUFFIX;
import static dev.switchboard.ipc.shm.InboxDescriptor.HEADER_LENGTH;
import static dev.switchboard.ipc.shm.InboxDescriptor.HEADER_LENGTH_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.INBOX_SUFFIX;
import static dev.switchboard.ipc.shm.InboxDescriptor.MAGIC;
import static dev.switchboard.ipc.shm.InboxDescriptor.MAGIC_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.MAX_DOORBELL_PATH_LENGTH;
import static dev.switchboard.ipc.shm.InboxDescriptor.OWNER_HEARTBEAT_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.OWNER_PID_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.OWNER_START_TIME_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.PARKED_DOORBELL;
import static dev.switchboard.ipc.shm.InboxDescriptor.PARKED_FUTEX;
import static dev.switchboard.ipc.shm.InboxDescriptor.PARKED_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.RING_CAPACITY_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.STATE_CLOSED;
import static dev.switchboard.ipc.shm.InboxDescriptor.STATE_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.STATE_OPEN;
import static dev.switchboard.ipc.shm.InboxDescriptor.VERSION;
import static dev.switchboard.ipc.shm.InboxDescriptor.VERSION_OFFSET;
import static dev.switchboard.transport.OfferStatus.NOT_CONNECTED;
import static dev.switchboard.transport.OfferStatus.OK;

/**
 * One agent's CRITICAL inbox: a file under the shm dir holding a header ({@link InboxDescriptor}) and a
 * {@link ManyToOneRing}, mapped with {@code FileChannel.map(READ_WRITE, 0, size, arena)} by its owner (the one
 * consumer) and by every sender on the host, which write into it directly: no router thread on the path.
 * Pure Java ({@code MemorySegment} + {@code VarHandle}, {@code java.nio}): no {@code Unsafe}, and no native call
 * unless this process has native access (then a parked owner is woken with {@link Futex}), so it runs in a JVM
 * started with no flags.
 *
 * <h2>Roles</h2>
 * <ul>
 *   <li>Owner ({@link #create}): creates the file owner-only (0600, never reusing an existing file, never
 *       following a symbolic link), binds its {@link Doorbell}, reads the ring, heartbeats, and on
 *       {@link #close()} marks the inbox CLOSED, unmaps it and deletes the file and its doorbell socket.</li>
 *   <li>Sender ({@link #open}): maps an owner's file, checks its header, and {@link #offer offers}; a sender that
 *       sees the owner parked wakes it ({@link #wakeIfParked()}: its doorbell, its futex, or a relay through the
 *       router). {@link #close()} only unmaps.</li>
 * </ul>
 *
 * <h2>Never a silent loss</h2>
 * {@link #offer} returns {@link OfferStatus#NOT_CONNECTED} once the owner has marked the inbox CLOSED, even if
 * the ring accepted the bytes. The owner's store of CLOSED and its later look at the tail pair with a sender's
 * tail CAS and its later load of the state (all sequentially consistent): a sender that got {@code OK} made its
 * claim before the owner looked, so an owner that {@link #markClosed() marks the inbox closed} and then drains
 * the ring reads every message a sender was told was delivered. A dead owner that never closed is the
 * control plane's business (its lease expires and lookups stop returning it); {@link #isOwnerAlive()} lets a
 * sender check.
 *
 * <h2>Thread-safety</h2>
 * {@link #offer} and the getters may be called from any number of threads (and processes). Owner methods
 * ({@link #ring()} reads, {@link #heartbeat()}, {@link #markClosed()}, parking) belong to the owner's thread.
 * {@link #close()} must not race with other calls on the same instance: its arena is shared, and closing it
 * while another thread is in an access fails that close with {@link IllegalStateException}.
 *
 * <h2>Allocation</h2>
 * None in {@link #offer}, {@link #heartbeat()}, {@link #isOpen()}, the parked-word and wake methods or the
 * getters; the first doorbell ring of a sender connects a socket.
 */
public final class InboxFile implements AutoCloseable
{
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Set<OpenOption> OPEN_OPTIONS = Set.of(
        StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final long MAX_FILE_LENGTH = InboxDescriptor.fileLength(RingDescriptor.MAX_CAPACITY);
    /** Whether this process can make futex calls: decided once (see {@link Futex}). */
    private static final boolean FUTEX = Futex.isAvailable();

    /** {@link #wakeIfParked()}: the owner was not parked (or another producer took the word first): nothing to do. */
    public static final int WAKE_NOT_PARKED = 0;
    /** {@link #wakeIfParked()}: this call woke the owner (a doorbell byte written, or {@code FUTEX_WAKE} made). */
    public static final int WAKE_DONE = 1;
    /** {@link #wakeIfParked()}: the owner is futex-parked, this process cannot wake it, the {@link WakeRelay} was
     * called. */
    public static final int WAKE_RELAYED = 2;
    /**
     * {@link #wakeIfParked()}: the owner is futex-parked, this process cannot wake it and no {@link WakeRelay} is set:
     * the caller must have the router wake it ({@code Wake} control frame), or the owner sleeps until its timeout.
     */
    public static final int WAKE_RELAY_NEEDED = 3;
    /** {@link #wakeIfParked()}: the wake-up failed (doorbell unreachable, futex error): the owner wakes at its
     * timeout. */
    public static final int WAKE_FAILED = -1;

    /**
     * What a sender's instance calls when it took the parked word of a futex-parked owner and this process cannot
     * make the futex call: send a {@code Wake} control frame for the owner's agent to the router, which can.
     * Called on the sending thread, inside the offer; must not block or throw. Set with
     * {@link InboxFile#wakeRelay(WakeRelay)}.
     */
    @FunctionalInterface
    public interface WakeRelay
    {
        /**
         * Ask the router to wake this inbox's owner.
         */
        void requestWake();
    }

    private final Path path;
    private final boolean owner;
    private final Arena arena;
    private final MemorySegment header;
    private final ManyToOneRing ring;
    private final long ownerPid;
    private final long ownerStartTimeMs;
    /** Owner only: the listening end. */
    private final Doorbell doorbell;
    /** The ringing end, connected at the first ring (the owner's rings its own doorbell, for its own other threads). */
    private final Doorbell.Ringer ringer;
    /** The parked word: 4 bytes of the header, for futex calls. */
    private final MemorySegment parkedWord;
    /** Sender side: who relays a futex wake this process cannot make (see {@link #wakeRelay(WakeRelay)}). */
    private volatile WakeRelay wakeRelay;
    private boolean closed;
    /** Owner thread only: the last value stored in the heartbeat word. */
    private long heartbeats;

    private InboxFile(
        final Path path,
        final boolean owner,
        final Arena arena,
        final MemorySegment mapping,
        final ManyToOneRing ring,
        final Doorbell doorbell,
        final Doorbell.Ringer ringer)
    {
        this.path = path;
        this.owner = owner;
        this.arena = arena;
        this.header = mapping.asSlice(0, HEADER_LENGTH);
        this.ring = ring;
        this.ownerPid = (long)LONG.get(header, (long)OWNER_PID_OFFSET);
        this.ownerStartTimeMs = (long)LONG.get(header, (long)OWNER_START_TIME_OFFSET);
        this.doorbell = doorbell;
        this.ringer = ringer;
        this.parkedWord = header.asSlice(PARKED_OFFSET, Integer.BYTES);
    }

    /**
     * Create this process's inbox for an agent: {@code dir/<sanitised name>-<pid>.inbox} (see
     * {@link InboxDescriptor} for names), by {@link OwnedFiles#processDefault()}: owner-only (0600, or 0660
     * with {@code switchboard.files.group}), created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} so an
     * existing file or symbolic link is never reused or followed; a {@code dir} that does not exist is created
     * 0700, an existing one must be ours (not a link, our uid, not writable by others). The file is filled by
     * writes, not by extending a sparse mapping, so a full {@code /dev/shm} fails here with an
     * {@link IOException} ({@link RefusedFileException} of {@link FileRefusal#NO_SPACE}, counted) rather than
     * later with a bus error.
     *
     * @param dir          the shm dir.
     * @param agentName    the agent's name.
     * @param ringCapacity capacity of the ring's record area: a power of two (see
     *                     {@link dev.switchboard.ring.RingDescriptor}).
     * @return the owner's inbox, OPEN.
     * @throws IllegalArgumentException if the name is empty, the capacity invalid or the doorbell path too long.
     * @throws UncheckedIOException     if the file exists already ({@link FileAlreadyExistsException} as cause),
     *                                  is refused ({@link RefusedFileException} as cause: a symbolic link, a
     *                                  foreign dir, no space) or cannot be created, filled or mapped; nothing is
     *                                  left behind.
     */
    public static InboxFile create(final Path dir, final String agentName, final int ringCapacity)
    {
        final long fileLength = InboxDescriptor.fileLength(ringCapacity);
        final ProcessHandle self = ProcessHandle.current();
        final long pid = self.pid();
        final OwnedFiles files = OwnedFiles.processDefault();
        final Path absoluteDir = dir.toAbsolutePath().normalize();
        final String fileName = InboxDescriptor.inboxFileName(agentName, pid);
        final Path file;
        try
        {
            file = OwnedFiles.resolveInside(absoluteDir, fileName);
        }
        catch (final RefusedFileException ex)
        {
            throw new UncheckedIOException("cannot create inbox for agent '" + agentName + "': " + ex.getMessage(), ex);
        }
        final Path bellPath = doorbellPath(absoluteDir, fileName, pid);
        final byte[] bellBytes = bellPath.toString().getBytes(StandardCharsets.UTF_8);

        createDirectory(files, absoluteDir);

        Arena arena = null;
        Doorbell doorbell = null;
        boolean created = false;
        try
        {
            final MemorySegment mapping;
            try (FileChannel channel = files.createNew(file))
            {
                created = true;
                OwnedFiles.zeroFill(file, channel, fileLength, "an inbox");
                arena = Arena.ofShared();
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength, arena);
            }

            final ManyToOneRing ring = ManyToOneRing.create(mapping.asSlice(HEADER_LENGTH, fileLength - HEADER_LENGTH));
            doorbell = Doorbell.listen(bellPath);

            final MemorySegment header = mapping.asSlice(0, HEADER_LENGTH);
            INT.set(header, (long)VERSION_OFFSET, VERSION);
            INT.set(header, (long)HEADER_LENGTH_OFFSET, HEADER_LENGTH);
            INT.set(header, (long)RING_CAPACITY_OFFSET, ringCapacity);
            LONG.set(header, (long)OWNER_PID_OFFSET, pid);
            LONG.set(header, (long)OWNER_START_TIME_OFFSET, startTimeMs(self));
            MemorySegment.copy(bellBytes, 0, header, ValueLayout.JAVA_BYTE, DOORBELL_PATH_OFFSET, bellBytes.length);
            INT.set(header, (long)DOORBELL_PATH_LENGTH_OFFSET, bellBytes.length);
            LONG.set(header, (long)OWNER_HEARTBEAT_OFFSET, 0L);
            INT.set(header, (long)STATE_OFFSET, STATE_OPEN);
            // Published last: a mapper that acquire-loads the magic sees every field above.
            INT.setRelease(header, (long)MAGIC_OFFSET, MAGIC);

            return new InboxFile(file, true, arena, mapping, ring, doorbell, new Doorbell.Ringer(bellPath));
        }
        catch (final IOException ex)
        {
            cleanUpFailedCreate(file, created, arena, doorbell);
            throw new UncheckedIOException("cannot create inbox " + file + ": " + describe(ex), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            cleanUpFailedCreate(file, created, arena, doorbell);
            throw ex;
        }
    }

    /**
     * Map another agent's inbox to send to it. Checks, with messages that say what was found: the file is a
     * regular file (not followed if a symbolic link), ours ({@link OwnedFiles#checkOurs}: our uid or the
     * configured group, not writable by others; a foreign file is never mapped), at least a header long, has
     * the magic and layout version of this code, a consistent header and ring length, is OPEN, and its owner process is alive.
     *
     * @param file path of the inbox file, as the registry gave it.
     * @return a sender's view of the inbox.
     * @throws IllegalStateException if the file is not a usable inbox (the message names the file and why).
     * @throws UncheckedIOException  if the file cannot be opened or mapped.
     */
    public static InboxFile open(final Path file)
    {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IllegalStateException("not an inbox: " + file + (Files.exists(file, LinkOption.NOFOLLOW_LINKS) ?
                " is not a regular file (symbolic links are not followed)" : " does not exist"));
        }
        try
        {
            OwnedFiles.processDefault().checkOurs(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot open inbox " + file + ": " + ex.getMessage(), ex);
        }
        Arena arena = null;
        try
        {
            final MemorySegment mapping;
            try (FileChannel channel = FileChannel.open(file, OPEN_OPTIONS))
            {
                final long size = channel.size();
                if (size < HEADER_LENGTH)
                {
                    throw new IllegalStateException("not an inbox: " + file + " is " + size +
                        " bytes, shorter than the " + HEADER_LENGTH + "-byte inbox header");
                }
                if (size > MAX_FILE_LENGTH)
                {
                    throw new IllegalStateException("not an inbox: " + file + " is " + size +
                        " bytes, longer than the largest inbox (" + MAX_FILE_LENGTH + " bytes)");
                }
                arena = Arena.ofShared();
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            }

            final MemorySegment header = mapping.asSlice(0, HEADER_LENGTH);
            final String problem = InboxFile.checkHeader(header, mapping.byteSize());
            if (null != problem)
            {
                throw new IllegalStateException("cannot open inbox " + file + ": " + problem);
            }
            final long pid = (long)LONG.get(header, (long)OWNER_PID_OFFSET);
            final long startMs = (long)LONG.get(header, (long)OWNER_START_TIME_OFFSET);
            if (!isAlive(pid, startMs))
            {
                throw new IllegalStateException("cannot open inbox " + file + ": its owner, pid " + pid +
                    " started at " + Instant.ofEpochMilli(startMs) + ", is no longer running");
            }

            final ManyToOneRing ring = new ManyToOneRing(mapping.asSlice(HEADER_LENGTH));
            final Doorbell.Ringer ringer = new Doorbell.Ringer(doorbellPath(header));
            return new InboxFile(file, false, arena, mapping, ring, null, ringer);
        }
        catch (final IOException ex)
        {
            closeArena(arena);
            throw new UncheckedIOException("cannot open inbox " + file + ": " + describe(ex), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            closeArena(arena);
            throw ex;
        }
    }

    /**
     * The ring inside the inbox. The owner reads it; senders may also use it directly (for example
     * {@code tryClaim}/{@code commit}), in which case they must call {@link #afterOffer(int)} themselves.
     *
     * @return the ring.
     */
    public ManyToOneRing ring()
    {
        return ring;
    }

    /**
     * Send one message of two parts ({@code a} then {@code b}, for example an envelope then a payload) into the
     * inbox: the ring's offer, then {@link #afterOffer(int)}.
     *
     * @param typeId  message type id, {@code >= 1}.
     * @param a       first part.
     * @param aOff    offset of the first part in {@code a}.
     * @param aLen    length of the first part.
     * @param b       second part.
     * @param bOff    offset of the second part in {@code b}.
     * @param bLen    length of the second part (may be 0).
     * @return {@link OfferStatus#OK}, or {@code NOT_CONNECTED} if the owner has closed the inbox, else the ring's
     * status ({@code BACK_PRESSURED}, {@code TOO_LARGE}, {@code REJECTED}).
     */
    public int offer(
        final int typeId,
        final DirectBuffer a,
        final int aOff,
        final int aLen,
        final DirectBuffer b,
        final int bOff,
        final int bLen)
    {
        return afterOffer(ring.offer(typeId, a, aOff, aLen, b, bOff, bLen));
    }

    /**
     * What a sender does after writing into the ring (by {@link #offer} or a claim and commit): if the owner
     * has closed the inbox, report {@code NOT_CONNECTED}; otherwise, if the write succeeded, {@link #wakeIfParked()}
     * (which wakes a parked owner, or hands the wake to this instance's {@link WakeRelay}). Busy traffic pays one load
     * of a line nobody writes (state) and one of a line only a parking owner writes (the parked word).
     *
     * @param status the ring's status for the write.
     * @return {@code NOT_CONNECTED} if CLOSED, else {@code status}.
     */
    public int afterOffer(final int status)
    {
        if (STATE_CLOSED == (int)INT.getVolatile(header, (long)STATE_OFFSET))
        {
            return NOT_CONNECTED;
        }
        if (OK == status)
        {
            wakeIfParked();
        }
        return status;
    }

    /**
     * Producer side, after this process made data visible to the owner by any path (a ring commit, a socket write, a
     * queue append and its {@link #signal}): wake the owner if it is parked. One sequentially consistent load when it
     * is awake (the busy case). When it is parked, the producer that wins the compare-and-set of the parked word back
     * to {@link InboxDescriptor#AWAKE} wakes it the way the word says (see {@link InboxDescriptor}):
     * <ul>
     *   <li>{@link InboxDescriptor#PARKED_DOORBELL}: one byte to the owner's doorbell socket;</li>
     *   <li>{@link InboxDescriptor#PARKED_FUTEX}: {@code futex(FUTEX_WAKE)} on the word when this process can make the
     *       call ({@link Futex#isAvailable()}); otherwise the wake must be relayed (the router makes the call for this
     *       process, on a {@code Wake} control frame): this instance's {@link WakeRelay} is called if one is set
     *       ({@link #WAKE_RELAYED}), else the caller is told ({@link #WAKE_RELAY_NEEDED}). Having taken the word, this
     *       producer is the only one that will wake the owner for this park: a relay that never arrives leaves the
     *       owner asleep until its park times out (its next duty deadline), late but not lost.</li>
     * </ul>
     * Allocation: none (a first doorbell ring connects a socket).
     *
     * @return {@link #WAKE_NOT_PARKED}, {@link #WAKE_DONE}, {@link #WAKE_RELAYED}, {@link #WAKE_RELAY_NEEDED} or
     * {@link #WAKE_FAILED}.
     */
    public int wakeIfParked()
    {
        final int parked = (int)INT.getVolatile(header, (long)PARKED_OFFSET);
        if (AWAKE != parked && INT.compareAndSet(header, (long)PARKED_OFFSET, parked, AWAKE))
        {
            return wake(parked);
        }
        return WAKE_NOT_PARKED;
    }

    /**
     * Router side of a relayed wake (the {@code Wake} control frame): a producer that cannot make the futex call took
     * the parked word and asked the router to wake the owner. Wakes it the way the word says if it is parked (again),
     * else makes {@code FUTEX_WAKE} on the word unconditionally, since the owner may be asleep in {@code FUTEX_WAIT}
     * with the word already taken. A wake that arrives after the owner woke anyway is spurious and harmless: the
     * owner looks, finds nothing and parks again.
     *
     * @return {@link #WAKE_DONE}, {@link #WAKE_FAILED}, or {@link #WAKE_NOT_PARKED} when the owner is awake and this
     * process cannot make the futex call either.
     */
    public int wakeOwner()
    {
        final int woken = wakeIfParked();
        if (WAKE_NOT_PARKED != woken)
        {
            return woken;
        }
        if (!FUTEX)
        {
            return WAKE_NOT_PARKED;
        }
        return Futex.wake(parkedWord, Integer.MAX_VALUE) >= 0 ? WAKE_DONE : WAKE_FAILED;
    }

    /**
     * Set the relay this sender's instance calls when it must wake a futex-parked owner and this process cannot make
     * the futex call ({@link #wakeIfParked()}). The sender's client sets it once, before sending, to send a
     * {@code Wake} control frame naming the owner's agent to its router.
     *
     * @param relay the relay, or null for none.
     */
    public void wakeRelay(final WakeRelay relay)
    {
        this.wakeRelay = relay;
    }

    private int wake(final int parkedValue)
    {
        if (PARKED_FUTEX == parkedValue)
        {
            if (FUTEX)
            {
                return Futex.wake(parkedWord, Integer.MAX_VALUE) >= 0 ? WAKE_DONE : WAKE_FAILED;
            }
            final WakeRelay relay = wakeRelay;
            if (null == relay)
            {
                return WAKE_RELAY_NEEDED;
            }
            relay.requestWake();
            return WAKE_RELAYED;
        }
        // PARKED_DOORBELL, or a value this code does not know (a newer peer's, or a corrupted header): the doorbell
        // is the one way to wake every owner.
        return ringer.ring() ? WAKE_DONE : WAKE_FAILED;
    }

    /**
     * Producer side: this process wrote to a source the owner reads besides its ring (its control socket, a direct
     * socket link, its LOW queue). Adds 1 to that source's signal, then wakes the owner if it is parked. Call after
     * the write, so that an owner that sees the signal move finds the data.
     *
     * @param signalOffset {@link InboxDescriptor#CONTROL_SIGNAL_OFFSET}, {@link InboxDescriptor#LINK_SIGNAL_OFFSET}
     *                     or {@link InboxDescriptor#DURABLE_SIGNAL_OFFSET}.
     * @return what {@link #wakeIfParked()} returned.
     */
    public int signal(final int signalOffset)
    {
        LONG.getAndAdd(header, (long)signalOffset, 1L);
        return wakeIfParked();
    }

    /**
     * Owner side: the current value of a signal (acquire load): compare it with the value last seen to learn whether
     * the source has something to read.
     *
     * @param signalOffset one of the signal offsets of {@link InboxDescriptor}.
     * @return the signal's value.
     */
    public long signalValue(final int signalOffset)
    {
        return (long)LONG.getAcquire(header, (long)signalOffset);
    }

    /**
     * Whether the owner still reads this inbox.
     *
     * @return true until the owner marks it CLOSED (and false once this instance is closed).
     */
    public boolean isOpen()
    {
        return !closed && STATE_OPEN == (int)INT.getVolatile(header, (long)STATE_OFFSET);
    }

    /**
     * Owner side: prove liveness. Adds 1 to the owner heartbeat word (an opaque store: single writer, no fence), which
     * the router samples on its lease timer: a word that moved renews the lease. The owner's client calls it on every
     * poll, so an agent that polls is alive, whatever its poll rate, without reading a clock.
     */
    public void heartbeat()
    {
        LONG.setOpaque(header, (long)OWNER_HEARTBEAT_OFFSET, ++heartbeats);
    }

    /**
     * @return the owner heartbeat word: it moves while the owner polls (a count, not a time: compare it with the value
     * seen last).
     */
    public long ownerHeartbeat()
    {
        return (long)LONG.getOpaque(header, (long)OWNER_HEARTBEAT_OFFSET);
    }

    public long ownerPid()
    {
        return ownerPid;
    }

    /**
     * Start time of the owner process, which tells a reused pid apart.
     *
     * @return epoch milliseconds, or 0 if the platform did not report it.
     */
    public long ownerStartTimeMs()
    {
        return ownerStartTimeMs;
    }

    /**
     * Whether the owner process is still running (reads {@code /proc}: not for the hot path).
     *
     * @return true if a process with the owner's pid and start time exists.
     */
    public boolean isOwnerAlive()
    {
        return isAlive(ownerPid, ownerStartTimeMs);
    }

    /**
     * Whether this instance is the owner's (made by {@link #create}).
     *
     * @return true for the owner, false for a sender.
     */
    public boolean isOwner()
    {
        return owner;
    }

    /**
     * Path of the inbox file.
     *
     * @return absolute path for the owner, the path given to {@link #open} for a sender.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Path of the inbox's doorbell socket, as recorded in its header.
     *
     * @return the path.
     */
    public Path doorbellPath()
    {
        return ringer.path();
    }

    /**
     * Owner: stop accepting messages. From now on every offer returns {@code NOT_CONNECTED}; messages offered
     * before (for which senders got {@code OK}) are still in the ring, for the owner to drain before
     * {@link #close()} if it wants every one. Idempotent.
     *
     * @throws IllegalStateException if called on a sender's instance.
     */
    public void markClosed()
    {
        if (!owner)
        {
            throw new IllegalStateException("only the owner of inbox " + path + " can mark it closed");
        }
        if (!closed)
        {
            INT.setVolatile(header, (long)STATE_OFFSET, STATE_CLOSED);
        }
    }

    /**
     * Anyone (the router, in practice): mark the inbox CLOSED when its owner process is dead (kill -9), so
     * that senders still holding a mapping get {@code NOT_CONNECTED} instead of writing into a ring nobody
     * reads. A live owner's inbox is left alone.
     *
     * @return true when the owner was dead and the inbox is now CLOSED.
     */
    public boolean markClosedIfOwnerDead()
    {
        if (closed || isOwnerAlive())
        {
            return false;
        }
        INT.setVolatile(header, (long)STATE_OFFSET, STATE_CLOSED);
        return true;
    }

    /**
     * Owner: mark CLOSED, close the doorbell (deleting its socket), unmap and delete the file. Sender: close
     * the doorbell connection and unmap. Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (owner)
        {
            markClosed();
            closed = true;
            ringer.close();
            doorbell.close();
            closeArena(arena);
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete inbox " + path + ": " + describe(ex), ex);
            }
        }
        else
        {
            closed = true;
            ringer.close();
            closeArena(arena);
        }
    }

    /**
     * Whether this instance has been closed.
     *
     * @return true after {@link #close()}.
     */
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "InboxFile{path=" + path + ", owner=" + owner + ", ownerPid=" + ownerPid +
            ", open=" + isOpen() + ", ring=" + (closed ? "unmapped" : ring.toString()) + '}';
    }

    /**
     * Owner: raise the parked word for the doorbell (see {@link #park(int)}).
     */
    void park()
    {
        park(PARKED_DOORBELL);
    }

    /**
     * Owner: raise the parked word (sequentially consistent store), before its last look at everything it reads.
     *
     * @param how {@link InboxDescriptor#PARKED_DOORBELL} or {@link InboxDescriptor#PARKED_FUTEX}: how producers must
     *            wake it.
     */
    void park(final int how)
    {
        INT.setVolatile(header, (long)PARKED_OFFSET, how);
    }

    /**
     * Owner: lower the parked word (release store) after waking.
     */
    void unpark()
    {
        INT.setRelease(header, (long)PARKED_OFFSET, AWAKE);
    }

    /**
     * The parked word itself, 4 bytes: what the owner's {@code FUTEX_WAIT} and a producer's {@code FUTEX_WAKE} name.
     *
     * @return a slice of the mapped header.
     */
    MemorySegment parkedWord()
    {
        return parkedWord;
    }

    /**
     * Whether the owner is parked.
     *
     * @return true while the owner is (about to be) asleep and no producer has woken it yet.
     */
    public boolean isParked()
    {
        return AWAKE != (int)INT.getVolatile(header, (long)PARKED_OFFSET);
    }

    /**
     * Current value of the parked word (sequentially consistent load), for tests and diagnostics.
     *
     * @return {@link InboxDescriptor#AWAKE}, {@link InboxDescriptor#PARKED_DOORBELL} or
     * {@link InboxDescriptor#PARKED_FUTEX}.
     */
    public int parkedState()
    {
        return (int)INT.getVolatile(header, (long)PARKED_OFFSET);
    }

    /**
     * Owner's doorbell.
     *
     * @return the doorbell, or null for a sender's instance.
     */
    Doorbell doorbell()
    {
        return doorbell;
    }

    /**
     * The ringing end of this instance.
     *
     * @return the ringer (connected only after a ring).
     */
    Doorbell.Ringer ringer()
    {
        return ringer;
    }

    /**
     * Check a mapped header against this code's layout.
     *
     * @param header     at least {@link InboxDescriptor#HEADER_LENGTH} bytes.
     * @param fileLength the file's length.
     * @return null if the header describes an OPEN inbox of this file length, else what is wrong.
     */
    static String checkHeader(final MemorySegment header, final long fileLength)
    {
        final int magic = (int)INT.getAcquire(header, (long)MAGIC_OFFSET);
        if (MAGIC != magic)
        {
            return "bad magic 0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) +
                " (not an inbox, or still being created)";
        }
        final int version = (int)INT.get(header, (long)VERSION_OFFSET);
        if (VERSION != version)
        {
            return "layout version " + version + ", this code reads version " + VERSION;
        }
        final int headerLength = (int)INT.get(header, (long)HEADER_LENGTH_OFFSET);
        final int capacity = (int)INT.get(header, (long)RING_CAPACITY_OFFSET);
        final long expectedLength;
        try
        {
            expectedLength = InboxDescriptor.fileLength(capacity);
        }
        catch (final IllegalArgumentException ex)
        {
            return "invalid ring capacity in header: " + ex.getMessage();
        }
        if (HEADER_LENGTH != headerLength || expectedLength != fileLength)
        {
            return "header length " + headerLength + " and ring capacity " + capacity + " make " +
                (headerLength + expectedLength - HEADER_LENGTH) + " bytes, but the file is " + fileLength + " bytes";
        }
        final int pathLength = (int)INT.get(header, (long)DOORBELL_PATH_LENGTH_OFFSET);
        if (pathLength < 1 || pathLength > MAX_DOORBELL_PATH_LENGTH)
        {
            return "doorbell path length " + pathLength + " is outside [1, " + MAX_DOORBELL_PATH_LENGTH + "]";
        }
        final int state = (int)INT.getVolatile(header, (long)STATE_OFFSET);
        if (STATE_OPEN != state)
        {
            return STATE_CLOSED == state ?
                "it is CLOSED: its owner (pid " + (long)LONG.get(header, (long)OWNER_PID_OFFSET) + ") has closed it" :
                "unknown state " + state;
        }
        return null;
    }

    /**
     * Doorbell path recorded in a header whose length field has been checked.
     *
     * @param header mapped header.
     * @return the path.
     */
    static Path doorbellPath(final MemorySegment header)
    {
        final int length = (int)INT.get(header, (long)DOORBELL_PATH_LENGTH_OFFSET);
        final byte[] bytes = new byte[length];
        MemorySegment.copy(header, ValueLayout.JAVA_BYTE, DOORBELL_PATH_OFFSET, bytes, 0, length);
        return Path.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Whether a process with this pid and start time runs.
     *
     * @param pid         pid.
     * @param startTimeMs start time in epoch ms, or 0 if unknown (then the pid alone decides).
     * @return true if it runs.
     */
    static boolean isAlive(final long pid, final long startTimeMs)
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return false;
        }
        if (0 == startTimeMs)
        {
            return true;
        }
        final long actual = startTimeMs(process.get());
        return 0 == actual || actual == startTimeMs;
    }

    static long startTimeMs(final ProcessHandle process)
    {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static Path doorbellPath(final Path dir, final String inboxFileName, final long pid)
    {
        final String base = inboxFileName.substring(0, inboxFileName.length() - INBOX_SUFFIX.length());
        final Path preferred = dir.resolve(base + DOORBELL_SUFFIX);
        if (preferred.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_DOORBELL_PATH_LENGTH)
        {
            return preferred;
        }
        final Path hashed = dir.resolve(InboxDescriptor.hashHex(base) + '-' + pid + DOORBELL_SUFFIX);
        Doorbell.checkPathLength(hashed);
        return hashed;
    }

    private static void createDirectory(final OwnedFiles files, final Path dir)
    {
        try
        {
            files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create shm dir " + dir + ": " + describe(ex), ex);
        }
    }

    private static void cleanUpFailedCreate(final Path file, final boolean created, final Arena arena, final Doorbell doorbell)
    {
        if (null != doorbell)
        {
            doorbell.close();
        }
        closeArena(arena);
        if (created)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignore)
            {
                // The cleaner removes it: its header never got a magic.
            }
        }
    }

    private static void closeArena(final Arena arena)
    {
        if (null != arena)
        {
            arena.close();
        }
    }

    private static String describe(final IOException ex)
    {
        return ex instanceof FileAlreadyExistsException ? "file already exists" : ex.toString();
    }
}
