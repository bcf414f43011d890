package dev.switchboard.ipc.durable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.switchboard.codecs.WireLimits;
import dev.switchboard.ipc.files.OwnedFiles;
import dev.switchboard.ipc.files.RefusedFileException;

/**
 * Where LOW's queues live, by name: the part of the durable layout that needs no Chronicle class, so that an agent
 * without the optional Chronicle Queue dependency can still ask whether a queue exists for it ({@link LowTransport})
 * without loading {@link DurableQueues}, which links to Chronicle.
 *
 * <p>Thread-safety: stateless. Allocation: the strings and paths returned.
 */
public final class DurableNames
{
    private static final char ESCAPE = '%';
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Longest directory name this class produces (Linux allows 255 bytes). */
    static final int MAX_DIRECTORY_NAME_LENGTH = 200;
    /** Escaped names longer than {@link #MAX_DIRECTORY_NAME_LENGTH} keep this many characters, then a digest. */
    private static final int LONG_NAME_PREFIX_LENGTH = 120;
    private static final char DIGEST_SEPARATOR = '~';

    private DurableNames()
    {
    }

    /**
     * Where the queue of a destination lives, without creating anything.
     *
     * @param dataDir         the LOW data directory.
     * @param destinationName an agent name (1 to {@link WireLimits#MAX_NAME_LENGTH} UTF-8 bytes).
     * @return {@code dataDir/<sanitised name>}: always a direct child of the data dir.
     * @throws IllegalArgumentException when the name is empty or too long.
     */
    public static Path queuePath(final Path dataDir, final String destinationName)
    {
        try
        {
            // Cannot fail given sanitise(); kept because a path outside the data dir would be a security bug.
            return OwnedFiles.resolveInside(dataDir, sanitise(destinationName));
        }
        catch (final RefusedFileException ex)
        {
            throw new IllegalArgumentException("LOW destination '" + destinationName + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * Turn an agent name into a directory name: {@code [A-Za-z0-9._-]} are kept, every other UTF-8 byte
     * becomes {@code %XX} (upper-case hex), and a leading {@code .} is escaped too, so {@code "."},
     * {@code ".."} and hidden names cannot occur. The mapping is one-to-one. An escaped name longer than
     * {@value #MAX_DIRECTORY_NAME_LENGTH} characters (possible for names of many non-ASCII characters)
     * becomes its first 120 characters, {@code ~}, and the SHA-256 of the name in hex: still unique but
     * for a digest collision, and still within the file-name limit.
     *
     * @param name an agent name.
     * @return the directory name.
     * @throws IllegalArgumentException when the name is null, empty or longer than
     *                                  {@link WireLimits#MAX_NAME_LENGTH} UTF-8 bytes.
     */
    public static String sanitise(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("LOW destination name must not be empty");
        }
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > WireLimits.MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("LOW destination name longer than " + WireLimits.MAX_NAME_LENGTH +
                " UTF-8 bytes: " + utf8.length);
        }
        final StringBuilder sb = new StringBuilder(utf8.length * 3);
        for (int i = 0; i < utf8.length; i++)
        {
            final int b = utf8[i] & 0xFF;
            final boolean plain = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
                b == '-' || b == '_' || (b == '.' && i > 0);
            if (plain)
            {
                sb.append((char)b);
            }
            else
            {
                sb.append(ESCAPE).append(HEX[b >>> 4]).append(HEX[b & 0xF]);
            }
        }
        if (sb.length() <= MAX_DIRECTORY_NAME_LENGTH)
        {
            return sb.toString();
        }
        sb.setLength(LONG_NAME_PREFIX_LENGTH);
        sb.append(DIGEST_SEPARATOR);
        try
        {
            for (final byte b : MessageDigest.getInstance("SHA-256").digest(utf8))
            {
                sb.append(HEX[(b >>> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every JDK", ex);
        }
        return sb.toString();
    }
}
