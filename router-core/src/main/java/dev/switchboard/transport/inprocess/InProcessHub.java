package dev.switchboard.transport.inprocess;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.switchboard.registry.AgentRegistry;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;

/**
 * The in-process transport's meeting point: agents that are threads of the router's JVM connect here.
 * Each connection owns an inbox (a {@link dev.switchboard.ring.ManyToOneRing} in process memory) and a
 * control ring; frames for the router go into the router's ingress; point-to-point frames go straight
 * into the receiver's inbox, found through a lock-free directory indexed by the agent id's registry slot.
 *
 * <p>Thread-safety: {@link #connect()} from any thread; the directory is written by the router thread
 * (bind/unbind) and read by any sender. Allocation: {@link #lookup(long)} allocates nothing.
 */
public final class InProcessHub implements AutoCloseable
{
    private final Router router;
    private final RouterContext ctx;
    private final AtomicReferenceArray<InProcessConnection> directory;
    private final Set<InProcessConnection> connections = ConcurrentHashMap.newKeySet();

    /**
     * Attach an in-process hub to a router; it closes with the router.
     *
     * @param router the router this hub feeds (its context gives ring capacities and max agents).
     */
    public InProcessHub(final Router router)
    {
        this.router = router;
        this.ctx = router.context();
        this.directory = new AtomicReferenceArray<>(ctx.maxAgents() + 1);
        router.addCloseHook(this);
    }

    /**
     * Open a new connection: a fresh inbox and control ring, known to the router before this returns.
     *
     * @return the connection, for {@link dev.switchboard.client.SwitchboardClient#connect}.
     */
    public InProcessConnection connect()
    {
        if (router.isClosed())
        {
            throw new IllegalStateException("the router is closed");
        }
        final InProcessConnection c = new InProcessConnection(
            this, router.nextSessionId(), ctx.inboxCapacity(), ctx.controlCapacity());
        connections.add(c);
        router.addSession(c.session());
        return c;
    }

    Router router()
    {
        return router;
    }

    void bind(final long agentId, final InProcessConnection connection)
    {
        directory.set(AgentRegistry.slotOf(agentId), connection);
    }

    void unbind(final long agentId, final InProcessConnection connection)
    {
        directory.compareAndSet(AgentRegistry.slotOf(agentId), connection, null);
    }

    void forget(final InProcessConnection connection)
    {
        connections.remove(connection);
    }

    /**
     * @param agentId a registered agent's id.
     * @return its connection, or null when no live agent has that id.
     */
    InProcessConnection lookup(final long agentId)
    {
        final int slot = AgentRegistry.slotOf(agentId);
        if (slot < 0 || slot >= directory.length())
        {
            return null;
        }
        final InProcessConnection c = directory.get(slot);
        return c != null && c.agentId() == agentId ? c : null;
    }

    /**
     * Close every connection (the router is going away).
     */
    @Override
    public void close()
    {
        for (final InProcessConnection c : connections)
        {
            c.close();
        }
    }
}
