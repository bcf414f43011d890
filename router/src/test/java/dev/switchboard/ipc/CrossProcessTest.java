package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.sbe.AgentEventKind;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Agents in separate OS processes, started with no JVM flags, talk to a router over its Unix socket.
 */
@Tag("slow")
class CrossProcessTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Priority.class, names = {"CRITICAL", "HIGH", "NORMAL", "LOW", "BATCH"})
    void aMillionMessagesFromAFlaglessProcessArriveInOrderOnTheirTier(final Priority priority) throws Exception
    {
        final Tier expectedTier = Tier.valueOf(priority.name());
        // CRITICAL and NORMAL need no JVM flags at all; LOW (Chronicle) needs its opens.
        final List<String> flags = switch (priority)
        {
            case HIGH -> JvmFlags.of(JvmFlags.Group.NATIVE);
            case LOW -> dev.switchboard.ipc.durable.DurableQueues.JVM_FLAGS;
            default -> List.of();
        };
        final long count = 1_000_000;
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient receiver = SwitchboardClient.connect(
                new ClientContext().connection(IpcConnection.connect(ipc)));
            ChildJvm sender = ChildJvm.start(dir, flags, SenderAgentMain.class,
                dir.toString(), "Sender", "Receiver", priority.name(), String.valueOf(count)))
        {
            receiver.register("Receiver", "test-receiver");
            final long[] next = {0};
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (next[0] < count)
            {
                final int work = receiver.poll(m ->
                {
                    assertEquals(expectedTier, m.tier());
                    final long seq = m.buffer().getLong(m.payloadOffset());
                    if (seq != next[0])
                    {
                        fail("expected " + next[0] + " got " + seq);
                    }
                    next[0]++;
                });
                receiver.idleStrategy().idle(work);
                if (System.nanoTime() > deadline)
                {
                    fail("received " + next[0] + " of " + count + "; counters: " + router.router().counters().report() +
                        "; sender stderr: " + sender.stderrText().lines().limit(5).toList());
                }
            }
            assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender.stderrText());
            assertTrue(sender.stdoutText().contains("sent " + count));
            if (flags.isEmpty())
            {
                assertEquals("", sender.stderrText(), "an agent process with no JVM flags prints no warning");
            }
        }
    }

    @Test
    void killingAnAgentProcessDeregistersItWithinOneSecond() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final List<String> events = new CopyOnWriteArrayList<>();
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient watcher = SwitchboardClient.connect(new ClientContext()
                .connection(IpcConnection.connect(ipc))
                .listener(new ClientListener()
                {
                    public void onAgentEvent(final long agentId, final AgentEventKind kind, final String name)
                    {
                        events.add(kind + " " + name);
                    }
                })))
        {
            watcher.register("Watcher");
            watcher.watchRegistry();
            try (ChildJvm victim = ChildJvm.start(dir, List.of(), SenderAgentMain.class,
                dir.toString(), "Victim", "Watcher", "NORMAL", "1", "60000"))
            {
                final long registeredBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!events.contains("REGISTERED Victim"))
                {
                    watcher.poll(m ->
                    {
                    });
                    assertTrue(System.nanoTime() < registeredBy, "victim never registered: " + victim.stderrText());
                    Thread.sleep(1);
                }
                victim.kill();
                final long killedAt = System.nanoTime();
                while (!events.contains("DEREGISTERED Victim"))
                {
                    watcher.poll(m ->
                    {
                    });
                    assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(5),
                        "dead agent still registered after 5 s: " + events);
                    Thread.sleep(1);
                }
                final long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                System.out.println("kill -9 noticed after " + noticedMs + " ms");
                assertTrue(noticedMs < 1000, "noticed after " + noticedMs + " ms");
                assertEquals(null, watcher.lookup("Victim"));
            }
        }
    }
}
