/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.orchestrator.agents.AgentsFile;
import dev.switchboard.orchestrator.analysis.GapDetector;
import dev.switchboard.orchestrator.analysis.RepositoryAnalysis;
import dev.switchboard.orchestrator.analysis.RepositoryAnalyzer;
import dev.switchboard.orchestrator.gates.QualityGates;
import dev.switchboard.orchestrator.workflow.TaskDefinition;
import dev.switchboard.orchestrator.workflow.TaskGraph;
import dev.switchboard.orchestrator.workflow.WorkflowTemplates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentPlanWriterTest
{
    @TempDir
    Path repo;

    private RepositoryAnalysis analysis;

    @BeforeEach
    void analyseFixture() throws IOException
    {
        analysis = RepositoryAnalyzer.analyze(PlanFixture.mavenProjectWithCoverage(repo));
    }

    private String featurePlan()
    {
        return AgentPlanWriter.write(analysis, WorkflowTemplates.feature(), GapDetector.detect(analysis),
            QualityGates.defaults());
    }

    @Test
    void planHasEverySectionInOrder()
    {
        final String plan = featurePlan();
        int previous = -1;
        for (final String heading : List.of("# Agent plan: feature workflow", "## Strategy", "## Phases",
            "## Tasks", "## Parallel tracks", "## Ready-to-run commands", "## Expected outputs and success criteria",
            "## Quality gates", "## Rollback procedures", "## Success metrics", "## Gaps found"))
        {
            final int at = plan.indexOf(heading);
            assertTrue(at > previous, "missing or out of order: " + heading + "\n" + plan);
            previous = at;
        }
    }

    @Test
    void strategyEstimatesTheCriticalPathAgainstTheTotal()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("- Estimated duration: 8 h 30 min along the critical path " +
            "(`design` → `implement-core` → `unit-tests` → `optimize`); 13 h of work in total"), plan);
        assertTrue(plan.contains("- Parallel tracks: 4 (at most 2 tasks at once)"), plan);
    }

    @Test
    void qualityGatesAreCheckboxesWithTheMeasuredValues()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("- [ ] code-quality: TEST_COVERAGE_PERCENT >= 80 % (now 62.5 %) BLOCKING"), plan);
        assertTrue(plan.contains("- [x] code-quality: CYCLOMATIC_COMPLEXITY_MAX < 10 (now 3) BLOCKING"), plan);
        assertTrue(plan.contains("- [ ] security: CRITICAL_VULNERABILITIES = 0 (not measured) BLOCKING"), plan);
    }

    @Test
    void commandsCoordinateTheWorkflowAndRunTheProjectsTests()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("./switchboard coordinate --workflow feature --scope " + analysis.root() +
            " --parallel-tracks 4\n"), plan);
        assertTrue(plan.contains("\nmvn -B test\n"), plan);
    }

    @Test
    void tracksListTheTasksThatRunTogether()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("- Track 1: `design` (1 h)\n"), plan);
        assertTrue(plan.contains("- Track 2: `implement-core`, `implement-api` (4 h)\n"), plan);
        assertTrue(plan.contains("| `unit-tests` | Write unit tests | testing | testing | implement-core | 1 h 30 min | 3 |"),
            plan);
    }

    @Test
    void phasesNameTheSpecialistsForTheGapsFound()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("### 3. Testing (`testing`)\n\n- Agents: `testing`; recommended specialists: Testbed"),
            plan);
        assertTrue(plan.contains("### 4. Optimization (`optimization`) (optional)"), plan);
    }

    @Test
    void rollbackIsGitBasedPerPhaseAndRebuildsTheProject()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("`git switch -c switchboard/feature/<phase>`"), plan);
        assertTrue(plan.contains("`git revert -m 1 <merge-commit>`"), plan);
        assertTrue(plan.contains("   - MAVEN: `git restore --source=switchboard/feature -- pom.xml`, then " +
            "`mvn -B clean test`"), plan);
    }

    @Test
    void successMetricsGoFromTheMeasuredValueToTheGate()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("- code-quality TEST_COVERAGE_PERCENT: from 62.5 % to >= 80 %\n"), plan);
        assertTrue(plan.contains("- Every blocking quality gate passes (now 2 blocking gate(s) fail)\n"), plan);
    }

    @Test
    void gapsAreListedWithTheirAgent()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("- **MEDIUM** COVERAGE: line coverage 62.5 % is below the gate of 80 % " +
            "(agent: Testbed)"), plan);
    }

    @Test
    void noGapsSaysSo()
    {
        final String plan = AgentPlanWriter.write(analysis, WorkflowTemplates.bugfix(), List.of(),
            QualityGates.defaults());
        assertTrue(plan.endsWith("## Gaps found\n\nNone: the repository meets every gate the analysis can measure.\n"));
    }

    @Test
    void outputIsDeterministic()
    {
        assertEquals(featurePlan(), featurePlan());
    }

    @Test
    void writeToWritesAgentPlanMarkdownIntoTheDirectory() throws IOException
    {
        final Path file = AgentPlanWriter.writeTo(repo.resolve("out"), analysis, WorkflowTemplates.feature(),
            GapDetector.detect(analysis), QualityGates.defaults());
        assertEquals(repo.resolve("out").resolve("AGENT_PLAN.md"), file);
        assertEquals(featurePlan(), Files.readString(file));
    }

    @Test
    void criticalPathFollowsTheLongestChainOfEstimates()
    {
        final List<String> path = AgentPlanWriter.criticalPath(TaskGraph.of(WorkflowTemplates.bugfix())).stream()
            .map(TaskDefinition::id).toList();
        assertEquals(List.of("diagnose", "fix", "regression-tests"), path);
    }

    @Test
    void gateMeasurementsMapAnalysisMetricsByName()
    {
        assertEquals(62.5, GateMeasurements.of(analysis)
            .get(dev.switchboard.orchestrator.gates.Metric.TEST_COVERAGE_PERCENT));
    }

    @Test
    void eachTaskHasAnInvokeCommandWithItsTextsFilledAndQuoted()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("### One task at a time"), plan);
        assertTrue(plan.contains("# unit-tests: Write unit tests\n./switchboard invoke Testbed --task 'Write unit " +
            "tests for the core logic of the whole repository.' --context '"), plan);
        assertTrue(plan.contains(" --acceptance 'the new tests pass' --acceptance 'line coverage of the code changed " +
            "for the whole repository is at least 80 %' --repo " + ShellQuoting.quote(repo.toString()) + "\n"), plan);
        assertTrue(plan.contains("./switchboard invoke Scribe --task "), plan);
        assertTrue(plan.contains("./switchboard invoke Design --task "), plan);
        assertFalse(plan.contains("--task '${") || plan.contains("${context."), plan);
    }

    @Test
    void agentsFileNamesTheFirstAgentDeclaringTheCapability()
    {
        final AgentsFile agents = AgentsFile.parse("""
            agents:
              - name: Lead
                capabilities: [design, implementation]
                command: [true]
              - name: Checker
                capabilities: [testing, implementation]
                command: [true]
            """, "team.yaml");

        final String plan = AgentPlanWriter.write(analysis, WorkflowTemplates.feature(), GapDetector.detect(analysis),
            QualityGates.defaults(), agents);

        assertTrue(plan.contains("# implement-core: Implement the core logic\n./switchboard invoke Lead "), plan);
        assertTrue(plan.contains("# unit-tests: Write unit tests\n./switchboard invoke Checker "), plan);
        assertTrue(plan.contains(" --agents-file team.yaml --repo "), plan);
        assertTrue(plan.contains("# optimize: Profile and optimize hot paths (no agent in team.yaml declares " +
            "optimization)\n./switchboard invoke Optimizer "), plan);
    }

    @Test
    void shellQuotingKeepsEveryCharacter()
    {
        assertEquals("Testbed", ShellQuoting.quote("Testbed"));
        assertEquals("''", ShellQuoting.quote(""));
        assertEquals("'it'\\''s $HOME `x`\nnext'", ShellQuoting.quote("it's $HOME `x`\nnext"));
    }
}
