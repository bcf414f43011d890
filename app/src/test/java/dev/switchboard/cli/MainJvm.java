/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.ipc.durable.DurableQueues;

/**
 * {@code ./switchboard COMMAND ARGS} as the script runs it, for tests with real processes: {@link Main} in a JVM of its
 * own, with the test's java binary and class path and the flags every tier needs. Its standard output and error go to
 * {@code NAME.out} and {@code NAME.err} in a directory, so a chatty command never blocks on a full pipe.
 */
final class MainJvm
{
    private MainJvm()
    {
    }

    /**
     * @param dir        where {@code NAME.out} and {@code NAME.err} go.
     * @param name       the files' name.
     * @param jvmOptions extra JVM options, e.g. {@code -Djava.io.tmpdir=...}.
     * @param args       the command and its arguments.
     * @return the running process; the caller stops it.
     * @throws IOException if it cannot start.
     */
    static Process start(final Path dir, final String name, final List<String> jvmOptions, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED"));
        command.addAll(DurableQueues.JVM_FLAGS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        return builder.start();
    }
}
