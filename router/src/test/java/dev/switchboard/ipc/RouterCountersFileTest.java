package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.counters.file.CountersFileDescriptor;
import dev.switchboard.counters.file.CountersFiles;
import dev.switchboard.counters.file.CountersSnapshot;
import dev.switchboard.router.RouterContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running router's counters file and its agents': Agrona's CountersReader reads the router's file with the labels
 * and values the router counts, the reader sees the same, the files are 0600, an agent's file is named after it once
 * it registers and holds its request round trips, and both are gone once closed.
 */
class RouterCountersFileTest
{
    @TempDir
    Path dir;

    @Test
    void agronasCountersReaderReadsARunningRoutersFileAsTheRouterCountsIt() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        final Path routerFile;
        final Path agentFile;
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            IpcConnection requesterConnection = IpcConnection.connect(ipc);
            SwitchboardClient requester = SwitchboardClient.connect(new ClientContext().connection(requesterConnection));
            SwitchboardClient responder = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            routerFile = router.countersFile().path();
            final long pid = ProcessHandle.current().pid();
            assertEquals(ipc.shmDir().resolve("counters").resolve("router-" + dir.getFileName() + "-" + pid +
                ".counters").toAbsolutePath(), routerFile);
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(routerFile, LinkOption.NOFOLLOW_LINKS)));

            requester.register("Requester");
            responder.register("Responder");
            responder.subscribe("news");
            agentFile = requesterConnection.countersFile().path();
            assertEquals("agent-Requester-" + pid + ".counters", agentFile.getFileName().toString());

            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            final int[] responses = {0};
            final ResponseHandler onResponse = new ResponseHandler()
            {
                public void onResponse(final long correlationId, final dev.switchboard.client.Message response)
                {
                    responses[0]++;
                }

                public void onTimeout(final long correlationId)
                {
                }
            };
            final long responderId = requester.agentIdOf("Responder");
            int published = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (responses[0] < 100 || published < 50)
            {
                if (published < 50 &&
                    requester.publish(NameIds.of("news"), Priority.NORMAL, payload, 0, 8) == OfferStatus.OK)
                {
                    published++;
                }
                requester.request(responderId, Priority.CRITICAL, payload, 0, 8, TimeUnit.SECONDS.toNanos(5),
                    onResponse);
                requester.poll(m -> { });
                responder.poll(m ->
                {
                    if (m.pattern() == Pattern.REQUEST)
                    {
                        responder.respond(m, payload, 0, 8);
                    }
                });
                assertTrue(System.nanoTime() < deadline, "responses " + responses[0] + ", published " + published);
            }
            // The router routes the 50 publications when it gets to them (a publish is OK once on the socket): wait
            // for its count (the same memory as its file), then poll on so that the duty slices flush the counters.
            final long routedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (router.router().counters().block().get(RouterCounter.FANOUT_DELIVERIES) < 50)
            {
                responder.poll(m -> { });
                requester.poll(m -> { });
                assertTrue(System.nanoTime() < routedBy, "the router routed the 50 publications");
            }
            for (int i = 0; i < 2000; i++)
            {
                responder.poll(m -> { }); // the fan-out copies, then the duty slice flushes the counters
                requester.poll(m -> { });
            }
            requester.counter(RouterCounter.REQUEST_TIMEOUTS); // flushes the requester's counts now
            responder.counter(RouterCounter.REQUEST_TIMEOUTS);

            // Agrona's reader over the file's two counters sections, as any Agrona tool would map them.
            final Map<String, Long> agrona = new LinkedHashMap<>();
            final Map<String, Long> ours = new LinkedHashMap<>();
            try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(routerFile, StandardOpenOption.READ))
            {
                final MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
                final int n = CounterIds.COUNT;
                final CountersReader reader = new CountersReader(
                    new UnsafeBuffer(mapping.address() + CountersFileDescriptor.metadataOffset(n),
                        n * CountersFileDescriptor.METADATA_LENGTH),
                    new UnsafeBuffer(mapping.address() + CountersFileDescriptor.valuesOffset(n),
                        n * CountersFileDescriptor.COUNTER_LENGTH));
                reader.forEach((value, counterId, label) -> agrona.put(counterId + " " + label, value));
                final CountersSnapshot snapshot = CountersFiles.read(routerFile, mapping);
                snapshot.counters().forEach(c -> ours.put(c.id() + " " + c.label(), c.value()));
                assertEquals(CounterIds.COUNT, agrona.size());
                // The router is running (it parks, polls, fans out the last copies): read one after the other, the
                // same counters have the same labels and values that never go down between the two reads.
                assertEquals(List.copyOf(agrona.keySet()), List.copyOf(ours.keySet()), "the same counters and labels");
                agrona.forEach((label, value) -> assertTrue(ours.get(label) >= value,
                    label + ": Agrona read " + value + ", CountersFiles then read " + ours.get(label)));
                assertEquals(2, reader.getCounterValue(CounterIds.of(RouterCounter.REGISTRATIONS)));
                assertTrue(reader.getCounterValue(CounterIds.of(RouterCounter.FANOUT_DELIVERIES)) >= 50);
                assertEquals(CountersSnapshot.Role.ROUTER, snapshot.role());
                assertEquals(dir.getFileName().toString(), snapshot.name());
                assertTrue(snapshot.alive());
                assertTrue(System.currentTimeMillis() - snapshot.heartbeatMs() < 5_000, "heartbeat");
            }

            final CountersSnapshot agent = CountersFiles.read(agentFile);
            assertEquals("Requester", agent.name());
            assertEquals(CountersSnapshot.Role.AGENT, agent.role());
            assertTrue(value(agent, CounterIds.of(Tier.CRITICAL, Pattern.REQUEST, CounterKind.SENT)) >= 100);
            assertTrue(value(agent, CounterIds.of(Tier.CRITICAL, Pattern.RESPONSE, CounterKind.DELIVERED)) >= 100);
            final CountersSnapshot.Histogram rtt = agent.histograms().stream()
                .filter(h -> h.name().equals(AgentCountersFile.REQUEST_RESPONSE_HISTOGRAM)).findFirst().orElse(null);
            assertNotNull(rtt, agent.histograms().toString());
            assertTrue(java.util.Arrays.stream(rtt.counts()).sum() >= 100, "round trips recorded");
            assertTrue(rtt.sumNs() > 0);
            assertEquals(3, CountersFiles.readAll(ipc.shmDir()).size(), "the router's and two agents'");
        }
        assertFalse(Files.exists(routerFile), "removed when the router closes");
        assertFalse(Files.exists(agentFile), "removed when the agent closes");
    }

    private static long value(final CountersSnapshot snapshot, final int id)
    {
        return snapshot.counters().get(id).value();
    }
}
