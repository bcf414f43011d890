/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.model;

import java.util.List;

/**
 * The orchestrator section of a run: workflows run back to back through {@code WorkflowRuntime} (their rate and the
 * hand-off latency of every task in them) and plan generation on a generated repository.
 *
 * @param workflows one entry per configuration run (agents in the harness's process or in another, and the work
 *                  items' priority), in run order.
 * @param plan      plan generation, or null when not run.
 * @param notes     what the reader needs to trust the numbers (the clock check, what a run was made of).
 */
public record OrchestratorResult(List<WorkflowRun> workflows, PlanRun plan, List<String> notes)
{
    /**
     * One configuration: {@code workflows} bugfix workflows run one after another, the same agents throughout.
     *
     * @param id                 the selectable id ({@code orchestrator-normal}).
     * @param label              what it is, for people.
     * @param agentsPlacement    "same process" or "another process".
     * @param priority           of the work items (the tier the router hands them to the agents on).
     * @param workflows          measured workflows, all completed (warm-up excluded).
     * @param tasks              measured tasks (every task of every measured workflow).
     * @param seconds            wall-clock time of the measured workflows, from the first start to the last end.
     * @param workflowsPerSecond {@code workflows / seconds}.
     * @param tasksPerSecond     {@code tasks / seconds}.
     * @param handoff            assignment enqueued → agent receipt, per task; null when none was recorded.
     * @param timedOutTasks      tasks (warm-up included) whose work item or reports did not arrive within the
     *                           runtime's task timeout, failed with TASK_TIMEOUT and were re-assigned by recovery.
     * @param failed             why the configuration did not finish, else null.
     */
    public record WorkflowRun(
        String id, String label, String agentsPlacement, String priority, int workflows, long tasks,
        double seconds, double workflowsPerSecond, double tasksPerSecond, Handoff handoff, int timedOutTasks,
        String failed)
    {
    }

    /**
     * Hand-off latency of one configuration; the whole distribution is in {@code hlogFile}.
     *
     * @param samples  work items received (one per measured task).
     * @param hlogFile HdrHistogram log, relative to the run directory.
     * @param p50Ns    median, ns.
     * @param p90Ns    90th percentile, ns.
     * @param p99Ns    99th percentile, ns.
     * @param p999Ns   99.9th percentile, ns.
     * @param maxNs    largest, ns.
     * @param meanNs   mean, ns.
     * @param tiers    the tiers the work items arrived on, "TIER:count,...".
     * @param negative samples where receipt preceded the enqueue stamp (clock disagreement), recorded as 0.
     */
    public record Handoff(
        long samples, String hlogFile, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs, double meanNs,
        String tiers, long negative)
    {
    }

    /**
     * Plan generation: {@code RepositoryAnalyzer.analyze} + {@code GapDetector.detect} + {@code AgentPlanWriter}
     * writing {@code AGENT_PLAN.md}, timed together per run.
     *
     * @param files          files generated in the repository.
     * @param filesAnalysed  files the analyzer counted.
     * @param javaFiles      Java sources among them (main and test).
     * @param warmupRuns     unmeasured runs first.
     * @param runs           measured runs.
     * @param p50Ms          median time of one run, ms.
     * @param maxMs          slowest run, ms.
     * @param minMs          fastest run, ms.
     * @param p50CpuMs       median CPU time of the measuring thread per run, ms (the work is single-threaded, so
     *                       on a busy machine this is the run's own cost and {@code p50Ms} adds the waiting).
     * @param filesPerSecond {@code filesAnalysed / p50}.
     * @param gaps           gaps the detector found (a check that the run did real work).
     * @param planBytes      size of the AGENT_PLAN.md written.
     * @param failed         why it did not finish, else null.
     */
    public record PlanRun(
        int files, int filesAnalysed, int javaFiles, int warmupRuns, int runs, double p50Ms, double maxMs,
        double minMs, double p50CpuMs, double filesPerSecond, int gaps, long planBytes, String failed)
    {
    }
}
