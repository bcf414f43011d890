/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a JFR recording's CPU samples were: the methods most often on top of the stack in
 * {@code jdk.ExecutionSample} events (Java code running; samples taken in native code are
 * {@code jdk.NativeMethodSample} and not counted).
 *
 * <p>Stateless and thread-safe; reads the whole recording once per call.
 */
public final class JfrSummary
{
    /** The JFR event of a thread sampled while running Java code. */
    public static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    private JfrSummary()
    {
    }

    /**
     * @param jfrFile a recording ({@code .jfr}).
     * @param n       how many methods to list.
     * @return up to {@code n} entries {@code "type.method (31.2 %)"}, the share of execution samples with that
     * method on top, most frequent first (ties by name); empty when the recording has no execution samples.
     * @throws IOException when the file cannot be read as a recording.
     */
    public static List<String> topFrames(final Path jfrFile, final int n) throws IOException
    {
        final Map<String, Long> counts = new HashMap<>();
        long samples = 0;
        try (RecordingFile recording = new RecordingFile(jfrFile))
        {
            while (recording.hasMoreEvents())
            {
                final RecordedEvent event = recording.readEvent();
                if (!EXECUTION_SAMPLE.equals(event.getEventType().getName()) || null == event.getStackTrace())
                {
                    continue;
                }
                final List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty())
                {
                    continue;
                }
                final RecordedMethod method = frames.getFirst().getMethod();
                final String name = null == method ? "(unknown)" :
                    method.getType().getName() + "." + method.getName();
                counts.merge(name, 1L, Long::sum);
                samples++;
            }
        }
        final List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        final List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(n, ranked.size()); i++)
        {
            final Map.Entry<String, Long> e = ranked.get(i);
            top.add(String.format(Locale.ROOT, "%s (%.1f %%)", e.getKey(), 100.0 * e.getValue() / samples));
        }
        return List.copyOf(top);
    }
}
