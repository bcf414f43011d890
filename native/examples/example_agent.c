/*
 * example_agent: a C program as a Switchboard agent, talking to Java agents through a real router.
 *
 *   example_agent --name NAME [--peer PEER] [--count N] [--priorities critical,normal,high,batch] [--topic TOPIC]
 *                 [--serve SECONDS]
 *
 * Registers as NAME (capability "c-example"), subscribes to TOPIC (default "demo"). With --peer: sends N requests
 * (default 100) to PEER at CRITICAL (straight into its /dev/shm inbox) and N at NORMAL (through the router), or at
 * the --priorities given (HIGH goes through the router as this library has no io_uring tier; BATCH as CRITICAL), each
 * answered by the peer (`./switchboard agent` echoes every request), and checks every response's payload; then
 * publishes one message to TOPIC. With --serve: then answers requests (an echo), acks work items and prints what it
 * received, for SECONDS seconds (0: until killed). Exit status 0 when every response came back intact, 1 otherwise,
 * 2 on bad arguments. Settings of the library come from its environment variables (native/README.md), e.g.
 * SWITCHBOARD_RUNTIME_DIR for a router started with --runtime-dir.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switchboard.h"

#define MAX_COUNT 100000

typedef struct exchange
{
    int64_t ids[MAX_COUNT];
    int count;
    int responses;
    int intact;
    int timeouts;
    sb_tier tier;
}
exchange;

typedef struct server
{
    sb_client *client;
    long received[8];
}
server;

static volatile sig_atomic_t stop = 0;

static void on_signal(int signo)
{
    (void)signo;
    stop = 1;
}

static void on_error(void *clientd, int64_t correlation_id, int error_code, const char *text)
{
    fprintf(stderr, "example_agent: the router refused something (correlation %" PRId64 ", error code %d): %s\n",
        correlation_id, error_code, text);
}

static void on_agent_event(void *clientd, int64_t agent_id, int kind, const char *name)
{
    printf("agent event: %s %s (%" PRIx64 ")\n", 0 == kind ? "REGISTERED" : 1 == kind ? "DEREGISTERED" : "EXPIRED",
        name, (uint64_t)agent_id);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_response(void *clientd, int64_t correlation_id, const sb_message *response)
{
    exchange *x = clientd;
    if (NULL == response)
    {
        x->timeouts++;
        return;
    }
    x->responses++;
    x->tier = response->tier;
    for (int i = 0; i < x->count; i++)
    {
        if (x->ids[i] == correlation_id)
        {
            char expected[64];
            snprintf(expected, sizeof(expected), "c-request-%d", i);
            if (response->payload_length == strlen(expected) &&
                0 == memcmp(response->payload, expected, strlen(expected)))
            {
                x->intact++;
            }
            return;
        }
    }
}

static void on_message(void *clientd, const sb_message *m)
{
    server *s = clientd;
    s->received[m->pattern & 7]++;
    if (SB_PATTERN_REQUEST == m->pattern)
    {
        while (SB_BACK_PRESSURED == sb_respond(s->client, m, m->payload, m->payload_length))
        {
            sb_poll(s->client, NULL, NULL, 1);
        }
    }
    else if (SB_PATTERN_WORK == m->pattern)
    {
        sb_ack(s->client, m);
    }
    else
    {
        printf("received a %s from %" PRIx64 " at priority %d on tier %d: %.*s\n",
            SB_PATTERN_PUBLISH == m->pattern ? "publish" : "message", (uint64_t)m->source_agent_id, (int)m->priority,
            (int)m->tier, (int)(m->payload_length < 80 ? m->payload_length : 80), (const char *)m->payload);
    }
}

/* N request/response round trips with the peer at one priority, one request at a time. */
static int run_exchange(sb_client *client, server *s, const char *peer, sb_priority priority, const char *label,
    int count)
{
    sb_destination *to = NULL;
    if (0 != sb_destination_by_name(client, peer, priority, &to))
    {
        fprintf(stderr, "example_agent: %s destination '%s': %s\n", label, peer, sb_errmsg());
        return 1;
    }
    static exchange x;
    memset(&x, 0, sizeof(x));
    x.count = count;
    const int64_t deadline = now_ms() + 60000;
    for (int i = 0; i < count && !stop && now_ms() < deadline; i++)
    {
        char payload[64];
        const int length = snprintf(payload, sizeof(payload), "c-request-%d", i);
        int64_t id;
        while (SB_BACK_PRESSURED == (id = sb_request(client, to, payload, (size_t)length, 5000000000LL, on_response,
            &x)) && now_ms() < deadline)
        {
            sb_idle(client, sb_poll(client, on_message, s, 64));
        }
        if (id < 0)
        {
            fprintf(stderr, "example_agent: %s request %d: %s\n", label, i, sb_offer_status_name((int)id));
            return 1;
        }
        x.ids[i] = id;
        while (x.responses + x.timeouts <= i && !stop && now_ms() < deadline)
        {
            sb_idle(client, sb_poll(client, on_message, s, 64));
        }
    }
    printf("%s: %d requests to %s (%s), %d responses (%d intact, on tier %d), %d timed out\n", label, count, peer,
        sb_destination_is_direct(to) ? "direct into its inbox" : "through the router", x.responses, x.intact,
        (int)x.tier, x.timeouts);
    return count == x.intact ? 0 : 1;
}

static int usage(const char *why)
{
    fprintf(stderr, "example_agent: %s\nusage: example_agent --name NAME [--peer PEER] [--count N] "
        "[--priorities critical,normal,high,batch] [--topic TOPIC] [--serve SECONDS]\n", why);
    return 2;
}

int main(int argc, char **argv)
{
    const char *name = NULL;
    const char *peer = NULL;
    const char *topic = "demo";
    int count = 100;
    int serve = -1;
    const char *priorities = "critical,normal";
    for (int i = 1; i < argc; i++)
    {
        if (i + 1 >= argc)
        {
            return usage("every option takes a value");
        }
        if (0 == strcmp(argv[i], "--name")) name = argv[++i];
        else if (0 == strcmp(argv[i], "--peer")) peer = argv[++i];
        else if (0 == strcmp(argv[i], "--topic")) topic = argv[++i];
        else if (0 == strcmp(argv[i], "--count")) count = atoi(argv[++i]);
        else if (0 == strcmp(argv[i], "--serve")) serve = atoi(argv[++i]);
        else if (0 == strcmp(argv[i], "--priorities")) priorities = argv[++i];
        else return usage("unknown option");
    }
    if (NULL == name || count < 1 || count > MAX_COUNT)
    {
        return usage("--name is required; --count is 1..100000");
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    sb_context *ctx = NULL;
    sb_client *client = NULL;
    if (0 != sb_context_init(&ctx) || 0 != sb_context_set_error_handler(ctx, on_error, NULL) ||
        0 != sb_context_set_agent_event_handler(ctx, on_agent_event, NULL) || 0 != sb_client_connect(ctx, &client))
    {
        fprintf(stderr, "example_agent: %s\n", sb_errmsg());
        sb_context_close(ctx);
        return 1;
    }
    const char *capabilities[] = { "c-example" };
    sb_agent_info me;
    int64_t topic_id = 0;
    if (0 != sb_register(client, name, capabilities, 1, &me) || 0 != sb_subscribe(client, topic, &topic_id))
    {
        fprintf(stderr, "example_agent: %s\n", sb_errmsg());
        sb_close(client);
        sb_context_close(ctx);
        return 1;
    }
    printf("agent %s registered as %" PRIx64 " (inbox %s), subscribed to '%s'\n", name, (uint64_t)me.agent_id,
        '\0' != me.inbox[0] ? me.inbox : "none", topic);
    fflush(stdout);

    server s = { .client = client };
    int status = 0;
    if (NULL != peer)
    {
        static sb_agent_info found[8];
        const int n = sb_lookup_by_capability(client, "sample", found, 8);
        printf("agents with capability 'sample': %d%s%s\n", n, n > 0 ? ", first " : "", n > 0 ? found[0].name : "");
        static const struct { const char *name; const char *label; sb_priority priority; } known[] =
        {
            { "critical", "CRITICAL", SB_PRIORITY_CRITICAL }, { "high", "HIGH", SB_PRIORITY_HIGH },
            { "normal", "NORMAL", SB_PRIORITY_NORMAL }, { "batch", "BATCH", SB_PRIORITY_BATCH }
        };
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
        {
            if (NULL != strstr(priorities, known[k].name))
            {
                status |= run_exchange(client, &s, peer, known[k].priority, known[k].label, count);
            }
        }
        const char hello[] = "hello from C";
        const int published = sb_publish(client, topic_id, SB_PRIORITY_NORMAL, hello, sizeof(hello) - 1);
        printf("published to '%s': %s\n", topic, sb_offer_status_name(published));
        status |= SB_OK == published ? 0 : 1;
    }
    if (serve >= 0)
    {
        const int64_t until = 0 == serve ? INT64_MAX : now_ms() + (int64_t)serve * 1000;
        while (!stop && now_ms() < until)
        {
            const int work = sb_poll(client, on_message, &s, 64);
            if (SB_CLOSED == work)
            {
                fprintf(stderr, "example_agent: the router closed the connection\n");
                status = 1;
                break;
            }
            sb_idle(client, work);
        }
        printf("served: SEND=%ld PUBLISH=%ld REQUEST=%ld WORK=%ld\n", s.received[SB_PATTERN_SEND],
            s.received[SB_PATTERN_PUBLISH], s.received[SB_PATTERN_REQUEST], s.received[SB_PATTERN_WORK]);
    }
    fflush(stdout);
    sb_close(client);
    sb_context_close(ctx);
    return status;
}
