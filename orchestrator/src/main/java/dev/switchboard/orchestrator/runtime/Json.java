/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
