/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts on one machine: N Linux network namespaces joined by a switch, made for a test and removed after it. Each host
 * sees only its loopback and one interface on the hosts' private network; nothing is added to the machine's own
 * network namespace, so the hosts' traffic stays between them.
 *
 * <pre>
 *   namespace PREFIX&lt;pid&gt;-&lt;n&gt;-sw           namespace PREFIX&lt;pid&gt;-&lt;n&gt;-h&lt;i&gt;  (i = 0 .. N-1)
 *   +---------------------------------+       +--------------------------------------+
 *   | br0 (bridge, up)                |       | lo   127.0.0.1 (up)                  |
 *   |   port p&lt;i&gt; -- veth pair --------------- eth0 10.213.0.&lt;i+1&gt;/24 (up)          |
 *   +---------------------------------+       +--------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li><b>Names</b>: {@link #PREFIX}, this JVM's pid and a counter, so that parallel runs (other JVMs, other sets in
 *       this one) never collide. {@link #create(int)} first removes the namespaces of {@link #PREFIX} whose pid is no
 *       longer running ({@link #removeStale()}): what a killed run left behind.</li>
 *   <li><b>Addresses</b>: host i is {@link #SUBNET}{@code (i+1)}/24 (at most {@link #MAX_HOSTS} hosts). Every set is a
 *       network of its own, so two sets may use the same addresses.</li>
 *   <li><b>A host's link</b>: {@link #cutLink(int)} sets the host's switch port down (the cable pulled at the switch:
 *       the host keeps its address, its packets go nowhere); {@link #restoreLink(int)} sets it up again.</li>
 *   <li><b>Clean-up</b>: {@link #close()} deletes every namespace of the set (the veth pairs and the bridge go with
 *       them); a shutdown hook does the same for sets still open when the JVM exits.</li>
 *   <li><b>Where it cannot run</b> (not Linux, {@code ip} missing, not root / no {@code CAP_SYS_ADMIN}, a container
 *       that forbids {@code ip netns add}): {@link #unavailableReason()} says why, and tests fall back to distinct
 *       loopback ports. It is probed once per JVM by adding and deleting a namespace.</li>
 * </ul>
 *
 * <p>Every change is one {@code ip} command ({@code iproute2}); a command that fails throws an {@link IOException} with
 * its output. Thread-safety: a set is used by one test thread; {@link #close()} may run twice (the hook's and the
 * test's).
 */
public final class NetNamespaces implements AutoCloseable
{
    /** Every namespace made here starts with it. */
    public static final String PREFIX = "sbnet-";

    /** The hosts' /24: host i has {@code SUBNET + (i + 1)}. */
    public static final String SUBNET = "10.213.0.";

    /** The prefix length of the hosts' addresses. */
    public static final int PREFIX_LENGTH = 24;

    /** Most hosts in one set (addresses .1 to .200 of the /24). */
    public static final int MAX_HOSTS = 200;

    /** The host side's interface name in every host namespace. */
    public static final String HOST_INTERFACE = "eth0";

    /** Where {@code ip} is looked for, in order. */
    private static final List<String> IP_DIRECTORIES =
        List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");

    /** The longest an {@code ip} command may take. */
    private static final long COMMAND_TIMEOUT_S = 30;

    private static final System.Logger LOG = System.getLogger(NetNamespaces.class.getName());
    private static final Pattern OWN_NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private static final AtomicInteger SETS = new AtomicInteger();
    private static final Set<NetNamespaces> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());
    private static final Thread HOOK = new Thread(NetNamespaces::closeAllOpen, "net-namespaces-cleanup");
    private static volatile String unavailable;
    private static volatile boolean probed;
    private static boolean hookAdded;

    private final String base;
    private final List<String> hosts;
    private final String switchName;
    private final List<String> created = new ArrayList<>();
    private boolean closed;

    private NetNamespaces(final String base, final int count)
    {
        this.base = base;
        this.switchName = base + "sw";
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            names.add(base + "h" + i);
        }
        this.hosts = List.copyOf(names);
    }

    /**
     * Whether network namespaces can be made here; probed once per JVM (an {@code ip netns add} and delete).
     *
     * @return null when they can, else why not (for a test's fallback message).
     */
    public static String unavailableReason()
    {
        if (!probed)
        {
            synchronized (NetNamespaces.class)
            {
                if (!probed)
                {
                    unavailable = probe();
                    probed = true;
                    if (null != unavailable)
                    {
                        LOG.log(System.Logger.Level.INFO, "network namespaces not available: {0}", unavailable);
                    }
                }
            }
        }
        return unavailable;
    }

    /**
     * @return true when {@link #unavailableReason()} is null.
     */
    public static boolean available()
    {
        return null == unavailableReason();
    }

    /**
     * Make {@code count} hosts on one switch, each with {@code lo} and {@code eth0} up. On failure, whatever was made
     * is removed again.
     *
     * @param count hosts, 1 to {@link #MAX_HOSTS}.
     * @return the hosts; {@link #close()} removes them.
     * @throws IllegalArgumentException when count is out of range.
     * @throws IllegalStateException    when namespaces are not available here ({@link #unavailableReason()}).
     * @throws IOException              when an {@code ip} command fails.
     */
    public static NetNamespaces create(final int count) throws IOException
    {
        if (count < 1 || count > MAX_HOSTS)
        {
            throw new IllegalArgumentException("hosts must be 1 to " + MAX_HOSTS + ", was " + count);
        }
        final String reason = unavailableReason();
        if (null != reason)
        {
            throw new IllegalStateException("network namespaces are not available here: " + reason);
        }
        removeStale();
        final NetNamespaces set = new NetNamespaces(
            PREFIX + ProcessHandle.current().pid() + "-" + SETS.incrementAndGet() + "-", count);
        register(set);
        try
        {
            set.build();
        }
        catch (final IOException | RuntimeException ex)
        {
            set.close();
            throw ex;
        }
        return set;
    }

    /**
     * Delete the namespaces of {@link #PREFIX} whose pid (the JVM that made them) no longer runs: what a killed run
     * left. Those of running JVMs, this one included, are left alone.
     *
     * @return the names deleted.
     * @throws IOException when listing or deleting fails.
     */
    public static List<String> removeStale() throws IOException
    {
        final List<String> removed = new ArrayList<>();
        for (final String name : list())
        {
            final Matcher m = OWN_NAME.matcher(name);
            if (!m.matches())
            {
                continue;
            }
            final long pid = Long.parseLong(m.group(1));
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                continue;
            }
            if (pid == ProcessHandle.current().pid() && isOpen(name))
            {
                continue;
            }
            run("ip", "netns", "delete", name);
            removed.add(name);
        }
        if (!removed.isEmpty())
        {
            LOG.log(System.Logger.Level.INFO, "removed stale network namespaces: {0}", removed);
        }
        return removed;
    }

    /**
     * @return the names of every network namespace on the machine ({@code ip netns list}), ours or not.
     * @throws IOException when {@code ip} fails.
     */
    public static List<String> list() throws IOException
    {
        final List<String> names = new ArrayList<>();
        for (final String line : run("ip", "netns", "list").split("\n"))
        {
            final String trimmed = line.strip();
            if (!trimmed.isEmpty())
            {
                names.add(trimmed.split("\\s+")[0]); // "name (id: 3)"
            }
        }
        return names;
    }

    /**
     * @return how many hosts.
     */
    public int hosts()
    {
        return hosts.size();
    }

    /**
     * @param host 0 to {@link #hosts()} - 1.
     * @return its namespace's name.
     */
    public String name(final int host)
    {
        return hosts.get(host);
    }

    /**
     * @return the switch's namespace's name.
     */
    public String switchName()
    {
        return switchName;
    }

    /**
     * @param host 0 to {@link #hosts()} - 1.
     * @return its address on the hosts' network ({@code 10.213.0.<host+1>}).
     */
    public String address(final int host)
    {
        check(host);
        return SUBNET + (host + 1);
    }

    /**
     * @param host 0 to {@link #hosts()} - 1.
     * @return the command prefix that runs a command in the host ({@code ip netns exec NAME}), e.g. for
     * {@link ChildJvm.Builder#commandPrefix(List)}.
     */
    public List<String> execPrefix(final int host)
    {
        return List.of(ipBinary(), "netns", "exec", name(host));
    }

    /**
     * Run a command in the host and wait for it.
     *
     * @param host    0 to {@link #hosts()} - 1.
     * @param command the command and its arguments.
     * @return its output (standard output and error together).
     * @throws IOException when it fails, exits non-zero or takes longer than 30 s.
     */
    public String exec(final int host, final String... command) throws IOException
    {
        final List<String> full = new ArrayList<>(execPrefix(host));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * Cut the host off the network: its switch port goes down. The host keeps its interface and address.
     *
     * @param host 0 to {@link #hosts()} - 1.
     * @throws IOException when {@code ip} fails.
     */
    public void cutLink(final int host) throws IOException
    {
        check(host);
        run("ip", "-n", switchName, "link", "set", port(host), "down");
    }

    /**
     * Put the host back on the network: its switch port comes up again.
     *
     * @param host 0 to {@link #hosts()} - 1.
     * @throws IOException when {@code ip} fails.
     */
    public void restoreLink(final int host) throws IOException
    {
        check(host);
        run("ip", "-n", switchName, "link", "set", port(host), "up");
    }

    /**
     * @param host 0 to {@link #hosts()} - 1.
     * @return whether the host's switch port is administratively up.
     * @throws IOException when {@code ip} fails.
     */
    public boolean linkUp(final int host) throws IOException
    {
        check(host);
        final String flags = run("ip", "-n", switchName, "-o", "link", "show", port(host));
        final int open = flags.indexOf('<');
        final int end = flags.indexOf('>', open);
        return open >= 0 && end > open && List.of(flags.substring(open + 1, end).split(",")).contains("UP");
    }

    /**
     * Delete every namespace of the set (with its interfaces). Failures are logged, not thrown: clean-up goes on.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        for (final String name : created.reversed())
        {
            try
            {
                run("ip", "netns", "delete", name);
            }
            catch (final IOException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "cannot delete network namespace " + name, ex);
            }
        }
        OPEN.remove(this);
    }

    @Override
    public String toString()
    {
        return "NetNamespaces " + base + " (" + hosts.size() + " hosts)";
    }

    private void build() throws IOException
    {
        add(switchName);
        run("ip", "-n", switchName, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", switchName, "link", "set", "br0", "up");
        for (int i = 0; i < hosts.size(); i++)
        {
            final String host = hosts.get(i);
            add(host);
            run("ip", "-n", host, "link", "set", "lo", "up");
            run("ip", "-n", switchName, "link", "add", port(i), "type", "veth", "peer", "name", HOST_INTERFACE,
                "netns", host);
            run("ip", "-n", switchName, "link", "set", port(i), "master", "br0");
            run("ip", "-n", switchName, "link", "set", port(i), "up");
            run("ip", "-n", host, "addr", "add", address(i) + "/" + PREFIX_LENGTH, "dev", HOST_INTERFACE);
            run("ip", "-n", host, "link", "set", HOST_INTERFACE, "up");
        }
    }

    private void add(final String name) throws IOException
    {
        run("ip", "netns", "add", name);
        created.add(name);
    }

    private void check(final int host)
    {
        if (host < 0 || host >= hosts.size())
        {
            throw new IndexOutOfBoundsException("host " + host + " of " + hosts.size());
        }
    }

    private static String port(final int host)
    {
        return "p" + host;
    }

    private static boolean isOpen(final String name)
    {
        synchronized (OPEN)
        {
            return OPEN.stream().anyMatch(s -> name.startsWith(s.base));
        }
    }

    private static synchronized void register(final NetNamespaces set)
    {
        if (!hookAdded)
        {
            Runtime.getRuntime().addShutdownHook(HOOK);
            hookAdded = true;
        }
        OPEN.add(set);
    }

    private static void closeAllOpen()
    {
        final List<NetNamespaces> open;
        synchronized (OPEN)
        {
            open = new ArrayList<>(OPEN);
        }
        open.forEach(NetNamespaces::close);
    }

    private static String probe()
    {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"))
        {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        if (null == ipBinaryOrNull())
        {
            return "the ip command (iproute2) is not installed";
        }
        final String name = PREFIX + ProcessHandle.current().pid() + "-probe";
        try
        {
            run("ip", "netns", "add", name);
        }
        catch (final IOException ex)
        {
            return "ip netns add is not permitted (needs root or CAP_SYS_ADMIN): " + ex.getMessage();
        }
        try
        {
            run("ip", "netns", "delete", name);
            return null;
        }
        catch (final IOException ex)
        {
            return "ip netns delete failed: " + ex.getMessage();
        }
    }

    private static String ipBinary()
    {
        final String ip = ipBinaryOrNull();
        if (null == ip)
        {
            throw new IllegalStateException("the ip command (iproute2) is not installed");
        }
        return ip;
    }

    private static String ipBinaryOrNull()
    {
        // Where iproute2 installs it (Debian: /usr/sbin/ip, /sbin a link on merged-/usr systems); not PATH, which a
        // non-root PATH often lacks sbin in.
        for (final String dir : IP_DIRECTORIES)
        {
            if (Files.isExecutable(Path.of(dir, "ip")))
            {
                return Path.of(dir, "ip").toString();
            }
        }
        return null;
    }

    /**
     * Run a command ({@code ip} resolved to its full path), its output to a temporary file (never a pipe that could
     * fill up), wait at most 30 s.
     *
     * @return its output.
     * @throws IOException when it cannot start, exits non-zero (its output in the message) or times out.
     */
    private static String run(final String... command) throws IOException
    {
        final List<String> full = new ArrayList<>(List.of(command));
        if ("ip".equals(full.getFirst()))
        {
            full.set(0, ipBinary());
        }
        final Path output = Files.createTempFile("net-namespaces-", ".out");
        try
        {
            final Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
            try
            {
                if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_S +
                        " s");
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running " + String.join(" ", command), ex);
            }
            final String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0)
            {
                throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " +
                    text.strip());
            }
            return text;
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }
}
