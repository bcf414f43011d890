/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.bench.harness.Payload;

/**
 * The relaying process of {@link UdsRelayCase}: raw NIO Unix domain sockets, one thread, forwarding the
 * length-prefixed frames of {@link UdsConnection} whole, so frames of several senders never interleave:
 * initiators' frames go to the responder, the responder's to producer 0. One user-space copy per hop (socket to the
 * connection's read buffer, complete frames to the destination's write buffer, then to its socket), as a router that
 * relays bytes does.
 *
 * <h2>Connections</h2>
 * Every side connects to the relay's socket and first writes a hello: one little-endian int, {@value #RESPONDER}
 * for the responder, {@code 1 + producerIndex} for an initiator. Frames that arrive before their destination has
 * connected wait in the relay.
 *
 * <h2>Idle policy</h2>
 * After the last frame it moved, the relay keeps polling its connections with non-blocking reads for
 * {@link #spinNs()}, then blocks in one {@link Selector#select()} ({@code epoll_wait}) until a connection is
 * readable. The default is the strongest relay for the machine: with 3 CPUs or more it never blocks (it busy-spins
 * like the raw peers' endpoints, on a CPU of its own); with fewer it blocks at once, because the two measuring
 * threads spin on the two CPUs and a relay that spins after each frame keeps the CPU the frame's receiver needs,
 * until the scheduler's next tick takes it away. Property
 * {@value #SPIN_US_PROP}: microseconds of spin before blocking; {@code -1} never blocks, {@code 0} blocks at once.
 *
 * <h2>Back-pressure</h2>
 * A destination whose socket does not take everything keeps the rest in its write buffer; while that buffer has no
 * room for the next frame, the relay stops taking frames from their source, whose socket then fills, so the sender's
 * offer is refused, never dropped.
 *
 * <p>Thread-safety: the relay thread alone touches the connections; {@link #close()} may be called from any thread.
 * Allocation: none per frame (buffers per connection, made when it connects).
 */
final class UdsRelay implements AutoCloseable
{
    /** Hello of the responder. */
    static final int RESPONDER = 0;
    /** Property: the relay's spin window before it blocks, microseconds (-1: never blocks). */
    static final String SPIN_US_PROP = "switchboard.bench.relay.spin.us";
    /** CPUs from which the relay spins by default: one for each measuring thread and one for the relay. */
    static final int SPIN_FROM_CPUS = 3;
    /** Most connections: the responder and {@link UdsNioCase#MAX_PRODUCERS} producers, reconnecting between phases. */
    static final int MAX_CONNECTIONS = 16;

    private static final int HELLO_LENGTH = 4;
    private static final int BUFFER_LENGTH = 64 * 1024;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Path path;
    private final int maxPayloadLength;
    private final long spinNs;
    private final List<Link> links = new ArrayList<>();
    private final Link[] producers = new Link[UdsNioCase.MAX_PRODUCERS];
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Link responder;
    private long blocks;

    private UdsRelay(final Path path, final int maxPayloadLength, final long spinNs) throws IOException
    {
        this.path = path;
        this.maxPayloadLength = Math.max(maxPayloadLength, Payload.MIN_LENGTH);
        this.spinNs = spinNs;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        this.selector = Selector.open();
        try
        {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException | RuntimeException ex)
        {
            server.close();
            selector.close();
            throw new IOException(UdsRelayCase.ID + ": cannot listen on " + path + ": " + ex, ex);
        }
        this.thread = Thread.ofPlatform().name("uds-relay").daemon().unstarted(this::run);
    }

    /**
     * Listen on {@code path} and start relaying on a thread of its own.
     *
     * @param path             the socket file.
     * @param maxPayloadLength the largest payload of a frame.
     * @return the running relay.
     * @throws IOException when it cannot listen.
     */
    static UdsRelay start(final Path path, final int maxPayloadLength) throws IOException
    {
        final UdsRelay relay = new UdsRelay(path, maxPayloadLength, spinNsFromProperty());
        relay.thread.start();
        return relay;
    }

    /**
     * @return {@value #SPIN_US_PROP} in ns; negative: never block.
     */
    static long spinNsFromProperty()
    {
        final long us = Long.getLong(SPIN_US_PROP, Runtime.getRuntime().availableProcessors() >= SPIN_FROM_CPUS ? -1 : 0);
        return us < 0 ? -1 : TimeUnit.MICROSECONDS.toNanos(us);
    }

    /**
     * @return the spin window before blocking, ns; negative when the relay never blocks.
     */
    long spinNs()
    {
        return spinNs;
    }

    /**
     * @return how the report states the relay's idle policy.
     */
    String describe()
    {
        final String cpus = " (" + SPIN_US_PROP + " " + (spinNs < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(spinNs)) +
            "; the default on " + Runtime.getRuntime().availableProcessors() + " CPUs)";
        if (spinNs < 0)
        {
            return "busy-spins: non-blocking reads of every connection, never blocks" + cpus;
        }
        return (spinNs == 0 ? "when a pass over its connections moved nothing, blocks in Selector.select() (epoll_wait)" :
            "non-blocking reads of every connection for " + TimeUnit.NANOSECONDS.toMicros(spinNs) + " µs after the " +
            "last frame, then one blocking Selector.select() (epoll_wait)") + " until a connection is readable" + cpus;
    }

    private void run()
    {
        long lastWorkNs = System.nanoTime();
        try
        {
            while (running)
            {
                final int work = pass();
                if (work > 0)
                {
                    lastWorkNs = System.nanoTime();
                    continue;
                }
                if (spinNs >= 0 && !hasPendingWrites() && System.nanoTime() - lastWorkNs >= spinNs)
                {
                    blocks++;
                    selector.select(100);
                    selector.selectedKeys().clear();
                    lastWorkNs = System.nanoTime();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    /**
     * Accept, read every connection, forward whole frames, write what is pending.
     *
     * @return bytes and connections moved (0: nothing happened).
     */
    private int pass() throws IOException
    {
        int work = accept();
        for (int i = 0; i < links.size(); i++)
        {
            work += links.get(i).read();
        }
        for (int i = 0; i < links.size(); i++)
        {
            work += links.get(i).forward();
        }
        for (int i = 0; i < links.size(); i++)
        {
            work += links.get(i).flush();
        }
        for (int i = links.size() - 1; i >= 0; i--)
        {
            final Link link = links.get(i);
            if (link.isDone())
            {
                remove(link);
            }
        }
        return work;
    }

    private int accept() throws IOException
    {
        int accepted = 0;
        SocketChannel channel;
        while ((channel = server.accept()) != null)
        {
            if (links.size() == MAX_CONNECTIONS)
            {
                channel.close();
                throw new IllegalStateException(UdsRelayCase.ID + ": more than " + MAX_CONNECTIONS +
                    " connections at once on " + path);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            links.add(new Link(channel));
            accepted++;
        }
        return accepted;
    }

    private boolean hasPendingWrites()
    {
        for (int i = 0; i < links.size(); i++)
        {
            if (links.get(i).out.position() > 0 || links.get(i).hasWholeFrame())
            {
                return true;
            }
        }
        return false;
    }

    private void remove(final Link link)
    {
        links.remove(link);
        if (responder == link)
        {
            responder = null;
        }
        for (int i = 0; i < producers.length; i++)
        {
            if (producers[i] == link)
            {
                producers[i] = null;
            }
        }
        link.close();
    }

    /**
     * @throws IllegalStateException when the relay thread failed (with its failure as the cause).
     */
    void checkAlive()
    {
        final Throwable ex = failure.get();
        if (null != ex)
        {
            throw new IllegalStateException(UdsRelayCase.ID + ": the relay failed: " + ex, ex);
        }
    }

    /**
     * @return how many times the relay blocked in {@code select} (read after it stopped).
     */
    long blocks()
    {
        return blocks;
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final Link link : links)
        {
            link.close();
        }
        links.clear();
        try
        {
            selector.close();
            server.close();
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // the case dir is fresh per case and removed by the harness
        }
    }

    /** One connected side: its socket, what it sent that is not forwarded yet, what is to be written to it. */
    private final class Link
    {
        final SocketChannel channel;
        // Write mode between passes: position = bytes held.
        final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_LENGTH).order(ORDER);
        final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_LENGTH).order(ORDER);
        int role = -1;
        boolean closedByPeer;

        Link(final SocketChannel channel)
        {
            this.channel = channel;
        }

        int read() throws IOException
        {
            if (closedByPeer || !in.hasRemaining())
            {
                return 0;
            }
            final int n = channel.read(in);
            if (n < 0)
            {
                closedByPeer = true;
                return 1;
            }
            if (role < 0 && in.position() >= HELLO_LENGTH)
            {
                identify();
            }
            return n;
        }

        private void identify()
        {
            role = in.getInt(0);
            in.flip();
            in.position(HELLO_LENGTH);
            in.compact();
            if (role == RESPONDER)
            {
                responder = this;
            }
            else if (role >= 1 && role <= producers.length)
            {
                producers[role - 1] = this;
            }
            else
            {
                throw new IllegalStateException(UdsRelayCase.ID + ": bad hello " + role + " on " + path);
            }
        }

        boolean hasWholeFrame()
        {
            if (role < 0 || in.position() < UdsConnection.HEADER_LENGTH)
            {
                return false;
            }
            return in.position() >= UdsConnection.HEADER_LENGTH + in.getInt(0);
        }

        /** Move this side's whole frames into the destination's write buffer, as many as fit. */
        int forward()
        {
            if (role < 0)
            {
                return 0;
            }
            final Link to = role == RESPONDER ? producers[0] : responder;
            if (null == to || in.position() < UdsConnection.HEADER_LENGTH)
            {
                return 0;
            }
            in.flip();
            int moved = 0;
            while (in.remaining() >= UdsConnection.HEADER_LENGTH)
            {
                final int at = in.position();
                final int length = in.getInt(at);
                if (length < Payload.MIN_LENGTH || length > maxPayloadLength)
                {
                    throw new IllegalStateException(UdsRelayCase.ID + ": corrupt stream from side " + role +
                        ": frame length " + length + " outside [" + Payload.MIN_LENGTH + ", " + maxPayloadLength + "]");
                }
                final int frame = UdsConnection.HEADER_LENGTH + length;
                if (in.remaining() < frame || to.out.remaining() < frame)
                {
                    break;
                }
                final int limit = in.limit();
                in.limit(at + frame);
                to.out.put(in);
                in.limit(limit);
                moved += frame;
            }
            in.compact();
            return moved;
        }

        int flush() throws IOException
        {
            if (out.position() == 0)
            {
                return 0;
            }
            if (closedByPeer)
            {
                // Nobody reads it any more: what was queued for a side that left is dropped with it.
                out.clear();
                return 0;
            }
            out.flip();
            final int n;
            try
            {
                n = channel.write(out);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(UdsRelayCase.ID + ": write to side " + role + " failed", ex);
            }
            out.compact();
            return n;
        }

        /** The peer closed and everything it sent was forwarded (a partial frame can only be a crash's). */
        boolean isDone()
        {
            return closedByPeer && !hasWholeFrame() && out.position() == 0;
        }

        void close()
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing a socket we are done with: nothing to act on
            }
        }
    }
}
