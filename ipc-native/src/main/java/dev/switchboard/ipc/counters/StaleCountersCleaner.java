package dev.switchboard.ipc.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

import dev.switchboard.counters.file.CountersFileDescriptor;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.shm.InboxDescriptor;

/**
 * Removes the counters files of processes that are gone, as {@code StaleInboxCleaner} removes their inboxes, but only
 * once they have been gone for a retention time, so that {@code ./switchboard stat} and {@code errors} still show a
 * crashed process's counters and errors for a while ({@code switchboard.counters.retain.ms}, default 60 s).
 * <ul>
 *   <li>A file with a valid header is removed when its writer is not alive (no process with its pid, or one started at
 *       another time: the pid was reused) and its last heartbeat is older than the retention.</li>
 *   <li>A file without a valid header (being created, or damaged) is removed when the pid in its name is not alive
 *       and it was last modified longer ago than {@link #CREATION_GRACE}.</li>
 * </ul>
 * Symbolic links and files of other users are never read or removed. One line is logged per removal (System.Logger
 * {@code dev.switchboard.ipc.counters}, INFO). The router runs it when it starts and every so often after
 * ({@link CountersKeeper}).
 *
 * <p>Thread-safety: stateless; concurrent cleans may both try a file, and at most one removes it. Allocation: not a
 * hot path (it reads each file's header with a system call).
 */
public final class StaleCountersCleaner
{
    /** How long a file without a valid header is given to finish being created. */
    public static final Duration CREATION_GRACE = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger("dev.switchboard.ipc.counters");

    private StaleCountersCleaner()
    {
    }

    /**
     * Remove the stale counters files of a shm dir.
     *
     * @param shmDir   the shm dir; nothing to do if it has no counters directory.
     * @param retainMs how long after its writer's last heartbeat a dead process's file is kept.
     * @return files removed.
     * @throws UncheckedIOException when the directory cannot be listed.
     */
    public static int clean(final Path shmDir, final long retainMs)
    {
        final Path dir = CountersFiles.directory(shmDir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            return 0;
        }
        int removed = 0;
        final long nowMs = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + CountersFileDescriptor.SUFFIX))
        {
            for (final Path file : files)
            {
                removed += cleanFile(file, nowMs, retainMs);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list counters dir " + dir + ": " + ex, ex);
        }
        return removed;
    }

    private static int cleanFile(final Path file, final long nowMs, final long retainMs)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() ||
                (Integer)Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) != OwnedFiles.uid())
            {
                return 0;
            }
        }
        catch (final IOException ex)
        {
            return 0; // gone meanwhile, or unreadable: nothing to clean
        }
        final ByteBuffer header = readHeader(file);
        if (header == null)
        {
            return 0;
        }
        if (header.limit() >= CountersFileDescriptor.HEADER_LENGTH &&
            header.getInt(CountersFileDescriptor.MAGIC_OFFSET) == CountersFileDescriptor.MAGIC)
        {
            final long pid = header.getLong(CountersFileDescriptor.PID_OFFSET);
            final long startMs = header.getLong(CountersFileDescriptor.PROCESS_START_TIME_OFFSET);
            final long heartbeatMs = header.getLong(CountersFileDescriptor.HEARTBEAT_OFFSET);
            if (CountersFiles.isAlive(pid, startMs) || nowMs - heartbeatMs < retainMs)
            {
                return 0;
            }
            return remove(file, "writer pid " + pid + " is not running; last heartbeat " +
                Instant.ofEpochMilli(heartbeatMs));
        }
        final long namePid = InboxDescriptor.pidFromFileName(file.getFileName().toString());
        if ((namePid > 0 && CountersFiles.isAlive(namePid, 0)) ||
            attributes.lastModifiedTime().toInstant().isAfter(Instant.ofEpochMilli(nowMs).minus(CREATION_GRACE)))
        {
            return 0;
        }
        return remove(file, "no valid header and pid " + namePid + " is not running");
    }

    private static ByteBuffer readHeader(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final ByteBuffer header =
                ByteBuffer.allocate(CountersFileDescriptor.HEADER_LENGTH).order(ByteOrder.nativeOrder());
            while (header.hasRemaining() && channel.read(header) >= 0)
            {
                // until the header is complete or the file ends
            }
            return header.flip();
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "cannot read counters file " + file + ": " + ex);
            return null;
        }
    }

    private static int remove(final Path file, final String reason)
    {
        try
        {
            if (Files.deleteIfExists(file))
            {
                LOG.log(System.Logger.Level.INFO, "removed stale counters file " + file + ": " + reason);
                return 1;
            }
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "cannot remove stale counters file " + file + " (" + reason + "): " +
                ex);
        }
        return 0;
    }
}
