/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.nio.file.Path;
import java.util.BitSet;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A work queue through the router between Java and C, both ways: every item reaches the consumer of the other
 * language and is acked by it (at least once: every sequence number is seen).
 */
@Tag("slow")
class WorkQueueInteropTest
{
    private static final int COUNT = 5_000;
    private static final String QUEUE = "interop-work";

    @TempDir
    Path dir;

    @Test
    void aCAgentConsumesAndAcksEveryItemAJavaAgentEnqueues() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final AgentProcess c = fixture.cAgent("c-consumer", "consume", QUEUE, String.valueOf(COUNT));
            final SwitchboardClient java = fixture.javaAgent("java-producer");
            final long queueId = NameIds.of(QUEUE);
            for (long i = 0; i < COUNT; i++)
            {
                fixture.payload.putLong(0, i);
                int status;
                while ((status = java.enqueue(queueId, Priority.CRITICAL, fixture.payload, 0, Long.BYTES)) ==
                    OfferStatus.BACK_PRESSURED)
                {
                    java.idleStrategy().idle(java.poll(m ->
                    {
                    }));
                }
                assertEquals(OfferStatus.OK, status, "enqueue " + i);
            }
            // the producer keeps polling, as an agent does, until the C consumer has them all
            fixture.pollUntil(java, m ->
            {
            }, () -> !c.process().isAlive(), "the C consumer to take " + COUNT + " items", 120, c);
            assertEquals(0, c.awaitExit(), c.describe());
            final String done = c.awaitLine("DONE ");
            assertEquals(true, done.endsWith(" distinct=" + COUNT), done);
        }
    }

    @Test
    void aJavaAgentConsumesEveryItemACAgentEnqueues() throws Exception
    {
        try (InteropFixture fixture = new InteropFixture(dir))
        {
            final SwitchboardClient java = fixture.javaAgent("java-consumer");
            java.consume(QUEUE);
            final BitSet seen = new BitSet(COUNT);
            final String[] problem = {null};
            final AgentProcess c = fixture.cAgent("c-producer", "produce", QUEUE, String.valueOf(COUNT));
            fixture.pollUntil(java, m ->
            {
                if (m.pattern() != Pattern.WORK)
                {
                    problem[0] = "a " + m.pattern() + " where a work item was expected";
                    return;
                }
                seen.set((int)m.buffer().getLong(m.payloadOffset()));
                int status;
                while ((status = java.ack(m)) == OfferStatus.BACK_PRESSURED)
                {
                    Thread.onSpinWait();
                }
                if (status != OfferStatus.OK)
                {
                    problem[0] = "ack: " + OfferStatus.name(status);
                }
            }, () -> seen.cardinality() >= COUNT || null != problem[0], COUNT + " work items from C", 120, c);
            assertEquals(null, problem[0]);
            assertEquals(COUNT, seen.cardinality());
            assertEquals(COUNT, seen.length(), "no sequence number beyond the last one");
            assertEquals("DONE enqueued=" + COUNT, c.awaitLine("DONE "), c.describe());
            assertEquals(0, c.awaitExit(), c.describe());
        }
    }
}
