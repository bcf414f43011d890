/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

/**
 * Receives one message polled by a {@link BenchEndpoint}: the fields at the offsets of {@link Payload}.
 */
@FunctionalInterface
public interface Inbound
{
    /**
     * @param stamp the sender's {@link System#nanoTime()} (same host, same clock).
     * @param seq   the sender's sequence number.
     * @param kind  one of the {@link Payload} kinds.
     */
    void onMessage(long stamp, long seq, int kind);
}
