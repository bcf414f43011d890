package dev.switchboard.router;

/**
 * Where the fan-out of one frame stands: its receivers and the next one to deliver to. {@link Routing} keeps one for
 * the ingress's head frame; a session whose frame a full receiver refused holds one until the frame is delivered
 * ({@link SessionState#held}). Pooled: made while the router warms up, then reused.
 *
 * <p>Thread-safety: the router's duty-cycle thread only. Allocation: the target array, once.
 */
final class Fanout
{
    /** Agent ids to deliver to, in order; the first {@link #count} are in use. */
    final long[] targets;
    int count;
    /** The next target to deliver to. */
    int next;
    /** A receiver refused the frame: delivery resumes at {@link #next}. */
    boolean inProgress;
    /** Who sent a point-to-point frame: its sender is told of a gone receiver. Null for fan-out. */
    SessionState sender;
    /** The point-to-point frame's correlation id, for that notice. */
    long correlationId;
    boolean pointToPoint;

    /**
     * @param maxTargets most receivers of one frame (every registered agent).
     */
    Fanout(final int maxTargets)
    {
        targets = new long[maxTargets];
    }

    void reset()
    {
        count = 0;
        next = 0;
        inProgress = false;
        sender = null;
        pointToPoint = false;
    }
}
