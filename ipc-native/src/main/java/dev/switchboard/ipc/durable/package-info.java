/**
 * The LOW tier: durable, replayable delivery through Chronicle Queue, one queue per destination agent name
 * under a data directory, with no router thread on the path.
 * <ul>
 *   <li>{@link dev.switchboard.ipc.durable.DurableQueues}: settings, the queue path of a name, the probe
 *       ({@link dev.switchboard.ipc.durable.DurableQueues#available()}) and the JVM flags Chronicle needs.</li>
 *   <li>{@link dev.switchboard.ipc.durable.DurableOutbox}: a sender appends a frame to its destination's queue.</li>
 *   <li>{@link dev.switchboard.ipc.durable.DurableInbox}: a receiver tails its own queue with a named tailer;
 *       at-least-once across kill -9, exactly once to a handler that returns, with the one-frame window
 *       documented there and flagged by {@code lastWasPossibleDuplicate()}.</li>
 *   <li>{@link dev.switchboard.ipc.durable.DurableRecordDescriptor}: the record layout inside a document, and the
 *       origin record a router appends for a peer router (LOW across hosts).</li>
 *   <li>{@link dev.switchboard.ipc.durable.DurableForwarder}: a router tails the queue of a remote agent's name and
 *       ships it to the agent's host; its confirmed index persists in the queue's metadata.</li>
 *   <li>{@link dev.switchboard.ipc.durable.DurableOrigins}: the last origin index of a peer in a queue, read back
 *       from the queue (the receiving router's de-duplication across its own kill -9).</li>
 * </ul>
 * Every process that loads this package needs {@link dev.switchboard.ipc.durable.DurableQueues#JVM_FLAGS}
 * (including {@code -Dchronicle.analytics.disable=true}); code elsewhere must reach Chronicle only through
 * this package, whose first class to load sets that property. Without the flags LOW is unavailable, never
 * faked: the probe says why, and the outbox answers {@code NOT_CONNECTED}.
 */
package dev.switchboard.ipc.durable;
