/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.switchboard.client.ClientContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import dev.switchboard.client.Message;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.transport.OfferStatus;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * One demo agent: a {@link SwitchboardClient} confined to its own thread, which polls in a loop and runs
 * the commands the demo hands it (register, subscribe, "send 100,000 messages"...). It answers every
 * request with {@code "passed"}, acks every work item, and tallies what it receives per pattern.
 *
 * <p>Payload layout used by the demo (little-endian):
 * <pre>
 *   0                   8
 *   +-------------------+---------------------------+
 *   | sequence (int64)  | text (UTF-8), any length  |
 *   +-------------------+---------------------------+
 * </pre>
 *
 * <p>Thread-safety: {@link #call} and {@link #close} from any thread; the client is touched only by the
 * agent's own thread. Allocation: none per received message; commands allocate.
 */
final class DemoAgent implements AutoCloseable
{
    /** Offset of the sender's sequence number in a demo payload. */
    static final int SEQUENCE_OFFSET = 0;
    /** Offset of the text in a demo payload. */
    static final int TEXT_OFFSET = 8;

    private static final long COMMAND_TIMEOUT_S = 10;

    private final String name;
    private final List<String> capabilities;
    private final SwitchboardClient client;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final IdleStrategy idle = new BackoffIdleStrategy(1_000, 100, 1_000, 100_000);
    private final Tally[] received = new Tally[8];
    private final SegmentBuffer reply = SegmentBuffer.allocate(Arena.ofAuto(), 64);
    private final int replyLength;
    private final MessageHandler handler = this::onMessage;
    private volatile boolean running = true;
    private volatile String failure;

    DemoAgent(final InProcessHub hub, final String name, final String... capabilities)
    {
        this.name = name;
        this.capabilities = List.of(capabilities);
        for (int i = 0; i < received.length; i++)
        {
            received[i] = new Tally();
        }
        replyLength = TEXT_OFFSET + reply.putStringWithoutLengthUtf8(TEXT_OFFSET, "passed");
        client = SwitchboardClient.connect(new ClientContext().connection(hub.connect()));
        thread = new Thread(this::dutyCycle, "agent-" + name);
        thread.start();
    }

    String name()
    {
        return name;
    }

    List<String> capabilities()
    {
        return capabilities;
    }

    /**
     * @param pattern a pattern.
     * @return what this agent received of it.
     */
    Tally received(final Pattern pattern)
    {
        return received[pattern.value()];
    }

    /**
     * @return the first problem the agent met while answering or acking, or null.
     */
    String failure()
    {
        return failure;
    }

    /**
     * Run a command on the agent's thread, with its client, and wait for the result.
     *
     * @param command what to do.
     * @param <T>     what it returns.
     * @return its result.
     */
    <T> T call(final Function<SwitchboardClient, T> command)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(() ->
        {
            try
            {
                result.complete(command.apply(client));
            }
            catch (final Throwable ex)
            {
                result.completeExceptionally(ex);
            }
        });
        try
        {
            return result.get(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof RuntimeException re ? re :
                new IllegalStateException(name + ": " + ex.getCause(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(name + ": command did not finish within " + COMMAND_TIMEOUT_S + " s");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted", ex);
        }
    }

    /**
     * Poll the client on the caller's (the agent's own) thread, for commands that wait for replies.
     *
     * @return amount of work done.
     */
    int pollOnce()
    {
        return client.poll(handler);
    }

    private void dutyCycle()
    {
        try
        {
            while (running)
            {
                int work = 0;
                Runnable command;
                while ((command = commands.poll()) != null)
                {
                    command.run();
                    work++;
                }
                work += client.poll(handler);
                idle.idle(work);
            }
        }
        finally
        {
            client.close();
        }
    }

    private void onMessage(final Message message)
    {
        final long arrivalNs = System.nanoTime();
        final long sequence = message.payloadLength() >= TEXT_OFFSET ?
            message.buffer().getLong(message.payloadOffset() + SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN) : -1;
        received[message.pattern().value()].record(message, arrivalNs, sequence);
        if (message.pattern() == Pattern.REQUEST)
        {
            reply.putLong(SEQUENCE_OFFSET, sequence, ByteOrder.LITTLE_ENDIAN);
            int status;
            while ((status = client.respond(message, reply, 0, replyLength)) == OfferStatus.BACK_PRESSURED)
            {
                Thread.onSpinWait();
            }
            noteFailure("respond", status);
        }
        else if (message.pattern() == Pattern.WORK)
        {
            int status;
            while ((status = client.ack(message)) == OfferStatus.BACK_PRESSURED)
            {
                Thread.onSpinWait();
            }
            noteFailure("ack", status);
        }
    }

    private void noteFailure(final String what, final int status)
    {
        if (status != OfferStatus.OK && failure == null)
        {
            failure = name + ": " + what + " returned " + OfferStatus.name(status);
        }
    }

    /**
     * Stop the duty cycle; the agent's thread deregisters and closes its client, then ends.
     */
    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(COMMAND_TIMEOUT_S));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
