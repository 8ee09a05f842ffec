/*
 * icu-break [--read] DIR - the tokenizing ceiling: reads every *.txt file
 * under DIR and runs ICU's word break iterator over its UTF-8 bytes
 * (through UText, without converting to UTF-16), counting the word tokens.
 * Nothing is folded, stemmed or stored: any indexer that uses ICU does at
 * least this.  With --read it only reads the files, in the same way.
 */
#include "benchutil.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>

int main(int argc, char **argv)
{
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi;
    bench_list files;
    size_t i, bytes = 0, words = 0;
    double t0;
    int only_read = argc == 3 && strcmp(argv[1], "--read") == 0;

    if (argc != 2 && !only_read) {
        fprintf(stderr, "usage: icu-break [--read] DIR\n");
        return 2;
    }
    t0 = bench_now_ms();
    files = bench_list_files(argv[argc - 1]);
    bi = ubrk_open(UBRK_WORD, "en", NULL, 0, &err);
    if (U_FAILURE(err)) {
        fprintf(stderr, "icu-break: ubrk_open: %s\n", u_errorName(err));
        return 2;
    }
    for (i = 0; i < files.n; i++) {
        size_t len;
        char *text = bench_read_file(files.items[i], &len);
        UText *ut;
        int32_t pos;
        bytes += len;
        if (only_read) {
            free(text);
            continue;
        }
        ut = utext_openUTF8(NULL, text, (int64_t)len, &err);
        ubrk_setUText(bi, ut, &err);
        if (U_FAILURE(err)) {
            fprintf(stderr, "icu-break: %s: %s\n", files.items[i],
                    u_errorName(err));
            return 2;
        }
        for (pos = ubrk_next(bi); pos != UBRK_DONE; pos = ubrk_next(bi)) {
            if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NUMBER)
                words++;
        }
        utext_close(ut);
        free(text);
    }
    ubrk_close(bi);
    printf("%zu files, %zu bytes, %zu words, %.3f s\n", files.n, bytes,
           words, (bench_now_ms() - t0) / 1e3);
    return 0;
}
