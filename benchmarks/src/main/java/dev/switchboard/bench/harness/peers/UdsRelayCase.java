/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;

/**
 * Raw NIO Unix domain sockets through a third, relaying process ({@link UdsRelay}): initiator, relay, responder and
 * back, each hop a socket write, a socket read and one user-space copy in the relay. The like-for-like anchor for
 * Switchboard's routed tiers (publish through the router): the same two sockets per message a router-in-the-middle
 * design needs, with nothing else on the path.
 *
 * <p>The endpoints are {@link UdsNioCase}'s (non-blocking, spinning reads, length-prefixed frames through
 * {@link UdsConnection}); each producer has its own connection to the relay. The relay runs in the case's server
 * process and spins for a bounded window after the last frame, then blocks in {@code epoll_wait} ({@link UdsRelay}
 * says why and how to change it); the report states its policy.
 *
 * <p>Allocation: none per message.
 */
public final class UdsRelayCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "uds-relay";
    /** Name of the relay's socket file in the case dir. */
    public static final String SOCKET_FILE = "relay.sock";

    private UdsRelay relay;

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "NIO Unix domain sockets through a relaying process (non-blocking, spinning reads)";
    }

    @Override
    public Kind kind()
    {
        return Kind.PEER;
    }

    @Override
    public int maxProducers()
    {
        return UdsNioCase.MAX_PRODUCERS;
    }

    @Override
    public List<String> jvmOptions()
    {
        // The relay's idle policy, when given to the harness, goes to the relay's process.
        final String spin = System.getProperty(UdsRelay.SPIN_US_PROP);
        return null == spin ? List.of() : List.of("-D" + UdsRelay.SPIN_US_PROP + "=" + spin);
    }

    @Override
    public boolean needsServer()
    {
        return true;
    }

    @Override
    public AutoCloseable startServer(final CaseEnv env) throws IOException
    {
        relay = UdsRelay.start(socketPath(env), env.maxPayloadLength());
        return relay;
    }

    @Override
    public List<String> serverSettings()
    {
        return null == relay ? List.of() : List.of("relay idle policy: " + relay.describe());
    }

    /**
     * @param env the case's environment.
     * @return where the relay listens: {@code dir/relay.sock}, or a short name in {@code java.io.tmpdir} when that
     * path is too long for a socket address.
     */
    public static Path socketPath(final CaseEnv env)
    {
        final Path dir = env.dir().toAbsolutePath().normalize();
        final Path inDir = dir.resolve(SOCKET_FILE);
        if (inDir.toString().getBytes(StandardCharsets.UTF_8).length <= UdsNioCase.MAX_SOCKET_PATH_BYTES)
        {
            return inDir;
        }
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(dir.toString().getBytes(StandardCharsets.UTF_8));
            final String name = "sb-" + ID + "-" + HexFormat.of().formatHex(digest, 0, 8) + ".sock";
            return Path.of(System.getProperty("java.io.tmpdir"), name).toAbsolutePath();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every JDK", ex);
        }
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env) throws Exception
    {
        return new UdsConnection.Endpoint(connect(env, UdsRelay.RESPONDER), true);
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        return new UdsConnection.Endpoint(connect(env, 1 + producerIndex), producerIndex == 0);
    }

    private static UdsConnection connect(final CaseEnv env, final int hello) throws Exception
    {
        final Path path = socketPath(env);
        final UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        final SocketChannel[] connected = new SocketChannel[1];
        final IOException[] lastFailure = new IOException[1];
        try
        {
            PeerLimits.await(ID, "the relay to listen on " + path, () ->
            {
                final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try
                {
                    channel.connect(address);
                    connected[0] = channel;
                    return true;
                }
                catch (final IOException ex)
                {
                    lastFailure[0] = ex;
                    channel.close();
                    return false;
                }
            });
            final ByteBuffer helloFrame = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, hello);
            while (helloFrame.hasRemaining())
            {
                connected[0].write(helloFrame);
            }
            connected[0].configureBlocking(false);
        }
        catch (final Exception ex)
        {
            if (connected[0] != null)
            {
                connected[0].close();
            }
            if (lastFailure[0] != null)
            {
                ex.addSuppressed(lastFailure[0]);
            }
            throw ex;
        }
        return new UdsConnection(ID, connected[0], env.maxPayloadLength());
    }
}
