/**
 * Counters files: what each Switchboard process (a router, an agent process, the orchestrator) publishes about itself
 * in shared memory while it runs, as Aeron's CnC file does, for {@code ./switchboard stat} and {@code errors}, the
 * Prometheus exporter and the status page.
 *
 * <ul>
 *   <li>{@link dev.switchboard.counters.file.CountersFileDescriptor}: the layout, once, with every offset named
 *       (header, Agrona's counters metadata and values, latency histograms, a distinct error log).</li>
 *   <li>{@link dev.switchboard.counters.file.CountersFileWriter}, {@link dev.switchboard.counters.file.LatencyHistogram},
 *       {@link dev.switchboard.counters.file.DistinctErrorLog}: the writing side, over a {@code MemorySegment}
 *       (no JVM flag); the file itself is created, named, kept alive and removed by
 *       {@code dev.switchboard.ipc.counters.CountersFile} in {@code ipc-native}.</li>
 *   <li>{@link dev.switchboard.counters.file.CountersFiles}: the reader, into
 *       {@link dev.switchboard.counters.file.CountersSnapshot}s, the model the tools code against.</li>
 * </ul>
 * The package depends on {@code dev.switchboard.counters} (counter ids and values), never the other way.
 */
package dev.switchboard.counters.file;
