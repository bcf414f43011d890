package dev.switchboard.ipc.uring;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Child JVM: connect a {@link UringLink} to a server and send frames {@code 0..count-1} (see {@link TestFrames}),
 * calling {@link UringLink#flush()} after every {@code framesPerFlush} offers, then close (flushing what is queued) and print {@code SENT <count> ENTERS <io_uring_enter calls>}. A negative
 * count sends until killed. Runs with {@code --enable-native-access=ALL-UNNAMED} only: no Agrona Unsafe on this
 * path.
 */
public final class UringSenderMain
{
    private UringSenderMain()
    {
    }

    /**
     * @param args socket path, frame count, and optionally frames per flush (default 1).
     */
    public static void main(final String[] args)
    {
        final Path socketPath = Path.of(args[0]);
        final long count = Long.parseLong(args[1]);
        final long limit = count < 0 ? Long.MAX_VALUE : count;
        final int framesPerFlush = args.length > 2 ? Integer.parseInt(args[2]) : 1;

        try (Arena arena = Arena.ofConfined();
            UringLink link = UringLink.connect(socketPath, UringConfig.defaults()))
        {
            final SegmentBuffer frame = new SegmentBuffer(arena.allocate(TestFrames.MAX_LENGTH));
            long seq = 0;
            while (seq < limit)
            {
                final int length = TestFrames.encode(frame, seq);
                final int status = link.offer(frame, 0, length);
                if (OfferStatus.OK == status)
                {
                    seq++;
                    // As a duty cycle would: submit now unless a write is already in flight, in which case the
                    // frame rides with the next write and no system call is made.
                    if (0 == seq % framesPerFlush)
                    {
                        link.flush();
                    }
                }
                else if (OfferStatus.BACK_PRESSURED == status)
                {
                    link.flush();
                    Thread.onSpinWait();
                }
                else
                {
                    System.out.println("FAILED " + OfferStatus.name(status) + " at " + seq + ": " + link.closeReason());
                    System.exit(3);
                }
            }

            link.flush();
            System.out.println("SENT " + seq + " ENTERS " + link.enterCalls());
        }
    }
}
