/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python agents ({@code native/python}: the package over libswitchboard, and its example agent) on a real router with
 * Java agents: the package's own pytest suite against this router, then request/response and a work queue between
 * Python and Java, both ways. The Python processes find the router and the library through the environment, as the
 * package's README tells a user to ({@code SWITCHBOARD_SOCKET}, {@code SWITCHBOARD_SHM_DIR},
 * {@code SWITCHBOARD_LIBRARY}).
 */
@Tag("slow")
class PythonInteropTest
{
    private static final int COUNT = 1_000;

    @TempDir
    Path dir;

    private static Map<String, String> environment(final InteropFixture fixture)
    {
        return Map.of(
            "SWITCHBOARD_LIBRARY", NativeBuild.get().sharedLibrary().toString(),
            "SWITCHBOARD_SOCKET", fixture.ipc().socketPath().toString(),
            "SWITCHBOARD_SHM_DIR", fixture.ipc().shmDir().toString(),
            "PYTHONDONTWRITEBYTECODE", "1");
    }

    private AgentProcess python(final InteropFixture fixture, final String name, final String... args)
        throws Exception
    {
        final Path python = NativeBuild.get().root().resolve("native").resolve("python");
        final List<String> command = new java.util.ArrayList<>(List.of("python3",
            python.resolve("examples").resolve("agent.py").toString(), name));
        command.addAll(List.of(args));
        final AgentProcess agent = AgentProcess.start(dir, name, environment(fixture), command);
        agent.awaitLine("READY ");
        return agent;
    }

    @Test
    void thePackagesPytestSuitePassesAgainstARealRouterWithNothingSkipped() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final Path python = NativeBuild.get().root().resolve("native").resolve("python");
            final AgentProcess pytest = AgentProcess.start(dir, "pytest", environment(fixture), List.of("python3", "-m",
                "pytest", "-q", "-rs", "-p", "no:cacheprovider", python.resolve("tests").toString()));
            assertEquals(0, pytest.awaitExit(), pytest.describe());
            final String out = pytest.stdoutText();
            assertTrue(out.contains(" passed"), out);
            assertFalse(out.contains("skipped"), "every test ran: " + out);
        }
    }

    @Test
    void aPythonAgentEchoesAnswersAndConsumesForAJavaAgent() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-peer");
            final AgentProcess py = python(fixture, "py-server", "serve", "--queue", "py-work", "--count",
                String.valueOf(3 * COUNT));
            final Destination toPy = java.destination("py-server", Priority.CRITICAL);
            assertTrue(toPy.isDirect(), "CRITICAL into the Python agent's inbox: " + toPy);

            final long[] echoed = {0};
            final long[] answered = {0};
            final String[] problem = {null};
            final ResponseHandler onResponse = new ResponseHandler()
            {
                @Override
                public void onResponse(final long correlationId, final Message response)
                {
                    if (response.buffer().getLong(response.payloadOffset()) != answered[0])
                    {
                        problem[0] = "response " + answered[0] + " carries the wrong sequence";
                    }
                    answered[0]++;
                }

                @Override
                public void onTimeout(final long correlationId)
                {
                    problem[0] = "request " + correlationId + " timed out";
                }
            };
            for (long i = 0; i < COUNT; i++)
            {
                fixture.payload.putLong(0, i);
                assertEquals(OfferStatus.OK, java.send(toPy, fixture.payload, 0, Long.BYTES), "send " + i);
                final long want = i + 1;
                fixture.pollUntil(java, m ->
                {
                    if (m.pattern() == Pattern.SEND && m.buffer().getLong(m.payloadOffset()) == echoed[0])
                    {
                        echoed[0]++;
                    }
                }, () -> echoed[0] >= want || null != problem[0], "the echo of " + i, 60, py);

                assertTrue(java.request(toPy, fixture.payload, 0, Long.BYTES, TimeUnit.SECONDS.toNanos(30),
                    onResponse) > 0, "request " + i);
                fixture.pollUntil(java, m ->
                {
                }, () -> answered[0] >= want || null != problem[0], "the response to " + i, 60, py);

                assertEquals(OfferStatus.OK,
                    java.enqueue(NameIds.of("py-work"), Priority.CRITICAL, fixture.payload, 0, Long.BYTES));
            }
            assertEquals(null, problem[0]);
            fixture.pollUntil(java, m ->
            {
            }, () -> !py.process().isAlive(), "the Python agent to take the work items", 120, py);
            assertEquals(0, py.awaitExit(), py.describe());
            assertEquals("DONE sends=" + COUNT + " requests=" + COUNT + " work=" + COUNT, py.awaitLine("DONE "));
        }
    }

    @Test
    void aJavaAgentAnswersAPythonAgentsRequests() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-responder");
            final long[] requests = {0};
            final AgentProcess py = python(fixture, "py-requester", "request", "java-responder",
                String.valueOf(COUNT));
            fixture.pollUntil(java, m ->
            {
                assertEquals(Pattern.REQUEST, m.pattern());
                fixture.payload.putLong(0, m.buffer().getLong(m.payloadOffset()));
                // BACK_PRESSURED is an answer a sender retries (the requester's inbox full, or its destination still
                // being resolved), as RequestResponseInteropTest does for a C requester; anything else fails.
                int status;
                while ((status = java.respond(m, fixture.payload, 0, Long.BYTES)) == OfferStatus.BACK_PRESSURED)
                {
                    Thread.onSpinWait();
                }
                assertEquals(OfferStatus.OK, status, OfferStatus.name(status));
                requests[0]++;
            }, () -> requests[0] >= COUNT, COUNT + " requests from Python", 120, py);
            assertEquals(0, py.awaitExit(), py.describe());
            assertEquals("DONE requests=" + COUNT + " responses=" + COUNT + " timeouts=0", py.awaitLine("DONE "));
        }
    }

    @Test
    void aJavaAgentConsumesEveryItemAPythonAgentEnqueues() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-consumer");
            java.consume("py-produced");
            final BitSet seen = new BitSet(COUNT);
            final AgentProcess py = python(fixture, "py-producer", "produce", "py-produced", String.valueOf(COUNT));
            fixture.pollUntil(java, m ->
            {
                assertEquals(Pattern.WORK, m.pattern());
                seen.set((int)m.buffer().getLong(m.payloadOffset()));
                assertEquals(OfferStatus.OK, java.ack(m));
            }, () -> seen.cardinality() >= COUNT, COUNT + " work items from Python", 120, py);
            assertEquals(COUNT, seen.length());
            assertEquals(0, py.awaitExit(), py.describe());
            assertEquals("DONE enqueued=" + COUNT, py.awaitLine("DONE "));
        }
    }
}
