package dev.switchboard.ipc.shm;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files, permissions, header checks and the sender/owner contract of an inbox, in one process (each side with
 * its own mapping).
 */
class InboxFileTest
{
    private static final int CAPACITY = 4096;
    private static final int TYPE_ID = 3;

    @TempDir
    Path tempDir;

    private Path shmDir;
    private Arena arena;
    private SegmentBuffer message;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        shmDir = tempDir.resolve("shm");
        arena = Arena.ofConfined();
        message = new SegmentBuffer(arena.allocate(64, 8));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = toClose.size() - 1; i >= 0; i--)
        {
            toClose.get(i).close();
        }
        arena.close();
    }

    @Test
    void createMakesAnOwnerOnlyFileInAnOwnerOnlyDirectory() throws Exception
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));

        assertEquals("rw-------", permissions(inbox.path()));
        assertEquals("rwx------", permissions(shmDir));
        assertEquals("rw-------", permissions(inbox.doorbellPath()));
        assertEquals(shmDir.toAbsolutePath().resolve("alpha-" + ProcessHandle.current().pid() + ".inbox"), inbox.path());
        assertEquals(InboxDescriptor.fileLength(CAPACITY), Files.size(inbox.path()));
        assertEquals(ProcessHandle.current().pid(), inbox.ownerPid());
        assertTrue(inbox.isOpen());
        assertTrue(inbox.isOwnerAlive());
    }

    @Test
    void createRefusesAnExistingFile() throws Exception
    {
        Files.createDirectories(shmDir);
        final Path existing = shmDir.resolve(InboxDescriptor.inboxFileName("alpha", ProcessHandle.current().pid()));
        Files.writeString(existing, "not yours");

        final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
            () -> InboxFile.create(shmDir, "alpha", CAPACITY));

        assertInstanceOf(FileAlreadyExistsException.class, ex.getCause());
        assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
        assertEquals("not yours", Files.readString(existing));
    }

    @Test
    void createRefusesASymbolicLinkAndLeavesItsTargetAlone() throws Exception
    {
        Files.createDirectories(shmDir);
        final Path target = tempDir.resolve("victim.txt");
        Files.writeString(target, "precious");
        final Path link = shmDir.resolve(InboxDescriptor.inboxFileName("alpha", ProcessHandle.current().pid()));
        Files.createSymbolicLink(link, target);

        assertThrows(UncheckedIOException.class, () -> InboxFile.create(shmDir, "alpha", CAPACITY));

        assertEquals("precious", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void openOfAClosedInboxFailsClearly()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        inbox.markClosed();

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> InboxFile.open(inbox.path()));

        assertTrue(ex.getMessage().contains("CLOSED"), ex.getMessage());
        assertTrue(ex.getMessage().contains(inbox.path().toString()), ex.getMessage());
    }

    @Test
    void openOfAFileThatIsNotAnInboxFailsClearly() throws Exception
    {
        Files.createDirectories(shmDir);
        final Path notInbox = shmDir.resolve("garbage-1.inbox");
        Files.write(notInbox, new byte[(int)InboxDescriptor.fileLength(CAPACITY)]);
        final Path tiny = shmDir.resolve("tiny-1.inbox");
        Files.writeString(tiny, "hello");

        final IllegalStateException badMagic = assertThrows(IllegalStateException.class, () -> InboxFile.open(notInbox));
        final IllegalStateException tooShort = assertThrows(IllegalStateException.class, () -> InboxFile.open(tiny));

        assertTrue(badMagic.getMessage().contains("bad magic"), badMagic.getMessage());
        assertTrue(tooShort.getMessage().contains("shorter than"), tooShort.getMessage());
    }

    @Test
    void openFollowsNoSymbolicLinkAndNamesAMissingFile() throws Exception
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final Path link = tempDir.resolve("link.inbox");
        Files.createSymbolicLink(link, inbox.path());

        final IllegalStateException viaLink = assertThrows(IllegalStateException.class, () -> InboxFile.open(link));
        final IllegalStateException missing = assertThrows(IllegalStateException.class,
            () -> InboxFile.open(shmDir.resolve("nobody-1.inbox")));

        assertTrue(viaLink.getMessage().contains("not a regular file"), viaLink.getMessage());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void offerToAnInboxClosedByItsOwnerReturnsNotConnected()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        assertEquals(OfferStatus.OK, sender.offer(TYPE_ID, message, 0, 8, message, 8, 0));

        inbox.close();

        assertEquals(OfferStatus.NOT_CONNECTED, sender.offer(TYPE_ID, message, 0, 8, message, 8, 0));
        assertFalse(sender.isOpen());
    }

    @Test
    void offerReturnsNotConnectedOnceTheOwnerMarksItClosedAndTheOwnerStillDrainsEveryAcceptedMessage()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        int accepted = 0;
        for (int i = 0; i < 10; i++)
        {
            message.putInt(0, i);
            if (OfferStatus.OK == sender.offer(TYPE_ID, message, 0, 4, message, 4, 0))
            {
                accepted++;
            }
        }

        inbox.markClosed();
        final int afterClose = sender.offer(TYPE_ID, message, 0, 4, message, 4, 0);
        final int[] drained = {0};
        inbox.ring().read((typeId, buffer, index, length) -> drained[0]++);

        assertEquals(10, accepted);
        assertEquals(OfferStatus.NOT_CONNECTED, afterClose);
        assertEquals(11, drained[0], "the message refused with NOT_CONNECTED is in the ring but was never promised");
    }

    @Test
    void messagesFromASenderArriveInTheOwnersRingInOrder()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        for (int i = 0; i < 100; i++)
        {
            message.putInt(0, i);
            message.putInt(4, -i);
            assertEquals(OfferStatus.OK, sender.offer(TYPE_ID, message, 0, 4, message, 4, 4));
            final int[] seen = {0};
            inbox.ring().read((typeId, buffer, index, length) ->
            {
                assertEquals(TYPE_ID, typeId);
                assertEquals(8, length);
                seen[0] = buffer.getInt(index);
                assertEquals(-seen[0], buffer.getInt(index + 4));
            });
            assertEquals(i, seen[0]);
        }
    }

    @Test
    void offerReturnsBackPressuredWhenTheInboxIsFull()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", 1024));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        int status;
        int sent = 0;
        while (OfferStatus.OK == (status = sender.offer(TYPE_ID, message, 0, 56, message, 56, 0)))
        {
            sent++;
        }

        assertEquals(OfferStatus.BACK_PRESSURED, status);
        assertEquals(1024 / 64, sent);
    }

    @Test
    void offersToAnOwnerThatIsNotParkedNeverTouchTheDoorbell()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(OfferStatus.OK, sender.offer(TYPE_ID, message, 0, 8, message, 8, 0));
            inbox.ring().read((typeId, buffer, index, length) -> { });
        }

        assertFalse(sender.ringer().isConnected());
    }

    @Test
    void offerToAParkedOwnerLowersTheFlagAndRingsOnce()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        inbox.park();

        assertTrue(sender.isParked());
        assertEquals(OfferStatus.OK, sender.offer(TYPE_ID, message, 0, 8, message, 8, 0));
        assertFalse(inbox.isParked());
        assertTrue(sender.ringer().isConnected());
    }

    @Test
    void wakeIfParkedSaysWhatItDidForEachStateOfTheParkedWord()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = owned(InboxFile.open(inbox.path()));
        assertEquals(InboxFile.WAKE_NOT_PARKED, sender.wakeIfParked(), "awake: nothing to do");
        assertFalse(sender.ringer().isConnected());

        inbox.park(InboxDescriptor.PARKED_DOORBELL);
        assertEquals(InboxFile.WAKE_DONE, sender.wakeIfParked());
        assertTrue(sender.ringer().isConnected(), "the doorbell was rung");
        assertEquals(InboxDescriptor.AWAKE, inbox.parkedState(), "the waker took the word");
        assertEquals(InboxFile.WAKE_NOT_PARKED, sender.wakeIfParked(), "only the first producer wakes");

        inbox.park(InboxDescriptor.PARKED_FUTEX);
        assertEquals(InboxDescriptor.PARKED_FUTEX, sender.parkedState());
        assertEquals(InboxFile.WAKE_DONE, sender.wakeIfParked(), "this JVM has native access: a futex wake");
        assertEquals(InboxDescriptor.AWAKE, inbox.parkedState());
    }

    @Test
    void signalCountsThenWakes()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile router = owned(InboxFile.open(inbox.path()));
        inbox.park(InboxDescriptor.PARKED_FUTEX);

        assertEquals(InboxFile.WAKE_DONE, router.signal(InboxDescriptor.CONTROL_SIGNAL_OFFSET));
        assertEquals(InboxFile.WAKE_NOT_PARKED, router.signal(InboxDescriptor.CONTROL_SIGNAL_OFFSET));
        assertEquals(2, inbox.signalValue(InboxDescriptor.CONTROL_SIGNAL_OFFSET));
        assertEquals(0, inbox.signalValue(InboxDescriptor.LINK_SIGNAL_OFFSET));
    }

    @Test
    void aRelayedWakeWakesEvenWhenTheWordWasAlreadyTaken()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile router = owned(InboxFile.open(inbox.path()));
        // The flag-less sender took the word (its CAS won) and asked for the relay: the router must still wake.
        assertEquals(InboxFile.WAKE_DONE, router.wakeOwner());
        inbox.park(InboxDescriptor.PARKED_FUTEX);
        assertEquals(InboxFile.WAKE_DONE, router.wakeOwner());
        assertEquals(InboxDescriptor.AWAKE, inbox.parkedState());
    }

    @Test
    void ownerCloseDeletesTheFileAndItsDoorbell()
    {
        final InboxFile inbox = InboxFile.create(shmDir, "alpha", CAPACITY);
        final Path file = inbox.path();
        final Path bell = inbox.doorbellPath();
        assertTrue(Files.exists(bell, LinkOption.NOFOLLOW_LINKS));

        inbox.close();
        inbox.close();

        assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(bell, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void senderCloseLeavesTheOwnersFile()
    {
        final InboxFile inbox = owned(InboxFile.create(shmDir, "alpha", CAPACITY));
        final InboxFile sender = InboxFile.open(inbox.path());

        sender.close();

        assertTrue(Files.exists(inbox.path()));
        assertTrue(inbox.isOpen());
    }

    @Test
    void agentNamesAreSanitisedOneToOne()
    {
        assertEquals("alpha-1.x_y", InboxDescriptor.sanitiseName("alpha-1.x_y"));
        assertEquals("a%2Fb%20c", InboxDescriptor.sanitiseName("a/b c"));
        assertEquals("%25", InboxDescriptor.sanitiseName("%"));
        assertEquals("%C3%A9", InboxDescriptor.sanitiseName("\u00e9"));
        assertEquals("..%2F..%2Fetc", InboxDescriptor.sanitiseName("../../etc"));
        assertThrows(IllegalArgumentException.class, () -> InboxDescriptor.sanitiseName(""));
    }

    @Test
    void longAgentNamesAreTruncatedWithAHashAndStillMakeUsableFiles()
    {
        final String longName = "\u00e9".repeat(128);
        final String other = "\u00e9".repeat(127) + "e";
        final String sanitised = InboxDescriptor.sanitiseName(longName);

        assertEquals(InboxDescriptor.TRUNCATED_NAME_PREFIX_LENGTH + 17, sanitised.length());
        assertFalse(sanitised.equals(InboxDescriptor.sanitiseName(other)));
        final InboxFile inbox = owned(InboxFile.create(shmDir, longName, CAPACITY));
        assertTrue(inbox.doorbellPath().toString().getBytes(StandardCharsets.UTF_8).length <=
            InboxDescriptor.MAX_DOORBELL_PATH_LENGTH);
        assertEquals(ProcessHandle.current().pid(),
            InboxDescriptor.pidFromFileName(inbox.doorbellPath().getFileName().toString()));
    }

    @Test
    void pidIsReadBackFromFileNames()
    {
        assertEquals(123, InboxDescriptor.pidFromFileName("a-b.c-123.inbox"));
        assertEquals(42, InboxDescriptor.pidFromFileName(InboxDescriptor.inboxFileName("x-9", 42)));
        assertEquals(-1, InboxDescriptor.pidFromFileName("nopid.inbox"));
        assertEquals(-1, InboxDescriptor.pidFromFileName("a-12x.inbox"));
    }

    private InboxFile owned(final InboxFile inbox)
    {
        toClose.add(inbox);
        return inbox;
    }

    private static String permissions(final Path path) throws Exception
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
