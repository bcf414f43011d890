/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.FrameValidator;
import dev.switchboard.codecs.WireLimits;
import dev.switchboard.codecs.fuzz.FrameMutator;
import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.CounterIds;
import dev.switchboard.counters.CounterKind;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.ipc.shm.InboxDescriptor;
import dev.switchboard.ring.ManyToOneRing;
import dev.switchboard.ring.RingDescriptor;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.Tier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The inbox target: garbage written straight into a live agent's CRITICAL inbox (its shared-memory file, mapped here as
 * any sender maps it) while a well-behaved sender writes numbered messages into the same inbox and the agent reads
 * them ({@link GoodTraffic}: a real client polling a real inbox). The garbage claims its space by the ring's protocol,
 * as a buggy or hostile sender would, then lies. The inputs come in rounds of {@link FuzzSettings#corruptEvery()}:
 * <ol>
 *     <li>plausible records: {@link HostileFrames}' frames, a quarter of them with an unknown record type. The reader
 *     must skip each by its length and count it (a bad type as {@link RouterCounter#REJECTED_MALFORMED}, a frame that
 *     is not a valid Envelope as CRITICAL/SEND rejected: exactly as many as a local validator predicts), lose none of
 *     the good messages, and keep up;</li>
 *     <li>then one record with an impossible length (shorter than a record header, reaching past the record area,
 *     {@code Integer.MAX_VALUE}, over the capacity): the reader must discard the ring up to its tail, count
 *     {@link RouterCounter#INBOX_CORRUPT_RECORDS}, and go on reading; good messages in the discarded span may be lost
 *     (that is what the counters report), later ones must arrive in order.</li>
 * </ol>
 * The last input truncates the file of another live reader's inbox: reader and sender must neither fault nor throw
 * (one mapping fault counted, {@code NOT_CONNECTED} to the sender).
 * <p>
 * Findings: the reader or sender throwing out of a client call (CRASH), the ring staying full, a count not reached
 * or the good traffic not moving within the deadline (HANG), good messages lost outside a discarded span (LOSS),
 * counts above the prediction, a send refused (WRONG). The reproducer is the round's records as written (type,
 * length, body).
 * <p>
 * The router and the reader run in this JVM (the reader's faults are contained by the reader itself: a mapping fault
 * is counted, never thrown; see {@code DamagedInboxTest}). Overwritten trailers are covered by
 * {@code DamagedInboxTest}, not here.
 * <p>
 * Thread-safety: one {@link #run()} per instance.
 */
final class InboxTarget
{
    private static final long STREAM = 0x1B0C_F022_0000_0002L;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int[] BAD_TYPES = {0, Tier.count() + 1, 99, Integer.MAX_VALUE, Integer.MIN_VALUE, -7};
    private static final int BAD_FRAMES = CounterIds.of(Tier.CRITICAL, Pattern.SEND, CounterKind.REJECTED);
    private static final int BAD_TYPES_COUNTER = CounterIds.of(RouterCounter.REJECTED_MALFORMED);
    private static final int CORRUPT = CounterIds.of(RouterCounter.INBOX_CORRUPT_RECORDS);
    /** What the last input leaves of a live inbox file: its header and the start of its ring. */
    private static final long TRUNCATED_LENGTH = 4096;
    private static final String TRUNCATION = "the last input: the receiver's inbox file truncated to " +
        TRUNCATED_LENGTH + " bytes (FileChannel.truncate) while a CRITICAL sender writes into it and its owner reads " +
        "it";

    private final FuzzSettings settings;
    private final FindingLog findings;
    private final PrintStream out;
    private final TargetReport report = new TargetReport("inbox");
    private final long deadlineNs;
    private final FrameValidator validator = new FrameValidator(WireLimits.MAX_FRAME_LENGTH, new FrameRejections());
    private final RouterContext routerContext = new RouterContext();
    private GoodTraffic good;
    private CounterBlock counters;
    private ManyToOneRing ring;
    private MemorySegment ringSegment;
    private long expectedBadTypes;
    private long expectedBadFrames;
    private long corruptions;
    private long badTypesBefore;
    private long badFramesBefore;

    InboxTarget(final FuzzSettings settings, final FindingLog findings, final PrintStream out)
    {
        this.settings = settings;
        this.findings = findings;
        this.out = out;
        this.deadlineNs = TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs());
    }

    /**
     * Start a router and the good traffic, write the inputs into the receiver's inbox, and report.
     *
     * @return what happened.
     * @throws IOException if the runtime dir or the inbox cannot be opened.
     * @throws InterruptedException if interrupted.
     */
    TargetReport run() throws IOException, InterruptedException
    {
        final long start = System.nanoTime();
        final Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sbfz-inbox-");
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(routerContext, ipc);
            Arena arena = Arena.ofShared())
        {
            good = new GoodTraffic(ipc, Priority.CRITICAL, GoodTraffic.Route.DIRECT, "good-critical", 16,
                TimeUnit.MILLISECONDS.toNanos(1));
            try
            {
                if (!good.start() || !good.awaitReceived(100, 60_000))
                {
                    findings.record(report, new Finding(report.name(), Finding.Kind.WRONG, settings.seed(), -1, -1,
                        "well-behaved CRITICAL traffic did not start: " + good.failure(), null), "", Map.of());
                    return report;
                }
                final MemorySegment file;
                try (FileChannel channel = FileChannel.open(Path.of(good.receiverInbox()), StandardOpenOption.READ,
                    StandardOpenOption.WRITE))
                {
                    file = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
                }
                ringSegment = file.asSlice(InboxDescriptor.HEADER_LENGTH);
                ring = new ManyToOneRing(ringSegment);
                counters = good.receiverCounters();
                badTypesBefore = counters.get(BAD_TYPES_COUNTER);
                badFramesBefore = counters.get(BAD_FRAMES);
                final long attackStartNs = System.nanoTime();
                if (attack(settings.inputs(FuzzSettings.Target.INBOX)))
                {
                    // Every impossible record counted, exactly (the reader's count lags by up to a second).
                    awaitCounter(CORRUPT, corruptions, report.inputs() - 1, Math.max(0, report.inputs() -
                        settings.corruptEvery()), "impossible records");
                }
                report.runningNs(System.nanoTime() - attackStartNs);
                final GoodTraffic.Outcome outcome = good.stop(settings.deadlineMs() + 20_000);
                report.detail("good CRITICAL messages sent", outcome.sent());
                report.detail("good CRITICAL messages lost in discarded spans", outcome.gaps());
                if (!outcome.isWhole() && report.findingCount() == 0)
                {
                    findings.record(report, new Finding(report.name(), Finding.Kind.LOSS, settings.seed(), -1, -1,
                        "well-behaved traffic: " + outcome.received() + " of " + outcome.sent() +
                        " messages accepted with OK arrived: " + outcome.failure(), null), "", Map.of());
                }
            }
            finally
            {
                good.close();
            }
            report.detail("records with a bad type counted", counters.get(BAD_TYPES_COUNTER) - badTypesBefore);
            report.detail("records with a bad frame counted", counters.get(BAD_FRAMES) - badFramesBefore);
            report.detail("impossible records: ring resynchronised", counters.get(CORRUPT));
            report.detail("bytes discarded by resynchronisations",
                counters.get(CounterIds.of(RouterCounter.INBOX_DISCARDED_BYTES)));
            if (report.findingCount() == 0)
            {
                truncate(ipc, report.inputs());
            }
        }
        finally
        {
            report.elapsedNs(System.nanoTime() - start);
            FuzzCampaign.deleteQuietly(dir);
        }
        return report;
    }

    /**
     * The last input: another process of the same user truncates a live reader's inbox file (a fresh pair of agents,
     * so that the rounds' checks are done). Neither the reader nor its sender may fault or throw: the reader counts
     * one mapping fault ({@link RouterCounter#INBOX_FAULTS}) and stops reading that inbox, the sender is told
     * {@code NOT_CONNECTED} (see {@code DamagedInboxTest}).
     */
    private void truncate(final IpcContext ipc, final long index) throws IOException, InterruptedException
    {
        try (GoodTraffic victim = new GoodTraffic(ipc, Priority.CRITICAL, GoodTraffic.Route.DIRECT, "truncated", 16,
            TimeUnit.MILLISECONDS.toNanos(1)))
        {
            if (!victim.start() || !victim.awaitReceived(100, 60_000))
            {
                findings.record(report, new Finding(report.name(), Finding.Kind.WRONG, settings.seed(), -1, -1,
                    "CRITICAL traffic for the truncation did not start: " + victim.failure(), null), "", Map.of());
                return;
            }
            victim.endOnNotConnected();
            final CounterBlock victimCounters = victim.receiverCounters();
            final int faults = CounterIds.of(RouterCounter.INBOX_FAULTS);
            try (FileChannel channel = FileChannel.open(Path.of(victim.receiverInbox()), StandardOpenOption.WRITE))
            {
                channel.truncate(TRUNCATED_LENGTH);
            }
            report.inputs.increment();
            report.frames.increment();
            final long deadline = System.nanoTime() + deadlineNs;
            while (victimCounters.get(faults) == 0 || !victim.endedNotConnected())
            {
                if (victim.failure() != null)
                {
                    findings.record(report, new Finding(report.name(), victim.failureKind(), settings.seed(), index,
                        index, "a truncated inbox: " + victim.failure(), null), TRUNCATION, Map.of());
                    return;
                }
                if (System.nanoTime() - deadline > 0)
                {
                    findings.record(report, new Finding(report.name(), Finding.Kind.HANG, settings.seed(), index,
                        index, "a truncated inbox: within " + settings.deadlineMs() + " ms the reader counted " +
                        victimCounters.get(faults) + " mapping faults and the sender was " +
                        (victim.endedNotConnected() ? "" : "not ") + "told NOT_CONNECTED", null), TRUNCATION, Map.of());
                    return;
                }
                Thread.sleep(1);
            }
            Thread.sleep(100); // the reader goes on polling: no second count, no exception
            if (victimCounters.get(faults) != 1 || victim.failure() != null)
            {
                findings.record(report, new Finding(report.name(), Finding.Kind.WRONG, settings.seed(), index, index,
                    "a truncated inbox: the reader counted " + victimCounters.get(faults) + " mapping faults (1 " +
                    "expected)" + (victim.failure() == null ? "" : "; " + victim.failure()), null), TRUNCATION,
                    Map.of());
                return;
            }
            report.detail("truncated inbox: mapping faults counted by its reader", victimCounters.get(faults));
        }
    }

    /**
     * @return true when every input was written and checked (false after a finding).
     */
    private boolean attack(final long inputs) throws InterruptedException
    {
        final HostileFrames frames = new HostileFrames(settings.seed(), Integer.MAX_VALUE,
            routerContext.handshakeBufferBytes(), ring.maxMessageLength(), new FrameRejections());
        final int round = settings.corruptEvery();
        final long startNs = System.nanoTime();
        long nextProgressNs = startNs + TimeUnit.SECONDS.toNanos(10);
        for (long first = 0; first < inputs; first += round)
        {
            final long last = Math.min(first + round, inputs) - 1;
            // Plausible records, then (if the round is whole) one impossible record as its last input.
            final boolean whole = last - first + 1 == round;
            for (long i = first; i <= (whole ? last - 1 : last); i++)
            {
                if (!writePlausible(frames, i, first))
                {
                    return false;
                }
            }
            if (!awaitCounts(first, whole ? last - 1 : last))
            {
                return false;
            }
            if (whole && !writeImpossible(last, first))
            {
                return false;
            }
            final long now = System.nanoTime();
            if (now - nextProgressNs > 0)
            {
                out.printf(Locale.ROOT, "fuzz: inbox %,d of %,d inputs (%,.0f/s), %,d resynchronisations%n",
                    report.inputs(), inputs, report.inputs() * 1e9 / (now - startNs), corruptions);
                nextProgressNs = now + TimeUnit.SECONDS.toNanos(10);
            }
        }
        return true;
    }

    private boolean writePlausible(final HostileFrames frames, final long index, final long roundStart)
        throws InterruptedException
    {
        final SplittableRandom random = FrameMutator.randomFor(settings.seed() ^ STREAM, index);
        frames.next(index, 0);
        final int length = frames.recordLength() - HostileFrames.PREFIX;
        final int badType = random.nextInt(4) == 0 ? BAD_TYPES[random.nextInt(BAD_TYPES.length)] : 0;
        final int claimed = claim(length, index, roundStart);
        if (claimed < 0)
        {
            return false;
        }
        ring.buffer().putBytes(claimed, frames.record(), HostileFrames.PREFIX, length);
        final int recordIndex = claimed - RingDescriptor.HEADER_LENGTH;
        if (badType != 0)
        {
            ring.buffer().putInt(recordIndex + RingDescriptor.TYPE_OFFSET, badType);
            expectedBadTypes++;
        }
        else if (validator.validate(frames.record(), HostileFrames.PREFIX, length) != EnvelopeDecoder.TEMPLATE_ID)
        {
            expectedBadFrames++;
        }
        commitAs(recordIndex, RingDescriptor.HEADER_LENGTH + length);
        report.inputs.increment();
        report.frames.increment();
        report.bytes.add(length);
        return true;
    }

    private boolean writeImpossible(final long index, final long roundStart) throws InterruptedException
    {
        final SplittableRandom random = FrameMutator.randomFor(settings.seed() ^ STREAM, index);
        final int claimed = claim(16, index, roundStart);
        if (claimed < 0)
        {
            return false;
        }
        final int recordIndex = claimed - RingDescriptor.HEADER_LENGTH;
        // The tail after this claim: the reader can only get past it by discarding the impossible record.
        final long pastRecord = ring.producerPosition();
        good.allowGaps();
        commitAs(recordIndex, impossibleLength(random, recordIndex));
        corruptions++;
        report.inputs.increment();
        report.frames.increment();
        report.bytes.add(16);
        // Not its counter: the reader adds to it at most once a second (with its rate-limited report).
        final long deadline = System.nanoTime() + deadlineNs;
        while (ring.consumerPosition() < pastRecord)
        {
            if (good.failure() != null)
            {
                return roundFinding(good.failureKind(), roundStart, index, trafficFailure());
            }
            if (System.nanoTime() - deadline > 0)
            {
                return roundFinding(Finding.Kind.HANG, roundStart, index, "the reader did not get past an " +
                    "impossible record within " + settings.deadlineMs() + " ms (its head at " +
                    ring.consumerPosition() + ", the record before " + pastRecord + ")");
            }
            Thread.yield();
        }
        // Good messages in the discarded span may be gone; the first one read after the resynchronisation absorbs the
        // gap. Message n + 1 was claimed after message n was accepted, so after the discard if n was accepted after the
        // reader got past the impossible record: once it arrives, a gap is a loss again. (Not "two more than before the
        // impossible record": those may have been read from before it, the gap still to come.)
        final long acceptedAfterResync = good.sent();
        if (!good.awaitReceived(acceptedAfterResync + 2, settings.deadlineMs()))
        {
            return roundFinding(good.failure() != null ? good.failureKind() : Finding.Kind.HANG, roundStart, index,
                "well-behaved traffic did not go on after the reader resynchronised: " + good.received() +
                " received; " + good.failure());
        }
        good.disallowGaps();
        return true;
    }

    private int impossibleLength(final SplittableRandom random, final int recordIndex)
    {
        final int capacity = ring.capacity();
        return switch (random.nextInt(4))
        {
            case 0 -> 1 + random.nextInt(RingDescriptor.HEADER_LENGTH - 1);
            case 1 -> capacity - recordIndex + RingDescriptor.ALIGNMENT;
            case 2 -> Integer.MAX_VALUE;
            default -> capacity + 1 + random.nextInt(1 << 20);
        };
    }

    private String trafficFailure()
    {
        return "well-behaved CRITICAL traffic failed: " + good.failure() + " (ring head " + ring.consumerPosition() +
            ", tail " + ring.producerPosition() + ")";
    }

    /**
     * Claim space by the ring's protocol, letting the reader drain a full inbox within the deadline.
     *
     * @return the index to write the body at, or -1 after a finding.
     */
    private int claim(final int length, final long index, final long roundStart) throws InterruptedException
    {
        final long deadline = System.nanoTime() + deadlineNs;
        int claimed;
        while ((claimed = ring.tryClaim(Tier.CRITICAL.typeId(), length)) < 0)
        {
            if (good.failure() != null)
            {
                roundFinding(good.failureKind(), roundStart, index, trafficFailure());
                return -1;
            }
            if (System.nanoTime() - deadline > 0)
            {
                roundFinding(Finding.Kind.HANG, roundStart, index, "the inbox stayed full for " +
                    settings.deadlineMs() + " ms (status " + claimed + "): the reader stopped reading");
                return -1;
            }
            Thread.yield();
        }
        return claimed;
    }

    /**
     * Commit a claimed record with any length, as {@code ManyToOneRing}'s commit does: one release store.
     */
    private void commitAs(final int recordIndex, final int length)
    {
        INT.setRelease(ringSegment, (long)recordIndex, length);
    }

    private boolean awaitCounts(final long roundStart, final long last) throws InterruptedException
    {
        return awaitCounter(BAD_TYPES_COUNTER, badTypesBefore + expectedBadTypes, last, roundStart,
            "records with a bad type") &&
            awaitCounter(BAD_FRAMES, badFramesBefore + expectedBadFrames, last, roundStart, "records with a bad frame");
    }

    private boolean awaitCounter(final int id, final long expected, final long index, final long roundStart,
        final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + deadlineNs;
        while (counters.get(id) < expected)
        {
            if (good.failure() != null)
            {
                return roundFinding(good.failureKind(), roundStart, index, trafficFailure());
            }
            if (System.nanoTime() - deadline > 0)
            {
                return roundFinding(Finding.Kind.HANG, roundStart, index, "the reader counted " + counters.get(id) +
                    " " + what + " of the " + expected + " written, none more for " + settings.deadlineMs() + " ms");
            }
            Thread.yield();
        }
        if (counters.get(id) != expected)
        {
            return roundFinding(Finding.Kind.WRONG, roundStart, index, "the reader counted " + counters.get(id) +
                " " + what + ", " + expected + " written");
        }
        if (good.failure() != null)
        {
            return roundFinding(good.failureKind(), roundStart, index, trafficFailure());
        }
        return true;
    }

    /**
     * Record a finding about a round; its reproducer is the round's records as written.
     *
     * @return false (the run stops).
     */
    private boolean roundFinding(final Finding.Kind kind, final long roundStart, final long index, final String detail)
    {
        final HostileFrames frames = new HostileFrames(settings.seed(), Integer.MAX_VALUE,
            routerContext.handshakeBufferBytes(), ring.maxMessageLength(), new FrameRejections());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = roundStart; i <= index; i++)
        {
            final SplittableRandom random = FrameMutator.randomFor(settings.seed() ^ STREAM, i);
            frames.next(i, 0);
            final int length = frames.recordLength() - HostileFrames.PREFIX;
            final int badType = random.nextInt(4) == 0 ? BAD_TYPES[random.nextInt(BAD_TYPES.length)] : 0;
            header.clear();
            header.putInt(badType != 0 ? badType : Tier.CRITICAL.typeId()).putInt(length);
            bytes.write(header.array(), 0, 8);
            bytes.write(frames.record().byteArray(), HostileFrames.PREFIX, length);
        }
        findings.record(report, new Finding(report.name(), kind, settings.seed(), roundStart, index, detail, null),
            "records.bin: the round's records in the order they were committed to the receiver's CRITICAL inbox, " +
            "each as int32 type, int32 body length, body (little-endian); the round's last input, if it is an " +
            "impossible record, is committed with a lying length instead", Map.of("records.bin", bytes.toByteArray()));
        return false;
    }
}
