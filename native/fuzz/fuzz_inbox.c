/*
 * libFuzzer target: the inbox reader (the owner's side of the ring, Java's ManyToOneRing.read). Each input is
 * written into the record area at the head as a hostile process mapping the file could write it (lengths, types,
 * bodies of its choosing, the tail moved past it), then the owner reads until the ring is empty. The reader must
 * stay inside the record area, hand out only bodies inside it, and end with head == tail, counting what it
 * discarded. A second mode (first byte odd) also scribbles on the trailer's positions.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb_internal.h"

#define CAPACITY 4096

static sb_inbox *inbox;

static void on_record(void *clientd, int32_t type_id, const uint8_t *body, int32_t length)
{
    if (length < 0 || body < inbox->records || body + length > inbox->records + inbox->capacity)
    {
        abort();
    }
    volatile uint8_t sink = 0;
    for (int32_t i = 0; i < length; i++)
    {
        sink ^= body[i];
    }
    (void)sink;
    sb_message message;
    sb_frame_decode(type_id, body, (size_t)length, &message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (NULL == inbox)
    {
        char path[128];
        snprintf(path, sizeof(path), "/dev/shm/sb-fuzz-inbox-%ld.inbox", (long)getpid());
        unlink(path);
        if (0 != sb_inbox_create(path, CAPACITY, &inbox))
        {
            snprintf(path, sizeof(path), "/tmp/sb-fuzz-inbox-%ld.inbox", (long)getpid());
            unlink(path);
            if (0 != sb_inbox_create(path, CAPACITY, &inbox))
            {
                abort();
            }
        }
        unlink(path); /* the mapping stays */
        unlink(inbox->doorbell_path);
    }
    if (0 == size)
    {
        return 0;
    }
    _Atomic int64_t *head = sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET);
    _Atomic int64_t *tail = sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET);
    const int64_t start = atomic_load(head);
    const size_t n = size - 1 < CAPACITY ? size - 1 : CAPACITY;
    const int32_t index = (int32_t)(start & (CAPACITY - 1));
    const size_t first = n < (size_t)(CAPACITY - index) ? n : (size_t)(CAPACITY - index);
    memcpy(inbox->records + index, data + 1, first);
    memcpy(inbox->records, data + 1 + first, n - first);
    atomic_store(tail, start + (int64_t)((n + 7) & ~(size_t)7));
    if (1 == (data[0] & 1) && size >= 17)
    {
        int64_t positions[2];
        memcpy(positions, data + size - 16, 16);
        atomic_store(head, positions[0] & ((1LL << 40) - 1));
        atomic_store(tail, positions[1] & ((1LL << 40) - 1));
    }
    for (int rounds = 0; rounds < 4 * CAPACITY; rounds++)
    {
        if (0 == sb_inbox_read(inbox, on_record, NULL, 64) && atomic_load(head) == atomic_load(tail))
        {
            break;
        }
        /* A record that stays negative (a claim never committed) stops the reader, as designed: unblocking it is the
         * stuck-record detector's job (not in this library yet), so the fuzzer clears it the way a consumer would. */
        const int64_t h = atomic_load(head);
        const int32_t at = (int32_t)(h & (CAPACITY - 1) & ~7);
        if (atomic_load(sb_int_at(inbox->records, (size_t)at)) < 0 || 0 != (h & 7))
        {
            memset(inbox->records, 0, CAPACITY);
            const int64_t t = atomic_load(tail);
            const int64_t fresh = ((h > t ? h : t) + 7) & ~7LL;
            atomic_store(tail, fresh);
            atomic_store(head, fresh);
            break;
        }
    }
    if (atomic_load(head) != atomic_load(tail))
    {
        /* A tail the input set beyond anything written: the ring is reset for the next input. */
        memset(inbox->records, 0, CAPACITY);
        const int64_t t = (atomic_load(tail) + 7) & ~7LL;
        atomic_store(head, t > 0 ? t : 0);
        atomic_store(tail, t > 0 ? t : 0);
    }
    atomic_store(sb_long_at(inbox->trailer, SB_RING_HEAD_CACHE_POSITION_OFFSET), atomic_load(head));
    return 0;
}
