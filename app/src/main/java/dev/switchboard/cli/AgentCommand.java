/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.util.concurrent.Callable;

import dev.switchboard.sample.SampleAgentMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard agent}: the sample agent ({@link SampleAgentMain}): registers with a router, subscribes to a
 * topic, echoes requests and acks work until SIGINT or SIGTERM. {@code --help} and {@code --version} print and start
 * nothing. Exit 0 after a stop on a signal, 1 when it cannot reach the router, 2 on bad options.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Run a sample agent that connects to a router (./switchboard router), until Ctrl-C.")
final class AgentCommand implements Callable<Integer>
{
    @Option(names = "--name", paramLabel = "NAME", required = true, description = "the agent's unique name")
    private String name;

    @Option(names = "--capabilities", paramLabel = "A,B", defaultValue = "sample",
        description = "what it can do, comma-separated (default: ${DEFAULT-VALUE})")
    private String capabilities;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "demo",
        description = "the topic it subscribes to (default: ${DEFAULT-VALUE})")
    private String topic;

    @Override
    public Integer call()
    {
        return SampleAgentMain.run(name, capabilities, topic);
    }
}
