/**
 * The CRITICAL tier's inbox: {@link dev.switchboard.ring.ManyToOneRing}, a many-producer, one-consumer ring
 * buffer over a {@link java.lang.foreign.MemorySegment} (Arena memory or a mapped {@code /dev/shm} file),
 * and {@link dev.switchboard.ring.RingDescriptor}, its memory layout for every process (Java or C) that
 * maps it. Pure Java on {@code VarHandle}s: no {@code Unsafe}, no native calls, no JVM flags. Mapping
 * files and naming them is the business of the transport that uses the ring, not of this package.
 */
package dev.switchboard.ring;
