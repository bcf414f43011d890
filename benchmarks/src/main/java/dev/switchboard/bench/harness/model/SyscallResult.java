/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.Map;

/**
 * System calls made per round trip, counted by {@code perf stat} on the syscall tracepoints while a window of
 * {@code messages} ping-pong round trips ran.
 *
 * <p>Keys of the inner maps: {@code total} (every call, {@code raw_syscalls:sys_enter}), a syscall's name for the
 * calls made ({@code read}, {@code io_uring_enter}, ...), and {@code eagain:<name>} for the calls of that name that
 * returned {@code EAGAIN} (an empty read: nothing was there).
 *
 * @param messages     round trips counted.
 * @param perProcess   process role ("initiator", "responder", "server") to syscall key to calls per round trip: every
 *                     thread of the process (JIT, GC and the JVM's other threads too: an upper bound).
 * @param tool         what counted them ("perf stat ...") or why nothing was counted.
 * @param perThread    the measuring thread of each side ("initiator", "responder") to syscall key to calls per round
 *                     trip: the pinned thread that polls and sends, alone. Null when not counted.
 * @param threadTool   how the measuring threads were counted, and the check that the counter was attached (the
 *                     threads' task-clock over the window), or why they were not counted.
 */
public record SyscallResult(
    long messages, Map<String, Map<String, Double>> perProcess, String tool,
    Map<String, Map<String, Double>> perThread, String threadTool)
{
    /** Key of the count of every system call. */
    public static final String TOTAL = "total";

    /** Prefix of the keys counting calls that returned {@code EAGAIN}. */
    public static final String EAGAIN_PREFIX = "eagain:";

    /** Key of the measuring thread's CPU time over the window, ms per round trip (the attach check). */
    public static final String TASK_CLOCK_MS = "task-clock-ms";
}
