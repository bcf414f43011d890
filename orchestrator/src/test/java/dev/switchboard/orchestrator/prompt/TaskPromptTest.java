/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.prompt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskPromptTest
{
    private static final TaskDefinition BUILD = TaskDefinition.builder("build", "implementation")
        .name("Build it")
        .dependsOn("design")
        .description("Build ${scope} in ${repo} for ${workflow}.")
        .context("Design said: ${deps.design.summary}\nFiles: ${deps.design.changedFiles}\n${context.complex}")
        .acceptance("tests of ${task.id} pass", "costs $${nothing}")
        .build();

    @Test
    void rendersInstructionsWithScopeRepositoryAndDependencyOutputs(@TempDir final Path repo)
    {
        final TaskPrompt prompt = TaskPrompt.render("release", BUILD,
            new TaskPrompt.Scope("authentication system", repo), AnalysisFacts.NONE,
            Map.of("design", new TaskOutput("design", "Use JWT.", List.of("docs/auth.md"), List.of("api.yaml"))));

        final String text = prompt.text();
        assertEquals("build", prompt.taskId());
        assertTrue(text.startsWith("# Task build: Build it\n"), text);
        assertTrue(text.contains("- Scope: authentication system\n"), text);
        assertTrue(text.contains("Build authentication system in " + repo.toAbsolutePath() + " for release."), text);
        assertTrue(text.contains("Design said: Use JWT.\nFiles: docs/auth.md\n"), text);
        assertTrue(text.contains("- tests of build pass\n- costs ${nothing}\n"), text);
        assertTrue(text.contains("### design\n\nUse JWT.\n\nChanged files:\n- docs/auth.md\n\nArtifacts:\n- api.yaml\n"),
            text);
        assertTrue(text.contains("no repository analysis was run, so 'complex' is not known"), text);
    }

    @Test
    void dependencyThatLeftNoOutputIsSaidToHaveLeftNone(@TempDir final Path repo)
    {
        final String text = TaskPrompt.render("release", BUILD, new TaskPrompt.Scope("", repo), AnalysisFacts.NONE,
            Map.of()).text();

        assertTrue(text.contains("### design\n\n(this task left no output)"), text);
        assertTrue(text.contains("- Scope: the whole repository\n"), text);
    }

    @Test
    void taskWithoutInstructionsIsAskedByItsName(@TempDir final Path repo)
    {
        final TaskDefinition bare = new TaskDefinition("t", "Write the tests", "testing", List.of(), 0, false);

        final String text = TaskPrompt.render("w", bare, new TaskPrompt.Scope("parser", repo), AnalysisFacts.NONE,
            Map.of()).text();

        assertTrue(text.contains("## What to do\n\nWrite the tests (scope: parser).\n"), text);
        assertFalse(text.contains("## Context"), text);
    }

    @Test
    void analysisFactsNameUndocumentedAndComplexMembersWithFileAndLine(@TempDir final Path repo) throws IOException
    {
        Files.createDirectories(repo.resolve("src/main/java/ex"));
        Files.writeString(repo.resolve("src/main/java/ex/Grades.java"), """
            package ex;

            public class Grades
            {
                public String grade(final int s)
                {
                    if (s > 90) { return "A"; }
                    if (s > 80) { return "B"; }
                    if (s > 70) { return "C"; }
                    if (s > 60) { return "D"; }
                    if (s > 50) { return "E"; }
                    if (s > 40) { return "F"; }
                    if (s > 30) { return "G"; }
                    if (s > 20) { return "H"; }
                    if (s > 10 && s < 15) { return "I"; }
                    return "J";
                }
            }
            """);
        final RepositoryAnalysis analysis = RepositoryAnalyzer.analyze(repo);
        final AnalysisFacts facts = AnalysisFacts.of(analysis, GapDetector.detect(analysis));

        assertTrue(facts.fact("undocumented").contains("ex.Grades#grade(int) (src/main/java/ex/Grades.java:5)"),
            facts.fact("undocumented"));
        assertTrue(facts.fact("complex").contains("ex.Grades#grade(int) complexity 11 " +
            "(src/main/java/ex/Grades.java:5)"), facts.fact("complex"));
        assertTrue(facts.fact("uncovered").contains("no test files for the 1 source files"), facts.fact("uncovered"));
        assertTrue(facts.fact("gaps").contains("HIGH tests: no test files found"), facts.fact("gaps"));
    }

    @Test
    void everyTemplateTaskRendersWithNoPlaceholderLeft(@TempDir final Path repo)
    {
        for (final String name : WorkflowTemplates.names())
        {
            final WorkflowDefinition workflow = WorkflowTemplates.byName(name);
            for (final TaskDefinition task : workflow.tasks())
            {
                final String text = TaskPrompt.render(name, task, new TaskPrompt.Scope("auth", repo),
                    AnalysisFacts.NONE, Map.of()).text();
                assertFalse(text.contains("${"), name + "/" + task.id() + ":\n" + text);
            }
        }
    }
}
