package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.sample.SampleAgentMain;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./switchboard agent} ({@link SampleAgentMain}) stopped by SIGTERM or SIGINT, as a real process against a real
 * router: it exits 0 within the stop timeout, having deregistered (the router counts a deregistration, not a closed
 * connection nor an expired lease, and a lookup no longer finds it), removed its inbox file, and printed what it
 * received and its counters.
 */
@Tag("slow")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SampleAgentStopTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalMakesTheAgentDeregisterPrintItsCountersAndExitZeroWithinTheStopTimeout(final String signal)
        throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final String name = "Sampler-" + signal;
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient tester = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            ChildJvm agent = ChildJvm.start(dir, agentFlags(), SampleAgentMain.class, "--name", name))
        {
            KilledSenderUnblockTest.awaitStdout(agent, "registered as");
            tester.register("Tester");
            assertNotNull(tester.lookup(name));
            final String inbox = "-" + agent.process().pid() + ".inbox";
            assertTrue(shmFiles().stream().anyMatch(f -> f.endsWith(inbox)), "the agent's inbox: " + shmFiles());
            roundTrip(tester, tester.agentIdOf(name));
            Thread.sleep(300); // long enough for the agent to park: the stop must wake it

            final CounterBlock counters = router.router().counters().block();
            final long signalledNs = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, String.valueOf(agent.process().pid())).start().waitFor();
            final int status = agent.awaitExit(Duration.ofSeconds(30));
            final long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledNs);
            System.out.println("SIG" + signal + ": agent exited " + status + " after " + stopMs + " ms");

            assertEquals(0, status, agent.stdoutText() + agent.stderrText());
            assertTrue(stopMs < StopSignals.DEFAULT_TIMEOUT_MS, "stopped within the stop timeout: " + stopMs + " ms");
            final String out = agent.stdoutText();
            assertTrue(out.contains("stopping (SIG" + signal + "): deregistering"), out);
            assertTrue(out.contains("received: REQUEST=1"), out);
            assertTrue(out.contains("stopped; counters:"), out);
            assertEquals(1, counters.get(RouterCounter.DEREGISTRATIONS), "the agent deregistered");
            assertEquals(0, counters.get(RouterCounter.CONNECTIONS_CLOSED), "not dropped with its connection");
            assertEquals(0, counters.get(RouterCounter.LEASES_EXPIRED), "not left to its lease");
            assertNull(tester.lookup(name), "gone from the registry");
            assertTrue(shmFiles().stream().noneMatch(f -> f.endsWith(inbox)), "inbox removed: " + shmFiles());
        }
    }

    private List<String> agentFlags()
    {
        final List<String> flags = new ArrayList<>(List.of(
            "-Dswitchboard.runtime.dir=" + dir,
            "-Dswitchboard.shm.dir=" + dir.resolve("shm"),
            "-Dswitchboard.data.dir=" + dir.resolve("data")));
        flags.addAll(JvmFlags.of(JvmFlags.Group.AGENT));
        return flags;
    }

    private List<String> shmFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve("shm")))
        {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** One request to the agent, answered (its echo): the agent is serving, and has something to count. */
    private static void roundTrip(final SwitchboardClient tester, final long agentId) throws InterruptedException
    {
        final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 8);
        final boolean[] answered = {false};
        final ResponseHandler handler = new ResponseHandler()
        {
            @Override
            public void onResponse(final long correlationId, final Message response)
            {
                answered[0] = true;
            }

            @Override
            public void onTimeout(final long correlationId)
            {
            }
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long id;
        while ((id = tester.request(agentId, Priority.NORMAL, payload, 0, 8, TimeUnit.SECONDS.toNanos(10), handler)) ==
            OfferStatus.BACK_PRESSURED)
        {
            assertTrue(System.nanoTime() < deadline, "the request is taken");
            tester.poll(m -> { }); // a NORMAL destination by id waits for its link in the background
        }
        assertTrue(id >= 0, "request status " + id);
        while (!answered[0])
        {
            assertTrue(System.nanoTime() < deadline, "the agent answers a request");
            tester.poll(m -> { });
            Thread.sleep(1);
        }
    }
}
