/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.codecs.fuzz.FrameMutator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One thread of the socket target's hostile connections ({@link SocketTarget}): it takes batches of inputs until
 * there are none left or the run stops. Each batch draws from the seed how its connection behaves ({@link Mode}),
 * opens it (registers it, attaches its HIGH link), writes the batch's inputs many at a time, waits for the router to
 * close the connection after an input that breaks the framing (and goes on with a new one), and ends with a fence: a
 * Lookup whose answer proves the router handled everything before it. What it sees wrong goes to the target as a
 * finding about its connection.
 * <p>
 * Thread-safety: its own thread; {@link #inFlight} and {@link #lastSent} are read by the target's monitor.
 * Allocation: its buffers once; a connection's objects per connection.
 */
final class SocketDriver implements Runnable
{
    /** How a batch's connections behave. */
    enum Mode
    {
        /** Never registers: the router's handshake state. */
        UNREGISTERED,
        /** Registers first: the inputs carry its agent id. */
        REGISTERED,
        /** Registers, attaches a HIGH link, and sends the inputs on the HIGH link. */
        HIGH
    }

    private static final long BATCH_STREAM = 0xBA7C_4F22_0000_0001L;

    private final SocketTarget target;
    private final FuzzSettings settings;
    private final TargetReport report;
    private final String engine;
    private final long deadlineNs;
    final int id;
    final Thread thread;
    final HostileFrames frames;
    final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    final ByteBuffer controlReceive = ByteBuffer.allocateDirect(RawConnection.RECEIVE_BUFFER_BYTES);
    final ByteBuffer highReceive = ByteBuffer.allocateDirect(RawConnection.RECEIVE_BUFFER_BYTES);
    /** The connection being set up or sending now: what a finding about one connection reproduces. */
    volatile InFlight inFlight;
    /** The last connection that carried inputs: what a finding about the router as a whole reproduces. */
    volatile InFlight lastSent;
    private long pendingInputs;
    private long pendingBytes;
    private long fenceId;

    /**
     * @param target the socket target whose router, settings and report this driver uses.
     * @param id     the driver's number, in its thread's name.
     */
    SocketDriver(final SocketTarget target, final int id)
    {
        this.target = target;
        this.settings = target.settings;
        this.report = target.report;
        this.engine = target.engine;
        this.deadlineNs = target.deadlineNs;
        this.id = id;
        this.thread = new Thread(this, "fuzz-" + engine + "-" + id);
        this.frames = new HostileFrames(settings.seed(), settings.closeEvery(),
            target.routerContext.handshakeBufferBytes(), target.maxFrameLength(), target.expected);
        this.fenceId = (long)id << 48;
    }

    @Override
    public void run()
    {
        try
        {
            for (long batch = target.nextBatch.getAndIncrement(); batch < target.batches && !target.stopping.get();
                batch = target.nextBatch.getAndIncrement())
            {
                runBatch(batch);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            final InFlight flight = inFlight;
            if (flight != null && !target.stopping.get() && !target.routerDying())
            {
                target.connectionFinding(Finding.Kind.CRASH, flight, "the campaign's driver failed: " + e);
            }
            target.abortReason.compareAndSet(null, "driver " + id + " failed: " + e);
        }
    }

    private void runBatch(final long batch) throws IOException
    {
        final long first = batch * settings.batchFrames();
        final long end = Math.min(first + settings.batchFrames(), target.inputs);
        final SplittableRandom random = FrameMutator.randomFor(settings.seed() ^ BATCH_STREAM, batch);
        final int draw = random.nextInt(100);
        final Mode mode = draw < 20 ? Mode.UNREGISTERED :
            draw < 65 || !target.highAvailable ? Mode.REGISTERED : Mode.HIGH;
        long index = first;
        for (int connection = 0; index < end && !target.stopping.get(); connection++)
        {
            final Link link = open(mode, batch, connection, index);
            if (link == null)
            {
                return;
            }
            try
            {
                index = send(link, index, end);
                if (index < 0)
                {
                    return;
                }
            }
            finally
            {
                report.replies.add(link.control.replies() + (link.high == null ? 0 : link.high.replies()));
                link.close();
            }
        }
    }

    /**
     * Send inputs from {@code index} until the batch's end or a closer.
     *
     * @return the next input's index, or -1 if the batch must stop.
     */
    private long send(final Link link, final long from, final long end) throws IOException
    {
        final InFlight flight = new InFlight(engine, link.mode, from / settings.batchFrames(), link.agentId,
            link.name, from);
        inFlight = flight;
        lastSent = flight;
        out.clear();
        pendingInputs = 0;
        pendingBytes = 0;
        for (long index = from; index < end && !target.stopping.get(); )
        {
            final int kind = frames.next(index, link.agentId);
            final int length = frames.recordLength();
            if (out.remaining() < length && !flush(link, flight))
            {
                return -1;
            }
            out.put(frames.record().byteArray(), 0, length);
            flight.last = index;
            index++;
            pendingInputs++;
            pendingBytes += length;
            if (kind == HostileFrames.CLOSER)
            {
                report.closesExpected.increment();
                if (!flush(link, flight))
                {
                    return -1;
                }
                if (link.target.awaitClosedByPeer(System.nanoTime() + deadlineNs))
                {
                    report.closedAsExpected.increment();
                }
                else
                {
                    target.connectionFinding(Finding.Kind.WRONG, flight, "the router kept a connection open for " +
                        settings.deadlineMs() + " ms after its framing broke (input " + (index - 1) + ")");
                }
                return index;
            }
        }
        if (!flush(link, flight) || !fence(link, flight))
        {
            return -1;
        }
        return end;
    }

    /**
     * Write the inputs gathered; they count as run once the router took them all.
     */
    private boolean flush(final Link link, final InFlight flight) throws IOException
    {
        out.flip();
        final int status = link.target.write(out, System.nanoTime() + deadlineNs);
        out.clear();
        if (status == RawConnection.WRITTEN)
        {
            report.inputs.add(pendingInputs);
            report.frames.add(pendingInputs);
            report.bytes.add(pendingBytes);
        }
        pendingInputs = 0;
        pendingBytes = 0;
        return checkWrite(status, link, flight);
    }

    private boolean checkWrite(final int status, final Link link, final InFlight flight)
    {
        final String broken = link.control.brokenReply() != null ? link.control.brokenReply() :
            link.high != null ? link.high.brokenReply() : null;
        if (broken != null)
        {
            target.connectionFinding(Finding.Kind.WRONG, flight, broken);
            return false;
        }
        if (status == RawConnection.WRITTEN)
        {
            return true;
        }
        if (status == RawConnection.PEER_CLOSED)
        {
            target.unexpectedCloses.incrementAndGet();
            target.connectionFinding(Finding.Kind.WRONG, flight, "the router closed a well-framed connection; its " +
                "last error: '" + link.control.lastErrorText() + "'");
        }
        else
        {
            target.connectionFinding(Finding.Kind.HANG, flight, "the router took no bytes on this connection for " +
                settings.deadlineMs() + " ms");
        }
        return false;
    }

    /**
     * A Lookup after the inputs, on the link they went on; its answer (on the control connection) proves that the
     * router handled them all. The router drops answers that find the connection's send buffer full (counted as
     * refused control requests; the hostile frames' errors fill it), so it is asked again, after 10 ms, then
     * twice as long each time up to half a second.
     */
    private boolean fence(final Link link, final InFlight flight) throws IOException
    {
        final long deadline = System.nanoTime() + deadlineNs;
        long waitNs = TimeUnit.MILLISECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0)
        {
            final long correlationId = ++fenceId;
            final int status = link.target.writeFrame(HostileFrames.lookup(correlationId, "fz-fence"), deadline);
            report.frames.increment();
            if (!checkWrite(status, link, flight))
            {
                return false;
            }
            if (link.control.awaitLookupResult(correlationId, Math.min(deadline, System.nanoTime() + waitNs)))
            {
                target.fences.incrementAndGet();
                return true;
            }
            waitNs = Math.min(2 * waitNs, TimeUnit.MILLISECONDS.toNanos(500));
            target.fencesRepeated.incrementAndGet();
            if (!link.control.isOpen() || !link.target.isOpen())
            {
                target.unexpectedCloses.incrementAndGet();
                target.connectionFinding(Finding.Kind.WRONG, flight, "the router closed a well-framed connection " +
                    "before answering its fence; its last error: '" + link.control.lastErrorText() + "'");
                return false;
            }
        }
        target.connectionFinding(Finding.Kind.HANG, flight, "the router did not answer a lookup after these inputs " +
            "within " + settings.deadlineMs() + " ms (" + link.control.replies() + " replies on the connection, " +
            "the last error '" + link.control.lastErrorText() + "')");
        return false;
    }

    /**
     * Open a connection for a batch: register it and attach its HIGH link as its mode says.
     *
     * @return the link, or null if it could not be set up (a finding says why).
     */
    private Link open(final Mode mode, final long batch, final int connection, final long index) throws IOException
    {
        final String name = mode == Mode.UNREGISTERED ? "" : "fz-" + engine + "-" + batch + "-" + connection;
        final InFlight preamble = new InFlight(engine, mode, batch, 0, name, index);
        inFlight = preamble;
        final RawConnection control;
        try
        {
            control = RawConnection.open(target.ipc.socketPath(), controlReceive);
        }
        catch (final IOException e)
        {
            target.connectionFinding(Finding.Kind.WRONG, preamble, "cannot connect to the router: " + e);
            target.abortReason.compareAndSet(null, "cannot connect: " + e);
            return null;
        }
        report.connections.increment();
        final Link link = new Link(mode, control, name);
        if (mode == Mode.UNREGISTERED)
        {
            return link;
        }
        final long deadline = System.nanoTime() + deadlineNs;
        report.frames.increment();
        if (!checkWrite(control.writeFrame(HostileFrames.register(batch, name, 60_000), deadline), link, preamble))
        {
            link.close();
            return null;
        }
        link.agentId = control.awaitRegistered(deadline);
        if (link.agentId == 0)
        {
            target.connectionFinding(control.isOpen() ? Finding.Kind.HANG : Finding.Kind.WRONG, preamble,
                "the router did not register '" + name + "': " + (control.isOpen() ? "no answer within " +
                settings.deadlineMs() + " ms" : "it closed the connection") + "; last error: '" +
                control.lastErrorText() + "'");
            link.close();
            return null;
        }
        if (mode == Mode.HIGH)
        {
            link.high = RawConnection.open(target.ipc.highSocketPath(), highReceive);
            report.connections.increment();
            link.high.companion(control);
            control.companion(link.high);
            link.target = link.high;
            report.frames.increment();
            if (!checkWrite(link.high.writeFrame(HostileFrames.heartbeat(link.agentId), deadline), link,
                preamble))
            {
                link.close();
                return null;
            }
        }
        return link;
    }

    /**
     * A connection's inputs in flight: enough to generate its bytes again and to say how they were sent.
     */
    static final class InFlight
    {
        final String engine;
        final Mode mode;
        final long batch;
        final long agentId;
        final String agentName;
        final long first;
        volatile long last;

        InFlight(
            final String engine, final Mode mode, final long batch, final long agentId, final String agentName,
            final long first)
        {
            this.engine = engine;
            this.mode = mode;
            this.batch = batch;
            this.agentId = agentId;
            this.agentName = agentName;
            this.first = first;
            this.last = first - 1;
        }

        String describe()
        {
            return "engine " + engine + ", batch " + batch + ", inputs " + first + ".." + last + ", " +
                switch (mode)
                {
                    case UNREGISTERED -> "on a control connection that never registered";
                    case REGISTERED -> "on a control connection registered as '" + agentName + "' (agent " +
                        agentId + ")";
                    case HIGH -> "on a HIGH link attached (a Heartbeat) for agent " + agentId + " ('" + agentName +
                        "', registered on its own control connection)";
                } + "; each record is a little-endian int32 length and the frame";
        }
    }

    /**
     * A hostile agent's connections: its control connection, and its HIGH link when it has one.
     */
    private static final class Link implements AutoCloseable
    {
        final Mode mode;
        final RawConnection control;
        final String name;
        RawConnection high;
        RawConnection target;
        long agentId;

        Link(final Mode mode, final RawConnection control, final String name)
        {
            this.mode = mode;
            this.control = control;
            this.name = name;
            this.target = control;
        }

        @Override
        public void close() throws IOException
        {
            try
            {
                if (high != null)
                {
                    high.close();
                }
            }
            finally
            {
                control.close();
            }
        }
    }
}
