/*
 * Copyright 2025 Switchboard contributors.
 */

/**
 * The peer cases of the latency harness: the libraries and raw mechanisms a user could pick instead of Switchboard,
 * each reduced to a {@link dev.switchboard.bench.harness.BenchCase} of kind {@code PEER} so the same driver times
 * them the same way.
 *
 * <table>
 *   <caption>Peer cases</caption>
 *   <tr><th>id</th><th>class</th><th>what it measures</th><th>producers</th></tr>
 *   <tr><td>{@code aeron-ipc}</td><td>{@link dev.switchboard.bench.harness.peers.AeronIpcCase}</td>
 *       <td>Aeron {@code aeron:ipc} publications and subscriptions over an embedded media driver</td><td>4</td></tr>
 *   <tr><td>{@code agrona-shm}</td><td>{@link dev.switchboard.bench.harness.peers.AgronaShmCase}</td>
 *       <td>two Agrona {@code ManyToOneRingBuffer}s in memory-mapped files (the CRITICAL inbox's algorithm)</td>
 *       <td>4</td></tr>
 *   <tr><td>{@code abq-threads}</td><td>{@link dev.switchboard.bench.harness.peers.AbqThreadsCase}</td>
 *       <td>two JDK {@code ArrayBlockingQueue}s between threads</td><td>4</td></tr>
 *   <tr><td>{@code clq-threads}</td><td>{@link dev.switchboard.bench.harness.peers.ClqThreadsCase}</td>
 *       <td>two JDK {@code ConcurrentLinkedQueue}s between threads</td><td>4</td></tr>
 *   <tr><td>{@code uds-nio}</td><td>{@link dev.switchboard.bench.harness.peers.UdsNioCase}</td>
 *       <td>NIO Unix domain sockets, non-blocking, busy-spinning reads</td><td>4</td></tr>
 *   <tr><td>{@code chronicle-queue}</td><td>{@link dev.switchboard.bench.harness.peers.ChronicleQueueCase}</td>
 *       <td>two Chronicle queues on disk</td><td>2</td></tr>
 * </table>
 *
 * <p>Every case follows the same rules: the responder's {@code offer} answers producer 0 only; endpoints never block
 * or park in {@code poll}/{@code offer} (the driver spins); an initiator waits for its responder at most
 * {@link dev.switchboard.bench.harness.peers.PeerLimits#openTimeoutMs()} and then fails with a message naming what
 * it waited for; a poll delivers at most {@link dev.switchboard.bench.harness.peers.PeerLimits#POLL_LIMIT} messages;
 * nothing is allocated per message except where the peer itself allocates (a {@code ConcurrentLinkedQueue} node),
 * which the class comment says.
 */
package dev.switchboard.bench.harness.peers;
