/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who is at the other end of a connection, as the kernel says ({@code SO_PEERCRED} on a Unix socket): the
 * user and primary group, by name and number. Supplementary groups are not part of {@code SO_PEERCRED} and
 * are not considered.
 *
 * @param user      user name (the number as text when the user has no passwd entry).
 * @param uid       user id, -1 when unknown.
 * @param group     primary group name.
 * @param gid       primary group id, -1 when unknown.
 * @param inProcess true for a connection from code in the router's own JVM ({@code InProcessHub}).
 */
public record PeerCredentials(String user, int uid, String group, int gid, boolean inProcess)
{
    /** A connection from trusted code inside the router's JVM. */
    public static final PeerCredentials IN_PROCESS =
        new PeerCredentials(System.getProperty("user.name"), -1, "", -1, true);

    /** A connection whose peer could not be identified; a policy never admits it. */
    public static final PeerCredentials UNKNOWN = new PeerCredentials("", -1, "", -1, false);

    /**
     * Credentials from names, resolving the numbers through {@code /etc/passwd} and {@code /etc/group}
     * (a name that is a number is that number). Allocates: call once per connection.
     *
     * @param user  user name.
     * @param group group name.
     * @return the credentials.
     */
    public static PeerCredentials of(final String user, final String group)
    {
        return new PeerCredentials(user, idOf(Path.of("/etc/passwd"), user), group, idOf(Path.of("/etc/group"), group),
            false);
    }

    /**
     * @return the credentials of the process running this JVM.
     */
    public static PeerCredentials self()
    {
        final String user = System.getProperty("user.name");
        return new PeerCredentials(user, idOf(Path.of("/etc/passwd"), user), "", -1, false);
    }

    /**
     * @return whether these are the credentials of a known peer (not {@link #UNKNOWN}).
     */
    public boolean isKnown()
    {
        return inProcess || !user.isEmpty();
    }

    /**
     * @return a short description for error texts and logs, e.g. {@code user alice (uid 1000), group staff}.
     */
    public String describe()
    {
        if (inProcess)
        {
            return "in-process connection";
        }
        if (!isKnown())
        {
            return "unidentified peer";
        }
        return "user " + user + " (uid " + uid + "), group " + group + " (gid " + gid + ")";
    }

    private static int idOf(final Path file, final String name)
    {
        if (name == null || name.isEmpty())
        {
            return -1;
        }
        if (name.chars().allMatch(Character::isDigit))
        {
            try
            {
                return Integer.parseInt(name);
            }
            catch (final NumberFormatException ex)
            {
                return -1;
            }
        }
        try
        {
            final List<String> lines = Files.readAllLines(file);
            for (final String line : lines)
            {
                final String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(name))
                {
                    return Integer.parseInt(f[2]);
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
        return -1;
    }
}
