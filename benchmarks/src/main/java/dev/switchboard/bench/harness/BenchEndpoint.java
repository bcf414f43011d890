/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

/**
 * One side of a measured link, in one process (or one thread of an in-process case): it offers messages to the
 * other side and polls what the other side sent. Every case of the harness (a Switchboard tier or a peer library)
 * is reduced to this, so that one harness ({@link InitiatorDriver}, {@link ResponderDriver}) times every case the same way.
 *
 * <p>A message is {@code length} bytes (at least {@link Payload#MIN_LENGTH}): the stamp, the sequence and the kind
 * at the offsets of {@link Payload}, the rest filler. The endpoint owns its send buffer, sized for
 * {@link CaseEnv#maxPayloadLength()}.
 *
 * <p>Thread-safety: one thread per endpoint. Allocation: none per message after construction (each
 * implementation says how it keeps to that).
 */
public interface BenchEndpoint extends AutoCloseable
{
    /**
     * The most messages one {@link #poll} delivers, the same for every case: Aeron's fragment limit, the ring
     * buffer's message limit, the queues' loop bound, Chronicle's documents per poll, the socket peers' frames per
     * read, and Switchboard's client fragment limit ({@code ClientContext.fragmentLimit}). Large enough that a
     * throughput consumer is never limited by it, small enough that a poll returns to the driver's loop often.
     */
    int POLL_LIMIT = 256;

    /**
     * Send one message to the other side: on the responder side, to the initiator it last heard from (or
     * producer 0 before it heard from anyone).
     *
     * @param stamp  {@link System#nanoTime()} at the intended send time (or an echoed stamp).
     * @param seq    sequence number (per phase).
     * @param kind   one of the {@link Payload} kinds.
     * @param length bytes of payload, {@link Payload#MIN_LENGTH} to {@link CaseEnv#maxPayloadLength()}.
     * @return true if the message is on its way; false if back-pressured (nothing was sent, the caller retries).
     */
    boolean offer(long stamp, long seq, int kind, int length);

    /**
     * Deliver what has arrived, in order, to the handler.
     *
     * @param handler receives each message's stamp, sequence and kind.
     * @return messages delivered (0 when nothing arrived).
     */
    int poll(Inbound handler);

    /**
     * What the drivers do after every poll: {@code workCount} is what the poll delivered. The default spins
     * ({@link Thread#onSpinWait()} when nothing came), which is what every raw peer does; a Switchboard endpoint
     * hands the call to its client's idle strategy ({@code SwitchboardClient.idleStrategy()}), so the agents wait
     * as an application using the client would.
     *
     * @param workCount messages the last poll delivered.
     */
    default void idle(final int workCount)
    {
        if (workCount == 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * @return facts the report should show under the case (for example the tier messages arrived on); read
     * after the phases, never on the hot path.
     */
    default java.util.List<String> notes()
    {
        return java.util.List.of();
    }

    /**
     * @return the settings this side runs with, one "setting: value" each (its client's idle strategy, fragment
     * limit, lease, ...), for the report; read once after opening, never on the hot path.
     */
    default java.util.List<String> settings()
    {
        return java.util.List.of();
    }

    /**
     * Release what the endpoint holds (connections, mappings, clients). Never throws.
     */
    @Override
    void close();
}
