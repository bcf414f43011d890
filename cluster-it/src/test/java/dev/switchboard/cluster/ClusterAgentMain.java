/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.AgentInfo;
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
import dev.switchboard.transport.OfferStatus;

/**
 * An agent process on one host of a cluster test, with the client code an agent on one host uses: it connects to its
 * own host's router, registers, and then does what the test writes on its stdin, one command a line, answering each
 * with one line on stdout. Between commands it polls: requests are answered ({@code re <payload>}), work items acked
 * (unless held),
 * and everything received is counted.
 *
 * <p>Arguments: {@code runtimeDir name}. Payloads are text, {@code KIND FROM SEQ}. Commands:
 * <ul>
 *   <li>{@code subscribe T}, {@code join G}, {@code consume Q}, {@code stop Q} (stop consuming) → {@code ok}</li>
 *   <li>{@code hold on}: work items are counted but not acked from now ({@code hold off}: acked again; those held
 *       stay unacked) → {@code ok}</li>
 *   <li>{@code lookup NAME} → {@code found ID} or {@code absent}</li>
 *   <li>{@code reset KIND FROM}: forget what was counted of that kind from that sender → {@code ok}</li>
 *   <li>{@code label KIND}: the next messages carry KIND instead of their command's name ({@code label -}: back to
 *       the command's) → {@code ok}</li>
 *   <li>{@code send NAME PRIORITY N}, {@code publish T PRIORITY N}, {@code multicast G PRIORITY N},
 *       {@code broadcast PRIORITY N}, {@code enqueue Q PRIORITY N} (the first four with an optional BYTES: each
 *       payload padded to that length, up to 64 KiB): N messages, SEQ going on from the last command
 *       of the same kind (0 first), each retried while
 *       back-pressured (30 s at most) → {@code sent N} or {@code failed SEQ STATUS}</li>
 *   <li>{@code request NAME PRIORITY N}: N requests one after the other, each waiting for its response (5 s) →
 *       {@code answered N} or {@code failed SEQ WHY}</li>
 *   <li>{@code count KIND FROM} → {@code count KIND FROM RECEIVED OUT_OF_ORDER REDELIVERED}: messages of that kind
 *       from that sender received so far, how many came with a SEQ not above every one before (a duplicate or a
 *       reordering; a gap is not counted: competing consumers each get a share), and how many were flagged
 *       redelivered</li>
 * </ul>
 */
public final class ClusterAgentMain
{
    private static final long SEND_RETRY_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_PAYLOAD = 64 * 1024;
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final SwitchboardClient client;
    private final String name;
    private final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), MAX_PAYLOAD);
    // KIND FROM -> {received, outOfOrder, next, redelivered}
    private final Map<String, long[]> received = new HashMap<>();
    private final Map<String, Integer> nextSeq = new HashMap<>(); // KIND -> the next SEQ this agent sends
    private String lastResponse;
    /** The KIND the next messages carry instead of their command's name (null: the command's). */
    private String label;
    /** The length to pad the next messages to (0: none). */
    private int payloadLength;
    private boolean timedOut;
    /** Work items are counted but not acked. */
    private boolean hold;

    private ClusterAgentMain(final SwitchboardClient client, final String name)
    {
        this.client = client;
        this.name = name;
    }

    public static void main(final String[] args) throws Exception
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        final Thread reader = Thread.ofPlatform().daemon().start(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    commands.add(line);
                }
            }
            catch (final Exception ignored)
            {
                // stdin closed: the test is done with us
            }
            commands.add("exit");
        });
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext()
            .connection(IpcConnection.connect(ipc))))
        {
            client.register(args[1], "cluster-test");
            System.out.println("registered " + client.agentId());
            new ClusterAgentMain(client, args[1]).run(commands);
        }
        reader.interrupt();
    }

    private void run(final BlockingQueue<String> commands) throws Exception
    {
        while (true)
        {
            final String command = commands.poll();
            if (null == command)
            {
                if (client.poll(this::onMessage) == 0)
                {
                    Thread.sleep(1);
                }
                continue;
            }
            if ("exit".equals(command))
            {
                return;
            }
            String answer;
            try
            {
                answer = execute(command.split(" "));
            }
            catch (final RuntimeException ex)
            {
                answer = "error " + ex;
            }
            System.out.println(answer);
            System.out.flush();
        }
    }

    private String execute(final String[] c)
    {
        switch (c[0])
        {
            case "subscribe" ->
            {
                client.subscribe(c[1]);
                return "ok";
            }
            case "join" ->
            {
                client.joinGroup(c[1]);
                return "ok";
            }
            case "consume" ->
            {
                client.consume(c[1]);
                return "ok";
            }
            case "stop" ->
            {
                client.stopConsuming(c[1]);
                return "ok";
            }
            case "hold" ->
            {
                hold = "on".equals(c[1]);
                return "ok";
            }
            case "lookup" ->
            {
                // The registry's answer now (agentIdOf would answer from the client's cache).
                final AgentInfo info = client.lookup(c[1]);
                return null == info ? "absent" : "found " + info.agentId();
            }
            case "send", "publish", "multicast", "enqueue" ->
            {
                payloadLength = c.length > 4 ? Integer.parseInt(c[4]) : 0;
                return sendAll(c[0], c[1], Priority.valueOf(c[2]), Integer.parseInt(c[3]));
            }
            case "broadcast" ->
            {
                return sendAll(c[0], "", Priority.valueOf(c[1]), Integer.parseInt(c[2]));
            }
            case "request" ->
            {
                return requestAll(c[1], Priority.valueOf(c[2]), Integer.parseInt(c[3]));
            }
            case "reset" ->
            {
                received.remove(c[1] + " " + c[2]);
                return "ok";
            }
            case "label" ->
            {
                label = "-".equals(c[1]) ? null : c[1];
                return "ok";
            }
            case "count" ->
            {
                final long[] r = received.getOrDefault(c[1] + " " + c[2], new long[4]);
                return "count " + c[1] + " " + c[2] + " " + r[0] + " " + r[1] + " " + r[3];
            }
            default ->
            {
                return "error unknown command " + String.join(" ", c);
            }
        }
    }

    private String sendAll(final String kind, final String target, final Priority priority, final int count)
    {
        final int first = nextSeq.getOrDefault(kind, 0);
        nextSeq.put(kind, first + count);
        for (int seq = first; seq < first + count; seq++)
        {
            final int length = payload(kind, seq);
            final long deadline = System.nanoTime() + SEND_RETRY_NS;
            int status;
            while (true)
            {
                status = switch (kind)
                {
                    case "send" -> client.send(target, priority, buffer, 0, length);
                    case "publish" -> client.publish(NameIds.of(target), priority, buffer, 0, length);
                    case "multicast" -> client.multicast(NameIds.of(target), priority, buffer, 0, length);
                    case "enqueue" -> client.enqueue(NameIds.of(target), priority, buffer, 0, length);
                    default -> client.broadcast(priority, buffer, 0, length);
                };
                if (status != OfferStatus.BACK_PRESSURED || System.nanoTime() - deadline > 0)
                {
                    break;
                }
                client.poll(this::onMessage);
                Thread.onSpinWait();
            }
            if (status != OfferStatus.OK)
            {
                return "failed " + seq + " " + OfferStatus.name(status);
            }
        }
        return "sent " + count;
    }

    private String requestAll(final String target, final Priority priority, final int count)
    {
        final long targetId = client.agentIdOf(target);
        if (0 == targetId)
        {
            return "failed 0 no agent named " + target;
        }
        final ResponseHandler handler = new ResponseHandler()
        {
            @Override
            public void onResponse(final long correlationId, final Message response)
            {
                lastResponse = response.payloadAsString();
            }

            @Override
            public void onTimeout(final long correlationId)
            {
                timedOut = true;
            }
        };
        final int first = nextSeq.getOrDefault("request", 0);
        nextSeq.put("request", first + count);
        for (int seq = first; seq < first + count; seq++)
        {
            final int length = payload("request", seq);
            lastResponse = null;
            timedOut = false;
            long id;
            final long deadline = System.nanoTime() + SEND_RETRY_NS;
            while ((id = client.request(targetId, priority, buffer, 0, length, REQUEST_TIMEOUT_NS, handler)) ==
                OfferStatus.BACK_PRESSURED && System.nanoTime() - deadline < 0)
            {
                client.poll(this::onMessage);
            }
            if (id < 0)
            {
                return "failed " + seq + " " + OfferStatus.name((int)id);
            }
            while (null == lastResponse && !timedOut)
            {
                client.poll(this::onMessage);
            }
            final String expected = "re request " + name + " " + seq;
            if (timedOut)
            {
                return "failed " + seq + " timeout";
            }
            if (!expected.equals(lastResponse))
            {
                return "failed " + seq + " answered '" + lastResponse + "', expected '" + expected + "'";
            }
        }
        return "answered " + count;
    }

    private int payload(final String kind, final int seq)
    {
        final byte[] text = ((null == label ? kind : label) + " " + name + " " + seq).getBytes(StandardCharsets.UTF_8);
        buffer.putBytes(0, text);
        int length = text.length;
        if (payloadLength > length)
        {
            buffer.putByte(length++, (byte)'|'); // padding follows
            while (length < payloadLength)
            {
                buffer.putByte(length++, (byte)'x');
            }
        }
        return length;
    }

    private void onMessage(final Message message)
    {
        final String whole = message.payloadAsString();
        final int padding = whole.indexOf('|');
        final String text = padding < 0 ? whole : whole.substring(0, padding);
        final String[] parts = text.split(" ");
        if (parts.length == 3)
        {
            final long[] r = received.computeIfAbsent(parts[0] + " " + parts[1], k -> new long[4]);
            final long seq = Long.parseLong(parts[2]);
            r[0]++;
            if (seq < r[2])
            {
                r[1]++; // went back: a duplicate or a reordering (a gap is another receiver's share)
            }
            r[2] = Math.max(r[2], seq + 1);
            if (message.isRedelivery())
            {
                r[3]++;
            }
            if ("request".equals(parts[0]))
            {
                final byte[] answer = ("re " + text).getBytes(StandardCharsets.UTF_8);
                final SegmentBuffer out = SegmentBuffer.allocate(Arena.ofAuto(), answer.length);
                out.putBytes(0, answer);
                client.respond(message, out, 0, answer.length);
            }
        }
        if (Pattern.WORK == message.pattern() && !hold)
        {
            client.ack(message); // every work item (probes too), so that none stays held until its ack deadline
        }
    }
}
