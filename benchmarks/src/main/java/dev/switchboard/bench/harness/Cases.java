/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Every case the harness knows, in run order: Switchboard's tiers first, then the peers. The C floor is not a
 * {@link BenchCase} (it is a C program); the harness runs it before and after these.
 */
public final class Cases
{
    /** Implementations, by class name (each process instantiates its own). */
    static final List<String> CLASS_NAMES = List.of(
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$Critical",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$High",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$Normal",
        "dev.switchboard.bench.harness.sb.SwitchboardTierCase$Low",
        "dev.switchboard.bench.harness.sb.SwitchboardInProcessCase",
        "dev.switchboard.bench.harness.peers.AeronIpcCase",
        "dev.switchboard.bench.harness.peers.AgronaShmCase",
        "dev.switchboard.bench.harness.peers.AbqThreadsCase",
        "dev.switchboard.bench.harness.peers.ClqThreadsCase",
        "dev.switchboard.bench.harness.peers.UdsNioCase",
        "dev.switchboard.bench.harness.peers.ChronicleQueueCase");

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
}
