/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file rules for LOW queues, with real Chronicle queues: owner-only modes on every file Chronicle makes,
 * planted links and foreign files refused (the sender gets REJECTED and an error), reuse of our own queue
 * after a restart unaffected.
 */
class DurableQueueFilesTest
{
    private static final String AGENT = "receiver";
    private static final int OTHER_UID = 65534;

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void everyFileAndDirectoryOfAQueueIsOwnerOnlyAndReopeningOurOwnQueueWorks() throws Exception
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("data")).rollCycle("TEST_SECONDLY");
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add);
            DurableInbox ignored = new DurableInbox(queues, AGENT, "reader", errors::add))
        {
            assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, 0));
            Thread.sleep(1100); // the next append rolls to a new cycle file, acquired later by Chronicle
            assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, 1));
            assertEventuallyOwnerOnly(queues.queuePath(AGENT));
        }
        // A restart reuses the queue: ours, valid, owner-only.
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, 2), errors::toString);
        }
        assertEquals("rwx------", mode(queues.dataDir()));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void aSymbolicLinkPlantedInAQueueDirIsRefusedAndItsTargetUntouched() throws Exception
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("data"));
        final Path queueDir = queues.queuePath(AGENT);
        Files.createDirectories(queueDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final byte[] precious = "precious".getBytes();
        final Path target = Files.write(dir.resolve("target"), precious);
        Files.createSymbolicLink(queueDir.resolve("metadata.cq4t"), target);
        final long before = OwnedFiles.refusals(FileRefusal.SYMLINK);

        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.REJECTED, new LowFrames().append(outbox, AGENT, 0));
        }

        assertEquals(1, errors.size());
        assertInstanceOf(RefusedFileException.class, errors.get(0).getCause());
        assertTrue(errors.get(0).getMessage().contains("symbolic link"), errors.get(0).getMessage());
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.SYMLINK));
        assertArrayEquals(precious, Files.readAllBytes(target));
    }

    @Test
    void aQueueDirThatIsASymbolicLinkIsRefused() throws Exception
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("data"));
        Files.createDirectories(queues.dataDir());
        final Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(queues.queuePath(AGENT), elsewhere);

        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.REJECTED, new LowFrames().append(outbox, AGENT, 0));
        }

        assertEquals(FileRefusal.SYMLINK,
            assertInstanceOf(RefusedFileException.class, errors.get(0).getCause()).reason());
        try (Stream<Path> left = Files.list(elsewhere))
        {
            assertEquals(0, left.count(), "nothing written through the link");
        }
    }

    @Test
    void aQueueFileOfAnotherUserIsRefusedNotAppendedTo() throws Exception
    {
        Assumptions.assumeTrue(OwnedFiles.uid() == 0, "skipped: needs root to give a file to another user");
        final DurableQueues queues = new DurableQueues(dir.resolve("data"));
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.OK, new LowFrames().append(outbox, AGENT, 0));
        }
        final Path metadata = queues.queuePath(AGENT).resolve("metadata.cq4t");
        Files.setAttribute(metadata, "unix:uid", OTHER_UID);
        final long before = OwnedFiles.refusals(FileRefusal.FOREIGN);

        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.REJECTED, new LowFrames().append(outbox, AGENT, 1));
        }

        assertEquals(FileRefusal.FOREIGN,
            assertInstanceOf(RefusedFileException.class, errors.get(0).getCause()).reason());
        assertTrue(errors.get(0).getMessage().contains("uid " + OTHER_UID), errors.get(0).getMessage());
        assertEquals(before + 1, OwnedFiles.refusals(FileRefusal.FOREIGN));
    }

    @Test
    void aDestinationNameWithDotDotSlashStaysInsideTheDataDir() throws Exception
    {
        final DurableQueues queues = new DurableQueues(dir.resolve("data"));
        final String name = "../../etc";
        try (DurableOutbox outbox = new DurableOutbox(queues, errors::add))
        {
            assertEquals(OfferStatus.OK, new LowFrames().append(outbox, name, 0), errors::toString);
        }
        assertEquals(queues.dataDir(), queues.queuePath(name).getParent());
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(1, left.count(), "only the data dir in its parent");
        }
    }

    private static void assertEventuallyOwnerOnly(final Path queueDir) throws Exception
    {
        assertEquals("rwx------", mode(queueDir));
        // Chronicle reports a newly acquired cycle file to its listener asynchronously.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> wrong;
        do
        {
            wrong = new ArrayList<>();
            int cq4 = 0;
            try (Stream<Path> files = Files.list(queueDir))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    cq4 += file.toString().endsWith(".cq4") ? 1 : 0;
                    if (!"rw-------".equals(mode(file)))
                    {
                        wrong.add(file.getFileName() + " " + mode(file));
                    }
                }
            }
            assertTrue(cq4 >= 2, "two cycle files expected");
            if (wrong.isEmpty())
            {
                return;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline);
        throw new AssertionError("not owner-only: " + wrong);
    }

    private static String mode(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
