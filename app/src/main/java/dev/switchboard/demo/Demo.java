/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.demo;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import dev.switchboard.client.AgentInfo;
import dev.switchboard.client.Message;
import dev.switchboard.client.ResponseHandler;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.codecs.NameIds;
import dev.switchboard.codecs.SegmentBuffer;
import dev.switchboard.codecs.sbe.Pattern;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.counters.CounterBlock;
import dev.switchboard.counters.RouterCounter;
import dev.switchboard.ipc.StopSignals;
import dev.switchboard.router.Router;
import dev.switchboard.router.RouterContext;
import dev.switchboard.transport.inprocess.InProcessHub;
import dev.switchboard.transport.OfferStatus;
import dev.switchboard.transport.Tier;

/**
 * The demo: a router and eight agents, named after the orchestration roles, in one JVM. Each agent is a
 * {@link SwitchboardClient} on its own thread. The demo runs the six patterns among them with real
 * traffic and prints what travelled, on which tier, how many and how fast. Every number printed is
 * measured in the run; {@link #run} fails, naming the pattern, if anything is not delivered.
 *
 * <p>On a stop ({@link StopSignals}: SIGINT, SIGTERM) the run ends at its next wait for deliveries with a
 * {@link java.util.concurrent.CancellationException}, after closing its agents (each leaves the registry at once) and
 * the router, and printing the router's counters.
 *
 * <p>Thread-safety: {@link #run} is self-contained; call it from one thread at a time.
 * Allocation: freely, outside the measured loops.
 */
public final class Demo
{
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How much traffic each pattern carries in its measured run. Before it, each pattern runs a warm-up
     * burst of {@code warmupPercent} of that count (so the JIT has compiled the paths); the warm-up is
     * delivered and checked like the rest, but not shown.
     *
     * @param sends         messages Architect sends to Constructor.
     * @param publishes     messages Monitor publishes to "metrics".
     * @param requests      round trips Constructor makes to Testbed.
     * @param tasks         work items Architect enqueues on "build".
     * @param broadcasts    messages Monitor broadcasts.
     * @param multicasts    messages Architect multicasts to "reviewers".
     * @param warmupPercent size of each warm-up burst, in percent of the measured count.
     */
    public record Sizes(
        int sends, int publishes, int requests, int tasks, int broadcasts, int multicasts, int warmupPercent)
    {
        /** What {@code ./switchboard demo} runs. */
        public static final Sizes DEFAULT = new Sizes(200_000, 50_000, 10_000, 20_000, 2_000, 2_000, 50);

        /**
         * @param count a measured count.
         * @return the warm-up burst that goes before it.
         */
        public int warmup(final int count)
        {
            return (int)((long)count * warmupPercent / 100);
        }
    }

    /**
     * One pattern's run.
     *
     * @param pattern        which pattern.
     * @param route          who sent to whom.
     * @param priority       the priority the sender gave.
     * @param senderTier     the tier the sender's client mapped that priority to.
     * @param receiverTier   the tier that actually carried it, as the receiver saw it.
     * @param sent           messages the sender offered and had accepted.
     * @param expected       deliveries expected (sent times receivers).
     * @param delivered      deliveries counted by the receivers.
     * @param outOfOrder     deliveries that overtook an earlier one from the same sender.
     * @param routerFrames   frames the router read while the pattern ran (heartbeats included).
     * @param elapsedNs      from the first send to the last delivery.
     * @param measured       the speed, as printed.
     */
    public record PatternRun(
        Pattern pattern,
        String route,
        Priority priority,
        Tier senderTier,
        Tier receiverTier,
        long sent,
        long expected,
        long delivered,
        long outOfOrder,
        long routerFrames,
        long elapsedNs,
        String measured)
    {
    }

    /**
     * What the demo did.
     *
     * @param runs           one per pattern, in the order run.
     * @param workTaken      work items each consumer took.
     * @param rttP50Ns       request/response round trip, median.
     * @param rttP99Ns       request/response round trip, 99th percentile.
     * @param implementers   names found by a lookup of capability "implementation".
     * @param counters       selected router counters at the end.
     * @param deregistered   agents the router saw leave when the demo closed them.
     */
    public record Report(
        List<PatternRun> runs,
        Map<String, Long> workTaken,
        long rttP50Ns,
        long rttP99Ns,
        List<String> implementers,
        Map<String, Long> counters,
        long deregistered)
    {
        /**
         * @param pattern a pattern the demo ran.
         * @return its run.
         */
        public PatternRun run(final Pattern pattern)
        {
            return runs.stream().filter(r -> r.pattern() == pattern).findFirst().orElseThrow();
        }
    }

    private Demo()
    {
    }

    /**
     * Run the demo with the default sizes and print its account to standard output.
     *
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        run(Sizes.DEFAULT, System.out);
    }

    /**
     * Start a router and the agents, run the six patterns, print the account, close everything.
     *
     * @param sizes how much traffic.
     * @param out   where the account goes.
     * @return what was measured.
     * @throws IllegalStateException when a pattern does not deliver what it should, naming it.
     */
    public static Report run(final Sizes sizes, final PrintStream out)
    {
        final long demoStartNs = System.nanoTime();
        final Router router = Router.launch(new RouterContext());
        final InProcessHub hub = new InProcessHub(router);
        final CounterBlock counters = router.counters().block();
        final List<DemoAgent> agents = new ArrayList<>();
        try
        {
            final DemoAgent architect = agent(hub, agents, "Architect", "design");
            final DemoAgent constructor = agent(hub, agents, "Constructor", "implementation");
            final DemoAgent patcher = agent(hub, agents, "Patcher", "bugfix", "implementation");
            final DemoAgent testbed = agent(hub, agents, "Testbed", "testing");
            final DemoAgent linter = agent(hub, agents, "Linter", "lint");
            final DemoAgent security = agent(hub, agents, "Security", "security-scan");
            final DemoAgent monitor = agent(hub, agents, "Monitor", "monitoring");
            final DemoAgent docgen = agent(hub, agents, "Docgen", "documentation");

            for (final DemoAgent a : agents)
            {
                a.call(c -> c.register(a.name(), a.capabilities().toArray(String[]::new)));
            }
            for (final DemoAgent a : List.of(testbed, linter, docgen))
            {
                a.call(c -> c.subscribe("metrics"));
            }
            long reviewers = 0;
            for (final DemoAgent a : List.of(linter, security))
            {
                reviewers = a.call(c -> c.joinGroup("reviewers"));
            }
            long buildQueue = 0;
            for (final DemoAgent a : List.of(constructor, patcher))
            {
                buildQueue = a.call(c -> c.consume("build"));
            }

            final Account account = new Account(out);
            account.roster(agents);

            final List<PatternRun> runs = new ArrayList<>();
            runs.add(account.row(send(sizes, counters, architect, constructor)));
            runs.add(account.row(publish(sizes, counters, monitor, List.of(testbed, linter, docgen))));
            final long[] rtt = new long[2];
            runs.add(account.row(requestResponse(sizes, counters, constructor, testbed, rtt)));
            final Map<String, Long> workTaken = new LinkedHashMap<>();
            runs.add(account.row(workQueue(sizes, counters, architect, buildQueue, List.of(constructor, patcher),
                workTaken)));
            final List<DemoAgent> others = agents.stream().filter(a -> a != monitor).toList();
            runs.add(account.row(broadcast(sizes, counters, monitor, others)));
            runs.add(account.row(multicast(sizes, counters, architect, reviewers, List.of(linter, security))));
            account.notes(workTaken, runs.stream().mapToLong(PatternRun::outOfOrder).sum(), sizes.warmupPercent());
            for (final DemoAgent a : agents)
            {
                if (a.failure() != null)
                {
                    throw new IllegalStateException(a.failure());
                }
            }

            final List<AgentInfo> found = docgen.call(c -> c.lookupByCapability("implementation"));
            final List<String> implementers = found.stream().map(AgentInfo::name).toList();
            account.lookup("implementation", found);

            final long leftBefore = departures(counters);
            final int agentCount = agents.size();
            for (final DemoAgent a : agents)
            {
                a.close();
            }
            agents.clear();
            await("deregistration", leftBefore + agentCount, () -> departures(counters));
            final long deregistered = departures(counters) - leftBefore;
            router.close();

            final Map<String, Long> selected = Account.select(counters);
            account.counters(selected);
            account.closed(deregistered, System.nanoTime() - demoStartNs);
            return new Report(List.copyOf(runs), workTaken, rtt[0], rtt[1], implementers, selected, deregistered);
        }
        finally
        {
            for (final DemoAgent a : agents)
            {
                a.close();
            }
            router.close();
            if (StopSignals.current().isStopRequested())
            {
                out.println("stopped (" + StopSignals.current().reason() + "): agents closed, router closed; " +
                    "router counters:");
                out.print(router.counters().report());
            }
        }
    }

    private static DemoAgent agent(
        final InProcessHub hub, final List<DemoAgent> agents, final String name, final String... capabilities)
    {
        final DemoAgent agent = new DemoAgent(hub, name, capabilities);
        agents.add(agent);
        return agent;
    }

    // ---------------------------------------------------------------------------------------------------
    // the six patterns

    private static PatternRun send(
        final Sizes sizes, final CounterBlock counters, final DemoAgent from, final DemoAgent to)
    {
        final Priority priority = Priority.CRITICAL;
        final String target = to.name();
        return oneWay(Pattern.SEND, from.name() + " -> " + target + " (by name)", priority, from, List.of(to), 1,
            sizes.sends(), sizes.warmup(sizes.sends()), "design: module layout v1",
            (c, buffer, length) -> c.send(target, priority, buffer, 0, length), counters);
    }

    private static PatternRun publish(
        final Sizes sizes, final CounterBlock counters, final DemoAgent from, final List<DemoAgent> subscribers)
    {
        final Priority priority = Priority.HIGH;
        final long topic = NameIds.of("metrics");
        return oneWay(Pattern.PUBLISH, from.name() + " -> metrics: " + names(subscribers), priority, from,
            subscribers, subscribers.size(), sizes.publishes(), sizes.warmup(sizes.publishes()),
            "metrics: cpu=0.42 heap=118M", (c, buffer, length) -> c.publish(topic, priority, buffer, 0, length),
            counters);
    }

    private static PatternRun requestResponse(
        final Sizes sizes,
        final CounterBlock counters,
        final DemoAgent from,
        final DemoAgent to,
        final long[] rttOut)
    {
        final Priority priority = Priority.CRITICAL;
        final int warmup = sizes.warmup(sizes.requests());
        final long framesBefore = counters.get(RouterCounter.INGRESS_FRAMES);
        final long timeoutsBefore = counters.get(RouterCounter.REQUEST_TIMEOUTS);
        final RoundTrip roundTrip = new RoundTrip();
        final long[] rtts = new long[sizes.requests()];
        final long startNs = from.call(c ->
        {
            final long responder = c.agentIdOf(to.name());
            final SegmentBuffer buffer = payload("run tests: router-core");
            final int total = warmup + sizes.requests();
            long t0 = System.nanoTime();
            for (int i = 0; i < total; i++)
            {
                if (i == warmup)
                {
                    t0 = System.nanoTime();
                    roundTrip.responses = 0;
                }
                buffer.putLong(DemoAgent.SEQUENCE_OFFSET, i, ByteOrder.LITTLE_ENDIAN);
                roundTrip.expect(i);
                final long sentNs = System.nanoTime();
                long id;
                while ((id = c.request(responder, priority, buffer, 0, buffer.capacity(), REQUEST_TIMEOUT_NS,
                    roundTrip)) == OfferStatus.BACK_PRESSURED)
                {
                    Thread.onSpinWait();
                }
                check("request to " + to.name(), (int)Math.min(0, id));
                while (!roundTrip.done)
                {
                    from.pollOnce();
                }
                final long rttNs = System.nanoTime() - sentNs;
                if (roundTrip.timedOut)
                {
                    throw new IllegalStateException("request " + i + " to " + to.name() + " timed out after " +
                        TimeUnit.NANOSECONDS.toMillis(REQUEST_TIMEOUT_NS) + " ms");
                }
                if (i >= warmup)
                {
                    rtts[i - warmup] = rttNs;
                }
            }
            return t0;
        });
        final long elapsedNs = roundTrip.lastResponseNs - startNs;
        Arrays.sort(rtts);
        rttOut[0] = percentile(rtts, 0.50);
        rttOut[1] = percentile(rtts, 0.99);
        final Tally requests = to.received(Pattern.REQUEST);
        await("requests at " + to.name(), warmup + sizes.requests(), requests::count);
        final long timeouts = counters.get(RouterCounter.REQUEST_TIMEOUTS) - timeoutsBefore;
        final String measured = String.format(Locale.ROOT, "p50 %s, p99 %s round trip%s",
            Account.micros(rttOut[0]), Account.micros(rttOut[1]),
            roundTrip.mismatched + timeouts == 0 ? "" : ", " + roundTrip.mismatched + " mismatched, " + timeouts +
                " timed out");
        return new PatternRun(Pattern.REQUEST, from.name() + " <-> " + to.name() + " (run tests)", priority,
            tierOf(from, priority), roundTrip.tier, sizes.requests(), sizes.requests(), roundTrip.responses,
            requests.outOfOrder() + roundTrip.mismatched, counters.get(RouterCounter.INGRESS_FRAMES) - framesBefore,
            elapsedNs, measured);
    }

    private static PatternRun workQueue(
        final Sizes sizes,
        final CounterBlock counters,
        final DemoAgent producer,
        final long queue,
        final List<DemoAgent> consumers,
        final Map<String, Long> taken)
    {
        final Priority priority = Priority.NORMAL;
        final int warmup = sizes.warmup(sizes.tasks());
        final long ackedBefore = counters.get(RouterCounter.WORK_ACKED);
        final long[] takenBefore = new long[consumers.size()];
        final PatternRun run = oneWay(Pattern.WORK, producer.name() + " -> build: " +
            names(consumers).replace(',', '|'), priority, producer, consumers, 1, sizes.tasks(), warmup,
            "build: compile module", (c, buffer, length) -> c.enqueue(queue, priority, buffer, 0, length),
            counters, () ->
            {
                for (int i = 0; i < consumers.size(); i++)
                {
                    takenBefore[i] = consumers.get(i).received(Pattern.WORK).count();
                }
            });
        await("work items acked on 'build'", ackedBefore + warmup + sizes.tasks(),
            () -> counters.get(RouterCounter.WORK_ACKED));
        for (int i = 0; i < consumers.size(); i++)
        {
            final DemoAgent a = consumers.get(i);
            taken.put(a.name(), a.received(Pattern.WORK).count() - takenBefore[i]);
        }
        return run;
    }

    private static PatternRun broadcast(
        final Sizes sizes, final CounterBlock counters, final DemoAgent from, final List<DemoAgent> everyoneElse)
    {
        final Priority priority = Priority.NORMAL;
        return oneWay(Pattern.BROADCAST, from.name() + " -> all " + everyoneElse.size() + " others", priority,
            from, everyoneElse, everyoneElse.size(), sizes.broadcasts(), sizes.warmup(sizes.broadcasts()),
            "notice: main is green", (c, buffer, length) -> c.broadcast(priority, buffer, 0, length),
            counters);
    }

    private static PatternRun multicast(
        final Sizes sizes,
        final CounterBlock counters,
        final DemoAgent from,
        final long group,
        final List<DemoAgent> members)
    {
        final Priority priority = Priority.HIGH;
        return oneWay(Pattern.MULTICAST, from.name() + " -> reviewers: " + names(members), priority, from,
            members, members.size(), sizes.multicasts(), sizes.warmup(sizes.multicasts()),
            "review: pull request 42", (c, buffer, length) -> c.multicast(group, priority, buffer, 0, length),
            counters);
    }

    private static PatternRun oneWay(
        final Pattern pattern,
        final String route,
        final Priority priority,
        final DemoAgent from,
        final List<DemoAgent> receivers,
        final int copies,
        final int count,
        final int warmup,
        final String text,
        final Offer offer,
        final CounterBlock counters)
    {
        return oneWay(pattern, route, priority, from, receivers, copies, count, warmup, text, offer, counters,
            () -> {});
    }

    /**
     * Run a one-way pattern: a warm-up burst, wait until it is all delivered, then the measured burst.
     * Speed is measured deliveries over the time from the first measured offer to the last delivery.
     */
    private static PatternRun oneWay(
        final Pattern pattern,
        final String route,
        final Priority priority,
        final DemoAgent from,
        final List<DemoAgent> receivers,
        final int copies,
        final int count,
        final int warmup,
        final String text,
        final Offer offer,
        final CounterBlock counters,
        final Runnable afterWarmup)
    {
        final String what = pattern + " " + route;
        blast(from, text, 0, warmup, offer, what);
        await(what + " (warm-up)", (long)warmup * copies, () -> sum(receivers, pattern));
        afterWarmup.run();
        final long framesBefore = counters.get(RouterCounter.INGRESS_FRAMES);
        final long startNs = blast(from, text, warmup, count, offer, what);
        await(what, (long)(warmup + count) * copies, () -> sum(receivers, pattern));
        final long routerFrames = counters.get(RouterCounter.INGRESS_FRAMES) - framesBefore;
        long last = 0;
        long outOfOrder = 0;
        Tier tier = null;
        for (final DemoAgent a : receivers)
        {
            final Tally t = a.received(pattern);
            last = Math.max(last, t.lastArrivalNs());
            outOfOrder += t.outOfOrder();
            tier = t.tier();
        }
        final long delivered = sum(receivers, pattern) - (long)warmup * copies;
        final long elapsedNs = last - startNs;
        return new PatternRun(pattern, route, priority, tierOf(from, priority), tier, count, (long)count * copies,
            delivered, outOfOrder, routerFrames, elapsedNs,
            Account.rate(delivered, elapsedNs));
    }

    /**
     * Offer {@code count} demo payloads from an agent's thread, sequence numbers from {@code firstSequence},
     * retrying while back-pressured.
     *
     * @return the agent's {@code System.nanoTime()} just before the first offer.
     */
    private static long blast(
        final DemoAgent from, final String text, final long firstSequence, final int count, final Offer offer,
        final String what)
    {
        return from.call(c ->
        {
            final SegmentBuffer buffer = payload(text);
            final int length = buffer.capacity();
            final long t0 = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                buffer.putLong(DemoAgent.SEQUENCE_OFFSET, firstSequence + i, ByteOrder.LITTLE_ENDIAN);
                int status;
                while ((status = offer.offer(c, buffer, length)) == OfferStatus.BACK_PRESSURED)
                {
                    Thread.onSpinWait();
                }
                check(what, status);
            }
            return t0;
        });
    }

    /**
     * One data-plane call of a pattern.
     */
    @FunctionalInterface
    private interface Offer
    {
        int offer(SwitchboardClient client, SegmentBuffer payload, int length);
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * Completes one request at a time and checks that the response answers that request.
     */
    private static final class RoundTrip implements ResponseHandler
    {
        long expectedSequence;
        boolean done;
        boolean timedOut;
        long responses;
        long mismatched;
        long lastResponseNs;
        Tier tier;

        void expect(final long sequence)
        {
            expectedSequence = sequence;
            done = false;
            timedOut = false;
        }

        @Override
        public void onResponse(final long correlationId, final Message response)
        {
            lastResponseNs = System.nanoTime();
            final long sequence = response.buffer().getLong(
                response.payloadOffset() + DemoAgent.SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (sequence != expectedSequence)
            {
                mismatched++;
            }
            responses++;
            tier = response.tier();
            done = true;
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            timedOut = true;
            done = true;
        }
    }

    private static SegmentBuffer payload(final String text)
    {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final SegmentBuffer buffer = SegmentBuffer.allocate(Arena.ofAuto(), DemoAgent.TEXT_OFFSET + bytes.length);
        buffer.putBytes(DemoAgent.TEXT_OFFSET, bytes);
        return buffer;
    }

    private static Tier tierOf(final DemoAgent agent, final Priority priority)
    {
        return agent.call(c -> c.tierFor(priority));
    }

    private static void check(final String what, final int status)
    {
        if (status != OfferStatus.OK)
        {
            throw new IllegalStateException(what + " returned " + OfferStatus.name(status));
        }
    }

    private static void await(final String what, final long expected, final LongSupplier actual)
    {
        final long deadline = System.nanoTime() + AWAIT_NS;
        long seen;
        while ((seen = actual.getAsLong()) < expected)
        {
            StopSignals.current().throwIfStopRequested();
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(what + ": " + seen + " of " + expected + " after " +
                    TimeUnit.NANOSECONDS.toSeconds(AWAIT_NS) + " s");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private static long sum(final List<DemoAgent> agents, final Pattern pattern)
    {
        long sum = 0;
        for (final DemoAgent a : agents)
        {
            sum += a.received(pattern).count();
        }
        return sum;
    }

    private static String names(final List<DemoAgent> agents)
    {
        return String.join(",", agents.stream().map(DemoAgent::name).toList());
    }

    private static long departures(final CounterBlock counters)
    {
        return counters.get(RouterCounter.DEREGISTRATIONS) + counters.get(RouterCounter.CONNECTIONS_CLOSED) +
            counters.get(RouterCounter.LEASES_EXPIRED);
    }

    static long percentile(final long[] sorted, final double fraction)
    {
        if (sorted.length == 0)
        {
            return 0;
        }
        final int index = (int)Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
