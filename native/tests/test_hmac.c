/* SHA-256 and HMAC-SHA256 against the FIPS 180-4 and RFC 4231 vectors; the registration answer's derivation. */
#include <string.h>

#include "sb_internal.h"
#include "sb_test.h"

static void hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
    {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

static void check_sha(const char *input, size_t repeat, const char *expected)
{
    sb_sha256 sha;
    sb_sha256_init(&sha);
    for (size_t i = 0; i < repeat; i++)
    {
        sb_sha256_update(&sha, input, strlen(input));
    }
    uint8_t digest[32];
    char text[65];
    sb_sha256_final(&sha, digest);
    hex(digest, 32, text);
    if (0 != strcmp(expected, text))
    {
        fprintf(stderr, "sha256 of '%s' x %zu: expected %s, was %s\n", input, repeat, expected, text);
        exit(1);
    }
}

static void sha256MatchesFipsVectors(void)
{
    check_sha("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_sha("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void hmacMatchesRfc4231(void)
{
    uint8_t key[20];
    memset(key, 0x0b, sizeof(key));
    sb_hmac hmac;
    uint8_t mac[32];
    char text[65];
    sb_hmac_init(&hmac, key, sizeof(key));
    sb_hmac_update(&hmac, "Hi There", 8);
    sb_hmac_final(&hmac, mac);
    hex(mac, 32, text);
    CHECK(0 == strcmp("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", text));

    sb_hmac_init(&hmac, (const uint8_t *)"Jefe", 4);
    sb_hmac_update(&hmac, "what do ya want ", 16);
    sb_hmac_update(&hmac, "for nothing?", 12);
    sb_hmac_final(&hmac, mac);
    hex(mac, 32, text);
    CHECK(0 == strcmp("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", text));

    uint8_t long_key[131];
    memset(long_key, 0xaa, sizeof(long_key));
    sb_hmac_init(&hmac, long_key, sizeof(long_key));
    const char *data = "Test Using Larger Than Block-Size Key - Hash Key First";
    sb_hmac_update(&hmac, data, strlen(data));
    sb_hmac_final(&hmac, mac);
    hex(mac, 32, text);
    CHECK(0 == strcmp("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", text));
}

/* SecretFile.derive(label, parts) is HMAC(secret, label || 0x00 || len(part) BE || part ...): computed by hand here. */
static void deriveFramesLabelAndParts(void)
{
    const uint8_t secret[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    const uint8_t nonce[3] = { 0xAA, 0xBB, 0xCC };
    const uint8_t *parts[2] = { nonce, (const uint8_t *)"agent" };
    const size_t lengths[2] = { 3, 5 };
    uint8_t derived[32];
    sb_derive(secret, sizeof(secret), "register", parts, lengths, 2, derived);

    const uint8_t message[] = { 'r', 'e', 'g', 'i', 's', 't', 'e', 'r', 0, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC,
        0, 0, 0, 5, 'a', 'g', 'e', 'n', 't' };
    sb_hmac hmac;
    uint8_t expected[32];
    sb_hmac_init(&hmac, secret, sizeof(secret));
    sb_hmac_update(&hmac, message, sizeof(message));
    sb_hmac_final(&hmac, expected);
    CHECK(0 == memcmp(expected, derived, 32));
}

int main(void)
{
    RUN(sha256MatchesFipsVectors);
    RUN(hmacMatchesRfc4231);
    RUN(deriveFramesLabelAndParts);
    return 0;
}
