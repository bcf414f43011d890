/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.router.access;

import java.util.Arrays;

/**
 * A list of glob patterns over names (agents, topics, groups, queues): {@code *} matches any run of characters,
 * {@code ?} exactly one, everything else itself. A list matches a name when any of its patterns does.
 *
 * <p>Thread-safety: immutable. Allocation: none in {@link #matches}, so the router may test a topic name per
 * published frame.
 */
public final class Glob
{
    /** Matches every name. */
    public static final Glob ANY = new Glob(new String[] {"*"});
    /** Matches no name. */
    public static final Glob NONE = new Glob(new String[0]);

    private final String[] patterns;
    private final boolean any;

    private Glob(final String[] patterns)
    {
        this.patterns = patterns;
        boolean all = false;
        for (final String p : patterns)
        {
            all |= "*".equals(p);
        }
        this.any = all;
    }

    /**
     * @param csv comma-separated patterns; {@code *} alone for everything, {@code none} or empty for nothing.
     * @return the list.
     */
    public static Glob of(final String csv)
    {
        final String trimmed = csv.trim();
        if (trimmed.isEmpty() || "none".equalsIgnoreCase(trimmed))
        {
            return NONE;
        }
        final String[] parts = Arrays.stream(trimmed.split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .toArray(String[]::new);
        return new Glob(parts);
    }

    /** @return true when the list matches every name. */
    public boolean isAny()
    {
        return any;
    }

    /** @return true when the list matches nothing. */
    public boolean isNone()
    {
        return patterns.length == 0;
    }

    /**
     * @param name to test.
     * @return whether any pattern matches the whole name.
     */
    public boolean matches(final CharSequence name)
    {
        if (any)
        {
            return true;
        }
        for (final String p : patterns)
        {
            if (matches(p, name))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * One pattern against one name, iteratively, backtracking to the last {@code *} only: linear in practice,
     * never recursive, no allocation.
     *
     * @param pattern the glob.
     * @param name    the text.
     * @return whether the pattern matches all of the name.
     */
    public static boolean matches(final String pattern, final CharSequence name)
    {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        final int pl = pattern.length();
        final int nl = name.length();
        while (n < nl)
        {
            if (p < pl && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n)))
            {
                p++;
                n++;
            }
            else if (p < pl && pattern.charAt(p) == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pl && pattern.charAt(p) == '*')
        {
            p++;
        }
        return p == pl;
    }

    @Override
    public String toString()
    {
        return patterns.length == 0 ? "none" : String.join(",", patterns);
    }
}
