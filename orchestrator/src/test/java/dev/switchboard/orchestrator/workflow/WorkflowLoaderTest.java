/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workflow;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.switchboard.orchestrator.workflow.WorkflowLoader.Format;
import dev.switchboard.orchestrator.workflow.WorkflowValidationException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowLoaderTest
{
    private static Path fixture(final String name) throws URISyntaxException
    {
        return Path.of(WorkflowLoaderTest.class.getResource("/workflow/" + name).toURI());
    }

    private static List<Problem> problemsOf(final String yaml)
    {
        return assertThrows(WorkflowValidationException.class,
            () -> WorkflowLoader.parse(yaml, Format.YAML, "test.yaml")).problems();
    }

    /** A valid one-phase workflow around the given task lines, indented for a task list entry. */
    private static String withTask(final String taskFields)
    {
        return """
            name: w
            phases:
              - id: p
                tasks:
                  - id: base
                    capability: design
                  - %s
            """.formatted(taskFields.replace("\n", "\n        "));
    }

    @Test
    void loadsYamlFile() throws Exception
    {
        final WorkflowDefinition release = WorkflowLoader.load(fixture("release.yaml"));

        assertEquals("release", release.name());
        assertEquals("Ship a library release", release.description());
        assertEquals(List.of("design", "build", "docs"), release.phaseIds());
        final PhaseDefinition build = release.phase("build").orElseThrow();
        assertEquals("build", build.name());
        assertEquals(Set.of("implementation", "security"), build.requiredCapabilities());
        assertEquals(List.of("code-quality", "security"), build.gates());
        assertEquals(List.of("artifacts"), build.outputs());
        assertFalse(build.optional());
        assertTrue(release.phase("docs").orElseThrow().optional());
        assertEquals(new TaskDefinition("plan", "Plan the release", "design", List.of(), 30, false),
            release.tasks().getFirst());
        assertTrue(build.tasks().get(1).decomposable());
        assertEquals(List.of(List.of("plan"), List.of("bump-version", "audit-dependencies"), List.of("changelog")),
            TaskGraph.of(release).parallelTracks().stream().map(TaskGraph.Track::taskIds).toList());
    }

    @Test
    void jsonFileLoadsToTheSameWorkflowAsYaml() throws Exception
    {
        assertEquals(WorkflowLoader.load(fixture("release.yaml")), WorkflowLoader.load(fixture("release.json")));
    }

    @Test
    void reportsEveryProblemInTheFileWithItsPath() throws Exception
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> WorkflowLoader.load(fixture("many-problems.yaml")));
        assertEquals(List.of(
            new Problem("name", "missing required field 'name'"),
            new Problem("description", "expected a string but was the number 42"),
            new Problem("phases[0].tasks[0].capability",
                "unknown capability 'telepathy'; known capabilities: " + Capabilities.knownList()),
            new Problem("phases[1].optional", "expected true or false but was the string 'sometimes'"),
            new Problem("phases[1].tasks[0].id", "missing required field 'id'"),
            new Problem("phases[1].tasks[1].estimatedMinutes",
                "expected a whole number of minutes from 0 to 2147483647 but was the number -5"),
            new Problem("phases[2].id", "duplicate phase id 'design', first declared at phases[0]"),
            new Problem("phases[2].tasks[0].id", "duplicate task id 'plan', first declared at phases[0].tasks[0]"),
            new Problem("phases[1].tasks[1].dependsOn[1]", "unknown task 'link'; task ids: plan, compile")),
            ex.problems());
        assertTrue(ex.getMessage().contains("many-problems.yaml: 9 problems"), ex.getMessage());
    }

    @Test
    void cycleInJsonFileIsReportedWithItsPath() throws Exception
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> WorkflowLoader.load(fixture("cycle.json")));
        assertEquals(List.of(new Problem("phases[0].tasks[0].dependsOn",
            "cycle in task dependencies: a → c → b → a (each task depends on the next)")), ex.problems());
    }

    @Test
    void missingTaskCapabilityIsReportedWithItsPath()
    {
        assertEquals(List.of(new Problem("phases[0].tasks[1].capability", "missing required field 'capability'")),
            problemsOf(withTask("id: t")));
    }

    @Test
    void wrongTypeIsReportedWithWhatWasSeen()
    {
        assertEquals(List.of(new Problem("phases[0].tasks[1].dependsOn", "expected a list of strings but was "
            + "the string 'base'")), problemsOf(withTask("id: t\ncapability: testing\ndependsOn: base")));
    }

    @Test
    void unknownPhaseCapabilityIsReportedAtItsIndex()
    {
        final String yaml = """
            name: w
            phases:
              - id: p
                capabilities: [testing, astrology]
                tasks: [{id: t, capability: testing}]
            """;
        assertEquals(List.of(new Problem("phases[0].capabilities[1]",
            "unknown capability 'astrology'; known capabilities: " + Capabilities.knownList())), problemsOf(yaml));
    }

    @Test
    void unknownFieldIsReportedWithTheKnownFields()
    {
        assertEquals(List.of(new Problem("phases[0].tasks[1].depends",
            "unknown field 'depends'; the fields of a task are acceptance, capability, context, decomposable, "
                + "dependsOn, description, estimatedMinutes, id, name, paths")), problemsOf(withTask("id: t\ncapability: testing\ndepends: [base]")));
    }

    @Test
    void selfDependencyIsReported()
    {
        assertEquals(List.of(new Problem("phases[0].tasks[1].dependsOn[0]", "task 't' depends on itself")),
            problemsOf(withTask("id: t\ncapability: testing\ndependsOn: [t]")));
    }

    @Test
    void emptyPhaseListIsReported()
    {
        assertEquals(List.of(new Problem("phases", "must have at least one entry but is empty")),
            problemsOf("name: w\nphases: []\n"));
    }

    @Test
    void documentThatIsNotAMappingIsReportedAtTheRoot()
    {
        assertEquals(List.of(new Problem(WorkflowValidationException.ROOT,
            "expected a mapping with fields description, name, phases but was a list of 2")), problemsOf("[1, 2]"));
    }

    @Test
    void malformedYamlIsReportedAtTheRoot()
    {
        final List<Problem> problems = problemsOf("name: [unclosed");
        assertEquals(1, problems.size());
        assertEquals(WorkflowValidationException.ROOT, problems.getFirst().path());
        assertTrue(problems.getFirst().message().startsWith("invalid YAML: "), problems.getFirst().message());
    }

    @Test
    void malformedJsonIsReportedWithItsLine()
    {
        final WorkflowValidationException ex = assertThrows(WorkflowValidationException.class,
            () -> WorkflowLoader.parse("{\n\"name\": }", Format.JSON, "bad.json"));
        assertTrue(ex.problems().getFirst().message().startsWith("invalid JSON: "), ex.getMessage());
        assertTrue(ex.problems().getFirst().message().contains("line 2"), ex.getMessage());
    }

    @Test
    void duplicateKeyIsAParseError()
    {
        final List<Problem> problems = problemsOf("name: a\nname: b\nphases: []\n");
        assertTrue(problems.getFirst().message().startsWith("invalid YAML: "), problems.getFirst().message());
    }

    @Test
    void unknownExtensionIsRejectedNamingTheSupportedOnes(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("workflow.toml"), "name = 'w'");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> WorkflowLoader.load(file));
        assertEquals("cannot tell the format of workflow file '" + file
            + "' from its extension '.toml'; supported extensions: .yaml, .yml, .json", ex.getMessage());
    }

    @Test
    void aPhaseNamesTheCommandItsPerformanceGateMeasuresAndItReadsBack()
    {
        final WorkflowDefinition workflow = WorkflowLoader.parse("""
            name: w
            phases:
              - id: p
                gates: [performance]
                performance: ./bench.sh --quick
                tasks:
                  - {id: t, capability: optimization}
            """, Format.YAML, "w.yaml");

        assertEquals("./bench.sh --quick", workflow.phases().getFirst().performanceCommand());
        final Object phase = ((List<?>)WorkflowLoader.toDocument(workflow).get("phases")).getFirst();
        assertEquals("./bench.sh --quick", ((java.util.Map<?, ?>)phase).get("performance"));
    }

    @Test
    void ymlExtensionIsYaml()
    {
        assertEquals(Format.YAML, Format.of(Path.of("flow.YML")));
    }
}
