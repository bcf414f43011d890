/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.transport.OfferStatus;

/**
 * One side of a C row: a C agent ({@code sbx_bench.c} on libswitchboard, through {@link CBenchLibrary}) registered with
 * the case's router, sending CRITICAL through a destination resolved once (the other side's inbox, mapped by the C
 * library) and waiting with libswitchboard's default idle strategy (spin 200 µs, then park on the inbox's futex word:
 * the Java client's default, {@code spin-park}).
 *
 * <p>Allocation: none per message (the poll's output array is native memory allocated at open).
 */
final class CEndpoint implements BenchEndpoint
{
    private static final long FIND_PEER_NS = TimeUnit.SECONDS.toNanos(20);

    private final CBenchLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment received;
    private final String role;
    private boolean closed;

    private CEndpoint(final CBenchLibrary lib, final MemorySegment handle, final String role)
    {
        this.lib = lib;
        this.handle = handle;
        this.role = role;
        this.received = arena.allocate(ValueLayout.JAVA_LONG, 3L * POLL_LIMIT);
    }

    /**
     * Connect a C agent to the router of {@code socketPath} and register it.
     *
     * @param lib        the library.
     * @param socketPath the router's control socket.
     * @param shmDir     where inboxes live.
     * @param name       the agent's name.
     * @param leaseMs    its lease.
     * @param role       "responder" or "initiator", for the report.
     * @return the endpoint, registered; without a destination yet.
     */
    static CEndpoint open(
        final CBenchLibrary lib, final String socketPath, final String shmDir, final String name, final int leaseMs,
        final String role)
    {
        try (Arena strings = Arena.ofConfined())
        {
            final MemorySegment h = (MemorySegment)lib.open.invokeExact(strings.allocateFrom(socketPath),
                strings.allocateFrom(shmDir), strings.allocateFrom(name), leaseMs);
            if (MemorySegment.NULL.equals(h))
            {
                throw new IllegalStateException("C agent " + name + ": " + lib.lastError());
            }
            return new CEndpoint(lib, h, role);
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Wait until an agent of that name registered, then resolve the CRITICAL destination to it (the C library maps its
     * inbox).
     *
     * @param peerName the other side's agent name.
     */
    void connectTo(final String peerName)
    {
        try (Arena strings = Arena.ofConfined())
        {
            final MemorySegment name = strings.allocateFrom(peerName);
            final long deadline = System.nanoTime() + FIND_PEER_NS;
            long id;
            while ((id = (long)lib.lookup.invokeExact(handle, name)) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no agent named " + peerName + " registered within " +
                        TimeUnit.NANOSECONDS.toSeconds(FIND_PEER_NS) + " s");
                }
                Thread.sleep(1);
            }
            if (id < 0)
            {
                throw new IllegalStateException("lookup of " + peerName + ": " + lib.lastError());
            }
            final int result = (int)lib.destination.invokeExact(handle, id);
            if (result < 0)
            {
                throw new IllegalStateException("destination " + peerName + ": " + lib.lastError());
            }
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public boolean offer(final long stamp, final long seq, final int kind, final int length)
    {
        final int status;
        try
        {
            status = (int)lib.offer.invokeExact(handle, stamp, seq, kind, length);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
        if (status < 0)
        {
            throw new IllegalStateException("C " + role + ": sb_send returned " + OfferStatus.name(status));
        }
        return status == 1;
    }

    @Override
    public int poll(final Inbound handler)
    {
        final int count;
        try
        {
            count = (int)lib.poll.invokeExact(handle, received, POLL_LIMIT);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
        if (count < 0)
        {
            throw new IllegalStateException("C " + role + ": sb_poll returned " + OfferStatus.name(count) +
                " (" + lib.lastError() + ")");
        }
        for (int i = 0; i < count; i++)
        {
            final long base = 3L * i * Long.BYTES;
            handler.onMessage(received.get(ValueLayout.JAVA_LONG, base),
                received.get(ValueLayout.JAVA_LONG, base + Long.BYTES),
                (int)received.get(ValueLayout.JAVA_LONG, base + 2 * Long.BYTES));
        }
        return count;
    }

    @Override
    public void idle(final int workCount)
    {
        try
        {
            lib.idle.invokeExact(handle, workCount);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public List<String> notes()
    {
        int state;
        try
        {
            state = (int)lib.isDirect.invokeExact(handle);
        }
        catch (final Throwable t)
        {
            state = -2;
        }
        final String destination = switch (state)
        {
            case 1 -> "direct (inbox)";
            case 0 -> "through the router";
            case -1 -> "none resolved";
            default -> "unknown";
        };
        return List.of("C " + role + " (libswitchboard through FFM): destination " + destination);
    }

    @Override
    public List<String> settings()
    {
        return List.of("C " + role + ": libswitchboard sb_send/sb_poll/sb_idle through FFM downcalls (sbx_bench.c)",
            "C " + role + " idle: libswitchboard's default, spin-park (spin 200 µs, then futex park)");
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                lib.close.invokeExact(handle);
            }
            catch (final Throwable ignored)
            {
                // closing: nothing left to do with the error
            }
            arena.close();
        }
    }
}
