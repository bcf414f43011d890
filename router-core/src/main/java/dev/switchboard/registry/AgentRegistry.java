package dev.switchboard.registry;

import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.sbe.ErrorCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The agent-discovery registry: grants names, ids and leases, answers lookups by id, name and capability,
 * and expires agents whose heartbeats stop.
 *
 * <h2>Agent ids</h2>
 * Each live agent occupies one of {@code maxAgents} slots. Its id packs the slot with the slot's
 * generation, which moves on every time the slot is reused, so an id held by someone after its agent left
 * never resolves to the slot's next occupant:
 * <pre>
 *   63 62                              32 31                                0
 *  +--+----------------------------------+-----------------------------------+
 *  |0 |  generation (1 .. 2^31-1)        |  slot index + 1 (1 .. maxAgents)  |
 *  +--+----------------------------------+-----------------------------------+
 * </pre>
 * Ids are therefore positive and never 0 (0 means "no agent" or ALL on the wire). {@link #slotOf(long)}
 * gives the slot, so a transport can keep per-agent state in plain arrays of {@link #maxAgents()} entries.
 * Freed slots are reused oldest-first, which keeps a just-freed slot (and its directory entries) idle for as
 * long as possible. A slot's generation wraps after 2^31-1 reuses.
 *
 * <h2>Leases</h2>
 * An agent is live while the registry's clock is before its {@link AgentRecord#leaseExpiryNs()}; at that
 * instant its lease has run out. Time is whatever the caller passes as {@code nowNs} (normally
 * {@code System.nanoTime()} once per duty cycle): the registry never reads a clock itself. Calls that take
 * {@code nowNs} and depend on liveness ({@link #register}, {@link #renew}) first expire what has run out,
 * so "live" always means live at {@code nowNs}; {@link #expireLeases(long)} does the same on its own and is
 * meant to be called every duty cycle. Leases are kept in a binary min-heap by expiry, so finding that
 * nothing has expired is one comparison and a renewal is O(log n).
 *
 * <h2>Limits</h2>
 * Names and capabilities are checked against {@link WireLimits}: a name is 1 to
 * {@link WireLimits#MAX_NAME_LENGTH} UTF-8 bytes, at most {@link WireLimits#MAX_CAPABILITIES} capabilities of
 * 1 to {@link WireLimits#MAX_CAPABILITY_LENGTH} UTF-8 bytes each; none may contain an ISO control character
 * or an unpaired surrogate, or be whitespace only. Names and capabilities are compared exactly
 * (case-sensitive, no normalisation). A value over a limit is refused, never truncated.
 *
 * <p>Thread-safety: <b>not thread-safe, by design.</b> The registry belongs to the router's single
 * duty-cycle thread, which is the only thread that may call it or touch the records it hands out; there
 * are no locks or volatile fields to pay for. Listeners are called on that thread.
 *
 * <p>Allocation: {@link #renew}, {@link #byId}, {@link #byName}, {@link #size()}, {@link #nextExpiryNs()} and
 * {@link #expireLeases} allocate nothing (expiring and deregistering allocate nothing in the registry
 * itself; listeners may). {@link #register} allocates the record, its capability list and the result;
 * {@link #byCapability} allocates the returned list.
 */
public final class AgentRegistry
{
    /** Largest {@code maxAgents} a registry accepts. */
    public static final int MAX_AGENTS_LIMIT = 65_536;

    private static final long SLOT_MASK = 0xFFFF_FFFFL;
    private static final int GENERATION_SHIFT = 32;
    private static final int NO_HEAP_INDEX = -1;
    private static final int QUOTED_CODE_POINTS = 32;
    private static final RegistryListener[] NO_LISTENERS = new RegistryListener[0];

    private final int maxAgents;
    private final long defaultLeaseNs;
    private final long maxLeaseNs;

    private final AgentRecord[] recordBySlot;
    private final int[] generationBySlot;

    // Free slots as a FIFO ring: reuse the slot that has been free longest.
    private final int[] freeSlots;
    private int freeHead;
    private int freeCount;

    // Min-heap of occupied slots ordered by (leaseExpiryNs, registrationSequence); heapIndexBySlot inverts it.
    private final int[] expiryHeap;
    private final int[] heapIndexBySlot;
    private int size;

    private final HashMap<String, AgentRecord> recordByName = new HashMap<>();
    private final HashMap<String, ArrayList<AgentRecord>> recordsByCapability = new HashMap<>();

    // Live records in registration order, linked through AgentRecord.previous/next.
    private AgentRecord oldest;
    private AgentRecord newest;
    private long nextRegistrationSequence;
    private int modificationCount;

    // Replaced, never mutated, so a callback may add or remove listeners while they are being told.
    private RegistryListener[] listeners = NO_LISTENERS;

    /**
     * Creates an empty registry.
     *
     * @param maxAgents      how many agents may be registered at once, 1 to {@link #MAX_AGENTS_LIMIT}.
     * @param defaultLeaseNs lease granted when an agent asks for none, &gt; 0 and &le; {@code maxLeaseNs}.
     * @param maxLeaseNs     longest lease granted; longer requests are cut to this, &gt; 0.
     * @throws IllegalArgumentException if a value is out of range.
     */
    public AgentRegistry(final int maxAgents, final long defaultLeaseNs, final long maxLeaseNs)
    {
        if (maxAgents < 1 || maxAgents > MAX_AGENTS_LIMIT)
        {
            throw new IllegalArgumentException(
                "maxAgents is " + maxAgents + "; it must be 1 to " + MAX_AGENTS_LIMIT);
        }
        if (defaultLeaseNs <= 0)
        {
            throw new IllegalArgumentException("defaultLeaseNs is " + defaultLeaseNs + "; it must be > 0");
        }
        if (maxLeaseNs <= 0)
        {
            throw new IllegalArgumentException("maxLeaseNs is " + maxLeaseNs + "; it must be > 0");
        }
        if (defaultLeaseNs > maxLeaseNs)
        {
            throw new IllegalArgumentException(
                "defaultLeaseNs is " + defaultLeaseNs + "; it must not exceed maxLeaseNs " + maxLeaseNs);
        }

        this.maxAgents = maxAgents;
        this.defaultLeaseNs = defaultLeaseNs;
        this.maxLeaseNs = maxLeaseNs;

        recordBySlot = new AgentRecord[maxAgents];
        generationBySlot = new int[maxAgents];
        freeSlots = new int[maxAgents];
        for (int slot = 0; slot < maxAgents; slot++)
        {
            freeSlots[slot] = slot;
        }
        freeCount = maxAgents;
        expiryHeap = new int[maxAgents];
        heapIndexBySlot = new int[maxAgents];
        Arrays.fill(heapIndexBySlot, NO_HEAP_INDEX);
    }

    /**
     * The slot an agent id refers to, for indexing per-agent arrays of {@link #maxAgents()} entries.
     * Meaningful only for ids a registry granted: for other values the result may be negative or
     * &ge; {@code maxAgents}. A slot is shared over time by successive agents; only
     * {@link #byId(long)} tells whether an id is still live.
     *
     * @param agentId an id granted by {@link #register}.
     * @return its slot index, 0 to {@code maxAgents - 1}.
     */
    public static int slotOf(final long agentId)
    {
        return (int)(agentId & SLOT_MASK) - 1;
    }

    /**
     * How many agents may be registered at once; also the length of per-slot arrays.
     *
     * @return maxAgents as constructed.
     */
    public int maxAgents()
    {
        return maxAgents;
    }

    /**
     * Lease granted when an agent asks for none.
     *
     * @return nanoseconds.
     */
    public long defaultLeaseNs()
    {
        return defaultLeaseNs;
    }

    /**
     * Longest lease granted.
     *
     * @return nanoseconds.
     */
    public long maxLeaseNs()
    {
        return maxLeaseNs;
    }

    /**
     * Registers an agent, or says why not.
     *
     * <p>Checks, in order: the name ({@link ErrorCode#NAME_INVALID}); the number of capabilities
     * ({@link ErrorCode#TOO_MANY_CAPABILITIES}, counted as listed, before duplicates are dropped); each
     * capability ({@link ErrorCode#CAPABILITY_INVALID}); then, after expiring leases that have run out at
     * {@code nowNs}, whether a live agent holds the name ({@link ErrorCode#NAME_TAKEN}) and whether a slot
     * is free ({@link ErrorCode#REGISTRY_FULL}). Duplicate capabilities are dropped silently, keeping the
     * first. On success listeners are told {@link RegistryListener#onRegistered}.
     *
     * @param name             unique agent name.
     * @param capabilities     what the agent can do; {@code null} means none.
     * @param pid              the agent's process id, recorded as given.
     * @param tiers            tiers the agent can use, bit positions as in {@link AgentRecord#tiers()}.
     * @param requestedLeaseNs lease asked for; zero or negative means {@link #defaultLeaseNs()}; longer than
     *                         {@link #maxLeaseNs()} is cut to it.
     * @param sessionId        the control connection the registration came on.
     * @param nowNs            the registry's clock now.
     * @return the new record, or an error code and message naming the limit and the value seen.
     */
    public RegistrationResult register(
        final String name,
        final List<String> capabilities,
        final long pid,
        final int tiers,
        final long requestedLeaseNs,
        final long sessionId,
        final long nowNs)
    {
        final String nameProblem = textProblem("name", name, WireLimits.MAX_NAME_LENGTH);
        if (null != nameProblem)
        {
            return RegistrationResult.failure(ErrorCode.NAME_INVALID, nameProblem);
        }

        final List<String> declared = null == capabilities ? List.of() : capabilities;
        final int declaredCount = declared.size();
        if (declaredCount > WireLimits.MAX_CAPABILITIES)
        {
            return RegistrationResult.failure(
                ErrorCode.TOO_MANY_CAPABILITIES,
                "agent '" + quote(name) + "' lists " + declaredCount + " capabilities; the limit is " +
                WireLimits.MAX_CAPABILITIES);
        }

        final LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < declaredCount; i++)
        {
            final String capability = declared.get(i);
            final String problem = textProblem("capability " + i, capability, WireLimits.MAX_CAPABILITY_LENGTH);
            if (null != problem)
            {
                return RegistrationResult.failure(ErrorCode.CAPABILITY_INVALID, problem);
            }
            unique.add(capability);
        }

        expireLeases(nowNs);

        final AgentRecord holder = recordByName.get(name);
        if (null != holder)
        {
            return RegistrationResult.failure(
                ErrorCode.NAME_TAKEN,
                "name '" + quote(name) + "' is already registered by live agent 0x" +
                Long.toHexString(holder.agentId()) + " (pid " + holder.pid() + ")");
        }
        if (size == maxAgents)
        {
            return RegistrationResult.failure(
                ErrorCode.REGISTRY_FULL,
                "registry is full: " + size + " agents registered; the limit is " + maxAgents +
                " (maxAgents); cannot register '" + quote(name) + "'");
        }

        final long leaseNs = requestedLeaseNs <= 0 ? defaultLeaseNs : Math.min(requestedLeaseNs, maxLeaseNs);
        final int slot = takeFreeSlot();
        final int generation = nextGeneration(generationBySlot[slot]);
        generationBySlot[slot] = generation;
        final long agentId = ((long)generation << GENERATION_SHIFT) | (slot + 1);

        final AgentRecord record = new AgentRecord(
            agentId,
            name,
            List.copyOf(unique),
            pid,
            tiers,
            sessionId,
            leaseNs,
            nowNs,
            saturatedAdd(nowNs, leaseNs),
            nextRegistrationSequence++);

        recordBySlot[slot] = record;
        recordByName.put(name, record);
        final List<String> recordCapabilities = record.capabilities();
        for (int i = 0, n = recordCapabilities.size(); i < n; i++)
        {
            recordsByCapability.computeIfAbsent(recordCapabilities.get(i), (k) -> new ArrayList<>()).add(record);
        }
        linkNewest(record);
        heapInsert(slot);
        size++;
        modificationCount++;

        final RegistryListener[] listeners = this.listeners;
        for (final RegistryListener listener : listeners)
        {
            listener.onRegistered(record);
        }

        return RegistrationResult.success(record);
    }

    /**
     * Renews an agent's lease on a heartbeat: its expiry becomes {@code nowNs} plus its lease.
     * A lease that has already run out at {@code nowNs} cannot be renewed: the agent is expired (listeners
     * are told {@link DeregistrationReason#EXPIRED}) and {@code false} returned.
     *
     * <p>Allocation: none (other than what listeners do when something expires).
     *
     * @param agentId the agent's id.
     * @param nowNs   the registry's clock now.
     * @return {@code true} if renewed; {@code false} for an unknown, stale or expired id.
     */
    public boolean renew(final long agentId, final long nowNs)
    {
        final AgentRecord record = byId(agentId);
        if (null == record)
        {
            return false;
        }
        if (record.leaseExpiryNs() <= nowNs)
        {
            expireLeases(nowNs);
            return false;
        }

        record.leaseExpiryNs(saturatedAdd(nowNs, record.leaseNs()));
        final int slot = slotOf(agentId);
        siftDown(heapIndexBySlot[slot]);
        siftUp(heapIndexBySlot[slot]);

        return true;
    }

    /**
     * Renews an agent's lease as of when it was last heard from, as read later (a heartbeat timestamp the agent keeps
     * in shared memory, read when leases are judged): its expiry becomes {@code heardNs} plus its lease when that is
     * later than its current expiry. Unlike {@link #renew}, it applies even when the judge comes after the old expiry
     * (a router descheduled for a moment), as long as the agent was heard within a lease before now: the agent was
     * alive, the judge late.
     *
     * <p>Allocation: none.
     *
     * @param agentId the agent's id.
     * @param heardNs when it was last heard from, on the registry's clock.
     * @return {@code true} if its expiry moved; {@code false} for an unknown or stale id or an older hearing.
     */
    public boolean renewFrom(final long agentId, final long heardNs)
    {
        final AgentRecord record = byId(agentId);
        if (null == record)
        {
            return false;
        }
        final long expiry = saturatedAdd(heardNs, record.leaseNs());
        if (expiry <= record.leaseExpiryNs())
        {
            return false;
        }

        record.leaseExpiryNs(expiry);
        final int slot = slotOf(agentId);
        siftDown(heapIndexBySlot[slot]);
        siftUp(heapIndexBySlot[slot]);

        return true;
    }

    /**
     * Removes an agent; listeners are told {@link RegistryListener#onDeregistered} with {@code reason}. Its
     * name is free and its id no longer resolves once this returns (already so inside the callbacks).
     *
     * @param agentId the agent's id.
     * @param reason  why it leaves.
     * @return the removed record, or {@code null} if the id is unknown or stale.
     */
    public AgentRecord deregister(final long agentId, final DeregistrationReason reason)
    {
        Objects.requireNonNull(reason, "reason");
        final AgentRecord record = byId(agentId);
        if (null != record)
        {
            remove(record, reason);
        }

        return record;
    }

    /**
     * Removes every agent registered on a control connection that has closed, with reason
     * {@link DeregistrationReason#CONNECTION_CLOSED}, in registration order.
     *
     * <p>Allocation: a small list when the connection had agents.
     *
     * @param sessionId the closed connection.
     * @return how many agents were removed.
     */
    public int deregisterSession(final long sessionId)
    {
        ArrayList<AgentRecord> onSession = null;
        for (AgentRecord record = oldest; null != record; record = record.next)
        {
            if (record.sessionId() == sessionId)
            {
                if (null == onSession)
                {
                    onSession = new ArrayList<>();
                }
                onSession.add(record);
            }
        }
        if (null == onSession)
        {
            return 0;
        }

        int removed = 0;
        for (int i = 0, n = onSession.size(); i < n; i++)
        {
            final AgentRecord record = onSession.get(i);
            if (byId(record.agentId()) == record) // a listener may already have removed it
            {
                remove(record, DeregistrationReason.CONNECTION_CLOSED);
                removed++;
            }
        }

        return removed;
    }

    /**
     * Removes every agent whose lease has run out at {@code nowNs} (expiry &le; {@code nowNs}), earliest
     * expiry first; listeners are told {@link DeregistrationReason#EXPIRED} once per agent. Call once per
     * duty cycle.
     *
     * <p>Allocation: none; when nothing has expired this is one comparison.
     *
     * @param nowNs the registry's clock now.
     * @return how many agents expired.
     */
    public int expireLeases(final long nowNs)
    {
        int expired = 0;
        while (size > 0)
        {
            final AgentRecord earliest = recordBySlot[expiryHeap[0]];
            if (earliest.leaseExpiryNs() > nowNs)
            {
                break;
            }
            remove(earliest, DeregistrationReason.EXPIRED);
            expired++;
        }

        return expired;
    }

    /**
     * Earliest lease expiry among live agents, for a duty cycle that wants to know when it next has to call
     * {@link #expireLeases(long)}.
     *
     * <p>Allocation: none.
     *
     * @return the earliest expiry, or {@link Long#MAX_VALUE} when the registry is empty.
     */
    public long nextExpiryNs()
    {
        return 0 == size ? Long.MAX_VALUE : recordBySlot[expiryHeap[0]].leaseExpiryNs();
    }

    /**
     * Looks up a live agent by id, in O(1).
     *
     * <p>Allocation: none.
     *
     * @param agentId the id.
     * @return the record, or {@code null} if the id is unknown or stale (its agent left, even if another
     * agent now has the same slot).
     */
    public AgentRecord byId(final long agentId)
    {
        final int slot = slotOf(agentId);
        if (slot < 0 || slot >= maxAgents)
        {
            return null;
        }
        final AgentRecord record = recordBySlot[slot];

        return null != record && record.agentId() == agentId ? record : null;
    }

    /**
     * Looks up a live agent by its exact name.
     *
     * <p>Allocation: none.
     *
     * @param name the name.
     * @return the record, or {@code null} if no live agent has that name.
     */
    public AgentRecord byName(final String name)
    {
        return null == name ? null : recordByName.get(name);
    }

    /**
     * Live agents that declared a capability (exact match), in registration order.
     *
     * <p>Allocation: the returned list.
     *
     * @param capability the capability.
     * @return an unmodifiable snapshot, empty if none.
     */
    public List<AgentRecord> byCapability(final String capability)
    {
        final ArrayList<AgentRecord> records = null == capability ? null : recordsByCapability.get(capability);

        return null == records ? List.of() : List.copyOf(records);
    }

    /**
     * How many agents are live.
     *
     * @return the count.
     */
    public int size()
    {
        return size;
    }

    /**
     * Visits every live agent in registration order. The action must not register or remove agents.
     *
     * @param action told of each record.
     * @throws ConcurrentModificationException if the action registers or removes an agent.
     */
    public void forEach(final Consumer<AgentRecord> action)
    {
        Objects.requireNonNull(action, "action");
        final int expectedModificationCount = modificationCount;
        for (AgentRecord record = oldest; null != record; record = record.next)
        {
            action.accept(record);
            if (modificationCount != expectedModificationCount)
            {
                throw new ConcurrentModificationException("registry changed while visiting " + record.name());
            }
        }
    }

    /**
     * Adds a listener told of every later registration and deregistration. Adding the same listener twice
     * has no effect.
     *
     * @param listener to add.
     */
    public void addListener(final RegistryListener listener)
    {
        Objects.requireNonNull(listener, "listener");
        for (final RegistryListener existing : listeners)
        {
            if (existing == listener)
            {
                return;
            }
        }
        final RegistryListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[listeners.length] = listener;
        listeners = grown;
    }

    /**
     * Removes a listener.
     *
     * @param listener to remove.
     * @return {@code true} if it was registered.
     */
    public boolean removeListener(final RegistryListener listener)
    {
        final RegistryListener[] current = listeners;
        for (int i = 0; i < current.length; i++)
        {
            if (current[i] == listener)
            {
                final RegistryListener[] shrunk = new RegistryListener[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                listeners = 0 == shrunk.length ? NO_LISTENERS : shrunk;
                return true;
            }
        }

        return false;
    }

    @Override
    public String toString()
    {
        return "AgentRegistry{size=" + size + ", maxAgents=" + maxAgents + ", defaultLeaseNs=" + defaultLeaseNs +
            ", maxLeaseNs=" + maxLeaseNs + "}";
    }

    private void remove(final AgentRecord record, final DeregistrationReason reason)
    {
        final int slot = slotOf(record.agentId());
        heapRemove(slot);
        recordBySlot[slot] = null;
        releaseSlot(slot);
        recordByName.remove(record.name());

        final List<String> capabilities = record.capabilities();
        for (int i = 0, n = capabilities.size(); i < n; i++)
        {
            final String capability = capabilities.get(i);
            final ArrayList<AgentRecord> holders = recordsByCapability.get(capability);
            holders.remove(record);
            if (holders.isEmpty())
            {
                recordsByCapability.remove(capability);
            }
        }
        unlink(record);
        size--;
        modificationCount++;

        final RegistryListener[] listeners = this.listeners;
        for (final RegistryListener listener : listeners)
        {
            listener.onDeregistered(record, reason);
        }
    }

    private int takeFreeSlot()
    {
        final int slot = freeSlots[freeHead];
        freeHead = freeHead + 1 == maxAgents ? 0 : freeHead + 1;
        freeCount--;

        return slot;
    }

    private void releaseSlot(final int slot)
    {
        int tail = freeHead + freeCount;
        if (tail >= maxAgents)
        {
            tail -= maxAgents;
        }
        freeSlots[tail] = slot;
        freeCount++;
    }

    private void linkNewest(final AgentRecord record)
    {
        record.previous = newest;
        record.next = null;
        if (null == newest)
        {
            oldest = record;
        }
        else
        {
            newest.next = record;
        }
        newest = record;
    }

    private void unlink(final AgentRecord record)
    {
        if (null == record.previous)
        {
            oldest = record.next;
        }
        else
        {
            record.previous.next = record.next;
        }
        if (null == record.next)
        {
            newest = record.previous;
        }
        else
        {
            record.next.previous = record.previous;
        }
        record.previous = null;
        record.next = null;
    }

    private void heapInsert(final int slot)
    {
        final int index = size;
        expiryHeap[index] = slot;
        heapIndexBySlot[slot] = index;
        siftUp(index);
    }

    private void heapRemove(final int slot)
    {
        final int index = heapIndexBySlot[slot];
        final int lastIndex = size - 1;
        final int lastSlot = expiryHeap[lastIndex];
        heapIndexBySlot[slot] = NO_HEAP_INDEX;
        if (index != lastIndex)
        {
            expiryHeap[index] = lastSlot;
            heapIndexBySlot[lastSlot] = index;
            siftDown(index, lastIndex);
            siftUp(heapIndexBySlot[lastSlot]);
        }
    }

    private void siftUp(final int startIndex)
    {
        final int slot = expiryHeap[startIndex];
        int index = startIndex;
        while (index > 0)
        {
            final int parentIndex = (index - 1) >>> 1;
            final int parentSlot = expiryHeap[parentIndex];
            if (!expiresBefore(slot, parentSlot))
            {
                break;
            }
            expiryHeap[index] = parentSlot;
            heapIndexBySlot[parentSlot] = index;
            index = parentIndex;
        }
        expiryHeap[index] = slot;
        heapIndexBySlot[slot] = index;
    }

    private void siftDown(final int startIndex)
    {
        siftDown(startIndex, size);
    }

    private void siftDown(final int startIndex, final int heapSize)
    {
        final int slot = expiryHeap[startIndex];
        final int firstLeaf = heapSize >>> 1;
        int index = startIndex;
        while (index < firstLeaf)
        {
            int childIndex = 2 * index + 1;
            int childSlot = expiryHeap[childIndex];
            final int rightIndex = childIndex + 1;
            if (rightIndex < heapSize && expiresBefore(expiryHeap[rightIndex], childSlot))
            {
                childIndex = rightIndex;
                childSlot = expiryHeap[rightIndex];
            }
            if (!expiresBefore(childSlot, slot))
            {
                break;
            }
            expiryHeap[index] = childSlot;
            heapIndexBySlot[childSlot] = index;
            index = childIndex;
        }
        expiryHeap[index] = slot;
        heapIndexBySlot[slot] = index;
    }

    private boolean expiresBefore(final int slotA, final int slotB)
    {
        final AgentRecord a = recordBySlot[slotA];
        final AgentRecord b = recordBySlot[slotB];
        final long expiryA = a.leaseExpiryNs();
        final long expiryB = b.leaseExpiryNs();

        return expiryA < expiryB || (expiryA == expiryB && a.registrationSequence < b.registrationSequence);
    }

    private static int nextGeneration(final int generation)
    {
        return Integer.MAX_VALUE == generation ? 1 : generation + 1;
    }

    private static long saturatedAdd(final long nowNs, final long leaseNs)
    {
        final long sum = nowNs + leaseNs;
        return ((nowNs ^ sum) & (leaseNs ^ sum)) < 0 ? (leaseNs > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    /**
     * What is wrong with a name or capability, or {@code null} if nothing is.
     */
    private static String textProblem(final String what, final String value, final int maxBytes)
    {
        if (null == value)
        {
            return what + " is missing; it needs 1 to " + maxBytes + " UTF-8 bytes";
        }
        if (value.isEmpty())
        {
            return what + " is empty; it needs 1 to " + maxBytes + " UTF-8 bytes";
        }

        int utf8Bytes = 0;
        int controlIndex = -1;
        int unpairedIndex = -1;
        boolean blank = true;
        final int length = value.length();
        for (int i = 0; i < length; )
        {
            final char c = value.charAt(i);
            final int codePoint;
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                codePoint = Character.toCodePoint(c, value.charAt(i + 1));
                utf8Bytes += 4;
                i += 2;
            }
            else
            {
                codePoint = c;
                if (Character.isSurrogate(c) && unpairedIndex < 0)
                {
                    unpairedIndex = i;
                }
                utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                i++;
            }
            if (Character.isISOControl(codePoint) && controlIndex < 0)
            {
                controlIndex = i - 1;
            }
            if (!Character.isWhitespace(codePoint) && !Character.isSpaceChar(codePoint))
            {
                blank = false;
            }
        }

        if (utf8Bytes > maxBytes)
        {
            return what + " '" + quote(value) + "' is " + utf8Bytes + " bytes; the limit is " + maxBytes;
        }
        if (unpairedIndex >= 0)
        {
            return what + " '" + quote(value) + "' contains an unpaired surrogate " +
                codePointName(value.charAt(unpairedIndex)) + " at index " + unpairedIndex;
        }
        if (controlIndex >= 0)
        {
            return what + " '" + quote(value) + "' contains control character " +
                codePointName(value.charAt(controlIndex)) + " at index " + controlIndex;
        }
        if (blank)
        {
            return what + " '" + quote(value) + "' is only whitespace";
        }

        return null;
    }

    /**
     * A value fit to quote in an error message: at most {@link #QUOTED_CODE_POINTS} code points then an
     * ellipsis, control characters and unpaired surrogates escaped as {@code \}{@code uXXXX}.
     */
    private static String quote(final String value)
    {
        final StringBuilder sb = new StringBuilder(Math.min(value.length(), QUOTED_CODE_POINTS * 2) + 8);
        final int length = value.length();
        int codePoints = 0;
        for (int i = 0; i < length; )
        {
            if (codePoints == QUOTED_CODE_POINTS)
            {
                sb.append('\u2026');
                break;
            }
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                sb.append(c).append(value.charAt(i + 1));
                i += 2;
            }
            else
            {
                if (Character.isISOControl(c) || Character.isSurrogate(c))
                {
                    sb.append("\\u").append(hex4(c));
                }
                else
                {
                    sb.append(c);
                }
                i++;
            }
            codePoints++;
        }

        return sb.toString();
    }

    private static String codePointName(final char c)
    {
        return "U+" + hex4(c);
    }

    private static String hex4(final char c)
    {
        final String hex = Integer.toHexString(c).toUpperCase(Locale.ROOT);
        return "0000".substring(hex.length()) + hex;
    }
}
