package dev.switchboard.ipc.shm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.switchboard.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What dead agents leave in the shm dir is removed when the router starts; what live agents own is kept.
 */
class StaleInboxCleanerTest
{
    /** Above Linux's largest pid_max (2^22): no process has it. */
    private static final long DEAD_PID = 99_999_999L;

    @TempDir
    Path tempDir;

    @Test
    @Tag("slow")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theInboxOfAKilledOwnerIsRemovedAndALiveOwnersIsKept() throws Exception
    {
        final Path shmDir = tempDir.resolve("shm");
        try (InboxFile live = InboxFile.create(shmDir, "survivor", 4096))
        {
            final Path killedInbox;
            try (ChildJvm child = ChildJvm.start(tempDir, List.of(), InboxOwnerMain.class, shmDir.toString(), "victim"))
            {
                killedInbox = Path.of(child.readLine(Duration.ofSeconds(60)));
                assertTrue(Files.exists(killedInbox));
                child.kill(); // SIGKILL: no close, no delete
                assertFalse(child.process().isAlive());
            }
            final Path killedBell = killedInbox.resolveSibling(
                killedInbox.getFileName().toString().replace(".inbox", ".bell"));
            assertTrue(Files.exists(killedBell, LinkOption.NOFOLLOW_LINKS), "the killed owner left its doorbell");

            final int removed = StaleInboxCleaner.clean(shmDir);

            assertEquals(2, removed, "the inbox and its doorbell socket");
            assertFalse(Files.exists(killedInbox, LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(killedBell, LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(live.path()));
            assertTrue(Files.exists(live.doorbellPath(), LinkOption.NOFOLLOW_LINKS));
            assertTrue(live.isOpen());
        }
    }

    @Test
    void anInboxMarkedClosedIsRemoved()
    {
        final Path shmDir = tempDir.resolve("shm");
        try (InboxFile closing = InboxFile.create(shmDir, "leaving", 4096))
        {
            closing.markClosed();

            assertEquals(2, StaleInboxCleaner.clean(shmDir));
            assertFalse(Files.exists(closing.path()));
        }
    }

    @Test
    void aFileWithAnInvalidHeaderIsRemovedUnlessItsLiveCreatorMayStillBeWritingIt() throws Exception
    {
        final Path shmDir = Files.createDirectories(tempDir.resolve("shm"));
        final Path deadGarbage = Files.write(shmDir.resolve("x-" + DEAD_PID + ".inbox"), new byte[100]);
        final Path oldGarbage = Files.write(
            shmDir.resolve("y-" + ProcessHandle.current().pid() + ".inbox"), new byte[InboxDescriptor.HEADER_LENGTH]);
        Files.setLastModifiedTime(oldGarbage, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        final Path beingCreated = Files.write(
            shmDir.resolve("z-" + ProcessHandle.current().pid() + ".inbox"), new byte[InboxDescriptor.HEADER_LENGTH]);

        assertEquals(2, StaleInboxCleaner.clean(shmDir));

        assertFalse(Files.exists(deadGarbage));
        assertFalse(Files.exists(oldGarbage));
        assertTrue(Files.exists(beingCreated));
    }

    @Test
    void symbolicLinksAreNeitherFollowedNorRemoved() throws Exception
    {
        final Path shmDir = Files.createDirectories(tempDir.resolve("shm"));
        final Path target = Files.writeString(tempDir.resolve("target-" + DEAD_PID + ".inbox"), "not an inbox");
        final Path link = Files.createSymbolicLink(shmDir.resolve("link-" + DEAD_PID + ".inbox"), target);
        final Path bellLink = Files.createSymbolicLink(shmDir.resolve("link-" + DEAD_PID + ".bell"), target);

        assertEquals(0, StaleInboxCleaner.clean(shmDir));

        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.isSymbolicLink(bellLink));
        assertEquals("not an inbox", Files.readString(target));
    }

    @Test
    void anOrphanDoorbellOfADeadProcessIsRemoved() throws Exception
    {
        final Path shmDir = Files.createDirectories(tempDir.resolve("shm"));
        final Doorbell orphan = Doorbell.listen(shmDir.resolve("gone-" + DEAD_PID + ".bell"));
        final Path orphanPath = orphan.path();
        final Doorbell mine = Doorbell.listen(shmDir.resolve("here-" + ProcessHandle.current().pid() + ".bell"));
        try
        {
            assertEquals(1, StaleInboxCleaner.clean(shmDir));

            assertFalse(Files.exists(orphanPath, LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(mine.path(), LinkOption.NOFOLLOW_LINKS));
        }
        finally
        {
            orphan.close();
            mine.close();
        }
    }

    @Test
    void aMissingShmDirHasNothingToClean()
    {
        assertEquals(0, StaleInboxCleaner.clean(tempDir.resolve("absent")));
    }
}
