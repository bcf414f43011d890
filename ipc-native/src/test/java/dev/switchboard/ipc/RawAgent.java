/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.HeartbeatEncoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import dev.switchboard.codecs.sbe.RegisteredDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A control-socket client with no client library: it writes length-prefixed frames it builds itself and reads the
 * router's frames one at a time, so a test controls exactly what goes on the wire (no heartbeats unless it sends
 * them, half frames, floods).
 */
final class RawAgent implements AutoCloseable
{
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private boolean peerClosed;
    private long agentId;

    private RawAgent(final SocketChannel channel)
    {
        this.channel = channel;
    }

    static RawAgent connect(final Path socketPath) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socketPath));
        channel.configureBlocking(false);
        return new RawAgent(channel);
    }

    long agentId()
    {
        return agentId;
    }

    /**
     * @return true once a read found the connection closed by the router.
     */
    boolean closedByPeer()
    {
        return peerClosed;
    }

    /**
     * Register (no token): waits for the Challenge, sends Register, waits for Registered.
     *
     * @return the agent id.
     */
    long register(final String name, final String inbox, final long leaseMs) throws IOException
    {
        expect(ChallengeDecoder.TEMPLATE_ID, 10_000);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final RegisterEncoder encoder = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(1).pid(ProcessHandle.current().pid()).requestedLeaseMs((int)leaseMs);
        encoder.tiers().normal(true);
        encoder.capabilitiesCount(0);
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        encoder.putName(nameBytes, 0, nameBytes.length);
        encoder.putCredential(new byte[0], 0, 0);
        encoder.inbox(inbox);
        send(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        final byte[] registered = expect(RegisteredDecoder.TEMPLATE_ID, 10_000);
        final RegisteredDecoder decoder = new RegisteredDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(new UnsafeBuffer(registered), 0);
        decoder.wrap(new UnsafeBuffer(registered), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
        agentId = decoder.agentId();
        return agentId;
    }

    void heartbeat() throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .agentId(agentId).timestampNs(System.nanoTime());
        send(buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    void send(final UnsafeBuffer frame, final int length) throws IOException
    {
        final ByteBuffer out = ByteBuffer.allocate(4 + length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(length);
        final byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        out.put(bytes).flip();
        sendRaw(out);
    }

    void sendRaw(final ByteBuffer bytes) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bytes.hasRemaining())
        {
            if (channel.write(bytes) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("the router stopped reading this connection");
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * @return the next frame, or null when none came within the timeout or the router closed the connection.
     */
    byte[] nextFrame(final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            if (in.position() >= 4)
            {
                final int length = in.getInt(0);
                if (in.position() >= 4 + length)
                {
                    final byte[] frame = new byte[length];
                    in.flip();
                    in.position(4);
                    in.get(frame);
                    in.compact();
                    return frame;
                }
            }
            if (peerClosed || System.nanoTime() > deadline)
            {
                return null;
            }
            final int n;
            try
            {
                n = channel.read(in);
            }
            catch (final IOException e)
            {
                peerClosed = true;
                continue;
            }
            if (n < 0)
            {
                peerClosed = true;
            }
            else if (n == 0)
            {
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    /**
     * Read frames until one with the template comes (others are skipped).
     */
    byte[] expect(final int templateId, final long timeoutMs) throws IOException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final byte[] frame = nextFrame(Math.max(1, deadline - System.currentTimeMillis()));
            if (frame == null)
            {
                break;
            }
            if (templateOf(frame) == templateId)
            {
                return frame;
            }
        }
        throw new AssertionError("no frame with template " + templateId + " within " + timeoutMs + " ms" +
            (peerClosed ? " (the router closed the connection)" : ""));
    }

    /**
     * @return true once the router has closed the connection (reading and discarding whatever came before).
     */
    boolean awaitClosedByPeer(final long timeoutMs) throws IOException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!peerClosed && System.currentTimeMillis() < deadline)
        {
            nextFrame(Math.max(1, deadline - System.currentTimeMillis()));
        }
        return peerClosed;
    }

    static int templateOf(final byte[] frame)
    {
        return frame.length < 4 ? -1 : (frame[2] & 0xFF) | (frame[3] & 0xFF) << 8;
    }

    static String errorText(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final ErrorDecoder error = new ErrorDecoder().wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        return error.code() + ": " + error.text();
    }

    /**
     * Stop reading, as a process that is going away: the router's next write to this connection fails (EPIPE).
     */
    void shutdownInput() throws IOException
    {
        channel.shutdownInput();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
