/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds repeated blocks of code by hashing windows of lines.
 * <p>
 * The method: each code file's lines are normalised (leading and trailing white space removed, inner runs of white
 * space collapsed to one space) and blank lines are dropped. Every run of {@code windowLines} consecutive
 * normalised lines in a file is a window, hashed with 64-bit FNV-1a over its lines. A window whose hash occurs
 * twice or more, in the same file or in different files, is repeated; every line inside a repeated window is a
 * duplicated line, counted once however many windows cover it. The duplicated-lines percentage is duplicated lines
 * over all normalised lines. Files shorter than a window contribute lines but no windows. A hash collision could
 * count unrelated windows as repeated; at 64 bits that is negligible for any repository the walk admits.
 * <p>
 * Not thread-safe: one scanner per analysis. Keeps one {@code long} per window until {@link #result()}.
 */
final class DuplicationScanner
{
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private final int windowLines;
    private final List<long[]> windowsPerFile = new ArrayList<>();
    private final Map<Long, Integer> occurrences = new HashMap<>();
    private long totalLines;

    /**
     * @param windowLines how many normalised lines make a window; at least 2.
     */
    DuplicationScanner(final int windowLines)
    {
        if (windowLines < 2)
        {
            throw new IllegalArgumentException("windowLines must be at least 2, was " + windowLines);
        }
        this.windowLines = windowLines;
    }

    /**
     * Adds one code file's text.
     *
     * @param text the file's content.
     */
    void add(final String text)
    {
        final List<String> lines = new ArrayList<>();
        for (final String raw : LINE_BREAK.split(text, -1))
        {
            final String line = WHITE_SPACE.matcher(raw.strip()).replaceAll(" ");
            if (!line.isEmpty())
            {
                lines.add(line);
            }
        }
        totalLines += lines.size();
        final long[] lineHashes = new long[lines.size()];
        for (int i = 0; i < lineHashes.length; i++)
        {
            lineHashes[i] = fnv(FNV_OFFSET, lines.get(i).getBytes(StandardCharsets.UTF_8));
        }
        final int windows = Math.max(0, lines.size() - windowLines + 1);
        final long[] windowHashes = new long[windows];
        for (int start = 0; start < windows; start++)
        {
            long hash = FNV_OFFSET;
            for (int i = start; i < start + windowLines; i++)
            {
                hash = fnv(hash, lineHashes[i]);
            }
            windowHashes[start] = hash;
            occurrences.merge(hash, 1, Integer::sum);
        }
        windowsPerFile.add(windowHashes);
    }

    /**
     * The duplication over every file added so far.
     *
     * @return the counts.
     */
    RepositoryAnalysis.Duplication result()
    {
        long duplicated = 0;
        for (final long[] windowHashes : windowsPerFile)
        {
            final int lineCount = windowHashes.length == 0 ? 0 : windowHashes.length + windowLines - 1;
            final boolean[] inRepeatedWindow = new boolean[lineCount];
            for (int start = 0; start < windowHashes.length; start++)
            {
                if (occurrences.get(windowHashes[start]) > 1)
                {
                    Arrays.fill(inRepeatedWindow, start, start + windowLines, true);
                }
            }
            for (final boolean line : inRepeatedWindow)
            {
                duplicated += line ? 1 : 0;
            }
        }
        return new RepositoryAnalysis.Duplication(windowLines, totalLines, duplicated);
    }

    private static long fnv(final long seed, final byte[] bytes)
    {
        long hash = seed;
        for (final byte b : bytes)
        {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return hash;
    }

    private static long fnv(final long seed, final long value)
    {
        long hash = seed;
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE)
        {
            hash = (hash ^ ((value >>> shift) & 0xff)) * FNV_PRIME;
        }
        return hash;
    }
}
