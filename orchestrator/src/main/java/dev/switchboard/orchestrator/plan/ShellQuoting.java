/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.plan;

import java.util.regex.Pattern;

/**
 * Words for a POSIX shell command line, as the plan prints them: a word of only safe characters as it is, any
 * other in single quotes, each {@code '} in it written {@code '\''} (close, an escaped quote, reopen). Inside single
 * quotes the shell expands nothing: no {@code $}, no backquote, no backslash, and newlines are kept.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShellQuoting
{
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting()
    {
    }

    /**
     * @param word any text, possibly empty or spanning lines.
     * @return the shell word that stands for exactly {@code word}.
     */
    public static String quote(final String word)
    {
        return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
