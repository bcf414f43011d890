/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.access.Authenticator;
import dev.switchboard.router.access.Role;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * In-process connections are trusted code, never challenged, with a configurable role (default admin); and a bad
 * policy file stops the router from starting, naming the file and the line.
 */
@Timeout(30)
class InProcessRoleTest
{
    @TempDir
    Path dir;

    @Test
    void inProcessAgentsAreAdminByDefault()
    {
        try (RouterFixture f = new RouterFixture())
        {
            final SwitchboardClient coordinator = f.agent("any-name");
            final SwitchboardClient other = f.agent("other");
            assertEquals(0, coordinator.broadcast(Priority.CRITICAL, new UnsafeBuffer(new byte[8]), 0, 8));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            final int[] got = {0};
            while (got[0] == 0)
            {
                other.poll(m -> got[0]++);
                if (System.nanoTime() > deadline)
                {
                    fail("broadcast not delivered: " + f.router.counters().report());
                }
            }
            assertEquals(0, f.counter(RouterCounter.POLICY_DENIED_BROADCAST));
        }
    }

    @Test
    void theInProcessRoleIsConfigurable()
    {
        final List<String> errors = new CopyOnWriteArrayList<>();
        try (RouterFixture f = new RouterFixture(
            new RouterContext().authenticator(new Authenticator().inProcessRole(Role.OBSERVER))))
        {
            final SwitchboardClient observer = f.client(new ClientListener()
            {
                @Override
                public void onError(final long correlationId, final ErrorCode code, final String text)
                {
                    errors.add(text);
                }
            });
            observer.register("watcher");
            assertThrows(SwitchboardException.class, () -> observer.joinGroup("g"));
            // Point-to-point in-process frames go straight into the receiver's inbox (trusted code, like CRITICAL
            // between processes); a broadcast passes the router, which checks it.
            observer.broadcast(Priority.NORMAL, new UnsafeBuffer(new byte[8]), 0, 8);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (errors.isEmpty())
            {
                observer.poll(m -> fail("an observer receives nothing here"));
                if (System.nanoTime() > deadline)
                {
                    fail("no error for the observer's broadcast: " + f.router.counters().report());
                }
            }
            assertTrue(errors.getFirst().contains("role observer may not broadcast"), errors.toString());
            assertEquals(1, f.counter(RouterCounter.POLICY_DENIED_BROADCAST));
            assertEquals(1, f.counter(RouterCounter.POLICY_DENIED_JOIN));
        }
    }

    @Test
    void aBadPolicyFileStopsTheRouterNamingFileAndLine() throws Exception
    {
        final Path policy = dir.resolve("policy.conf");
        Files.writeString(policy, "peer user=root role=admin\nrole agent broadcast=LOUD\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new RouterContext().authenticator(new Authenticator().policyFile(policy)).conclude());
        assertTrue(ex.getMessage().startsWith(policy + ":2: unknown priority 'LOUD'"), ex.getMessage());
    }
}
