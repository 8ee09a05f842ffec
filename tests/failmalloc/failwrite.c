/* failwrite.h's write failures.  The replacements call the kernel
 * themselves, so that no libc symbol needs looking up. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tests/failmalloc/failwrite.h"

#include <errno.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static unsigned long counted, fail_at;
static int armed, reached, fail_errno;
static const char *failed_call;

static int fail_now(int fd, const char *call)
{
    if (fd <= 2 || !__atomic_load_n(&armed, __ATOMIC_ACQUIRE))
        return 0;
    if (__atomic_add_fetch(&counted, 1, __ATOMIC_ACQ_REL) != fail_at)
        return 0;
    failed_call = call;
    __atomic_store_n(&reached, 1, __ATOMIC_RELEASE);
    errno = fail_errno;
    return 1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    return fail_now(fd, "write") ? -1 : syscall(SYS_write, fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return fail_now(fd, "pwrite") ? -1 : syscall(SYS_pwrite64, fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    return fail_now(fd, "pwrite64") ? -1 : syscall(SYS_pwrite64, fd, buf, n, off);
}

int fsync(int fd)
{
    return fail_now(fd, "fsync") ? -1 : (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
    return fail_now(fd, "fdatasync") ? -1 : (int)syscall(SYS_fdatasync, fd);
}

void failwrite_arm(unsigned long k, int error)
{
    __atomic_store_n(&counted, 0, __ATOMIC_RELEASE);
    fail_at = k;
    fail_errno = error;
    __atomic_store_n(&reached, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&armed, k != 0, __ATOMIC_RELEASE);
}

const char *failwrite_call(void)
{
    return failed_call;
}

int failwrite_disarm(void)
{
    __atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
    return __atomic_load_n(&reached, __ATOMIC_ACQUIRE);
}
