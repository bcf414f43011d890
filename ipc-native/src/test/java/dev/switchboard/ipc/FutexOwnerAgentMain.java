package dev.switchboard.ipc;

import java.nio.file.Path;
import java.util.Arrays;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.idle.IdleSettings;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.ipc.shm.ParkingIdleStrategy;
import dev.switchboard.transport.RouterConnection;
import dev.switchboard.transport.Tier;
import dev.switchboard.transport.TierMapping;
import dev.switchboard.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Child process (started with native access): an agent registered with the router whose inbox is one it parks on
 * itself, in {@link ParkingIdleStrategy} on the futex (no spin, no yields, longest park one hour, so only a wake-up
 * ends a sleep in a test's time), until it has read {@code count} messages of {@code [sequence, send time]}.
 * Arguments: runtimeDir name count. Prints {@code registered <id>}, {@code mode <FUTEX|DOORBELL>}, then
 * {@code received <n> outOfOrder <n> timeouts <n> futexSleeps <n>} and a latency line.
 */
public final class FutexOwnerAgentMain
{
    static final int TYPE_ID = 7;

    private FutexOwnerAgentMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args runtimeDir name count.
     */
    public static void main(final String[] args)
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final String name = args[1];
        final int count = Integer.parseInt(args[2]);
        final IdleSettings settings = IdleSettings.defaults().withSpinNs(0).withYields(0)
            .withMaxParkMs(IdleSettings.MAX_MAX_PARK_MS);
        try (InboxFile inbox = InboxFile.create(ipc.shmDir(), name + "-parked", 1 << 16);
            SwitchboardClient client = SwitchboardClient.connect(new ClientContext()
                .connection(new NamedInboxConnection(IpcConnection.connect(ipc), inbox.path().toString()))
                .requestedLeaseMs(60_000));
            // This client wires no Challenge flag through yet: the test's router is known to relay wakes.
            ParkingIdleStrategy idle = new ParkingIdleStrategy(inbox, () -> 0 != inbox.ring().size(), null,
                () -> true, settings))
        {
            client.register(name);
            System.out.println("registered " + client.agentId());
            System.out.println("mode " + idle.parker().nextMode());
            final long[] latencies = new long[count];
            final int[] received = {0};
            final long[] outOfOrder = {0};
            while (received[0] < count)
            {
                final int work = inbox.ring().read((typeId, buffer, index, length) ->
                {
                    if (TYPE_ID != typeId || buffer.getLong(index) != received[0])
                    {
                        outOfOrder[0]++;
                    }
                    latencies[received[0]++] = System.nanoTime() - buffer.getLong(index + 8);
                }, count - received[0]);
                idle.idle(work);
            }
            System.out.println("received " + received[0] + " outOfOrder " + outOfOrder[0] + " timeouts " +
                idle.timeoutCount() + " futexSleeps " + idle.parker().futexSleeps());
            Arrays.sort(latencies);
            System.out.printf("latency p50 %.1f us p99 %.1f us max %.1f us%n", latencies[count / 2] / 1e3,
                latencies[(int)(count * 0.99)] / 1e3, latencies[count - 1] / 1e3);
            System.out.flush();
        }
    }

    /**
     * An {@link IpcConnection} that registers another inbox than its own: the one this process parks on.
     */
    private record NamedInboxConnection(IpcConnection delegate, String inbox) implements RouterConnection
    {
        @Override
        public int sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
            return delegate.sendControl(buffer, offset, length);
        }

        @Override
        public int pollControl(final MessageHandler handler, final int limit)
        {
            return delegate.pollControl(handler, limit);
        }

        @Override
        public TierMapping tierMapping()
        {
            return delegate.tierMapping();
        }

        @Override
        public Transport transport(final Tier tier)
        {
            return delegate.transport(tier);
        }

        @Override
        public int pollData(final MessageHandler handler, final int fragmentLimitPerTier)
        {
            return delegate.pollData(handler, fragmentLimitPerTier);
        }

        @Override
        public int pollSignalled(final MessageHandler data, final MessageHandler control, final int limit)
        {
            return delegate.pollSignalled(data, control, limit);
        }

        @Override
        public int duty(final long nowNs, final MessageHandler data, final MessageHandler control)
        {
            return delegate.duty(nowNs, data, control);
        }

        @Override
        public boolean isChallenged()
        {
            return delegate.isChallenged();
        }

        @Override
        public String inboxPath()
        {
            return inbox;
        }

        @Override
        public java.lang.foreign.MemorySegment countersValues()
        {
            return delegate.countersValues();
        }

        @Override
        public boolean isConnected()
        {
            return delegate.isConnected();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
