/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.Map;

/**
 * What idle processes cost while nothing is sent: read from {@code /proc} at the start and the end of a window in
 * which the case's agents are registered and idle under their idle strategy.
 *
 * <ul>
 *   <li>CPU: {@code utime + stime} of {@code /proc/<pid>/stat} (the whole process) and of
 *       {@code /proc/<pid>/task/<tid>/stat} (the agent's polling thread), in clock ticks, over the window.</li>
 *   <li>Wake-ups: {@code voluntary_ctxt_switches} of {@code /proc/<pid>/task/<tid>/status}, each thread of the
 *       process; a thread that blocks and is woken counts one. The router's own threads (every thread whose
 *       name is not one of the JVM's: compiler, GC, VM, signal, reference, cleaner threads) are judged; the JVM's
 *       threads are shown apart.</li>
 * </ul>
 *
 * @param seconds                 the window.
 * @param agentProcessCpuPercent  the idle agent's process: CPU time over the window, percent of one CPU.
 * @param agentThreadCpuPercent   its polling thread alone, percent of one CPU.
 * @param agentThreadWakeUps      wake-ups per second of its polling thread.
 * @param routerProcessCpuPercent the router's process, percent of one CPU (NaN when the case has no router).
 * @param routerWakeUps           wake-ups per second of the router's own threads.
 * @param routerJvmWakeUps        wake-ups per second of the router JVM's own threads (GC, compiler, VM threads).
 * @param routerThreads           each router thread judged ("name-tid") with its wake-ups per second.
 * @param agentIdleStrategy       the agent's idle strategy as it describes itself.
 * @param method                  how it was counted, for the report.
 */
public record IdleResult(
    double seconds, double agentProcessCpuPercent, double agentThreadCpuPercent, double agentThreadWakeUps,
    double routerProcessCpuPercent, double routerWakeUps, double routerJvmWakeUps, Map<String, Double> routerThreads,
    String agentIdleStrategy, String method)
{
}
