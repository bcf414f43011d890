package dev.switchboard.counters.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.counters.CounterIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader never throws for one bad file: files being created, damaged, truncated (before or while mapped),
 * removed, or written by a dead process are each skipped with a reason or reported not alive.
 */
class CountersFilesTest
{
    private static final int SIZE = CountersFileDescriptor.fileLength(CounterIds.COUNT);

    @TempDir
    Path shm;

    @Test
    void scanReadsEveryFileAndSaysWhyItSkippedTheOthers() throws Exception
    {
        final Path dir = Files.createDirectories(CountersFiles.directory(shm));
        try (Arena arena = Arena.ofShared())
        {
            final CountersFileWriter router = write(arena, dir.resolve("router-sb-1.counters"),
                CountersSnapshot.Role.ROUTER, "sb");
            router.counters().add(3, 7);
            write(arena, dir.resolve("agent-Testbed-2.counters"), CountersSnapshot.Role.AGENT, "Testbed");
            Files.write(dir.resolve("agent-short-3.counters"), new byte[100]);
            Files.write(dir.resolve("agent-creating-4.counters"), new byte[SIZE]);
            final byte[] garbage = new byte[SIZE];
            java.util.Arrays.fill(garbage, (byte)0x5A);
            Files.write(dir.resolve("agent-garbage-5.counters"), garbage);
            Files.writeString(dir.resolve("not-a-counters-file.txt"), "ignored");

            final CountersFiles.Scan scan = CountersFiles.scan(shm);
            assertEquals(List.of("sb", "Testbed"), scan.snapshots().stream().map(CountersSnapshot::name).toList());
            assertEquals(7, scan.snapshots().getFirst().counters().get(3).value());
            assertEquals(3, scan.skipped().size(), scan.skipped().toString());
            assertTrue(reason(scan, "agent-short-3").contains("shorter than a header"), scan.toString());
            assertTrue(reason(scan, "agent-creating-4").contains("being created"), scan.toString());
            assertTrue(reason(scan, "agent-garbage-5").contains("not a counters file"), scan.toString());
            assertEquals(2, CountersFiles.readAll(shm).size());
        }
    }

    @Test
    void aShmDirWithoutCountersIsEmpty()
    {
        assertEquals(List.of(), CountersFiles.readAll(shm));
        assertEquals(List.of(), CountersFiles.readAll(shm.resolve("missing")));
    }

    @Test
    void aFileShorterThanItsHeaderSaysIsReportedTruncated() throws Exception
    {
        final Path dir = Files.createDirectories(CountersFiles.directory(shm));
        final Path file = dir.resolve("agent-cut-1.counters");
        try (Arena arena = Arena.ofShared())
        {
            write(arena, file, CountersSnapshot.Role.AGENT, "cut");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(SIZE / 2);
        }
        final IOException ex = assertThrows(IOException.class, () -> CountersFiles.read(file));
        assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
        assertEquals(1, CountersFiles.scan(shm).skipped().size());
    }

    @Test
    void aFileTruncatedByAnotherProcessWhileMappedIsReportedNotThrown() throws Exception
    {
        final Path dir = Files.createDirectories(CountersFiles.directory(shm));
        final Path file = dir.resolve("agent-victim-1.counters");
        try (Arena arena = Arena.ofShared())
        {
            write(arena, file, CountersSnapshot.Role.AGENT, "victim").errors().record("k", "m");
        }
        try (Arena arena = Arena.ofConfined();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            assertEquals(1, CountersFiles.read(file, mapping).errors().size());
            truncateInAnotherProcess(file, 0);
            final IOException ex = assertThrows(IOException.class, () ->
            {
                for (int i = 0; i < 1000; i++)
                {
                    CountersFiles.read(file, mapping);
                }
            });
            assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
        }
        assertEquals(1, CountersFiles.scan(shm).skipped().size());
    }

    @Test
    void aFileOfADeadProcessOrOfAReusedPidIsNotAlive() throws Exception
    {
        final Process dead = new ProcessBuilder("true").start();
        assertTrue(dead.waitFor(10, TimeUnit.SECONDS));
        final long self = ProcessHandle.current().pid();
        final long start = CountersFileWriter.processStartTimeMs(ProcessHandle.current());
        assertFalse(CountersFiles.isAlive(dead.pid(), 0));
        assertTrue(CountersFiles.isAlive(self, start));
        assertTrue(CountersFiles.isAlive(self, 0));
        assertFalse(CountersFiles.isAlive(self, start - 10_000), "a pid reused by a process started later");

        final Path dir = Files.createDirectories(CountersFiles.directory(shm));
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment file = map(arena, dir.resolve("agent-gone-" + dead.pid() + ".counters"));
            CountersFileWriter.initialise(file, CountersSnapshot.Role.AGENT, "gone", dead.pid(), 12345,
                CounterIds.COUNT, System::currentTimeMillis);
        }
        final CountersSnapshot snapshot = CountersFiles.readAll(shm).getFirst();
        assertEquals("gone", snapshot.name());
        assertFalse(snapshot.alive());
    }

    private static void truncateInAnotherProcess(final Path file, final long length) throws Exception
    {
        final Process truncate = new ProcessBuilder("truncate", "-s", String.valueOf(length), file.toString())
            .inheritIO().start();
        assertTrue(truncate.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, truncate.exitValue());
    }

    private static String reason(final CountersFiles.Scan scan, final String prefix)
    {
        return scan.skipped().stream().filter(s -> s.file().getFileName().toString().startsWith(prefix))
            .findFirst().orElseThrow().reason();
    }

    private static CountersFileWriter write(
        final Arena arena, final Path file, final CountersSnapshot.Role role, final String name) throws IOException
    {
        return CountersFileWriter.initialise(map(arena, file), role, name, CounterIds.COUNT).defineFixedCounters();
    }

    private static MemorySegment map(final Arena arena, final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(SIZE));
            final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
            assertEquals(0, mapping.get(ValueLayout.JAVA_INT, 0));
            return mapping;
        }
    }
}
