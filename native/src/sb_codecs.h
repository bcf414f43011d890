/* The generated C codecs this library uses (codecs/target/generated-c, made by the Maven build of `codecs`). */
#ifndef SB_CODECS_H
#define SB_CODECS_H

#include "sb_internal.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "dev_switchboard_codecs_sbe/messageHeader.h"
#include "dev_switchboard_codecs_sbe/envelope.h"
#include "dev_switchboard_codecs_sbe/directFrame.h"
#include "dev_switchboard_codecs_sbe/register.h"
#include "dev_switchboard_codecs_sbe/registered.h"
#include "dev_switchboard_codecs_sbe/heartbeat.h"
#include "dev_switchboard_codecs_sbe/deregister.h"
#include "dev_switchboard_codecs_sbe/subscribe.h"
#include "dev_switchboard_codecs_sbe/unsubscribe.h"
#include "dev_switchboard_codecs_sbe/joinGroup.h"
#include "dev_switchboard_codecs_sbe/leaveGroup.h"
#include "dev_switchboard_codecs_sbe/lookup.h"
#include "dev_switchboard_codecs_sbe/lookupResult.h"
#include "dev_switchboard_codecs_sbe/error.h"
#include "dev_switchboard_codecs_sbe/ack.h"
#include "dev_switchboard_codecs_sbe/agentEvent.h"
#include "dev_switchboard_codecs_sbe/challenge.h"
#include "dev_switchboard_codecs_sbe/wake.h"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/*
 * The generated C accessors read a var-data length field without checking that it lies inside the buffer (found by
 * fuzz/fuzz_frame.c: a heap overflow in envelope_payload_length); the data after it is checked. Every var-data read
 * here is preceded by this check of its length field. Fixed-length fields are read at offsets inside the schema's
 * block, so every block length from the wire is checked to be at least the schema's (SB_BLOCK_OK).
 */
#define SB_VAR_OK(position, header_length, buffer_length) \
    ((uint64_t)(position) + (uint64_t)(header_length) <= (uint64_t)(buffer_length))
#define SB_BLOCK_OK(acting, schema) ((uint64_t)(acting) >= (uint64_t)(schema))

SB_HIDDEN int sb_frame_header(const uint8_t *frame, size_t length, uint16_t *template_id, uint16_t *block_length,
    uint16_t *version);
SB_HIDDEN int sb_decode_envelope(const uint8_t *frame, size_t length, uint16_t block_length, uint16_t version,
    sb_message *message);

#endif
