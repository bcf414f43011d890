package dev.switchboard.client;

import java.util.List;

import dev.switchboard.transport.Tier;

/**
 * What discovery knows of an agent: the answer to a lookup.
 *
 * @param agentId      its id.
 * @param name         its unique name.
 * @param capabilities what it can do.
 * @param pid          its process id.
 * @param tiers        tiers it can use (bitset, see {@link Tier#mask()}).
 * @param inbox        where its CRITICAL inbox lives, empty when it has none.
 * @param host         where it lives: the cluster endpoint of its router when that is another router than this
 *                     client's (bridged routers), empty for an agent of this client's own router.
 */
public record AgentInfo(
    long agentId, String name, List<String> capabilities, long pid, int tiers, String inbox, String host)
{
    @Override
    public String toString()
    {
        return name + "#" + Long.toHexString(agentId) + capabilities + " pid=" + pid + " tiers=" + Tier.describe(tiers) +
            (host == null || host.isEmpty() ? "" : " on " + host);
    }
}
