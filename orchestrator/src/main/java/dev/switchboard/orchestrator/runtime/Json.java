/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;

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
