package dev.switchboard.router.cluster;

import dev.switchboard.router.Session;
import dev.switchboard.security.PeerCredentials;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * The proxy of an agent that lives on a peer router: registered in this router's registry under the agent's name, so
 * that lookups, watchers and name uniqueness see it, and whatever routing delivers to it ({@link #deliver}) is carried
 * over the bridge to the agent's own router. Control replies to it (registry events, errors) are not carried: its own
 * router tells it.
 *
 * <p>Thread: the router's duty cycle only. Allocation: none per frame.
 */
final class RemoteAgentSession implements Session
{
    private static final int MAX_CONTROL_LENGTH = 64 * 1024;

    private final int sessionId;
    private final PeerLink link;
    private final long remoteAgentId;
    private long localAgentId;
    private boolean open = true;
    /** Set by a snapshot's beginning, cleared when the snapshot names it again: those left are gone. */
    boolean stale;
    /**
     * Its topic subscriptions ({@code "t:" + topic}) and group memberships ({@code "g:" + group}) as its router
     * announced them (control plane only).
     */
    final java.util.Set<String> memberships = new java.util.HashSet<>();
    /** During a snapshot of its router: the memberships the snapshot has not named again yet (else null). */
    java.util.Set<String> unconfirmed;

    RemoteAgentSession(final int sessionId, final PeerLink link, final long remoteAgentId)
    {
        this.sessionId = sessionId;
        this.link = link;
        this.remoteAgentId = remoteAgentId;
    }

    /** @return the agent's id on its own router. */
    long remoteAgentId()
    {
        return remoteAgentId;
    }

    /** @return the proxy's agent id on this router (0 before it is registered). */
    long localAgentId()
    {
        return localAgentId;
    }

    /** @return the link to the agent's router. */
    PeerLink link()
    {
        return link;
    }

    /** The proxy is no longer registered: the router drops the session at its next timer. */
    void close()
    {
        open = false;
    }

    @Override
    public int sessionId()
    {
        return sessionId;
    }

    @Override
    public Tier tier()
    {
        return Tier.NORMAL;
    }

    @Override
    public int tiers()
    {
        return -1;
    }

    /**
     * @return the cluster endpoint of the agent's router ({@code host:port}): unique per router, where its host name
     * need not be (two routers of one machine).
     */
    @Override
    public String host()
    {
        return link.endpoint();
    }

    @Override
    public int deliver(final DirectBuffer buffer, final int offset, final int length)
    {
        return open ? link.forward(this, buffer, offset, length) : OfferStatus.NOT_CONNECTED;
    }

    @Override
    public int sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        return OfferStatus.OK; // its own router answers and tells it
    }

    @Override
    public int maxControlLength()
    {
        return MAX_CONTROL_LENGTH;
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    /** The proxy's lease is renewed while its router's heartbeats keep coming. */
    @Override
    public long heartbeat()
    {
        return link.heartbeatsHeard();
    }

    @Override
    public PeerCredentials peer()
    {
        return PeerCredentials.IN_PROCESS; // no challenge: its own router authenticated it, this one its router
    }

    @Override
    public void onAgentBound(final long agentId, final String name)
    {
        localAgentId = agentId;
    }

    @Override
    public void onAgentUnbound(final long agentId)
    {
        open = false;
    }

    @Override
    public String toString()
    {
        return "RemoteAgentSession{" + sessionId + ", agent " + remoteAgentId + " on " + link.endpoint() + "}";
    }
}
