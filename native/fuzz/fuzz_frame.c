/*
 * libFuzzer target: the C frame decoder. Each input is decoded as an inbox record (first 4 bytes: the record type,
 * the rest the frame) by sb_frame_decode, and as a byte stream from the router (length-prefixed frames) through the
 * client's framing and every control frame handler (Challenge, Registered, Ack, LookupResult with its nested
 * groups, Error, AgentEvent, Envelope). Any read outside the input is caught by AddressSanitizer.
 *
 *   ./fuzz_frame -max_total_time=30 corpus/      (native/README.md: the bounded CI run and the longer one)
 */
#include <string.h>

#include "sb_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 4)
    {
        int32_t type_id;
        memcpy(&type_id, data, 4);
        /* Keep most inputs on the valid type ids so the decoders behind them are reached. */
        const int32_t type = 0 == (type_id & 0x10000) ? (type_id & 0x107) : type_id;
        sb_message message;
        if (0 == sb_frame_decode(type, data + 4, size - 4, &message))
        {
            volatile uint8_t sink = 0;
            for (size_t i = 0; i < message.payload_length; i++)
            {
                sink ^= message.payload[i]; /* every payload byte must be inside the input */
            }
            (void)sink;
        }
    }
    sb_fuzz_control_stream(data, size);
    return 0;
}
