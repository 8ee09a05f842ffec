/*
 * failwrite - write failures on demand, for the I/O-error tests: a program
 * linked with failwrite.c has write, pwrite, pwrite64, fsync and fdatasync
 * replaced by ones that fail the k-th call after failwrite_arm(k) with
 * errno (EIO or ENOSPC), as a dying or full disk does.  Calls on standard
 * input, output and error are not counted.  Linux only (syscall()).
 */
#ifndef FAILWRITE_H
#define FAILWRITE_H

/* From now on, counts the calls (of every thread) and fails the k-th with
 * error; k 0: none fails. */
void failwrite_arm(unsigned long k, int error);

/* Stops counting; whether the k-th call was made (and failed). */
int failwrite_disarm(void);

/* The call that failed last: "write", "pwrite", "fsync"... */
const char *failwrite_call(void);

#endif
