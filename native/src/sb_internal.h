/*
 * Internal declarations of libswitchboard (not installed). See switchboard.h for the public API and
 * native/README.md for the layouts shared with Java.
 */
#ifndef SB_INTERNAL_H
#define SB_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "switchboard.h"

#if defined(__GNUC__)
#define SB_HIDDEN __attribute__((visibility("hidden")))
#define SB_FORMAT(a, b) __attribute__((format(printf, a, b)))
#else
#define SB_HIDDEN
#define SB_FORMAT(a, b)
#endif

/* ------------------------------------------------------------------------------------------------------------ */
/* Layouts: Java's InboxDescriptor (inbox header) and RingDescriptor (ring trailer and records)                   */
/* ------------------------------------------------------------------------------------------------------------ */

#define SB_CACHE_LINE 64

/* Inbox header (offsets from the start of the file). */
#define SB_INBOX_MAGIC_OFFSET 0
#define SB_INBOX_VERSION_OFFSET 4
#define SB_INBOX_HEADER_LENGTH_OFFSET 8
#define SB_INBOX_RING_CAPACITY_OFFSET 12
#define SB_INBOX_OWNER_PID_OFFSET 16
#define SB_INBOX_OWNER_START_TIME_OFFSET 24
#define SB_INBOX_STATE_OFFSET 32
#define SB_INBOX_DOORBELL_PATH_LENGTH_OFFSET 36
#define SB_INBOX_PARKED_OFFSET (2 * SB_CACHE_LINE)
#define SB_INBOX_OWNER_HEARTBEAT_OFFSET (4 * SB_CACHE_LINE)
#define SB_INBOX_CONTROL_SIGNAL_OFFSET (6 * SB_CACHE_LINE)
#define SB_INBOX_LINK_SIGNAL_OFFSET (6 * SB_CACHE_LINE + 8)
#define SB_INBOX_DURABLE_SIGNAL_OFFSET (6 * SB_CACHE_LINE + 16)
#define SB_INBOX_DOORBELL_PATH_OFFSET (8 * SB_CACHE_LINE)
#define SB_INBOX_MAX_DOORBELL_PATH_LENGTH 107

#define SB_INBOX_STATE_OPEN 1
#define SB_INBOX_STATE_CLOSED 2
#define SB_PARKED_AWAKE 0
#define SB_PARKED_DOORBELL 1
#define SB_PARKED_FUTEX 2

/* Ring trailer (offsets from the end of the record area). */
#define SB_RING_MAGIC_OFFSET 0
#define SB_RING_VERSION_OFFSET 4
#define SB_RING_CAPACITY_OFFSET 8
#define SB_RING_TAIL_POSITION_OFFSET (2 * SB_CACHE_LINE)
#define SB_RING_HEAD_CACHE_POSITION_OFFSET (4 * SB_CACHE_LINE)
#define SB_RING_HEAD_POSITION_OFFSET (6 * SB_CACHE_LINE)
#define SB_RING_CORRELATION_COUNTER_OFFSET (8 * SB_CACHE_LINE)
#define SB_RING_CONSUMER_HEARTBEAT_OFFSET (10 * SB_CACHE_LINE)
#define SB_RING_ALIGNMENT 8
#define SB_RING_PADDING_TYPE (-1)
#define SB_RING_MIN_CAPACITY 64
#define SB_RING_MAX_CAPACITY (1 << 30)
#define SB_INBOX_MIN_CAPACITY 4096  /* Java's switchboard.inbox.capacity lower bound */
#define SB_MAX_TEXT 1024            /* Java's WireLimits.MAX_TEXT_LENGTH: error texts */

/* Java's FrameTypes and Tier. */
#define SB_TIER_COUNT 6
#define SB_FRAME_TYPE_TIER_MASK 0xFF

/* Java's RouterFeatures: bits of Challenge.flags. */
#define SB_FEATURE_TOKEN_REQUIRED 1
#define SB_FEATURE_RELAYS_WAKES (1 << 1)
#define SB_FEATURE_SIGNALS_CONTROL (1 << 2)
#define SB_FEATURE_READS_HEARTBEATS (1 << 3)

/* The SBE schema (dev.switchboard.codecs.sbe). */
#define SB_SCHEMA_ID 21314
#define SB_SCHEMA_VERSION 3 /* must equal the version attribute of switchboard-schema.xml */
#define SB_MESSAGE_HEADER_LENGTH 8
#define SB_DIRECT_FRAME_LAYOUT_VERSION 1

/* Control socket framing (Java's LinkProtocol without the MAC): a 4-byte little-endian length, then the frame. */
#define SB_LENGTH_PREFIX 4

struct sb_inbox
{
    uint8_t *mapping;
    size_t mapping_length;
    uint8_t *header;      /* == mapping */
    uint8_t *records;     /* mapping + SB_INBOX_HEADER_LENGTH */
    uint8_t *trailer;     /* records + capacity */
    int32_t capacity;
    int32_t mask;
    int32_t max_message_length;
    bool owner;
    int64_t heartbeats;                 /* owner: its heartbeat count */
    int64_t corrupt_records;            /* owner: as ManyToOneRing.corruptRecordCount */
    int64_t discarded_bytes;
    int64_t unblocked_records;          /* owner: claims unblocked after their producer died (StuckRecordDetector) */
    int64_t stalled_head;               /* owner: the head that did not move, or -1 */
    int64_t stalled_since_ns;
    int doorbell_fd;                    /* owner: the listening doorbell socket; sender: connected ringer, or -1 */
    char path[SB_MAX_PATH_LENGTH + 1];
    char doorbell_path[SB_INBOX_MAX_DOORBELL_PATH_LENGTH + 1];
};

/* Atomic views of the shared words: the mapping is shared memory, accessed only through these. */
static inline _Atomic int32_t *sb_int_at(uint8_t *base, size_t offset)
{
    return (_Atomic int32_t *)(void *)(base + offset);
}

static inline _Atomic int64_t *sb_long_at(uint8_t *base, size_t offset)
{
    return (_Atomic int64_t *)(void *)(base + offset);
}

/* errors.c */
SB_HIDDEN int sb_set_error(int code, const char *format, ...) SB_FORMAT(2, 3);
SB_HIDDEN int sb_set_errno_error(int code, int errnum, const char *format, ...) SB_FORMAT(3, 4);

/* inbox.c */
SB_HIDDEN int sb_inbox_create_named(const char *dir, const char *file_name, int64_t capacity, sb_inbox **inbox);
SB_HIDDEN int sb_inbox_wake_if_parked(sb_inbox *inbox);
SB_HIDDEN void sb_inbox_heartbeat(sb_inbox *inbox);
SB_HIDDEN int64_t sb_inbox_signal(sb_inbox *inbox, size_t offset);
SB_HIDDEN bool sb_inbox_has_records(sb_inbox *inbox);
SB_HIDDEN bool sb_inbox_unblock(sb_inbox *inbox);
SB_HIDDEN bool sb_inbox_check_stuck(sb_inbox *inbox, int64_t now_ns, int64_t timeout_ns);
SB_HIDDEN bool sb_inbox_check_trailer(sb_inbox *inbox);
SB_HIDDEN int sb_futex_wait(_Atomic int32_t *word, int32_t expected, int64_t timeout_ns);
SB_HIDDEN int sb_futex_wake(_Atomic int32_t *word);
SB_HIDDEN void sb_sanitise_name(const char *name, char *out, size_t out_length);

/* client.c */
SB_HIDDEN int sb_fuzz_control_stream(const uint8_t *data, size_t size);

/* hmac.c */
#define SB_SHA256_LENGTH 32
typedef struct sb_sha256
{
    uint32_t state[8];
    uint64_t length;
    uint8_t block[64];
    size_t used;
}
sb_sha256;
SB_HIDDEN void sb_sha256_init(sb_sha256 *ctx);
SB_HIDDEN void sb_sha256_update(sb_sha256 *ctx, const void *data, size_t length);
SB_HIDDEN void sb_sha256_final(sb_sha256 *ctx, uint8_t out[SB_SHA256_LENGTH]);
typedef struct sb_hmac
{
    sb_sha256 inner;
    sb_sha256 outer;
}
sb_hmac;
SB_HIDDEN void sb_hmac_init(sb_hmac *ctx, const uint8_t *key, size_t key_length);
SB_HIDDEN void sb_hmac_update(sb_hmac *ctx, const void *data, size_t length);
SB_HIDDEN void sb_hmac_final(sb_hmac *ctx, uint8_t out[SB_SHA256_LENGTH]);
/* Java's SecretFile.derive: HMAC(secret, label || 0 || for each part: length (int32 BE) || part). */
SB_HIDDEN void sb_derive(const uint8_t *secret, size_t secret_length, const char *label,
    const uint8_t *const *parts, const size_t *part_lengths, size_t part_count, uint8_t out[SB_SHA256_LENGTH]);
SB_HIDDEN int sb_read_secret_file(const char *path, uint8_t *secret, size_t capacity, size_t *length);

#endif /* SB_INTERNAL_H */
