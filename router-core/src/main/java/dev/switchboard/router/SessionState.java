package dev.switchboard.router;

import dev.switchboard.router.access.Grants;
import dev.switchboard.security.PeerCredentials;

/**
 * The router's state for one {@link Session}: who it is (its agent, credentials, grants), where its handshake stands,
 * and what the router holds for it. One record per session, made by {@link Sessions} and shared by the parts of the
 * router, each of which writes only the fields named for it below; every part runs on the duty-cycle thread.
 *
 * <p>Thread-safety: the router's duty-cycle thread only; plain fields. Allocation: made once per connection.
 */
final class SessionState
{
    final Session session;
    /** Per link, the fan-out of this session's frame a full receiver holds (direct path), or null. {@link Routing}. */
    final Fanout[] held = new Fanout[2];
    /** The agent registered on this session, 0 for none. {@link Registrar}. */
    long agentId;
    /** The agent that was registered here last: its frames still in flight are still routed. {@link Registrar}. */
    long departedAgentId;
    /** Kernel credentials of the connection, read once when it is taken. {@link Sessions}. */
    PeerCredentials peer = PeerCredentials.UNKNOWN;
    /** This connection's challenge; null for in-process connections. {@link AccessControl}. */
    byte[] nonce;
    /** What the registered agent may do; null before registration. {@link Registrar}, from {@link AccessControl}. */
    Grants grants;
    /** Refused (authentication, handshake deadline) or gone: its frames are ignored as it closes. {@link Sessions}. */
    boolean refused;
    /** The heartbeat word as last seen (see {@link Session#heartbeat()}). {@link Registrar}. */
    long lastHeartbeat = Session.NO_HEARTBEAT;
    /** When the router took the session (its clock). {@link Sessions}. */
    long connectedNs;
    /** An agent registered on it once: the handshake deadline no longer applies. {@link Sessions}. */
    boolean everRegistered;
    /** Receiver-gone notices to this sender: the last receiver, when, and how many not sent since. {@link Routing}. */
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
