/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@link WorkflowEvent}s as one line of JSON each, tagged with their type:
 * {@code {"type":"TaskAssigned","timestampMs":60000,"taskId":"design","agentName":"ada","attempt":1}}.
 * Readable with {@code less}, and tolerant of nothing: an unknown type or field is an error naming it.
 *
 * <p>Thread-safe (the mapper is configured once, then only read).
 */
public final class EventCodec
{
    static final ObjectMapper MAPPER = new ObjectMapper()
        // Records are read and written through their components; boolean helpers such as isInput() are not data.
        .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private EventCodec()
    {
    }

    /**
     * @param event an event.
     * @return its JSON text, one line.
     */
    public static String toJson(final WorkflowEvent event)
    {
        try
        {
            return MAPPER.writeValueAsString(event);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("cannot write " + event + " as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @param json the text {@link #toJson} wrote.
     * @return the event.
     * @throws IllegalArgumentException naming the problem and quoting the text.
     */
    public static WorkflowEvent fromJson(final String json)
    {
        try
        {
            return MAPPER.readValue(json, WorkflowEvent.class);
        }
        catch (final JsonProcessingException | RuntimeException ex)
        {
            throw new IllegalArgumentException("not a workflow event: " + ex.getMessage() + " in: " + json, ex);
        }
    }
}
