/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.access.Authenticator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's access policy holds for C agents as for Java ones: the same policy file (the one of
 * {@code AuthorisationTest}), roles given by agent name, enforced on the control plane whatever language the agent
 * is written in.
 */
@Tag("slow")
class AccessPolicyInteropTest
{
    private static final String POLICY = """
        role agent publish=jobs.* join=team-* consume=work-*
        role observer subscribe=status.*,jobs.*,registry
        peer user=* name=obs-* role=observer
        peer user=* name=coord-* role=coordinator
        peer user=* name=agent-* role=agent
        """;

    @TempDir
    Path dir;

    private InteropFixture fixture() throws Exception
    {
        final Path policy = dir.resolve("policy.conf");
        Files.writeString(policy, POLICY);
        return new InteropFixture(dir, new RouterContext().authenticator(new Authenticator().policyFile(policy)),
            new IpcContext().underDirectory(dir));
    }

    private static long count(final InteropFixture fixture, final RouterCounter counter)
    {
        return fixture.router().router().counters().block().get(counter);
    }

    @Test
    void aCAgentWhoseNameNoPeerLineCoversIsRefused() throws Exception
    {
        try (InteropFixture fixture = fixture())
        {
            final AgentProcess stranger = fixture.cAgentUnwaited("stranger", "register");
            assertEquals(3, stranger.awaitExit(), stranger.describe());
            final String refused = stranger.awaitLine("REFUSED ");
            assertTrue(refused.startsWith("REFUSED " + ErrorCode.NOT_AUTHORISED.value() + " "), refused);
            assertTrue(refused.contains("no peer line"), refused);
            assertEquals(1, count(fixture, RouterCounter.AUTH_NAME_REFUSED));
        }
    }

    @Test
    void aCObserverGetsNoInboxAndItsSendIsRefused() throws Exception
    {
        try (InteropFixture fixture = fixture())
        {
            final SwitchboardClient target = fixture.javaAgent("agent-target");
            final List<String> received = new CopyOnWriteArrayList<>();
            final AgentProcess observer = fixture.cAgent("obs-c", "probe-observer", "agent-target");
            final String subscribe = observer.awaitLine("SUBSCRIBE ");
            assertTrue(subscribe.startsWith("SUBSCRIBE rc=-1 errcode=" + ErrorCode.NOT_AUTHORISED.value()), subscribe);
            assertEquals("DESTINATION rc=0 direct=0", observer.awaitLine("DESTINATION "),
                "an observer may not send CRITICAL: no inbox to map");
            assertEquals(1, count(fixture, RouterCounter.POLICY_DENIED_CRITICAL_INBOX));
            assertEquals(1, count(fixture, RouterCounter.POLICY_DENIED_SUBSCRIBE));
            final String send = observer.awaitLine("SEND ");
            if (send.equals("SEND OK"))
            {
                // the frame went to the router, whose routed-frame check refuses it and tells the C agent
                fixture.pollUntil(target, m -> received.add(m.pattern() + "@" + m.priority()),
                    () -> count(fixture, RouterCounter.POLICY_DENIED_SEND) == 1, "the router refused the send", 30,
                    observer);
                assertTrue(observer.awaitLine("ERROR ").contains("may not send"), observer.describe());
            }
            else
            {
                assertEquals("SEND NOT_CONNECTED", send);
            }
            assertTrue(received.isEmpty(), "nothing reached the target: " + received);
        }
    }

    @Test
    void aCAgentPublishesOnlyToTheTopicsItsRoleGrants() throws Exception
    {
        try (InteropFixture fixture = fixture())
        {
            final SwitchboardClient coordinator = fixture.javaAgent("coord-j");
            coordinator.subscribe("jobs.build");
            coordinator.subscribe("payroll");
            final List<String> received = new CopyOnWriteArrayList<>();
            final AgentProcess agent = fixture.cAgent("agent-c", "probe-agent");
            assertEquals("PUBLISH jobs.build OK", agent.awaitLine("PUBLISH jobs.build"));
            assertEquals("PUBLISH payroll OK", agent.awaitLine("PUBLISH payroll"), "refused later, by the router");
            fixture.pollUntil(coordinator, m -> received.add(m.pattern() + " " + m.targetId()),
                () -> !received.isEmpty() && count(fixture, RouterCounter.POLICY_DENIED_PUBLISH) == 1,
                "one publish delivered, one refused", 30, agent);
            assertTrue(agent.awaitLine("ERROR ").contains("publish to topic 'payroll' refused"), agent.describe());
            // whatever else is still in flight: the refused publish never reaches the coordinator
            fixture.pollUntil(coordinator, m -> received.add(m.pattern() + " " + m.targetId()), () -> true, "", 1, null);
            assertEquals(List.of("PUBLISH " + dev.switchboard.codecs.NameIds.of("jobs.build")), received);
        }
    }
}
