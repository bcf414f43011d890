/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;

/**
 * Raw NIO Unix domain sockets ({@link SocketChannel} over a {@link UnixDomainSocketAddress}), <strong>non-blocking
 * with busy-spinning reads</strong>: it measures the kernel's socket path (a {@code write} and a {@code read}
 * system call per message, a copy each way) without the wake-up of a blocked reader, which is what a blocking
 * socket adds on top (about 41 µs round trip measured here). Each producer has its own connection; frames are
 * length-prefixed ({@link UdsConnection}).
 *
 * <h2>Connections</h2>
 * The responder binds {@value #SOCKET_FILE} in {@link CaseEnv#dir()} (or, when that path is longer than the
 * {@value #MAX_SOCKET_PATH_BYTES} bytes a socket address may hold, a name in {@code java.io.tmpdir} derived from
 * the case dir, the same in every process) and accepts connections inside {@code poll}, non-blocking, so a producer
 * may connect at any time: on every poll until the first connection, then at most once every
 * {@value #ACCEPT_INTERVAL_US} µs. An {@code accept} is a system call, and the JDK's allocates about 80 bytes even
 * when nobody is waiting: trying it on every poll would add both to every round trip; by time rather than by poll
 * count it costs the same whatever the message rate. Until accepted, a producer's frames wait in the socket.
 *
 * <p>The responder's {@code offer} writes to the oldest open connection: producer 0's, since the harness opens
 * producer 0 first and keeps it open (the listen backlog is first in, first out). A connection whose peer closed is
 * dropped once its last whole frame is delivered.
 *
 * <p>Settings: no Nagle-like option exists or is needed for Unix sockets; kernel default socket buffers; a poll
 * delivers at most {@link PeerLimits#POLL_LIMIT} frames per connection.
 *
 * <p>Allocation: none per message (direct buffers made per connection; measured: 0 bytes per round trip on the
 * initiator). The responder's accept attempts allocate their few dozen bytes about once a millisecond, whatever
 * the traffic; an accepted connection allocates its buffers.
 */
public final class UdsNioCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "uds-nio";
    /** Name of the socket file in the case dir. */
    public static final String SOCKET_FILE = "uds.sock";
    /** Longest socket path in bytes: Linux's {@code sun_path} is 108 bytes with the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;
    /** Once a connection is open, the responder tries to accept more at most this often, in microseconds. */
    public static final int ACCEPT_INTERVAL_US = 1000;
    /** Most producers. */
    public static final int MAX_PRODUCERS = 4;

    private static final long ACCEPT_INTERVAL_NS = TimeUnit.MICROSECONDS.toNanos(ACCEPT_INTERVAL_US);

    /** Most connections the responder holds at once (producers reconnect between phases; closed ones go). */
    private static final int MAX_CONNECTIONS = 16;

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "NIO Unix domain socket (non-blocking, spinning reads)";
    }

    @Override
    public Kind kind()
    {
        return Kind.PEER;
    }

    @Override
    public int maxProducers()
    {
        return MAX_PRODUCERS;
    }

    /**
     * @param env the case's environment.
     * @return where the responder listens: {@code dir/uds.sock}, or a short name in {@code java.io.tmpdir} when that
     * path is too long for a socket address.
     */
    public static Path socketPath(final CaseEnv env)
    {
        final Path dir = env.dir().toAbsolutePath().normalize();
        final Path inDir = dir.resolve(SOCKET_FILE);
        if (inDir.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES)
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
    public BenchEndpoint openResponder(final CaseEnv env) throws IOException
    {
        final Path path = socketPath(env);
        Files.deleteIfExists(path);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
        }
        catch (final IOException | RuntimeException ex)
        {
            server.close();
            throw new IOException(ID + ": cannot listen on " + path + ": " + ex, ex);
        }
        return new Responder(server, path, env.maxPayloadLength());
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        final Path path = socketPath(env);
        final UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        final SocketChannel[] connected = new SocketChannel[1];
        final IOException[] lastFailure = new IOException[1];
        try
        {
            PeerLimits.await(ID, "the responder to listen on " + path, () ->
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
                    // Not bound yet (no such file) or not listening yet (connection refused): try again.
                    lastFailure[0] = ex;
                    channel.close();
                    return false;
                }
            });
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
        return new UdsConnection.Endpoint(new UdsConnection(ID, connected[0], env.maxPayloadLength()), producerIndex == 0);
    }

    /**
     * The listening side. Thread-safety: one thread. Allocation: none per message; one connection per accept.
     */
    private static final class Responder implements BenchEndpoint
    {
        private final ServerSocketChannel server;
        private final Path path;
        private final int maxPayloadLength;
        // In accept order: [0] answers every offer.
        private final UdsConnection[] connections = new UdsConnection[MAX_CONNECTIONS];
        private int connectionCount;
        private long nextAcceptNs;

        Responder(final ServerSocketChannel server, final Path path, final int maxPayloadLength)
        {
            this.server = server;
            this.path = path;
            this.maxPayloadLength = maxPayloadLength;
        }

        @Override
        public boolean offer(final long stamp, final long seq, final int kind, final int length)
        {
            if (connectionCount == 0)
            {
                acceptPending();
                if (connectionCount == 0)
                {
                    return false;
                }
            }
            return connections[0].offer(stamp, seq, kind, length);
        }

        @Override
        public int poll(final Inbound handler)
        {
            if (connectionCount == 0 || System.nanoTime() - nextAcceptNs >= 0)
            {
                acceptPending();
                nextAcceptNs = System.nanoTime() + ACCEPT_INTERVAL_NS;
            }
            int delivered = 0;
            int i = 0;
            while (i < connectionCount)
            {
                final UdsConnection connection = connections[i];
                delivered += connection.poll(handler);
                if (connection.isDrained())
                {
                    remove(i);
                }
                else
                {
                    i++;
                }
            }
            return delivered;
        }

        private void acceptPending()
        {
            try
            {
                SocketChannel channel;
                while ((channel = server.accept()) != null)
                {
                    if (connectionCount == MAX_CONNECTIONS)
                    {
                        channel.close();
                        throw new IllegalStateException(ID + ": more than " + MAX_CONNECTIONS + " connections open at" +
                            " once on " + path + " (at most " + MAX_PRODUCERS + " producers are expected)");
                    }
                    channel.configureBlocking(false);
                    connections[connectionCount++] = new UdsConnection(ID, channel, maxPayloadLength);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ID + ": accept on " + path + " failed", ex);
            }
        }

        private void remove(final int index)
        {
            connections[index].close();
            System.arraycopy(connections, index + 1, connections, index, connectionCount - index - 1);
            connections[--connectionCount] = null;
        }

        @Override
        public void close()
        {
            for (int i = 0; i < connectionCount; i++)
            {
                connections[i].close();
            }
            connectionCount = 0;
            try
            {
                server.close();
                Files.deleteIfExists(path);
            }
            catch (final IOException ignore)
            {
                // The case dir is fresh per case and removed by the harness: a socket file left behind is harmless.
            }
        }
    }
}
