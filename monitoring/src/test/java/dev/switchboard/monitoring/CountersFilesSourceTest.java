/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.file.CountersFileDescriptor;
import dev.switchboard.counters.file.CountersFileWriter;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exporter on real counters files, written by the counters file writer as a running process writes them. */
class CountersFilesSourceTest
{
    private static final int SIZE = CountersFileDescriptor.fileLength(CounterIds.COUNT);

    @TempDir
    Path shm;

    @Test
    void aScrapeReadsTheFilesAsTheyAreNow() throws Exception
    {
        final Path dir = Files.createDirectories(CountersFiles.directory(shm));
        try (Arena arena = Arena.ofShared();
            MonitoringServer server = MonitoringServer.builder(new MonitoringContext().port(MonitoringContext.ANY_PORT)
                .shmDir(shm)).counters(CountersSource.files(shm)).start())
        {
            final CountersFileWriter agent = CountersFileWriter.initialise(map(arena, dir.resolve("agent.counters")),
                CountersSnapshot.Role.AGENT, "alpha", CounterIds.COUNT).defineFixedCounters();
            final long pid = ProcessHandle.current().pid();
            final String labels = "name=\"alpha\",pattern=\"SEND\",pid=\"" + pid + "\",role=\"agent\",tier=\"CRITICAL\"";
            agent.counters().add(CounterIds.of(Tier.CRITICAL, Pattern.SEND, CounterKind.SENT), 5);
            assertTrue(Http.get(server, "/metrics").body().contains("switchboard_messages_total{kind=\"sent\"," +
                labels + "} 5.0"));

            agent.counters().add(CounterIds.of(Tier.CRITICAL, Pattern.SEND, CounterKind.SENT), 3);
            agent.histogram("request_response_ns").record(1_500);
            agent.errors().record("inbox corrupt record", "length -1");
            final String body = Http.get(server, "/metrics").body();
            assertTrue(body.contains("switchboard_messages_total{kind=\"sent\"," + labels + "} 8.0"), body);
            assertTrue(body.contains("switchboard_latency_seconds_count{histogram=\"request_response\",name=\"alpha\"," +
                "pid=\"" + pid + "\",role=\"agent\"} 1"), body);
            assertTrue(body.contains("switchboard_errors_total{kind=\"inbox corrupt record\",name=\"alpha\",pid=\"" +
                pid + "\",role=\"agent\"} 1.0"), body);
            assertTrue(body.contains("switchboard_up{name=\"alpha\",pid=\"" + pid + "\",role=\"agent\"} 1.0"), body);
        }
    }

    @Test
    void noCountersDirectoryIsNoProcessNotAFailure()
    {
        assertEquals(List.of(), CountersSource.files(shm.resolve("missing")).read());
    }

    private static MemorySegment map(final Arena arena, final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(SIZE));
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        }
    }
}
