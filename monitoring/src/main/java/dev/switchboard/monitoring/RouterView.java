/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring;

import java.util.List;

/**
 * What the router process this server runs in knows of itself, beyond its counters file: whether its duty cycle runs
 * (so it accepts connections) and what its tiers' probes found. {@code /health/ready} and the status page read it; it
 * is absent when the server runs outside a router.
 *
 * <p>Thread-safety: called from the server's threads; an implementation reads state that another thread writes, so it
 * must publish it safely.
 */
public interface RouterView
{
    /** @return whether the router's duty cycle runs and its sockets are bound: it accepts agents. */
    boolean accepting();

    /** @return each tier's state as probed at the router's start; empty when the probes have not run. */
    List<TierState> tiers();

    /**
     * One tier as the router found it.
     *
     * @param tier      the tier's name ({@code CRITICAL}, {@code HIGH}, {@code NORMAL}, {@code LOW}...).
     * @param available whether it runs here; false when it falls back (or is disabled).
     * @param detail    for people: how it runs, or why it does not and where its traffic goes.
     */
    record TierState(String tier, boolean available, String detail)
    {
    }
}
