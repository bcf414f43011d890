/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.journal;

import dev.switchboard.orchestrator.journal.ChronicleJournal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow journal follows the LOW queues' file rules: owner-only, and no symbolic link followed. */
class ChronicleJournalFilesTest
{
    @TempDir
    Path dir;

    @Test
    void theJournalDirectoryAndItsFilesAreOwnerOnly() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        try (ChronicleJournal ignored = ChronicleJournal.open(journalDir))
        {
            assertEquals("rwx------", mode(journalDir));
            try (Stream<Path> files = Files.list(journalDir))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    assertEquals("rw-------", mode(file), file.toString());
                }
            }
        }
    }

    @Test
    void aJournalDirectoryThatIsASymbolicLinkIsRefused() throws Exception
    {
        final Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        final Path link = Files.createSymbolicLink(dir.resolve("journal"), elsewhere);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ChronicleJournal.open(link));

        assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
        try (Stream<Path> left = Files.list(elsewhere))
        {
            assertEquals(0, left.count());
        }
    }

    private static String mode(final Path path) throws Exception
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
