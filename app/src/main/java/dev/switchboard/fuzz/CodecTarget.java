/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.codecs.FrameError;
import dev.switchboard.codecs.fuzz.FrameMutator;
import dev.switchboard.codecs.fuzz.FrameOracle;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The codecs target: the validator and the generated decoders of every message, in this process, fed
 * {@link FrameMutator}'s inputs and judged by {@link FrameOracle} (no exception, each rejection counted once under its
 * error, every accepted frame decoding completely inside itself). A violation, or any exception or error escaping the
 * check, is a CRASH finding; an input the check has not finished within the deadline is a HANG (the checking thread
 * is then abandoned). The reproducer of a finding is its input's bytes.
 * <p>
 * Thread-safety: one {@link #run()} per instance; the check runs on a daemon thread of its own (handed over at its
 * start), watched by the caller.
 */
final class CodecTarget
{
    /**
     * What each input is checked by: {@link FrameOracle#check} in a campaign; a deliberately broken one in the test
     * that proves findings are reported.
     */
    @FunctionalInterface
    interface Check
    {
        /**
         * @param frame the input.
         * @return the validator's result (a template id, or a negative {@link FrameError} code).
         */
        int check(byte[] frame);
    }

    private final FuzzSettings settings;
    private final FindingLog findings;
    private final PrintStream out;
    private final Check check;
    private final FrameOracle oracle;
    private final TargetReport report = new TargetReport("codecs");
    private volatile long current = -1;
    private volatile boolean done;

    /**
     * @param settings the campaign's settings.
     * @param findings where findings go.
     * @param out      where progress goes.
     * @param check    what each input is checked by (used by the checking thread only).
     * @param oracle   the oracle behind {@code check}, whose counts go into the report, or null.
     */
    CodecTarget(final FuzzSettings settings, final FindingLog findings, final PrintStream out, final Check check,
        final FrameOracle oracle)
    {
        this.settings = settings;
        this.findings = findings;
        this.out = out;
        this.check = check;
        this.oracle = oracle;
    }

    /**
     * @return a codecs target that checks with a {@link FrameOracle}.
     */
    static CodecTarget withOracle(final FuzzSettings settings, final FindingLog findings, final PrintStream out)
    {
        final FrameOracle oracle = new FrameOracle();
        return new CodecTarget(settings, findings, out, oracle::check, oracle);
    }

    /**
     * Run the inputs.
     *
     * @return what happened.
     * @throws InterruptedException if interrupted.
     */
    TargetReport run() throws InterruptedException
    {
        final long inputs = settings.inputs(FuzzSettings.Target.CODECS);
        final long start = System.nanoTime();
        final Thread checker = new Thread(() -> checkAll(inputs), "fuzz-codecs");
        checker.setDaemon(true);
        checker.start();
        final long deadlineNs = TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs());
        long seen = -2;
        long seenAtNs = System.nanoTime();
        long nextProgressNs = start + TimeUnit.SECONDS.toNanos(10);
        while (!done)
        {
            checker.join(20);
            final long now = System.nanoTime();
            final long index = current;
            if (index != seen)
            {
                seen = index;
                seenAtNs = now;
            }
            else if (!done && now - seenAtNs > deadlineNs)
            {
                final byte[] frame = new FrameMutator(settings.seed()).input(index);
                findings.record(report, new Finding(report.name(), Finding.Kind.HANG, settings.seed(), index, index,
                    "checking one input took longer than " + settings.deadlineMs() + " ms", null),
                    "input.bin: the frame given to FrameValidator.validate and the generated decoder",
                    Map.of("input.bin", frame));
                break; // the checking thread is a daemon: abandoned
            }
            if (now - nextProgressNs > 0)
            {
                out.printf(java.util.Locale.ROOT, "fuzz: codecs %,d of %,d inputs%n", report.inputs(), inputs);
                nextProgressNs = now + TimeUnit.SECONDS.toNanos(10);
            }
        }
        report.elapsedNs(System.nanoTime() - start);
        if (oracle != null && done)
        {
            report.detail("accepted (decoded completely)", oracle.accepted());
            for (final FrameError error : FrameError.values())
            {
                report.detail("rejected: " + error, oracle.rejections().count(error));
            }
        }
        return report;
    }

    private void checkAll(final long inputs)
    {
        try
        {
            final FrameMutator mutator = new FrameMutator(settings.seed());
            for (long i = 0; i < inputs; i++)
            {
                current = i;
                final byte[] frame = mutator.input(i);
                try
                {
                    check.check(frame);
                }
                catch (final RuntimeException | Error e)
                {
                    findings.record(report, new Finding(report.name(), Finding.Kind.CRASH, settings.seed(), i, i,
                        e.getClass().getSimpleName() + " escaped the check: " + e.getMessage(), null),
                        "input.bin: the frame given to FrameValidator.validate and the generated decoder",
                        Map.of("input.bin", frame));
                    if (report.findingCount() >= TargetReport.MAX_FINDINGS)
                    {
                        break;
                    }
                }
                report.inputs.increment();
                report.frames.increment();
                report.bytes.add(frame.length);
            }
        }
        finally
        {
            done = true;
        }
    }
}
