/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The frame MAC of one link: HMAC-SHA256 (RFC 2104) truncated to {@value #TAG_LENGTH} bytes, with one key per
 * direction, over a per-direction sequence number, the frame's length and the frame's bytes:
 * <pre>
 *   tag = first 16 bytes of HMAC-SHA256(key[direction], seq (int64 LE) || length (int32 LE) || frame)
 * </pre>
 * Both ends count the frames of each direction from 0, so a frame that was modified, replayed, reordered,
 * dropped or reflected back to its sender fails the check at the receiver.
 *
 * <p>Why 16 bytes: a forged frame passes with probability 2<sup>-128</sup> per attempt, and the first failure
 * closes the link, so an attacker gets one attempt per link (NIST SP 800-107 allows truncating HMAC-SHA256 to
 * 64 bits and more; 128 matches AES-GCM and Poly1305). Half the tag halves the overhead on small frames
 * (a 32-byte frame grows to 48, not 64).
 *
 * <p>Why not {@link javax.crypto.Mac}: its {@code doFinal(byte[], int)} allocates the MAC array on every call
 * (and the JDK's HMAC allocates another for the inner digest). This computes the same function with two
 * {@link MessageDigest}s writing into preallocated arrays; {@code FrameMacTest} checks it against
 * {@code Mac.getInstance("HmacSHA256")}.
 *
 * <p>Thread-safety: not thread-safe; one sending thread may call {@link #sign} while one receiving thread calls
 * {@link #verify}/{@link #received()} (the two directions share no state). Allocation: none per frame once warm
 * (the JDK digest keeps a scratch array for direct buffers, allocated on first use).
 */
public final class FrameMac
{
    /** Bytes of the tag appended to every frame. */
    public static final int TAG_LENGTH = 16;
    /** Bytes of HMAC-SHA256 before truncation. */
    public static final int HMAC_LENGTH = 32;
    private static final int BLOCK = 64;

    private final Direction send;
    private final Direction receive;

    /**
     * @param sendKey    key of the direction this end sends (32 bytes from {@link SecretFile#derive}).
     * @param receiveKey key of the direction this end receives.
     */
    public FrameMac(final byte[] sendKey, final byte[] receiveKey)
    {
        this.send = new Direction(sendKey);
        this.receive = new Direction(receiveKey);
    }

    /**
     * Compute the tag of the next frame sent and write it right after the frame, then advance the send sequence.
     *
     * @param buffer      holding the frame with {@value #TAG_LENGTH} bytes free after it; its position and limit
     *                    are used as scratch (pass a view kept for this purpose).
     * @param frameOffset absolute offset of the frame.
     * @param frameLength length of the frame.
     */
    public void sign(final ByteBuffer buffer, final int frameOffset, final int frameLength)
    {
        send.compute(buffer, frameOffset, frameLength);
        buffer.put(frameOffset + frameLength, send.tag, 0, TAG_LENGTH);
        send.seq++;
    }

    /**
     * Check the tag that follows a received frame against the next receive sequence number. Does not advance
     * the sequence: call {@link #received()} once the frame is taken (a frame left for later is checked again).
     *
     * @param buffer      holding the frame and its tag; position and limit are used as scratch.
     * @param frameOffset absolute offset of the frame.
     * @param frameLength length of the frame, without the tag.
     * @return true when the tag matches.
     */
    public boolean verify(final ByteBuffer buffer, final int frameOffset, final int frameLength)
    {
        receive.compute(buffer, frameOffset, frameLength);
        final byte[] expected = receive.tag;
        final int tagAt = frameOffset + frameLength;
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            diff |= expected[i] ^ buffer.get(tagAt + i); // constant time: no early exit
        }
        return diff == 0;
    }

    /** The frame just verified was taken: the next one must carry the next sequence number. */
    public void received()
    {
        receive.seq++;
    }

    /** @return frames signed so far (the next send sequence number). */
    public long sendSequence()
    {
        return send.seq;
    }

    /** @return frames received and verified so far (the next receive sequence number). */
    public long receiveSequence()
    {
        return receive.seq;
    }

    /**
     * HMAC-SHA256 over {@code seq || length || frame} into {@code tag}, for one direction.
     */
    private static final class Direction
    {
        final MessageDigest inner;
        final MessageDigest outer;
        final byte[] innerPad = new byte[BLOCK];
        final byte[] outerPad = new byte[BLOCK];
        final byte[] prefix = new byte[Long.BYTES + Integer.BYTES];
        final byte[] innerHash = new byte[HMAC_LENGTH];
        final byte[] tag = new byte[HMAC_LENGTH];
        long seq;

        Direction(final byte[] key)
        {
            if (key.length == 0 || key.length > BLOCK)
            {
                throw new IllegalArgumentException("frame MAC key must have 1.." + BLOCK + " bytes: " + key.length);
            }
            try
            {
                inner = MessageDigest.getInstance("SHA-256");
                outer = MessageDigest.getInstance("SHA-256");
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("SHA-256 is not available in this JDK", ex);
            }
            for (int i = 0; i < BLOCK; i++)
            {
                final byte k = i < key.length ? key[i] : 0;
                innerPad[i] = (byte)(k ^ 0x36);
                outerPad[i] = (byte)(k ^ 0x5c);
            }
        }

        void compute(final ByteBuffer buffer, final int offset, final int length)
        {
            final long s = seq;
            for (int i = 0; i < Long.BYTES; i++)
            {
                prefix[i] = (byte)(s >>> (8 * i));
            }
            for (int i = 0; i < Integer.BYTES; i++)
            {
                prefix[Long.BYTES + i] = (byte)(length >>> (8 * i));
            }
            inner.update(innerPad);
            inner.update(prefix);
            buffer.limit(offset + length).position(offset);
            inner.update(buffer);
            buffer.clear();
            try
            {
                inner.digest(innerHash, 0, HMAC_LENGTH);
                outer.update(outerPad);
                outer.update(innerHash);
                outer.digest(tag, 0, HMAC_LENGTH);
            }
            catch (final DigestException ex)
            {
                throw new IllegalStateException(ex); // cannot happen: the arrays are 32 bytes
            }
        }
    }
}
