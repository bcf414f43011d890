package dev.switchboard.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChildJvm} starts a real JVM with what it is told and nothing else, and leaves no process behind.
 */
class ChildJvmTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theChildGetsItsArgumentsOptionsEnvironmentAndDirectoryAndItsLinesAreReadAsTheyCome() throws Exception
    {
        try (ChildJvm child = ChildJvm.builder(ChildMain.class).args("echo", "a b", "c")
            .jvmOptions("-Dchild.property=set").environment("CHILD_VARIABLE", "too").directory(dir)
            .output(dir, "echo").start())
        {
            assertEquals("arg=a b", child.readLine(WAIT));
            assertEquals("arg=c", child.readLine(WAIT));
            assertEquals("property=set", child.readLine(WAIT));
            assertEquals("variable=too", child.readLine(WAIT));
            assertEquals("dir=" + dir.toRealPath(), child.readLine(WAIT));
            assertEquals("options=null", child.readLine(WAIT), "JAVA_TOOL_OPTIONS never reaches a child");
            assertEquals(3, child.awaitExit(WAIT));
            assertEquals(dir.resolve("echo.out").toAbsolutePath(), child.stdoutFile());
            assertTrue(child.stderrText().contains("to stderr"), child::describe);
            final AssertionError ended = assertThrows(AssertionError.class, () -> child.readLine(WAIT));
            assertTrue(ended.getMessage().contains("exit 3"), ended.getMessage());
        }
    }

    @Test
    void closeKillsTheChildAndEveryProcessItStarted() throws Exception
    {
        final ChildJvm child = ChildJvm.builder(ChildMain.class).args("fork").outputIn(dir).start();
        final ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(child.readLine(WAIT))).orElseThrow();
        assertTrue(grandchild.isAlive());
        child.close();
        assertFalse(child.process().isAlive());
        assertFalse(grandchild.isAlive(), "the sleep the child started is gone too");
    }

    @Test
    void aChildThatPrintsNothingFailsTheWaitNamingItselfAndItsOutput() throws Exception
    {
        try (ChildJvm child = ChildJvm.builder(ChildMain.class).args("quiet").outputIn(dir).name("quiet").start())
        {
            final AssertionError silent = assertThrows(AssertionError.class, () -> child.readLine(Duration.ofMillis(200)));
            assertTrue(silent.getMessage().startsWith("quiet printed no further line within PT0.2S; quiet pid " +
                child.pid() + " running"), silent.getMessage());
            assertTrue(Files.isRegularFile(child.stderrFile()));
        }
    }

    @Test
    void aClassPathInTheEnvironmentLeavesTheCommandLineWithoutOptions()
    {
        final List<String> command = ChildJvm.builder(ChildMain.class).classPathInEnvironment().args("x").command();
        assertEquals(List.of(ChildMain.class.getName(), "x"), command.subList(1, command.size()));
    }
}
