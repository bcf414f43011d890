/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.nio.file.Path;
import java.util.List;

import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;

/**
 * Where the monitoring server takes the processes' counters from: the counters files in shared memory in a running
 * system, snapshots built by hand in tests. Called at scrape time (each {@code /metrics}) and by the status sampler
 * (once a {@link MonitoringContext#sampleIntervalMs() sample interval}), never from a hot path.
 *
 * <p>Thread-safety: called from the server's threads, possibly at once; an implementation must allow that.
 */
@FunctionalInterface
public interface CountersSource
{
    /**
     * @return every process's counters as they are now, in any order; none when there is no process.
     * @throws RuntimeException when the counters cannot be read (reported as absent, never as zero).
     */
    List<CountersSnapshot> read();

    /**
     * The counters files of a shared-memory directory ({@link CountersFiles#scan}). A file being created, removed or
     * damaged is left out (it is no process's current state); a directory that cannot be listed is a failure to read,
     * not "no process".
     *
     * @param shmDir the processes' shared-memory directory ({@code IpcContext.shmDir()}).
     * @return a source that scans it at each read.
     */
    static CountersSource files(final Path shmDir)
    {
        final Path directory = CountersFiles.directory(shmDir);
        return () ->
        {
            final CountersFiles.Scan scan = CountersFiles.scan(shmDir);
            for (final CountersFiles.Skipped skipped : scan.skipped())
            {
                if (skipped.file().equals(directory))
                {
                    throw new IllegalStateException(skipped.file() + ": " + skipped.reason());
                }
            }
            return scan.snapshots();
        };
    }
}
