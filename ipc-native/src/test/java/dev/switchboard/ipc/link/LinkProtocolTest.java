package dev.switchboard.ipc.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.security.FrameMac;
import dev.switchboard.security.LinkMac;
import dev.switchboard.security.SecretFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The link protocol on its own, with no socket: two ends exchange records through a byte array, cut at every point,
 * with the MAC off and on. What the movers ({@code FrameChannel}, {@code UringLink}, the agent links) add is only
 * how the bytes travel.
 */
class LinkProtocolTest
{
    private static final int MAX = 256;

    @TempDir
    Path dir;

    private Arena arena;
    private CounterBlock counters;
    private LinkMac on;

    @BeforeEach
    void setUp()
    {
        arena = Arena.ofConfined();
        counters = new CounterBlock(arena.allocate((long)CounterIds.COUNT * CounterBlock.COUNTER_LENGTH, 128));
        on = LinkMac.on(SecretFile.create(dir.resolve("secret")));
    }

    @AfterEach
    void tearDown()
    {
        arena.close();
    }

    @Test
    void framesCutAtEveryByteArriveWholeAndInOrder()
    {
        final Wire wire = new Wire();
        final LinkProtocol sender = protocol(LinkMac.off(), false);
        final LinkProtocol receiver = protocol(LinkMac.off(), true);
        for (int i = 1; i <= 5; i++)
        {
            wire.send(sender, payload(i, i * 7));
        }
        final byte[] bytes = wire.bytes();

        for (int cut = 0; cut <= bytes.length; cut++)
        {
            final LinkProtocol r = protocol(LinkMac.off(), true);
            final Buffer in = new Buffer();
            final List<byte[]> got = new ArrayList<>();
            in.append(bytes, 0, cut);
            int position = 0;
            r.parse(in.view, in.macView, position, in.end, collect(got), 100);
            position = r.position();
            assertFalse(r.failed(), "cut at " + cut + ": " + r.failure());
            in.append(bytes, cut, bytes.length - cut);
            r.parse(in.view, in.macView, position, in.end, collect(got), 100);
            assertEquals(in.end, r.position());
            assertEquals(5, got.size(), "cut at " + cut);
            for (int i = 1; i <= 5; i++)
            {
                assertArrayEquals(payload(i, i * 7), got.get(i - 1));
            }
        }
        assertFalse(receiver.failed());
    }

    @Test
    void aPartialRecordSaysHowManyBytesItStillNeeds()
    {
        final Wire wire = new Wire();
        wire.send(protocol(LinkMac.off(), false), payload(1, 40));
        final LinkProtocol r = protocol(LinkMac.off(), true);
        final Buffer in = new Buffer();
        in.append(wire.bytes(), 0, 2);
        assertEquals(2, r.missingBytes(in.view, 0, in.end));
        assertFalse(r.hasCompleteRecord(in.view, 0, in.end));
        in.append(wire.bytes(), 2, 10);
        assertEquals(4 + 40 - 12, r.missingBytes(in.view, 0, in.end));
        in.append(wire.bytes(), 12, wire.bytes().length - 12);
        assertEquals(0, r.missingBytes(in.view, 0, in.end));
        assertTrue(r.hasCompleteRecord(in.view, 0, in.end));
    }

    @Test
    void aLengthOutsideTheLimitFailsTheLinkWithTheLimitInTheReasonAndIsCounted()
    {
        for (final int bad : new int[] {0, -1, MAX + 1, Integer.MIN_VALUE, Integer.MAX_VALUE})
        {
            final LinkProtocol r = new LinkProtocol(LinkMac.off(), LinkMac.KIND_LINK_NORMAL, true, MAX, "agent 1",
                "NORMAL link ", counters, RouterCounter.LINK_MAC_REJECTED_NORMAL, RouterCounter.LINK_FRAMES_REJECTED);
            final Buffer in = new Buffer();
            in.putInt(bad);
            in.putInt(0);
            final List<byte[]> got = new ArrayList<>();
            assertEquals(0, r.parse(in.view, in.macView, 0, in.end, collect(got), 10));
            assertTrue(r.failed());
            assertEquals("protocol error: frame length " + bad + " outside [1, " + MAX + "]", r.failure());
            assertTrue(r.hasCompleteRecord(in.view, 0, in.end), "a bad prefix is reported, not waited for");
            assertTrue(got.isEmpty());
        }
        assertEquals(5, counters.get(RouterCounter.LINK_FRAMES_REJECTED));
    }

    @Test
    void aSinkThatKeepsAFrameStopsTheParseBeforeIt()
    {
        final Wire wire = new Wire();
        final LinkProtocol s = protocol(LinkMac.off(), false);
        wire.send(s, payload(1, 8));
        wire.send(s, payload(2, 8));
        final LinkProtocol r = protocol(LinkMac.off(), true);
        final Buffer in = new Buffer();
        in.append(wire.bytes(), 0, wire.bytes().length);
        final int[] calls = new int[1];
        assertEquals(1, r.parse(in.view, in.macView, 0, in.end, (b, o, l) -> ++calls[0] == 1, 10));
        assertTrue(r.stopped());
        assertEquals(4 + 8, r.position());
        assertEquals(1, r.parse(in.view, in.macView, r.position(), in.end, (b, o, l) -> true, 10));
        assertEquals(in.end, r.position());
    }

    @Test
    void withTheMacOnFramesWaitForTheHelloThenCarryAVerifiedTag()
    {
        final LinkProtocol client = protocol(on, false);
        final LinkProtocol server = protocol(on, true);
        assertFalse(client.canSend(), "no key before the peer's hello");
        assertEquals(FrameMac.TAG_LENGTH, client.tagLength());

        final Buffer toServer = new Buffer();
        final Buffer toClient = new Buffer();
        toServer.raw(client.localHello());
        toClient.raw(server.localHello());
        assertEquals(0, client.parse(toClient.view, toClient.macView, 0, toClient.end, (b, o, l) -> true, 10));
        assertTrue(client.isMacActive());
        assertTrue(client.canSend());

        final int helloEnd = toServer.end;
        toServer.frame(client, payload(3, 32));
        toServer.frame(client, payload(4, 1));
        final List<byte[]> got = new ArrayList<>();
        assertEquals(2, server.parse(toServer.view, toServer.macView, 0, toServer.end, collect(got), 10));
        assertTrue(server.isMacActive());
        assertArrayEquals(payload(3, 32), got.get(0));
        assertArrayEquals(payload(4, 1), got.get(1));
        assertEquals(32 + FrameMac.TAG_LENGTH, toServer.view.getInt(helloEnd, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void everyFlippedByteOfAFrameOrItsTagFailsTheLinkAndIsCounted()
    {
        final byte[] frame = payload(9, 24);
        int rejected = 0;
        for (int flip = LinkProtocol.LENGTH_PREFIX; flip < LinkProtocol.LENGTH_PREFIX + 24 + FrameMac.TAG_LENGTH; flip++)
        {
            final LinkProtocol client = protocol(on, false);
            final LinkProtocol server = protocol(on, true);
            handshake(client, server);
            final Buffer wire = new Buffer();
            wire.frame(client, frame);
            wire.view.putByte(flip, (byte)(wire.view.getByte(flip) ^ 0x01));
            final List<byte[]> got = new ArrayList<>();
            assertEquals(0, server.parse(wire.view, wire.macView, 0, wire.end, collect(got), 10));
            assertTrue(server.failed(), "byte " + flip);
            assertTrue(server.failure().startsWith("frame MAC mismatch on agent link frame 0"), server.failure());
            assertTrue(got.isEmpty());
            rejected++;
        }
        assertEquals(rejected, counters.get(RouterCounter.LINK_MAC_REJECTED_NORMAL));
    }

    @Test
    void aReplayedFrameFailsTheLink()
    {
        final LinkProtocol client = protocol(on, false);
        final LinkProtocol server = protocol(on, true);
        handshake(client, server);
        final Buffer wire = new Buffer();
        wire.frame(client, payload(1, 16));
        final byte[] first = new byte[wire.end];
        wire.view.getBytes(0, first);
        wire.append(first, 0, first.length);
        final List<byte[]> got = new ArrayList<>();
        assertEquals(1, server.parse(wire.view, wire.macView, 0, wire.end, collect(got), 10));
        assertTrue(server.failed());
        assertTrue(server.failure().contains("frame 1"), server.failure());
    }

    @Test
    void aMacSettingMismatchFailsBothEndsAtSetUpWithTheReasonAndAReplyForThePeer()
    {
        final LinkProtocol withMac = protocol(on, false);
        final LinkProtocol without = protocol(LinkMac.off(), true);
        final Buffer toWithout = new Buffer();
        toWithout.raw(withMac.localHello());
        without.parse(toWithout.view, toWithout.macView, 0, toWithout.end, (b, o, l) -> true, 10);
        assertTrue(without.failed());
        assertEquals("link setup failed: agent 1 runs with switchboard.link.mac=on while this side has off " +
            "(set the same value on both) (agent link)", without.failure());
        final byte[] reply = without.takeReply();
        assertNotNull(reply);
        assertNull(without.takeReply(), "the reply is taken once");

        final Buffer toWith = new Buffer();
        toWith.raw(reply);
        withMac.parse(toWith.view, toWith.macView, 0, toWith.end, (b, o, l) -> true, 10);
        assertTrue(withMac.failed());
        assertTrue(withMac.failure().contains("runs with switchboard.link.mac=off while this side has on"),
            withMac.failure());
        assertEquals(2, counters.get(RouterCounter.LINK_SETUP_REFUSED));
    }

    @Test
    void aHelloOfAnotherLinkKindIsRefused()
    {
        final LinkProtocol high = new LinkProtocol(on, LinkMac.KIND_LINK_HIGH, false, MAX, "agent 2", "agent link ",
            counters, RouterCounter.LINK_MAC_REJECTED_HIGH, null);
        final LinkProtocol normal = protocol(on, true);
        final Buffer wire = new Buffer();
        wire.raw(high.localHello());
        normal.parse(wire.view, wire.macView, 0, wire.end, (b, o, l) -> true, 10);
        assertTrue(normal.failed());
        assertTrue(normal.failure().contains("link kind 4"), normal.failure());
    }

    @Test
    void stopAfterThisFrameEndsTheParseWithTheFrameTaken()
    {
        final Wire wire = new Wire();
        final LinkProtocol s = protocol(LinkMac.off(), false);
        wire.send(s, payload(1, 8));
        wire.send(s, payload(2, 8));
        final LinkProtocol r = protocol(LinkMac.off(), true);
        final Buffer in = new Buffer();
        in.append(wire.bytes(), 0, wire.bytes().length);
        assertEquals(1, r.parse(in.view, in.macView, 0, in.end, (b, o, l) ->
        {
            r.stopAfterThisFrame();
            return true;
        }, 10));
        assertFalse(r.stopped());
        assertEquals(4 + 8, r.position());
    }

    private void handshake(final LinkProtocol client, final LinkProtocol server)
    {
        final Buffer a = new Buffer();
        a.raw(client.localHello());
        server.parse(a.view, a.macView, 0, a.end, (b, o, l) -> true, 10);
        final Buffer b = new Buffer();
        b.raw(server.localHello());
        client.parse(b.view, b.macView, 0, b.end, (buf, o, l) -> true, 10);
        assertTrue(client.isMacActive() && server.isMacActive());
    }

    private LinkProtocol protocol(final LinkMac mac, final boolean acceptor)
    {
        return new LinkProtocol(mac, LinkMac.KIND_LINK_NORMAL, acceptor, MAX, acceptor ? "agent 1" : "agent 2",
            "agent link ", counters, RouterCounter.LINK_MAC_REJECTED_NORMAL, RouterCounter.LINK_FRAMES_REJECTED);
    }

    private static LinkProtocol.FrameSink collect(final List<byte[]> into)
    {
        return (buffer, offset, length) ->
        {
            final byte[] b = new byte[length];
            buffer.getBytes(offset, b);
            into.add(b);
            return true;
        };
    }

    private static byte[] payload(final int seed, final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)(seed * 31 + i);
        }
        return b;
    }

    /** A receive or send buffer: a native segment with the two views a mover keeps. */
    private final class Buffer
    {
        final MemorySegment segment = arena.allocate(4096, 8);
        final SegmentBuffer view = new SegmentBuffer(segment);
        final ByteBuffer macView = segment.asByteBuffer();
        int end;

        void append(final byte[] bytes, final int offset, final int length)
        {
            view.putBytes(end, bytes, offset, length);
            end += length;
        }

        void putInt(final int value)
        {
            view.putInt(end, value, ByteOrder.LITTLE_ENDIAN);
            end += 4;
        }

        void raw(final byte[] frame)
        {
            end += LinkProtocol.writeRaw(segment, end, frame);
        }

        void frame(final LinkProtocol sender, final byte[] frame)
        {
            view.putBytes(end + LinkProtocol.LENGTH_PREFIX, frame);
            end += sender.seal(segment, macView, end, frame.length);
        }
    }

    /** Records one sender produced, as bytes on the wire. */
    private final class Wire
    {
        final Buffer buffer = new Buffer();

        void send(final LinkProtocol sender, final byte[] frame)
        {
            buffer.frame(sender, frame);
        }

        byte[] bytes()
        {
            final byte[] b = new byte[buffer.end];
            buffer.view.getBytes(0, b);
            return b;
        }
    }
}
