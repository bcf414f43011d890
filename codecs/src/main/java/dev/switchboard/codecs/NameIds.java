package dev.switchboard.codecs;

import org.agrona.DirectBuffer;

/**
 * The stable 64-bit id of a topic, group or queue name, carried in {@code targetId}, {@code groupId} and friends so
 * that no frame on the data path carries a name.
 * <p>
 * The id is FNV-1a 64 over the name's UTF-8 bytes, with 0 (reserved for "no target", e.g. {@code ALL}) mapped to 1.
 * It depends on nothing but those bytes, so it is the same in every process, on every run, in every language. The C
 * equivalent is:
 * <pre>{@code
 * uint64_t switchboard_name_id(const uint8_t *utf8, size_t length)
 * {
 *     uint64_t hash = 0xcbf29ce484222325ULL;          // FNV-1a 64 offset basis
 *     for (size_t i = 0; i < length; i++)
 *     {
 *         hash ^= utf8[i];
 *         hash *= 0x100000001b3ULL;                     // FNV-1a 64 prime
 *     }
 *     return 0 == hash ? 1 : hash;
 * }
 * }</pre>
 * Two names can share an id. The router keeps the name next to each id it has seen (names travel in the control
 * messages: Subscribe, JoinGroup...) and refuses a second name for an id it already holds, so a collision is reported
 * when the second name is introduced, never silently merged.
 * <p>
 * Thread-safety: stateless. Allocation: none; {@link #of(String)} hashes the UTF-8 encoding without materialising
 * it, byte for byte as {@code name.getBytes(UTF_8)} would encode it (an unpaired surrogate counts as {@code '?'}).
 */
public final class NameIds
{
    /** FNV-1a 64 offset basis. */
    public static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    /** FNV-1a 64 prime. */
    public static final long FNV_PRIME = 0x100000001b3L;

    private NameIds()
    {
    }

    /**
     * Id of a name.
     *
     * @param name topic, group or queue name.
     * @return FNV-1a 64 of the name's UTF-8 bytes, never 0.
     */
    public static long of(final String name)
    {
        final int length = name.length();
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < length; i++)
        {
            final char c = name.charAt(i);
            if (c < 0x80)
            {
                hash = mix(hash, c);
            }
            else if (c < 0x800)
            {
                hash = mix(hash, 0xC0 | (c >> 6));
                hash = mix(hash, 0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(name.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, name.charAt(++i));
                hash = mix(hash, 0xF0 | (codePoint >> 18));
                hash = mix(hash, 0x80 | ((codePoint >> 12) & 0x3F));
                hash = mix(hash, 0x80 | ((codePoint >> 6) & 0x3F));
                hash = mix(hash, 0x80 | (codePoint & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                hash = mix(hash, '?');
            }
            else
            {
                hash = mix(hash, 0xE0 | (c >> 12));
                hash = mix(hash, 0x80 | ((c >> 6) & 0x3F));
                hash = mix(hash, 0x80 | (c & 0x3F));
            }
        }

        return nonZero(hash);
    }

    /**
     * Id of a name held as UTF-8 bytes in a buffer, e.g. the {@code name} field of a decoded control message.
     *
     * @param buffer holding the name.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return FNV-1a 64 of the bytes, never 0; equal to {@link #of(String)} of the decoded name.
     */
    public static long of(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        long hash = FNV_OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            hash = mix(hash, buffer.getByte(i) & 0xFF);
        }

        return nonZero(hash);
    }

    private static long mix(final long hash, final int octet)
    {
        return (hash ^ octet) * FNV_PRIME;
    }

    private static long nonZero(final long hash)
    {
        return 0 == hash ? 1 : hash;
    }
}
