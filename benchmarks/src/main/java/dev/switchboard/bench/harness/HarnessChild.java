/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main class of every process the harness starts for a case: {@code HarnessChild server|responder|initiator|both
 * planFile}. It prints {@code READY} when it is open for business, {@code TID <role> <tid>} for each measuring
 * thread (the system-call window attaches to it), {@code SETTING <text>} for each setting the side runs with,
 * result lines as {@link InitiatorDriver} and {@link ResponderDriver} describe, and on failure {@code ERROR <why>}
 * (plus the stack trace on stderr) and exits 1.
 *
 * <ul>
 *   <li>{@code server}: runs {@link BenchCase#startServer} (a router, a media driver) until stdin closes.</li>
 *   <li>{@code responder}, {@code initiator}: one side each, in its own process.</li>
 *   <li>{@code both}: an in-process case, the responder on a second thread.</li>
 * </ul>
 */
public final class HarnessChild
{
    private HarnessChild()
    {
    }

    /**
     * @param args role and plan file.
     */
    public static void main(final String[] args)
    {
        if (args.length != 2)
        {
            System.err.println("usage: HarnessChild server|responder|initiator|both planFile");
            System.exit(2);
        }
        final PrintStream out = System.out;
        try
        {
            out.println("PID " + args[0] + " " + ProcessHandle.current().pid());
            final ChildPlan plan = ChildPlan.read(Path.of(args[1]));
            final BenchCase benchCase = plan.newCase();
            switch (args[0])
            {
                case "server" -> server(benchCase, plan, out);
                case "responder" -> responder(benchCase, plan, out);
                case "initiator" -> initiator(benchCase, plan, out);
                case "both" -> both(benchCase, plan, out);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            }
        }
        catch (final Throwable e)
        {
            out.println("ERROR " + args[0] + ": " + e);
            out.flush();
            e.printStackTrace();
            System.exit(1);
        }
        out.flush();
        System.exit(0);
    }

    private static void server(final BenchCase benchCase, final ChildPlan plan, final PrintStream out) throws Exception
    {
        try (AutoCloseable server = benchCase.startServer(plan.env()))
        {
            for (final String setting : benchCase.serverSettings())
            {
                out.println("SETTING server: " + setting);
            }
            out.println("READY");
            out.flush();
            while (System.in.read() >= 0)
            {
                // runs until the harness closes our stdin (or kills us)
            }
        }
    }

    private static void responder(final BenchCase benchCase, final ChildPlan plan, final PrintStream out) throws Exception
    {
        try (BenchEndpoint endpoint = benchCase.openResponder(plan.env()))
        {
            System.err.println(ThreadPinning.pinCurrentThread(ThreadPinning.CPU_PROPERTY));
            announce(out, "responder", endpoint);
            out.println("READY");
            out.flush();
            new ResponderDriver(plan, out, endpoint, ChildControl.of(System.in)).run();
        }
    }

    private static void initiator(final BenchCase benchCase, final ChildPlan plan, final PrintStream out) throws Exception
    {
        try (BenchEndpoint endpoint = benchCase.openInitiator(plan.env(), 0))
        {
            System.err.println(ThreadPinning.pinCurrentThread(ThreadPinning.CPU_PROPERTY));
            announce(out, "initiator", endpoint);
            new InitiatorDriver(benchCase, plan, out, endpoint, ChildControl.of(System.in)).run();
        }
    }

    /**
     * Print the calling (measuring) thread's id and the side's settings.
     */
    private static void announce(final PrintStream out, final String role, final BenchEndpoint endpoint)
    {
        out.println("TID " + role + " " + ThreadPinning.currentThreadId());
        for (final String setting : endpoint.settings())
        {
            out.println("SETTING " + role + ": " + setting);
        }
        out.flush();
    }

    private static void both(final BenchCase benchCase, final ChildPlan plan, final PrintStream out) throws Exception
    {
        final ChildControl control = ChildControl.of(System.in);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicReference<BenchEndpoint> responderEndpoint = new AtomicReference<>();
        final Thread responder = new Thread(() ->
        {
            try
            {
                responderEndpoint.set(benchCase.openResponder(plan.env()));
                System.err.println(ThreadPinning.pinCurrentThread(ThreadPinning.RESPONDER_CPU_PROPERTY));
                announce(out, "responder", responderEndpoint.get());
                open.countDown();
                new ResponderDriver(plan, out, responderEndpoint.get(), control).run();
            }
            catch (final Throwable e)
            {
                failure.set(e);
                open.countDown();
            }
        }, "responder");
        responder.start();
        open.await();
        try
        {
            if (failure.get() != null)
            {
                throw new IllegalStateException("responder failed to open: " + failure.get(), failure.get());
            }
            out.println("READY");
            out.flush();
            try (BenchEndpoint endpoint = benchCase.openInitiator(plan.env(), 0))
            {
                System.err.println(ThreadPinning.pinCurrentThread(ThreadPinning.CPU_PROPERTY));
                announce(out, "initiator", endpoint);
                new InitiatorDriver(benchCase, plan, out, endpoint, control).run();
            }
            responder.join();
            if (failure.get() != null)
            {
                throw new IllegalStateException("responder failed: " + failure.get(), failure.get());
            }
        }
        finally
        {
            // Last: the responder's endpoint may own what the initiator's used (an in-process router).
            final BenchEndpoint endpoint = responderEndpoint.get();
            if (endpoint != null)
            {
                endpoint.close();
            }
        }
    }
}
