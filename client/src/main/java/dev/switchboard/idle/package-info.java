/**
 * How a client waits when it has nothing to do, in pure Java: {@link dev.switchboard.idle.IdleSettings} (the
 * strategy a client chose, {@code switchboard.client.idle}, and its bounds), {@link dev.switchboard.idle.IdleStrategies}
 * (settings to an Agrona {@code IdleStrategy}), {@link dev.switchboard.idle.SpinParkIdleStrategy} (the default:
 * spin, yield, then park until woken or a duty is due), the {@link dev.switchboard.idle.Parker} SPI under it and
 * {@link dev.switchboard.idle.ThreadParker} (in-process agents: {@code LockSupport}). The cross-process parkers (a
 * futex on an inbox's parked word, the doorbell socket) live in {@code ipc-native}'s {@code dev.switchboard.ipc.shm},
 * the only module that makes native calls. Knows nothing of transports, the registry or the router.
 */
package dev.switchboard.idle;
