package dev.switchboard.ipc;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.ClientContext;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.MessageHeaderEncoder;
import dev.switchboard.codecs.sbe.WakeEncoder;
import dev.switchboard.ipc.shm.Futex;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ipc.shm.InboxFile;
import dev.switchboard.transport.OfferStatus;

/**
 * Child process, started with NO flags (so it cannot make the futex call): registers, looks up {@code target}, maps
 * its inbox and, {@code count} times, waits until the target is parked on its futex, then writes one
 * {@code [sequence, send time]} message. Its inbox's {@link InboxFile.WakeRelay} sends a {@code Wake} control frame to
 * the router, which wakes the target. Arguments: runtimeDir name target count. Prints
 * {@code futex <available>}, then {@code sent <n> relayed <n>}.
 */
public final class RelayedSenderMain
{
    private RelayedSenderMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args runtimeDir name target count.
     * @throws InterruptedException never expected.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final IpcContext ipc = new IpcContext().underDirectory(Path.of(args[0]));
        final int count = Integer.parseInt(args[3]);
        System.out.println("futex " + Futex.isAvailable());
        final IpcConnection connection = IpcConnection.connect(ipc);
        try (SwitchboardClient client = SwitchboardClient.connect(new ClientContext().connection(connection));
            Arena arena = Arena.ofConfined())
        {
            client.register(args[1]);
            final AgentInfo target = client.lookup(args[2]);
            // SegmentBuffer, not Agrona's UnsafeBuffer: this JVM has no flags, so no Unsafe either.
            final SegmentBuffer wake = new SegmentBuffer(arena.allocate(64, 8));
            final int wakeLength = MessageHeaderEncoder.ENCODED_LENGTH + new WakeEncoder()
                .wrapAndApplyHeader(wake, 0, new MessageHeaderEncoder())
                .agentId(client.agentId())
                .targetAgentId(target.agentId())
                .encodedLength();
            final int[] relayed = {0};
            try (InboxFile inbox = InboxFile.open(Path.of(target.inbox())))
            {
                inbox.wakeRelay(() ->
                {
                    relayed[0]++;
                    connection.sendControl(wake, 0, wakeLength);
                });
                final SegmentBuffer message = new SegmentBuffer(arena.allocate(16, 8));
                for (int i = 0; i < count; i++)
                {
                    final long deadline = System.nanoTime() + 30_000_000_000L;
                    do
                    {
                        while (InboxDescriptor.PARKED_FUTEX != inbox.parkedState())
                        {
                            if (System.nanoTime() > deadline)
                            {
                                System.err.println("target not parked on its futex within 30 s before message " + i +
                                    " (word " + inbox.parkedState() + ")");
                                System.exit(1);
                            }
                            Thread.onSpinWait();
                        }
                        Thread.sleep(1);
                    }
                    while (InboxDescriptor.PARKED_FUTEX != inbox.parkedState());
                    message.putLong(0, i);
                    message.putLong(8, System.nanoTime());
                    final int status = inbox.offer(FutexOwnerAgentMain.TYPE_ID, message, 0, 16, message, 16, 0);
                    if (OfferStatus.OK != status)
                    {
                        System.err.println("offer " + i + " returned " + OfferStatus.name(status));
                        System.exit(1);
                    }
                }
            }
            System.out.println("sent " + count + " relayed " + relayed[0]);
        }
    }
}
