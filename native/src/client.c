/*
 * sb_client: the agent's connection (Java's SwitchboardClient + ControlPlane + Sender + Poller + IpcConnection, for
 * the CRITICAL/BATCH inbox and the control/NORMAL socket).
 *
 * Control calls (this file's first half) block on the socket with poll(2) until the router's answer for their
 * correlation id comes, at most the context's timeout; data frames that arrive meanwhile are stashed (the stash may
 * grow: control calls may allocate) and delivered by the next sb_poll, before anything newer. Data calls (second half)
 * write into preallocated buffers or straight into a receiver's inbox, and never block.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sb_client_internal.h"
#include "sb_codecs.h"

#define DUTY_POLLS 1024               /* polls between two duty slices while busy (counted, not timed) */
#define SOCKET_SWEEP_POLLS 65536      /* empty polls between two reads of a socket no signal announced */

typedef enum reply_kind
{
    REPLY_NONE = 0,
    REPLY_REGISTERED,
    REPLY_ACK,
    REPLY_LOOKUP,
    REPLY_ERROR
}
reply_kind;

struct sb_client
{
    sb_context ctx;
    int fd;
    bool closed;
    bool broken;
    int64_t agent_id;
    char name[SB_MAX_NAME_LENGTH + 1];
    int64_t next_correlation_id;

    /* Challenge */
    bool challenged;
    uint32_t features;
    uint8_t nonce[SB_MAX_NONCE];
    size_t nonce_length;

    /* lease */
    int64_t heartbeat_interval_ns;
    int64_t next_heartbeat_ns;
    bool lease_lost;

    /* the own inbox */
    sb_inbox *inbox;
    int64_t seen_control_signal;
    int32_t sweep_countdown;
    int32_t duty_countdown;
    bool inbox_was_empty;
    bool socket_pending;      /* the last socket read stopped at its limit: read again without waiting for a signal */

    /* socket buffers, allocated at connect */
    uint8_t *receive_buffer;
    size_t receive_capacity;
    size_t receive_start;
    size_t receive_end;
    uint8_t *send_buffer;
    size_t send_used;
    uint8_t *control_buffer;

    /* frames that arrived during a control call: [int32 length][frame]..., delivered by the next poll */
    uint8_t *stash;
    size_t stash_length;
    size_t stash_capacity;
    size_t stash_read;

    /* the control call waiting */
    int64_t awaited_correlation_id;
    reply_kind reply;
    int reply_error_code;
    char reply_error_text[SB_MAX_TEXT + 1];
    int64_t reply_agent_id;
    int32_t reply_heartbeat_interval_ms;
    int64_t reply_resolved_id;
    sb_agent_info *lookup_infos;
    size_t lookup_max;
    size_t lookup_found;

    /* the current poll's handler */
    sb_message_handler handler;
    void *handler_clientd;
    int delivered;

    sb_destination destinations[SB_MAX_DESTINATIONS];
    sb_pending_request pending[SB_MAX_PENDING_REQUESTS];
    int pending_count;

    /* idle */
    int64_t idle_spin_start_ns;
    int32_t idle_count;
    int64_t backoff_ns;

    char inbox_path[SB_MAX_PATH_LENGTH + 1];
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void put_le32(uint8_t *at, uint32_t v)
{
    at[0] = (uint8_t)v;
    at[1] = (uint8_t)(v >> 8);
    at[2] = (uint8_t)(v >> 16);
    at[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *at)
{
    return (uint32_t)at[0] | ((uint32_t)at[1] << 8) | ((uint32_t)at[2] << 16) | ((uint32_t)at[3] << 24);
}

int64_t sb_name_id(const char *name)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; NULL != p && *p; p++)
    {
        hash ^= *p;
        hash *= 0x100000001b3ULL;
    }
    return 0 == hash ? 1 : (int64_t)hash;
}

static int check_name(const char *what, const char *name, size_t max)
{
    if (NULL == name)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "%s must not be NULL", what);
    }
    const size_t n = strlen(name);
    if (n < 1 || n > max)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "%s must be 1..%zu UTF-8 bytes: '%.40s' has %zu", what, max, name, n);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* socket: framing, sending, receiving                                                                          */
/* ------------------------------------------------------------------------------------------------------------ */

static void mark_broken(sb_client *client)
{
    client->broken = true;
}

/* Write what the send buffer holds, without blocking. @return 0, or -1 when the connection broke. */
static int flush(sb_client *client)
{
    size_t done = 0;
    while (done < client->send_used)
    {
        const ssize_t n = send(client->fd, client->send_buffer + done, client->send_used - done,
            MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
        {
            if (EINTR == errno)
            {
                continue;
            }
            if (EAGAIN == errno || EWOULDBLOCK == errno)
            {
                break;
            }
            mark_broken(client);
            return -1;
        }
        done += (size_t)n;
    }
    if (done > 0)
    {
        memmove(client->send_buffer, client->send_buffer + done, client->send_used - done);
        client->send_used -= done;
    }
    return 0;
}

/* Room for one record of `frame_length` bytes in the send buffer, flushing first if needed. */
static uint8_t *claim_send(sb_client *client, size_t frame_length, int *status)
{
    const size_t needed = SB_LENGTH_PREFIX + frame_length;
    if (client->broken)
    {
        *status = SB_CLOSED;
        return NULL;
    }
    if (frame_length > (size_t)client->ctx.max_frame || needed > SB_SEND_BUFFER_LENGTH)
    {
        *status = SB_TOO_LARGE;
        return NULL;
    }
    if (SB_SEND_BUFFER_LENGTH - client->send_used < needed)
    {
        if (0 != flush(client))
        {
            *status = SB_CLOSED;
            return NULL;
        }
        if (SB_SEND_BUFFER_LENGTH - client->send_used < needed)
        {
            *status = SB_BACK_PRESSURED;
            return NULL;
        }
    }
    uint8_t *at = client->send_buffer + client->send_used;
    put_le32(at, (uint32_t)frame_length);
    *status = SB_OK;
    return at + SB_LENGTH_PREFIX;
}

static int commit_send(sb_client *client, size_t frame_length)
{
    client->send_used += SB_LENGTH_PREFIX + frame_length;
    return 0 == flush(client) ? SB_OK : SB_CLOSED;
}

/* A control frame (encoded in control_buffer): waits for room until the deadline. @return 0 or -1. */
static int send_control(sb_client *client, size_t length, int64_t deadline_ns, const char *what)
{
    while (true)
    {
        int status;
        uint8_t *at = claim_send(client, length, &status);
        if (NULL != at)
        {
            memcpy(at, client->control_buffer, length);
            if (SB_OK != commit_send(client, length))
            {
                return sb_set_error(SB_ERR_CLOSED, "%s: the connection to the router broke", what);
            }
            return 0;
        }
        if (SB_BACK_PRESSURED != status)
        {
            return sb_set_error(SB_CLOSED == status ? SB_ERR_CLOSED : SB_ERR_ARGUMENT, "%s: %s", what,
                SB_CLOSED == status ? "the connection to the router is closed" : "the request is too large");
        }
        const int64_t left = deadline_ns - now_ns();
        if (left <= 0)
        {
            return sb_set_error(SB_ERR_TIMEOUT, "%s: the router did not take the request within %lld ms", what,
                (long long)client->ctx.timeout_ms);
        }
        struct pollfd pfd = { .fd = client->fd, .events = POLLOUT };
        poll(&pfd, 1, (int)(left / 1000000 + 1));
    }
}

static void stash_frame(sb_client *client, const uint8_t *frame, size_t length)
{
    const size_t needed = client->stash_length + 4 + length;
    if (needed > client->stash_capacity)
    {
        size_t capacity = client->stash_capacity < 4096 ? 4096 : client->stash_capacity;
        while (capacity < needed)
        {
            capacity *= 2;
        }
        uint8_t *grown = realloc(client->stash, capacity);
        if (NULL == grown)
        {
            /* Never silent: the connection is treated as broken, as Java's client would on OutOfMemoryError. */
            mark_broken(client);
            return;
        }
        client->stash = grown;
        client->stash_capacity = capacity;
    }
    put_le32(client->stash + client->stash_length, (uint32_t)length);
    memcpy(client->stash + client->stash_length + 4, frame, length);
    client->stash_length = needed;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* received frames                                                                                              */
/* ------------------------------------------------------------------------------------------------------------ */

static sb_pending_request *find_pending(sb_client *client, int64_t correlation_id)
{
    if (0 == client->pending_count || correlation_id <= 0)
    {
        return NULL;
    }
    sb_pending_request *p = &client->pending[(uint64_t)correlation_id & (SB_MAX_PENDING_REQUESTS - 1)];
    return p->correlation_id == correlation_id ? p : NULL;
}

/* A data message for the user: responses go to their request's handler. */
static void deliver(sb_client *client, const sb_message *message)
{
    if (SB_PATTERN_RESPONSE == message->pattern)
    {
        sb_pending_request *p = find_pending(client, message->correlation_id);
        if (NULL != p)
        {
            sb_response_handler handler = p->handler;
            void *clientd = p->clientd;
            p->correlation_id = 0;
            client->pending_count--;
            client->delivered++;
            if (NULL != handler)
            {
                handler(clientd, message->correlation_id, message);
            }
            return;
        }
        /* A late response (its request timed out): dropped, as Java counts LATE_RESPONSES. */
        return;
    }
    client->delivered++;
    if (NULL != client->handler)
    {
        client->handler(client->handler_clientd, message);
    }
}

static void copy_view(char *out, size_t out_capacity, const char *data, size_t length)
{
    if (NULL == data)
    {
        out[0] = '\0';
        return;
    }
    const size_t n = length < out_capacity - 1 ? length : out_capacity - 1;
    memcpy(out, data, n);
    out[n] = '\0';
}

static int decode_lookup_result(sb_client *client, const uint8_t *frame, size_t length, uint16_t block_length,
    uint16_t version)
{
    struct dev_switchboard_codecs_sbe_lookupResult result = {0};
    if (!SB_BLOCK_OK(block_length, dev_switchboard_codecs_sbe_lookupResult_sbe_block_length()) ||
        !dev_switchboard_codecs_sbe_lookupResult_wrap_for_decode(&result, (char *)frame, SB_MESSAGE_HEADER_LENGTH,
        block_length, version, length))
    {
        return -1;
    }
    if (dev_switchboard_codecs_sbe_lookupResult_correlationId(&result) != client->awaited_correlation_id)
    {
        return 0;
    }
    struct dev_switchboard_codecs_sbe_lookupResult_agents agents = {0};
    if (!dev_switchboard_codecs_sbe_lookupResult_get_agents(&result, &agents))
    {
        return -1;
    }
    const uint64_t count = dev_switchboard_codecs_sbe_lookupResult_agents_count(&agents);
    if (count > 0 && !SB_BLOCK_OK(agents.block_length, dev_switchboard_codecs_sbe_lookupResult_agents_sbe_block_length()))
    {
        return -1;
    }
    client->lookup_found = 0;
    for (uint64_t i = 0; i < count; i++)
    {
        if (!dev_switchboard_codecs_sbe_lookupResult_agents_next(&agents))
        {
            return -1;
        }
        sb_agent_info scratch;
        sb_agent_info *info = client->lookup_found < client->lookup_max ? &client->lookup_infos[client->lookup_found] :
            &scratch;
        memset(info, 0, sizeof(*info));
        info->agent_id = dev_switchboard_codecs_sbe_lookupResult_agents_agentId(&agents);
        info->pid = dev_switchboard_codecs_sbe_lookupResult_agents_pid(&agents);
        struct dev_switchboard_codecs_sbe_tiers tiers = {0};
        if (!dev_switchboard_codecs_sbe_lookupResult_agents_tiers(&agents, &tiers))
        {
            return -1;
        }
        info->tiers = (uint8_t)tiers.buffer[tiers.offset];
        struct dev_switchboard_codecs_sbe_lookupResult_agents_capabilities caps = {0};
        if (!dev_switchboard_codecs_sbe_lookupResult_agents_get_capabilities(&agents, &caps))
        {
            return -1;
        }
        const uint64_t cap_count = dev_switchboard_codecs_sbe_lookupResult_agents_capabilities_count(&caps);
        for (uint64_t c = 0; c < cap_count; c++)
        {
            if (!dev_switchboard_codecs_sbe_lookupResult_agents_capabilities_next(&caps))
            {
                return -1;
            }
            if (!SB_VAR_OK(*caps.position_ptr, 2, length))
            {
                return -1;
            }
            struct dev_switchboard_codecs_sbe_lookupResult_string_view view =
                dev_switchboard_codecs_sbe_lookupResult_agents_capabilities_get_capability_as_string_view(&caps);
            if (NULL == view.data && view.length > 0)
            {
                return -1;
            }
            if (c < SB_MAX_CAPABILITIES)
            {
                copy_view(info->capabilities[c], sizeof(info->capabilities[c]), view.data, view.length);
                info->capability_count = (uint32_t)(c + 1);
            }
        }
        if (!SB_VAR_OK(*agents.position_ptr, 2, length))
        {
            return -1;
        }
        struct dev_switchboard_codecs_sbe_lookupResult_string_view name =
            dev_switchboard_codecs_sbe_lookupResult_agents_get_name_as_string_view(&agents);
        if (NULL == name.data && name.length > 0)
        {
            return -1;
        }
        copy_view(info->name, sizeof(info->name), name.data, name.length);
        if (!SB_VAR_OK(*agents.position_ptr, 2, length))
        {
            return -1;
        }
        struct dev_switchboard_codecs_sbe_lookupResult_string_view inbox =
            dev_switchboard_codecs_sbe_lookupResult_agents_get_inbox_as_string_view(&agents);
        if (NULL == inbox.data && inbox.length > 0)
        {
            return -1;
        }
        copy_view(info->inbox, sizeof(info->inbox), inbox.data, inbox.length);
        /* The agent's host (schema version 3; absent from an older router's answer): read past, not kept. */
        if (dev_switchboard_codecs_sbe_lookupResult_agents_host_in_acting_version(&agents))
        {
            if (!SB_VAR_OK(*agents.position_ptr, 2, length))
            {
                return -1;
            }
            struct dev_switchboard_codecs_sbe_lookupResult_string_view host =
                dev_switchboard_codecs_sbe_lookupResult_agents_get_host_as_string_view(&agents);
            if (NULL == host.data && host.length > 0)
            {
                return -1;
            }
        }
        client->lookup_found++;
    }
    client->reply = REPLY_LOOKUP;
    return 0;
}

/* One frame from the control socket. `in_call`: a control call waits, so data frames are stashed. */
static int on_socket_frame(sb_client *client, const uint8_t *frame, size_t length, bool in_call)
{
    uint16_t template_id = 0;
    uint16_t block_length = 0;
    uint16_t version = 0;
    if (0 != sb_frame_header(frame, length, &template_id, &block_length, &version))
    {
        return 0; /* not ours to judge further: Java's client counts and skips it */
    }
    char *buffer = (char *)frame;
    switch (template_id)
    {
        case DEV_SWITCHBOARD_CODECS_SBE_ENVELOPE_SBE_TEMPLATE_ID:
        {
            if (in_call)
            {
                stash_frame(client, frame, length);
                return 0;
            }
            sb_message message;
            if (0 == sb_decode_envelope(frame, length, block_length, version, &message))
            {
                message.tier = SB_TIER_NORMAL;
                deliver(client, &message);
            }
            return 1;
        }
        case DEV_SWITCHBOARD_CODECS_SBE_CHALLENGE_SBE_TEMPLATE_ID:
        {
            struct dev_switchboard_codecs_sbe_challenge challenge = {0};
            if (!SB_BLOCK_OK(block_length, dev_switchboard_codecs_sbe_challenge_sbe_block_length()) ||
                !dev_switchboard_codecs_sbe_challenge_wrap_for_decode(&challenge, buffer, SB_MESSAGE_HEADER_LENGTH,
                block_length, version, length) ||
                !SB_VAR_OK(dev_switchboard_codecs_sbe_challenge_sbe_position(&challenge), 4, length))
            {
                return 0;
            }
            client->features = dev_switchboard_codecs_sbe_challenge_flags(&challenge);
            struct dev_switchboard_codecs_sbe_challenge_string_view nonce =
                dev_switchboard_codecs_sbe_challenge_get_nonce_as_string_view(&challenge);
            if (NULL != nonce.data && nonce.length <= SB_MAX_NONCE)
            {
                memcpy(client->nonce, nonce.data, nonce.length);
                client->nonce_length = nonce.length;
                client->challenged = true;
            }
            return 0;
        }
        case DEV_SWITCHBOARD_CODECS_SBE_REGISTERED_SBE_TEMPLATE_ID:
        {
            struct dev_switchboard_codecs_sbe_registered registered = {0};
            if (SB_BLOCK_OK(block_length, dev_switchboard_codecs_sbe_registered_sbe_block_length()) &&
                dev_switchboard_codecs_sbe_registered_wrap_for_decode(&registered, buffer, SB_MESSAGE_HEADER_LENGTH,
                block_length, version, length) &&
                dev_switchboard_codecs_sbe_registered_correlationId(&registered) == client->awaited_correlation_id)
            {
                client->reply_agent_id = dev_switchboard_codecs_sbe_registered_agentId(&registered);
                client->reply_heartbeat_interval_ms = dev_switchboard_codecs_sbe_registered_heartbeatIntervalMs(&registered);
                client->reply = REPLY_REGISTERED;
            }
            return 0;
        }
        case DEV_SWITCHBOARD_CODECS_SBE_ACK_SBE_TEMPLATE_ID:
        {
            struct dev_switchboard_codecs_sbe_ack ack = {0};
            if (SB_BLOCK_OK(block_length, dev_switchboard_codecs_sbe_ack_sbe_block_length()) &&
                dev_switchboard_codecs_sbe_ack_wrap_for_decode(&ack, buffer, SB_MESSAGE_HEADER_LENGTH, block_length,
                version, length) && dev_switchboard_codecs_sbe_ack_correlationId(&ack) == client->awaited_correlation_id)
            {
                client->reply_resolved_id = dev_switchboard_codecs_sbe_ack_resolvedId(&ack);
                client->reply = REPLY_ACK;
            }
            return 0;
        }
        case DEV_SWITCHBOARD_CODECS_SBE_LOOKUP_RESULT_SBE_TEMPLATE_ID:
            if (0 != client->awaited_correlation_id)
            {
                decode_lookup_result(client, frame, length, block_length, version);
            }
            return 0;
        case DEV_SWITCHBOARD_CODECS_SBE_ERROR_SBE_TEMPLATE_ID:
        {
            struct dev_switchboard_codecs_sbe_error error = {0};
            if (!SB_BLOCK_OK(block_length, dev_switchboard_codecs_sbe_error_sbe_block_length()) ||
                !dev_switchboard_codecs_sbe_error_wrap_for_decode(&error, buffer, SB_MESSAGE_HEADER_LENGTH,
                block_length, version, length) ||
                !SB_VAR_OK(dev_switchboard_codecs_sbe_error_sbe_position(&error), 2, length))
            {
                return 0;
            }
            const int64_t correlation_id = dev_switchboard_codecs_sbe_error_correlationId(&error);
            enum dev_switchboard_codecs_sbe_errorCode code_value;
            const int code = dev_switchboard_codecs_sbe_error_code(&error, &code_value) ? (int)code_value : 99;
            struct dev_switchboard_codecs_sbe_error_string_view text =
                dev_switchboard_codecs_sbe_error_get_text_as_string_view(&error);
            char message[SB_MAX_TEXT + 1];
            copy_view(message, sizeof(message), text.data, text.length);
            if (0 != client->awaited_correlation_id && correlation_id == client->awaited_correlation_id)
            {
                client->reply = REPLY_ERROR;
                client->reply_error_code = code;
                memcpy(client->reply_error_text, message, sizeof(message));
                return 0;
            }
            if (14 == code && client->agent_id != 0 && 0 == correlation_id)
            {
                client->lease_lost = true; /* NOT_REGISTERED after an expiry: see sb_poll */
            }
            if (NULL != client->ctx.error_handler)
            {
                client->ctx.error_handler(client->ctx.error_clientd, correlation_id, code, message);
            }
            return 1;
        }
        case DEV_SWITCHBOARD_CODECS_SBE_AGENT_EVENT_SBE_TEMPLATE_ID:
        {
            struct dev_switchboard_codecs_sbe_agentEvent event = {0};
            if (!SB_BLOCK_OK(block_length, dev_switchboard_codecs_sbe_agentEvent_sbe_block_length()) ||
                !dev_switchboard_codecs_sbe_agentEvent_wrap_for_decode(&event, buffer, SB_MESSAGE_HEADER_LENGTH,
                block_length, version, length) ||
                !SB_VAR_OK(dev_switchboard_codecs_sbe_agentEvent_sbe_position(&event), 2, length))
            {
                return 0;
            }
            enum dev_switchboard_codecs_sbe_agentEventKind kind;
            if (!dev_switchboard_codecs_sbe_agentEvent_kind(&event, &kind))
            {
                return 0;
            }
            const int64_t agent_id = dev_switchboard_codecs_sbe_agentEvent_agentId(&event);
            struct dev_switchboard_codecs_sbe_agentEvent_string_view name =
                dev_switchboard_codecs_sbe_agentEvent_get_name_as_string_view(&event);
            char text[SB_MAX_NAME_LENGTH + 1];
            copy_view(text, sizeof(text), name.data, name.length);
            if (agent_id == client->agent_id && 2 == (int)kind)
            {
                client->lease_lost = true;
            }
            if (NULL != client->ctx.event_handler)
            {
                client->ctx.event_handler(client->ctx.event_clientd, agent_id, (int)kind, text);
            }
            return 1;
        }
        default:
            return 0; /* LinkExpect, LinkGrant...: this client announces no agent links, so none are expected */
    }
}

/*
 * Read the socket without blocking and hand every complete frame over. @return work done, or -1 when the connection
 * broke or the router broke the framing.
 */
/* Hand over the complete frames already in the receive buffer. @return -1 when a length prefix breaks the framing. */
static int drain_received(sb_client *client, bool in_call, int limit, int *frames, int *work)
{
    while (client->receive_end - client->receive_start >= SB_LENGTH_PREFIX && *frames < limit)
    {
        const uint8_t *at = client->receive_buffer + client->receive_start;
        const uint32_t length = get_le32(at);
        if (0 == length || length > (uint32_t)client->ctx.max_frame)
        {
            mark_broken(client);
            return sb_set_error(SB_ERR_PROTOCOL, "the router sent a frame of %u bytes; the limit is %d",
                length, client->ctx.max_frame);
        }
        if (client->receive_end - client->receive_start - SB_LENGTH_PREFIX < length)
        {
            break;
        }
        client->receive_start += SB_LENGTH_PREFIX + length;
        (*frames)++;
        *work += on_socket_frame(client, at + SB_LENGTH_PREFIX, length, in_call);
    }
    return 0;
}

static int read_socket(sb_client *client, bool in_call, int limit)
{
    int work = 0;
    int frames = 0;
    while (true)
    {
        if (0 != drain_received(client, in_call, limit, &frames, &work))
        {
            return -1;
        }
        if (frames >= limit)
        {
            client->socket_pending = true;
            return work;
        }
        if (client->receive_start > 0)
        {
            memmove(client->receive_buffer, client->receive_buffer + client->receive_start,
                client->receive_end - client->receive_start);
            client->receive_end -= client->receive_start;
            client->receive_start = 0;
        }
        const ssize_t n = recv(client->fd, client->receive_buffer + client->receive_end,
            client->receive_capacity - client->receive_end, MSG_DONTWAIT);
        if (n > 0)
        {
            client->receive_end += (size_t)n;
            continue;
        }
        if (0 == n)
        {
            mark_broken(client);
            return -1;
        }
        if (EINTR == errno)
        {
            continue;
        }
        if (EAGAIN == errno || EWOULDBLOCK == errno)
        {
            client->socket_pending = false;
            return work;
        }
        mark_broken(client);
        return -1;
    }
}

/* Block until the reply to `correlation_id` came or the deadline passed. @return 0 or -1 (errors set). */
static int await_reply(sb_client *client, int64_t correlation_id, int64_t deadline_ns, const char *what)
{
    client->awaited_correlation_id = correlation_id;
    client->reply = REPLY_NONE;
    while (REPLY_NONE == client->reply)
    {
        if (read_socket(client, true, 1 << 30) < 0 || client->broken)
        {
            client->awaited_correlation_id = 0;
            return sb_set_error(SB_ERR_CLOSED, "%s: the connection to the router is closed", what);
        }
        if (REPLY_NONE != client->reply)
        {
            break;
        }
        flush(client);
        const int64_t left = deadline_ns - now_ns();
        if (left <= 0)
        {
            client->awaited_correlation_id = 0;
            return sb_set_error(SB_ERR_TIMEOUT, "%s: the router did not answer within %lld ms", what,
                (long long)client->ctx.timeout_ms);
        }
        struct pollfd pfd = { .fd = client->fd, .events = POLLIN | (client->send_used > 0 ? POLLOUT : 0) };
        poll(&pfd, 1, (int)(left / 1000000 + 1));
    }
    client->awaited_correlation_id = 0;
    if (REPLY_ERROR == client->reply)
    {
        return sb_set_error(client->reply_error_code, "%s refused by the router (error code %d): %s", what,
            client->reply_error_code, client->reply_error_text);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* connect, register, close                                                                                     */
/* ------------------------------------------------------------------------------------------------------------ */

static void free_client(sb_client *client)
{
    for (int i = 0; i < SB_MAX_DESTINATIONS; i++)
    {
        if (NULL != client->destinations[i].inbox)
        {
            sb_inbox_close(client->destinations[i].inbox, 0);
        }
    }
    if (NULL != client->inbox)
    {
        sb_inbox_close(client->inbox, 1);
    }
    if (client->fd >= 0)
    {
        close(client->fd);
    }
    free(client->receive_buffer);
    free(client->send_buffer);
    free(client->control_buffer);
    free(client->stash);
    free(client);
}

int sb_client_connect(const sb_context *ctx, sb_client **client_out)
{
    if (NULL == ctx || NULL == client_out)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "sb_client_connect: NULL argument");
    }
    sb_client *client = calloc(1, sizeof(*client));
    if (NULL == client)
    {
        return sb_set_error(SB_ERR_NO_MEMORY, "no memory for a client");
    }
    client->ctx = *ctx;
    client->fd = -1;
    client->next_correlation_id = 1;
    client->receive_capacity = 2 * ((size_t)ctx->max_frame + SB_LENGTH_PREFIX);
    client->receive_buffer = malloc(client->receive_capacity);
    client->send_buffer = malloc(SB_SEND_BUFFER_LENGTH);
    client->control_buffer = malloc(SB_CONTROL_BUFFER_LENGTH);
    if (NULL == client->receive_buffer || NULL == client->send_buffer || NULL == client->control_buffer)
    {
        free_client(client);
        return sb_set_error(SB_ERR_NO_MEMORY, "no memory for the client's buffers");
    }

    const size_t path_length = strlen(ctx->socket_path);
    struct sockaddr_un address;
    memset(&address, 0, sizeof(address));
    address.sun_family = AF_UNIX;
    if (path_length >= sizeof(address.sun_path))
    {
        free_client(client);
        return sb_set_error(SB_ERR_ARGUMENT, "control socket path %s is longer than %zu bytes", ctx->socket_path,
            sizeof(address.sun_path) - 1);
    }
    memcpy(address.sun_path, ctx->socket_path, path_length);
    client->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client->fd < 0)
    {
        const int e = errno;
        free_client(client);
        return sb_set_errno_error(SB_ERR_IO, e, "cannot make a Unix socket");
    }
    const int64_t deadline = now_ns() + ctx->timeout_ms * 1000000LL;
    while (0 != connect(client->fd, (struct sockaddr *)&address, sizeof(address)))
    {
        const int e = errno;
        if (EINTR == e)
        {
            continue;
        }
        if ((EAGAIN == e || ECONNREFUSED == e || ENOENT == e) && now_ns() < deadline)
        {
            /* A full listen queue (EAGAIN), or a router starting: retried until the timeout, as Java's connect. */
            struct timespec pause = { 0, 10 * 1000 * 1000 };
            nanosleep(&pause, NULL);
            continue;
        }
        free_client(client);
        return sb_set_errno_error(SB_ERR_IO, e, "cannot connect to the router's control socket %s", ctx->socket_path);
    }
    fcntl(client->fd, F_SETFL, fcntl(client->fd, F_GETFL) | O_NONBLOCK);

    /* The router's Challenge comes first on every connection (flags: token required, relays wakes, signals...). */
    while (!client->challenged)
    {
        if (read_socket(client, true, 1) < 0 || client->broken)
        {
            free_client(client);
            return sb_set_error(SB_ERR_CLOSED, "the router at %s closed the connection before its challenge (a "
                "connection limit, or a router with switchboard.link.mac=on, which this library does not speak)",
                ctx->socket_path);
        }
        if (client->challenged)
        {
            break;
        }
        const int64_t left = deadline - now_ns();
        if (left <= 0)
        {
            free_client(client);
            return sb_set_error(SB_ERR_TIMEOUT, "the router at %s sent no challenge within %lld ms", ctx->socket_path,
                (long long)ctx->timeout_ms);
        }
        struct pollfd pfd = { .fd = client->fd, .events = POLLIN };
        poll(&pfd, 1, (int)(left / 1000000 + 1));
    }
    *client_out = client;
    return 0;
}

static bool inside_dir(const char *dir, const char *path)
{
    const size_t n = strlen(dir);
    if (0 != strncmp(dir, path, n) || '/' != path[n])
    {
        return false;
    }
    const char *file = path + n + 1;
    return '\0' != file[0] && NULL == strchr(file, '/') && 0 != strcmp(file, ".") && 0 != strcmp(file, "..");
}

int sb_register(sb_client *client, const char *name, const char *const *capabilities, size_t capability_count,
    sb_agent_info *info)
{
    if (NULL == client || client->closed)
    {
        return sb_set_error(SB_ERR_CLOSED, "register: the client is closed");
    }
    if (0 != client->agent_id)
    {
        return sb_set_error(SB_ERR_STATE, "already registered as '%s'; one registration per client", client->name);
    }
    if (0 != check_name("agent name", name, SB_MAX_NAME_LENGTH))
    {
        return -1;
    }
    if (capability_count > SB_MAX_CAPABILITIES || (capability_count > 0 && NULL == capabilities))
    {
        return sb_set_error(SB_ERR_ARGUMENT, "an agent has at most %d capabilities: %zu given", SB_MAX_CAPABILITIES,
            capability_count);
    }
    for (size_t i = 0; i < capability_count; i++)
    {
        if (0 != check_name("capability", capabilities[i], SB_MAX_CAPABILITY_LENGTH))
        {
            return -1;
        }
    }
    if (client->broken)
    {
        return sb_set_error(SB_ERR_CLOSED, "register: the connection to the router is closed");
    }

    /* Credential: the HMAC answer to this connection's challenge when a secret file is configured. */
    uint8_t credential[1 + SB_SHA256_LENGTH];
    size_t credential_length = 0;
    if ('\0' != client->ctx.secret_file[0])
    {
        uint8_t secret[4096];
        size_t secret_length = 0;
        if (0 != sb_read_secret_file(client->ctx.secret_file, secret, sizeof(secret), &secret_length))
        {
            return -1;
        }
        const uint8_t *parts[2] = { client->nonce, (const uint8_t *)name };
        const size_t lengths[2] = { client->nonce_length, strlen(name) };
        credential[0] = 1; /* RegistrationToken.KIND_HMAC */
        sb_derive(secret, secret_length, "register", parts, lengths, 2, credential + 1);
        credential_length = sizeof(credential);
        memset(secret, 0, sizeof(secret));
    }
    else if (0 != (client->features & SB_FEATURE_TOKEN_REQUIRED))
    {
        return sb_set_error(SB_ERR_AUTH, "register '%s': the router requires a registration token; configure the "
            "secret file (sb_context_set_secret_file or SWITCHBOARD_SECRET_FILE)", name);
    }

    /* The inbox, created by the agent itself (as Java's IpcConnection: conn<N>-<pid>.inbox in the shm dir). */
    if (!client->ctx.no_inbox && NULL == client->inbox)
    {
        static _Atomic int sequence = 0;
        int attempts = 0;
        while (true)
        {
            char file_name[64];
            snprintf(file_name, sizeof(file_name), "cconn%d-%ld.inbox", atomic_fetch_add(&sequence, 1) + 1,
                (long)getpid());
            if (0 == sb_inbox_create_named(client->ctx.shm_dir, file_name, client->ctx.inbox_capacity, &client->inbox))
            {
                break;
            }
            if (++attempts > 64 || SB_ERR_IO != sb_errcode() || NULL == strstr(sb_errmsg(), "File exists"))
            {
                return -1;
            }
        }
        snprintf(client->inbox_path, sizeof(client->inbox_path), "%s", client->inbox->path);
        client->seen_control_signal = sb_inbox_signal(client->inbox, SB_INBOX_CONTROL_SIGNAL_OFFSET);
    }

    const int64_t correlation_id = client->next_correlation_id++;
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    struct dev_switchboard_codecs_sbe_register message = {0};
    char *buffer = (char *)client->control_buffer;
    if (!dev_switchboard_codecs_sbe_register_wrap_and_apply_header(&message, buffer, 0, SB_CONTROL_BUFFER_LENGTH,
        &header))
    {
        return sb_set_error(SB_ERR_PROTOCOL, "register: cannot encode");
    }
    dev_switchboard_codecs_sbe_register_set_correlationId(&message, correlation_id);
    dev_switchboard_codecs_sbe_register_set_pid(&message, (int64_t)getpid());
    dev_switchboard_codecs_sbe_register_set_requestedLeaseMs(&message, client->ctx.lease_ms);
    const uint8_t tiers = (uint8_t)(SB_TIERS_NORMAL | (NULL != client->inbox ? SB_TIERS_CRITICAL | SB_TIERS_BATCH : 0));
    buffer[SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_register_tiers_encoding_offset()] = (char)tiers;
    struct dev_switchboard_codecs_sbe_register_capabilities caps = {0};
    if (!dev_switchboard_codecs_sbe_register_capabilities_set_count(&message, &caps, (uint16_t)capability_count))
    {
        return sb_set_error(SB_ERR_PROTOCOL, "register: cannot encode");
    }
    for (size_t i = 0; i < capability_count; i++)
    {
        if (!dev_switchboard_codecs_sbe_register_capabilities_next(&caps) ||
            !dev_switchboard_codecs_sbe_register_capabilities_put_capability(&caps, capabilities[i],
                (uint16_t)strlen(capabilities[i])))
        {
            return sb_set_error(SB_ERR_PROTOCOL, "register: cannot encode");
        }
    }
    const char *inbox_path = NULL != client->inbox ? client->inbox->path : "";
    if (!dev_switchboard_codecs_sbe_register_put_name(&message, name, (uint16_t)strlen(name)) ||
        !dev_switchboard_codecs_sbe_register_put_credential(&message, (const char *)credential,
            (uint32_t)credential_length) ||
        !dev_switchboard_codecs_sbe_register_put_inbox(&message, inbox_path, (uint16_t)strlen(inbox_path)))
    {
        return sb_set_error(SB_ERR_PROTOCOL, "register: cannot encode");
    }
    const size_t length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_register_encoded_length(&message);
    const int64_t deadline = now_ns() + client->ctx.timeout_ms * 1000000LL;
    char what[SB_MAX_NAME_LENGTH + 32];
    snprintf(what, sizeof(what), "register '%s'", name);
    if (0 != send_control(client, length, deadline, what) || 0 != await_reply(client, correlation_id, deadline, what))
    {
        return -1;
    }
    if (REPLY_REGISTERED != client->reply)
    {
        return sb_set_error(SB_ERR_PROTOCOL, "%s: unexpected answer", what);
    }
    client->agent_id = client->reply_agent_id;
    snprintf(client->name, sizeof(client->name), "%s", name);
    client->heartbeat_interval_ns = (int64_t)client->reply_heartbeat_interval_ms * 1000000LL;
    client->next_heartbeat_ns = now_ns() + client->heartbeat_interval_ns;
    if (NULL != info)
    {
        memset(info, 0, sizeof(*info));
        info->agent_id = client->agent_id;
        info->pid = (int64_t)getpid();
        info->tiers = tiers;
        snprintf(info->name, sizeof(info->name), "%s", name);
        snprintf(info->inbox, sizeof(info->inbox), "%s", inbox_path);
        for (size_t i = 0; i < capability_count; i++)
        {
            snprintf(info->capabilities[i], sizeof(info->capabilities[i]), "%s", capabilities[i]);
        }
        info->capability_count = (uint32_t)capability_count;
    }
    return 0;
}

static int ensure_registered(sb_client *client, const char *what)
{
    if (NULL == client || client->closed)
    {
        return sb_set_error(SB_ERR_CLOSED, "%s: the client is closed", what);
    }
    if (0 == client->agent_id)
    {
        return sb_set_error(SB_ERR_STATE, "%s: register first", what);
    }
    if (client->broken)
    {
        return sb_set_error(SB_ERR_CLOSED, "%s: the connection to the router is closed", what);
    }
    return 0;
}

static int lookup(sb_client *client, int kind, int64_t wanted, const char *query, sb_agent_info *infos, size_t max)
{
    const int64_t correlation_id = client->next_correlation_id++;
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    struct dev_switchboard_codecs_sbe_lookup message = {0};
    char *buffer = (char *)client->control_buffer;
    dev_switchboard_codecs_sbe_lookup_wrap_and_apply_header(&message, buffer, 0, SB_CONTROL_BUFFER_LENGTH, &header);
    dev_switchboard_codecs_sbe_lookup_set_correlationId(&message, correlation_id);
    dev_switchboard_codecs_sbe_lookup_set_agentId(&message, client->agent_id);
    dev_switchboard_codecs_sbe_lookup_set_kind(&message, (enum dev_switchboard_codecs_sbe_lookupKind)kind);
    dev_switchboard_codecs_sbe_lookup_set_wantedAgentId(&message, wanted);
    if (!dev_switchboard_codecs_sbe_lookup_put_query(&message, query, (uint16_t)strlen(query)))
    {
        return sb_set_error(SB_ERR_PROTOCOL, "lookup: cannot encode");
    }
    const size_t length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_lookup_encoded_length(&message);
    const int64_t deadline = now_ns() + client->ctx.timeout_ms * 1000000LL;
    client->lookup_infos = infos;
    client->lookup_max = max;
    client->lookup_found = 0;
    const int status = 0 != send_control(client, length, deadline, "lookup") ? -1 :
        await_reply(client, correlation_id, deadline, "lookup");
    client->lookup_infos = NULL;
    client->lookup_max = 0;
    if (0 != status)
    {
        return -1;
    }
    if (REPLY_LOOKUP != client->reply)
    {
        return sb_set_error(SB_ERR_PROTOCOL, "lookup: unexpected answer");
    }
    return (int)client->lookup_found;
}

int sb_lookup(sb_client *client, const char *name, sb_agent_info *info)
{
    if (0 != ensure_registered(client, "lookup") || 0 != check_name("agent name", name, SB_MAX_NAME_LENGTH))
    {
        return -1;
    }
    sb_agent_info scratch;
    const int found = lookup(client, 0, 0, name, NULL != info ? info : &scratch, 1);
    return found < 0 ? -1 : found > 0 ? 1 : 0;
}

int sb_lookup_by_id(sb_client *client, int64_t agent_id, sb_agent_info *info)
{
    if (0 != ensure_registered(client, "lookup by id"))
    {
        return -1;
    }
    sb_agent_info scratch;
    const int found = lookup(client, 2, agent_id, "", NULL != info ? info : &scratch, 1);
    return found < 0 ? -1 : found > 0 ? 1 : 0;
}

int sb_lookup_by_capability(sb_client *client, const char *capability, sb_agent_info *infos, size_t max_infos)
{
    if (0 != ensure_registered(client, "lookup by capability") ||
        0 != check_name("capability", capability, SB_MAX_CAPABILITY_LENGTH))
    {
        return -1;
    }
    if (max_infos > 0 && NULL == infos)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "lookup by capability: infos is NULL but max_infos is %zu", max_infos);
    }
    return lookup(client, 1, 0, capability, infos, max_infos);
}

static sb_destination *find_destination(sb_client *client, int64_t agent_id, sb_priority priority)
{
    for (int i = 0; i < SB_MAX_DESTINATIONS; i++)
    {
        sb_destination *d = &client->destinations[i];
        if (!d->in_use)
        {
            return NULL; /* filled in order, never freed before close */
        }
        if (d->agent_id == agent_id && d->priority == priority)
        {
            return d;
        }
    }
    return NULL;
}

static bool is_valid_priority(sb_priority priority)
{
    return priority >= SB_PRIORITY_CRITICAL && priority <= SB_PRIORITY_BATCH;
}

static int resolve(sb_client *client, const sb_agent_info *info, sb_priority priority, sb_destination **out)
{
    sb_destination *d = find_destination(client, info->agent_id, priority);
    if (NULL != d && NULL == d->inbox && '\0' == info->inbox[0])
    {
        *out = d;
        return 0;
    }
    if (NULL != d && NULL != d->inbox && 0 == strcmp(d->inbox->path, info->inbox) &&
        SB_INBOX_STATE_OPEN == atomic_load(sb_int_at(d->inbox->header, SB_INBOX_STATE_OFFSET)))
    {
        /* Still the receiver's open inbox (one that was CLOSED is mapped again: its owner may have made a new one). */
        *out = d;
        return 0;
    }
    if (NULL == d)
    {
        for (int i = 0; i < SB_MAX_DESTINATIONS && NULL == d; i++)
        {
            if (!client->destinations[i].in_use)
            {
                d = &client->destinations[i];
            }
        }
        if (NULL == d)
        {
            return sb_set_error(SB_ERR_LIMIT, "a client holds at most %d destinations", SB_MAX_DESTINATIONS);
        }
    }
    if (NULL != d->inbox)
    {
        sb_inbox_close(d->inbox, 0);
        d->inbox = NULL;
    }
    d->agent_id = info->agent_id;
    d->priority = priority;
    d->in_use = true;
    const bool ring_tier = SB_PRIORITY_CRITICAL == priority || SB_PRIORITY_BATCH == priority;
    d->direct_type = SB_FRAME_TYPE_DIRECT_BIT | (SB_PRIORITY_BATCH == priority ? SB_TIER_BATCH : SB_TIER_CRITICAL);
    if (ring_tier && '\0' != info->inbox[0] && NULL != client->inbox)
    {
        /* An inbox path from the registry is mapped only inside this client's shm dir (as Java's sender checks). */
        if (!inside_dir(client->ctx.shm_dir, info->inbox))
        {
            return sb_set_error(SB_ERR_IO, "refused inbox %s of agent %lld: not inside the shm dir %s", info->inbox,
                (long long)info->agent_id, client->ctx.shm_dir);
        }
        if (0 != sb_inbox_open(info->inbox, &d->inbox))
        {
            d->inbox = NULL; /* through the router instead, as Java falls back */
        }
    }
    *out = d;
    return 0;
}

/* The arguments sb_destination_by_id and sb_destination_by_name share: registered, a priority this library sends. */
static int check_destination_arguments(sb_client *client, sb_priority priority, sb_destination **destination)
{
    if (0 != ensure_registered(client, "destination"))
    {
        return -1;
    }
    if (!is_valid_priority(priority) || SB_PRIORITY_LOW == priority || NULL == destination)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "destination: priority %d is not one this library sends (CRITICAL, "
            "HIGH, NORMAL, BATCH), or destination is NULL", (int)priority);
    }
    return 0;
}

int sb_destination_by_id(sb_client *client, int64_t agent_id, sb_priority priority, sb_destination **destination)
{
    if (0 != check_destination_arguments(client, priority, destination))
    {
        return -1;
    }
    sb_agent_info info;
    const int found = sb_lookup_by_id(client, agent_id, &info);
    if (found < 0)
    {
        return -1;
    }
    if (0 == found)
    {
        return sb_set_error(15, "destination: no live agent has id %lld", (long long)agent_id);
    }
    return resolve(client, &info, priority, destination);
}

int sb_destination_by_name(sb_client *client, const char *name, sb_priority priority, sb_destination **destination)
{
    if (0 != check_destination_arguments(client, priority, destination))
    {
        return -1;
    }
    sb_agent_info info;
    const int found = sb_lookup(client, name, &info);
    if (found < 0)
    {
        return -1;
    }
    if (0 == found)
    {
        return sb_set_error(15, "destination: no live agent is named '%.128s'", name);
    }
    return resolve(client, &info, priority, destination);
}

int64_t sb_destination_agent_id(const sb_destination *destination)
{
    return NULL == destination ? 0 : destination->agent_id;
}

int sb_destination_is_direct(const sb_destination *destination)
{
    return NULL != destination && NULL != destination->inbox;
}

static int subscription(sb_client *client, const char *name, int kind, bool subscribe, int64_t *id_out)
{
    const char *what = subscribe ? "subscribe" : "unsubscribe";
    if (0 != ensure_registered(client, what) || 0 != check_name("name", name, SB_MAX_NAME_LENGTH))
    {
        return -1;
    }
    const int64_t correlation_id = client->next_correlation_id++;
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    char *buffer = (char *)client->control_buffer;
    size_t length;
    if (subscribe)
    {
        struct dev_switchboard_codecs_sbe_subscribe m = {0};
        dev_switchboard_codecs_sbe_subscribe_wrap_and_apply_header(&m, buffer, 0, SB_CONTROL_BUFFER_LENGTH, &header);
        dev_switchboard_codecs_sbe_subscribe_set_correlationId(&m, correlation_id);
        dev_switchboard_codecs_sbe_subscribe_set_agentId(&m, client->agent_id);
        dev_switchboard_codecs_sbe_subscribe_set_targetId(&m, sb_name_id(name));
        dev_switchboard_codecs_sbe_subscribe_set_kind(&m, (enum dev_switchboard_codecs_sbe_subscriptionKind)kind);
        dev_switchboard_codecs_sbe_subscribe_put_name(&m, name, (uint16_t)strlen(name));
        length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_subscribe_encoded_length(&m);
    }
    else
    {
        struct dev_switchboard_codecs_sbe_unsubscribe m = {0};
        dev_switchboard_codecs_sbe_unsubscribe_wrap_and_apply_header(&m, buffer, 0, SB_CONTROL_BUFFER_LENGTH, &header);
        dev_switchboard_codecs_sbe_unsubscribe_set_correlationId(&m, correlation_id);
        dev_switchboard_codecs_sbe_unsubscribe_set_agentId(&m, client->agent_id);
        dev_switchboard_codecs_sbe_unsubscribe_set_targetId(&m, sb_name_id(name));
        dev_switchboard_codecs_sbe_unsubscribe_set_kind(&m, (enum dev_switchboard_codecs_sbe_subscriptionKind)kind);
        dev_switchboard_codecs_sbe_unsubscribe_put_name(&m, name, (uint16_t)strlen(name));
        length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_unsubscribe_encoded_length(&m);
    }
    const int64_t deadline = now_ns() + client->ctx.timeout_ms * 1000000LL;
    if (0 != send_control(client, length, deadline, what) || 0 != await_reply(client, correlation_id, deadline, what))
    {
        return -1;
    }
    if (NULL != id_out)
    {
        *id_out = client->reply_resolved_id;
    }
    return 0;
}

int sb_subscribe(sb_client *client, const char *topic, int64_t *topic_id)
{
    return subscription(client, topic, 0, true, topic_id);
}

int sb_unsubscribe(sb_client *client, const char *topic)
{
    return subscription(client, topic, 0, false, NULL);
}

int sb_consume(sb_client *client, const char *queue, int64_t *queue_id)
{
    return subscription(client, queue, 1, true, queue_id);
}

int sb_stop_consuming(sb_client *client, const char *queue)
{
    return subscription(client, queue, 1, false, NULL);
}

int sb_watch_registry(sb_client *client)
{
    return subscription(client, "registry", 2, true, NULL);
}

static int membership(sb_client *client, const char *group, bool join, int64_t *id_out)
{
    const char *what = join ? "join group" : "leave group";
    if (0 != ensure_registered(client, what) || 0 != check_name("group", group, SB_MAX_NAME_LENGTH))
    {
        return -1;
    }
    const int64_t correlation_id = client->next_correlation_id++;
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    char *buffer = (char *)client->control_buffer;
    size_t length;
    if (join)
    {
        struct dev_switchboard_codecs_sbe_joinGroup m = {0};
        dev_switchboard_codecs_sbe_joinGroup_wrap_and_apply_header(&m, buffer, 0, SB_CONTROL_BUFFER_LENGTH, &header);
        dev_switchboard_codecs_sbe_joinGroup_set_correlationId(&m, correlation_id);
        dev_switchboard_codecs_sbe_joinGroup_set_agentId(&m, client->agent_id);
        dev_switchboard_codecs_sbe_joinGroup_set_groupId(&m, sb_name_id(group));
        dev_switchboard_codecs_sbe_joinGroup_put_name(&m, group, (uint16_t)strlen(group));
        length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_joinGroup_encoded_length(&m);
    }
    else
    {
        struct dev_switchboard_codecs_sbe_leaveGroup m = {0};
        dev_switchboard_codecs_sbe_leaveGroup_wrap_and_apply_header(&m, buffer, 0, SB_CONTROL_BUFFER_LENGTH, &header);
        dev_switchboard_codecs_sbe_leaveGroup_set_correlationId(&m, correlation_id);
        dev_switchboard_codecs_sbe_leaveGroup_set_agentId(&m, client->agent_id);
        dev_switchboard_codecs_sbe_leaveGroup_set_groupId(&m, sb_name_id(group));
        dev_switchboard_codecs_sbe_leaveGroup_put_name(&m, group, (uint16_t)strlen(group));
        length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_leaveGroup_encoded_length(&m);
    }
    const int64_t deadline = now_ns() + client->ctx.timeout_ms * 1000000LL;
    if (0 != send_control(client, length, deadline, what) || 0 != await_reply(client, correlation_id, deadline, what))
    {
        return -1;
    }
    if (NULL != id_out)
    {
        *id_out = client->reply_resolved_id;
    }
    return 0;
}

int sb_join_group(sb_client *client, const char *group, int64_t *group_id)
{
    return membership(client, group, true, group_id);
}

int sb_leave_group(sb_client *client, const char *group)
{
    return membership(client, group, false, NULL);
}

void sb_close(sb_client *client)
{
    if (NULL == client)
    {
        return;
    }
    if (0 != client->agent_id && !client->broken)
    {
        /* Deregister without waiting (Java's ControlPlane.deregister), then a bounded flush. */
        struct dev_switchboard_codecs_sbe_messageHeader header = {0};
        struct dev_switchboard_codecs_sbe_deregister m = {0};
        dev_switchboard_codecs_sbe_deregister_wrap_and_apply_header(&m, (char *)client->control_buffer, 0,
            SB_CONTROL_BUFFER_LENGTH, &header);
        dev_switchboard_codecs_sbe_deregister_set_correlationId(&m, client->next_correlation_id++);
        dev_switchboard_codecs_sbe_deregister_set_agentId(&m, client->agent_id);
        const size_t length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_deregister_encoded_length(&m);
        const int64_t deadline = now_ns() + 1000000000LL;
        if (0 == send_control(client, length, deadline, "deregister"))
        {
            while (client->send_used > 0 && !client->broken && now_ns() < deadline)
            {
                struct pollfd pfd = { .fd = client->fd, .events = POLLOUT };
                poll(&pfd, 1, 10);
                flush(client);
            }
        }
    }
    client->closed = true;
    free_client(client);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* data calls                                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

static int data_admit(sb_client *client, sb_priority priority, const void *payload, size_t length)
{
    if (NULL == client)
    {
        return SB_REJECTED;
    }
    if (client->closed || client->broken)
    {
        return SB_CLOSED;
    }
    if (0 == client->agent_id)
    {
        return SB_NOT_CONNECTED;
    }
    if (!is_valid_priority(priority) || SB_PRIORITY_LOW == priority || (length > 0 && NULL == payload))
    {
        return SB_REJECTED;
    }
    return SB_OK;
}

/* An Envelope through the router on the control socket: encoded in place in the send buffer (one copy). */
static int offer_routed(sb_client *client, sb_target_kind target_kind, int64_t target_id, sb_pattern pattern,
    sb_priority priority, int64_t correlation_id, const void *payload, size_t length)
{
    const size_t envelope_prefix = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_envelope_sbe_block_length() +
        dev_switchboard_codecs_sbe_envelope_payload_header_length();
    if (length > (size_t)client->ctx.max_frame - envelope_prefix)
    {
        return SB_TOO_LARGE;
    }
    const size_t frame_length = envelope_prefix + length;
    int status;
    uint8_t *at = claim_send(client, frame_length, &status);
    if (NULL == at)
    {
        return status;
    }
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    struct dev_switchboard_codecs_sbe_envelope e = {0};
    dev_switchboard_codecs_sbe_envelope_wrap_and_apply_header(&e, (char *)at, 0, frame_length, &header);
    dev_switchboard_codecs_sbe_envelope_set_sourceAgentId(&e, client->agent_id);
    dev_switchboard_codecs_sbe_envelope_set_targetId(&e, target_id);
    dev_switchboard_codecs_sbe_envelope_set_correlationId(&e, correlation_id);
    dev_switchboard_codecs_sbe_envelope_set_timestampNs(&e, now_ns());
    dev_switchboard_codecs_sbe_envelope_set_flags(&e, 0);
    dev_switchboard_codecs_sbe_envelope_set_targetKind(&e, (enum dev_switchboard_codecs_sbe_targetKind)target_kind);
    dev_switchboard_codecs_sbe_envelope_set_pattern(&e, (enum dev_switchboard_codecs_sbe_pattern)pattern);
    dev_switchboard_codecs_sbe_envelope_set_priority(&e, (enum dev_switchboard_codecs_sbe_priority)priority);
    if (!dev_switchboard_codecs_sbe_envelope_put_payload(&e, (const char *)payload, (uint32_t)length))
    {
        return SB_REJECTED;
    }
    return commit_send(client, frame_length);
}

static int offer(sb_client *client, sb_destination *d, sb_pattern pattern, int64_t correlation_id,
    const void *payload, size_t length)
{
    if (NULL == d->inbox)
    {
        return offer_routed(client, SB_TARGET_AGENT, d->agent_id, pattern, d->priority, correlation_id, payload,
            length);
    }
    /* The 24-byte DirectFrame block, encoded by the generated codec on the stack, then the payload: both written
     * straight into the receiver's ring (no staging copy, no clock read). */
    char block[SB_DIRECT_FRAME_LENGTH];
    struct dev_switchboard_codecs_sbe_directFrame f = {0};
    dev_switchboard_codecs_sbe_directFrame_wrap_for_encode(&f, block, 0, sizeof(block));
    dev_switchboard_codecs_sbe_directFrame_set_sourceAgentId(&f, client->agent_id);
    dev_switchboard_codecs_sbe_directFrame_set_correlationId(&f, correlation_id);
    dev_switchboard_codecs_sbe_directFrame_set_pattern(&f, (enum dev_switchboard_codecs_sbe_pattern)pattern);
    dev_switchboard_codecs_sbe_directFrame_set_priority(&f, (enum dev_switchboard_codecs_sbe_priority)d->priority);
    dev_switchboard_codecs_sbe_directFrame_set_flags(&f, 0);
    dev_switchboard_codecs_sbe_directFrame_set_layoutVersion(&f, SB_DIRECT_FRAME_LAYOUT_VERSION);
    dev_switchboard_codecs_sbe_directFrame_set_reserved(&f, 0);
    return sb_inbox_offer(d->inbox, d->direct_type, block, sizeof(block), payload, length);
}

int sb_send(sb_client *client, sb_destination *destination, const void *payload, size_t length)
{
    if (NULL == destination)
    {
        return SB_REJECTED;
    }
    const int admitted = data_admit(client, destination->priority, payload, length);
    return SB_OK != admitted ? admitted : offer(client, destination, SB_PATTERN_SEND, 0, payload, length);
}

int sb_send_to_id(sb_client *client, int64_t agent_id, sb_priority priority, const void *payload, size_t length)
{
    const int admitted = data_admit(client, priority, payload, length);
    if (SB_OK != admitted)
    {
        return admitted;
    }
    sb_destination *d = find_destination(client, agent_id, priority);
    return NULL != d ? offer(client, d, SB_PATTERN_SEND, 0, payload, length) :
        offer_routed(client, SB_TARGET_AGENT, agent_id, SB_PATTERN_SEND, priority, 0, payload, length);
}

int sb_publish(sb_client *client, int64_t topic_id, sb_priority priority, const void *payload, size_t length)
{
    const int admitted = data_admit(client, priority, payload, length);
    return SB_OK != admitted ? admitted :
        offer_routed(client, SB_TARGET_TOPIC, topic_id, SB_PATTERN_PUBLISH, priority, 0, payload, length);
}

int sb_multicast(sb_client *client, int64_t group_id, sb_priority priority, const void *payload, size_t length)
{
    const int admitted = data_admit(client, priority, payload, length);
    return SB_OK != admitted ? admitted :
        offer_routed(client, SB_TARGET_GROUP, group_id, SB_PATTERN_MULTICAST, priority, 0, payload, length);
}

int sb_broadcast(sb_client *client, sb_priority priority, const void *payload, size_t length)
{
    const int admitted = data_admit(client, priority, payload, length);
    return SB_OK != admitted ? admitted :
        offer_routed(client, SB_TARGET_ALL, 0, SB_PATTERN_BROADCAST, priority, 0, payload, length);
}

int64_t sb_request(sb_client *client, sb_destination *destination, const void *payload, size_t length,
    int64_t timeout_ns, sb_response_handler handler, void *clientd)
{
    if (NULL == destination || timeout_ns <= 0)
    {
        return SB_REJECTED;
    }
    const int admitted = data_admit(client, destination->priority, payload, length);
    if (SB_OK != admitted)
    {
        return admitted;
    }
    if (client->pending_count >= SB_MAX_PENDING_REQUESTS)
    {
        return SB_BACK_PRESSURED;
    }
    /* The pending table is indexed by correlation id: skip ids whose slot is still taken. */
    int64_t correlation_id = client->next_correlation_id;
    while (0 != client->pending[(uint64_t)correlation_id & (SB_MAX_PENDING_REQUESTS - 1)].correlation_id)
    {
        correlation_id++;
    }
    client->next_correlation_id = correlation_id + 1;
    const int status = offer(client, destination, SB_PATTERN_REQUEST, correlation_id, payload, length);
    if (SB_OK != status)
    {
        return status;
    }
    sb_pending_request *p = &client->pending[(uint64_t)correlation_id & (SB_MAX_PENDING_REQUESTS - 1)];
    p->correlation_id = correlation_id;
    p->deadline_ns = now_ns() + timeout_ns;
    p->handler = handler;
    p->clientd = clientd;
    client->pending_count++;
    return correlation_id;
}

int sb_respond_to(sb_client *client, int64_t requester_id, int64_t correlation_id, sb_priority priority,
    const void *payload, size_t length)
{
    const int admitted = data_admit(client, priority, payload, length);
    if (SB_OK != admitted)
    {
        return admitted;
    }
    sb_destination *d = find_destination(client, requester_id, priority);
    return NULL != d ? offer(client, d, SB_PATTERN_RESPONSE, correlation_id, payload, length) :
        offer_routed(client, SB_TARGET_AGENT, requester_id, SB_PATTERN_RESPONSE, priority, correlation_id, payload,
            length);
}

int sb_respond(sb_client *client, const sb_message *request, const void *payload, size_t length)
{
    if (NULL == request)
    {
        return SB_REJECTED;
    }
    return sb_respond_to(client, request->source_agent_id, request->correlation_id, request->priority, payload,
        length);
}

int sb_enqueue(sb_client *client, int64_t queue_id, sb_priority priority, const void *payload, size_t length)
{
    const int admitted = data_admit(client, priority, payload, length);
    return SB_OK != admitted ? admitted : offer_routed(client, SB_TARGET_QUEUE, queue_id, SB_PATTERN_WORK, priority,
        client->next_correlation_id++, payload, length);
}

int sb_ack_ids(sb_client *client, int64_t queue_id, int64_t item_id, sb_priority priority)
{
    const int admitted = data_admit(client, priority, NULL, 0);
    return SB_OK != admitted ? admitted :
        offer_routed(client, SB_TARGET_QUEUE, queue_id, SB_PATTERN_WORK_ACK, priority, item_id, NULL, 0);
}

int sb_ack(sb_client *client, const sb_message *work_item)
{
    if (NULL == work_item)
    {
        return SB_REJECTED;
    }
    return sb_ack_ids(client, work_item->target_id, work_item->correlation_id, work_item->priority);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* poll, duty, idle                                                                                             */
/* ------------------------------------------------------------------------------------------------------------ */

static void on_inbox_record(void *clientd, int32_t type_id, const uint8_t *body, int32_t length)
{
    sb_client *client = clientd;
    sb_message message;
    if (0 == sb_frame_decode(type_id, body, (size_t)length, &message))
    {
        deliver(client, &message);
    }
    /* else: malformed (Java counts REJECTED_MALFORMED and skips it by its length; so does this reader) */
}

static void duty(sb_client *client, int64_t now)
{
    /* The own inbox: a claim whose producer died is unblocked after the timeout; a damaged trailer is repaired. */
    if (NULL != client->inbox && client->inbox_was_empty)
    {
        sb_inbox_check_trailer(client->inbox);
        sb_inbox_check_stuck(client->inbox, now, client->ctx.unblock_timeout_ns);
    }
    /* Request timeouts. */
    if (client->pending_count > 0)
    {
        for (int i = 0; i < SB_MAX_PENDING_REQUESTS && client->pending_count > 0; i++)
        {
            sb_pending_request *p = &client->pending[i];
            if (0 != p->correlation_id && now - p->deadline_ns >= 0)
            {
                const int64_t correlation_id = p->correlation_id;
                sb_response_handler handler = p->handler;
                void *clientd = p->clientd;
                p->correlation_id = 0;
                client->pending_count--;
                if (NULL != handler)
                {
                    handler(clientd, correlation_id, NULL);
                }
            }
        }
    }
    /* Lease: a Heartbeat frame unless the router reads the inbox's heartbeat word. */
    const bool word = NULL != client->inbox && 0 != (client->features & SB_FEATURE_READS_HEARTBEATS);
    if (0 != client->agent_id && !word && client->heartbeat_interval_ns > 0 && now >= client->next_heartbeat_ns)
    {
        int status;
        const size_t length = SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_heartbeat_sbe_block_length();
        uint8_t *at = claim_send(client, length, &status);
        if (NULL != at)
        {
            struct dev_switchboard_codecs_sbe_messageHeader header = {0};
            struct dev_switchboard_codecs_sbe_heartbeat h = {0};
            dev_switchboard_codecs_sbe_heartbeat_wrap_and_apply_header(&h, (char *)at, 0, length, &header);
            dev_switchboard_codecs_sbe_heartbeat_set_agentId(&h, client->agent_id);
            dev_switchboard_codecs_sbe_heartbeat_set_timestampNs(&h, now);
            if (SB_OK == commit_send(client, length))
            {
                client->next_heartbeat_ns = now + client->heartbeat_interval_ns;
            }
        }
    }
    if (client->send_used > 0)
    {
        flush(client);
    }
}

void sb_keep_alive(sb_client *client)
{
    if (NULL == client || client->closed)
    {
        return;
    }
    if (NULL != client->inbox)
    {
        sb_inbox_heartbeat(client->inbox);
    }
    duty(client, now_ns());
}

static int drain_stash(sb_client *client, int limit)
{
    int work = 0;
    while (client->stash_read < client->stash_length && work < limit)
    {
        const uint32_t length = get_le32(client->stash + client->stash_read);
        const uint8_t *frame = client->stash + client->stash_read + 4;
        client->stash_read += 4 + length;
        work += on_socket_frame(client, frame, length, false);
    }
    if (client->stash_read >= client->stash_length)
    {
        client->stash_read = 0;
        client->stash_length = 0;
    }
    return work;
}

int sb_poll(sb_client *client, sb_message_handler handler, void *clientd, int limit)
{
    if (NULL == client || client->closed)
    {
        return SB_CLOSED;
    }
    if (limit <= 0)
    {
        limit = 1;
    }
    client->handler = handler;
    client->handler_clientd = clientd;
    client->delivered = 0;
    int work = 0;

    if (client->stash_length > 0)
    {
        work += drain_stash(client, limit);
    }
    sb_inbox *inbox = client->inbox;
    if (NULL != inbox)
    {
        sb_inbox_heartbeat(inbox);
        client->inbox_was_empty = 0 == sb_inbox_read(inbox, on_inbox_record, client, limit);
        work += client->delivered;
    }
    bool read = NULL == inbox || 0 == (client->features & SB_FEATURE_SIGNALS_CONTROL) || client->socket_pending;
    if (!read)
    {
        const int64_t signal = sb_inbox_signal(inbox, SB_INBOX_CONTROL_SIGNAL_OFFSET);
        if (signal != client->seen_control_signal)
        {
            client->seen_control_signal = signal;
            read = true;
        }
        else if (--client->sweep_countdown <= 0)
        {
            client->sweep_countdown = SOCKET_SWEEP_POLLS; /* a safety sweep: late, never lost */
            read = true;
        }
    }
    if (read && !client->broken)
    {
        const int n = read_socket(client, false, limit);
        if (n > 0)
        {
            work += n;
        }
    }
    if (--client->duty_countdown <= 0)
    {
        client->duty_countdown = DUTY_POLLS;
        duty(client, now_ns());
    }
    client->handler = NULL;
    if (client->broken && 0 == work)
    {
        return SB_CLOSED;
    }
    return work;
}

/* Something to read now: the owner's last look before it sleeps (Java's InboxParker `workPending`). */
static bool work_pending(sb_client *client)
{
    if (client->stash_length > 0 || client->socket_pending)
    {
        return true;
    }
    if (NULL != client->inbox)
    {
        if (sb_inbox_has_records(client->inbox))
        {
            return true;
        }
        if (sb_inbox_signal(client->inbox, SB_INBOX_CONTROL_SIGNAL_OFFSET) != client->seen_control_signal)
        {
            return true;
        }
    }
    return false;
}

static int64_t next_deadline_ns(sb_client *client, int64_t now, int64_t park_ns)
{
    int64_t deadline = now + park_ns;
    const bool word = NULL != client->inbox && 0 != (client->features & SB_FEATURE_READS_HEARTBEATS);
    if (0 != client->agent_id && !word && client->heartbeat_interval_ns > 0 && client->next_heartbeat_ns < deadline)
    {
        deadline = client->next_heartbeat_ns;
    }
    for (int i = 0; i < SB_MAX_PENDING_REQUESTS && client->pending_count > 0; i++)
    {
        if (0 != client->pending[i].correlation_id && client->pending[i].deadline_ns < deadline)
        {
            deadline = client->pending[i].deadline_ns;
        }
    }
    return deadline;
}

static void park(sb_client *client)
{
    const int64_t now = now_ns();
    int64_t park_ns = client->ctx.park_ms * 1000000LL;
    sb_inbox *inbox = client->inbox;
    if (NULL != inbox && 0 == (client->features & SB_FEATURE_RELAYS_WAKES))
    {
        /* A router that does not relay wakes: a Java sender without native access could not wake a futex sleeper,
         * so parks are capped at 1 ms (messages late by at most that, never lost). */
        park_ns = park_ns < 1000000LL ? park_ns : 1000000LL;
    }
    const int64_t deadline = next_deadline_ns(client, now, park_ns);
    const int64_t wait_ns = deadline - now;
    if (wait_ns <= 0)
    {
        return;
    }
    if (NULL == inbox)
    {
        struct pollfd pfd = { .fd = client->fd, .events = POLLIN };
        poll(&pfd, 1, (int)(wait_ns / 1000000 + 1));
        return;
    }
    _Atomic int32_t *word = sb_int_at(inbox->header, SB_INBOX_PARKED_OFFSET);
    /* Raise the word, then the last look: against a producer's publication then its load of the word, a Dekker pair
     * (at least one side sees the other), so a wake-up is never lost. */
    atomic_store(word, SB_PARKED_FUTEX);
    atomic_thread_fence(memory_order_seq_cst);
    if (!work_pending(client))
    {
        sb_futex_wait(word, SB_PARKED_FUTEX, wait_ns);
    }
    atomic_store_explicit(word, SB_PARKED_AWAKE, memory_order_release);
    client->duty_countdown = 0; /* the duty slice runs after a park */
}

void sb_idle(sb_client *client, int work_count)
{
    if (NULL == client)
    {
        return;
    }
    if (work_count > 0)
    {
        client->idle_spin_start_ns = 0;
        client->idle_count = 0;
        client->backoff_ns = 0;
        return;
    }
    switch (client->ctx.idle_kind)
    {
        case SB_IDLE_BUSY_SPIN:
            return;
        case SB_IDLE_YIELD:
            sched_yield();
            return;
        case SB_IDLE_BACKOFF:
        {
            /* Agrona's BackoffIdleStrategy: 100 spins, 10 yields, then sleeps from 1 us doubling to 1 ms. */
            const int32_t count = client->idle_count++;
            if (count < 100)
            {
                return;
            }
            if (count < 110)
            {
                sched_yield();
                return;
            }
            client->backoff_ns = 0 == client->backoff_ns ? 1000 :
                (client->backoff_ns * 2 > 1000000 ? 1000000 : client->backoff_ns * 2);
            struct timespec ts = { 0, (long)client->backoff_ns };
            nanosleep(&ts, NULL);
            return;
        }
        case SB_IDLE_SPIN_PARK:
        default:
        {
            /* Spin for the window (the clock read once per 32 empty polls), then park. */
            if (0 == (client->idle_count++ & 31))
            {
                const int64_t now = now_ns();
                if (0 == client->idle_spin_start_ns)
                {
                    client->idle_spin_start_ns = now;
                }
                else if (now - client->idle_spin_start_ns >= client->ctx.spin_ns)
                {
                    park(client);
                }
            }
            return;
        }
    }
}

int64_t sb_agent_id(const sb_client *client)
{
    return NULL == client ? 0 : client->agent_id;
}

const char *sb_inbox_path(const sb_client *client)
{
    return NULL == client ? "" : client->inbox_path;
}

int sb_pending_requests(const sb_client *client)
{
    return NULL == client ? 0 : client->pending_count;
}

/* For the fuzzer (fuzz/fuzz_frame.c): bytes as if the router sent them, through the framing and every frame handler,
 * once while a lookup waits (control replies decoded, data stashed) and once from a poll (data delivered). */
int sb_fuzz_control_stream(const uint8_t *data, size_t size)
{
    static sb_agent_info infos[4];
    sb_client *client = calloc(1, sizeof(*client));
    if (NULL == client)
    {
        return 0;
    }
    client->fd = -1;
    client->ctx.max_frame = 64 * 1024;
    client->agent_id = 5;
    client->receive_capacity = size + 1;
    client->receive_buffer = malloc(client->receive_capacity);
    if (NULL != client->receive_buffer)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            memcpy(client->receive_buffer, data, size);
            client->receive_start = 0;
            client->receive_end = size;
            client->broken = false;
            client->awaited_correlation_id = 0 == pass ? 1 : 0;
            client->lookup_infos = infos;
            client->lookup_max = 4;
            int frames = 0;
            int work = 0;
            drain_received(client, 0 == pass, 1 << 30, &frames, &work);
        }
        drain_stash(client, 1 << 30);
    }
    free_client(client);
    return 0;
}
