/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * How a workflow runs, shared by {@code coordinate} and {@code receive}: the agents (threads of this JVM, or
 * {@code --agent-processes} JVMs of their own), their work, the gates, the priority of the work items, the limits,
 * and the journal.
 */
final class RunOptions
{
    @Option(names = "--scope", paramLabel = "DIR", defaultValue = ".",
        description = "the directory the work is about; commands run there (default: ${DEFAULT-VALUE})")
    Path scope;

    @Option(names = "--agents", paramLabel = "N", defaultValue = "3",
        description = "task agents to start (default: ${DEFAULT-VALUE})")
    int agents;

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
        description = "run 'sh -c CMD' in the scope for tasks needing CAPABILITY (repeatable); exit 0 succeeds, " +
            "stdout lines 'METRIC NAME VALUE' are its metrics and 'PROGRESS N' its progress")
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

    @Option(names = "--task-duration-ms", paramLabel = "MS", defaultValue = "0",
        description = "how long each scripted task takes, for demos and crash tests (default: ${DEFAULT-VALUE})")
    long taskDurationMs;
}
