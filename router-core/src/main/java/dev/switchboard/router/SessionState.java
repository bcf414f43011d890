package dev.switchboard.router;

import dev.switchboard.router.access.Grants;
import dev.switchboard.security.PeerCredentials;

/**
 * The router's state for one {@link Session}: who it is (its agent, credentials, grants), where its handshake stands,
 * and what the router holds for it. One record per session, shared by the parts of the router, each of which writes
 * only its own fields (named on each); every part runs on the duty-cycle thread.
 *
 * <p>Thread-safety: the router's duty-cycle thread only; plain fields. Allocation: made once per connection.
 */
final class SessionState
{
    final Session session;
    /** Per link, the fan-out of this session's frame that a full receiver holds (direct path), or null. Routing. */
    final Fanout[] held = new Fanout[2];
    /** The agent registered on this session, 0 for none. Registration and deregistration. */
    long agentId;
    /** The agent that was registered here last: its frames still in flight are still routed. Deregistration. */
    long departedAgentId;
    /** Kernel credentials of the connection, read once when it is added. */
    PeerCredentials peer = PeerCredentials.UNKNOWN;
    /** This connection's challenge; null for in-process connections. Access control. */
    byte[] nonce;
    /** What the registered agent may do; null before registration. Access control, at registration. */
    Grants grants;
    /** Refused (authentication, handshake deadline) or gone: its frames are ignored while it closes. Sessions. */
    boolean refused;
    /** The heartbeat word as last seen (see {@link Session#heartbeat()}). Leases. */
    long lastHeartbeat = Session.NO_HEARTBEAT;
    /** When the router learned of the session (its clock). Sessions. */
    long connectedNs;
    /** An agent registered on it once: the handshake deadline no longer applies. Registration. */
    boolean everRegistered;
    /** Receiver-gone notices to this sender: the last receiver, when, and how many were not sent since. Routing. */
    long goneTarget;
    long goneNoticeNs;
    int goneSuppressed;

    SessionState(final Session session)
    {
        this.session = session;
    }

    /**
     * @return true for a connection from another process that has not registered yet and is not refused: the
     * handshake deadline runs for it.
     */
    boolean isAwaitingRegistration()
    {
        return !everRegistered && !refused && !peer.inProcess();
    }

    /**
     * @return true while a full receiver holds a frame of this session, on either link.
     */
    boolean holdsFrame()
    {
        return held[Router.PRIMARY_LINK] != null || held[Router.SECONDARY_LINK] != null;
    }
}
