/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A slow consumer on each tier: the receiver first does not read at all, until the sender process reports
 * BACK_PRESSURED (the back-pressure has travelled from the receiver's inbox, or through the router's outbound ring,
 * its ingress and the sockets, back to the sender); then it reads slowly. The sender retries every refused message,
 * and every message arrives exactly once, in order. LOW appends to disk and is never back-pressured: there the
 * receiver only reads slowly.
 */
@Tag("slow")
class SlowConsumerTest
{
    private static final long COUNT = 30_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Priority.class, names = {"CRITICAL", "HIGH", "NORMAL", "LOW"})
    void backPressureReachesTheSenderAndEverythingArrivesOnceInOrder(final Priority priority) throws Exception
    {
        // Small rings everywhere, so back-pressure reaches the sender after a few hundred KiB; a long lease, since the
        // receiver does not poll (or heartbeat) while it waits.
        final IpcContext ipc = new IpcContext().underDirectory(dir).inboxCapacity(4096).outboundCapacity(4096);
        final RouterContext routerContext = new RouterContext().ingressCapacity(64 * 1024)
            .defaultLeaseNs(TimeUnit.SECONDS.toNanos(30)).maxLeaseNs(TimeUnit.SECONDS.toNanos(60));
        final List<String> flags = priority == Priority.LOW ? DurableQueues.JVM_FLAGS :
            JvmFlags.of(JvmFlags.Group.NATIVE);
        try (RouterProcess router = RouterProcess.launch(routerContext, ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            receiver.register("Slow", "test-receiver");
            try (ChildJvm sender = ChildJvm.start(dir, flags, SenderAgentMain.class,
                dir.toString(), "Sender", "Slow", priority.name(), String.valueOf(COUNT)))
            {
                if (priority != Priority.LOW)
                {
                    KilledSenderUnblockTest.awaitStdout(sender, "back-pressured first at");
                }
                final long[] next = {0};
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (next[0] < COUNT)
                {
                    receiver.poll(m ->
                    {
                        final long seq = m.buffer().getLong(m.payloadOffset());
                        if (seq != next[0])
                        {
                            fail(priority + ": expected " + next[0] + " got " + seq + " on " + m.tier());
                        }
                        next[0]++;
                    });
                    if ((next[0] & 1023) == 0)
                    {
                        Thread.sleep(1);
                    }
                    if (System.nanoTime() > deadline)
                    {
                        fail(priority + ": received " + next[0] + " of " + COUNT + "; sender: " + sender.stdoutText() +
                            sender.stderrText().lines().limit(5).toList());
                    }
                }
                assertEquals(0, sender.awaitExit(Duration.ofSeconds(60)), sender.stderrText());
                System.out.println(priority + " on " + receiver.tierFor(priority) + ": " + sender.stdoutText().strip()
                    .replace('\n', ';'));
                assertTrue(sender.stdoutText().contains("sent " + COUNT), sender.stdoutText());
                final int[] extra = {0};
                for (int i = 0; i < 20; i++)
                {
                    receiver.poll(m -> extra[0]++);
                    Thread.sleep(2);
                }
                assertEquals(0, extra[0], "nothing arrives twice");
                if (priority == Priority.CRITICAL)
                {
                    assertEquals(Tier.CRITICAL, receiver.tierFor(priority));
                }
            }
        }
    }
}
