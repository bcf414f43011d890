/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.director;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.orchestrator.engine.GateState;
import dev.switchboard.orchestrator.engine.Progress;
import dev.switchboard.orchestrator.engine.ProgressReport;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.recovery.DirectorDecision;
import dev.switchboard.orchestrator.recovery.EscalationRequest;
import dev.switchboard.transport.OfferStatus;

/**
 * The orchestrator's side of a Director that is an agent on the bus. {@link #escalate} asks the Director (a
 * request, answered by a {@code decision}) and returns at once: the answer, or the default decision once
 * {@link #timeout()} passes without one, comes out of {@link #pollDecided()} after a later {@code poll} of the
 * client. A Director that is not registered, or a request the router refuses, gets the default at once; every
 * default decision says in its note that it is the default and why. Reports go to topic {@value #REPORT_TOPIC};
 * requests are sent to the Director by name, with no answer awaited.
 *
 * <p>Thread-safety: not thread-safe; the run loop's thread calls every method and polls the client, which calls the
 * response handler on that thread. Allocation: per message.
 */
public final class BusDirector
{
    /** The topic reports are published on. */
    public static final String REPORT_TOPIC = "director";
    /** The name a Director registers under unless told otherwise. */
    public static final String DEFAULT_NAME = "Director";
    /** Kind of request sent when tasks wait for a capable free agent. */
    public static final String RESOURCES = "RESOURCES";
    /** Kind of request recorded when the Director decides REPLAN. */
    public static final String REPLAN = "REPLAN";
    /** Kind of request sent when the workflow fails. */
    public static final String EMERGENCY = "EMERGENCY";
    /**
     * Kind of request sent when a phase's blocking gate failed and no remediation is left: the Director may exempt it
     * (guidance with a gate override) before the escalation that follows is decided.
     */
    public static final String GATE_EXEMPTION = "GATE_EXEMPTION";

    /** How long a message to the Director may stay back-pressured before it counts as not sent. */
    private static final long BACK_PRESSURE_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final Duration timeout;
    private final DirectorDecision.Verdict defaultVerdict;
    private final ArrayDeque<Decided> decided = new ArrayDeque<>();
    private final Map<Long, String> asked = new HashMap<>();
    private final ResponseHandler answers = new ResponseHandler()
    {
        @Override
        public void onResponse(final long correlationId, final Message response)
        {
            final String taskId = asked.remove(correlationId);
            if (taskId != null)
            {
                decided.addLast(new Decided(taskId, decisionOf(response.payloadBytes())));
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            final String taskId = asked.remove(correlationId);
            if (taskId != null)
            {
                decided.addLast(new Decided(taskId, defaultDecision("the Director '" + name +
                    "' did not answer within " + timeout.toSeconds() + " s")));
            }
        }
    };

    /**
     * A task's decision, ready to be fed to the engine.
     *
     * @param taskId   the escalated task.
     * @param decision the Director's, or the default.
     */
    public record Decided(String taskId, DirectorDecision decision)
    {
    }

    /**
     * @param name           the Director's agent name.
     * @param timeout        how long to wait for a decision.
     * @param defaultVerdict RETRY, SKIP or ABORT: the decision when none comes.
     */
    public BusDirector(final String name, final Duration timeout, final DirectorDecision.Verdict defaultVerdict)
    {
        this.name = Objects.requireNonNull(name, "name");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.defaultVerdict = Objects.requireNonNull(defaultVerdict, "defaultVerdict");
        if (timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("the Director's timeout must be above zero, was " + timeout);
        }
        if (defaultVerdict == DirectorDecision.Verdict.REASSIGN || defaultVerdict == DirectorDecision.Verdict.REPLAN)
        {
            throw new IllegalArgumentException("the default decision is RETRY, SKIP or ABORT, not " + defaultVerdict);
        }
    }

    /**
     * @param text {@code retry}, {@code skip} or {@code abort}, any case.
     * @return the verdict.
     * @throws IllegalArgumentException for anything else.
     */
    public static DirectorDecision.Verdict defaultVerdict(final String text)
    {
        return switch (text.strip().toLowerCase(Locale.ROOT))
        {
            case "retry" -> DirectorDecision.Verdict.RETRY;
            case "skip" -> DirectorDecision.Verdict.SKIP;
            case "abort" -> DirectorDecision.Verdict.ABORT;
            default -> throw new IllegalArgumentException("'" + text + "' is none of retry, skip or abort");
        };
    }

    /** @return the Director's agent name. */
    public String name()
    {
        return name;
    }

    /** @return how long an escalation waits for a decision. */
    public Duration timeout()
    {
        return timeout;
    }

    /**
     * @param why why there is no decision from the Director.
     * @return the default decision, its note saying it is the default and why.
     */
    public DirectorDecision defaultDecision(final String why)
    {
        return new DirectorDecision(defaultVerdict, "the default decision (" + defaultVerdict + "): " + why);
    }

    /**
     * Asks the Director about a task without waiting for the answer.
     *
     * @param client     the orchestrator's client.
     * @param workflowId the workflow.
     * @param request    what the engine escalates.
     */
    public void escalate(final SwitchboardClient client, final String workflowId, final EscalationRequest request)
    {
        final String taskId = request.failure().taskId();
        final AgentInfo director = client.lookup(name);
        if (director == null)
        {
            decided.addLast(new Decided(taskId, defaultDecision("no agent '" + name + "' is registered")));
            return;
        }
        final byte[] bytes = DirectorCodec.toBytes(DirectorCodec.escalation(workflowId, request));
        final SegmentBuffer payload = buffer(bytes);
        final long giveUpNs = System.nanoTime() + BACK_PRESSURE_NS;
        long correlationId;
        while ((correlationId = client.request(director.agentId(), Priority.NORMAL, payload, 0, bytes.length,
            timeout.toNanos(), answers)) == OfferStatus.BACK_PRESSURED && System.nanoTime() < giveUpNs)
        {
            client.keepAlive(); // a new destination is being resolved, or the lane is full for a moment
            Thread.onSpinWait();
        }
        if (correlationId < 0)
        {
            decided.addLast(new Decided(taskId, defaultDecision("the escalation could not be sent to '" + name +
                "' (" + OfferStatus.name(correlationId) + ")")));
            return;
        }
        asked.put(correlationId, taskId);
    }

    /** @return the next decision to feed the engine, or null. */
    public Decided pollDecided()
    {
        return decided.pollFirst();
    }

    /** @return escalations asked and not yet answered. */
    public int waiting()
    {
        return asked.size();
    }

    /**
     * @param client the orchestrator's client.
     * @param report the report.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus}.
     */
    public int publish(final SwitchboardClient client, final DirectorMessage.Report report)
    {
        final byte[] bytes = DirectorCodec.toBytes(report);
        return client.publish(NameIds.of(REPORT_TOPIC), Priority.NORMAL, buffer(bytes), 0, bytes.length);
    }

    /**
     * Sends the Director a request; no answer is awaited (it may answer with guidance).
     *
     * @param client  the orchestrator's client.
     * @param request the request.
     * @return {@link OfferStatus#OK} or a negative {@link OfferStatus} (NOT_CONNECTED when no Director is
     *         registered).
     */
    public int send(final SwitchboardClient client, final DirectorMessage.Request request)
    {
        final AgentInfo director = client.lookup(name);
        if (director == null)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final byte[] bytes = DirectorCodec.toBytes(request);
        final SegmentBuffer payload = buffer(bytes);
        final long giveUpNs = System.nanoTime() + BACK_PRESSURE_NS;
        int status;
        while ((status = client.send(director.agentId(), Priority.NORMAL, payload, 0, bytes.length)) ==
            OfferStatus.BACK_PRESSURED && System.nanoTime() < giveUpNs)
        {
            client.keepAlive();
            Thread.onSpinWait();
        }
        return status;
    }

    /**
     * @param workflowId the workflow.
     * @param progress   where it stands.
     * @param overrides  the Director's gate overrides in force.
     * @param riskNotes  the Director's risk notes.
     * @return the report: BLOCKED when nothing runs and something is blocked; FAILING once a gate failed.
     */
    public static DirectorMessage.Report report(final String workflowId, final Progress progress,
        final Collection<WorkflowEvent.GateOverride> overrides, final List<String> riskNotes)
    {
        final String status = switch (progress.status())
        {
            case COMPLETED -> "COMPLETED";
            case FAILED -> "FAILED";
            default -> progress.agentsActive().isEmpty() && !progress.blocked().isEmpty() ? "BLOCKED" :
                "IN_PROGRESS";
        };
        final boolean failing = !progress.failedGates().isEmpty() ||
            progress.gates().containsValue(GateState.FAILED);
        final ProgressReport plain = ProgressReport.of(progress);
        final List<String> blockers = new ArrayList<>();
        final Set<String> needs = new TreeSet<>();
        for (final Progress.BlockedTask blocked : progress.blocked())
        {
            blockers.add(blocked.taskId() + " " + blocked.cause() + ": " + blocked.detail());
            if (blocked.cause() == Progress.Cause.NO_AGENT)
            {
                needs.add("an agent with capability '" + blocked.capability() + "'");
            }
        }
        final List<String> issues = new ArrayList<>();
        progress.failedGates().forEach((phase, summary) -> issues.add("phase " + phase + " failed its quality " +
            "gates: " + summary.replace('\n', ';')));
        for (final WorkflowEvent.GateOverride override : overrides)
        {
            issues.add("gate " + override.gate() + " is " + override.enforcement() + " by the Director's override: " +
                override.reason());
        }
        riskNotes.forEach(note -> issues.add("risk: " + note));
        return new DirectorMessage.Report(workflowId, status, plain.progress(), progress.currentPhase(),
            progress.agentsActive(), failing ? "FAILING" : "PASSING", blockers, plain.estimatedCompletion(),
            new ArrayList<>(needs), issues, plain.recommendations());
    }

    private DirectorDecision decisionOf(final byte[] bytes)
    {
        final DirectorMessage message = DirectorCodec.fromBytes(bytes);
        if (!(message instanceof DirectorMessage.Decision decision))
        {
            return defaultDecision("the Director's answer was not a decision: " +
                new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        try
        {
            return DirectorCodec.decision(decision);
        }
        catch (final IllegalArgumentException ex)
        {
            return defaultDecision("the Director's decision was not valid: " + ex.getMessage());
        }
    }

    /** A copy in native memory: Agrona's UnsafeBuffer would need {@code --add-exports}. */
    static SegmentBuffer buffer(final byte[] bytes)
    {
        final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), Math.max(1, bytes.length));
        buffer.putBytes(0, bytes);
        return buffer;
    }
}
