package dev.switchboard.ipc.counters;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.file.CountersFileDescriptor;
import dev.switchboard.counters.file.CountersFileWriter;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleCountersCleanerTest
{
    private static final int SIZE = CountersFileDescriptor.fileLength(CounterIds.COUNT);

    @TempDir
    Path shm;
    private Path dir;
    private long deadPid;

    @BeforeEach
    void setUp() throws Exception
    {
        dir = Files.createDirectories(CountersFiles.directory(shm));
        final Process dead = new ProcessBuilder("true").start();
        assertTrue(dead.waitFor(10, TimeUnit.SECONDS));
        deadPid = dead.pid();
    }

    @Test
    void aDeadProcessFileIsKeptForTheRetentionAfterItsLastHeartbeatThenRemoved() throws Exception
    {
        final long now = System.currentTimeMillis();
        final Path recent = write("agent-recent-" + deadPid + ".counters", deadPid, 1, now - 1_000);
        final Path old = write("agent-old-" + deadPid + ".counters", deadPid, 1, now - 120_000);
        assertEquals(1, StaleCountersCleaner.clean(shm, 60_000));
        assertTrue(Files.exists(recent));
        assertFalse(Files.exists(old));
        assertEquals(1, StaleCountersCleaner.clean(shm, 0));
        assertFalse(Files.exists(recent));
    }

    @Test
    void aLiveWriterIsKeptWhateverItsHeartbeatAndAReusedPidIsNot() throws Exception
    {
        final long self = ProcessHandle.current().pid();
        final long start = CountersFileWriter.processStartTimeMs(ProcessHandle.current());
        final Path live = write("agent-live-" + self + ".counters", self, start, 0);
        final Path reused = write("agent-reused-" + self + ".counters", self, start - 60_000, 0);
        assertEquals(1, StaleCountersCleaner.clean(shm, 0));
        assertTrue(Files.exists(live));
        assertFalse(Files.exists(reused));
    }

    @Test
    void aFileWithoutAValidHeaderIsRemovedOnlyWhenItsNamePidIsDeadAndItIsOld() throws Exception
    {
        final Path young = Files.write(dir.resolve("agent-young-" + deadPid + ".counters"), new byte[100]);
        final Path old = Files.write(dir.resolve("agent-old-" + deadPid + ".counters"), new byte[100]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(60)));
        final Path alive = Files.write(dir.resolve("agent-alive-" + ProcessHandle.current().pid() + ".counters"),
            new byte[100]);
        Files.setLastModifiedTime(alive, FileTime.from(Instant.now().minusSeconds(60)));
        final Path link = Files.createSymbolicLink(dir.resolve("agent-link-" + deadPid + ".counters"), old);
        assertEquals(1, StaleCountersCleaner.clean(shm, 0));
        assertTrue(Files.exists(young));
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(alive));
        assertTrue(Files.isSymbolicLink(link), "a symbolic link is never removed");
        assertEquals(List.of(), CountersFiles.readAll(shm));
    }

    @Test
    void aShmDirWithoutCountersHasNothingToClean()
    {
        assertEquals(0, StaleCountersCleaner.clean(shm.resolve("none"), 0));
    }

    private Path write(final String name, final long pid, final long processStartMs, final long heartbeatMs)
        throws IOException
    {
        final Path file = dir.resolve(name);
        try (Arena arena = Arena.ofConfined();
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(SIZE));
            final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
            CountersFileWriter.initialise(mapping, CountersSnapshot.Role.AGENT, name, pid, processStartMs,
                CounterIds.COUNT, System::currentTimeMillis).heartbeat(heartbeatMs);
        }
        return file;
    }
}
