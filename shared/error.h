/*
 * error.h - the error record shared/ code fills in on failure.
 *
 * A fixed buffer, so that reporting an error never needs memory.
 */
#ifndef SP_ERROR_H
#define SP_ERROR_H

#include <stdarg.h>

#include "searcher/spsearch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_error {
    spsearch_status_t status;
    char msg[1024];
} sp_error;

/* Sets err (which may be NULL) to status and a printf-style message, and
 * returns status, so that callers can write "return sp_error_set(...)". */
spsearch_status_t sp_error_set(sp_error *err, spsearch_status_t status,
                               const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clears err to SPSEARCH_OK and an empty message. */
void sp_error_clear(sp_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SP_ERROR_H */
