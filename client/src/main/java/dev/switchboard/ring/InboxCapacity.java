package dev.switchboard.ring;

/**
 * The one setting both ends of an inbox agree on: its ring's capacity. The router's in-process inboxes
 * ({@code RouterContext}) and the agents' shared-memory ones ({@code IpcContext}) read the same property; its name and
 * default live here, below both.
 */
public final class InboxCapacity
{
    /** Property: an inbox ring's capacity in bytes (a power of two). */
    public static final String PROP = "switchboard.inbox.capacity";
    /** Default: 1 MiB. */
    public static final int DEFAULT = 1024 * 1024;

    private InboxCapacity()
    {
    }
}
