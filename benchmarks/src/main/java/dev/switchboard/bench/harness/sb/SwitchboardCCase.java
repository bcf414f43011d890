/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness.sb;

import java.nio.file.Path;

import dev.switchboard.bench.harness.BenchEndpoint;
import dev.switchboard.bench.harness.CaseEnv;
import dev.switchboard.codecs.sbe.Priority;
import dev.switchboard.ipc.IpcContext;

/**
 * Switchboard CRITICAL with C agents (libswitchboard, issue 16) on one or both sides, beside {@code sb-critical}
 * (Java to Java) and {@code agrona-shm} in one group, so the three rows are judged against the same raw ring in the same
 * alternating rounds:
 * <ul>
 *   <li>{@code c-critical}: a C initiator and a C responder (C to C);</li>
 *   <li>{@code c-java-critical}: a C initiator and a Java responder (C to Java and back).</li>
 * </ul>
 * The router is the same as {@code sb-critical}'s (a Java {@code RouterProcess} with the bench's settings); it brokers
 * the registration and the inbox locations, and carries no message. The C side runs in the case's process as FFM
 * downcalls into {@code native/interop/sbx_bench.c} ({@link CBenchLibrary}), so the harness's drivers, pinning and
 * rounds are the same as every other case's. One producer only (the C endpoint answers the initiator it last heard
 * from).
 */
public abstract class SwitchboardCCase extends SwitchboardTierCase
{
    private final boolean cResponder;

    SwitchboardCCase(final String id, final String label, final boolean cResponder)
    {
        super(id, label, Priority.CRITICAL, false);
        this.cResponder = cResponder;
    }

    @Override
    public int maxProducers()
    {
        return 1;
    }

    @Override
    public String unavailableReason()
    {
        return CBenchLibrary.build(root());
    }

    private static Path root()
    {
        final String home = System.getProperty("switchboard.home");
        if (null != home)
        {
            return Path.of(home);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (null != dir && !java.nio.file.Files.isDirectory(dir.resolve("native").resolve("interop")))
        {
            dir = dir.getParent();
        }
        if (null == dir)
        {
            throw new IllegalStateException("no native/interop above " + Path.of("").toAbsolutePath() +
                "; set -Dswitchboard.home to the checkout");
        }
        return dir;
    }

    private static CEndpoint cAgent(final CaseEnv env, final String name, final String role)
    {
        final IpcContext ipc = ipc(env);
        return CEndpoint.open(CBenchLibrary.load(root()), ipc.socketPath().toString(), ipc.shmDir().toString(), name,
            LEASE_MS, role);
    }

    @Override
    public BenchEndpoint openResponder(final CaseEnv env)
    {
        if (!cResponder)
        {
            return super.openResponder(env);
        }
        // its way back is resolved after the initiator's opening message (sbx_bench_poll), outside the measured steps
        return cAgent(env, RESPONDER, "responder");
    }

    @Override
    public BenchEndpoint openInitiator(final CaseEnv env, final int producerIndex)
    {
        final CEndpoint initiator = cAgent(env, INITIATOR + producerIndex, "initiator");
        try
        {
            initiator.connectTo(RESPONDER);
        }
        catch (final RuntimeException e)
        {
            initiator.close();
            throw e;
        }
        return initiator;
    }

    /** C to C. */
    public static final class CToC extends SwitchboardCCase
    {
        /** The case. */
        public CToC()
        {
            super("c-critical", "Switchboard CRITICAL, C to C (libswitchboard)", true);
        }
    }

    /** C to Java. */
    public static final class CToJava extends SwitchboardCCase
    {
        /** The case. */
        public CToJava()
        {
            super("c-java-critical", "Switchboard CRITICAL, C to Java (libswitchboard / Java client)", false);
        }
    }
}
