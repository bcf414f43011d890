package dev.switchboard.ipc.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.file.CountersFileDescriptor;
import dev.switchboard.counters.file.CountersFileWriter;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.ipc.shm.InboxDescriptor;

/**
 * This process's counters file: {@code <shm dir>/counters/<role>-<sanitised name>-<pid>.counters}, laid out as
 * {@link CountersFileDescriptor} says and written through a {@link CountersFileWriter} over its mapping.
 *
 * <ul>
 *   <li>Created by {@link OwnedFiles#processDefault()}: mode 0600 (0660 with {@code switchboard.files.group}),
 *       {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}, in a directory that is ours (0700); filled with writes before
 *       it is mapped, so a full {@code /dev/shm} fails the creation ({@link FileRefusal#NO_SPACE}) rather than a later
 *       store. Two files of one process with one name get a {@code _2}, {@code _3}... suffix.</li>
 *   <li>Mapped in an automatic arena and never unmapped by {@link #close()}: a thread that still counts after the
 *       close (a router's report after its stop) writes into memory that stays valid until the GC frees it.</li>
 *   <li>{@link #rename} moves the file when the process learns its name (an agent registers); {@link #close} removes
 *       it. A file left by a process that died is removed by {@link StaleCountersCleaner} once it has been dead for
 *       the retention ({@code switchboard.counters.retain.ms}), so that {@code stat} and {@code errors} show what it
 *       was doing when it died.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #heartbeat(long)} from one thread (the writer's duty cycle); {@link #rename} and
 * {@link #close} from any thread (synchronized); counters, histograms and the error log as {@link CountersFileWriter}
 * says. Allocation: {@link #heartbeat(long)} allocates nothing; the rest is control-path.
 */
public final class CountersFile implements AutoCloseable
{
    /** How often {@link #heartbeat(long)} writes the heartbeat. */
    public static final long HEARTBEAT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_SUFFIX = 1000;
    private static final System.Logger LOG = System.getLogger("dev.switchboard.ipc.counters");

    private final CountersSnapshot.Role role;
    private final Path directory;
    private final CountersFileWriter writer;
    private final MemorySegment mapping;
    /** Where the file is now (it moves on rename); null for a file in memory only. */
    private Path path;
    private boolean closed;
    /** Writer's thread only: when the next heartbeat is due; the first call writes one (see heartbeatDue). */
    private long nextHeartbeatNs;
    private boolean heartbeatDue = true;

    private CountersFile(
        final CountersSnapshot.Role role,
        final Path directory,
        final Path path,
        final MemorySegment mapping,
        final CountersFileWriter writer)
    {
        this.role = role;
        this.directory = directory;
        this.path = path;
        this.mapping = mapping;
        this.writer = writer;
    }

    /**
     * Create this process's counters file for the fixed counters ({@link CounterIds}).
     *
     * @param shmDir the shm dir ({@code IpcContext.shmDir()}); its {@code counters} directory is created 0700.
     * @param role   what this process is.
     * @param name   its name (the router's runtime dir name, an agent's name, {@code "pid-N"} before it has one).
     * @return the file, registered with {@link ProcessCountersFiles}.
     * @throws UncheckedIOException when it cannot be created (a {@link RefusedFileException} as cause: a symbolic
     *                              link, a foreign directory, no space); nothing is left behind.
     */
    public static CountersFile create(final Path shmDir, final CountersSnapshot.Role role, final String name)
    {
        return create(shmDir, role, name, CounterIds.COUNT);
    }

    /**
     * Create this process's counters file.
     *
     * @param shmDir          the shm dir.
     * @param role            what this process is.
     * @param name            its name.
     * @param counterCapacity counters the file holds.
     * @return the file, registered with {@link ProcessCountersFiles}.
     * @throws UncheckedIOException when it cannot be created; nothing is left behind.
     */
    public static CountersFile create(
        final Path shmDir, final CountersSnapshot.Role role, final String name, final int counterCapacity)
    {
        final OwnedFiles files = OwnedFiles.processDefault();
        final int length = CountersFileDescriptor.fileLength(counterCapacity);
        final Path dir;
        try
        {
            dir = files.createDirectories(shmDir.resolve(CountersFileDescriptor.DIRECTORY));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the counters directory in " + shmDir + ": " + ex.getMessage(),
                ex);
        }
        Path file = null;
        try
        {
            final MemorySegment mapping;
            FileChannel channel = null;
            try
            {
                for (int suffix = 1; channel == null; suffix++)
                {
                    file = OwnedFiles.resolveInside(dir, fileName(role, name, suffix));
                    try
                    {
                        channel = files.createNew(file);
                    }
                    catch (final FileAlreadyExistsException ex)
                    {
                        file = null;
                        if (suffix >= MAX_SUFFIX)
                        {
                            throw ex;
                        }
                    }
                }
                OwnedFiles.zeroFill(file, channel, length, "a counters file");
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, Arena.ofAuto());
            }
            finally
            {
                if (channel != null)
                {
                    channel.close();
                }
            }
            final CountersFileWriter writer = CountersFileWriter.initialise(mapping, role, name, counterCapacity);
            return ProcessCountersFiles.register(new CountersFile(role, dir, file, mapping, writer));
        }
        catch (final IOException ex)
        {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot create the counters file " + (file == null ? dir : file) + ": " +
                ex.getMessage(), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            deleteQuietly(file);
            throw ex;
        }
    }

    /**
     * A counters file in this process's memory only, laid out the same, for when the shared one cannot be created:
     * counting goes on, nobody else sees it.
     *
     * @param role            what this process is.
     * @param name            its name.
     * @param counterCapacity counters it holds.
     * @return the in-memory file ({@link #path()} null), registered with {@link ProcessCountersFiles}.
     */
    public static CountersFile inMemory(final CountersSnapshot.Role role, final String name, final int counterCapacity)
    {
        final MemorySegment memory =
            Arena.ofAuto().allocate(CountersFileDescriptor.fileLength(counterCapacity), 4096);
        final CountersFileWriter writer = CountersFileWriter.initialise(memory, role, name, counterCapacity);
        return ProcessCountersFiles.register(new CountersFile(role, null, null, memory, writer));
    }

    /**
     * @return the writer: counters, histograms, the error log.
     */
    public CountersFileWriter writer()
    {
        return writer;
    }

    /**
     * @return the whole mapping (for tests and layout checks).
     */
    public MemorySegment mapping()
    {
        return mapping;
    }

    /**
     * @return the metadata section as a buffer, for Agrona's {@code CountersManager} (a router's
     * {@code SwitchboardCounters}).
     */
    public ByteBuffer metadataBuffer()
    {
        return writer.metadata().asByteBuffer();
    }

    /**
     * @return the values section as a buffer, for Agrona's {@code CountersManager}.
     */
    public ByteBuffer valuesBuffer()
    {
        return writer.values().asByteBuffer();
    }

    /**
     * @return what this process is.
     */
    public CountersSnapshot.Role role()
    {
        return role;
    }

    /**
     * @return where the file is now, or null for a file in memory only.
     */
    public synchronized Path path()
    {
        return path;
    }

    /**
     * Write the heartbeat if a second has passed since the last one: a comparison, and a clock read and a release
     * store once a second. Hot-path safe: no allocation, no lock, no system call.
     *
     * @param nowNs now, on the caller's nano clock.
     */
    public void heartbeat(final long nowNs)
    {
        if (heartbeatDue || nowNs - nextHeartbeatNs >= 0)
        {
            heartbeatDue = false;
            nextHeartbeatNs = nowNs + HEARTBEAT_INTERVAL_NS;
            writer.heartbeat(System.currentTimeMillis());
        }
    }

    /**
     * The process learned its name: write it in the header and move the file to its new name
     * ({@code <role>-<name>-<pid>.counters}; a suffix if that is taken). A file that cannot be moved keeps its old
     * name, logged; readers see the new name in its header either way. Control path.
     *
     * @param name the new name.
     */
    public synchronized void rename(final String name)
    {
        writer.name(name);
        if (path == null || closed)
        {
            return;
        }
        for (int suffix = 1; suffix <= MAX_SUFFIX; suffix++)
        {
            final Path target;
            try
            {
                target = OwnedFiles.resolveInside(directory, fileName(role, name, suffix));
            }
            catch (final RefusedFileException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "counters file " + path + " keeps its name: " + ex.getMessage());
                return;
            }
            if (target.equals(path))
            {
                return;
            }
            try
            {
                Files.move(path, target, LinkOption.NOFOLLOW_LINKS);
                path = target;
                return;
            }
            catch (final FileAlreadyExistsException ex)
            {
                // another file of this process has that name: try the next suffix
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "counters file " + path + " keeps its name (cannot move it to " +
                    target + ": " + ex + ")");
                return;
            }
        }
    }

    /**
     * Remove the file (the writer stops publishing; counting into its memory stays safe). Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            ProcessCountersFiles.unregister(this);
            deleteQuietly(path);
        }
    }

    /**
     * @return whether {@link #close()} was called.
     */
    public synchronized boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "CountersFile{" + role + " " + writer.name() + (path == null ? " (in memory)" : " at " + path()) + '}';
    }

    private static String fileName(final CountersSnapshot.Role role, final String name, final int suffix)
    {
        final String sanitised = InboxDescriptor.sanitiseName(name.isEmpty() ? "unnamed" : name);
        return CountersFileDescriptor.fileName(role, suffix == 1 ? sanitised : sanitised + "_" + suffix,
            ProcessHandle.current().pid());
    }

    private static void deleteQuietly(final Path file)
    {
        if (file != null)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "cannot remove counters file " + file + ": " + ex);
            }
        }
    }
}
