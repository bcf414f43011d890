/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), self-contained so that the library needs no crypto dependency:
 * only the registration answer (Java's RegistrationToken/SecretFile.derive) uses them, on the control path.
 * Checked against the FIPS and RFC 4231 test vectors in tests/test_hmac.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sb_internal.h"

static const uint32_t K[64] =
{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t rotr(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
    {
        w[i] = ((uint32_t)block[4 * i] << 24) | ((uint32_t)block[4 * i + 1] << 16) |
            ((uint32_t)block[4 * i + 2] << 8) | (uint32_t)block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++)
    {
        const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++)
    {
        const uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

void sb_sha256_init(sb_sha256 *ctx)
{
    static const uint32_t initial[8] =
    {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };
    memcpy(ctx->state, initial, sizeof(initial));
    ctx->length = 0;
    ctx->used = 0;
}

void sb_sha256_update(sb_sha256 *ctx, const void *data, size_t length)
{
    const uint8_t *p = data;
    ctx->length += length;
    while (length > 0)
    {
        const size_t n = length < 64 - ctx->used ? length : 64 - ctx->used;
        memcpy(ctx->block + ctx->used, p, n);
        ctx->used += n;
        p += n;
        length -= n;
        if (64 == ctx->used)
        {
            compress(ctx->state, ctx->block);
            ctx->used = 0;
        }
    }
}

void sb_sha256_final(sb_sha256 *ctx, uint8_t out[SB_SHA256_LENGTH])
{
    const uint64_t bits = ctx->length * 8;
    const uint8_t one = 0x80;
    const uint8_t zero = 0;
    sb_sha256_update(ctx, &one, 1);
    while (56 != ctx->used)
    {
        sb_sha256_update(ctx, &zero, 1);
    }
    uint8_t length_be[8];
    for (int i = 0; i < 8; i++)
    {
        length_be[i] = (uint8_t)(bits >> (56 - 8 * i));
    }
    sb_sha256_update(ctx, length_be, 8);
    for (int i = 0; i < 8; i++)
    {
        out[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}

void sb_hmac_init(sb_hmac *ctx, const uint8_t *key, size_t key_length)
{
    uint8_t block[64] = {0};
    if (key_length > 64)
    {
        sb_sha256 hashed;
        sb_sha256_init(&hashed);
        sb_sha256_update(&hashed, key, key_length);
        sb_sha256_final(&hashed, block);
    }
    else if (key_length > 0)
    {
        memcpy(block, key, key_length);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++)
    {
        pad[i] = block[i] ^ 0x36;
    }
    sb_sha256_init(&ctx->inner);
    sb_sha256_update(&ctx->inner, pad, 64);
    for (int i = 0; i < 64; i++)
    {
        pad[i] = block[i] ^ 0x5c;
    }
    sb_sha256_init(&ctx->outer);
    sb_sha256_update(&ctx->outer, pad, 64);
}

void sb_hmac_update(sb_hmac *ctx, const void *data, size_t length)
{
    sb_sha256_update(&ctx->inner, data, length);
}

void sb_hmac_final(sb_hmac *ctx, uint8_t out[SB_SHA256_LENGTH])
{
    uint8_t inner[SB_SHA256_LENGTH];
    sb_sha256_final(&ctx->inner, inner);
    sb_sha256_update(&ctx->outer, inner, sizeof(inner));
    sb_sha256_final(&ctx->outer, out);
}

void sb_derive(const uint8_t *secret, size_t secret_length, const char *label,
    const uint8_t *const *parts, const size_t *part_lengths, size_t part_count, uint8_t out[SB_SHA256_LENGTH])
{
    sb_hmac hmac;
    sb_hmac_init(&hmac, secret, secret_length);
    sb_hmac_update(&hmac, label, strlen(label));
    const uint8_t zero = 0;
    sb_hmac_update(&hmac, &zero, 1);
    for (size_t i = 0; i < part_count; i++)
    {
        const uint32_t n = (uint32_t)part_lengths[i];
        const uint8_t be[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };
        sb_hmac_update(&hmac, be, 4);
        sb_hmac_update(&hmac, parts[i], part_lengths[i]);
    }
    sb_hmac_final(&hmac, out);
}

/* Java's SecretFile.load checks: a regular file (no link) of this user, not readable by group or others, 16..4096 B. */
int sb_read_secret_file(const char *path, uint8_t *secret, size_t capacity, size_t *length)
{
    const int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
    {
        return sb_set_errno_error(SB_ERR_AUTH, errno, "secret file %s cannot be read", path);
    }
    struct stat st;
    if (0 != fstat(fd, &st))
    {
        const int e = errno;
        close(fd);
        return sb_set_errno_error(SB_ERR_AUTH, e, "secret file %s cannot be read", path);
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || 0 != (st.st_mode & 077))
    {
        close(fd);
        return sb_set_error(SB_ERR_AUTH, "secret file %s must be a regular file of this user with mode 0600 or 0400 "
            "(mode %03o, uid %u)", path, (unsigned)(st.st_mode & 0777), (unsigned)st.st_uid);
    }
    if (st.st_size < 16 || st.st_size > 4096 || (size_t)st.st_size > capacity)
    {
        close(fd);
        return sb_set_error(SB_ERR_AUTH, "secret file %s has %lld bytes; a secret has 16..4096 bytes", path,
            (long long)st.st_size);
    }
    size_t done = 0;
    while (done < (size_t)st.st_size)
    {
        const ssize_t n = read(fd, secret + done, (size_t)st.st_size - done);
        if (n <= 0)
        {
            const int e = n < 0 ? errno : EIO;
            close(fd);
            return sb_set_errno_error(SB_ERR_AUTH, e, "secret file %s cannot be read", path);
        }
        done += (size_t)n;
    }
    close(fd);
    *length = done;
    return 0;
}
