/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import dev.switchboard.codecs.JvmFlags;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron IPC: each side's Aeron client publishes to and subscribes from {@code aeron:ipc} logs that an embedded media
 * driver creates under {@link CaseEnv#shmDir()}. It measures Aeron's shared-memory path as an Aeron user gets it:
 * the publisher copies the message into the log, the subscriber reads it in place; the driver is off the data path
 * and only moves the publication limit.
 *
 * <h2>Streams</h2>
 * Stream {@value #TO_RESPONDER_STREAM_ID} carries initiator to responder: every producer adds its own
 * (concurrent) publication, and Aeron lets all non-exclusive IPC publications of one stream share one log, so the
 * responder sees one image with each producer's messages in its order. Stream {@value #TO_INITIATOR_STREAM_ID}
 * carries responder to initiator and only producer 0 subscribes to it: an IPC publication is flow-controlled by its
 * slowest subscriber, so a subscriber that never polls would stall it.
 *
 * <h2>Settings and why</h2>
 * <ul>
 *   <li>Driver: {@link ThreadingMode#SHARED} (one thread for conductor, sender and receiver) with
 *       {@link BackoffIdleStrategy} (10 spins, 5 yields, then parks of 1 µs to 1 ms; Aeron's own default idle
 *       strategy): the machine this runs on has 2 vCPUs, which both sides already busy-spin on, and an IPC driver has
 *       almost nothing to do. A dedicated busy-spinning driver would steal a CPU from the measured threads.</li>
 *   <li>IPC term length {@value #IPC_TERM_LENGTH} bytes instead of Aeron's 64 MiB: three terms per stream, so
 *       96 MiB of /dev/shm for both streams instead of 384 MiB, and the publication window (half a term, 8 MiB)
 *       is still thousands of times what a ping-pong keeps in flight.</li>
 *   <li>Directory deleted on start and on shutdown; clients wait up to {@link PeerLimits#openTimeoutMs()} for the
 *       driver's CnC file and heartbeat (Aeron's own driver timeout, set to that value).</li>
 *   <li>Each endpoint has its own Aeron client (whose conductor thread sleeps between duty cycles, Aeron's
 *       default) so that it owns and closes what it opened.</li>
 * </ul>
 *
 * <p>Messages longer than the IPC MTU's payload (1,376 bytes by default) are fragmented by the publication and
 * reassembled by a {@link FragmentAssembler}, which passes unfragmented messages straight through.
 *
 * <p>Allocation: none per message. The send buffer is allocated once per endpoint; the fragment handler is a field;
 * the assembler allocates its reassembly buffer once, the first time a message is fragmented.
 */
public final class AeronIpcCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "aeron-ipc";
    /** The channel of both streams. */
    public static final String CHANNEL = "aeron:ipc";
    /** Stream from the initiators to the responder. */
    public static final int TO_RESPONDER_STREAM_ID = 1001;
    /** Stream from the responder to producer 0. */
    public static final int TO_INITIATOR_STREAM_ID = 1002;
    /** Term length of the IPC logs, set on the driver. */
    public static final int IPC_TERM_LENGTH = 16 * 1024 * 1024;
    /** Most producers: each adds its own publication to the shared log of the responder's stream. */
    public static final int MAX_PRODUCERS = 4;

    private static final String AERON_DIR_NAME = "aeron";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "Aeron IPC (aeron:ipc, embedded media driver)";
    }

    @Override
    public Kind kind()
    {
        return Kind.PEER;
    }

    @Override
    public int maxProducers()
    {
        return MAX_PRODUCERS;
    }

    @Override
    public List<String> jvmOptions()
    {
        // Agrona 2.x (under Aeron) reaches jdk.internal.misc.Unsafe.
        return JvmFlags.of(JvmFlags.Group.AGRONA);
    }

    @Override
    public boolean needsServer()
    {
        return true;
    }

    /**
     * Launch the media driver; it runs until the returned driver is closed (which deletes its directory).
     *
     * @param env the case's environment.
     * @return the driver.
     */
    @Override
    public AutoCloseable startServer(final CaseEnv env)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectory(env).toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(
                BackoffIdleStrategy.DEFAULT_MAX_SPINS,
                BackoffIdleStrategy.DEFAULT_MAX_YIELDS,
                BackoffIdleStrategy.DEFAULT_MIN_PARK_PERIOD_NS,
                BackoffIdleStrategy.DEFAULT_MAX_PARK_PERIOD_NS))
            .ipcTermBufferLength(IPC_TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        return MediaDriver.launch(context);
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env) throws Exception
    {
        final Aeron aeron = connect(env);
        try
        {
            final Subscription subscription = aeron.addSubscription(CHANNEL, TO_RESPONDER_STREAM_ID);
            final Publication publication = aeron.addPublication(CHANNEL, TO_INITIATOR_STREAM_ID);
            return new Endpoint(aeron, publication, subscription, env.maxPayloadLength());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(aeron);
            throw ex;
        }
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        final Aeron aeron = connect(env);
        try
        {
            final Publication publication = aeron.addPublication(CHANNEL, TO_RESPONDER_STREAM_ID);
            PeerLimits.await(ID, "the responder's subscription to " + CHANNEL + " stream " + TO_RESPONDER_STREAM_ID,
                publication::isConnected);
            Subscription subscription = null;
            if (producerIndex == 0)
            {
                subscription = aeron.addSubscription(CHANNEL, TO_INITIATOR_STREAM_ID);
                final Subscription awaited = subscription;
                PeerLimits.await(ID, "the responder's publication on " + CHANNEL + " stream " + TO_INITIATOR_STREAM_ID,
                    awaited::isConnected);
            }
            return new Endpoint(aeron, publication, subscription, env.maxPayloadLength());
        }
        catch (final Exception ex)
        {
            CloseHelper.quietClose(aeron);
            throw ex;
        }
    }

    static Path aeronDirectory(final CaseEnv env)
    {
        return env.shmDir().resolve(AERON_DIR_NAME).toAbsolutePath();
    }

    private static Aeron connect(final CaseEnv env) throws TimeoutException
    {
        final Path dir = aeronDirectory(env);
        final Aeron.Context context = new Aeron.Context()
            .aeronDirectoryName(dir.toString())
            .driverTimeoutMs(PeerLimits.openTimeoutMs());
        try
        {
            return Aeron.connect(context);
        }
        catch (final DriverTimeoutException ex)
        {
            final TimeoutException timeout = new TimeoutException(ID + ": no Aeron media driver in " + dir + " after " +
                PeerLimits.openTimeoutMs() + " ms (" + PeerLimits.OPEN_TIMEOUT_MS_PROP +
                "); the case's server process starts it: is it running? " + ex.getMessage());
            timeout.initCause(ex);
            throw timeout;
        }
    }

    /**
     * One side: a publication to the other side, and (on the responder and producer 0) a subscription from it.
     * Thread-safety: one thread. Allocation: none per message.
     */
    private static final class Endpoint implements BenchEndpoint, FragmentHandler
    {
        private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

        private final Aeron aeron;
        private final Publication publication;
        private final Subscription subscription;
        private final FragmentAssembler assembler = new FragmentAssembler(this);
        private final UnsafeBuffer sendBuffer;
        // Set for the duration of one poll: the assembler calls onFragment, which forwards to it.
        private Inbound inbound;
        private int delivered;

        Endpoint(final Aeron aeron, final Publication publication, final Subscription subscription,
            final int maxPayloadLength)
        {
            this.aeron = aeron;
            this.publication = publication;
            this.subscription = subscription;
            this.sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                Math.max(maxPayloadLength, Payload.MIN_LENGTH), 64));
        }

        @Override
        public boolean offer(final long stamp, final long seq, final int kind, final int length)
        {
            final UnsafeBuffer buffer = sendBuffer;
            buffer.putLong(Payload.STAMP_OFFSET, stamp, ORDER);
            buffer.putLong(Payload.SEQ_OFFSET, seq, ORDER);
            buffer.putInt(Payload.KIND_OFFSET, kind, ORDER);
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION ||
                result == Publication.NOT_CONNECTED)
            {
                return false;
            }
            throw new IllegalStateException(ID + ": publication on stream " + publication.streamId() +
                " cannot take messages any more: " + Publication.errorString(result));
        }

        @Override
        public int poll(final Inbound handler)
        {
            if (subscription == null)
            {
                return 0;
            }
            inbound = handler;
            delivered = 0;
            subscription.poll(assembler, PeerLimits.POLL_LIMIT);
            return delivered;
        }

        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            delivered++;
            inbound.onMessage(
                buffer.getLong(offset + Payload.STAMP_OFFSET, ORDER),
                buffer.getLong(offset + Payload.SEQ_OFFSET, ORDER),
                buffer.getInt(offset + Payload.KIND_OFFSET, ORDER));
        }

        @Override
        public void close()
        {
            // Closing the client closes its publication and subscription.
            CloseHelper.quietClose(aeron);
        }
    }
}
