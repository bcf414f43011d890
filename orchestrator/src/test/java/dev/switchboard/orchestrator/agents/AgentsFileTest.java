/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.agents;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentsFileTest
{
    private static Path fixture(final String name) throws URISyntaxException
    {
        return Path.of(AgentsFileTest.class.getResource("/agents/" + name).toURI());
    }

    @Test
    void loadsTheRosterWithDefaults() throws Exception
    {
        final AgentsFile file = AgentsFile.load(fixture("roster.yaml"));

        assertEquals(List.of("Architect", "Constructor", "Patcher", "Testbed", "Linter", "Security", "Docgen",
            "Optimizer"), file.agents().stream().map(AgentSpec::name).toList());
        final AgentSpec architect = file.agent("Architect");
        assertEquals(Set.of("design", "architecture"), architect.capabilities());
        assertEquals(PromptDelivery.FILE, architect.prompt());
        assertEquals(AgentSpec.DEFAULT_CONCURRENCY, architect.concurrency());
        assertEquals(Duration.ofMinutes(20), architect.timeout());
        assertTrue(architect.declaredAt().endsWith("roster.yaml:3"), architect.declaredAt());
        assertEquals(CommandTemplate.argv(List.of("coding-agent", "--prompt-file", "${prompt.file}", "--result",
            "${result.file}")), architect.command());
    }

    @Test
    void readsEachWayOfPassingThePromptAndEachDurationForm() throws Exception
    {
        final AgentsFile file = AgentsFile.load(fixture("roster.yaml"));

        assertEquals(CommandTemplate.shell("coding-agent --print \"$(cat ${prompt.file})\""),
            file.agent("Constructor").command());
        assertEquals(2, file.agent("Constructor").concurrency());
        assertEquals(AgentSpec.DEFAULT_TIMEOUT, file.agent("Constructor").timeout());
        assertEquals(PromptDelivery.ARGUMENT, file.agent("Patcher").prompt());
        assertEquals(Duration.ofSeconds(90), file.agent("Patcher").timeout());
        assertEquals(PromptDelivery.STDIN, file.agent("Testbed").prompt());
        assertEquals(Duration.ofHours(2), file.agent("Testbed").timeout());
        assertEquals(Duration.ofSeconds(600), file.agent("Optimizer").timeout());
        assertEquals(Set.of("security"), file.agent("Security").capabilities());
    }

    @Test
    void reportsEveryProblemAtItsFileAndLine() throws Exception
    {
        final Path broken = fixture("broken.yaml");

        final List<String> problems = assertThrows(AgentsFileException.class, () -> AgentsFile.load(broken))
            .problems();

        final String at = broken.toString() + ":";
        assertEquals(List.of(
            at + "3: unknown capability 'astrology'; known capabilities: " +
                dev.switchboard.orchestrator.workflow.Capabilities.knownList(),
            at + "4: unknown variable '${prompt.fil}' in command; known: ${agents.dir}, ${agent}, ${prompt.file}, ${prompt}, " +
                "${repo}, ${result.file}, ${run.dir}, ${task.id}",
            at + "9: concurrency must be a whole number from 1 to 9999, not '0'",
            at + "7: prompt: argument, but the command has no ${prompt} where the prompt goes",
            at + "14: unknown field 'retries'; the fields of an agent are capabilities, command, concurrency, name, " +
                "prompt, timeout",
            at + "10: agent 'Architect' is declared twice, first at " + at + "2",
            at + "13: timeout must be a positive duration such as 90s, 20m or 2h (seconds when no unit), not 'soon'",
            at + "15: missing required field 'name'"), problems);
    }

    @Test
    void malformedYamlIsReportedAtItsLine()
    {
        final List<String> problems = assertThrows(AgentsFileException.class,
            () -> AgentsFile.parse("agents:\n  - name: A\n    command: [a, b\n", "bad.yaml")).problems();

        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith("bad.yaml:4: invalid YAML: "), problems.getFirst());
    }

    @Test
    void fileWithoutAgentsIsRejected()
    {
        final List<String> problems = assertThrows(AgentsFileException.class,
            () -> AgentsFile.parse("# nothing\n", "empty.yaml")).problems();

        assertEquals(List.of("empty.yaml:1: expected a mapping with a list 'agents' of named agents"), problems);
    }

    @Test
    void unknownAgentIsNamedWithTheAgentsThereAre() throws Exception
    {
        final AgentsFile file = AgentsFile.load(fixture("roster.yaml"));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> file.agent("Scribe"));

        assertTrue(ex.getMessage().contains("no agent 'Scribe'") && ex.getMessage().contains("Docgen"),
            ex.getMessage());
    }

    @Test
    void shellCommandQuotesEveryValueAndArgvReplacesInsideWords()
    {
        final Map<String, String> values = Map.of("prompt", "it's \"done\"\n$(rm -rf /)", "prompt.file", "/r/p.md");

        assertEquals(List.of("sh", "-c", "agent --print 'it'\\''s \"done\"\n$(rm -rf /)'"),
            CommandTemplate.shell("agent --print ${prompt}").render(values));
        assertEquals(List.of("agent", "--file=/r/p.md"), CommandTemplate.argv(List.of("agent", "--file=${prompt.file}"))
            .render(values));
    }
}
