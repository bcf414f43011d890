/*
 * Copyright 2025 Switchboard contributors.
 *
 * sbx_agent: the C agent of the cross-language tests (interop module). One agent, one mode, on libswitchboard's
 * public API only. Where the router is comes from the environment, as for any agent (SWITCHBOARD_SOCKET,
 * SWITCHBOARD_SHM_DIR, ...: see native/README.md).
 *
 *   sbx_agent NAME MODE [ARGS...]
 *
 *   stream PEER COUNT       send COUNT CRITICAL messages to PEER while receiving COUNT from it, each side's sequence
 *                           checked in order; DONE sent=N received=N in_order=N
 *   respond COUNT           answer COUNT requests with their own payload; DONE responded=N
 *   request PEER COUNT      COUNT requests to PEER (CRITICAL), one at a time, each response checked;
 *                           DONE requests=N responses=N timeouts=N
 *   produce QUEUE COUNT     enqueue COUNT work items (CRITICAL); DONE enqueued=N
 *   consume QUEUE COUNT     consume until COUNT distinct items came, acking each; DONE consumed=N distinct=N
 *   flood PEER              send CRITICAL messages to PEER as fast as they go, for ever (the kill -9 test)
 *   echo                    send every SEND message back to its source, CRITICAL, for ever
 *   probe-observer PEER     what an observer may not do: subscribe "secrets", a CRITICAL destination to PEER and a
 *                           send through it; prints one line per outcome, then polls for ever printing ERROR lines
 *   probe-agent             publish to "jobs.build" and to "payroll" (NORMAL); then polls for ever printing ERROR lines
 *   register                register, print READY, then poll for ever (a registration the router refuses: REFUSED)
 *
 * Output: "READY <agent id>" once registered and set up; "DONE ..." when the mode finished (exit 0); "FAIL ..." on any
 * error (exit 1); "REFUSED <code> <message>" when registration was refused (exit 3); usage errors exit 2.
 * Payloads: the first 8 bytes are a sequence number, little-endian (x86-64 and AArch64 Linux are little-endian).
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "switchboard.h"

#define BURST 256
#define POLL_LIMIT 256

_Noreturn static void fail(const char *what, int64_t value)
{
    printf("FAIL %s %" PRId64 " (errcode %d: %s)\n", what, value, sb_errcode(), sb_errmsg());
    fflush(stdout);
    exit(1);
}

static int64_t parse_count(const char *text)
{
    char *end = NULL;
    const long long value = strtoll(text, &end, 10);
    if (NULL == end || *end != '\0' || value < 0)
    {
        fprintf(stderr, "not a count: '%s'\n", text);
        exit(2);
    }
    return (int64_t)value;
}

static int64_t seq_of(const sb_message *m)
{
    int64_t seq = -1;
    if (m->payload_length >= sizeof(seq))
    {
        memcpy(&seq, m->payload, sizeof(seq));
    }
    return seq;
}

static void on_error(void *clientd, int64_t correlation_id, int error_code, const char *text)
{
    (void)clientd;
    printf("ERROR %d %" PRId64 " %s\n", error_code, correlation_id, text);
    fflush(stdout);
}

/* ---- stream --------------------------------------------------------------------------------------------------- */

typedef struct stream_state
{
    int64_t peer_id;
    int64_t received;
    int64_t in_order;
    int64_t problem_at;
}
stream_state;

static void on_stream(void *clientd, const sb_message *m)
{
    stream_state *s = clientd;
    const int64_t seq = seq_of(m);
    if (seq == s->received && m->tier == SB_TIER_CRITICAL && m->payload_length == sizeof(int64_t) &&
        m->source_agent_id == s->peer_id)
    {
        s->in_order++;
    }
    else if (s->problem_at < 0)
    {
        s->problem_at = s->received;
        printf("WRONG message %" PRId64 ": seq %" PRId64 " tier %d length %zu source %" PRId64 "\n",
            s->received, seq, (int)m->tier, m->payload_length, m->source_agent_id);
        fflush(stdout);
    }
    s->received++;
}

static int stream(sb_client *client, const char *peer, int64_t count)
{
    sb_destination *to = NULL;
    if (sb_destination_by_name(client, peer, SB_PRIORITY_CRITICAL, &to) < 0)
    {
        fail("destination", 0);
    }
    stream_state s = { .peer_id = sb_destination_agent_id(to), .problem_at = -1 };
    printf("READY %" PRId64 " direct=%d\n", sb_agent_id(client), sb_destination_is_direct(to));
    fflush(stdout);
    int64_t sent = 0;
    while (sent < count || s.received < count)
    {
        for (int i = 0; i < BURST && sent < count; i++)
        {
            const int status = sb_send(client, to, &sent, sizeof(sent));
            if (SB_BACK_PRESSURED == status)
            {
                break;
            }
            if (SB_OK != status)
            {
                fail(sb_offer_status_name(status), sent);
            }
            sent++;
        }
        const int work = sb_poll(client, on_stream, &s, POLL_LIMIT);
        if (work < 0)
        {
            fail("poll", work);
        }
        if (sent == count)
        {
            sb_idle(client, work); /* all sent: wait as an agent would for the rest */
        }
    }
    printf("DONE sent=%" PRId64 " received=%" PRId64 " in_order=%" PRId64 "\n", sent, s.received, s.in_order);
    return s.in_order == count ? 0 : 1;
}

/* ---- request / respond ------------------------------------------------------------------------------------------ */

typedef struct responder_state
{
    sb_client *client;
    int64_t responded;
}
responder_state;

static void on_request(void *clientd, const sb_message *m)
{
    responder_state *s = clientd;
    if (SB_PATTERN_REQUEST != m->pattern)
    {
        printf("WRONG pattern %d where a request was expected\n", (int)m->pattern);
        return;
    }
    int status;
    while (SB_BACK_PRESSURED == (status = sb_respond(s->client, m, m->payload, m->payload_length)))
    {
    }
    if (SB_OK != status)
    {
        fail(sb_offer_status_name(status), m->correlation_id);
    }
    s->responded++;
}

static int respond(sb_client *client, int64_t count)
{
    responder_state s = { .client = client };
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    fflush(stdout);
    while (s.responded < count)
    {
        const int work = sb_poll(client, on_request, &s, POLL_LIMIT);
        if (work < 0)
        {
            fail("poll", work);
        }
        sb_idle(client, work);
    }
    printf("DONE responded=%" PRId64 "\n", s.responded);
    return 0;
}

typedef struct requester_state
{
    int64_t expected_correlation;
    int64_t expected_seq;
    int64_t responses;
    int64_t timeouts;
    int64_t wrong;
    int answered;
}
requester_state;

static void on_response(void *clientd, int64_t correlation_id, const sb_message *response)
{
    requester_state *s = clientd;
    s->answered = 1;
    if (NULL == response)
    {
        s->timeouts++;
        return;
    }
    if (correlation_id != s->expected_correlation || seq_of(response) != s->expected_seq ||
        SB_PATTERN_RESPONSE != response->pattern)
    {
        s->wrong++;
        printf("WRONG response: correlation %" PRId64 " (expected %" PRId64 "), seq %" PRId64 " (expected %" PRId64
            ")\n", correlation_id, s->expected_correlation, seq_of(response), s->expected_seq);
    }
    s->responses++;
}

static void ignore(void *clientd, const sb_message *m)
{
    (void)clientd;
    (void)m;
}

static int request(sb_client *client, const char *peer, int64_t count)
{
    sb_destination *to = NULL;
    if (sb_destination_by_name(client, peer, SB_PRIORITY_CRITICAL, &to) < 0)
    {
        fail("destination", 0);
    }
    requester_state s = { 0 };
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    fflush(stdout);
    for (int64_t i = 0; i < count; i++)
    {
        int64_t correlation;
        while (SB_BACK_PRESSURED == (correlation = sb_request(client, to, &i, sizeof(i), 30000000000LL,
            on_response, &s)))
        {
            sb_poll(client, ignore, NULL, POLL_LIMIT);
        }
        if (correlation <= 0)
        {
            fail(sb_offer_status_name((int)correlation), i);
        }
        s.expected_correlation = correlation;
        s.expected_seq = i;
        s.answered = 0;
        while (!s.answered)
        {
            const int work = sb_poll(client, ignore, NULL, POLL_LIMIT);
            if (work < 0)
            {
                fail("poll", work);
            }
            sb_idle(client, work);
        }
    }
    printf("DONE requests=%" PRId64 " responses=%" PRId64 " timeouts=%" PRId64 "\n", count, s.responses, s.timeouts);
    return s.responses == count && 0 == s.wrong ? 0 : 1;
}

/* ---- work queue ------------------------------------------------------------------------------------------------- */

static int produce(sb_client *client, const char *queue, int64_t count)
{
    const int64_t queue_id = sb_name_id(queue);
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    fflush(stdout);
    for (int64_t i = 0; i < count; i++)
    {
        int status;
        while (SB_BACK_PRESSURED == (status = sb_enqueue(client, queue_id, SB_PRIORITY_CRITICAL, &i, sizeof(i))))
        {
            sb_poll(client, ignore, NULL, POLL_LIMIT);
        }
        if (SB_OK != status)
        {
            fail(sb_offer_status_name(status), i);
        }
        sb_poll(client, ignore, NULL, POLL_LIMIT); /* errors of refused items reach on_error */
    }
    printf("DONE enqueued=%" PRId64 "\n", count);
    return 0;
}

typedef struct consumer_state
{
    sb_client *client;
    uint8_t *seen;
    int64_t count;
    int64_t consumed;
    int64_t distinct;
}
consumer_state;

static void on_work(void *clientd, const sb_message *m)
{
    consumer_state *s = clientd;
    if (SB_PATTERN_WORK != m->pattern)
    {
        printf("WRONG pattern %d where a work item was expected\n", (int)m->pattern);
        return;
    }
    const int64_t seq = seq_of(m);
    s->consumed++;
    if (seq >= 0 && seq < s->count && !s->seen[seq])
    {
        s->seen[seq] = 1;
        s->distinct++;
    }
    int status;
    while (SB_BACK_PRESSURED == (status = sb_ack(s->client, m)))
    {
    }
    if (SB_OK != status)
    {
        fail(sb_offer_status_name(status), seq);
    }
}

static int consume(sb_client *client, const char *queue, int64_t count)
{
    consumer_state s = { .client = client, .count = count, .seen = calloc((size_t)count + 1, 1) };
    if (NULL == s.seen)
    {
        fail("calloc", count);
    }
    if (sb_consume(client, queue, NULL) < 0)
    {
        fail("consume", 0);
    }
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    fflush(stdout);
    while (s.distinct < count)
    {
        const int work = sb_poll(client, on_work, &s, POLL_LIMIT);
        if (work < 0)
        {
            fail("poll", work);
        }
        sb_idle(client, work);
    }
    printf("DONE consumed=%" PRId64 " distinct=%" PRId64 "\n", s.consumed, s.distinct);
    free(s.seen);
    return 0;
}

/* ---- for ever: flood, echo, probes ------------------------------------------------------------------------------ */

static int flood(sb_client *client, const char *peer)
{
    sb_destination *to = NULL;
    if (sb_destination_by_name(client, peer, SB_PRIORITY_CRITICAL, &to) < 0)
    {
        fail("destination", 0);
    }
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    fflush(stdout);
    for (int64_t sent = 0;;)
    {
        const int status = sb_send(client, to, &sent, sizeof(sent));
        if (SB_OK == status)
        {
            sent++;
        }
        else if (SB_BACK_PRESSURED == status)
        {
            sb_poll(client, ignore, NULL, POLL_LIMIT);
        }
        else
        {
            fail(sb_offer_status_name(status), sent);
        }
    }
}

typedef struct echo_state
{
    sb_client *client;
}
echo_state;

static void on_echo(void *clientd, const sb_message *m)
{
    echo_state *s = clientd;
    if (SB_PATTERN_SEND != m->pattern)
    {
        return;
    }
    int status;
    while (SB_BACK_PRESSURED == (status = sb_send_to_id(s->client, m->source_agent_id, SB_PRIORITY_CRITICAL,
        m->payload, m->payload_length)))
    {
    }
    if (SB_OK != status)
    {
        fail(sb_offer_status_name(status), m->source_agent_id);
    }
}

static int poll_for_ever(sb_client *client, sb_message_handler handler, void *clientd)
{
    for (;;)
    {
        const int work = sb_poll(client, handler, clientd, POLL_LIMIT);
        if (work < 0)
        {
            fail("poll", work);
        }
        sb_idle(client, work);
    }
}

static void on_any(void *clientd, const sb_message *m)
{
    (void)clientd;
    printf("RECEIVED pattern=%d priority=%d source=%" PRId64 "\n", (int)m->pattern, (int)m->priority,
        m->source_agent_id);
    fflush(stdout);
}

static int probe_observer(sb_client *client, const char *peer)
{
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    const int subscribed = sb_subscribe(client, "secrets", NULL);
    printf("SUBSCRIBE rc=%d errcode=%d %s\n", subscribed, subscribed < 0 ? sb_errcode() : 0,
        subscribed < 0 ? sb_errmsg() : "");
    sb_destination *to = NULL;
    if (sb_destination_by_name(client, peer, SB_PRIORITY_CRITICAL, &to) < 0)
    {
        printf("DESTINATION rc=-1 errcode=%d %s\n", sb_errcode(), sb_errmsg());
    }
    else
    {
        printf("DESTINATION rc=0 direct=%d\n", sb_destination_is_direct(to));
        const int64_t seq = 7;
        printf("SEND %s\n", sb_offer_status_name(sb_send(client, to, &seq, sizeof(seq))));
    }
    fflush(stdout);
    return poll_for_ever(client, on_any, NULL);
}

static int probe_agent(sb_client *client)
{
    printf("READY %" PRId64 "\n", sb_agent_id(client));
    const int64_t seq = 1;
    printf("PUBLISH jobs.build %s\n", sb_offer_status_name(
        sb_publish(client, sb_name_id("jobs.build"), SB_PRIORITY_NORMAL, &seq, sizeof(seq))));
    printf("PUBLISH payroll %s\n", sb_offer_status_name(
        sb_publish(client, sb_name_id("payroll"), SB_PRIORITY_NORMAL, &seq, sizeof(seq))));
    fflush(stdout);
    return poll_for_ever(client, on_any, NULL);
}

/* ---- main ------------------------------------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: sbx_agent NAME MODE [ARGS...]; modes: stream PEER COUNT | respond COUNT | "
        "request PEER COUNT | produce QUEUE COUNT | consume QUEUE COUNT | flood PEER | echo | probe-observer PEER | "
        "probe-agent | register\n");
    exit(2);
}

static const char *arg(int argc, char **argv, int i)
{
    if (i >= argc)
    {
        usage();
    }
    return argv[i];
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3)
    {
        usage();
    }
    const char *name = argv[1];
    const char *mode = argv[2];
    sb_context *ctx = NULL;
    sb_client *client = NULL;
    if (sb_context_init(&ctx) < 0 || sb_context_set_error_handler(ctx, on_error, NULL) < 0)
    {
        fail("context", 0);
    }
    if (sb_client_connect(ctx, &client) < 0)
    {
        fail("connect", 0);
    }
    sb_context_close(ctx);
    const char *caps[] = { "interop", "c" };
    if (sb_register(client, name, caps, 2, NULL) < 0)
    {
        printf("REFUSED %d %s\n", sb_errcode(), sb_errmsg());
        sb_close(client);
        return 3;
    }
    int rc;
    if (0 == strcmp(mode, "stream"))
    {
        rc = stream(client, arg(argc, argv, 3), parse_count(arg(argc, argv, 4)));
    }
    else if (0 == strcmp(mode, "respond"))
    {
        rc = respond(client, parse_count(arg(argc, argv, 3)));
    }
    else if (0 == strcmp(mode, "request"))
    {
        rc = request(client, arg(argc, argv, 3), parse_count(arg(argc, argv, 4)));
    }
    else if (0 == strcmp(mode, "produce"))
    {
        rc = produce(client, arg(argc, argv, 3), parse_count(arg(argc, argv, 4)));
    }
    else if (0 == strcmp(mode, "consume"))
    {
        rc = consume(client, arg(argc, argv, 3), parse_count(arg(argc, argv, 4)));
    }
    else if (0 == strcmp(mode, "flood"))
    {
        rc = flood(client, arg(argc, argv, 3));
    }
    else if (0 == strcmp(mode, "echo"))
    {
        echo_state s = { .client = client };
        printf("READY %" PRId64 "\n", sb_agent_id(client));
        rc = poll_for_ever(client, on_echo, &s);
    }
    else if (0 == strcmp(mode, "probe-observer"))
    {
        rc = probe_observer(client, arg(argc, argv, 3));
    }
    else if (0 == strcmp(mode, "probe-agent"))
    {
        rc = probe_agent(client);
    }
    else if (0 == strcmp(mode, "register"))
    {
        printf("READY %" PRId64 "\n", sb_agent_id(client));
        rc = poll_for_ever(client, on_any, NULL);
    }
    else
    {
        usage();
        rc = 2;
    }
    fflush(stdout);
    sb_close(client);
    return rc;
}
