/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskDecomposerTest
{
    private static final TaskDefinition.Builder TASK = TaskDefinition.builder("docs", "documentation")
        .name("Document the API").dependsOn("design").estimatedMinutes(90).decomposable(true)
        .description("Add Javadoc to ${scope}.").context("${context.undocumented}").acceptance("javadoc passes");

    private static ContextUnits files(final String... paths)
    {
        return task -> java.util.Arrays.stream(paths)
            .map(path -> new ContextUnits.Unit(ContextUnits.Kind.FILE, path, path)).toList();
    }

    @Test
    void declaredPathsAreSplitIntoDistinctSmallerScopes()
    {
        final TaskDefinition task = TaskDefinition.builder("auth", "implementation").name("Harden auth")
            .paths("src/auth/**", "src/session/**", "docs/auth.md").decomposable(true).build();

        final List<TaskDefinition> parts = TaskDecomposer.byContext(ContextUnits.NONE, 2).decompose(task);

        assertEquals(List.of("auth.part-1", "auth.part-2"), parts.stream().map(TaskDefinition::id).toList());
        assertEquals(List.of("src/auth/**", "src/session/**"), parts.get(0).paths());
        assertEquals(List.of("docs/auth.md"), parts.get(1).paths());
        assertEquals("Harden auth (part 1 of 2: src/auth/** and 1 more)", parts.get(0).name());
        assertEquals("Harden auth (part 2 of 2: docs/auth.md)", parts.get(1).name());
    }

    @Test
    void contextUnitsAreGroupedEvenlyInOrderUpToTheMaximumParts()
    {
        final List<TaskDefinition> parts = TaskDecomposer.byContext(
            files("a.java", "b.java", "c.java", "d.java", "e.java", "f.java"), 4).decompose(TASK.build());

        assertEquals(List.of(List.of("a.java", "b.java"), List.of("c.java", "d.java"), List.of("e.java"),
            List.of("f.java")), parts.stream().map(TaskDefinition::paths).toList());
    }

    @Test
    void eachPartKeepsCapabilityDependenciesAndTheRestOfTheInstructions()
    {
        final TaskDefinition part = TaskDecomposer.byContext(files("a.java", "b.java"), 4)
            .decompose(TASK.build()).get(1);

        assertEquals("documentation", part.capability());
        assertEquals(List.of("design"), part.dependsOn());
        assertEquals(45, part.estimatedMinutes());
        assertFalse(part.decomposable());
        assertEquals("Part 2 of 2: only these files: b.java. Other parts cover the rest; leave everything else as " +
            "it is.\n\nAdd Javadoc to ${scope}.", part.instructions().description());
        assertEquals("${context.undocumented}", part.instructions().context());
        assertEquals(List.of("javadoc passes"), part.instructions().acceptanceCriteria());
    }

    @Test
    void methodsAreNamedWithTheirFilesAndModulesClaimTheirDirectories()
    {
        final ContextUnits units = task -> List.of(
            new ContextUnits.Unit(ContextUnits.Kind.METHOD, "src/Api.java", "Api#parse(String)"),
            new ContextUnits.Unit(ContextUnits.Kind.MODULE, "router", "router"));

        final List<TaskDefinition> parts = TaskDecomposer.byContext(units, 4).decompose(TASK.build());

        assertTrue(parts.get(0).instructions().description()
            .startsWith("Part 1 of 2: only these methods: Api#parse(String) in src/Api.java."));
        assertEquals(List.of("src/Api.java"), parts.get(0).paths());
        assertEquals(List.of("router/**"), parts.get(1).paths());
    }

    @Test
    void oneDeclaredPathKeepsOnlyTheUnitsUnderIt()
    {
        final TaskDefinition task = TASK.paths("src/auth/**").build();

        final List<TaskDefinition> parts = TaskDecomposer.byContext(
            files("src/auth/A.java", "src/billing/B.java", "src/auth/C.java"), 4).decompose(task);

        assertEquals(List.of(List.of("src/auth/A.java"), List.of("src/auth/C.java")),
            parts.stream().map(TaskDefinition::paths).toList());
    }

    @Test
    void taskWhoseContextNamesOneFileCannotBeSplit()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TaskDecomposer.byContext(files("a.java", "a.java"), 4).decompose(TASK.build()));

        assertEquals("task 'docs' cannot be split: its context names one file (a.java)", ex.getMessage());
    }

    @Test
    void taskWithNothingToSplitBySaysSo()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TaskDecomposer.byContext(ContextUnits.NONE, 4).decompose(TASK.build()));

        assertTrue(ex.getMessage().contains("cannot be split: it declares fewer than 2 paths"), ex.getMessage());
    }

    @Test
    void partsOutsideTwoToSixteenAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> TaskDecomposer.byContext(ContextUnits.NONE, 1));
        assertThrows(IllegalArgumentException.class, () -> TaskDecomposer.byContext(ContextUnits.NONE, 17));
    }

    @Test
    void repositoryUnitsFollowTheFactTheContextNames(@TempDir final Path repo) throws IOException
    {
        write(repo, "pom.xml", "<project/>");
        write(repo, "src/main/java/a/Alpha.java", "package a;\npublic class Alpha { public void run() {} }\n");
        write(repo, "src/main/java/a/Beta.java", "package a;\n/** Doc. */\npublic class Beta {}\n");
        write(repo, "src/main/java/a/Gamma.java", "package a;\n/** Doc. */\npublic class Gamma {}\n");
        write(repo, "src/test/java/a/BetaTest.java", "package a;\nclass BetaTest {}\n");
        final RepositoryContextUnits units = new RepositoryContextUnits(RepositoryAnalyzer.analyze(repo));

        final TaskDefinition uncovered = TaskDefinition.builder("t", "testing").context("${context.uncovered}").build();
        assertEquals(List.of("src/main/java/a/Alpha.java", "src/main/java/a/Gamma.java"),
            units.of(uncovered).stream().map(ContextUnits.Unit::path).toList());

        final TaskDefinition undocumented = TaskDefinition.builder("t", "documentation")
            .context("${context.undocumented}").build();
        assertEquals(List.of("src/main/java/a/Alpha.java"),
            units.of(undocumented).stream().map(ContextUnits.Unit::path).toList(),
            "one file: the decomposer will say it cannot be split");
    }

    @Test
    void repositoryUnitsFallBackToModules(@TempDir final Path repo) throws IOException
    {
        write(repo, "router/pom.xml", "<project/>");
        write(repo, "client/package.json", "{}");
        write(repo, "docs/index.md", "# Docs");
        final RepositoryContextUnits units = new RepositoryContextUnits(RepositoryAnalyzer.analyze(repo));

        final List<ContextUnits.Unit> modules = units.of(TaskDefinition.builder("t", "implementation").build());

        assertEquals(List.of(new ContextUnits.Unit(ContextUnits.Kind.MODULE, "client", "client"),
            new ContextUnits.Unit(ContextUnits.Kind.MODULE, "router", "router")), modules);
    }

    private static void write(final Path root, final String path, final String text) throws IOException
    {
        final Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
