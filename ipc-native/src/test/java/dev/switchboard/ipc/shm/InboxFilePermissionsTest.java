/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.shm;

import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.ipc.files.Tmpfs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file rules for CRITICAL inboxes, with real files: planted links and foreign files are refused and left
 * untouched, names cannot leave the shm dir, and a full shm file system fails the creation cleanly.
 */
class InboxFilePermissionsTest
{
    private static final int CAPACITY = 4096;
    private static final int OTHER_UID = 65534;

    @TempDir
    Path tempDir;

    private Path inboxPath(final Path shmDir, final String name)
    {
        return shmDir.toAbsolutePath().resolve(InboxDescriptor.inboxFileName(name, ProcessHandle.current().pid()));
    }

    @Test
    void aSymbolicLinkPlantedAtTheInboxPathIsRefusedAndItsTargetUntouched() throws Exception
    {
        final Path shmDir = Files.createDirectory(tempDir.resolve("shm"), ownerOnlyDir());
        final byte[] precious = "not an inbox, not yours to truncate".getBytes();
        final Path target = Files.write(tempDir.resolve("target"), precious);
        Files.createSymbolicLink(inboxPath(shmDir, "alpha"), target);
        final long before = OwnedFiles.refusals(FileRefusal.SYMLINK);

        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> InboxFile.create(shmDir, "alpha", CAPACITY));

        final RefusedFileException cause = assertInstanceOf(RefusedFileException.class, ex.getCause());
        assertEquals(FileRefusal.SYMLINK, cause.reason());
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.SYMLINK));
        assertArrayEquals(precious, Files.readAllBytes(target));
        assertTrue(Files.isSymbolicLink(inboxPath(shmDir, "alpha")), "the link itself is not removed either");
    }

    @Test
    void aForeignFileAtTheInboxPathIsRefusedAndNotTruncated() throws Exception
    {
        final Path shmDir = Files.createDirectory(tempDir.resolve("shm"), ownerOnlyDir());
        final byte[] theirs = "someone else's data".getBytes();
        final Path planted = Files.write(inboxPath(shmDir, "alpha"), theirs);

        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> InboxFile.create(shmDir, "alpha", CAPACITY));

        assertInstanceOf(FileAlreadyExistsException.class, ex.getCause());
        assertArrayEquals(theirs, Files.readAllBytes(planted));
    }

    @Test
    void anInboxOfAnotherUserIsNeverMappedBySenders() throws Exception
    {
        Assumptions.assumeTrue(OwnedFiles.uid() == 0, "skipped: needs root to give a file to another user");
        final Path shmDir = tempDir.resolve("shm");
        try (InboxFile owner = InboxFile.create(shmDir, "alpha", CAPACITY))
        {
            Files.setAttribute(owner.path(), "unix:uid", OTHER_UID);
            final long before = OwnedFiles.refusals(FileRefusal.FOREIGN);

            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> InboxFile.open(owner.path()));

            assertTrue(ex.getMessage().contains("uid " + OTHER_UID), ex.getMessage());
            assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.FOREIGN));
            Files.setAttribute(owner.path(), "unix:uid", OwnedFiles.uid());
        }
    }

    @Test
    void aShmDirThatIsASymbolicLinkIsRefused() throws Exception
    {
        final Path real = Files.createDirectory(tempDir.resolve("elsewhere"), ownerOnlyDir());
        final Path shmDir = Files.createSymbolicLink(tempDir.resolve("shm"), real);

        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> InboxFile.create(shmDir, "alpha", CAPACITY));

        assertEquals(FileRefusal.SYMLINK, assertInstanceOf(RefusedFileException.class, ex.getCause()).reason());
        try (Stream<Path> left = Files.list(real))
        {
            assertEquals(0, left.count(), "nothing created through the link");
        }
    }

    @Test
    void aShmDirOthersCanWriteIsRefused() throws Exception
    {
        final Path shmDir = Files.createDirectory(tempDir.resolve("shm"));
        Files.setPosixFilePermissions(shmDir, PosixFilePermissions.fromString("rwxrwxrwx"));

        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> InboxFile.create(shmDir, "alpha", CAPACITY));

        assertEquals(FileRefusal.FOREIGN, assertInstanceOf(RefusedFileException.class, ex.getCause()).reason());
    }

    @Test
    void anAgentNameWithDotDotSlashStaysInsideTheShmDir() throws Exception
    {
        final Path shmDir = tempDir.resolve("shm");
        try (InboxFile inbox = InboxFile.create(shmDir, "../../etc/passwd", CAPACITY))
        {
            assertEquals(shmDir.toAbsolutePath(), inbox.path().getParent());
            assertEquals(shmDir.toAbsolutePath(), inbox.doorbellPath().getParent());
            assertTrue(inbox.path().getFileName().toString().startsWith("..%2F..%2Fetc%2Fpasswd-"), inbox.path().toString());
        }
        try (Stream<Path> left = Files.list(tempDir))
        {
            assertEquals(1, left.count(), "only the shm dir in its parent");
        }
    }

    @Test
    void theStaleInboxCleanerLeavesAFileOfAnotherUserAlone() throws Exception
    {
        Assumptions.assumeTrue(OwnedFiles.uid() == 0, "skipped: needs root to give a file to another user");
        final Path shmDir = Files.createDirectory(tempDir.resolve("shm"), ownerOnlyDir());
        // An invalid header from a dead pid: the cleaner would remove it if it were ours.
        final Path theirs = Files.write(shmDir.resolve("x-999999999.inbox"), new byte[16]);
        Files.setAttribute(theirs, "unix:uid", OTHER_UID);
        final long before = OwnedFiles.refusals(FileRefusal.FOREIGN);

        assertEquals(0, StaleInboxCleaner.clean(shmDir));

        assertTrue(Files.exists(theirs, LinkOption.NOFOLLOW_LINKS));
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.FOREIGN));
    }

    @Test
    void aFullShmFileSystemFailsTheCreateCleanlyWithNoSpace() throws Exception
    {
        try (Tmpfs tmpfs = Tmpfs.mountOrSkip(tempDir.resolve("mnt"), 256 * 1024))
        {
            final Path shmDir = tmpfs.dir().resolve("shm");
            final long before = OwnedFiles.refusals(FileRefusal.NO_SPACE);

            final UncheckedIOException ex =
                assertThrows(UncheckedIOException.class, () -> InboxFile.create(shmDir, "alpha", 1024 * 1024));

            final RefusedFileException cause = assertInstanceOf(RefusedFileException.class, ex.getCause());
            assertEquals(FileRefusal.NO_SPACE, cause.reason());
            assertTrue(ex.getMessage().contains("no space"), ex.getMessage());
            assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.NO_SPACE));
            try (Stream<Path> left = Files.list(shmDir))
            {
                assertEquals(0, left.count(), "nothing left behind");
            }
            // A ring that fits still works on the same file system.
            try (InboxFile small = InboxFile.create(shmDir, "beta", CAPACITY))
            {
                assertTrue(small.isOpen());
            }
        }
    }

    private static java.nio.file.attribute.FileAttribute<?> ownerOnlyDir()
    {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }
}
