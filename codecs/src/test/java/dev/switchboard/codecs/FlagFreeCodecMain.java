package dev.switchboard.codecs;

import dev.switchboard.codecs.fuzz.SampleMessage;
import java.lang.foreign.Arena;

/**
 * Run by {@link FlagFreeJvmTest} in a JVM started with no options at all: encodes, validates and decodes every message
 * of the schema through a {@link SegmentBuffer} over Arena memory, so any reach for {@code jdk.internal.misc.Unsafe}
 * (an {@link IllegalAccessError}) or any JVM warning on that path shows up in the child's exit code or stderr.
 */
public final class FlagFreeCodecMain
{
    /** The line printed on success. */
    static final String SUCCESS_LINE = "flag-free codecs OK: " + SampleMessage.values().length +
        " message types encoded, validated and decoded over Arena memory";

    private FlagFreeCodecMain()
    {
    }

    /**
     * Check every message; exit 0 and print {@link #SUCCESS_LINE}, or let the failure escape (exit 1).
     *
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        final FrameRejections rejections = new FrameRejections();
        final FrameValidator validator = new FrameValidator(4096, rejections);
        try (Arena arena = Arena.ofConfined())
        {
            final SegmentBuffer buffer = SegmentBuffer.allocate(arena, 4096);
            for (final SampleMessage message : SampleMessage.values())
            {
                final int offset = 3;
                final int length = message.encode(buffer, offset);
                final int templateId = validator.validate(buffer, offset, length);
                if (templateId != message.templateId())
                {
                    throw new IllegalStateException(message + ": " + validator.lastErrorText());
                }
                message.verify(buffer, offset, length);
            }
        }

        System.out.println(SUCCESS_LINE);
    }
}
