/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's orchestrator part, on the sample repository shipped in the project: named agents that apply prepared
 * patches in git worktrees, the gates measured by the real tools (Maven with JaCoCo, PMD, SpotBugs + FindSecBugs,
 * resolved from Maven Central on first use), a remediation round, a crashed agent's task re-run elsewhere.
 */
@Tag("slow")
class OrchestrationDemoTest
{
    @Test
    void featureWorkflowMovesTheMeasuredNumbersThroughRemediationAndACrash() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Path projectRoot = Path.of("..").toAbsolutePath().normalize(); // surefire runs in the module directory
        final OrchestrationDemo.Report report = OrchestrationDemo.run(projectRoot,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals("COMPLETED", report.status(), out);
        assertTrue(out.contains("Project types: MAVEN"), out);
        assertTrue(out.contains("switchboard invoke"), "the plan prints agent commands: " + out);
        // the implementation phase, measured by the tools: coverage and complexity miss the gate ...
        assertTrue(out.contains("TEST_COVERAGE_PERCENT: measured 37.5 %, required >= 80 % (missed)"), out);
        assertTrue(out.contains("CYCLOMATIC_COMPLEXITY_MAX: measured 16, required < 10 (missed)"), out);
        assertTrue(out.contains("remediation tasks: [implementation.fix-1-coverage, implementation.fix-1-complexity]"),
            out);
        // ... the remediation moves them, measured again
        assertTrue(out.contains("TEST_COVERAGE_PERCENT: 81.8 % (JaCoCo: 54 of 66 lines covered"), out);
        assertTrue(out.contains("CYCLOMATIC_COMPLEXITY_MAX: 4 (analysis"), out);
        // the crash mid-task, and the task done by the other tester
        assertTrue(out.contains(OrchestrationDemo.CRASHING_AGENT + " failed implementation.fix-1-coverage (attempt 1, " +
            "AGENT_CRASHED)"), out);
        assertTrue(out.contains("REVIEW_APPROVED: 1 (reviewer Reviewer: approve"), out);
        assertTrue(out.contains("[####################] 100%"), out);
        for (final String phase : new String[] {"design", "implementation", "testing", "documentation"})
        {
            assertEquals("PASSED", report.gates().path(phase).asText(), phase + ": " + out);
        }
        assertTrue(report.log().contains("Merge task implementation.fix-1-coverage (agent Testbed-2)"), report.log());
        assertTrue(report.log().contains("Merge task document (agent Docgen)"), report.log());
        final String plan = Files.readString(report.repository().resolve("AGENT_PLAN.md"));
        assertTrue(plan.startsWith("# AGENT_PLAN.md\n") && plan.contains("**Workflow Type**: FEATURE\n"), plan);
        assertTrue(Files.exists(report.repository().resolve("AGENT_PLAN.json")));
        assertTrue(Files.notExists(projectRoot.resolve(OrchestrationDemo.SAMPLE).resolve("AGENT_PLAN.md")),
            "the shipped sample is never written to");
        assertTrue(Files.notExists(projectRoot.resolve(OrchestrationDemo.SAMPLE).resolve(".git")),
            "the shipped sample is never written to");
    }
}
