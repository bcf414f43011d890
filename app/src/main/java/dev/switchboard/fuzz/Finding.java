/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import java.nio.file.Path;

/**
 * One thing a fuzz campaign found: what went wrong, where, and how to reproduce it. The inputs of a campaign are a
 * function of its seed and the input index, so {@code seed} and {@code firstIndex..lastIndex} (the inputs that were
 * in flight, on the connection or in the batch that failed) reproduce it; {@code reproducer} holds those inputs' bytes
 * as they were written, when there are bytes to save.
 *
 * @param target     the target and engine, e.g. {@code sockets/uring}.
 * @param kind       what class of failure.
 * @param seed       the campaign's seed.
 * @param firstIndex first input index involved, or -1 when the finding is not tied to inputs.
 * @param lastIndex  last input index involved (inclusive), or -1.
 * @param detail     what was seen, with the values that matter.
 * @param reproducer file holding the bytes of the inputs involved, or null.
 */
public record Finding(
    String target, Kind kind, long seed, long firstIndex, long lastIndex, String detail, Path reproducer)
{
    /**
     * Classes of failure. Every one makes {@code ./switchboard fuzz} exit 1.
     */
    public enum Kind
    {
        /** The process under test died, an exception escaped a data-plane call, or a JVM faulted. */
        CRASH,
        /** Something stopped answering within its deadline: the router's liveness probe, a reader's progress. */
        HANG,
        /** A legitimate message accepted with OK never arrived, or arrived out of order. */
        LOSS,
        /** The contract was broken without a crash: a connection closed or kept against the rules, a miscount. */
        WRONG
    }

    /**
     * @param path where the reproducer bytes were saved.
     * @return this finding with its reproducer.
     */
    public Finding withReproducer(final Path path)
    {
        return new Finding(target, kind, seed, firstIndex, lastIndex, detail, path);
    }

    @Override
    public String toString()
    {
        return kind + " " + target + " seed " + seed + (firstIndex < 0 ? "" : " inputs " + firstIndex +
            (lastIndex > firstIndex ? ".." + lastIndex : "")) + ": " + detail +
            (reproducer == null ? "" : " (reproducer " + reproducer + ")");
    }
}
