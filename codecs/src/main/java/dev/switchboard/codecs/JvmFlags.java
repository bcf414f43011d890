/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.codecs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JVM flags Switchboard's JVMs start with, read from {@code jvm.flags} at the root of the repository: the one
 * list, which the poms and {@code ./switchboard} read too. This module's jar carries a copy of the file
 * ({@code dev/switchboard/codecs/jvm.flags}), so code that starts a JVM gets the same flags from a jar as from the
 * build. Each line of the file is a flag (one command-line argument) and the {@link Group groups} that need it.
 *
 * <p>Thread-safety: immutable once loaded (when this class initialises). Allocation: each call returns a new
 * unmodifiable list; nothing here is on a per-message path.
 */
public final class JvmFlags
{
    /** The file's name, at the root of the repository and beside this class in the jar. */
    public static final String FILE_NAME = "jvm.flags";

    /**
     * Who needs a flag: the second and later words of a line of {@code jvm.flags}, in lower case. The file's comments
     * say what each group is.
     */
    public enum Group
    {
        /** The router and every JVM that runs one: ./switchboard's commands, the modules' tests, JMH's host. */
        ROUTER,
        /** Agent processes Switchboard starts: native access (HIGH, futex) and Chronicle's flags (LOW). */
        AGENT,
        /** A JVM that touches an Agrona buffer, ring or counter. */
        AGRONA,
        /** A JVM that makes FFM calls (io_uring, futex, mapped inboxes). */
        NATIVE,
        /** A JVM that opens a Chronicle queue. */
        CHRONICLE,
        /** The benchmark harness's child JVMs. */
        BENCH,
        /** Maven's own JVM. */
        MAVEN;

        /**
         * @return the group's name as {@code jvm.flags} writes it.
         */
        public String fileName()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        static Group ofFileName(final String name)
        {
            for (final Group group : values())
            {
                if (group.fileName().equals(name))
                {
                    return group;
                }
            }
            return null;
        }
    }

    /**
     * One line of {@code jvm.flags}.
     *
     * @param flag   the flag, as one command-line argument.
     * @param groups who needs it; never empty.
     */
    public record Flag(String flag, Set<Group> groups)
    {
        /**
         * @param flag   the flag, as one command-line argument.
         * @param groups who needs it; never empty.
         */
        public Flag
        {
            groups = Set.copyOf(groups);
        }
    }

    private static final List<Flag> FLAGS = load();

    private JvmFlags()
    {
    }

    /**
     * @return every flag of the file, in the file's order.
     */
    public static List<Flag> all()
    {
        return FLAGS;
    }

    /**
     * @param groups who the JVM is.
     * @return the flags any of the groups needs, each once, in the file's order.
     */
    public static List<String> of(final Group... groups)
    {
        final Set<Group> wanted = groups.length == 0 ? EnumSet.noneOf(Group.class) : EnumSet.of(groups[0], groups);
        final List<String> flags = new ArrayList<>();
        for (final Flag flag : FLAGS)
        {
            if (flag.groups().stream().anyMatch(wanted::contains))
            {
                flags.add(flag.flag());
            }
        }
        return List.copyOf(flags);
    }

    /**
     * @return the flags of a JVM that runs a router ({@link Group#ROUTER}).
     */
    public static List<String> router()
    {
        return of(Group.ROUTER);
    }

    /**
     * @param modulePackage what is opened, e.g. {@code java.base/sun.nio.ch}.
     * @return the file's {@code --add-opens} flag for it, for a message that tells the user what to add.
     * @throws IllegalArgumentException when the file opens no such package.
     */
    public static String opening(final String modulePackage)
    {
        final String prefix = "--add-opens=" + modulePackage + "=";
        for (final Flag flag : FLAGS)
        {
            if (flag.flag().startsWith(prefix))
            {
                return flag.flag();
            }
        }
        throw new IllegalArgumentException(FILE_NAME + " opens no " + modulePackage);
    }

    /**
     * Parse the text of a {@code jvm.flags} file.
     *
     * @param lines the file's lines.
     * @param where the file's name, for errors.
     * @return its flags, in order.
     * @throws IllegalArgumentException naming the line, when a line is not a flag followed by known groups.
     */
    public static List<Flag> parse(final List<String> lines, final String where)
    {
        final List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] words = line.split("\\s+");
            if (!words[0].startsWith("-") || words.length < 2)
            {
                throw new IllegalArgumentException(where + ":" + (i + 1) + ": expected a flag starting with '-' and " +
                    "the groups that need it, got '" + line + "'");
            }
            final Set<Group> groups = EnumSet.noneOf(Group.class);
            for (int w = 1; w < words.length; w++)
            {
                final Group group = Group.ofFileName(words[w]);
                if (group == null)
                {
                    throw new IllegalArgumentException(where + ":" + (i + 1) + ": unknown group '" + words[w] +
                        "' (known: " + knownGroups() + ")");
                }
                groups.add(group);
            }
            flags.add(new Flag(words[0], groups));
        }
        return List.copyOf(flags);
    }

    private static String knownGroups()
    {
        final List<String> names = new ArrayList<>();
        for (final Group group : Group.values())
        {
            names.add(group.fileName());
        }
        return String.join(", ", names);
    }

    private static List<Flag> load()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream(FILE_NAME))
        {
            if (in == null)
            {
                throw new IllegalStateException(FILE_NAME + " is missing beside " + JvmFlags.class.getName() +
                    ": the codecs build copies it from the root of the repository");
            }
            final List<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                .lines().toList();
            return parse(lines, FILE_NAME);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
