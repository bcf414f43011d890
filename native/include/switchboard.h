/*
 * switchboard.h - libswitchboard, the C client library of Switchboard: makes a C program a full agent.
 *
 * One public header. Link with `-lswitchboard` (pkg-config name `switchboard`). C11; Linux (x86-64, AArch64).
 *
 *   sb_context *ctx;  sb_client *client;
 *   sb_context_init(&ctx);                           // defaults as the Java client's (see native/README.md)
 *   if (sb_client_connect(ctx, &client) < 0) { fprintf(stderr, "%s\n", sb_errmsg()); ... }
 *   sb_register(client, "c-agent", caps, 1, NULL);   // control calls block until the router answers
 *   sb_destination *to;
 *   sb_destination_by_name(client, "java-agent", SB_PRIORITY_CRITICAL, &to);   // resolved once: maps its inbox
 *   while (running)
 *   {
 *       sb_send(client, to, buf, len);              // never blocks, never allocates: an sb_offer_status
 *       sb_idle(client, sb_poll(client, on_message, NULL, 64));
 *   }
 *   sb_close(client);  sb_context_close(ctx);
 *
 * Two kinds of call, as in the Java client (dev.switchboard.client.SwitchboardClient):
 *   - control calls (sb_client_connect, sb_register, sb_lookup*, sb_destination*, sb_subscribe, sb_consume, ...)
 *     block until the router answers (at most the context's timeout), may allocate, and return 0 (or a count) on
 *     success, -1 on failure with sb_errcode()/sb_errmsg() saying why;
 *   - data calls (sb_send*, sb_publish, sb_request*, sb_respond*, sb_enqueue, sb_ack*, sb_poll, sb_idle) never block
 *     (sb_idle parks by design), allocate nothing, and return an sb_offer_status (OK = 0, failures negative, the
 *     values of Java's dev.switchboard.transport.OfferStatus).
 *
 * Threading: an sb_client is NOT thread-safe, exactly like the Java SwitchboardClient: one client per agent thread,
 * from connect to close. Many clients (in many threads or processes, C or Java) may send to the same receiver at
 * once: the inbox ring is many-to-one. sb_context is read by sb_client_connect only and may be closed after it.
 * sb_errmsg()/sb_errcode() are per thread.
 *
 * Memory: messages handed to a handler (sb_message) point into the inbox or the receive buffer and are valid only
 * during the call. Everything the data calls need is allocated at connect (receive and send buffers, the destination
 * table, the pending-request table).
 */
#ifndef SWITCHBOARD_H
#define SWITCHBOARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_VERSION_MAJOR 0
#define SB_VERSION_MINOR 1
#define SB_VERSION_PATCH 0

/* ---------------------------------------------------------------------------------------------------------------- */
/* Values shared with Java and the wire                                                                             */
/* ---------------------------------------------------------------------------------------------------------------- */

/** Outcome of every data call: the values of Java's dev.switchboard.transport.OfferStatus. */
typedef enum sb_offer_status
{
    SB_OK = 0,                /* accepted: in the receiver's ring, or in this client's socket send buffer */
    SB_BACK_PRESSURED = -1,   /* full for now (ring, send buffer, pending requests): retry later; nothing written */
    SB_NOT_CONNECTED = -2,    /* the destination is unknown, not registered, gone, or this client is not registered */
    SB_TOO_LARGE = -3,        /* longer than the destination's largest message */
    SB_REJECTED = -4,         /* bad argument (NULL buffer with a length, bad priority...), or refused by policy */
    SB_CLOSED = -5            /* this client has been closed (or its control connection broke) */
}
sb_offer_status;

/** Message priority, picks the tier: the schema's Priority enum values. */
typedef enum sb_priority
{
    SB_PRIORITY_CRITICAL = 0, /* shared-memory inbox, sender to receiver direct */
    SB_PRIORITY_HIGH = 1,     /* this library: over the control socket through the router (no io_uring tier in C yet) */
    SB_PRIORITY_NORMAL = 2,   /* the control Unix socket, through the router */
    SB_PRIORITY_LOW = 3,      /* not supported by this library: SB_REJECTED */
    SB_PRIORITY_BATCH = 4     /* as CRITICAL (the receiver's inbox), message up to the inbox's maximum */
}
sb_priority;

/** Messaging pattern of a message: the schema's Pattern enum values. */
typedef enum sb_pattern
{
    SB_PATTERN_SEND = 0,
    SB_PATTERN_PUBLISH = 1,
    SB_PATTERN_REQUEST = 2,
    SB_PATTERN_RESPONSE = 3,
    SB_PATTERN_WORK = 4,
    SB_PATTERN_WORK_ACK = 5,
    SB_PATTERN_BROADCAST = 6,
    SB_PATTERN_MULTICAST = 7
}
sb_pattern;

/** What a message's target id names: the schema's TargetKind enum values. */
typedef enum sb_target_kind
{
    SB_TARGET_AGENT = 0,
    SB_TARGET_TOPIC = 1,
    SB_TARGET_GROUP = 2,
    SB_TARGET_QUEUE = 3,
    SB_TARGET_ALL = 4
}
sb_target_kind;

/** The tier that carried a received message: Java's Tier.typeId() (ordinal + 1). */
typedef enum sb_tier
{
    SB_TIER_CRITICAL = 1,
    SB_TIER_HIGH = 2,
    SB_TIER_NORMAL = 3,
    SB_TIER_LOW = 4,
    SB_TIER_BATCH = 5,
    SB_TIER_IN_PROCESS = 6
}
sb_tier;

/** Bits of the schema's Tiers set (sb_agent_info.tiers). */
#define SB_TIERS_CRITICAL   (1u << 0)
#define SB_TIERS_HIGH       (1u << 1)
#define SB_TIERS_NORMAL     (1u << 2)
#define SB_TIERS_LOW        (1u << 3)
#define SB_TIERS_BATCH      (1u << 4)
#define SB_TIERS_IN_PROCESS (1u << 5)

/** Envelope flag bit the router sets on a work item delivered again (Java's Message.isRedelivery()). */
#define SB_FLAG_REDELIVERY 1u

/* Limits, as Java's dev.switchboard.codecs.WireLimits; each is checked at the call and refused with SB_ERR_ARGUMENT. */
#define SB_MAX_NAME_LENGTH 128        /* agent, topic, queue, group names: UTF-8 bytes, at least 1 */
#define SB_MAX_CAPABILITIES 32        /* capabilities per agent */
#define SB_MAX_CAPABILITY_LENGTH 64   /* UTF-8 bytes, at least 1 */
#define SB_MAX_PATH_LENGTH 4095       /* inbox and socket paths */

/** Why a control call failed (sb_errcode()). Values 1..99 are the router's schema ErrorCode, as refused. */
typedef enum sb_error
{
    SB_ERR_NONE = 0,
    /* 1..99: the router refused with this ErrorCode (NAME_TAKEN 10, NAME_INVALID 11, UNKNOWN_AGENT 15, ...). */
    SB_ERR_ARGUMENT = 1000,       /* an argument is out of its documented range (name length, capability count...) */
    SB_ERR_IO = 1001,             /* a system call failed (errno in the message) */
    SB_ERR_TIMEOUT = 1002,        /* the router did not answer within the context's timeout */
    SB_ERR_PROTOCOL = 1003,       /* the router sent something this library cannot decode */
    SB_ERR_CLOSED = 1004,         /* the client is closed, or its control connection broke */
    SB_ERR_STATE = 1005,          /* not possible in this state (e.g. sending before sb_register) */
    SB_ERR_NO_MEMORY = 1006,
    SB_ERR_AUTH = 1007,           /* the router requires a token and no usable secret file is configured */
    SB_ERR_LIMIT = 1008           /* a table of this client is full (destinations, pending requests) */
}
sb_error;

/* ---------------------------------------------------------------------------------------------------------------- */
/* Errors                                                                                                           */
/* ---------------------------------------------------------------------------------------------------------------- */

/** @return the calling thread's last error code (an sb_error value, or the router's ErrorCode 1..99). */
int sb_errcode(void);

/** @return the calling thread's last error message: what was wrong, the limit, the value seen. Never NULL. */
const char *sb_errmsg(void);

/** @return a constant name of an sb_offer_status ("OK", "BACK_PRESSURED", ...; "UNKNOWN" for others). */
const char *sb_offer_status_name(int status);

/* ---------------------------------------------------------------------------------------------------------------- */
/* Context                                                                                                          */
/* ---------------------------------------------------------------------------------------------------------------- */

/** Settings of a client, read by sb_client_connect. Not thread-safe. */
typedef struct sb_context sb_context;

/** How sb_idle waits when a poll found nothing (Java's switchboard.client.idle values). */
typedef enum sb_idle_kind
{
    SB_IDLE_BUSY_SPIN = 0,
    SB_IDLE_YIELD = 1,
    SB_IDLE_BACKOFF = 2,
    SB_IDLE_SPIN_PARK = 3         /* default: spin, then park on the inbox's futex word until woken */
}
sb_idle_kind;

/**
 * Make a context with the Java client's defaults. The environment variables listed in native/README.md
 * (SWITCHBOARD_RUNTIME_DIR, SWITCHBOARD_SOCKET, SWITCHBOARD_SHM_DIR, SWITCHBOARD_SECRET_FILE, ...) override them,
 * as the matching system properties do for Java; the setters below override both.
 * @return 0, or -1 (sb_errmsg) on no memory or an environment value out of range.
 */
int sb_context_init(sb_context **ctx);

/** Free a context (NULL is fine). */
void sb_context_close(sb_context *ctx);

/** The router's control socket. Default `<runtime dir>/router.sock`. @return 0, or -1 when too long. */
int sb_context_set_socket_path(sb_context *ctx, const char *path);

/** Where CRITICAL inboxes live. Default `/dev/shm/switchboard-$UID`. @return 0, or -1 when too long. */
int sb_context_set_shm_dir(sb_context *ctx, const char *path);

/** Bytes of this agent's inbox ring: a power of two, 4 KiB .. 1 GiB. Default 1 MiB. @return 0, or -1 out of range. */
int sb_context_set_inbox_capacity(sb_context *ctx, int64_t bytes);

/** Register without an inbox (the agent receives everything over its socket, as NORMAL). Default 0 (has an inbox). */
int sb_context_set_no_inbox(sb_context *ctx, int no_inbox);

/**
 * The shared secret file (Java's switchboard.auth.secret.file): the answer to the router's Challenge is
 * HMAC-SHA256 over it. NULL: none. @return 0, or -1 when too long.
 */
int sb_context_set_secret_file(sb_context *ctx, const char *path);

/** How long a control call waits for the router's answer, 1 .. 3,600,000 ms. Default 5000. */
int sb_context_set_timeout_ms(sb_context *ctx, int64_t timeout_ms);

/** Lease to ask for at registration, 0 = the router's default. Default 0. */
int sb_context_set_lease_ms(sb_context *ctx, int32_t lease_ms);

/**
 * Idle strategy of sb_idle: kind, spin window in ns (0 .. 1 s, default 200,000) and longest park in ms
 * (1 .. 3,600,000, default 100), as Java's switchboard.client.idle / switchboard.idle.spin.ns / switchboard.idle.park.ms.
 */
int sb_context_set_idle(sb_context *ctx, sb_idle_kind kind, int64_t spin_ns, int64_t park_ms);

/**
 * How long a record at the head of this agent's inbox may stay claimed but uncommitted (its producer died between
 * claim and commit) before it is skipped as padding and counted: at least 1 ms (1,000,000 ns); default 1 s, as Java's
 * switchboard.inbox.unblock.timeout.ns. It must exceed the longest time a live sender spends between the two.
 */
int sb_context_set_unblock_timeout_ns(sb_context *ctx, int64_t timeout_ns);

/** Largest frame received on the control socket, 1 KiB .. 16 MiB. Default 512 KiB (switchboard.socket.max.frame). */
int sb_context_set_max_frame(sb_context *ctx, int32_t bytes);

/** Called from sb_poll for a refusal the router sent later (an Error with no waiting call), e.g. UNKNOWN_AGENT. */
typedef void (*sb_error_handler)(void *clientd, int64_t correlation_id, int error_code, const char *text);
int sb_context_set_error_handler(sb_context *ctx, sb_error_handler handler, void *clientd);

/** Called from sb_poll for registry events after sb_watch_registry: kind 0 REGISTERED, 1 DEREGISTERED, 2 EXPIRED. */
typedef void (*sb_agent_event_handler)(void *clientd, int64_t agent_id, int kind, const char *name);
int sb_context_set_agent_event_handler(sb_context *ctx, sb_agent_event_handler handler, void *clientd);

/* ---------------------------------------------------------------------------------------------------------------- */
/* Client: control calls (block at most the context's timeout)                                                      */
/* ---------------------------------------------------------------------------------------------------------------- */

typedef struct sb_client sb_client;

/** What the registry knows of an agent (Java's AgentInfo). Strings are NUL-terminated UTF-8. */
typedef struct sb_agent_info
{
    int64_t agent_id;
    int64_t pid;
    uint8_t tiers;                                                   /* SB_TIERS_* bits */
    uint32_t capability_count;
    char name[SB_MAX_NAME_LENGTH + 1];
    char inbox[SB_MAX_PATH_LENGTH + 1];                              /* empty when it has no inbox */
    char capabilities[SB_MAX_CAPABILITIES][SB_MAX_CAPABILITY_LENGTH + 1];
}
sb_agent_info;

/**
 * Connect to the router's control socket and read its Challenge. Allocates every buffer the data calls use.
 * @return 0 and *client set, or -1 (sb_errcode/sb_errmsg: SB_ERR_IO when no router listens, SB_ERR_TIMEOUT...).
 */
int sb_client_connect(const sb_context *ctx, sb_client **client);

/**
 * Register under a unique name with capabilities: creates this agent's inbox file (0600, `cconn<N>-<pid>.inbox` in
 * the shm dir, as Java's connection names its `conn<N>-<pid>.inbox`) unless the context says no inbox, and answers
 * the challenge (HMAC-SHA256 when a secret file is configured; refused here with SB_ERR_AUTH when the router requires
 * a token and none is configured).
 * @param name          1..SB_MAX_NAME_LENGTH UTF-8 bytes.
 * @param capabilities  0..SB_MAX_CAPABILITIES strings of 1..SB_MAX_CAPABILITY_LENGTH bytes (NULL when count is 0).
 * @param info          filled in with this agent as registered (NULL: not wanted).
 * @return 0, or -1: SB_ERR_ARGUMENT, the router's code (NAME_TAKEN 10 ...), SB_ERR_TIMEOUT, SB_ERR_IO.
 */
int sb_register(sb_client *client, const char *name, const char *const *capabilities, size_t capability_count,
    sb_agent_info *info);

/** @return 1 and *info filled when a live agent has that name, 0 when none, -1 on failure. */
int sb_lookup(sb_client *client, const char *name, sb_agent_info *info);

/** @return 1 and *info filled when the id is live, 0 when not, -1 on failure. */
int sb_lookup_by_id(sb_client *client, int64_t agent_id, sb_agent_info *info);

/**
 * Every live agent with a capability, in registration order.
 * @param infos    room for max_infos results.
 * @return the number of agents found (which may exceed max_infos: only max_infos are filled), or -1.
 */
int sb_lookup_by_capability(sb_client *client, const char *capability, sb_agent_info *infos, size_t max_infos);

/** A resolved receiver at a priority: the send path's handle. Owned by the client, valid until sb_close. */
typedef struct sb_destination sb_destination;

/**
 * Resolve a receiver once (Java's destination(id, priority)): for CRITICAL and BATCH maps its inbox (checked:
 * inside the shm dir, a regular file of this user, magic/version/capacity as documented); a receiver without an
 * inbox (or whose inbox cannot be mapped), a client without an inbox of its own, and the other priorities go through
 * the router on the control socket. A destination whose receiver closed its inbox returns SB_NOT_CONNECTED: resolve
 * it again. Calling again for the same id and
 * priority returns the same handle. At most 256 destinations per client (SB_ERR_LIMIT).
 * @return 0 and *destination set, or -1 (UNKNOWN_AGENT 15 when no live agent has that id).
 */
int sb_destination_by_id(sb_client *client, int64_t agent_id, sb_priority priority, sb_destination **destination);

/** As sb_destination_by_id, by name (one lookup). */
int sb_destination_by_name(sb_client *client, const char *name, sb_priority priority, sb_destination **destination);

/** @return the receiver's agent id. */
int64_t sb_destination_agent_id(const sb_destination *destination);

/** @return 1 when sends go straight into the receiver's inbox, 0 when through the router. */
int sb_destination_is_direct(const sb_destination *destination);

/** Subscribe to a topic: later publishes to it reach this agent. @return 0 and *topic_id (may be NULL), or -1. */
int sb_subscribe(sb_client *client, const char *topic, int64_t *topic_id);
int sb_unsubscribe(sb_client *client, const char *topic);

/** Become a competing consumer of a work queue (items must be acked). @return 0 and *queue_id, or -1. */
int sb_consume(sb_client *client, const char *queue, int64_t *queue_id);
int sb_stop_consuming(sb_client *client, const char *queue);

/** Join a named group: later multicasts to it reach this agent. @return 0 and *group_id, or -1. */
int sb_join_group(sb_client *client, const char *group, int64_t *group_id);
int sb_leave_group(sb_client *client, const char *group);

/** Receive registry events (the context's agent event handler) from now on. @return 0 or -1. */
int sb_watch_registry(sb_client *client);

/**
 * The id of a topic, queue or group name, as the router computes it (Java's NameIds.of: FNV-1a 64 of the UTF-8
 * bytes, 0 mapped to 1), for sb_publish/sb_enqueue/sb_multicast without subscribing.
 */
int64_t sb_name_id(const char *name);

/* ---------------------------------------------------------------------------------------------------------------- */
/* Client: data calls (never block, never allocate; return sb_offer_status)                                         */
/* ---------------------------------------------------------------------------------------------------------------- */

/** A received message, valid only during the handler call. */
typedef struct sb_message
{
    int64_t source_agent_id;
    int64_t target_id;          /* agent, topic, group or queue id (0 on a direct frame: this agent) */
    int64_t correlation_id;     /* request/response pairing; the work item's id for WORK */
    int64_t timestamp_ns;       /* sender's clock for routed envelopes; 0 on direct frames (no clock read) */
    uint32_t flags;             /* SB_FLAG_REDELIVERY ... */
    sb_target_kind target_kind;
    sb_pattern pattern;
    sb_priority priority;
    sb_tier tier;               /* what carried it */
    const uint8_t *payload;
    size_t payload_length;
}
sb_message;

typedef void (*sb_message_handler)(void *clientd, const sb_message *message);

/**
 * Called from sb_poll with the response to a request (response != NULL), or on its timeout (response == NULL).
 */
typedef void (*sb_response_handler)(void *clientd, int64_t correlation_id, const sb_message *response);

/**
 * Send to a resolved destination: the hot path. No lookup, no clock read, no staging copy for a direct destination
 * (the 24-byte direct frame header and the payload are written in place into the receiver's ring, then a parked
 * receiver is woken through its futex word).
 * @return SB_OK, or SB_BACK_PRESSURED (ring or socket buffer full), SB_NOT_CONNECTED (receiver gone), SB_TOO_LARGE
 *         (over the receiver's inbox maximum, capacity / 8 - 24, or the socket's frame limit), SB_REJECTED, SB_CLOSED.
 */
int sb_send(sb_client *client, sb_destination *destination, const void *payload, size_t length);

/** Send by agent id: one table lookup; an id not yet resolved goes through the router (never a blocking lookup). */
int sb_send_to_id(sb_client *client, int64_t agent_id, sb_priority priority, const void *payload, size_t length);

/** Publish to a topic's subscribers (not to this agent), through the router. */
int sb_publish(sb_client *client, int64_t topic_id, sb_priority priority, const void *payload, size_t length);

/** Send to every member of a group, through the router. */
int sb_multicast(sb_client *client, int64_t group_id, sb_priority priority, const void *payload, size_t length);

/** Send to every registered agent but this one, through the router. */
int sb_broadcast(sb_client *client, sb_priority priority, const void *payload, size_t length);

/**
 * Send a request; the response (or the timeout) reaches the handler from sb_poll.
 * @return the correlation id (positive), or a negative sb_offer_status (SB_BACK_PRESSURED also when 1024 requests
 *         are pending).
 */
int64_t sb_request(sb_client *client, sb_destination *destination, const void *payload, size_t length,
    int64_t timeout_ns, sb_response_handler handler, void *clientd);

/** Answer a request received in sb_poll (inside or after the handler: only its ids are used). */
int sb_respond(sb_client *client, const sb_message *request, const void *payload, size_t length);

/** Answer by requester id and correlation id. */
int sb_respond_to(sb_client *client, int64_t requester_id, int64_t correlation_id, sb_priority priority,
    const void *payload, size_t length);

/** Put a work item on a queue (through the router); one consumer gets it, at least once. */
int sb_enqueue(sb_client *client, int64_t queue_id, sb_priority priority, const void *payload, size_t length);

/** Acknowledge a work item as received (pattern SB_PATTERN_WORK): it will not be delivered again. */
int sb_ack(sb_client *client, const sb_message *work_item);

/** Acknowledge a work item by ids (its queue = message target_id, its id = message correlation_id). */
int sb_ack_ids(sb_client *client, int64_t queue_id, int64_t item_id, sb_priority priority);

/**
 * Read what has arrived: the own inbox first (no system call, no clock read when empty), then the control socket
 * when the router signalled a write (or when this agent has no inbox); responses go to their sb_response_handler,
 * router refusals to the context's error handler. Every 1024 polls (counted, not timed) and after each park, the
 * duty slice runs: request timeouts, Heartbeat frames where the router does not read the inbox's heartbeat word, the
 * stuck-record check and trailer repair of the own inbox.
 * @param limit most messages to deliver from each source in this call (1 .. INT32_MAX).
 * @return the amount of work done (0 when nothing came), or SB_CLOSED when the router closed the connection.
 */
int sb_poll(sb_client *client, sb_message_handler handler, void *clientd, int limit);

/**
 * Wait as the context's idle strategy says when work_count is 0 (reset the strategy when it is positive): for
 * SB_IDLE_SPIN_PARK spin for the window, then park in futex(FUTEX_WAIT) on the inbox's parked word (as Java's
 * InboxParker) until a producer wakes it, or the longest park passes. Allocates nothing.
 */
void sb_idle(sb_client *client, int work_count);

/** Renew the lease now if due (call when busy for longer than the heartbeat interval without polling). */
void sb_keep_alive(sb_client *client);

/** @return this agent's id, 0 before sb_register. */
int64_t sb_agent_id(const sb_client *client);

/** @return the path of this agent's inbox file, "" when it has none. */
const char *sb_inbox_path(const sb_client *client);

/** @return requests awaiting a response. */
int sb_pending_requests(const sb_client *client);

/**
 * Deregister (when registered), close the inbox (state CLOSED, file removed), the control socket and every mapping,
 * and free the client. NULL is fine.
 */
void sb_close(sb_client *client);

/* ---------------------------------------------------------------------------------------------------------------- */
/* Lower level: inbox files and frames (what the library is built from; exposed for tests, fuzzing and tools)        */
/* ---------------------------------------------------------------------------------------------------------------- */

/** Inbox file layout (Java's InboxDescriptor, version 2) and ring layout (RingDescriptor, version 1). */
#define SB_INBOX_MAGIC 0x42495753               /* 'SWIB' */
#define SB_INBOX_VERSION 2
#define SB_INBOX_HEADER_LENGTH 640
#define SB_RING_MAGIC 0x52425753                /* 'SWBR' */
#define SB_RING_VERSION 1
#define SB_RING_TRAILER_LENGTH 768
#define SB_RING_RECORD_HEADER_LENGTH 8
#define SB_DIRECT_FRAME_LENGTH 24               /* the DirectFrame block before a direct frame's payload */
#define SB_FRAME_TYPE_DIRECT_BIT 0x100          /* record type: DIRECT_BIT | tier type id, else tier type id */

/** An inbox mapped by its owner or by a sender. */
typedef struct sb_inbox sb_inbox;

/**
 * Create an inbox file (0600, O_EXCL|O_NOFOLLOW, zero-filled with writes before it is mapped) with a ring of
 * `capacity` bytes and map it as its owner. @return 0, or -1 (sb_errmsg).
 */
int sb_inbox_create(const char *path, int64_t capacity, sb_inbox **inbox);

/** Map an existing inbox as a sender, checking its layout. @return 0, or -1 (sb_errmsg). */
int sb_inbox_open(const char *path, sb_inbox **inbox);

/** Unmap (and for an owner created here: mark CLOSED and unlink when `remove` is set). */
void sb_inbox_close(sb_inbox *inbox, int remove);

/** @return the largest message body the ring takes (capacity / 8). */
int32_t sb_inbox_max_message_length(const sb_inbox *inbox);

/**
 * Write one record of type `type_id` (>= 1) whose body is `header` then `body` (either may be empty), then wake the
 * owner if it parked. @return an sb_offer_status.
 */
int sb_inbox_offer(sb_inbox *inbox, int32_t type_id, const void *header, size_t header_length,
    const void *body, size_t body_length);

/** Record handler of sb_inbox_read: the body is valid during the call only. */
typedef void (*sb_record_handler)(void *clientd, int32_t type_id, const uint8_t *body, int32_t length);

/**
 * Owner: read up to `limit` committed records (padding skipped; a record with an impossible length discards up to the
 * tail and counts, as Java's ManyToOneRing.read). @return records delivered.
 */
int sb_inbox_read(sb_inbox *inbox, sb_record_handler handler, void *clientd, int limit);

/** Owner: records found corrupt and bytes discarded so far. */
int64_t sb_inbox_corrupt_records(const sb_inbox *inbox);
int64_t sb_inbox_discarded_bytes(const sb_inbox *inbox);

/** Owner: records claimed by a producer that never committed them (it died), unblocked after the timeout. */
int64_t sb_inbox_unblocked_records(const sb_inbox *inbox);

/**
 * Decode one received frame (a direct frame when `type_id` has SB_FRAME_TYPE_DIRECT_BIT, else a whole SBE frame that
 * must be an Envelope) into *message (the payload points into `frame`).
 * @return 0, or a negative value when the frame is malformed (truncated, wrong schema, too-new version, bad lengths).
 */
int sb_frame_decode(int32_t type_id, const uint8_t *frame, size_t length, sb_message *message);

/* sb_frame_decode results (negative): why a frame was refused. */
#define SB_FRAME_TRUNCATED (-1)            /* shorter than its header, block or lengths say */
#define SB_FRAME_UNKNOWN_SCHEMA (-2)       /* the SBE header names another schema id */
#define SB_FRAME_UNSUPPORTED_VERSION (-3)  /* a schema version newer than this library's */
#define SB_FRAME_UNKNOWN_TEMPLATE (-4)     /* not an Envelope */
#define SB_FRAME_MALFORMED (-5)            /* a bad enum value, a short block, a direct frame of another layout */
#define SB_FRAME_UNKNOWN_TYPE (-6)         /* a record type no Switchboard writer produces */

#ifdef __cplusplus
}
#endif

#endif /* SWITCHBOARD_H */
