/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnedFilesTest
{
    /** A uid no test runs as ("nobody" on Debian). */
    static final int OTHER_UID = 65534;

    @TempDir
    Path dir;

    private final OwnedFiles files = OwnedFiles.ownerOnly();

    @Test
    void createNewMakesAnOwnerOnlyFileAndCreateDirectoriesOwnerOnlyDirectories() throws Exception
    {
        final Path nested = files.createDirectories(dir.resolve("a/b"));
        try (FileChannel ignored = files.createNew(nested.resolve("f")))
        {
            assertEquals("rw-------", mode(nested.resolve("f")));
        }
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(nested));
    }

    @Test
    void createNewRefusesASymbolicLinkAndLeavesItsTargetUntouched() throws Exception
    {
        final Path target = Files.writeString(dir.resolve("target"), "precious");
        final Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        final long before = OwnedFiles.refusals(FileRefusal.SYMLINK);

        final RefusedFileException ex = assertThrows(RefusedFileException.class, () -> files.createNew(link));

        assertEquals(FileRefusal.SYMLINK, ex.reason());
        assertTrue(ex.getMessage().contains(link.toString()), ex.getMessage());
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.SYMLINK));
        assertEquals("precious", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void createNewRefusesAnExistingFileWithoutTruncatingIt() throws Exception
    {
        final Path existing = Files.writeString(dir.resolve("existing"), "someone else's");

        assertThrows(FileAlreadyExistsException.class, () -> files.createNew(existing));

        assertEquals("someone else's", Files.readString(existing));
    }

    @Test
    void anExistingDirectoryOthersCanWriteIsRefusedAndKeepsItsMode() throws Exception
    {
        final Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        final long before = OwnedFiles.refusals(FileRefusal.FOREIGN);

        final RefusedFileException ex = assertThrows(RefusedFileException.class, () -> files.createDirectories(open));

        assertEquals(FileRefusal.FOREIGN, ex.reason());
        assertTrue(ex.getMessage().contains("777"), ex.getMessage());
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.FOREIGN));
        assertEquals("rwxrwxrwx", mode(open));
    }

    @Test
    void aSymbolicLinkWhereADirectoryShouldBeIsRefused() throws Exception
    {
        final Path real = Files.createDirectory(dir.resolve("real"));
        final Path link = Files.createSymbolicLink(dir.resolve("shm"), real);

        final RefusedFileException ex = assertThrows(RefusedFileException.class, () -> files.createDirectories(link));

        assertEquals(FileRefusal.SYMLINK, ex.reason());
    }

    @Test
    void aFileOfAnotherUserIsRefusedForReuse() throws Exception
    {
        assumeRoot();
        final Path foreign = Files.writeString(dir.resolve("foreign"), "theirs");
        Files.setAttribute(foreign, "unix:uid", OTHER_UID);
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-------"));

        final RefusedFileException ex = assertThrows(RefusedFileException.class, () -> files.checkOurs(foreign));

        assertEquals(FileRefusal.FOREIGN, ex.reason());
        assertTrue(ex.getMessage().contains("uid " + OTHER_UID), ex.getMessage());
        assertThrows(RefusedFileException.class, () -> files.restrictExisting(foreign));
        assertEquals("theirs", Files.readString(foreign));
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception
    {
        assumeRoot();
        final Path foreign = Files.createDirectory(dir.resolve("foreign"));
        Files.setAttribute(foreign, "unix:uid", OTHER_UID);

        final RefusedFileException ex = assertThrows(RefusedFileException.class, () -> files.createDirectories(foreign));

        assertEquals(FileRefusal.FOREIGN, ex.reason());
    }

    @Test
    void namesThatWouldLeaveTheRootAreRefused()
    {
        final long before = OwnedFiles.refusals(FileRefusal.OUTSIDE_ROOT);
        for (final String name : new String[]{"", ".", "..", "../x", "a/b", "/etc/passwd", "x\0y"})
        {
            final RefusedFileException ex =
                assertThrows(RefusedFileException.class, () -> OwnedFiles.resolveInside(dir, name), name);
            assertEquals(FileRefusal.OUTSIDE_ROOT, ex.reason());
        }
        assertEquals(before + 7, OwnedFiles.refusals(FileRefusal.OUTSIDE_ROOT));
        assertThrows(RefusedFileException.class, () -> OwnedFiles.requireInside(dir, dir.resolve("a/../../x")));
        assertThrows(RefusedFileException.class, () -> OwnedFiles.requireInside(dir, dir));
        assertThrows(RefusedFileException.class, () -> OwnedFiles.requireInside(dir.resolve("shm"), dir.resolve("shm2/x")));
    }

    @Test
    void aSingleNameResolvesDirectlyInsideTheRoot() throws Exception
    {
        assertEquals(dir.toAbsolutePath().resolve("..inbox"), OwnedFiles.resolveInside(dir, "..inbox"));
        assertEquals(dir.toAbsolutePath().resolve("a/b"), OwnedFiles.requireInside(dir, dir.resolve("a/./b")));
    }

    @Test
    void aConfiguredGroupGivesFiles0660AndDirectories0770OfThatGroup() throws Exception
    {
        assumeRoot();
        final OwnedFiles shared = OwnedFiles.withGroup("daemon");
        final Path sub = shared.createDirectories(dir.resolve("shared"));
        try (FileChannel ignored = shared.createNew(sub.resolve("f")))
        {
            assertEquals("rw-rw----", mode(sub.resolve("f")));
        }
        assertEquals("rwxrwx---", mode(sub));
        assertEquals("daemon", Files.readAttributes(sub.resolve("f"),
            java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group().getName());

        // A file of another user but of the shared group is usable; the same file is foreign to owner-only.
        Files.setAttribute(sub.resolve("f"), "unix:uid", OTHER_UID);
        shared.checkOurs(sub.resolve("f"));
        assertThrows(RefusedFileException.class, () -> files.checkOurs(sub.resolve("f")));
        // Group-writable is fine for the shared group, not for owner-only.
        assertThrows(RefusedFileException.class, () -> files.checkDirectory(sub));
    }

    @Test
    void anUnknownGroupIsAClearConfigurationError()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> OwnedFiles.withGroup("no-such-group-sb"));
        assertTrue(ex.getMessage().contains(OwnedFiles.GROUP_PROP) && ex.getMessage().contains("no-such-group-sb"),
            ex.getMessage());
        assertFalse(OwnedFiles.ownerOnly().toString().contains("group"));
    }

    static void assumeRoot()
    {
        Assumptions.assumeTrue(OwnedFiles.uid() == 0, "skipped: needs root to give a file to another user");
    }

    static String mode(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
