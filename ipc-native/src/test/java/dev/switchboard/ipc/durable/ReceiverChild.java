package dev.switchboard.ipc.durable;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.transport.Tier;

/**
 * Child JVM for {@link DurableCrossProcessTest}: a LOW receiver. Polls its queue and, in the handler, writes
 * one fixed-width record per frame ({@link #RECORD_LENGTH} bytes: {@code "%010d %d\n"}, the sequence number,
 * or -1 for a malformed frame, and 1 when {@link DurableInbox#lastWasPossibleDuplicate()}) with one
 * unbuffered write: once the write returns, the record survives a kill -9. Exits 0 after handling
 * {@code lastSeq} (or a later one).
 *
 * <p>Modes: {@code run} just runs; {@code killInHandler} sends itself SIGKILL inside the handler of
 * {@code killSeq}, after writing its record (the window between handler and commit); {@code killAfterCommit}
 * polls one frame at a time and sends itself SIGKILL after the poll that handled {@code killSeq} returned.
 */
public final class ReceiverChild
{
    static final int RECORD_LENGTH = 13;
    private static final long MAX_RUN_MS = 120_000;

    private ReceiverChild()
    {
    }

    /**
     * @param args data dir, own name, reader name, last seq, record file, mode, kill seq.
     * @throws Exception on failure (non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dataDir = Path.of(args[0]);
        final String ownName = args[1];
        final String readerName = args[2];
        final long lastSeq = Long.parseLong(args[3]);
        final Path records = Path.of(args[4]);
        final String mode = args[5];
        final long killSeq = Long.parseLong(args[6]);

        System.out.println("analytics=" + System.getProperty(DurableQueues.ANALYTICS_DISABLE_PROP));
        final long[] lastHandled = {-2};
        try (FileOutputStream out = new FileOutputStream(records.toFile(), true);
            DurableInbox inbox = new DurableInbox(new DurableQueues(dataDir), ownName, readerName, (ex) ->
            {
                System.err.println("error: " + ex);
                System.err.flush();
            }))
        {
            System.out.println("ready lastIndex=" + inbox.lastIndex());
            System.out.flush();
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_RUN_MS);
            final int limit = "killAfterCommit".equals(mode) ? 1 : 64;
            while (lastHandled[0] < lastSeq)
            {
                final int n = inbox.poll((type, buffer, index, length) ->
                {
                    final long seq = type == Tier.LOW.typeId() ? LowFrames.check(buffer, index, length) : -1;
                    write(out, String.format("%010d %d\n", seq, inbox.lastWasPossibleDuplicate() ? 1 : 0));
                    lastHandled[0] = seq;
                    if (seq == killSeq && "killInHandler".equals(mode))
                    {
                        killSelf();
                    }
                }, limit);
                if (n > 0 && lastHandled[0] == killSeq && "killAfterCommit".equals(mode))
                {
                    killSelf();
                }
                if (n == 0)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        System.err.println("gave up waiting for seq " + lastSeq + ", last handled " + lastHandled[0]);
                        System.exit(3);
                    }
                    Thread.sleep(1);
                }
            }
        }
        System.out.println("done");
    }

    private static void write(final FileOutputStream out, final String record)
    {
        try
        {
            out.write(record.getBytes(StandardCharsets.US_ASCII));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** SIGKILL to this very process: what kill -9 from outside does, at a chosen point. */
    static void killSelf()
    {
        try
        {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            Thread.sleep(60_000);
        }
        catch (final IOException | InterruptedException ex)
        {
            Runtime.getRuntime().halt(137);
        }
        Runtime.getRuntime().halt(99); // not reached: SIGKILL cannot be caught
    }
}
