/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.function.Consumer;

/**
 * A workflow's history: every {@link WorkflowEvent}, inputs and decisions, in the order the engine saw or made
 * them. {@link WorkflowEngine#recover} folds it back into an engine.
 *
 * <p>Implementations say their thread-safety; the engine calls them from one thread.
 */
public interface EventJournal
{
    /**
     * Appends an event; it is durable (as far as the implementation promises) when this returns.
     *
     * @param event the event.
     */
    void append(WorkflowEvent event);

    /**
     * Hands every event, oldest first, to {@code consumer}.
     *
     * @param consumer receives each event.
     */
    void replay(Consumer<WorkflowEvent> consumer);
}
