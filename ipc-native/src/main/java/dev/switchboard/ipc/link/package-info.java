/**
 * Socket links: the one link protocol every Switchboard socket speaks, and the agent-to-agent links of the HIGH and
 * NORMAL tiers.
 *
 * <h2>The link protocol ({@link dev.switchboard.ipc.link.LinkProtocol})</h2>
 * Written once, run over any byte mover: the control socket ({@code java.nio}, {@code FrameChannel}), the HIGH link
 * to the router (io_uring, {@code UringLink}) and the agent-to-agent links. A mover hands it the bytes it received
 * and the records it is about to send, in place; it never owns a socket or a buffer.
 * <pre>
 *   record:  +----------------+--------------------------+----------------+
 *            | n + t (i32 LE) | frame, n bytes           | tag, t bytes   |   t = 0 (MAC off) or 16 (MAC on)
 *            +----------------+--------------------------+----------------+
 *
 *   a link:  [hello]  [hello]     each end's first record when switchboard.link.mac=on (44 bytes, no tag)
 *            record 0, record 1, ...   per direction; with the MAC on each tag covers (seq, length, frame)
 * </pre>
 * Limits: a frame of {@code 1..maxFrameLength} bytes; any other length prefix closes the link ("protocol error").
 * A partial record waits for its bytes; a record whose tag fails, or a set-up whose MAC setting disagrees with the
 * peer's, closes the link and is counted.
 *
 * <h2>Agent-to-agent links ({@link dev.switchboard.ipc.link.DirectLinks})</h2>
 * Point-to-point HIGH and NORMAL without the router on the path. The router ({@code LinkBroker} in router-core)
 * checks access and mints a one-time grant; the receiver is told first (LinkExpect, on its control stream), the asker
 * connects to the receiver's owner-only socket beside its inbox and presents the grant:
 * <pre>
 *   asker:    [hellos]  claim{from, to, tier, grant} (48 B)   direct frame, direct frame, ...     (one way)
 *   receiver: [hellos]  verdict{ACCEPTED | NO_GRANT | PEER | LIMIT | MALFORMED} (16 B), then nothing
 *   direct frame: DirectFrame block (24 B, no SBE header: source, correlation, pattern, priority, flags, layout 1, 0) + payload
 * </pre>
 * The receiver admits a link only for a grant it was told of, unexpired and unused, from the agent and on the tier it
 * was issued for, from a process of the user the router vouched for ({@code SO_PEERCRED}); it delivers nothing of the
 * link before that (order across the switch: the LinkExpect follows every frame the router routed to it from that
 * sender). Why not {@code SCM_RIGHTS}: {@code java.nio} can neither pass nor adopt a descriptor, so a flag-less NORMAL
 * agent could not take a socket handed to it; see the module README.
 *
 * <h2>How a client drives it</h2>
 * <ol>
 *   <li>{@code new DirectLinks(ctx, ownInbox, counters)}; after Register, send
 *       {@link dev.switchboard.ipc.link.DirectLinks#encodeListen} and expect an Ack.</li>
 *   <li>Control frames, in socket order with the data frames: {@link dev.switchboard.ipc.link.DirectLinks#onControl}
 *       first (it takes LinkExpect).</li>
 *   <li>A destination: send {@link dev.switchboard.ipc.link.DirectLinks#encodeRequest} after the frames routed to
 *       it so far; a LinkGrant goes to {@link dev.switchboard.ipc.link.DirectLinks#open} (a
 *       {@link dev.switchboard.transport.Lane}); an Error (LINK_UNAVAILABLE, NOT_AUTHORISED...) means: stay routed.</li>
 *   <li>Every data poll: {@link dev.switchboard.ipc.link.DirectLinks#poll}; every duty slice:
 *       {@link dev.switchboard.ipc.link.DirectLinks#duty}; do not park for long while
 *       {@link dev.switchboard.ipc.link.DirectLinks#isBusy}.</li>
 * </ol>
 * One thread does all of it (the agent's). Hot paths ({@code poll}, the lanes' {@code offer}/{@code flush}) allocate
 * nothing and take no lock.
 */
package dev.switchboard.ipc.link;
