/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import dev.switchboard.codecs.FrameError;
import dev.switchboard.codecs.FrameRejections;
import dev.switchboard.codecs.fuzz.FrameMutator;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.RouterContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The socket target: a real router ({@code RouterMain} in a child JVM, {@link RouterChild}) on one engine, attacked
 * through its control socket and its HIGH socket by {@link FuzzSettings#connections()} concurrent raw connections
 * while well-behaved agents publish through it (NORMAL on the control socket, HIGH on the HIGH socket;
 * {@link GoodTraffic}) and a probe asks it for a lookup every 100 ms.
 * <p>
 * <b>Inputs.</b> The inputs ({@link HostileFrames}) are cut into batches of {@link FuzzSettings#batchFrames()}; each
 * batch draws from the seed how its connection behaves: unregistered, registered, or registered with a HIGH link
 * attached (the inputs then go on the HIGH link). A batch's inputs go on one connection, written many at a time; an
 * input that breaks the framing ends the connection (the router must close it within the deadline) and the batch
 * goes on with a new one. A connection that reaches the end of its batch sends a fence (a Lookup whose answer proves
 * the router handled everything before it) and closes.
 * <p>
 * <b>Findings.</b> The router process dying (CRASH), its duty-cycle errors counter moving (CRASH: an exception
 * escaped its handling of a frame), the probe unanswered or the good traffic stalled, a write not taken or a fence not
 * answered within the deadline (HANG), a message the good sender had accepted with OK never arriving (LOSS), a
 * well-framed connection closed, a broken one kept, a broken reply, or rejection counters that differ from what a
 * local validator predicted (WRONG). Each names the seed and the inputs in flight, and saves their bytes.
 * <p>
 * Thread-safety: one {@link #run()} per instance; it starts and joins its own threads.
 */
final class SocketTarget
{
    private static final long PROBE_INTERVAL_MS = 100;
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final String PROBE_TARGET = "good-normal-receiver";
    /** Well-behaved messages per burst, and the pause after each: about 3,000 a second per tier, so that the good
     * agents idle between bursts instead of spinning on the cores the router and the attack need. */
    private static final int GOOD_BURST = 16;
    private static final long GOOD_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(5);

    final FuzzSettings settings;
    final String engine;
    private final FindingLog findings;
    private final PrintStream out;
    final TargetReport report;
    final long inputs;
    final long batches;
    final long deadlineNs;
    final RouterContext routerContext;
    final FrameRejections expected = new FrameRejections();
    final AtomicLong nextBatch = new AtomicLong();
    final AtomicBoolean stopping = new AtomicBoolean();
    final AtomicReference<String> abortReason = new AtomicReference<>();
    final AtomicLong unexpectedCloses = new AtomicLong();
    final AtomicLong fences = new AtomicLong();
    final AtomicLong fencesRepeated = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong probeMaxNs = new AtomicLong();
    private final List<SocketDriver> drivers = new ArrayList<>();
    IpcContext ipc;
    private Path logDir;
    RouterChild router;
    boolean highAvailable;

    SocketTarget(final FuzzSettings settings, final String engine, final FindingLog findings, final PrintStream out)
    {
        this.settings = settings;
        this.engine = engine;
        this.findings = findings;
        this.out = out;
        this.report = new TargetReport("sockets/" + engine);
        this.inputs = settings.inputs(FuzzSettings.Target.SOCKETS);
        this.batches = (inputs + settings.batchFrames() - 1) / settings.batchFrames();
        this.deadlineNs = TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs());
        // The hostile connections that never register live as long as their batch: the handshake deadline must not
        // cut them short (RouterRobustnessTest covers that deadline).
        // A 10 s lease, as the soak's: on a loaded machine the well-behaved agents' JVM may stall for seconds.
        this.routerContext = new RouterContext().handshakeTimeoutNs(TimeUnit.MINUTES.toNanos(10))
            .defaultLeaseNs(TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * Start the router, attack it, stop it, and report.
     *
     * @param logDir where the router's output goes.
     * @return what happened.
     * @throws IOException if the runtime dir cannot be made.
     * @throws InterruptedException if interrupted.
     */
    TargetReport run(final Path logDir) throws IOException, InterruptedException
    {
        final long start = System.nanoTime();
        this.logDir = logDir;
        final Path runtimeDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sbfz-");
        try
        {
            try
            {
                router = RouterChild.start(runtimeDir, logDir, engine, routerContext, settings.routerJvmOptions(),
                    120_000);
            }
            catch (final IOException e)
            {
                if (e.getMessage().contains("io_uring is unavailable"))
                {
                    report.note("skipped: the " + engine + " engine cannot run here: " + e.getMessage());
                    out.println("fuzz: " + report.name() + " skipped: io_uring is unavailable here");
                    return report;
                }
                findings.record(report, new Finding(report.name(), Finding.Kind.CRASH, settings.seed(), -1, -1,
                    "the router did not start: " + e.getMessage(), null), "", Map.of());
                return report;
            }
            ipc = new IpcContext().underDirectory(runtimeDir);
            highAvailable = Files.exists(ipc.highSocketPath());
            report.note(router.listeningLine().replaceFirst("^.*\\(pid [0-9]+, ", "router: "));
            if (!highAvailable)
            {
                report.note("no HIGH socket: HIGH links not attacked");
            }
            attack();
        }
        finally
        {
            if (router != null)
            {
                router.close();
            }
            FuzzCampaign.deleteQuietly(runtimeDir);
            report.elapsedNs(System.nanoTime() - start);
        }
        return report;
    }

    private void attack() throws InterruptedException, IOException
    {
        final List<GoodTraffic> good = new ArrayList<>();
        good.add(new GoodTraffic(ipc, Priority.NORMAL, GoodTraffic.Route.TOPIC, "good-normal", GOOD_BURST,
            GOOD_PAUSE_NS));
        if (highAvailable)
        {
            good.add(new GoodTraffic(ipc, Priority.HIGH, GoodTraffic.Route.TOPIC, "good-high", GOOD_BURST,
                GOOD_PAUSE_NS));
        }
        final Thread probe = new Thread(this::probe, "fuzz-probe-" + engine);
        try
        {
            for (final GoodTraffic traffic : good)
            {
                if (!traffic.start() || !traffic.awaitReceived(100, 60_000))
                {
                    findings.record(report, new Finding(report.name(), Finding.Kind.WRONG, settings.seed(), -1, -1,
                        "well-behaved traffic did not start before the attack: " + traffic.failure(), null), "",
                        Map.of());
                    return;
                }
            }
            final long[] receivedBefore = good.stream().mapToLong(GoodTraffic::received).toArray();
            probe.start();
            final long attackStartNs = System.nanoTime();
            for (int i = 0; i < settings.connections(); i++)
            {
                final SocketDriver driver = new SocketDriver(this, i);
                drivers.add(driver);
                driver.thread.start();
            }
            monitor(good);
            stopping.set(true);
            for (final SocketDriver driver : drivers)
            {
                driver.thread.join(deadlineNs / 1_000_000 + 30_000);
            }
            report.runningNs(System.nanoTime() - attackStartNs);
            probe.join(deadlineNs / 1_000_000 + 10_000);
            for (int i = 0; i < good.size(); i++)
            {
                report.detail("good " + good.get(i).label() + " messages during the attack",
                    good.get(i).received() - receivedBefore[i]);
            }
            stopGoodTraffic(good);
        }
        finally
        {
            stopping.set(true);
            for (final GoodTraffic traffic : good)
            {
                traffic.close();
            }
        }
        stopRouter();
    }

    /**
     * Watch the router, the probe and the good traffic until the drivers are done or something was found.
     */
    private void monitor(final List<GoodTraffic> good) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        final long[] lastReceived = new long[good.size()];
        final long[] lastMoveNs = new long[good.size()];
        Arrays.fill(lastMoveNs, startNs);
        while (drivers.stream().anyMatch(d -> d.thread.isAlive()))
        {
            Thread.sleep(50);
            final long now = System.nanoTime();
            if (!router.isAlive())
            {
                routerDied();
                return;
            }
            final String aborted = abortReason.get();
            if (aborted != null)
            {
                out.println("fuzz: " + report.name() + " stopped: " + aborted);
                return;
            }
            for (int i = 0; i < good.size(); i++)
            {
                final GoodTraffic traffic = good.get(i);
                if (traffic.failure() != null && routerDying())
                {
                    routerDied();
                    return;
                }
                if (traffic.failure() != null)
                {
                    inFlightFinding(traffic.failureKind(), "well-behaved traffic failed during the attack: " +
                        traffic.failure());
                    return;
                }
                if (traffic.received() != lastReceived[i])
                {
                    lastReceived[i] = traffic.received();
                    lastMoveNs[i] = now;
                }
                else if (traffic.sent() > traffic.received() && now - lastMoveNs[i] > deadlineNs)
                {
                    inFlightFinding(Finding.Kind.HANG, "well-behaved traffic stopped: " + traffic.received() +
                        " of " + traffic.sent() + " messages arrived and none for " + settings.deadlineMs() + " ms");
                    return;
                }
            }
            if (now - nextProgressNs > 0)
            {
                final double seconds = (now - startNs) / 1e9;
                out.printf(Locale.ROOT, "fuzz: %s %,d of %,d inputs in %.0f s (%,.0f/s), %,d connections, %,d " +
                    "closed as expected, %,d probes answered%n", report.name(), report.inputs(), inputs, seconds,
                    report.inputs() / seconds, report.connections(), report.closedAsExpected(), probes.get());
                nextProgressNs = now + PROGRESS_INTERVAL_NS;
            }
        }
    }

    private void routerDied() throws InterruptedException
    {
        router.stop(1000);
        final Path errorFile = logDir.resolve("hs_err_pid" + router.pid() + ".log");
        inFlightFinding(Finding.Kind.CRASH, "the router process exited " + router.exitValue() + " during the run" +
            (Files.exists(errorFile) ? " (JVM error file " + errorFile + ")" : "") + "; stderr: " +
            RouterChild.tail(router.stderrText(), 1500));
    }

    /**
     * A finding about the router as a whole: every driver's connection in flight is part of its reproducer.
     */
    private void inFlightFinding(final Finding.Kind kind, final String detail)
    {
        stopping.set(true);
        long first = Long.MAX_VALUE;
        long last = -1;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final StringBuilder howTo = new StringBuilder("Connections in flight when it was found (one file each, the " +
            "records as written on the named socket):").append(System.lineSeparator());
        for (final SocketDriver driver : drivers)
        {
            final SocketDriver.InFlight flight = driver.lastSent;
            if (flight == null || flight.last < flight.first)
            {
                continue;
            }
            first = Math.min(first, flight.first);
            last = Math.max(last, flight.last);
            files.put("driver-" + driver.id + ".bin", transcript(flight));
            howTo.append("driver-").append(driver.id).append(".bin: ").append(flight.describe())
                .append(System.lineSeparator());
        }
        addThreadDump(kind, files);
        findings.record(report, new Finding(report.name(), kind, settings.seed(), first == Long.MAX_VALUE ? -1 : first,
            last, detail, null), howTo.toString(), files);
        abortReason.compareAndSet(null, kind + ": " + detail);
    }

    void connectionFinding(final Finding.Kind kind, final SocketDriver.InFlight flight, final String detail)
    {
        if (stopping.get() && abortReason.get() != null)
        {
            return; // another finding explains it
        }
        if (routerDying())
        {
            stopping.set(true); // the router's death explains it: the monitor reports that, with what was in flight
            return;
        }
        final Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("inputs.bin", transcript(flight));
        addThreadDump(kind, files);
        findings.record(report, new Finding(report.name(), kind, settings.seed(), flight.first, flight.last, detail,
            null), flight.describe(), files);
    }

    /**
     * A hang's reproducer also says what the router was doing: its threads.
     */
    private void addThreadDump(final Finding.Kind kind, final Map<String, byte[]> files)
    {
        if (kind == Finding.Kind.HANG && router.isAlive())
        {
            files.put("router-threads.txt", router.threadDump().getBytes(StandardCharsets.UTF_8));
        }
    }

    boolean routerDying()
    {
        try
        {
            return router.exitsWithin(500);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * The records of a connection's inputs, generated again from the seed: the bytes as they were written.
     */
    private byte[] transcript(final SocketDriver.InFlight flight)
    {
        final HostileFrames again = new HostileFrames(settings.seed(), settings.closeEvery(),
            routerContext.handshakeBufferBytes(), maxFrameLength(), new FrameRejections());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (long i = flight.first; i <= flight.last; i++)
        {
            again.next(i, flight.agentId);
            bytes.write(again.record().byteArray(), 0, again.recordLength());
        }
        return bytes.toByteArray();
    }

    int maxFrameLength()
    {
        return routerContext.ingressCapacity() >> 3; // the router's ingress ring takes records of capacity / 8
    }

    private void stopGoodTraffic(final List<GoodTraffic> good) throws InterruptedException
    {
        for (final GoodTraffic traffic : good)
        {
            final GoodTraffic.Outcome outcome = traffic.stop(router.isAlive() ? settings.deadlineMs() + 20_000 : 2_000);
            report.detail("good " + traffic.label() + " messages sent, all arrived in order: " + outcome.isWhole(),
                outcome.sent());
            if (!outcome.isWhole() && router.isAlive() && abortReason.get() == null)
            {
                findings.record(report, new Finding(report.name(), Finding.Kind.LOSS, settings.seed(), -1, -1,
                    "well-behaved traffic: " + outcome.received() + " of " + outcome.sent() +
                    " messages accepted with OK arrived in order: " + outcome.failure(), null), "", Map.of());
            }
        }
    }

    private void stopRouter() throws InterruptedException
    {
        if (!router.isAlive())
        {
            if (abortReason.get() == null)
            {
                routerDied();
            }
            return;
        }
        final int status = router.stop(30_000);
        final Map<String, Long> counters = router.counters();
        counters.forEach((label, value) -> report.detail("router: " + label, value));
        report.detail("fences answered", fences.get());
        report.detail("fences asked again (an answer dropped on a full send buffer)", fencesRepeated.get());
        report.detail("probes answered", probes.get());
        report.detail("probe slowest answer (ms)", TimeUnit.NANOSECONDS.toMillis(probeMaxNs.get()));
        if (status != 0)
        {
            findings.record(report, new Finding(report.name(), Finding.Kind.CRASH, settings.seed(), -1, -1,
                "the router exited " + status + " on SIGTERM (0 expected): " + RouterChild.tail(router.stderrText(),
                1500), null), "", Map.of());
            return;
        }
        final long dutyCycleErrors = counters.getOrDefault(RouterCounter.DUTY_CYCLE_ERRORS.label(), 0L);
        if (dutyCycleErrors > 0)
        {
            findings.record(report, new Finding(report.name(), Finding.Kind.CRASH, settings.seed(), -1, -1,
                dutyCycleErrors + " exception(s) escaped the router's handling of a frame (" +
                RouterCounter.DUTY_CYCLE_ERRORS.label() + "); its log: " + RouterChild.tail(router.stderrText(), 3000),
                null), "", Map.of());
        }
        checkRejections(counters);
    }

    /**
     * The router must have counted, per error, exactly the rejections a local validator gave the inputs it was sent
     * (the well-behaved agents send none). Only meaningful when every connection ended by the rules.
     */
    private void checkRejections(final Map<String, Long> counters)
    {
        if (abortReason.get() != null || unexpectedCloses.get() > 0 || report.findingCount() > 0)
        {
            report.note("rejection counts not compared: the run did not end cleanly");
            return;
        }
        final StringBuilder mismatches = new StringBuilder();
        for (final FrameError error : FrameError.values())
        {
            final RouterCounter counter = switch (error)
            {
                case UNKNOWN_SCHEMA -> RouterCounter.REJECTED_UNKNOWN_SCHEMA;
                case UNSUPPORTED_VERSION -> RouterCounter.REJECTED_UNSUPPORTED_VERSION;
                case TRUNCATED -> RouterCounter.REJECTED_TRUNCATED;
                case TOO_LARGE -> RouterCounter.REJECTED_TOO_LARGE;
                case UNKNOWN_TEMPLATE -> RouterCounter.REJECTED_UNKNOWN_TEMPLATE;
                case MALFORMED -> RouterCounter.REJECTED_MALFORMED;
            };
            final long counted = counters.getOrDefault(counter.label(), 0L);
            report.detail("expected: " + counter.label(), expected.count(error));
            if (counted != expected.count(error))
            {
                mismatches.append(counter.label()).append(": router ").append(counted).append(", expected ")
                    .append(expected.count(error)).append("; ");
            }
        }
        if (!mismatches.isEmpty())
        {
            findings.record(report, new Finding(report.name(), Finding.Kind.WRONG, settings.seed(), 0,
                report.inputs() - 1, "the router's rejection counters differ from a local validator's: " +
                mismatches, null), "", Map.of());
        }
        final long framing = counters.getOrDefault(RouterCounter.REJECTED_FRAMING.label(), 0L);
        if (framing < report.closedAsExpected())
        {
            findings.record(report, new Finding(report.name(), Finding.Kind.WRONG, settings.seed(), -1, -1,
                "the router closed " + report.closedAsExpected() + " connections for broken framing but counted " +
                framing + " (" + RouterCounter.REJECTED_FRAMING.label() + ")", null), "", Map.of());
        }
    }

    /**
     * Every {@value #PROBE_INTERVAL_MS} ms: a heartbeat and a Lookup on a registered connection of its own, whose
     * answer must come within the deadline.
     */
    private void probe()
    {
        try (RawConnection probe = RawConnection.open(ipc.socketPath()))
        {
            probe.writeFrame(HostileFrames.register(1, "fz-probe-" + engine, 60_000), System.nanoTime() + deadlineNs);
            final long agentId = probe.awaitRegistered(System.nanoTime() + deadlineNs);
            if (agentId == 0)
            {
                inFlightFinding(Finding.Kind.HANG, "the liveness probe could not register: " + probe.lastErrorText());
                return;
            }
            long correlationId = 1_000_000;
            while (!stopping.get())
            {
                final long askedNs = System.nanoTime();
                boolean answered = false;
                while (!answered && System.nanoTime() - askedNs < deadlineNs && !stopping.get())
                {
                    correlationId++;
                    final long sendDeadline = askedNs + deadlineNs;
                    if (probe.writeFrame(HostileFrames.heartbeat(agentId), sendDeadline) != RawConnection.WRITTEN ||
                        probe.writeFrame(HostileFrames.lookup(correlationId, PROBE_TARGET), sendDeadline) !=
                        RawConnection.WRITTEN)
                    {
                        break;
                    }
                    // An answer dropped because the probe's send buffer was full is asked for again after a second.
                    answered = probe.awaitLookupResult(correlationId,
                        Math.min(askedNs + deadlineNs, System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
                }
                if (stopping.get())
                {
                    return;
                }
                if (!answered)
                {
                    if (!routerDying())
                    {
                        inFlightFinding(Finding.Kind.HANG, "the router did not answer the liveness probe's lookup " +
                            "within " + settings.deadlineMs() + " ms" + (probe.isOpen() ? "" :
                            " (it closed the probe's connection: " + probe.lastErrorText() + ")"));
                    }
                    return;
                }
                probes.incrementAndGet();
                probeMaxNs.accumulateAndGet(System.nanoTime() - askedNs, Math::max);
                final long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_INTERVAL_MS);
                while (System.nanoTime() - next < 0 && !stopping.get())
                {
                    probe.drain();
                    Thread.sleep(5);
                }
            }
        }
        catch (final IOException e)
        {
            if (!stopping.get() && !routerDying())
            {
                inFlightFinding(Finding.Kind.HANG, "the liveness probe failed: " + e);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
