/*
 * fuzz.h - the entry point every fuzz target defines: libFuzzer's, so the
 * same file builds with clang -fsanitize=fuzzer, or with driver.c (any
 * compiler), which runs seeds and seeded mutations of them.
 */
#ifndef SP_FUZZ_H
#define SP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input; aborts (through fuzz_check) when a promise is broken.
 * Returns 0, as libFuzzer asks. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdio.h>
#include <stdlib.h>

/* A broken promise is a crash, so that either driver keeps the input. */
static inline void fuzz_check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: broken: %s\n", what);
        abort();
    }
}

#endif /* SP_FUZZ_H */
