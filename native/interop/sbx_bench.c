/*
 * Copyright 2025 Switchboard contributors.
 *
 * libsbx_bench: one side of a benchmark case written in C on libswitchboard, for the benchmark harness's C rows
 * (dev.switchboard.bench.harness.sb.SwitchboardCCase). The harness's Java driver times every case the same way; this
 * file only does what a C agent does on the data path: sb_send through a destination resolved once, sb_poll, sb_idle.
 * The harness reaches it through FFM downcalls (a few ns each, no upcall: sbx_bench_poll copies each message's
 * stamp, sequence and kind into an array the caller owns, so no Java code runs inside sb_poll).
 *
 * Payload layout (the harness's Payload): stamp int64 at 0, seq int64 at 8, kind int32 at 16, filler up to length.
 * Not thread-safe: one endpoint per thread, like an sb_client.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "switchboard.h"

#define SBX_MAX_PAYLOAD 65536

typedef struct sbx_bench
{
    sb_client *client;
    sb_destination *to;           /* the other side at CRITICAL; NULL for a responder until it heard from someone */
    int64_t last_source;          /* a responder answers the initiator it last heard from */
    int64_t heard_from;           /* the source of the last message polled */
    int64_t *out;                 /* sbx_bench_poll's output while it runs */
    int out_count;
    int out_limit;
    uint8_t send_buffer[SBX_MAX_PAYLOAD];
}
sbx_bench;

static __thread char error_text[512];

const char *sbx_bench_errmsg(void)
{
    return error_text;
}

static void set_error(const char *what)
{
    snprintf(error_text, sizeof(error_text), "%s: %s (errcode %d)", what, sb_errmsg(), sb_errcode());
}

/**
 * Connect to the router (the environment says where, as for any agent: SWITCHBOARD_SOCKET, SWITCHBOARD_SHM_DIR; the
 * arguments override them when not NULL) and register.
 * @return the endpoint, or NULL (sbx_bench_errmsg says why).
 */
sbx_bench *sbx_bench_open(const char *socket_path, const char *shm_dir, const char *name, int32_t lease_ms)
{
    sbx_bench *b = calloc(1, sizeof(*b));
    sb_context *ctx = NULL;
    if (NULL == b)
    {
        snprintf(error_text, sizeof(error_text), "no memory");
        return NULL;
    }
    if (sb_context_init(&ctx) < 0 ||
        (NULL != socket_path && sb_context_set_socket_path(ctx, socket_path) < 0) ||
        (NULL != shm_dir && sb_context_set_shm_dir(ctx, shm_dir) < 0) ||
        (lease_ms > 0 && sb_context_set_lease_ms(ctx, lease_ms) < 0))
    {
        set_error("context");
        sb_context_close(ctx);
        free(b);
        return NULL;
    }
    const int connected = sb_client_connect(ctx, &b->client);
    sb_context_close(ctx);
    if (connected < 0)
    {
        set_error("connect");
        free(b);
        return NULL;
    }
    const char *caps[] = { "bench" };
    if (sb_register(b->client, name, caps, 1, NULL) < 0)
    {
        set_error("register");
        sb_close(b->client);
        free(b);
        return NULL;
    }
    return b;
}

/** @return the agent id of a registered agent of that name, 0 when none (yet), -1 on failure. */
int64_t sbx_bench_lookup(sbx_bench *b, const char *name)
{
    sb_agent_info info;
    const int found = sb_lookup(b->client, name, &info);
    if (found < 0)
    {
        set_error("lookup");
        return -1;
    }
    return 1 == found ? info.agent_id : 0;
}

/** Resolve the CRITICAL destination to an agent id. @return 1 when direct (its inbox mapped), 0 when routed, -1. */
int sbx_bench_destination(sbx_bench *b, int64_t agent_id)
{
    if (sb_destination_by_id(b->client, agent_id, SB_PRIORITY_CRITICAL, &b->to) < 0)
    {
        set_error("destination");
        return -1;
    }
    b->last_source = agent_id;
    return sb_destination_is_direct(b->to);
}

/** @return 1 when the current destination is direct (the other side's inbox), 0 when routed, -1 when there is none. */
int sbx_bench_is_direct(sbx_bench *b)
{
    return NULL == b->to ? -1 : sb_destination_is_direct(b->to);
}

/** @return this endpoint's agent id. */
int64_t sbx_bench_agent_id(sbx_bench *b)
{
    return sb_agent_id(b->client);
}

/**
 * Send one message of `length` bytes (20 .. 65536) to the destination.
 * @return 1 sent, 0 back-pressured (nothing written), or a negative sb_offer_status.
 */
int sbx_bench_offer(sbx_bench *b, int64_t stamp, int64_t seq, int32_t kind, int32_t length)
{
    if (NULL == b->to || length < 20 || length > SBX_MAX_PAYLOAD)
    {
        return SB_REJECTED;
    }
    memcpy(b->send_buffer, &stamp, 8);
    memcpy(b->send_buffer + 8, &seq, 8);
    memcpy(b->send_buffer + 16, &kind, 4);
    const int status = sb_send(b->client, b->to, b->send_buffer, (size_t)length);
    return SB_OK == status ? 1 : SB_BACK_PRESSURED == status ? 0 : status;
}

static void on_message(void *clientd, const sb_message *m)
{
    sbx_bench *b = clientd;
    if (b->out_count >= b->out_limit || m->payload_length < 20)
    {
        return;
    }
    int64_t *slot = b->out + 3 * b->out_count++;
    int32_t kind;
    memcpy(&slot[0], m->payload, 8);
    memcpy(&slot[1], m->payload + 8, 8);
    memcpy(&kind, m->payload + 16, 4);
    slot[2] = kind;
    if (0 != m->source_agent_id)
    {
        b->heard_from = m->source_agent_id;
    }
}

/**
 * Poll at most `limit` messages; each one's stamp, seq and kind go to out[3i], out[3i+1], out[3i+2].
 * @return messages delivered, or a negative sb_offer_status.
 */
int sbx_bench_poll(sbx_bench *b, int64_t *out, int32_t limit)
{
    b->out = out;
    b->out_count = 0;
    b->out_limit = limit;
    const int work = sb_poll(b->client, on_message, b, limit);
    if (work < 0)
    {
        return work;
    }
    if (b->heard_from != b->last_source && 0 != b->heard_from)
    {
        /* a responder's way back, resolved once per initiator after the poll (never a control call inside a handler):
           on the opening exchange, outside the measured steps */
        if (sb_destination_by_id(b->client, b->heard_from, SB_PRIORITY_CRITICAL, &b->to) < 0)
        {
            set_error("destination back");
            return SB_NOT_CONNECTED;
        }
        b->last_source = b->heard_from;
    }
    return b->out_count;
}

/** The client's idle strategy after a poll that delivered work_count messages. */
void sbx_bench_idle(sbx_bench *b, int32_t work_count)
{
    sb_idle(b->client, work_count);
}

/** Deregister, close and free. NULL is fine. */
void sbx_bench_close(sbx_bench *b)
{
    if (NULL != b)
    {
        sb_close(b->client);
        free(b);
    }
}
