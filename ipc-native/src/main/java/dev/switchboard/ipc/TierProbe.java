package dev.switchboard.ipc;

import dev.switchboard.ipc.uring.HighTransport;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.counters.ProcessCountersFiles;
import dev.switchboard.ipc.shm.InboxFile;

/**
 * Decides at connect time which tiers can run in this process, and says so once when one cannot: a tier
 * that cannot run falls back (CRITICAL and HIGH to NORMAL) with one warning ({@link IpcLog}) naming the cause, and the
 * fallback is counted ({@link RouterCounter#TIER_FALLBACKS}). Nothing is lost by falling back: the
 * messages travel on the fallback tier.
 *
 * <p>Thread-safety: safe from any thread. Allocation: at connect time only.
 */
public final class TierProbe
{
    private static final ConcurrentHashMap<String, Boolean> WARNED = new ConcurrentHashMap<>();
    private static final AtomicLong INBOX_SEQUENCE = new AtomicLong();

    private TierProbe()
    {
    }

    /**
     * Create this connection's CRITICAL inbox, or explain why there is none.
     *
     * @param ctx      settings (shm dir, capacity, disabled tiers).
     * @param counters where a fallback is counted.
     * @return the inbox, or null when CRITICAL falls back to NORMAL.
     */
    static InboxFile createInbox(final IpcContext ctx, final CounterBlock counters)
    {
        if (ctx.isDisabled("CRITICAL"))
        {
            fallback("CRITICAL", "NORMAL", "disabled by " + IpcContext.TIERS_DISABLE_PROP, counters);
            return null;
        }
        try
        {
            return InboxFile.create(ctx.shmDir(), "conn" + INBOX_SEQUENCE.incrementAndGet(), ctx.inboxCapacity());
        }
        catch (final RuntimeException e)
        {
            fallback("CRITICAL", "NORMAL", "cannot create an inbox in " + ctx.shmDir() + ": " + e.getMessage(), counters);
            return null;
        }
    }

    /**
     * Whether HIGH can run here (HIGH then maps to itself; else to NORMAL). A JVM that did not enable native access
     * never asked for io_uring: it falls back silently (still counted), so that an agent started with no flags prints
     * nothing; any other cause gets the one warning. Cheap: no ring is created (see {@link #highTransport}).
     *
     * @param ctx      settings.
     * @param counters where a fallback is counted.
     * @return true when HIGH is available.
     */
    static boolean highAvailable(final IpcContext ctx, final CounterBlock counters)
    {
        if (ctx.isDisabled("HIGH"))
        {
            fallback("HIGH", "NORMAL", "disabled by " + IpcContext.TIERS_DISABLE_PROP, counters);
            return false;
        }
        if (!TierProbe.class.getModule().isNativeAccessEnabled())
        {
            // No line printed (the agent did not ask for native calls), but counted and in the error log, so that
            // 'switchboard errors' says why the counter moved.
            counters.increment(CounterIds.of(RouterCounter.TIER_FALLBACKS));
            ProcessCountersFiles.recordError(counters, AgentCountersFile.TIER_FALLBACK,
                "HIGH falls back to NORMAL: this JVM did not enable native access (" +
                String.join(" ", dev.switchboard.codecs.JvmFlags.of(dev.switchboard.codecs.JvmFlags.Group.NATIVE)) + ")");
            return false;
        }
        final dev.switchboard.ipc.uring.UringProbe.Result probe = dev.switchboard.ipc.uring.UringProbe.probe();
        if (!probe.available())
        {
            fallback("HIGH", "NORMAL", probe.reason(), counters);
            return false;
        }
        return true;
    }

    /**
     * The HIGH transport, made when HIGH is first used (after {@link #highAvailable} said yes).
     *
     * @param ctx      settings.
     * @param normal   the NORMAL transport.
     * @param counters where a fallback is counted.
     * @return the transport.
     */
    static HighTransport highTransport(final IpcContext ctx, final dev.switchboard.transport.Transport normal,
        final CounterBlock counters)
    {
        return new HighTransport(ctx, normal, counters);
    }

    /**
     * Report a fallback: one warning line per tier and cause per process, one count per connection, and one
     * occurrence of {@link AgentCountersFile#TIER_FALLBACK} in the error log of the counters file those counters are
     * in.
     *
     * @param tier     the tier that cannot run.
     * @param to       the tier that carries its traffic instead.
     * @param cause    why.
     * @param counters where it is counted.
     */
    public static void fallback(final String tier, final String to, final String cause, final CounterBlock counters)
    {
        counters.increment(CounterIds.of(RouterCounter.TIER_FALLBACKS));
        ProcessCountersFiles.recordError(counters, AgentCountersFile.TIER_FALLBACK,
            tier + " falls back to " + to + ": " + cause);
        if (WARNED.putIfAbsent(tier + cause, Boolean.TRUE) == null)
        {
            IpcLog.warn(tier + " tier unavailable, falling back to " + to + ": " + cause);
        }
    }
}
