package dev.switchboard.ipc.durable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * LOW across real processes: receivers and senders in child JVMs started with the same java and class path
 * and the Chronicle flags ({@link DurableQueues#JVM_FLAGS}, passed explicitly), killed with SIGKILL.
 */
@Tag("slow")
class DurableCrossProcessTest
{
    private static final String AGENT = "agent-b";
    private static final String READER = "inbox";

    @TempDir
    Path dir;

    @Test
    void receiverKilledMidStreamHandlesEveryFrameAtLeastOnceInOrder() throws Exception
    {
        final long total = 30_000;
        final Path data = dir.resolve("data");
        final Path records = dir.resolve("records");
        final LowFrames frames = new LowFrames();
        long appended = 0;
        final long handledAtKill;
        final long appendedAtKill;
        try (DurableOutbox outbox = new DurableOutbox(new DurableQueues(data), (ex) -> fail(ex)))
        {
            try (ChildJvm receiver = startReceiver("receiver-1", data, total - 1, records, "run", -1))
            {
                // Keep at most 1,000 frames ahead of the receiver, so it is still busy when killed.
                while (handledCount(records) < total / 3)
                {
                    while (appended < total && appended - handledCount(records) < 1_000)
                    {
                        assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, appended++));
                    }
                    if (!receiver.process().isAlive())
                    {
                        fail("receiver exited early; " + receiver.describe());
                    }
                    Thread.sleep(1);
                }
                receiver.kill();
                handledAtKill = handledCount(records);
                appendedAtKill = appended;
            }
            // Frames appended while no receiver runs wait in the queue.
            while (appended < total)
            {
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, appended++));
            }
        }
        try (ChildJvm receiver = startReceiver("receiver-2", data, total - 1, records, "run", -1))
        {
            assertEquals(0, receiver.awaitExit(), receiver::describe);
        }

        final List<long[]> handled = readRecords(records);
        final int duplicates = checkAtLeastOnceInOrder(handled, total, (int)handledAtKill);
        assertTrue(duplicates <= 1, "more than the one frame of the documented window was redelivered: " + duplicates);
        System.out.println("receiver killed after " + handledAtKill + " of " + total + " handled (" +
            (appendedAtKill - handledAtKill) + " appended but not yet handled); redelivered after restart: " +
            duplicates + "; first frame after restart flagged: " + (handled.get((int)handledAtKill)[1] == 1));
    }

    @Test
    void receiverKilledBetweenHandlerAndCommitRedeliversOnlyThatFrameFlaggedAsPossibleDuplicate() throws Exception
    {
        final long total = 200;
        final long killSeq = 57;
        final Path data = dir.resolve("data");
        final Path records = dir.resolve("records");
        appendInProcess(data, total);

        try (ChildJvm receiver = startReceiver("receiver-1", data, total - 1, records, "killInHandler", killSeq))
        {
            receiver.awaitExit();
            assertEquals(137, receiver.process().exitValue(), receiver::describe);
        }
        try (ChildJvm receiver = startReceiver("receiver-2", data, total - 1, records, "run", -1))
        {
            assertEquals(0, receiver.awaitExit(), receiver::describe);
        }

        final List<long[]> handled = readRecords(records);
        assertEquals(total + 1, handled.size());
        for (int i = 0; i <= killSeq; i++)
        {
            assertEquals(i, handled.get(i)[0]);
            assertEquals(0, handled.get(i)[1], "only the redelivery is flagged");
        }
        assertEquals(killSeq, handled.get((int)killSeq + 1)[0], "the frame in the window comes again");
        assertEquals(1, handled.get((int)killSeq + 1)[1], "flagged as a possible duplicate");
        for (int i = (int)killSeq + 2; i < handled.size(); i++)
        {
            assertEquals(i - 1, handled.get(i)[0]);
            assertEquals(0, handled.get(i)[1]);
        }
    }

    @Test
    void receiverKilledAfterCommitRedeliversNothing() throws Exception
    {
        final long total = 200;
        final long killSeq = 57;
        final Path data = dir.resolve("data");
        final Path records = dir.resolve("records");
        appendInProcess(data, total);

        try (ChildJvm receiver = startReceiver("receiver-1", data, total - 1, records, "killAfterCommit", killSeq))
        {
            receiver.awaitExit();
            assertEquals(137, receiver.process().exitValue(), receiver::describe);
        }
        try (ChildJvm receiver = startReceiver("receiver-2", data, total - 1, records, "run", -1))
        {
            assertEquals(0, receiver.awaitExit(), receiver::describe);
            assertTrue(receiver.stdoutLines().stream().anyMatch((l) -> l.startsWith("ready lastIndex=")));
        }

        final List<long[]> handled = readRecords(records);
        assertEquals(total, handled.size(), "exactly once");
        for (int i = 0; i < total; i++)
        {
            assertEquals(i, handled.get(i)[0]);
            assertEquals(0, handled.get(i)[1]);
        }
    }

    @Test
    void senderKilledMidStreamLosesNoAcknowledgedFrameAndTheQueueStaysWritable() throws Exception
    {
        final Path data = dir.resolve("data");
        final Path acks = dir.resolve("acks");
        final long acknowledged;
        try (ChildJvm sender = startSender("sender-1", data, 0, 100_000_000L, acks))
        {
            sender.await(() -> fileLength(acks) / SenderChild.ACK_LENGTH >= 20_000, "20,000 acknowledged appends");
            sender.kill();
            acknowledged = fileLength(acks) / SenderChild.ACK_LENGTH;
        }
        // A second sender process appends after the killed one (which may have died holding the write lock,
        // with a document half written): Chronicle takes the lock over and overwrites the partial document.
        final long secondFrom = 1_000_000_000L;
        try (ChildJvm sender = startSender("sender-2", data, secondFrom, 100, dir.resolve("acks-2")))
        {
            assertEquals(0, sender.awaitExit(), sender::describe);
        }

        final List<Long> seqs = new ArrayList<>();
        try (DurableInbox inbox = new DurableInbox(queues(data), AGENT, READER, (ex) -> fail(ex)))
        {
            int n;
            do
            {
                n = inbox.poll((type, buffer, index, length) -> seqs.add(LowFrames.check(buffer, index, length)), 10_000);
            }
            while (n > 0);
        }
        // 0 .. m-1 from the first sender, with m = acknowledged or acknowledged + 1 (appended, killed before the ack).
        final int m = seqs.size() - 100;
        assertTrue(m == acknowledged || m == acknowledged + 1,
            "first sender: " + m + " frames in the queue, " + acknowledged + " acknowledged");
        for (int i = 0; i < m; i++)
        {
            assertEquals(i, seqs.get(i), "frame " + i);
        }
        for (int i = 0; i < 100; i++)
        {
            assertEquals(secondFrom + i, seqs.get(m + i), "second sender's frame " + i);
        }
        System.out.println("sender killed after " + acknowledged + " acknowledged appends; " + m + " in the queue");
    }

    @Test
    void senderKilledInsideAnAppendLeavesNoPartialFrameAndTheNextSenderTakesTheLockOver() throws Exception
    {
        final Path data = dir.resolve("data");
        final Path acks = dir.resolve("acks");
        try (ChildJvm sender = startSender("sender-1", data, 0, 100, acks, "killMidAppend"))
        {
            assertEquals(137, sender.awaitExit(), sender::describe);
            assertTrue(sender.stdoutLines().contains("dying inside an append"), sender::describe);
        }
        assertEquals(100, fileLength(acks) / SenderChild.ACK_LENGTH);

        final List<Long> seqs = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final LowFrames frames = new LowFrames();
        try (DurableInbox inbox = new DurableInbox(queues(data), AGENT, READER, errors::add);
            DurableOutbox outbox = new DurableOutbox(queues(data), errors::add))
        {
            final org.agrona.concurrent.MessageHandler handler =
                (type, buffer, index, length) -> seqs.add(LowFrames.check(buffer, index, length));
            while (inbox.poll(handler, 1000) > 0)
            {
                // drain: the tailer stops at the dead sender's incomplete document
            }
            assertEquals(100, seqs.size(), "every acknowledged frame, and not the partial one");
            // The dead pid holds the write lock: this append waits 1.5 x 500 ms, takes the lock over and
            // overwrites the incomplete document.
            for (long seq = 100; seq < 110; seq++)
            {
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, seq));
            }
            while (inbox.poll(handler, 1000) > 0)
            {
                // drain
            }
        }
        assertTrue(errors.isEmpty(), errors::toString);
        assertEquals(110, seqs.size());
        for (int i = 0; i < 110; i++)
        {
            assertEquals(i, seqs.get(i));
        }
    }

    @Test
    void twoSenderProcessesShareAQueueWithoutLossAndEachKeepsItsOrder() throws Exception
    {
        final long perSender = 200_000;
        final long secondFrom = 1_000_000_000L;
        final Path data = dir.resolve("data");
        final List<Long> first = new ArrayList<>();
        final List<Long> second = new ArrayList<>();
        try (DurableInbox inbox = new DurableInbox(queues(data), AGENT, READER, (ex) -> fail(ex));
            ChildJvm a = startSender("sender-a", data, 0, perSender, dir.resolve("acks-a"));
            ChildJvm b = startSender("sender-b", data, secondFrom, perSender, dir.resolve("acks-b")))
        {
            final org.agrona.concurrent.MessageHandler handler = (type, buffer, index, length) ->
            {
                final long seq = LowFrames.check(buffer, index, length);
                (seq >= secondFrom ? second : first).add(seq);
            };
            // Read while they write.
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ChildJvm.DEFAULT_WAIT.toMillis());
            while (first.size() + second.size() < 2 * perSender)
            {
                if (inbox.poll(handler, 10_000) == 0)
                {
                    for (final ChildJvm sender : List.of(a, b))
                    {
                        if (!sender.process().isAlive() && sender.process().exitValue() != 0)
                        {
                            fail("sender failed; " + sender.describe());
                        }
                    }
                    assertTrue(System.nanoTime() - deadline < 0, "timed out; " + a.describe() + "\n" + b.describe());
                    Thread.sleep(1);
                }
            }
            assertEquals(0, a.awaitExit(), a::describe);
            assertEquals(0, b.awaitExit(), b::describe);
        }
        for (int i = 0; i < perSender; i++)
        {
            assertEquals(i, first.get(i));
            assertEquals(secondFrom + i, second.get(i));
        }
    }

    @Test
    void childProcessThatLoadsChronicleHasAnalyticsDisabledWithoutTheCommandLineProperty() throws Exception
    {
        // The flags a LOW process starts with, but the analytics property: the code sets it by itself.
        final List<String> flags = new ArrayList<>(DurableQueues.JVM_FLAGS);
        flags.removeIf((f) -> f.startsWith("-D" + DurableQueues.ANALYTICS_DISABLE_PROP));
        try (ChildJvm child = ChildJvm.builder(ProbeChild.class).jvmOptions(flags).args(dir.resolve("data").toString())
            .output(dir, "probe").start())
        {
            assertEquals(0, child.awaitExit(), child::describe);
            final List<String> out = child.stdoutLines();
            assertTrue(out.contains("analytics.before=null"), child::describe);
            assertTrue(out.contains("available=true"), child::describe);
            assertTrue(out.contains("append=OK"), child::describe);
            assertTrue(out.contains("polled=1 value=42"), child::describe);
            assertTrue(out.contains("analytics.after=true"), child::describe);
            assertTrue(out.contains("analytics.classpath=false"), child::describe);
        }
    }

    @Test
    void everyChildThatLoadsChronicleSeesTheAnalyticsPropertySet() throws Exception
    {
        final Path data = dir.resolve("data");
        appendInProcess(data, 3);
        try (ChildJvm receiver = startReceiver("receiver", data, 2, dir.resolve("records"), "run", -1);
            ChildJvm sender = startSender("sender", data, 3, 1, dir.resolve("acks")))
        {
            assertEquals(0, receiver.awaitExit(), receiver::describe);
            assertEquals(0, sender.awaitExit(), sender::describe);
            assertEquals("analytics=true", receiver.stdoutLines().get(0));
            assertEquals("analytics=true", sender.stdoutLines().get(0));
        }
        assertEquals("true", System.getProperty(DurableQueues.ANALYTICS_DISABLE_PROP), "and in this JVM");
    }

    @Test
    void childWithoutChronicleFlagsReportsLowUnavailableInsteadOfFailing() throws Exception
    {
        try (ChildJvm child = ChildJvm.builder(ProbeChild.class).args(dir.resolve("data").toString()).output(dir, "probe")
            .start())
        {
            assertEquals(0, child.awaitExit(), child::describe);
            final List<String> out = child.stdoutLines();
            assertTrue(out.contains("available=false"), child::describe);
            final String reason = out.stream().filter((l) -> l.startsWith("reason=")).findFirst().orElseThrow();
            assertTrue(reason.contains("--add-opens java.base/java.lang.reflect=ALL-UNNAMED"), reason);
            assertTrue(out.contains("append=NOT_CONNECTED"), child::describe);
            assertEquals(1, out.stream().filter((l) -> l.startsWith("error=")).count(), "reported once");
            assertTrue(out.contains("analytics.after=true"), child::describe);
            assertFalse(child.stderrText().contains("Exception"), child::describe);
            assertFalse(Files.exists(dir.resolve("data").resolve("probe-dest")), "Chronicle never touched the disk");
        }
    }

    private ChildJvm startReceiver(
        final String label, final Path data, final long lastSeq, final Path records, final String mode, final long killSeq)
        throws IOException
    {
        return ChildJvm.builder(ReceiverChild.class).jvmOptions(DurableQueues.JVM_FLAGS).output(dir, label)
            .args(data.toString(), AGENT, READER, Long.toString(lastSeq), records.toString(), mode, Long.toString(killSeq))
            .start();
    }

    private ChildJvm startSender(final String label, final Path data, final long from, final long count, final Path acks)
        throws IOException
    {
        return startSender(label, data, from, count, acks, "run");
    }

    private ChildJvm startSender(
        final String label, final Path data, final long from, final long count, final Path acks, final String mode)
        throws IOException
    {
        final List<String> flags = new ArrayList<>(DurableQueues.JVM_FLAGS);
        // A killed sender may hold the write lock: let the next appender take it over after 1.5 x 500 ms.
        flags.add("-D" + DurableQueues.TIMEOUT_MS_PROP + "=500");
        return ChildJvm.builder(SenderChild.class).jvmOptions(flags).output(dir, label)
            .args(data.toString(), AGENT, Long.toString(from), Long.toString(count), acks.toString(), mode).start();
    }

    private static DurableQueues queues(final Path data)
    {
        return new DurableQueues(data).timeoutMs(500);
    }

    private static void appendInProcess(final Path data, final long count)
    {
        final LowFrames frames = new LowFrames();
        try (DurableOutbox outbox = new DurableOutbox(queues(data), (ex) -> fail(ex)))
        {
            for (long seq = 0; seq < count; seq++)
            {
                assertEquals(OfferStatus.OK, frames.append(outbox, AGENT, seq));
            }
        }
    }

    private static long handledCount(final Path records)
    {
        return fileLength(records) / ReceiverChild.RECORD_LENGTH;
    }

    private static long fileLength(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.size(file) : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /** @return {seq, possibleDuplicate} per complete record. */
    private static List<long[]> readRecords(final Path records) throws IOException
    {
        final List<long[]> result = new ArrayList<>();
        for (final String line : Files.readAllLines(records))
        {
            final String[] parts = line.split(" ");
            result.add(new long[]{Long.parseLong(parts[0]), Long.parseLong(parts[1])});
        }
        return result;
    }

    /**
     * Every seq of {@code 0 .. total-1} at least once, in order. Only the first record after the restart
     * ({@code restartAt}) may be flagged as a possible duplicate: it is the frame of the window if the killed
     * receiver had stored the handed-over marker. It repeats the previous record if the killed handler had
     * written its record, else it is its first delivery (killed after the marker, before the handler wrote).
     *
     * @return how many records repeat the previous one.
     */
    private static int checkAtLeastOnceInOrder(final List<long[]> handled, final long total, final int restartAt)
    {
        int duplicates = 0;
        long expected = 0;
        for (int i = 0; i < handled.size(); i++)
        {
            final long seq = handled.get(i)[0];
            final boolean flagged = handled.get(i)[1] == 1;
            if (flagged)
            {
                assertEquals(restartAt, i, "only the first frame after the restart may be flagged; seq " + seq);
            }
            if (seq == expected)
            {
                expected++;
            }
            else if (seq == expected - 1)
            {
                assertTrue(flagged, "record " + i + ": redelivery of " + seq + " not flagged");
                duplicates++;
            }
            else
            {
                fail("record " + i + ": seq " + seq + " where " + expected + " (or a redelivery of " + (expected - 1) +
                    ") was due");
            }
        }
        assertEquals(total, expected, "every frame handled");
        return duplicates;
    }
}
