/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every command of {@code ./switchboard} does alike, run in process through {@link Main#run}: {@code --help} and
 * {@code -h} print its usage, exit 0 and start nothing; {@code --version} and {@code -V} print the version; an unknown
 * option exits 2 naming it. The commands are those of {@link SwitchboardCommand#COMMANDS}, so a new one is held to the
 * same at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a --help that ran its command would block (router, director, ...)
class EveryCommandTest
{
    private static final String VERSION_LINE = "switchboard \\d+\\.\\d+\\.\\d+\\S* \\(Java .*\\)\\R";

    /** The commands the script passes to Main, and those it runs itself ({@link ScriptOnlyCommand}). */
    private static final Set<String> SCRIPT_ONLY = Set.of("test", "build", "bench");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private String runtimeDirBefore;

    @BeforeEach
    void aRuntimeDirectoryOfItsOwn()
    {
        // where the router and the agent would put their socket, inboxes and queues if --help started them
        runtimeDirBefore = System.setProperty("switchboard.runtime.dir", dir.resolve("runtime").toString());
    }

    @AfterEach
    void restoreTheRuntimeDirectory()
    {
        if (runtimeDirBefore == null)
        {
            System.clearProperty("switchboard.runtime.dir");
        }
        else
        {
            System.setProperty("switchboard.runtime.dir", runtimeDirBefore);
        }
    }

    static Stream<String> commands()
    {
        return SwitchboardCommand.COMMANDS.keySet().stream();
    }

    /**
     * The commands Main runs but {@code help}: picocli's help command takes what follows it for the command to show
     * help for, and shows the top level's for an option it does not know.
     */
    static Stream<String> commandsMainRuns()
    {
        return commands().filter(command -> !SCRIPT_ONLY.contains(command) && !command.equals("help"));
    }

    static Stream<String> commandsTheScriptRuns()
    {
        return SCRIPT_ONLY.stream();
    }

    @Test
    void theCommandsAreThoseTheScriptTakes()
    {
        assertEquals(List.of("demo", "router", "agent", "stat", "errors", "coordinate", "receive", "director",
            "invoke", "metrics", "validate", "analyze", "plan", "soak", "fuzz", "completion", "help", "version", "test",
            "build", "bench"), List.copyOf(SwitchboardCommand.COMMANDS.keySet()));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpPrintsTheUsageExitsZeroAndCreatesNothing(final String command) throws IOException
    {
        for (final String help : List.of("--help", "-h"))
        {
            // every option that names a place to write points into dir: had the command run, dir would not be empty
            final List<String> args = new ArrayList<>(List.of(command));
            args.addAll(argumentsThatWouldRun(command));
            args.add(help);
            out.reset();
            err.reset();

            assertEquals(ExitCodes.OK, run(args.toArray(String[]::new)), String.join(" ", args) + ": " + err());
            assertTrue(out().contains("Usage: switchboard " + command + " "), String.join(" ", args) + ": " + out());
            assertEquals("", err(), String.join(" ", args));
            try (Stream<Path> created = Files.list(dir))
            {
                assertEquals(List.of(), created.toList(), String.join(" ", args) + " created something");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpNeedsNoneOfTheRequiredArguments(final String command)
    {
        assertEquals(ExitCodes.OK, run(command, "--help"), err());
        assertTrue(out().contains("-h, --help"), out());
        assertTrue(out().contains("-V, --version"), out());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void versionPrintsTheVersion(final String command)
    {
        for (final String version : List.of("--version", "-V"))
        {
            out.reset();
            assertEquals(ExitCodes.OK, run(command, version), command + " " + version + ": " + err());
            assertTrue(out().matches(VERSION_LINE), command + " " + version + ": " + out());
        }
    }

    @ParameterizedTest
    @MethodSource("commandsMainRuns")
    void anUnknownOptionExitsTwoNamingIt(final String command)
    {
        assertEquals(ExitCodes.USAGE, run(command, "--no-such-option"), out());
        assertTrue(err().startsWith("switchboard " + command + ": Unknown option: '--no-such-option'"), err());
        assertTrue(err().contains("Try 'switchboard " + command + " --help' for its options."), err());
        assertEquals("", out());
    }

    @ParameterizedTest
    @MethodSource("commandsTheScriptRuns")
    void aCommandTheScriptRunsItselfPointsAtTheScript(final String command)
    {
        assertEquals(ExitCodes.USAGE, run(command, "--no-such-option"));
        assertTrue(err().contains("run it through the script, ./switchboard " + command), err());
    }

    @Test
    void theTopLevelTakesHelpAndVersionToo()
    {
        assertEquals(ExitCodes.OK, run("--help"));
        assertTrue(out().startsWith("Usage: switchboard [-hV] COMMAND"), out());
        out.reset();
        assertEquals(ExitCodes.OK, run("-V"));
        assertTrue(out().matches(VERSION_LINE), out());
        assertEquals(ExitCodes.USAGE, run("--no-such-option"));
        assertTrue(err().startsWith("switchboard: Unknown option: '--no-such-option'"), err());
    }

    @Test
    @Tag("slow")
    void routerHelpInAJvmOfItsOwnCreatesNoSocketAndNoFile() throws Exception
    {
        final Path work = Files.createDirectories(dir.resolve("work"));
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path runtime = Files.createDirectories(dir.resolve("router-runtime"));
        final Path logs = Files.createDirectories(dir.resolve("logs"));
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-Dswitchboard.runtime.dir=" + runtime,
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "router", "--help"));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
            .redirectOutput(logs.resolve("out").toFile()).redirectError(logs.resolve("err").toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("XDG_RUNTIME_DIR");
        final Process router = builder.start();
        try
        {
            assertTrue(router.waitFor(30, TimeUnit.SECONDS), "router --help returns at once");
            assertEquals(ExitCodes.OK, router.exitValue(), Files.readString(logs.resolve("err")));
        }
        finally
        {
            router.destroyForcibly();
        }
        assertTrue(Files.readString(logs.resolve("out")).startsWith("Usage: switchboard router"));
        for (final Path empty : List.of(work, tmp, runtime))
        {
            try (Stream<Path> created = Files.list(empty))
            {
                assertEquals(List.of(), created.toList(), "router --help created something in " + empty);
            }
        }
    }

    /**
     * The arguments with which the command, were it run, would start what it starts and write under {@link #dir}.
     */
    private List<String> argumentsThatWouldRun(final String command)
    {
        final String d = dir.toString();
        final Map<String, List<String>> args = Map.ofEntries(
            Map.entry("router", List.of("--runtime-dir", d + "/router")),
            Map.entry("agent", List.of("--name", "helped")),
            Map.entry("stat", List.of("--runtime-dir", d + "/router")),
            Map.entry("errors", List.of("--runtime-dir", d + "/router", "--json")),
            Map.entry("coordinate", List.of("--workflow", "feature", "--repo", d, "--run-dir", d + "/run",
                "--router-dir", d + "/router", "--journal", d + "/journal", "--metrics-file", d + "/metrics.jsonl")),
            Map.entry("receive", List.of("--from", "Director", "--execute-phase", "1", "--run-dir", d + "/run",
                "--router-dir", d + "/router", "--metrics-file", d + "/metrics.jsonl")),
            Map.entry("director", List.of("--router-dir", d + "/router", "--connect-timeout", "1")),
            Map.entry("invoke", List.of("Nobody", "--task", "x", "--repo", d, "--run-dir", d + "/run")),
            Map.entry("metrics", List.of("--metrics-file", d + "/metrics.jsonl")),
            Map.entry("validate", List.of(d, "--metrics-file", d + "/metrics.jsonl")),
            Map.entry("analyze", List.of(d)),
            Map.entry("plan", List.of(d, "--out", d + "/plan")),
            Map.entry("soak", List.of("--seconds", "1", "--json", d + "/soak.json")),
            Map.entry("fuzz", List.of("--target", "codecs", "--inputs", "1", "--out", d + "/fuzz")));
        return args.getOrDefault(command, List.of());
    }

    private int run(final String... args)
    {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }
}
