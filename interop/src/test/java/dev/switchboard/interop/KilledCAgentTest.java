/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.interop;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.Destination;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A C agent flooding a Java agent's CRITICAL inbox is killed with {@code kill -9} mid-stream, three times: the Java
 * receiver keeps working. What the C agent committed arrives in order with no gap; a record it may have claimed and
 * never committed is unblocked by the receiver after {@code switchboard.inbox.unblock.timeout.ns} (set to 200 ms
 * here) and counted, exactly as for a Java producer; a Java sender's messages written behind it all arrive, in order.
 *
 * <p>In the first test, whether a kill lands between a claim and its commit is up to the scheduler; it passes either way
 * and prints how many records were unblocked. The second makes it certain: the C agent runs under gdb, which stops it
 * between its claim and its commit and kills it there (gdb is a test dependency: {@code .ci/run} installs it).
 */
@Tag("slow")
class KilledCAgentTest
{
    private static final int ROUNDS = 3;
    private static final long FROM_C_BEFORE_KILL = 50_000;
    private static final long AFTER = 2_000;

    @TempDir
    Path dir;

    @Test
    void aCSenderKilledMidStreamLeavesTheJavaReceiverWorking() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir)
            .inboxUnblockTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200));
        try (InteropFixture fixture = new InteropFixture(dir, new RouterContext(), ipc))
        {
            final SwitchboardClient receiver = fixture.javaAgent("java-receiver");
            final SwitchboardClient javaSender = fixture.javaAgent("java-sender");
            final Destination toReceiver = javaSender.destination("java-receiver", Priority.CRITICAL);
            final long[] fromC = {0};
            final long[] fromJava = {0};
            final long[] cSource = {0};
            final String[] problem = {null};
            for (int round = 0; round < ROUNDS; round++)
            {
                fromC[0] = 0;
                fromJava[0] = 0;
                final AgentProcess flood = fixture.cAgent("c-flood-" + round, "flood", "java-receiver");
                cSource[0] = Long.parseLong(flood.awaitLine("READY ").split(" ")[1]);
                final long javaId = javaSender.agentId();
                final MessageHandler handler = m ->
                {
                    final long seq = m.buffer().getLong(m.payloadOffset());
                    if (m.sourceAgentId() == cSource[0])
                    {
                        if (seq != fromC[0] && null == problem[0])
                        {
                            problem[0] = "from C: expected " + fromC[0] + ", got " + seq;
                        }
                        fromC[0]++;
                    }
                    else if (m.sourceAgentId() == javaId)
                    {
                        if (seq != fromJava[0] && null == problem[0])
                        {
                            problem[0] = "from Java: expected " + fromJava[0] + ", got " + seq;
                        }
                        fromJava[0]++;
                    }
                };
                fixture.pollUntil(receiver, handler, () -> fromC[0] >= FROM_C_BEFORE_KILL || null != problem[0],
                    FROM_C_BEFORE_KILL + " messages from the C flood", 60, flood);
                flood.kill();
                assertEquals(137, flood.process().exitValue(), "killed by SIGKILL");

                for (long i = 0; i < AFTER; i++)
                {
                    fixture.payload.putLong(0, i);
                    int status;
                    while ((status = javaSender.send(toReceiver, fixture.payload, 0, Long.BYTES)) ==
                        OfferStatus.BACK_PRESSURED)
                    {
                        receiver.poll(handler);
                    }
                    assertEquals(OfferStatus.OK, status, "send " + i + " behind the killed C agent");
                }
                fixture.pollUntil(receiver, handler, () -> fromJava[0] >= AFTER || null != problem[0],
                    AFTER + " messages from Java behind the killed C agent (round " + round + ", " + fromC[0] +
                    " from C, unblocked " + receiver.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED) + ")", 60, null);
                assertEquals(null, problem[0]);
                assertTrue(fromC[0] >= FROM_C_BEFORE_KILL);
            }
            System.out.println("C floods killed: " + ROUNDS + "; inbox records unblocked: " +
                receiver.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED));
        }
    }

    /**
     * The deterministic case: the C agent runs under gdb, stopped inside {@code sb_inbox_offer} at the body's copy,
     * after it claimed its record in the Java receiver's ring and before it committed it, and is killed there (gdb's
     * {@code kill}: SIGKILL). The receiver unblocks the record after the unblock timeout, counts it, and receives the
     * 2,000 messages a Java sender writes behind it, in order.
     */
    @Test
    void aCSenderKilledBetweenClaimAndCommitIsUnblockedByTheJavaReceiver() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir)
            .inboxUnblockTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200));
        try (InteropFixture fixture = new InteropFixture(dir, new RouterContext(), ipc))
        {
            final SwitchboardClient receiver = fixture.javaAgent("java-receiver");
            final AgentProcess gdb = AgentProcess.start(dir, "gdb-c-claim", fixture.agentEnvironment(), List.of(
                "gdb", "-q", "-batch", "-nx",
                "-ex", "set breakpoint pending on", "-ex", "break sb_inbox_offer", "-ex", "run", "-ex", "delete",
                "-ex", "break memcpy", "-ex", "continue", "-ex", "bt 2", "-ex", "printf \"CLAIMED\\n\"",
                "-ex", "kill",
                "--args", NativeBuild.get().agent().toString(), "c-claim", "flood", "java-receiver"));
            final long[] fromOthers = {0};
            final long[] fromJava = {0};
            final String[] problem = {null};
            final SwitchboardClient sender = fixture.javaAgent("java-sender");
            final long javaId = sender.agentId();
            final MessageHandler handler = m ->
            {
                if (m.sourceAgentId() != javaId)
                {
                    fromOthers[0]++;
                    return;
                }
                final long seq = m.buffer().getLong(m.payloadOffset());
                if (seq != fromJava[0] && null == problem[0])
                {
                    problem[0] = "from Java: expected " + fromJava[0] + ", got " + seq;
                }
                fromJava[0]++;
            };
            fixture.pollUntil(receiver, handler, () -> !gdb.process().isAlive(), "gdb to kill the C agent", 60, gdb);
            final String out = gdb.stdoutText();
            assertTrue(out.contains("CLAIMED") && out.contains("in sb_inbox_offer") && out.contains("killed"),
                "the C agent stopped inside sb_inbox_offer and was killed there: " + gdb.describe());

            final Destination toReceiver = sender.destination("java-receiver", Priority.CRITICAL);
            for (long i = 0; i < AFTER; i++)
            {
                fixture.payload.putLong(0, i);
                int status;
                while ((status = sender.send(toReceiver, fixture.payload, 0, Long.BYTES)) == OfferStatus.BACK_PRESSURED)
                {
                    receiver.poll(handler);
                }
                assertEquals(OfferStatus.OK, status, "send " + i + " behind the dead C agent's claim");
            }
            fixture.pollUntil(receiver, handler, () -> fromJava[0] >= AFTER || null != problem[0],
                AFTER + " messages behind the dead C agent's claim (unblocked " +
                receiver.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED) + ")", 60, null);
            assertEquals(null, problem[0]);
            assertEquals(1, receiver.counter(RouterCounter.INBOX_RECORDS_UNBLOCKED), "the one stuck record is counted");
            assertEquals(0, fromOthers[0], "the claimed record was never committed: nothing of it is delivered");
        }
    }
}
