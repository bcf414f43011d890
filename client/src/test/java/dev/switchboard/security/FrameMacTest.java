/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame MAC is HMAC-SHA256 over (sequence, length, frame), truncated, and catches every kind of tampering.
 */
class FrameMacTest
{
    private static final byte[] KEY_A = HexFormat.of().parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    private static final byte[] KEY_B = "another key, for the other way".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    java.nio.file.Path dir;

    @Test
    void tagIsTruncatedHmacSha256OfSequenceLengthAndFrameAsTheJdkComputesIt() throws Exception
    {
        final FrameMac mac = new FrameMac(KEY_A, KEY_B);
        final Random random = new Random(42);
        for (int seq = 0; seq < 50; seq++)
        {
            final int length = 1 + random.nextInt(2000);
            final ByteBuffer buffer = ByteBuffer.allocateDirect(8 + length + FrameMac.TAG_LENGTH);
            final byte[] frame = new byte[length];
            random.nextBytes(frame);
            buffer.put(8, frame);
            mac.sign(buffer, 8, length);

            final Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(KEY_A, "HmacSHA256"));
            jdk.update(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).putInt(length).array());
            jdk.update(frame);
            final byte[] expected = Arrays.copyOf(jdk.doFinal(), FrameMac.TAG_LENGTH);
            final byte[] actual = new byte[FrameMac.TAG_LENGTH];
            buffer.get(8 + length, actual);
            assertArrayEquals(expected, actual, "frame " + seq);
            assertEquals(0, buffer.position(), "the buffer is left cleared");
        }
        assertEquals(50, mac.sendSequence());
    }

    @Test
    void matchesTheJdkForAKeyOfExactlyOneBlock() throws Exception
    {
        // A key of exactly the SHA-256 block size (64 bytes) is used as is, without hashing or padding.
        final byte[] key = new byte[64];
        Arrays.fill(key, (byte)0xaa);
        final FrameMac mac = new FrameMac(key, key);
        final byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer buffer = ByteBuffer.allocate(data.length + FrameMac.TAG_LENGTH);
        buffer.put(0, data);
        mac.sign(buffer, 0, data.length);
        final Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key, "HmacSHA256"));
        jdk.update(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, (byte)data.length, 0, 0, 0});
        final byte[] expected = Arrays.copyOf(jdk.doFinal(data), FrameMac.TAG_LENGTH);
        final byte[] actual = new byte[FrameMac.TAG_LENGTH];
        buffer.get(data.length, actual);
        assertArrayEquals(expected, actual);
    }

    @Test
    void signAndVerifyAllocateNothingOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final FrameMac sender = new FrameMac(KEY_A, KEY_B);
        final FrameMac receiver = new FrameMac(KEY_B, KEY_A);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(1024 + FrameMac.TAG_LENGTH);
        int verified = 0;
        for (int round = 0; round < 2; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++)
            {
                final int length = (i & 1) == 0 ? 32 : 1024;
                sender.sign(buffer, 0, length);
                if (receiver.verify(buffer, 0, length))
                {
                    receiver.received();
                    verified++;
                }
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1)
            {
                // 20,000 frames: one byte array per frame would be 640 kB or more.
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 20,000 frames once warm");
            }
        }
        assertEquals(40_000, verified);
    }

    @Test
    void receiverAcceptsFramesInOrderFromItsPeer()
    {
        final FrameMac sender = new FrameMac(KEY_A, KEY_B);
        final FrameMac receiver = new FrameMac(KEY_B, KEY_A);
        for (int i = 0; i < 10; i++)
        {
            final ByteBuffer frame = signedFrame(sender, "frame " + i);
            assertTrue(receiver.verify(frame, 0, frame.capacity() - FrameMac.TAG_LENGTH), "frame " + i);
            receiver.received();
        }
        assertEquals(10, receiver.receiveSequence());
    }

    @Test
    void modifiedFrameIsRejectedWhereverTheByteFlips()
    {
        final FrameMac sender = new FrameMac(KEY_A, KEY_B);
        final ByteBuffer frame = signedFrame(sender, "thirty-two bytes of frame data!!");
        for (int i = 0; i < frame.capacity(); i++)
        {
            final FrameMac receiver = new FrameMac(KEY_B, KEY_A);
            frame.put(i, (byte)(frame.get(i) ^ 0x01));
            assertFalse(receiver.verify(frame, 0, frame.capacity() - FrameMac.TAG_LENGTH), "byte " + i + " flipped");
            frame.put(i, (byte)(frame.get(i) ^ 0x01));
            assertTrue(receiver.verify(frame, 0, frame.capacity() - FrameMac.TAG_LENGTH), "restored");
        }
    }

    @Test
    void replayedReorderedOrReflectedFrameIsRejected()
    {
        final FrameMac sender = new FrameMac(KEY_A, KEY_B);
        final FrameMac receiver = new FrameMac(KEY_B, KEY_A);
        final ByteBuffer first = signedFrame(sender, "first");
        final ByteBuffer second = signedFrame(sender, "second");
        final int firstLength = first.capacity() - FrameMac.TAG_LENGTH;
        assertFalse(receiver.verify(second, 0, second.capacity() - FrameMac.TAG_LENGTH), "second before first (reorder/drop)");
        assertTrue(receiver.verify(first, 0, firstLength));
        receiver.received();
        assertFalse(receiver.verify(first, 0, firstLength), "first again (replay)");
        assertFalse(new FrameMac(KEY_A, KEY_B).verify(first, 0, firstLength), "sent back to its sender (reflection)");
    }

    @Test
    void derivedKeysDifferPerDirectionAndPerLinkAndMismatchIsExplained()
    {
        final LinkMac on = LinkMac.on(SecretFile.create(dir.resolve("secret")));
        final byte[] clientNonce = LinkMac.newNonce();
        final byte[] serverNonce = LinkMac.newNonce();
        final FrameMac client = on.frameMac(false, LinkMac.KIND_CONTROL, clientNonce, serverNonce);
        final FrameMac server = on.frameMac(true, LinkMac.KIND_CONTROL, clientNonce, serverNonce);
        final FrameMac otherLink = on.frameMac(true, LinkMac.KIND_CONTROL, clientNonce, LinkMac.newNonce());
        final ByteBuffer frame = signedFrame(client, "hello router");
        final int length = frame.capacity() - FrameMac.TAG_LENGTH;
        assertTrue(server.verify(frame, 0, length));
        assertFalse(otherLink.verify(frame, 0, length), "another link's key");

        final byte[] hello = on.hello(LinkMac.KIND_CONTROL, clientNonce);
        assertEquals(LinkMac.HELLO_LENGTH, hello.length);
        assertArrayEquals(clientNonce, on.checkPeerHello(hello, LinkMac.KIND_CONTROL, "the client"));
        final IllegalStateException off = assertThrows(IllegalStateException.class,
            () -> on.checkPeerHello(LinkMac.off().hello(LinkMac.KIND_CONTROL, null), LinkMac.KIND_CONTROL, "the router"));
        assertTrue(off.getMessage().contains("the router runs with switchboard.link.mac=off"), off.getMessage());
        final IllegalStateException notHello = assertThrows(IllegalStateException.class,
            () -> on.checkPeerHello(new byte[20], LinkMac.KIND_CONTROL, "the client"));
        assertTrue(notHello.getMessage().contains("before the link hello"), notHello.getMessage());
        assertThrows(IllegalStateException.class, () -> on.checkPeerHello(hello, LinkMac.KIND_HIGH, "the client"));
        assertNotEquals(0, hello[9] & 1);
    }

    @Test
    void settingOnWithoutSecretFileIsAClearError()
    {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> LinkMac.fromSetting("on", null));
        assertTrue(e.getMessage().contains(SecretFile.PROPERTY), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinkMac.fromSetting("on", " "));
        assertThrows(IllegalArgumentException.class, () -> LinkMac.fromSetting("maybe", null));
        assertFalse(LinkMac.fromSetting(null, null).enabled(), "off by default");
        assertFalse(LinkMac.fromSetting(" OFF ", null).enabled());
    }

    private static ByteBuffer signedFrame(final FrameMac mac, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + FrameMac.TAG_LENGTH);
        buffer.put(0, bytes);
        mac.sign(buffer, 0, bytes.length);
        return buffer;
    }
}
