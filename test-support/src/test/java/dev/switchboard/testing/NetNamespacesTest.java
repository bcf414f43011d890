package dev.switchboard.testing;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link NetNamespaces} makes real hosts: processes in them talk over the hosts' network and nowhere else, a cut link
 * stops their traffic and a restored one carries it again, nothing is left behind, and where namespaces cannot be made
 * it says so. The tests that need namespaces are skipped (with the reason) where they are not permitted.
 */
@Tag("slow")
class NetNamespacesTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PORT = "40213";

    @TempDir
    Path dir;

    @Test
    void processesInTwoHostsTalkOverTheHostsNetworkWhichTheMachineItselfDoesNotSee() throws Exception
    {
        assumeNamespaces();
        try (NetNamespaces hosts = NetNamespaces.create(2);
            ChildJvm server = probe(hosts, 1, "serve", hosts.address(1), PORT))
        {
            assertEquals("listening", server.readLine(WAIT));
            assertEquals("reached", connectFrom(hosts, 0, hosts.address(1), 5));
            assertTrue(hosts.exec(0, "ip", "-o", "addr", "show", "lo").contains("127.0.0.1"), "lo is up in each host");
            assertFalse(run("ip", "-o", "addr").contains(NetNamespaces.SUBNET),
                "no address of the hosts' network in the machine's own namespace");
        }
    }

    @Test
    void aCutLinkStopsTheHostsTrafficAndARestoredOneCarriesItAgain() throws Exception
    {
        assumeNamespaces();
        try (NetNamespaces hosts = NetNamespaces.create(2);
            ChildJvm server = probe(hosts, 1, "serve", hosts.address(1), PORT))
        {
            assertEquals("listening", server.readLine(WAIT));
            assertEquals("reached", connectFrom(hosts, 0, hosts.address(1), 5));

            hosts.cutLink(1);
            assertFalse(hosts.linkUp(1));
            assertTrue(connectFrom(hosts, 0, hosts.address(1), 1).startsWith("unreachable"));

            hosts.restoreLink(1);
            assertTrue(hosts.linkUp(1));
            assertEquals("reached", connectFrom(hosts, 0, hosts.address(1), 10));
        }
    }

    @Test
    void closeDeletesEveryNamespaceOfTheSet() throws Exception
    {
        assumeNamespaces();
        final NetNamespaces hosts = NetNamespaces.create(3);
        final List<String> names = List.of(hosts.name(0), hosts.name(1), hosts.name(2), hosts.switchName());
        assertTrue(NetNamespaces.list().containsAll(names));
        assertEquals(List.of("10.213.0.1", "10.213.0.2", "10.213.0.3"),
            List.of(hosts.address(0), hosts.address(1), hosts.address(2)));

        hosts.close();
        hosts.close(); // twice: the shutdown hook's and the test's
        assertTrue(NetNamespaces.list().stream().noneMatch(names::contains), NetNamespaces.list().toString());
    }

    @Test
    void namespacesLeftByADeadRunAreRemovedAndThoseOfALiveOneAreKept() throws Exception
    {
        assumeNamespaces();
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final Process alive = new ProcessBuilder("sleep", "60").start();
        final String stale = NetNamespaces.PREFIX + gone.pid() + "-1-h0";
        final String live = NetNamespaces.PREFIX + alive.pid() + "-1-h0";
        try
        {
            run("ip", "netns", "add", stale);
            run("ip", "netns", "add", live);

            final List<String> removed = NetNamespaces.removeStale();

            assertTrue(removed.contains(stale), removed.toString());
            assertFalse(NetNamespaces.list().contains(stale));
            assertTrue(NetNamespaces.list().contains(live));
        }
        finally
        {
            alive.destroyForcibly().waitFor();
            run("sh", "-c", "ip netns delete " + live + " 2>/dev/null; ip netns delete " + stale + " 2>/dev/null; true");
        }
    }

    @Test
    void aProcessWithoutPrivilegeIsToldNamespacesAreUnavailable() throws Exception
    {
        assumeNamespaces(); // as root; the child drops to nobody with no capabilities
        final String classPath = String.join(File.pathSeparator,
            Path.of(NetNamespaces.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
            Path.of(NetProbeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        try (ChildJvm child = ChildJvm.builder(NetProbeMain.class).args("reason").classPath(classPath)
            .commandPrefix(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all"))
            .directory(Path.of("/tmp")).outputIn(dir).start())
        {
            final String line = child.readLine(WAIT);
            assertTrue(line.startsWith("reason=ip netns add is not permitted"), line + "; " + child.describe());
        }
    }

    @Test
    void aSetHasOneToTwoHundredHosts()
    {
        assertThrows(IllegalArgumentException.class, () -> NetNamespaces.create(0));
        assertThrows(IllegalArgumentException.class, () -> NetNamespaces.create(NetNamespaces.MAX_HOSTS + 1));
    }

    private ChildJvm probe(final NetNamespaces hosts, final int host, final String... args) throws Exception
    {
        return ChildJvm.builder(NetProbeMain.class).args(args).commandPrefix(hosts.execPrefix(host)).outputIn(dir)
            .start();
    }

    private String connectFrom(final NetNamespaces hosts, final int host, final String address, final int attempts)
        throws Exception
    {
        try (ChildJvm client = probe(hosts, host, "connect", address, PORT, Integer.toString(attempts)))
        {
            final String line = client.readLine(WAIT);
            assertNotNull(line);
            return line;
        }
    }

    private static void assumeNamespaces()
    {
        assumeTrue(NetNamespaces.available(), () -> "network namespaces not permitted here: " +
            NetNamespaces.unavailableReason());
    }

    private static String run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        return output;
    }
}
