/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.director;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.gates.Enforcement;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.EscalationRequest;
import dev.switchboard.orchestrator.recovery.FailureClass;

/**
 * {@link DirectorMessage}s as JSON bytes, and their translation to and from the engine's types. Unknown fields are
 * ignored (a newer Director may say more); an unknown {@code type}, or bytes that are not a Director message, read
 * as null, since the orchestrator's agent also receives messages of other protocols.
 *
 * <p>Thread-safe (the mapper is configured once, then only read). Allocates per call.
 */
public final class DirectorCodec
{
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private DirectorCodec()
    {
    }

    /**
     * @param message a message.
     * @return its JSON, UTF-8.
     */
    public static byte[] toBytes(final DirectorMessage message)
    {
        try
        {
            return MAPPER.writeValueAsBytes(message);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write " + message + " as JSON: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param message a message.
     * @return its JSON text, one line.
     */
    public static String toJson(final DirectorMessage message)
    {
        return new String(toBytes(message), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @param bytes JSON.
     * @return the message, or null when the bytes are not a Director message.
     */
    public static DirectorMessage fromBytes(final byte[] bytes)
    {
        try
        {
            return MAPPER.readValue(bytes, DirectorMessage.class);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * @param workflowId the workflow.
     * @param request    what the engine escalates.
     * @return the escalation message.
     */
    public static DirectorMessage.Escalation escalation(final String workflowId, final EscalationRequest request)
    {
        return new DirectorMessage.Escalation(workflowId, request.failure().taskId(), request.failure().errorKind(),
            FailureClass.builtIn(request.failure().errorKind()).name(), request.failure().message(),
            new ArrayList<>(new java.util.TreeSet<>(request.agentsTried())), request.reason());
    }

    /**
     * @param decision the Director's answer.
     * @return it as the engine takes it.
     * @throws IllegalArgumentException naming what is wrong: an unknown verdict, a REASSIGN without an agent.
     */
    public static DirectorDecision decision(final DirectorMessage.Decision decision)
    {
        final DirectorDecision.Verdict verdict;
        try
        {
            verdict = DirectorDecision.Verdict.valueOf(String.valueOf(decision.verdict()).strip()
                .toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("verdict '" + decision.verdict() + "' is none of " +
                List.of(DirectorDecision.Verdict.values()), ex);
        }
        return new DirectorDecision(verdict, decision.note(), verdict == DirectorDecision.Verdict.REASSIGN ?
            decision.agent() : "");
    }

    /**
     * @param decision a decision.
     * @return it as a message.
     */
    public static DirectorMessage.Decision decision(final DirectorDecision decision)
    {
        return new DirectorMessage.Decision(decision.verdict().name(), decision.note(), decision.agent());
    }

    /**
     * @param timestampMs the logical time of the event.
     * @param guidance    what the Director sent.
     * @return the engine's input.
     * @throws IllegalArgumentException naming what is wrong: an unknown enforcement, an override without a reason, a
     *                                  negative limit.
     */
    public static WorkflowEvent.DirectorGuidance guidance(final long timestampMs,
        final DirectorMessage.Guidance guidance)
    {
        final List<WorkflowEvent.GateOverride> overrides = new ArrayList<>();
        for (final DirectorMessage.GateOverride override : guidance.gateOverrides())
        {
            final Enforcement enforcement;
            try
            {
                enforcement = Enforcement.valueOf(String.valueOf(override.enforcement()).strip()
                    .toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("gate override of '" + override.gate() + "': enforcement '" +
                    override.enforcement() + "' is neither WARNING nor BLOCKING", ex);
            }
            overrides.add(new WorkflowEvent.GateOverride(override.gate(), enforcement, override.reason()));
        }
        return new WorkflowEvent.DirectorGuidance(timestampMs, guidance.priorities(),
            guidance.resourceLimits().get("maxParallelTasks"), guidance.parallelExecution(), overrides,
            guidance.riskNotes());
    }
}
