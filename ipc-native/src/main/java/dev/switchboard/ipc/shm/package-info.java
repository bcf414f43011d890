/**
 * The CRITICAL tier's shared-memory inboxes, across processes, and how their owners sleep:
 * {@link dev.switchboard.ipc.shm.InboxFile} (one agent's {@link dev.switchboard.ring.ManyToOneRing} in a file under
 * the shm dir, header laid out in {@link dev.switchboard.ipc.shm.InboxDescriptor}, with the parked word producers
 * wake the owner through), {@link dev.switchboard.ipc.shm.Futex} ({@code futex(2)} on that word through FFM),
 * {@link dev.switchboard.ipc.shm.Doorbell} (the Unix-socket wake-up, for owners that cannot use the futex),
 * {@link dev.switchboard.ipc.shm.InboxParker} (the owner's park: futex or doorbell),
 * {@link dev.switchboard.ipc.shm.ParkingIdleStrategy} (spin, yield, then park until woken or a duty is due; its
 * {@code create} maps {@code switchboard.client.idle} to a strategy), {@link dev.switchboard.ipc.shm.StaleInboxCleaner}
 * (removes what dead agents left) and {@link dev.switchboard.ipc.shm.StuckRecordDetector}. Everything but the futex
 * is pure Java ({@code MemorySegment}, {@code VarHandle}, {@code java.nio}): no {@code Unsafe}, and the one native
 * call is made only in a JVM with native access, so agent processes need no JVM flags. Owns the files and sockets in
 * the shm dir; knows nothing of the registry or the router, which hand it paths.
 */
package dev.switchboard.ipc.shm;
