/* failmalloc.h's allocation failures: glibc lets a program replace malloc,
 * and its own allocator stays reachable as __libc_malloc. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include "tests/failmalloc/failmalloc.h"

#ifndef FAILMALLOC_SKIP
#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static unsigned long counted, fail_at, failed_at, spared_n;
static int armed;
/* Set on the thread that is looking at a stack, whose own allocations
 * (backtrace's) are not counted. */
static __thread int looking;

/* The stack of the allocation that failed, for failmalloc_report. */
static void *failed_frames[64];
static int failed_depth;

/* Whether the allocation being made is one of those failmalloc.h spares. */
static int spared(void)
{
    void *frames[64];
    looking = 1;
    int n = backtrace(frames, 64), spare = 0;
    for (int i = 0; i < n && !spare; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info))
            continue;
        spare = (info.dli_fname != NULL &&
                 strstr(info.dli_fname, "libxapian") != NULL) ||
                (info.dli_sname != NULL &&
                 strncmp(info.dli_sname, "ubrk_open", 9) == 0);
    }
    looking = 0;
    if (!spare) {
        memcpy(failed_frames, frames, (size_t)n * sizeof *frames);
        failed_depth = n;
    }
    return spare;
}

/* Fails the first allocation from number fail_at on that is not spared.
 * One thread at a time looks at its stack (failing_mu), so that only one
 * allocation fails. */
static int fail_now(void)
{
    static int failing_mu;
    if (!__atomic_load_n(&armed, __ATOMIC_ACQUIRE) || looking)
        return 0;
    unsigned long k = __atomic_add_fetch(&counted, 1, __ATOMIC_ACQ_REL);
    if (k < fail_at || __atomic_load_n(&failed_at, __ATOMIC_ACQUIRE) != 0)
        return 0;
    while (__atomic_exchange_n(&failing_mu, 1, __ATOMIC_ACQUIRE))
        ;
    int fail = 0;
    if (failed_at == 0) {
        if (spared())
            spared_n++;
        else
            fail = 1, failed_at = k;
    }
    __atomic_store_n(&failing_mu, 0, __ATOMIC_RELEASE);
    return fail;
}

void *malloc(size_t n)
{
    return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

/* What would be allocated for good later, between two measures of the
 * memory in use, allocated before the test begins: the unwinder that
 * backtrace loads at its first call, and stdout's buffer (a static one). */
__attribute__((constructor)) static void warm_up(void)
{
    static char out_buf[BUFSIZ];
    void *frames[4];
    (void)backtrace(frames, 4);
    setvbuf(stdout, out_buf, _IOLBF, sizeof out_buf);
}

void failmalloc_arm(unsigned long k)
{
    __atomic_store_n(&counted, 0, __ATOMIC_RELEASE);
    fail_at = k ? k : (unsigned long)-1;
    failed_at = spared_n = 0;
    __atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
}

unsigned long failmalloc_disarm(unsigned long *spared_count)
{
    __atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
    if (spared_count != NULL)
        *spared_count = spared_n;
    return __atomic_load_n(&failed_at, __ATOMIC_ACQUIRE);
}

void failmalloc_report(int fd)
{
    backtrace_symbols_fd(failed_frames, failed_depth, fd);
}

size_t failmalloc_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}
#endif
