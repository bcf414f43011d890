/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a fuzz campaign, an immutable value made by a {@link Builder}: the seed every input derives from,
 * how many inputs each target runs, which targets and router engines, where the report and reproducers go, and the
 * knobs of the socket target (concurrent connections, frames per batch, how often an input closes its connection) and
 * the deadlines that turn silence into a hang.
 * <p>
 * Thread-safety: immutable.
 */
public final class FuzzSettings
{
    /** What a campaign attacks. */
    public enum Target
    {
        /** The SBE validator and generated decoders, in this process (fast: millions of inputs a second). */
        CODECS,
        /** CRITICAL inbox rings: garbage, corrupt and impossible records written into a live reader's inbox. */
        INBOX,
        /** A router in a child JVM, through its control socket and its HIGH socket, on each engine. */
        SOCKETS
    }

    /** Inputs per target run for {@code --long}: ten million. */
    public static final long LONG_INPUTS = 10_000_000L;
    /** Router engines the socket target knows. */
    public static final List<String> ENGINES = List.of("uring", "nio");

    private final long seed;
    private final long inputs;
    private final Set<Target> targets;
    private final List<String> engines;
    private final Path outDir;
    private final int connections;
    private final int batchFrames;
    private final int closeEvery;
    private final int corruptEvery;
    private final long deadlineMs;
    private final List<String> routerJvmOptions;

    private FuzzSettings(final Builder b)
    {
        this.seed = b.seed;
        this.inputs = b.inputs;
        this.targets = EnumSet.copyOf(b.targets);
        this.engines = List.copyOf(b.engines);
        this.outDir = b.outDir;
        this.connections = b.connections;
        this.batchFrames = b.batchFrames;
        this.closeEvery = b.closeEvery;
        this.corruptEvery = b.corruptEvery;
        this.deadlineMs = b.deadlineMs;
        this.routerJvmOptions = List.copyOf(b.routerJvmOptions);
    }

    /**
     * @return a builder with the defaults: a bounded run of every target on both engines.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return the seed every input derives from.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * @param target a target.
     * @return inputs that target runs (per engine for {@link Target#SOCKETS}): the {@link Builder#inputs} given, else
     * the target's default for a bounded run.
     */
    public long inputs(final Target target)
    {
        if (inputs > 0)
        {
            return inputs;
        }
        return switch (target)
        {
            case CODECS -> 5_000_000;
            case INBOX -> 2_000_000;
            case SOCKETS -> 3_000_000;
        };
    }

    /**
     * @return the targets, in the order they run.
     */
    public Set<Target> targets()
    {
        return EnumSet.copyOf(targets);
    }

    /**
     * @return the router engines the socket target runs against, in order.
     */
    public List<String> engines()
    {
        return engines;
    }

    /**
     * @return where the report ({@code fuzz-report.json}), the router logs and the reproducers go.
     */
    public Path outDir()
    {
        return outDir;
    }

    /**
     * @return hostile connections open at once against the router.
     */
    public int connections()
    {
        return connections;
    }

    /**
     * @return inputs per batch: a batch starts on a new connection, so it is also the longest a connection lives.
     */
    public int batchFrames()
    {
        return batchFrames;
    }

    /**
     * @return one socket input in about this many breaks the framing (and ends its connection).
     */
    public int closeEvery()
    {
        return closeEvery;
    }

    /**
     * @return one inbox input in about this many is an impossible record (the reader must resynchronise).
     */
    public int corruptEvery()
    {
        return corruptEvery;
    }

    /**
     * @return how long silence may last before it is a hang: a liveness probe's answer, a close the rules require, a
     * reader's progress, a write the target should take.
     */
    public long deadlineMs()
    {
        return deadlineMs;
    }

    /**
     * @return extra JVM options for the router's child JVM (after the campaign's own).
     */
    public List<String> routerJvmOptions()
    {
        return routerJvmOptions;
    }

    @Override
    public String toString()
    {
        return "seed " + seed + ", targets " + targets + ", engines " + engines + ", inputs " +
            (inputs > 0 ? String.valueOf(inputs) : "default") + ", connections " + connections + ", batch " +
            batchFrames + ", out " + outDir;
    }

    /**
     * Builds {@link FuzzSettings}; each setter checks its value at once and names the limit it broke.
     * Thread-safety: not thread-safe.
     */
    public static final class Builder
    {
        private long seed = System.nanoTime() ^ ProcessHandle.current().pid();
        private long inputs = -1;
        private Set<Target> targets = EnumSet.allOf(Target.class);
        private List<String> engines = ENGINES;
        private Path outDir = Path.of("target", "fuzz");
        private int connections = 4;
        private int batchFrames = 1024;
        private int closeEvery = 1000;
        private int corruptEvery = 2000;
        private long deadlineMs = 10_000;
        private final List<String> routerJvmOptions = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * @param value the seed of every input.
         * @return this.
         */
        public Builder seed(final long value)
        {
            seed = value;
            return this;
        }

        /**
         * @param value inputs per target run (per engine for sockets), at least 1.
         * @return this.
         */
        public Builder inputs(final long value)
        {
            if (value < 1)
            {
                throw new IllegalArgumentException("inputs must be at least 1, got " + value);
            }
            inputs = value;
            return this;
        }

        /**
         * @param value targets to run, at least one.
         * @return this.
         */
        public Builder targets(final Set<Target> value)
        {
            if (value.isEmpty())
            {
                throw new IllegalArgumentException("at least one target");
            }
            targets = EnumSet.copyOf(value);
            return this;
        }

        /**
         * @param value router engines, each one of {@link #ENGINES}, at least one.
         * @return this.
         */
        public Builder engines(final List<String> value)
        {
            if (value.isEmpty() || !ENGINES.containsAll(value))
            {
                throw new IllegalArgumentException("engines must be among " + ENGINES + ", got " + value);
            }
            engines = List.copyOf(value);
            return this;
        }

        /**
         * @param value directory for the report and reproducers (created if missing).
         * @return this.
         */
        public Builder outDir(final Path value)
        {
            outDir = Objects.requireNonNull(value, "outDir");
            return this;
        }

        /**
         * @param value hostile connections at once, 1 to 64 (the router's unregistered-connection limit is 64).
         * @return this.
         */
        public Builder connections(final int value)
        {
            if (value < 1 || value > 64)
            {
                throw new IllegalArgumentException("connections must be between 1 and 64, got " + value);
            }
            connections = value;
            return this;
        }

        /**
         * @param value inputs per batch (and per connection at most), 16 to 1,000,000.
         * @return this.
         */
        public Builder batchFrames(final int value)
        {
            if (value < 16 || value > 1_000_000)
            {
                throw new IllegalArgumentException("batch must be between 16 and 1000000 frames, got " + value);
            }
            batchFrames = value;
            return this;
        }

        /**
         * @param value one socket input in about this many closes its connection, 2 to 1,000,000.
         * @return this.
         */
        public Builder closeEvery(final int value)
        {
            if (value < 2 || value > 1_000_000)
            {
                throw new IllegalArgumentException("closeEvery must be between 2 and 1000000, got " + value);
            }
            closeEvery = value;
            return this;
        }

        /**
         * @param value one inbox input in about this many is an impossible record, 2 to 1,000,000.
         * @return this.
         */
        public Builder corruptEvery(final int value)
        {
            if (value < 2 || value > 1_000_000)
            {
                throw new IllegalArgumentException("corruptEvery must be between 2 and 1000000, got " + value);
            }
            corruptEvery = value;
            return this;
        }

        /**
         * @param value the deadline that makes silence a hang, 100 ms to 10 minutes.
         * @return this.
         */
        public Builder deadlineMs(final long value)
        {
            if (value < 100 || value > 600_000)
            {
                throw new IllegalArgumentException("deadline must be between 100 and 600000 ms, got " + value);
            }
            deadlineMs = value;
            return this;
        }

        /**
         * @param value an extra JVM option for the router's child JVM.
         * @return this.
         */
        public Builder routerJvmOption(final String value)
        {
            routerJvmOptions.add(Objects.requireNonNull(value, "option"));
            return this;
        }

        /**
         * @return the settings.
         */
        public FuzzSettings build()
        {
            return new FuzzSettings(this);
        }
    }
}
