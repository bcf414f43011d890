/**
 * The settings that hold for a whole JVM process rather than for one connection or router:
 * {@link dev.switchboard.ipc.process.ProcessContext} (may this process use the futex and io_uring, where liburing is,
 * the strongest io_uring completion mode, which group shares the files, how a program stops). What they configure is
 * decided once per process (a class initialiser, a library loaded into the global arena, signal handlers), so the
 * settings are read once, by this context, which every package of {@code ipc-native} may use: it depends on none of
 * them.
 */
package dev.switchboard.ipc.process;
