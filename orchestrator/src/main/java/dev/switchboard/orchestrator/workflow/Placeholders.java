/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders a task's {@link TaskInstructions} may use, written {@code ${name}} (<code>$${</code> stands for a
 * literal <code>${</code>):
 * <table>
 *   <caption>Placeholders</caption>
 *   <tr><td>{@code ${scope}}</td><td>what the run is about, free text such as "authentication system"</td></tr>
 *   <tr><td>{@code ${issues}}</td><td>the issues the run addresses ({@code --issues}), resolved to their
 *       text</td></tr>
 *   <tr><td>{@code ${repo}}</td><td>the repository's absolute path</td></tr>
 *   <tr><td>{@code ${workflow}}</td><td>the workflow's name</td></tr>
 *   <tr><td>{@code ${task.id}}, {@code ${task.name}}, {@code ${capability}}</td><td>the task itself</td></tr>
 *   <tr><td>{@code ${context.NAME}}</td><td>an analysis fact: {@code uncovered}, {@code undocumented},
 *       {@code complex}, {@code duplication}, {@code coverage}, {@code security} or {@code gaps}</td></tr>
 *   <tr><td>{@code ${deps}}</td><td>the outputs of every task this one depends on</td></tr>
 *   <tr><td>{@code ${deps.ID.summary}}, {@code ${deps.ID.changedFiles}}, {@code ${deps.ID.artifacts}}</td>
 *       <td>one output of dependency {@code ID}, which must be in the task's {@code dependsOn}</td></tr>
 * </table>
 * A workflow naming any other placeholder is rejected when it is loaded, so a typo never reaches an agent as
 * literal text. Stateless and thread-safe.
 */
public final class Placeholders
{
    /** The analysis facts {@code ${context.NAME}} may name. */
    public static final Set<String> CONTEXT_FACTS =
        Set.of("uncovered", "undocumented", "complex", "duplication", "coverage", "security", "gaps");

    /** The outputs {@code ${deps.ID.OUTPUT}} may name. */
    public static final Set<String> DEPENDENCY_OUTPUTS = Set.of("summary", "changedFiles", "artifacts");

    private static final Set<String> PLAIN = Set.of("scope", "issues", "repo", "workflow", "task.id", "task.name",
        "capability", "deps");

    /** {@code $${...}} (escaped) or {@code ${name}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\$?)\\{([^}]*)}");

    private Placeholders()
    {
    }

    /**
     * The placeholders a text uses, escaped ones left out.
     *
     * @param text a text.
     * @return the names between <code>${</code> and <code>}</code>, in order, repeats included.
     */
    public static List<String> namesIn(final String text)
    {
        final List<String> names = new ArrayList<>();
        final Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find())
        {
            if (matcher.group(1).isEmpty())
            {
                names.add(matcher.group(2));
            }
        }
        return names;
    }

    /**
     * Checks one placeholder name.
     *
     * @param name      a name from {@link #namesIn}.
     * @param dependsOn the ids of the tasks the text's task depends on.
     * @return why the name is not allowed, or {@code null} when it is.
     */
    public static String problemWith(final String name, final List<String> dependsOn)
    {
        if (PLAIN.contains(name))
        {
            return null;
        }
        if (name.startsWith("context."))
        {
            final String fact = name.substring("context.".length());
            return CONTEXT_FACTS.contains(fact) ? null : "unknown analysis fact '${" + name + "}'; known: " +
                sorted(CONTEXT_FACTS.stream().map(f -> "${context." + f + "}").toList());
        }
        if (name.startsWith("deps."))
        {
            final String rest = name.substring("deps.".length());
            final int dot = rest.lastIndexOf('.');
            final String output = dot < 0 ? "" : rest.substring(dot + 1);
            if (dot <= 0 || !DEPENDENCY_OUTPUTS.contains(output))
            {
                return "'${" + name + "}' must be ${deps.ID.OUTPUT} with OUTPUT one of " + sorted(DEPENDENCY_OUTPUTS);
            }
            final String taskId = rest.substring(0, dot);
            return dependsOn.contains(taskId) ? null : "'${" + name + "}' names task '" + taskId +
                "', which is not in this task's dependsOn " + dependsOn;
        }
        return "unknown placeholder '${" + name + "}'; known: ${scope}, ${issues}, ${repo}, ${workflow}, ${task.id}, " +
            "${task.name}, ${capability}, ${context.FACT}, ${deps}, ${deps.ID.OUTPUT}";
    }

    /**
     * Fills the placeholders in.
     *
     * @param text   a text whose placeholders passed {@link #problemWith}.
     * @param values the value of a placeholder name; {@code null} leaves the placeholder as written.
     * @return the text with every placeholder replaced and every <code>$${</code> turned into <code>${</code>.
     */
    public static String fill(final String text, final Function<String, String> values)
    {
        final Matcher matcher = PLACEHOLDER.matcher(text);
        final StringBuilder sb = new StringBuilder(text.length() + 64);
        while (matcher.find())
        {
            final String replacement;
            if (!matcher.group(1).isEmpty())
            {
                replacement = "${" + matcher.group(2) + "}";
            }
            else
            {
                final String value = values.apply(matcher.group(2));
                replacement = value == null ? matcher.group() : value;
            }
            matcher.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(sb);
        return sb.toString();
    }

    private static String sorted(final java.util.Collection<String> names)
    {
        return String.join(", ", names.stream().sorted().toList());
    }
}
