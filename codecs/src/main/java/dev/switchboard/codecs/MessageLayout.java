package dev.switchboard.codecs;

import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.DeregisterDecoder;
import dev.switchboard.codecs.sbe.DirectFrameDecoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.JoinGroupDecoder;
import dev.switchboard.codecs.sbe.LeaveGroupDecoder;
import dev.switchboard.codecs.sbe.BridgedFrameDecoder;
import dev.switchboard.codecs.sbe.LinkExpectDecoder;
import dev.switchboard.codecs.sbe.PeerAgentDecoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatDecoder;
import dev.switchboard.codecs.sbe.PeerMembershipDecoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LinkListenDecoder;
import dev.switchboard.codecs.sbe.LinkRequestDecoder;
import dev.switchboard.codecs.sbe.LookupDecoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterDecoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.SubscribeDecoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.TaskAssignDecoder;
import dev.switchboard.codecs.sbe.TaskProgressDecoder;
import dev.switchboard.codecs.sbe.TaskResultDecoder;
import dev.switchboard.codecs.sbe.TaskStatus;
import dev.switchboard.codecs.sbe.UnsubscribeDecoder;
import dev.switchboard.codecs.sbe.WakeDecoder;

import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * What {@link FrameValidator} needs to know of each message of the schema to walk it without decoding it: the fixed
 * block, the enum fields in it, and then the repeating groups and variable-length fields in wire order.
 * <pre>
 *   message  = block(blockLength) group* varData*
 *   group    = blockLength:uint16 numInGroup:uint16 entry{numInGroup}
 *   entry    = block(group blockLength) group* varData*
 *   varData  = length:uint16 (VAR_STRING) or length:uint32 (VAR_DATA), then length bytes
 * </pre>
 * Sizes, offsets and versions are taken from the generated decoders; only the order and names of the parts are
 * written here, and {@code MessageLayoutTest} checks them against the schema XML, so a schema change that this table
 * does not follow fails the build.
 * <p>
 * Thread-safety: immutable after class initialisation. Allocation: none after class initialisation.
 */
final class MessageLayout
{
    /** How a part after the fixed block is encoded. */
    enum Kind
    {
        /** A repeating group with a 4-byte header. */
        GROUP(4),
        /** Variable-length text with a uint16 length. */
        VAR_STRING(2),
        /** Variable-length bytes with a uint32 length. */
        VAR_DATA(4);

        final int headerLength;

        Kind(final int headerLength)
        {
            this.headerLength = headerLength;
        }
    }

    /**
     * A group or variable-length field.
     *
     * @param name         path from the message, e.g. {@code agents.capabilities}.
     * @param kind         encoding.
     * @param sinceVersion schema version that added it.
     * @param entry        layout of one entry for a group, else {@code null}.
     */
    record Part(String name, Kind kind, int sinceVersion, MessageLayout entry)
    {
    }

    /**
     * An enum field of a block, with the values the schema defines (its null value excluded).
     *
     * @param name         field name.
     * @param typeName     enum type name.
     * @param offset       within the block.
     * @param length       1 or 2 bytes.
     * @param sinceVersion schema version that added it.
     * @param validValues  bit set of the valid values.
     */
    record EnumField(String name, String typeName, int offset, int length, int sinceVersion, long[] validValues)
    {
        boolean isValid(final int value)
        {
            final int word = value >>> 6;
            return word < validValues.length && 0 != (validValues[word] & (1L << value));
        }
    }

    private static final EnumField[] NO_ENUMS = {};
    private static final Part[] NO_PARTS = {};

    private static final MessageLayout[] LAYOUTS =
    {
        message("Envelope", EnvelopeDecoder.TEMPLATE_ID, EnvelopeDecoder.BLOCK_LENGTH,
            enums(
                enumField("targetKind", "TargetKind", EnvelopeDecoder.targetKindEncodingOffset(),
                    EnvelopeDecoder.targetKindEncodingLength(), EnvelopeDecoder.targetKindSinceVersion(),
                    validValues(TargetKind.values(), TargetKind::value, TargetKind.NULL_VAL)),
                enumField("pattern", "Pattern", EnvelopeDecoder.patternEncodingOffset(),
                    EnvelopeDecoder.patternEncodingLength(), EnvelopeDecoder.patternSinceVersion(),
                    validValues(Pattern.values(), Pattern::value, Pattern.NULL_VAL)),
                enumField("priority", "Priority", EnvelopeDecoder.priorityEncodingOffset(),
                    EnvelopeDecoder.priorityEncodingLength(), EnvelopeDecoder.prioritySinceVersion(),
                    validValues(Priority.values(), Priority::value, Priority.NULL_VAL))),
            varData("payload", EnvelopeDecoder.payloadSinceVersion())),

        message("DirectFrame", DirectFrameDecoder.TEMPLATE_ID, DirectFrameDecoder.BLOCK_LENGTH,
            enums(
                enumField("pattern", "Pattern", DirectFrameDecoder.patternEncodingOffset(),
                    DirectFrameDecoder.patternEncodingLength(), DirectFrameDecoder.patternSinceVersion(),
                    validValues(Pattern.values(), Pattern::value, Pattern.NULL_VAL)),
                enumField("priority", "Priority", DirectFrameDecoder.priorityEncodingOffset(),
                    DirectFrameDecoder.priorityEncodingLength(), DirectFrameDecoder.prioritySinceVersion(),
                    validValues(Priority.values(), Priority::value, Priority.NULL_VAL)))),

        message("Register", RegisterDecoder.TEMPLATE_ID, RegisterDecoder.BLOCK_LENGTH, NO_ENUMS,
            group("capabilities", RegisterDecoder.capabilitiesDecoderSinceVersion(),
                RegisterDecoder.CapabilitiesDecoder.sbeBlockLength(), NO_ENUMS,
                varString("capabilities.capability", RegisterDecoder.CapabilitiesDecoder.capabilitySinceVersion())),
            varString("name", RegisterDecoder.nameSinceVersion()),
            varData("credential", RegisterDecoder.credentialSinceVersion()),
            varString("inbox", RegisterDecoder.inboxSinceVersion())),

        message("Registered", RegisteredDecoder.TEMPLATE_ID, RegisteredDecoder.BLOCK_LENGTH, NO_ENUMS),

        message("Heartbeat", HeartbeatDecoder.TEMPLATE_ID, HeartbeatDecoder.BLOCK_LENGTH, NO_ENUMS),

        message("Deregister", DeregisterDecoder.TEMPLATE_ID, DeregisterDecoder.BLOCK_LENGTH, NO_ENUMS),

        message("Subscribe", SubscribeDecoder.TEMPLATE_ID, SubscribeDecoder.BLOCK_LENGTH,
            enums(enumField("kind", "SubscriptionKind", SubscribeDecoder.kindEncodingOffset(),
                SubscribeDecoder.kindEncodingLength(), SubscribeDecoder.kindSinceVersion(),
                validValues(SubscriptionKind.values(), SubscriptionKind::value, SubscriptionKind.NULL_VAL))),
            varString("name", SubscribeDecoder.nameSinceVersion())),

        message("Unsubscribe", UnsubscribeDecoder.TEMPLATE_ID, UnsubscribeDecoder.BLOCK_LENGTH,
            enums(enumField("kind", "SubscriptionKind", UnsubscribeDecoder.kindEncodingOffset(),
                UnsubscribeDecoder.kindEncodingLength(), UnsubscribeDecoder.kindSinceVersion(),
                validValues(SubscriptionKind.values(), SubscriptionKind::value, SubscriptionKind.NULL_VAL))),
            varString("name", UnsubscribeDecoder.nameSinceVersion())),

        message("JoinGroup", JoinGroupDecoder.TEMPLATE_ID, JoinGroupDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("name", JoinGroupDecoder.nameSinceVersion())),

        message("LeaveGroup", LeaveGroupDecoder.TEMPLATE_ID, LeaveGroupDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("name", LeaveGroupDecoder.nameSinceVersion())),

        message("Lookup", LookupDecoder.TEMPLATE_ID, LookupDecoder.BLOCK_LENGTH,
            enums(enumField("kind", "LookupKind", LookupDecoder.kindEncodingOffset(),
                LookupDecoder.kindEncodingLength(), LookupDecoder.kindSinceVersion(),
                validValues(LookupKind.values(), LookupKind::value, LookupKind.NULL_VAL))),
            varString("query", LookupDecoder.querySinceVersion())),

        message("LookupResult", LookupResultDecoder.TEMPLATE_ID, LookupResultDecoder.BLOCK_LENGTH, NO_ENUMS,
            group("agents", LookupResultDecoder.agentsDecoderSinceVersion(),
                LookupResultDecoder.AgentsDecoder.sbeBlockLength(), NO_ENUMS,
                group("agents.capabilities", LookupResultDecoder.AgentsDecoder.capabilitiesDecoderSinceVersion(),
                    LookupResultDecoder.AgentsDecoder.CapabilitiesDecoder.sbeBlockLength(), NO_ENUMS,
                    varString("agents.capabilities.capability",
                        LookupResultDecoder.AgentsDecoder.CapabilitiesDecoder.capabilitySinceVersion())),
                varString("agents.name", LookupResultDecoder.AgentsDecoder.nameSinceVersion()),
                varString("agents.inbox", LookupResultDecoder.AgentsDecoder.inboxSinceVersion()),
                varString("agents.host", LookupResultDecoder.AgentsDecoder.hostSinceVersion()))),

        message("Error", ErrorDecoder.TEMPLATE_ID, ErrorDecoder.BLOCK_LENGTH,
            enums(enumField("code", "ErrorCode", ErrorDecoder.codeEncodingOffset(),
                ErrorDecoder.codeEncodingLength(), ErrorDecoder.codeSinceVersion(),
                validValues(ErrorCode.values(), ErrorCode::value, ErrorCode.NULL_VAL))),
            varString("text", ErrorDecoder.textSinceVersion())),

        message("Ack", AckDecoder.TEMPLATE_ID, AckDecoder.BLOCK_LENGTH, NO_ENUMS),

        message("AgentEvent", AgentEventDecoder.TEMPLATE_ID, AgentEventDecoder.BLOCK_LENGTH,
            enums(enumField("kind", "AgentEventKind", AgentEventDecoder.kindEncodingOffset(),
                AgentEventDecoder.kindEncodingLength(), AgentEventDecoder.kindSinceVersion(),
                validValues(AgentEventKind.values(), AgentEventKind::value, AgentEventKind.NULL_VAL))),
            varString("name", AgentEventDecoder.nameSinceVersion()),
            varString("host", AgentEventDecoder.hostSinceVersion())),

        message("Challenge", ChallengeDecoder.TEMPLATE_ID, ChallengeDecoder.BLOCK_LENGTH, NO_ENUMS,
            varData("nonce", ChallengeDecoder.nonceSinceVersion())),

        message("Wake", WakeDecoder.TEMPLATE_ID, WakeDecoder.BLOCK_LENGTH, NO_ENUMS),

        message("LinkListen", LinkListenDecoder.TEMPLATE_ID, LinkListenDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("normalPath", LinkListenDecoder.normalPathSinceVersion()),
            varString("highPath", LinkListenDecoder.highPathSinceVersion())),

        message("LinkRequest", LinkRequestDecoder.TEMPLATE_ID, LinkRequestDecoder.BLOCK_LENGTH,
            enums(enumField("priority", "Priority", LinkRequestDecoder.priorityEncodingOffset(),
                LinkRequestDecoder.priorityEncodingLength(), LinkRequestDecoder.prioritySinceVersion(),
                validValues(Priority.values(), Priority::value, Priority.NULL_VAL)))),

        message("LinkGrant", LinkGrantDecoder.TEMPLATE_ID, LinkGrantDecoder.BLOCK_LENGTH,
            enums(enumField("priority", "Priority", LinkGrantDecoder.priorityEncodingOffset(),
                LinkGrantDecoder.priorityEncodingLength(), LinkGrantDecoder.prioritySinceVersion(),
                validValues(Priority.values(), Priority::value, Priority.NULL_VAL))),
            varData("grant", LinkGrantDecoder.grantSinceVersion()),
            varString("path", LinkGrantDecoder.pathSinceVersion()),
            varString("inbox", LinkGrantDecoder.inboxSinceVersion())),

        message("LinkExpect", LinkExpectDecoder.TEMPLATE_ID, LinkExpectDecoder.BLOCK_LENGTH,
            enums(enumField("priority", "Priority", LinkExpectDecoder.priorityEncodingOffset(),
                LinkExpectDecoder.priorityEncodingLength(), LinkExpectDecoder.prioritySinceVersion(),
                validValues(Priority.values(), Priority::value, Priority.NULL_VAL))),
            varData("grant", LinkExpectDecoder.grantSinceVersion())),

        message("TaskAssign", TaskAssignDecoder.TEMPLATE_ID, TaskAssignDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("capability", TaskAssignDecoder.capabilitySinceVersion()),
            varString("taskName", TaskAssignDecoder.taskNameSinceVersion()),
            varData("spec", TaskAssignDecoder.specSinceVersion())),

        message("TaskProgress", TaskProgressDecoder.TEMPLATE_ID, TaskProgressDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("message", TaskProgressDecoder.messageSinceVersion())),

        message("TaskResult", TaskResultDecoder.TEMPLATE_ID, TaskResultDecoder.BLOCK_LENGTH,
            enums(enumField("status", "TaskStatus", TaskResultDecoder.statusEncodingOffset(),
                TaskResultDecoder.statusEncodingLength(), TaskResultDecoder.statusSinceVersion(),
                validValues(TaskStatus.values(), TaskStatus::value, TaskStatus.NULL_VAL))),
            group("metrics", TaskResultDecoder.metricsDecoderSinceVersion(),
                TaskResultDecoder.MetricsDecoder.sbeBlockLength(), NO_ENUMS,
                varString("metrics.name", TaskResultDecoder.MetricsDecoder.nameSinceVersion())),
            varString("errorKind", TaskResultDecoder.errorKindSinceVersion()),
            varString("detail", TaskResultDecoder.detailSinceVersion())),

        message("PeerHeartbeat", PeerHeartbeatDecoder.TEMPLATE_ID, PeerHeartbeatDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("endpoint", PeerHeartbeatDecoder.endpointSinceVersion()),
            varString("host", PeerHeartbeatDecoder.hostSinceVersion()),
            varData("nonce", PeerHeartbeatDecoder.nonceSinceVersion()),
            varData("ackedNonce", PeerHeartbeatDecoder.ackedNonceSinceVersion()),
            varData("auth", PeerHeartbeatDecoder.authSinceVersion())),

        message("PeerAgent", PeerAgentDecoder.TEMPLATE_ID, PeerAgentDecoder.BLOCK_LENGTH, NO_ENUMS,
            group("capabilities", PeerAgentDecoder.capabilitiesDecoderSinceVersion(),
                PeerAgentDecoder.CapabilitiesDecoder.sbeBlockLength(), NO_ENUMS,
                varString("capabilities.capability", PeerAgentDecoder.CapabilitiesDecoder.capabilitySinceVersion())),
            varString("name", PeerAgentDecoder.nameSinceVersion())),

        message("BridgedFrame", BridgedFrameDecoder.TEMPLATE_ID, BridgedFrameDecoder.BLOCK_LENGTH, NO_ENUMS,
            varData("frame", BridgedFrameDecoder.frameSinceVersion())),

        message("PeerMembership", PeerMembershipDecoder.TEMPLATE_ID, PeerMembershipDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("name", PeerMembershipDecoder.nameSinceVersion())),

        message("LowShip", dev.switchboard.codecs.sbe.LowShipDecoder.TEMPLATE_ID,
            dev.switchboard.codecs.sbe.LowShipDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("name", dev.switchboard.codecs.sbe.LowShipDecoder.nameSinceVersion()),
            varData("frame", dev.switchboard.codecs.sbe.LowShipDecoder.frameSinceVersion())),

        message("LowConfirm", dev.switchboard.codecs.sbe.LowConfirmDecoder.TEMPLATE_ID,
            dev.switchboard.codecs.sbe.LowConfirmDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("name", dev.switchboard.codecs.sbe.LowConfirmDecoder.nameSinceVersion())),
        message("PeerConsumer", dev.switchboard.codecs.sbe.PeerConsumerDecoder.TEMPLATE_ID,
            dev.switchboard.codecs.sbe.PeerConsumerDecoder.BLOCK_LENGTH, NO_ENUMS,
            varString("name", dev.switchboard.codecs.sbe.PeerConsumerDecoder.nameSinceVersion())),

        message("PeerWorkAck", dev.switchboard.codecs.sbe.PeerWorkAckDecoder.TEMPLATE_ID,
            dev.switchboard.codecs.sbe.PeerWorkAckDecoder.BLOCK_LENGTH, NO_ENUMS),
    };

    private static final MessageLayout[] BY_TEMPLATE_ID = indexByTemplateId(LAYOUTS);

    final String name;
    final int templateId;
    final int blockLength;
    final EnumField[] enumFields;
    final Part[] parts;

    private MessageLayout(
        final String name, final int templateId, final int blockLength, final EnumField[] enumFields, final Part[] parts)
    {
        this.name = name;
        this.templateId = templateId;
        this.blockLength = blockLength;
        this.enumFields = enumFields;
        this.parts = parts;
    }

    /**
     * The layout of a message.
     *
     * @param templateId from a message header.
     * @return the layout, or {@code null} if the schema has no such message.
     */
    static MessageLayout forTemplate(final int templateId)
    {
        return templateId >= 0 && templateId < BY_TEMPLATE_ID.length ? BY_TEMPLATE_ID[templateId] : null;
    }

    /**
     * Every message layout, in schema order.
     *
     * @return a copy of the table.
     */
    static MessageLayout[] all()
    {
        return LAYOUTS.clone();
    }

    /**
     * The shortest block a frame of {@code actingVersion} may carry: it must hold every field of its version. Every
     * field of schema version 1 exists since version 0, so today that is the whole block for every version;
     * {@code MessageLayoutTest} recomputes it from the schema for each version and fails on the day a field is added
     * with a {@code sinceVersion}, which is when this method needs that version's shorter block.
     *
     * @param actingVersion version from the message header, at most the schema's.
     * @return minimum block length in bytes.
     */
    int minBlockLength(final int actingVersion)
    {
        return blockLength;
    }

    private static MessageLayout message(
        final String name, final int templateId, final int blockLength, final EnumField[] enumFields, final Part... parts)
    {
        return new MessageLayout(name, templateId, blockLength, enumFields, parts.length == 0 ? NO_PARTS : parts);
    }

    private static Part group(
        final String name, final int sinceVersion, final int blockLength, final EnumField[] enumFields,
        final Part... parts)
    {
        return new Part(name, Kind.GROUP, sinceVersion, new MessageLayout(name, -1, blockLength, enumFields, parts));
    }

    private static Part varString(final String name, final int sinceVersion)
    {
        return new Part(name, Kind.VAR_STRING, sinceVersion, null);
    }

    private static Part varData(final String name, final int sinceVersion)
    {
        return new Part(name, Kind.VAR_DATA, sinceVersion, null);
    }

    private static EnumField[] enums(final EnumField... fields)
    {
        return fields;
    }

    private static EnumField enumField(
        final String name,
        final String typeName,
        final int offset,
        final int length,
        final int sinceVersion,
        final long[] validValues)
    {
        return new EnumField(name, typeName, offset, length, sinceVersion, validValues);
    }

    private static <E extends Enum<E>> long[] validValues(
        final E[] values, final ToIntFunction<E> valueOf, final E nullValue)
    {
        final int max = Arrays.stream(values).filter(e -> e != nullValue).mapToInt(valueOf).max().orElse(0);
        final long[] bits = new long[(max >>> 6) + 1];
        for (final E e : values)
        {
            if (e != nullValue)
            {
                final int value = valueOf.applyAsInt(e);
                bits[value >>> 6] |= 1L << value;
            }
        }

        return bits;
    }

    private static MessageLayout[] indexByTemplateId(final MessageLayout[] layouts)
    {
        final int maxId = Arrays.stream(layouts).mapToInt(layout -> layout.templateId).max().orElse(0);
        final MessageLayout[] byId = new MessageLayout[maxId + 1];
        for (final MessageLayout layout : layouts)
        {
            if (null != byId[layout.templateId])
            {
                throw new IllegalStateException("two layouts for template id " + layout.templateId);
            }
            byId[layout.templateId] = layout;
        }

        return byId;
    }
}
