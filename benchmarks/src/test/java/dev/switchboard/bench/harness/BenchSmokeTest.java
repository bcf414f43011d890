/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.harness.model.CaseResult;
import dev.switchboard.bench.harness.model.LatencyResult;
import dev.switchboard.bench.harness.model.OrchestratorResult;
import dev.switchboard.bench.harness.model.RunResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI's guard that the benchmark suite never rots: the smoke profile runs every case across real processes (the groups
 * in their alternating rounds), the C floor and every JMH benchmark once, and must write a complete report. It
 * asserts that they ran and what was written, never how fast.
 */
@Tag("slow")
class BenchSmokeTest
{
    @Test
    @Timeout(600)
    void everyCaseAndBenchmarkRunsAndTheReportIsWritten(@TempDir final Path out) throws Exception
    {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final int status;
        try (PrintStream ps = new PrintStream(new TeeStream(console, System.out), true, StandardCharsets.UTF_8))
        {
            status = BenchHarness.run(new String[]{"--smoke", "--out", out.toString()}, ps);
        }
        final String printed = console.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, "the smoke run failed:\n" + printed);

        final Path runDir;
        try (Stream<Path> dirs = Files.list(out))
        {
            runDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        final RunResult run = new ObjectMapper().readValue(runDir.resolve("harness.json").toFile(), RunResult.class);
        assertEquals("smoke", run.profile());
        final List<String> ids = run.cases().stream().map(CaseResult::id).toList();
        final java.util.Map<String, BenchCase> byId = new java.util.HashMap<>();
        for (final BenchCase c : Cases.all())
        {
            assertTrue(ids.contains(c.id()), "case " + c.id() + " missing from " + ids);
            byId.put(c.id(), c);
        }
        assertTrue(ids.contains("c-floor"), "the C floor did not run: " + ids);
        for (final CaseResult r : run.cases())
        {
            if (r.skipped() != null)
            {
                assertFalse(r.skipped().startsWith("failed"), r.id() + " " + r.skipped());
                continue;
            }
            for (final LatencyResult l : r.latency())
            {
                assertTrue(l.samples() > 0, r.id() + " " + l);
                assertTrue(Files.isRegularFile(runDir.resolve(l.hlogFile())), r.id() + " " + l.hlogFile());
            }
            final BenchCase c = byId.get(r.id());
            if (null == c || c.phases().contains(Step.Kind.PING_PONG))
            {
                assertTrue(r.latency().stream().anyMatch(l -> l.method() == LatencyResult.Method.PING_PONG_RTT),
                    r.id() + " has no ping-pong result");
            }
            if (null != c && c.phases().contains(Step.Kind.ONE_WAY))
            {
                assertTrue(r.latency().stream().anyMatch(l -> l.method() == LatencyResult.Method.ONE_WAY_FIXED_RATE),
                    r.id() + " has no one-way result");
                assertFalse(r.throughput().isEmpty(), r.id() + " has no throughput result");
                // Every phase in the profile's rounds, and the case's group named.
                assertTrue(r.latency().stream().allMatch(l -> l.rounds().size() == Profile.SMOKE.rounds()),
                    r.id() + " " + r.latency());
                assertTrue(r.group().contains(r.id()), r.id() + " " + r.group());
            }
            if (null != c && c.phases().contains(Step.Kind.WAKE_UP))
            {
                assertTrue(r.latency().stream().anyMatch(l -> l.method() == LatencyResult.Method.WAKE_UP),
                    r.id() + " has no wake-up result");
            }
            if (null != c && c.phases().contains(Step.Kind.IDLE))
            {
                assertNotNull(r.idle(), r.id() + " has no idle result");
            }
        }
        assertNotNull(run.jmhJson(), "JMH did not run");
        assertTrue(Files.size(runDir.resolve(run.jmhJson())) > 100);

        assertNotNull(run.orchestrator(), "the orchestrator section did not run");
        assertEquals(OrchestratorRunner.IDS.size() - 1, run.orchestrator().workflows().size());
        for (final OrchestratorResult.WorkflowRun w : run.orchestrator().workflows())
        {
            assertNull(w.failed(), w.id() + " " + w.failed());
            assertTrue(w.handoff() != null && w.handoff().samples() >= w.tasks(), w.id() + " " + w.handoff());
            assertTrue(Files.isRegularFile(runDir.resolve(w.handoff().hlogFile())), w.handoff().hlogFile());
        }
        assertNotNull(run.orchestrator().plan());
        assertNull(run.orchestrator().plan().failed(), run.orchestrator().plan().failed());

        final Path report = runDir.resolve("report.md");
        final String text = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(text.contains("## Orchestrator"), "report lacks the orchestrator section");
        for (final CaseResult r : run.cases())
        {
            assertTrue(text.contains(r.label()), "report lacks " + r.label());
        }
        assertTrue(text.contains("Targets"), "report lacks the targets table");
        try (Stream<Path> plots = Files.list(runDir.resolve("plots")))
        {
            final List<Path> png = plots.filter(p -> p.toString().endsWith(".png")).toList();
            assertFalse(png.isEmpty(), "no plots written");
            for (final Path p : png)
            {
                final byte[] head = Files.readAllBytes(p);
                assertTrue(head.length > 8 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', p + " is not a PNG");
            }
        }
        assertNull(findLeftovers(), "shared-memory files left behind");
    }

    private static String findLeftovers() throws Exception
    {
        final Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm))
        {
            return null;
        }
        try (Stream<Path> s = Files.list(shm))
        {
            // Only this run's: other benchmark runs on the machine (other checkouts) may be using theirs.
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(Machine.shmPrefix()))
                .findFirst().orElse(null);
        }
    }

    /** Copies the harness's progress to the test log too, so a slow CI run shows where it is. */
    private static final class TeeStream extends java.io.OutputStream
    {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(final java.io.OutputStream a, final java.io.OutputStream b)
        {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(final int c) throws java.io.IOException
        {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(final byte[] buf, final int off, final int len) throws java.io.IOException
        {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
