package dev.switchboard.ipc.counters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileTest
{
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path shm;

    @Test
    void aCountersFileIsOwnerOnlyInAnOwnerOnlyDirectoryNamedByRoleNameAndPid() throws Exception
    {
        try (CountersFile file = CountersFile.create(shm, CountersSnapshot.Role.ROUTER, "sb"))
        {
            final Path path = file.path();
            assertEquals(shm.resolve("counters").resolve("router-sb-" + PID + ".counters").toAbsolutePath(), path);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
                LinkOption.NOFOLLOW_LINKS)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent(),
                LinkOption.NOFOLLOW_LINKS)));
            // A router lays its counters out with Agrona's CountersManager over the file's two sections.
            final SwitchboardCounters counters = new SwitchboardCounters(file.metadataBuffer(), file.valuesBuffer());
            counters.block().add(CounterIds.of(RouterCounter.REGISTRATIONS), 2);
            final CountersSnapshot snapshot = CountersFiles.read(path);
            assertEquals("sb", snapshot.name());
            assertEquals(CountersSnapshot.Role.ROUTER, snapshot.role());
            assertTrue(snapshot.alive());
            assertEquals(new CountersSnapshot.Counter(CounterIds.of(RouterCounter.REGISTRATIONS),
                CounterIds.TYPE_PROCESS, "registrations", 2),
                snapshot.counters().get(CounterIds.of(RouterCounter.REGISTRATIONS)));
            assertEquals(2, file.writer().counters().get(CounterIds.of(RouterCounter.REGISTRATIONS)));
        }
    }

    @Test
    void renamingMovesTheFileAndNamesTheHeaderAndCloseRemovesIt() throws Exception
    {
        final CountersFile file = CountersFile.create(shm, CountersSnapshot.Role.AGENT, "pid-" + PID);
        file.writer().defineFixedCounters();
        final Path before = file.path();
        assertEquals("agent-pid-" + PID + "-" + PID + ".counters", before.getFileName().toString());
        file.rename("Test bed/1");
        assertFalse(Files.exists(before));
        assertEquals("agent-Test%20bed%2F1-" + PID + ".counters", file.path().getFileName().toString());
        assertEquals("Test bed/1", CountersFiles.read(file.path()).name());
        file.rename("Test bed/1"); // registered again after a reconnection: stays
        assertEquals("agent-Test%20bed%2F1-" + PID + ".counters", file.path().getFileName().toString());
        file.close();
        assertEquals(List.of(), CountersFiles.readAll(shm));
        file.writer().counters().increment(0); // counting after the close stays safe
    }

    @Test
    void twoFilesOfOneProcessWithOneNameGetASuffix()
    {
        try (CountersFile first = CountersFile.create(shm, CountersSnapshot.Role.AGENT, "same");
            CountersFile second = CountersFile.create(shm, CountersSnapshot.Role.AGENT, "same");
            CountersFile third = CountersFile.create(shm, CountersSnapshot.Role.AGENT, "other"))
        {
            assertEquals("agent-same_2-" + PID + ".counters", second.path().getFileName().toString());
            third.rename("same");
            assertEquals("agent-same_3-" + PID + ".counters", third.path().getFileName().toString());
            assertEquals(3, CountersFiles.readAll(shm).size());
            assertTrue(first.path() != null);
        }
    }

    @Test
    void aSymbolicLinkAtThePathIsRefusedAndItsTargetUntouched() throws Exception
    {
        final Path dir = Files.createDirectories(shm.resolve("counters"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        final Path target = Files.writeString(shm.resolve("target"), "keep");
        Files.createSymbolicLink(dir.resolve("agent-planted-" + PID + ".counters"), target);
        // The suffix loop does not step over a link: a link at the path is a refusal, not a name taken.
        final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
            () -> CountersFile.create(shm, CountersSnapshot.Role.AGENT, "planted"));
        assertInstanceOf(RefusedFileException.class, ex.getCause());
        assertEquals(FileRefusal.SYMLINK, ((RefusedFileException)ex.getCause()).reason());
        assertEquals("keep", Files.readString(target));
    }

    @Test
    void theHeartbeatIsWrittenOnTheFirstCallThenOnceASecond() throws Exception
    {
        try (CountersFile file = CountersFile.create(shm, CountersSnapshot.Role.AGENT, "beat"))
        {
            file.writer().heartbeat(0);
            file.heartbeat(-5_000_000_000L);
            final long first = file.writer().heartbeatMs();
            assertTrue(Math.abs(System.currentTimeMillis() - first) < 5_000, String.valueOf(first));
            file.writer().heartbeat(0);
            file.heartbeat(-4_500_000_000L);
            assertEquals(0, file.writer().heartbeatMs(), "not yet a second later");
            file.heartbeat(-4_000_000_000L);
            assertTrue(file.writer().heartbeatMs() >= first, "a second later");
            assertEquals(file.writer().heartbeatMs(), CountersFiles.read(file.path()).heartbeatMs());
        }
    }

    @Test
    void aFileInMemoryCountsButIsNowhere()
    {
        try (CountersFile file = CountersFile.inMemory(CountersSnapshot.Role.AGENT, "x", CounterIds.COUNT))
        {
            assertNull(file.path());
            file.writer().counters().increment(1);
            file.rename("y");
            assertEquals(1, file.writer().counters().get(1));
        }
    }

    @Test
    void aFileRefusalIsLoggedInTheProcessCountersFile() throws Exception
    {
        try (CountersFile file = CountersFile.create(shm, CountersSnapshot.Role.ROUTER, "refusals"))
        {
            final CountersFile primary = ProcessCountersFiles.primary();
            OwnedFiles.refuse(shm.resolve("x"), FileRefusal.OUTSIDE_ROOT, "a test's refusal");
            final CountersSnapshot snapshot = CountersFiles.read(primary.path());
            assertTrue(snapshot.errors().stream().anyMatch(e -> e.kind().equals("file refused: OUTSIDE_ROOT") &&
                e.message().contains("a test's refusal")), snapshot.errors().toString());
            assertTrue(file.path() != null);
        }
    }
}
