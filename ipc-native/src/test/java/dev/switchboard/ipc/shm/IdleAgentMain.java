package dev.switchboard.ipc.shm;

import dev.switchboard.client.ClientContext;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child process: an agent that owns an inbox and has nothing to do, idling under the default strategy
 * ({@link ClientContext#idleSettings()}: the properties, through {@link ParkingIdleStrategy#create}) with a duty every
 * 100 ms (a heartbeat), as a client's duty slice would. Arguments: shmDir. Prints {@code idling <mode>} once its
 * loop runs, then runs until killed.
 */
public final class IdleAgentMain
{
    private static final long DUTY_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private IdleAgentMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args shmDir.
     */
    public static void main(final String[] args)
    {
        try (InboxFile inbox = InboxFile.create(Path.of(args[0]), "idler", 1 << 16))
        {
            final long[] nextDutyNs = {System.nanoTime() + DUTY_INTERVAL_NS};
            final IdleStrategy idle = ParkingIdleStrategy.create(new ClientContext().idleSettings(), inbox,
                () -> 0 != inbox.ring().size(), () -> nextDutyNs[0] - System.nanoTime(), () -> true);
            System.out.println("idling " + (idle instanceof final ParkingIdleStrategy parking ?
                parking.parker().nextMode() : idle.alias()));
            while (true)
            {
                int work = inbox.ring().read((typeId, buffer, index, length) -> { });
                if (System.nanoTime() - nextDutyNs[0] >= 0)
                {
                    inbox.heartbeat();
                    nextDutyNs[0] += DUTY_INTERVAL_NS;
                }
                idle.idle(work);
            }
        }
    }
}
