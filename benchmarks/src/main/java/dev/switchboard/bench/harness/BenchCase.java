/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A transport measured by the harness: a Switchboard tier, or a peer a user would pick instead. The harness
 * starts the responder and the initiator in two processes ({@link #inProcess()} false) or as two threads of one
 * process (true), calls {@link #startServer} once in a third process where the case needs a server (the Switchboard
 * router, an Aeron media driver), and drives the endpoints.
 *
 * <p>Implementations have a public no-argument constructor. Each process of a case makes its own instance; the
 * one instance of an in-process case opens both sides and may share state between them (the queue pair).
 */
public interface BenchCase
{
    /** What kind of thing the case measures, for the report's grouping. */
    enum Kind
    {
        /** Switchboard's public client API on one tier. */
        SWITCHBOARD,
        /** A library or raw mechanism a user could pick instead. */
        PEER,
        /** The hardware floor: one cache line between two cores, in C. */
        FLOOR
    }

    /**
     * @return short stable id, used in file names and on the command line: {@code sb-critical}, {@code aeron-ipc}.
     */
    String id();

    /**
     * @return what the report calls it: "Switchboard CRITICAL (/dev/shm inbox)".
     */
    String label();

    /**
     * @return the kind, for the report.
     */
    Kind kind();

    /**
     * @return true when both sides run as threads of one process (JDK queues, Switchboard in-process).
     */
    default boolean inProcess()
    {
        return false;
    }

    /**
     * @return the most producers the throughput phase may open at once (1 when the transport is one-to-one).
     */
    default int maxProducers()
    {
        return 1;
    }

    /**
     * @return the phases the case runs: by default ping-pong, the system-call window, one-way and throughput (every
     * transport case); a case measuring something else (wake-ups, idle cost) names its own.
     */
    default Set<Step.Kind> phases()
    {
        return EnumSet.of(Step.Kind.PING_PONG, Step.Kind.SYSCALLS, Step.Kind.ONE_WAY, Step.Kind.THROUGHPUT);
    }

    /**
     * @return the settings the server started by {@link #startServer} runs with, one "setting: value" each (the
     * router's idle strategy, ...), for the report; called in the server's process after {@link #startServer}.
     */
    default List<String> serverSettings()
    {
        return List.of();
    }

    /**
     * @return JVM options every process of the case needs beyond the harness's own (Chronicle's opens, ...).
     */
    default List<String> jvmOptions()
    {
        return List.of();
    }

    /**
     * @return null when the case can run on this machine, else why not (reported, and the case is skipped).
     */
    default String unavailableReason()
    {
        return null;
    }

    /**
     * What the coordinator makes before the case's processes start and removes when the case is over (the hosts of a
     * cross-host case: {@link CrossHost#create}). Runs in the coordinator's process.
     *
     * @param env    the case's environment.
     * @param logDir the case's log directory in the run (for the output of processes it starts).
     * @return what to close when the case is over, or null for nothing.
     * @throws Exception when it cannot be made (the case fails).
     */
    default AutoCloseable setUp(final CaseEnv env, final Path logDir) throws Exception
    {
        return null;
    }

    /**
     * @param env  the case's environment, after {@link #setUp}.
     * @param role the process: {@code server}, {@code responder}, {@code initiator} or {@code both}.
     * @return the command the process's JVM runs under (a cross-host case's {@code ip netns exec HOST}); empty for
     * none.
     */
    default List<String> commandPrefix(final CaseEnv env, final String role)
    {
        return List.of();
    }

    /**
     * Start what both sides need (a router, a media driver), in a process of its own started before the sides;
     * it runs until the process is destroyed.
     *
     * @param env the case's environment.
     * @return what to close when the case is over, or null when the case needs no server.
     * @throws Exception when the server cannot start.
     */
    default AutoCloseable startServer(final CaseEnv env) throws Exception
    {
        return null;
    }

    /**
     * @return true when {@link #startServer} starts something (the harness then runs it in its own process first).
     */
    default boolean needsServer()
    {
        return false;
    }

    /**
     * Open the receiving side. It must be ready to receive when this returns (initiators may connect at once).
     *
     * @param env the case's environment.
     * @return the responder's endpoint.
     * @throws Exception when it cannot be opened.
     */
    BenchEndpoint openResponder(CaseEnv env) throws Exception;

    /**
     * Open one sending side; blocks (with a timeout, then throws) until the responder is reachable.
     *
     * @param env           the case's environment.
     * @param producerIndex 0 for the first (the ping-pong and one-way side), up to {@link #maxProducers()} - 1.
     * @return the initiator's endpoint.
     * @throws Exception when it cannot be opened or the responder is not reachable in time.
     */
    BenchEndpoint openInitiator(CaseEnv env, int producerIndex) throws Exception;
}
