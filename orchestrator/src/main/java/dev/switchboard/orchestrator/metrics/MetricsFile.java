/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.orchestrator.OrchestratorContext;

/**
 * The kept runs: one {@link RunMetrics} per line of JSON, appended at the end of each run. The file is created
 * {@code 0600} in a directory created {@code 0700} (its workflow ids and plan changes are the user's business).
 * A line that cannot be read is reported, never skipped silently. Not safe for two writers at once beyond what an
 * append of one line gives.
 */
public final class MetricsFile
{
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    /** @param file the JSON-lines file. */
    public MetricsFile(final Path file)
    {
        this.file = file.toAbsolutePath();
    }

    /**
     * The environment variable that names the metrics file when no {@code --metrics-file} is given; read by
     * {@link OrchestratorContext} ({@link OrchestratorContext#metricsFile()}).
     */
    public static final String ENVIRONMENT_VARIABLE = OrchestratorContext.METRICS_FILE_ENV;

    /** @return the file. */
    public Path path()
    {
        return file;
    }

    /**
     * Appends one run.
     *
     * @param run the run.
     * @throws IOException when the file cannot be written.
     */
    public void append(final RunMetrics run) throws IOException
    {
        final Path directory = file.getParent();
        if (!Files.isDirectory(directory))
        {
            Files.createDirectories(directory,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file))
        {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, MAPPER.writeValueAsString(run) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
    }

    /**
     * @return every kept run, oldest first; none when the file does not exist.
     * @throws IOException when it cannot be read, or a line is not a run (the message names the line).
     */
    public List<RunMetrics> read() throws IOException
    {
        final List<RunMetrics> runs = new ArrayList<>();
        if (!Files.exists(file))
        {
            return runs;
        }
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).isBlank())
            {
                continue;
            }
            try
            {
                runs.add(MAPPER.readValue(lines.get(i), RunMetrics.class));
            }
            catch (final JsonProcessingException ex)
            {
                throw new IOException(file + ":" + (i + 1) + ": not a run's metrics: " + ex.getOriginalMessage(), ex);
            }
        }
        return runs;
    }
}
