/*
 * sb_context: every setting of a client, with the Java client's defaults. Environment variables (read here only,
 * once, in sb_context_init) stand for the Java system properties; native/README.md lists them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb_client_internal.h"

static int set_path(char *out, const char *value, const char *what)
{
    if (NULL == value)
    {
        out[0] = '\0';
        return 0;
    }
    const size_t n = strlen(value);
    if (n > SB_MAX_PATH_LENGTH)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "%s is %zu bytes, at most %d", what, n, SB_MAX_PATH_LENGTH);
    }
    memcpy(out, value, n + 1);
    return 0;
}

static int parse_long(const char *name, const char *text, int64_t min, int64_t max, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    const long long v = strtoll(text, &end, 10);
    if (0 != errno || end == text || '\0' != *end || v < min || v > max)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "%s=%s: expected an integer in [%lld, %lld]", name, text,
            (long long)min, (long long)max);
    }
    *out = v;
    return 0;
}

int sb_context_init(sb_context **ctx_out)
{
    if (NULL == ctx_out)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "sb_context_init: NULL argument");
    }
    sb_context *ctx = calloc(1, sizeof(*ctx));
    if (NULL == ctx)
    {
        return sb_set_error(SB_ERR_NO_MEMORY, "no memory for a context");
    }
    const unsigned uid = (unsigned)geteuid();
    char runtime[SB_MAX_PATH_LENGTH + 1];
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (NULL != xdg && '\0' != xdg[0])
    {
        snprintf(runtime, sizeof(runtime), "%s/switchboard", xdg);
    }
    else
    {
        snprintf(runtime, sizeof(runtime), "/tmp/switchboard-%u", uid);
    }
    const char *runtime_env = getenv("SWITCHBOARD_RUNTIME_DIR");
    if (NULL != runtime_env && '\0' != runtime_env[0])
    {
        snprintf(runtime, sizeof(runtime), "%s", runtime_env);
    }
    snprintf(ctx->socket_path, sizeof(ctx->socket_path), "%s/router.sock", runtime);
    snprintf(ctx->shm_dir, sizeof(ctx->shm_dir), "/dev/shm/switchboard-%u", uid);
    ctx->inbox_capacity = 1024 * 1024;
    ctx->timeout_ms = 5000;
    ctx->idle_kind = SB_IDLE_SPIN_PARK;
    ctx->spin_ns = 200000;
    ctx->park_ms = 100;
    ctx->max_frame = 512 * 1024;
    ctx->unblock_timeout_ns = 1000000000LL;

    int status = 0;
    const char *v;
    int64_t n = 0;
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_SOCKET")) && '\0' != v[0])
    {
        status = set_path(ctx->socket_path, v, "SWITCHBOARD_SOCKET");
    }
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_SHM_DIR")) && '\0' != v[0])
    {
        status = set_path(ctx->shm_dir, v, "SWITCHBOARD_SHM_DIR");
    }
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_SECRET_FILE")) && '\0' != v[0])
    {
        status = set_path(ctx->secret_file, v, "SWITCHBOARD_SECRET_FILE");
    }
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_INBOX_CAPACITY")) && '\0' != v[0])
    {
        status = parse_long("SWITCHBOARD_INBOX_CAPACITY", v, SB_INBOX_MIN_CAPACITY, SB_RING_MAX_CAPACITY, &n);
        status = 0 == status ? sb_context_set_inbox_capacity(ctx, n) : status;
    }
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_TIMEOUT_MS")) && '\0' != v[0])
    {
        status = parse_long("SWITCHBOARD_TIMEOUT_MS", v, 1, 3600000, &n);
        if (0 == status)
        {
            ctx->timeout_ms = n;
        }
    }
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_INBOX_UNBLOCK_TIMEOUT_NS")) && '\0' != v[0])
    {
        status = parse_long("SWITCHBOARD_INBOX_UNBLOCK_TIMEOUT_NS", v, 1000000, INT64_MAX, &n);
        if (0 == status)
        {
            ctx->unblock_timeout_ns = n;
        }
    }
    if (0 == status && NULL != (v = getenv("SWITCHBOARD_IDLE")) && '\0' != v[0])
    {
        if (0 == strcmp(v, "busy-spin")) ctx->idle_kind = SB_IDLE_BUSY_SPIN;
        else if (0 == strcmp(v, "yield")) ctx->idle_kind = SB_IDLE_YIELD;
        else if (0 == strcmp(v, "backoff")) ctx->idle_kind = SB_IDLE_BACKOFF;
        else if (0 == strcmp(v, "spin-park")) ctx->idle_kind = SB_IDLE_SPIN_PARK;
        else status = sb_set_error(SB_ERR_ARGUMENT, "SWITCHBOARD_IDLE=%s: expected busy-spin, yield, backoff or "
            "spin-park", v);
    }
    if (0 != status)
    {
        free(ctx);
        return -1;
    }
    *ctx_out = ctx;
    return 0;
}

void sb_context_close(sb_context *ctx)
{
    free(ctx);
}

int sb_context_set_socket_path(sb_context *ctx, const char *path)
{
    return NULL == path ? sb_set_error(SB_ERR_ARGUMENT, "socket path must not be NULL") :
        set_path(ctx->socket_path, path, "socket path");
}

int sb_context_set_shm_dir(sb_context *ctx, const char *path)
{
    return NULL == path ? sb_set_error(SB_ERR_ARGUMENT, "shm dir must not be NULL") :
        set_path(ctx->shm_dir, path, "shm dir");
}

int sb_context_set_inbox_capacity(sb_context *ctx, int64_t bytes)
{
    if (bytes < SB_INBOX_MIN_CAPACITY || bytes > SB_RING_MAX_CAPACITY || 0 != (bytes & (bytes - 1)))
    {
        return sb_set_error(SB_ERR_ARGUMENT, "inbox capacity must be a power of two in [%d, %d] bytes: %lld",
            SB_INBOX_MIN_CAPACITY, SB_RING_MAX_CAPACITY, (long long)bytes);
    }
    ctx->inbox_capacity = bytes;
    return 0;
}

int sb_context_set_no_inbox(sb_context *ctx, int no_inbox)
{
    ctx->no_inbox = 0 != no_inbox;
    return 0;
}

int sb_context_set_secret_file(sb_context *ctx, const char *path)
{
    return set_path(ctx->secret_file, path, "secret file path");
}

int sb_context_set_timeout_ms(sb_context *ctx, int64_t timeout_ms)
{
    if (timeout_ms < 1 || timeout_ms > 3600000)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "timeout must be in [1, 3600000] ms: %lld", (long long)timeout_ms);
    }
    ctx->timeout_ms = timeout_ms;
    return 0;
}

int sb_context_set_lease_ms(sb_context *ctx, int32_t lease_ms)
{
    if (lease_ms < 0)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "lease must be at least 0 ms (0: the router's default): %d", lease_ms);
    }
    ctx->lease_ms = lease_ms;
    return 0;
}

int sb_context_set_idle(sb_context *ctx, sb_idle_kind kind, int64_t spin_ns, int64_t park_ms)
{
    if (kind < SB_IDLE_BUSY_SPIN || kind > SB_IDLE_SPIN_PARK)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "unknown idle kind %d", (int)kind);
    }
    if (spin_ns < 0 || spin_ns > 1000000000LL)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "idle spin must be in [0, 1000000000] ns: %lld", (long long)spin_ns);
    }
    if (park_ms < 1 || park_ms > 3600000)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "idle park must be in [1, 3600000] ms: %lld", (long long)park_ms);
    }
    ctx->idle_kind = kind;
    ctx->spin_ns = spin_ns;
    ctx->park_ms = park_ms;
    return 0;
}

int sb_context_set_unblock_timeout_ns(sb_context *ctx, int64_t timeout_ns)
{
    if (timeout_ns < 1000000)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "the inbox unblock timeout must be at least 1000000 ns (1 ms): %lld",
            (long long)timeout_ns);
    }
    ctx->unblock_timeout_ns = timeout_ns;
    return 0;
}

int sb_context_set_max_frame(sb_context *ctx, int32_t bytes)
{
    if (bytes < 1024 || bytes > 16 * 1024 * 1024)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "largest socket frame must be in [1024, 16777216] bytes: %d", bytes);
    }
    ctx->max_frame = bytes;
    return 0;
}

int sb_context_set_error_handler(sb_context *ctx, sb_error_handler handler, void *clientd)
{
    ctx->error_handler = handler;
    ctx->error_clientd = clientd;
    return 0;
}

int sb_context_set_agent_event_handler(sb_context *ctx, sb_agent_event_handler handler, void *clientd)
{
    ctx->event_handler = handler;
    ctx->event_clientd = clientd;
    return 0;
}
