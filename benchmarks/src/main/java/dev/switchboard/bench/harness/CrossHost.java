/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.switchboard.testing.NetNamespaces;

/**
 * The two hosts of a cross-host case: two network namespaces joined by veth pairs through a bridge
 * ({@link NetNamespaces}, addresses 10.213.0.1 and 10.213.0.2), made by the coordinator before the case's processes
 * start ({@link BenchCase#setUp}) and removed when the case is over. The initiator runs on host 0, the responder on host
 * 1 (and a case's server, if any, on host 1 too). The coordinator writes the hosts' names and addresses to
 * {@value #FILE_NAME} in the case's directory; each process reads them from there ({@link #of(CaseEnv)}).
 *
 * @param initiatorHost    the initiator's namespace.
 * @param initiatorAddress the initiator's address on the hosts' network.
 * @param responderHost    the responder's namespace.
 * @param responderAddress the responder's address.
 */
public record CrossHost(String initiatorHost, String initiatorAddress, String responderHost, String responderAddress)
{
    /** The file in the case's directory. */
    public static final String FILE_NAME = "hosts.properties";

    /**
     * @return null when hosts in network namespaces can be made here, else why not (the case is then skipped).
     */
    public static String unavailableReason()
    {
        final String reason = NetNamespaces.unavailableReason();
        return null == reason ? null : "needs two hosts in network namespaces: " + reason;
    }

    /**
     * Make the two hosts and write {@value #FILE_NAME}.
     *
     * @param env the case's environment.
     * @return what removes them.
     * @throws IOException when they cannot be made.
     */
    public static AutoCloseable create(final CaseEnv env) throws IOException
    {
        final NetNamespaces hosts = NetNamespaces.create(2);
        final Properties p = new Properties();
        p.setProperty("initiator.host", hosts.name(0));
        p.setProperty("initiator.address", hosts.address(0));
        p.setProperty("responder.host", hosts.name(1));
        p.setProperty("responder.address", hosts.address(1));
        try (Writer w = Files.newBufferedWriter(file(env), StandardCharsets.UTF_8))
        {
            p.store(w, "switchboard benchmark harness: the hosts of a cross-host case");
        }
        catch (final IOException | RuntimeException ex)
        {
            hosts.close();
            throw ex;
        }
        return hosts;
    }

    /**
     * @param env the case's environment, after {@link #create(CaseEnv)}.
     * @return the hosts.
     */
    public static CrossHost of(final CaseEnv env)
    {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file(env), StandardCharsets.UTF_8))
        {
            p.load(r);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the cross-host case's hosts from " + file(env), e);
        }
        return new CrossHost(p.getProperty("initiator.host"), p.getProperty("initiator.address"),
            p.getProperty("responder.host"), p.getProperty("responder.address"));
    }

    /**
     * @param role a process's role: {@code initiator}, {@code responder} or {@code server}.
     * @return the command that runs it on its host ({@code ip netns exec NAME}).
     */
    public List<String> commandPrefix(final String role)
    {
        return List.of("ip", "netns", "exec", "initiator".equals(role) ? initiatorHost : responderHost);
    }

    private static Path file(final CaseEnv env)
    {
        return env.dir().resolve(FILE_NAME);
    }
}
