#include "config.h"

#include <stdio.h>

#include "shared/error.h"

spsearch_status_t sp_error_set(sp_error *err, spsearch_status_t status,
                               const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->status = status;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

void sp_error_clear(sp_error *err)
{
    if (err != NULL) {
        err->status = SPSEARCH_OK;
        err->msg[0] = '\0';
    }
}
