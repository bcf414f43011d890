/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.codecs.fuzz;

import dev.switchboard.codecs.FrameError;
import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.WireLimits;

import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.DeregisterDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.JoinGroupDecoder;
import dev.switchboard.codecs.sbe.LeaveGroupDecoder;
import dev.switchboard.codecs.sbe.LookupDecoder;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.RegisterDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.SubscribeDecoder;
import dev.switchboard.codecs.sbe.TaskAssignDecoder;
import dev.switchboard.codecs.sbe.TaskProgressDecoder;
import dev.switchboard.codecs.sbe.TaskResultDecoder;
import dev.switchboard.codecs.sbe.UnsubscribeDecoder;
import dev.switchboard.codecs.sbe.WakeDecoder;
import dev.switchboard.codecs.sbe.DirectFrameDecoder;
import dev.switchboard.codecs.sbe.LinkExpectDecoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LinkListenDecoder;
import dev.switchboard.codecs.sbe.LinkRequestDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

/**
 * What must hold for any byte string handed to {@link FrameValidator#validate}: the fuzz oracle shared by the seeded
 * generator's test ({@code FrameValidatorFuzzTest}), the Jazzer target ({@code FrameValidatorJazzerTest}) and the fuzz
 * campaign's codecs target ({@code ./switchboard fuzz}).
 * <ul>
 *     <li>no exception escapes {@code validate};</li>
 *     <li>a rejection returns a {@link FrameError} code, increments exactly that error's counter by one (and no other),
 *     and {@link FrameValidator#lastErrorText()} describes it;</li>
 *     <li>an acceptance counts nothing, and the generated decoder of that template then reads every field, group and
 *     var-data field of the frame ({@code appendTo}, which also maps every enum) without an exception, ending exactly
 *     at the frame's end. The frame sits alone in a buffer of its own length, so any read past it throws.</li>
 * </ul>
 * A violation throws {@link Violation} naming the frame. Thread-safety: one instance per thread.
 * Allocation: a buffer wrapper per input (a fuzzer's oracle, not a hot path).
 */
public final class FrameOracle
{
    /** Smaller than {@link WireLimits#MAX_FRAME_LENGTH} so that "too large" is reachable with small inputs. */
    public static final int MAX_FRAME_LENGTH = 64 * 1024;

    /**
     * A property of the validator or of a generated decoder that did not hold for an input: a bug to fix, never an
     * expected outcome. Its message names what broke and the frame in hex.
     */
    public static final class Violation extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Violation(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    private static final FrameError[] ERRORS = FrameError.values();

    private final FrameRejections rejections = new FrameRejections();
    private final FrameValidator validator = new FrameValidator(MAX_FRAME_LENGTH, rejections);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final StringBuilder text = new StringBuilder(1024);
    private final long[] before = new long[ERRORS.length];
    private final long[] acceptedByTemplate = new long[64];
    private long accepted;

    private final EnvelopeDecoder envelope = new EnvelopeDecoder();
    private final RegisterDecoder register = new RegisterDecoder();
    private final RegisteredDecoder registered = new RegisteredDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final DeregisterDecoder deregister = new DeregisterDecoder();
    private final SubscribeDecoder subscribe = new SubscribeDecoder();
    private final UnsubscribeDecoder unsubscribe = new UnsubscribeDecoder();
    private final JoinGroupDecoder joinGroup = new JoinGroupDecoder();
    private final LeaveGroupDecoder leaveGroup = new LeaveGroupDecoder();
    private final LookupDecoder lookup = new LookupDecoder();
    private final LookupResultDecoder lookupResult = new LookupResultDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final AgentEventDecoder agentEvent = new AgentEventDecoder();
    private final ChallengeDecoder challenge = new ChallengeDecoder();
    private final WakeDecoder wake = new WakeDecoder();
    private final DirectFrameDecoder directFrame = new DirectFrameDecoder();
    private final LinkListenDecoder linkListen = new LinkListenDecoder();
    private final LinkRequestDecoder linkRequest = new LinkRequestDecoder();
    private final LinkGrantDecoder linkGrant = new LinkGrantDecoder();
    private final LinkExpectDecoder linkExpect = new LinkExpectDecoder();
    private final dev.switchboard.codecs.sbe.PeerHeartbeatDecoder peerHeartbeat =
        new dev.switchboard.codecs.sbe.PeerHeartbeatDecoder();
    private final dev.switchboard.codecs.sbe.PeerAgentDecoder peerAgent = new dev.switchboard.codecs.sbe.PeerAgentDecoder();
    private final dev.switchboard.codecs.sbe.BridgedFrameDecoder bridgedFrame =
        new dev.switchboard.codecs.sbe.BridgedFrameDecoder();
    private final dev.switchboard.codecs.sbe.PeerMembershipDecoder peerMembership =
        new dev.switchboard.codecs.sbe.PeerMembershipDecoder();
    private final dev.switchboard.codecs.sbe.LowShipDecoder lowShip = new dev.switchboard.codecs.sbe.LowShipDecoder();
    private final dev.switchboard.codecs.sbe.LowConfirmDecoder lowConfirm =
        new dev.switchboard.codecs.sbe.LowConfirmDecoder();
    private final dev.switchboard.codecs.sbe.PeerConsumerDecoder peerConsumer =
        new dev.switchboard.codecs.sbe.PeerConsumerDecoder();
    private final dev.switchboard.codecs.sbe.PeerWorkAckDecoder peerWorkAck =
        new dev.switchboard.codecs.sbe.PeerWorkAckDecoder();
    private final TaskAssignDecoder taskAssign = new TaskAssignDecoder();
    private final TaskProgressDecoder taskProgress = new TaskProgressDecoder();
    private final TaskResultDecoder taskResult = new TaskResultDecoder();

    /**
     * An oracle with a validator of its own (frames of at most {@link #MAX_FRAME_LENGTH} bytes) and its own counters.
     */
    public FrameOracle()
    {
    }

    /**
     * Check one input.
     *
     * @param frame the whole frame, as a transport would delimit it.
     * @return the validator's result: a template id, or a {@link FrameError#code()}.
     * @throws Violation if a property above does not hold.
     */
    public int check(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        for (int i = 0; i < ERRORS.length; i++)
        {
            before[i] = rejections.count(ERRORS[i]);
        }

        final int result;
        try
        {
            result = validator.validate(buffer, 0, frame.length);
        }
        catch (final RuntimeException ex)
        {
            throw fail("validate threw " + ex, frame, ex);
        }

        if (result > 0)
        {
            checkAccepted(buffer, frame, result);
        }
        else
        {
            checkRejected(frame, result);
        }

        return result;
    }

    /**
     * @return the rejection counters of this oracle's validator.
     */
    public FrameRejections rejections()
    {
        return rejections;
    }

    /**
     * @return frames accepted so far.
     */
    public long accepted()
    {
        return accepted;
    }

    /**
     * @param templateId a template id.
     * @return frames of that template accepted so far.
     */
    public long accepted(final int templateId)
    {
        return acceptedByTemplate[templateId];
    }

    private void checkAccepted(final UnsafeBuffer buffer, final byte[] frame, final int templateId)
    {
        for (int i = 0; i < ERRORS.length; i++)
        {
            if (rejections.count(ERRORS[i]) != before[i])
            {
                throw fail("accepted (template " + templateId + ") but counted " + ERRORS[i], frame, null);
            }
        }
        if (null != validator.lastError())
        {
            throw fail("accepted but lastError is " + validator.lastError(), frame, null);
        }

        header.wrap(buffer, 0);
        final MessageDecoderFlyweight decoder = decoderFor(templateId);
        if (null == decoder)
        {
            throw fail("accepted template " + templateId + " that the oracle has no decoder for", frame, null);
        }

        final int decodedLength;
        try
        {
            text.setLength(0);
            wrap(decoder, buffer, header.blockLength(), header.version());
            appendTo(decoder, text);
            wrap(decoder, buffer, header.blockLength(), header.version());
            decodedLength = decodedLength(decoder);
        }
        catch (final RuntimeException ex)
        {
            throw fail("accepted but the generated decoder failed: " + ex, frame, ex);
        }

        if (MessageHeaderDecoder.ENCODED_LENGTH + decodedLength != frame.length)
        {
            throw fail("accepted but the decoder read " + (MessageHeaderDecoder.ENCODED_LENGTH + decodedLength) +
                " bytes of a " + frame.length + "-byte frame", frame, null);
        }

        accepted++;
        acceptedByTemplate[templateId]++;
    }

    private void checkRejected(final byte[] frame, final int result)
    {
        final FrameError expected;
        try
        {
            expected = FrameError.ofCode(result);
        }
        catch (final IllegalArgumentException ex)
        {
            throw fail("validate returned " + result + ", neither a template id nor a FrameError code", frame, ex);
        }

        for (int i = 0; i < ERRORS.length; i++)
        {
            final long delta = rejections.count(ERRORS[i]) - before[i];
            final long wanted = ERRORS[i] == expected ? 1 : 0;
            if (delta != wanted)
            {
                throw fail("rejected as " + expected + " but " + ERRORS[i] + " counted " + delta + " times",
                    frame, null);
            }
        }
        if (expected != validator.lastError())
        {
            throw fail("rejected as " + expected + " but lastError is " + validator.lastError(), frame, null);
        }

        text.setLength(0);
        validator.describeLastError(text);
        if (text.length() < "frame rejected: ".length() || text.indexOf("frame rejected") != 0)
        {
            throw fail("rejection text is '" + text + "'", frame, null);
        }
    }

    private MessageDecoderFlyweight decoderFor(final int templateId)
    {
        return switch (templateId)
        {
            case EnvelopeDecoder.TEMPLATE_ID -> envelope;
            case RegisterDecoder.TEMPLATE_ID -> register;
            case RegisteredDecoder.TEMPLATE_ID -> registered;
            case HeartbeatDecoder.TEMPLATE_ID -> heartbeat;
            case DeregisterDecoder.TEMPLATE_ID -> deregister;
            case SubscribeDecoder.TEMPLATE_ID -> subscribe;
            case UnsubscribeDecoder.TEMPLATE_ID -> unsubscribe;
            case JoinGroupDecoder.TEMPLATE_ID -> joinGroup;
            case LeaveGroupDecoder.TEMPLATE_ID -> leaveGroup;
            case LookupDecoder.TEMPLATE_ID -> lookup;
            case LookupResultDecoder.TEMPLATE_ID -> lookupResult;
            case ErrorDecoder.TEMPLATE_ID -> error;
            case AckDecoder.TEMPLATE_ID -> ack;
            case AgentEventDecoder.TEMPLATE_ID -> agentEvent;
            case ChallengeDecoder.TEMPLATE_ID -> challenge;
            case WakeDecoder.TEMPLATE_ID -> wake;
            case DirectFrameDecoder.TEMPLATE_ID -> directFrame;
            case LinkListenDecoder.TEMPLATE_ID -> linkListen;
            case LinkRequestDecoder.TEMPLATE_ID -> linkRequest;
            case LinkGrantDecoder.TEMPLATE_ID -> linkGrant;
            case LinkExpectDecoder.TEMPLATE_ID -> linkExpect;
            case TaskAssignDecoder.TEMPLATE_ID -> taskAssign;
            case TaskProgressDecoder.TEMPLATE_ID -> taskProgress;
            case TaskResultDecoder.TEMPLATE_ID -> taskResult;
            case dev.switchboard.codecs.sbe.PeerHeartbeatDecoder.TEMPLATE_ID -> peerHeartbeat;
            case dev.switchboard.codecs.sbe.PeerAgentDecoder.TEMPLATE_ID -> peerAgent;
            case dev.switchboard.codecs.sbe.BridgedFrameDecoder.TEMPLATE_ID -> bridgedFrame;
            case dev.switchboard.codecs.sbe.PeerMembershipDecoder.TEMPLATE_ID -> peerMembership;
            case dev.switchboard.codecs.sbe.LowShipDecoder.TEMPLATE_ID -> lowShip;
            case dev.switchboard.codecs.sbe.LowConfirmDecoder.TEMPLATE_ID -> lowConfirm;
            case dev.switchboard.codecs.sbe.PeerConsumerDecoder.TEMPLATE_ID -> peerConsumer;
            case dev.switchboard.codecs.sbe.PeerWorkAckDecoder.TEMPLATE_ID -> peerWorkAck;
            default -> null;
        };
    }

    private static void wrap(
        final MessageDecoderFlyweight decoder, final UnsafeBuffer buffer, final int blockLength, final int version)
    {
        decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
    }

    private static void appendTo(final MessageDecoderFlyweight decoder, final StringBuilder builder)
    {
        decoder.appendTo(builder);
    }

    private static int decodedLength(final MessageDecoderFlyweight decoder)
    {
        return decoder.sbeDecodedLength();
    }

    private static Violation fail(final String what, final byte[] frame, final Throwable cause)
    {
        return new Violation(what + "; frame (" + frame.length + " bytes) = " + hex(frame), cause);
    }

    /**
     * @param frame bytes.
     * @return the first 512 bytes in hex, with "..." when there are more.
     */
    public static String hex(final byte[] frame)
    {
        final StringBuilder builder = new StringBuilder(Math.min(frame.length, 512) * 2 + 8);
        for (int i = 0; i < Math.min(frame.length, 512); i++)
        {
            builder.append(Character.forDigit((frame[i] >> 4) & 0xF, 16)).append(Character.forDigit(frame[i] & 0xF, 16));
        }
        return frame.length > 512 ? builder.append("...").toString() : builder.toString();
    }
}
