package dev.switchboard.registry;

import dev.switchboard.codecs.sbe.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRegistryTest
{
    private static final long LEASE_NS = 1_000_000_000L;
    private static final long MAX_LEASE_NS = 10_000_000_000L;
    private static final long T0 = 5_000_000L;
    private static final long SESSION = 7;
    private static final int TIERS = (1 << AgentRecord.TIER_CRITICAL) | (1 << AgentRecord.TIER_NORMAL);

    private final AgentRegistry registry = new AgentRegistry(16, LEASE_NS, MAX_LEASE_NS);
    private final RecordingListener listener = new RecordingListener();

    private AgentRecord register(final String name, final long nowNs, final String... capabilities)
    {
        final RegistrationResult result = registry.register(name, List.of(capabilities), 4242, TIERS, 0, SESSION, nowNs);
        assertTrue(result.isOk(), result::toString);
        return result.agent();
    }

    @Test
    void registeredAgentIsFoundByIdByNameAndByCapability()
    {
        final AgentRecord agent = register("Testbed", T0, "compile", "test");

        assertSame(agent, registry.byId(agent.agentId()));
        assertSame(agent, registry.byName("Testbed"));
        assertEquals(List.of(agent), registry.byCapability("compile"));
        assertEquals(List.of(agent), registry.byCapability("test"));
        assertEquals(1, registry.size());
        assertEquals("Testbed", agent.name());
        assertEquals(List.of("compile", "test"), agent.capabilities());
        assertEquals(4242, agent.pid());
        assertEquals(TIERS, agent.tiers());
        assertEquals(SESSION, agent.sessionId());
        assertEquals(T0, agent.registeredAtNs());
        assertEquals(LEASE_NS, agent.leaseNs());
        assertEquals(T0 + LEASE_NS, agent.leaseExpiryNs());
    }

    @Test
    void lookupsOfUnknownValuesFindNothing()
    {
        register("Testbed", T0, "compile");

        assertNull(registry.byName("testbed"));
        assertNull(registry.byName(null));
        assertNull(registry.byId(0));
        assertNull(registry.byId(-1));
        assertNull(registry.byId(Long.MAX_VALUE));
        assertEquals(List.of(), registry.byCapability("Compile"));
        assertEquals(List.of(), registry.byCapability(null));
    }

    @Test
    void byCapabilityListsAgentsInRegistrationOrder()
    {
        final AgentRecord c = register("c", T0, "review");
        final AgentRecord a = register("a", T0 + 1, "review", "plan");
        final AgentRecord b = register("b", T0 + 2, "plan", "review");

        assertEquals(List.of(c, a, b), registry.byCapability("review"));
        assertEquals(List.of(a, b), registry.byCapability("plan"));

        registry.deregister(a.agentId(), DeregistrationReason.REQUESTED);
        final AgentRecord a2 = register("a", T0 + 3, "review");
        assertEquals(List.of(c, b, a2), registry.byCapability("review"));
        assertEquals(List.of(b), registry.byCapability("plan"));
    }

    @Test
    void byCapabilityReturnsAnUnmodifiableSnapshot()
    {
        register("a", T0, "review");
        final List<AgentRecord> snapshot = registry.byCapability("review");

        assertThrows(UnsupportedOperationException.class, () -> snapshot.remove(0));
        register("b", T0, "review");
        assertEquals(1, snapshot.size());
    }

    @Test
    void duplicateCapabilitiesAreDroppedKeepingFirstDeclaredOrder()
    {
        final AgentRecord agent = register("Testbed", T0, "test", "compile", "test", "compile");

        assertEquals(List.of("test", "compile"), agent.capabilities());
        assertEquals(List.of(agent), registry.byCapability("test"));
        assertTrue(agent.hasCapability("compile"));
        assertFalse(agent.hasCapability("deploy"));
        assertThrows(UnsupportedOperationException.class, () -> agent.capabilities().add("deploy"));
    }

    @Test
    void nullCapabilitiesMeanNone()
    {
        final RegistrationResult result = registry.register("bare", null, 1, 0, 0, SESSION, T0);

        assertTrue(result.isOk());
        assertEquals(List.of(), result.agent().capabilities());
    }

    @Test
    void secondLiveRegistrationOfTheSameNameIsRefusedWithNameTaken()
    {
        final AgentRecord first = register("Testbed", T0);

        final RegistrationResult second = registry.register("Testbed", List.of(), 99, TIERS, 0, 8, T0 + 1);

        assertFalse(second.isOk());
        assertNull(second.agent());
        assertEquals(ErrorCode.NAME_TAKEN, second.errorCode());
        assertEquals("name 'Testbed' is already registered by live agent 0x" +
            Long.toHexString(first.agentId()) + " (pid 4242)", second.message());
        assertSame(first, registry.byName("Testbed"));
        assertEquals(1, registry.size());
    }

    @Test
    void nameTakenMessageNamesTheHolderLikeTheWireShowsIt()
    {
        register("a", T0);
        register("b", T0);
        register("Testbed", T0);

        final RegistrationResult second = registry.register("Testbed", List.of(), 1, 0, 0, SESSION, T0);

        assertEquals("name 'Testbed' is already registered by live agent 0x100000003 (pid 4242)", second.message());
    }

    @Test
    void nameIsFreeAgainAfterDeregister()
    {
        final AgentRecord first = register("Testbed", T0);
        assertSame(first, registry.deregister(first.agentId(), DeregistrationReason.REQUESTED));
        assertNull(registry.byName("Testbed"));

        final AgentRecord second = register("Testbed", T0 + 1);

        assertNotEquals(first.agentId(), second.agentId());
        assertSame(second, registry.byName("Testbed"));
    }

    @Test
    void nameIsFreeAgainAfterLeaseExpires()
    {
        final AgentRecord first = register("Testbed", T0);
        assertEquals(1, registry.expireLeases(first.leaseExpiryNs()));

        final AgentRecord second = register("Testbed", first.leaseExpiryNs() + 1);

        assertSame(second, registry.byName("Testbed"));
        assertNull(registry.byId(first.agentId()));
    }

    @Test
    void nameOfAnAgentWhoseLeaseRanOutIsFreeEvenBeforeTheNextSweep()
    {
        registry.addListener(listener);
        final AgentRecord first = register("Testbed", T0);

        final RegistrationResult second = registry.register(
            "Testbed", List.of(), 1, 0, 0, SESSION, first.leaseExpiryNs());

        assertTrue(second.isOk(), second::toString);
        assertEquals(List.of("+Testbed", "-Testbed:EXPIRED", "+Testbed"), listener.events);
    }

    @Test
    void firstAgentGetsGenerationOneSlotZero()
    {
        final AgentRecord agent = register("first", T0);

        assertEquals(0x1_0000_0001L, agent.agentId());
        assertEquals(0, AgentRegistry.slotOf(agent.agentId()));
    }

    @Test
    void agentIdsArePositiveDistinctAndMapBackToTheirSlot()
    {
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < registry.maxAgents(); i++)
        {
            final long id = register("agent-" + i, T0).agentId();
            assertTrue(id > 0, () -> Long.toHexString(id));
            assertEquals(i, AgentRegistry.slotOf(id));
            assertFalse(ids.contains(id));
            ids.add(id);
        }
        assertEquals(-1, AgentRegistry.slotOf(0));
    }

    @Test
    void staleIdDoesNotResolveAfterItsSlotIsReused()
    {
        final AgentRegistry single = new AgentRegistry(1, LEASE_NS, MAX_LEASE_NS);
        final AgentRecord first = single.register("a", List.of(), 1, 0, 0, SESSION, T0).agent();
        single.deregister(first.agentId(), DeregistrationReason.REQUESTED);

        final AgentRecord second = single.register("b", List.of(), 2, 0, 0, SESSION, T0).agent();

        assertEquals(AgentRegistry.slotOf(first.agentId()), AgentRegistry.slotOf(second.agentId()));
        assertNotEquals(first.agentId(), second.agentId());
        assertNull(single.byId(first.agentId()));
        assertSame(second, single.byId(second.agentId()));
        assertFalse(single.renew(first.agentId(), T0 + 1));
        assertNull(single.deregister(first.agentId(), DeregistrationReason.REQUESTED));
        assertSame(second, single.byId(second.agentId()));
    }

    @Test
    void freedSlotsAreReusedOldestFirst()
    {
        final AgentRecord a = register("a", T0);
        final AgentRecord b = register("b", T0);
        registry.deregister(b.agentId(), DeregistrationReason.REQUESTED);
        registry.deregister(a.agentId(), DeregistrationReason.REQUESTED);

        final AgentRecord c = register("c", T0);

        assertEquals(2, AgentRegistry.slotOf(c.agentId()), "never-used slots are older than freed ones");
    }

    @Test
    void heartbeatMovesTheLeaseExpiry()
    {
        final AgentRecord agent = register("Testbed", T0);
        final long heartbeatAt = T0 + LEASE_NS / 2;

        assertTrue(registry.renew(agent.agentId(), heartbeatAt));

        assertEquals(heartbeatAt + LEASE_NS, agent.leaseExpiryNs());
        assertEquals(heartbeatAt + LEASE_NS, registry.nextExpiryNs());
    }

    @Test
    void renewedAgentOutlivesItsOriginalLease()
    {
        final AgentRecord agent = register("Testbed", T0);
        long now = T0;
        for (int i = 0; i < 10; i++)
        {
            now += LEASE_NS - 1;
            assertEquals(0, registry.expireLeases(now));
            assertTrue(registry.renew(agent.agentId(), now));
        }

        assertSame(agent, registry.byId(agent.agentId()));
        assertEquals(1, registry.expireLeases(now + LEASE_NS));
    }

    @Test
    void renewFromAHeartbeatReadLateStillKeepsAnAgentHeardWithinItsLease()
    {
        final AgentRecord agent = register("Testbed", T0);
        final long heardAt = T0 + LEASE_NS + 10; // heard after the old expiry: the judge came late

        assertTrue(registry.renewFrom(agent.agentId(), heardAt));

        assertEquals(heardAt + LEASE_NS, agent.leaseExpiryNs());
        assertEquals(0, registry.expireLeases(heardAt + LEASE_NS - 1));
        assertFalse(registry.renewFrom(agent.agentId(), T0), "an older hearing never shortens a lease");
        assertEquals(1, registry.expireLeases(heardAt + LEASE_NS));
    }

    @Test
    void renewReturnsFalseForUnknownIds()
    {
        register("Testbed", T0);

        assertFalse(registry.renew(0, T0));
        assertFalse(registry.renew(-1, T0));
        assertFalse(registry.renew(0x1_0000_0002L, T0));
        assertFalse(registry.renew(0x2_0000_0001L, T0));
    }

    @Test
    void renewAfterTheLeaseRanOutFailsAndExpiresTheAgent()
    {
        registry.addListener(listener);
        final AgentRecord agent = register("Testbed", T0);

        assertFalse(registry.renew(agent.agentId(), agent.leaseExpiryNs()));

        assertNull(registry.byId(agent.agentId()));
        assertEquals(List.of("+Testbed", "-Testbed:EXPIRED"), listener.events);
    }

    @Test
    void agentIsLiveUntilTheInstantItsLeaseExpires()
    {
        final AgentRecord agent = register("Testbed", T0);

        assertEquals(0, registry.expireLeases(agent.leaseExpiryNs() - 1));
        assertSame(agent, registry.byId(agent.agentId()));
        assertEquals(1, registry.expireLeases(agent.leaseExpiryNs()));
        assertNull(registry.byId(agent.agentId()));
    }

    @Test
    void expiryDeregistersAndNotifiesListenersWithExpiredExactlyOnce()
    {
        final AgentRecord agent = register("Testbed", T0, "compile");
        registry.addListener(listener);

        assertEquals(1, registry.expireLeases(agent.leaseExpiryNs() + 5));
        assertEquals(0, registry.expireLeases(agent.leaseExpiryNs() + 10));
        assertEquals(0, registry.expireLeases(agent.leaseExpiryNs() + 10 * LEASE_NS));

        assertEquals(List.of("-Testbed:EXPIRED"), listener.events);
        assertEquals(0, registry.size());
        assertNull(registry.byName("Testbed"));
        assertEquals(List.of(), registry.byCapability("compile"));
    }

    @Test
    void expireLeasesRemovesOnlyRunOutLeasesEarliestFirst()
    {
        registry.addListener(listener);
        registry.register("long", List.of(), 1, 0, 3 * LEASE_NS, SESSION, T0);
        registry.register("short", List.of(), 1, 0, LEASE_NS, SESSION, T0);
        registry.register("mid", List.of(), 1, 0, 2 * LEASE_NS, SESSION, T0);
        listener.events.clear();

        assertEquals(2, registry.expireLeases(T0 + 2 * LEASE_NS));

        assertEquals(List.of("-short:EXPIRED", "-mid:EXPIRED"), listener.events);
        assertEquals(1, registry.size());
        assertEquals(T0 + 3 * LEASE_NS, registry.nextExpiryNs());
    }

    @Test
    void leasesWithTheSameExpiryExpireInRegistrationOrder()
    {
        registry.addListener(listener);
        register("x", T0);
        register("y", T0);
        register("z", T0);
        listener.events.clear();

        assertEquals(3, registry.expireLeases(T0 + LEASE_NS));

        assertEquals(List.of("-x:EXPIRED", "-y:EXPIRED", "-z:EXPIRED"), listener.events);
    }

    @Test
    void requestedLeaseIsCutToTheMaximumAndZeroOrNegativeMeansTheDefault()
    {
        assertEquals(MAX_LEASE_NS,
            registry.register("long", List.of(), 1, 0, MAX_LEASE_NS + 1, SESSION, T0).agent().leaseNs());
        assertEquals(MAX_LEASE_NS,
            registry.register("max", List.of(), 1, 0, MAX_LEASE_NS, SESSION, T0).agent().leaseNs());
        assertEquals(123,
            registry.register("short", List.of(), 1, 0, 123, SESSION, T0).agent().leaseNs());
        assertEquals(LEASE_NS,
            registry.register("default", List.of(), 1, 0, 0, SESSION, T0).agent().leaseNs());
        assertEquals(LEASE_NS,
            registry.register("negative", List.of(), 1, 0, -5, SESSION, T0).agent().leaseNs());
    }

    @Test
    void leaseExpiryNearTheEndOfTheClockSaturatesInsteadOfWrapping()
    {
        final AgentRecord agent = registry.register(
            "late", List.of(), 1, 0, MAX_LEASE_NS, SESSION, Long.MAX_VALUE - 5).agent();

        assertEquals(Long.MAX_VALUE, agent.leaseExpiryNs());
        assertEquals(0, registry.expireLeases(Long.MAX_VALUE - 1));
    }

    @Test
    void deregisterRemovesTheAgentAndTellsListenersTheReason()
    {
        final AgentRecord agent = register("Testbed", T0, "compile");
        registry.addListener(listener);

        assertSame(agent, registry.deregister(agent.agentId(), DeregistrationReason.REQUESTED));

        assertEquals(List.of("-Testbed:REQUESTED"), listener.events);
        assertNull(registry.byId(agent.agentId()));
        assertEquals(List.of(), registry.byCapability("compile"));
        assertEquals(0, registry.size());
        assertEquals(Long.MAX_VALUE, registry.nextExpiryNs());
    }

    @Test
    void deregisterOfAnUnknownIdReturnsNullAndTellsNoOne()
    {
        final AgentRecord agent = register("Testbed", T0);
        registry.deregister(agent.agentId(), DeregistrationReason.REQUESTED);
        registry.addListener(listener);

        assertNull(registry.deregister(agent.agentId(), DeregistrationReason.REQUESTED));
        assertNull(registry.deregister(0, DeregistrationReason.REQUESTED));

        assertEquals(List.of(), listener.events);
    }

    @Test
    void deregisterSessionRemovesOnlyThatConnectionsAgentsWithConnectionClosed()
    {
        registry.register("a", List.of(), 1, 0, 0, 1, T0);
        registry.register("b", List.of(), 2, 0, 0, 2, T0);
        registry.register("c", List.of(), 3, 0, 0, 1, T0);
        registry.addListener(listener);

        assertEquals(2, registry.deregisterSession(1));
        assertEquals(0, registry.deregisterSession(1));

        assertEquals(List.of("-a:CONNECTION_CLOSED", "-c:CONNECTION_CLOSED"), listener.events);
        assertEquals(1, registry.size());
        assertEquals("b", registry.byName("b").name());
    }

    @Test
    void nextExpiryIsTheEarliestLeaseOrMaxValueWhenEmpty()
    {
        assertEquals(Long.MAX_VALUE, registry.nextExpiryNs());
        registry.register("a", List.of(), 1, 0, 3 * LEASE_NS, SESSION, T0);
        final AgentRecord b = registry.register("b", List.of(), 1, 0, 2 * LEASE_NS, SESSION, T0).agent();

        assertEquals(T0 + 2 * LEASE_NS, registry.nextExpiryNs());
        registry.renew(b.agentId(), T0 + 2 * LEASE_NS - 1);
        assertEquals(T0 + 3 * LEASE_NS, registry.nextExpiryNs());
    }

    @Test
    void forEachVisitsLiveAgentsInRegistrationOrder()
    {
        register("c", T0);
        final AgentRecord a = register("a", T0);
        register("b", T0);
        registry.deregister(a.agentId(), DeregistrationReason.REQUESTED);
        register("a", T0);

        final List<String> names = new ArrayList<>();
        registry.forEach((record) -> names.add(record.name()));

        assertEquals(List.of("c", "b", "a"), names);
    }

    @Test
    void forEachThrowsWhenTheActionChangesTheRegistry()
    {
        register("a", T0);
        register("b", T0);

        assertThrows(ConcurrentModificationException.class,
            () -> registry.forEach((record) -> registry.deregister(record.agentId(), DeregistrationReason.REQUESTED)));
    }

    @Test
    void listenerIsToldOfRegistrationAfterTheRegistryIsUpdated()
    {
        final List<String> seen = new ArrayList<>();
        registry.addListener(new RegistryListener()
        {
            public void onRegistered(final AgentRecord agent)
            {
                seen.add("+" + (registry.byId(agent.agentId()) == agent) + registry.size());
            }

            public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
            {
                seen.add("-" + (registry.byId(agent.agentId()) == agent) + (registry.byName(agent.name()) == null) +
                    registry.size());
            }
        });

        final AgentRecord agent = register("a", T0);
        registry.deregister(agent.agentId(), DeregistrationReason.REQUESTED);

        assertEquals(List.of("+true1", "-falsetrue0"), seen);
    }

    @Test
    void removedListenerIsNoLongerTold()
    {
        registry.addListener(listener);
        registry.addListener(listener);
        register("a", T0);

        assertTrue(registry.removeListener(listener));
        assertFalse(registry.removeListener(listener));
        register("b", T0);

        assertEquals(List.of("+a"), listener.events);
    }

    @Test
    void listenerMayDeregisterAnotherAgentWhileBeingTold()
    {
        final AgentRecord partner = register("partner", T0 + LEASE_NS);
        final AgentRecord agent = register("agent", T0);
        registry.addListener(new RegistryListener()
        {
            public void onRegistered(final AgentRecord agent)
            {
            }

            public void onDeregistered(final AgentRecord gone, final DeregistrationReason reason)
            {
                registry.deregister(partner.agentId(), DeregistrationReason.REQUESTED);
            }
        });
        registry.addListener(listener);

        assertEquals(1, registry.expireLeases(agent.leaseExpiryNs()));

        assertEquals(0, registry.size());
        assertEquals(List.of("-partner:REQUESTED", "-agent:EXPIRED"), listener.events);
    }

    @Test
    void inboxIsSetByTheTransportAndShownWithTheRestInToString()
    {
        final AgentRecord agent = register("Testbed", T0, "compile");
        assertNull(agent.inbox());

        agent.inbox("/dev/shm/switchboard-inbox-1");

        assertEquals("/dev/shm/switchboard-inbox-1", agent.inbox());
        final String text = agent.toString();
        assertTrue(text.contains("agentId=0x100000001"), text);
        assertTrue(text.contains("name='Testbed'"), text);
        assertTrue(text.contains("tiers=critical|normal"), text);
        assertTrue(text.contains("capabilities=[compile]"), text);
        assertTrue(text.contains("inbox='/dev/shm/switchboard-inbox-1'"), text);
    }

    @Test
    void tierBitsFollowTheWireSet()
    {
        final AgentRecord agent = register("Testbed", T0);

        assertTrue(agent.hasTier(AgentRecord.TIER_CRITICAL));
        assertFalse(agent.hasTier(AgentRecord.TIER_HIGH));
        assertTrue(agent.hasTier(AgentRecord.TIER_NORMAL));
        assertFalse(agent.hasTier(64));
        assertEquals("none", AgentRecord.tierNames(0));
        assertEquals("high|low|batch|inProcess", AgentRecord.tierNames(0b111010));
    }

    @Test
    void constructorRefusesSettingsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new AgentRegistry(0, LEASE_NS, MAX_LEASE_NS));
        assertThrows(IllegalArgumentException.class, () -> new AgentRegistry(65_537, LEASE_NS, MAX_LEASE_NS));
        assertThrows(IllegalArgumentException.class, () -> new AgentRegistry(1, 0, MAX_LEASE_NS));
        assertThrows(IllegalArgumentException.class, () -> new AgentRegistry(1, LEASE_NS, -1));
        assertThrows(IllegalArgumentException.class, () -> new AgentRegistry(1, MAX_LEASE_NS + 1, MAX_LEASE_NS));
        assertEquals(65_536, new AgentRegistry(65_536, LEASE_NS, LEASE_NS).maxAgents());
    }

    @Test
    void leasesExpireExactlyWhenASimpleModelSaysSoUnderRandomTraffic()
    {
        final Random random = new Random(42);
        final AgentRegistry subject = new AgentRegistry(64, LEASE_NS, MAX_LEASE_NS);
        final Map<Long, Long> modelExpiryById = new HashMap<>();
        final List<Long> expiredIds = new ArrayList<>();
        subject.addListener(new RegistryListener()
        {
            public void onRegistered(final AgentRecord agent)
            {
            }

            public void onDeregistered(final AgentRecord agent, final DeregistrationReason reason)
            {
                if (DeregistrationReason.EXPIRED == reason)
                {
                    expiredIds.add(agent.agentId());
                }
            }
        });

        long now = T0;
        int names = 0;
        for (int step = 0; step < 20_000; step++)
        {
            now += random.nextInt(50_000_000);
            final int op = random.nextInt(10);
            if (op < 3)
            {
                final long lease = 1 + random.nextInt((int)(2 * LEASE_NS));
                final RegistrationResult result = subject.register(
                    "n" + names++, List.of(), 1, 0, lease, SESSION, now);
                expireModel(modelExpiryById, now, expiredIds);
                if (result.isOk())
                {
                    modelExpiryById.put(result.agent().agentId(), now + lease);
                }
                else
                {
                    assertEquals(ErrorCode.REGISTRY_FULL, result.errorCode());
                }
            }
            else if (op < 8 && !modelExpiryById.isEmpty())
            {
                final List<Long> ids = new ArrayList<>(modelExpiryById.keySet());
                final long id = ids.get(random.nextInt(ids.size()));
                final boolean live = modelExpiryById.get(id) > now;
                assertEquals(live, subject.renew(id, now));
                if (live)
                {
                    modelExpiryById.put(id, now + subject.byId(id).leaseNs());
                }
                else
                {
                    expireModel(modelExpiryById, now, expiredIds);
                }
            }
            else if (op == 8 && !modelExpiryById.isEmpty())
            {
                final List<Long> ids = new ArrayList<>(modelExpiryById.keySet());
                final long id = ids.get(random.nextInt(ids.size()));
                subject.expireLeases(now);
                expireModel(modelExpiryById, now, expiredIds);
                if (modelExpiryById.containsKey(id))
                {
                    subject.deregister(id, DeregistrationReason.REQUESTED);
                    modelExpiryById.remove(id);
                }
            }
            else
            {
                subject.expireLeases(now);
                expireModel(modelExpiryById, now, expiredIds);
            }

            assertEquals(modelExpiryById.size(), subject.size(), "step " + step);
            final long modelNext = modelExpiryById.values().stream().mapToLong(Long::longValue).min()
                .orElse(Long.MAX_VALUE);
            assertEquals(modelNext, subject.nextExpiryNs(), "step " + step);
        }
    }

    private static void expireModel(final Map<Long, Long> modelExpiryById, final long now, final List<Long> expiredIds)
    {
        modelExpiryById.entrySet().removeIf((e) -> e.getValue() <= now);
        for (final long id : expiredIds)
        {
            assertFalse(modelExpiryById.containsKey(id), "expired while model says live: " + Long.toHexString(id));
        }
        expiredIds.clear();
    }
}
