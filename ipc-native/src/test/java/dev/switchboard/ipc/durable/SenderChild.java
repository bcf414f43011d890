package dev.switchboard.ipc.durable;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.switchboard.ipc.IpcContext;
import dev.switchboard.transport.OfferStatus;

/**
 * Child JVM for {@link DurableCrossProcessTest}: a LOW sender. Appends frames {@code from .. from+count-1}
 * (see {@link LowFrames}) to one destination and, after each {@code OK}, writes an acknowledgement record of
 * {@link #ACK_LENGTH} bytes ({@code "%010d\n"}) with one unbuffered write. Exits 0 when done, 2 on any
 * status other than {@code OK}. Mode {@code killMidAppend} (optional sixth argument): after the last append,
 * open one more document on the queue, write half a record into it and send itself SIGKILL, so it dies
 * holding Chronicle's write lock with a partial document in the file.
 */
public final class SenderChild
{
    static final int ACK_LENGTH = 11;

    /** The queues with the LOW settings of this JVM's properties (the test passes a short timeout). */
    private static DurableQueues queues(final Path dataDir)
    {
        return new IpcContext().dataDir(dataDir).lowQueues();
    }

    private SenderChild()
    {
    }

    /**
     * @param args data dir, destination name, first seq, count, ack file, optional mode.
     * @throws Exception on failure (non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dataDir = Path.of(args[0]);
        final String destination = args[1];
        final long from = Long.parseLong(args[2]);
        final long count = Long.parseLong(args[3]);
        final Path acks = Path.of(args[4]);

        System.out.println("analytics=" + System.getProperty(DurableQueues.ANALYTICS_DISABLE_PROP));
        System.out.flush();
        final LowFrames frames = new LowFrames();
        try (FileOutputStream out = new FileOutputStream(acks.toFile(), true);
            DurableOutbox outbox = new DurableOutbox(queues(dataDir), (ex) -> System.err.println("error: " + ex)))
        {
            for (long seq = from; seq < from + count; seq++)
            {
                final int status = frames.append(outbox, destination, seq);
                if (status != OfferStatus.OK)
                {
                    System.err.println("append of " + seq + " returned " + OfferStatus.name(status));
                    System.exit(2);
                }
                out.write(String.format("%010d\n", seq).getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (args.length > 5 && "killMidAppend".equals(args[5]))
        {
            final DurableQueues queues = queues(dataDir).conclude();
            final var queue = queues.open(destination);
            final var appender = queue.createAppender();
            final var dc = appender.writingDocument();
            dc.wire().bytes().writeInt(1000).writeLong(from + count); // a frame of 1000 bytes announced, 8 written
            System.out.println("dying inside an append");
            System.out.flush();
            ReceiverChild.killSelf();
        }
        System.out.println("done");
    }
}
