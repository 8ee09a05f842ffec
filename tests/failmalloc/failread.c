/* failread.h's read failures, calling the kernel themselves. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tests/failmalloc/failread.h"

#include <errno.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static unsigned long counted, fail_at;
static int armed, reached;

static int fail_now(void)
{
    if (!__atomic_load_n(&armed, __ATOMIC_ACQUIRE) ||
        __atomic_add_fetch(&counted, 1, __ATOMIC_ACQ_REL) != fail_at)
        return 0;
    __atomic_store_n(&reached, 1, __ATOMIC_RELEASE);
    errno = EIO;
    return 1;
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    return fail_now() ? -1 : syscall(SYS_pread64, fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
    return fail_now() ? -1 : syscall(SYS_pread64, fd, buf, n, off);
}

void failread_arm(unsigned long k)
{
    __atomic_store_n(&counted, 0, __ATOMIC_RELEASE);
    fail_at = k;
    __atomic_store_n(&reached, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&armed, k != 0, __ATOMIC_RELEASE);
}

int failread_disarm(void)
{
    __atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
    return __atomic_load_n(&reached, __ATOMIC_ACQUIRE);
}
