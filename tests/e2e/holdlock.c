/*
 * holdlock - test helper: holds the write lock of an index, as a running
 * spindex would, until its standard input closes.  Prints "locked" once
 * the lock is held, so that a test can wait for it.
 */
#include "config.h"

#include <stdio.h>

#include "shared/xdb.h"

int main(int argc, char **argv)
{
    sp_xdb *db = NULL;
    sp_error err;
    if (argc != 2) {
        fprintf(stderr, "usage: holdlock INDEX\n");
        return 99;
    }
    if (sp_xdb_open(argv[1], SP_XDB_WRITE, &db, &err) != SPSEARCH_OK) {
        fprintf(stderr, "holdlock: %s\n", err.msg);
        return 99;
    }
    printf("locked\n");
    fflush(stdout);
    while (getchar() != EOF)
        ;
    sp_xdb_close(db, &err);
    return 0;
}
