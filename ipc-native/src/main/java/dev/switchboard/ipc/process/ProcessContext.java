package dev.switchboard.ipc.process;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.switchboard.settings.SettingText;

/**
 * The process-wide settings of {@code ipc-native}: those that configure something decided once per JVM, so that one
 * process cannot have two values of them. Each has a system property and a default; {@link #current()} is the
 * process's, read the first time it is asked for and never again. This class is the one place these properties are
 * read; the classes they configure ask {@link #current()} (the per-connection and per-router settings are in
 * {@code IpcContext}).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #FUTEX_DISABLE_PROP}</td><td>{@value #FUTEX_DISABLE_DEFAULT}</td><td>true: never make the futex
 *       call (parked agents are woken through their doorbell socket, or by the router); decided when
 *       {@code Futex} initialises</td></tr>
 *   <tr><td>{@value #IO_URING_DISABLE_PROP}</td><td>{@value #IO_URING_DISABLE_DEFAULT}</td><td>true: HIGH is
 *       unavailable (it falls back to NORMAL with one warning) and the router's io_uring engine is not used</td></tr>
 *   <tr><td>{@value #LIBURING_PATH_PROP}</td><td>none: {@code liburing.so.2} through the dynamic linker</td>
 *       <td>the liburing shared library to load instead; loaded once per process</td></tr>
 *   <tr><td>{@value #URING_MODE_PROP}</td><td>{@value #URING_MODE_DEFAULT}</td><td>the strongest completion mode any
 *       io_uring ring of this process may use: {@code deferred}, {@code cooperative} or {@code interrupt} (see
 *       {@code UringRing.CompletionMode})</td></tr>
 *   <tr><td>{@value #FILES_GROUP_PROP}</td><td>none: files 0600, dirs 0700</td><td>a group that shares the runtime's
 *       files: 0660 / 0770 with that group (see {@code OwnedFiles})</td></tr>
 *   <tr><td>{@value #STOP_TIMEOUT_MS_PROP}</td><td>{@value #STOP_TIMEOUT_MS_DEFAULT} ms</td><td>the longest a program's
 *       stop after SIGINT/SIGTERM may take (see {@code StopSignals}; {@code ./switchboard router} has its own,
 *       {@code switchboard.router.stop.timeout.ms})</td></tr>
 *   <tr><td>{@value #STOP_WITH_PARENT_PROP}</td><td>none</td><td>a pid: the program stops when its parent is no
 *       longer that process; set by the programs that start agent JVMs</td></tr>
 * </table>
 *
 * <p>A property whose text is not of its type fails when the context is made, naming it; {@link #conclude()} checks
 * the values. Thread-safety: {@link #current()} is safe from any thread; an instance is read-only once concluded.
 */
public final class ProcessContext
{
    /** Property: never make the futex call. */
    public static final String FUTEX_DISABLE_PROP = "switchboard.futex.disable";
    /** Default of {@value #FUTEX_DISABLE_PROP}. */
    public static final boolean FUTEX_DISABLE_DEFAULT = false;
    /** Property: HIGH (io_uring) unavailable in this process. */
    public static final String IO_URING_DISABLE_PROP = "switchboard.iouring.disable";
    /** Default of {@value #IO_URING_DISABLE_PROP}. */
    public static final boolean IO_URING_DISABLE_DEFAULT = false;
    /** Property: absolute path of the liburing shared library to load instead of {@code liburing.so.2}. */
    public static final String LIBURING_PATH_PROP = "switchboard.liburing.path";
    /** Property: the strongest io_uring completion mode of this process's rings. */
    public static final String URING_MODE_PROP = "switchboard.uring.mode";
    /** Default of {@value #URING_MODE_PROP}: the strongest there is (the kernel may still refuse it). */
    public static final String URING_MODE_DEFAULT = "deferred";
    /** Property: the group that may share Switchboard's files (mode 0660/0770); unset: owner only. */
    public static final String FILES_GROUP_PROP = "switchboard.files.group";
    /** Property: the longest a stop may take, in milliseconds. */
    public static final String STOP_TIMEOUT_MS_PROP = "switchboard.stop.timeout.ms";
    /** Default of {@value #STOP_TIMEOUT_MS_PROP}: 5 s. */
    public static final long STOP_TIMEOUT_MS_DEFAULT = 5000;
    /** Property: the pid of the parent whose exit stops this process too. */
    public static final String STOP_WITH_PARENT_PROP = "switchboard.stop.with.parent";

    /** The io_uring completion modes, strongest first, as {@value #URING_MODE_PROP} names them. */
    private static final String[] URING_MODES = {"deferred", "cooperative", "interrupt"};

    /** The process's settings once read: written once under the class's lock, read without it. */
    private static volatile ProcessContext current;

    private final boolean futexDisabled =
        SettingText.parseBoolean(FUTEX_DISABLE_PROP, System.getProperty(FUTEX_DISABLE_PROP), FUTEX_DISABLE_DEFAULT);
    private final boolean ioUringDisabled = SettingText.parseBoolean(
        IO_URING_DISABLE_PROP, System.getProperty(IO_URING_DISABLE_PROP), IO_URING_DISABLE_DEFAULT);
    private final String liburingPath = blankAsNull(System.getProperty(LIBURING_PATH_PROP));
    private final String uringMode =
        System.getProperty(URING_MODE_PROP, URING_MODE_DEFAULT).trim().toLowerCase(Locale.ROOT);
    private final String filesGroup = blankAsNull(System.getProperty(FILES_GROUP_PROP));
    private final long stopTimeoutMs =
        SettingText.parseLong(STOP_TIMEOUT_MS_PROP, System.getProperty(STOP_TIMEOUT_MS_PROP), STOP_TIMEOUT_MS_DEFAULT);
    private final long stopWithParentPid = SettingText.parseLong(
        STOP_WITH_PARENT_PROP, blankAsNull(System.getProperty(STOP_WITH_PARENT_PROP)), -1);

    /**
     * The settings of the system properties as they are now; most code wants {@link #current()}.
     */
    public ProcessContext()
    {
    }

    /**
     * Check every setting.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad property, its limit and the value seen.
     */
    public ProcessContext conclude()
    {
        checkUringMode(URING_MODE_PROP, uringMode);
        if (stopTimeoutMs < 1)
        {
            throw new IllegalArgumentException(STOP_TIMEOUT_MS_PROP + " must be at least 1: " + stopTimeoutMs);
        }
        return this;
    }

    /**
     * Check an io_uring completion mode's name without loading liburing (which {@code UringRing.CompletionMode} does):
     * for the contexts' {@code conclude()}, in processes that may never use io_uring.
     *
     * @param property the setting, for the message.
     * @param value    its text.
     * @return the value.
     * @throws IllegalArgumentException naming the property when the value is not {@code deferred},
     *                                  {@code cooperative} or {@code interrupt} (case and blanks ignored).
     */
    public static String checkUringMode(final String property, final String value)
    {
        if (null == value || !Arrays.asList(URING_MODES).contains(value.trim().toLowerCase(Locale.ROOT)))
        {
            throw new IllegalArgumentException(property + " must be deferred, cooperative or interrupt: " + value);
        }
        return value;
    }

    /**
     * The process's settings, read and concluded the first time this is called.
     *
     * @return the settings.
     * @throws IllegalArgumentException (every time) when a property is bad, naming it.
     */
    public static ProcessContext current()
    {
        ProcessContext context = current;
        if (null == context)
        {
            synchronized (ProcessContext.class)
            {
                context = current;
                if (null == context)
                {
                    context = new ProcessContext().conclude();
                    current = context;
                }
            }
        }
        return context;
    }

    /** @return true when {@value #FUTEX_DISABLE_PROP} forbids the futex call. */
    public boolean futexDisabled()
    {
        return futexDisabled;
    }

    /** @return true when {@value #IO_URING_DISABLE_PROP} makes HIGH unavailable. */
    public boolean ioUringDisabled()
    {
        return ioUringDisabled;
    }

    /** @return the liburing file to load ({@value #LIBURING_PATH_PROP}), or null for {@code liburing.so.2}. */
    public String liburingPath()
    {
        return liburingPath;
    }

    /**
     * @return the strongest completion mode rings may use, as {@value #URING_MODE_PROP} names it: {@code deferred},
     * {@code cooperative} or {@code interrupt}.
     */
    public String uringMode()
    {
        return uringMode;
    }

    /** @return the group sharing the files ({@value #FILES_GROUP_PROP}), or null for owner only. */
    public String filesGroup()
    {
        return filesGroup;
    }

    /** @return the longest a program's stop may take ({@value #STOP_TIMEOUT_MS_PROP}), in ns. */
    public long stopTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(stopTimeoutMs);
    }

    /** @return the pid whose exit stops this program ({@value #STOP_WITH_PARENT_PROP}), or -1 for none. */
    public long stopWithParentPid()
    {
        return stopWithParentPid;
    }

    private static String blankAsNull(final String text)
    {
        return null == text || text.isBlank() ? null : text;
    }
}
