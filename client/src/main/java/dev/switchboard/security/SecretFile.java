/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-deployment secret: random bytes in a file only its owner may read ({@code 0600} or {@code 0400}).
 * Registration tokens (HMAC-SHA256 over a router challenge) and per-link frame MAC keys are derived from it
 * with {@link #derive}, so the secret itself never crosses a connection.
 *
 * <p>Checks on {@link #load}: the path is a regular file and not a symbolic link (links are not followed),
 * it belongs to the user running this process, no group or other permission bit is set, and it holds between
 * {@value #MIN_BYTES} and {@value #MAX_BYTES} bytes. A file failing any check is refused with a message naming
 * the check. {@link #create} writes {@value #DEFAULT_BYTES} bytes from {@link SecureRandom} into a new file
 * created {@code 0600} (never over an existing file).
 *
 * <p>Property: {@value #PROPERTY} names the file for the router and for clients.
 *
 * <p>Thread-safety: immutable after load. Allocation: on load and derive only (control plane).
 */
public final class SecretFile
{
    /** System property naming the secret file. */
    public static final String PROPERTY = "switchboard.auth.secret.file";
    /** Fewest bytes a secret may have (128 bits). */
    public static final int MIN_BYTES = 16;
    /** Most bytes a secret may have. */
    public static final int MAX_BYTES = 4096;
    /** Bytes {@link #create} writes (256 bits). */
    public static final int DEFAULT_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final Set<PosixFilePermission> OWNER_ONLY =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path path;
    private final byte[] secret;

    private SecretFile(final Path path, final byte[] secret)
    {
        this.path = path;
        this.secret = secret;
    }

    /**
     * Reads and checks a secret file.
     *
     * @param path the file.
     * @return the secret.
     * @throws IllegalArgumentException naming the failed check, when the file is missing, a link, not a regular
     *                                  file, not owned by this user, readable by group/others, or of bad size.
     */
    public static SecretFile load(final Path path)
    {
        final PosixFileAttributes attrs;
        try
        {
            attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException("secret file " + path + " does not exist", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("secret file " + path + " cannot be read: " + ex, ex);
        }
        if (attrs.isSymbolicLink())
        {
            throw new IllegalArgumentException("secret file " + path + " is a symbolic link; links are not followed");
        }
        if (!attrs.isRegularFile())
        {
            throw new IllegalArgumentException("secret file " + path + " is not a regular file");
        }
        final String me = System.getProperty("user.name");
        if (!attrs.owner().getName().equals(me))
        {
            throw new IllegalArgumentException("secret file " + path + " belongs to " + attrs.owner().getName() +
                ", not to " + me + " who runs this process");
        }
        final Set<PosixFilePermission> perms = attrs.permissions();
        if (!OWNER_ONLY.containsAll(perms))
        {
            throw new IllegalArgumentException("secret file " + path + " has permissions " +
                PosixFilePermissions.toString(perms) + "; it must be rw------- (0600) or r-------- (0400)");
        }
        if (attrs.size() < MIN_BYTES || attrs.size() > MAX_BYTES)
        {
            throw new IllegalArgumentException("secret file " + path + " holds " + attrs.size() +
                " bytes; a secret has " + MIN_BYTES + ".." + MAX_BYTES + " bytes");
        }
        try (SeekableByteChannel channel = Files.newByteChannel(path,
            Set.<java.nio.file.OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))
        {
            final ByteBuffer buffer = ByteBuffer.allocate((int)attrs.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0)
            {
                // read fully
            }
            return new SecretFile(path, Arrays.copyOf(buffer.array(), buffer.position()));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("secret file " + path + " cannot be read: " + ex, ex);
        }
    }

    /**
     * Creates a new secret file, {@code 0600}, with {@value #DEFAULT_BYTES} random bytes.
     *
     * @param path where; must not exist (an existing file or link is never overwritten).
     * @return the secret.
     * @throws IllegalArgumentException when the file exists or cannot be written.
     */
    public static SecretFile create(final Path path)
    {
        final byte[] secret = new byte[DEFAULT_BYTES];
        new SecureRandom().nextBytes(secret);
        try (SeekableByteChannel channel = Files.newByteChannel(path,
            Set.<java.nio.file.OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(OWNER_ONLY)))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(secret);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot create secret file " + path + ": " + ex, ex);
        }
        return new SecretFile(path, secret);
    }

    /** @return where the secret was read from. */
    public Path path()
    {
        return path;
    }

    /**
     * Derives a key or token: HMAC-SHA256 keyed with the secret over {@code label}, a zero byte, then each part
     * in order, each preceded by its length (4 bytes, big-endian) so no two part lists collide.
     *
     * @param label what the result is for, e.g. {@code "register"} or {@code "link"}.
     * @param parts context, e.g. the router's challenge and the agent's name.
     * @return 32 bytes.
     */
    public byte[] derive(final String label, final byte[]... parts)
    {
        return hmac(secret, label, parts);
    }

    /**
     * HMAC-SHA256 keyed with {@code key} over {@code label}, a zero byte, then each length-prefixed part.
     *
     * @param key   the key.
     * @param label what the result is for.
     * @param parts context.
     * @return 32 bytes.
     */
    public static byte[] hmac(final byte[] key, final String label, final byte[]... parts)
    {
        try
        {
            final Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            mac.update(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            mac.update((byte)0);
            for (final byte[] part : parts)
            {
                mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
                mac.update(part);
            }
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", ex);
        }
    }

    /**
     * Compares two MACs in time independent of where they differ.
     *
     * @param expected the MAC computed here.
     * @param actual   the MAC received.
     * @return whether they are equal.
     */
    public static boolean matches(final byte[] expected, final byte[] actual)
    {
        return java.security.MessageDigest.isEqual(expected, actual);
    }

    @Override
    public String toString()
    {
        return "SecretFile[" + path + "]"; // never the secret
    }
}
