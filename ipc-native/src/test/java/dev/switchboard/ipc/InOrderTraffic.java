/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;

/** Numbered messages from one live client to another, checked to arrive in order; for the link tests. */
final class InOrderTraffic
{
    private InOrderTraffic()
    {
    }

    /**
     * Sends {@code count} messages numbered from 0 at {@code priority}, retrying back-pressured sends, polling both
     * clients, for at most 20 s.
     *
     * @param from      sender.
     * @param to        receiver.
     * @param count     how many.
     * @param priority  of the messages.
     * @param onArrival told the tier each one arrived on.
     * @return how many arrived, each in order (an out-of-order one fails the test).
     */
    static int exchange(final SwitchboardClient from, final SwitchboardClient to, final int count,
        final Priority priority, final Consumer<Tier> onArrival)
    {
        final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
        final int[] seen = {0};
        int sent = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen[0] < count && System.nanoTime() < deadline)
        {
            if (sent < count)
            {
                payload.putLong(0, sent);
                if (from.send(to.agentId(), priority, payload, 0, 32) == OfferStatus.OK)
                {
                    sent++;
                }
            }
            from.poll(m -> { });
            to.poll(m ->
            {
                assertEquals(seen[0], m.buffer().getLong(m.payloadOffset()), "in order");
                seen[0]++;
                onArrival.accept(m.tier());
            });
        }
        return seen[0];
    }
}
