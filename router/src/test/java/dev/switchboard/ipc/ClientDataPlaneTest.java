package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterMain;
import dev.switchboard.router.process.RouterProcess;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.durable.DurableQueues;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's data plane across processes: tiers open on first use, and a send never waits for the router.
 */
@Tag("slow")
class ClientDataPlaneTest
{
    @TempDir
    Path dir;

    @Test
    void anAgentThatOnlyUsesCriticalOpensNoDurableQueueAndStartsNoChronicleThread() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new dev.switchboard.router.RouterContext(), ipc);
            ChildJvm agent = ChildJvm.start(dir, DurableQueues.JVM_FLAGS, LazyTiersAgentMain.class, dir.toString(),
                "Lazy"))
        {
            assertEquals(0, agent.awaitExit(Duration.ofSeconds(60)), agent.stderrText());
            final String out = agent.stdoutText();
            assertTrue(out.contains("critical-only durable=false threads=[]"), out + agent.stderrText());
            assertTrue(out.contains("after-low status=OK durable=true received=1"), out + agent.stderrText());
            assertTrue(!out.substring(out.indexOf("after-low")).contains("threads=[]"),
                "the thread filter sees Chronicle's threads once LOW is open: " + out);
        }
    }

    @Test
    void aSendByIdToAnAgentNeverLookedUpReturnsAtOnceWhileTheRouterIsStopped() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final List<String> flags = new ArrayList<>(List.of(
            "-Dswitchboard.runtime.dir=" + dir,
            "-Dswitchboard.shm.dir=" + dir.resolve("shm"),
            "-Dswitchboard.data.dir=" + dir.resolve("data")));
        flags.addAll(JvmFlags.router());
        try (ChildJvm router = ChildJvm.start(dir, flags, RouterMain.class))
        {
            KilledSenderUnblockTest.awaitStdout(router, "listening");
            // A control call would wait this long: a send that blocked on a lookup would show it.
            final ClientContext slowControl = new ClientContext().controlTimeoutNs(TimeUnit.SECONDS.toNanos(60));
            try (SwitchboardClient receiver = SwitchboardClient.connect(
                    new ClientContext().connection(IpcConnection.connect(ipc)));
                SwitchboardClient sender = SwitchboardClient.connect(slowControl.connection(IpcConnection.connect(ipc))))
            {
                receiver.register("Receiver");
                sender.register("Sender");
                final long receiverId = receiver.agentId();
                signal(router, "STOP");
                try
                {
                    final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
                    payload.putLong(0, 42);
                    final long startNs = System.nanoTime();
                    final int status = sender.send(receiverId, Priority.CRITICAL, payload, 0, 32);
                    final long tookNs = System.nanoTime() - startNs;
                    assertEquals(OfferStatus.OK, status, "routed while its inbox is looked up in the background");
                    assertTrue(tookNs < TimeUnit.SECONDS.toNanos(30),
                        "the send did not wait for the stopped router's answer (a lookup would take 60 s): " +
                        tookNs / 1_000_000 + " ms");
                }
                finally
                {
                    signal(router, "CONT");
                }
                final long[] got = {0};
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got[0] == 0)
                {
                    receiver.poll(m ->
                    {
                        assertEquals(Tier.CRITICAL, m.tier());
                        got[0] = m.buffer().getLong(m.payloadOffset());
                    });
                    sender.poll(m ->
                    {
                    });
                    assertTrue(System.nanoTime() < deadline, "the message arrives once the router runs again");
                }
                assertEquals(42, got[0]);
            }
        }
    }

    private static void signal(final ChildJvm child, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(child.process().pid()))
            .inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
