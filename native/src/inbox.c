/*
 * Inbox files and their many-to-one ring: Java's InboxFile + ManyToOneRing (package dev.switchboard.ring and
 * dev.switchboard.ipc.shm), byte for byte and with the same memory orders:
 *
 *   Java VarHandle mode        C11 here
 *   setRelease                 atomic_store_explicit(..., memory_order_release)
 *   getAcquire                 atomic_load_explicit(..., memory_order_acquire)
 *   getVolatile / setVolatile  memory_order_seq_cst
 *   get / set (plain)          memory_order_relaxed (the fields are only read after an acquire that orders them)
 *   getOpaque / setOpaque      memory_order_relaxed
 *   compareAndSet, getAndAdd   atomic_compare_exchange_strong / atomic_fetch_add (seq_cst)
 *   VarHandle.releaseFence()   atomic_thread_fence(memory_order_release)
 *
 * The offer and read paths allocate nothing and take no lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sb_internal.h"

#define INSUFFICIENT_CAPACITY (-2)
#define DAMAGED (-3)

/* ------------------------------------------------------------------------------------------------------------ */
/* futex (shared: the word lives in a file several processes map, so no FUTEX_PRIVATE_FLAG)                      */
/* ------------------------------------------------------------------------------------------------------------ */

int sb_futex_wait(_Atomic int32_t *word, int32_t expected, int64_t timeout_ns)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(timeout_ns / 1000000000LL);
    ts.tv_nsec = (long)(timeout_ns % 1000000000LL);
    return (int)syscall(SYS_futex, (int32_t *)word, FUTEX_WAIT, expected, &ts, NULL, 0);
}

int sb_futex_wake(_Atomic int32_t *word)
{
    return (int)syscall(SYS_futex, (int32_t *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* names                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

static bool is_kept(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
        c == '-';
}

static uint64_t fnv1a(const char *s)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    {
        hash ^= *p;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/* Java's InboxDescriptor.sanitiseName: bytes outside [A-Za-z0-9._-] as %XX; longer than 200: 183 chars, ~, hash. */
void sb_sanitise_name(const char *name, char *out, size_t out_length)
{
    static const char hex[] = "0123456789ABCDEF";
    char buffer[3 * SB_MAX_NAME_LENGTH + 1];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n + 3 < sizeof(buffer); p++)
    {
        if (is_kept(*p))
        {
            buffer[n++] = (char)*p;
        }
        else
        {
            buffer[n++] = '%';
            buffer[n++] = hex[*p >> 4];
            buffer[n++] = hex[*p & 0xF];
        }
    }
    buffer[n] = '\0';
    if (n > 200)
    {
        snprintf(buffer + 183, sizeof(buffer) - 183, "~%016llx", (unsigned long long)fnv1a(name));
    }
    snprintf(out, out_length, "%s", buffer);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* ring: producers                                                                                              */
/* ------------------------------------------------------------------------------------------------------------ */

static inline int32_t align8(int32_t length)
{
    return (length + (SB_RING_ALIGNMENT - 1)) & -SB_RING_ALIGNMENT;
}

static inline bool is_plausible(const sb_inbox *inbox, int64_t head, int64_t tail)
{
    const int64_t used = tail - head;
    return 0 == ((head | tail) & (SB_RING_ALIGNMENT - 1)) && used >= 0 && used <= inbox->capacity;
}

static bool damaged_on_stable_snapshot(sb_inbox *inbox)
{
    _Atomic int64_t *head_position = sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET);
    _Atomic int64_t *tail_position = sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET);
    for (int i = 0; i < 64; i++)
    {
        const int64_t before = atomic_load(head_position);
        const int64_t tail = atomic_load(tail_position);
        const int64_t after = atomic_load(head_position);
        if (before == after)
        {
            return !is_plausible(inbox, before, tail);
        }
    }
    return false;
}

/* Java's ManyToOneRing.claimCapacity (Agrona's algorithm): the index of the record, or INSUFFICIENT_CAPACITY/DAMAGED. */
static int32_t claim_capacity(sb_inbox *inbox, int32_t required)
{
    uint8_t *const trailer = inbox->trailer;
    _Atomic int64_t *head_cache = sb_long_at(trailer, SB_RING_HEAD_CACHE_POSITION_OFFSET);
    _Atomic int64_t *head_position = sb_long_at(trailer, SB_RING_HEAD_POSITION_OFFSET);
    _Atomic int64_t *tail_position = sb_long_at(trailer, SB_RING_TAIL_POSITION_OFFSET);
    const int32_t capacity = inbox->capacity;
    const int32_t mask = inbox->mask;

    int64_t head = atomic_load(head_cache);
    int64_t tail;
    int64_t new_tail;
    int32_t tail_index;
    int32_t padding;
    int32_t write_index;

    while (true)
    {
        tail = atomic_load(tail_position);
        if (!is_plausible(inbox, head, tail))
        {
            head = atomic_load(head_position);
            if (!is_plausible(inbox, head, tail))
            {
                if (damaged_on_stable_snapshot(inbox))
                {
                    return DAMAGED;
                }
                head = atomic_load(head_position);
                continue;
            }
        }
        const int32_t available = capacity - (int32_t)(tail - head);
        if (required > available)
        {
            head = atomic_load(head_position);
            if (!is_plausible(inbox, head, tail))
            {
                if (damaged_on_stable_snapshot(inbox))
                {
                    return DAMAGED;
                }
                continue;
            }
            if (required > capacity - (int32_t)(tail - head))
            {
                return INSUFFICIENT_CAPACITY;
            }
            atomic_store_explicit(head_cache, head, memory_order_release);
        }

        new_tail = tail + required;
        padding = 0;
        tail_index = (int32_t)tail & mask;
        write_index = tail_index;
        const int32_t to_end = capacity - tail_index;

        if (required > to_end)
        {
            int32_t head_index = (int32_t)head & mask;
            write_index = 0;
            if (required > head_index)
            {
                head = atomic_load(head_position);
                head_index = (int32_t)head & mask;
                if (required > head_index)
                {
                    write_index = INSUFFICIENT_CAPACITY;
                    new_tail = tail; /* claim only the padding to the end of the area */
                }
                atomic_store_explicit(head_cache, head, memory_order_release);
            }
            padding = to_end;
            new_tail += padding;
        }
        if (atomic_compare_exchange_strong(tail_position, &tail, new_tail))
        {
            break;
        }
    }

    if (0 != padding)
    {
        atomic_store_explicit(sb_int_at(inbox->records, (size_t)tail_index), -padding, memory_order_release);
        atomic_thread_fence(memory_order_release);
        atomic_store_explicit(sb_int_at(inbox->records, (size_t)tail_index + 4), SB_RING_PADDING_TYPE,
            memory_order_relaxed);
        atomic_store_explicit(sb_int_at(inbox->records, (size_t)tail_index), padding, memory_order_release);
    }
    return write_index;
}

int sb_inbox_wake_if_parked(sb_inbox *inbox)
{
    _Atomic int32_t *word = sb_int_at(inbox->header, SB_INBOX_PARKED_OFFSET);
    int32_t parked = atomic_load(word);
    if (SB_PARKED_AWAKE == parked || !atomic_compare_exchange_strong(word, &parked, SB_PARKED_AWAKE))
    {
        return 0;
    }
    if (SB_PARKED_FUTEX == parked)
    {
        return sb_futex_wake(word) >= 0 ? 1 : -1;
    }
    /* PARKED_DOORBELL (a Java owner without native access), or a value this code does not know: one byte to the
     * owner's doorbell socket, connected on the first ring (the wake path only, never the busy path). */
    if (inbox->doorbell_fd < 0)
    {
        const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
        {
            return -1;
        }
        struct sockaddr_un address;
        memset(&address, 0, sizeof(address));
        address.sun_family = AF_UNIX;
        memcpy(address.sun_path, inbox->doorbell_path, strlen(inbox->doorbell_path));
        if (0 != connect(fd, (struct sockaddr *)&address, sizeof(address)) && EINPROGRESS != errno)
        {
            close(fd);
            return -1;
        }
        inbox->doorbell_fd = fd;
    }
    const char byte = 1;
    const ssize_t written = send(inbox->doorbell_fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (written < 0 && EAGAIN != errno && EWOULDBLOCK != errno)
    {
        close(inbox->doorbell_fd);
        inbox->doorbell_fd = -1;
        return -1;
    }
    return 1;
}

int sb_inbox_offer(sb_inbox *inbox, int32_t type_id, const void *header, size_t header_length,
    const void *body, size_t body_length)
{
    if (NULL == inbox || type_id < 1 || (header_length > 0 && NULL == header) || (body_length > 0 && NULL == body))
    {
        return SB_REJECTED;
    }
    if (header_length + body_length > (size_t)inbox->max_message_length)
    {
        return SB_TOO_LARGE;
    }
    const int32_t length = (int32_t)(header_length + body_length);
    const int32_t record_length = SB_RING_RECORD_HEADER_LENGTH + length;
    const int32_t record_index = claim_capacity(inbox, align8(record_length));
    int status;
    if (record_index < 0)
    {
        status = INSUFFICIENT_CAPACITY == record_index ? SB_BACK_PRESSURED : SB_NOT_CONNECTED;
    }
    else
    {
        uint8_t *const records = inbox->records;
        _Atomic int32_t *length_word = sb_int_at(records, (size_t)record_index);
        /* The negative length must be visible before any body byte: unblock() scans zeroed space for headers. */
        atomic_store_explicit(length_word, -record_length, memory_order_release);
        atomic_thread_fence(memory_order_release);
        uint8_t *const body_at = records + record_index + SB_RING_RECORD_HEADER_LENGTH;
        if (header_length > 0)
        {
            memcpy(body_at, header, header_length);
        }
        if (body_length > 0)
        {
            memcpy(body_at + header_length, body, body_length);
        }
        atomic_store_explicit(sb_int_at(records, (size_t)record_index + 4), type_id, memory_order_relaxed);
        /* Release: body and type happen-before the consumer's acquire load of this positive length. */
        atomic_store_explicit(length_word, record_length, memory_order_release);
        status = SB_OK;
    }
    /* Java's InboxFile.afterOffer: a CLOSED inbox is NOT_CONNECTED; a successful write wakes a parked owner. */
    if (SB_INBOX_STATE_CLOSED == atomic_load(sb_int_at(inbox->header, SB_INBOX_STATE_OFFSET)))
    {
        return SB_NOT_CONNECTED;
    }
    if (SB_OK == status)
    {
        sb_inbox_wake_if_parked(inbox);
    }
    return status;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* ring: the consumer (owner)                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

static void zero_span(uint8_t *records, int32_t index, int64_t length)
{
    if (length <= 256)
    {
        for (int64_t i = index, end = index + length; i < end; i += 8)
        {
            atomic_store_explicit(sb_long_at(records, (size_t)i), 0, memory_order_relaxed);
        }
    }
    else
    {
        memset(records + index, 0, (size_t)length);
    }
}

/* Zero a consumed span, then publish the new head: the release orders the zeroes before any producer's reuse. */
static void release_span(sb_inbox *inbox, int32_t index, int32_t length, int64_t new_head)
{
    zero_span(inbox->records, index, length);
    atomic_store_explicit(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET), new_head, memory_order_release);
}

static void discard_to_tail(sb_inbox *inbox, int64_t position)
{
    const int64_t tail = atomic_load(sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET));
    int64_t span = tail - position;
    if (span < 0)
    {
        span = 0;
    }
    if (span > inbox->capacity)
    {
        span = inbox->capacity;
    }
    const int32_t index = (int32_t)position & inbox->mask;
    const int64_t first = span < inbox->capacity - index ? span : inbox->capacity - index;
    memset(inbox->records + index, 0, (size_t)first);
    if (span > first)
    {
        memset(inbox->records, 0, (size_t)(span - first));
    }
    inbox->corrupt_records++;
    inbox->discarded_bytes += span;
    atomic_store_explicit(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET), tail > position ? tail : position,
        memory_order_release);
}

static void repair_trailer(sb_inbox *inbox)
{
    _Atomic int64_t *tail_position = sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET);
    int64_t tail;
    int64_t fresh;
    do
    {
        tail = atomic_load(tail_position);
        const int64_t head = atomic_load(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET));
        int64_t highest = head > tail ? head : tail;
        if (highest < 0)
        {
            highest = 0;
        }
        fresh = (highest + SB_RING_ALIGNMENT - 1) & ~(int64_t)(SB_RING_ALIGNMENT - 1);
    }
    while (!atomic_compare_exchange_strong(tail_position, &tail, fresh));
    memset(inbox->records, 0, (size_t)inbox->capacity);
    atomic_store_explicit(sb_long_at(inbox->trailer, SB_RING_HEAD_CACHE_POSITION_OFFSET), fresh, memory_order_release);
    inbox->corrupt_records++;
    inbox->discarded_bytes += inbox->capacity;
    atomic_store_explicit(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET), fresh, memory_order_release);
}

/* Java's ManyToOneRing.read: up to the first uncommitted record or the end of the area, at most `limit` messages. */
int sb_inbox_read(sb_inbox *inbox, sb_record_handler handler, void *clientd, int limit)
{
    if (NULL == inbox || !inbox->owner || limit <= 0)
    {
        return 0;
    }
    uint8_t *const records = inbox->records;
    const int64_t head = atomic_load_explicit(
        sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET), memory_order_acquire);
    if (0 != (head & (SB_RING_ALIGNMENT - 1)))
    {
        repair_trailer(inbox);
        return 0;
    }
    const int32_t capacity = inbox->capacity;
    const int32_t head_index = (int32_t)head & inbox->mask;
    const int32_t max_block_length = capacity - head_index;
    int messages_read = 0;
    int32_t bytes_read = 0;

    while (bytes_read < max_block_length && messages_read < limit)
    {
        const int32_t record_index = head_index + bytes_read;
        const int32_t record_length = atomic_load_explicit(
            sb_int_at(records, (size_t)record_index), memory_order_acquire);
        if (record_length <= 0)
        {
            break;
        }
        if (record_length < SB_RING_RECORD_HEADER_LENGTH || record_length > capacity - record_index)
        {
            if (bytes_read > 0)
            {
                release_span(inbox, head_index, bytes_read, head + bytes_read);
            }
            bytes_read = 0;
            discard_to_tail(inbox, head + (record_index - head_index));
            break;
        }
        bytes_read += align8(record_length);
        const int32_t type_id = atomic_load_explicit(
            sb_int_at(records, (size_t)record_index + 4), memory_order_relaxed);
        if (SB_RING_PADDING_TYPE == type_id)
        {
            continue;
        }
        ++messages_read;
        handler(clientd, type_id, records + record_index + SB_RING_RECORD_HEADER_LENGTH,
            record_length - SB_RING_RECORD_HEADER_LENGTH);
    }
    if (bytes_read > 0)
    {
        release_span(inbox, head_index, bytes_read, head + bytes_read);
    }
    return messages_read;
}

bool sb_inbox_has_records(sb_inbox *inbox)
{
    const int64_t head = atomic_load_explicit(
        sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET), memory_order_acquire);
    const int32_t index = (int32_t)head & inbox->mask & ~(SB_RING_ALIGNMENT - 1);
    return 0 != atomic_load_explicit(sb_int_at(inbox->records, (size_t)index), memory_order_acquire) ||
        head != atomic_load(sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET));
}

/*
 * Java's ManyToOneRing.unblock: the record at the head was claimed by a producer that never committed it (it died
 * between claim and commit). Negative length: it becomes padding. Length still 0 (the producer died between its tail
 * CAS and its header write): the zeroed span up to the next record header becomes one padding record, provided a later
 * producer has already written that header.
 */
bool sb_inbox_unblock(sb_inbox *inbox)
{
    const int64_t head = atomic_load(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET));
    const int64_t tail = atomic_load(sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET));
    if (head == tail)
    {
        return false;
    }
    uint8_t *const records = inbox->records;
    const int32_t consumer_index = (int32_t)head & inbox->mask;
    const int32_t producer_index = (int32_t)tail & inbox->mask;
    int32_t length = atomic_load(sb_int_at(records, (size_t)consumer_index));
    if (length < 0)
    {
        atomic_store_explicit(sb_int_at(records, (size_t)consumer_index + 4), SB_RING_PADDING_TYPE, memory_order_relaxed);
        atomic_store_explicit(sb_int_at(records, (size_t)consumer_index), -length, memory_order_release);
        return true;
    }
    if (0 == length)
    {
        const int32_t limit = producer_index > consumer_index ? producer_index : inbox->capacity;
        for (int32_t i = consumer_index + SB_RING_ALIGNMENT; i < limit; i += SB_RING_ALIGNMENT)
        {
            length = atomic_load(sb_int_at(records, (size_t)i));
            if (0 != length)
            {
                for (int32_t j = i - SB_RING_ALIGNMENT; j >= consumer_index; j -= SB_RING_ALIGNMENT)
                {
                    if (0 != atomic_load(sb_int_at(records, (size_t)j)))
                    {
                        return false;
                    }
                }
                atomic_store_explicit(sb_int_at(records, (size_t)consumer_index + 4), SB_RING_PADDING_TYPE,
                    memory_order_relaxed);
                atomic_store_explicit(sb_int_at(records, (size_t)consumer_index), i - consumer_index,
                    memory_order_release);
                return true;
            }
        }
    }
    return false;
}

/*
 * Java's StuckRecordDetector.onEmptyRead, on the owner's duty slice after a read found nothing: records wait but the
 * head has not moved for `timeout_ns`: the record at the head is unblocked (and counted).
 */
bool sb_inbox_check_stuck(sb_inbox *inbox, int64_t now_ns, int64_t timeout_ns)
{
    const int64_t head = atomic_load(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET));
    if (head == atomic_load(sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET)))
    {
        inbox->stalled_head = -1;
        return false;
    }
    if (head != inbox->stalled_head)
    {
        inbox->stalled_head = head;
        inbox->stalled_since_ns = now_ns;
        return false;
    }
    if (now_ns - inbox->stalled_since_ns < timeout_ns)
    {
        return false;
    }
    inbox->stalled_head = -1;
    if (sb_inbox_unblock(inbox))
    {
        inbox->unblocked_records++;
        return true;
    }
    return false;
}

/* Java's ManyToOneRing.checkTrailer: positions no protocol writer produces are repaired (senders meanwhile get
 * NOT_CONNECTED). */
bool sb_inbox_check_trailer(sb_inbox *inbox)
{
    const int64_t head = atomic_load(sb_long_at(inbox->trailer, SB_RING_HEAD_POSITION_OFFSET));
    const int64_t tail = atomic_load(sb_long_at(inbox->trailer, SB_RING_TAIL_POSITION_OFFSET));
    if (is_plausible(inbox, head, tail))
    {
        return false;
    }
    repair_trailer(inbox);
    return true;
}

int64_t sb_inbox_unblocked_records(const sb_inbox *inbox)
{
    return inbox->unblocked_records;
}

int64_t sb_inbox_corrupt_records(const sb_inbox *inbox)
{
    return inbox->corrupt_records;
}

int64_t sb_inbox_discarded_bytes(const sb_inbox *inbox)
{
    return inbox->discarded_bytes;
}

int32_t sb_inbox_max_message_length(const sb_inbox *inbox)
{
    return inbox->max_message_length;
}

void sb_inbox_heartbeat(sb_inbox *inbox)
{
    atomic_store_explicit(sb_long_at(inbox->header, SB_INBOX_OWNER_HEARTBEAT_OFFSET), ++inbox->heartbeats,
        memory_order_relaxed);
}

int64_t sb_inbox_signal(sb_inbox *inbox, size_t offset)
{
    return atomic_load_explicit(sb_long_at(inbox->header, offset), memory_order_acquire);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* files                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

static void set_layout(sb_inbox *inbox, uint8_t *mapping, size_t length, int32_t capacity)
{
    inbox->mapping = mapping;
    inbox->mapping_length = length;
    inbox->header = mapping;
    inbox->records = mapping + SB_INBOX_HEADER_LENGTH;
    inbox->trailer = inbox->records + capacity;
    inbox->capacity = capacity;
    inbox->mask = capacity - 1;
    inbox->max_message_length = capacity >> 3;
}

static int64_t start_time_ms(void)
{
    /* Java records ProcessHandle.Info.startInstant in epoch ms; 0 means unknown (the pid alone then decides). */
    return 0;
}

/* The shm dir: created 0700, or an existing real directory of this user that others cannot write. */
static int ensure_directory(const char *dir)
{
    if (0 == mkdir(dir, 0700))
    {
        chmod(dir, 0700);
        return 0;
    }
    if (EEXIST != errno)
    {
        return sb_set_errno_error(SB_ERR_IO, errno, "cannot create the shm dir %s", dir);
    }
    struct stat st;
    if (0 != lstat(dir, &st))
    {
        return sb_set_errno_error(SB_ERR_IO, errno, "cannot read the shm dir %s", dir);
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || 0 != (st.st_mode & 0002))
    {
        return sb_set_error(SB_ERR_IO, "refused shm dir %s: it must be a real directory of this user that others "
            "cannot write (mode %03o, uid %u)", dir, (unsigned)(st.st_mode & 0777), (unsigned)st.st_uid);
    }
    return 0;
}

static int zero_fill(int fd, size_t length, const char *path)
{
    static const uint8_t zeroes[65536];
    size_t done = 0;
    while (done < length)
    {
        const size_t n = length - done < sizeof(zeroes) ? length - done : sizeof(zeroes);
        const ssize_t written = pwrite(fd, zeroes, n, (off_t)done);
        if (written < 0)
        {
            if (EINTR == errno)
            {
                continue;
            }
            return sb_set_errno_error(SB_ERR_IO, errno, "cannot fill inbox %s (%zu bytes)", path, length);
        }
        done += (size_t)written;
    }
    return 0;
}

int sb_inbox_create(const char *path, int64_t capacity, sb_inbox **inbox_out)
{
    if (NULL == path || NULL == inbox_out)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "sb_inbox_create: NULL argument");
    }
    if (capacity < SB_RING_MIN_CAPACITY || capacity > SB_RING_MAX_CAPACITY || 0 != (capacity & (capacity - 1)))
    {
        return sb_set_error(SB_ERR_ARGUMENT, "ring capacity must be a power of two in [%d, %d] bytes: capacity=%lld",
            SB_RING_MIN_CAPACITY, SB_RING_MAX_CAPACITY, (long long)capacity);
    }
    const size_t path_length = strlen(path);
    if (path_length > SB_MAX_PATH_LENGTH)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "inbox path is %zu bytes, at most %d", path_length, SB_MAX_PATH_LENGTH);
    }
    /* Doorbell: <inbox path without .inbox>.bell, or <16 hex of the hash>-<pid>.bell when that is too long. */
    char bell[SB_MAX_PATH_LENGTH + 16];
    const char *dot = strrchr(path, '.');
    const size_t stem = NULL != dot && 0 == strcmp(dot, ".inbox") ? (size_t)(dot - path) : path_length;
    snprintf(bell, sizeof(bell), "%.*s.bell", (int)stem, path);
    if (strlen(bell) > SB_INBOX_MAX_DOORBELL_PATH_LENGTH)
    {
        const char *slash = strrchr(path, '/');
        const size_t dir_length = NULL == slash ? 0 : (size_t)(slash - path) + 1;
        char file_name[SB_MAX_PATH_LENGTH + 1];
        snprintf(file_name, sizeof(file_name), "%.*s", (int)(stem - dir_length), path + dir_length);
        snprintf(bell, sizeof(bell), "%.*s%016llx-%ld.bell", (int)dir_length, path,
            (unsigned long long)fnv1a(file_name), (long)getpid());
        if (strlen(bell) > SB_INBOX_MAX_DOORBELL_PATH_LENGTH)
        {
            return sb_set_error(SB_ERR_ARGUMENT, "doorbell path %s is longer than %d bytes: use a shorter shm dir",
                bell, SB_INBOX_MAX_DOORBELL_PATH_LENGTH);
        }
    }

    sb_inbox *inbox = calloc(1, sizeof(*inbox));
    if (NULL == inbox)
    {
        return sb_set_error(SB_ERR_NO_MEMORY, "no memory for an inbox");
    }
    inbox->doorbell_fd = -1;
    const size_t file_length = (size_t)SB_INBOX_HEADER_LENGTH + (size_t)capacity + SB_RING_TRAILER_LENGTH;
    const int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
    {
        const int e = errno;
        free(inbox);
        return sb_set_errno_error(SB_ERR_IO, e, "cannot create inbox %s", path);
    }
    fchmod(fd, 0600);
    if (0 != zero_fill(fd, file_length, path))
    {
        close(fd);
        unlink(path);
        free(inbox);
        return -1;
    }
    uint8_t *mapping = mmap(NULL, file_length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int map_errno = errno;
    close(fd);
    if (MAP_FAILED == mapping)
    {
        unlink(path);
        free(inbox);
        return sb_set_errno_error(SB_ERR_IO, map_errno, "cannot map inbox %s", path);
    }
    set_layout(inbox, mapping, file_length, (int32_t)capacity);
    inbox->owner = true;
    inbox->stalled_head = -1;
    snprintf(inbox->path, sizeof(inbox->path), "%s", path);
    snprintf(inbox->doorbell_path, sizeof(inbox->doorbell_path), "%s", bell);

    /* The doorbell socket a Java sender rings when the value of the parked word is one it does not know: this owner
     * parks on the futex only, so nothing is ever expected on it; it exists so that the header is as Java writes it. */
    const int bell_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (bell_fd >= 0)
    {
        struct sockaddr_un address;
        memset(&address, 0, sizeof(address));
        address.sun_family = AF_UNIX;
        memcpy(address.sun_path, bell, strlen(bell));
        if (0 == bind(bell_fd, (struct sockaddr *)&address, sizeof(address)) && 0 == listen(bell_fd, 16))
        {
            chmod(bell, 0600);
            inbox->doorbell_fd = bell_fd;
        }
        else
        {
            close(bell_fd);
        }
    }

    /* Ring: capacity and version, then the magic released last (Java's ManyToOneRing.create). */
    uint8_t *trailer = inbox->trailer;
    atomic_store_explicit(sb_int_at(trailer, SB_RING_CAPACITY_OFFSET), (int32_t)capacity, memory_order_relaxed);
    atomic_store_explicit(sb_int_at(trailer, SB_RING_VERSION_OFFSET), SB_RING_VERSION, memory_order_relaxed);
    atomic_store_explicit(sb_int_at(trailer, SB_RING_MAGIC_OFFSET), SB_RING_MAGIC, memory_order_release);

    uint8_t *header = inbox->header;
    atomic_store_explicit(sb_int_at(header, SB_INBOX_VERSION_OFFSET), SB_INBOX_VERSION, memory_order_relaxed);
    atomic_store_explicit(sb_int_at(header, SB_INBOX_HEADER_LENGTH_OFFSET), SB_INBOX_HEADER_LENGTH, memory_order_relaxed);
    atomic_store_explicit(sb_int_at(header, SB_INBOX_RING_CAPACITY_OFFSET), (int32_t)capacity, memory_order_relaxed);
    atomic_store_explicit(sb_long_at(header, SB_INBOX_OWNER_PID_OFFSET), (int64_t)getpid(), memory_order_relaxed);
    atomic_store_explicit(sb_long_at(header, SB_INBOX_OWNER_START_TIME_OFFSET), start_time_ms(), memory_order_relaxed);
    memcpy(header + SB_INBOX_DOORBELL_PATH_OFFSET, bell, strlen(bell));
    atomic_store_explicit(sb_int_at(header, SB_INBOX_DOORBELL_PATH_LENGTH_OFFSET), (int32_t)strlen(bell),
        memory_order_relaxed);
    atomic_store_explicit(sb_long_at(header, SB_INBOX_OWNER_HEARTBEAT_OFFSET), 0, memory_order_relaxed);
    atomic_store_explicit(sb_int_at(header, SB_INBOX_STATE_OFFSET), SB_INBOX_STATE_OPEN, memory_order_relaxed);
    /* Published last: a mapper that acquire-loads the magic sees every field above. */
    atomic_store_explicit(sb_int_at(header, SB_INBOX_MAGIC_OFFSET), SB_INBOX_MAGIC, memory_order_release);

    *inbox_out = inbox;
    return 0;
}

int sb_inbox_create_named(const char *dir, const char *file_name, int64_t capacity, sb_inbox **inbox)
{
    if (0 != ensure_directory(dir))
    {
        return -1;
    }
    char path[SB_MAX_PATH_LENGTH + 2];
    const int n = snprintf(path, sizeof(path), "%s/%s", dir, file_name);
    if (n < 0 || n > SB_MAX_PATH_LENGTH)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "inbox path %s/%s is longer than %d bytes", dir, file_name,
            SB_MAX_PATH_LENGTH);
    }
    return sb_inbox_create(path, capacity, inbox);
}

int sb_inbox_open(const char *path, sb_inbox **inbox_out)
{
    if (NULL == path || NULL == inbox_out)
    {
        return sb_set_error(SB_ERR_ARGUMENT, "sb_inbox_open: NULL argument");
    }
    const int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
    {
        return sb_set_errno_error(SB_ERR_IO, errno, "cannot open inbox %s", path);
    }
    struct stat st;
    if (0 != fstat(fd, &st))
    {
        const int e = errno;
        close(fd);
        return sb_set_errno_error(SB_ERR_IO, e, "cannot read inbox %s", path);
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || 0 != (st.st_mode & 0002))
    {
        close(fd);
        return sb_set_error(SB_ERR_IO, "not an inbox of ours: %s must be a regular file of this user that others "
            "cannot write (mode %03o, uid %u)", path, (unsigned)(st.st_mode & 0777), (unsigned)st.st_uid);
    }
    const size_t minimum = SB_INBOX_HEADER_LENGTH + SB_RING_MIN_CAPACITY + SB_RING_TRAILER_LENGTH;
    if ((size_t)st.st_size < minimum)
    {
        close(fd);
        return sb_set_error(SB_ERR_IO, "not an inbox: %s has %lld bytes, fewer than the smallest inbox (%zu)", path,
            (long long)st.st_size, minimum);
    }
    const size_t length = (size_t)st.st_size;
    uint8_t *mapping = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int map_errno = errno;
    close(fd);
    if (MAP_FAILED == mapping)
    {
        return sb_set_errno_error(SB_ERR_IO, map_errno, "cannot map inbox %s", path);
    }
    const char *why = NULL;
    char reason[160];
    const int32_t magic = atomic_load_explicit(sb_int_at(mapping, SB_INBOX_MAGIC_OFFSET), memory_order_acquire);
    const int32_t version = atomic_load_explicit(sb_int_at(mapping, SB_INBOX_VERSION_OFFSET), memory_order_relaxed);
    const int32_t header_length = atomic_load_explicit(sb_int_at(mapping, SB_INBOX_HEADER_LENGTH_OFFSET),
        memory_order_relaxed);
    const int32_t capacity = atomic_load_explicit(sb_int_at(mapping, SB_INBOX_RING_CAPACITY_OFFSET),
        memory_order_relaxed);
    const int32_t bell_length = atomic_load_explicit(sb_int_at(mapping, SB_INBOX_DOORBELL_PATH_LENGTH_OFFSET),
        memory_order_relaxed);
    if (SB_INBOX_MAGIC != magic)
    {
        snprintf(reason, sizeof(reason), "magic 0x%x, expected 0x%x", (unsigned)magic, (unsigned)SB_INBOX_MAGIC);
        why = reason;
    }
    else if (SB_INBOX_VERSION != version || SB_INBOX_HEADER_LENGTH != header_length)
    {
        snprintf(reason, sizeof(reason), "layout version %d, header length %d; expected %d, %d", version,
            header_length, SB_INBOX_VERSION, SB_INBOX_HEADER_LENGTH);
        why = reason;
    }
    else if (capacity < SB_RING_MIN_CAPACITY || capacity > SB_RING_MAX_CAPACITY || 0 != (capacity & (capacity - 1)) ||
        (size_t)SB_INBOX_HEADER_LENGTH + (size_t)capacity + SB_RING_TRAILER_LENGTH != length)
    {
        snprintf(reason, sizeof(reason), "ring capacity %d does not match the file length %zu", capacity, length);
        why = reason;
    }
    else if (bell_length < 1 || bell_length > SB_INBOX_MAX_DOORBELL_PATH_LENGTH)
    {
        snprintf(reason, sizeof(reason), "doorbell path length %d is outside [1, %d]", bell_length,
            SB_INBOX_MAX_DOORBELL_PATH_LENGTH);
        why = reason;
    }
    else
    {
        uint8_t *trailer = mapping + SB_INBOX_HEADER_LENGTH + capacity;
        const int32_t ring_magic = atomic_load_explicit(sb_int_at(trailer, SB_RING_MAGIC_OFFSET), memory_order_acquire);
        const int32_t state = atomic_load(sb_int_at(mapping, SB_INBOX_STATE_OFFSET));
        if (SB_RING_MAGIC != ring_magic ||
            SB_RING_VERSION != atomic_load_explicit(sb_int_at(trailer, SB_RING_VERSION_OFFSET), memory_order_relaxed) ||
            capacity != atomic_load_explicit(sb_int_at(trailer, SB_RING_CAPACITY_OFFSET), memory_order_relaxed))
        {
            why = "its ring trailer is not an initialised ring of this capacity and version";
        }
        else if (SB_INBOX_STATE_OPEN != state)
        {
            snprintf(reason, sizeof(reason), "%s", SB_INBOX_STATE_CLOSED == state ? "it is CLOSED" : "it is not OPEN");
            why = reason;
        }
    }
    if (NULL != why)
    {
        munmap(mapping, length);
        return sb_set_error(SB_ERR_IO, "not a usable inbox: %s: %s", path, why);
    }
    sb_inbox *inbox = calloc(1, sizeof(*inbox));
    if (NULL == inbox)
    {
        munmap(mapping, length);
        return sb_set_error(SB_ERR_NO_MEMORY, "no memory for an inbox");
    }
    set_layout(inbox, mapping, length, capacity);
    inbox->owner = false;
    inbox->doorbell_fd = -1;
    snprintf(inbox->path, sizeof(inbox->path), "%s", path);
    memcpy(inbox->doorbell_path, mapping + SB_INBOX_DOORBELL_PATH_OFFSET, (size_t)bell_length);
    inbox->doorbell_path[bell_length] = '\0';
    *inbox_out = inbox;
    return 0;
}

void sb_inbox_close(sb_inbox *inbox, int remove)
{
    if (NULL == inbox)
    {
        return;
    }
    if (inbox->owner)
    {
        atomic_store(sb_int_at(inbox->header, SB_INBOX_STATE_OFFSET), SB_INBOX_STATE_CLOSED);
        if (remove)
        {
            unlink(inbox->path);
        }
        if (inbox->doorbell_fd >= 0)
        {
            unlink(inbox->doorbell_path);
        }
    }
    if (inbox->doorbell_fd >= 0)
    {
        close(inbox->doorbell_fd);
    }
    munmap(inbox->mapping, inbox->mapping_length);
    free(inbox);
}
