/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 of a receiver process: senders get a clear status, the router deregisters it, its inbox file is
 * reclaimed, and work items it held unacked go to another consumer; nothing hangs.
 */
@Tag("slow")
class KilledReceiverTest
{
    private static final int ITEMS = 20;

    @TempDir
    Path dir;

    @Test
    void aCriticalSenderToAKilledReceiverGetsNotConnectedAndTheInboxIsReclaimed() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient sender = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            ChildJvm victim = ChildJvm.start(dir, List.of("-Dswitchboard.inbox.capacity=65536"),
                HoldingConsumerMain.class, dir.toString(), "Victim", "unused-queue"))
        {
            sender.register("Sender");
            KilledSenderUnblockTest.awaitStdout(victim, "consuming");
            final long victimId = sender.agentIdOf("Victim");
            final String inbox = sender.lookup("Victim").inbox();
            assertTrue(Files.exists(Path.of(inbox)), "victim's inbox " + inbox);
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            final Destination victimInbox = sender.destination(victimId, Priority.CRITICAL);
            assertTrue(victimInbox.isDirect(), "straight into the victim's inbox: " + victimInbox);
            assertEquals(OfferStatus.OK, sender.send(victimInbox, payload, 0, 32));

            victim.kill();
            victim.awaitExit(Duration.ofSeconds(10));

            long ok = 0;
            long backPressured = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status;
            while ((status = sender.send(victimInbox, payload, 0, 32)) != OfferStatus.NOT_CONNECTED)
            {
                if (status == OfferStatus.OK)
                {
                    ok++;
                }
                else if (status == OfferStatus.BACK_PRESSURED)
                {
                    backPressured++;
                    sender.poll(m ->
                    {
                    });
                    Thread.sleep(1);
                }
                else
                {
                    fail("unexpected status " + OfferStatus.name(status));
                }
                assertTrue(System.nanoTime() < deadline,
                    "still no NOT_CONNECTED 10 s after kill -9; ok " + ok + ", back-pressured " + backPressured +
                    "; inbox exists " + Files.exists(Path.of(inbox)) + "; counters " + router.router().counters().report());
            }
            System.out.println("after kill -9: " + ok + " OK (into the dead ring), " + backPressured +
                " BACK_PRESSURED, then NOT_CONNECTED");
            assertEquals(OfferStatus.NOT_CONNECTED, sender.send(victimInbox, payload, 0, 32), "stays NOT_CONNECTED");
            assertEquals(OfferStatus.NOT_CONNECTED, sender.send(victimId, Priority.CRITICAL, payload, 0, 32),
                "by id too");
            awaitNoInbox(Path.of(inbox));
            assertNull(sender.lookup("Victim"));
            assertEquals(1, router.router().counters().block().get(RouterCounter.CONNECTIONS_CLOSED));
        }
    }

    @Test
    void workItemsHeldUnackedByAKilledConsumerAreRedeliveredToAnother() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient producer = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            SwitchboardClient survivor = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            ChildJvm holder = ChildJvm.start(dir, List.of(), HoldingConsumerMain.class, dir.toString(), "Holder", "jobs"))
        {
            producer.register("Producer");
            survivor.register("Survivor");
            KilledSenderUnblockTest.awaitStdout(holder, "consuming");
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 8);
            for (long i = 0; i < ITEMS; i++)
            {
                payload.putLong(0, i);
                assertEquals(OfferStatus.OK, producer.enqueue(NameIds.of("jobs"), Priority.NORMAL, payload, 0, 8));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!holder.stdoutText().contains("got 8"))
            {
                producer.poll(m ->
                {
                });
                assertTrue(System.nanoTime() < deadline, "holder never got its prefetch of 8: " + holder.stdoutText());
                Thread.sleep(1);
            }

            survivor.consume("jobs");
            final TreeSet<Long> done = new TreeSet<>();
            final List<Long> redelivered = new ArrayList<>();
            final boolean[] killed = {false};
            while (done.size() < ITEMS)
            {
                survivor.poll(m ->
                {
                    if (m.pattern() == Pattern.WORK)
                    {
                        final long item = m.buffer().getLong(m.payloadOffset());
                        done.add(item);
                        if (m.isRedelivery())
                        {
                            redelivered.add(item);
                        }
                        assertEquals(OfferStatus.OK, survivor.ack(m));
                    }
                });
                producer.poll(m ->
                {
                });
                if (!killed[0] && done.size() == ITEMS - 8)
                {
                    holder.kill();
                    killed[0] = true;
                }
                assertTrue(System.nanoTime() < deadline, "items done " + done + "; holder killed " + killed[0]);
                Thread.sleep(1);
            }
            assertTrue(killed[0], "the survivor got items the holder held before it was killed");
            assertEquals(8, redelivered.size(), "the holder's 8 unacked items come again, marked redelivered: " + redelivered);
            assertEquals(ITEMS, done.size());
            assertEquals(8, router.router().counters().block().get(RouterCounter.WORK_REDELIVERED));
        }
    }

    private static void awaitNoInbox(final Path inbox) throws InterruptedException, IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(inbox))
        {
            assertTrue(System.nanoTime() < deadline, "the dead receiver's inbox was not reclaimed: " + inbox);
            Thread.sleep(5);
        }
        try (Stream<Path> left = Files.list(inbox.getParent()))
        {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("Victim")), "no file of the victim left");
        }
    }
}
