/*
 * Frames: what the generated codecs encode, sb_frame_decode reads back (envelopes as the router writes them, direct
 * frames as senders write them); malformed frames are refused with their reason, never read past their end.
 */
#include <stdlib.h>
#include <string.h>

#include "sb_codecs.h"
#include "sb_test.h"

static size_t encode_envelope(char *buffer, size_t capacity, const char *payload)
{
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    struct dev_switchboard_codecs_sbe_envelope e = {0};
    CHECK(NULL != dev_switchboard_codecs_sbe_envelope_wrap_and_apply_header(&e, buffer, 0, capacity, &header));
    dev_switchboard_codecs_sbe_envelope_set_sourceAgentId(&e, 0x100000007LL);
    dev_switchboard_codecs_sbe_envelope_set_targetId(&e, 42);
    dev_switchboard_codecs_sbe_envelope_set_correlationId(&e, 99);
    dev_switchboard_codecs_sbe_envelope_set_timestampNs(&e, 123456789);
    dev_switchboard_codecs_sbe_envelope_set_flags(&e, 1);
    dev_switchboard_codecs_sbe_envelope_set_targetKind(&e, dev_switchboard_codecs_sbe_targetKind_QUEUE);
    dev_switchboard_codecs_sbe_envelope_set_pattern(&e, dev_switchboard_codecs_sbe_pattern_WORK);
    dev_switchboard_codecs_sbe_envelope_set_priority(&e, dev_switchboard_codecs_sbe_priority_NORMAL);
    CHECK(NULL != dev_switchboard_codecs_sbe_envelope_put_payload(&e, payload, (uint32_t)strlen(payload)));
    return SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_envelope_encoded_length(&e);
}

static void envelopeRoundTrips(void)
{
    char buffer[256];
    const size_t length = encode_envelope(buffer, sizeof(buffer), "work item");
    sb_message m;
    CHECK_EQ_LL(0, sb_frame_decode(SB_TIER_NORMAL, (const uint8_t *)buffer, length, &m));
    CHECK_EQ_LL(0x100000007LL, m.source_agent_id);
    CHECK_EQ_LL(42, m.target_id);
    CHECK_EQ_LL(99, m.correlation_id);
    CHECK_EQ_LL(123456789, m.timestamp_ns);
    CHECK_EQ_LL(SB_FLAG_REDELIVERY, m.flags);
    CHECK_EQ_LL(SB_TARGET_QUEUE, m.target_kind);
    CHECK_EQ_LL(SB_PATTERN_WORK, m.pattern);
    CHECK_EQ_LL(SB_PRIORITY_NORMAL, m.priority);
    CHECK_EQ_LL(SB_TIER_NORMAL, m.tier);
    CHECK_EQ_LL(9, m.payload_length);
    CHECK(0 == memcmp("work item", m.payload, 9));
}

static void directFrameRoundTrips(void)
{
    char buffer[64];
    struct dev_switchboard_codecs_sbe_directFrame f = {0};
    dev_switchboard_codecs_sbe_directFrame_wrap_for_encode(&f, buffer, 0, sizeof(buffer));
    dev_switchboard_codecs_sbe_directFrame_set_sourceAgentId(&f, 7);
    dev_switchboard_codecs_sbe_directFrame_set_correlationId(&f, 8);
    dev_switchboard_codecs_sbe_directFrame_set_pattern(&f, dev_switchboard_codecs_sbe_pattern_REQUEST);
    dev_switchboard_codecs_sbe_directFrame_set_priority(&f, dev_switchboard_codecs_sbe_priority_CRITICAL);
    dev_switchboard_codecs_sbe_directFrame_set_flags(&f, 0);
    dev_switchboard_codecs_sbe_directFrame_set_layoutVersion(&f, 1);
    dev_switchboard_codecs_sbe_directFrame_set_reserved(&f, 0);
    memcpy(buffer + SB_DIRECT_FRAME_LENGTH, "32 bytes of payload, one line..", 32);
    sb_message m;
    CHECK_EQ_LL(0, sb_frame_decode(SB_FRAME_TYPE_DIRECT_BIT | SB_TIER_CRITICAL, (const uint8_t *)buffer,
        SB_DIRECT_FRAME_LENGTH + 32, &m));
    CHECK_EQ_LL(7, m.source_agent_id);
    CHECK_EQ_LL(8, m.correlation_id);
    CHECK_EQ_LL(SB_PATTERN_REQUEST, m.pattern);
    CHECK_EQ_LL(SB_TIER_CRITICAL, m.tier);
    CHECK_EQ_LL(32, m.payload_length);
    CHECK(m.payload == (const uint8_t *)buffer + SB_DIRECT_FRAME_LENGTH);

    buffer[19] = 2; /* another layout version: refused */
    CHECK_EQ_LL(SB_FRAME_MALFORMED, sb_frame_decode(SB_FRAME_TYPE_DIRECT_BIT | SB_TIER_CRITICAL,
        (const uint8_t *)buffer, SB_DIRECT_FRAME_LENGTH + 32, &m));
    CHECK_EQ_LL(SB_FRAME_TRUNCATED, sb_frame_decode(SB_FRAME_TYPE_DIRECT_BIT | SB_TIER_CRITICAL,
        (const uint8_t *)buffer, SB_DIRECT_FRAME_LENGTH - 1, &m));
}

static void malformedFramesAreRefusedWithTheirReason(void)
{
    char buffer[256];
    const size_t length = encode_envelope(buffer, sizeof(buffer), "payload");
    sb_message m;
    for (size_t cut = 0; cut < length; cut++)
    {
        /* Every truncation, each in a heap block of exactly its length, so the sanitizer build sees any read past it
         * (the generated payload-length accessor read 4 bytes past a 47-byte frame before SB_VAR_OK). */
        uint8_t *exact = malloc(cut > 0 ? cut : 1);
        CHECK(NULL != exact);
        memcpy(exact, buffer, cut);
        CHECK(sb_frame_decode(SB_TIER_NORMAL, exact, cut, &m) < 0);
        free(exact);
    }
    char copy[256];
    memcpy(copy, buffer, length);
    copy[4] ^= 0x55; /* schema id */
    CHECK_EQ_LL(SB_FRAME_UNKNOWN_SCHEMA, sb_frame_decode(SB_TIER_NORMAL, (const uint8_t *)copy, length, &m));
    memcpy(copy, buffer, length);
    copy[6] = (char)(SB_SCHEMA_VERSION + 1); /* a version newer than the schema */
    CHECK_EQ_LL(SB_FRAME_UNSUPPORTED_VERSION, sb_frame_decode(SB_TIER_NORMAL, (const uint8_t *)copy, length, &m));
    memcpy(copy, buffer, length);
    copy[2] = 10; /* template Register */
    CHECK_EQ_LL(SB_FRAME_UNKNOWN_TEMPLATE, sb_frame_decode(SB_TIER_NORMAL, (const uint8_t *)copy, length, &m));
    memcpy(copy, buffer, length);
    copy[8 + 37] = 9; /* pattern 9 is no Pattern */
    CHECK_EQ_LL(SB_FRAME_MALFORMED, sb_frame_decode(SB_TIER_NORMAL, (const uint8_t *)copy, length, &m));
    memcpy(copy, buffer, length);
    copy[8 + 39] = (char)0xFF; /* payload length far past the end */
    CHECK_EQ_LL(SB_FRAME_TRUNCATED, sb_frame_decode(SB_TIER_NORMAL, (const uint8_t *)copy, length, &m));
    CHECK_EQ_LL(SB_FRAME_UNKNOWN_TYPE, sb_frame_decode(0, (const uint8_t *)buffer, length, &m));
    CHECK_EQ_LL(SB_FRAME_UNKNOWN_TYPE, sb_frame_decode(7, (const uint8_t *)buffer, length, &m));
    CHECK_EQ_LL(SB_FRAME_UNKNOWN_TYPE, sb_frame_decode(0x201, (const uint8_t *)buffer, length, &m));
}

static void nameIdsAreFnv1a64(void)
{
    /* NameIds.of("demo") as Java computes it: FNV-1a 64 over the UTF-8 bytes, 0 mapped to 1. */
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char *p = "demo"; *p; p++)
    {
        hash ^= (uint8_t)*p;
        hash *= 0x100000001b3ULL;
    }
    CHECK_EQ_LL((int64_t)hash, sb_name_id("demo"));
    CHECK(sb_name_id("a") != sb_name_id("b"));
}

int main(void)
{
    RUN(envelopeRoundTrips);
    RUN(directFrameRoundTrips);
    RUN(malformedFramesAreRefusedWithTheirReason);
    RUN(nameIdsAreFnv1a64);
    return 0;
}
