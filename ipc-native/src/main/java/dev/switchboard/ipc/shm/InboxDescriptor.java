package dev.switchboard.ipc.shm;

import dev.switchboard.ring.RingDescriptor;

import java.nio.charset.StandardCharsets;

/**
 * Memory layout and naming of an inbox file: the file under the shm dir (default
 * {@code /dev/shm/switchboard-$UID}) that one agent owns and any sender on the host maps to write CRITICAL
 * messages straight into. Every offset a Java or C mapper needs is a named constant here.
 *
 * <h2>File</h2>
 * A header of {@link #HEADER_LENGTH} bytes, then a {@link dev.switchboard.ring.ManyToOneRing} laid out as
 * {@link RingDescriptor} says (record area of {@code capacity} bytes, then its trailer). The file's size is
 * exactly {@link #fileLength(int)}. All integers are in the host's native byte order (little-endian on x86-64
 * and AArch64); the file is shared between processes of one host, never across hosts.
 * <pre>
 *   0               HEADER_LENGTH (512)                 512 + capacity        512 + capacity + 768
 *   +---------------+-----------------------------------+---------------------+
 *   | inbox header  | ring records                 ...  | ring trailer        |
 *   +---------------+-----------------------------------+---------------------+
 * </pre>
 *
 * <h2>Header</h2>
 * Five blocks of 128 bytes (two cache lines each, so the adjacent-line prefetcher never makes a field that
 * one side writes share a line with a field the other side reads on every message).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Magic (int, {@link #MAGIC}, 'SWIB')            |  0   MAGIC_OFFSET
 *  +---------------------------------------------------------------+
 *  |                Layout version (int, {@link #VERSION})          |  4   VERSION_OFFSET
 *  +---------------------------------------------------------------+
 *  |             Header length (int, {@link #HEADER_LENGTH})        |  8   HEADER_LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |      Ring capacity (int, record area bytes, power of two)     |  12  RING_CAPACITY_OFFSET
 *  +---------------------------------------------------------------+
 *  |                     Owner pid (long)                          |  16  OWNER_PID_OFFSET
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Owner process start time (long, epoch ms, 0 if unknown)     |  24  OWNER_START_TIME_OFFSET
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     State (int: 0 being created, OPEN 1, CLOSED 2)            |  32  STATE_OFFSET
 *  +---------------------------------------------------------------+
 *  |   Doorbell path length (int, UTF-8 bytes, no NUL; 0 = none)   |  36  DOORBELL_PATH_LENGTH_OFFSET
 *  +---------------------------------------------------------------+
 *  |                    Reserved, zero (to 128)                   ...  40
 *  +---------------------------------------------------------------+
 *  |  Parked word (int: AWAKE 0, PARKED_DOORBELL 1, PARKED_FUTEX 2) |  128 PARKED_OFFSET
 *  |                  padding to 256                              ...
 *  +---------------------------------------------------------------+
 *  |   Owner heartbeat (long, a count the owner moves as it polls)  |  256 OWNER_HEARTBEAT_OFFSET
 *  |                  padding to 384                              ...
 *  +---------------------------------------------------------------+
 *  |   Control signal (long: the router wrote to the control       |  384 CONTROL_SIGNAL_OFFSET
 *  |   socket; +1 per write)                                       |
 *  +---------------------------------------------------------------+
 *  |   Link signal (long: a peer wrote to a direct socket link)    |  392 LINK_SIGNAL_OFFSET
 *  +---------------------------------------------------------------+
 *  |   Durable signal (long: a sender appended to the LOW queue)   |  400 DURABLE_SIGNAL_OFFSET
 *  +---------------------------------------------------------------+
 *  |                  padding to 512                              ...
 *  +---------------------------------------------------------------+
 *  |  Doorbell path (UTF-8, NUL-terminated, at most 107 bytes:     |  512 DOORBELL_PATH_OFFSET
 *  |  fits a sockaddr_un's sun_path as is), zero-filled to 640    ...
 *  +---------------------------------------------------------------+  640 HEADER_LENGTH: the ring starts
 * </pre>
 * Who writes what, and the ordering each access uses (a C peer must use the same, with {@code __atomic_*}):
 * <ul>
 *   <li>Identity block and doorbell path: written once by the creator, then the magic is release-stored
 *       last; a mapper acquire-loads the magic first and then sees every other field. State goes from 0 to
 *       OPEN before the magic, and to CLOSED (sequentially consistent store) when the owner closes; senders
 *       load it with a sequentially consistent load after each offer.</li>
 *   <li>Parked word: the owner stores {@link #PARKED_DOORBELL} or {@link #PARKED_FUTEX} (sequentially consistent)
 *       before its last look at everything it reads (ring, signals), and {@link #AWAKE} (release) when it wakes. A
 *       producer of any tier loads it (sequentially consistent) after making its data visible (a ring commit, a
 *       socket write, a queue append followed by its signal) and, if it is not {@link #AWAKE}, compare-and-sets it to
 *       {@link #AWAKE}; the winner wakes the owner the way the value says: one byte to the doorbell socket, or
 *       {@code futex(FUTEX_WAKE)} on the word (shared, not {@code FUTEX_PRIVATE_FLAG}: the word is in a file that
 *       several processes map). The owner's store then its loads, against the producer's publication then its load
 *       of the word, is a Dekker pair: at least one side sees the other, so a wake-up is never lost. The owner
 *       sleeps in {@code futex(FUTEX_WAIT, PARKED_FUTEX)}, so a producer whose compare-and-set came first makes that
 *       wait return at once. A winner that cannot make the futex call (a JVM without native access) asks the router,
 *       which can, with a {@code Wake} control frame; an owner parks on the futex only when its router said it
 *       relays ({@code Challenge.flags} bit 1). See {@link InboxFile#wakeIfParked()}, {@link InboxParker},
 *       {@link Futex}.</li>
 *   <li>Owner heartbeat: a count the owner adds 1 to on every poll (opaque store, single writer), loaded opaque by
 *       anyone. The router samples it on its lease timer and renews the owner's lease while it moves, so an agent with
 *       an inbox sends no heartbeat frames and reads no clock to stay alive.</li>
 *   <li>Signals: a producer that wrote to a socket or queue this owner reads adds 1 to that source's signal
 *       (atomic fetch-and-add, after the write), then does the parked-word check above. The owner acquire-loads the
 *       signals on a poll that found its ring empty and reads a source only when its signal moved: a poll with
 *       nothing to read makes no system call. A source never signalled is still read on the owner's duty slice, so a
 *       producer that does not signal (an older one) is late, never lost.</li>
 * </ul>
 *
 * <h2>Names</h2>
 * An inbox file is {@code <name>-<pid>.inbox} in the shm dir, where {@code <name>} is the agent name with
 * every byte of its UTF-8 form outside {@code [A-Za-z0-9._-]} written as {@code %XX} (two upper-case hex
 * digits; so {@code %} itself becomes {@code %25} and the mapping is one-to-one), and {@code <pid>} is the
 * owner's pid in decimal. A sanitised name longer than {@link #MAX_SANITISED_NAME_LENGTH} keeps its first
 * {@link #TRUNCATED_NAME_PREFIX_LENGTH} characters followed by {@code ~} and 16 hex digits of a 64-bit FNV-1a
 * hash of the whole agent name ({@code ~} is never produced by escaping, so a hashed name cannot collide with
 * an escaped one). The doorbell socket is {@code <name>-<pid>.bell} beside it, or, when that absolute path
 * would exceed {@link #MAX_DOORBELL_PATH_LENGTH} bytes, {@code <16 hex digits of the hash>-<pid>.bell}. In
 * every file name the pid is the decimal digits between the last {@code -} and the extension.
 *
 * <p>Thread-safety: constants and pure functions only. Allocation: the naming functions allocate their
 * strings; nothing else allocates.
 */
public final class InboxDescriptor
{
    /** Length of one cache line assumed for padding, in bytes. */
    public static final int CACHE_LINE_LENGTH = RingDescriptor.CACHE_LINE_LENGTH;

    /** Offset of the magic number identifying an inbox file. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the header length, so a mapper can find the ring without knowing this version's header. */
    public static final int HEADER_LENGTH_OFFSET = 8;
    /** Offset of the capacity of the ring's record area. */
    public static final int RING_CAPACITY_OFFSET = 12;
    /** Offset of the owner's pid (long). */
    public static final int OWNER_PID_OFFSET = 16;
    /** Offset of the owner process's start time, epoch milliseconds (long), which tells a reused pid apart. */
    public static final int OWNER_START_TIME_OFFSET = 24;
    /** Offset of the state: 0 while being created, then {@link #STATE_OPEN}, then {@link #STATE_CLOSED}. */
    public static final int STATE_OFFSET = 32;
    /** Offset of the length in bytes of the doorbell socket path (no terminating NUL). */
    public static final int DOORBELL_PATH_LENGTH_OFFSET = 36;
    /** Offset of the parked word (int, 4-byte aligned: a futex word), alone in its 128-byte block. */
    public static final int PARKED_OFFSET = 2 * CACHE_LINE_LENGTH;
    /** Offset of the owner's heartbeat, a count that moves while the owner polls (long), alone in its 128-byte block. */
    public static final int OWNER_HEARTBEAT_OFFSET = 4 * CACHE_LINE_LENGTH;
    /** Offset of the signals block: one long per source the owner reads besides its ring. */
    public static final int SIGNALS_OFFSET = 6 * CACHE_LINE_LENGTH;
    /** Offset of the control signal (long): the router adds 1 after each write to the owner's control socket. */
    public static final int CONTROL_SIGNAL_OFFSET = SIGNALS_OFFSET;
    /** Offset of the link signal (long): a peer adds 1 after each write to a direct socket link to the owner. */
    public static final int LINK_SIGNAL_OFFSET = SIGNALS_OFFSET + 8;
    /** Offset of the durable signal (long): a sender adds 1 after each append to the owner's LOW queue. */
    public static final int DURABLE_SIGNAL_OFFSET = SIGNALS_OFFSET + 16;
    /** Offset of the doorbell socket path: UTF-8, NUL-terminated, zero-filled to {@link #HEADER_LENGTH}. */
    public static final int DOORBELL_PATH_OFFSET = 8 * CACHE_LINE_LENGTH;
    /** Length of the header: the ring starts here. A multiple of the cache line (and of 8, as the ring needs). */
    public static final int HEADER_LENGTH = 10 * CACHE_LINE_LENGTH;

    /** Magic number: the bytes {@code 'S' 'W' 'I' 'B'} in little-endian order. */
    public static final int MAGIC = 0x42495753;
    /** Version of this layout (2: signals block, parked word with the wake method, 640-byte header). */
    public static final int VERSION = 2;

    /** State of an inbox whose owner is reading it. */
    public static final int STATE_OPEN = 1;
    /** State of an inbox whose owner has stopped reading it: offers return {@code NOT_CONNECTED}. */
    public static final int STATE_CLOSED = 2;

    /** Value of the parked word while the owner is (about to be) asleep in a select on its doorbell socket. */
    public static final int PARKED_DOORBELL = 1;
    /** Value of the parked word while the owner is (about to be) asleep in {@code futex(FUTEX_WAIT)} on the word. */
    public static final int PARKED_FUTEX = 2;
    /** Value of the parked word while the owner is awake. */
    public static final int AWAKE = 0;

    /** Longest doorbell path, in bytes: Linux's {@code sun_path} is 108 bytes including the NUL. */
    public static final int MAX_DOORBELL_PATH_LENGTH = 107;

    /** File name extension of inbox files. */
    public static final String INBOX_SUFFIX = ".inbox";
    /** File name extension of doorbell sockets. */
    public static final String DOORBELL_SUFFIX = ".bell";

    /** Longest sanitised agent name kept whole in a file name; longer ones are truncated and hashed. */
    public static final int MAX_SANITISED_NAME_LENGTH = 200;
    /** Characters of a too-long sanitised name kept before the {@code ~} and hash. */
    public static final int TRUNCATED_NAME_PREFIX_LENGTH = 183;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private InboxDescriptor()
    {
    }

    /**
     * Length of an inbox file whose ring has the given capacity.
     *
     * @param ringCapacity power of two in [{@link RingDescriptor#MIN_CAPACITY}, {@link RingDescriptor#MAX_CAPACITY}].
     * @return {@code HEADER_LENGTH + ringCapacity + RingDescriptor.TRAILER_LENGTH}.
     * @throws IllegalArgumentException naming the value if the capacity is not valid.
     */
    public static long fileLength(final int ringCapacity)
    {
        return HEADER_LENGTH + RingDescriptor.requiredSize(ringCapacity);
    }

    /**
     * Agent name as it appears in file names: see the class comment.
     *
     * @param agentName non-empty agent name.
     * @return the sanitised name, only {@code [A-Za-z0-9._%~-]}.
     * @throws IllegalArgumentException if the name is empty.
     */
    public static String sanitiseName(final String agentName)
    {
        if (agentName.isEmpty())
        {
            throw new IllegalArgumentException("agent name must not be empty");
        }

        final byte[] utf8 = agentName.getBytes(StandardCharsets.UTF_8);
        final StringBuilder builder = new StringBuilder(utf8.length);
        for (final byte b : utf8)
        {
            final int c = b & 0xFF;
            if (isKept(c))
            {
                builder.append((char)c);
            }
            else
            {
                builder.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            }
        }

        if (builder.length() > MAX_SANITISED_NAME_LENGTH)
        {
            builder.setLength(TRUNCATED_NAME_PREFIX_LENGTH);
            builder.append('~').append(hashHex(agentName));
        }
        return builder.toString();
    }

    /**
     * File name of an agent's inbox.
     *
     * @param agentName agent name.
     * @param pid       owner's pid.
     * @return {@code <sanitised name>-<pid>.inbox}.
     */
    public static String inboxFileName(final String agentName, final long pid)
    {
        return sanitiseName(agentName) + '-' + pid + INBOX_SUFFIX;
    }

    /**
     * Pid encoded in an inbox or doorbell file name: the decimal digits between the last {@code -} and the
     * last {@code .}.
     *
     * @param fileName file name, without directory.
     * @return the pid, or -1 if the name does not end in {@code -<digits>.<extension>}.
     */
    public static long pidFromFileName(final String fileName)
    {
        final int dot = fileName.lastIndexOf('.');
        final int dash = dot < 0 ? -1 : fileName.lastIndexOf('-', dot);
        if (dash < 0 || dot - dash < 2 || dot - dash > 20)
        {
            return -1;
        }
        long pid = 0;
        for (int i = dash + 1; i < dot; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /**
     * 64-bit FNV-1a hash of a name's UTF-8 bytes as 16 lower-case hex digits.
     *
     * @param name to hash.
     * @return the hash.
     */
    static String hashHex(final String name)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : name.getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        final String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static boolean isKept(final int c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-';
    }
}
