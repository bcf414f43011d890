package dev.switchboard.ipc.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.ipc.IpcContext;
import dev.switchboard.router.process.RouterProcess;
import dev.switchboard.router.RouterContext;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Round-trip time and system calls of agent links against a raw {@code java.nio} Unix socket ping-pong, measured in
 * the same run in alternating rounds (raw, NORMAL, HIGH, raw, ...), so that the machine's drift hits all alike; each
 * round is two fresh processes pinned to CPU 0 and 1 ({@code taskset}), both busy-spinning, 32-byte messages. Ratios
 * are per round against that round's raw peer. System calls: strace attached to each side's spinning thread
 * ({@code strace -tt -p <tid>}); the calls of both threads between the measuring side's two marks (a fixed number of
 * round trips) are counted and divided by that number, failed ones (EAGAIN) apart.
 *
 * <p>Not a unit test (no timing is asserted; this machine's timings are noise-prone): skipped unless
 * {@code -Dswitchboard.bench.links=true}. Run:
 * <pre>
 *   mvn -o -pl ipc-native test -Dtest=LinkRttBenchmark -Dswitchboard.bench.links=true \
 *       -Dsurefire.failIfNoSpecifiedTests=false [-Dswitchboard.bench.rounds=3] [-Dswitchboard.bench.samples=20000] \
 *       [-Dswitchboard.bench.kinds=raw,rawb,NORMAL,HIGH,HIGH-interrupt,HIGH-cooperative]
 * </pre>
 * Results print to stdout and to {@code ipc-native/target/link-rtt.txt}.
 */
class LinkRttBenchmark
{
    private static final java.util.regex.Pattern RTT = java.util.regex.Pattern.compile("rtt (\\d+) (\\d+) (\\d+) (\\d+)");
    private static final java.util.regex.Pattern TID = java.util.regex.Pattern.compile("tid (\\d+)");

    @TempDir
    Path dir;

    @Test
    void roundTripsAgainstRawNio() throws Exception
    {
        assumeTrue(Boolean.getBoolean("switchboard.bench.links"), "benchmark: -Dswitchboard.bench.links=true");
        final int rounds = Integer.getInteger("switchboard.bench.rounds", 3);
        final int samples = Integer.getInteger("switchboard.bench.samples", 20_000);
        final int warmup = Integer.getInteger("switchboard.bench.warmup", 20_000);
        final int counted = Integer.getInteger("switchboard.bench.counted", 2_000);
        final String[] kinds = System.getProperty("switchboard.bench.kinds", "raw,NORMAL,HIGH").split(",");
        final Map<String, List<long[]>> rtts = new LinkedHashMap<>();
        final Map<String, List<String>> calls = new LinkedHashMap<>();
        for (final String k : kinds)
        {
            rtts.put(k, new ArrayList<>());
            calls.put(k, new ArrayList<>());
        }
        final IpcContext ipc = new IpcContext().underDirectory(dir);
        try (RouterProcess router = RouterProcess.launch(new RouterContext(), ipc))
        {
            for (int r = 0; r < rounds; r++)
            {
                for (final String kind : kinds)
                {
                    final Result result = kind.startsWith("raw") ?
                        raw(kind, r, warmup, samples, counted) : link(r, kind, warmup, samples, counted);
                    rtts.get(kind).add(result.rtt);
                    calls.get(kind).add(result.calls);
                    System.out.println(kind + " round " + r + ": p50 " + result.rtt[0] + " p99 " + result.rtt[1] +
                        " p99.9 " + result.rtt[2] + " ns; " + result.calls);
                }
            }
        }
        final StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "link RTT, 32 B, %d samples/round after %d warm-up, %d rounds, " +
            "load %s%n", samples, warmup, rounds, Files.readString(Path.of("/proc/loadavg")).trim()));
        report.append(String.format(Locale.ROOT, "%-7s %-5s %9s %9s %9s %8s %8s  %s%n",
            "case", "round", "p50 ns", "p99 ns", "p99.9 ns", "p50/raw", "p99/raw", "syscalls per round trip"));
        for (final String kind : kinds)
        {
            for (int r = 0; r < rounds; r++)
            {
                final long[] v = rtts.get(kind).get(r);
                final long[] raw = rtts.get("raw").get(r);
                report.append(String.format(Locale.ROOT, "%-7s %-5d %9d %9d %9d %8.2f %8.2f  %s%n", kind, r, v[0], v[1],
                    v[2], (double)v[0] / raw[0], (double)v[1] / raw[1], calls.get(kind).get(r)));
            }
        }
        for (final String kind : kinds)
        {
            final double[] p50 = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                p50[r] = (double)rtts.get(kind).get(r)[0] / rtts.get("raw").get(r)[0];
            }
            Arrays.sort(p50);
            report.append(String.format(Locale.ROOT, "%s: median p50 ratio to raw %.2f%n", kind, p50[rounds / 2]));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "link-rtt.txt"), report.toString());
    }

    private record Result(long[] rtt, String calls)
    {
    }

    private Result raw(final String kind, final int round, final int warmup, final int samples, final int counted)
        throws Exception
    {
        final Path socket = dir.resolve(kind + "-" + round + ".sock");
        final String id = kind + round;
        try (Child server = Child.start(dir, "1", false, "", kind + "-server", socket.toString(), dir.toString());
            Child client = startAfter(server, "ready", "0", false, kind + "-client", socket.toString(),
                String.valueOf(warmup), String.valueOf(samples), String.valueOf(counted), dir.toString(), id))
        {
            return measure(id, server, client, counted);
        }
    }

    /**
     * @param kind NORMAL, HIGH (the ring's default mode, DEFERRED here) or HIGH-interrupt / HIGH-cooperative.
     */
    private Result link(final int round, final String kind, final int warmup, final int samples, final int counted)
        throws Exception
    {
        final String tier = kind.startsWith("HIGH") ? "HIGH" : "NORMAL";
        final boolean high = tier.equals("HIGH");
        final String mode = kind.contains("-") ? kind.substring(kind.indexOf('-') + 1) : "";
        final String id = kind + round;
        try (Child pong = Child.start(dir, "1", high, mode, "link-pong", dir.toString(), id, tier);
            Child ping = Child.start(dir, "0", high, mode, "link-ping", dir.toString(), id, tier, String.valueOf(warmup),
                String.valueOf(samples), String.valueOf(counted)))
        {
            return measure(id, pong, ping, counted);
        }
    }

    private static Child startAfter(final Child first, final String line, final String cpu, final boolean high,
        final String... args) throws Exception
    {
        first.await(line);
        return Child.start(first.dir, cpu, high, "", args);
    }

    private Result measure(final String round, final Child echo, final Child measuring, final int counted)
        throws Exception
    {
        final Matcher m = measuring.await(RTT);
        final long[] rtt = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
        final String measuringTid = measuring.await(TID).group(1);
        final String echoTid = echo.await(TID).group(1);
        final Path a = dir.resolve("strace-" + round + "-a.txt");
        final Path b = dir.resolve("strace-" + round + "-b.txt");
        final Process sa = new ProcessBuilder("strace", "-tt", "-o", a.toString(), "-p", measuringTid).start();
        final Process sb = new ProcessBuilder("strace", "-tt", "-o", b.toString(), "-p", echoTid).start();
        Thread.sleep(500);
        Files.createFile(dir.resolve("go-" + round));
        measuring.await("counted");
        for (final Process s : List.of(sa, sb))
        {
            new ProcessBuilder("kill", "-INT", String.valueOf(s.pid())).start().waitFor();
            s.waitFor(10, TimeUnit.SECONDS);
        }
        final List<String> measuringLines = Files.readAllLines(a, StandardCharsets.UTF_8);
        String begin = null;
        String end = null;
        for (final String line : measuringLines)
        {
            if (line.contains("mark-begin"))
            {
                begin = line.substring(0, line.indexOf(' '));
            }
            else if (line.contains("mark-end"))
            {
                end = line.substring(0, line.indexOf(' '));
            }
        }
        if (begin == null || end == null)
        {
            throw new IllegalStateException("no marks in the trace " + a);
        }
        return new Result(rtt, "measuring side " + summarise(measuringLines, begin, end, counted) + " | echo side " +
            summarise(Files.readAllLines(b, StandardCharsets.UTF_8), begin, end, counted));
    }

    /**
     * @return system calls per round trip between the marks' timestamps, by name, with their errors (EAGAIN).
     */
    private static String summarise(final List<String> lines, final String begin, final String end, final int roundTrips)
    {
        final Map<String, long[]> byName = new java.util.TreeMap<>();
        long total = 0;
        for (final String line : lines)
        {
            final int space = line.indexOf(' ');
            if (space < 0 || line.contains("mark-") || line.contains("resumed>") && !line.contains("("))
            {
                continue;
            }
            final String time = line.substring(0, space);
            if (time.compareTo(begin) <= 0 || time.compareTo(end) >= 0)
            {
                continue;
            }
            final String rest = line.substring(space + 1);
            final int paren = rest.indexOf('(');
            if (paren <= 0 || rest.startsWith("+++") || rest.startsWith("---") || rest.startsWith("<..."))
            {
                continue;
            }
            final long[] c = byName.computeIfAbsent(rest.substring(0, paren), k -> new long[2]);
            c[0]++;
            if (rest.contains("= -1 E"))
            {
                c[1]++;
            }
            total++;
        }
        final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.2f:", (double)total / roundTrips));
        for (final Map.Entry<String, long[]> e : byName.entrySet())
        {
            sb.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), (double)e.getValue()[0] / roundTrips));
            if (e.getValue()[1] > 0)
            {
                sb.append(String.format(Locale.ROOT, " (failed %.2f)", (double)e.getValue()[1] / roundTrips));
            }
        }
        return sb.toString();
    }

    /** A benchmark process pinned to one CPU. */
    private static final class Child implements AutoCloseable
    {
        final ChildJvm jvm;
        final Process process;
        final Path out;
        final Path dir;

        private Child(final ChildJvm jvm, final Path dir)
        {
            this.jvm = jvm;
            this.process = jvm.process();
            this.out = jvm.stdoutFile();
            this.dir = dir;
        }

        static Child start(final Path dir, final String cpu, final boolean high, final String mode, final String... args)
            throws IOException
        {
            final ChildJvm.Builder builder = ChildJvm.builder(LinkPingPongMain.class)
                .commandPrefix(List.of("taskset", "-c", cpu)).args(args).outputIn(dir).name(args[0]);
            if (high)
            {
                builder.jvmOptions(JvmFlags.of(JvmFlags.Group.NATIVE));
            }
            if (!mode.isEmpty())
            {
                builder.jvmOptions("-D" + LinkRing.MODE_PROP + "=" + mode);
            }
            return new Child(builder.start(), dir);
        }

        String await(final String prefix) throws Exception
        {
            return await(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix))).group();
        }

        Matcher await(final java.util.regex.Pattern pattern) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (System.nanoTime() < deadline)
            {
                final Matcher m = pattern.matcher(Files.readString(out, StandardCharsets.UTF_8));
                if (m.find())
                {
                    return m;
                }
                if (!process.isAlive())
                {
                    throw new IllegalStateException("benchmark process exited: " + jvm.describe());
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("no " + pattern + " in 300 s: " + jvm.describe());
        }

        @Override
        public void close() throws InterruptedException
        {
            process.waitFor(5, TimeUnit.SECONDS);
            jvm.close();
        }
    }
}
