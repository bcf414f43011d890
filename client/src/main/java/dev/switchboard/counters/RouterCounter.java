package dev.switchboard.counters;

/**
 * Router-wide counters, after the per-tier, per-pattern block in the counters layout.
 *
 * <p>Thread-safety: immutable. Allocation: none.
 */
public enum RouterCounter
{
    /** Frames read from the router's ingress. */
    INGRESS_FRAMES("ingress frames"),
    /** Offers to the ingress that found it full. */
    INGRESS_BACK_PRESSURED("ingress back-pressured"),
    /** Frames rejected by validation: unknown schema id. */
    REJECTED_UNKNOWN_SCHEMA("rejected: unknown schema"),
    /** Frames rejected by validation: schema version newer than the decoder's. */
    REJECTED_UNSUPPORTED_VERSION("rejected: unsupported version"),
    /** Frames rejected by validation: truncated or lying length. */
    REJECTED_TRUNCATED("rejected: truncated"),
    /** Frames rejected by validation: over the maximum length. */
    REJECTED_TOO_LARGE("rejected: too large"),
    /** Frames rejected by validation: unknown template id. */
    REJECTED_UNKNOWN_TEMPLATE("rejected: unknown template"),
    /** Frames rejected by validation: malformed (bad enum value, bad block length). */
    REJECTED_MALFORMED("rejected: malformed"),
    /** Frames whose source agent id is not the agent registered on the session that sent them. */
    REJECTED_SPOOFED_SOURCE("rejected: source is not the session's agent"),
    /** Data frames from a session with no registered agent. */
    REJECTED_NOT_REGISTERED("rejected: sender not registered"),
    /** Control requests answered with an Error. */
    CONTROL_ERRORS("control requests refused"),
    /** Successful registrations. */
    REGISTRATIONS("registrations"),
    /** Registrations refused (name taken, limits, registry full). */
    REGISTRATIONS_REFUSED("registrations refused"),
    /** Agents that deregistered by request. */
    DEREGISTRATIONS("deregistrations"),
    /** Agents deregistered because their lease expired. */
    LEASES_EXPIRED("leases expired"),
    /** Agents deregistered because their connection closed. */
    CONNECTIONS_CLOSED("connections closed"),
    /** Copies made by fan-out (publish, broadcast, multicast). */
    FANOUT_DELIVERIES("fan-out deliveries"),
    /** Fan-out copies to a receiver that left before delivery (not a loss: it is gone). */
    FANOUT_RECEIVER_GONE("fan-out receiver gone"),
    /**
     * Frames (or work items) a full receiver refused, so that the router held them and retried (back-pressure
     * propagating to their senders); counted once per frame held.
     */
    ROUTER_STALLS("router stalled on a full receiver"),
    /** Publishes to a topic with no subscriber. */
    PUBLISH_NO_SUBSCRIBER("publish with no subscriber"),
    /** Work items accepted into a queue. */
    WORK_ENQUEUED("work items enqueued"),
    /** Work items handed to a consumer (first delivery or redelivery). */
    WORK_DELIVERED("work items delivered"),
    /** Work items acknowledged. */
    WORK_ACKED("work items acked"),
    /** Work items redelivered because their holder left or the ack deadline passed. */
    WORK_REDELIVERED("work items redelivered"),
    /** Acks for items that were already acked or unknown. */
    WORK_LATE_ACKS("late or unknown work acks"),
    /** Work items refused because the queue was at its depth limit (the producer is told). */
    WORK_QUEUE_FULL("work items refused: queue full"),
    /** Responses that arrived after their request timed out (counted and dropped). */
    LATE_RESPONSES("late responses dropped"),
    /** Requests that timed out. */
    REQUEST_TIMEOUTS("request timeouts"),
    /** Tiers that could not run and fell back to another. */
    TIER_FALLBACKS("tier fallbacks"),
    /** Connections closed for breaking the socket framing (a length prefix of zero, negative or over the maximum). */
    REJECTED_FRAMING("connections closed: framing error"),
    /**
     * Records in an agent's CRITICAL inbox whose length could not be a record's: each made the agent discard the
     * inbox's contents up to its tail (see {@code ManyToOneRing}).
     */
    INBOX_CORRUPT_RECORDS("inbox corrupt records: ring resynchronised"),
    /** Bytes discarded from an agent's CRITICAL inbox by those resynchronisations. */
    INBOX_DISCARDED_BYTES("inbox bytes discarded after corruption"),
    /** Frames whose link MAC did not verify on a control/NORMAL socket link (tampered, replayed, reordered or
     * dropped; the link is closed). */
    LINK_MAC_REJECTED_NORMAL("link MAC rejected: NORMAL/control socket"),
    /** Frames whose link MAC did not verify on a HIGH io_uring link (the link is closed). */
    LINK_MAC_REJECTED_HIGH("link MAC rejected: HIGH"),
    /** Links refused at setup: the two ends disagree on switchboard.link.mac, or a bad link hello. */
    LINK_SETUP_REFUSED("link setup refused: MAC setting mismatch or bad hello"),
    /** Connections or registrations refused: the peer's user/group matches no policy line. */
    AUTH_PEER_REFUSED("auth refused: peer not admitted by policy"),
    /** Registrations refused: a token is required and none was sent. */
    AUTH_TOKEN_MISSING("auth refused: token missing"),
    /** Registrations refused: unknown credential kind or token type not configured. */
    AUTH_TOKEN_MALFORMED("auth refused: malformed credential"),
    /** Registrations refused: the HMAC answer did not match the challenge (wrong secret or replay). */
    AUTH_HMAC_MISMATCH("auth refused: HMAC answer mismatch"),
    /** Registrations refused: JWT signature, algorithm, issuer, subject or claims wrong. */
    AUTH_JWT_INVALID("auth refused: JWT invalid"),
    /** Registrations refused: JWT expired. */
    AUTH_JWT_EXPIRED("auth refused: JWT expired"),
    /** Registrations refused: no policy line gives the peer a role for that name, or the role may not register it. */
    AUTH_NAME_REFUSED("auth refused: no role for this name"),
    /** Connections or registrations refused unchecked because the peer failed too often (rate limit). */
    AUTH_RATE_LIMITED("auth refused: rate-limited"),
    /** Registrations that passed authentication and policy. */
    AUTH_GRANTED("auth granted"),
    /** Frames refused: priority (or CRITICAL receiver) not granted to the sender's role. */
    POLICY_DENIED_SEND("policy denied: send priority"),
    /** Broadcast frames refused: broadcast at that priority not granted. */
    POLICY_DENIED_BROADCAST("policy denied: broadcast"),
    /** Publish frames refused: topic not granted. */
    POLICY_DENIED_PUBLISH("policy denied: publish"),
    /** Subscribe (topic or registry watch) refused. */
    POLICY_DENIED_SUBSCRIBE("policy denied: subscribe"),
    /** Join group refused. */
    POLICY_DENIED_JOIN("policy denied: join group"),
    /** Consume queue refused. */
    POLICY_DENIED_CONSUME("policy denied: consume queue"),
    /** Work items refused: enqueue not granted. */
    POLICY_DENIED_ENQUEUE("policy denied: enqueue work"),
    /** CRITICAL inbox locations withheld from a lookup because the asker may not send CRITICAL to that agent. */
    POLICY_DENIED_CRITICAL_INBOX("policy denied: CRITICAL inbox grant"),
    /**
     * CRITICAL inbox records that a sender claimed and never committed (killed mid-write), turned into padding by
     * the receiver after {@code switchboard.inbox.unblock.timeout.ns} without progress.
     */
    INBOX_RECORDS_UNBLOCKED("inbox records unblocked"),
    /**
     * Frames an agent found on its control socket in a safety sweep although no signal announced them: 0 while the
     * router signals every write (see {@code RouterFeatures.SIGNALS_CONTROL}); anything else is a bug to report.
     */
    UNSIGNALLED_FRAMES("frames found unsignalled by a safety sweep"),
    /** {@code Wake} frames relayed: the router woke the target agent (a futex wake on its inbox's parked word). */
    WAKES_RELAYED("wakes relayed"),
    /**
     * {@code Wake} frames not relayed: the target left, or its session has no way to wake it (no inbox, an in-process
     * agent, or this router cannot make the futex call). The target then wakes at its park's timeout.
     */
    WAKES_NOT_RELAYED("wakes not relayed: target gone or not wakeable"),
    /**
     * Faults on a shared-memory inbox mapping ({@code SIGBUS}: the file was truncated or damaged by another process),
     * met by its owner or a sender: never thrown to the caller, the inbox is treated as closed.
     */
    INBOX_FAULTS("inbox mapping faults: truncated by another process"),

    // Agent-to-agent links (issue 11 item 4): the router's LinkBroker counts the first four, each agent's
    // DirectLinks the rest.
    /** Link endpoints agents announced (LinkListen accepted). */
    LINK_ENDPOINTS("link endpoints announced"),
    /** Link grants minted (a LinkGrant to the asker, a LinkExpect to the receiver). */
    LINK_GRANTS("links granted"),
    /** Link requests refused: unknown or departed receiver, no endpoint for the tier, a link to oneself, limits. */
    LINK_REQUESTS_REFUSED("link requests refused"),
    /** Link requests refused by the access policy (the asker may not send at that priority to that receiver). */
    POLICY_DENIED_LINK("policy denied: agent link"),
    /** Links an agent accepted: a valid grant, from the agent it names, of this user. */
    LINK_CLAIMS_ACCEPTED("agent links accepted"),
    /** Links an agent refused for their grant: none, unknown, expired, already used, another agent or tier. */
    LINK_REFUSED_NO_GRANT("agent links refused: no valid grant"),
    /** Links an agent refused for their peer: another user (SO_PEERCRED), or too many links or pending claims. */
    LINK_REFUSED_PEER("agent links refused: peer or limit"),
    /** Agent links closed for a bad record: framing, a malformed claim, a frame header, a spoofed source. */
    LINK_FRAMES_REJECTED("agent links closed: bad frame"),
    /** Frames a transport on the router's own thread handed straight to the router, with no ingress hop. */
    SESSION_FRAMES("frames routed straight from sessions"),
    /** Times the router's duty cycle blocked (parked) because it had nothing to do until its next deadline. */
    ROUTER_PARKS("router parks"),
    /** Readiness checks of the router's sockets that cost a system call while not parked ({@code selectNow}). */
    ROUTER_IO_POLLS("router I/O polls (system calls)"),
    /** Connections from other processes closed because they did not register within the handshake deadline. */
    HANDSHAKE_TIMEOUTS("connections closed: no registration in time"),
    /** Agents whose lease ran out, told so on their own connection (AgentEvent EXPIRED and an Error). */
    EXPIRED_AGENTS_TOLD("expired agents told"),
    /** Senders told (an Error with the frame's correlation id) that a point-to-point frame's receiver is gone. */
    SENDERS_TOLD_RECEIVER_GONE("senders told: receiver gone"),
    /** Connections refused at accept: the peer user already has the most connections allowed. */
    CONNECTIONS_REFUSED_PER_USER("connections refused: per-user limit"),
    /** Connections refused at accept: too many connections have not registered yet. */
    CONNECTIONS_REFUSED_UNAUTHENTICATED("connections refused: unregistered limit"),
    /** Connections refused at accept: their buffers could not be allocated. */
    CONNECTIONS_REFUSED_NO_MEMORY("connections refused: no memory"),
    /** Connections closed because a frame stayed incomplete longer than the partial-frame deadline. */
    PARTIAL_FRAME_TIMEOUTS("connections closed: partial frame too long"),
    /** Exceptions caught in the router's duty cycle (the cycle continues; see the router's error log). */
    DUTY_CYCLE_ERRORS("router duty-cycle errors"),
    /** Bridge: a peer router authenticated and came up (each time it does). */
    CLUSTER_PEERS_CONNECTED("cluster: peers connected"),
    /** Bridge: a peer router went down (silent for its timeout, or its link reset); its agents were removed. */
    CLUSTER_PEERS_DOWN("cluster: peers down"),
    /** Bridge: a peer heartbeat whose proof of the shared secret was wrong (a router without the secret). */
    CLUSTER_PEERS_REFUSED("cluster: peers refused"),
    /** Bridge: a bridged message whose link MAC did not verify; the link is reset. */
    CLUSTER_MAC_FAILURES("cluster: link MAC failures"),
    /** Bridge: frames sent to peer routers. */
    CLUSTER_FRAMES_OUT("cluster: frames bridged out"),
    /** Bridge: frames from peer routers delivered to local agents. */
    CLUSTER_FRAMES_IN("cluster: frames bridged in"),
    /** Bridge: frames held because a peer's Aeron publication was back-pressured (the sender sees BACK_PRESSURED). */
    CLUSTER_BACK_PRESSURED("cluster: back-pressured"),
    /** Bridge: frames to an agent of a peer that is not connected (the sender is told). */
    CLUSTER_NOT_CONNECTED("cluster: peer not connected"),
    /** Bridge: messages refused: from an unauthenticated peer, malformed, unknown sender, too large. */
    CLUSTER_FRAMES_REFUSED("cluster: frames refused"),
    /** Bridge: frames from a peer whose local receiver was gone or refused them. */
    CLUSTER_FRAMES_UNDELIVERED("cluster: frames undelivered"),
    /** Bridge: a peer's agent whose name an agent here already holds (not registered here). */
    CLUSTER_NAME_CONFLICTS("cluster: name conflicts"),
    /** Bridge: peers' agents registered here. */
    CLUSTER_AGENTS_REPLICATED("cluster: remote agents registered"),
    /**
     * Bridge: the router's own duty cycle did not run for over a quarter of the peer timeout (a GC pause, a starved
     * CPU); its peers' silence is counted from the end of the stall, so they are not judged down for it.
     */
    CLUSTER_STALLS_EXCUSED("cluster: own stalls excused"),
    /**
     * Bridge: local agents taken out because an agent of a peer router registered the same name at the same time and
     * the cluster's rule gave it the name (the router whose cluster endpoint sorts first keeps it).
     */
    CLUSTER_NAMES_YIELDED("cluster: names yielded"),
    /**
     * Bridge: topic subscriptions and group memberships of a peer's agent left here because the peer's snapshot no
     * longer named them (the leave message was lost to a resync).
     */
    CLUSTER_MEMBERSHIPS_RECONCILED("cluster: memberships reconciled"),
    /**
     * Bridge: the bridge's Aeron client closed (the router stalled past {@code switchboard.cluster.aeron.timeout.ms},
     * or Aeron failed) and the bridge started a new media driver and client; its peers reconnect as after a link reset.
     */
    CLUSTER_AERON_RESTARTS("cluster: Aeron restarts"),
    /**
     * Client: LOW sends to an agent of another router refused at send: {@code TOO_LARGE} over the bridge's largest LOW
     * frame ({@code BridgeLimits.MAX_LOW_FRAME_LENGTH}), or {@code REJECTED} when the registry does not show LOW for
     * it (a peer router whose bridge cannot forward LOW, or an agent without a durable queue).
     */
    LOW_REFUSED_REMOTE_RECEIVER("LOW refused: receiver on another router"),
    /** Bridge, sending side: LOW frames shipped to a peer router (again after a resend). */
    LOW_BRIDGE_SHIPPED("LOW bridge: frames shipped"),
    /** Bridge, sending side: LOW frames the peer confirmed durable in the receiver's queue on its host: delivered. */
    LOW_BRIDGE_CONFIRMED("LOW bridge: frames confirmed (delivered)"),
    /** Bridge, sending side: LOW frames shipped again (no confirmation in time, a gap, a failed append there). */
    LOW_BRIDGE_RESENT("LOW bridge: frames shipped again"),
    /** Bridge, receiving side: LOW frames appended to a local agent's queue for a peer router. */
    LOW_BRIDGE_APPENDED("LOW bridge: frames appended for peers"),
    /** Bridge, receiving side: LOW frames a peer shipped again that were already appended here (skipped). */
    LOW_BRIDGE_DUPLICATES("LOW bridge: duplicates skipped"),
    /**
     * Bridge: LOW frames not carried: a failed append here (shipped again later), a malformed shipment, or a record of
     * the queue there that cannot be forwarded (skipped, reported).
     */
    LOW_BRIDGE_FAILED("LOW bridge: failed"),
    /** Bridge: acks of work items that a peer router dispatched here, sent back to that router. */
    CLUSTER_WORK_ACKS_FORWARDED("cluster: work acks forwarded"),
    /**
     * Bridge: acks of a peer's work items that could not be sent back (its link down, or the pending-ack buffer
     * full); the peer redelivers those items at their ack deadline or when the link goes down (at-least-once).
     */
    CLUSTER_WORK_ACKS_DROPPED("cluster: work acks not forwarded");

    private final String label;

    RouterCounter(final String label)
    {
        this.label = label;
    }

    /**
     * @return human-readable label, as shown by {@code stat}.
     */
    public String label()
    {
        return label;
    }
}
