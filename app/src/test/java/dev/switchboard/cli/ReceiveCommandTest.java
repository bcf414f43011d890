/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.orchestrator.plan.PlanFixture;
import dev.switchboard.orchestrator.plan.StrategicPlan;
import dev.switchboard.orchestrator.workflow.WorkflowLoader;
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan writes AGENT_PLAN.json; receive executes one of its phases. */
class ReceiveCommandTest
{
    @TempDir
    Path repo;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path plan() throws IOException
    {
        PlanFixture.mavenProjectWithCoverage(repo);
        assertEquals(ExitCodes.OK, run("plan", repo.toString(), "--workflow", "feature"), err());
        final Path json = repo.resolve(StrategicPlan.FILE_NAME);
        assertTrue(out().contains(json.toString()), out());
        return json;
    }

    @Test
    void planWritesAStrategicPlanWhoseWorkflowReadsBackEqual() throws IOException
    {
        final Path json = plan();
        final JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(StrategicPlan.SCHEMA, root.get("schema").asText());
        assertEquals("implementation", root.get("phases").get(1).get("id").asText());
        assertEquals("[[\"implement-core\",\"implement-api\"]]", root.get("phases").get(1).get("tracks").toString());
        final WorkflowDefinition planned = StrategicPlan.read(json);
        assertEquals(planned, StrategicPlan.read(repo.resolve("AGENT_PLAN.md")), "Markdown and JSON agree");
        assertTrue(planned.phase("testing").orElseThrow().tasks().stream().anyMatch(t -> t.id().equals("gap-coverage")),
            "the coverage gap is a task of the testing phase");
        assertEquals(WorkflowTemplates.bugfix(), WorkflowLoader.fromDocument(
            WorkflowLoader.toDocument(WorkflowTemplates.bugfix()), "round trip"));
        assertTrue(Files.readString(repo.resolve("AGENT_PLAN.md")).contains("./switchboard receive --plan "));
    }

    @Test
    void aPhaseExecutedFromTheMarkdownPlanRunsTheSameTasksAsFromTheJsonPlan() throws Exception
    {
        Files.createDirectories(repo.resolve("src/main/java/ex"));
        Files.writeString(repo.resolve("src/main/java/ex/Login.java"), "package ex;\npublic class Login {}\n");
        final Path ran = repo.getParent().resolve(repo.getFileName() + "-ran.txt");
        final Path agents = repo.getParent().resolve(repo.getFileName() + "-agents.yaml");
        Files.writeString(agents, "agents:\n  - name: Worker\n    capabilities: [review, architecture, " +
            "implementation, testing, documentation, security]\n    concurrency: 4\n    command: |\n" +
            "      echo \"$SWITCHBOARD_TASK_ID\" >> " + ran + "\n" +
            "      echo '{\"summary\": \"ran\"}' > \"$SWITCHBOARD_RESULT_FILE\"\n");
        assertEquals(ExitCodes.OK, run("plan", repo.toString(), "--workflow", "refactor", "--agents-file",
            agents.toString()), err());
        final WorkflowDefinition planned = StrategicPlan.read(repo.resolve(StrategicPlan.FILE_NAME));
        final List<String> expected = planned.phases().get(2).tasks().stream().map(t -> t.id()).sorted().toList();
        assertTrue(expected.contains("gap-tests") && expected.contains("regression-tests"), expected.toString());

        final List<List<String>> runs = new java.util.ArrayList<>();
        for (final String file : List.of("AGENT_PLAN.md", StrategicPlan.FILE_NAME))
        {
            Files.deleteIfExists(ran);
            assertEquals(ExitCodes.OK, run("receive", "--plan", repo.resolve(file).toString(), "--execute-phase", "3",
                "--agents-file", agents.toString(), "--repo", repo.toString(), "--quality-gates", "lenient",
                "--timeout", "120"), file + ": " + err() + out());
            runs.add(Files.readAllLines(ran).stream().sorted().toList());
        }
        assertEquals(expected, runs.get(0), "from the Markdown plan: " + err());
        assertEquals(runs.get(0), runs.get(1), "the JSON plan ran the same tasks");
    }

    @Test
    void fromWithAPlanFileRecordsTheSenderAndWithoutOneNeedsTheRouter() throws IOException
    {
        final Path json = plan();
        assertEquals(ExitCodes.OK, run("receive", "--from", "Director", "--plan", repo.resolve("AGENT_PLAN.md")
            .toString(), "--execute-phase", "1", "--dry-run"), err());
        assertTrue(out().startsWith("Strategic plan from Director (" + repo.resolve("AGENT_PLAN.md") + "): workflow " +
            "'feature', 5 phases\nTactical plan: phase 1 of 5"), out());

        assertEquals(ExitCodes.USAGE, run("receive", "--from", "Director", "--execute-phase", "1", "--dry-run"));
        assertTrue(err().contains("the plan is asked for over the bus: give the router's directory with --router-dir " +
            "DIR"), err());
        assertEquals(ExitCodes.USAGE, run("receive", "--execute-phase", "1"));
        assertTrue(err().contains("give the plan with --plan FILE, or name the Director"), err());
        assertTrue(json.toFile().isFile());
    }

    @Test
    @Tag("slow")
    void fromTheDirectorOverTheBusTheTacticalPlanIsThePhaseItSent() throws Exception
    {
        plan();
        final Path routerDir = repo.resolve("bus");
        // the Director, a JVM of its own, connects to the router receive starts and answers its plan request
        final Process director = ChildJvm.builder(Main.class).jvmOptions(JvmFlags.router()).output(repo, "director")
            .args("director", "--router-dir", routerDir.toString(), "--plan", repo.resolve("AGENT_PLAN.md").toString(),
                "--connect-timeout", "60")
            .start().process();
        try
        {
            assertEquals(ExitCodes.OK, run("receive", "--from", "Director", "--router-dir", routerDir.toString(),
                "--execute-phase", "2", "--plan-timeout", "60", "--dry-run"), err());

            assertTrue(out().startsWith("Strategic plan from Director (over the bus): workflow 'feature', 5 phases\n" +
                "Tactical plan: phase 2 of 5"), out());
        }
        finally
        {
            director.destroy();
            director.waitFor();
        }
    }

    @Test
    void dryRunPrintsThePhasesTacticalPlan() throws IOException
    {
        final Path json = plan();
        assertEquals(ExitCodes.OK, run("receive", "--plan", json.toString(), "--execute-phase", "2",
            "--agents", "2", "--dry-run"), err());
        assertTrue(out().startsWith("Tactical plan: phase 2 of 5 of 'feature': Implementation (2 tasks"), out());
        assertTrue(out().contains("  track 1 (in parallel):\n"), out());
        assertTrue(out().contains("    implement-core [implementation, ~240 min] -> agent-"), out());
        assertTrue(out().contains("    implement-api [implementation, ~120 min] -> agent-"), out());
        assertTrue(!out().contains("after design"), "phase 1 counts as done: " + out());
    }

    @Test
    void receiveExecutesOnePhaseAndReportsIt() throws IOException
    {
        final Path json = plan();
        assertEquals(ExitCodes.OK, run("receive", "--plan", json.toString(), "--execute-phase", "3",
            "--agents", "2", "--repo", repo.toString(), "--quality-gates", "lenient", "--timeout", "60"), err());
        final JsonNode report = new ObjectMapper().readTree(out());
        assertEquals("COMPLETED", report.get("status").asText(), out());
        assertEquals(100.0, report.get("progress").asDouble(), out());
        assertTrue(err().contains("Tactical plan: phase 3 of 5"), err());
    }

    @Test
    void badPhaseAndBadPlanAreNamed() throws IOException
    {
        final Path json = plan();
        assertEquals(ExitCodes.USAGE, run("receive", "--plan", json.toString(), "--execute-phase", "9"));
        assertTrue(err().contains("phase 9 does not exist; workflow 'feature' has phases 1=design, " +
            "2=implementation"), err());

        final Path broken = repo.resolve("broken.json");
        Files.writeString(broken, "{\"schema\":\"switchboard.plan/1\",\"workflow\":{\"name\":\"w\",\"phases\":" +
            "[{\"id\":\"p\",\"tasks\":[{\"id\":\"t\",\"capability\":\"juggling\"}]}]}}");
        assertEquals(ExitCodes.FAILED, run("receive", "--plan", broken.toString(), "--execute-phase", "1"));
        assertTrue(err().contains("phases[0].tasks[0].capability"), err());
        assertTrue(err().contains("juggling"), err());

        Files.writeString(broken, "{\"schema\":\"other/9\",\"workflow\":{}}");
        assertEquals(ExitCodes.FAILED, run("receive", "--plan", broken.toString(), "--execute-phase", "1"));
        assertTrue(err().contains("expected 'switchboard.plan/1'"), err());
    }
}
