/*
 * cacheline_pingpong: the hardware floor of Switchboard's latency report. Two processes move one 64-byte cache line
 * between two CPUs and nothing else: no queue, no framing, no system call on the path. Any transport between two
 * processes on this machine pays at least this much; the report shows every transport against it.
 *
 *   cacheline_pingpong pingpong --samples N [--warmup W] --cpus A,B|none --out FILE [--shm FILE]
 *   cacheline_pingpong oneway   --samples N [--warmup W] --rate R [--overwrite] --cpus A,B|none --out FILE
 *                               [--shm FILE]
 *
 * pingpong  The parent stores sequence number i into the line and spins until the child has echoed i into the same
 *           line; the round-trip time (two clock reads around the store and the spin) of each of N measured
 *           iterations, after W unrecorded warm-up iterations, is a sample. The parent measures.
 * oneway    The parent sends W + N messages at a fixed rate of R a second: message i is due at start + i * 1e9 / R;
 *           the parent spins until CLOCK_MONOTONIC reaches that time, then publishes (stamp = due time, seq = i)
 *           in the line. The child spins on seq and records now - stamp for each measured message it reads.
 *           Because the stamp is the intended send time, a sender that falls behind is charged for it
 *           (coordinated omission corrected by construction). The line holds one message, so the sender first
 *           waits (before the due time, off the measured path) until the child has acknowledged the previous one
 *           in the line: a stalled child makes later messages late, and their lateness is recorded, as a stalled
 *           reader of a queue would. The child measures, and counts as missed any sequence number it never saw
 *           (0 unless something is broken).
 *           --overwrite: the sender never waits; a message the child had not read yet is overwritten (a seqlock
 *           keeps the stamp consistent) and counted as missed. On this 2-vCPU VM, where a spinning process is
 *           preempted hundreds of times a second, that lost 2-20 % of messages at 100 k/s, and the lost ones are
 *           exactly the late ones, so the recorded tail is too good; it is kept for comparison only.
 *
 * Timestamps come from clock_gettime(CLOCK_MONOTONIC), the clock behind Java's System.nanoTime() on Linux, so the
 * floor and the Java transports are timed alike (one clock read costs 20-30 ns here and is part of every sample).
 *
 * --cpus A,B  the parent pins itself to CPU A and the child to CPU B with sched_setaffinity; when that fails the
 *             process warns on stderr and runs unpinned, and the summary says pinned=no. --cpus none: no pinning.
 * --warmup W  iterations (pingpong) or messages (oneway) run before the N measured ones; default 0.
 * --out FILE  the measured samples, N (oneway: N - missed) int64 little-endian nanoseconds in the order measured,
 *             written by the process that measured.
 * --shm FILE  share a file created under /dev/shm (unlinked as soon as both processes have mapped it) instead of
 *             an anonymous shared mapping; the memory is the same kind (shmem pages) either way.
 *
 * Output: one line on stdout,
 *   mode=pingpong samples=N p50=.. p90=.. p99=.. p999=.. max=.. missed=0 mean=.. pinned=yes|no cpus=A,B|none rate=0
 * percentiles in ns by nearest rank over the sorted samples. Exit status 0 on success, 1 on a failure while running,
 * 2 on bad arguments, each with a message on stderr.
 *
 * Build: make -C native/floor   (gcc -std=c11 -O2 -Wall -Wextra -Werror; libc only)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROGRAM "cacheline_pingpong"
#define EXIT_RUN_FAILURE 1
#define EXIT_USAGE 2

#define CACHE_LINE_BYTES 64
/*
 * Lines written by different processes are kept 128 bytes apart: the adjacent-line (spatial) prefetcher fetches
 * 128-byte pairs, which would otherwise drag the control line along with the measured one.
 */
#define SEPARATION_BYTES 128

/* Most samples one run may measure: 8 bytes each in memory (800 MB), plus a sorted copy for the summary. */
#define MAX_SAMPLES 100000000LL
#define MAX_WARMUP 1000000000LL
#define MAX_RATE 1000000000LL
#define NANOS_PER_SECOND 1000000000LL

/* Spins between checks that the child is still alive while the parent waits on it (tens of milliseconds). */
#define LIVENESS_CHECK_MASK ((1LL << 24) - 1)

/*
 * Spin-wait hint. Default: a plain spin (FLOOR_SPIN_PAUSE 0). PAUSE was measured here (AMD EPYC, 2 vCPUs under
 * KVM; 10 interleaved pairs of 200 k round trips): where both runs of a pair were in the same placement regime,
 * PAUSE made p50 10 ns worse (110 vs 100, 130 vs 120) and p99 no better. It delays every exit from the spin, and
 * under KVM a PAUSE loop can trigger pause-loop exiting, handing the vCPU back to the host. Neither belongs in a
 * floor. Build with -DFLOOR_SPIN_PAUSE=1 to compare.
 */
#ifndef FLOOR_SPIN_PAUSE
#define FLOOR_SPIN_PAUSE 0
#endif
#if FLOOR_SPIN_PAUSE && (defined(__x86_64__) || defined(__i386__))
#define spin_hint() __builtin_ia32_pause()
#else
#define spin_hint() ((void)0)
#endif

/*
 * The measured line: both processes write it, on purpose. That is the floor: one message costs one transfer of
 * one line each way (pingpong: seq goes to the child, echo comes back; oneway: seq and stamp go to the child, and
 * the echo comes back before the next message is due). A queue adds its head and tail lines on top; no transport
 * can move a message with less.
 *
 *   offset 0   seq    parent writes. pingpong: iteration number i (1-based). oneway: 2m once message m (1-based)
 *                     is complete; with --overwrite also 2m - 1 while it is being written (a seqlock).
 *   offset 8   echo   child writes. pingpong: the last i it saw. oneway: the last m it read (not with --overwrite).
 *   offset 16  stamp  parent writes. oneway: the intended send time of message m, CLOCK_MONOTONIC ns.
 *   offset 24  padding to 128 bytes, so nothing else shares the line or its prefetch pair.
 */
struct floor_line
{
    alignas(SEPARATION_BYTES) _Atomic int64_t seq;
    _Atomic int64_t echo;
    _Atomic int64_t stamp;
};

/* Start-up handshake, on lines of its own so it never touches the measured line. */
struct control
{
    alignas(SEPARATION_BYTES) _Atomic int32_t child_state; /* child writes: CHILD_* below */
    int32_t child_pinned;                                  /* child writes before CHILD_READY (release) */
};

enum
{
    CHILD_STARTING = 0,
    CHILD_READY = 1,
    CHILD_FAILED = 2
};

struct shared_region
{
    struct control control;
    struct floor_line line;
};

_Static_assert(sizeof(struct control) == SEPARATION_BYTES, "control block must fill its 128 bytes");
_Static_assert(offsetof(struct shared_region, line) == SEPARATION_BYTES, "measured line must start 128 bytes in");
_Static_assert(sizeof(struct floor_line) == SEPARATION_BYTES, "measured line must be padded to 128 bytes");
_Static_assert(sizeof(struct floor_line) >= CACHE_LINE_BYTES, "measured line must cover a whole cache line");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free");

enum mode
{
    MODE_PINGPONG,
    MODE_ONEWAY
};

struct options
{
    enum mode mode;
    int64_t samples;
    int64_t warmup;
    int64_t rate;
    bool pin;
    bool overwrite;
    int cpu_parent;
    int cpu_child;
    const char *cpus_text;
    const char *out_path;
    const char *shm_path;
};

struct summary
{
    int64_t samples;
    int64_t missed;
    bool pinned;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NANOS_PER_SECOND + ts.tv_nsec;
}

static void usage_error(const char *fmt, const char *detail)
{
    fprintf(stderr, PROGRAM ": ");
    fprintf(stderr, fmt, detail);
    fprintf(stderr, "\nusage: " PROGRAM " pingpong|oneway --samples N [--warmup W] [--rate R] --cpus A,B|none"
        " --out FILE [--shm FILE] [--overwrite]\n  (--rate is required by oneway; --rate and --overwrite are only allowed there)\n");
    exit(EXIT_USAGE);
}

static int64_t parse_count(const char *option, const char *text, int64_t min, int64_t max)
{
    char *end = NULL;
    errno = 0;
    const long long value = strtoll(text, &end, 10);
    if (0 != errno || end == text || '\0' != *end)
    {
        fprintf(stderr, PROGRAM ": %s needs a whole number, got '%s'\n", option, text);
        exit(EXIT_USAGE);
    }
    if (value < min || value > max)
    {
        fprintf(stderr, PROGRAM ": %s must be between %" PRId64 " and %" PRId64 ", got %lld\n",
            option, min, max, value);
        exit(EXIT_USAGE);
    }
    return value;
}

static void parse_cpus(const char *text, struct options *options)
{
    options->cpus_text = text;
    if (0 == strcmp(text, "none"))
    {
        options->pin = false;
        return;
    }

    char *end = NULL;
    errno = 0;
    const long first = strtol(text, &end, 10);
    if (0 != errno || end == text || ',' != *end || first < 0 || first >= CPU_SETSIZE)
    {
        usage_error("--cpus needs two CPU numbers like 0,1 (or none), got '%s'", text);
    }
    const char *second_text = end + 1;
    errno = 0;
    const long second = strtol(second_text, &end, 10);
    if (0 != errno || end == second_text || '\0' != *end || second < 0 || second >= CPU_SETSIZE)
    {
        usage_error("--cpus needs two CPU numbers like 0,1 (or none), got '%s'", text);
    }
    if (first == second)
    {
        usage_error("--cpus needs two different CPUs (two spinning processes on one CPU measure the scheduler), "
            "got '%s'", text);
    }
    options->pin = true;
    options->cpu_parent = (int)first;
    options->cpu_child = (int)second;
}

static struct options parse_options(int argc, char **argv)
{
    struct options options = {0};
    options.samples = -1;
    options.rate = -1;
    if (argc < 2)
    {
        usage_error("%s", "no mode given");
    }
    if (0 == strcmp(argv[1], "pingpong"))
    {
        options.mode = MODE_PINGPONG;
    }
    else if (0 == strcmp(argv[1], "oneway"))
    {
        options.mode = MODE_ONEWAY;
    }
    else
    {
        usage_error("unknown mode '%s' (pingpong or oneway)", argv[1]);
    }

    for (int i = 2; i < argc; i += 2)
    {
        const char *option = argv[i];
        if (0 == strcmp(option, "--overwrite"))
        {
            options.overwrite = true;
            i--; /* takes no value */
            continue;
        }
        if (i + 1 >= argc)
        {
            usage_error("%s needs a value", option);
        }
        const char *value = argv[i + 1];
        if (0 == strcmp(option, "--samples"))
        {
            options.samples = parse_count(option, value, 1, MAX_SAMPLES);
        }
        else if (0 == strcmp(option, "--warmup"))
        {
            options.warmup = parse_count(option, value, 0, MAX_WARMUP);
        }
        else if (0 == strcmp(option, "--rate"))
        {
            options.rate = parse_count(option, value, 1, MAX_RATE);
        }
        else if (0 == strcmp(option, "--cpus"))
        {
            parse_cpus(value, &options);
        }
        else if (0 == strcmp(option, "--out"))
        {
            options.out_path = value;
        }
        else if (0 == strcmp(option, "--shm"))
        {
            options.shm_path = value;
        }
        else
        {
            usage_error("unknown option '%s'", option);
        }
    }

    if (options.samples < 0)
    {
        usage_error("%s", "--samples is required");
    }
    if (NULL == options.cpus_text)
    {
        usage_error("%s", "--cpus is required (A,B or none)");
    }
    if (NULL == options.out_path || '\0' == options.out_path[0])
    {
        usage_error("%s", "--out is required");
    }
    if (MODE_ONEWAY == options.mode && options.rate < 0)
    {
        usage_error("%s", "oneway needs --rate (messages a second)");
    }
    if (MODE_PINGPONG == options.mode && options.rate >= 0)
    {
        usage_error("%s", "--rate is only for oneway");
    }
    if (MODE_PINGPONG == options.mode && options.overwrite)
    {
        usage_error("%s", "--overwrite is only for oneway");
    }
    return options;
}

/*
 * Returns true when pinned. On failure warns and sets the affinity to `unpinned` (the CPUs the program started
 * with): the child inherits the parent's pinning through fork(), and left there it would share the parent's CPU.
 */
static bool pin_to(int cpu, const char *who, const cpu_set_t *unpinned)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (0 != sched_setaffinity(0, sizeof(set), &set))
    {
        fprintf(stderr, PROGRAM ": warning: cannot pin the %s to CPU %d (%s); running unpinned\n",
            who, cpu, strerror(errno));
        sched_setaffinity(0, sizeof(*unpinned), unpinned);
        return false;
    }
    return true;
}

static struct shared_region *map_region(const char *shm_path)
{
    const size_t size = sizeof(struct shared_region);
    void *memory;
    if (NULL == shm_path)
    {
        memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    }
    else
    {
        const int fd = open(shm_path, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
        {
            fprintf(stderr, PROGRAM ": cannot create %s: %s\n", shm_path, strerror(errno));
            exit(EXIT_RUN_FAILURE);
        }
        if (0 != ftruncate(fd, (off_t)size))
        {
            fprintf(stderr, PROGRAM ": cannot size %s to %zu bytes: %s\n", shm_path, size, strerror(errno));
            unlink(shm_path);
            exit(EXIT_RUN_FAILURE);
        }
        memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        /* The child inherits the mapping through fork(), so the name is not needed past this point: unlinking
         * now leaves nothing behind in /dev/shm even when the run is killed. */
        unlink(shm_path);
    }
    if (MAP_FAILED == memory)
    {
        fprintf(stderr, PROGRAM ": cannot map %zu shared bytes: %s\n", size, strerror(errno));
        exit(EXIT_RUN_FAILURE);
    }
    /* Fresh shared pages are zero: seq = echo = 0 and child_state = CHILD_STARTING. */
    return memory;
}

static int64_t *allocate_samples(int64_t count)
{
    int64_t *samples = malloc((size_t)(count > 0 ? count : 1) * sizeof(int64_t));
    if (NULL == samples)
    {
        fprintf(stderr, PROGRAM ": cannot allocate %" PRId64 " samples (%" PRId64 " bytes)\n",
            count, count * (int64_t)sizeof(int64_t));
        return NULL;
    }
    /* Touch every page now, so no page fault lands inside a measured iteration. */
    memset(samples, 0, (size_t)count * sizeof(int64_t));
    return samples;
}

static int compare_int64(const void *a, const void *b)
{
    const int64_t x = *(const int64_t *)a;
    const int64_t y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least per_mille / 1000 of all samples at or below it. */
static int64_t at_rank(const int64_t *sorted, int64_t count, int64_t parts, int64_t whole)
{
    int64_t rank = (count * parts + whole - 1) / whole;
    if (rank < 1)
    {
        rank = 1;
    }
    return sorted[rank - 1];
}

static int write_samples(int fd, const char *path, const int64_t *samples, int64_t count)
{
    uint8_t buffer[8192];
    size_t used = 0;
    for (int64_t i = 0; i <= count; i++)
    {
        if (used == sizeof(buffer) || (i == count && used > 0))
        {
            size_t offset = 0;
            while (offset < used)
            {
                const ssize_t written = write(fd, buffer + offset, used - offset);
                if (written < 0)
                {
                    if (EINTR == errno)
                    {
                        continue;
                    }
                    fprintf(stderr, PROGRAM ": cannot write %s: %s\n", path, strerror(errno));
                    return -1;
                }
                offset += (size_t)written;
            }
            used = 0;
        }
        if (i < count)
        {
            /* Little-endian whatever the host order, as the file format promises. */
            const uint64_t value = (uint64_t)samples[i];
            for (int b = 0; b < 8; b++)
            {
                buffer[used++] = (uint8_t)(value >> (8 * b));
            }
        }
    }
    if (0 != close(fd))
    {
        fprintf(stderr, PROGRAM ": cannot close %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes the samples and prints the summary line; returns the exit status. */
static int report(const struct options *options, int out_fd, const int64_t *samples, const struct summary *summary)
{
    if (0 != write_samples(out_fd, options->out_path, samples, summary->samples))
    {
        return EXIT_RUN_FAILURE;
    }

    const int64_t count = summary->samples;
    int64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
    double mean = 0.0;
    if (count > 0)
    {
        int64_t *sorted = malloc((size_t)count * sizeof(int64_t));
        if (NULL == sorted)
        {
            fprintf(stderr, PROGRAM ": cannot allocate a sorted copy of %" PRId64 " samples\n", count);
            return EXIT_RUN_FAILURE;
        }
        memcpy(sorted, samples, (size_t)count * sizeof(int64_t));
        qsort(sorted, (size_t)count, sizeof(int64_t), compare_int64);
        p50 = at_rank(sorted, count, 50, 100);
        p90 = at_rank(sorted, count, 90, 100);
        p99 = at_rank(sorted, count, 99, 100);
        p999 = at_rank(sorted, count, 999, 1000);
        max = sorted[count - 1];
        double total = 0.0;
        for (int64_t i = 0; i < count; i++)
        {
            total += (double)sorted[i];
        }
        mean = total / (double)count;
        free(sorted);
    }

    printf("mode=%s samples=%" PRId64 " p50=%" PRId64 " p90=%" PRId64 " p99=%" PRId64 " p999=%" PRId64
        " max=%" PRId64 " missed=%" PRId64 " mean=%.1f pinned=%s cpus=%s rate=%" PRId64 "\n",
        MODE_PINGPONG == options->mode ? "pingpong" : "oneway", count, p50, p90, p99, p999, max,
        summary->missed, mean, summary->pinned ? "yes" : "no", options->cpus_text,
        options->rate > 0 ? options->rate : 0);
    if (0 != fflush(stdout))
    {
        fprintf(stderr, PROGRAM ": cannot write the summary: %s\n", strerror(errno));
        return EXIT_RUN_FAILURE;
    }
    return 0;
}

/* Parent side: 0 while the child runs, else the exit status to use (the child died or failed). */
static int child_gone(pid_t child)
{
    int status;
    const pid_t pid = waitpid(child, &status, WNOHANG);
    if (0 == pid)
    {
        return 0;
    }
    if (pid < 0)
    {
        fprintf(stderr, PROGRAM ": lost the child process: %s\n", strerror(errno));
    }
    else if (WIFSIGNALED(status))
    {
        fprintf(stderr, PROGRAM ": the child process was killed by signal %d\n", WTERMSIG(status));
    }
    else
    {
        fprintf(stderr, PROGRAM ": the child process exited early with status %d\n", WEXITSTATUS(status));
    }
    return EXIT_RUN_FAILURE;
}

/* Parent side: waits for the child to be pinned and ready; returns 0, or an exit status. */
static int await_child_ready(struct shared_region *region, pid_t child)
{
    for (int64_t spins = 1;; spins++)
    {
        const int32_t state = atomic_load_explicit(&region->control.child_state, memory_order_acquire);
        if (CHILD_READY == state)
        {
            return 0;
        }
        if (CHILD_FAILED == state || 0 == (spins & 0xfff))
        {
            const int gone = child_gone(child);
            if (0 != gone)
            {
                return gone;
            }
        }
        sched_yield();
    }
}

/* Parent side: reaps the child; returns its exit status (or 1 when it was killed). */
static int await_child_exit(pid_t child)
{
    int status;
    while (waitpid(child, &status, 0) < 0)
    {
        if (EINTR != errno)
        {
            fprintf(stderr, PROGRAM ": cannot wait for the child process: %s\n", strerror(errno));
            return EXIT_RUN_FAILURE;
        }
    }
    if (WIFSIGNALED(status))
    {
        fprintf(stderr, PROGRAM ": the child process was killed by signal %d\n", WTERMSIG(status));
        return EXIT_RUN_FAILURE;
    }
    return WEXITSTATUS(status);
}

static void child_signal_ready(struct shared_region *region, bool pinned)
{
    region->control.child_pinned = pinned ? 1 : 0;
    /* Release: the parent's acquire load of CHILD_READY makes child_pinned visible to it. */
    atomic_store_explicit(&region->control.child_state, CHILD_READY, memory_order_release);
}

static void child_signal_failed(struct shared_region *region)
{
    atomic_store_explicit(&region->control.child_state, CHILD_FAILED, memory_order_release);
}

/*
 * pingpong. Release/acquire on seq and echo order nothing else (no payload rides with them); they are there so the
 * C11 model matches what the hardware does anyway: on x86-64 both compile to a plain mov, no fence.
 */
static int pingpong_parent(
    const struct options *options, struct shared_region *region, pid_t child, bool parent_pinned, int out_fd)
{
    int64_t *samples = allocate_samples(options->samples);
    if (NULL == samples)
    {
        return EXIT_RUN_FAILURE;
    }
    const int ready = await_child_ready(region, child);
    if (0 != ready)
    {
        return ready;
    }
    const bool pinned = parent_pinned && 1 == region->control.child_pinned;

    struct floor_line *line = &region->line;
    const int64_t warmup = options->warmup;
    const int64_t total = warmup + options->samples;
    for (int64_t i = 1; i <= total; i++)
    {
        const int64_t start = now_ns();
        atomic_store_explicit(&line->seq, i, memory_order_release);
        int64_t spins = 0;
        while (atomic_load_explicit(&line->echo, memory_order_acquire) != i)
        {
            spin_hint();
            if (0 == (++spins & LIVENESS_CHECK_MASK))
            {
                const int gone = child_gone(child);
                if (0 != gone)
                {
                    return gone;
                }
            }
        }
        const int64_t end = now_ns();
        if (i > warmup)
        {
            samples[i - warmup - 1] = end - start;
        }
    }

    const int child_status = await_child_exit(child);
    if (0 != child_status)
    {
        return child_status;
    }
    const struct summary summary = {.samples = options->samples, .missed = 0, .pinned = pinned};
    return report(options, out_fd, samples, &summary);
}

static int pingpong_child(const struct options *options, struct shared_region *region, bool pinned)
{
    child_signal_ready(region, pinned);
    struct floor_line *line = &region->line;
    const int64_t total = options->warmup + options->samples;
    for (int64_t i = 1; i <= total; i++)
    {
        while (atomic_load_explicit(&line->seq, memory_order_acquire) != i)
        {
            spin_hint();
        }
        atomic_store_explicit(&line->echo, i, memory_order_release);
    }
    return 0;
}

/*
 * oneway, sender. seq carries 2m once message m is complete. By default the sender waits for the child's echo of
 * m - 1 (acquire: the child's read of the previous stamp happens before this store of the next, so they never
 * race), then stores the stamp (relaxed) and seq (release: the child's acquire load of 2m makes the stamp
 * visible). The echo is read before the due time, so the measured path is the line's transfer to the child alone.
 *
 * --overwrite: a seqlock (Boehm, "Can seqlocks get along with programming language memory models?", 2012): seq
 * goes odd (2m - 1), a release fence keeps the stamp store after it, the stamp is stored, and seq goes even with
 * release, so a reader that sees the same even seq before and after reading the stamp read that message's stamp.
 */
static int oneway_parent(const struct options *options, struct shared_region *region, pid_t child)
{
    const int ready = await_child_ready(region, child);
    if (0 != ready)
    {
        return ready;
    }

    struct floor_line *line = &region->line;
    const int64_t total = options->warmup + options->samples;
    const int64_t rate = options->rate;
    const bool overwrite = options->overwrite;
    /* A little lead, so the first message is not due before the loop has started. */
    const int64_t start = now_ns() + 100000;
    for (int64_t m = 1; m <= total; m++)
    {
        /* (m - 1) * 1e9 fits in int64 for every m up to MAX_WARMUP + MAX_SAMPLES. */
        const int64_t due = start + ((m - 1) * NANOS_PER_SECOND) / rate;
        if (overwrite)
        {
            while (now_ns() < due)
            {
                spin_hint();
            }
            atomic_store_explicit(&line->seq, 2 * m - 1, memory_order_relaxed);
            atomic_thread_fence(memory_order_release);
        }
        else
        {
            int64_t spins = 0;
            while (atomic_load_explicit(&line->echo, memory_order_acquire) != m - 1)
            {
                spin_hint();
                if (0 == (++spins & LIVENESS_CHECK_MASK))
                {
                    const int gone = child_gone(child);
                    if (0 != gone)
                    {
                        return gone;
                    }
                }
            }
            while (now_ns() < due)
            {
                spin_hint();
            }
        }
        atomic_store_explicit(&line->stamp, due, memory_order_relaxed);
        atomic_store_explicit(&line->seq, 2 * m, memory_order_release);
    }

    return await_child_exit(child);
}

/*
 * oneway, receiver. Reads the line as a seqlock reader (acquire load of seq, relaxed load of the stamp, acquire
 * fence, relaxed re-load of seq: equal and even means the stamp is message seq / 2's); without --overwrite the
 * re-check never fails and costs an L1 hit. Then acknowledges the message in echo (release, see the sender).
 * Measured messages that were never seen are counted as missed.
 */
static int oneway_child(const struct options *options, struct shared_region *region, bool parent_pinned,
    bool child_pinned, int out_fd)
{
    int64_t *samples = allocate_samples(options->samples);
    if (NULL == samples)
    {
        child_signal_failed(region);
        return EXIT_RUN_FAILURE;
    }
    child_signal_ready(region, child_pinned);

    struct floor_line *line = &region->line;
    const int64_t warmup = options->warmup;
    const int64_t total = warmup + options->samples;
    const bool overwrite = options->overwrite;
    int64_t last = 0;
    int64_t recorded = 0;
    int64_t missed = 0;
    while (last < total)
    {
        const int64_t before = atomic_load_explicit(&line->seq, memory_order_acquire);
        if (0 != (before & 1) || before / 2 == last)
        {
            spin_hint();
            continue;
        }
        const int64_t stamp = atomic_load_explicit(&line->stamp, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        const int64_t after = atomic_load_explicit(&line->seq, memory_order_relaxed);
        if (before != after)
        {
            continue; /* overwritten while being read: take the newer message on the next pass */
        }
        const int64_t now = now_ns();
        const int64_t m = before / 2;
        if (!overwrite)
        {
            atomic_store_explicit(&line->echo, m, memory_order_release);
        }
        /* Measured messages (number > warmup) strictly between the last one read and this one were lost. */
        const int64_t first_skipped = (last > warmup ? last : warmup) + 1;
        if (m - 1 >= first_skipped)
        {
            missed += m - first_skipped;
        }
        if (m > warmup)
        {
            samples[recorded++] = now - stamp;
        }
        last = m;
    }

    const struct summary summary = {
        .samples = recorded, .missed = missed, .pinned = parent_pinned && child_pinned};
    return report(options, out_fd, samples, &summary);
}

int main(int argc, char **argv)
{
    const struct options options = parse_options(argc, argv);

    const int out_fd = open(options.out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out_fd < 0)
    {
        fprintf(stderr, PROGRAM ": cannot create %s: %s\n", options.out_path, strerror(errno));
        return EXIT_RUN_FAILURE;
    }
    struct shared_region *region = map_region(options.shm_path);

    /* The parent pins itself before fork(): the child starts on the parent's CPU and then moves itself. */
    cpu_set_t unpinned;
    if (0 != sched_getaffinity(0, sizeof(unpinned), &unpinned))
    {
        fprintf(stderr, PROGRAM ": cannot read the CPU affinity: %s\n", strerror(errno));
        return EXIT_RUN_FAILURE;
    }
    const bool parent_pinned = options.pin && pin_to(options.cpu_parent, "parent", &unpinned);
    const pid_t parent_pid = getpid();
    fflush(NULL); /* nothing buffered may be written twice */
    const pid_t child = fork();
    if (child < 0)
    {
        fprintf(stderr, PROGRAM ": fork failed: %s\n", strerror(errno));
        return EXIT_RUN_FAILURE;
    }

    if (0 == child)
    {
        /* A parent killed mid-run (a harness timeout) must not leave the child spinning forever. */
        if (0 != prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent_pid)
        {
            _exit(EXIT_RUN_FAILURE);
        }
        const bool child_pinned = options.pin && pin_to(options.cpu_child, "child", &unpinned);
        int status;
        if (MODE_PINGPONG == options.mode)
        {
            close(out_fd);
            status = pingpong_child(&options, region, child_pinned);
        }
        else
        {
            status = oneway_child(&options, region, parent_pinned, child_pinned, out_fd);
        }
        fflush(NULL);
        _exit(status);
    }

    if (MODE_PINGPONG == options.mode)
    {
        return pingpong_parent(&options, region, child, parent_pinned, out_fd);
    }
    close(out_fd);
    return oneway_parent(&options, region, child);
}
