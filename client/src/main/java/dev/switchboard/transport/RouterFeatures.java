package dev.switchboard.transport;

/**
 * What a router tells each socket client it does, in the {@code flags} of the {@code Challenge} it sends as the
 * connection opens: the client adapts (a client of an older router keeps the older behaviour).
 * <pre>
 *   bit 0  TOKEN_REQUIRED        registration needs a token (HMAC answer or JWT)
 *   bit 1  RELAYS_WAKES          the router wakes a futex-parked agent on request ({@code Wake}), so clients may park
 *                                on their futex word even if some senders cannot make the call
 *   bit 2  SIGNALS_CONTROL       after writing to an agent's control socket (or its router HIGH link) the router adds
 *                                1 to the agent's inbox CONTROL_SIGNAL: the agent reads its socket only then
 *   bit 3  READS_HEARTBEATS      the router renews an agent's lease from its inbox heartbeat (shared memory), so an
 *                                agent with an inbox sends no Heartbeat frames
 * </pre>
 *
 * <p>Thread-safety: constants. Allocation: none.
 */
public final class RouterFeatures
{
    /** Registration needs a token. */
    public static final int TOKEN_REQUIRED = 1;
    /** The router relays {@code Wake} requests to futex-parked agents. */
    public static final int RELAYS_WAKES = 1 << 1;
    /** The router signals every write to an agent's control socket in the agent's inbox header. */
    public static final int SIGNALS_CONTROL = 1 << 2;
    /** The router reads agents' inbox heartbeats. */
    public static final int READS_HEARTBEATS = 1 << 3;

    private RouterFeatures()
    {
    }
}
