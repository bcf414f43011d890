package dev.switchboard.ring;

import dev.switchboard.codecs.SegmentBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.switchboard.transport.OfferStatus.OK;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Run by {@link ManyToOneRingNoFlagsTest} in a child JVM started with no JVM options: exercises the ring
 * over Arena memory and over a mapped file. Exits 0 with nothing on stderr when all is well; otherwise
 * prints what went wrong to stderr and exits 1.
 */
public final class NoFlagsRingMain
{
    private static final int MESSAGES = 1000;
    private static final int TYPE = 5;

    private NoFlagsRingMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args none.
     * @throws Exception on any failure, which the JVM reports on stderr.
     */
    public static void main(final String[] args) throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            exchange(ManyToOneRing.create(arena.allocate(ManyToOneRing.requiredSize(4096), 64)), arena);
        }

        final Path file = Files.createTempFile("switchboard-ring", ".ring");
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, READ, WRITE))
        {
            final ManyToOneRing ring = ManyToOneRing.create(
                channel.map(FileChannel.MapMode.READ_WRITE, 0, ManyToOneRing.requiredSize(4096), arena));
            exchange(ring, arena);
        }
        finally
        {
            Files.delete(file);
        }

        System.out.println("ok");
    }

    private static void exchange(final ManyToOneRing ring, final Arena arena)
    {
        final SegmentBuffer src = new SegmentBuffer(arena.allocate(64, 8));
        final int[] next = {0};
        int sent = 0;

        while (next[0] < MESSAGES)
        {
            while (sent < MESSAGES)
            {
                src.putInt(0, sent);
                final int status;
                switch (sent % 3)
                {
                    case 0 -> status = ring.offer(TYPE, src, 0, 4 + sent % 40);
                    case 1 -> status = ring.offer(TYPE, src, 0, 4, src, 4, sent % 40);
                    default ->
                    {
                        final int index = ring.tryClaim(TYPE, 4 + sent % 40);
                        if (index > 0)
                        {
                            ring.buffer().putInt(index, sent);
                            ring.commit(index);
                        }
                        status = index > 0 ? OK : index;
                    }
                }
                if (OK != status)
                {
                    break;
                }
                sent++;
            }

            if (0 == (next[0] & 1))
            {
                ring.read((msgTypeId, buffer, index, length) -> check(next, msgTypeId, buffer.getInt(index), length));
            }
            else
            {
                ring.controlledRead((msgTypeId, buffer, index, length) ->
                {
                    check(next, msgTypeId, buffer.getInt(index), length);
                    return ControlledMessageHandler.Action.COMMIT;
                });
            }
        }

        ring.consumerHeartbeatTime(System.currentTimeMillis());
        if (ring.nextCorrelationId() != 0 || ring.unblock() || ring.size() != 0)
        {
            throw new IllegalStateException("unexpected ring state after exchange: " + ring);
        }
    }

    private static void check(final int[] next, final int msgTypeId, final int value, final int length)
    {
        if (TYPE != msgTypeId || next[0] != value || length != 4 + value % 40)
        {
            throw new IllegalStateException("expected message " + next[0] + ", got type=" + msgTypeId +
                " value=" + value + " length=" + length);
        }
        next[0]++;
    }
}
