/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.report;

import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.ThroughputResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A ratio of two cases, A over B, taken from their paired rounds: round i of A was measured right before or right
 * after round i of B (the order alternates: A B, B A, ...), so both saw the machine in the same state. Each round
 * gives one ratio, A's value in that round over B's; the ratio judged is the <strong>median of the per-round
 * ratios</strong> (for an even count, the mean of the two middle ones). The pooled ratio (A's percentile over every
 * round's values together, over B's) is kept beside it for reference: it mixes regimes when the machine drifted, the
 * median of pairs does not.
 *
 * <p>When the two cases were not measured in alternating rounds (different groups, or a run older than paired
 * rounds), only the pooled ratio exists and {@link #paired()} is false.
 *
 * @param median    median of the per-round ratios (the pooled ratio when not paired).
 * @param min       smallest per-round ratio (NaN when not paired).
 * @param max       largest per-round ratio (NaN when not paired).
 * @param pooled    A's pooled value over B's.
 * @param a         A's pooled value.
 * @param b         B's pooled value.
 * @param perRound  the per-round ratios, in run order (empty when not paired).
 */
record PairedRatio(double median, double min, double max, double pooled, double a, double b, List<Double> perRound)
{
    /**
     * @return true when the ratio comes from paired rounds.
     */
    boolean paired()
    {
        return !perRound.isEmpty();
    }

    /**
     * @param a          A's result.
     * @param b          B's result.
     * @param percentile which value of a round (and of the pooled distribution).
     * @param pairedRuns whether the two cases ran in alternating rounds.
     * @return the ratio, or empty when a value is missing or B's is not positive.
     */
    static Optional<PairedRatio> latency(
        final LatencyResult a, final LatencyResult b, final Percentile percentile, final boolean pairedRuns)
    {
        final double pa = percentile.pooled.applyAsLong(a);
        final double pb = percentile.pooled.applyAsLong(b);
        if (pb <= 0)
        {
            return Optional.empty();
        }
        final List<LatencyResult.Round> ra = a.roundsOrEmpty();
        final List<LatencyResult.Round> rb = b.roundsOrEmpty();
        final List<Double> ratios = new ArrayList<>();
        if (pairedRuns && ra.size() > 1 && ra.size() == rb.size())
        {
            for (int i = 0; i < ra.size(); i++)
            {
                final long vb = percentile.round.applyAsLong(rb.get(i));
                if (vb > 0 && ra.get(i).samples() > 0 && rb.get(i).samples() > 0)
                {
                    ratios.add((double)percentile.round.applyAsLong(ra.get(i)) / vb);
                }
            }
        }
        return Optional.of(of(ratios, pa, pb));
    }

    /**
     * @param a          A's throughput.
     * @param b          B's throughput, same producers and payload.
     * @param pairedRuns whether the two cases ran in alternating rounds.
     * @return the ratio of rates, or empty when B's is not positive.
     */
    static Optional<PairedRatio> throughput(final ThroughputResult a, final ThroughputResult b, final boolean pairedRuns)
    {
        if (b.msgsPerSecond() <= 0)
        {
            return Optional.empty();
        }
        final List<Double> ra = a.roundRatesOrEmpty();
        final List<Double> rb = b.roundRatesOrEmpty();
        final List<Double> ratios = new ArrayList<>();
        if (pairedRuns && ra.size() > 1 && ra.size() == rb.size())
        {
            for (int i = 0; i < ra.size(); i++)
            {
                if (rb.get(i) > 0)
                {
                    ratios.add(ra.get(i) / rb.get(i));
                }
            }
        }
        return Optional.of(of(ratios, a.msgsPerSecond(), b.msgsPerSecond()));
    }

    private static PairedRatio of(final List<Double> ratios, final double a, final double b)
    {
        final double pooled = a / b;
        if (ratios.isEmpty())
        {
            return new PairedRatio(pooled, Double.NaN, Double.NaN, pooled, a, b, List.of());
        }
        final double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new PairedRatio(median(sorted), sorted[0], sorted[sorted.length - 1], pooled, a, b,
            List.copyOf(ratios));
    }

    /**
     * @param sorted values in ascending order, at least one.
     * @return the middle one, or the mean of the two middle ones.
     */
    static double median(final double[] sorted)
    {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * @param a one case.
     * @param b another.
     * @return true when they ran in the same group of alternating rounds.
     */
    static boolean sameGroup(final CaseResult a, final CaseResult b)
    {
        return null != a.group() && a.group().size() > 1 && a.group().contains(b.id());
    }

    /**
     * @return "1.08x" alone when not paired; else "1.08x (median of 10 paired rounds, 0.95–1.31x)".
     */
    String describe()
    {
        if (!paired())
        {
            return ReportFormat.ratio(median) + " (pooled, not paired)";
        }
        return ReportFormat.ratio(median) + " (median of " + perRound.size() + " paired rounds, " + range() + ")";
    }

    /**
     * @return the smallest and largest per-round ratio: "0.95–1.31x".
     */
    String range()
    {
        return String.format(java.util.Locale.ROOT, "%.2f", min) + "–" + ReportFormat.ratio(max);
    }

    /**
     * @return the per-round ratios, "1.02 1.10 0.98", or an em dash.
     */
    String perRoundText()
    {
        if (!paired())
        {
            return ReportFormat.MISSING;
        }
        return String.join(" ", perRound.stream().map(r -> String.format(java.util.Locale.ROOT, "%.2f", r)).toList());
    }

    /** Which value of a distribution a ratio compares: in each round, and pooled. */
    enum Percentile
    {
        P50("p50", LatencyResult::p50Ns, LatencyResult.Round::p50Ns),
        P99("p99", LatencyResult::p99Ns, LatencyResult.Round::p99Ns),
        P999("p99.9", LatencyResult::p999Ns, LatencyResult.Round::p999Ns);

        final String label;
        final ToLongFunction<LatencyResult> pooled;
        final ToLongFunction<LatencyResult.Round> round;

        Percentile(final String label, final ToLongFunction<LatencyResult> pooled,
            final ToLongFunction<LatencyResult.Round> round)
        {
            this.label = label;
            this.pooled = pooled;
            this.round = round;
        }
    }

    @Override
    public String toString()
    {
        return describe() + " " + Arrays.toString(perRound.toArray());
    }
}
