/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.CrossHost;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import dev.switchboard.codecs.JvmFlags;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * Aeron over UDP between two hosts: the initiator in one network namespace, the responder in another, joined by veth
 * pairs through a bridge ({@link CrossHost}). Each side embeds its own media driver (as each host of a real deployment
 * runs its own) and its Aeron client publishes unicast to the other host's address and subscribes on its own. It is
 * Aeron's own UDP ping/pong as an Aeron user gets it, and the anchor the Switchboard cross-host case (routers bridged
 * over Aeron UDP) is measured beside.
 *
 * <h2>Streams</h2>
 * Stream {@value #TO_RESPONDER_STREAM_ID} carries initiator to responder on
 * {@code aeron:udp?endpoint=<responder>:}{@value #RESPONDER_PORT}; stream {@value #TO_INITIATOR_STREAM_ID} carries
 * responder to initiator on {@code aeron:udp?endpoint=<initiator>:}{@value #INITIATOR_PORT}. One producer: a unicast
 * publication has one subscriber host, and the throughput phase measures one stream.
 *
 * <h2>Settings and why</h2>
 * <ul>
 *   <li>Each side's driver: {@link ThreadingMode#SHARED} (conductor, sender and receiver on one thread) with
 *       a yielding idle strategy ({@link ActiveYieldingIdleStrategy}: it parks instead while its endpoint's process
 *       holds between rounds), and each endpoint yields ({@link Thread#yield()}) after a poll that found
 *       nothing instead of spinning. Over UDP the driver is on the data path (it sends and receives the datagrams),
 *       and on the 2 vCPUs this runs on each measuring thread is pinned to a CPU that its driver's thread must share.
 *       Tried in a smoke run here (2,000 round trips of 32 B, load about 5): Aeron's default
 *       {@code BackoffIdleStrategy} on the driver with spinning endpoints gave an RTT p50 of 3.67 ms (the driver waits
 *       for the scheduler's tick to get a CPU); yielding on both, 33.6 µs. With 4 CPUs or more, dedicated busy-spinning
 *       drivers would be Aeron's low-latency set-up; this harness does not choose it.</li>
 *   <li>Term length {@value #TERM_LENGTH} bytes (Aeron's default for network publications) and Aeron's default MTU
 *       (1,408 bytes), socket buffers and flow control (a unicast publication is limited by its receiver's
 *       window).</li>
 *   <li>Each driver's directory is {@code aeron-<role>} in the case's shared-memory directory, deleted on start and on
 *       close.</li>
 * </ul>
 *
 * <p>Allocation: none per message. The send buffer is allocated once per endpoint; the fragment handler is a field.
 */
public final class AeronUdpCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "aeron-udp";
    /** The responder's UDP port (on its host's address). */
    public static final int RESPONDER_PORT = 40456;
    /** The initiator's UDP port (on its host's address). */
    public static final int INITIATOR_PORT = 40457;
    /** Stream from the initiator to the responder. */
    public static final int TO_RESPONDER_STREAM_ID = 1101;
    /** Stream from the responder to the initiator. */
    public static final int TO_INITIATOR_STREAM_ID = 1102;
    /** Term length of the network publications. */
    public static final int TERM_LENGTH = 16 * 1024 * 1024;

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "Aeron UDP between two hosts (network namespaces over veth, embedded media driver on each)";
    }

    @Override
    public Kind kind()
    {
        return Kind.PEER;
    }

    @Override
    public List<String> jvmOptions()
    {
        // Agrona 2.x (under Aeron) reaches jdk.internal.misc.Unsafe.
        return JvmFlags.of(JvmFlags.Group.AGRONA);
    }

    @Override
    public String unavailableReason()
    {
        return CrossHost.unavailableReason();
    }

    @Override
    public AutoCloseable setUp(final CaseEnv env, final Path logDir) throws Exception
    {
        return CrossHost.create(env);
    }

    @Override
    public List<String> commandPrefix(final CaseEnv env, final String role)
    {
        return CrossHost.of(env).commandPrefix(role);
    }

    /**
     * @param address a host's address.
     * @param port    its port.
     * @return the unicast channel to it.
     */
    public static String channel(final String address, final int port)
    {
        return "aeron:udp?endpoint=" + address + ":" + port;
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env) throws Exception
    {
        final CrossHost hosts = CrossHost.of(env);
        return open(env, "responder", channel(hosts.responderAddress(), RESPONDER_PORT), TO_RESPONDER_STREAM_ID,
            channel(hosts.initiatorAddress(), INITIATOR_PORT), TO_INITIATOR_STREAM_ID, false);
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        if (producerIndex != 0)
        {
            throw new IllegalArgumentException(ID + " has one producer, was asked for producer " + producerIndex);
        }
        final CrossHost hosts = CrossHost.of(env);
        return open(env, "initiator", channel(hosts.initiatorAddress(), INITIATOR_PORT), TO_INITIATOR_STREAM_ID,
            channel(hosts.responderAddress(), RESPONDER_PORT), TO_RESPONDER_STREAM_ID, true);
    }

    private static BenchEndpoint open(
        final CaseEnv env, final String role, final String subscribeChannel, final int subscribeStream,
        final String publishChannel, final int publishStream, final boolean awaitConnected) throws Exception
    {
        final Path dir = env.shmDir().resolve("aeron-" + role).toAbsolutePath();
        final ActiveYieldingIdleStrategy idle = new ActiveYieldingIdleStrategy();
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle)
            .publicationTermBufferLength(TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        Aeron aeron = null;
        try
        {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())
                .driverTimeoutMs(PeerLimits.openTimeoutMs()));
            final Subscription subscription = aeron.addSubscription(subscribeChannel, subscribeStream);
            final Publication publication = aeron.addPublication(publishChannel, publishStream);
            if (awaitConnected)
            {
                // The responder subscribed before it said READY: its side is there once our publication connects.
                PeerLimits.await(ID, "the responder's subscription on " + publishChannel, publication::isConnected);
                PeerLimits.await(ID, "the responder's publication to " + subscribeChannel, subscription::isConnected);
            }
            return new Endpoint(driver, aeron, publication, subscription, idle, env.maxPayloadLength());
        }
        catch (final Exception ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
    }

    /**
     * One side: its driver, a publication to the other host and a subscription on its own. Thread-safety: one thread.
     * Allocation: none per message.
     */
    private static final class Endpoint implements BenchEndpoint, FragmentHandler
    {
        private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

        private final MediaDriver driver;
        private final Aeron aeron;
        private final Publication publication;
        private final Subscription subscription;
        private final FragmentAssembler assembler = new FragmentAssembler(this);
        private final ActiveYieldingIdleStrategy driverIdle;
        private final UnsafeBuffer sendBuffer;
        // Set for the duration of one poll: the assembler calls onFragment, which forwards to it.
        private Inbound inbound;
        private int delivered;

        Endpoint(final MediaDriver driver, final Aeron aeron, final Publication publication,
            final Subscription subscription, final ActiveYieldingIdleStrategy driverIdle, final int maxPayloadLength)
        {
            this.driverIdle = driverIdle;
            this.driver = driver;
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
            driverIdle.endpointPolled();
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
        public void idle(final int workCount)
        {
            if (workCount == 0)
            {
                // Our driver's thread moves the datagrams: let it have this CPU (see the class comment).
                Thread.yield();
            }
        }

        @Override
        public List<String> settings()
        {
            return List.of("media driver: embedded, SHARED threading, yields while the endpoint polls, parks 1 ms " +
                "when it has not for " + ActiveYieldingIdleStrategy.QUIET_IDLES + " idle cycles; the endpoint yields " +
                "when a poll finds nothing",
                "publication: " + publication.channel() + " stream " + publication.streamId(),
                "subscription: " + subscription.channel() + " stream " + subscription.streamId());
        }

        @Override
        public void close()
        {
            // Closing the client closes its publication and subscription; then the driver (which deletes its dir).
            CloseHelper.quietCloseAll(aeron, driver);
        }
    }

    /**
     * The driver's idle strategy: {@link Thread#yield()} while its endpoint polls (the measured phases), a 1-ms park
     * once the endpoint has not polled for {@value #QUIET_IDLES} idle cycles (its process holds while the other
     * cases of its group run their rounds: a driver yielding all that time would take CPU from them). The endpoint's
     * thread bumps a counter on each poll (an opaque write, no fence); the driver's thread reads it when idle.
     */
    static final class ActiveYieldingIdleStrategy implements IdleStrategy
    {
        /** Idle cycles without a poll of the endpoint before the driver parks. */
        static final int QUIET_IDLES = 100_000;
        private static final long PARK_NS = 1_000_000;
        private static final VarHandle POLLS;

        static
        {
            try
            {
                POLLS = MethodHandles.lookup().findVarHandle(ActiveYieldingIdleStrategy.class, "polls", long.class);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ExceptionInInitializerError(ex);
            }
        }

        // Written by the endpoint's thread (opaque), read by the driver's thread (opaque).
        private long polls;
        // The driver's thread only.
        private long seenPolls;
        private int quietIdles;

        void endpointPolled()
        {
            POLLS.setOpaque(this, (long)POLLS.getOpaque(this) + 1);
        }

        @Override
        public void idle(final int workCount)
        {
            if (workCount > 0)
            {
                quietIdles = 0;
                return;
            }
            idle();
        }

        @Override
        public void idle()
        {
            final long now = (long)POLLS.getOpaque(this);
            if (now != seenPolls)
            {
                seenPolls = now;
                quietIdles = 0;
            }
            if (quietIdles < QUIET_IDLES)
            {
                quietIdles++;
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(PARK_NS);
            }
        }

        @Override
        public void reset()
        {
            quietIdles = 0;
        }

        @Override
        public String alias()
        {
            return "active-yielding";
        }
    }
}
