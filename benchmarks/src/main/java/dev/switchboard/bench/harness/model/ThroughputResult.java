/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.List;

/**
 * Messages per second received, with producers sending as fast as the transport accepts.
 *
 * @param producers     producers sending at once (threads of one process, each with its own endpoint).
 * @param payloadLength bytes per message.
 * @param messages      messages received over every round (equal to those sent: a round waits for every one).
 * @param seconds       the rounds' times added up, each from its first message received to its last.
 * @param msgsPerSecond messages / seconds.
 * @param backPressured offers refused as back-pressured and retried (never dropped), every round.
 * @param roundRates    msgs/s of each round, in run order (empty for runs older than paired rounds).
 */
public record ThroughputResult(
    int producers, int payloadLength, long messages, double seconds, double msgsPerSecond, long backPressured,
    List<Double> roundRates)
{
    /**
     * @return the per-round rates, never null.
     */
    public List<Double> roundRatesOrEmpty()
    {
        return null == roundRates ? List.of() : roundRates;
    }
}
