/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.prompt;

import java.util.List;
import java.util.Objects;

/**
 * What a finished task left for the tasks that depend on it. Immutable.
 *
 * @param taskId       the task.
 * @param summary      what the agent says it did, for people and for the next agent; may be empty.
 * @param changedFiles files the task changed, relative to the repository, with {@code /} separators.
 * @param artifacts    what else it produced (reports, design documents, benchmark results): paths or short names.
 */
public record TaskOutput(String taskId, String summary, List<String> changedFiles, List<String> artifacts)
{
    /** Validates and copies; {@code null} texts and lists read as empty. */
    public TaskOutput
    {
        Objects.requireNonNull(taskId, "taskId");
        summary = summary == null ? "" : summary.strip();
        changedFiles = changedFiles == null ? List.of() : List.copyOf(changedFiles);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }
}
