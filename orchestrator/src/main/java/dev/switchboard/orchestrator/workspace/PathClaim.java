/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.workspace;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The paths a task declares it may touch, as globs relative to the workflow's directory ({@code src/main/**},
 * {@code docs/*.md}, {@code pom.xml}). A pattern covers what it matches <em>and everything under it</em>: claiming a
 * directory claims its contents.
 *
 * <h2>Overlap</h2>
 * Two claims overlap when some path could fall under a pattern of each. Segments are compared one by one, a
 * {@code **} standing for any number of segments; a literal segment against a glob segment is a match test; two glob
 * segments overlap unless their literal beginnings or endings rule it out ({@code *.java} and {@code *.md} cannot
 * both match a name; {@code Ma*} and {@code *in} can). The test errs only towards "overlap": two tasks are never run
 * together when they might touch the same file.
 *
 * <p>Patterns are normalised: {@code ./} and empty segments dropped, a trailing {@code /} removed; {@code .} or an
 * empty pattern means the whole directory. Absolute paths and {@code ..} are rejected: a claim stays inside the
 * workflow's directory.
 *
 * <p>Immutable and thread-safe.
 *
 * @param patterns the normalised patterns, never empty.
 */
public record PathClaim(List<String> patterns)
{
    private static final String ANY_DEPTH = "**";
    private static final String GLOB_CHARACTERS = "*?[{\\";
    private static final String GLOB_ENDINGS = "*?]}\\";

    /** Validates, normalises and copies. */
    public PathClaim
    {
        if (patterns.isEmpty())
        {
            throw new IllegalArgumentException("a path claim needs at least one pattern; claim everything with " +
                "PathClaim.everything()");
        }
        final List<String> normalised = new ArrayList<>(patterns.size());
        for (final String pattern : patterns)
        {
            normalised.add(normalise(pattern));
        }
        patterns = List.copyOf(normalised);
    }

    /**
     * @param patterns globs relative to the workflow's directory.
     * @return the claim.
     * @throws IllegalArgumentException when there is none, or one is absolute or climbs out with {@code ..}.
     */
    public static PathClaim of(final String... patterns)
    {
        return new PathClaim(Arrays.asList(patterns));
    }

    /** @return the claim on the whole directory: what a task that declares nothing is taken to touch. */
    public static PathClaim everything()
    {
        return of(ANY_DEPTH);
    }

    /**
     * @param other another claim.
     * @return the first pair of patterns, this claim's then the other's, that could cover a common path.
     */
    public Optional<List<String>> overlapWith(final PathClaim other)
    {
        for (final String mine : patterns)
        {
            for (final String theirs : other.patterns)
            {
                if (patternsOverlap(mine, theirs))
                {
                    return Optional.of(List.of(mine, theirs));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param other another claim.
     * @return whether some path could fall under both.
     */
    public boolean overlaps(final PathClaim other)
    {
        return overlapWith(other).isPresent();
    }

    /**
     * @param a a normalised pattern.
     * @param b another.
     * @return whether some path could be covered by both (each pattern covering its matches' subtrees).
     */
    static boolean patternsOverlap(final String a, final String b)
    {
        final String[] left = withSubtree(a);
        final String[] right = withSubtree(b);
        return overlap(left, 0, right, 0, new Boolean[left.length + 1][right.length + 1]);
    }

    private static boolean overlap(final String[] a, final int i, final String[] b, final int j, final Boolean[][] memo)
    {
        if (memo[i][j] != null)
        {
            return memo[i][j];
        }
        final boolean result;
        if (i == a.length && j == b.length)
        {
            result = true;
        }
        else if (i < a.length && a[i].equals(ANY_DEPTH))
        {
            // a's ** matches nothing more, or takes whatever b's next segment (or b's own **) stands for
            result = overlap(a, i + 1, b, j, memo) || (j < b.length && overlap(a, i, b, j + 1, memo));
        }
        else if (j < b.length && b[j].equals(ANY_DEPTH))
        {
            result = overlap(a, i, b, j + 1, memo) || (i < a.length && overlap(a, i + 1, b, j, memo));
        }
        else if (i == a.length || j == b.length)
        {
            result = false;
        }
        else
        {
            result = segmentsOverlap(a[i], b[j]) && overlap(a, i + 1, b, j + 1, memo);
        }
        memo[i][j] = result;
        return result;
    }

    private static boolean segmentsOverlap(final String a, final String b)
    {
        final boolean globA = isGlob(a);
        final boolean globB = isGlob(b);
        if (!globA && !globB)
        {
            return a.equals(b);
        }
        if (!globA || !globB)
        {
            final String glob = globA ? a : b;
            final String literal = globA ? b : a;
            return FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(literal));
        }
        // both globs: a common match starts with both literal beginnings and ends with both literal endings
        final String prefixA = literalPrefix(a);
        final String prefixB = literalPrefix(b);
        final String suffixA = literalSuffix(a);
        final String suffixB = literalSuffix(b);
        return (prefixA.startsWith(prefixB) || prefixB.startsWith(prefixA)) &&
            (suffixA.endsWith(suffixB) || suffixB.endsWith(suffixA));
    }

    private static boolean isGlob(final String segment)
    {
        for (int k = 0; k < segment.length(); k++)
        {
            if (GLOB_CHARACTERS.indexOf(segment.charAt(k)) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static String literalPrefix(final String segment)
    {
        int end = 0;
        while (end < segment.length() && GLOB_CHARACTERS.indexOf(segment.charAt(end)) < 0)
        {
            end++;
        }
        return segment.substring(0, end);
    }

    private static String literalSuffix(final String segment)
    {
        int start = segment.length();
        while (start > 0 && GLOB_ENDINGS.indexOf(segment.charAt(start - 1)) < 0)
        {
            start--;
        }
        return segment.substring(start);
    }

    private static String[] withSubtree(final String pattern)
    {
        final String[] segments = pattern.split("/");
        if (segments[segments.length - 1].equals(ANY_DEPTH))
        {
            return segments;
        }
        final String[] extended = Arrays.copyOf(segments, segments.length + 1);
        extended[segments.length] = ANY_DEPTH;
        return extended;
    }

    private static String normalise(final String pattern)
    {
        if (pattern == null)
        {
            throw new IllegalArgumentException("a path pattern must not be null");
        }
        if (pattern.startsWith("/"))
        {
            throw new IllegalArgumentException("path pattern '" + pattern + "' is absolute; claims are relative " +
                "to the workflow's directory");
        }
        final List<String> kept = new ArrayList<>();
        for (final String segment : pattern.strip().split("/"))
        {
            if (segment.equals(".."))
            {
                throw new IllegalArgumentException("path pattern '" + pattern + "' climbs out with '..'; claims " +
                    "stay inside the workflow's directory");
            }
            if (!segment.isEmpty() && !segment.equals("."))
            {
                kept.add(segment);
            }
        }
        return kept.isEmpty() ? ANY_DEPTH : String.join("/", kept);
    }
}
