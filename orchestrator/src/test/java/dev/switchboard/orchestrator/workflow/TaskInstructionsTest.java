/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.util.List;
import java.util.Map;

import dev.switchboard.orchestrator.workflow.WorkflowLoader.Format;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException.Problem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskInstructionsTest
{
    private static final String WITH_INSTRUCTIONS = """
        name: w
        phases:
          - id: p
            tasks:
              - id: design
                capability: design
              - id: build
                capability: implementation
                dependsOn: [design]
                description: |
                  Build ${scope} in ${repo}.
                context: "Complex methods: ${context.complex}; design: ${deps.design.summary}"
                acceptance:
                  - tests pass
                  - costs $${not a placeholder}
        """;

    private static List<Problem> problemsOf(final String yaml)
    {
        return assertThrows(WorkflowValidationException.class,
            () -> WorkflowLoader.parse(yaml, Format.YAML, "test.yaml")).problems();
    }

    @Test
    void loaderReadsDescriptionContextAndAcceptanceCriteria()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse(WITH_INSTRUCTIONS, Format.YAML, "test.yaml");

        final TaskInstructions build = workflow.tasks().get(1).instructions();
        assertEquals("Build ${scope} in ${repo}.", build.description());
        assertEquals("Complex methods: ${context.complex}; design: ${deps.design.summary}", build.context());
        assertEquals(List.of("tests pass", "costs $${not a placeholder}"), build.acceptanceCriteria());
        assertEquals(TaskInstructions.NONE, workflow.tasks().getFirst().instructions());
    }

    @Test
    void workflowWithoutInstructionsLoadsWithNone()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse("""
            name: old
            phases: [{id: p, tasks: [{id: t, capability: testing}]}]
            """, Format.YAML, "old.yaml");

        assertEquals(new TaskDefinition("t", "t", "testing", List.of(), 0, false), workflow.tasks().getFirst());
    }

    @Test
    void unknownPlaceholderIsReportedAtItsField()
    {
        final List<Problem> problems = problemsOf(WITH_INSTRUCTIONS.replace("${repo}", "${repository}"));

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("phases[0].tasks[1].description", problems.getFirst().path());
        assertTrue(problems.getFirst().message().contains("unknown placeholder '${repository}'"),
            problems.getFirst().message());
    }

    @Test
    void unknownAnalysisFactIsReportedWithTheKnownOnes()
    {
        final List<Problem> problems = problemsOf(WITH_INSTRUCTIONS.replace("${context.complex}", "${context.slow}"));

        assertEquals("phases[0].tasks[1].context", problems.getFirst().path());
        assertTrue(problems.getFirst().message().contains("${context.uncovered}"), problems.getFirst().message());
    }

    @Test
    void dependencyOutputOfATaskNotDependedOnIsReported()
    {
        final List<Problem> problems = problemsOf(WITH_INSTRUCTIONS.replace("dependsOn: [design]", "dependsOn: []"));

        assertEquals("phases[0].tasks[1].context", problems.getFirst().path());
        assertTrue(problems.getFirst().message().contains("not in this task's dependsOn"),
            problems.getFirst().message());
    }

    @Test
    void placeholderInAnAcceptanceCriterionIsCheckedAtItsIndex()
    {
        final List<Problem> problems = problemsOf(WITH_INSTRUCTIONS.replace("- tests pass", "- ${deps.design.diff}"));

        assertEquals("phases[0].tasks[1].acceptance[0]", problems.getFirst().path());
    }

    @Test
    void documentRoundTripKeepsInstructions()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse(WITH_INSTRUCTIONS, Format.YAML, "test.yaml");

        assertEquals(workflow, WorkflowLoader.fromDocument(WorkflowLoader.toDocument(workflow), "round trip"));
    }

    @Test
    void everyTemplateRoundTripsAndUsesOnlyKnownPlaceholders()
    {
        for (final String name : WorkflowTemplates.names())
        {
            final WorkflowDefinition template = WorkflowTemplates.byName(name);
            assertEquals(template, WorkflowLoader.fromDocument(WorkflowLoader.toDocument(template), name));
            for (final TaskDefinition task : template.tasks())
            {
                assertTrue(!task.instructions().description().isEmpty(), name + "/" + task.id() + " has a description");
                assertTrue(!task.instructions().acceptanceCriteria().isEmpty(), name + "/" + task.id());
            }
        }
    }

    @Test
    void fillReplacesPlaceholdersAndUnescapesLiterals()
    {
        final String filled = Placeholders.fill("a ${scope} b $${scope} c ${unknown}",
            Map.of("scope", "auth")::get);

        assertEquals("a auth b ${scope} c ${unknown}", filled);
    }

    @Test
    void problemWithAcceptsEveryDocumentedForm()
    {
        for (final String name : List.of("scope", "repo", "workflow", "task.id", "task.name", "capability", "deps",
            "context.uncovered", "context.gaps", "deps.a.summary", "deps.a.changedFiles", "deps.a.artifacts"))
        {
            assertNull(Placeholders.problemWith(name, List.of("a")), name);
        }
    }
}
