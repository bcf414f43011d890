package dev.switchboard.ipc.shm;

import dev.switchboard.ipc.IpcConnection;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.RingLane;
import dev.switchboard.transport.Tier;

/**
 * The direct path to another agent process's CRITICAL inbox (or its BATCH claims): direct frames written straight into
 * the receiver's shared-memory ring, then the receiver's state and parked word looked at (see
 * {@link InboxFile#afterOffer(int)}): no router thread, no system call unless the receiver sleeps.
 *
 * <p>Thread-safety: the sending agent's thread. Allocation: none.
 */
public final class InboxLane extends RingLane
{
    private final InboxFile inbox;
    private final IpcConnection connection;
    private boolean released;

    public InboxLane(final InboxFile inbox, final Tier tier, final IpcConnection connection)
    {
        super(inbox.ring(), tier);
        this.inbox = inbox;
        this.connection = connection;
    }

    @Override
    protected int afterCommit()
    {
        final int status = inbox.afterOffer(OfferStatus.OK);
        if (status == OfferStatus.NOT_CONNECTED)
        {
            markClosed();
        }
        return status;
    }

    @Override
    protected void onMappingFault(final InternalError e)
    {
        connection.onPeerInboxFault(inbox, e);
    }

    @Override
    public void close()
    {
        super.close();
        if (!released)
        {
            released = true;
            connection.release(inbox);
        }
    }
}
