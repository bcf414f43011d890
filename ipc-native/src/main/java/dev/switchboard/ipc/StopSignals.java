package dev.switchboard.ipc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.switchboard.ipc.process.ProcessContext;
import sun.misc.Signal;

/**
 * How a Switchboard program stops: on SIGINT or SIGTERM (or when the process that started it exits, if it asked for
 * that) a stop is <em>requested</em>; the program's main thread notices ({@link #isStopRequested()},
 * {@link #awaitStop()}, {@link #throwIfStopRequested()}), stops its work, tells its router or agents, prints its
 * counters and calls {@link #finished()}. The stop is bounded: if the program has not finished within its stop timeout
 * after the request, it exits with {@link #EXIT_STOP_TIMEOUT}. A signal that comes while a stop is already under way
 * exits at once, with status 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). Either way out, the
 * process's descendants are killed first ({@code SIGKILL}), so an impatient stop leaves no child process running.
 *
 * <p>Used by {@code ./switchboard router} ({@code RouterMain}), {@code agent} ({@code SampleAgentMain}), {@code demo},
 * {@code coordinate} and {@code receive}, and the agent processes the last three start.
 *
 * <p>Why signal handlers and not a shutdown hook: a hook runs inside {@code System.exit}, and a hook that waits for the
 * main thread to finish its stop deadlocks with a {@code System.exit} made by that thread (issue 18, item 3). Here
 * the handler only requests the stop; the main thread does the work and exits as it would at the end of any run.
 *
 * <table>
 *   <caption>Settings (system properties)</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #TIMEOUT_PROPERTY}</td><td>{@value #DEFAULT_TIMEOUT_MS} ms</td>
 *       <td>the longest a stop may take before the process exits with {@link #EXIT_STOP_TIMEOUT}
 *       ({@code ./switchboard router} has its own: {@code switchboard.router.stop.timeout.ms})</td></tr>
 *   <tr><td>{@value #PARENT_PROPERTY}</td><td>none</td>
 *       <td>a pid: a stop is requested when this process's parent is no longer that process (it exited, even by
 *       {@code kill -9}, and this one was handed to another parent); set by the programs that start agent JVMs</td></tr>
 * </table>
 *
 * <p>Its messages (a signal it cannot handle, a child it had to kill, an exit without a clean stop) go to its
 * {@link System.Logger} ({@code dev.switchboard.ipc.StopSignals}, {@code WARNING}). The settings are read by
 * {@link ProcessContext}.
 *
 * <p>Thread-safety: {@link #install} once per process, from its main thread; the rest from any thread. This is a
 * class for programs' mains, not for libraries: it installs signal handlers and may halt the process.
 */
public final class StopSignals
{
    /** System property: the longest a stop may take, in milliseconds; read by {@link ProcessContext}. */
    public static final String TIMEOUT_PROPERTY = ProcessContext.STOP_TIMEOUT_MS_PROP;
    /** Default stop timeout: 5 s. */
    public static final long DEFAULT_TIMEOUT_MS = ProcessContext.STOP_TIMEOUT_MS_DEFAULT;
    /** System property: the pid of the parent whose exit stops this process too; read by {@link ProcessContext}. */
    public static final String PARENT_PROPERTY = ProcessContext.STOP_WITH_PARENT_PROP;
    /** Exit status when a stop took longer than its timeout. */
    public static final int EXIT_STOP_TIMEOUT = 1;
    /** How long a child process is given to exit after SIGTERM before it is killed, in {@link #terminate}. */
    public static final long CHILD_GRACE_MS = 2000;

    /** How often the parent watch looks at this process's parent pid (one read of {@code /proc/self/stat}). */
    static final long PARENT_POLL_MS = 100;

    private static final System.Logger LOG = System.getLogger(StopSignals.class.getName());
    private static final StopSignals NOT_INSTALLED = new StopSignals("", Long.MAX_VALUE, "");
    private static volatile StopSignals installed;

    private final String program;
    private final long timeoutNs;
    private final String timeoutSetting;
    private final CompletableFuture<String> requested = new CompletableFuture<>();
    private int signalNumber; // guarded by this: the number of the signal that requested the stop, 0 for another cause
    private Thread watchdog; // guarded by this
    private volatile boolean finished;

    private StopSignals(final String program, final long timeoutNs, final String timeoutSetting)
    {
        this.program = program;
        this.timeoutNs = timeoutNs;
        this.timeoutSetting = timeoutSetting;
    }

    /**
     * Handle SIGINT and SIGTERM for this process, with the stop timeout of {@value #TIMEOUT_PROPERTY}; and when
     * {@value #PARENT_PROPERTY} names a pid, watch the parent.
     *
     * @param program how messages name the program, e.g. {@code "switchboard demo"}.
     * @return the process's stop signals, also {@link #current()} from now on.
     * @throws IllegalStateException if signals are already installed in this process.
     */
    public static StopSignals install(final String program)
    {
        return install(program, ProcessContext.current().stopTimeoutNs(), TIMEOUT_PROPERTY);
    }

    /**
     * As {@link #install(String)}, with a stop timeout of the program's own.
     *
     * @param program        how messages name the program.
     * @param timeoutNs      the longest a stop may take.
     * @param timeoutSetting the setting that gave it, named when the stop takes too long.
     * @return the process's stop signals, also {@link #current()} from now on.
     * @throws IllegalStateException if signals are already installed in this process.
     */
    public static synchronized StopSignals install(final String program, final long timeoutNs, final String timeoutSetting)
    {
        if (installed != null)
        {
            throw new IllegalStateException("stop signals are already installed in this process, by " +
                installed.program);
        }
        final StopSignals signals = new StopSignals(program, timeoutNs, timeoutSetting);
        for (final String name : new String[] {"INT", "TERM"})
        {
            try
            {
                // A signal the process was started with ignored (nohup, a background job of a script) stays ignored.
                Signal.handle(new Signal(name), signals::onSignal);
            }
            catch (final IllegalArgumentException e)
            {
                LOG.log(System.Logger.Level.WARNING, program + ": cannot handle SIG" + name + " (" + e.getMessage() +
                    "): it keeps its default action (the process ends at once, without a clean stop)");
            }
        }
        final long parent = ProcessContext.current().stopWithParentPid();
        if (parent > 0)
        {
            signals.watchParent(parent);
        }
        installed = signals;
        return signals;
    }

    /**
     * @return the signals {@link #install installed} in this process, or, when none are (tests, an embedding
     * application with its own handling), an instance whose stop is never requested.
     */
    public static StopSignals current()
    {
        final StopSignals s = installed;
        return s != null ? s : NOT_INSTALLED;
    }

    /**
     * Request a stop for a cause other than a signal (e.g. a fatal error), with the same timeout.
     *
     * @param why what asked for it, for messages.
     * @throws IllegalStateException on the instance {@link #current()} gives when nothing is installed.
     */
    public void requestStop(final String why)
    {
        if (this == NOT_INSTALLED)
        {
            throw new IllegalStateException("no stop signals installed in this process");
        }
        request(why, 0);
    }

    /**
     * @param action run once when the stop is requested (at once if it already was), on the thread that requested
     *               it (a signal's): to wake a main thread that may be asleep. Must not block.
     */
    public void onStop(final Runnable action)
    {
        requested.thenRun(action);
    }

    /**
     * @return whether a stop was requested (one volatile read: cheap enough for a polling loop).
     */
    public boolean isStopRequested()
    {
        return requested.isDone();
    }

    /**
     * @return why the stop was requested ({@code "SIGINT"}, {@code "SIGTERM"}, ...), or null while it was not.
     */
    public String reason()
    {
        return requested.getNow(null);
    }

    /**
     * @return completes with {@link #reason()} when the stop is requested: to wait for it together with something else.
     */
    public CompletableFuture<String> requested()
    {
        return requested.copy();
    }

    /**
     * Block until a stop is requested.
     *
     * @return why.
     */
    public String awaitStop()
    {
        return requested.join();
    }

    /**
     * For a program with an end of its own, at the points where it waits: unwind if a stop was requested.
     *
     * @throws CancellationException naming the reason, if a stop was requested.
     */
    public void throwIfStopRequested()
    {
        if (requested.isDone())
        {
            throw new CancellationException("stopped by " + requested.getNow(null));
        }
    }

    /**
     * @return the exit status of a program with an end of its own that a signal cut short: 128 + the signal's number
     * (130 for SIGINT, 143 for SIGTERM, as a shell reports a process the signal killed), or 0 when the stop had another
     * cause or none.
     */
    public synchronized int exitStatus()
    {
        return signalNumber == 0 ? 0 : 128 + signalNumber;
    }

    /**
     * The program has done its stop (or its work): the stop timeout no longer applies. A later signal still exits
     * at once.
     */
    public void finished()
    {
        finished = true;
        final Thread w;
        synchronized (this)
        {
            w = watchdog;
        }
        if (w != null)
        {
            w.interrupt();
        }
    }

    /**
     * Stop child processes: SIGTERM to each, up to {@code graceNs} for all of them to exit, then SIGKILL to each one
     * still running and to its descendants, saying so (a {@code WARNING} of this class's {@link System.Logger}, one per
     * child, naming its pid).
     * Returns once they have all exited (or a further second after the kill).
     *
     * @param children the processes; those already gone are skipped.
     * @param graceNs  how long they have, together, to stop on their own.
     */
    public static void terminate(final Collection<Process> children, final long graceNs)
    {
        terminate(children, graceNs, child -> LOG.log(System.Logger.Level.WARNING, current().programOr("switchboard") +
            ": process " + child.pid() + " did not exit within " + TimeUnit.NANOSECONDS.toMillis(graceNs) +
            " ms of SIGTERM: killed (SIGKILL)"));
    }

    /**
     * As {@link #terminate(Collection, long)}, telling {@code onKill} of each child that had to be killed (instead of
     * the line on standard error).
     *
     * @param children the processes; those already gone are skipped.
     * @param graceNs  how long they have, together, to stop on their own.
     * @param onKill   called with each child still running after the grace, once it was sent SIGKILL and has
     *                 exited (or a second has passed); on this thread (instead of the warning).
     */
    public static void terminate(final Collection<Process> children, final long graceNs,
        final Consumer<Process> onKill)
    {
        children.forEach(Process::destroy);
        final long deadline = System.nanoTime() + graceNs;
        final List<Process> stubborn = new ArrayList<>();
        try
        {
            for (final Process child : children)
            {
                final long left = deadline - System.nanoTime();
                if (!child.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS))
                {
                    stubborn.add(child);
                }
            }
            for (final Process child : stubborn)
            {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly();
            }
            for (final Process child : stubborn)
            {
                child.waitFor(1, TimeUnit.SECONDS);
                onKill.accept(child);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            children.forEach(Process::destroyForcibly);
        }
    }

    private String programOr(final String fallback)
    {
        return program.isEmpty() ? fallback : program;
    }

    private void onSignal(final Signal signal)
    {
        final String name = "SIG" + signal.getName();
        if (!request(name, signal.getNumber()))
        {
            exitNow(name + " while stopping (" + requested.getNow(null) + ")", 128 + signal.getNumber());
        }
    }

    /** @return whether this call requested the stop (false: one was already requested). */
    private boolean request(final String why, final int signal)
    {
        synchronized (this)
        {
            if (watchdog != null)
            {
                return false;
            }
            signalNumber = signal;
            watchdog = Thread.ofPlatform().daemon().name("switchboard-stop-watchdog").unstarted(this::watch);
            watchdog.start();
        }
        requested.complete(why);
        return true;
    }

    private void watch()
    {
        final long deadline = System.nanoTime() + timeoutNs;
        long left;
        while (!finished && (left = deadline - System.nanoTime()) > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            catch (final InterruptedException e)
            {
                // finished(), or spurious: the loop decides
            }
        }
        if (!finished)
        {
            exitNow("stop took longer than " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms (" + timeoutSetting +
                ")", EXIT_STOP_TIMEOUT);
        }
    }

    private void exitNow(final String why, final int status)
    {
        // Logged before the halt: the JDK's console handler flushes each record as it writes it.
        LOG.log(System.Logger.Level.WARNING, program + ": " + why + ": exiting now with status " + status);
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /**
     * Request a stop when this process's parent pid is no longer {@code parentPid}: the kernel hands an orphan to
     * another parent (init or a subreaper) the moment its parent exits, however it exits.
     */
    private void watchParent(final long parentPid)
    {
        Thread.ofPlatform().daemon().name("switchboard-parent-watch").start(() ->
        {
            while (!requested.isDone())
            {
                final long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parentPid)
                {
                    request("parent process " + parentPid + " exited", 0);
                    return;
                }
                try
                {
                    Thread.sleep(PARENT_POLL_MS);
                }
                catch (final InterruptedException e)
                {
                    return;
                }
            }
        });
    }
}
