/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.auth;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import dev.switchboard.codecs.sbe.ChallengeDecoder;
import dev.switchboard.codecs.sbe.ErrorDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.RegisterEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hand-driven control connection (blocking NIO on the router's real socket), for what the client library
 * would never do: answer with a token taken from another connection. Frames are the control socket's framing:
 * a 32-bit little-endian length, then the SBE frame.
 */
final class RawControl implements AutoCloseable
{
    private final SocketChannel channel;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    private RawControl(final SocketChannel channel)
    {
        this.channel = channel;
    }

    static RawControl connect(final Path socket) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawControl(channel);
    }

    /**
     * @return the next frame, or null when the router closed the connection.
     */
    UnsafeBuffer read() throws IOException
    {
        final ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(length))
        {
            return null;
        }
        final ByteBuffer frame = ByteBuffer.allocate(length.getInt(0));
        if (!readFully(frame))
        {
            return null;
        }
        return new UnsafeBuffer(frame.array());
    }

    private boolean readFully(final ByteBuffer b) throws IOException
    {
        while (b.hasRemaining())
        {
            if (channel.read(b) < 0)
            {
                return false;
            }
        }
        return true;
    }

    int templateId(final UnsafeBuffer frame)
    {
        return header.wrap(frame, 0).templateId();
    }

    byte[] readChallenge() throws IOException
    {
        final UnsafeBuffer frame = read();
        if (frame == null || templateId(frame) != ChallengeDecoder.TEMPLATE_ID)
        {
            throw new AssertionError("expected a Challenge first, got " + (frame == null ? "EOF" : templateId(frame)));
        }
        final ChallengeDecoder d = new ChallengeDecoder().wrapAndApplyHeader(frame, 0, header);
        final byte[] nonce = new byte[d.nonceLength()];
        d.getNonce(nonce, 0, nonce.length);
        return nonce;
    }

    static ErrorDecoder error(final UnsafeBuffer frame)
    {
        return new ErrorDecoder().wrapAndApplyHeader(frame, 0, new MessageHeaderDecoder());
    }

    void register(final long correlationId, final String name, final byte[] credential) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final RegisterEncoder e = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).pid(ProcessHandle.current().pid()).requestedLeaseMs(0);
        e.capabilitiesCount(0);
        e.name(name);
        e.putCredential(credential, 0, credential.length);
        e.inbox("");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        final ByteBuffer out = ByteBuffer.allocate(4 + length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(length);
        out.put(buffer.byteArray(), 0, length);
        out.flip();
        while (out.hasRemaining())
        {
            channel.write(out);
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
