/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a workflow runs, shared by {@code coordinate} and {@code receive}: the agents (threads of this JVM, or
 * {@code --agent-processes} JVMs of their own), their work, the gates, the priority of the work items, the limits,
 * and the journal.
 */
final class RunOptions
{
    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
        description = "the repository the work is on: in git, each task works in a worktree of its own and the " +
            "phase's work is merged at its end; otherwise tasks share it (default: ${DEFAULT-VALUE})")
    Path repo;

    @Option(names = "--scope", paramLabel = "TEXT", defaultValue = "",
        description = "what the work is about, e.g. \"authentication system\" (default: the whole repository)")
    String scope;

    @Option(names = "--agents-file", paramLabel = "FILE",
        description = "the named agents (YAML): each task runs its agent's command on the task's prompt (default: " +
            "agents.yaml in the repository, then in the working directory; without one, scripted agents that " +
            "change nothing)")
    Path agentsFile;

    @Option(names = "--run-dir", paramLabel = "DIR",
        description = "where each task's prompt, result and logs, and the worktrees, go (default: a new " +
            "temporary directory, kept)")
    Path runDirectory;

    @Mixin
    MeasureOptions measure;


    @Option(names = "--agent-processes",
        description = "run each agent in a JVM of its own, connected to the embedded router over its Unix socket")
    boolean agentProcesses;

    @Option(names = "--agent-script", paramLabel = "AGENT=SCRIPT",
        description = "with --agent-processes, script agent-N: succeed, fail-first:N:KIND, fail-always:KIND, stall " +
            "or crash:N:MS (repeatable; for recovery drills)")
    Map<String, String> agentScripts = new LinkedHashMap<>();

    @Option(names = "--parallel-tracks", paramLabel = "N", defaultValue = "1",
        description = "tasks each agent may hold at once (default: ${DEFAULT-VALUE})")
    int parallelTracks;

    @Option(names = "--quality-gates", paramLabel = "PROFILE", defaultValue = "standard",
        description = "strict, standard or lenient (default: ${DEFAULT-VALUE})")
    String qualityGates;

    @Option(names = "--priority", paramLabel = "LEVEL", defaultValue = "normal",
        description = "priority of the work items: critical, high, normal or low (default: ${DEFAULT-VALUE})")
    String priority;

    @Option(names = "--command", paramLabel = "CAPABILITY=CMD",
        description = "without --agents-file: run 'sh -c CMD' in the repository for tasks needing CAPABILITY " +
            "(repeatable); exit 0 succeeds, stdout lines 'PROGRESS N' are its progress ('METRIC NAME VALUE' lines " +
            "are shown as reported, never gated on)")
    Map<String, String> commands = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "longest the workflow may run (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--task-timeout", paramLabel = "SECONDS", defaultValue = "0",
        description = "longest one task may run before it fails and is recovered; 0 for none " +
            "(default: ${DEFAULT-VALUE})")
    long taskTimeoutSeconds;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "record every event in a Chronicle queue in DIR; resume the workflow DIR already holds")
    Path journalDirectory;

    // --- the specification's integration options: agents by name, issues, an optimization target, the metrics

    @Option(names = "--agents", paramLabel = "N|NAMES", defaultValue = "3",
        description = "a count of scripted agents when there is no agents file, or a comma list of the agents " +
            "file's agents that run (only those), e.g. \"Architect,Constructor\" (default: ${DEFAULT-VALUE}; " +
            "with an agents file, a count means all of its agents)")
    String agents;

    @Option(names = "--issues", paramLabel = "LIST", split = ",",
        description = "issue ids this run addresses, e.g. BUG-123,BUG-124: resolved from --issues-file, else from " +
            "git log --grep=ID in the repository, into every task's prompt; recorded in the workflow id")
    List<String> issues = new ArrayList<>();

    @Option(names = "--issues-file", paramLabel = "FILE",
        description = "the issues (YAML or JSON list of {id, title, body}, or Markdown with one heading per issue " +
            "naming its id) (default: ISSUES.md, then issues.yaml, in the repository)")
    Path issuesFile;

    @Option(names = "--target", paramLabel = "TEXT",
        description = "what to make faster, e.g. \"API response time\": its p95 is measured with --perf-command " +
            "(or the optimization phase's performance: command) before the workflow and after its last phase")
    String target;

    @Option(names = "--baseline", paramLabel = "current|MS", defaultValue = "current",
        description = "with --target: the p95 to improve on, in milliseconds, or current to measure it first " +
            "(default: ${DEFAULT-VALUE})")
    String baseline;

    @Option(names = "--goal", paramLabel = "\"N% improvement\"",
        description = "with --target: how much lower the p95 must end than the baseline; the workflow fails " +
            "otherwise")
    String goal;

    @Option(names = "--metrics-file", paramLabel = "FILE",
        description = "where each run's success metrics are kept, one JSON line per run " +
            "(default: ~/.switchboard/metrics.jsonl)")
    Path metricsFile;

    @Option(names = "--router-dir", paramLabel = "DIR",
        description = "the embedded router's runtime directory (created 0700 if missing), so that another process, " +
            "e.g. 'switchboard director --router-dir DIR', can connect (default: a private temporary one)")
    Path routerDirectory;

    @Option(names = "--director", paramLabel = "NAME",
        description = "the agent on the bus that decides escalations and receives reports, requests and plan " +
            "requests, e.g. Director (default: none; escalations get --director-default at once)")
    String director;

    @Option(names = "--director-timeout", paramLabel = "SECONDS", defaultValue = "300",
        description = "how long an escalation waits for the Director's decision (default: ${DEFAULT-VALUE})")
    long directorTimeoutSeconds;

    @Option(names = "--director-default", paramLabel = "DECISION", defaultValue = "abort",
        description = "retry, skip or abort: the decision when the Director does not answer in time, or when " +
            "there is no --director (default: ${DEFAULT-VALUE})")
    String directorDefault;

    @Option(names = "--report-frequency", paramLabel = "WHEN", defaultValue = "phase",
        description = "when reports go to topic 'director': on-completion, phase, task or every SECONDS " +
            "(default: ${DEFAULT-VALUE})")
    String reportFrequency;

    @Option(names = "--task-duration-ms", paramLabel = "MS", defaultValue = "0",
        description = "how long each scripted task takes, for demos and crash tests (default: ${DEFAULT-VALUE})")
    long taskDurationMs;
}
