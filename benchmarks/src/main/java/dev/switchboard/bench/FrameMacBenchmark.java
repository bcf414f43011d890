/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.switchboard.security.FrameMac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost the link frame MAC ({@code switchboard.link.mac=on}) adds per frame: {@link FrameMac#sign} by the sender
 * and {@link FrameMac#verify} by the receiver, for a 32-byte and a 1 KiB frame in a direct buffer (as the socket
 * and io_uring links hold them). Run with {@code -prof gc}: both allocate nothing.
 *
 * <p>Allocation: none in the measured methods.
 */
@BenchmarkMode({ Mode.AverageTime })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FrameMacBenchmark
{
    /** Frame length in bytes (without the tag). */
    @Param({ "32", "1024" })
    int frameLength;

    private FrameMac sender;
    private FrameMac receiver;
    private ByteBuffer buffer;

    /** Keys and one signed frame. */
    @Setup
    public void setUp()
    {
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(i * 7 + 1);
        }
        sender = new FrameMac(key, key);
        receiver = new FrameMac(key, key);
        buffer = ByteBuffer.allocateDirect(frameLength + FrameMac.TAG_LENGTH);
        for (int i = 0; i < frameLength; i++)
        {
            buffer.put(i, (byte)i);
        }
        sender.sign(buffer, 0, frameLength);
    }

    /**
     * The sender's cost: tag a frame in place.
     *
     * @return the buffer (consumed by JMH).
     */
    @Benchmark
    public ByteBuffer sign()
    {
        sender.sign(buffer, 0, frameLength);
        return buffer;
    }

    /**
     * The receiver's cost: check a frame's tag (the sequence is not advanced, so the same frame verifies each time).
     *
     * @return whether it verified (always true).
     */
    @Benchmark
    public boolean verify()
    {
        return receiver.verify(buffer, 0, frameLength);
    }
}
