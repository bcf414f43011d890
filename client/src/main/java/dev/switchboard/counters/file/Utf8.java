package dev.switchboard.counters.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 for the counters file's texts: cut to a byte limit at a character boundary.
 *
 * <p>Thread-safety: stateless. Allocation: the bytes.
 */
final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @param text     a text.
     * @param maxBytes the most bytes to keep.
     * @return its UTF-8 bytes, cut before the first character that does not fit whole.
     */
    static byte[] encode(final String text, final int maxBytes)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes)
        {
            return bytes;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--; // bytes[end] continues a character that started before it: cut before that character
        }
        return Arrays.copyOf(bytes, end);
    }
}
