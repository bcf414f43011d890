package dev.switchboard.ipc.shm;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Child process (no JVM flags): opens the inbox at {@code args[0]} and sends {@code args[1]} messages whose
 * payload is an 8-byte sequence number (sent as two parts, 4 + 4 bytes, to use both halves of the offer),
 * retrying while back-pressured. Prints {@code sent <n>} and exits 0; any other status is reported on stderr
 * with exit code 1.
 */
public final class InboxWriterMain
{
    static final int TYPE_ID = 7;

    private InboxWriterMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args inbox path, message count.
     */
    public static void main(final String[] args)
    {
        final Path path = Path.of(args[0]);
        final long count = Long.parseLong(args[1]);
        try (InboxFile inbox = InboxFile.open(path); Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer buffer = new SegmentBuffer(arena.allocate(16, 8));
            for (long sequence = 0; sequence < count; sequence++)
            {
                buffer.putLong(0, sequence);
                int status;
                while (OfferStatus.BACK_PRESSURED == (status = inbox.offer(TYPE_ID, buffer, 0, 4, buffer, 4, 4)))
                {
                    Thread.yield();
                }
                if (OfferStatus.OK != status)
                {
                    System.err.println("offer of " + sequence + " returned " + OfferStatus.name(status));
                    System.exit(1);
                }
            }
        }
        System.out.println("sent " + count);
    }
}
