/*
 * failmalloc - allocation failures on demand, for the out-of-memory tests:
 * a program linked with failmalloc.c has its malloc, calloc and realloc
 * (and so C++'s operator new, ICU's and zlib's allocations) replaced by
 * ones that fail the k-th allocation after failmalloc_arm(k).
 *
 * Allocations made under Xapian (any libxapian frame on the stack) or
 * ICU's ubrk_open are never failed but "spared": their libraries do not
 * survive it.  Xapian 1.4.22's matcher crashes unwinding from a failed
 * operator new in Enquire::get_mset (seen under
 * Xapian::Query::Internal::postlist_sub_and_like), and ICU 72's ubrk_open
 * leaks about 224 bytes when RuleBasedBreakIterator::init fails.
 *
 * Needs glibc (__libc_malloc); with AddressSanitizer, which replaces
 * malloc itself, FAILMALLOC_SKIP is defined and nothing is replaced.
 */
#ifndef FAILMALLOC_H
#define FAILMALLOC_H

#include <stddef.h>
#include <stdlib.h> /* __GLIBC__ */

#if defined(__SANITIZE_ADDRESS__)
#define FAILMALLOC_SKIP "built with AddressSanitizer"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FAILMALLOC_SKIP "built with AddressSanitizer"
#endif
#endif
#if !defined(FAILMALLOC_SKIP) && !defined(__GLIBC__)
#define FAILMALLOC_SKIP "needs glibc's __libc_malloc"
#endif

#ifndef FAILMALLOC_SKIP
/* From now on, counts allocations (of every thread) and fails the first
 * one from number k on that is not spared; k 0: none fails. */
void failmalloc_arm(unsigned long k);

/* Stops counting.  Returns the number of the allocation that failed, 0
 * when none did (fewer allocations than k, or none after k but spared
 * ones); *spared_count (optional): how many were spared from k on. */
unsigned long failmalloc_disarm(unsigned long *spared_count);

/* Writes to fd the stack of the last allocation failed (addresses, and
 * the names of exported functions). */
void failmalloc_report(int fd);

/* Bytes held from the allocator.  Exact only with glibc's per-thread
 * cache off (GLIBC_TUNABLES=glibc.malloc.tcache_count=0), whose blocks
 * count as in use. */
size_t failmalloc_in_use(void);
#endif

#endif
