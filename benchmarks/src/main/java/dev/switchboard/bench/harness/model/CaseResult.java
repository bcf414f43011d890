/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.List;

/**
 * Everything measured for one case in one run.
 *
 * @param id          the case's id ({@code sb-critical}, {@code aeron-ipc}, {@code c-floor}).
 * @param label       what the report calls it.
 * @param kind        SWITCHBOARD, PEER or FLOOR.
 * @param placement   "2 processes", "2 threads", with the CPUs they were pinned to.
 * @param latency     latency distributions (each method and payload size run).
 * @param throughput  throughput runs (1 and N producers).
 * @param syscalls    system calls per message, or null when not counted for this case.
 * @param skipped     null when the case ran, else why it did not (missing library, no io_uring, ...).
 * @param notes       anything the reader needs to read the numbers (idle strategies, fallbacks seen).
 * @param group       the cases measured in alternating rounds with this one, in group order, this one included
 *                    (one id when it ran alone; null in runs older than paired rounds).
 * @param settings    the settings its processes ran with, "process: setting value" (router and client idle
 *                    strategies, fragment limits, leases); empty when the case states none.
 * @param idle        the idle measurement, or null when the case does not make one.
 */
public record CaseResult(
    String id, String label, String kind, String placement, List<LatencyResult> latency,
    List<ThroughputResult> throughput, SyscallResult syscalls, String skipped, List<String> notes,
    List<String> group, List<String> settings, IdleResult idle)
{
}
