/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every case the harness knows, in run order: Switchboard's tiers first, then the peers; and the groups measured in
 * alternating rounds. The C floor is not a {@link BenchCase} (it is a C program); the harness runs it before and
 * after these.
 */
public final class Cases
{
    /** Implementations, by class name (each process instantiates its own). */
    static final List<String> CLASS_NAMES = List.of(
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$Critical",
        "dev.switchboard.bench.harness.sb.SwitchboardCCase$CToC",
        "dev.switchboard.bench.harness.sb.SwitchboardCCase$CToJava",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$High",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$Normal",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$Low",
        "dev.switchboard.bench.harness.sb.SwitchboardInProcessCase",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$HighRouted",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$NormalRouted",
        "dev.switchboard.bench.harness.sb.SwitchboardWakeUpCase",
        "dev.switchboard.bench.harness.sb.SwitchboardCrossHostCase",
        "dev.switchboard.bench.harness.peers.AeronIpcCase",
        "dev.switchboard.bench.harness.peers.AeronUdpCase",
        "dev.switchboard.bench.harness.peers.AgronaShmCase",
        "dev.switchboard.bench.harness.peers.AbqThreadsCase",
        "dev.switchboard.bench.harness.peers.ClqThreadsCase",
        "dev.switchboard.bench.harness.peers.UdsNioCase",
        "dev.switchboard.bench.harness.peers.UdsRelayCase",
        "dev.switchboard.bench.harness.peers.ChronicleQueueCase");

    /**
     * The cases measured in alternating rounds, each Switchboard case beside the raw mechanism it is judged against
     * (the report's ratios come from these rounds): CRITICAL (Java to Java, C to C, C to Java) beside an Agrona ring over
     * /dev/shm; in-process beside
     * JDK queues between threads; point-to-point HIGH and NORMAL beside raw NIO Unix sockets; HIGH and NORMAL
     * published through the router beside raw Unix sockets through a relaying process; LOW beside raw Chronicle Queue;
     * Switchboard between two hosts (routers bridged over Aeron UDP) beside Aeron's own UDP ping between two hosts.
     */
    public static final List<List<String>> GROUPS = List.of(
        List.of("sb-critical", "c-critical", "c-java-critical", "agrona-shm"),
        List.of("sb-inprocess", "clq-threads"),
        List.of("sb-high", "sb-normal", "uds-nio"),
        List.of("sb-high-routed", "sb-normal-routed", "uds-relay"),
        List.of("sb-low", "chronicle-queue"),
        List.of("sb-cross-host", "aeron-udp"));

    private Cases()
    {
    }

    /**
     * @return one instance of every case, in run order.
     */
    public static List<BenchCase> all()
    {
        final List<BenchCase> cases = new ArrayList<>();
        for (final String name : CLASS_NAMES)
        {
            try
            {
                cases.add((BenchCase)Class.forName(name).getConstructor().newInstance());
            }
            catch (final ReflectiveOperationException e)
            {
                throw new IllegalStateException("case class " + name + " cannot be instantiated: " + e, e);
            }
        }
        return cases;
    }

    /**
     * @param selected cases to run, in run order.
     * @return them in groups, in the order each group's first case comes: a case of {@link #GROUPS} with the other
     * selected cases of its group (in the group's order), any other case alone.
     */
    public static List<List<BenchCase>> groups(final List<BenchCase> selected)
    {
        final List<List<BenchCase>> groups = new ArrayList<>();
        final Set<String> placed = new HashSet<>();
        for (final BenchCase c : selected)
        {
            if (placed.contains(c.id()))
            {
                continue;
            }
            final List<String> definition = GROUPS.stream().filter(g -> g.contains(c.id())).findFirst()
                .orElse(List.of(c.id()));
            final List<BenchCase> group = new ArrayList<>();
            for (final String id : definition)
            {
                selected.stream().filter(s -> s.id().equals(id)).findFirst().ifPresent(group::add);
            }
            group.forEach(g -> placed.add(g.id()));
            groups.add(List.copyOf(group));
        }
        return groups;
    }
}
