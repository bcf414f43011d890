/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.FrameOracle;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Bad input, target 1 under Jazzer: coverage-guided mutation of raw frames, checked by {@link FrameOracle}.
 * Without {@code JAZZER_FUZZ} (CI) this replays the seed corpus in
 * {@code src/test/resources/dev/switchboard/codecs/FrameValidatorJazzerTestInputs/fuzzValidator/} (valid frames of
 * every template and every regression input) as a plain JUnit test. To fuzz for real:
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl codecs -am test -Dtest='FrameValidatorJazzerTest' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * (stops at the first finding, or after {@code maxDuration}; findings are written into the inputs directory, where
 * they become regression inputs).
 */
class FrameValidatorJazzerTest
{
    private final FrameOracle oracle = new FrameOracle();

    @FuzzTest(maxDuration = "5m")
    void fuzzValidator(final byte[] frame)
    {
        oracle.check(frame);
    }
}
