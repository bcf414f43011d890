/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java agent and a C agent exchange a million CRITICAL messages each way at once, each side writing straight into
 * the other's /dev/shm inbox: every message arrives, in order, on the CRITICAL tier, counted on both sides.
 */
@Tag("slow")
class CriticalStreamInteropTest
{
    private static final long COUNT = 1_000_000;
    private static final int BURST = 256;

    @TempDir
    Path dir;

    @Test
    void aMillionCriticalMessagesEachWayBetweenJavaAndCArriveInOrder() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-peer");
            final AgentProcess c = fixture.cAgent("c-peer", "stream", "java-peer", String.valueOf(COUNT));
            final Destination toC = java.destination("c-peer", Priority.CRITICAL);

            final long[] next = {0};
            final String[] problem = {null};
            long sent = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (sent < COUNT || next[0] < COUNT)
            {
                for (int i = 0; i < BURST && sent < COUNT; i++)
                {
                    fixture.payload.putLong(0, sent);
                    final int status = java.send(toC, fixture.payload, 0, Long.BYTES);
                    if (status == OfferStatus.BACK_PRESSURED)
                    {
                        break;
                    }
                    assertEquals(OfferStatus.OK, status, "send " + sent + " to the C agent");
                    sent++;
                }
                java.poll(m ->
                {
                    if (null == problem[0])
                    {
                        final long seq = m.buffer().getLong(m.payloadOffset());
                        if (m.tier() != Tier.CRITICAL || m.payloadLength() != Long.BYTES || seq != next[0])
                        {
                            problem[0] = "message " + next[0] + " from C: seq " + seq + ", tier " + m.tier() +
                                ", length " + m.payloadLength();
                        }
                        next[0]++;
                    }
                });
                assertEquals(null, problem[0]);
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("sent " + sent + ", received " + next[0] + " of " + COUNT + "\n" +
                        c.describe());
                }
            }
            assertEquals(0, c.awaitExit(), c.describe());
            final String done = c.awaitLine("DONE ");
            assertEquals("DONE sent=" + COUNT + " received=" + COUNT + " in_order=" + COUNT, done, c.describe());
            assertEquals(COUNT, next[0]);
            assertTrue(sent == COUNT);
        }
    }
}
