/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import dev.switchboard.codecs.JvmFlags;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Raw Agrona {@link ManyToOneRingBuffer}s (the algorithm of Switchboard's CRITICAL inbox) in two memory-mapped files
 * under {@link CaseEnv#shmDir()}: it measures shared-memory messaging with nothing on top, the floor a Java library
 * can reach with a copy in and a read in place.
 *
 * <h2>Files</h2>
 * <pre>
 *   &lt;shmDir&gt;/to-responder.ring   every producer writes, the responder reads
 *   &lt;shmDir&gt;/to-initiator.ring   the responder writes, producer 0 reads
 * </pre>
 * Each file is exactly {@link #ringFileLength(int)} bytes: a power-of-two data capacity (at least
 * {@value #MIN_RING_CAPACITY} bytes, and at least 8 times the largest record, Agrona's limit for one message) then
 * {@link RingBufferDescriptor#TRAILER_LENGTH}. The responder creates each file under a temporary name, zero-fills
 * and maps it, then renames it into place, so a file an initiator sees has its full length and its trailer
 * zeroed; an initiator waits for both files to exist with that length.
 *
 * <p>Settings: no idle strategy at all (the driver spins); message type id {@value #MSG_TYPE_ID}; a poll reads at
 * most {@link PeerLimits#POLL_LIMIT} messages. The JVM needs Agrona's
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} ({@link #jvmOptions()}).
 *
 * <p>Allocation: none per message: {@code write} copies from a send buffer allocated once, and {@code read} hands
 * the message to a handler that is a field, reading the fields in place.
 */
public final class AgronaShmCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "agrona-shm";
    /** File of the ring the producers write and the responder reads. */
    public static final String TO_RESPONDER_FILE = "to-responder.ring";
    /** File of the ring the responder writes and producer 0 reads. */
    public static final String TO_INITIATOR_FILE = "to-initiator.ring";
    /** Smallest data capacity of a ring: 1 MiB. */
    public static final int MIN_RING_CAPACITY = 1024 * 1024;
    /** Message type id of every record (Agrona requires one greater than 0). */
    public static final int MSG_TYPE_ID = 1;
    /** Most producers. */
    public static final int MAX_PRODUCERS = 4;

    private static final String CREATING_SUFFIX = ".creating";

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "Agrona ManyToOneRingBuffer (mapped /dev/shm files)";
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
        return JvmFlags.of(JvmFlags.Group.AGRONA);
    }

    /**
     * @param maxPayloadLength the largest message.
     * @return the length of each ring file: data capacity plus trailer, the same in every process of the case.
     */
    public static int ringFileLength(final int maxPayloadLength)
    {
        final int recordLength = RecordDescriptor.HEADER_LENGTH + Math.max(maxPayloadLength, Payload.MIN_LENGTH);
        // Agrona accepts messages up to capacity / 8.
        final int capacity = Math.max(MIN_RING_CAPACITY, BitUtil.findNextPositivePowerOfTwo(recordLength * 8));
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env) throws IOException
    {
        final int length = ringFileLength(env.maxPayloadLength());
        Files.createDirectories(env.shmDir());
        final MappedByteBuffer in = createRingFile(env.shmDir().resolve(TO_RESPONDER_FILE), length);
        final MappedByteBuffer out;
        try
        {
            out = createRingFile(env.shmDir().resolve(TO_INITIATOR_FILE), length);
        }
        catch (final IOException | RuntimeException ex)
        {
            IoUtil.unmap(in);
            throw ex;
        }
        return new Endpoint(in, out, env.maxPayloadLength());
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        final long length = ringFileLength(env.maxPayloadLength());
        final Path toResponder = env.shmDir().resolve(TO_RESPONDER_FILE);
        final Path toInitiator = env.shmDir().resolve(TO_INITIATOR_FILE);
        PeerLimits.await(ID, "ring files " + toResponder + " and " + toInitiator + " of " + length +
            " bytes each (the responder creates them)",
            () -> hasLength(toResponder, length) && hasLength(toInitiator, length));
        final MappedByteBuffer out = IoUtil.mapExistingFile(toResponder.toFile(), TO_RESPONDER_FILE);
        // Only producer 0 reads the responder's messages: a second consumer would steal them.
        final MappedByteBuffer in = producerIndex == 0 ?
            IoUtil.mapExistingFile(toInitiator.toFile(), TO_INITIATOR_FILE) : null;
        return new Endpoint(in, out, env.maxPayloadLength());
    }

    private static boolean hasLength(final Path path, final long length)
    {
        final File file = path.toFile();
        // A missing file has length 0; the rename makes the full length appear at once.
        return file.length() == length;
    }

    private static MappedByteBuffer createRingFile(final Path path, final int length) throws IOException
    {
        final Path creating = path.resolveSibling(path.getFileName() + CREATING_SUFFIX);
        final MappedByteBuffer buffer = IoUtil.mapNewFile(creating.toFile(), length, true);
        try
        {
            Files.move(creating, path, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException | RuntimeException ex)
        {
            IoUtil.unmap(buffer);
            throw ex;
        }
        return buffer;
    }

    /**
     * One side: a ring it writes and (on the responder and producer 0) a ring it reads.
     * Thread-safety: one thread. Allocation: none per message.
     */
    private static final class Endpoint implements BenchEndpoint, MessageHandler
    {
        private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

        private final MappedByteBuffer inMapping;
        private final MappedByteBuffer outMapping;
        private final RingBuffer inRing;
        private final RingBuffer outRing;
        private final MutableDirectBuffer sendBuffer;
        // Set for the duration of one poll.
        private Inbound inbound;
        private boolean closed;

        Endpoint(final MappedByteBuffer in, final MappedByteBuffer out, final int maxPayloadLength)
        {
            this.inMapping = in;
            this.outMapping = out;
            this.inRing = in != null ? new ManyToOneRingBuffer(new UnsafeBuffer(in)) : null;
            this.outRing = new ManyToOneRingBuffer(new UnsafeBuffer(out));
            this.sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                Math.max(maxPayloadLength, Payload.MIN_LENGTH), 64));
        }

        @Override
        public boolean offer(final long stamp, final long seq, final int kind, final int length)
        {
            final MutableDirectBuffer buffer = sendBuffer;
            buffer.putLong(Payload.STAMP_OFFSET, stamp, ORDER);
            buffer.putLong(Payload.SEQ_OFFSET, seq, ORDER);
            buffer.putInt(Payload.KIND_OFFSET, kind, ORDER);
            return outRing.write(MSG_TYPE_ID, buffer, 0, length);
        }

        @Override
        public int poll(final Inbound handler)
        {
            if (inRing == null)
            {
                return 0;
            }
            inbound = handler;
            return inRing.read(this, PeerLimits.POLL_LIMIT);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            inbound.onMessage(
                buffer.getLong(index + Payload.STAMP_OFFSET, ORDER),
                buffer.getLong(index + Payload.SEQ_OFFSET, ORDER),
                buffer.getInt(index + Payload.KIND_OFFSET, ORDER));
        }

        @Override
        public void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            // The rings must not be touched after this: the caller's thread is the only one using them.
            if (inMapping != null)
            {
                IoUtil.unmap(inMapping);
            }
            IoUtil.unmap(outMapping);
        }
    }
}
