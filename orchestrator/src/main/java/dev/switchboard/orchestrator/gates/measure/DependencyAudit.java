/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import dev.switchboard.orchestrator.gates.Measurement;
import dev.switchboard.orchestrator.gates.Metric;

/**
 * Checks the resolved dependencies ({@code dependency:list} output, transitive ones included) against an
 * {@link AdvisoryDatabase}. Stateless.
 */
final class DependencyAudit
{
    private DependencyAudit()
    {
    }

    /**
     * @param listed     lines of {@code dependency:list}: {@code group:artifact:type[:classifier]:version:scope},
     *                   possibly indented and followed by more text; other lines are ignored.
     * @param advisories the database.
     * @param source     the database's file, for the evidence.
     * @return the number of distinct vulnerable {@code group:artifact:version}, with them and their advisories.
     */
    static Measurement audit(final List<String> listed, final AdvisoryDatabase advisories, final Path source)
    {
        final TreeSet<String> checked = new TreeSet<>();
        final TreeSet<String> vulnerable = new TreeSet<>();
        for (final String line : listed)
        {
            final String[] words = line.strip().split("\\s+");
            final String[] parts = words[0].split(":");
            if (parts.length < 5)
            {
                continue;
            }
            final String coordinates = parts[0] + ":" + parts[1];
            final String version = parts[parts.length - 2];
            if (checked.add(coordinates + ":" + version))
            {
                final List<String> ids = advisories.match(coordinates, version);
                if (!ids.isEmpty())
                {
                    vulnerable.add(coordinates + ":" + version + " " + ids);
                }
            }
        }
        return Measurement.of(Metric.VULNERABLE_DEPENDENCIES, vulnerable.size(), "dependency audit of " +
            checked.size() + " resolved dependencies against " + source + " (" + advisories.advisories().size() +
            " advisories)" + (vulnerable.isEmpty() ? "" : ": " + String.join(", ", vulnerable)))
            .withDetails(ToolReports.limited(List.copyOf(vulnerable), Measurement.MAX_DETAILS));
    }
}
