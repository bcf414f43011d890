/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowLoader;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;

/**
 * Reads the workflow back from an {@code AGENT_PLAN.md} that {@link AgentPlanWriter} wrote (or a person wrote in
 * its format): the workflow from {@code **Workflow**:}, each {@code ## Phase N: NAME} with its {@code **Phase ID**},
 * {@code **Capabilities**}, {@code **Outputs**}, {@code **Gates**}, {@code **Optional**} and
 * {@code **Performance Command**} lines, and each numbered task {@code 1. **AGENT**: NAME (`id`)} with the texts of
 * its {@code ./switchboard invoke} command ({@code --task}, {@code --context}, each {@code --acceptance}, read as a
 * POSIX shell reads them) and its {@code **Capability**}, {@code **Estimate**}, {@code **Decomposable**},
 * {@code **Depends On**} and {@code **Paths**} lines. Everything else (durations, tracks, gates' checkboxes) is for
 * people and is ignored. The result is validated like any workflow file; a plan written for workflow W reads back
 * equal to W.
 *
 * <p>Stateless and thread-safe.
 */
public final class MarkdownPlan
{
    private static final Pattern PHASE = Pattern.compile("^## Phase (\\d+): (.+)$");
    private static final Pattern TASK = Pattern.compile("^\\d+\\. \\*\\*(.+?)\\*\\*: (.*) \\(`([^`]+)`\\)$");
    private static final Pattern FIELD = Pattern.compile("^\\*\\*([A-Za-z ]+)\\*\\*: ?(.*)$");
    private static final Pattern WORKFLOW = Pattern.compile("^`([^`]+)`(?:: (.*))?$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    private MarkdownPlan()
    {
    }

    /**
     * @param file an {@code AGENT_PLAN.md}.
     * @return its workflow, validated.
     * @throws IOException                 when the file cannot be read.
     * @throws WorkflowValidationException when it holds no workflow or an invalid one; every problem is named.
     */
    public static WorkflowDefinition read(final Path file) throws IOException
    {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * @param text   the Markdown.
     * @param source where it came from, for messages.
     * @return its workflow, validated.
     * @throws WorkflowValidationException when it holds no workflow or an invalid one; every problem is named.
     */
    public static WorkflowDefinition parse(final String text, final String source)
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        final List<Map<String, Object>> phases = new ArrayList<>();
        final List<WorkflowValidationException.Problem> problems = new ArrayList<>();
        Map<String, Object> phase = null;
        Map<String, Object> task = null;
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            final String at = "line " + (i + 1);
            final Matcher phaseHeading = PHASE.matcher(line);
            if (phaseHeading.matches())
            {
                phase = new LinkedHashMap<>();
                phase.put("name", phaseHeading.group(2).strip());
                phase.put("tasks", new ArrayList<Map<String, Object>>());
                phases.add(phase);
                task = null;
                continue;
            }
            if (line.startsWith("## "))
            {
                phase = null;
                task = null;
                continue;
            }
            final Matcher taskLine = TASK.matcher(line);
            if (phase != null && taskLine.matches())
            {
                task = new LinkedHashMap<>();
                task.put("id", taskLine.group(3));
                task.put("name", taskLine.group(2).strip());
                tasks(phase).add(task);
                continue;
            }
            if (task != null && line.equals("```bash"))
            {
                final StringBuilder command = new StringBuilder();
                int j = i + 1;
                while (j < lines.length && !lines[j].equals("```"))
                {
                    command.append(command.isEmpty() ? "" : "\n").append(lines[j]);
                    j++;
                }
                i = j;
                try
                {
                    invoke(shellWords(command.toString()), task);
                }
                catch (final IllegalArgumentException ex)
                {
                    problems.add(new WorkflowValidationException.Problem(at, ex.getMessage()));
                }
                continue;
            }
            final Matcher field = FIELD.matcher(line);
            if (!field.matches())
            {
                continue;
            }
            if (phase == null)
            {
                final Matcher workflow = WORKFLOW.matcher(field.group(2));
                if (field.group(1).equals("Workflow") && workflow.matches())
                {
                    root.put("name", workflow.group(1));
                    if (workflow.group(2) != null && !workflow.group(2).isBlank())
                    {
                        root.put("description", workflow.group(2).strip());
                    }
                }
                continue;
            }
            if (task == null)
            {
                phaseField(field.group(1), field.group(2), phase);
            }
            else
            {
                taskFields(line, task, at, problems);
            }
        }
        if (!problems.isEmpty())
        {
            throw new WorkflowValidationException(source, problems);
        }
        if (!root.containsKey("name"))
        {
            throw new WorkflowValidationException(source, List.of(new WorkflowValidationException.Problem("",
                "no '**Workflow**: `NAME`: description' line: not an " + AgentPlanWriter.FILE_NAME +
                " written by 'switchboard plan'")));
        }
        root.put("phases", phases);
        return WorkflowLoader.fromDocument(root, source);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tasks(final Map<String, Object> phase)
    {
        return (List<Map<String, Object>>)phase.get("tasks");
    }

    private static void phaseField(final String name, final String value, final Map<String, Object> phase)
    {
        switch (name)
        {
            case "Phase ID" -> phase.put("id", codes(value).stream().findFirst().orElse(value.strip()));
            case "Capabilities" -> phase.put("capabilities", codes(value));
            case "Outputs" -> phase.put("outputs", codes(value));
            case "Gates" -> phase.put("gates", codes(value));
            case "Optional" -> phase.put("optional", yes(value));
            case "Performance Command" -> phase.put("performance", unwrap(value));
            default ->
            {
                // Duration, Agents, Parallel Execution: for people.
            }
        }
    }

    /** A line of {@code **Name**: value} fields separated by {@code " · "}. */
    private static void taskFields(final String line, final Map<String, Object> task, final String at,
        final List<WorkflowValidationException.Problem> problems)
    {
        for (final String part : line.split(" · "))
        {
            final Matcher field = FIELD.matcher(part.strip());
            if (!field.matches())
            {
                continue;
            }
            final String value = field.group(2);
            switch (field.group(1))
            {
                case "Capability" -> task.put("capability", codes(value).stream().findFirst().orElse(value.strip()));
                case "Estimate" ->
                {
                    final Matcher minutes = Pattern.compile("^(\\d+) min$").matcher(value.strip());
                    if (minutes.matches())
                    {
                        task.put("estimatedMinutes", Integer.parseInt(minutes.group(1)));
                    }
                    else
                    {
                        problems.add(new WorkflowValidationException.Problem(at, "estimate of task '" +
                            task.get("id") + "' must be 'N min' but was '" + value + "'"));
                    }
                }
                case "Decomposable" -> task.put("decomposable", yes(value));
                case "Depends On" -> task.put("dependsOn", codes(value));
                case "Paths" -> task.put("paths", codes(value));
                default ->
                {
                    // Expected Output, Success Criteria: for people; the criteria are read from the command.
                }
            }
        }
    }

    /** The texts of {@code ./switchboard invoke AGENT --task T [--context C] [--acceptance A]... [...]}. */
    private static void invoke(final List<String> words, final Map<String, Object> task)
    {
        if (words.size() < 3 || !words.get(0).endsWith("switchboard") || !words.get(1).equals("invoke"))
        {
            throw new IllegalArgumentException("the command of task '" + task.get("id") + "' must be " +
                "'./switchboard invoke AGENT --task TEXT ...' but starts " + words.subList(0, Math.min(2,
                words.size())));
        }
        final List<String> acceptance = new ArrayList<>();
        for (int w = 3; w < words.size(); w += 2)
        {
            if (w + 1 >= words.size())
            {
                throw new IllegalArgumentException("option " + words.get(w) + " of task '" + task.get("id") +
                    "' has no value");
            }
            final String value = words.get(w + 1);
            switch (words.get(w))
            {
                case "--task" -> task.put("description", value.equals(task.get("name")) ? "" : value);
                case "--context" -> task.put("context", value);
                case "--acceptance" -> acceptance.add(value);
                default ->
                {
                    // --repo, --agents-file, --scope, --run-dir: where it ran, not what the task is.
                }
            }
        }
        if (!acceptance.isEmpty())
        {
            task.put("acceptance", acceptance);
        }
    }

    /**
     * The words a POSIX shell makes of a command line, without expanding anything: single quotes keep everything,
     * double quotes keep everything but {@code \\"}, {@code \\\\}, {@code \\$} and {@code \\`}, a backslash outside
     * quotes keeps the next character (and joins lines).
     *
     * @param line one command, possibly spanning lines inside quotes.
     * @return its words.
     * @throws IllegalArgumentException when a quote is not closed.
     */
    static List<String> shellWords(final String line)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (c == '\'')
            {
                final int end = line.indexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new IllegalArgumentException("unclosed single quote at offset " + i);
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < line.length() && line.charAt(j) != '"'; j++)
                {
                    if (line.charAt(j) == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0)
                    {
                        j++;
                    }
                    word.append(line.charAt(j));
                }
                if (j >= line.length())
                {
                    throw new IllegalArgumentException("unclosed double quote at offset " + i);
                }
                i = j;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.length())
            {
                if (line.charAt(i + 1) != '\n')
                {
                    word.append(line.charAt(i + 1));
                    inWord = true;
                }
                i++;
            }
            else if (c == ' ' || c == '\t' || c == '\n')
            {
                if (inWord)
                {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                final int end = line.indexOf('\n', i);
                i = end < 0 ? line.length() : end - 1;
            }
            else
            {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.add(word.toString());
        }
        return words;
    }

    private static List<String> codes(final String value)
    {
        final List<String> codes = new ArrayList<>();
        final Matcher matcher = CODE.matcher(value);
        while (matcher.find())
        {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private static String unwrap(final String value)
    {
        final String stripped = value.strip();
        return stripped.length() >= 2 && stripped.startsWith("`") && stripped.endsWith("`") ?
            stripped.substring(1, stripped.length() - 1) : stripped;
    }

    private static boolean yes(final String value)
    {
        return value.strip().toLowerCase(Locale.ROOT).startsWith("yes");
    }
}
