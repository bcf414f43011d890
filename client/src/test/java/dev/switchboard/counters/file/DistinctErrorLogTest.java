package dev.switchboard.counters.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.counters.CounterIds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistinctErrorLogTest
{
    private static final int SIZE = CountersFileDescriptor.fileLength(CounterIds.COUNT);

    @Test
    void aRepeatedErrorIsLoggedOnceWithItsCountFirstMessageAndFirstAndLastTime() throws Exception
    {
        final AtomicLong clock = new AtomicLong(1_000);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment file = arena.allocate(SIZE, 4096);
            final CountersFileWriter writer = CountersFileWriter.initialise(file, CountersSnapshot.Role.ROUTER, "sb",
                1, 0, CounterIds.COUNT, clock::get);
            final DistinctErrorLog log = writer.errors();
            for (int i = 0; i < 1000; i++)
            {
                clock.set(1_000 + i);
                log.record("tier fallback", "HIGH unavailable: attempt " + i);
            }
            log.record("file refused: SYMLINK", "a symbolic link at /dev/shm/x");

            final List<CountersSnapshot.DistinctError> errors = CountersFiles.read(Path.of("f"), file).errors();
            assertEquals(List.of(
                new CountersSnapshot.DistinctError("tier fallback", "HIGH unavailable: attempt 0", 1_000, 1_999, 1000),
                new CountersSnapshot.DistinctError("file refused: SYMLINK", "a symbolic link at /dev/shm/x", 1_999,
                    1_999, 1)), errors);
            assertEquals(2, log.kinds());
        }
    }

    @Test
    void aFullLogRefusesNewKindsButKeepsCountingKnownOnes() throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment file = arena.allocate(SIZE, 4096);
            final DistinctErrorLog log =
                CountersFileWriter.initialise(file, CountersSnapshot.Role.AGENT, "a", CounterIds.COUNT).errors();
            final String message = "x".repeat(CountersFileDescriptor.MAX_ERROR_MESSAGE_LENGTH);
            int kinds = 0;
            while (log.record("kind " + kinds, message))
            {
                kinds++;
            }
            assertTrue(kinds > 50, String.valueOf(kinds));
            assertFalse(log.record("another", message));
            assertTrue(log.record("kind 0", "again"));
            final CountersSnapshot snapshot = CountersFiles.read(Path.of("f"), file);
            assertEquals(kinds, snapshot.errors().size());
            assertEquals(2, snapshot.errors().getFirst().count());
            assertEquals(2L, file.get(java.lang.foreign.ValueLayout.JAVA_LONG,
                CountersFileDescriptor.ERRORS_DROPPED_OFFSET));
        }
    }

    @Test
    void threadsRecordingTheSameKindsAtOnceLoseNoCount() throws Exception
    {
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment file = arena.allocate(SIZE, 4096);
            final DistinctErrorLog log =
                CountersFileWriter.initialise(file, CountersSnapshot.Role.AGENT, "a", CounterIds.COUNT).errors();
            final int threads = 4;
            final int each = 20_000;
            final CountDownLatch go = new CountDownLatch(1);
            final Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                workers[t] = new Thread(() ->
                {
                    try
                    {
                        go.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    for (int i = 0; i < each; i++)
                    {
                        log.record("kind " + (i % 8), "m");
                    }
                });
                workers[t].start();
            }
            go.countDown();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            final List<CountersSnapshot.DistinctError> errors = CountersFiles.read(Path.of("f"), file).errors();
            assertEquals(8, errors.size());
            assertEquals((long)threads * each, errors.stream().mapToLong(CountersSnapshot.DistinctError::count).sum());
        }
    }
}
