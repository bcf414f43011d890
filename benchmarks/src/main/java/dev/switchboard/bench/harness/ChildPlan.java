/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What every process of one case is told: the case, its environment, the profile and which phases to run. The
 * coordinator writes it as {@code plan.properties} in the case's directory; each child reads it.
 *
 * @param caseClass         the {@link BenchCase} implementation.
 * @param env               the case's environment.
 * @param runDir            where histograms go ({@code hdr/} below it).
 * @param profile           the numbers.
 * @param pingPong          run the ping-pong phases.
 * @param oneWay            run the fixed-rate one-way phase.
 * @param throughput        run the throughput phases.
 * @param syscallRoundTrips round trips counted under perf (0: none).
 */
public record ChildPlan(
    String caseClass, CaseEnv env, Path runDir, Profile profile, boolean pingPong, boolean oneWay, boolean throughput,
    long syscallRoundTrips)
{
    /** The file name in the case directory. */
    public static final String FILE_NAME = "plan.properties";

    /**
     * @return the plan file's path.
     */
    public Path file()
    {
        return env.dir().resolve(FILE_NAME);
    }

    /**
     * Write the plan to {@link #file()}.
     *
     * @return the file.
     */
    public Path write()
    {
        final Properties p = new Properties();
        p.setProperty("case.class", caseClass);
        p.setProperty("case.id", env.caseId());
        p.setProperty("dir", env.dir().toString());
        p.setProperty("shm.dir", env.shmDir().toString());
        p.setProperty("max.payload", Integer.toString(env.maxPayloadLength()));
        p.setProperty("producers", Integer.toString(env.producers()));
        p.setProperty("run.dir", runDir.toString());
        p.setProperty("profile", profile.name());
        profile.store(p);
        p.setProperty("ping.pong", Boolean.toString(pingPong));
        p.setProperty("one.way", Boolean.toString(oneWay));
        p.setProperty("throughput", Boolean.toString(throughput));
        p.setProperty("syscall.round.trips", Long.toString(syscallRoundTrips));
        try (Writer w = Files.newBufferedWriter(file(), StandardCharsets.UTF_8))
        {
            p.store(w, "switchboard benchmark harness: one case's plan");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write " + file(), e);
        }
        return file();
    }

    /**
     * @param file a file written by {@link #write()}.
     * @return the plan.
     */
    public static ChildPlan read(final Path file)
    {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(r);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        final CaseEnv env = new CaseEnv(p.getProperty("case.id"), Path.of(p.getProperty("dir")),
            Path.of(p.getProperty("shm.dir")), Integer.parseInt(p.getProperty("max.payload")),
            Integer.parseInt(p.getProperty("producers")));
        return new ChildPlan(p.getProperty("case.class"), env, Path.of(p.getProperty("run.dir")),
            Profile.load(p), Boolean.parseBoolean(p.getProperty("ping.pong")),
            Boolean.parseBoolean(p.getProperty("one.way")), Boolean.parseBoolean(p.getProperty("throughput")),
            Long.parseLong(p.getProperty("syscall.round.trips")));
    }

    /**
     * @return a new instance of the case.
     */
    public BenchCase newCase()
    {
        try
        {
            return (BenchCase)Class.forName(caseClass).getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException e)
        {
            throw new IllegalStateException("cannot instantiate case " + caseClass + ": " + e, e);
        }
    }
}
