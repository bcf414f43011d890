/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.Map;

/**
 * System calls made per message, counted by {@code perf stat} on the tracepoints of each process of the case
 * while a phase of {@code messages} round trips ran (JVM background threads included, so read small numbers
 * as an upper bound).
 *
 * @param messages   round trips counted (ping-pong: two messages each).
 * @param perProcess process role ("initiator", "responder", "server") to syscall name ("total", "io_uring_enter",
 *                   "write", ...) to calls per round trip.
 * @param tool       what counted them ("perf stat ...") or why nothing was counted.
 */
public record SyscallResult(long messages, Map<String, Map<String, Double>> perProcess, String tool)
{
}
