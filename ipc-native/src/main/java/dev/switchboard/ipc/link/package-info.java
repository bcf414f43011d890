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
 */
package dev.switchboard.ipc.link;
