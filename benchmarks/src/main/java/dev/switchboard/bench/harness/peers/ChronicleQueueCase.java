/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.switchboard.bench.harness.BenchCase;
import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.bench.harness.Inbound;
import dev.switchboard.bench.harness.Payload;
import dev.switchboard.ipc.durable.DurableQueues;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;

/**
 * Raw Chronicle Queue: two queues of memory-mapped files under {@link CaseEnv#dir()} (the normal disk, where a
 * durable queue lives), one per direction. It measures what Switchboard's LOW tier is built on, with nothing on top:
 * an appender writing a document in place in the mapped file, a tailer polling for it from another process.
 *
 * <h2>Files</h2>
 * <pre>
 *   &lt;dir&gt;/to-responder/     every producer appends, the responder tails
 *   &lt;dir&gt;/to-initiator/     the responder appends, producer 0 tails
 *   &lt;dir&gt;/responder.ready   created by the responder once both queues are open; initiators wait for it
 * </pre>
 *
 * <h2>Settings and why</h2>
 * <ul>
 *   <li>Roll cycle {@code FAST_DAILY} (one file a day), the LOW tier's default, so this measures what LOW gets.
 *       Disk: a document is the payload plus a 4-byte header, so 10 s at 200,000 msgs/s of 1 KiB is about 2 GB;
 *       a throughput phase may write more (Chronicle does not back-pressure). Nothing is deleted by the case: the
 *       harness owns the case dir.</li>
 *   <li>Block size 64 MiB, grown until a quarter of it (Chronicle's overlap) holds the largest document, as
 *       {@code DurableQueues} does.</li>
 *   <li>Producers: {@value #MAX_PRODUCERS}, each with its own appender (and its own queue instance); Chronicle
 *       serialises appenders on the queue's write lock, spinning, so {@code offer} may wait for another producer's
 *       document. Chronicle never refuses an append: {@code offer} is always true.</li>
 *   <li>No idle strategy: the tailer is polled by the driver's spin. The JVM needs {@link DurableQueues#JVM_FLAGS}
 *       ({@link #jvmOptions()}), which include {@code -Dchronicle.analytics.disable=true}; opening an endpoint in
 *       a JVM without them fails with {@link DurableQueues#unavailableReason()}.</li>
 * </ul>
 *
 * <p>Allocation: none per message here. {@code offer} writes the stamp, sequence and kind with the document's
 * {@link Bytes} and the filler from a byte array made once; {@code poll} reads the three fields in place in the
 * mapped file (as the Aeron and Agrona peers do), without copying the document. Chronicle's own
 * {@code writingDocument}/{@code readingDocument} allocate nothing once warm (measured for the LOW tier).
 */
public final class ChronicleQueueCase implements BenchCase
{
    /** The case's id. */
    public static final String ID = "chronicle-queue";
    /** Directory of the queue the producers append to and the responder tails. */
    public static final String TO_RESPONDER_QUEUE = "to-responder";
    /** Directory of the queue the responder appends to and producer 0 tails. */
    public static final String TO_INITIATOR_QUEUE = "to-initiator";
    /** File the responder creates once both queues are open. */
    public static final String READY_FILE = "responder.ready";
    /** Most producers: more appenders would only queue up on Chronicle's write lock. */
    public static final int MAX_PRODUCERS = 2;

    private static final long MIN_BLOCK_SIZE = 64L << 20;
    private static final int DOCUMENT_OVERHEAD = 64;

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public String label()
    {
        return "Chronicle Queue (FAST_DAILY, files on disk)";
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
        return DurableQueues.JVM_FLAGS;
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env) throws IOException
    {
        checkChronicleRuns();
        final Path dir = env.dir().toAbsolutePath();
        Files.createDirectories(dir);
        SingleChronicleQueue in = null;
        SingleChronicleQueue out = null;
        try
        {
            in = open(dir.resolve(TO_RESPONDER_QUEUE), env.maxPayloadLength());
            out = open(dir.resolve(TO_INITIATOR_QUEUE), env.maxPayloadLength());
            final Endpoint endpoint = new Endpoint(in, out, env.maxPayloadLength());
            Files.createFile(dir.resolve(READY_FILE));
            return endpoint;
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(in, out);
            throw ex;
        }
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex) throws Exception
    {
        checkChronicleRuns();
        final Path dir = env.dir().toAbsolutePath();
        final Path ready = dir.resolve(READY_FILE);
        PeerLimits.await(ID, "the responder to open its queues (" + ready + ")", () -> Files.exists(ready));
        SingleChronicleQueue in = null;
        SingleChronicleQueue out = null;
        try
        {
            out = open(dir.resolve(TO_RESPONDER_QUEUE), env.maxPayloadLength());
            // Only producer 0 reads the responder's messages (every tailer would see them all).
            in = producerIndex == 0 ? open(dir.resolve(TO_INITIATOR_QUEUE), env.maxPayloadLength()) : null;
            return new Endpoint(in, out, env.maxPayloadLength());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(in, out);
            throw ex;
        }
    }

    private static void checkChronicleRuns()
    {
        final String reason = DurableQueues.unavailableReason();
        if (reason != null)
        {
            throw new IllegalStateException(ID + ": " + reason);
        }
    }

    private static SingleChronicleQueue open(final Path queueDir, final int maxPayloadLength)
    {
        long blockSize = MIN_BLOCK_SIZE;
        while (blockSize / 4 < (long)maxPayloadLength + DOCUMENT_OVERHEAD)
        {
            blockSize <<= 1;
        }
        return SingleChronicleQueueBuilder.binary(queueDir)
            .rollCycle(RollCycles.FAST_DAILY)
            .blockSize(blockSize)
            .build();
    }

    /**
     * One side: an appender on the queue to the other side and (on the responder and producer 0) a tailer on the
     * queue from it. Thread-safety: one thread (Chronicle appenders and tailers are single-threaded).
     * Allocation: none per message.
     */
    private static final class Endpoint implements BenchEndpoint
    {
        private static final int HEADER_FIELDS_LENGTH = Payload.KIND_OFFSET + Integer.BYTES;

        private final SingleChronicleQueue inQueue;
        private final SingleChronicleQueue outQueue;
        private final ExcerptTailer tailer;
        private final ExcerptAppender appender;
        // Zeros: the filler after the three fields.
        private final byte[] filler;

        Endpoint(final SingleChronicleQueue inQueue, final SingleChronicleQueue outQueue, final int maxPayloadLength)
        {
            this.inQueue = inQueue;
            this.outQueue = outQueue;
            this.tailer = inQueue != null ? inQueue.createTailer() : null;
            this.appender = outQueue.createAppender();
            this.filler = new byte[Math.max(maxPayloadLength, Payload.MIN_LENGTH)];
        }

        @Override
        public boolean offer(final long stamp, final long seq, final int kind, final int length)
        {
            final DocumentContext document = appender.writingDocument();
            try
            {
                // Chronicle's Bytes are in native order: little endian on every platform Switchboard runs on.
                final Bytes<?> bytes = document.wire().bytes();
                bytes.writeLong(stamp);
                bytes.writeLong(seq);
                bytes.writeInt(kind);
                bytes.write(filler, 0, length - HEADER_FIELDS_LENGTH);
            }
            catch (final RuntimeException | Error ex)
            {
                document.rollbackOnClose();
                document.close();
                throw ex;
            }
            document.close();
            return true;
        }

        @Override
        public int poll(final Inbound handler)
        {
            if (tailer == null)
            {
                return 0;
            }
            int delivered = 0;
            while (delivered < PeerLimits.POLL_LIMIT)
            {
                final long stamp;
                final long seq;
                final int kind;
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    stamp = bytes.readLong();
                    seq = bytes.readLong();
                    kind = bytes.readInt();
                }
                // Outside the document: the handler may append (an echo) on this thread.
                delivered++;
                handler.onMessage(stamp, seq, kind);
            }
            return delivered;
        }

        @Override
        public void close()
        {
            CloseHelper.quietCloseAll(tailer, appender, inQueue, outQueue);
        }
    }
}
