package dev.switchboard.codecs.fuzz;

import dev.switchboard.codecs.NameIds;

import dev.switchboard.codecs.sbe.AckDecoder;
import dev.switchboard.codecs.sbe.AckEncoder;
import dev.switchboard.codecs.sbe.AgentEventDecoder;
import dev.switchboard.codecs.sbe.AgentEventEncoder;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ChallengeEncoder;
import dev.switchboard.codecs.sbe.DeregisterDecoder;
import dev.switchboard.codecs.sbe.DeregisterEncoder;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.EnvelopeEncoder;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.ErrorEncoder;
import dev.switchboard.codecs.sbe.HeartbeatDecoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.JoinGroupDecoder;
import dev.switchboard.codecs.sbe.JoinGroupEncoder;
import dev.switchboard.codecs.sbe.LeaveGroupDecoder;
import dev.switchboard.codecs.sbe.LeaveGroupEncoder;
import dev.switchboard.codecs.sbe.LinkExpectDecoder;
import dev.switchboard.codecs.sbe.LinkExpectEncoder;
import dev.switchboard.codecs.sbe.LinkGrantDecoder;
import dev.switchboard.codecs.sbe.LinkGrantEncoder;
import dev.switchboard.codecs.sbe.LinkListenDecoder;
import dev.switchboard.codecs.sbe.LinkListenEncoder;
import dev.switchboard.codecs.sbe.LinkRequestDecoder;
import dev.switchboard.codecs.sbe.LinkRequestEncoder;
import dev.switchboard.codecs.sbe.LookupDecoder;
import dev.switchboard.codecs.sbe.LookupEncoder;
import dev.switchboard.codecs.sbe.LookupKind;
import dev.switchboard.codecs.sbe.LookupResultDecoder;
import dev.switchboard.codecs.sbe.LookupResultEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.PeerAgentDecoder;
import dev.switchboard.codecs.sbe.PeerAgentEncoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatDecoder;
import dev.switchboard.codecs.sbe.PeerHeartbeatEncoder;
import dev.switchboard.codecs.sbe.PeerMembershipDecoder;
import dev.switchboard.codecs.sbe.PeerMembershipEncoder;
import dev.switchboard.codecs.sbe.BridgedFrameDecoder;
import dev.switchboard.codecs.sbe.BridgedFrameEncoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.codecs.sbe.RegisterDecoder;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import dev.switchboard.codecs.sbe.RegisteredEncoder;
import dev.switchboard.codecs.sbe.SubscribeDecoder;
import dev.switchboard.codecs.sbe.SubscribeEncoder;
import dev.switchboard.codecs.sbe.SubscriptionKind;
import dev.switchboard.codecs.sbe.TargetKind;
import dev.switchboard.codecs.sbe.TaskAssignDecoder;
import dev.switchboard.codecs.sbe.TaskAssignEncoder;
import dev.switchboard.codecs.sbe.TaskProgressDecoder;
import dev.switchboard.codecs.sbe.TaskProgressEncoder;
import dev.switchboard.codecs.sbe.TaskResultDecoder;
import dev.switchboard.codecs.sbe.TaskResultEncoder;
import dev.switchboard.codecs.sbe.TaskStatus;
import dev.switchboard.codecs.sbe.TiersDecoder;
import dev.switchboard.codecs.sbe.UnsubscribeDecoder;
import dev.switchboard.codecs.sbe.UnsubscribeEncoder;
import dev.switchboard.codecs.sbe.WakeDecoder;
import dev.switchboard.codecs.sbe.WakeEncoder;
import dev.switchboard.codecs.sbe.DirectFrameDecoder;
import dev.switchboard.codecs.sbe.DirectFrameEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One sample of every message of the schema, with known field values: {@link #encode} writes it (header included),
 * {@link #verify} decodes a frame and checks every field against those values. The seed corpus of the fuzzers
 * ({@link FrameMutator}, the fuzz campaign) and the fixture of the round-trip tests, the validator tests, the flag-free
 * child JVM and the C interop test, so it depends on nothing but the codecs and Agrona (no JUnit): a mismatch throws
 * {@link IllegalStateException} naming the field.
 * <p>
 * Thread-safety: immutable constants; {@link #encode} and {@link #verify} allocate their flyweights per call.
 */
public enum SampleMessage
{
    ENVELOPE(EnvelopeDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final EnvelopeEncoder encoder = new EnvelopeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sourceAgentId(ENVELOPE_SOURCE_AGENT_ID)
                .targetId(ENVELOPE_TARGET_ID)
                .correlationId(ENVELOPE_CORRELATION_ID)
                .timestampNs(ENVELOPE_TIMESTAMP_NS)
                .flags(ENVELOPE_FLAGS)
                .targetKind(TargetKind.TOPIC)
                .pattern(Pattern.PUBLISH)
                .priority(Priority.CRITICAL);
            final byte[] payload = ENVELOPE_PAYLOAD.getBytes(UTF_8);
            encoder.putPayload(payload, 0, payload.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final EnvelopeDecoder decoder = new EnvelopeDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("sourceAgentId", ENVELOPE_SOURCE_AGENT_ID, decoder.sourceAgentId());
            expect("targetId", ENVELOPE_TARGET_ID, decoder.targetId());
            expect("correlationId", ENVELOPE_CORRELATION_ID, decoder.correlationId());
            expect("timestampNs", ENVELOPE_TIMESTAMP_NS, decoder.timestampNs());
            expect("flags", ENVELOPE_FLAGS, decoder.flags());
            expect("targetKind", TargetKind.TOPIC, decoder.targetKind());
            expect("pattern", Pattern.PUBLISH, decoder.pattern());
            expect("priority", Priority.CRITICAL, decoder.priority());
            final byte[] payload = new byte[decoder.payloadLength()];
            decoder.getPayload(payload, 0, payload.length);
            expect("payload", ENVELOPE_PAYLOAD, new String(payload, UTF_8));
            return decoder.encodedLength();
        }
    },

    REGISTER(RegisterDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final RegisterEncoder encoder = new RegisterEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1001)
                .pid(4242)
                .requestedLeaseMs(5000);
            encoder.tiers().clear().critical(true).normal(true).inProcess(true);
            final RegisterEncoder.CapabilitiesEncoder capabilities = encoder.capabilitiesCount(REGISTER_CAPABILITIES.size());
            for (final String capability : REGISTER_CAPABILITIES)
            {
                capabilities.next().capability(capability);
            }
            encoder.name(REGISTER_NAME);
            encoder.putCredential(REGISTER_CREDENTIAL, 0, REGISTER_CREDENTIAL.length);
            encoder.inbox(REGISTER_INBOX);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final RegisterDecoder decoder = new RegisterDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1001L, decoder.correlationId());
            expect("pid", 4242L, decoder.pid());
            expect("requestedLeaseMs", 5000, decoder.requestedLeaseMs());
            expect("tiers", "critical,normal,inProcess", tiers(decoder.tiers()));
            final List<String> capabilities = new ArrayList<>();
            for (final RegisterDecoder.CapabilitiesDecoder capability : decoder.capabilities())
            {
                capabilities.add(capability.capability());
            }
            expect("capabilities", REGISTER_CAPABILITIES, capabilities);
            expect("name", REGISTER_NAME, decoder.name());
            final byte[] credential = new byte[decoder.credentialLength()];
            decoder.getCredential(credential, 0, credential.length);
            expect("credential", Arrays.toString(REGISTER_CREDENTIAL), Arrays.toString(credential));
            expect("inbox", REGISTER_INBOX, decoder.inbox());
            return decoder.encodedLength();
        }
    },

    REGISTERED(RegisteredDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final RegisteredEncoder encoder = new RegisteredEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1001)
                .agentId(17)
                .leaseMs(5000)
                .heartbeatIntervalMs(1000);
            encoder.tiers().clear().critical(true).normal(true);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final RegisteredDecoder decoder = new RegisteredDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1001L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            expect("leaseMs", 5000, decoder.leaseMs());
            expect("heartbeatIntervalMs", 1000, decoder.heartbeatIntervalMs());
            expect("tiers", "critical,normal", tiers(decoder.tiers()));
            return decoder.encodedLength();
        }
    },

    HEARTBEAT(HeartbeatDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new HeartbeatEncoder().wrapAndApplyHeader(buffer, offset, header)
                .agentId(17)
                .timestampNs(987_654_321L)
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final HeartbeatDecoder decoder = new HeartbeatDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("agentId", 17L, decoder.agentId());
            expect("timestampNs", 987_654_321L, decoder.timestampNs());
            return decoder.encodedLength();
        }
    },

    DEREGISTER(DeregisterDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new DeregisterEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1002)
                .agentId(17)
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final DeregisterDecoder decoder = new DeregisterDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1002L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            return decoder.encodedLength();
        }
    },

    SUBSCRIBE(SubscribeDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new SubscribeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1003)
                .agentId(17)
                .targetId(NameIds.of("orders"))
                .kind(SubscriptionKind.TOPIC)
                .name("orders")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final SubscribeDecoder decoder = new SubscribeDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1003L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            expect("targetId", NameIds.of("orders"), decoder.targetId());
            expect("kind", SubscriptionKind.TOPIC, decoder.kind());
            expect("name", "orders", decoder.name());
            return decoder.encodedLength();
        }
    },

    UNSUBSCRIBE(UnsubscribeDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new UnsubscribeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1004)
                .agentId(17)
                .targetId(NameIds.of("jobs"))
                .kind(SubscriptionKind.QUEUE)
                .name("jobs")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final UnsubscribeDecoder decoder = new UnsubscribeDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1004L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            expect("targetId", NameIds.of("jobs"), decoder.targetId());
            expect("kind", SubscriptionKind.QUEUE, decoder.kind());
            expect("name", "jobs", decoder.name());
            return decoder.encodedLength();
        }
    },

    JOIN_GROUP(JoinGroupDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new JoinGroupEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1005)
                .agentId(17)
                .groupId(NameIds.of("reviewers"))
                .name("reviewers")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final JoinGroupDecoder decoder = new JoinGroupDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1005L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            expect("groupId", NameIds.of("reviewers"), decoder.groupId());
            expect("name", "reviewers", decoder.name());
            return decoder.encodedLength();
        }
    },

    LEAVE_GROUP(LeaveGroupDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new LeaveGroupEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1006)
                .agentId(17)
                .groupId(NameIds.of("reviewers"))
                .name("reviewers")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LeaveGroupDecoder decoder = new LeaveGroupDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1006L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            expect("groupId", NameIds.of("reviewers"), decoder.groupId());
            expect("name", "reviewers", decoder.name());
            return decoder.encodedLength();
        }
    },

    LOOKUP(LookupDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new LookupEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1007)
                .agentId(17)
                .kind(LookupKind.BY_CAPABILITY)
                .wantedAgentId(0)
                .query("coder")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LookupDecoder decoder = new LookupDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1007L, decoder.correlationId());
            expect("agentId", 17L, decoder.agentId());
            expect("kind", LookupKind.BY_CAPABILITY, decoder.kind());
            expect("wantedAgentId", 0L, decoder.wantedAgentId());
            expect("query", "coder", decoder.query());
            return decoder.encodedLength();
        }
    },

    LOOKUP_RESULT(LookupResultDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final LookupResultEncoder encoder = new LookupResultEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1007);
            final LookupResultEncoder.AgentsEncoder agents = encoder.agentsCount(2);

            agents.next().agentId(18).pid(5000);
            agents.tiers().clear().critical(true);
            final LookupResultEncoder.AgentsEncoder.CapabilitiesEncoder capabilities = agents.capabilitiesCount(2);
            capabilities.next().capability("coder");
            capabilities.next().capability("reviewer");
            agents.name("coder-1").inbox("/dev/shm/switchboard/inbox-18").host("");

            agents.next().agentId(19).pid(5001);
            agents.tiers().clear().normal(true).low(true);
            agents.capabilitiesCount(0);
            agents.name("coder-2").inbox("").host("10.0.0.2:40123");

            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LookupResultDecoder decoder = new LookupResultDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1007L, decoder.correlationId());
            final List<String> agents = new ArrayList<>();
            for (final LookupResultDecoder.AgentsDecoder agent : decoder.agents())
            {
                final List<String> capabilities = new ArrayList<>();
                for (final LookupResultDecoder.AgentsDecoder.CapabilitiesDecoder capability : agent.capabilities())
                {
                    capabilities.add(capability.capability());
                }
                agents.add(agent.agentId() + "/" + agent.pid() + "/" + tiers(agent.tiers()) + "/" + capabilities +
                    "/" + agent.name() + "/" + agent.inbox() + "@" + agent.host());
            }
            expect("agents", List.of(
                "18/5000/critical/[coder, reviewer]/coder-1//dev/shm/switchboard/inbox-18@",
                "19/5001/normal,low/[]/coder-2/@10.0.0.2:40123"), agents);
            return decoder.encodedLength();
        }
    },

    ERROR(ErrorDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new ErrorEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1008)
                .code(ErrorCode.NAME_TAKEN)
                .text("name agent-\u03b1 is taken by agent 17")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final ErrorDecoder decoder = new ErrorDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1008L, decoder.correlationId());
            expect("code", ErrorCode.NAME_TAKEN, decoder.code());
            expect("text", "name agent-\u03b1 is taken by agent 17", decoder.text());
            return decoder.encodedLength();
        }
    },

    ACK(AckDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new AckEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(1009)
                .resolvedId(NameIds.of("orders"))
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final AckDecoder decoder = new AckDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 1009L, decoder.correlationId());
            expect("resolvedId", NameIds.of("orders"), decoder.resolvedId());
            return decoder.encodedLength();
        }
    },

    AGENT_EVENT(AgentEventDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new AgentEventEncoder().wrapAndApplyHeader(buffer, offset, header)
                .agentId(18)
                .kind(AgentEventKind.EXPIRED)
                .name("coder-1")
                .host("10.0.0.2:40123")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final AgentEventDecoder decoder = new AgentEventDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("agentId", 18L, decoder.agentId());
            expect("kind", AgentEventKind.EXPIRED, decoder.kind());
            expect("name", "coder-1", decoder.name());
            expect("host", "10.0.0.2:40123", decoder.host());
            return decoder.encodedLength();
        }
    },

    CHALLENGE(ChallengeDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final ChallengeEncoder encoder = new ChallengeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .flags(1);
            encoder.putNonce(CHALLENGE_NONCE, 0, CHALLENGE_NONCE.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final ChallengeDecoder decoder = new ChallengeDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("flags", 1L, decoder.flags());
            final byte[] nonce = new byte[decoder.nonceLength()];
            decoder.getNonce(nonce, 0, nonce.length);
            expect("nonce", Arrays.toString(CHALLENGE_NONCE), Arrays.toString(nonce));
            return decoder.encodedLength();
        }
    },

    DIRECT_FRAME(DirectFrameDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new DirectFrameEncoder().wrapAndApplyHeader(buffer, offset, header)
                .sourceAgentId(31)
                .correlationId(32)
                .pattern(Pattern.REQUEST)
                .priority(Priority.CRITICAL)
                .flags((short)1)
                .layoutVersion((short)1)
                .reserved(0)
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final DirectFrameDecoder decoder = new DirectFrameDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("sourceAgentId", 31L, decoder.sourceAgentId());
            expect("correlationId", 32L, decoder.correlationId());
            expect("pattern", Pattern.REQUEST, decoder.pattern());
            expect("priority", Priority.CRITICAL, decoder.priority());
            expect("flags", (short)1, decoder.flags());
            expect("layoutVersion", (short)1, decoder.layoutVersion());
            return decoder.encodedLength();
        }
    },

    WAKE(WakeDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new WakeEncoder().wrapAndApplyHeader(buffer, offset, header)
                .agentId(21)
                .targetAgentId(22)
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final WakeDecoder decoder = new WakeDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("agentId", 21L, decoder.agentId());
            expect("targetAgentId", 22L, decoder.targetAgentId());
            return decoder.encodedLength();
        }
    },

    LINK_LISTEN(LinkListenDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new LinkListenEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(31)
                .agentId(32)
                .normalPath(LINK_NORMAL_PATH)
                .highPath("")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LinkListenDecoder decoder = new LinkListenDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 31L, decoder.correlationId());
            expect("agentId", 32L, decoder.agentId());
            expect("normalPath", LINK_NORMAL_PATH, decoder.normalPath());
            expect("highPath", "", decoder.highPath());
            return decoder.encodedLength();
        }
    },

    LINK_REQUEST(LinkRequestDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new LinkRequestEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(33)
                .agentId(34)
                .targetAgentId(35)
                .priority(Priority.HIGH)
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LinkRequestDecoder decoder = new LinkRequestDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 33L, decoder.correlationId());
            expect("agentId", 34L, decoder.agentId());
            expect("targetAgentId", 35L, decoder.targetAgentId());
            expect("priority", Priority.HIGH, decoder.priority());
            return decoder.encodedLength();
        }
    },

    LINK_GRANT(LinkGrantDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final LinkGrantEncoder encoder = new LinkGrantEncoder().wrapAndApplyHeader(buffer, offset, header)
                .correlationId(36)
                .targetAgentId(37)
                .targetPid(38)
                .priority(Priority.NORMAL)
                .ttlMs(5000);
            encoder.putGrant(LINK_GRANT_BYTES, 0, LINK_GRANT_BYTES.length);
            return encoder.path(LINK_NORMAL_PATH).inbox(REGISTER_INBOX).encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LinkGrantDecoder decoder = new LinkGrantDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("correlationId", 36L, decoder.correlationId());
            expect("targetAgentId", 37L, decoder.targetAgentId());
            expect("targetPid", 38L, decoder.targetPid());
            expect("priority", Priority.NORMAL, decoder.priority());
            expect("ttlMs", 5000, decoder.ttlMs());
            final byte[] grant = new byte[decoder.grantLength()];
            decoder.getGrant(grant, 0, grant.length);
            expect("grant", Arrays.toString(LINK_GRANT_BYTES), Arrays.toString(grant));
            expect("path", LINK_NORMAL_PATH, decoder.path());
            expect("inbox", REGISTER_INBOX, decoder.inbox());
            return decoder.encodedLength();
        }
    },

    LINK_EXPECT(LinkExpectDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final LinkExpectEncoder encoder = new LinkExpectEncoder().wrapAndApplyHeader(buffer, offset, header)
                .fromAgentId(39)
                .fromUid(1000)
                .priority(Priority.HIGH)
                .ttlMs(2500);
            encoder.putGrant(LINK_GRANT_BYTES, 0, LINK_GRANT_BYTES.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final LinkExpectDecoder decoder = new LinkExpectDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("fromAgentId", 39L, decoder.fromAgentId());
            expect("fromUid", 1000, decoder.fromUid());
            expect("priority", Priority.HIGH, decoder.priority());
            expect("ttlMs", 2500, decoder.ttlMs());
            final byte[] grant = new byte[decoder.grantLength()];
            decoder.getGrant(grant, 0, grant.length);
            expect("grant", Arrays.toString(LINK_GRANT_BYTES), Arrays.toString(grant));
            return decoder.encodedLength();
        }
    },

    TASK_ASSIGN(TaskAssignDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final TaskAssignEncoder encoder = new TaskAssignEncoder().wrapAndApplyHeader(buffer, offset, header)
                .workflowId(77)
                .taskId(3)
                .attempt(2)
                .deadlineMs(60_000)
                .capability("coder")
                .taskName("implement parser");
            final byte[] spec = TASK_SPEC.getBytes(UTF_8);
            encoder.putSpec(spec, 0, spec.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final TaskAssignDecoder decoder = new TaskAssignDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("workflowId", 77L, decoder.workflowId());
            expect("taskId", 3L, decoder.taskId());
            expect("attempt", 2, decoder.attempt());
            expect("deadlineMs", 60_000L, decoder.deadlineMs());
            expect("capability", "coder", decoder.capability());
            expect("taskName", "implement parser", decoder.taskName());
            final byte[] spec = new byte[decoder.specLength()];
            decoder.getSpec(spec, 0, spec.length);
            expect("spec", TASK_SPEC, new String(spec, UTF_8));
            return decoder.encodedLength();
        }
    },

    TASK_PROGRESS(TaskProgressDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new TaskProgressEncoder().wrapAndApplyHeader(buffer, offset, header)
                .workflowId(77)
                .taskId(3)
                .attempt(2)
                .percent(42.5f)
                .message("parsing done")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final TaskProgressDecoder decoder = new TaskProgressDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("workflowId", 77L, decoder.workflowId());
            expect("taskId", 3L, decoder.taskId());
            expect("attempt", 2, decoder.attempt());
            expect("percent", 42.5f, decoder.percent());
            expect("message", "parsing done", decoder.message());
            return decoder.encodedLength();
        }
    },

    TASK_RESULT(TaskResultDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final TaskResultEncoder encoder = new TaskResultEncoder().wrapAndApplyHeader(buffer, offset, header)
                .workflowId(77)
                .taskId(3)
                .attempt(2)
                .status(TaskStatus.SUCCEEDED)
                .durationNs(1_500_000_000L);
            final TaskResultEncoder.MetricsEncoder metrics = encoder.metricsCount(2);
            metrics.next().value(0.87).name("coverage");
            metrics.next().value(201.5).name("latencyP99Ns");
            encoder.errorKind("").detail("all gates passed");
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final TaskResultDecoder decoder = new TaskResultDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("workflowId", 77L, decoder.workflowId());
            expect("taskId", 3L, decoder.taskId());
            expect("attempt", 2, decoder.attempt());
            expect("status", TaskStatus.SUCCEEDED, decoder.status());
            expect("durationNs", 1_500_000_000L, decoder.durationNs());
            final List<String> metrics = new ArrayList<>();
            for (final TaskResultDecoder.MetricsDecoder metric : decoder.metrics())
            {
                metrics.add(metric.value() + ":" + metric.name());
            }
            expect("metrics", List.of("0.87:coverage", "201.5:latencyP99Ns"), metrics);
            expect("errorKind", "", decoder.errorKind());
            expect("detail", "all gates passed", decoder.detail());
            return decoder.encodedLength();
        }
    },

    PEER_HEARTBEAT(PeerHeartbeatDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final PeerHeartbeatEncoder encoder = new PeerHeartbeatEncoder().wrapAndApplyHeader(buffer, offset, header)
                .flags(0)
                .endpoint(PEER_ENDPOINT)
                .host("host-a");
            encoder.putNonce(LINK_GRANT_BYTES, 0, LINK_GRANT_BYTES.length);
            encoder.putAckedNonce(CHALLENGE_NONCE, 0, CHALLENGE_NONCE.length);
            encoder.putAuth(REGISTER_CREDENTIAL, 0, REGISTER_CREDENTIAL.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final PeerHeartbeatDecoder decoder = new PeerHeartbeatDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("flags", 0L, decoder.flags());
            expect("endpoint", PEER_ENDPOINT, decoder.endpoint());
            expect("host", "host-a", decoder.host());
            final byte[] nonce = new byte[decoder.nonceLength()];
            decoder.getNonce(nonce, 0, nonce.length);
            expect("nonce", Arrays.toString(LINK_GRANT_BYTES), Arrays.toString(nonce));
            final byte[] acked = new byte[decoder.ackedNonceLength()];
            decoder.getAckedNonce(acked, 0, acked.length);
            expect("ackedNonce", Arrays.toString(CHALLENGE_NONCE), Arrays.toString(acked));
            final byte[] auth = new byte[decoder.authLength()];
            decoder.getAuth(auth, 0, auth.length);
            expect("auth", Arrays.toString(REGISTER_CREDENTIAL), Arrays.toString(auth));
            return decoder.encodedLength();
        }
    },

    PEER_AGENT(PeerAgentDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final PeerAgentEncoder encoder = new PeerAgentEncoder().wrapAndApplyHeader(buffer, offset, header)
                .agentId(4294967297L)
                .pid(4242)
                .leaseMs(3000)
                .up((short)1);
            encoder.tiers().clear().critical(true).normal(true);
            final PeerAgentEncoder.CapabilitiesEncoder capabilities = encoder.capabilitiesCount(REGISTER_CAPABILITIES.size());
            for (final String capability : REGISTER_CAPABILITIES)
            {
                capabilities.next().capability(capability);
            }
            encoder.name(REGISTER_NAME);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final PeerAgentDecoder decoder = new PeerAgentDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("agentId", 4294967297L, decoder.agentId());
            expect("pid", 4242L, decoder.pid());
            expect("leaseMs", 3000, decoder.leaseMs());
            expect("tiers", "critical,normal", tiers(decoder.tiers()));
            expect("up", (short)1, decoder.up());
            final List<String> capabilities = new ArrayList<>();
            for (final PeerAgentDecoder.CapabilitiesDecoder capability : decoder.capabilities())
            {
                capabilities.add(capability.capability());
            }
            expect("capabilities", REGISTER_CAPABILITIES, capabilities);
            expect("name", REGISTER_NAME, decoder.name());
            return decoder.encodedLength();
        }
    },

    BRIDGED_FRAME(BridgedFrameDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final BridgedFrameEncoder encoder = new BridgedFrameEncoder().wrapAndApplyHeader(buffer, offset, header)
                .targetAgentId(8589934593L);
            encoder.putFrame(LINK_GRANT_BYTES, 0, LINK_GRANT_BYTES.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final BridgedFrameDecoder decoder = new BridgedFrameDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("targetAgentId", 8589934593L, decoder.targetAgentId());
            final byte[] frame = new byte[decoder.frameLength()];
            decoder.getFrame(frame, 0, frame.length);
            expect("frame", Arrays.toString(LINK_GRANT_BYTES), Arrays.toString(frame));
            return decoder.encodedLength();
        }
    },

    PEER_MEMBERSHIP(PeerMembershipDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new PeerMembershipEncoder().wrapAndApplyHeader(buffer, offset, header)
                .agentId(4294967297L)
                .topic((short)1)
                .join((short)1)
                .name("orders")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final PeerMembershipDecoder decoder =
                new PeerMembershipDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("agentId", 4294967297L, decoder.agentId());
            expect("topic", (short)1, decoder.topic());
            expect("join", (short)1, decoder.join());
            expect("name", "orders", decoder.name());
            return decoder.encodedLength();
        }
    },

    LOW_SHIP(dev.switchboard.codecs.sbe.LowShipDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            final dev.switchboard.codecs.sbe.LowShipEncoder encoder = new dev.switchboard.codecs.sbe.LowShipEncoder()
                .wrapAndApplyHeader(buffer, offset, header)
                .sourceIndex(0x513a00000002L)
                .prevIndex(0x513a00000001L)
                .name("bob");
            encoder.putFrame(LINK_GRANT_BYTES, 0, LINK_GRANT_BYTES.length);
            return encoder.encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final dev.switchboard.codecs.sbe.LowShipDecoder decoder =
                new dev.switchboard.codecs.sbe.LowShipDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("sourceIndex", 0x513a00000002L, decoder.sourceIndex());
            expect("prevIndex", 0x513a00000001L, decoder.prevIndex());
            expect("name", "bob", decoder.name());
            final byte[] frame = new byte[decoder.frameLength()];
            decoder.getFrame(frame, 0, frame.length);
            expect("frame", Arrays.toString(LINK_GRANT_BYTES), Arrays.toString(frame));
            return decoder.encodedLength();
        }
    },

    LOW_CONFIRM(dev.switchboard.codecs.sbe.LowConfirmDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new dev.switchboard.codecs.sbe.LowConfirmEncoder().wrapAndApplyHeader(buffer, offset, header)
                .appliedIndex(0x513a00000002L)
                .status((short)1)
                .name("bob")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final dev.switchboard.codecs.sbe.LowConfirmDecoder decoder =
                new dev.switchboard.codecs.sbe.LowConfirmDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("appliedIndex", 0x513a00000002L, decoder.appliedIndex());
            expect("status", (short)1, decoder.status());
            expect("name", "bob", decoder.name());
            return decoder.encodedLength();
        }
    },

    PEER_CONSUMER(dev.switchboard.codecs.sbe.PeerConsumerDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new dev.switchboard.codecs.sbe.PeerConsumerEncoder().wrapAndApplyHeader(buffer, offset, header)
                .agentId(4294967297L)
                .consume((short)1)
                .name("jobs")
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final dev.switchboard.codecs.sbe.PeerConsumerDecoder decoder =
                new dev.switchboard.codecs.sbe.PeerConsumerDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("agentId", 4294967297L, decoder.agentId());
            expect("consume", (short)1, decoder.consume());
            expect("name", "jobs", decoder.name());
            return decoder.encodedLength();
        }
    },

    PEER_WORK_ACK(dev.switchboard.codecs.sbe.PeerWorkAckDecoder.TEMPLATE_ID)
    {
        int encodeBody(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header)
        {
            return new dev.switchboard.codecs.sbe.PeerWorkAckEncoder().wrapAndApplyHeader(buffer, offset, header)
                .queueId(NameIds.of("jobs"))
                .itemId(8589934593L)
                .agentId(4294967297L)
                .encodedLength();
        }

        int verifyBody(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
        {
            final dev.switchboard.codecs.sbe.PeerWorkAckDecoder decoder =
                new dev.switchboard.codecs.sbe.PeerWorkAckDecoder().wrapAndApplyHeader(buffer, offset, header);
            expect("queueId", NameIds.of("jobs"), decoder.queueId());
            expect("itemId", 8589934593L, decoder.itemId());
            expect("agentId", 4294967297L, decoder.agentId());
            return decoder.encodedLength();
        }
    };

    static final String PEER_ENDPOINT = "10.0.0.1:40123";

    /** The sample Envelope's source agent id. */
    public static final long ENVELOPE_SOURCE_AGENT_ID = 42;
    /** The sample Envelope's target id (the topic "orders"). */
    public static final long ENVELOPE_TARGET_ID = NameIds.of("orders");
    /** The sample Envelope's correlation id. */
    public static final long ENVELOPE_CORRELATION_ID = 7;
    /** The sample Envelope's timestamp. */
    public static final long ENVELOPE_TIMESTAMP_NS = 123_456_789L;
    /** The sample Envelope's flags. */
    public static final long ENVELOPE_FLAGS = 5;
    /** The sample Envelope's payload, as UTF-8. */
    public static final String ENVELOPE_PAYLOAD = "hello, switchboard";
    /** The sample Register's capabilities. */
    public static final List<String> REGISTER_CAPABILITIES = List.of("planner", "coder", "t\u00ebster");
    /** The sample Register's agent name. */
    public static final String REGISTER_NAME = "agent-\u03b1";
    static final String REGISTER_INBOX = "/dev/shm/switchboard-0/agent-alpha.inbox";
    private static final byte[] REGISTER_CREDENTIAL = { 1, 2, 3, 0, (byte)0xFF };
    static final byte[] CHALLENGE_NONCE = { 9, 8, 7, 0, (byte)0x80, 42 };
    static final String LINK_NORMAL_PATH = "/dev/shm/switchboard-0/agent-alpha-7.nlink";
    static final byte[] LINK_GRANT_BYTES = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte)0xFF };
    static final String TASK_SPEC = "{\"file\":\"Parser.java\"}";

    private final int templateId;

    /**
     * @return a copy of the sample Register's credential bytes.
     */
    public static byte[] registerCredential()
    {
        return REGISTER_CREDENTIAL.clone();
    }

    SampleMessage(final int templateId)
    {
        this.templateId = templateId;
    }

    /**
     * Template id of this message.
     *
     * @return the schema's id for it.
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * Write header and message at {@code offset}.
     *
     * @param buffer to write into.
     * @param offset where the header starts.
     * @return the frame's length.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + encodeBody(buffer, offset, new MessageHeaderEncoder());
    }

    /**
     * Decode the frame at {@code offset} and check every field and the frame's length.
     *
     * @param buffer holding the frame.
     * @param offset where its header starts.
     * @param length the frame's length, as its transport delimited it.
     * @throws IllegalStateException naming the first field that differs.
     */
    public void verify(final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        expect("templateId", templateId, header.templateId());
        expect("schemaId", MessageHeaderDecoder.SCHEMA_ID, header.schemaId());
        expect("version", MessageHeaderDecoder.SCHEMA_VERSION, header.version());
        final int decoded = MessageHeaderDecoder.ENCODED_LENGTH + verifyBody(buffer, offset, header);
        expect("frame length", length, decoded);
    }

    abstract int encodeBody(MutableDirectBuffer buffer, int offset, MessageHeaderEncoder header);

    /**
     * @return the message's length after the header, read to its end.
     */
    abstract int verifyBody(DirectBuffer buffer, int offset, MessageHeaderDecoder header);

    static String tiers(final TiersDecoder tiers)
    {
        final List<String> names = new ArrayList<>();
        if (tiers.critical())
        {
            names.add("critical");
        }
        if (tiers.high())
        {
            names.add("high");
        }
        if (tiers.normal())
        {
            names.add("normal");
        }
        if (tiers.low())
        {
            names.add("low");
        }
        if (tiers.batch())
        {
            names.add("batch");
        }
        if (tiers.inProcess())
        {
            names.add("inProcess");
        }
        return String.join(",", names);
    }

    private static void expect(final String field, final Object expected, final Object actual)
    {
        if (!Objects.equals(expected, actual))
        {
            throw new IllegalStateException(field + ": expected " + expected + " but was " + actual);
        }
    }
}
