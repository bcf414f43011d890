package dev.switchboard.counters.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.LocalCounters;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.SwitchboardCounters;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer lays a counters file out as {@link CountersFileDescriptor} says: Agrona reads its counters, the reader
 * reads back everything written, and the flag-free metadata is byte for byte what Agrona's CountersManager writes.
 */
class CountersFileWriterTest
{
    private static final int SIZE = CountersFileDescriptor.fileLength(CounterIds.COUNT);
    private static final Path FILE = Path.of("agent-Testbed-1.counters");

    @Test
    void agronaCountersReaderReadsTheFlagFreeMetadataAndValues()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final CountersFileWriter writer = agentFile(arena.allocate(SIZE, 4096));
            final int sent = CounterIds.of(Tier.CRITICAL, Pattern.SEND, CounterKind.SENT);
            writer.counters().add(sent, 41);
            writer.counters().increment(sent);
            writer.counters().add(CounterIds.of(RouterCounter.TIER_FALLBACKS), 3);

            final CountersReader agrona = new CountersReader(
                new UnsafeBuffer(writer.metadata().address(), (int)writer.metadata().byteSize()),
                new UnsafeBuffer(writer.values().address(), (int)writer.values().byteSize()));
            final List<String> labels = new ArrayList<>();
            agrona.forEach((counterId, typeId, keyBuffer, label) ->
            {
                labels.add(label);
                assertEquals(CounterIds.typeId(counterId), typeId, label);
                assertEquals(CounterIds.key(counterId)[0], keyBuffer.getInt(0), label);
            });
            assertEquals(CounterIds.COUNT, labels.size());
            assertEquals(CounterIds.label(sent), agrona.getCounterLabel(sent));
            assertEquals(42, agrona.getCounterValue(sent));
            assertEquals(3, agrona.getCounterValue(CounterIds.of(RouterCounter.TIER_FALLBACKS)));
            assertEquals(CounterIds.label(CounterIds.COUNT - 1), labels.getLast());
        }
    }

    @Test
    void flagFreeMetadataIsWhatAgronasCountersManagerWrites()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final CountersFileWriter agent = agentFile(arena.allocate(SIZE, 4096));
            final CountersFileWriter router = CountersFileWriter.initialise(arena.allocate(SIZE, 4096),
                CountersSnapshot.Role.ROUTER, "sb", CounterIds.COUNT);
            new SwitchboardCounters(router.metadata().asByteBuffer(), router.values().asByteBuffer());
            assertArrayEquals(router.metadata().toArray(ValueLayout.JAVA_BYTE),
                agent.metadata().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void theReaderReadsBackHeaderCountersHistogramsAndErrors() throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment file = arena.allocate(SIZE, 4096);
            final long pid = ProcessHandle.current().pid();
            final CountersFileWriter writer = CountersFileWriter.initialise(file, CountersSnapshot.Role.AGENT,
                "pid-" + pid, pid, CountersFileWriter.processStartTimeMs(ProcessHandle.current()), CounterIds.COUNT,
                () -> 1_000L).defineFixedCounters();
            final LocalCounters local = new LocalCounters();
            final int delivered = CounterIds.of(Tier.NORMAL, Pattern.REQUEST, CounterKind.DELIVERED);
            local.increment(delivered);
            local.increment(delivered);
            local.flushTo(writer.counters());
            final LatencyHistogram rtt = writer.histogram("request_response_ns");
            rtt.record(100);
            rtt.record(100);
            rtt.record(5_000);
            assertSame(rtt, writer.histogram("request_response_ns"));
            writer.errors().record("inbox corrupt records", "first");
            writer.errors().record("inbox corrupt records", "second");
            writer.heartbeat(2_000L);
            writer.name("Testbed");

            final CountersSnapshot snapshot = CountersFiles.read(FILE, file);
            assertEquals(CountersSnapshot.Role.AGENT, snapshot.role());
            assertEquals("Testbed", snapshot.name());
            assertEquals(pid, snapshot.pid());
            assertEquals(1_000L, snapshot.startMs());
            assertEquals(2_000L, snapshot.heartbeatMs());
            assertTrue(snapshot.alive(), "this process writes it");
            assertEquals(CounterIds.COUNT, snapshot.counters().size());
            final CountersSnapshot.Counter counter = snapshot.counters().get(delivered);
            assertEquals(new CountersSnapshot.Counter(delivered, CounterIds.TYPE_TIER_PATTERN,
                "DELIVERED tier=NORMAL pattern=REQUEST", 2), counter);

            assertEquals(1, snapshot.histograms().size());
            final CountersSnapshot.Histogram h = snapshot.histograms().getFirst();
            assertEquals("request_response_ns", h.name());
            assertEquals(5_200, h.sumNs());
            assertEquals(2, h.counts()[CountersFileDescriptor.histogramBucket(100)]);
            assertEquals(1, h.counts()[CountersFileDescriptor.histogramBucket(5_000)]);
            assertEquals(Long.MAX_VALUE, h.upperBoundsNs()[h.upperBoundsNs().length - 1]);

            assertEquals(List.of(new CountersSnapshot.DistinctError("inbox corrupt records", "first", 1_000L,
                1_000L, 2)), snapshot.errors());
        }
    }

    @Test
    void aLongNameIsCutAtACharacterBoundaryAndEveryHistogramSlotCanBeTaken() throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment file = arena.allocate(SIZE, 4096);
            final CountersFileWriter writer = agentFile(file);
            writer.name("é".repeat(1000));
            assertEquals("é".repeat(CountersFileDescriptor.MAX_NAME_LENGTH / 2), CountersFiles.read(FILE, file).name());
            writer.name("short");
            assertEquals("short", CountersFiles.read(FILE, file).name());
            for (int i = 0; i < CountersFileDescriptor.HISTOGRAM_SLOTS; i++)
            {
                writer.histogram("h" + i).record(i);
            }
            assertNull(writer.histogram("one-too-many"));
            assertEquals(CountersFileDescriptor.HISTOGRAM_SLOTS, CountersFiles.read(FILE, file).histograms().size());
        }
    }

    static CountersFileWriter agentFile(final MemorySegment file)
    {
        return CountersFileWriter.initialise(file, CountersSnapshot.Role.AGENT, "Testbed", CounterIds.COUNT)
            .defineFixedCounters();
    }
}
