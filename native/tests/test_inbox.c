/*
 * The inbox ring between real processes: two forked producers write numbered messages into one inbox while the
 * parent reads them; every message arrives once, in each producer's order. Bad input (oversized, bad type, a closed
 * inbox, a file that is not an inbox, a corrupt record) gets its clear status and is counted, never a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sb_internal.h"
#include "sb_test.h"

#define MESSAGES_PER_PRODUCER 100000
#define PRODUCERS 2

static char dir[256];

static void make_path(char *path, size_t n, const char *name)
{
    snprintf(path, n, "%s/%s", dir, name);
}

typedef struct order
{
    int64_t next[PRODUCERS];
    int64_t received;
    int64_t out_of_order;
}
order;

static void on_numbered(void *clientd, int32_t type_id, const uint8_t *body, int32_t length)
{
    order *o = clientd;
    CHECK_EQ_LL(SB_FRAME_TYPE_DIRECT_BIT | SB_TIER_CRITICAL, type_id);
    CHECK(length >= 16);
    int64_t producer;
    int64_t sequence;
    memcpy(&producer, body, 8);
    memcpy(&sequence, body + 8, 8);
    CHECK(producer >= 0 && producer < PRODUCERS);
    if (sequence != o->next[producer])
    {
        o->out_of_order++;
    }
    o->next[producer] = sequence + 1;
    o->received++;
}

static void ringDeliversEveryMessageOfTwoProducerProcessesInOrder(void)
{
    char path[512];
    make_path(path, sizeof(path), "order.inbox");
    sb_inbox *owner = NULL;
    CHECK_EQ_LL(0, sb_inbox_create(path, 64 * 1024, &owner));

    pid_t children[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++)
    {
        children[p] = fork();
        CHECK(children[p] >= 0);
        if (0 == children[p])
        {
            sb_inbox *sender = NULL;
            if (0 != sb_inbox_open(path, &sender))
            {
                _exit(3);
            }
            int64_t header[2] = { p, 0 };
            const char body[24] = "payload of the message";
            for (int64_t i = 0; i < MESSAGES_PER_PRODUCER; i++)
            {
                header[1] = i;
                int status;
                while (SB_BACK_PRESSURED == (status = sb_inbox_offer(sender, SB_FRAME_TYPE_DIRECT_BIT | SB_TIER_CRITICAL,
                    header, sizeof(header), body, (size_t)(i % 24))))
                {
                    sched_yield(); /* full: let the reader run (2 CPUs, 3 processes) */
                }
                if (SB_OK != status)
                {
                    fprintf(stderr, "producer %d: message %lld: %s\n", p, (long long)i, sb_offer_status_name(status));
                    _exit(4);
                }
            }
            sb_inbox_close(sender, 0);
            _exit(0);
        }
    }
    order o = {0};
    int64_t idle_reads = 0;
    while (o.received < (int64_t)PRODUCERS * MESSAGES_PER_PRODUCER)
    {
        if (sb_inbox_read(owner, on_numbered, &o, 256) > 0)
        {
            idle_reads = 0;
        }
        else if (++idle_reads % 100000000 == 0)
        {
            /* A hang detector, not a timing check: say where the ring stands and whether the producers live. */
            int status = 0;
            const int64_t head = atomic_load(sb_long_at(owner->trailer, SB_RING_HEAD_POSITION_OFFSET));
            fprintf(stderr, "no progress after %lld empty reads: received %lld (next %lld, %lld), head %lld, tail %lld, "
                "length at head %d, corrupt %lld, producer 0 %s, producer 1 %s\n", (long long)idle_reads,
                (long long)o.received, (long long)o.next[0], (long long)o.next[1], (long long)head,
                (long long)atomic_load(sb_long_at(owner->trailer, SB_RING_TAIL_POSITION_OFFSET)),
                atomic_load(sb_int_at(owner->records, (size_t)(head & owner->mask))),
                (long long)sb_inbox_corrupt_records(owner),
                0 == waitpid(children[0], &status, WNOHANG) ? "running" : "exited",
                0 == waitpid(children[1], &status, WNOHANG) ? "running" : "exited");
        }
    }
    for (int p = 0; p < PRODUCERS; p++)
    {
        int status = 0;
        CHECK(children[p] == waitpid(children[p], &status, 0));
        CHECK(WIFEXITED(status) && 0 == WEXITSTATUS(status));
    }
    CHECK_EQ_LL(0, sb_inbox_read(owner, on_numbered, &o, 256)); /* nothing more */
    CHECK_EQ_LL(0, o.out_of_order);
    CHECK_EQ_LL((int64_t)PRODUCERS * MESSAGES_PER_PRODUCER, o.received);
    for (int p = 0; p < PRODUCERS; p++)
    {
        CHECK_EQ_LL(MESSAGES_PER_PRODUCER, o.next[p]);
    }
    CHECK_EQ_LL(0, sb_inbox_corrupt_records(owner));
    sb_inbox_close(owner, 1);
    CHECK(0 != access(path, F_OK));
}

static void ignore(void *clientd, int32_t type_id, const uint8_t *body, int32_t length)
{
    (*(int *)clientd)++;
}

static void badInputGetsItsStatus(void)
{
    char path[512];
    make_path(path, sizeof(path), "bad.inbox");
    sb_inbox *owner = NULL;
    CHECK_EQ_LL(0, sb_inbox_create(path, 4096, &owner));
    struct stat st;
    CHECK(0 == stat(path, &st));
    CHECK_EQ_LL(0600, st.st_mode & 0777);
    CHECK_EQ_LL(SB_INBOX_HEADER_LENGTH + 4096 + SB_RING_TRAILER_LENGTH, st.st_size);
    CHECK_EQ_LL(-1, sb_inbox_create(path, 4096, &owner)); /* never reused: O_EXCL */
    CHECK_EQ_LL(SB_ERR_IO, sb_errcode());

    sb_inbox *sender = NULL;
    CHECK_EQ_LL(0, sb_inbox_open(path, &sender));
    CHECK_EQ_LL(512, sb_inbox_max_message_length(sender));
    uint8_t big[513] = {0};
    CHECK_EQ_LL(SB_TOO_LARGE, sb_inbox_offer(sender, 1, big, 1, big, 512));
    CHECK_EQ_LL(SB_OK, sb_inbox_offer(sender, 1, big, 256, big, 256));
    CHECK_EQ_LL(SB_REJECTED, sb_inbox_offer(sender, 0, big, 8, NULL, 0));
    CHECK_EQ_LL(SB_REJECTED, sb_inbox_offer(sender, -1, big, 8, NULL, 0));
    CHECK_EQ_LL(SB_REJECTED, sb_inbox_offer(sender, 1, NULL, 8, NULL, 0));
    /* Full: 4096 bytes hold 7 records of 520 (512 + header) besides the first, then back-pressure. */
    int accepted = 1;
    while (SB_OK == sb_inbox_offer(sender, 1, big, 512, NULL, 0))
    {
        accepted++;
    }
    CHECK_EQ_LL(SB_BACK_PRESSURED, sb_inbox_offer(sender, 1, big, 512, NULL, 0));
    int read = 0;
    while (sb_inbox_read(owner, ignore, &read, 100) > 0)
    {
    }
    CHECK_EQ_LL(accepted, read);

    /* A record whose length no producer writes: everything up to the tail is discarded and counted once. */
    CHECK_EQ_LL(SB_OK, sb_inbox_offer(sender, 1, big, 8, NULL, 0));
    const int64_t head = atomic_load(sb_long_at(owner->trailer, SB_RING_HEAD_POSITION_OFFSET));
    atomic_store(sb_int_at(owner->records, (size_t)(head & owner->mask)), 3);
    CHECK_EQ_LL(0, sb_inbox_read(owner, ignore, &read, 100));
    CHECK_EQ_LL(1, sb_inbox_corrupt_records(owner));
    CHECK_EQ_LL(16, sb_inbox_discarded_bytes(owner));
    CHECK_EQ_LL(SB_OK, sb_inbox_offer(sender, 1, big, 8, NULL, 0));
    CHECK_EQ_LL(1, sb_inbox_read(owner, ignore, &read, 100)); /* resynchronised at the tail */

    /* Closed by its owner: senders are told NOT_CONNECTED; a new mapping is refused. */
    atomic_store(sb_int_at(owner->header, SB_INBOX_STATE_OFFSET), SB_INBOX_STATE_CLOSED);
    CHECK_EQ_LL(SB_NOT_CONNECTED, sb_inbox_offer(sender, 1, big, 8, NULL, 0));
    sb_inbox *again = NULL;
    CHECK_EQ_LL(-1, sb_inbox_open(path, &again));
    CHECK(NULL != strstr(sb_errmsg(), "CLOSED"));
    sb_inbox_close(sender, 0);
    sb_inbox_close(owner, 1);

    /* Not an inbox: too short, then the right size with a wrong magic. */
    char other[512];
    make_path(other, sizeof(other), "not.inbox");
    int fd = open(other, O_CREAT | O_RDWR | O_EXCL, 0600);
    CHECK(fd >= 0);
    CHECK(0 == ftruncate(fd, 100));
    CHECK_EQ_LL(-1, sb_inbox_open(other, &again));
    CHECK(0 == ftruncate(fd, SB_INBOX_HEADER_LENGTH + 4096 + SB_RING_TRAILER_LENGTH));
    CHECK_EQ_LL(-1, sb_inbox_open(other, &again));
    CHECK(NULL != strstr(sb_errmsg(), "magic"));
    close(fd);
    unlink(other);
    CHECK_EQ_LL(-1, sb_inbox_create(path, 1000, &owner)); /* not a power of two */
    CHECK_EQ_LL(SB_ERR_ARGUMENT, sb_errcode());
}

/* The owner parks on the futex word; a producer process's offer takes the word and wakes it (no lost wake-up). */
static void producerWakesAnOwnerParkedOnTheFutex(void)
{
    char path[512];
    make_path(path, sizeof(path), "park.inbox");
    sb_inbox *owner = NULL;
    CHECK_EQ_LL(0, sb_inbox_create(path, 4096, &owner));
    _Atomic int32_t *word = sb_int_at(owner->header, SB_INBOX_PARKED_OFFSET);
    for (int round = 0; round < 50; round++)
    {
        atomic_store(word, SB_PARKED_FUTEX);
        atomic_thread_fence(memory_order_seq_cst);
        const pid_t child = fork();
        CHECK(child >= 0);
        if (0 == child)
        {
            sb_inbox *sender = NULL;
            const int64_t value = round;
            _exit(0 == sb_inbox_open(path, &sender) && SB_OK == sb_inbox_offer(sender, 1, &value, 8, NULL, 0) ? 0 : 1);
        }
        int read = 0;
        /* Sleep until woken: the word goes back to AWAKE only through the producer's compare-and-set. */
        while (0 == read)
        {
            if (!sb_inbox_has_records(owner) && SB_PARKED_FUTEX == atomic_load(word))
            {
                sb_futex_wait(word, SB_PARKED_FUTEX, 10LL * 1000000000LL);
            }
            sb_inbox_read(owner, ignore, &read, 10);
        }
        CHECK_EQ_LL(SB_PARKED_AWAKE, atomic_load(word)); /* the producer took the word */
        int status = 0;
        CHECK(child == waitpid(child, &status, 0));
        CHECK(WIFEXITED(status) && 0 == WEXITSTATUS(status));
    }
    sb_inbox_close(owner, 1);
}

/* A producer that died between claim and commit: its record blocks the head until the timeout, then it is skipped. */
static void claimNeverCommittedIsUnblockedAfterTheTimeout(void)
{
    char path[512];
    make_path(path, sizeof(path), "stuck.inbox");
    sb_inbox *owner = NULL;
    CHECK_EQ_LL(0, sb_inbox_create(path, 4096, &owner));
    /* The dead producer's claim, as it would leave it: tail moved, length negative, nothing committed. */
    _Atomic int64_t *tail = sb_long_at(owner->trailer, SB_RING_TAIL_POSITION_OFFSET);
    atomic_store(tail, 32);
    atomic_store(sb_int_at(owner->records, 0), -32);
    const int64_t value = 7;
    CHECK_EQ_LL(SB_OK, sb_inbox_offer(owner, 1, &value, 8, NULL, 0)); /* a live producer, behind the dead claim */
    int read = 0;
    CHECK_EQ_LL(0, sb_inbox_read(owner, ignore, &read, 10));
    const int64_t timeout = 1000000000LL;
    CHECK(!sb_inbox_check_stuck(owner, 5, timeout));              /* the stall starts being timed */
    CHECK(!sb_inbox_check_stuck(owner, 5 + timeout - 1, timeout)); /* not yet */
    CHECK_EQ_LL(0, sb_inbox_read(owner, ignore, &read, 10));
    CHECK(sb_inbox_check_stuck(owner, 5 + timeout, timeout));      /* unblocked */
    CHECK_EQ_LL(1, sb_inbox_unblocked_records(owner));
    CHECK_EQ_LL(1, sb_inbox_read(owner, ignore, &read, 10));       /* the message behind it, padding skipped */
    CHECK_EQ_LL(1, read);
    CHECK(!sb_inbox_check_stuck(owner, 10 * timeout, timeout));    /* empty: nothing to do */

    /* A trailer written by something else (a misaligned tail) is repaired, then the ring works again. */
    atomic_store(tail, atomic_load(tail) + 3);
    CHECK_EQ_LL(SB_NOT_CONNECTED, sb_inbox_offer(owner, 1, &value, 8, NULL, 0));
    CHECK(sb_inbox_check_trailer(owner));
    CHECK_EQ_LL(SB_OK, sb_inbox_offer(owner, 1, &value, 8, NULL, 0));
    CHECK_EQ_LL(1, sb_inbox_read(owner, ignore, &read, 10));
    sb_inbox_close(owner, 1);
}

static void namesAreSanitisedAsJavaDoes(void)
{
    char out[512];
    sb_sanitise_name("agent-1.a_b", out, sizeof(out));
    CHECK(0 == strcmp("agent-1.a_b", out));
    sb_sanitise_name("a/b%c d", out, sizeof(out));
    CHECK(0 == strcmp("a%2Fb%25c%20d", out));
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/dev/shm/sb-test-inbox-%ld", (long)getpid());
    if (0 != mkdir(dir, 0700))
    {
        snprintf(dir, sizeof(dir), "/tmp/sb-test-inbox-%ld", (long)getpid());
        CHECK(0 == mkdir(dir, 0700));
    }
    RUN(badInputGetsItsStatus);
    RUN(ringDeliversEveryMessageOfTwoProducerProcessesInOrder);
    RUN(producerWakesAnOwnerParkedOnTheFutex);
    RUN(claimNeverCommittedIsUnblockedAfterTheTimeout);
    RUN(namesAreSanitisedAsJavaDoes);
    rmdir(dir);
    return 0;
}
