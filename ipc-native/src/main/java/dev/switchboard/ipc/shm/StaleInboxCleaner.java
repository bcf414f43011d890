package dev.switchboard.ipc.shm;

import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static dev.switchboard.ipc.shm.InboxDescriptor.DOORBELL_SUFFIX;
import static dev.switchboard.ipc.shm.InboxDescriptor.HEADER_LENGTH;
import static dev.switchboard.ipc.shm.InboxDescriptor.INBOX_SUFFIX;
import static dev.switchboard.ipc.shm.InboxDescriptor.MAGIC;
import static dev.switchboard.ipc.shm.InboxDescriptor.MAGIC_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.OWNER_PID_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.OWNER_START_TIME_OFFSET;
import static dev.switchboard.ipc.shm.InboxDescriptor.STATE_CLOSED;
import static dev.switchboard.ipc.shm.InboxDescriptor.STATE_OFFSET;

/**
 * Removes what crashed (or killed) agents left in the shm dir; the router calls {@link #clean(Path)} when it
 * starts.
 * <ul>
 *   <li>An inbox file ({@code *.inbox}) is removed, with the doorbell socket its header names, when its owner
 *       process is gone (no process with the header's pid, or one whose start time differs from the header's:
 *       the pid was reused) or when its owner has closed it (state CLOSED, left by an owner that died between
 *       marking and deleting).</li>
 *   <li>An inbox file whose header is not valid (no magic, wrong version or lengths, shorter than a header) is
 *       removed unless it may still be being created: its file-name pid is alive and it is younger than
 *       {@link #CREATION_GRACE}.</li>
 *   <li>A doorbell socket ({@code *.bell}) whose file-name pid is not alive is removed (an owner that died
 *       before its inbox got a valid header).</li>
 * </ul>
 * Symbolic links are never followed and never removed, nor is a file of another user (logged, counted as
 * {@code FileRefusal.FOREIGN}), nor anything outside the shm dir: a doorbell path
 * from a header is removed only if it names an entry of the same directory. One line is logged per removal
 * (System.Logger {@code dev.switchboard.ipc.shm}, INFO).
 *
 * <p>Thread-safety: stateless; concurrent cleans of one dir may both try a file, and at most one removes it.
 * Allocation: not a hot path.
 */
public final class StaleInboxCleaner
{
    /** How long an inbox file without a valid header is given to finish being created by a live process. */
    public static final Duration CREATION_GRACE = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger("dev.switchboard.ipc.shm");
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private StaleInboxCleaner()
    {
    }

    /**
     * Remove stale inbox files and doorbell sockets from a shm dir.
     *
     * @param shmDir the dir; if it does not exist there is nothing to clean.
     * @return number of files (inboxes and sockets) removed.
     * @throws UncheckedIOException if the dir cannot be listed.
     */
    public static int clean(final Path shmDir)
    {
        if (!Files.isDirectory(shmDir, LinkOption.NOFOLLOW_LINKS))
        {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> inboxes = Files.newDirectoryStream(shmDir, "*" + INBOX_SUFFIX))
        {
            for (final Path file : inboxes)
            {
                removed += cleanInbox(shmDir, file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list shm dir " + shmDir + ": " + ex, ex);
        }

        try (DirectoryStream<Path> bells = Files.newDirectoryStream(shmDir, "*" + DOORBELL_SUFFIX))
        {
            for (final Path bell : bells)
            {
                final long pid = InboxDescriptor.pidFromFileName(bell.getFileName().toString());
                if (!isSymbolicLink(bell) && (pid < 0 || !InboxFile.isAlive(pid, 0)) && isOurs(bell))
                {
                    removed += remove(bell, "orphan doorbell socket, owner pid " + pid + " is not running");
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list shm dir " + shmDir + ": " + ex, ex);
        }
        return removed;
    }

    private static int cleanInbox(final Path shmDir, final Path file) throws IOException
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            return 0; // its owner closed it meanwhile
        }
        if (!attributes.isRegularFile() || !isOurs(file))
        {
            return 0;
        }

        final MemorySegment header = readHeader(file);
        if (null == header)
        {
            return 0;
        }
        final String problem = header.byteSize() < HEADER_LENGTH ? "shorter than a header" :
            InboxFile.checkHeader(header, attributes.size());

        if (null == problem)
        {
            final long pid = (long)LONG.get(header, (long)OWNER_PID_OFFSET);
            final long startMs = (long)LONG.get(header, (long)OWNER_START_TIME_OFFSET);
            if (InboxFile.isAlive(pid, startMs))
            {
                return 0;
            }
            return removeWithDoorbell(shmDir, file, header,
                "owner pid " + pid + " started at " + Instant.ofEpochMilli(startMs) + " is not running");
        }

        if (header.byteSize() >= HEADER_LENGTH && MAGIC == (int)INT.get(header, (long)MAGIC_OFFSET) &&
            STATE_CLOSED == (int)INT.get(header, (long)STATE_OFFSET))
        {
            return removeWithDoorbell(shmDir, file, header, "closed by its owner");
        }

        final long namePid = InboxDescriptor.pidFromFileName(file.getFileName().toString());
        if (namePid >= 0 && InboxFile.isAlive(namePid, 0) && isYoung(attributes.lastModifiedTime()))
        {
            return 0;
        }
        return remove(file, "invalid header: " + problem);
    }

    /**
     * Only files of this user are read or removed. A file of another user (with {@code switchboard.files.group},
     * a group member's inbox) is left alone, logged and counted as {@link FileRefusal#FOREIGN}: its own user's
     * router cleans it.
     */
    private static boolean isOurs(final Path file)
    {
        try
        {
            final int uid = (Integer)Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid == OwnedFiles.uid())
            {
                return true;
            }
            final RefusedFileException refused = OwnedFiles.refuse(file, FileRefusal.FOREIGN,
                "owned by uid " + uid + ", not this user (" + OwnedFiles.uid() + ")");
            LOG.log(System.Logger.Level.WARNING, "not cleaning: " + refused.getMessage());
            return false;
        }
        catch (final IOException ex)
        {
            return false; // gone meanwhile, or unreadable: nothing to clean
        }
    }

    private static MemorySegment readHeader(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            // 8-byte aligned, as the header's VarHandles require; freed by the GC (not a hot path).
            final MemorySegment header = Arena.ofAuto().allocate(HEADER_LENGTH, Long.BYTES);
            final ByteBuffer buffer = header.asByteBuffer();
            while (buffer.hasRemaining() && channel.read(buffer) >= 0)
            {
                // read until the header is complete or the file ends
            }
            return header.asSlice(0, buffer.position());
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
    }

    private static int removeWithDoorbell(
        final Path shmDir, final Path file, final MemorySegment header, final String reason)
    {
        int removed = 0;
        final int pathLength = (int)INT.get(header, (long)InboxDescriptor.DOORBELL_PATH_LENGTH_OFFSET);
        if (pathLength > 0 && pathLength <= InboxDescriptor.MAX_DOORBELL_PATH_LENGTH)
        {
            final Path bell = InboxFile.doorbellPath(header);
            final Path parent = bell.getParent();
            if (null != parent && sameDirectory(parent, shmDir) && !isSymbolicLink(bell))
            {
                removed += remove(bell, "doorbell of stale inbox " + file.getFileName());
            }
        }
        return removed + remove(file, reason);
    }

    private static int remove(final Path file, final String reason)
    {
        try
        {
            if (Files.deleteIfExists(file))
            {
                LOG.log(System.Logger.Level.INFO, "removed stale " + file + ": " + reason);
                return 1;
            }
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "cannot remove stale " + file + " (" + reason + "): " + ex);
        }
        return 0;
    }

    private static boolean sameDirectory(final Path a, final Path b)
    {
        try
        {
            return Files.isSameFile(a, b);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static boolean isSymbolicLink(final Path path)
    {
        return Files.isSymbolicLink(path);
    }

    private static boolean isYoung(final FileTime modified)
    {
        return modified.toInstant().isAfter(Instant.now().minus(CREATION_GRACE));
    }
}
