/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RouterConnection;

/**
 * Asks the Director agent for a strategic plan over the bus, as {@code receive --from NAME} without {@code --plan}
 * does: a request {@code {"type":"plan-request","workflowId":...,"phase":N}} to the agent registered as
 * {@code NAME}, answered {@code {"type":"plan","format":"markdown|json","text":"..."}}. Waits for the Director to
 * register, then for its answer, both within one timeout; a Director that is not there or does not answer is an
 * {@link IllegalStateException} saying which and how long was waited.
 *
 * <p>Blocking; one call per plan. The caller's thread polls the client; nothing is shared between calls.
 */
public final class DirectorPlanRequest
{
    /** The {@code type} of the request. */
    public static final String REQUEST_TYPE = "plan-request";
    /** The {@code type} of the answer. */
    public static final String ANSWER_TYPE = "plan";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A plan as the Director sent it.
     *
     * @param format   {@code markdown} or {@code json}.
     * @param text     the plan document.
     * @param director the agent that sent it.
     */
    public record Answer(String format, String text, String director)
    {
        /** Checks. */
        public Answer
        {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(director, "director");
        }
    }

    private DirectorPlanRequest()
    {
    }

    /**
     * @param connector  opens a connection to the router the Director is on.
     * @param director   the Director's agent name.
     * @param workflowId what the plan is for, sent in the request.
     * @param phase      the phase to be executed, sent in the request.
     * @param timeout    the longest to wait for the Director to register and to answer.
     * @return the plan.
     * @throws IllegalStateException when the Director does not register or answer within the timeout, or answers
     *                               something other than a plan.
     */
    public static Answer request(final Supplier<? extends RouterConnection> connector, final String director,
        final String workflowId, final int phase, final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connector.get())))
        {
            client.register("plan-receiver-" + ProcessHandle.current().pid(), "orchestration");
            long directorId;
            while ((directorId = client.agentIdOf(director)) == 0)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("no agent '" + director + "' registered on the router within " +
                        timeout.toMillis() + " ms; start it with './switchboard director --router-dir DIR' (or " +
                        "give the plan with --plan FILE)");
                }
                client.poll(message -> { });
                sleep();
            }
            final Map<String, Object> request = new LinkedHashMap<>();
            request.put("type", REQUEST_TYPE);
            request.put("workflowId", workflowId);
            request.put("phase", phase);
            final byte[] bytes = MAPPER.writeValueAsBytes(request);
            final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), bytes.length);
            buffer.putBytes(0, bytes);
            final Reply reply = new Reply();
            final long remainingNs = Math.max(1, deadlineNs - System.nanoTime());
            long id;
            while ((id = client.request(directorId, Priority.NORMAL, buffer, 0, bytes.length, remainingNs, reply)) ==
                OfferStatus.BACK_PRESSURED && System.nanoTime() < deadlineNs)
            {
                client.poll(message -> { });
            }
            if (id < 0)
            {
                throw new IllegalStateException("cannot send the plan request to '" + director + "': offer status " +
                    id);
            }
            while (!reply.done)
            {
                client.poll(message -> { });
                if (!reply.done)
                {
                    sleep();
                }
            }
            if (reply.text == null)
            {
                throw new IllegalStateException("'" + director + "' did not answer the plan request within " +
                    timeout.toMillis() + " ms");
            }
            return parse(reply.text, director);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the plan request: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * @param json     the Director's answer.
     * @param director who sent it.
     * @return the plan in it.
     * @throws IllegalStateException when it is not a {@code plan} message.
     */
    static Answer parse(final String json, final String director)
    {
        final JsonNode node;
        try
        {
            node = MAPPER.readTree(json);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("'" + director + "' answered the plan request with something that is " +
                "not JSON: " + ex.getOriginalMessage(), ex);
        }
        if (node == null || !ANSWER_TYPE.equals(node.path("type").asText()) || !node.path("text").isTextual())
        {
            throw new IllegalStateException("'" + director + "' answered the plan request with " + json +
                "; expected {\"type\":\"plan\",\"format\":\"markdown|json\",\"text\":\"...\"}");
        }
        final String format = node.path("format").asText("json");
        if (!format.equals("markdown") && !format.equals("json"))
        {
            throw new IllegalStateException("'" + director + "' sent a plan in format '" + format +
                "'; expected markdown or json");
        }
        return new Answer(format, node.path("text").asText(), director);
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(5);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Director", ex);
        }
    }

    /** The response, copied out of the flyweight on the polling thread. */
    private static final class Reply implements ResponseHandler
    {
        boolean done;
        String text;

        @Override
        public void onResponse(final long correlationId, final Message response)
        {
            text = new String(response.payloadBytes(), StandardCharsets.UTF_8);
            done = true;
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            done = true;
        }
    }
}
