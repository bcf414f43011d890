/*
 * Decoding received frames with the C codecs SBE generates from the shared schema (header-only, from
 * codecs/target/generated-c; never hand-written). Every length is checked before it is used: a malformed frame is a
 * negative result, never a read outside the frame.
 */
#include <string.h>

#include "sb_internal.h"

#include "sb_internal.h"
#include "sb_codecs.h"

int sb_frame_header(const uint8_t *frame, size_t length, uint16_t *template_id, uint16_t *block_length,
    uint16_t *version)
{
    if (NULL == frame || length < SB_MESSAGE_HEADER_LENGTH)
    {
        return SB_FRAME_TRUNCATED;
    }
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    if (!dev_switchboard_codecs_sbe_messageHeader_wrap(&header, (char *)frame, 0,
        dev_switchboard_codecs_sbe_messageHeader_sbe_schema_version(), length))
    {
        return SB_FRAME_TRUNCATED;
    }
    if (SB_SCHEMA_ID != dev_switchboard_codecs_sbe_messageHeader_schemaId(&header))
    {
        return SB_FRAME_UNKNOWN_SCHEMA;
    }
    const uint16_t v = dev_switchboard_codecs_sbe_messageHeader_version(&header);
    if (v > SB_SCHEMA_VERSION)
    {
        return SB_FRAME_UNSUPPORTED_VERSION;
    }
    *template_id = dev_switchboard_codecs_sbe_messageHeader_templateId(&header);
    *block_length = dev_switchboard_codecs_sbe_messageHeader_blockLength(&header);
    *version = v;
    if ((size_t)SB_MESSAGE_HEADER_LENGTH + *block_length > length)
    {
        return SB_FRAME_TRUNCATED;
    }
    return 0;
}

static int decode_direct(int32_t type_id, const uint8_t *frame, size_t length, sb_message *message)
{
    if (length < SB_DIRECT_FRAME_LENGTH)
    {
        return SB_FRAME_TRUNCATED;
    }
    struct dev_switchboard_codecs_sbe_directFrame direct = {0};
    if (!dev_switchboard_codecs_sbe_directFrame_wrap_for_decode(&direct, (char *)frame, 0,
        dev_switchboard_codecs_sbe_directFrame_sbe_block_length(), SB_SCHEMA_VERSION, length))
    {
        return SB_FRAME_TRUNCATED;
    }
    if (SB_DIRECT_FRAME_LAYOUT_VERSION != dev_switchboard_codecs_sbe_directFrame_layoutVersion(&direct))
    {
        return SB_FRAME_MALFORMED;
    }
    enum dev_switchboard_codecs_sbe_pattern pattern;
    enum dev_switchboard_codecs_sbe_priority priority;
    if (!dev_switchboard_codecs_sbe_directFrame_pattern(&direct, &pattern) ||
        !dev_switchboard_codecs_sbe_directFrame_priority(&direct, &priority))
    {
        return SB_FRAME_MALFORMED;
    }
    message->source_agent_id = dev_switchboard_codecs_sbe_directFrame_sourceAgentId(&direct);
    message->target_id = 0;
    message->correlation_id = dev_switchboard_codecs_sbe_directFrame_correlationId(&direct);
    message->timestamp_ns = 0;
    message->flags = dev_switchboard_codecs_sbe_directFrame_flags(&direct);
    message->target_kind = SB_TARGET_AGENT;
    message->pattern = (sb_pattern)pattern;
    message->priority = (sb_priority)priority;
    message->tier = (sb_tier)(type_id & SB_FRAME_TYPE_TIER_MASK);
    message->payload = frame + SB_DIRECT_FRAME_LENGTH;
    message->payload_length = length - SB_DIRECT_FRAME_LENGTH;
    return 0;
}

int sb_decode_envelope(const uint8_t *frame, size_t length, uint16_t block_length, uint16_t version,
    sb_message *message)
{
    if (block_length < dev_switchboard_codecs_sbe_envelope_sbe_block_length())
    {
        return SB_FRAME_MALFORMED;
    }
    struct dev_switchboard_codecs_sbe_envelope envelope = {0};
    if (!dev_switchboard_codecs_sbe_envelope_wrap_for_decode(&envelope, (char *)frame, SB_MESSAGE_HEADER_LENGTH,
        block_length, version, length))
    {
        return SB_FRAME_TRUNCATED;
    }
    enum dev_switchboard_codecs_sbe_targetKind target_kind;
    enum dev_switchboard_codecs_sbe_pattern pattern;
    enum dev_switchboard_codecs_sbe_priority priority;
    if (!dev_switchboard_codecs_sbe_envelope_targetKind(&envelope, &target_kind) ||
        !dev_switchboard_codecs_sbe_envelope_pattern(&envelope, &pattern) ||
        !dev_switchboard_codecs_sbe_envelope_priority(&envelope, &priority))
    {
        return SB_FRAME_MALFORMED;
    }
    if (!SB_VAR_OK(dev_switchboard_codecs_sbe_envelope_sbe_position(&envelope),
        dev_switchboard_codecs_sbe_envelope_payload_header_length(), length))
    {
        return SB_FRAME_TRUNCATED;
    }
    struct dev_switchboard_codecs_sbe_envelope_string_view payload =
        dev_switchboard_codecs_sbe_envelope_get_payload_as_string_view(&envelope);
    if (NULL == payload.data)
    {
        return SB_FRAME_TRUNCATED;
    }
    message->source_agent_id = dev_switchboard_codecs_sbe_envelope_sourceAgentId(&envelope);
    message->target_id = dev_switchboard_codecs_sbe_envelope_targetId(&envelope);
    message->correlation_id = dev_switchboard_codecs_sbe_envelope_correlationId(&envelope);
    message->timestamp_ns = dev_switchboard_codecs_sbe_envelope_timestampNs(&envelope);
    message->flags = dev_switchboard_codecs_sbe_envelope_flags(&envelope);
    message->target_kind = (sb_target_kind)target_kind;
    message->pattern = (sb_pattern)pattern;
    message->priority = (sb_priority)priority;
    message->payload = (const uint8_t *)payload.data;
    message->payload_length = payload.length;
    return 0;
}

int sb_frame_decode(int32_t type_id, const uint8_t *frame, size_t length, sb_message *message)
{
    if (NULL == message || (NULL == frame && length > 0))
    {
        return SB_FRAME_MALFORMED;
    }
    const int32_t tier = type_id & SB_FRAME_TYPE_TIER_MASK;
    if (0 != (type_id & ~(SB_FRAME_TYPE_DIRECT_BIT | SB_FRAME_TYPE_TIER_MASK)) || tier < 1 || tier > SB_TIER_COUNT)
    {
        return SB_FRAME_UNKNOWN_TYPE;
    }
    if (0 != (type_id & SB_FRAME_TYPE_DIRECT_BIT))
    {
        return decode_direct(type_id, frame, length, message);
    }
    uint16_t template_id = 0;
    uint16_t block_length = 0;
    uint16_t version = 0;
    const int status = sb_frame_header(frame, length, &template_id, &block_length, &version);
    if (0 != status)
    {
        return status;
    }
    if (DEV_SWITCHBOARD_CODECS_SBE_ENVELOPE_SBE_TEMPLATE_ID != template_id)
    {
        return SB_FRAME_UNKNOWN_TEMPLATE;
    }
    const int decoded = sb_decode_envelope(frame, length, block_length, version, message);
    if (0 == decoded)
    {
        message->tier = (sb_tier)tier;
    }
    return decoded;
}
