/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.orchestrator.workflow.WorkflowValidationException.Problem;

/**
 * Turns a parsed document (maps, lists, strings, numbers and booleans, as both the YAML and JSON parsers
 * produce them) into a {@link WorkflowDefinition}, collecting every problem before failing. One instance per
 * document; not thread-safe.
 * <p>
 * The document shape, with required fields marked {@code *}:
 * <pre>
 * name*, description,
 * phases*: [ { id*, name, capabilities: [..], outputs: [..], gates: [..], optional, performance,
 *              tasks*: [ { id*, name, capability*, dependsOn: [..], estimatedMinutes, decomposable,
 *                          description, context, acceptance: [..], paths: [..] } ] } ]
 * </pre>
 */
final class WorkflowValidator
{
    private static final Set<String> WORKFLOW_FIELDS = Set.of("name", "description", "phases");
    private static final Set<String> PHASE_FIELDS =
        Set.of("id", "name", "capabilities", "outputs", "gates", "optional", "tasks", "performance");
    private static final Set<String> TASK_FIELDS = Set.of("id", "name", "capability", "dependsOn",
        "estimatedMinutes", "decomposable", "description", "context", "acceptance", "paths");

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private final List<TaskGraph.Node> nodes = new ArrayList<>();

    private WorkflowValidator(final String source)
    {
        this.source = source;
    }

    /**
     * @param document the parsed document.
     * @param source   what it came from, e.g. the file name, for the exception.
     * @return the definition, whose DAG is valid.
     * @throws WorkflowValidationException with every problem found.
     */
    static WorkflowDefinition validate(final Object document, final String source)
    {
        return new WorkflowValidator(source).workflow(document);
    }

    private WorkflowDefinition workflow(final Object document)
    {
        if (!(document instanceof Map<?, ?> root))
        {
            problems.add(new Problem(WorkflowValidationException.ROOT,
                "expected a mapping with fields " + sorted(WORKFLOW_FIELDS) + " but was " + describe(document)));
            throw new WorkflowValidationException(source, problems);
        }
        checkFields(root, "", WORKFLOW_FIELDS, "a workflow");
        final String name = requiredString(root, "", "name");
        final String description = optionalString(root, "", "description");
        final List<?> rawPhases = requiredList(root, "", "phases");

        final List<PhaseDefinition.Builder> phases = new ArrayList<>();
        final Map<String, String> phasePaths = new LinkedHashMap<>();
        for (int i = 0; i < rawPhases.size(); i++)
        {
            final String path = "phases[" + i + "]";
            final PhaseDefinition.Builder phase = phase(rawPhases.get(i), path);
            if (phase != null)
            {
                phases.add(phase);
            }
        }
        for (int i = 0; i < rawPhases.size(); i++)
        {
            if (rawPhases.get(i) instanceof Map<?, ?> phase && phase.get("id") instanceof String id && !id.isBlank())
            {
                final String first = phasePaths.putIfAbsent(id, "phases[" + i + "]");
                if (first != null)
                {
                    problems.add(new Problem("phases[" + i + "].id",
                        "duplicate phase id '" + id + "', first declared at " + first));
                }
            }
        }
        problems.addAll(TaskGraph.check(nodes));
        if (!problems.isEmpty())
        {
            throw new WorkflowValidationException(source, problems);
        }

        try
        {
            final WorkflowDefinition.Builder builder = WorkflowDefinition.builder(name).description(description);
            phases.forEach(phase -> builder.phase(phase.build()));
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            // The checks above mirror the constructors' rules; this catches any that drift apart.
            throw new WorkflowValidationException(
                source, List.of(new Problem(WorkflowValidationException.ROOT, ex.getMessage())));
        }
    }

    private PhaseDefinition.Builder phase(final Object raw, final String path)
    {
        if (!(raw instanceof Map<?, ?> map))
        {
            problems.add(new Problem(path, "expected a phase mapping but was " + describe(raw)));
            return null;
        }
        checkFields(map, path, PHASE_FIELDS, "a phase");
        final String id = requiredString(map, path, "id");
        final String name = optionalString(map, path, "name");
        final List<String> capabilities = optionalStrings(map, path, "capabilities");
        for (int i = 0; i < capabilities.size(); i++)
        {
            checkCapability(capabilities.get(i), child(path, "capabilities") + "[" + i + "]");
        }
        final List<String> outputs = optionalStrings(map, path, "outputs");
        final List<String> gates = optionalStrings(map, path, "gates");
        final boolean optional = optionalBoolean(map, path, "optional");
        final String performance = optionalString(map, path, "performance");
        final List<?> rawTasks = requiredList(map, path, "tasks");

        final PhaseDefinition.Builder phase = PhaseDefinition.builder(id)
            .requires(capabilities.toArray(String[]::new))
            .outputs(outputs.toArray(String[]::new))
            .gates(gates.toArray(String[]::new))
            .optional(optional)
            .performanceCommand(performance);
        if (!name.isEmpty())
        {
            phase.name(name);
        }
        for (int i = 0; i < rawTasks.size(); i++)
        {
            final TaskDefinition task = task(rawTasks.get(i), child(path, "tasks") + "[" + i + "]");
            if (task != null)
            {
                phase.task(task);
            }
        }
        return phase;
    }

    private TaskDefinition task(final Object raw, final String path)
    {
        if (!(raw instanceof Map<?, ?> map))
        {
            problems.add(new Problem(path, "expected a task mapping but was " + describe(raw)));
            return null;
        }
        final int before = problems.size();
        checkFields(map, path, TASK_FIELDS, "a task");
        final String id = requiredString(map, path, "id");
        final String name = optionalString(map, path, "name");
        final String capability = requiredString(map, path, "capability");
        if (!capability.isEmpty())
        {
            checkCapability(capability, child(path, "capability"));
        }
        final List<String> dependsOn = optionalStrings(map, path, "dependsOn");
        final int minutes = optionalMinutes(map, path, "estimatedMinutes");
        final boolean decomposable = optionalBoolean(map, path, "decomposable");
        final String description = optionalString(map, path, "description");
        final String context = optionalString(map, path, "context");
        final List<String> acceptance = optionalStrings(map, path, "acceptance");
        final List<String> paths = taskPaths(map, path);
        checkPlaceholders(description, child(path, "description"), dependsOn);
        checkPlaceholders(context, child(path, "context"), dependsOn);
        for (int i = 0; i < acceptance.size(); i++)
        {
            checkPlaceholders(acceptance.get(i), child(path, "acceptance") + "[" + i + "]", dependsOn);
        }
        if (!id.isEmpty())
        {
            nodes.add(new TaskGraph.Node(id, dependsOn, path));
        }
        if (problems.size() != before)
        {
            return null;
        }
        return TaskDefinition.builder(id, capability)
            .name(name.isEmpty() ? id : name)
            .dependsOn(dependsOn.toArray(String[]::new))
            .estimatedMinutes(minutes)
            .decomposable(decomposable)
            .description(description)
            .context(context)
            .acceptance(acceptance.toArray(String[]::new))
            .paths(paths.toArray(String[]::new))
            .build();
    }

    /** The task's declared paths, recording a problem at each one that is absolute or climbs out with "..". */
    private List<String> taskPaths(final Map<?, ?> map, final String path)
    {
        final List<String> paths = optionalStrings(map, path, "paths");
        if (paths.isEmpty())
        {
            return paths;
        }
        final List<?> raw = (List<?>)map.get("paths");
        for (int i = 0; i < raw.size(); i++)
        {
            if (raw.get(i) instanceof String glob && !glob.isBlank())
            {
                final String problem = TaskDefinition.pathProblem(glob);
                if (problem != null)
                {
                    problems.add(new Problem(child(path, "paths") + "[" + i + "]", problem));
                }
            }
        }
        return paths;
    }

    private void checkPlaceholders(final String text, final String path, final List<String> dependsOn)
    {
        for (final String name : Placeholders.namesIn(text))
        {
            final String problem = Placeholders.problemWith(name, dependsOn);
            if (problem != null)
            {
                problems.add(new Problem(path, problem));
            }
        }
    }

    private void checkFields(final Map<?, ?> map, final String path, final Set<String> known, final String what)
    {
        for (final Object key : map.keySet())
        {
            if (!(key instanceof String field) || !known.contains(field))
            {
                problems.add(new Problem(child(path, String.valueOf(key)),
                    "unknown field '" + key + "'; the fields of " + what + " are " + sorted(known)));
            }
        }
    }

    private void checkCapability(final String capability, final String path)
    {
        if (!Capabilities.isKnown(capability))
        {
            problems.add(new Problem(path, "unknown capability '" + capability + "'; known capabilities: "
                + Capabilities.knownList()));
        }
    }

    /** Returns the value, or "" after recording a problem. */
    private String requiredString(final Map<?, ?> map, final String path, final String field)
    {
        if (!map.containsKey(field))
        {
            problems.add(new Problem(child(path, field), "missing required field '" + field + "'"));
            return "";
        }
        return string(map.get(field), child(path, field));
    }

    /** Returns the value, or "" when absent or after recording a problem. */
    private String optionalString(final Map<?, ?> map, final String path, final String field)
    {
        return map.containsKey(field) ? string(map.get(field), child(path, field)) : "";
    }

    private String string(final Object value, final String path)
    {
        if (!(value instanceof String text))
        {
            problems.add(new Problem(path, "expected a string but was " + describe(value)));
            return "";
        }
        if (text.isBlank())
        {
            problems.add(new Problem(path, "must not be blank"));
            return "";
        }
        return text;
    }

    private List<?> requiredList(final Map<?, ?> map, final String path, final String field)
    {
        final String fieldPath = child(path, field);
        if (!map.containsKey(field))
        {
            problems.add(new Problem(fieldPath, "missing required field '" + field + "'"));
            return List.of();
        }
        final Object value = map.get(field);
        if (!(value instanceof List<?> list))
        {
            problems.add(new Problem(fieldPath, "expected a list but was " + describe(value)));
            return List.of();
        }
        if (list.isEmpty())
        {
            problems.add(new Problem(fieldPath, "must have at least one entry but is empty"));
        }
        return list;
    }

    /** Returns the valid strings of an optional list, recording a problem for each entry that is not one. */
    private List<String> optionalStrings(final Map<?, ?> map, final String path, final String field)
    {
        if (!map.containsKey(field))
        {
            return List.of();
        }
        final String fieldPath = child(path, field);
        final Object value = map.get(field);
        if (!(value instanceof List<?> list))
        {
            problems.add(new Problem(fieldPath, "expected a list of strings but was " + describe(value)));
            return List.of();
        }
        final Set<String> strings = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++)
        {
            final String text = string(list.get(i), fieldPath + "[" + i + "]");
            if (!text.isEmpty())
            {
                strings.add(text);
            }
        }
        return List.copyOf(strings);
    }

    private boolean optionalBoolean(final Map<?, ?> map, final String path, final String field)
    {
        if (!map.containsKey(field))
        {
            return false;
        }
        final Object value = map.get(field);
        if (!(value instanceof Boolean flag))
        {
            problems.add(new Problem(child(path, field), "expected true or false but was " + describe(value)));
            return false;
        }
        return flag;
    }

    private int optionalMinutes(final Map<?, ?> map, final String path, final String field)
    {
        if (!map.containsKey(field))
        {
            return 0;
        }
        final Object value = map.get(field);
        if ((value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)
            && ((Number)value).longValue() >= 0 && ((Number)value).longValue() <= Integer.MAX_VALUE)
        {
            return ((Number)value).intValue();
        }
        problems.add(new Problem(child(path, field),
            "expected a whole number of minutes from 0 to " + Integer.MAX_VALUE + " but was " + describe(value)));
        return 0;
    }

    private static String child(final String path, final String field)
    {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String sorted(final Set<String> fields)
    {
        return String.join(", ", fields.stream().sorted().toList());
    }

    private static String describe(final Object value)
    {
        return switch (value)
        {
            case null -> "null";
            case String s -> "the string '" + s + "'";
            case Boolean b -> "the boolean " + b;
            case Number n -> "the number " + n;
            case List<?> l -> "a list of " + l.size();
            case Map<?, ?> _ -> "a mapping";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
