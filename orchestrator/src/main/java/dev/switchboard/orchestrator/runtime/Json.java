/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.codecs.SegmentBuffer;

/**
 * The JSON form of the runtime's messages. Thread-safe (a configured {@link ObjectMapper} is); allocates per call.
 */
final class Json
{
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json()
    {
    }

    /**
     * Round-trip one of each message an agent reads and writes (a work item, a cancel; STARTED, PROGRESS, COMPLETED and FAILED
     * reports), so that the mapper's one-time set-up for them (class loading, introspection) is done now rather than
     * on the first real message. Idempotent; cheap once done.
     *
     * @param agentName names the agent in the sample reports.
     * @throws IllegalStateException when a sample does not survive its round trip (a codec defect).
     */
    static void warmUp(final String agentName)
    {
        final WorkItem item = new WorkItem("warm-up", "warm-up", "warm-up", 1, "# warm-up", "/", "/");
        check(item, WorkItem.fromBytes(item.toBytes()));
        check(TaskCancel.of(item), TaskCancel.fromBytes(TaskCancel.of(item).toBytes()));
        for (final TaskReport report : List.of(TaskReport.started(item, agentName),
            TaskReport.progress(item, agentName, 50),
            TaskReport.of(item, agentName, TaskOutcome.success("warm-up", List.of("README.md"), List.of())),
            TaskReport.of(item, agentName, TaskOutcome.failure("WARM_UP", "warm-up"))))
        {
            check(report, TaskReport.fromBytes(report.toBytes()));
        }
    }

    private static void check(final Object sample, final Object roundTripped)
    {
        if (!sample.equals(roundTripped))
        {
            throw new IllegalStateException("JSON round trip changed " + sample + " into " + roundTripped);
        }
    }

    static byte[] write(final Object value)
    {
        try
        {
            return MAPPER.writeValueAsBytes(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write " + value + " as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @return the value, or null when the bytes are not a {@code type} (a message of another protocol).
     */
    static <T> T read(final byte[] bytes, final Class<T> type)
    {
        try
        {
            return MAPPER.readValue(bytes, type);
        }
        catch (final java.io.IOException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * @param bytes a payload.
     * @return a copy in a buffer the client can send: a {@link SegmentBuffer} over native memory, since Agrona's
     *         {@code UnsafeBuffer} would need {@code --add-exports} in agent processes.
     */
    static SegmentBuffer buffer(final byte[] bytes)
    {
        final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), Math.max(1, bytes.length));
        buffer.putBytes(0, bytes);
        return buffer;
    }

    static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
