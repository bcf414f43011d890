/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.journal;

import dev.switchboard.orchestrator.engine.EventCodec;
import dev.switchboard.orchestrator.engine.WorkflowEvent;
import dev.switchboard.orchestrator.engine.EventJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

import dev.switchboard.ipc.durable.DurableQueues;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * A journal in a Chronicle queue directory: one excerpt per event, holding the event's {@link EventCodec JSON}
 * text. Survives the process; a restarted orchestrator opens the same directory and
 * recovers from it ({@code WorkflowEngine.recover}).
 *
 * <p>The directory and its files follow the LOW queues' rules ({@link DurableQueues#openOwnedQueue}): 0700 and
 * 0600, no symbolic links followed, no foreign file reused.
 *
 * <p>Chronicle Queue needs the JVM flags of {@link DurableQueues#JVM_FLAGS}; {@link #open} checks them through
 * {@link DurableQueues#available()} (which also disables Chronicle's analytics before any Chronicle class loads)
 * and fails with the reason and the flags to add.
 *
 * <p>Not thread-safe: one engine thread appends and replays. Allocation: each append encodes one string.
 */
public final class ChronicleJournal implements EventJournal, AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;

    private ChronicleJournal(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.appender = queue.createAppender();
    }

    /**
     * Opens (creating if missing) the journal in {@code directory}.
     *
     * @param directory the queue directory, one per workflow.
     * @return the journal; the caller closes it.
     * @throws IllegalStateException when Chronicle Queue cannot run in this JVM, with the reason and the flags, or
     *                               the directory is refused (a symbolic link, another user's, open to others).
     */
    public static ChronicleJournal open(final Path directory)
    {
        Objects.requireNonNull(directory, "directory");
        if (!DurableQueues.available())
        {
            throw new IllegalStateException("cannot open the workflow journal in " + directory + ": " +
                DurableQueues.unavailableReason());
        }
        try
        {
            // Owner-only files, no symbolic links, no foreign files: the rules of the LOW queues.
            return new ChronicleJournal(
                DurableQueues.openOwnedQueue(directory, (builder) -> builder.rollCycle(RollCycles.FAST_DAILY)));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot open the workflow journal in " + directory + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void append(final WorkflowEvent event)
    {
        appender.writeText(EventCodec.toJson(event));
    }

    @Override
    public void replay(final Consumer<WorkflowEvent> consumer)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
            for (String text = tailer.readText(); text != null; text = tailer.readText())
            {
                consumer.accept(EventCodec.fromJson(text));
            }
        }
    }

    @Override
    public void close()
    {
        appender.close();
        queue.close();
    }
}
