/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;

/**
 * An agent process for the counters files' tests, started with no JVM flag: registers as {@code name}, subscribes to
 * {@code traffic}, waits for {@code peer}, prints "ready", then until killed, about a thousand times a second: a
 * CRITICAL request to its peer (answered by the peer: round trips in its {@code request_response_ns} histogram), a
 * NORMAL publish on {@code traffic} (routed by the router: its fan-out counters move), and answers its peer's
 * requests. Arguments: runtimeDir name peer.
 */
public final class TrafficAgentMain
{
    private TrafficAgentMain()
    {
    }

    public static void main(final String[] args)
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final String name = args[1];
        final String peer = args[2];
        try (SwitchboardClient client = SwitchboardClient.connect(
            new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            client.register(name, "traffic");
            client.subscribe("traffic");
            long peerId = 0;
            while (peerId == 0)
            {
                peerId = client.agentIdOf(peer);
                client.poll(m -> { });
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            System.out.println("ready");
            System.out.flush();
            final SegmentBuffer payload = SegmentBuffer.allocate(Arena.ofAuto(), 32);
            final long topic = NameIds.of("traffic");
            final ResponseHandler ignore = new ResponseHandler()
            {
                @Override
                public void onResponse(final long correlationId, final Message response)
                {
                }

                @Override
                public void onTimeout(final long correlationId)
                {
                }
            };
            while (true)
            {
                payload.putLong(0, System.nanoTime());
                if (client.pendingRequests() < 16)
                {
                    client.request(peerId, Priority.CRITICAL, payload, 0, 8, TimeUnit.SECONDS.toNanos(1), ignore);
                }
                client.publish(topic, Priority.NORMAL, payload, 0, 8);
                for (int i = 0; i < 8; i++)
                {
                    client.poll(m ->
                    {
                        if (m.pattern() == Pattern.REQUEST)
                        {
                            client.respond(m, payload, 0, 8);
                        }
                    });
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }
}
