/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.switchboard.router.process.RouterMain;

/**
 * The soak's router: {@link RouterMain} in a child JVM on the soak's runtime dir, and its seeded schedule of kill -9s
 * and restarts. A kill waits until the process is gone (its fcntl lock on the runtime dir, {@code RouterLock}, goes with
 * it), and the restart comes a random moment later, so a new router never meets the old one. The next kill is drawn
 * once the new router listens and the caller says its clients are back (the sink has its subscription again), so that
 * every kill finds a settled system and the ledger can tell one kill's cost from the next's.
 *
 * <p>Thread-safety: the soak's thread. Allocation: not a hot path.
 */
final class SoakRouter
{
    /** What {@link #tend} did. */
    enum Event
    {
        /** Nothing changed. */
        NONE,
        /** The router was found dead: killed by the schedule, or it exited by itself. */
        DIED,
        /** A restarted router is listening. */
        LISTENING
    }

    private enum State
    {
        STARTING,
        UP,
        DOWN
    }

    private static final long LISTEN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long LISTEN_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Path dir;
    private final List<String> jvmOptions;
    private final SplittableRandom random;
    private final SoakMain.Options options;
    private final Runnable whileWaiting;
    private final PrintStream out;
    private final Path stdout;
    private final Path stderr;
    private Process process;
    private State state = State.DOWN;
    private long launchedAtNs;
    private long outSizeAtLaunch;
    private long nextCheckNs;
    private long restartAtNs;
    private long nextKillNs = Long.MAX_VALUE;
    private int kills;
    private int restarts;
    private int exitedByItself;
    private String lastStopReport = "";

    SoakRouter(
        final Path dir,
        final List<String> jvmOptions,
        final SplittableRandom random,
        final SoakMain.Options options,
        final Runnable whileWaiting,
        final PrintStream out)
    {
        this.dir = dir;
        this.jvmOptions = jvmOptions;
        this.random = random;
        this.options = options;
        this.whileWaiting = whileWaiting;
        this.out = out;
        this.stdout = dir.resolve("router.out");
        this.stderr = dir.resolve("router.err");
    }

    /**
     * Start the first router and wait until it listens.
     *
     * @throws IOException          when the JVM cannot be started.
     * @throws InterruptedException when interrupted.
     */
    void startAndAwait() throws IOException, InterruptedException
    {
        launch();
        final long deadline = System.nanoTime() + LISTEN_TIMEOUT_NS;
        while (!listening())
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the router did not start: " + tail(stderr));
            }
            Thread.sleep(10);
        }
        state = State.UP;
    }

    /**
     * Move the schedule on: kill the router when its time has come (and {@code mayKill}), restart it when its down time
     * is over, notice when a restarted one listens, and notice a router that died by itself.
     *
     * @param nowNs       now.
     * @param mayKill     whether the schedule may kill now (false while stopping, or before the clients are back).
     * @return what happened.
     * @throws IOException          when a router JVM cannot be started.
     * @throws InterruptedException when interrupted while waiting for a killed router to go.
     */
    Event tend(final long nowNs, final boolean mayKill) throws IOException, InterruptedException
    {
        switch (state)
        {
            case UP ->
            {
                if (!process.isAlive())
                {
                    return diedByItself(nowNs);
                }
                if (mayKill && options.routerKills && nowNs - nextKillNs >= 0)
                {
                    process.destroyForcibly();
                    awaitExit();
                    kills++;
                    state = State.DOWN;
                    restartAtNs = System.nanoTime() +
                        TimeUnit.MILLISECONDS.toNanos(random.nextLong(options.routerDownMinMs, options.routerDownMaxMs + 1));
                    return Event.DIED;
                }
            }
            case DOWN ->
            {
                if (nowNs - restartAtNs >= 0)
                {
                    launch();
                }
            }
            case STARTING ->
            {
                if (nowNs - nextCheckNs >= 0)
                {
                    nextCheckNs = nowNs + LISTEN_CHECK_NS;
                    if (listening())
                    {
                        state = State.UP;
                        restarts++;
                        nextKillNs = Long.MAX_VALUE;
                        return Event.LISTENING;
                    }
                    if (!process.isAlive())
                    {
                        return diedByItself(nowNs);
                    }
                    if (nowNs - launchedAtNs > LISTEN_TIMEOUT_NS)
                    {
                        throw new IllegalStateException("a restarted router did not listen within " +
                            TimeUnit.NANOSECONDS.toSeconds(LISTEN_TIMEOUT_NS) + " s: " + tail(stderr));
                    }
                }
            }
        }
        return Event.NONE;
    }

    /**
     * The clients are back after the last restart (or the first start): draw the next kill from now.
     *
     * @param nowNs now.
     */
    void scheduleNextKill(final long nowNs)
    {
        if (state == State.UP && nextKillNs == Long.MAX_VALUE)
        {
            nextKillNs = nowNs + TimeUnit.MILLISECONDS.toNanos(
                random.nextLong(options.routerKillMinMs, options.routerKillMaxMs + 1));
        }
    }

    /** @return the router's pid, or -1 when none runs. */
    long pid()
    {
        return process == null ? -1 : process.pid();
    }

    /** @return whether the router listens now. */
    boolean isUp()
    {
        return state == State.UP;
    }

    /** @return kill -9s by the schedule. */
    int kills()
    {
        return kills;
    }

    /** @return restarts that came to listen. */
    int restarts()
    {
        return restarts;
    }

    /** @return times the router exited without being killed (a fatal error): each is a violation. */
    int exitedByItself()
    {
        return exitedByItself;
    }

    /** @return what the last router printed when it stopped on SIGTERM: its counters. */
    String lastStopReport()
    {
        return lastStopReport;
    }

    /**
     * Stop the router with SIGTERM (it stops within its stop timeout and prints its counters); kill it if it has not
     * exited within 15 s.
     *
     * @throws InterruptedException when interrupted.
     */
    void stop() throws InterruptedException
    {
        if (process == null)
        {
            return;
        }
        if (process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS))
            {
                out.println("soak: the router did not stop on SIGTERM within 15 s: killed");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        final String text = sinceLaunch();
        final int at = text.indexOf("counters:");
        lastStopReport = at < 0 ? "" : text.substring(at + "counters:".length()).stripLeading();
        process = null;
    }

    /** Kill it without ceremony (the soak is failing). */
    void destroy()
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    private Event diedByItself(final long nowNs)
    {
        exitedByItself++;
        out.println("soak: the router exited by itself (" + process.exitValue() + "): " + tail(stderr));
        state = State.DOWN;
        restartAtNs = nowNs + TimeUnit.MILLISECONDS.toNanos(500);
        return Event.DIED;
    }

    private void launch() throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        command.add("-Xmx256m");
        command.add("-Dswitchboard.runtime.dir=" + dir);
        command.add("-Dswitchboard.shm.dir=" + dir.resolve("shm"));
        command.add("-Dswitchboard.data.dir=" + dir.resolve("data"));
        // A 10 s lease: JVMs starting on a loaded machine can stall for seconds between two control calls. A killed
        // agent is still deregistered at once (its socket closes); the lease only judges hung ones.
        command.add("-Dswitchboard.lease.ms=10000");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RouterMain.class.getName());
        outSizeAtLaunch = Files.exists(stdout) ? Files.size(stdout) : 0;
        final ProcessBuilder pb = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        process = pb.start();
        launchedAtNs = System.nanoTime();
        nextCheckNs = launchedAtNs;
        state = State.STARTING;
    }

    private boolean listening()
    {
        return sinceLaunch().contains("listening");
    }

    private String sinceLaunch()
    {
        try
        {
            final byte[] bytes = Files.readAllBytes(stdout);
            final int from = (int)Math.min(bytes.length, outSizeAtLaunch);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** Wait for the killed router to go while the sink keeps polling (CRITICAL and LOW keep flowing meanwhile). */
    private void awaitExit() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!process.waitFor(1, TimeUnit.MILLISECONDS))
        {
            whileWaiting.run();
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the router survived SIGKILL for 10 s");
            }
        }
    }

    static String tail(final Path file)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
