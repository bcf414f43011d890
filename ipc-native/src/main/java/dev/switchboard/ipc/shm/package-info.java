/**
 * The CRITICAL tier's shared-memory inboxes, across processes: {@link dev.switchboard.ipc.shm.InboxFile} (one
 * agent's {@link dev.switchboard.ring.ManyToOneRing} in a file under the shm dir, header laid out in
 * {@link dev.switchboard.ipc.shm.InboxDescriptor}), {@link dev.switchboard.ipc.shm.Doorbell} (the Unix-socket
 * wake-up), {@link dev.switchboard.ipc.shm.ParkingIdleStrategy} (spin, yield, then sleep until rung) and
 * {@link dev.switchboard.ipc.shm.StaleInboxCleaner} (removes what dead agents left). Pure Java
 * ({@code MemorySegment}, {@code VarHandle}, {@code java.nio}): no {@code Unsafe}, no native calls, so agent
 * processes need no JVM flags. Owns the files and sockets in the shm dir; knows nothing of the registry or the
 * router, which hand it paths.
 */
package dev.switchboard.ipc.shm;
