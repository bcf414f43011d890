/**
 * HIGH: frames over a Unix stream socket driven by io_uring through the FFM API and liburing 2.x.
 * <ul>
 *   <li>Bindings in jextract's shape (written by hand: jextract cannot be obtained here): {@link
 *       dev.switchboard.ipc.uring.liburing.liburing_h} (library lookup, constants, exported liburing functions, the libc
 *       socket calls) and one class per struct ({@code io_uring}, {@code io_uring_sq}, {@code io_uring_cq},
 *       {@code io_uring_sqe}, {@code io_uring_cqe}, {@code io_uring_params}, {@code io_sqring_offsets},
 *       {@code io_cqring_offsets}, {@code __kernel_timespec}, {@code iovec}, {@code sockaddr_un}, {@code io_uring_buf},
 *       {@code io_uring_buf_ring}, {@code io_uring_buf_reg}, {@code io_uring_probe}, {@code io_uring_probe_op},
 *       {@code pollfd}). Every size,
 *       offset and constant is compared with the C header by {@code UringLayoutTest}, through the probe
 *       {@code native/probe/uring_layout.c}.</li>
 *   <li>liburing's inline half (get_sqe, prep_*, cqe_seen/cq_advance) is written in Java over the mmap'd rings,
 *       with the acquire/release ordering of the kernel's ring protocol: see {@link dev.switchboard.ipc.uring.UringRing},
 *       the public plumbing every io_uring engine builds on: setup modes with fallback ({@code SINGLE_ISSUER},
 *       {@code DEFER_TASKRUN}, {@code COOP_TASKRUN}, a diagnostic of what runs), a ring owned by the thread that
 *       polls it whichever thread set it up ({@code R_DISABLED} + {@code ENABLE_RINGS}), multishot receive with
 *       provided buffers ({@link dev.switchboard.ipc.uring.UringBufferRing}), send, the op probe.</li>
 *   <li>{@link dev.switchboard.ipc.uring.UringLink}: one end of a link, registered send slots and receive buffer,
 *       batched submissions; {@link dev.switchboard.ipc.uring.UringServer}: the router's end, one ring and one duty
 *       cycle for all links; {@link dev.switchboard.ipc.uring.UringProbe}: whether HIGH can run here, and why
 *       not; {@link dev.switchboard.ipc.uring.UringConfig}: settings.</li>
 * </ul>
 * Needs {@code --enable-native-access=ALL-UNNAMED}, liburing 2.2+ ({@code liburing.so.2}) and a kernel that permits
 * io_uring (5.19+ for the server's sparse buffer table). When it cannot run, HIGH falls back to NORMAL.
 */
package dev.switchboard.ipc.uring;
