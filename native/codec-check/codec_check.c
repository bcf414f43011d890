/*
 * codec_check: proves that the C codecs generated from the Switchboard schema and the Java codecs agree on the wire.
 *
 *   codec_check <frames-in> <envelope-out>
 *
 * <frames-in> holds frames written by Java, each as a uint32 little-endian length followed by the frame (SBE message
 * header + message). Envelope, Register and TaskResult frames are decoded with the generated C codecs and every field
 * is printed as one "message.field=value" line on stdout. Then an Envelope with the same values as Java's sample
 * (SampleMessage.ENVELOPE in the codecs tests) is encoded in C and written to <envelope-out> in the same framing, for
 * Java to decode and compare byte for byte. Text is printed as raw UTF-8, bytes as lowercase hex, doubles as %.17g.
 *
 * Exit status: 0 on success, 1 on any decode or I/O failure (with a message on stderr).
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -I codecs/target/generated-c -o codec_check codec_check.c
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_switchboard_codecs_sbe/messageHeader.h"
#include "dev_switchboard_codecs_sbe/envelope.h"
#include "dev_switchboard_codecs_sbe/register.h"
#include "dev_switchboard_codecs_sbe/taskResult.h"

#define FRAME_LENGTH_FIELD 4
#define MAX_FRAME_LENGTH 4096

/* FNV-1a 64 of a name's UTF-8 bytes, 0 mapped to 1: dev.switchboard.codecs.NameIds in C. */
static uint64_t name_id(const char *utf8, size_t length)
{
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < length; i++)
    {
        hash ^= (uint8_t)utf8[i];
        hash *= 0x100000001b3ULL;
    }
    return 0 == hash ? 1 : hash;
}

static int fail(const char *what)
{
    fprintf(stderr, "codec_check: %s: %s\n", what, sbe_strerror(errno));
    return 1;
}

static void print_text(const char *key, const char *data, size_t length)
{
    printf("%s=%.*s\n", key, (int)length, data);
}

static void print_hex(const char *key, const char *data, size_t length)
{
    printf("%s=", key);
    for (size_t i = 0; i < length; i++)
    {
        printf("%02x", (uint8_t)data[i]);
    }
    printf("\n");
}

static int decode_envelope(char *frame, uint64_t length, const struct dev_switchboard_codecs_sbe_messageHeader *header)
{
    struct dev_switchboard_codecs_sbe_envelope envelope = {0};
    if (!dev_switchboard_codecs_sbe_envelope_wrap_for_decode(
        &envelope,
        frame,
        dev_switchboard_codecs_sbe_messageHeader_encoded_length(),
        dev_switchboard_codecs_sbe_messageHeader_blockLength(header),
        dev_switchboard_codecs_sbe_messageHeader_version(header),
        length))
    {
        return fail("envelope block");
    }

    enum dev_switchboard_codecs_sbe_targetKind target_kind = dev_switchboard_codecs_sbe_targetKind_NULL_VALUE;
    enum dev_switchboard_codecs_sbe_pattern pattern = dev_switchboard_codecs_sbe_pattern_NULL_VALUE;
    enum dev_switchboard_codecs_sbe_priority priority = dev_switchboard_codecs_sbe_priority_NULL_VALUE;
    if (!dev_switchboard_codecs_sbe_envelope_targetKind(&envelope, &target_kind) ||
        !dev_switchboard_codecs_sbe_envelope_pattern(&envelope, &pattern) ||
        !dev_switchboard_codecs_sbe_envelope_priority(&envelope, &priority))
    {
        return fail("envelope enum");
    }

    printf("envelope.sourceAgentId=%" PRId64 "\n", dev_switchboard_codecs_sbe_envelope_sourceAgentId(&envelope));
    printf("envelope.targetId=%" PRId64 "\n", dev_switchboard_codecs_sbe_envelope_targetId(&envelope));
    printf("envelope.correlationId=%" PRId64 "\n", dev_switchboard_codecs_sbe_envelope_correlationId(&envelope));
    printf("envelope.timestampNs=%" PRId64 "\n", dev_switchboard_codecs_sbe_envelope_timestampNs(&envelope));
    printf("envelope.flags=%" PRIu32 "\n", dev_switchboard_codecs_sbe_envelope_flags(&envelope));
    printf("envelope.targetKind=%d\n", (int)target_kind);
    printf("envelope.pattern=%d\n", (int)pattern);
    printf("envelope.priority=%d\n", (int)priority);

    struct dev_switchboard_codecs_sbe_envelope_string_view payload =
        dev_switchboard_codecs_sbe_envelope_get_payload_as_string_view(&envelope);
    if (NULL == payload.data)
    {
        return fail("envelope payload");
    }
    print_text("envelope.payload", payload.data, payload.length);

    return 0;
}

static int decode_register(char *frame, uint64_t length, const struct dev_switchboard_codecs_sbe_messageHeader *header)
{
    struct dev_switchboard_codecs_sbe_register message = {0};
    if (!dev_switchboard_codecs_sbe_register_wrap_for_decode(
        &message,
        frame,
        dev_switchboard_codecs_sbe_messageHeader_encoded_length(),
        dev_switchboard_codecs_sbe_messageHeader_blockLength(header),
        dev_switchboard_codecs_sbe_messageHeader_version(header),
        length))
    {
        return fail("register block");
    }

    printf("register.correlationId=%" PRId64 "\n", dev_switchboard_codecs_sbe_register_correlationId(&message));
    printf("register.pid=%" PRId64 "\n", dev_switchboard_codecs_sbe_register_pid(&message));
    printf("register.requestedLeaseMs=%" PRId32 "\n", dev_switchboard_codecs_sbe_register_requestedLeaseMs(&message));

    struct dev_switchboard_codecs_sbe_tiers tiers = {0};
    if (!dev_switchboard_codecs_sbe_register_tiers(&message, &tiers))
    {
        return fail("register tiers");
    }
    const char *tier_names[] = { "critical", "high", "normal", "low", "batch", "inProcess" };
    const bool tier_set[] =
    {
        dev_switchboard_codecs_sbe_tiers_critical(&tiers),
        dev_switchboard_codecs_sbe_tiers_high(&tiers),
        dev_switchboard_codecs_sbe_tiers_normal(&tiers),
        dev_switchboard_codecs_sbe_tiers_low(&tiers),
        dev_switchboard_codecs_sbe_tiers_batch(&tiers),
        dev_switchboard_codecs_sbe_tiers_inProcess(&tiers)
    };
    printf("register.tiers=");
    const char *separator = "";
    for (size_t i = 0; i < sizeof(tier_set) / sizeof(tier_set[0]); i++)
    {
        if (tier_set[i])
        {
            printf("%s%s", separator, tier_names[i]);
            separator = ",";
        }
    }
    printf("\n");

    struct dev_switchboard_codecs_sbe_register_capabilities capabilities = {0};
    if (!dev_switchboard_codecs_sbe_register_get_capabilities(&message, &capabilities))
    {
        return fail("register capabilities");
    }
    printf("register.capabilities.count=%" PRIu64 "\n",
        dev_switchboard_codecs_sbe_register_capabilities_count(&capabilities));
    for (uint64_t i = 0; dev_switchboard_codecs_sbe_register_capabilities_has_next(&capabilities); i++)
    {
        if (!dev_switchboard_codecs_sbe_register_capabilities_next(&capabilities))
        {
            return fail("register capability entry");
        }
        struct dev_switchboard_codecs_sbe_register_string_view capability =
            dev_switchboard_codecs_sbe_register_capabilities_get_capability_as_string_view(&capabilities);
        if (NULL == capability.data)
        {
            return fail("register capability");
        }
        printf("register.capabilities.%" PRIu64 "=%.*s\n", i, (int)capability.length, capability.data);
    }

    struct dev_switchboard_codecs_sbe_register_string_view name =
        dev_switchboard_codecs_sbe_register_get_name_as_string_view(&message);
    if (NULL == name.data)
    {
        return fail("register name");
    }
    print_text("register.name", name.data, name.length);

    struct dev_switchboard_codecs_sbe_register_string_view credential =
        dev_switchboard_codecs_sbe_register_get_credential_as_string_view(&message);
    if (NULL == credential.data)
    {
        return fail("register credential");
    }
    print_hex("register.credential", credential.data, credential.length);

    return 0;
}

static int decode_task_result(
    char *frame, uint64_t length, const struct dev_switchboard_codecs_sbe_messageHeader *header)
{
    struct dev_switchboard_codecs_sbe_taskResult result = {0};
    if (!dev_switchboard_codecs_sbe_taskResult_wrap_for_decode(
        &result,
        frame,
        dev_switchboard_codecs_sbe_messageHeader_encoded_length(),
        dev_switchboard_codecs_sbe_messageHeader_blockLength(header),
        dev_switchboard_codecs_sbe_messageHeader_version(header),
        length))
    {
        return fail("taskResult block");
    }

    enum dev_switchboard_codecs_sbe_taskStatus status = dev_switchboard_codecs_sbe_taskStatus_NULL_VALUE;
    if (!dev_switchboard_codecs_sbe_taskResult_status(&result, &status))
    {
        return fail("taskResult status");
    }

    printf("taskResult.workflowId=%" PRId64 "\n", dev_switchboard_codecs_sbe_taskResult_workflowId(&result));
    printf("taskResult.taskId=%" PRId64 "\n", dev_switchboard_codecs_sbe_taskResult_taskId(&result));
    printf("taskResult.attempt=%" PRId32 "\n", dev_switchboard_codecs_sbe_taskResult_attempt(&result));
    printf("taskResult.status=%d\n", (int)status);
    printf("taskResult.durationNs=%" PRId64 "\n", dev_switchboard_codecs_sbe_taskResult_durationNs(&result));

    struct dev_switchboard_codecs_sbe_taskResult_metrics metrics = {0};
    if (!dev_switchboard_codecs_sbe_taskResult_get_metrics(&result, &metrics))
    {
        return fail("taskResult metrics");
    }
    printf("taskResult.metrics.count=%" PRIu64 "\n", dev_switchboard_codecs_sbe_taskResult_metrics_count(&metrics));
    for (uint64_t i = 0; dev_switchboard_codecs_sbe_taskResult_metrics_has_next(&metrics); i++)
    {
        if (!dev_switchboard_codecs_sbe_taskResult_metrics_next(&metrics))
        {
            return fail("taskResult metric entry");
        }
        const double value = dev_switchboard_codecs_sbe_taskResult_metrics_value(&metrics);
        struct dev_switchboard_codecs_sbe_taskResult_string_view name =
            dev_switchboard_codecs_sbe_taskResult_metrics_get_name_as_string_view(&metrics);
        if (NULL == name.data)
        {
            return fail("taskResult metric name");
        }
        printf("taskResult.metrics.%" PRIu64 ".name=%.*s\n", i, (int)name.length, name.data);
        printf("taskResult.metrics.%" PRIu64 ".value=%.17g\n", i, value);
    }

    struct dev_switchboard_codecs_sbe_taskResult_string_view error_kind =
        dev_switchboard_codecs_sbe_taskResult_get_errorKind_as_string_view(&result);
    if (NULL == error_kind.data)
    {
        return fail("taskResult errorKind");
    }
    print_text("taskResult.errorKind", error_kind.data, error_kind.length);

    struct dev_switchboard_codecs_sbe_taskResult_string_view detail =
        dev_switchboard_codecs_sbe_taskResult_get_detail_as_string_view(&result);
    if (NULL == detail.data)
    {
        return fail("taskResult detail");
    }
    print_text("taskResult.detail", detail.data, detail.length);

    return 0;
}

static int decode_frame(char *frame, uint64_t length)
{
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    if (!dev_switchboard_codecs_sbe_messageHeader_wrap(
        &header, frame, 0, dev_switchboard_codecs_sbe_messageHeader_sbe_schema_version(), length))
    {
        return fail("message header");
    }

    const uint16_t schema_id = dev_switchboard_codecs_sbe_messageHeader_schemaId(&header);
    const uint16_t version = dev_switchboard_codecs_sbe_messageHeader_version(&header);
    if (dev_switchboard_codecs_sbe_envelope_sbe_schema_id() != schema_id ||
        version > dev_switchboard_codecs_sbe_envelope_sbe_schema_version())
    {
        fprintf(stderr, "codec_check: schema id %u version %u is not Switchboard's %u version <= %u\n",
            schema_id, version, dev_switchboard_codecs_sbe_envelope_sbe_schema_id(),
            dev_switchboard_codecs_sbe_envelope_sbe_schema_version());
        return 1;
    }

    const uint16_t template_id = dev_switchboard_codecs_sbe_messageHeader_templateId(&header);
    if (dev_switchboard_codecs_sbe_envelope_sbe_template_id() == template_id)
    {
        return decode_envelope(frame, length, &header);
    }
    if (dev_switchboard_codecs_sbe_register_sbe_template_id() == template_id)
    {
        return decode_register(frame, length, &header);
    }
    if (dev_switchboard_codecs_sbe_taskResult_sbe_template_id() == template_id)
    {
        return decode_task_result(frame, length, &header);
    }

    fprintf(stderr, "codec_check: template id %u is not one this check decodes\n", template_id);
    return 1;
}

static int decode_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (NULL == file)
    {
        perror(path);
        return 1;
    }

    int result = 0;
    for (;;)
    {
        uint8_t length_bytes[FRAME_LENGTH_FIELD] = {0};
        const size_t read = fread(length_bytes, 1, sizeof(length_bytes), file);
        if (0 == read)
        {
            break;
        }
        if (sizeof(length_bytes) != read)
        {
            fprintf(stderr, "codec_check: %s ends inside a frame length\n", path);
            result = 1;
            break;
        }

        const uint32_t length = (uint32_t)length_bytes[0] | ((uint32_t)length_bytes[1] << 8) |
            ((uint32_t)length_bytes[2] << 16) | ((uint32_t)length_bytes[3] << 24);
        if (length > MAX_FRAME_LENGTH)
        {
            fprintf(stderr, "codec_check: frame of %" PRIu32 " bytes exceeds %d\n", length, MAX_FRAME_LENGTH);
            result = 1;
            break;
        }

        char frame[MAX_FRAME_LENGTH] = {0};
        if (fread(frame, 1, length, file) != length)
        {
            fprintf(stderr, "codec_check: %s ends inside a frame of %" PRIu32 " bytes\n", path, length);
            result = 1;
            break;
        }

        result = decode_frame(frame, length);
        if (0 != result)
        {
            break;
        }
    }

    fclose(file);
    return result;
}

static int encode_envelope(const char *path)
{
    static const char target_name[] = "orders";
    static const char payload[] = "hello, switchboard";

    char frame[MAX_FRAME_LENGTH] = {0};
    struct dev_switchboard_codecs_sbe_messageHeader header = {0};
    struct dev_switchboard_codecs_sbe_envelope envelope = {0};
    if (!dev_switchboard_codecs_sbe_envelope_wrap_and_apply_header(&envelope, frame, 0, sizeof(frame), &header))
    {
        return fail("envelope encode");
    }

    dev_switchboard_codecs_sbe_envelope_set_sourceAgentId(&envelope, 42);
    dev_switchboard_codecs_sbe_envelope_set_targetId(&envelope, (int64_t)name_id(target_name, strlen(target_name)));
    dev_switchboard_codecs_sbe_envelope_set_correlationId(&envelope, 7);
    dev_switchboard_codecs_sbe_envelope_set_timestampNs(&envelope, 123456789);
    dev_switchboard_codecs_sbe_envelope_set_flags(&envelope, 5);
    dev_switchboard_codecs_sbe_envelope_set_targetKind(&envelope, dev_switchboard_codecs_sbe_targetKind_TOPIC);
    dev_switchboard_codecs_sbe_envelope_set_pattern(&envelope, dev_switchboard_codecs_sbe_pattern_PUBLISH);
    dev_switchboard_codecs_sbe_envelope_set_priority(&envelope, dev_switchboard_codecs_sbe_priority_CRITICAL);
    if (!dev_switchboard_codecs_sbe_envelope_put_payload(&envelope, payload, (uint32_t)strlen(payload)))
    {
        return fail("envelope payload encode");
    }

    const uint32_t length = (uint32_t)(dev_switchboard_codecs_sbe_messageHeader_encoded_length() +
        dev_switchboard_codecs_sbe_envelope_encoded_length(&envelope));
    const uint8_t length_bytes[FRAME_LENGTH_FIELD] =
    {
        (uint8_t)length, (uint8_t)(length >> 8), (uint8_t)(length >> 16), (uint8_t)(length >> 24)
    };

    FILE *file = fopen(path, "wb");
    if (NULL == file)
    {
        perror(path);
        return 1;
    }
    const bool written = fwrite(length_bytes, 1, sizeof(length_bytes), file) == sizeof(length_bytes) &&
        fwrite(frame, 1, length, file) == length;
    if (0 != fclose(file) || !written)
    {
        perror(path);
        return 1;
    }

    printf("nameId.%s=%" PRIu64 "\n", target_name, name_id(target_name, strlen(target_name)));
    printf("encoded.envelope.length=%" PRIu32 "\n", length);
    return 0;
}

int main(int argc, char **argv)
{
    if (3 != argc)
    {
        fprintf(stderr, "usage: %s <frames-in> <envelope-out>\n", argv[0]);
        return 2;
    }

    if (0 != decode_file(argv[1]))
    {
        return 1;
    }

    return encode_envelope(argv[2]);
}
