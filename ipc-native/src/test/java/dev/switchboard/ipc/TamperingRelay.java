/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A man in the middle for tests: a Unix socket relay between a client and the router's socket that, when
 * armed, flips a byte in or replays the next chunk the client sends. Real sockets, real bytes.
 */
final class TamperingRelay implements AutoCloseable
{
    enum Mode
    {
        PASS, FLIP_BYTE, REPLAY
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final Path target;
    private final AtomicReference<Mode> next = new AtomicReference<>(Mode.PASS);
    private final Thread acceptor;
    private volatile boolean running = true;
    private volatile int tampered;

    TamperingRelay(final Path path, final Path target) throws IOException
    {
        this.path = path;
        this.target = target;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        acceptor = Thread.ofPlatform().daemon().name("relay-accept").start(this::acceptLoop);
    }

    Path path()
    {
        return path;
    }

    /** Tamper with the next chunk the client sends. */
    void arm(final Mode mode)
    {
        next.set(mode);
    }

    /** @return chunks tampered with so far. */
    int tampered()
    {
        return tampered;
    }

    private void acceptLoop()
    {
        try
        {
            while (running)
            {
                final SocketChannel client = server.accept();
                final SocketChannel router = SocketChannel.open(UnixDomainSocketAddress.of(target));
                Thread.ofPlatform().daemon().name("relay-up").start(() -> pump(client, router, true));
                Thread.ofPlatform().daemon().name("relay-down").start(() -> pump(router, client, false));
            }
        }
        catch (final IOException e)
        {
            // closed
        }
    }

    private void pump(final SocketChannel from, final SocketChannel to, final boolean upstream)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (from; to)
        {
            while (from.read(buffer.clear()) >= 0)
            {
                buffer.flip();
                final Mode mode = upstream ? next.getAndSet(Mode.PASS) : Mode.PASS;
                if (mode == Mode.FLIP_BYTE)
                {
                    final int at = buffer.limit() - 1; // in the tag or the frame: either way the MAC breaks
                    buffer.put(at, (byte)(buffer.get(at) ^ 0x40));
                    tampered++;
                }
                final int length = buffer.limit();
                writeFully(to, buffer);
                if (mode == Mode.REPLAY)
                {
                    writeFully(to, buffer.position(0).limit(length));
                    tampered++;
                }
            }
        }
        catch (final IOException e)
        {
            // one side closed: closing both (try-with-resources) passes the close on
        }
    }

    private static void writeFully(final SocketChannel to, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            to.write(buffer);
        }
    }

    @Override
    public void close() throws IOException
    {
        running = false;
        server.close();
        Files.deleteIfExists(path);
    }
}
