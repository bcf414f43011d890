/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command the {@code ./switchboard} script runs without {@link Main}: {@code test} and {@code build} (Maven) and
 * {@code bench} (the benchmarks' jar). It is in the command tree so that help and {@code completion} list every command
 * the script takes; run here, it says to use the script and exits {@link ExitCodes#USAGE}.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class)
final class ScriptOnlyCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /** What the script's command takes; checked by the script's command, not here. */
    @Unmatched
    private List<String> args = new ArrayList<>();

    /**
     * @param description what the script's command does, for help.
     * @return the command, described.
     */
    static CommandLine named(final String description)
    {
        final CommandLine command = new CommandLine(new ScriptOnlyCommand());
        command.getCommandSpec().usageMessage().description(description);
        return command;
    }

    @Override
    public Integer call()
    {
        final String name = spec.name();
        spec.commandLine().getErr().println("switchboard " + name + ": run it through the script, ./switchboard " +
            name + ", which runs it without this class" + ("bench".equals(name) ?
            " (the benchmarks module's runner; see benchmarks/README.md)" : " (Maven)"));
        return ExitCodes.USAGE;
    }
}
