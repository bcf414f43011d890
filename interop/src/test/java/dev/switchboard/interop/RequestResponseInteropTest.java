/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.Destination;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Request/response between Java and C, both ways, on CRITICAL: each request's response carries the request's
 * sequence number back and arrives for its correlation id; none times out.
 */
@Tag("slow")
class RequestResponseInteropTest
{
    private static final int COUNT = 10_000;

    @TempDir
    Path dir;

    @Test
    void aCAgentAnswersEveryRequestOfAJavaAgent() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-requester");
            final AgentProcess c = fixture.cAgent("c-responder", "respond", String.valueOf(COUNT));
            final Destination toC = java.destination("c-responder", Priority.CRITICAL);
            final long[] answered = {0};
            final long[] timedOut = {0};
            final long[] expected = {0};
            final String[] problem = {null};
            final ResponseHandler handler = new ResponseHandler()
            {
                @Override
                public void onResponse(final long correlationId, final Message response)
                {
                    final long seq = response.buffer().getLong(response.payloadOffset());
                    if (correlationId != expected[0] || seq != answered[0])
                    {
                        problem[0] = "response " + answered[0] + ": correlation " + correlationId + " (expected " +
                            expected[0] + "), seq " + seq;
                    }
                    answered[0]++;
                }

                @Override
                public void onTimeout(final long correlationId)
                {
                    timedOut[0]++;
                }
            };
            for (long i = 0; i < COUNT; i++)
            {
                fixture.payload.putLong(0, i);
                final long correlationId = java.request(toC, fixture.payload, 0, Long.BYTES,
                    TimeUnit.SECONDS.toNanos(30), handler);
                assertEquals(true, correlationId > 0, "request " + i + ": " + OfferStatus.name((int)correlationId));
                expected[0] = correlationId;
                final long want = i + 1;
                fixture.pollUntil(java, m ->
                {
                }, () -> answered[0] + timedOut[0] >= want, "the response to request " + i, 30, c);
                assertEquals(null, problem[0]);
            }
            assertEquals(COUNT, answered[0]);
            assertEquals(0, timedOut[0]);
            assertEquals("DONE responded=" + COUNT, c.awaitLine("DONE "), c.describe());
            assertEquals(0, c.awaitExit(), c.describe());
        }
    }

    @Test
    void aJavaAgentAnswersEveryRequestOfACAgent() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-responder");
            final long[] requests = {0};
            final String[] problem = {null};
            final AgentProcess c = fixture.cAgent("c-requester", "request", "java-responder", String.valueOf(COUNT));
            fixture.pollUntil(java, m ->
            {
                if (m.pattern() != Pattern.REQUEST)
                {
                    problem[0] = "a " + m.pattern() + " where a request was expected";
                    return;
                }
                final long seq = m.buffer().getLong(m.payloadOffset());
                fixture.payload.putLong(0, seq);
                int status;
                while ((status = java.respond(m, fixture.payload, 0, Long.BYTES)) == OfferStatus.BACK_PRESSURED)
                {
                    Thread.onSpinWait();
                }
                if (status != OfferStatus.OK)
                {
                    problem[0] = "respond to " + seq + ": " + OfferStatus.name(status);
                }
                requests[0]++;
            }, () -> requests[0] >= COUNT || null != problem[0], COUNT + " requests from C", 120, c);
            assertEquals(null, problem[0]);
            assertEquals("DONE requests=" + COUNT + " responses=" + COUNT + " timeouts=0", c.awaitLine("DONE "),
                c.describe());
            assertEquals(0, c.awaitExit(), c.describe());
        }
    }
}
