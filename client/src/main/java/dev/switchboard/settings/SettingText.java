package dev.switchboard.settings;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Parses the text of a setting (a system property's value, read by a component's {@code *Context}) into a value, or
 * gives the default when the setting is unset. A value that is present but not of its type fails at once, with an
 * {@link IllegalArgumentException} naming the setting and the text: a typo never turns silently into the default (as
 * {@link Integer#getInteger(String, int)} would let it). Ranges are not checked here but by the context's
 * {@code conclude()}, which knows the limits.
 *
 * <p>Numbers are decimal, with optional surrounding blanks; booleans are {@code true} or {@code false}, in any case.
 *
 * <p>Thread-safety: stateless. Allocation: only on failure (the message).
 */
public final class SettingText
{
    private SettingText()
    {
    }

    /**
     * @param name         the setting's name, for the message.
     * @param text         its text, or null when unset.
     * @param defaultValue the value when unset.
     * @return the value.
     * @throws IllegalArgumentException when the text is not a whole number in the range of {@code int}.
     */
    public static int parseInt(final String name, final String text, final int defaultValue)
    {
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number: '" + text + "'", ex);
        }
    }

    /**
     * @param name         the setting's name, for the message.
     * @param text         its text, or null when unset.
     * @param defaultValue the value when unset.
     * @return the value.
     * @throws IllegalArgumentException when the text is not a whole number in the range of {@code long}.
     */
    public static long parseLong(final String name, final String text, final long defaultValue)
    {
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number: '" + text + "'", ex);
        }
    }

    /**
     * @param name         the setting's name, for the message.
     * @param text         its text, or null when unset.
     * @param defaultValue the value when unset.
     * @return the value.
     * @throws IllegalArgumentException when the text is neither {@code true} nor {@code false}.
     */
    public static boolean parseBoolean(final String name, final String text, final boolean defaultValue)
    {
        if (null == text)
        {
            return defaultValue;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: '" + text + "'");
        };
    }

    /**
     * @param text a path's text, or null when unset.
     * @return the path, or null when the text is unset or blank (a blank setting means "none").
     */
    public static Path parsePath(final String text)
    {
        return null == text || text.isBlank() ? null : Path.of(text);
    }

    /**
     * @param text         a path's text, or null when unset.
     * @param defaultValue the path when unset or blank.
     * @return the path.
     */
    public static Path parsePath(final String text, final Path defaultValue)
    {
        final Path path = parsePath(text);
        return null == path ? defaultValue : path;
    }
}
