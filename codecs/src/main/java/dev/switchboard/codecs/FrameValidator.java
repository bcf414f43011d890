package dev.switchboard.codecs;

import dev.switchboard.codecs.sbe.EnvelopeDecoder;
import dev.switchboard.codecs.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Decides whether a frame received from another process can be decoded safely, before any generated decoder reads it.
 * A frame is the standard SBE message header followed by one message of the Switchboard schema:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      Block Length (uint16)    |      Template Id (uint16)     |
 *  +-------------------------------+-------------------------------+
 *  |       Schema Id (uint16)      |        Version (uint16)       |
 *  +-------------------------------+-------------------------------+
 *  |                 Block (Block Length bytes)                   ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |    Groups: blockLength:uint16 numInGroup:uint16, then entries ...
 *  +---------------------------------------------------------------+
 *  |    Var data: length (uint16 text, uint32 bytes), then bytes  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Checks, in order, each failure counted in the shared {@link FrameRejections} and remembered for
 * {@link #lastErrorText()}:
 * <ol>
 *     <li>the frame holds a whole header, else {@link FrameError#TRUNCATED};</li>
 *     <li>schema id is {@link EnvelopeDecoder#SCHEMA_ID}, else {@link FrameError#UNKNOWN_SCHEMA};</li>
 *     <li>version is at most {@link EnvelopeDecoder#SCHEMA_VERSION}, else {@link FrameError#UNSUPPORTED_VERSION};</li>
 *     <li>template id names a message of the schema, else {@link FrameError#UNKNOWN_TEMPLATE};</li>
 *     <li>the frame is at most the maximum frame length, else {@link FrameError#TOO_LARGE};</li>
 *     <li>the block is at least as long as the schema's block for that version, else {@link FrameError#MALFORMED},
 *     and fits in the frame, else {@link FrameError#TRUNCATED};</li>
 *     <li>every enum field holds a value the schema defines, else {@link FrameError#MALFORMED};</li>
 *     <li>every group and variable-length field fits in the frame ({@link FrameError#TRUNCATED} if not), no length
 *     exceeds the maximum frame length ({@link FrameError#TOO_LARGE}), and no group's block is shorter than the
 *     schema's ({@link FrameError#MALFORMED});</li>
 *     <li>the message ends exactly where the frame does, else {@link FrameError#MALFORMED}: {@code length} is the
 *     frame's length as the transport delimits it, and a sender and receiver that disagree on it are a bug to see.</li>
 * </ol>
 * The walk is plain arithmetic bounded by the frame's length (no exceptions, no decoder); every loop is bounded by a
 * uint16 count, so no input makes it crash or spin. A frame that passes can be decoded with the generated decoders
 * without reading outside it.
 * <p>
 * Thread-safety: not thread-safe (it remembers the last error); use one validator per thread, sharing one
 * {@link FrameRejections}. Allocation: none in {@link #validate}, accepted or rejected; the text of an error is built
 * only when asked for.
 */
public final class FrameValidator
{
    /** Length of the SBE message header that starts every frame. */
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    /** Offset of the header's block length (uint16). */
    public static final int BLOCK_LENGTH_OFFSET = 0;
    /** Offset of the header's template id (uint16). */
    public static final int TEMPLATE_ID_OFFSET = 2;
    /** Offset of the header's schema id (uint16). */
    public static final int SCHEMA_ID_OFFSET = 4;
    /** Offset of the header's version (uint16). */
    public static final int VERSION_OFFSET = 6;

    private static final int REJECTED = -1;

    /** What exactly was wrong, for the text of the last error. */
    private enum Reason
    {
        HEADER_TOO_SHORT,
        UNKNOWN_SCHEMA,
        VERSION_TOO_NEW,
        UNKNOWN_TEMPLATE,
        FRAME_TOO_LARGE,
        BLOCK_TOO_SHORT,
        BLOCK_BEYOND_FRAME,
        ENUM_VALUE_UNKNOWN,
        GROUP_HEADER_BEYOND_FRAME,
        GROUP_BLOCK_TOO_SHORT,
        ENTRY_BEYOND_FRAME,
        LENGTH_BEYOND_FRAME,
        DATA_TOO_LARGE,
        DATA_BEYOND_FRAME,
        TRAILING_BYTES
    }

    private final int maxFrameLength;
    private final FrameRejections rejections;

    private FrameError lastError;
    private Reason lastReason;
    private MessageLayout lastMessage;
    private String lastSubject;
    private String lastType;
    private long lastValue;
    private long lastLimit;
    private int lastEntry;
    private int lastEntryCount;

    /**
     * A validator for frames of at most {@code maxFrameLength} bytes.
     *
     * @param maxFrameLength largest frame accepted, from {@link #HEADER_LENGTH} to
     *                       {@link WireLimits#MAX_FRAME_LENGTH}; usually the transport's maximum message length.
     * @param rejections     counters to increment on each rejection, possibly shared with other validators.
     */
    public FrameValidator(final int maxFrameLength, final FrameRejections rejections)
    {
        if (maxFrameLength < HEADER_LENGTH || maxFrameLength > WireLimits.MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("maxFrameLength must be in [" + HEADER_LENGTH + ", " +
                WireLimits.MAX_FRAME_LENGTH + "] (WireLimits.MAX_FRAME_LENGTH), got " + maxFrameLength);
        }

        this.maxFrameLength = maxFrameLength;
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    /**
     * Largest frame this validator accepts.
     *
     * @return maximum frame length in bytes.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * The counters this validator increments.
     *
     * @return the rejection counters.
     */
    public FrameRejections rejections()
    {
        return rejections;
    }

    /**
     * Check one frame. Allocates nothing.
     *
     * @param buffer holding the frame.
     * @param offset of the message header.
     * @param length of the frame, as the transport delimits it.
     * @return the template id ({@code > 0}) if the frame may be decoded, else {@link FrameError#code()} of the
     * reason ({@code -1} to {@code -6}; see {@link FrameError#ofCode(int)}), the rejection counted and its details
     * kept for {@link #lastError()} and {@link #lastErrorText()}.
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside the buffer: that is the
     *                                   caller's bug, not the sender's.
     */
    public int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        lastMessage = null;

        if (length < HEADER_LENGTH)
        {
            return reject(FrameError.TRUNCATED, Reason.HEADER_TOO_SHORT, null, length, HEADER_LENGTH);
        }

        final int schemaId = uint16(buffer, offset + SCHEMA_ID_OFFSET);
        if (EnvelopeDecoder.SCHEMA_ID != schemaId)
        {
            return reject(FrameError.UNKNOWN_SCHEMA, Reason.UNKNOWN_SCHEMA, null, schemaId, EnvelopeDecoder.SCHEMA_ID);
        }

        final int version = uint16(buffer, offset + VERSION_OFFSET);
        if (version > EnvelopeDecoder.SCHEMA_VERSION)
        {
            return reject(
                FrameError.UNSUPPORTED_VERSION, Reason.VERSION_TOO_NEW, null, version, EnvelopeDecoder.SCHEMA_VERSION);
        }

        final int templateId = uint16(buffer, offset + TEMPLATE_ID_OFFSET);
        final MessageLayout message = MessageLayout.forTemplate(templateId);
        if (null == message)
        {
            return reject(
                FrameError.UNKNOWN_TEMPLATE, Reason.UNKNOWN_TEMPLATE, null, templateId, EnvelopeDecoder.SCHEMA_ID);
        }
        lastMessage = message;

        if (length > maxFrameLength)
        {
            return reject(FrameError.TOO_LARGE, Reason.FRAME_TOO_LARGE, null, length, maxFrameLength);
        }

        final int blockLength = uint16(buffer, offset + BLOCK_LENGTH_OFFSET);
        final int minBlockLength = message.minBlockLength(version);
        if (blockLength < minBlockLength)
        {
            return reject(FrameError.MALFORMED, Reason.BLOCK_TOO_SHORT, null, blockLength, minBlockLength);
        }

        final int blockOffset = offset + HEADER_LENGTH;
        final int end = offset + length;
        if (blockLength > end - blockOffset)
        {
            return reject(FrameError.TRUNCATED, Reason.BLOCK_BEYOND_FRAME, null, blockLength, end - blockOffset);
        }

        final int messageEnd = EnvelopeDecoder.TEMPLATE_ID == templateId ?
            walkEnvelope(buffer, message, blockOffset, blockLength, end, version) :
            walk(buffer, message, blockOffset, blockLength, end, version);
        if (REJECTED == messageEnd)
        {
            return lastError.code();
        }

        if (messageEnd != end)
        {
            return reject(FrameError.MALFORMED, Reason.TRAILING_BYTES, null, messageEnd - offset, length);
        }

        lastError = null;
        lastReason = null;

        return templateId;
    }

    /**
     * Why the last frame was rejected.
     *
     * @return the error, or {@code null} if the last frame validated was accepted or none was validated yet.
     */
    public FrameError lastError()
    {
        return lastError;
    }

    /**
     * The last rejection in words: what was wrong, the limit, the value seen; e.g.
     * {@code frame rejected (Envelope): truncated: header says payload is 4096 bytes but only 12 remain}.
     * Allocates the text.
     *
     * @return the description, or "no frame rejected" if the last frame was accepted.
     */
    public String lastErrorText()
    {
        return describeLastError(new StringBuilder(128)).toString();
    }

    /**
     * Append the text of {@link #lastErrorText()} to a builder, allocating nothing if it has room.
     *
     * @param builder to append to.
     * @return the builder.
     */
    public StringBuilder describeLastError(final StringBuilder builder)
    {
        if (null == lastError)
        {
            return builder.append("no frame rejected");
        }

        builder.append("frame rejected");
        if (null != lastMessage)
        {
            builder.append(" (").append(lastMessage.name).append(')');
        }
        builder.append(": ");

        final long value = lastValue;
        final long limit = lastLimit;
        switch (lastReason)
        {
            case HEADER_TOO_SHORT -> builder.append("truncated: ").append(value)
                .append(" bytes is shorter than the ").append(limit).append("-byte message header");
            case UNKNOWN_SCHEMA -> builder.append("schema id ").append(value)
                .append(" is not Switchboard's ").append(limit);
            case VERSION_TOO_NEW -> builder.append("version ").append(value)
                .append(" is newer than this decoder's ").append(limit);
            case UNKNOWN_TEMPLATE -> builder.append("template id ").append(value)
                .append(" is not a message of schema ").append(limit);
            case FRAME_TOO_LARGE -> builder.append("too large: ").append(value)
                .append(" bytes exceeds the maximum frame length ").append(limit);
            case BLOCK_TOO_SHORT -> builder.append("malformed: block length ").append(value)
                .append(" is shorter than the schema's ").append(limit);
            case BLOCK_BEYOND_FRAME -> builder.append("truncated: header says the block is ").append(value)
                .append(" bytes but only ").append(limit).append(" remain");
            case ENUM_VALUE_UNKNOWN -> builder.append("malformed: ").append(lastSubject).append(" value ")
                .append(value).append(" is not a valid ").append(lastType);
            case GROUP_HEADER_BEYOND_FRAME -> builder.append("truncated: group ").append(lastSubject)
                .append(" needs a ").append(value).append("-byte header but only ").append(limit).append(" remain");
            case GROUP_BLOCK_TOO_SHORT -> builder.append("malformed: group ").append(lastSubject)
                .append(" block length ").append(value).append(" is shorter than the schema's ").append(limit);
            case ENTRY_BEYOND_FRAME -> builder.append("truncated: entry ").append(lastEntry).append(" of ")
                .append(lastEntryCount).append(" in group ").append(lastSubject).append(" needs ").append(value)
                .append(" bytes but only ").append(limit).append(" remain");
            case LENGTH_BEYOND_FRAME -> builder.append("truncated: the length of ").append(lastSubject)
                .append(" needs ").append(value).append(" bytes but only ").append(limit).append(" remain");
            case DATA_TOO_LARGE -> builder.append("too large: header says ").append(lastSubject).append(" is ")
                .append(value).append(" bytes, which exceeds the maximum frame length ").append(limit);
            case DATA_BEYOND_FRAME -> builder.append("truncated: header says ").append(lastSubject).append(" is ")
                .append(value).append(" bytes but only ").append(limit).append(" remain");
            case TRAILING_BYTES -> builder.append("malformed: the message ends after ").append(value)
                .append(" bytes but the frame is ").append(limit).append(" bytes");
        }

        return builder;
    }

    /**
     * The Envelope, the one message on the data path, by explicit arithmetic: fixed block, enum fields, then the
     * uint32 payload length, which must fit in the frame.
     */
    private int walkEnvelope(
        final DirectBuffer buffer,
        final MessageLayout envelope,
        final int blockOffset,
        final int blockLength,
        final int end,
        final int version)
    {
        if (!checkEnums(buffer, envelope, blockOffset, blockLength, version))
        {
            return REJECTED;
        }

        final MessageLayout.Part payload = envelope.parts[0];
        int position = blockOffset + blockLength;
        if (MessageLayout.Kind.VAR_DATA.headerLength > end - position)
        {
            return rejectPart(
                FrameError.TRUNCATED, Reason.LENGTH_BEYOND_FRAME, payload, payload.kind().headerLength, end - position);
        }

        final long payloadLength = buffer.getInt(position, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        position += MessageLayout.Kind.VAR_DATA.headerLength;
        if (payloadLength > maxFrameLength)
        {
            return rejectPart(FrameError.TOO_LARGE, Reason.DATA_TOO_LARGE, payload, payloadLength, maxFrameLength);
        }

        if (payloadLength > end - position)
        {
            return rejectPart(FrameError.TRUNCATED, Reason.DATA_BEYOND_FRAME, payload, payloadLength, end - position);
        }

        return position + (int)payloadLength;
    }

    /**
     * A message or group entry: its block's enum fields, then its groups and variable-length fields in order.
     *
     * @return where it ends, or {@link #REJECTED}.
     */
    private int walk(
        final DirectBuffer buffer,
        final MessageLayout layout,
        final int blockOffset,
        final int blockLength,
        final int end,
        final int version)
    {
        if (!checkEnums(buffer, layout, blockOffset, blockLength, version))
        {
            return REJECTED;
        }

        int position = blockOffset + blockLength;
        for (final MessageLayout.Part part : layout.parts)
        {
            if (part.sinceVersion() > version)
            {
                continue;
            }

            position = MessageLayout.Kind.GROUP == part.kind() ?
                walkGroup(buffer, part, position, end, version) :
                skipVarData(buffer, part, position, end);
            if (REJECTED == position)
            {
                return REJECTED;
            }
        }

        return position;
    }

    private int walkGroup(
        final DirectBuffer buffer, final MessageLayout.Part group, final int start, final int end, final int version)
    {
        final int headerLength = MessageLayout.Kind.GROUP.headerLength;
        if (headerLength > end - start)
        {
            return rejectPart(FrameError.TRUNCATED, Reason.GROUP_HEADER_BEYOND_FRAME, group, headerLength, end - start);
        }

        final int blockLength = uint16(buffer, start);
        final int count = uint16(buffer, start + 2);
        final MessageLayout entry = group.entry();
        final int minBlockLength = entry.minBlockLength(version);
        if (blockLength < minBlockLength)
        {
            return rejectPart(FrameError.MALFORMED, Reason.GROUP_BLOCK_TOO_SHORT, group, blockLength, minBlockLength);
        }

        int position = start + headerLength;
        for (int i = 0; i < count; i++)
        {
            if (blockLength > end - position)
            {
                lastEntry = i;
                lastEntryCount = count;
                return rejectPart(FrameError.TRUNCATED, Reason.ENTRY_BEYOND_FRAME, group, blockLength, end - position);
            }

            position = walk(buffer, entry, position, blockLength, end, version);
            if (REJECTED == position)
            {
                return REJECTED;
            }
        }

        return position;
    }

    private int skipVarData(final DirectBuffer buffer, final MessageLayout.Part part, final int start, final int end)
    {
        final int headerLength = part.kind().headerLength;
        if (headerLength > end - start)
        {
            return rejectPart(FrameError.TRUNCATED, Reason.LENGTH_BEYOND_FRAME, part, headerLength, end - start);
        }

        final long dataLength = MessageLayout.Kind.VAR_STRING == part.kind() ?
            uint16(buffer, start) : buffer.getInt(start, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final int position = start + headerLength;
        if (dataLength > maxFrameLength)
        {
            return rejectPart(FrameError.TOO_LARGE, Reason.DATA_TOO_LARGE, part, dataLength, maxFrameLength);
        }

        if (dataLength > end - position)
        {
            return rejectPart(FrameError.TRUNCATED, Reason.DATA_BEYOND_FRAME, part, dataLength, end - position);
        }

        return position + (int)dataLength;
    }

    private boolean checkEnums(
        final DirectBuffer buffer,
        final MessageLayout layout,
        final int blockOffset,
        final int blockLength,
        final int version)
    {
        for (final MessageLayout.EnumField field : layout.enumFields)
        {
            if (field.sinceVersion() <= version && field.offset() + field.length() <= blockLength)
            {
                final int index = blockOffset + field.offset();
                final int value = 1 == field.length() ? buffer.getByte(index) & 0xFF : uint16(buffer, index);
                if (!field.isValid(value))
                {
                    lastType = field.typeName();
                    reject(FrameError.MALFORMED, Reason.ENUM_VALUE_UNKNOWN, field.name(), value, 0);
                    return false;
                }
            }
        }

        return true;
    }

    private int rejectPart(
        final FrameError error, final Reason reason, final MessageLayout.Part part, final long value, final long limit)
    {
        reject(error, reason, part.name(), value, limit);
        return REJECTED;
    }

    private int reject(
        final FrameError error, final Reason reason, final String subject, final long value, final long limit)
    {
        lastError = error;
        lastReason = reason;
        lastSubject = subject;
        lastValue = value;
        lastLimit = limit;
        rejections.increment(error);

        return error.code();
    }

    private static int uint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, LITTLE_ENDIAN) & 0xFFFF;
    }
}
