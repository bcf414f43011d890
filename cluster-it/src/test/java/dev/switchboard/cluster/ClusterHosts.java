/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.router.process.RouterMain;
import dev.switchboard.security.SecretFile;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.testing.NetNamespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * N hosts, each with a router (a real process, {@link RouterMain}) bridged to the others over Aeron UDP, and agents
 * ({@link ClusterAgentMain}, real processes) on any of them. Hosts are Linux network namespaces made for the test
 * ({@link NetNamespaces}: each router's endpoint is its host's address, 10.213.0.x, port {@value #NAMESPACE_PORT}),
 * or, where namespaces are not permitted, the machine itself with one free loopback port per router. Each host has its
 * own runtime directory (control socket, inboxes, durable queues); the routers share one cluster secret file.
 *
 * <p>Thread-safety: one test thread.
 */
final class ClusterHosts implements AutoCloseable
{
    /** The bridge's UDP port on every host of a namespace set (each host has its own address). */
    static final int NAMESPACE_PORT = 40700;
    /** The bridge's heartbeat in these tests, ms: peers notice a cut link within a few. */
    static final int HEARTBEAT_MS = 100;
    /** A peer unheard of for this long is gone, ms. */
    static final int PEER_TIMEOUT_MS = 1_500;
    static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Test property: {@code loopback} runs the hosts on loopback ports even where namespaces are permitted (to try the
     * fallback); anything else, or unset, uses namespaces where permitted.
     */
    static final String HOSTS_PROP = "switchboard.test.hosts";

    private final Path dir;
    private final NetNamespaces namespaces;
    private final List<String> endpoints;
    private final Path secret;
    private final ChildJvm[] routers;
    private final List<Agent> agents = new ArrayList<>();

    private ClusterHosts(final Path dir, final NetNamespaces namespaces, final List<String> endpoints,
        final Path secret)
    {
        this.dir = dir;
        this.namespaces = namespaces;
        this.endpoints = endpoints;
        this.secret = secret;
        this.routers = new ChildJvm[endpoints.size()];
    }

    /**
     * Make the hosts and start a router on each.
     *
     * @param dir   the test's directory.
     * @param count hosts.
     * @return the hosts, their routers listening.
     * @throws Exception when one cannot start.
     */
    static ClusterHosts start(final Path dir, final int count) throws Exception
    {
        final boolean loopback = "loopback".equals(System.getProperty(HOSTS_PROP)) || !NetNamespaces.available();
        final NetNamespaces namespaces = loopback ? null : NetNamespaces.create(count);
        final List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            endpoints.add(null != namespaces ? namespaces.address(i) + ":" + NAMESPACE_PORT :
                "127.0.0.1:" + freeUdpPort());
        }
        final Path secret = SecretFile.create(dir.resolve("cluster.secret")).path();
        final ClusterHosts hosts = new ClusterHosts(dir, namespaces, endpoints, secret);
        try
        {
            for (int i = 0; i < count; i++)
            {
                hosts.startRouter(i);
            }
        }
        catch (final Exception | AssertionError ex)
        {
            hosts.close();
            throw ex;
        }
        return hosts;
    }

    /**
     * @return true when the hosts are network namespaces, false when they are loopback ports of this machine.
     */
    boolean inNamespaces()
    {
        return null != namespaces;
    }

    /**
     * @return how the hosts were made, for messages: namespaces, or why not.
     */
    String describe()
    {
        return inNamespaces() ? "hosts in network namespaces " + namespaces :
            "hosts on loopback ports " + endpoints + " (network namespaces: " +
            (NetNamespaces.available() ? HOSTS_PROP + "=loopback" : NetNamespaces.unavailableReason()) + ")";
    }

    NetNamespaces namespaces()
    {
        return namespaces;
    }

    /**
     * Start host i's router (again, after {@link #killRouter}); it listens when this returns.
     */
    void startRouter(final int host) throws Exception
    {
        final Path runtime = runtimeDir(host);
        final List<String> options = new ArrayList<>(List.of(
            "-Dswitchboard.runtime.dir=" + runtime,
            "-Dswitchboard.shm.dir=" + runtime.resolve("shm"),
            "-Dswitchboard.data.dir=" + runtime.resolve("data"),
            "-Dswitchboard.cluster.endpoint=" + endpoints.get(host),
            "-Dswitchboard.cluster.peers=" + String.join(",", endpoints),
            "-Dswitchboard.cluster.host=host" + host,
            "-Dswitchboard.cluster.secret.file=" + secret,
            "-Dswitchboard.cluster.heartbeat.ms=" + HEARTBEAT_MS,
            "-Dswitchboard.cluster.peer.timeout.ms=" + PEER_TIMEOUT_MS));
        options.addAll(JvmFlags.router());
        final ChildJvm router = ChildJvm.builder(RouterMain.class).jvmOptions(options).commandPrefix(prefix(host))
            .name("router-host" + host).outputIn(dir.resolve("logs")).start();
        routers[host] = router;
        router.await(() -> router.stdoutText().contains("listening"), "router on host " + host + " to listen");
    }

    /**
     * kill -9 host i's router.
     */
    void killRouter(final int host)
    {
        routers[host].kill();
        assertEquals(137, routers[host].awaitExit(WAIT), "killed with SIGKILL");
    }

    ChildJvm router(final int host)
    {
        return routers[host];
    }

    /**
     * Start an agent on host i; it is registered with its host's router when this returns.
     */
    Agent agent(final int host, final String name) throws Exception
    {
        final List<String> options = new ArrayList<>(JvmFlags.of(JvmFlags.Group.AGENT));
        final ChildJvm child = ChildJvm.builder(ClusterAgentMain.class).jvmOptions(options)
            .args(runtimeDir(host).toString(), name).commandPrefix(prefix(host)).name(name + "-host" + host)
            .outputIn(dir.resolve("logs")).start();
        final Agent agent = new Agent(name, host, child);
        agents.add(agent);
        final String line = child.readLine(WAIT);
        if (!line.startsWith("registered "))
        {
            throw new AssertionError(name + " did not register: " + line + "; " + child.describe());
        }
        return agent;
    }

    /**
     * Poll until {@code condition} holds, at most {@link #WAIT}.
     */
    void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what + " (" + describe() + ")\n" + routerLogs());
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
    }

    String routerLogs()
    {
        final StringBuilder s = new StringBuilder();
        for (final ChildJvm router : routers)
        {
            if (null != router)
            {
                s.append(router.describe()).append('\n');
            }
        }
        return s.toString();
    }

    @Override
    public void close()
    {
        for (final Agent agent : agents.reversed())
        {
            agent.child.close();
        }
        for (final ChildJvm router : routers)
        {
            if (null != router)
            {
                router.close();
            }
        }
        if (null != namespaces)
        {
            namespaces.close();
        }
    }

    private Path runtimeDir(final int host)
    {
        return dir.resolve("host" + host);
    }

    private List<String> prefix(final int host)
    {
        return null != namespaces ? namespaces.execPrefix(host) : List.of();
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * An agent process: commands to its stdin, one answer line each.
     */
    static final class Agent
    {
        final String name;
        final int host;
        final ChildJvm child;
        private final OutputStream stdin;

        Agent(final String name, final int host, final ChildJvm child)
        {
            this.name = name;
            this.host = host;
            this.child = child;
            this.stdin = child.process().getOutputStream();
        }

        /**
         * @param command one of {@link ClusterAgentMain}'s commands.
         * @return its answer.
         */
        String run(final String command)
        {
            try
            {
                stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            catch (final IOException ex)
            {
                throw new AssertionError(name + " cannot take '" + command + "': " + child.describe(), ex);
            }
            return child.readLine(WAIT);
        }

        /**
         * @return how many messages of that kind from that sender it received, how many of them out of order, and how
         * many were flagged redelivered (work items).
         */
        long[] count(final String kind, final String from)
        {
            final String[] answer = run("count " + kind + " " + from).split(" ");
            return new long[] {Long.parseLong(answer[3]), Long.parseLong(answer[4]), Long.parseLong(answer[5])};
        }

        /**
         * Wait until it has received {@code expected} messages of that kind from that sender; fail on more or on any
         * out of order.
         */
        void awaitCount(final ClusterHosts hosts, final String kind, final String from, final long expected)
        {
            hosts.await(() -> count(kind, from)[0] >= expected, name + " to receive " + expected + " " + kind +
                " from " + from + " (has " + count(kind, from)[0] + ")");
            final long[] c = count(kind, from);
            assertEquals(expected, c[0], name + ": " + kind + " from " + from + " exactly once each");
            assertEquals(0, c[1], name + ": " + kind + " from " + from + " in order");
        }

        @Override
        public String toString()
        {
            return name + "@host" + host;
        }
    }
}
