/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.orchestrator.gates.Metric;

/**
 * A {@link TaskHandler} that does what it is told, for demos and recovery tests: succeed with given metrics, fail
 * the first N attempts of each task, always fail with a given error kind, stall (never answer until the agent
 * closes), or crash its process. Work that takes time reports progress in quarters. Records every call.
 *
 * <p>Thread-safe; immutable settings, concurrent call log.
 */
public final class ScriptedTaskHandler implements TaskHandler
{
    /** Exit status of a process a {@link #crashing} handler halts. */
    public static final int CRASH_EXIT_CODE = 86;

    /** Fails of every task, to mean "always". */
    private static final int ALWAYS = Integer.MAX_VALUE;
    /** Slices of the work time, with a progress report after each but the last. */
    private static final int PROGRESS_STEPS = 4;

    private final Map<Metric, Double> metrics;
    private final int failuresPerTask;
    private final String errorKind;
    private final boolean stall;
    private final Duration workTime;
    private final long crashAfterMillis;
    private final Map<String, AtomicInteger> callsByTask = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private ScriptedTaskHandler(
        final Map<Metric, Double> metrics, final int failuresPerTask, final String errorKind, final boolean stall,
        final Duration workTime)
    {
        this(metrics, failuresPerTask, errorKind, stall, workTime, -1);
    }

    private ScriptedTaskHandler(
        final Map<Metric, Double> metrics, final int failuresPerTask, final String errorKind, final boolean stall,
        final Duration workTime, final long crashAfterMillis)
    {
        this.crashAfterMillis = crashAfterMillis;
        this.metrics = Map.copyOf(metrics);
        this.failuresPerTask = failuresPerTask;
        this.errorKind = errorKind;
        this.stall = stall;
        this.workTime = workTime;
    }

    /**
     * @param metrics reported on every task.
     * @return a handler that always succeeds.
     */
    public static ScriptedTaskHandler succeeding(final Map<Metric, Double> metrics)
    {
        return new ScriptedTaskHandler(metrics, 0, "", false, Duration.ZERO);
    }

    /**
     * @param failures  attempts of each task that fail before one succeeds.
     * @param errorKind of those failures.
     * @param metrics   of the success.
     * @return a handler that fails then succeeds.
     */
    public static ScriptedTaskHandler failingFirst(
        final int failures, final String errorKind, final Map<Metric, Double> metrics)
    {
        return new ScriptedTaskHandler(metrics, failures, errorKind, false, Duration.ZERO);
    }

    /**
     * @param errorKind of every failure.
     * @return a handler that never succeeds.
     */
    public static ScriptedTaskHandler alwaysFailing(final String errorKind)
    {
        return new ScriptedTaskHandler(Map.of(), ALWAYS, errorKind, false, Duration.ZERO);
    }

    /** @return a handler that never answers (until interrupted). */
    public static ScriptedTaskHandler stalling()
    {
        return new ScriptedTaskHandler(Map.of(), 0, "", true, Duration.ZERO);
    }

    /**
     * A handler that kills the whole process it runs in ({@code Runtime.halt(}{@value #CRASH_EXIT_CODE}{@code )},
     * no shutdown hooks, like {@code kill -9}) during the first {@code crashes} calls per task, then succeeds. Only
     * for agents in a process of their own ({@link TaskAgentProcess}): in-process it would kill the router's JVM.
     *
     * @param crashes    calls per task that crash.
     * @param afterTime  how long the doomed call works first.
     * @param metrics    of the success.
     * @return the handler.
     */
    public static ScriptedTaskHandler crashing(final int crashes, final Duration afterTime,
        final Map<Metric, Double> metrics)
    {
        return new ScriptedTaskHandler(metrics, crashes, "", false, Duration.ZERO, afterTime.toMillis());
    }

    /**
     * @param time how long each call pretends to work before answering.
     * @return a copy that takes that long.
     */
    public ScriptedTaskHandler takingTime(final Duration time)
    {
        return new ScriptedTaskHandler(metrics, failuresPerTask, errorKind, stall, time, crashAfterMillis);
    }

    @Override
    public TaskOutcome handle(final String taskId, final String capability) throws InterruptedException
    {
        return handle(taskId, capability, ProgressReporter.NONE);
    }

    @Override
    public TaskOutcome handle(final String taskId, final String capability, final ProgressReporter progress)
        throws InterruptedException
    {
        calls.add(taskId);
        final int call = callsByTask.computeIfAbsent(taskId, k -> new AtomicInteger()).incrementAndGet();
        if (stall)
        {
            new CountDownLatch(1).await(); // until the agent closes and interrupts us
        }
        if (crashAfterMillis >= 0 && call <= failuresPerTask)
        {
            Thread.sleep(crashAfterMillis);
            // Logged before the halt: the JDK's console handler flushes each record as it writes it.
            System.getLogger(ScriptedTaskHandler.class.getName()).log(System.Logger.Level.WARNING,
                "scripted crash: halting this process during " + taskId + " (call " + call + ")");
            Runtime.getRuntime().halt(CRASH_EXIT_CODE);
        }
        if (!workTime.isZero())
        {
            // the work in PROGRESS_STEPS equal slices, reporting after each but the last
            final long sliceNanos = workTime.toNanos() / PROGRESS_STEPS;
            for (int step = 1; step <= PROGRESS_STEPS; step++)
            {
                Thread.sleep(Duration.ofNanos(sliceNanos));
                if (step < PROGRESS_STEPS)
                {
                    progress.report(100 * step / PROGRESS_STEPS);
                }
            }
        }
        if (call <= failuresPerTask)
        {
            return TaskOutcome.failure(errorKind, "scripted failure " + call + " of " +
                (failuresPerTask == ALWAYS ? "always" : Integer.toString(failuresPerTask)) + " for " + taskId);
        }
        return TaskOutcome.success(metrics);
    }

    /** @return task ids in the order they were handed to this handler, repeats included. */
    public List<String> calls()
    {
        return List.copyOf(calls);
    }

    /**
     * @param taskId a task.
     * @return how often it was handed to this handler.
     */
    public int callsFor(final String taskId)
    {
        final AtomicInteger n = callsByTask.get(taskId);
        return n == null ? 0 : n.get();
    }
}
