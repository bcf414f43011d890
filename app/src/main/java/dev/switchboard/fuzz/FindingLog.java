/* Copyright 2025 Switchboard contributors. */
package dev.switchboard.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a campaign's findings go as they happen: into the target's report, onto the console, and, with the bytes that
 * reproduce them, into a directory of their own under {@code <out>/findings/} ({@code finding.txt} says what was seen
 * and how the bytes were sent; each other file holds the bytes of one stream, as they were written).
 * <p>
 * Thread-safety: thread-safe (findings are rare; one lock).
 */
final class FindingLog
{
    private final Path findingsDir;
    private final PrintStream out;

    /**
     * @param findingsDir where reproducers go (created on the first finding).
     * @param out         where each finding is printed as it happens.
     */
    FindingLog(final Path findingsDir, final PrintStream out)
    {
        this.findingsDir = findingsDir;
        this.out = out;
    }

    /**
     * Record a finding and save its reproducer.
     *
     * @param report  the target's report.
     * @param finding what was found.
     * @param howTo   how the bytes were sent (preamble, socket, agent), written into {@code finding.txt}.
     * @param files   reproducer files by name (bytes as written), possibly empty.
     * @return the finding as recorded (with its reproducer directory when bytes were saved).
     */
    synchronized Finding record(
        final TargetReport report, final Finding finding, final String howTo, final Map<String, byte[]> files)
    {
        Finding recorded = finding;
        if (report.findingCount() < TargetReport.MAX_FINDINGS)
        {
            try
            {
                final Path dir = uniqueDir(finding);
                Files.createDirectories(dir);
                for (final Map.Entry<String, byte[]> file : files.entrySet())
                {
                    Files.write(dir.resolve(file.getKey()), file.getValue());
                }
                recorded = finding.withReproducer(dir);
                Files.writeString(dir.resolve("finding.txt"), recorded + System.lineSeparator() +
                    System.lineSeparator() + howTo + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                out.println("fuzz: cannot save the reproducer of a finding: " + e);
            }
        }
        report.add(recorded);
        out.println("fuzz: FINDING " + recorded);
        return recorded;
    }

    private Path uniqueDir(final Finding finding)
    {
        final String base = finding.target().replace('/', '-') + "-" + finding.kind().name().toLowerCase() + "-" +
            (finding.firstIndex() < 0 ? "run" : "input-" + finding.firstIndex());
        Path dir = findingsDir.resolve(base);
        for (int n = 2; Files.exists(dir); n++)
        {
            dir = findingsDir.resolve(base + "-" + n);
        }
        return dir;
    }
}
