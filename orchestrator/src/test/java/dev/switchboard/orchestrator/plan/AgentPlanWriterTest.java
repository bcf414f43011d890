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
import dev.switchboard.orchestrator.workflow.WorkflowDefinition;
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
    void planHasEveryHeadingAndFieldOfTheSpecificationsFormat()
    {
        final String plan = featurePlan();
        int previous = -1;
        for (final String heading : List.of("# AGENT_PLAN.md\n", "## Execution Strategy\n",
            "**Workflow Type**: FEATURE\n", "**Total Duration**: ", "**Parallel Tracks**: 2\n",
            "**Agents Required**: ", "## Phase 1: Design\n", "**Duration**: 1 h\n", "**Agents**: Design\n",
            "**Parallel Execution**: NO\n", "### Tasks\n", "1. **Design**: Design the feature (`design`)\n```bash\n" +
            "./switchboard invoke Design --task ", "**Expected Output**: ", "**Success Criteria**: ",
            "### Quality Gates\n- [ ] review:", "## Phase 2: Implementation\n", "**Parallel Execution**: YES\n",
            "## Phase 3: Testing\n", "## Phase 4: Optimization\n", "## Phase 5: Documentation\n",
            "## Parallel Track A\n**Agents**: ", "**Can Run Alongside**: Track B\n", "## Parallel Track B\n",
            "**Can Run Alongside**: Track A\n", "## Rollback Procedures\n1. Phase 1 (Design) ",
            "## Success Metrics\n- [ ] All quality gates passed", "- [ ] Performance targets met",
            "- [ ] Documentation complete", "- [ ] Deployment ready", "- [ ] Coordination efficiency > 95 %",
            "- [ ] Plan accuracy > 90 %", "- [ ] Development time reduction > 40 %",
            "- [ ] Quality gate compliance 100 %", "- [ ] Execution success > 95 %", "- [ ] Failure recovery > 90 %"))
        {
            final int at = plan.indexOf(heading, previous + 1);
            assertTrue(at > previous, "missing or out of order: " + heading + "\n" + plan);
            previous = at;
        }
    }

    @Test
    void totalDurationIsTheCriticalPathBesideTheSequentialSum()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("**Total Duration**: 8 h 30 min along the critical path " +
            "(`design` → `implement-core` → `unit-tests` → `optimize`); " +
            "13 h if every task ran one after another\n"),
            plan);
        assertTrue(plan.contains("**Duration**: 4 h\n"), "implementation: the longer of its two tasks\n" + plan);
    }

    @Test
    void tracksAreAMinimumCoverAndPairTasksAcrossDepths()
    {
        final ConcurrentTracks tracks = ConcurrentTracks.of(TaskGraph.of(WorkflowTemplates.feature()));
        assertEquals(2, tracks.width(), tracks.toString());
        assertTrue(tracks.alongside().get("unit-tests").contains("implement-api"), tracks.toString());
        assertFalse(tracks.alongside().get("unit-tests").contains("implement-core"), tracks.toString());
        assertTrue(tracks.alongside().get("design").isEmpty(), tracks.toString());
        final java.util.Set<String> covered = new java.util.HashSet<>();
        tracks.tracks().forEach(covered::addAll);
        assertEquals(WorkflowTemplates.feature().tasks().size(), covered.size());
        final String plan = featurePlan();
        assertTrue(plan.contains("- `unit-tests` (Testbed, 1 h 30 min): can run alongside `implement-api`, " +
            "`integration-tests`\n"), plan);
        assertEquals(1, ConcurrentTracks.of(TaskGraph.of(WorkflowTemplates.optimization())).width() - 1);
    }

    @Test
    void qualityGatesOfEachPhaseAreCheckboxesWithTheMeasuredValues()
    {
        final String plan = featurePlan();
        final String testing = plan.substring(plan.indexOf("## Phase 3: Testing"), plan.indexOf("## Phase 4:"));
        assertTrue(testing.contains("- [ ] code-quality: TEST_COVERAGE_PERCENT >= 80 % (now 62.5 %) BLOCKING"),
            testing);
        assertTrue(testing.contains("- [x] code-quality: CYCLOMATIC_COMPLEXITY_MAX < 10 (now 3) BLOCKING"), testing);
        assertFalse(testing.contains("security:"), "testing has no security gate\n" + testing);
        final String implementation = plan.substring(plan.indexOf("## Phase 2:"), plan.indexOf("## Phase 3:"));
        assertTrue(implementation.contains("- [ ] security: CRITICAL_VULNERABILITIES = 0 (not measured yet) " +
            "BLOCKING"), implementation);
    }

    @Test
    void rollbackNamesTheCommitEachPhaseStartsFrom()
    {
        final String plan = AgentPlanWriter.write(analysis, WorkflowTemplates.bugfix(), List.of(),
            QualityGates.defaults(), null, "0123456789abcdef0123456789abcdef01234567");
        assertTrue(plan.contains("1. Phase 1 (Diagnosis) starts from commit " +
            "`0123456789abcdef0123456789abcdef01234567`" +
            " (`git rev-parse HEAD` when this plan was written); to undo it: `git reset --hard " +
            "0123456789abcdef0123456789abcdef01234567`\n"), plan);
        assertTrue(plan.contains("2. Phase 2 (Fix) starts from the commit `coordinate` records at its start " +
            "(`WorkspaceRecorded PhaseStarted` for phase `fix` in the journal); to undo it: `git reset --hard " +
            "<that commit>`\n"), plan);
        assertTrue(plan.contains("After a reset, rebuild the MAVEN project from nothing: `mvn -B clean test`"), plan);
    }

    @Test
    void gapsBecomeTasksOfThePhasesThatCloseThem()
    {
        final WorkflowDefinition merged = GapTasks.merge(WorkflowTemplates.feature(), analysis,
            GapDetector.detect(analysis));
        final TaskDefinition coverage = merged.phase("testing").orElseThrow().tasks().stream()
            .filter(t -> t.id().equals("gap-coverage")).findFirst().orElseThrow();
        assertEquals("testing", coverage.capability());
        assertEquals(List.of("implement-core", "implement-api"), coverage.dependsOn());
        assertTrue(coverage.instructions().acceptanceCriteria().contains("line coverage is at least 80 % (now 62.5)"),
            coverage.toString());
        assertTrue(coverage.instructions().context().contains("1 test files for 2 source files"), coverage.toString());
        final TaskDefinition docs = merged.phase("documentation").orElseThrow().tasks().stream()
            .filter(t -> t.id().equals("gap-documentation")).findFirst().orElseThrow();
        assertTrue(docs.instructions().context().contains("sign(int value)") ||
            docs.instructions().context().contains("Calculator.java:"), docs.toString());
        assertEquals(WorkflowTemplates.feature().phases().size(), merged.phases().size());

        final WorkflowDefinition optimization = GapTasks.merge(WorkflowTemplates.optimization(), analysis,
            GapDetector.detect(analysis));
        assertEquals(List.of("profiling", "optimization", "validation", "documentation"), optimization.phaseIds(),
            "a workflow without a documentation phase gets one");
        assertEquals(List.of("benchmark", "regression-tests"), optimization.phase("documentation").orElseThrow()
            .tasks().getFirst().dependsOn());
    }

    @Test
    void markdownPlanReadsBackTheWorkflowItWasWrittenFor()
    {
        for (final String name : WorkflowTemplates.names())
        {
            final WorkflowDefinition workflow = GapTasks.merge(WorkflowTemplates.byName(name), analysis,
                GapDetector.detect(analysis));
            final String plan = AgentPlanWriter.write(analysis, workflow, GapDetector.detect(analysis),
                QualityGates.defaults());
            assertEquals(workflow, MarkdownPlan.parse(plan, name), name + "\n" + plan);
        }
    }

    @Test
    void refactorWorkflowGoesFromAnalysisThroughRefactoringToReview()
    {
        final WorkflowDefinition refactor = WorkflowTemplates.byName("REFACTOR");
        assertEquals(List.of("analysis", "refactoring", "testing", "review"), refactor.phaseIds());
        assertTrue(refactor.phase("refactoring").orElseThrow().tasks().stream().allMatch(TaskDefinition::decomposable));
        assertTrue(AgentPlanWriter.write(analysis, refactor, List.of(), QualityGates.defaults())
            .contains("**Workflow Type**: REFACTOR\n"));
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
    void eachTaskHasAnInvokeCommandWithTheTextsInvokeFillsItself()
    {
        final String plan = featurePlan();
        assertTrue(plan.contains("(`unit-tests`)\n```bash\n./switchboard invoke Testbed --task 'Write unit " +
            "tests for the core logic of ${scope}.' --context '${context.coverage}\n${context.uncovered}'"), plan);
        assertTrue(plan.contains(" --acceptance 'the new tests pass' --acceptance 'line coverage of the code changed " +
            "for ${scope} is at least 80 %' --repo " + ShellQuoting.quote(repo.toString()) + "\n```\n"), plan);
        assertTrue(plan.contains("./switchboard invoke Scribe --task "), plan);
        assertTrue(plan.contains("**Depends On**: `implement-core`\n"), plan);
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

        assertTrue(plan.contains("(`implement-core`)\n```bash\n./switchboard invoke Lead "), plan);
        assertTrue(plan.contains("(`unit-tests`)\n```bash\n./switchboard invoke Checker "), plan);
        assertTrue(plan.contains(" --agents-file team.yaml --repo "), plan);
        assertTrue(plan.contains("1. **Optimizer**: Profile and optimize hot paths (`optimize`)\n```bash\n" +
            "./switchboard invoke Optimizer "), "no agent in team.yaml declares optimization: the roster's\n" + plan);
    }

    @Test
    void shellQuotingKeepsEveryCharacter()
    {
        assertEquals("Testbed", ShellQuoting.quote("Testbed"));
        assertEquals("''", ShellQuoting.quote(""));
        assertEquals("'it'\\''s $HOME `x`\nnext'", ShellQuoting.quote("it's $HOME `x`\nnext"));
    }
}
