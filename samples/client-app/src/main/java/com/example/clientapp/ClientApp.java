package com.example.clientapp;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Destination;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.IdleStrategy;

/**
 * An agent process of your own: two Switchboard clients, Greeter and Listener, each on its own thread (a client is
 * confined to one), connect to a running router ({@code bin/switchboard router}) and register. Greeter resolves a
 * destination to Listener at each of CRITICAL, HIGH and NORMAL and sends one greeting on each; Listener prints every
 * message it receives, with the tier it travelled on. Exits 0 when Listener got them all, 1 otherwise.
 *
 * <p>The router is found through the {@code switchboard.runtime.dir} system property (default: under
 * {@code $XDG_RUNTIME_DIR}, else {@code /tmp/switchboard-$UID}), as the router's {@code --runtime-dir} sets it:
 * <pre>
 *   bin/switchboard router --runtime-dir /tmp/sb &amp;
 *   java --enable-native-access=ALL-UNNAMED -Dswitchboard.runtime.dir=/tmp/sb \
 *       -cp target/classes:$(cat target/classpath.txt) com.example.clientapp.ClientApp
 * </pre>
 * ({@code --enable-native-access} is for HIGH's io_uring; without it the JVM warns, and CRITICAL and NORMAL need no flag.)
 */
public final class ClientApp
{
    static final String GREETER = "Greeter";
    static final String LISTENER = "Listener";
    static final Priority[] PRIORITIES = {Priority.CRITICAL, Priority.HIGH, Priority.NORMAL};
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    private ClientApp()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final CountDownLatch listenerRegistered = new CountDownLatch(1);
        final List<String> received = new ArrayList<>();
        final Thread listener = Thread.ofPlatform().name(LISTENER).start(() -> listen(listenerRegistered, received));

        try (SwitchboardClient greeter = connect())
        {
            greeter.register(GREETER, "greeting");
            System.out.println(GREETER + " registered as " + Long.toHexString(greeter.agentId()));
            if (!listenerRegistered.await(TIMEOUT_NS, TimeUnit.NANOSECONDS))
            {
                System.out.println(GREETER + ": " + LISTENER + " did not register");
                System.exit(1);
            }
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 256);
            for (final Priority priority : PRIORITIES)
            {
                // a control call, once per receiver and priority: maps Listener's inbox or opens a link to it
                final Destination toListener = greeter.destination(LISTENER, priority);
                final byte[] text = ("hello from " + GREETER + " at " + priority).getBytes(StandardCharsets.UTF_8);
                payload.putBytes(0, text);
                int status;
                while ((status = greeter.send(toListener, payload, 0, text.length)) == OfferStatus.BACK_PRESSURED)
                {
                    greeter.idleStrategy().idle(greeter.poll(message -> { }));
                }
                System.out.println(GREETER + " sent at " + priority + " on " + greeter.tierFor(priority) + ": " +
                    OfferStatus.name(status));
            }
            // keep Greeter's lease and links served while Listener reads
            final IdleStrategy idle = greeter.idleStrategy();
            while (listener.isAlive())
            {
                idle.idle(greeter.poll(message -> { }));
                listener.join(1);
            }
        }
        synchronized (received)
        {
            System.out.println(LISTENER + " received " + received.size() + " of " + PRIORITIES.length + " messages");
            System.exit(received.size() == PRIORITIES.length ? 0 : 1);
        }
    }

    private static void listen(final CountDownLatch registered, final List<String> received)
    {
        try (SwitchboardClient client = connect())
        {
            client.register(LISTENER, "listening");
            System.out.println(LISTENER + " registered as " + Long.toHexString(client.agentId()));
            registered.countDown();
            final IdleStrategy idle = client.idleStrategy();
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (size(received) < PRIORITIES.length && System.nanoTime() < deadline)
            {
                idle.idle(client.poll(message ->
                {
                    // the message is a view of the inbox, valid during this call: copy out what is kept
                    final String line = LISTENER + " received \"" + message.payloadAsString() + "\" (" +
                        message.pattern() + " at " + message.priority() + " on " + message.tier() + ")";
                    System.out.println(line);
                    synchronized (received)
                    {
                        received.add(line);
                    }
                }));
            }
        }
    }

    private static int size(final List<String> received)
    {
        synchronized (received)
        {
            return received.size();
        }
    }

    private static SwitchboardClient connect()
    {
        // LOW (durable queues) runs on Chronicle Queue, which this app leaves off its class path: nothing reaches for it
        // until a LOW send, which would answer NOT_CONNECTED with one warning naming the missing dependency
        final IpcContext ipc = new IpcContext();
        return SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
    }
}
