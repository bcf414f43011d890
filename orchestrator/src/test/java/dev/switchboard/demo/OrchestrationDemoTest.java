/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The demo's orchestrator part, on the sample repository shipped in the project, with real agent processes. */
class OrchestrationDemoTest
{
    @Test
    void analysesPlansAndRunsTheFeatureWorkflowThroughAnAgentCrash() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Path projectRoot = Path.of("..").toAbsolutePath().normalize(); // surefire runs in the module directory
        final OrchestrationDemo.Report report = OrchestrationDemo.run(projectRoot,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals("COMPLETED", report.status(), out);
        assertTrue(out.contains("Project types: MAVEN"), out);
        assertTrue(out.contains("Coverage: 62.0 % from"), out);
        assertTrue(out.contains("COVERAGE"), "the coverage gap is found: " + out);
        assertTrue(out.contains("its strategy:"), out);
        assertTrue(out.contains("agent " + OrchestrationDemo.CRASHING_AGENT + " deregistered: its tasks go to other " +
            "agents"), out);
        assertTrue(out.contains("[####################] 100%"), out);
        report.gates().fields().forEachRemaining(gate -> assertEquals("PASSED", gate.getValue().asText(), out));
        assertEquals(5, report.gates().size(), out);
        final String plan = Files.readString(report.repository().resolve("AGENT_PLAN.md"));
        assertTrue(plan.startsWith("# Agent plan: feature workflow"), plan);
        assertTrue(Files.exists(report.repository().resolve("AGENT_PLAN.json")));
        assertTrue(Files.notExists(projectRoot.resolve(OrchestrationDemo.SAMPLE).resolve("AGENT_PLAN.md")),
            "the shipped sample is never written to");
    }
}
