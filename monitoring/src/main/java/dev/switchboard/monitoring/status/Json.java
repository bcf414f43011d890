/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.monitoring.status;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON from maps, collections, strings, numbers, booleans and nulls, on one line (a server-sent event's data
 * must hold no line break). A number that is not finite is written as null: JSON has no NaN.
 *
 * <p>Stateless.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * @param value a map (keys as strings), a collection, a string, a number, a boolean or null.
     * @return it as JSON.
     * @throws IllegalArgumentException for any other type, naming it.
     */
    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    private static void write(final Object value, final StringBuilder out)
    {
        switch (value)
        {
            case null -> out.append("null");
            case String text -> string(text, out);
            case Boolean bool -> out.append(bool.booleanValue());
            case Double number -> finite(number, out);
            case Float number -> finite(number.doubleValue(), out);
            case Number number -> out.append(number);
            case Map<?, ?> map ->
            {
                out.append('{');
                boolean first = true;
                for (final Map.Entry<?, ?> entry : map.entrySet())
                {
                    if (!first)
                    {
                        out.append(',');
                    }
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case Collection<?> list ->
            {
                out.append('[');
                boolean first = true;
                for (final Object item : list)
                {
                    if (!first)
                    {
                        out.append(',');
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() +
                " as JSON: " + value);
        }
    }

    private static void finite(final double number, final StringBuilder out)
    {
        if (Double.isFinite(number))
        {
            out.append(number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long)number) :
                Double.toString(number));
        }
        else
        {
            out.append("null");
        }
    }

    private static void string(final String text, final StringBuilder out)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c"); // never "</script>" in a page that embeds it
                default ->
                {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
