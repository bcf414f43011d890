/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * How the coordinator holds a case's sides between steps: each {@code go} it writes on a child's stdin lets one
 * step (or one stage of the system-call and idle windows) begin. One reader over stdin per process, so that no
 * buffered line is lost between the places that wait for one.
 *
 * <ul>
 *   <li>Initiator: {@link #awaitStep()} before each step.</li>
 *   <li>Responder: {@link #pause()} after the step's last phase; it prints {@code PAUSED} and waits for its own
 *       {@code go} (in its own process), or, in an in-process case, for the initiator's thread to pass its
 *       {@code go} on (one process, one stdin).</li>
 * </ul>
 * A paused side blocks in a pipe read or on a semaphore: it uses no CPU while another case of its group measures.
 */
final class ChildControl
{
    private final BufferedReader in;
    private final Semaphore responderResume;
    private final boolean paused;

    private ChildControl(final InputStream stdin, final boolean inProcess, final boolean paused)
    {
        this.in = null == stdin ? null : new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.responderResume = inProcess ? new Semaphore(0) : null;
        this.paused = paused;
    }

    /**
     * @param stdin     the process's stdin.
     * @param inProcess true when both sides are threads of this process.
     * @return control by the coordinator's {@code go} lines.
     */
    static ChildControl of(final InputStream stdin, final boolean inProcess)
    {
        return new ChildControl(stdin, inProcess, true);
    }

    /**
     * @return control that never waits: every step starts at once and the responder never pauses (one JVM, no
     * coordinator: tests).
     */
    static ChildControl unpaused()
    {
        return new ChildControl(null, false, false);
    }

    /**
     * Initiator: wait for the coordinator's {@code go} for the next step, and let the responder thread of an
     * in-process case resume.
     *
     * @throws IOException when stdin ends or says something else.
     */
    void awaitStep() throws IOException
    {
        awaitGo();
        if (null != responderResume)
        {
            responderResume.release();
        }
    }

    /**
     * Wait for one {@code go} on stdin.
     *
     * @throws IOException when stdin ends or says something else.
     */
    void awaitGo() throws IOException
    {
        if (!paused)
        {
            return;
        }
        final String line = in.readLine();
        if (!"go".equals(line))
        {
            throw new IllegalStateException("expected 'go' from the harness on stdin, got " + line);
        }
    }

    /**
     * Responder: hold until the coordinator resumes this side.
     *
     * @throws IOException when stdin ends or says something else.
     */
    void pause() throws IOException
    {
        if (!paused)
        {
            return;
        }
        if (null != responderResume)
        {
            responderResume.acquireUninterruptibly();
        }
        else
        {
            awaitGo();
        }
    }

    /**
     * @return false when steps never wait (no coordinator).
     */
    boolean paused()
    {
        return paused;
    }
}
