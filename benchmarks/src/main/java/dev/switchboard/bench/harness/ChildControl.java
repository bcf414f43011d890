/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * How the coordinator holds a case's sides between steps, through lines on the child's stdin, read by one daemon
 * thread (blocked in a read: no CPU) that hands them on:
 * <ul>
 *   <li>{@code go}: the initiator may begin its next step (or the next stage of the system-call and idle windows):
 *       {@link #awaitGo()}.</li>
 *   <li>{@code pause}: the responder should hold, once the step is over: its loop sees {@link #pauseRequested()}
 *       when a poll finds nothing, prints {@code PAUSED} and blocks in {@link #pause}.</li>
 *   <li>{@code resume}: the paused responder carries on.</li>
 * </ul>
 * The coordinator asks the responder to pause only after the initiator said the step is done (it got the
 * responder's last message), so a transport that sends from its poll loop (a socket tier's duty cycle) has sent
 * everything by then: the responder keeps polling until it is asked. A side that is paused or waiting for
 * {@code go} uses no CPU while another case of its group measures. In an in-process case both sides share the one
 * stdin and the one instance.
 *
 * <p>Thread-safety: {@link #awaitGo()} on the initiator's thread, {@link #pauseRequested()} and {@link #pause} on
 * the responder's; the reader thread hands over through a queue, a volatile flag and a semaphore.
 */
final class ChildControl
{
    private static final String END = "\u0000end";

    private final BlockingQueue<String> goes = new LinkedBlockingQueue<>();
    private final Semaphore resume = new Semaphore(0);
    private final boolean controlled;
    private volatile boolean pauseRequested;

    private ChildControl(final InputStream stdin)
    {
        this.controlled = null != stdin;
        if (controlled)
        {
            Thread.ofPlatform().daemon().name("harness-control").start(() -> read(stdin));
        }
    }

    /**
     * @param stdin the process's stdin.
     * @return control by the coordinator's lines.
     */
    static ChildControl of(final InputStream stdin)
    {
        return new ChildControl(stdin);
    }

    /**
     * @return control that never waits: every step starts at once and the responder never pauses (one JVM, no
     * coordinator: tests).
     */
    static ChildControl unpaused()
    {
        return new ChildControl(null);
    }

    private void read(final InputStream stdin)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                switch (line)
                {
                    case "go" -> goes.add(line);
                    case "pause" -> pauseRequested = true;
                    case "resume" -> resume.release();
                    default -> goes.add(line);
                }
            }
        }
        catch (final IOException e)
        {
            // stdin broke: the coordinator is gone; whoever waits is told below
        }
        goes.add(END);
        resume.release(Integer.MAX_VALUE / 2);
    }

    /**
     * Initiator: wait for the coordinator's {@code go}.
     *
     * @throws IllegalStateException when stdin ends or says something else.
     */
    void awaitGo()
    {
        if (!controlled)
        {
            return;
        }
        final String line;
        try
        {
            line = goes.take();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for 'go'", e);
        }
        if (!"go".equals(line))
        {
            throw new IllegalStateException("expected 'go' from the harness on stdin, got " +
                (END.equals(line) ? "the end of stdin" : line));
        }
    }

    /**
     * @return true when the coordinator asked the responder to hold (a volatile read: call it when idle).
     */
    boolean pauseRequested()
    {
        return pauseRequested;
    }

    /**
     * Responder: say so, and hold until the coordinator resumes this side.
     *
     * @param out where {@code PAUSED} goes.
     */
    void pause(final PrintStream out)
    {
        pauseRequested = false;
        out.println("PAUSED");
        out.flush();
        resume.acquireUninterruptibly();
    }
}
