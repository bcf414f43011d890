package dev.switchboard.router.process;

import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;

import java.nio.file.Path;

import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.router.process.socket.TierLinks;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.agrona.DirectBuffer;

/**
 * The router's links to one agent process beside its control socket: its CRITICAL inbox (the router writes
 * routed CRITICAL and BATCH frames straight into it, and reads the agent's heartbeat timestamp from its header) and
 * its HIGH io_uring link (routed HIGH frames are copied straight into the link's send buffer). An inbox path is
 * accepted only inside the router's shared-memory directory and only when it opens as a live, OPEN inbox.
 *
 * <p>Thread-safety: the router's thread (the socket and io_uring servers run there too); the mapping is released on
 * the router thread when the agent leaves. Allocation: none in {@link #deliver}, {@link #heartbeat()} or
 * {@link #signalControl()}.
 */
final class RouterTierLinks implements TierLinks
{
    private final Path shmDir;
    private final int baseTiers;
    private final int sessionId;
    private final HighAgents highAgents;
    private volatile InboxFile inbox;
    private dev.switchboard.router.process.socket.SessionLink highLink;
    private volatile dev.switchboard.security.PeerCredentials peer = dev.switchboard.security.PeerCredentials.UNKNOWN;

    /**
     * @param shmDir     where inboxes must be.
     * @param baseTiers  tiers the agent has besides CRITICAL/BATCH (its inbox).
     * @param sessionId  the session of its control connection.
     * @param highAgents where its HIGH link attaches, or null when the router runs no HIGH.
     */
    RouterTierLinks(final Path shmDir, final int baseTiers, final int sessionId, final HighAgents highAgents)
    {
        this.shmDir = shmDir.toAbsolutePath().normalize();
        this.baseTiers = baseTiers | (highAgents != null ? Tier.HIGH.mask() : 0);
        this.sessionId = sessionId;
        this.highAgents = highAgents;
    }

    @Override
    public int sessionId()
    {
        return sessionId;
    }

    @Override
    public void onPeer(final dev.switchboard.security.PeerCredentials peer)
    {
        this.peer = peer;
    }

    /**
     * @return the kernel's credentials of the control connection, for the HIGH link check.
     */
    dev.switchboard.security.PeerCredentials peer()
    {
        return peer;
    }

    void attachHigh(final dev.switchboard.router.process.socket.SessionLink link)
    {
        highLink = link;
    }

    void detachHigh(final dev.switchboard.router.process.socket.SessionLink link)
    {
        if (highLink == link)
        {
            highLink = null;
        }
    }

    @Override
    public int tiers()
    {
        return baseTiers | (inbox != null ? Tier.CRITICAL.mask() | Tier.BATCH.mask() : 0);
    }

    @Override
    public int deliver(final int priority, final DirectBuffer buffer, final int offset, final int length)
    {
        final InboxFile target = inbox;
        if (target != null && (priority == Priority.CRITICAL.value() || priority == Priority.BATCH.value()))
        {
            try
            {
                return target.offer(Tier.CRITICAL.typeId(), buffer, offset, length, buffer, offset + length, 0);
            }
            catch (final InternalError | RuntimeException e)
            {
                // The inbox file was truncated or damaged under the router's mapping (a fault on access): the router
                // stops writing into it and routes this agent's CRITICAL frames over its socket instead.
                inbox = null;
                System.getLogger(RouterTierLinks.class.getName()).log(System.Logger.Level.ERROR,
                    "the router stops writing into the damaged inbox " + target.path() + ": " + e);
                return NO_LINK;
            }
        }
        final dev.switchboard.router.process.socket.SessionLink high = highLink;
        if (high != null && priority == Priority.HIGH.value())
        {
            // The link's engine writes it this duty cycle and signals the agent once written.
            final int status = high.write(buffer, offset, length, 0);
            if (status == OfferStatus.OK)
            {
                return status;
            }
            // A link that is closing or gone: the frame goes NORMAL on the control socket rather than nowhere.
            return status == OfferStatus.CLOSED || status == OfferStatus.NOT_CONNECTED ? NO_LINK : status;
        }
        return NO_LINK;
    }

    /**
     * Relay a wake: a sender without native access took this agent's parked word and asked the router (which can make
     * the futex call: {@code RouterContext.relaysWakes()}) to wake it, through the router's own mapping of its inbox.
     * Allocation: none.
     */
    @Override
    public boolean wake()
    {
        final InboxFile target = inbox;
        return target != null && target.wakeOwner() == InboxFile.WAKE_DONE;
    }

    @Override
    public long heartbeat()
    {
        final InboxFile target = inbox;
        try
        {
            return target == null ? dev.switchboard.router.Session.NO_HEARTBEAT : target.ownerHeartbeat();
        }
        catch (final InternalError | RuntimeException e)
        {
            inbox = null; // damaged under the mapping: the agent's lease now rests on its heartbeat frames
            return dev.switchboard.router.Session.NO_HEARTBEAT;
        }
    }

    @Override
    public void signalControl()
    {
        final InboxFile target = inbox;
        if (target != null)
        {
            try
            {
                target.signal(dev.switchboard.ipc.shm.InboxDescriptor.CONTROL_SIGNAL_OFFSET);
            }
            catch (final InternalError | RuntimeException e)
            {
                inbox = null; // damaged under the mapping: the agent reads its socket on its own schedule
            }
        }
    }

    @Override
    public String acceptInbox(final String requestedInbox)
    {
        if (requestedInbox.isEmpty())
        {
            return "";
        }
        try
        {
            // Counted as OUTSIDE_ROOT when an agent names a file outside the shm dir.
            final Path path = OwnedFiles.requireInside(shmDir, Path.of(requestedInbox));
            inbox = InboxFile.open(path);
            return path.toString();
        }
        catch (final RuntimeException | RefusedFileException e)
        {
            return null;
        }
    }

    @Override
    public void onAgentBound(final long agentId, final String name)
    {
        if (highAgents != null)
        {
            highAgents.register(agentId, this);
        }
    }

    @Override
    public void onAgentUnbound(final long agentId)
    {
        if (highAgents != null)
        {
            highAgents.unregister(agentId, this);
        }
        highLink = null;
        closeInbox();
    }

    @Override
    public void close()
    {
        // Called on the socket server's thread: the router thread may still be writing into the inbox, so the
        // mapping is released on the router thread, when the router deregisters the agent (onAgentUnbound).
    }

    private void closeInbox()
    {
        final InboxFile target = inbox;
        inbox = null;
        if (target != null)
        {
            if (reclaimIfOwnerDead(target))
            {
                target.close();
                return;
            }
            // The socket of a killed agent closes while the kernel tears the process down, before the process is
            // gone (and its parent may reap it later still): judged now, it looks alive, its inbox stays OPEN and
            // senders see BACK_PRESSURED for ever. Judge again when it exits. From here on only the exit callback
            // touches this mapping (the router thread has dropped it), so closing it there does not race.
            final java.util.Optional<ProcessHandle> owner = ProcessHandle.of(target.ownerPid());
            if (owner.isEmpty() || owner.get().equals(ProcessHandle.current()))
            {
                reclaimIfOwnerDead(target);
                target.close();
                return;
            }
            owner.get().onExit().whenComplete((process, error) ->
            {
                reclaimIfOwnerDead(target);
                target.close();
            });
        }
    }

    /**
     * Mark a dead owner's inbox CLOSED (senders still mapping it get {@code NOT_CONNECTED}) and delete its file and
     * doorbell: the owner died (kill -9) and nobody else will.
     */
    private static boolean reclaimIfOwnerDead(final InboxFile target)
    {
        if (target.markClosedIfOwnerDead())
        {
            deleteQuietly(target.path());
            deleteQuietly(target.doorbellPath());
            return true;
        }
        return false;
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            if (path != null)
            {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
        catch (final java.io.IOException ignore)
        {
            // a leftover is removed by StaleInboxCleaner at the next router start
        }
    }

}
