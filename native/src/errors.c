/* Per-thread last error: sb_errcode/sb_errmsg (the Aeron C client's aeron_errcode/aeron_errmsg model). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sb_internal.h"

#define SB_ERRMSG_LENGTH 512

static _Thread_local int sb_last_code = 0;
static _Thread_local char sb_last_message[SB_ERRMSG_LENGTH] = "";

int sb_errcode(void)
{
    return sb_last_code;
}

const char *sb_errmsg(void)
{
    return sb_last_message;
}

int sb_set_error(int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(sb_last_message, sizeof(sb_last_message), format, args);
    va_end(args);
    sb_last_code = code;
    return -1;
}

int sb_set_errno_error(int code, int errnum, const char *format, ...)
{
    char what[SB_ERRMSG_LENGTH];
    va_list args;
    va_start(args, format);
    vsnprintf(what, sizeof(what), format, args);
    va_end(args);
    char reason[128];
    const char *text = strerror_r(errnum, reason, sizeof(reason)); /* the GNU variant: returns the text */
    snprintf(sb_last_message, sizeof(sb_last_message), "%s: %s (errno %d)", what, text, errnum);
    sb_last_code = code;
    return -1;
}

const char *sb_offer_status_name(int status)
{
    switch (status)
    {
        case SB_OK: return "OK";
        case SB_BACK_PRESSURED: return "BACK_PRESSURED";
        case SB_NOT_CONNECTED: return "NOT_CONNECTED";
        case SB_TOO_LARGE: return "TOO_LARGE";
        case SB_REJECTED: return "REJECTED";
        case SB_CLOSED: return "CLOSED";
        default: return "UNKNOWN";
    }
}
