package dev.switchboard.ipc.durable;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.transport.OfferStatus;

/**
 * Child JVM for {@link DurableCrossProcessTest}: reports what a process that loads the LOW tier sees.
 * Prints {@code key=value} lines: the analytics property before and after Chronicle loads, whether the
 * analytics library is on the class path, the probe's verdict, and the status of one append and one poll.
 * Exit code 0 whatever it finds: the parent asserts on the lines.
 */
public final class ProbeChild
{
    private ProbeChild()
    {
    }

    /**
     * @param args data dir.
     * @throws Exception on an unexpected failure (the parent sees a non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        System.out.println("analytics.before=" + System.getProperty(DurableQueues.ANALYTICS_DISABLE_PROP));
        final boolean available = DurableQueues.available();
        System.out.println("available=" + available);
        System.out.println("reason=" + DurableQueues.unavailableReason());
        final Path dataDir = Path.of(args[0]);
        Files.createDirectories(dataDir);
        final DurableQueues queues = new DurableQueues(dataDir);
        try (DurableOutbox outbox = new DurableOutbox(queues, (ex) -> System.out.println("error=" + ex.getMessage())))
        {
            final SegmentBuffer frame = SegmentBuffer.allocate(java.lang.foreign.Arena.ofAuto(), 16);
            frame.putLong(0, 42L);
            System.out.println("append=" + OfferStatus.name(outbox.append("probe-dest", frame, 0, 8, null, 0, 0)));
        }
        if (available)
        {
            try (DurableInbox inbox = new DurableInbox(queues, "probe-dest", "reader", Throwable::printStackTrace))
            {
                final long[] seen = new long[1];
                final int n = inbox.poll((type, buffer, index, length) -> seen[0] = buffer.getLong(index), 10);
                System.out.println("polled=" + n + " value=" + seen[0]);
            }
        }
        System.out.println("analytics.after=" + System.getProperty(DurableQueues.ANALYTICS_DISABLE_PROP));
        boolean analyticsOnClassPath;
        try
        {
            Class.forName("net.openhft.chronicle.analytics.Analytics", false, ProbeChild.class.getClassLoader());
            analyticsOnClassPath = true;
        }
        catch (final ClassNotFoundException ex)
        {
            analyticsOnClassPath = false;
        }
        System.out.println("analytics.classpath=" + analyticsOnClassPath);
        System.out.flush();
    }
}
