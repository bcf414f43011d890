/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.orchestrator.plan.PlanFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisCommandsTest
{
    @TempDir
    Path repo;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
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

    @Test
    void analyzePrintsAReadableSummary() throws IOException
    {
        PlanFixture.mavenProjectWithCoverage(repo);
        assertEquals(ExitCodes.OK, run("analyze", repo.toString()), err());
        assertTrue(out().contains("Project types: MAVEN\n"), out());
        assertTrue(out().contains("Coverage: 62.5 % from lcov.info\n"), out());
        assertTrue(out().contains("API docs: "), out());
        assertTrue(out().contains("Max complexity: 3 "), out());
        assertTrue(out().contains("MEDIUM COVERAGE: line coverage 62.5 %"), out());
        assertTrue(out().contains("Recommended agents: Testbed"), out());
    }

    @Test
    void analyzeJsonParsesAndCarriesMetricsGapsAndAgents() throws IOException
    {
        PlanFixture.mavenProjectWithCoverage(repo);
        assertEquals(ExitCodes.OK, run("analyze", repo.toString(), "--json"), err());
        final JsonNode json = new ObjectMapper().readTree(out());
        assertEquals("MAVEN", json.get("projectTypes").get(0).asText());
        assertEquals(62.5, json.get("metrics").get("TEST_COVERAGE_PERCENT").asDouble());
        assertEquals(1, json.get("tests").get("files").asInt());
        assertEquals("COVERAGE", json.get("gaps").get(0).get("area").asText());
        assertEquals("Testbed", json.get("recommendedAgents").get(0).asText());
    }

    @Test
    void analyzeOfAMissingDirectoryIsAUsageError()
    {
        assertEquals(ExitCodes.USAGE, run("analyze", repo.resolve("nope").toString()));
        assertTrue(err().contains("is not a directory"), err());
    }

    @Test
    void planWritesAgentPlanIntoTheOutputDirectoryAndPrintsItsPath() throws IOException
    {
        PlanFixture.mavenProject(repo);
        final Path outDir = repo.resolve("plans");
        assertEquals(ExitCodes.OK, run("plan", repo.toString(), "--workflow", "bugfix", "--out", outDir.toString()),
            err());
        final Path plan = outDir.resolve("AGENT_PLAN.md");
        assertEquals(plan + "\n" + outDir.resolve("AGENT_PLAN.json"), out().strip());
        assertTrue(Files.readString(plan).startsWith("# AGENT_PLAN.md\n"));
        assertTrue(Files.readString(plan).contains("**Workflow Type**: BUGFIX\n"));
    }

    @Test
    void planWritesIntoTheRepositoryByDefault() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.OK, run("plan", repo.toString()), err());
        assertTrue(Files.readString(repo.resolve("AGENT_PLAN.md")).contains("--workflow feature"));
    }

    @Test
    void planWithAnUnknownWorkflowListsTheKnownOnesAndExitsTwo() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.USAGE, run("plan", repo.toString(), "--workflow", "migration"));
        assertTrue(err().contains("unknown workflow template 'migration'; known templates: feature, bugfix, " +
            "optimization, refactor"), err());
        assertFalse(Files.exists(repo.resolve("AGENT_PLAN.md")));
    }

    @Test
    void validateStrictFailsWhenCoverageIsNotMeasured() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.FAILED, run("validate", repo.toString(), "--gates", "code", "--enforcement", "strict",
            "--maven", noMaven()), err());
        assertTrue(out().contains("quality gates FAILED"), out());
        assertTrue(out().contains("code-quality (BLOCKING) FAILED: TEST_COVERAGE_PERCENT: not measured"), out());
    }

    /** A Maven that cannot start, so that these tests run no build: every tool metric is then not measured. */
    private String noMaven()
    {
        return repo.resolve("no-such-mvn").toString();
    }

    @Test
    void validateFailsABlockingGateOnAMetricItCouldNotMeasureAndSaysWhy() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.FAILED, run("validate", repo.toString(), "--gates", "code", "--maven", noMaven()),
            err());
        assertTrue(out().contains("TEST_COVERAGE_PERCENT: not measured (no JaCoCo report: could not start " +
            noMaven()), out());
    }

    @Test
    void validateIgnoresACoverageReportShippedInTheRepository() throws IOException
    {
        PlanFixture.mavenProjectWithCoverage(repo);
        run("validate", repo.toString(), "--gates", "code", "--maven", noMaven());
        assertTrue(out().contains("  TEST_COVERAGE_PERCENT: not measured: no JaCoCo report"), out());
    }

    @Test
    void validateFindsAHardCodedSecretWithItsFileAndLine() throws IOException
    {
        PlanFixture.mavenProject(repo);
        PlanFixture.write(repo, "src/main/resources/app.properties", "db.url=jdbc:h2:mem\ndb.password = '" +
            "s3cr3t-" + "value-42'\n");
        assertEquals(ExitCodes.FAILED, run("validate", repo.toString(), "--gates", "security", "--maven", noMaven()),
            err());
        assertTrue(out().contains("SECRETS_FOUND: 1 (secrets scan: [src/main/resources/app.properties:2 " +
            "(credential literal)])"), out());
        assertTrue(out().contains("VULNERABLE_DEPENDENCIES: not measured (no advisory database is configured"), out());
    }

    @Test
    void validatePrintsTheDetailsUnderEachFailedOrUnmeasuredMetric() throws IOException
    {
        PlanFixture.mavenProject(repo);
        PlanFixture.write(repo, "src/main/resources/app.properties", "db.password = '" + "s3cr3t-" + "value-42'\n");
        run("validate", repo.toString(), "--gates", "security", "--maven", noMaven());
        assertTrue(out().contains("details of what is short:\n"), out());
        assertTrue(out().contains("\n  SECRETS_FOUND: 1 (secrets scan: [src/main/resources/app.properties:1 " +
            "(credential literal)])\n    - src/main/resources/app.properties:1 (credential literal)\n"), out());
        assertTrue(out().contains("\n  VULNERABLE_DEPENDENCIES: not measured: no advisory database is configured"),
            out());
    }

    @Test
    void validateLenientReportsButPasses() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.OK, run("validate", repo.toString(), "--gates", "code,security,performance",
            "--enforcement", "lenient", "--maven", noMaven()), err());
        assertTrue(out().contains("quality gates passed"), out());
        assertTrue(out().contains("code-quality (WARNING) NOT_MEASURED"), out());
    }

    @Test
    void validateRemediationNamesTheAgentsForTheGaps() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.FAILED, run("validate", repo.toString(), "--gates", "code", "--enforcement", "strict",
            "--remediate-on-failure", "--maven", noMaven()), err());
        assertTrue(out().contains("remediation:\n  agents: Testbed"), out());
        assertTrue(out().contains("  - Testbed: close COVERAGE gap (MEDIUM): no coverage report found"), out());
        assertTrue(out().contains("  - measure TEST_COVERAGE_PERCENT for gate code-quality"), out());
    }

    @Test
    void validateWithoutRemediationPrintsNoRemediation() throws IOException
    {
        PlanFixture.mavenProject(repo);
        run("validate", repo.toString(), "--gates", "code", "--enforcement", "strict", "--maven", noMaven());
        assertFalse(out().contains("remediation:"), out());
    }

    @Test
    void validateWorkflowPrintsEveryProblemWithItsPath() throws IOException
    {
        final Path file = PlanFixture.write(repo, "bad.yaml", """
            name: broken
            phases:
              - id: build
                name: Build
                tasks:
                  - id: compile
                    capability: juggling
                    dependsOn: [nothing]
                    estimatedMinutes: -5
            """);
        assertEquals(ExitCodes.FAILED, run("validate", "--workflow", file.toString()));
        assertTrue(err().contains("phases[0].tasks[0].capability"), err());
        assertTrue(err().contains("phases[0].tasks[0].estimatedMinutes"), err());
    }

    @Test
    void validateWorkflowAcceptsAGoodFile() throws IOException
    {
        final Path file = PlanFixture.write(repo, "ok.yaml", """
            name: tiny
            phases:
              - id: build
                name: Build
                tasks:
                  - id: compile
                    capability: implementation
                    estimatedMinutes: 5
            """);
        assertEquals(ExitCodes.OK, run("validate", "--workflow", file.toString()), err());
        assertTrue(out().contains("workflow 'tiny' in " + file + " is valid: 1 phases, 1 tasks, 1 parallel tracks"),
            out());
    }

    @Test
    void validateWorkflowThatDoesNotExistIsAUsageError()
    {
        assertEquals(ExitCodes.USAGE, run("validate", "--workflow", repo.resolve("missing.yaml").toString()));
        assertTrue(err().contains("not found"), err());
    }

    @Test
    void anUnknownOptionIsAUsageError()
    {
        assertEquals(ExitCodes.USAGE, run("analyze", repo.toString(), "--frobnicate"));
        assertTrue(err().contains("Unknown option: '--frobnicate'"), err());
    }

    @Test
    void anUnknownGateOrProfileIsAUsageError() throws IOException
    {
        PlanFixture.mavenProject(repo);
        assertEquals(ExitCodes.USAGE, run("validate", repo.toString(), "--gates", "speed"));
        err.reset();
        assertEquals(ExitCodes.USAGE, run("validate", repo.toString(), "--enforcement", "harsh"));
        assertTrue(err().contains("unknown quality gate profile 'harsh'"), err());
    }

    @Test
    void subcommandHelpExitsWithZero()
    {
        assertEquals(ExitCodes.OK, run("plan", "--help"));
        assertTrue(out().contains("--workflow"), out());
    }
}
