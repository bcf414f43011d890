/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.prompt;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.switchboard.orchestrator.workflow.Placeholders;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskInstructions;

/**
 * The complete, self-contained prompt of one task: everything an agent that knows nothing else needs to do it.
 * {@link #render} fills the task's {@link TaskInstructions} in (see {@link Placeholders}) and lays them out in
 * Markdown:
 * <pre>
 * # Task TASK-ID: NAME
 * Workflow, capability, repository and scope, one line each
 * ## What to do        the description (the task's name when there is none)
 * ## Context           the context, when there is one
 * ## Acceptance criteria
 * ## Outputs of the tasks this one depends on   summary, changed files and artifacts of each
 * </pre>
 * How the agent reports back is the runner's business and follows after this text. Immutable.
 *
 * @param taskId the task.
 * @param text   the prompt.
 */
public record TaskPrompt(String taskId, String text)
{
    /**
     * What a run is about.
     *
     * @param description free text, e.g. {@code "authentication system"}; empty means the whole repository.
     * @param repository  the repository the agents work on; made absolute.
     * @param issues      the issues the run addresses, resolved to their text ({@code --issues}); empty for none.
     */
    public record Scope(String description, Path repository, String issues)
    {
        /** Validates and normalises. */
        public Scope
        {
            description = description == null || description.isBlank() ? "" : description.strip();
            repository = Objects.requireNonNull(repository, "repository").toAbsolutePath().normalize();
            issues = issues == null ? "" : issues.strip();
        }

        /**
         * A scope without issues.
         *
         * @param description free text; empty means the whole repository.
         * @param repository  the repository the agents work on.
         */
        public Scope(final String description, final Path repository)
        {
            this(description, repository, "");
        }

        /** @return the description, or "the whole repository" when there is none. */
        public String text()
        {
            return description.isEmpty() ? "the whole repository" : description;
        }
    }

    /** Validates. */
    public TaskPrompt
    {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(text, "text");
    }

    /**
     * @param workflow the workflow's name.
     * @param task     the task.
     * @param scope    what the run is about.
     * @param facts    the repository analysis, or {@link AnalysisFacts#NONE}.
     * @param outputs  outputs of finished tasks by task id; those of the task's dependencies are used, a dependency
     *                 without one is said to have left none.
     * @return the prompt.
     */
    public static TaskPrompt render(final String workflow, final TaskDefinition task, final Scope scope,
        final AnalysisFacts facts, final Map<String, TaskOutput> outputs)
    {
        final TaskInstructions instructions = task.instructions();
        final List<TaskOutput> dependencies = task.dependsOn().stream()
            .map(id -> outputs.getOrDefault(id, new TaskOutput(id, "", List.of(), List.of()))).toList();
        final java.util.function.Function<String, String> values = name -> value(name, workflow, task, scope, facts,
            dependencies);
        final StringBuilder sb = new StringBuilder(1024)
            .append("# Task ").append(task.id()).append(": ").append(task.name()).append("\n\n")
            .append("- Workflow: ").append(workflow).append('\n')
            .append("- Capability: ").append(task.capability()).append('\n')
            .append("- Repository: ").append(scope.repository()).append('\n')
            .append("- Scope: ").append(scope.text()).append("\n\n")
            .append("## What to do\n\n")
            .append(instructions.description().isEmpty() ? task.name() + " (scope: " + scope.text() + ")." :
                Placeholders.fill(instructions.description(), values)).append("\n\n");
        final String context = context(instructions, scope, values);
        if (!context.isEmpty())
        {
            sb.append("## Context\n\n").append(context).append("\n\n");
        }
        if (!instructions.acceptanceCriteria().isEmpty())
        {
            sb.append("## Acceptance criteria\n\n");
            instructions.acceptanceCriteria().forEach(c -> sb.append("- ").append(Placeholders.fill(c, values))
                .append('\n'));
            sb.append('\n');
        }
        if (!dependencies.isEmpty())
        {
            sb.append("## Outputs of the tasks this one depends on\n\n").append(outputs(dependencies)).append('\n');
        }
        return new TaskPrompt(task.id(), sb.toString().stripTrailing() + "\n");
    }

    /**
     * The task's context filled in; the run's issues are appended when the task's texts do not place them with
     * {@code ${issues}}, so that they reach every prompt.
     */
    private static String context(final TaskInstructions instructions, final Scope scope,
        final java.util.function.Function<String, String> values)
    {
        final String filled = Placeholders.fill(instructions.context(), values).strip();
        if (scope.issues().isEmpty() || usesIssues(instructions))
        {
            return filled;
        }
        return (filled.isEmpty() ? "" : filled + "\n\n") + "Issues this run addresses:\n\n" + scope.issues();
    }

    private static boolean usesIssues(final TaskInstructions instructions)
    {
        final List<String> texts = new java.util.ArrayList<>(instructions.acceptanceCriteria());
        texts.add(instructions.description());
        texts.add(instructions.context());
        return texts.stream().anyMatch(text -> Placeholders.namesIn(text).contains("issues"));
    }

    private static String value(final String name, final String workflow, final TaskDefinition task,
        final Scope scope, final AnalysisFacts facts, final List<TaskOutput> dependencies)
    {
        return switch (name)
        {
            case "scope" -> scope.text();
            case "issues" -> scope.issues().isEmpty() ? "(no issue named for this run)" : scope.issues();
            case "repo" -> scope.repository().toString();
            case "workflow" -> workflow;
            case "task.id" -> task.id();
            case "task.name" -> task.name();
            case "capability" -> task.capability();
            case "deps" -> outputs(dependencies).strip();
            default -> name.startsWith("context.") ? facts.fact(name.substring("context.".length())) :
                dependencyValue(name, dependencies);
        };
    }

    /** {@code deps.ID.OUTPUT}; the loader has checked ID is a dependency. */
    private static String dependencyValue(final String name, final List<TaskOutput> dependencies)
    {
        final String rest = name.substring("deps.".length());
        final int dot = rest.lastIndexOf('.');
        final String id = rest.substring(0, Math.max(dot, 0));
        final TaskOutput output = dependencies.stream().filter(o -> o.taskId().equals(id)).findFirst().orElse(null);
        if (dot < 0 || output == null)
        {
            return null;
        }
        return switch (rest.substring(dot + 1))
        {
            case "summary" -> output.summary().isEmpty() ? "(no summary)" : output.summary();
            case "changedFiles" -> output.changedFiles().isEmpty() ? "(none)" : String.join(", ", output.changedFiles());
            case "artifacts" -> output.artifacts().isEmpty() ? "(none)" : String.join(", ", output.artifacts());
            default -> null;
        };
    }

    private static String outputs(final List<TaskOutput> dependencies)
    {
        final StringBuilder sb = new StringBuilder();
        for (final TaskOutput output : dependencies)
        {
            sb.append("### ").append(output.taskId()).append("\n\n");
            if (output.summary().isEmpty() && output.changedFiles().isEmpty() && output.artifacts().isEmpty())
            {
                sb.append("(this task left no output)\n\n");
                continue;
            }
            sb.append(output.summary().isEmpty() ? "(no summary)" : output.summary()).append("\n\n");
            list(sb, "Changed files", output.changedFiles());
            list(sb, "Artifacts", output.artifacts());
        }
        return sb.toString();
    }

    private static void list(final StringBuilder sb, final String title, final List<String> items)
    {
        if (!items.isEmpty())
        {
            sb.append(title).append(":\n");
            items.forEach(item -> sb.append("- ").append(item).append('\n'));
            sb.append('\n');
        }
    }
}
