/*
 * failread - read failures on demand, for the I/O-error tests: a program
 * linked with failread.c has pread and pread64 (how Xapian reads an
 * index's blocks) replaced by ones that fail the k-th call after
 * failread_arm(k) with EIO, as a dying disk does.  Linux only.
 */
#ifndef FAILREAD_H
#define FAILREAD_H

/* From now on, counts the calls (of every thread) and fails the k-th;
 * k 0: none fails. */
void failread_arm(unsigned long k);

/* Stops counting; whether the k-th call was made (and failed). */
int failread_disarm(void);

#endif
