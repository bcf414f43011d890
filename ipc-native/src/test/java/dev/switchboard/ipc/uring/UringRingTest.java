package dev.switchboard.ipc.uring;

import dev.switchboard.ipc.uring.liburing.liburing_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.switchboard.ipc.process.ProcessContext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The io_uring plumbing other engines build on, against the real kernel: setup modes and their fallback, a
 * SINGLE_ISSUER ring handed to the thread that polls it, provided buffer rings with multishot receive (including
 * running out of buffers and the end of stream), deferred completions posted only on entry, and the op probe.
 */
class UringRingTest
{
    private static final long USER_DATA = 0x77;

    private Arena arena;
    private int[] pair;

    @BeforeEach
    void setUp()
    {
        assumeTrue(UringProbe.probe().available(), UringProbe.probe().reason());
        arena = Arena.ofConfined();
        pair = socketPair();
    }

    @AfterEach
    void tearDown()
    {
        if (pair != null)
        {
            UnixSocket.closeQuietly(pair[0]);
            UnixSocket.closeQuietly(pair[1]);
        }
        if (arena != null)
        {
            arena.close();
        }
    }

    @Test
    void theStrongestModeThisKernelAcceptsRunsAndTheDiagnosticSaysWhich()
    {
        try (UringRing ring = UringRing.create(8, 0, UringRing.CompletionMode.DEFERRED))
        {
            // Kernel 6.1+ has DEFER_TASKRUN; the sandbox runs 6.18. Elsewhere the fallback must still say why.
            assertEquals(UringRing.CompletionMode.DEFERRED, ring.mode(), ring.setupDiagnostic());
            assertEquals("io_uring DEFERRED (TASKRUN_FLAG|SINGLE_ISSUER|DEFER_TASKRUN)", ring.setupDiagnostic());
        }
        try (UringRing ring = UringRing.create(8, 0))
        {
            assertEquals(UringRing.CompletionMode.INTERRUPT, ring.mode());
        }
    }

    @Test
    void thePropertyCapsTheModeAndTheDiagnosticSaysSo()
    {
        final String before = System.getProperty(UringRing.MODE_PROP);
        System.setProperty(UringRing.MODE_PROP, "cooperative");
        try (UringRing ring = UringRing.create(8, 0, UringRing.CompletionMode.DEFERRED, new ProcessContext()))
        {
            assertEquals(UringRing.CompletionMode.COOPERATIVE, ring.mode());
            assertTrue(ring.setupDiagnostic().contains("capped by -Dswitchboard.uring.mode=cooperative"),
                ring.setupDiagnostic());
        }
        finally
        {
            restore(before);
        }
        System.setProperty(UringRing.MODE_PROP, "sometimes");
        try
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UringRing.create(8, 0, UringRing.CompletionMode.DEFERRED, new ProcessContext()));
            assertEquals("switchboard.uring.mode must be deferred, cooperative or interrupt: sometimes", e.getMessage());
        }
        finally
        {
            restore(before);
        }
    }

    @Test
    void aSingleIssuerRingBelongsToTheFirstThreadThatSubmitsNotToItsCreator() throws Exception
    {
        try (UringRing ring = UringRing.create(8, 0, UringRing.CompletionMode.DEFERRED))
        {
            assertNull(ring.owner(), "created disabled: nobody owns it yet");
            final AtomicReference<Object> result = new AtomicReference<>();
            final Thread poller = new Thread(() ->
            {
                try
                {
                    ring.prepNop(ring.nextSqe(), USER_DATA);
                    ring.submit();
                    final long[] seen = new long[1];
                    while (0 == ring.reap((userData, res, flags) -> seen[0] = userData))
                    {
                        ring.awaitCompletion(10_000_000L);
                    }
                    result.set(seen[0]);
                }
                catch (final Throwable t)
                {
                    result.set(t);
                }
            }, "poller");
            poller.start();
            poller.join(10_000);
            assertEquals(USER_DATA, result.get());
            assertEquals(poller, ring.owner());

            ring.prepNop(ring.nextSqe(), USER_DATA);
            final IllegalStateException e = assertThrows(IllegalStateException.class, ring::submit);
            assertTrue(e.getMessage().contains("owned by thread 'poller'"), e.getMessage());
        }
    }

    @Test
    void multishotReceiveFillsProvidedBuffersUntilTheyRunOutThenIsReArmedAndEndsAtEndOfStream()
    {
        try (UringRing ring = UringRing.create(8, 64, UringRing.CompletionMode.DEFERRED))
        {
            final UringBufferRing buffers = UringBufferRing.register(ring, 3, 4, 64);
            ring.prepRecvMultishot(ring.nextSqe(), pair[0], buffers.groupId(), USER_DATA);
            ring.submit();

            final List<int[]> cqes = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                write(pair[1], message(i, 10 + i));
                cqes.add(next(ring));
                final int[] c = cqes.get(i);
                assertEquals(10 + i, c[0], "bytes of message " + i);
                assertTrue(0 != (c[1] & liburing_h.IORING_CQE_F_MORE()), "still armed after message " + i);
                final int bid = UringBufferRing.bufferId(c[1]);
                assertTrue(bid >= 0 && bid < 4);
                final byte[] got = new byte[c[0]];
                MemorySegment.copy(buffers.buffers(), ValueLayout.JAVA_BYTE, buffers.offset(bid), got, 0, got.length);
                assertArrayEquals(message(i, 10 + i), got);
                buffers.recycle(bid);
                buffers.publish();
            }

            // Hold every buffer: the fifth receive finds none, and the multishot request ends with ENOBUFS.
            final List<Integer> held = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                write(pair[1], message(100 + i, 8));
                final int[] c = next(ring);
                assertEquals(8, c[0]);
                held.add(UringBufferRing.bufferId(c[1]));
            }
            write(pair[1], message(200, 8));
            final int[] starved = next(ring);
            assertEquals(-liburing_h.ENOBUFS(), starved[0]);
            assertEquals(0, starved[1] & liburing_h.IORING_CQE_F_MORE(), "ENOBUFS ends the multishot receive");

            for (final int bid : held)
            {
                buffers.recycle(bid);
            }
            buffers.publish();
            ring.prepRecvMultishot(ring.nextSqe(), pair[0], buffers.groupId(), USER_DATA);
            ring.submit();
            final int[] resumed = next(ring);
            assertEquals(8, resumed[0], "the bytes that waited in the socket arrive once re-armed");

            UnixSocket.closeQuietly(pair[1]);
            pair[1] = -1;
            final int[] eof = next(ring);
            assertEquals(0, eof[0], "end of stream");
            assertEquals(0, eof[1] & liburing_h.IORING_CQE_F_MORE());
        }
    }

    @Test
    void deferredCompletionsAreFlaggedAndReachTheQueueOnlyWhenTheOwnerEnters()
    {
        try (UringRing ring = UringRing.create(8, 0, UringRing.CompletionMode.DEFERRED))
        {
            final UringBufferRing buffers = UringBufferRing.register(ring, 1, 2, 64);
            ring.prepRecvMultishot(ring.nextSqe(), pair[0], buffers.groupId(), USER_DATA);
            ring.submit();
            assertFalse(ring.hasPendingCompletions());

            write(pair[1], message(1, 5));
            assertFalse(ring.hasCompletions(), "deferred: not posted without an entry into the kernel");
            assertTrue(ring.hasPendingCompletions(), "but flagged (IORING_SQ_TASKRUN)");
            final long enters = ring.enterCalls();
            ring.submit();
            assertEquals(enters + 1, ring.enterCalls(), "submit enters because of the flag");
            assertTrue(ring.hasCompletions());
            assertEquals(5, next(ring)[0]);
            assertFalse(ring.hasPendingCompletions());
            ring.submit();
            assertEquals(enters + 1, ring.enterCalls(), "nothing to submit or post: no system call");
        }
    }

    @Test
    void theOpProbeListsWhatTheKernelRuns()
    {
        try (UringRing ring = UringRing.create(4, 0))
        {
            final boolean[] ops = ring.supportedOps();
            assertTrue(ops.length > liburing_h.IORING_OP_RECV(), "probe covers RECV: " + ops.length);
            assertTrue(ops[liburing_h.IORING_OP_NOP()]);
            assertTrue(ops[liburing_h.IORING_OP_RECV()]);
            assertTrue(ops[liburing_h.IORING_OP_SEND()]);
            assertTrue(ops[liburing_h.IORING_OP_WRITE_FIXED()]);
        }
    }

    private int[] next(final UringRing ring)
    {
        final int[] cqe = new int[3];
        final boolean[] got = new boolean[1];
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!got[0])
        {
            ring.submit();
            ring.reap((userData, res, flags) ->
            {
                if (!got[0])
                {
                    cqe[0] = res;
                    cqe[1] = flags;
                    got[0] = true;
                }
                else
                {
                    throw new AssertionError("one completion at a time expected, got another: " + res);
                }
            });
            if (!got[0])
            {
                assertTrue(System.nanoTime() < deadline, "no completion within 10 s");
                ring.awaitCompletion(1_000_000L);
            }
        }
        return cqe;
    }

    private static byte[] message(final int seed, final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)(seed + i);
        }
        return b;
    }

    private void write(final int fd, final byte[] bytes)
    {
        final MemorySegment buf = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
        assertEquals(bytes.length, liburing_h.write(liburing_h.allocateErrno(arena), fd, buf, bytes.length));
    }

    private int[] socketPair()
    {
        final MemorySegment sv = arena.allocate(ValueLayout.JAVA_INT, 2);
        assertEquals(0, liburing_h.socketpair(liburing_h.allocateErrno(arena), liburing_h.AF_UNIX(),
            liburing_h.SOCK_STREAM() | liburing_h.SOCK_CLOEXEC(), 0, sv));
        return new int[] {sv.getAtIndex(ValueLayout.JAVA_INT, 0), sv.getAtIndex(ValueLayout.JAVA_INT, 1)};
    }

    private static void restore(final String before)
    {
        if (before == null)
        {
            System.clearProperty(UringRing.MODE_PROP);
        }
        else
        {
            System.setProperty(UringRing.MODE_PROP, before);
        }
    }
}
