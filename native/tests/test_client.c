/*
 * The client against a scripted router in a forked process (real Unix socket, frames from the generated codecs):
 * the Challenge and the HMAC answer, register, lookup, subscribe, a request answered over the socket, deregister on
 * close; and every bad argument refused at the call with its code, before anything is sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sb_codecs.h"
#include "sb_test.h"

static char dir[256];
static char socket_path[300];
static char secret_path[300];
static const uint8_t secret[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t nonce[32] = "nonce-nonce-nonce-nonce-nonce-32";

#define PEER_ID 88
#define OWN_ID 77

/* ---- the scripted router (child process) ---- */

static uint32_t get_le32_for_test(const uint8_t *at)
{
    return (uint32_t)at[0] | ((uint32_t)at[1] << 8) | ((uint32_t)at[2] << 16) | ((uint32_t)at[3] << 24);
}

static void write_frame(int fd, const char *frame, size_t length)
{
    uint8_t prefix[4] = { (uint8_t)length, (uint8_t)(length >> 8), (uint8_t)(length >> 16), (uint8_t)(length >> 24) };
    if (4 != write(fd, prefix, 4) || (ssize_t)length != write(fd, frame, length))
    {
        _exit(20);
    }
}

static bool read_fully(int fd, uint8_t *at, size_t n)
{
    size_t done = 0;
    while (done < n)
    {
        const ssize_t r = read(fd, at + done, n - done);
        if (r <= 0)
        {
            return false;
        }
        done += (size_t)r;
    }
    return true;
}

static void router_child(int listener)
{
    const int fd = accept(listener, NULL, NULL);
    if (fd < 0)
    {
        _exit(21);
    }
    char out[4096];
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    struct dev_switchboard_codecs_sbe_challenge challenge = {0};
    dev_switchboard_codecs_sbe_challenge_wrap_and_apply_header(&challenge, out, 0, sizeof(out), &header);
    dev_switchboard_codecs_sbe_challenge_set_flags(&challenge, SB_FEATURE_TOKEN_REQUIRED);
    dev_switchboard_codecs_sbe_challenge_put_nonce(&challenge, (const char *)nonce, sizeof(nonce));
    write_frame(fd, out, SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_challenge_encoded_length(&challenge));

    uint8_t frame[1 << 20];
    while (true)
    {
        uint8_t prefix[4];
        if (!read_fully(fd, prefix, 4))
        {
            _exit(22); /* closed without a Deregister */
        }
        const uint32_t length = get_le32_for_test(prefix);
        if (length > sizeof(frame) || !read_fully(fd, frame, length))
        {
            _exit(23);
        }
        uint16_t template_id, block_length, version;
        if (0 != sb_frame_header(frame, length, &template_id, &block_length, &version))
        {
            _exit(24);
        }
        char *in = (char *)frame;
        switch (template_id)
        {
            case DEV_SWITCHBOARD_CODECS_SBE_REGISTER_SBE_TEMPLATE_ID:
            {
                struct dev_switchboard_codecs_sbe_register r = {0};
                dev_switchboard_codecs_sbe_register_wrap_for_decode(&r, in, 8, block_length, version, length);
                const int64_t correlation_id = dev_switchboard_codecs_sbe_register_correlationId(&r);
                if (getppid() != dev_switchboard_codecs_sbe_register_pid(&r))
                {
                    _exit(30);
                }
                if (0x15 != (uint8_t)in[8 + 20]) /* critical | normal | batch */
                {
                    _exit(31);
                }
                struct dev_switchboard_codecs_sbe_register_capabilities caps = {0};
                dev_switchboard_codecs_sbe_register_get_capabilities(&r, &caps);
                if (2 != dev_switchboard_codecs_sbe_register_capabilities_count(&caps))
                {
                    _exit(32);
                }
                for (int i = 0; i < 2; i++)
                {
                    dev_switchboard_codecs_sbe_register_capabilities_next(&caps);
                    struct dev_switchboard_codecs_sbe_register_string_view c =
                        dev_switchboard_codecs_sbe_register_capabilities_get_capability_as_string_view(&caps);
                    if (c.length != 5 || 0 != memcmp(c.data, 0 == i ? "alpha" : "gamma", 5))
                    {
                        _exit(33);
                    }
                }
                struct dev_switchboard_codecs_sbe_register_string_view name =
                    dev_switchboard_codecs_sbe_register_get_name_as_string_view(&r);
                if (7 != name.length || 0 != memcmp(name.data, "c-agent", 7))
                {
                    _exit(34);
                }
                struct dev_switchboard_codecs_sbe_register_string_view credential =
                    dev_switchboard_codecs_sbe_register_get_credential_as_string_view(&r);
                const uint8_t *parts[2] = { nonce, (const uint8_t *)"c-agent" };
                const size_t lengths[2] = { sizeof(nonce), 7 };
                uint8_t expected[32];
                sb_derive(secret, sizeof(secret), "register", parts, lengths, 2, expected);
                if (33 != credential.length || 1 != credential.data[0] || 0 != memcmp(expected, credential.data + 1, 32))
                {
                    _exit(35);
                }
                struct dev_switchboard_codecs_sbe_register_string_view inbox =
                    dev_switchboard_codecs_sbe_register_get_inbox_as_string_view(&r);
                if (inbox.length < strlen(dir) || 0 != memcmp(inbox.data, dir, strlen(dir)))
                {
                    _exit(36);
                }
                struct dev_switchboard_codecs_sbe_registered answer = {0};
                dev_switchboard_codecs_sbe_registered_wrap_and_apply_header(&answer, out, 0, sizeof(out), &header);
                dev_switchboard_codecs_sbe_registered_set_correlationId(&answer, correlation_id);
                dev_switchboard_codecs_sbe_registered_set_agentId(&answer, OWN_ID);
                dev_switchboard_codecs_sbe_registered_set_leaseMs(&answer, 3000);
                dev_switchboard_codecs_sbe_registered_set_heartbeatIntervalMs(&answer, 750);
                write_frame(fd, out, SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_registered_encoded_length(&answer));
                break;
            }
            case DEV_SWITCHBOARD_CODECS_SBE_LOOKUP_SBE_TEMPLATE_ID:
            {
                struct dev_switchboard_codecs_sbe_lookup l = {0};
                dev_switchboard_codecs_sbe_lookup_wrap_for_decode(&l, in, 8, block_length, version, length);
                const int64_t correlation_id = dev_switchboard_codecs_sbe_lookup_correlationId(&l);
                struct dev_switchboard_codecs_sbe_lookup_string_view query =
                    dev_switchboard_codecs_sbe_lookup_get_query_as_string_view(&l);
                const bool known = (4 == query.length && 0 == memcmp(query.data, "peer", 4)) ||
                    PEER_ID == dev_switchboard_codecs_sbe_lookup_wantedAgentId(&l);
                struct dev_switchboard_codecs_sbe_lookupResult result = {0};
                dev_switchboard_codecs_sbe_lookupResult_wrap_and_apply_header(&result, out, 0, sizeof(out), &header);
                dev_switchboard_codecs_sbe_lookupResult_set_correlationId(&result, correlation_id);
                struct dev_switchboard_codecs_sbe_lookupResult_agents agents = {0};
                dev_switchboard_codecs_sbe_lookupResult_agents_set_count(&result, &agents, known ? 1 : 0);
                if (known)
                {
                    dev_switchboard_codecs_sbe_lookupResult_agents_next(&agents);
                    dev_switchboard_codecs_sbe_lookupResult_agents_set_agentId(&agents, PEER_ID);
                    dev_switchboard_codecs_sbe_lookupResult_agents_set_pid(&agents, 1234);
                    out[8 + 8 + 4 + 16] = 0x04; /* tiers: normal (group header 4 bytes, then the entry) */
                    struct dev_switchboard_codecs_sbe_lookupResult_agents_capabilities caps = {0};
                    dev_switchboard_codecs_sbe_lookupResult_agents_capabilities_set_count(&agents, &caps, 1);
                    dev_switchboard_codecs_sbe_lookupResult_agents_capabilities_next(&caps);
                    dev_switchboard_codecs_sbe_lookupResult_agents_capabilities_put_capability(&caps, "beta", 4);
                    dev_switchboard_codecs_sbe_lookupResult_agents_put_name(&agents, "peer", 4);
                    dev_switchboard_codecs_sbe_lookupResult_agents_put_inbox(&agents, "", 0);
                    dev_switchboard_codecs_sbe_lookupResult_agents_put_host(&agents, "", 0);
                }
                write_frame(fd, out, SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_lookupResult_encoded_length(&result));
                break;
            }
            case DEV_SWITCHBOARD_CODECS_SBE_SUBSCRIBE_SBE_TEMPLATE_ID:
            {
                struct dev_switchboard_codecs_sbe_subscribe s = {0};
                dev_switchboard_codecs_sbe_subscribe_wrap_for_decode(&s, in, 8, block_length, version, length);
                struct dev_switchboard_codecs_sbe_ack ack = {0};
                dev_switchboard_codecs_sbe_ack_wrap_and_apply_header(&ack, out, 0, sizeof(out), &header);
                dev_switchboard_codecs_sbe_ack_set_correlationId(&ack, dev_switchboard_codecs_sbe_subscribe_correlationId(&s));
                dev_switchboard_codecs_sbe_ack_set_resolvedId(&ack, dev_switchboard_codecs_sbe_subscribe_targetId(&s));
                write_frame(fd, out, SB_MESSAGE_HEADER_LENGTH + dev_switchboard_codecs_sbe_ack_encoded_length(&ack));
                break;
            }
            case DEV_SWITCHBOARD_CODECS_SBE_ENVELOPE_SBE_TEMPLATE_ID:
            {
                /* The peer answers a request: the same envelope back, as a RESPONSE from the peer. */
                sb_message m;
                if (0 != sb_frame_decode(SB_TIER_NORMAL, frame, length, &m) || OWN_ID != m.source_agent_id ||
                    PEER_ID != m.target_id)
                {
                    _exit(40);
                }
                if (SB_PATTERN_REQUEST == m.pattern)
                {
                    in[8] = PEER_ID;                   /* sourceAgentId (low byte; the rest is 0) */
                    memset(in + 8 + 8, 0, 8);
                    in[8 + 8] = OWN_ID;                /* targetId */
                    in[8 + 37] = SB_PATTERN_RESPONSE;  /* pattern */
                    write_frame(fd, in, length);
                }
                break;
            }
            case DEV_SWITCHBOARD_CODECS_SBE_DEREGISTER_SBE_TEMPLATE_ID:
                _exit(0);
            default:
                _exit(25);
        }
    }
}

/* ---- the agent (this process) ---- */

typedef struct answer
{
    int calls;
    int64_t correlation_id;
    char payload[64];
}
answer;

static void on_response(void *clientd, int64_t correlation_id, const sb_message *response)
{
    answer *a = clientd;
    a->calls++;
    a->correlation_id = correlation_id;
    if (NULL != response)
    {
        snprintf(a->payload, sizeof(a->payload), "%.*s", (int)response->payload_length, (const char *)response->payload);
    }
}

typedef struct received
{
    int count;
    int64_t source;
    int tier;
    int pattern;
    char payload[64];
}
received;

static void on_received(void *clientd, const sb_message *m)
{
    received *r = clientd;
    r->count++;
    r->source = m->source_agent_id;
    r->tier = (int)m->tier;
    r->pattern = (int)m->pattern;
    snprintf(r->payload, sizeof(r->payload), "%.*s", (int)m->payload_length, (const char *)m->payload);
}

static void contextRefusesValuesOutOfRange(void)
{
    sb_context *ctx = NULL;
    CHECK_EQ_LL(0, sb_context_init(&ctx));
    CHECK_EQ_LL(-1, sb_context_set_inbox_capacity(ctx, 3000));
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());
    CHECK(NULL != strstr(sb_errmsg(), "3000"));
    CHECK_EQ_LL(-1, sb_context_set_inbox_capacity(ctx, 2048));
    CHECK_EQ_LL(0, sb_context_set_inbox_capacity(ctx, 8192));
    CHECK_EQ_LL(-1, sb_context_set_timeout_ms(ctx, 0));
    CHECK_EQ_LL(-1, sb_context_set_idle(ctx, SB_IDLE_SPIN_PARK, -1, 10));
    CHECK_EQ_LL(-1, sb_context_set_idle(ctx, SB_IDLE_SPIN_PARK, 10, 0));
    CHECK_EQ_LL(-1, sb_context_set_max_frame(ctx, 1023));
    CHECK_EQ_LL(-1, sb_context_set_lease_ms(ctx, -5));
    char long_path[SB_MAX_PATH_LENGTH + 10];
    memset(long_path, 'x', sizeof(long_path) - 1);
    long_path[sizeof(long_path) - 1] = '\0';
    CHECK_EQ_LL(-1, sb_context_set_socket_path(ctx, long_path));
    sb_context_close(ctx);
}

static void connectWithoutARouterFailsWithIo(void)
{
    sb_context *ctx = NULL;
    CHECK_EQ_LL(0, sb_context_init(&ctx));
    char path[400];
    snprintf(path, sizeof(path), "%s/nobody.sock", dir);
    CHECK_EQ_LL(0, sb_context_set_socket_path(ctx, path));
    CHECK_EQ_LL(0, sb_context_set_timeout_ms(ctx, 30));
    sb_client *client = NULL;
    CHECK_EQ_LL(-1, sb_client_connect(ctx, &client));
    CHECK_EQ_LL(SB_ERR_IO, sb_errcode());
    CHECK(NULL != strstr(sb_errmsg(), path));
    sb_context_close(ctx);
}

static void badArgumentsAreRefusedBeforeAnythingIsSent(void)
{
    const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path);
    CHECK(0 == bind(listener, (struct sockaddr *)&address, sizeof(address)));
    CHECK(0 == listen(listener, 4));
    const pid_t router = fork();
    CHECK(router >= 0);
    if (0 == router)
    {
        router_child(listener);
    }
    close(listener);

    sb_context *ctx = NULL;
    CHECK_EQ_LL(0, sb_context_init(&ctx));
    CHECK_EQ_LL(0, sb_context_set_socket_path(ctx, socket_path));
    CHECK_EQ_LL(0, sb_context_set_shm_dir(ctx, dir));
    CHECK_EQ_LL(0, sb_context_set_inbox_capacity(ctx, 4096));
    sb_client *client = NULL;
    CHECK_EQ_LL(0, sb_client_connect(ctx, &client));

    /* Before registering: data calls say NOT_CONNECTED, control calls SB_ERR_STATE; nothing is sent. */
    CHECK_EQ_LL(SB_NOT_CONNECTED, sb_publish(client, 1, SB_PRIORITY_NORMAL, "x", 1));
    CHECK_EQ_LL(-1, sb_subscribe(client, "topic", NULL));
    CHECK_EQ_LL(SB_ERR_STATE, sb_errcode());

    /* The router requires a token and no secret is configured: refused here, before anything is sent. */
    const char *caps[] = { "alpha", "gamma" };
    CHECK_EQ_LL(-1, sb_register(client, "c-agent", caps, 2, NULL));
    CHECK_EQ_LL(SB_ERR_AUTH, sb_errcode());

    char long_name[SB_MAX_NAME_LENGTH + 2];
    memset(long_name, 'n', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    CHECK_EQ_LL(-1, sb_register(client, long_name, caps, 2, NULL));
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());
    CHECK(NULL != strstr(sb_errmsg(), "1..128"));
    CHECK_EQ_LL(-1, sb_register(client, "", caps, 2, NULL));
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());
    const char *many[SB_MAX_CAPABILITIES + 1];
    for (int i = 0; i <= SB_MAX_CAPABILITIES; i++)
    {
        many[i] = "cap";
    }
    CHECK_EQ_LL(-1, sb_register(client, "c-agent", many, SB_MAX_CAPABILITIES + 1, NULL));
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());
    const char *empty_cap[] = { "" };
    CHECK_EQ_LL(-1, sb_register(client, "c-agent", empty_cap, 1, NULL));
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());

    sb_close(client); /* not registered: nothing to deregister */
    sb_context_close(ctx);
    int status = 0;
    kill(router, SIGKILL);
    waitpid(router, &status, 0);
}

static void registerRequestAndCloseAgainstTheScriptedRouter(void)
{
    const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    unlink(socket_path);
    snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path);
    CHECK(0 == bind(listener, (struct sockaddr *)&address, sizeof(address)));
    CHECK(0 == listen(listener, 4));
    const pid_t router = fork();
    CHECK(router >= 0);
    if (0 == router)
    {
        router_child(listener);
    }
    close(listener);

    sb_context *ctx = NULL;
    CHECK_EQ_LL(0, sb_context_init(&ctx));
    CHECK_EQ_LL(0, sb_context_set_socket_path(ctx, socket_path));
    CHECK_EQ_LL(0, sb_context_set_shm_dir(ctx, dir));
    CHECK_EQ_LL(0, sb_context_set_inbox_capacity(ctx, 4096));
    CHECK_EQ_LL(0, sb_context_set_secret_file(ctx, secret_path));
    CHECK_EQ_LL(0, sb_context_set_idle(ctx, SB_IDLE_SPIN_PARK, 0, 50)); /* park at once when idle */
    sb_client *client = NULL;
    CHECK_EQ_LL(0, sb_client_connect(ctx, &client));
    const char *caps[] = { "alpha", "gamma" };
    sb_agent_info me;
    CHECK_EQ_LL(0, sb_register(client, "c-agent", caps, 2, &me));
    CHECK_EQ_LL(OWN_ID, sb_agent_id(client));
    CHECK_EQ_LL(OWN_ID, me.agent_id);
    CHECK(0 == strncmp(sb_inbox_path(client), dir, strlen(dir)));
    struct stat st;
    CHECK(0 == stat(sb_inbox_path(client), &st));
    CHECK_EQ_LL(0600, st.st_mode & 0777);
    CHECK_EQ_LL(-1, sb_register(client, "c-agent", caps, 2, NULL));
    CHECK_EQ_LL(SB_ERR_STATE, sb_errcode());

    int64_t topic = 0;
    CHECK_EQ_LL(0, sb_subscribe(client, "demo", &topic));
    CHECK_EQ_LL(sb_name_id("demo"), topic);

    sb_agent_info peer;
    CHECK_EQ_LL(1, sb_lookup(client, "peer", &peer));
    CHECK_EQ_LL(PEER_ID, peer.agent_id);
    CHECK(0 == strcmp("peer", peer.name));
    CHECK_EQ_LL(1, peer.capability_count);
    CHECK(0 == strcmp("beta", peer.capabilities[0]));
    CHECK_EQ_LL(0, sb_lookup(client, "ghost", &peer));

    sb_destination *to = NULL;
    CHECK_EQ_LL(0, sb_destination_by_name(client, "peer", SB_PRIORITY_CRITICAL, &to));
    CHECK_EQ_LL(0, sb_destination_is_direct(to)); /* no inbox: through the router */
    CHECK_EQ_LL(-1, sb_destination_by_name(client, "ghost", SB_PRIORITY_NORMAL, &to));
    CHECK_EQ_LL(15, sb_errcode()); /* UNKNOWN_AGENT */
    CHECK_EQ_LL(-1, sb_destination_by_name(client, "peer", SB_PRIORITY_LOW, &to));
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());
    CHECK_EQ_LL(0, sb_destination_by_name(client, "peer", SB_PRIORITY_NORMAL, &to));

    /* Bad data calls: each its status, nothing sent. */
    static uint8_t huge[600 * 1024];
    CHECK_EQ_LL(SB_TOO_LARGE, sb_send(client, to, huge, sizeof(huge)));
    CHECK_EQ_LL(SB_REJECTED, sb_send(client, to, NULL, 5));
    CHECK_EQ_LL(SB_REJECTED, sb_send(client, NULL, "x", 1));
    CHECK_EQ_LL(SB_REJECTED, sb_send_to_id(client, PEER_ID, SB_PRIORITY_LOW, "x", 1));
    CHECK_EQ_LL(SB_REJECTED, sb_send_to_id(client, PEER_ID, (sb_priority)9, "x", 1));
    CHECK_EQ_LL(SB_REJECTED, sb_request(client, to, "x", 1, 0, on_response, NULL));

    /* A request through the router, answered by the peer: the response reaches its handler from sb_poll. */
    answer a = {0};
    const int64_t id = sb_request(client, to, "ping", 4, 5000000000LL, on_response, &a);
    CHECK(id > 0);
    CHECK_EQ_LL(1, sb_pending_requests(client));
    for (int i = 0; i < 1000000 && 0 == a.calls; i++)
    {
        sb_idle(client, sb_poll(client, NULL, NULL, 16));
    }
    CHECK_EQ_LL(1, a.calls);
    CHECK_EQ_LL(id, a.correlation_id);
    CHECK(0 == strcmp("ping", a.payload));
    CHECK_EQ_LL(0, sb_pending_requests(client));

    /* A sender process writes a direct frame into this agent's inbox while it idles (spin 0, then parked on the
     * futex): sb_poll hands it over with the sender's fields. */
    const pid_t sender = fork();
    CHECK(sender >= 0);
    if (0 == sender)
    {
        sb_inbox *peer_inbox = NULL;
        char block[SB_DIRECT_FRAME_LENGTH];
        struct dev_switchboard_codecs_sbe_directFrame f = {0};
        dev_switchboard_codecs_sbe_directFrame_wrap_for_encode(&f, block, 0, sizeof(block));
        dev_switchboard_codecs_sbe_directFrame_set_sourceAgentId(&f, PEER_ID);
        dev_switchboard_codecs_sbe_directFrame_set_correlationId(&f, 0);
        dev_switchboard_codecs_sbe_directFrame_set_pattern(&f, dev_switchboard_codecs_sbe_pattern_SEND);
        dev_switchboard_codecs_sbe_directFrame_set_priority(&f, dev_switchboard_codecs_sbe_priority_CRITICAL);
        dev_switchboard_codecs_sbe_directFrame_set_flags(&f, 0);
        dev_switchboard_codecs_sbe_directFrame_set_layoutVersion(&f, 1);
        dev_switchboard_codecs_sbe_directFrame_set_reserved(&f, 0);
        _exit(0 == sb_inbox_open(sb_inbox_path(client), &peer_inbox) &&
            SB_OK == sb_inbox_offer(peer_inbox, SB_FRAME_TYPE_DIRECT_BIT | SB_TIER_CRITICAL, block, sizeof(block),
                "direct hello", 12) ? 0 : 1);
    }
    received got = {0};
    for (int i = 0; i < 1000000 && 0 == got.count; i++)
    {
        sb_idle(client, sb_poll(client, on_received, &got, 16));
    }
    int sender_status = 0;
    CHECK(sender == waitpid(sender, &sender_status, 0));
    CHECK(WIFEXITED(sender_status) && 0 == WEXITSTATUS(sender_status));
    CHECK_EQ_LL(1, got.count);
    CHECK_EQ_LL(PEER_ID, got.source);
    CHECK_EQ_LL(SB_TIER_CRITICAL, got.tier);
    CHECK_EQ_LL(SB_PATTERN_SEND, got.pattern);
    CHECK(0 == strcmp("direct hello", got.payload));

    char inbox[SB_MAX_PATH_LENGTH + 1];
    snprintf(inbox, sizeof(inbox), "%s", sb_inbox_path(client));
    sb_close(client); /* deregisters: the scripted router exits 0 on the Deregister */
    CHECK(0 != access(inbox, F_OK)); /* the inbox file is removed */
    sb_context_close(ctx);
    int status = 0;
    CHECK(router == waitpid(router, &status, 0));
    if (!WIFEXITED(status) || 0 != WEXITSTATUS(status))
    {
        fprintf(stderr, "scripted router: status %d (exit %d)\n", status, WEXITSTATUS(status));
        exit(1);
    }
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/sb-test-client-%ld", (long)getpid());
    CHECK(0 == mkdir(dir, 0700));
    snprintf(socket_path, sizeof(socket_path), "%s/router.sock", dir);
    snprintf(secret_path, sizeof(secret_path), "%s/secret", dir);
    const int fd = open(secret_path, O_CREAT | O_WRONLY | O_EXCL, 0600);
    CHECK(fd >= 0 && (ssize_t)sizeof(secret) == write(fd, secret, sizeof(secret)));
    close(fd);
    signal(SIGPIPE, SIG_IGN);
    RUN(contextRefusesValuesOutOfRange);
    RUN(connectWithoutARouterFailsWithIo);
    RUN(badArgumentsAreRefusedBeforeAnythingIsSent);
    RUN(registerRequestAndCloseAgainstTheScriptedRouter);
    unlink(secret_path);
    unlink(socket_path);
    rmdir(dir);
    return 0;
}
