/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's command line with variables, written {@code ${name}}:
 * <table>
 *   <caption>Command variables</caption>
 *   <tr><td>{@code ${prompt.file}}</td><td>the file holding the prompt</td></tr>
 *   <tr><td>{@code ${prompt}}</td><td>the prompt text itself</td></tr>
 *   <tr><td>{@code ${result.file}}</td><td>where the agent writes its {@link ResultFile}</td></tr>
 *   <tr><td>{@code ${run.dir}}</td><td>the invocation's run directory (prompt, result, logs)</td></tr>
 *   <tr><td>{@code ${repo}}</td><td>the directory the command runs in: the repository or its worktree</td></tr>
 *   <tr><td>{@code ${task.id}}, {@code ${agent}}</td><td>the task and the agent's name</td></tr>
 *   <tr><td>{@code ${agents.dir}}</td><td>the directory of the agents file, for scripts kept beside it</td></tr>
 * </table>
 * A list of words is run as is, each variable replaced inside its word (no shell, so no quoting matters). A single
 * string is run with {@code sh -c}, each value replaced shell-quoted, so a prompt full of quotes and newlines
 * arrives intact. Immutable.
 *
 * @param words the program and its arguments, or the one shell command line.
 * @param shell whether {@code words} is one line for {@code sh -c}.
 */
public record CommandTemplate(List<String> words, boolean shell)
{
    /** The variables a command may use. */
    public static final Set<String> VARIABLES =
        Set.of("prompt.file", "prompt", "result.file", "run.dir", "repo", "task.id", "agent", "agents.dir");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** Validates and copies. */
    public CommandTemplate
    {
        words = List.copyOf(words);
        if (words.isEmpty() || words.getFirst().isBlank())
        {
            throw new IllegalArgumentException("a command needs a program, but was " + words);
        }
        if (shell && words.size() != 1)
        {
            throw new IllegalArgumentException("a shell command is one line, but was " + words);
        }
    }

    /**
     * @param line a command line for {@code sh -c}.
     * @return the template.
     */
    public static CommandTemplate shell(final String line)
    {
        return new CommandTemplate(List.of(line), true);
    }

    /**
     * @param words the program and its arguments.
     * @return the template.
     */
    public static CommandTemplate argv(final List<String> words)
    {
        return new CommandTemplate(words, false);
    }

    /**
     * @return every variable the command names, in order.
     */
    public List<String> variables()
    {
        final List<String> names = new ArrayList<>();
        for (final String word : words)
        {
            final Matcher matcher = VARIABLE.matcher(word);
            while (matcher.find())
            {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /**
     * @param values a value for each variable the command names.
     * @return the command line to start.
     * @throws IllegalArgumentException naming a variable without a value.
     */
    public List<String> render(final Map<String, String> values)
    {
        final List<String> command = new ArrayList<>();
        if (shell)
        {
            command.add("sh");
            command.add("-c");
        }
        for (final String word : words)
        {
            final Matcher matcher = VARIABLE.matcher(word);
            final StringBuilder sb = new StringBuilder();
            while (matcher.find())
            {
                final String value = values.get(matcher.group(1));
                if (value == null)
                {
                    throw new IllegalArgumentException("no value for ${" + matcher.group(1) + "} in " + words +
                        "; values: " + values.keySet());
                }
                matcher.appendReplacement(sb, Matcher.quoteReplacement(shell ? shellQuoted(value) : value));
            }
            matcher.appendTail(sb);
            command.add(sb.toString());
        }
        return command;
    }

    /**
     * @param value any text.
     * @return the text as one word for {@code sh}: in single quotes, each quote written {@code '\''}.
     */
    static String shellQuoted(final String value)
    {
        return "'" + Objects.requireNonNull(value).replace("'", "'\\''") + "'";
    }
}
