/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The transports that reach outside the JVM: the tiers behind router-core's {@code Transport} SPI.
 * <p>
 * This module is the only Java code in Switchboard that makes native calls or maps shared files:
 * <ul>
 *   <li>CRITICAL and BATCH: many-to-one inboxes in memory-mapped files under {@code /dev/shm}, on
 *       {@link java.lang.foreign.MemorySegment} and {@link java.lang.invoke.VarHandle} (no Unsafe, no JVM flags
 *       on the client side).</li>
 *   <li>HIGH: io_uring through {@code java.lang.foreign} and liburing, bindings kept in jextract's shape in one
 *       package.</li>
 *   <li>NORMAL: Unix domain sockets through {@code java.nio}.</li>
 *   <li>LOW: durable per-destination queues (Chronicle Queue).</li>
 * </ul>
 * Each tier is probed at start and falls back (HIGH and CRITICAL to NORMAL) with one warning when it cannot run.
 * The tiers arrive in later issues; today this package only marks the module's place in the build.
 */
package dev.switchboard.ipc;
