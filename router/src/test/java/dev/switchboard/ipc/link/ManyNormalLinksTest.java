/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.ipc.link;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.OfferStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A receiver with more than one NORMAL agent link reads them through a selector, which reports only sockets with
 * bytes. Frames a read left in a link's own buffer (the poll's fragment limit stopped it) must still be delivered when
 * no new byte comes: a first sender streams, a second sender opens its link (the receiver switches to the selector),
 * the first sends a burst and stops; every frame arrives. (The bench's two-producer NORMAL runs stalled on this.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ManyNormalLinksTest
{
    @TempDir
    Path dir;

    @Test
    void framesLeftInALinksBufferAreReadWithoutNewBytes() throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc))
        {
            final AtomicLong received = new AtomicLong();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong receiverId = new AtomicLong();
            final Thread receiverThread = new Thread(() ->
            {
                try (SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext()
                    .connection(IpcConnection.connect(ipc))))
                {
                    receiverId.set(receiver.register("receiver").agentId());
                    while (!stop.get())
                    {
                        receiver.idleStrategy().idle(receiver.poll(m -> received.incrementAndGet()));
                    }
                }
            }, "receiver");
            receiverThread.start();
            try (SwitchboardClient first = SwitchboardClient.connect(new ClientContext()
                .connection(IpcConnection.connect(ipc))))
            {
                while (receiverId.get() == 0)
                {
                    Thread.sleep(5);
                }
                first.register("first");
                final Destination toReceiver = first.destination(receiverId.get(), Priority.NORMAL);
                final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
                long sent = send(first, toReceiver, payload, 5_000);
                awaitCount(received, sent, first);
                for (int round = 0; round < 3; round++)
                {
                    // Another sender, on a thread of its own as an application's would be, opens its own link.
                    final ExecutorService other = Executors.newSingleThreadExecutor();
                    final SwitchboardClient second = other.submit(() ->
                    {
                        final SwitchboardClient c = SwitchboardClient.connect(new ClientContext()
                            .connection(IpcConnection.connect(ipc)));
                        c.register("second-" + System.nanoTime());
                        c.destination(receiverId.get(), Priority.NORMAL);
                        return c;
                    }).get();
                    sent += send(first, toReceiver, payload, 1_000);
                    awaitCount(received, sent, first);
                    other.submit(second::close).get();
                    other.shutdown();
                }
            }
            finally
            {
                stop.set(true);
                receiverThread.join();
            }
        }
    }

    private static long send(final SwitchboardClient sender, final Destination to, final SegmentBuffer payload,
        final int count)
    {
        for (int i = 0; i < count; )
        {
            final int status = sender.send(to, payload, 0, 32);
            if (status == OfferStatus.OK)
            {
                i++;
            }
            else if (status != OfferStatus.BACK_PRESSURED)
            {
                fail("send returned " + OfferStatus.name(status));
            }
            sender.poll(m -> { });
        }
        return count;
    }

    private static void awaitCount(final AtomicLong received, final long expected, final SwitchboardClient sender)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < expected)
        {
            sender.poll(m -> { });
            if (System.nanoTime() > deadline)
            {
                fail("received " + received.get() + " of " + expected + ": frames stuck in a link's buffer");
            }
        }
        assertEquals(expected, received.get(), "nothing more than was sent");
    }
}
