/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException.Problem;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a workflow from a YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) file. Both formats are
 * parsed into plain maps and lists and then checked by the same rules, so they report the same problems the
 * same way: every problem at once, each at a path such as {@code phases[2].tasks[0].capability}.
 * <p>
 * The document shape, with required fields marked {@code *}:
 * <pre>
 * name: feature*                   # string
 * description: ...                 # string
 * phases:*                         # non-empty list, phase ids distinct
 *   - id: implementation*          # string
 *     name: Implementation         # string, defaults to the id
 *     capabilities: [implementation]   # known capabilities; task capabilities are added
 *     outputs: [source changes]
 *     gates: [code-quality, security]
 *     optional: false
 *     performance: ./bench.sh      # command whose p95 and peak memory the performance gate measures
 *     tasks:*                      # non-empty list, task ids distinct across the workflow
 *       - id: implement-core*
 *         name: Implement the core
 *         capability: implementation*  # one known capability
 *         dependsOn: [design]      # ids of tasks in any phase; no cycles
 *         estimatedMinutes: 240    # whole number >= 0
 *         decomposable: true
 *         description: Implement ${scope} in ${repo}   # what to do, with placeholders
 *         context: ${context.complex}  # what the agent should know, with placeholders
 *         acceptance: [unit tests pass]  # what must hold when it is done
 *         paths: [src/main/java/com/acme/auth/**, docs/auth.md]  # globs it may touch, relative to the
 *                                  # repository; no absolute path, no ..; absent = undeclared
 * </pre>
 * The text fields may use the {@link Placeholders}; an unknown placeholder, or one naming a task that is not a
 * dependency, is a problem at the field's path. Files written before tasks had instructions load unchanged.
 * Stateless and thread-safe.
 */
public final class WorkflowLoader
{
    /** The file formats understood, chosen by file extension. */
    public enum Format
    {
        /** YAML 1.2, read with snakeyaml-engine; extensions {@code .yaml} and {@code .yml}. */
        YAML,
        /** JSON, read with Jackson; extension {@code .json}. */
        JSON;

        /**
         * @param file a workflow file.
         * @return its format, from its extension, ignoring case.
         * @throws IllegalArgumentException naming the file, its extension and the supported extensions.
         */
        public static Format of(final Path file)
        {
            final Path fileName = file.getFileName();
            final String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yaml") || name.endsWith(".yml"))
            {
                return YAML;
            }
            if (name.endsWith(".json"))
            {
                return JSON;
            }
            final int dot = name.lastIndexOf('.');
            throw new IllegalArgumentException("cannot tell the format of workflow file '" + file
                + "' from its extension " + (dot < 0 ? "(none)" : "'" + name.substring(dot) + "'")
                + "; supported extensions: .yaml, .yml, .json");
        }
    }

    private static final JsonMapper JSON_MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private WorkflowLoader()
    {
    }

    /**
     * Reads and validates a workflow file.
     *
     * @param file a {@code .yaml}, {@code .yml} or {@code .json} file in UTF-8.
     * @return the workflow, whose task DAG is valid.
     * @throws IOException                 if the file cannot be read.
     * @throws IllegalArgumentException    if the extension is not one of the supported ones.
     * @throws WorkflowValidationException if the file does not parse or describes an invalid workflow; lists
     *                                     every problem.
     */
    public static WorkflowDefinition load(final Path file) throws IOException
    {
        final Format format = Format.of(file);
        return parse(Files.readString(file), format, file.toString());
    }

    /**
     * Parses and validates a workflow from text.
     *
     * @param text   the document.
     * @param format its format.
     * @param source what the text came from, named in errors, e.g. a file name.
     * @return the workflow, whose task DAG is valid.
     * @throws WorkflowValidationException if the text does not parse or describes an invalid workflow.
     */
    public static WorkflowDefinition parse(final String text, final Format format, final String source)
    {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        final Object document = switch (Objects.requireNonNull(format, "format"))
        {
            case YAML -> parseYaml(text, source);
            case JSON -> parseJson(text, source);
        };
        return WorkflowValidator.validate(document, source);
    }

    /**
     * Validates a workflow already parsed into plain maps and lists (for example the {@code workflow} member of a
     * larger JSON document), by the same rules as {@link #parse}.
     *
     * @param document the maps and lists.
     * @param source   what it came from, named in errors.
     * @return the workflow.
     * @throws WorkflowValidationException listing every problem.
     */
    public static WorkflowDefinition fromDocument(final Object document, final String source)
    {
        return WorkflowValidator.validate(document, Objects.requireNonNull(source, "source"));
    }

    /**
     * The document {@link #fromDocument} reads back as an equal workflow: the shape in the class comment, with
     * every field written but the empty texts (a description, and a task's instructions) and a task's empty
     * {@code paths}, which read back as empty.
     *
     * @param workflow a workflow.
     * @return its document: maps (insertion-ordered) and lists of strings, numbers and booleans.
     */
    public static Map<String, Object> toDocument(final WorkflowDefinition workflow)
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", workflow.name());
        if (!workflow.description().isEmpty())
        {
            root.put("description", workflow.description()); // a blank one would not read back
        }
        final List<Object> phases = new ArrayList<>();
        for (final PhaseDefinition phase : workflow.phases())
        {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", phase.id());
            p.put("name", phase.name());
            p.put("capabilities", new ArrayList<>(new TreeSet<>(phase.requiredCapabilities())));
            p.put("outputs", phase.outputs());
            p.put("gates", phase.gates());
            p.put("optional", phase.optional());
            if (!phase.performanceCommand().isEmpty())
            {
                p.put("performance", phase.performanceCommand());
            }
            final List<Object> tasks = new ArrayList<>();
            for (final TaskDefinition task : phase.tasks())
            {
                final Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", task.id());
                t.put("name", task.name());
                t.put("capability", task.capability());
                t.put("dependsOn", task.dependsOn());
                t.put("estimatedMinutes", task.estimatedMinutes());
                t.put("decomposable", task.decomposable());
                final TaskInstructions instructions = task.instructions();
                if (!instructions.description().isEmpty())
                {
                    t.put("description", instructions.description());
                }
                if (!instructions.context().isEmpty())
                {
                    t.put("context", instructions.context());
                }
                if (!instructions.acceptanceCriteria().isEmpty())
                {
                    t.put("acceptance", instructions.acceptanceCriteria());
                }
                if (!task.paths().isEmpty())
                {
                    t.put("paths", task.paths());
                }
                tasks.add(t);
            }
            p.put("tasks", tasks);
            phases.add(p);
        }
        root.put("phases", phases);
        return root;
    }

    private static Object parseYaml(final String text, final String source)
    {
        final LoadSettings settings = LoadSettings.builder()
            .setLabel(source)
            .setAllowDuplicateKeys(false)
            .build();
        try
        {
            return new Load(settings).loadFromString(text);
        }
        catch (final YamlEngineException ex)
        {
            throw unparseable("invalid YAML: " + ex.getMessage(), source);
        }
    }

    private static Object parseJson(final String text, final String source)
    {
        try
        {
            return JSON_MAPPER.readValue(text, Object.class);
        }
        catch (final JsonProcessingException ex)
        {
            final JsonLocation location = ex.getLocation();
            throw unparseable("invalid JSON: " + ex.getOriginalMessage()
                + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr()),
                source);
        }
    }

    private static WorkflowValidationException unparseable(final String message, final String source)
    {
        return new WorkflowValidationException(source, List.of(new Problem(WorkflowValidationException.ROOT, message)));
    }
}
