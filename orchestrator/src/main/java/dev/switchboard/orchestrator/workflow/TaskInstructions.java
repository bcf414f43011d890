/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;

/**
 * What a task asks of its agent, as text with {@link Placeholders placeholders} that are filled in when the task is
 * handed out (the scope, the repository, the analysis facts that concern it, the outputs of its dependencies).
 * Immutable and thread-safe.
 *
 * @param description        what to do; empty means the task's name says it all.
 * @param context            what the agent should know beforehand, typically analysis facts such as
 *                           {@code ${context.uncovered}}; may be empty.
 * @param acceptanceCriteria what must hold when the task is done, one criterion per entry; may be empty.
 */
public record TaskInstructions(String description, String context, List<String> acceptanceCriteria)
{
    /** No instructions beyond the task's name: what workflows written before instructions existed get. */
    public static final TaskInstructions NONE = new TaskInstructions("", "", List.of());

    /**
     * Copies; {@code null} (an old journal or document without the field) reads as empty.
     *
     * @throws IllegalArgumentException if an acceptance criterion is blank.
     */
    public TaskInstructions
    {
        description = description == null ? "" : description.strip();
        context = context == null ? "" : context.strip();
        acceptanceCriteria = acceptanceCriteria == null ? List.of() : List.copyOf(acceptanceCriteria);
        for (final String criterion : acceptanceCriteria)
        {
            TaskDefinition.requireNonBlank(criterion, "acceptance criterion");
        }
    }

    /**
     * @return whether there is nothing here.
     */
    public boolean isEmpty()
    {
        return description.isEmpty() && context.isEmpty() && acceptanceCriteria.isEmpty();
    }

    /**
     * Every text here, description first, for checking placeholders.
     *
     * @return the texts, empty ones left out.
     */
    public List<String> texts()
    {
        final java.util.ArrayList<String> texts = new java.util.ArrayList<>();
        if (!description.isEmpty())
        {
            texts.add(description);
        }
        if (!context.isEmpty())
        {
            texts.add(context);
        }
        texts.addAll(acceptanceCriteria);
        return List.copyOf(texts);
    }
}
