/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.files.FileRefusal;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.Tmpfs;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /dev/shm full, for real: an agent whose shm dir is a tmpfs too small for its inbox registers anyway, on
 * NORMAL, with its CRITICAL fallback counted; a sender in another process still reaches it, nothing is lost,
 * nothing is left in the full file system, and the router keeps serving new agents.
 */
@Tag("slow")
class ShmFullFallbackTest
{
    @TempDir
    Path dir;

    @Test
    void anInboxThatCannotBeBackedMakesTheAgentFallBackToNormalAndNothingIsLost() throws Exception
    {
        final long count = 2_000;
        try (Tmpfs tmpfs = Tmpfs.mountOrSkip(dir.resolve("mnt"), 512 * 1024))
        {
            final Path fullShm = tmpfs.dir().resolve("shm");
            final IpcContext ipc = new IpcContext().underDirectory(dir);
            final IpcContext receiverIpc = new IpcContext().underDirectory(dir).shmDir(fullShm).inboxCapacity(1024 * 1024);
            final long noSpaceBefore = OwnedFiles.refusals(FileRefusal.NO_SPACE);
            try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
                SwitchboardClient receiver = SwitchboardClient.connect(
                    new ClientContext().connection(IpcConnection.connect(receiverIpc))))
            {
                receiver.register("Receiver");
                assertEquals(1, receiver.counter(RouterCounter.TIER_FALLBACKS), "the CRITICAL fallback is counted");
                assertEquals(noSpaceBefore + 1, OwnedFiles.refusals(FileRefusal.NO_SPACE), "and the refusal");
                try (Stream<Path> left = Files.list(fullShm))
                {
                    // The agent's counters file (about 260 KiB, growing with the counters) fits in 512 KiB; its 1 MiB
                    // inbox does not.
                    assertEquals(0, left.filter(p -> !p.getFileName().toString().equals("counters")).count(),
                        "no partial inbox left in the full file system");
                }

                try (ChildJvm sender = ChildJvm.start(dir, List.of(), SenderAgentMain.class,
                    dir.toString(), "Sender", "Receiver", "CRITICAL", String.valueOf(count)))
                {
                    final long[] next = {0};
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (next[0] < count)
                    {
                        final int work = receiver.poll(m ->
                        {
                            assertEquals(Tier.NORMAL, m.tier(), "CRITICAL fell back to NORMAL");
                            assertEquals(next[0]++, m.buffer().getLong(m.payloadOffset()));
                        });
                        receiver.idleStrategy().idle(work);
                        assertTrue(System.nanoTime() < deadline, () -> "received " + next[0] + "; " + sender.stderrText());
                    }
                    assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender::stderrText);
                }

                // The router is still serving: a new agent (with a working shm dir) registers.
                try (SwitchboardClient late = SwitchboardClient.connect(
                    new ClientContext().connection(IpcConnection.connect(ipc))))
                {
                    late.register("Late");
                    assertTrue(late.agentId() > 0);
                    assertEquals(receiver.agentId(), late.agentIdOf("Receiver"));
                }
            }
        }
    }
}
