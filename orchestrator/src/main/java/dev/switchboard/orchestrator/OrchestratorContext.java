/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator;

import java.nio.file.Path;

/**
 * The settings of the orchestrator's library ({@code dev.switchboard.orchestrator.*}) that come from the environment,
 * in one place: this class is the one that reads them, once, when it is made, and the classes they configure are
 * given the values. The command line's options ({@code --metrics-file}) override them.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>from</th><th>default</th></tr>
 *   <tr><td>the kept runs' metrics, one JSON line each ({@code MetricsFile})</td>
 *       <td>environment variable {@value #METRICS_FILE_ENV}</td><td>{@value #METRICS_FILE_DEFAULT} in the user's
 *       home directory</td></tr>
 * </table>
 *
 * <p>Thread-safety: configure, then share read-only.
 */
public final class OrchestratorContext
{
    /** Environment variable: the metrics file ({@link #metricsFile()}). */
    public static final String METRICS_FILE_ENV = "SWITCHBOARD_METRICS_FILE";
    /** Default {@link #metricsFile()}, relative to the user's home directory. */
    public static final String METRICS_FILE_DEFAULT = ".switchboard/metrics.jsonl";

    private Path metricsFile = metricsFileFromEnvironment();

    private static Path metricsFileFromEnvironment()
    {
        final String named = System.getenv(METRICS_FILE_ENV);
        return named != null && !named.isBlank() ? Path.of(named) :
            Path.of(System.getProperty("user.home")).resolve(METRICS_FILE_DEFAULT);
    }

    /**
     * Check the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting when one is bad.
     */
    public OrchestratorContext conclude()
    {
        if (null == metricsFile)
        {
            throw new IllegalArgumentException("no metrics file: set " + METRICS_FILE_ENV + " or give one");
        }
        return this;
    }

    /**
     * @return where runs' metrics are kept: {@code $SWITCHBOARD_METRICS_FILE} when set, else
     * {@code ~/.switchboard/metrics.jsonl}.
     */
    public Path metricsFile()
    {
        return metricsFile;
    }

    /** @param v where runs' metrics are kept. @return this. */
    public OrchestratorContext metricsFile(final Path v)
    {
        metricsFile = v;
        return this;
    }
}
