/* failwrite.h's write failures.  The replacements call the kernel
 * themselves, so that no libc symbol needs looking up. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tests/failmalloc/failwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static unsigned long counted, fail_at;
static int armed, reached, fail_errno;
static const char *failed_call;
/* Preloaded into a program (FAILWRITE_AT): the file made when the call
 * fails, so that the test knows it was reached. */
static const char *reached_path;

static int fail_now(int fd, const char *call)
{
    if (fd <= 2 || !__atomic_load_n(&armed, __ATOMIC_ACQUIRE))
        return 0;
    if (__atomic_add_fetch(&counted, 1, __ATOMIC_ACQ_REL) != fail_at)
        return 0;
    failed_call = call;
    __atomic_store_n(&reached, 1, __ATOMIC_RELEASE);
    if (reached_path != NULL) {
        long mark = syscall(SYS_openat, AT_FDCWD, reached_path,
                            O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (mark >= 0)
            syscall(SYS_close, (int)mark);
    }
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

/* LD_PRELOAD=failwrite.so FAILWRITE_AT=K [FAILWRITE_ERRNO=28]
 * FAILWRITE_PROGRAM=NAME FAILWRITE_REACHED=PATH: arms in the program of
 * that name only (not in the shell of a libtool wrapper), fails its K-th
 * call and makes PATH then. */
__attribute__((constructor)) static void arm_from_environment(void)
{
    const char *at = getenv("FAILWRITE_AT");
    const char *program = getenv("FAILWRITE_PROGRAM");
    if (at == NULL || program == NULL)
        return;
    const char *me = program_invocation_short_name;
    if (strncmp(me, "lt-", 3) == 0)
        me += 3;
    if (strcmp(me, program) != 0)
        return;
    const char *error = getenv("FAILWRITE_ERRNO");
    reached_path = getenv("FAILWRITE_REACHED");
    failwrite_arm(strtoul(at, NULL, 10), error ? atoi(error) : EIO);
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
