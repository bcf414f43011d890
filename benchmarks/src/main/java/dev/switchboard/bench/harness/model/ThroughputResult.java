/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

/**
 * Messages per second received, with producers sending as fast as the transport accepts.
 *
 * @param producers     producers sending at once (threads of one process, each with its own endpoint).
 * @param payloadLength bytes per message.
 * @param messages      messages received (equal to those sent: a phase waits for every one).
 * @param seconds       from the first message received to the last.
 * @param msgsPerSecond messages / seconds.
 * @param backPressured offers refused as back-pressured and retried (never dropped).
 */
public record ThroughputResult(
    int producers, int payloadLength, long messages, double seconds, double msgsPerSecond, long backPressured)
{
}
