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
 * the first N attempts of each task, always fail with a given error kind, or stall (never answer until the agent
 * closes). Records every call.
 *
 * <p>Thread-safe; immutable settings, concurrent call log.
 */
public final class ScriptedTaskHandler implements TaskHandler
{
    /** Metrics that pass every gate of {@code QualityGates.strict()}. */
    public static final Map<Metric, Double> PASSING_METRICS = Map.of(
        Metric.TEST_COVERAGE_PERCENT, 90.0,
        Metric.CYCLOMATIC_COMPLEXITY_MAX, 4.0,
        Metric.DUPLICATION_PERCENT, 1.0,
        Metric.CRITICAL_VULNERABILITIES, 0.0,
        Metric.HIGH_VULNERABILITIES, 0.0,
        Metric.P95_RESPONSE_MS, 40.0,
        Metric.MEMORY_MB, 200.0,
        Metric.API_DOCS_PERCENT, 100.0);

    /** Fails of every task, to mean "always". */
    private static final int ALWAYS = Integer.MAX_VALUE;

    private final Map<Metric, Double> metrics;
    private final int failuresPerTask;
    private final String errorKind;
    private final boolean stall;
    private final Duration workTime;
    private final Map<String, AtomicInteger> callsByTask = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private ScriptedTaskHandler(
        final Map<Metric, Double> metrics, final int failuresPerTask, final String errorKind, final boolean stall,
        final Duration workTime)
    {
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
     * @param time how long each call pretends to work before answering.
     * @return a copy that takes that long.
     */
    public ScriptedTaskHandler takingTime(final Duration time)
    {
        return new ScriptedTaskHandler(metrics, failuresPerTask, errorKind, stall, time);
    }

    @Override
    public TaskOutcome handle(final String taskId, final String capability) throws InterruptedException
    {
        calls.add(taskId);
        final int call = callsByTask.computeIfAbsent(taskId, k -> new AtomicInteger()).incrementAndGet();
        if (stall)
        {
            new CountDownLatch(1).await(); // until the agent closes and interrupts us
        }
        if (!workTime.isZero())
        {
            Thread.sleep(workTime);
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
