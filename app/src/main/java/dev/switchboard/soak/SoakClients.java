/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.soak;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.codecs.sbe.ErrorCode;
import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.IpcContext;

/**
 * What the soak's child processes share: the first connection (which, unlike a reconnection, is the application's to
 * retry) and a {@link ClientListener} that counts what the client tells it into the process's {@link SoakProgress}.
 *
 * <p>Thread-safety: the agent's thread. Allocation: not on the message path.
 */
final class SoakClients
{
    /** How long a starting child keeps trying to connect and register before it gives up (exits 1). */
    static final long SETUP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private SoakClients()
    {
    }

    /** @return the wall-clock time of day, for lines that must be lined up with other processes' (ms). */
    static String now()
    {
        return java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    /**
     * Connect with reconnection on (the default), register, then run {@code afterRegister} (consume, subscribe), retrying
     * the whole while there is no router (a router being restarted), while the name is still held by a killed
     * predecessor the router has not yet deregistered, or when the router went away half-way.
     *
     * @param ipc           where the router is.
     * @param name          the agent's name.
     * @param listener      told of disconnections and reconnections.
     * @param afterRegister what to set up once registered.
     * @return the registered client.
     * @throws InterruptedException when interrupted while waiting to retry.
     */
    static SwitchboardClient connectAndRegister(
        final IpcContext ipc, final String name, final ClientListener listener,
        final Consumer<SwitchboardClient> afterRegister) throws InterruptedException
    {
        final long deadline = System.nanoTime() + SETUP_TIMEOUT_NS;
        while (true)
        {
            SwitchboardClient client = null;
            try
            {
                client = SwitchboardClient.connect(new ClientContext()
                    .connection(IpcConnection.connect(ipc)).listener(listener));
                client.register(name, "soak");
                afterRegister.accept(client);
                return client;
            }
            catch (final SwitchboardException | IllegalStateException ex)
            {
                System.err.println(now() + " set-up failed, retrying in 50 ms: " + ex.getMessage());
                if (client != null)
                {
                    client.close();
                }
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Counts what the client tells the application into the progress file: disconnections, reconnections, frames the
     * router refused after the send said OK, and sends that returned OK while the router was away (which the soak
     * expects only on the paths that do not cross the router).
     */
    static final class Recorder implements ClientListener
    {
        private final SoakProgress progress;
        private boolean disconnected;

        Recorder(final SoakProgress progress)
        {
            this.progress = progress;
        }

        /** A send returned OK. */
        void onSendOk()
        {
            if (disconnected)
            {
                progress.incrementOkWhileDisconnected();
            }
        }

        @Override
        public void onDisconnected(final String reason)
        {
            disconnected = true;
            progress.onDisconnected();
            System.err.println(now() + " router gone: " + reason);
        }

        @Override
        public void onReconnected(final long previousAgentId, final long agentId)
        {
            disconnected = false;
            progress.incrementReconnects();
            System.err.println(now() + " reconnected: agent " + previousAgentId + " is now " + agentId);
        }

        @Override
        public void onError(final long correlationId, final ErrorCode code, final String text)
        {
            progress.incrementErrors();
            System.err.println(now() + " error (correlation " + correlationId + "): " + code + ": " + text);
        }
    }
}
