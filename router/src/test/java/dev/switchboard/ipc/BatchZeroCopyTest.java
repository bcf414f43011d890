package dev.switchboard.ipc;

import dev.switchboard.router.process.RouterProcess;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ClientContext;
import dev.switchboard.client.MessageHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.FrameClaim;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BATCH: a large message is claimed in the receiver's shared-memory inbox, written in place and committed.
 */
class BatchZeroCopyTest
{
    @TempDir
    Path dir;

    @Test
    void aLargeMessageIsWrittenInPlaceInTheReceiversSharedMemoryInbox()
    {
        final int length = 1024 * 1024 - 1024;
        // An 8 MiB inbox takes frames up to 1 MiB (envelope included).
        final IpcContext ipc = new IpcContext().underDirectory(dir).inboxCapacity(8 * 1024 * 1024);
        try (RouterProcess ignored = RouterProcess.launch(new RouterContext(), ipc);
            SwitchboardClient sender = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc)));
            SwitchboardClient receiver = SwitchboardClient.connect(new ClientContext().connection(IpcConnection.connect(ipc))))
        {
            sender.register("Sender");
            receiver.register("Receiver");
            final FrameClaim claim = new FrameClaim();
            final int[] got = {0};
            final MessageHandler check = m ->
            {
                assertEquals(Tier.BATCH, m.tier(), "BATCH is claimed in place in the shared-memory inbox");
                assertEquals(length, m.payloadLength());
                for (int i = 0; i < length; i += 8)
                {
                    assertEquals(got[0] * (long)length + i, m.buffer().getLong(m.payloadOffset() + i));
                }
                got[0]++;
            };
            for (int round = 0; round < 20; round++)
            {
                int status;
                while ((status = sender.tryClaim(receiver.agentId(), Priority.BATCH, length, claim)) ==
                    OfferStatus.BACK_PRESSURED)
                {
                    receiver.poll(check);
                }
                assertEquals(OfferStatus.OK, status);
                for (int i = 0; i < length; i += 8)
                {
                    claim.buffer().putLong(claim.payloadOffset() + i, round * (long)length + i);
                }
                claim.commit();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got[0] < 20)
            {
                receiver.poll(check);
                assertTrue(System.nanoTime() < deadline, "received " + got[0]);
            }
            assertEquals(OfferStatus.TOO_LARGE, sender.tryClaim(receiver.agentId(), Priority.BATCH, 2 * length, claim));
        }
    }
}
