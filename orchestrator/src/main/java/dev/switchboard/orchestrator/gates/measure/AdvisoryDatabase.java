/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.gates.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Known-vulnerable dependency versions, read from a text file the user maintains or exports. One advisory per line,
 * fields separated by tabs; blank lines and lines starting with {@code #} are ignored:
 * <pre>
 * # coordinates                                  affected versions        id
 * org.apache.logging.log4j:log4j-core            [2.0-beta9,2.15.0)       CVE-2021-44228
 * com.fasterxml.jackson.core:jackson-databind    2.9.10.7|[2.10.0,2.12.6.1)  CVE-2020-36518
 * </pre>
 * Affected versions are alternatives separated by {@code |}, each an exact version or a Maven range
 * ({@code [a,b]}, {@code [a,b)}, {@code (,b)}, {@code [a,)}, ...). Versions compare by their {@code .}/{@code -}
 * separated parts: numbers numerically, a number above a word, and a release above the same version with a
 * qualifier ({@code 1.0-beta < 1.0}), as Maven orders the common cases. Immutable once read.
 *
 * @param advisories the entries.
 */
record AdvisoryDatabase(List<Advisory> advisories)
{
    /**
     * One advisory.
     *
     * @param coordinates {@code groupId:artifactId}.
     * @param affected    the alternatives, each an exact version or a range.
     * @param id          the advisory's identifier.
     */
    record Advisory(String coordinates, List<String> affected, String id)
    {
        boolean affects(final String version)
        {
            for (final String alternative : affected)
            {
                if (inRange(alternative, version))
                {
                    return true;
                }
            }
            return false;
        }
    }

    /** Copies. */
    AdvisoryDatabase
    {
        advisories = List.copyOf(advisories);
    }

    /**
     * @param file the database.
     * @return its advisories.
     * @throws IOException when it cannot be read, or a line is malformed (named with its number).
     */
    static AdvisoryDatabase read(final Path file) throws IOException
    {
        final List<Advisory> advisories = new ArrayList<>();
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] fields = line.split("\t+");
            if (fields.length < 3 || fields[0].split(":").length != 2)
            {
                throw new IOException(file + ":" + (i + 1) + ": expected 'groupId:artifactId<TAB>versions<TAB>id', " +
                    "was '" + line + "'");
            }
            advisories.add(new Advisory(fields[0].strip(), List.of(fields[1].strip().split("\\|")), fields[2].strip()));
        }
        return new AdvisoryDatabase(advisories);
    }

    /**
     * @param coordinates {@code groupId:artifactId}.
     * @param version     the resolved version.
     * @return the ids of the advisories affecting it.
     */
    List<String> match(final String coordinates, final String version)
    {
        final List<String> ids = new ArrayList<>();
        for (final Advisory advisory : advisories)
        {
            if (advisory.coordinates().equals(coordinates) && advisory.affects(version))
            {
                ids.add(advisory.id());
            }
        }
        return ids;
    }

    static boolean inRange(final String spec, final String version)
    {
        final String range = spec.strip();
        if (range.isEmpty())
        {
            return false;
        }
        final char open = range.charAt(0);
        if (open != '[' && open != '(')
        {
            return compare(range, version) == 0;
        }
        final char close = range.charAt(range.length() - 1);
        final String inner = range.substring(1, range.length() - 1);
        final int comma = inner.indexOf(',');
        if (comma < 0)
        {
            return compare(inner.strip(), version) == 0;
        }
        final String low = inner.substring(0, comma).strip();
        final String high = inner.substring(comma + 1).strip();
        final boolean aboveLow = low.isEmpty() || (open == '[' ? compare(version, low) >= 0 : compare(version, low) > 0);
        final boolean belowHigh = high.isEmpty() ||
            (close == ']' ? compare(version, high) <= 0 : compare(version, high) < 0);
        return aboveLow && belowHigh;
    }

    static int compare(final String a, final String b)
    {
        final String[] left = a.split("[.\\-_]");
        final String[] right = b.split("[.\\-_]");
        for (int i = 0; i < Math.max(left.length, right.length); i++)
        {
            final String l = i < left.length ? left[i] : null;
            final String r = i < right.length ? right[i] : null;
            final int order = comparePart(l, r);
            if (order != 0)
            {
                return order;
            }
        }
        return 0;
    }

    private static int comparePart(final String l, final String r)
    {
        final boolean lNumber = l != null && l.matches("\\d+");
        final boolean rNumber = r != null && r.matches("\\d+");
        if (l == null)
        {
            return rNumber ? Long.signum(-Long.parseLong(r)) : 1; // 1.0 vs 1.0.1 | 1.0 vs 1.0-beta
        }
        if (r == null)
        {
            return lNumber ? Long.signum(Long.parseLong(l)) : -1;
        }
        if (lNumber && rNumber)
        {
            return Long.compare(Long.parseLong(l), Long.parseLong(r));
        }
        if (lNumber != rNumber)
        {
            return lNumber ? 1 : -1;
        }
        return l.compareToIgnoreCase(r);
    }
}
