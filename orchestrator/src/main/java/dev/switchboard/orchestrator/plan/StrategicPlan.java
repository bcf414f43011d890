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
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.orchestrator.analysis.Gap;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.workflow.PhaseDefinition;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowLoader;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException;

/**
 * The strategic plan as a machine-readable document, {@value #FILE_NAME}, written beside {@code AGENT_PLAN.md}: what
 * a planner hands an orchestrator, which then executes it phase by phase ({@code switchboard receive --plan FILE
 * --execute-phase N}) and turns each phase into a tactical plan of assignments.
 *
 * <pre>
 * { "schema": "switchboard.plan/1",
 *   "repository": "/path", "projectTypes": ["MAVEN"],
 *   "workflow": { ...the workflow, in WorkflowLoader's document shape... },
 *   "phases": [ { "number": 1, "id": "design", "tasks": ["design"], "tracks": [["design"]] }, ... ],
 *   "gaps": [ { "kind": "...", "description": "..." } ] }
 * </pre>
 * Only {@code schema} and {@code workflow} are read back; the rest is for people and other tools. A plain workflow
 * document (a JSON file holding just the workflow) is accepted too.
 *
 * <p>Stateless and thread-safe.
 */
public final class StrategicPlan
{
    /** The file name beside AGENT_PLAN.md. */
    public static final String FILE_NAME = "AGENT_PLAN.json";
    /** The schema tag written and accepted. */
    public static final String SCHEMA = "switchboard.plan/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StrategicPlan()
    {
    }

    /**
     * @param analysis the repository.
     * @param workflow the workflow to run on it.
     * @param gaps     the gaps found.
     * @return the document's JSON text.
     */
    public static String toJson(final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps)
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("repository", analysis.root().toString());
        root.put("projectTypes", analysis.projectTypes().stream().map(Enum::name).sorted().toList());
        root.put("workflow", WorkflowLoader.toDocument(workflow));
        final TaskGraph graph = TaskGraph.of(workflow);
        final List<Object> phases = new ArrayList<>();
        int number = 1;
        for (final PhaseDefinition phase : workflow.phases())
        {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("number", number++);
            p.put("id", phase.id());
            p.put("tasks", phase.tasks().stream().map(TaskDefinition::id).toList());
            p.put("tracks", PhaseSlice.tracks(graph, phase));
            phases.add(p);
        }
        root.put("phases", phases);
        root.put("gaps", gaps.stream().map(gap -> Map.of("area", gap.area().name(),
            "severity", gap.severity().name(), "message", gap.message())).toList());
        try
        {
            return MAPPER.writeValueAsString(root);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the plan as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Writes {@value #FILE_NAME} into {@code dir}.
     *
     * @param dir      where.
     * @param analysis the repository.
     * @param workflow the workflow.
     * @param gaps     the gaps.
     * @return the file.
     * @throws IOException when it cannot be written.
     */
    public static Path writeTo(final Path dir, final RepositoryAnalysis analysis, final WorkflowDefinition workflow,
        final List<Gap> gaps) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, toJson(analysis, workflow, gaps), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Reads the workflow of a plan file: Markdown (a name ending in {@code .md}, read by {@link MarkdownPlan}) or
     * JSON.
     *
     * @param file a {@value #FILE_NAME}, a JSON workflow document, or an {@code AGENT_PLAN.md}.
     * @return the workflow, validated.
     * @throws IOException                 when the file cannot be read.
     * @throws WorkflowValidationException when it is not JSON, has another schema, or holds an invalid workflow;
     *                                     every problem is named with its path.
     */
    public static WorkflowDefinition read(final Path file) throws IOException
    {
        Objects.requireNonNull(file, "file");
        if (file.getFileName() != null &&
            file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".md"))
        {
            return MarkdownPlan.read(file);
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Reads the workflow of a plan's JSON text.
     *
     * @param text   a {@value #FILE_NAME}'s text, or a JSON workflow document.
     * @param source where it came from, for messages.
     * @return the workflow, validated.
     * @throws WorkflowValidationException as {@link #read} does.
     */
    public static WorkflowDefinition parse(final String text, final String source)
    {
        final String file = source;
        final Object document;
        try
        {
            document = MAPPER.readValue(text, Object.class);
        }
        catch (final JsonProcessingException ex)
        {
            throw new WorkflowValidationException(file.toString(), List.of(new WorkflowValidationException.Problem(
                "", "not JSON: " + ex.getOriginalMessage() + " at line " + ex.getLocation().getLineNr() +
                ", column " + ex.getLocation().getColumnNr())));
        }
        if (document instanceof Map<?, ?> map && map.containsKey("workflow"))
        {
            final Object schema = map.get("schema");
            if (!SCHEMA.equals(schema))
            {
                throw new WorkflowValidationException(file.toString(), List.of(new WorkflowValidationException.Problem(
                    "schema", "expected '" + SCHEMA + "' but was " +
                    (schema == null ? "missing" : "'" + schema + "'"))));
            }
            return WorkflowLoader.fromDocument(map.get("workflow"), file + "#workflow");
        }
        return WorkflowLoader.fromDocument(document, file.toString());
    }
}
