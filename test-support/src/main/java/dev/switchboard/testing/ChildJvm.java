/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.testing;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real JVM process started by a test: the test's own {@code java} binary, its class path (unless told otherwise), the
 * JVM options given and nothing else: the options the environment could slip in ({@code JAVA_TOOL_OPTIONS},
 * {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}) are removed. JVM flags come from {@code jvm.flags} through
 * {@code dev.switchboard.codecs.JvmFlags} (a child started with none runs as a flag-free agent process would).
 *
 * <p>Standard output and error go to files ({@code NAME.out}, {@code NAME.err}; by default in {@code target/child-jvms}
 * of the module under test), never to a pipe: a chatty child cannot block, and nothing is lost when it is killed.
 * {@link #readLine(Duration)} reads its output line by line as it comes. {@link #close()} kills the child and every
 * process it started (SIGKILL) and waits until they are gone.
 *
 * <p>Thread-safety: one test thread. {@link #readLine(Duration)} keeps a read position.
 */
public final class ChildJvm implements AutoCloseable
{
    /** How long a wait on a child lasts when the test does not say: generous, the machines are small and shared. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(90);

    /** Environment variables that would pass JVM options to the child behind the test's back. */
    public static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
        "_JAVA_OPTIONS");

    private static final AtomicInteger CHILDREN = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private long readPosition;

    private ChildJvm(final String name, final Process process, final Path stdout, final Path stderr)
    {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * @param main the main class of the child.
     * @return a builder for a child that runs it.
     */
    public static Builder builder(final Class<?> main)
    {
        return new Builder(main.getName(), main.getSimpleName());
    }

    /**
     * @param mainClass the main class of the child, by name (one not on the test's class path, for example).
     * @return a builder for a child that runs it.
     */
    public static Builder builder(final String mainClass)
    {
        return new Builder(mainClass, mainClass.substring(mainClass.lastIndexOf('.') + 1));
    }

    /**
     * The common case: {@code main} with these JVM options and arguments, its output in {@code outputDir}.
     *
     * @param outputDir  where its {@code .out} and {@code .err} files go.
     * @param jvmOptions JVM options, e.g. a group of {@code jvm.flags}; empty for none.
     * @param main       the main class.
     * @param args       its arguments.
     * @return the running child.
     * @throws IOException when it cannot start.
     */
    public static ChildJvm start(
        final Path outputDir, final List<String> jvmOptions, final Class<?> main, final String... args)
        throws IOException
    {
        return builder(main).jvmOptions(jvmOptions).args(args).outputIn(outputDir).start();
    }

    /**
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * @return its pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * @return the file its standard output goes to.
     */
    public Path stdoutFile()
    {
        return stdout;
    }

    /**
     * @return the file its standard error goes to.
     */
    public Path stderrFile()
    {
        return stderr;
    }

    /**
     * @return everything it has written to standard output so far.
     */
    public String stdoutText()
    {
        return read(stdout);
    }

    /**
     * @return everything it has written to standard error so far.
     */
    public String stderrText()
    {
        return read(stderr);
    }

    /**
     * @return its standard output so far, line by line.
     */
    public List<String> stdoutLines()
    {
        final String text = stdoutText();
        return text.isEmpty() ? List.of() : List.of(text.split("\r?\n"));
    }

    /**
     * The next whole line of standard output, waiting for it.
     *
     * @param timeout the longest wait.
     * @return the line, without its line break.
     * @throws AssertionError when none came in time, or the child ended first (with {@link #describe()}).
     */
    public String readLine(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final boolean exited = !process.isAlive(); // before the read: output written before exiting is there
            final String line = nextLine();
            if (line != null)
            {
                return line;
            }
            if (exited)
            {
                throw new AssertionError(name + " ended before printing another line; " + describe());
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError(name + " printed no further line within " + timeout + "; " + describe());
            }
            pause();
        }
    }

    /**
     * Wait for the child to exit by itself, at most {@link #DEFAULT_WAIT}.
     *
     * @return its exit code.
     * @throws AssertionError when it did not exit in time (with {@link #describe()}).
     */
    public int awaitExit()
    {
        return awaitExit(DEFAULT_WAIT);
    }

    /**
     * Wait for the child to exit by itself.
     *
     * @param timeout the longest wait.
     * @return its exit code.
     * @throws AssertionError when it did not exit in time (with {@link #describe()}).
     */
    public int awaitExit(final Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new AssertionError(name + " did not exit within " + timeout + "; " + describe());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, ex);
        }
        return process.exitValue();
    }

    /**
     * Poll {@code condition} every few milliseconds until it holds, at most {@link #DEFAULT_WAIT}; fail at once when
     * this child has exited and the condition still does not hold.
     *
     * @param condition what to wait for.
     * @param what      says what it is, for the failure message.
     * @throws AssertionError when it did not hold in time or the child exited first (with {@link #describe()}).
     */
    public void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (!process.isAlive() && !condition.getAsBoolean())
            {
                throw new AssertionError(name + " exited while waiting for " + what + "; " + describe());
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what + "; " + describe());
            }
            pause();
        }
    }

    /**
     * @return for failure messages: its name, pid, whether it runs or how it exited, and the end of its output.
     */
    public String describe()
    {
        return name + " pid " + process.pid() + (process.isAlive() ? " running" : " exit " + process.exitValue()) +
            "\n--- stdout (" + stdout + ") ---\n" + tail(stdout) + "\n--- stderr (" + stderr + ") ---\n" + tail(stderr);
    }

    /**
     * SIGKILL the child and every process it started, and wait until the OS has reaped them.
     *
     * @throws AssertionError when one is still there after {@link #DEFAULT_WAIT}.
     */
    public void kill()
    {
        final List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        final long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        for (final ProcessHandle handle : tree)
        {
            while (handle.isAlive())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("pid " + handle.pid() + " of " + name + " did not die after SIGKILL");
                }
                pause();
            }
        }
        try
        {
            process.waitFor(); // reaped: its exit code is known
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@link #kill()}: the child and every process it started are gone when this returns.
     */
    @Override
    public void close()
    {
        kill();
    }

    @Override
    public String toString()
    {
        return name + " pid " + process.pid();
    }

    private String nextLine()
    {
        try (RandomAccessFile file = new RandomAccessFile(stdout.toFile(), "r"))
        {
            final long length = file.length();
            if (length <= readPosition)
            {
                return null;
            }
            final byte[] bytes = new byte[(int)Math.min(length - readPosition, 1 << 20)];
            file.seek(readPosition);
            file.readFully(bytes);
            for (int i = 0; i < bytes.length; i++)
            {
                if (bytes[i] == '\n')
                {
                    readPosition += i + 1;
                    final int end = i > 0 && bytes[i - 1] == '\r' ? i - 1 : i;
                    return new String(bytes, 0, end, StandardCharsets.UTF_8);
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(2);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return "<" + ex + ">";
        }
    }

    private static String tail(final Path file)
    {
        final String[] lines = read(file).split("\r?\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    /**
     * How to start a {@link ChildJvm}. Not reusable: {@link #start()} once.
     */
    public static final class Builder
    {
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> commandPrefix = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> removedEnvironment = new ArrayList<>(JVM_OPTION_VARIABLES);
        private String name;
        private String classPath = System.getProperty("java.class.path");
        private boolean classPathInEnvironment;
        private Path directory;
        private Path outputDir = Path.of("target", "child-jvms");
        private boolean uniqueOutputNames = true;
        private boolean inheritOutput;

        private Builder(final String mainClass, final String name)
        {
            this.mainClass = mainClass;
            this.name = name;
        }

        /**
         * @param args the main class's arguments, added to those given before.
         * @return this.
         */
        public Builder args(final String... args)
        {
            this.args.addAll(List.of(args));
            return this;
        }

        /**
         * @param args the main class's arguments, added to those given before.
         * @return this.
         */
        public Builder args(final List<String> args)
        {
            this.args.addAll(args);
            return this;
        }

        /**
         * @param options JVM options (a group of {@code jvm.flags}, {@code -D} properties, heap sizes), added to those
         *                given before; none by default.
         * @return this.
         */
        public Builder jvmOptions(final List<String> options)
        {
            this.jvmOptions.addAll(options);
            return this;
        }

        /**
         * @param options JVM options, added to those given before.
         * @return this.
         */
        public Builder jvmOptions(final String... options)
        {
            return jvmOptions(List.of(options));
        }

        /**
         * @param prefix a command the JVM runs under, e.g. {@code taskset -c 1} or {@code unshare ...}.
         * @return this.
         */
        public Builder commandPrefix(final List<String> prefix)
        {
            this.commandPrefix.addAll(prefix);
            return this;
        }

        /**
         * @param classPath the child's class path instead of the test's.
         * @return this.
         */
        public Builder classPath(final String classPath)
        {
            this.classPath = classPath;
            return this;
        }

        /**
         * No class path: for a main that is a source file ({@code java Probe.java}), or a JVM run as another user who
         * could not read the test's.
         *
         * @return this.
         */
        public Builder withoutClassPath()
        {
            this.classPath = null;
            return this;
        }

        /**
         * Pass the class path in the {@code CLASSPATH} variable, so that the command line holds no option at all.
         *
         * @return this.
         */
        public Builder classPathInEnvironment()
        {
            this.classPathInEnvironment = true;
            return this;
        }

        /**
         * @param variable an environment variable of the child.
         * @param value    its value.
         * @return this.
         */
        public Builder environment(final String variable, final String value)
        {
            environment.put(variable, value);
            removedEnvironment.remove(variable);
            return this;
        }

        /**
         * @param variable an environment variable of this JVM the child must not inherit.
         * @return this.
         */
        public Builder withoutEnvironment(final String variable)
        {
            environment.remove(variable);
            removedEnvironment.add(variable);
            return this;
        }

        /**
         * @param directory the child's working directory (default: this JVM's).
         * @return this.
         */
        public Builder directory(final Path directory)
        {
            this.directory = directory;
            return this;
        }

        /**
         * Output to {@code dir/NAME_<pid>_<n>.out} and {@code .err}, NAME the main class's simple name or {@link #name}, n
         * unique in this JVM (default dir: {@code target/child-jvms}).
         *
         * @param dir where the files go; made if missing.
         * @return this.
         */
        public Builder outputIn(final Path dir)
        {
            this.outputDir = dir;
            this.uniqueOutputNames = true;
            return this;
        }

        /**
         * Output to exactly {@code dir/name.out} and {@code dir/name.err} (replacing an earlier child's).
         *
         * @param dir  where the files go; made if missing.
         * @param name the files' name, and the child's in failure messages.
         * @return this.
         */
        public Builder output(final Path dir, final String name)
        {
            this.outputDir = dir;
            this.name = name;
            this.uniqueOutputNames = false;
            return this;
        }

        /**
         * @param name the child's name in failure messages and output files.
         * @return this.
         */
        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * Output to this JVM's standard output and error instead of files ({@link #readLine} then has nothing to read).
         *
         * @return this.
         */
        public Builder inheritOutput()
        {
            this.inheritOutput = true;
            return this;
        }

        /**
         * @return the command line, as {@link #start()} runs it.
         */
        public List<String> command()
        {
            final List<String> command = new ArrayList<>(commandPrefix);
            command.add(javaBinary());
            command.addAll(jvmOptions);
            if (!classPathInEnvironment && classPath != null)
            {
                command.add("-cp");
                command.add(classPath);
            }
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        /**
         * @return the running child.
         * @throws IOException when it cannot start.
         */
        public ChildJvm start() throws IOException
        {
            final ProcessBuilder builder = new ProcessBuilder(command());
            removedEnvironment.forEach(builder.environment()::remove);
            builder.environment().putAll(environment);
            if (classPathInEnvironment && classPath != null)
            {
                builder.environment().put("CLASSPATH", classPath);
            }
            if (directory != null)
            {
                builder.directory(directory.toFile());
            }
            Files.createDirectories(outputDir);
            final String fileName = uniqueOutputNames ?
                name + "_" + ProcessHandle.current().pid() + "_" + CHILDREN.incrementAndGet() : name;
            final Path out = outputDir.resolve(fileName + ".out").toAbsolutePath();
            final Path err = outputDir.resolve(fileName + ".err").toAbsolutePath();
            if (inheritOutput)
            {
                builder.inheritIO();
            }
            else
            {
                builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            }
            return new ChildJvm(name, builder.start(), out, err);
        }

        private static String javaBinary()
        {
            return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        }
    }
}
