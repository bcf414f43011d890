package dev.switchboard.router.process;

import dev.switchboard.router.process.socket.HighLinks;
import dev.switchboard.router.process.socket.SessionLink;
import dev.switchboard.router.process.socket.TierLinks;
import dev.switchboard.security.PeerCredentials;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The router's directory of registered agents a HIGH link may attach to (see {@link HighLinks}): filled as agents
 * register on their control connection and emptied as they leave, by their {@link RouterTierLinks}.
 *
 * <p>Thread-safety: the router's duty-cycle thread (registration and the HIGH engine both run there); {@link #refused()}
 * from any thread.
 */
final class HighAgents implements HighLinks
{
    private final Long2ObjectHashMap<RouterTierLinks> agents = new Long2ObjectHashMap<>();
    private volatile long refused; // written by the duty cycle only

    void register(final long agentId, final RouterTierLinks links)
    {
        agents.put(agentId, links);
    }

    void unregister(final long agentId, final RouterTierLinks links)
    {
        if (agents.get(agentId) == links)
        {
            agents.remove(agentId);
        }
    }

    @Override
    public TierLinks attach(final long agentId, final int uid, final int gid, final SessionLink link)
    {
        final RouterTierLinks links = agents.get(agentId);
        final PeerCredentials control = links == null ? PeerCredentials.UNKNOWN : links.peer();
        final boolean same = links != null && control.isKnown() && !control.inProcess() && uid == control.uid() &&
            (control.gid() < 0 || gid == control.gid());
        if (!same)
        {
            refused = refused + 1;
            return null;
        }
        links.attachHigh(link);
        return links;
    }

    @Override
    public void detach(final TierLinks links, final SessionLink link)
    {
        if (links instanceof RouterTierLinks routerLinks)
        {
            routerLinks.detachHigh(link);
        }
    }

    @Override
    public long refused()
    {
        return refused;
    }
}
