/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import dev.switchboard.security.PeerCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy file: parsing, errors naming file and line, first-match peer lines, role grants.
 */
class AccessPolicyTest
{
    private static final PeerCredentials ALICE = new PeerCredentials("alice", 1000, "staff", 50, false);
    private static final PeerCredentials BOB = new PeerCredentials("bob", 1001, "ops", 60, false);

    @TempDir
    Path dir;

    @Test
    void errorsNameTheFileAndTheLine() throws Exception
    {
        final Path file = dir.resolve("policy.conf");
        Files.writeString(file, "# policy\nrole agent publish=jobs.*\n\npeer usr=alice role=agent\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> AccessPolicy.load(file));
        assertTrue(ex.getMessage().startsWith(file + ":4: unknown condition 'usr'"), ex.getMessage());
    }

    @Test
    void eachKindOfMistakeIsReportedWithItsLine()
    {
        assertError("p:1: unknown statement 'rol'", "rol agent send=*");
        assertError("p:1: unknown role 'agnet'", "role agnet send=*");
        assertError("p:2: unknown grant 'sned'", "", "role agent sned=*");
        assertError("p:1: unknown priority 'URGENT'", "role agent send=URGENT");
        assertError("p:1: peer line without role", "peer user=alice");
        assertError("p:1: peer line without a condition", "peer role=admin");
        assertError("p:1: uid must be a number", "peer uid=alice role=agent");
        assertError("p:1: expected key=value", "peer user role=agent");
        assertError("p:1: expected yes or no", "role agent enqueue=maybe");
    }

    private static void assertError(final String expectedStart, final String... lines)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> AccessPolicy.parse("p", List.of(lines)));
        assertTrue(ex.getMessage().startsWith(expectedStart), ex.getMessage());
    }

    @Test
    void theFirstMatchingPeerLineGivesTheRole()
    {
        final AccessPolicy policy = AccessPolicy.parse("p", List.of(
            "peer user=alice name=coord-* role=coordinator",
            "peer uid=1000 role=agent   # alice's other names",
            "peer group=ops role=observer",
            "peer subject=billing-* role=agent"));
        assertEquals(Role.COORDINATOR, policy.match(ALICE, "coord-1", null).role());
        assertEquals(Role.AGENT, policy.match(ALICE, "worker", null).role());
        assertEquals(Role.OBSERVER, policy.match(BOB, "x", null).role());
        assertTrue(policy.admitsAtConnect(BOB));
        final PeerCredentials carol = new PeerCredentials("carol", 1002, "users", 70, false);
        assertTrue(policy.admitsAtConnect(carol), "a subject line may still admit carol at Register, with a JWT");
        assertNull(policy.match(carol, "billing-1", null), "subject lines need a JWT");
        assertEquals(Role.AGENT, policy.match(carol, "billing-1", "billing-*").role());
    }

    @Test
    void withoutAPolicyFileOnlyTheRoutersOwnUserIsAdmitted()
    {
        final AccessPolicy policy = AccessPolicy.sameUser(ALICE);
        assertTrue(policy.admitsAtConnect(ALICE));
        assertFalse(policy.admitsAtConnect(BOB));
        assertFalse(policy.admitsAtConnect(PeerCredentials.UNKNOWN));
        assertTrue(policy.admitsAtConnect(PeerCredentials.IN_PROCESS));
        assertEquals(Role.ADMIN, policy.match(ALICE, "anything", null).role());
    }

    @Test
    void builtInRolesFollowTheTable()
    {
        final Grants observer = Grants.defaults(Role.OBSERVER);
        assertTrue(observer.maySubscribe("t"));
        assertFalse(observer.maySend(2));
        assertFalse(observer.mayPublish("t"));
        assertFalse(observer.mayJoin("g"));
        final Grants agent = Grants.defaults(Role.AGENT);
        assertTrue(agent.maySend(0));
        assertTrue(agent.mayBroadcast(2));
        assertFalse(agent.mayBroadcast(0), "only coordinators broadcast on CRITICAL");
        assertFalse(agent.mayEnqueue());
        final Grants coordinator = Grants.defaults(Role.COORDINATOR);
        assertTrue(coordinator.mayBroadcast(0));
        assertTrue(coordinator.mayEnqueue());
        assertTrue(Grants.defaults(Role.ADMIN).unrestrictedData());
        assertFalse(agent.unrestrictedData());
    }

    @Test
    void roleLinesReplaceOnlyTheKeysTheyName()
    {
        final AccessPolicy policy = AccessPolicy.parse("p", List.of(
            "role agent publish=jobs.*,status.? send=HIGH,NORMAL critical-to=none"));
        final Grants agent = policy.grants(Role.AGENT);
        assertTrue(agent.mayPublish("jobs.build"));
        assertTrue(agent.mayPublish("status.1"));
        assertFalse(agent.mayPublish("status.12"));
        assertFalse(agent.mayPublish("secrets"));
        assertTrue(agent.maySend(1));
        assertFalse(agent.maySend(0));
        assertFalse(agent.maySendCriticalTo("anyone"));
        assertTrue(agent.mayJoin("any"), "join keeps the built-in value");
    }

    @Test
    void globsMatchWholeNames()
    {
        assertTrue(Glob.matches("a*c", "abbbc"));
        assertTrue(Glob.matches("a*", "a"));
        assertTrue(Glob.matches("*.log", "x.y.log"));
        assertFalse(Glob.matches("a*c", "abcd"));
        assertFalse(Glob.matches("a?c", "ac"));
        assertTrue(Glob.of("x, y*").matches("yes"));
        assertFalse(Glob.of("none").matches("none"));
    }
}
