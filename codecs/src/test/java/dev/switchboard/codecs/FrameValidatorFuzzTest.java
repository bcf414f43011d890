/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.FrameMutator;
import dev.switchboard.codecs.fuzz.FrameOracle;
import dev.switchboard.codecs.fuzz.SampleMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, target 1: the frame validator and the generated decoders, fed structure-aware mutations of valid frames
 * of every template ({@link FrameMutator}) and checked by {@link FrameOracle}: nothing escapes but the documented
 * rejection, each rejection is counted under its own error, and whatever is accepted decodes completely inside the
 * frame. CI runs {@value #DEFAULT_ITERATIONS} inputs (a few seconds); for millions:
 * <pre>
 * mvn -o -pl codecs -am test -Dtest='FrameValidatorFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dswitchboard.fuzz.iterations=10000000 [-Dswitchboard.fuzz.seed=N]
 * </pre>
 */
class FrameValidatorFuzzTest
{
    static final int DEFAULT_ITERATIONS = 500_000;

    @Test
    void malformedFramesAreRejectedAndCountedAndAcceptedFramesDecodeInsideTheFrame()
    {
        final long iterations = Long.getLong("switchboard.fuzz.iterations", DEFAULT_ITERATIONS);
        final long seed = Long.getLong("switchboard.fuzz.seed", 0x5EED_F022L);
        final FrameMutator mutator = new FrameMutator(seed);
        final FrameOracle oracle = new FrameOracle();

        final long start = System.nanoTime();
        long rejected = 0;
        for (long i = 0; i < iterations; i++)
        {
            final byte[] frame = mutator.next();
            try
            {
                if (oracle.check(frame) < 0)
                {
                    rejected++;
                }
            }
            catch (final FrameOracle.Violation ex)
            {
                throw new AssertionError("seed " + seed + ", iteration " + i + ": " + ex.getMessage(), ex);
            }
        }
        final long elapsedNs = System.nanoTime() - start;

        final FrameRejections rejections = oracle.rejections();
        System.out.printf("frame fuzz: %,d inputs in %.1f s (%,.0f inputs/s), seed %d: %,d accepted, %s%n",
            iterations, elapsedNs / 1e9, iterations * 1e9 / elapsedNs, seed, oracle.accepted(), rejections);

        assertEquals(rejected, rejections.total(), "every rejection counted once");
        assertEquals(iterations, rejected + oracle.accepted());
        if (iterations >= DEFAULT_ITERATIONS)
        {
            for (final FrameError error : FrameError.values())
            {
                assertTrue(rejections.count(error) > 0, "the generator never produced " + error + ": " + rejections);
            }
            for (final SampleMessage message : SampleMessage.values())
            {
                assertTrue(oracle.accepted(message.templateId()) > 0,
                    "no mutated " + message + " frame was ever accepted");
            }
        }
    }

    @Test
    void everyValidSeedIsAcceptedAndDecodes()
    {
        final FrameOracle oracle = new FrameOracle();
        for (final byte[] frame : FrameMutator.validFrames())
        {
            assertTrue(oracle.check(frame) > 0, FrameOracle.hex(frame));
        }
        assertEquals(0, oracle.rejections().total());
    }
}
