/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.runtime;

/**
 * How a {@link TaskHandler} tells its {@link TaskAgent} how far along the task is. The agent sends the latest value
 * to the orchestrator as a PROGRESS report from its duty cycle; values reported faster than that are coalesced (only
 * the latest is sent), values outside 0..100 are clamped, and a value lower than one already reported is ignored.
 *
 * <p>Thread-safe: call it from the handler's thread.
 */
@FunctionalInterface
public interface ProgressReporter
{
    /** Ignores every report. */
    ProgressReporter NONE = percent -> { };

    /** @param percent how much of the task is done, 0..100. */
    void report(int percent);
}
