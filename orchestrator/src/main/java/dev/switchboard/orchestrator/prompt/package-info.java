/*
 * Copyright 2025 Switchboard contributors.
 */
/**
 * What reaches an agent: a {@link dev.switchboard.orchestrator.prompt.TaskPrompt}, the complete, self-contained
 * text of one task (its instructions with their placeholders filled in from the run's scope and repository, the
 * {@link dev.switchboard.orchestrator.prompt.AnalysisFacts} that concern it, and the
 * {@link dev.switchboard.orchestrator.prompt.TaskOutput}s of the tasks it depends on). Depends on the workflow model
 * and the analysis; knows nothing of how an agent is run.
 */
package dev.switchboard.orchestrator.prompt;
