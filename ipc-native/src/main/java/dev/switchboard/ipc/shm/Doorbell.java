package dev.switchboard.ipc.shm;

import dev.switchboard.ipc.files.OwnedFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback wake-up path of an inbox: how a sender wakes an owner that went to sleep on
 * {@link InboxDescriptor#PARKED_DOORBELL} because it cannot park on its inbox's futex. The owner listens on a Unix
 * domain stream socket (its path is recorded in the inbox header, see {@link InboxDescriptor#DOORBELL_PATH_OFFSET})
 * registered with the {@link Selector} its {@link InboxParker} sleeps in; a sender keeps one connection per receiver
 * ({@link Ringer}) and rings by writing one byte to it. Bytes carry no meaning: the owner drains and discards them.
 *
 * <h2>Futex first, doorbell where the futex cannot be used</h2>
 * A futex on the inbox's parked word ({@link Futex}) is the cheaper wake-up: no descriptor, no connection, one
 * {@code futex(2)} call on each side. But it is reachable from Java only through the FFM {@code Linker}, a restricted
 * method: a JVM started without {@code --enable-native-access} cannot wait on it, and agent processes may run with no
 * JVM flags at all. So an owner parks on the futex only when it has native access and its router can make the wake
 * call for senders that cannot (the router relays {@code Wake} frames); otherwise it parks here, and every sender,
 * with flags or without, can ring:
 * <ul>
 *   <li>An eventfd cannot be opened by an unrelated process: it is shared only by inheritance or by passing its
 *       descriptor with {@code SCM_RIGHTS}, which {@code java.nio} does not expose (and creating one needs FFM
 *       too).</li>
 *   <li>A Unix socket is pure {@code java.nio}, has file-system permissions (the shm dir is 0700 and the socket
 *       0600), and is selectable together with the agent's control/NORMAL socket: one {@link Selector} wait
 *       covers every tier, so a sleeping agent wakes for whichever arrives first. A FIFO would need a file
 *       descriptor {@code java.nio} cannot select on.</li>
 * </ul>
 * Senders pay for the socket only when the owner is parked here (see {@link InboxFile#wakeIfParked()}): busy traffic
 * never rings. A ring costs one {@code write(2)} of one byte; the first ring from a sender also connects.
 *
 * <h2>Thread-safety</h2>
 * The owner side ({@link #listen}, {@link #register}, {@link #onReady}, {@link #close}) is used by the owner's
 * thread only. {@link Ringer#ring()} is safe from any thread (it is {@code synchronized}: it runs only on the
 * wake-up path, never on the busy path).
 *
 * <h2>Allocation</h2>
 * {@link Ringer#ring()} and {@link #onReady(SelectionKey)} on a readable connection allocate nothing once
 * connected; connecting and accepting allocate the channel objects.
 */
public final class Doorbell implements AutoCloseable
{
    private static final int BACKLOG = 128;
    private static final int DRAIN_BUFFER_LENGTH = 64;

    private final Path path;
    private final ServerSocketChannel server;
    private final List<SocketChannel> connections = new ArrayList<>();
    private final ByteBuffer drainBuffer = ByteBuffer.allocateDirect(DRAIN_BUFFER_LENGTH);
    private boolean closed;

    private Doorbell(final Path path, final ServerSocketChannel server)
    {
        this.path = path;
        this.server = server;
    }

    /**
     * Bind the owner's end of a doorbell: a non-blocking listening socket at {@code path}, made owner-only
     * (0600, or 0660 with {@code switchboard.files.group}: {@link OwnedFiles#fileMode()}) right after the bind
     * (the shm dir it lives in is already 0700, so nobody else could reach it in between).
     *
     * @param path socket path, at most {@link InboxDescriptor#MAX_DOORBELL_PATH_LENGTH} UTF-8 bytes absolute;
     *             must not exist.
     * @return the doorbell.
     * @throws IllegalArgumentException if the path is too long.
     * @throws UncheckedIOException     if it cannot be bound (the message names the path).
     */
    public static Doorbell listen(final Path path)
    {
        final Path absolute = path.toAbsolutePath();
        checkPathLength(absolute);
        ServerSocketChannel server = null;
        try
        {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(absolute), BACKLOG);
            server.configureBlocking(false);
            Files.setPosixFilePermissions(absolute, OwnedFiles.processDefault().fileMode());
            return new Doorbell(absolute, server);
        }
        catch (final IOException ex)
        {
            closeQuietly(server);
            throw new UncheckedIOException("cannot bind doorbell socket " + absolute + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Check that a path fits a Unix socket address.
     *
     * @param absolute absolute path.
     * @throws IllegalArgumentException naming the path, its length and the limit if it does not fit.
     */
    static void checkPathLength(final Path absolute)
    {
        final int length = absolute.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > InboxDescriptor.MAX_DOORBELL_PATH_LENGTH)
        {
            throw new IllegalArgumentException("doorbell socket path is " + length + " bytes, longer than the " +
                InboxDescriptor.MAX_DOORBELL_PATH_LENGTH + " a Unix socket address holds: " + absolute);
        }
    }

    /**
     * Path of the listening socket.
     *
     * @return absolute path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Register the listening socket with a selector; connections it accepts later join the same selector.
     * Keys carry this doorbell as attachment, and the selector's owner hands them to {@link #onReady}.
     *
     * @param selector the selector the owner sleeps in.
     * @throws UncheckedIOException if the doorbell is closed.
     */
    public void register(final Selector selector)
    {
        try
        {
            server.register(selector, SelectionKey.OP_ACCEPT, this);
        }
        catch (final ClosedChannelException ex)
        {
            throw new UncheckedIOException("doorbell " + path + " is closed", ex);
        }
    }

    /**
     * Handle a selected key of this doorbell: accept every pending connection, or drain and discard the bytes
     * of a ringing one (closing it when its sender has gone).
     *
     * @param key a key whose attachment is this doorbell.
     * @return number of rings seen: connections accepted plus bytes drained.
     */
    public int onReady(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return 0;
        }
        if (key.channel() == server)
        {
            return acceptAll(key.selector());
        }
        return drain(key);
    }

    /**
     * Close the listening socket and every accepted connection, and delete the socket file. Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly(server);
        for (final SocketChannel connection : connections)
        {
            closeQuietly(connection);
        }
        connections.clear();
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // Left for StaleInboxCleaner: an orphan socket whose pid is dead.
        }
    }

    private int acceptAll(final Selector selector)
    {
        int accepted = 0;
        try
        {
            SocketChannel connection;
            while (null != (connection = server.accept()))
            {
                connection.configureBlocking(false);
                connection.register(selector, SelectionKey.OP_READ, this);
                connections.add(connection);
                accepted++;
            }
        }
        catch (final IOException ex)
        {
            // A connection that failed while being accepted rings nothing; its sender reconnects.
        }
        return accepted;
    }

    private int drain(final SelectionKey key)
    {
        final SocketChannel connection = (SocketChannel)key.channel();
        int drained = 0;
        try
        {
            int read;
            do
            {
                drainBuffer.clear();
                read = connection.read(drainBuffer);
                if (read < 0)
                {
                    forget(key, connection);
                    return drained;
                }
                drained += read;
            }
            while (read == DRAIN_BUFFER_LENGTH);
        }
        catch (final IOException ex)
        {
            forget(key, connection);
        }
        return drained;
    }

    private void forget(final SelectionKey key, final SocketChannel connection)
    {
        key.cancel();
        closeQuietly(connection);
        connections.remove(connection);
    }

    private static void closeQuietly(final java.io.Closeable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final IOException ignore)
            {
                // Nothing to do: the channel is unusable either way.
            }
        }
    }

    /**
     * The sender's end of a doorbell: one cached connection to one receiver's socket, made at the first ring
     * and remade once if the receiver dropped it.
     *
     * <p>Thread-safety: {@link #ring()} and {@link #close()} are {@code synchronized}. Allocation: none per ring
     * once connected.
     */
    public static final class Ringer implements AutoCloseable
    {
        private final UnixDomainSocketAddress address;
        private final ByteBuffer bell = ByteBuffer.allocateDirect(1);
        private SocketChannel channel;
        private boolean closed;

        /**
         * A ringer for the doorbell at {@code path}; nothing is connected until the first {@link #ring()}.
         *
         * @param path the receiver's doorbell socket path.
         */
        public Ringer(final Path path)
        {
            this.address = UnixDomainSocketAddress.of(path);
        }

        /**
         * Path of the doorbell this rings.
         *
         * @return the path.
         */
        public Path path()
        {
            return address.getPath();
        }

        /**
         * Ring: write one byte, connecting first if needed (and reconnecting once if the connection broke).
         * Never blocks: a full socket buffer means unread rings are already pending, which is as good.
         *
         * @return true if the byte was written or rings were already pending; false if the receiver's socket
         * cannot be reached (it has gone, or its accept backlog is full): the receiver then wakes at the end of
         * its bounded sleep instead.
         */
        public synchronized boolean ring()
        {
            if (closed)
            {
                return false;
            }
            for (int attempt = 0; attempt < 2; attempt++)
            {
                try
                {
                    if (null == channel)
                    {
                        channel = connect();
                    }
                    bell.clear();
                    channel.write(bell);
                    return true;
                }
                catch (final IOException ex)
                {
                    closeQuietly(channel);
                    channel = null;
                }
            }
            return false;
        }

        /**
         * Whether a connection is currently cached (for tests and diagnostics).
         *
         * @return true once a ring has connected and the connection has not broken.
         */
        public synchronized boolean isConnected()
        {
            return null != channel;
        }

        /**
         * Close the cached connection. Idempotent; later rings return false.
         */
        public synchronized void close()
        {
            closed = true;
            closeQuietly(channel);
            channel = null;
        }

        private SocketChannel connect() throws IOException
        {
            final SocketChannel connection = SocketChannel.open(StandardProtocolFamily.UNIX);
            try
            {
                connection.configureBlocking(false);
                if (!connection.connect(address) && !connection.finishConnect())
                {
                    throw new IOException("doorbell " + address.getPath() + " did not accept the connection");
                }
                return connection;
            }
            catch (final IOException ex)
            {
                closeQuietly(connection);
                throw ex;
            }
        }
    }
}
