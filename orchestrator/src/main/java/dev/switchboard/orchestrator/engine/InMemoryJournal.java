/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A journal in a list: for tests and for workflows that need not survive the process.
 *
 * <p>Not thread-safe. Allocation: the list grows by one reference per event.
 */
public final class InMemoryJournal implements EventJournal
{
    private final List<WorkflowEvent> events = new ArrayList<>();

    /** An empty journal. */
    public InMemoryJournal()
    {
    }

    /**
     * @param events the history to start from, oldest first; copied.
     */
    public InMemoryJournal(final List<WorkflowEvent> events)
    {
        events.forEach(this::append);
    }

    @Override
    public void append(final WorkflowEvent event)
    {
        events.add(Objects.requireNonNull(event, "event"));
    }

    @Override
    public void replay(final Consumer<WorkflowEvent> consumer)
    {
        List.copyOf(events).forEach(consumer);
    }

    /** @return the events so far, oldest first; an unmodifiable copy. */
    public List<WorkflowEvent> events()
    {
        return List.copyOf(events);
    }

    /** @return a new journal holding the same events, to recover an independent engine from. */
    public InMemoryJournal copy()
    {
        return new InMemoryJournal(events);
    }
}
