/**
 * This process's counters file (the layout and the reader are {@code dev.switchboard.counters.file}'s, in
 * {@code client}): {@link dev.switchboard.ipc.counters.CountersFile} creates it in {@code <shm dir>/counters/}
 * (owner-only, through {@code OwnedFiles}), maps it, names it, writes its heartbeat and removes it;
 * {@link dev.switchboard.ipc.counters.ProcessCountersFiles} finds the right file for an error or a process-wide
 * histogram; {@link dev.switchboard.ipc.counters.StaleCountersCleaner} removes those of dead processes after a
 * retention; {@link dev.switchboard.ipc.counters.CountersKeeper} runs heartbeat and cleaning on a daemon thread of a
 * router process.
 */
package dev.switchboard.ipc.counters;
