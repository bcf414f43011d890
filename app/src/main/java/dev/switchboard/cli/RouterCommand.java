/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.switchboard.router.process.RouterMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard router}: a standalone router that agent processes connect to ({@link RouterMain}), until SIGINT or
 * SIGTERM. {@code --help} and {@code --version} print and start nothing. Exit 0 after a stop on a signal, 70 after a
 * fatal error, 1 when the stop overran its timeout, 2 on bad options.
 */
@Command(name = "router", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Run a router that agent processes connect to, until Ctrl-C (counters printed on the way out).",
        "Its settings are the switchboard.* system properties (SWITCHBOARD_JVM_OPTS=-D...); see ipc-native/README.md."})
final class RouterCommand implements Callable<Integer>
{
    @Option(names = "--runtime-dir", paramLabel = "DIR",
        description = "the router's runtime directory: its socket, inboxes' names, queues (default: the " +
            "switchboard.runtime.dir property, else one under /tmp for this user)")
    private Path runtimeDir;

    @Override
    public Integer call()
    {
        if (runtimeDir != null)
        {
            System.setProperty("switchboard.runtime.dir", runtimeDir.toAbsolutePath().toString());
        }
        return RouterMain.run();
    }
}
