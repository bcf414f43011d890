/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link OrchestratorContext}: the metrics file comes from the environment, else the user's home; a set one wins.
 */
class OrchestratorContextTest
{
    @Test
    void theMetricsFileIsTheEnvironmentsElseTheOneInTheHomeDirectory()
    {
        final String named = System.getenv(OrchestratorContext.METRICS_FILE_ENV);
        final Path expected = named != null && !named.isBlank() ? Path.of(named) :
            Path.of(System.getProperty("user.home"), ".switchboard", "metrics.jsonl");
        assertEquals(expected, new OrchestratorContext().conclude().metricsFile());
    }

    @Test
    void aMetricsFileSetOverridesTheEnvironmentAndNoneIsRefused()
    {
        assertEquals(Path.of("/tmp/m.jsonl"),
            new OrchestratorContext().metricsFile(Path.of("/tmp/m.jsonl")).conclude().metricsFile());
        assertThrows(IllegalArgumentException.class, () -> new OrchestratorContext().metricsFile(null).conclude());
    }
}
