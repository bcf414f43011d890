package dev.switchboard.ipc.shm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.switchboard.testing.ChildJvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sender in another OS process, started with no JVM flags, writes straight into this process's inbox.
 */
@Tag("slow")
class CrossProcessInboxTest
{
    private static final int MESSAGES = 1_000_000;

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aMillionMessagesFromAChildProcessArriveInOrderAndNoneIsLost() throws Exception
    {
        try (InboxFile inbox = InboxFile.create(tempDir.resolve("shm"), "receiver", 1 << 20);
            ParkingIdleStrategy idle = new ParkingIdleStrategy(inbox);
            ChildJvm child = ChildJvm.start(tempDir, List.of(), InboxWriterMain.class, inbox.path().toString(),
                Integer.toString(MESSAGES)))
        {
            final long[] next = {0};
            final boolean[] wrongType = {false};
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (next[0] < MESSAGES && System.nanoTime() < deadline && (child.process().isAlive() ||
                inbox.ring().size() > 0))
            {
                final int work = inbox.ring().read((typeId, buffer, index, length) ->
                {
                    wrongType[0] |= typeId != InboxWriterMain.TYPE_ID || length != 8;
                    final long sequence = buffer.getLong(index);
                    if (sequence != next[0])
                    {
                        throw new AssertionError("expected message " + next[0] + ", got " + sequence);
                    }
                    next[0]++;
                });
                inbox.heartbeat();
                idle.idle(work);
            }

            assertEquals(MESSAGES, next[0], "messages received; child stderr: " + child.stderrText());
            assertTrue(!wrongType[0], "every message has the writer's type and 8 bytes");
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), "child exit code; stderr: " + child.stderrText());
            assertEquals("sent " + MESSAGES, child.readLine(Duration.ofSeconds(10)));
            assertEquals("", child.stderrText(), "the child JVM, started with no flags, must print no warning");
            assertEquals(0, inbox.ring().size());
        }
    }
}
