/*
 * fts5-bench - the SQLite FTS5 peer.
 *
 *   fts5-bench index DB DIR [--group]
 *       One row per *.txt file under DIR in
 *       fts5(path UNINDEXED, grp UNINDEXED, title, body,
 *            tokenize='porter unicode61'),
 *       all in one transaction; the title is the file's first line, the
 *       body the rest.  grp is the file's folder name with --group, else
 *       the path.  The table stores the text (snippet() needs it).
 *
 *   fts5-bench compact DB
 *       'optimize' (merges the index b-trees into one) and VACUUM.
 *
 *   fts5-bench search DB QUERIES [--snippet] [--or] [--collapse]
 *                [--lat FILE] [--out FILE]
 *       Each line of QUERIES becomes an FTS5 query: each word and each
 *       "quoted phrase" a quoted string, joined by AND (implicit) or OR.
 *       Top 10 by bm25(); --snippet adds snippet() of the best column (40
 *       tokens); --collapse keeps the best row of each grp.  --lat and
 *       --out as in xapian-plain.
 */
#include "benchutil.h"

#include <sqlite3.h>

static void check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "fts5-bench: %s: %s\n", what, sqlite3_errmsg(db));
        exit(2);
    }
}

static void exec(sqlite3 *db, const char *sql)
{
    check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

static const char *folder_of(const char *path, size_t *len)
{
    const char *slash = strrchr(path, '/');
    const char *p;
    if (slash == NULL) {
        *len = 0;
        return path;
    }
    p = slash;
    while (p > path && p[-1] != '/')
        p--;
    *len = (size_t)(slash - p);
    return p;
}

static int do_index(const char *db_path, const char *dir, int group)
{
    bench_list files = bench_list_files(dir);
    sqlite3 *db;
    sqlite3_stmt *ins;
    size_t i, bytes = 0;

    remove(db_path);
    check(NULL, sqlite3_open(db_path, &db), db_path);
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(path UNINDEXED, "
             "grp UNINDEXED, title, body, tokenize='porter unicode61')");
    exec(db, "BEGIN");
    check(db, sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?)", -1,
                                 &ins, NULL),
          "prepare");
    for (i = 0; i < files.n; i++) {
        size_t len, glen;
        char *text = bench_read_file(files.items[i], &len);
        char *nl = memchr(text, '\n', len);
        size_t tlen = nl != NULL ? (size_t)(nl - text) : len;
        const char *grp = folder_of(files.items[i], &glen);
        if (!group) {
            grp = files.items[i];
            glen = strlen(grp);
        }
        sqlite3_bind_text(ins, 1, files.items[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, grp, (int)glen, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, text, (int)tlen, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, text + tlen, (int)(len - tlen),
                          SQLITE_STATIC);
        check(db, sqlite3_step(ins), "insert");
        sqlite3_reset(ins);
        bytes += len;
        free(text);
    }
    sqlite3_finalize(ins);
    exec(db, "COMMIT");
    check(db, sqlite3_close(db), "close");
    printf("%zu files, %zu bytes\n", files.n, bytes);
    return 0;
}

static int do_compact(const char *db_path)
{
    sqlite3 *db;
    check(NULL, sqlite3_open(db_path, &db), db_path);
    exec(db, "INSERT INTO t(t) VALUES('optimize')");
    exec(db, "VACUUM");
    check(db, sqlite3_close(db), "close");
    return 0;
}

/* Our query lines hold lower-case words and "quoted phrases"; each becomes
 * an FTS5 string (which the tokenizer splits and stems), joined by sep. */
static char *to_fts5(const char *q, const char *sep)
{
    size_t cap = 3 * strlen(q) + 16, n = 0;
    char *out = malloc(cap);
    const char *p = q;
    if (out == NULL)
        bench_die("malloc", NULL);
    while (*p != '\0') {
        const char *start, *end;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        if (*p == '"') {
            start = ++p;
            while (*p != '\0' && *p != '"')
                p++;
            end = p;
            if (*p == '"')
                p++;
        } else {
            start = p;
            while (*p != '\0' && *p != ' ')
                p++;
            end = p;
        }
        if (end == start)
            continue;
        if (n + strlen(sep) + 2 * (size_t)(end - start) + 8 > cap) {
            cap = 2 * cap + 2 * (size_t)(end - start) + 8;
            out = realloc(out, cap);
            if (out == NULL)
                bench_die("realloc", NULL);
        }
        if (n > 0) {
            memcpy(out + n, sep, strlen(sep));
            n += strlen(sep);
        }
        out[n++] = '"';
        for (; start < end; start++) {
            if (*start == '"')
                out[n++] = '"';
            out[n++] = *start;
        }
        out[n++] = '"';
    }
    out[n] = '\0';
    return out;
}

static int do_search(const char *db_path, const char *queries, int snippet,
                     int any, int collapse, const char *lat_path,
                     const char *out_path)
{
    bench_list qs = bench_read_lines(queries);
    FILE *lat = bench_open_out(lat_path);
    FILE *out = bench_open_out(out_path);
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[512];
    size_t warm = qs.n < 50 ? qs.n : 50;
    size_t pass, i;

    check(NULL, sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL),
          db_path);
    snprintf(sql, sizeof sql,
             "SELECT path, grp, %s FROM t WHERE t MATCH ?1 ORDER BY rank%s",
             snippet ? "snippet(t, -1, '[', ']', '...', 40)" : "''",
             collapse ? "" : " LIMIT 10");
    check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
    /* Pass 0 warms up on the first 50 queries; pass 1 is measured. */
    for (pass = 0; pass < 2; pass++) {
        size_t last = pass == 0 ? warm : qs.n;
        for (i = 0; i < last; i++) {
            double t0 = bench_now_ms();
            char *q = to_fts5(qs.items[i], any ? " OR " : " ");
            size_t rank = 0, seen_n = 0;
            const char *seen[10];
            char *seen_buf[10];
            sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
            while (rank < 10) {
                const char *path, *grp, *shown;
                size_t k;
                int rc = sqlite3_step(st);
                if (rc != SQLITE_ROW) {
                    check(db, rc, qs.items[i]);
                    break;
                }
                path = (const char *)sqlite3_column_text(st, 0);
                grp = (const char *)sqlite3_column_text(st, 1);
                shown = (const char *)sqlite3_column_text(st, 2);
                if (collapse) {
                    for (k = 0; k < seen_n; k++)
                        if (strcmp(seen[k], grp) == 0)
                            break;
                    if (k < seen_n)
                        continue;
                    seen_buf[seen_n] = strdup(grp);
                    seen[seen_n] = seen_buf[seen_n];
                    seen_n++;
                }
                rank++;
                if (pass == 1)
                    bench_put_result(out, i + 1, rank, path, shown,
                                     strlen(shown));
            }
            sqlite3_reset(st);
            while (seen_n > 0)
                free(seen_buf[--seen_n]);
            free(q);
            if (pass == 1 && lat != NULL)
                fprintf(lat, "%.4f\n", bench_now_ms() - t0);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (lat != NULL)
        fclose(lat);
    if (out != NULL)
        fclose(out);
    return 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: fts5-bench index DB DIR [--group]\n"
            "       fts5-bench compact DB\n"
            "       fts5-bench search DB QUERIES [--snippet] [--or] "
            "[--collapse] [--lat FILE] [--out FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    int snippet = 0, any = 0, collapse = 0, i;
    const char *lat = NULL, *out = NULL;
    if (argc == 3 && strcmp(argv[1], "compact") == 0)
        return do_compact(argv[2]);
    if (argc < 4)
        return usage();
    if (strcmp(argv[1], "index") == 0)
        return do_index(argv[2], argv[3],
                        argc > 4 && strcmp(argv[4], "--group") == 0);
    if (strcmp(argv[1], "search") != 0)
        return usage();
    for (i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--snippet") == 0)
            snippet = 1;
        else if (strcmp(argv[i], "--or") == 0)
            any = 1;
        else if (strcmp(argv[i], "--collapse") == 0)
            collapse = 1;
        else if (strcmp(argv[i], "--lat") == 0 && i + 1 < argc)
            lat = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else
            return usage();
    }
    return do_search(argv[2], argv[3], snippet, any, collapse, lat, out);
}
