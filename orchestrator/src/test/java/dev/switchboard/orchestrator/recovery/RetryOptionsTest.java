/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.recovery;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryOptionsTest
{
    @Test
    void defaultsAreOneSecondDoublingToAHundredSecondsForThreeAttempts()
    {
        final RetryOptions options = RetryOptions.defaults();
        assertAll(
            () -> assertEquals(Duration.ofSeconds(1), options.initialInterval()),
            () -> assertEquals(2.0, options.backoffCoefficient()),
            () -> assertEquals(Duration.ofSeconds(100), options.maximumInterval()),
            () -> assertEquals(3, options.maximumAttempts()),
            () -> assertTrue(options.nonRetryableErrorKinds().isEmpty()));
    }

    @Test
    void delaysGrowExponentiallyAndAreCappedAtTheMaximumInterval()
    {
        final RetryOptions options = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofMillis(100))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofMillis(1000))
            .build();
        assertAll(
            () -> assertEquals(Duration.ZERO, options.delayForAttempt(1)),
            () -> assertEquals(Duration.ofMillis(100), options.delayForAttempt(2)),
            () -> assertEquals(Duration.ofMillis(200), options.delayForAttempt(3)),
            () -> assertEquals(Duration.ofMillis(400), options.delayForAttempt(4)),
            () -> assertEquals(Duration.ofMillis(800), options.delayForAttempt(5)),
            () -> assertEquals(Duration.ofMillis(1000), options.delayForAttempt(6)),
            () -> assertEquals(Duration.ofMillis(1000), options.delayForAttempt(7)),
            () -> assertEquals(Duration.ofMillis(1000), options.delayForAttempt(10_000)));
    }

    @Test
    void fractionalCoefficientRoundsToTheNearestNanosecond()
    {
        final RetryOptions options = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(1.5)
            .build();
        assertAll(
            () -> assertEquals(Duration.ofMillis(1500), options.delayForAttempt(3)),
            () -> assertEquals(Duration.ofMillis(2250), options.delayForAttempt(4)),
            () -> assertEquals(Duration.ofNanos(3_375_000_000L), options.delayForAttempt(5)));
    }

    @Test
    void coefficientOfOneGivesAConstantDelay()
    {
        final RetryOptions options = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofMillis(250)).setBackoffCoefficient(1.0).build();
        assertEquals(Duration.ofMillis(250), options.delayForAttempt(9));
    }

    @Test
    void zeroMaximumAttemptsMeansUnlimited()
    {
        final RetryOptions unlimited = RetryOptions.newBuilder().setMaximumAttempts(0).build();
        final RetryOptions three = RetryOptions.defaults();
        assertAll(
            () -> assertTrue(unlimited.allowsAttemptAfter(1_000_000)),
            () -> assertTrue(three.allowsAttemptAfter(2)),
            () -> assertFalse(three.allowsAttemptAfter(3)));
    }

    @Test
    void nonRetryableKindsAreNotRetryable()
    {
        final RetryOptions options = RetryOptions.newBuilder().setNonRetryableErrorKinds("AUTH", "BAD_INPUT").build();
        assertAll(
            () -> assertEquals(Set.of("AUTH", "BAD_INPUT"), options.nonRetryableErrorKinds()),
            () -> assertFalse(options.isRetryable("AUTH")),
            () -> assertTrue(options.isRetryable("TIMEOUT")));
    }

    @Test
    void errorKindsAreClassifiedByTheOptionsThenTheBuiltInTableThenAsTransient()
    {
        final RetryOptions options = RetryOptions.newBuilder().setNonRetryableErrorKinds("AUTH")
            .classify("AGENT_FAILED", FailureClass.PERMANENT).build();
        assertAll(
            () -> assertEquals(FailureClass.PERMANENT, options.classOf("AGENT_FAILED")),
            () -> assertEquals(FailureClass.PERMANENT, options.classOf("AUTH")),
            () -> assertEquals(FailureClass.MERGE_CONFLICT, options.classOf("MERGE_CONFLICT")),
            () -> assertEquals(FailureClass.TRANSIENT, options.classOf("NEVER_HEARD_OF_IT")),
            () -> assertEquals(Set.of("AGENT_FAILED", "AUTH"), options.nonRetryableErrorKinds()),
            () -> assertTrue(options.isRetryable("MERGE_CONFLICT")),
            () -> assertFalse(options.isRetryable("TASK_TIMEOUT")));
    }

    @Test
    void settingNonRetryableKindsReplacesOnlyThePermanentOnes()
    {
        final RetryOptions options = RetryOptions.newBuilder().classify("X", FailureClass.TOO_COMPLEX)
            .setNonRetryableErrorKinds("A").setNonRetryableErrorKinds("B").build();
        assertEquals(Map.of("X", FailureClass.TOO_COMPLEX, "B", FailureClass.PERMANENT), options.errorKindClasses());
    }

    @Test
    void toBuilderRoundTripsAndDerivesWithoutChangingTheOriginal()
    {
        final RetryOptions original = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofMillis(10)).setMaximumAttempts(5).setNonRetryableErrorKinds("AUTH").build();
        final RetryOptions derived = original.toBuilder().setMaximumAttempts(7).build();
        assertAll(
            () -> assertEquals(original, original.toBuilder().build()),
            () -> assertEquals(5, original.maximumAttempts()),
            () -> assertEquals(7, derived.maximumAttempts()),
            () -> assertEquals(Set.of("AUTH"), derived.nonRetryableErrorKinds()),
            () -> assertNotEquals(original, derived));
    }

    @Test
    void builderRejectsNonPositiveInitialInterval()
    {
        assertEquals("initialInterval must be positive, was PT0S", message(
            RetryOptions.newBuilder().setInitialInterval(Duration.ZERO)));
        assertEquals("initialInterval must be positive, was PT-1S", message(
            RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(-1))));
    }

    @Test
    void builderRejectsCoefficientBelowOneOrNotFinite()
    {
        assertEquals("backoffCoefficient must be a finite number >= 1.0, was 0.5", message(
            RetryOptions.newBuilder().setBackoffCoefficient(0.5)));
        assertEquals("backoffCoefficient must be a finite number >= 1.0, was NaN", message(
            RetryOptions.newBuilder().setBackoffCoefficient(Double.NaN)));
        assertEquals("backoffCoefficient must be a finite number >= 1.0, was Infinity", message(
            RetryOptions.newBuilder().setBackoffCoefficient(Double.POSITIVE_INFINITY)));
    }

    @Test
    void builderRejectsMaximumIntervalBelowInitialInterval()
    {
        assertEquals("maximumInterval must be >= initialInterval (PT2S), was PT1S", message(
            RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(2)).setMaximumInterval(Duration.ofSeconds(1))));
    }

    @Test
    void builderRejectsNegativeMaximumAttempts()
    {
        assertEquals("maximumAttempts must be >= 0 (0 means unlimited), was -1", message(
            RetryOptions.newBuilder().setMaximumAttempts(-1)));
    }

    @Test
    void builderRejectsBlankNonRetryableKind()
    {
        assertEquals("error kinds must not be null or blank, were ['AUTH', ' ']", message(
            RetryOptions.newBuilder().setNonRetryableErrorKinds("AUTH", " ")));
    }

    @Test
    void delayForAttemptRejectsAttemptZero()
    {
        assertEquals("attempt numbers start at 1, was 0", assertThrows(IllegalArgumentException.class,
            () -> RetryOptions.defaults().delayForAttempt(0)).getMessage());
    }

    @Test
    void hugeIntervalsSaturateInsteadOfOverflowing()
    {
        final RetryOptions options = RetryOptions.newBuilder().setInitialInterval(Duration.ofDays(365L * 100)).build();
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), options.maximumInterval());
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), options.delayForAttempt(50));
    }

    private static String message(final RetryOptions.Builder builder)
    {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }
}
