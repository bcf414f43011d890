/* The client's state (not installed). */
#ifndef SB_CLIENT_INTERNAL_H
#define SB_CLIENT_INTERNAL_H

#include "sb_internal.h"

#define SB_MAX_DESTINATIONS 256
#define SB_MAX_PENDING_REQUESTS 1024
#define SB_SEND_BUFFER_LENGTH (256 * 1024)
#define SB_CONTROL_BUFFER_LENGTH (64 * 1024)
#define SB_MAX_NONCE 256

struct sb_context
{
    char socket_path[SB_MAX_PATH_LENGTH + 1];
    char shm_dir[SB_MAX_PATH_LENGTH + 1];
    char secret_file[SB_MAX_PATH_LENGTH + 1];
    int64_t inbox_capacity;
    int no_inbox;
    int64_t timeout_ms;
    int32_t lease_ms;
    sb_idle_kind idle_kind;
    int64_t spin_ns;
    int64_t park_ms;
    int32_t max_frame;
    int64_t unblock_timeout_ns;
    sb_error_handler error_handler;
    void *error_clientd;
    sb_agent_event_handler event_handler;
    void *event_clientd;
};

struct sb_destination
{
    int64_t agent_id;
    sb_priority priority;
    sb_inbox *inbox;          /* direct into the receiver's inbox, or NULL: through the router */
    int32_t direct_type;      /* SB_FRAME_TYPE_DIRECT_BIT | tier type id */
    bool in_use;
};

typedef struct sb_pending_request
{
    int64_t correlation_id;   /* 0: free */
    int64_t deadline_ns;
    sb_response_handler handler;
    void *clientd;
}
sb_pending_request;

#endif
