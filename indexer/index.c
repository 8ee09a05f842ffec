#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "indexer/index.h"
#include "shared/analyzer.h"
#include "shared/article.h"
#include "shared/charset.h"
#include "shared/pairs.h"
#include "shared/passage.h"
#include "shared/reader.h"
#include "shared/record.h"
#include "shared/terms.h"
#include "shared/xdb.h"
#include "shared/zutil.h"

/* Text analysed between commits.  Bounds the memory Xapian holds for
 * uncommitted changes by bytes, which a document count does not. */
#define DEFAULT_BATCH_BYTES (16u << 20)
/* Files larger than this are skipped rather than read into memory. */
#define MAX_FILE_BYTES (256u << 20)

typedef struct seen_list {
    char **v;
    size_t n, cap;
} seen_list;

struct sp_indexer {
    sp_xdb *db;
    sp_analyzer *an;
    sp_indexer_opts opts;
    struct stat db_stat; /* the index's own folder, skipped when walking */
    int have_db_stat;
    size_t batch_bytes;
    size_t pending;      /* text analysed since the last commit */
    sp_index_stats stats;
    seen_list seen;      /* every file path met in this run */
    seen_list roots;     /* the roots given to this run */
    /* Folders and files that are there but could not be listed or read
     * this run: what they held stays indexed (see sp_indexer_prune). */
    seen_list unread;
    sp_buf term;         /* scratch for prefixed terms */
    sp_deflater *deflater; /* one compressor for every stored passage */
    sp_buf record, packed; /* passage records being made, reused */
    unsigned long touched; /* files whose state, not bytes, changed */
    /* The passages of the file being indexed again, oldest first: its
     * new passages take their places in turn (see take_old). */
    uint32_t *old_ids;
    size_t old_n, old_next;
    int silent; /* a file shared with other jobs, which reports it */
};

static volatile sig_atomic_t stop_requested;

void sp_indexer_request_stop(void)
{
    stop_requested = 1;
}

int sp_indexer_stopped(void)
{
    return stop_requested != 0;
}

static spsearch_status_t list_push(seen_list *l, const char *s, sp_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = strdup(s);
    if (l->v[l->n] == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    l->n++;
    return SPSEARCH_OK;
}

static void list_free(seen_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void warn(sp_indexer *ix, const char *path, unsigned long line,
                 const char *msg)
{
    if (ix->opts.warn != NULL && !ix->silent)
        ix->opts.warn(ix->opts.warn_ctx, path, line, msg);
}

static void progress_decoded(sp_indexer *ix, const char *path,
                             const char *what, const char *charset)
{
    if (ix->opts.progress != NULL && !ix->silent)
        ix->opts.progress(ix->opts.warn_ctx, path, what, charset);
}

static void progress(sp_indexer *ix, const char *path, const char *what)
{
    progress_decoded(ix, path, what, "");
}

static void skip(sp_indexer *ix, const char *path, unsigned long line,
                 const char *msg)
{
    warn(ix, path, line, msg);
    ix->stats.skipped++;
    progress(ix, path, "skipped");
}

/* 64-bit FNV-1a, to shorten ids that are too long to be terms. */
/* Writes prefix + id into ix->term, hashing ids that are too long. */
static spsearch_status_t make_key(sp_indexer *ix, const char *prefix,
                                  const char *id, sp_error *err)
{
    size_t n = strlen(id);
    ix->term.len = 0;
    spsearch_status_t st = sp_buf_append(&ix->term, prefix, strlen(prefix),
                                         err);
    if (st != SPSEARCH_OK)
        return st;
    if (n <= SP_MAX_ID_TERM)
        return sp_buf_append(&ix->term, id, n, err);
    char hashed[40];
    int hn = snprintf(hashed, sizeof hashed, "#%016llx%zx",
                      (unsigned long long)sp_fnv1a(id, n), n);
    return sp_buf_append(&ix->term, hashed, (size_t)hn, err);
}

/* Writes prefix + the 16 hex digits of id's hash into ix->term: the
 * article and file terms.  Every passage carries both, so their length is
 * paid in every passage's term list; a path is ~50 bytes, this 17.  Two
 * ids sharing a hash is ~1e-7 likely among ten million articles. */
static spsearch_status_t make_term(sp_indexer *ix, const char *prefix,
                                   const char *id, sp_error *err)
{
    char hashed[SP_HASHED_TERM_MAX];
    int hn = sp_hashed_term(hashed, sizeof hashed, prefix, id, strlen(id));
    ix->term.len = 0;
    return sp_buf_append(&ix->term, hashed, (size_t)hn, err);
}

int sp_is_search_copy(const char *db_path)
{
    sp_xdb *db = NULL;
    sp_error err;
    int has = 1;
    if (sp_xdb_open(db_path, SP_XDB_READ, &db, &err) == SPSEARCH_OK &&
        sp_xdb_has_termlists(db, &has, &err) != SPSEARCH_OK)
        has = 1;
    sp_xdb_free(db);
    return !has;
}

spsearch_status_t sp_indexer_open(const char *db_path,
                                  const sp_indexer_opts *opts,
                                  sp_indexer **out, sp_error *err)
{
    *out = NULL;
    sp_indexer *ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    ix->opts = *opts;
    ix->batch_bytes = opts->batch_bytes ? opts->batch_bytes
                                        : DEFAULT_BATCH_BYTES;
    int mode = SP_XDB_WRITE | (opts->wait_lock ? SP_XDB_WAIT_LOCK : 0);
    spsearch_status_t st = sp_xdb_open(db_path,
                                       opts->dry_run ? SP_XDB_READ : mode,
                                       &ix->db, err);
    if (st == SPSEARCH_OK && stat(db_path, &ix->db_stat) == 0)
        ix->have_db_stat = 1;
    /* Xapian deletes a document through its term list, so a search copy
     * without them (sp_xdb_compact) does not open for writing: say what
     * it is rather than that it looks damaged; a dry run says so too. */
    if ((opts->dry_run ? st == SPSEARCH_OK : st == SPSEARCH_CORRUPT) &&
        sp_is_search_copy(db_path))
        st = sp_error_set(err, SPSEARCH_INVALID,
                          "index %s is a search copy written by spindex "
                          "--compact and cannot be updated; index into the "
                          "original and compact it again",
                          db_path);
    char *format = NULL;
    size_t format_len = 0;
    if (st == SPSEARCH_OK)
        st = sp_xdb_get_metadata(ix->db, SP_META_FORMAT, &format, &format_len,
                                 err);
    if (st == SPSEARCH_OK && format != NULL &&
        atoi(format) > SP_INDEX_FORMAT)
        st = sp_error_set(err, SPSEARCH_VERSION,
                          "opening index %s: written in format %s by a newer "
                          "spsearch; this one writes format %d",
                          db_path, format, SP_INDEX_FORMAT);
    if (st == SPSEARCH_OK && format != NULL &&
        atoi(format) < SP_INDEX_FORMAT && !opts->dry_run)
        st = sp_error_set(err, SPSEARCH_VERSION,
                          "opening index %s: written in format %s by an "
                          "older spsearch; this one writes format %d "
                          "(rebuild it with spindex --full)",
                          db_path, format, SP_INDEX_FORMAT);
    if (st == SPSEARCH_OK && format == NULL && !opts->dry_run) {
        char v[16];
        int vn = snprintf(v, sizeof v, "%d", SP_INDEX_FORMAT);
        st = sp_xdb_set_metadata(ix->db, SP_META_FORMAT, v, (size_t)vn, err);
    }
    free(format);
    if (st == SPSEARCH_OK)
        st = sp_analyzer_new(opts->lang, &ix->an, err);
    if (st == SPSEARCH_OK)
        st = sp_deflater_new(&ix->deflater, err);
    /* Passages are compressed against the built-in dictionary. */
    if (st == SPSEARCH_OK) {
        size_t dict_len = 0;
        const char *dict = sp_zdict(&dict_len);
        st = sp_deflater_set_dict(ix->deflater, dict, dict_len, err);
    }
    if (st == SPSEARCH_OK && !opts->dry_run)
        st = sp_xdb_begin(ix->db, err);
    if (st != SPSEARCH_OK) {
        sp_indexer_free(ix);
        return st;
    }
    *out = ix;
    return SPSEARCH_OK;
}

void sp_indexer_free(sp_indexer *ix)
{
    if (ix == NULL)
        return;
    sp_xdb_free(ix->db);
    sp_analyzer_free(ix->an);
    list_free(&ix->seen);
    list_free(&ix->roots);
    list_free(&ix->unread);
    sp_buf_free(&ix->term);
    sp_deflater_free(ix->deflater);
    sp_buf_free(&ix->record);
    sp_buf_free(&ix->packed);
    free(ix->old_ids);
    free(ix);
}

/* Commits the batch and starts the next one. */
static spsearch_status_t commit_batch(sp_indexer *ix, sp_error *err)
{
    spsearch_status_t st = sp_xdb_commit(ix->db, err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_begin(ix->db, err);
    ix->pending = 0;
    return st;
}

/* What is compared to tell whether a file changed since it was indexed:
 * equality, not "newer than", so a file restored with an older mtime is
 * indexed again.  The stored state is this, a space, the content hash, a
 * line break and the path. */
static int stat_state(const struct stat *sb, char *buf, size_t n)
{
    return snprintf(buf, n, "2 %lld %lld.%09ld %lld.%09ld %llu",
                    (long long)sb->st_size, (long long)sb->st_mtim.tv_sec,
                    (long)sb->st_mtim.tv_nsec, (long long)sb->st_ctim.tv_sec,
                    (long)sb->st_ctim.tv_nsec, (unsigned long long)sb->st_ino);
}

/* The content hash within a stored state, or NULL. */
static const char *stored_hash(const char *state, size_t len, size_t *n)
{
    const char *nl = memchr(state, '\n', len);
    const char *sp = NULL;
    for (const char *p = state; nl != NULL && p < nl; p++)
        if (*p == ' ')
            sp = p;
    if (sp == NULL)
        return NULL;
    *n = (size_t)(nl - sp - 1);
    return sp + 1;
}

typedef struct doc_builder {
    sp_indexer *ix;
    sp_xdoc *doc;
    const char *prefix; /* for title terms */
    int positions;      /* add positional postings */
    spsearch_status_t st;
    sp_error *err;
    /* The last word with a position, if a pair word, for pair terms. */
    char prev[8];
    size_t prev_len;
    uint32_t prev_pos;
} doc_builder;

static int add_prefixed(doc_builder *b, const char *prefix, const char *t,
                        size_t n)
{
    sp_buf *buf = &b->ix->term;
    buf->len = 0;
    b->st = sp_buf_append(buf, prefix, strlen(prefix), b->err);
    if (b->st == SPSEARCH_OK)
        b->st = sp_buf_append(buf, t, n, b->err);
    if (b->st == SPSEARCH_OK)
        b->st = sp_xdoc_add_term(b->doc, buf->data, buf->len, 1, b->err);
    return b->st != SPSEARCH_OK;
}

/* The pair term of the previous word and tok, if both are pair words at
 * consecutive positions; tok becomes the previous word.  The joined form
 * of a compound is not a word of a phrase and is not passed here. */
static int add_pair(doc_builder *b, const sp_token *tok)
{
    int pair_word = sp_pair_word(tok->term, tok->term_len);
    if (pair_word && b->prev_len > 0 && tok->pos == b->prev_pos + 1) {
        char term[24];
        size_t n = 0;
        b->st = sp_pair_term(term, sizeof term, b->prev, b->prev_len,
                             tok->term, tok->term_len, &n);
        if (b->st == SPSEARCH_OK)
            b->st = sp_xdoc_add_term(b->doc, term, n, 1, b->err);
        if (b->st != SPSEARCH_OK)
            return 1;
    }
    /* Pair words are at most six bytes. */
    b->prev_len = pair_word ? tok->term_len : 0;
    if (pair_word)
        memcpy(b->prev, tok->term, tok->term_len);
    b->prev_pos = tok->pos;
    return 0;
}

static int on_token(void *ctx, const sp_token *tok)
{
    doc_builder *b = ctx;
    if (!b->positions)
        return add_prefixed(b, b->prefix, tok->term, tok->term_len);
    b->st = sp_xdoc_add_posting(b->doc, tok->term, tok->term_len, tok->pos,
                                b->err);
    if (b->st != SPSEARCH_OK)
        return 1;
    /* The exact form, for =word searches, only where it differs. */
    if ((tok->exact_len != tok->term_len ||
         memcmp(tok->exact, tok->term, tok->term_len) != 0) &&
        add_prefixed(b, SP_PREFIX_EXACT, tok->exact, tok->exact_len))
        return 1;
    if ((tok->flags & SP_TOK_ACRONYM) &&
        add_prefixed(b, SP_PREFIX_ACRONYM, tok->term, tok->term_len))
        return 1;
    if (!(tok->flags & SP_TOK_JOINED))
        return add_pair(b, tok);
    return 0;
}


/* The date filter terms of a "YYYY-MM-DD" date: year, month, day. */
static spsearch_status_t add_date_terms(sp_xdoc *doc, const char *date,
                                        sp_error *err)
{
    char t[16];
    spsearch_status_t st = SPSEARCH_OK;
    if (strlen(date) != 10)
        return SPSEARCH_OK;
    int n = snprintf(t, sizeof t, SP_PREFIX_YEAR "%.4s", date);
    st = sp_xdoc_add_boolean(doc, t, (size_t)n, err);
    if (st == SPSEARCH_OK) {
        n = snprintf(t, sizeof t, SP_PREFIX_MONTH "%.4s%.2s", date, date + 5);
        st = sp_xdoc_add_boolean(doc, t, (size_t)n, err);
    }
    if (st == SPSEARCH_OK) {
        n = snprintf(t, sizeof t, SP_PREFIX_DAY "%.4s%.2s%.2s", date,
                     date + 5, date + 8);
        st = sp_xdoc_add_boolean(doc, t, (size_t)n, err);
    }
    return st;
}

/* Positions left empty between a passage's text and the title words
 * indexed after it. */
#define TITLE_GAP 50

/* Whether the article's text begins with its title (plain text does). */
static int starts_with_title(const sp_article_in *a)
{
    size_t i = 0, n = strlen(a->title);
    while (i < a->len && (a->text[i] == ' ' || a->text[i] == '\t' ||
                          a->text[i] == '\n' || a->text[i] == '\r'))
        i++;
    /* A cut title ends in an ellipsis the text does not have. */
    if (n >= 3 && memcmp(a->title + n - 3, "\xe2\x80\xa6", 3) == 0)
        n -= 3;
    return n > 0 && a->len - i >= n && memcmp(a->text + i, a->title, n) == 0;
}

/* Writes the passages of one article.  Each carries the article's unique
 * term art_term (for collapsing) and its file's term file_term (for
 * deleting everything read from the file). */
static spsearch_status_t write_article(sp_indexer *ix, const char *path,
                                       const sp_article_in *a,
                                       const char *lang, const char *art_term,
                                       const char *file_term, sp_error *err)
{
    sp_passage *ps = NULL;
    size_t np = 0;
    spsearch_status_t st = sp_passages_split(a->text, a->len, &ps, &np, err);
    for (size_t i = 0; i < np && st == SPSEARCH_OK; i++) {
        doc_builder b = {ix, NULL, NULL, 1, SPSEARCH_OK, err, {0}, 0, 0};
        st = sp_xdoc_new(&b.doc, err);
        if (st == SPSEARCH_OK)
            st = sp_xdoc_add_boolean(b.doc, art_term, strlen(art_term), err);
        if (st == SPSEARCH_OK)
            st = sp_xdoc_add_boolean(b.doc, file_term, strlen(file_term),
                                     err);
        if (st == SPSEARCH_OK)
            st = sp_xdoc_add_boolean(b.doc, SP_TERM_PAIRED,
                                     strlen(SP_TERM_PAIRED), err);
        if (st == SPSEARCH_OK)
            st = add_date_terms(b.doc, a->date, err);
        if (st == SPSEARCH_OK)
            st = sp_xdoc_set_value(b.doc, SP_SLOT_ARTICLE, art_term,
                                   strlen(art_term), err);
        if (st == SPSEARCH_OK && a->date[0] != '\0')
            st = sp_xdoc_set_value(b.doc, SP_SLOT_DATE, a->date,
                                   strlen(a->date), err);
        if (st == SPSEARCH_OK)
            st = a->date[0] != '\0'
                     ? sp_xdoc_set_value(b.doc, SP_SLOT_OLDEST, a->date,
                                         strlen(a->date), err)
                     : sp_xdoc_set_value(b.doc, SP_SLOT_OLDEST, "\xff", 1,
                                         err);
        sp_analysis body;
        memset(&body, 0, sizeof body);
        if (st == SPSEARCH_OK) {
            st = sp_analyzer_run(ix->an, a->text + ps[i].start,
                                 ps[i].end - ps[i].start, lang, 1,
                                 on_token, &b, &body, err);
            if (st == SPSEARCH_OK)
                st = b.st;
        }
        /* A title that is not the text's first line (JSON, TREC, HTML)
         * is searchable as words too, in the first passage, after a gap
         * so that no phrase runs from the title into the text. */
        if (st == SPSEARCH_OK && i == 0 && a->title[0] != '\0' &&
            !starts_with_title(a)) {
            st = sp_analyzer_run(ix->an, a->title, strlen(a->title), lang,
                                 body.next_pos + TITLE_GAP, on_token, &b,
                                 NULL, err);
            if (st == SPSEARCH_OK)
                st = b.st;
        }
        /* Title, author and source words, in the first passage only, count
         * once per article. */
        const char *fields[3] = {a->title, a->author, a->source};
        const char *prefixes[3] = {SP_PREFIX_TITLE, SP_PREFIX_AUTHOR,
                                   SP_PREFIX_SOURCE};
        for (int f = 0; f < 3 && i == 0 && st == SPSEARCH_OK; f++) {
            if (fields[f][0] == '\0')
                continue;
            b.positions = 0;
            b.prefix = prefixes[f];
            st = sp_analyzer_run(ix->an, fields[f], strlen(fields[f]), lang,
                                 1, on_token, &b, NULL, err);
            if (st == SPSEARCH_OK)
                st = b.st;
        }
        if (st == SPSEARCH_OK) {
            sp_record rec = {path,        a->title,
                             a->date,     ps[i].start,
                             ps[i].end,   (uint32_t)i,
                             a->text + ps[i].start, a->id,
                             a->url,      a->author,
                             a->source};
            st = sp_record_encode_with(&rec, ix->deflater, &ix->record,
                                       &ix->packed, err);
        }
        if (st == SPSEARCH_OK)
            st = sp_xdoc_set_value(b.doc, SP_SLOT_RECORD, ix->record.data,
                                   ix->record.len, err);
        if (st == SPSEARCH_OK)
            st = sp_xdoc_fold_length(b.doc, SP_PREFIX_PAIR, err);
        /* The writer thread adds it while the next passage is made. */
        if (st == SPSEARCH_OK && ix->old_next < ix->old_n)
            st = sp_xdb_replace_doc_async(ix->db, ix->old_ids[ix->old_next++],
                                          b.doc, err);
        else if (st == SPSEARCH_OK)
            st = sp_xdb_add_doc_async(ix->db, b.doc, err);
        else
            sp_xdoc_free(b.doc);
    }
    if (st == SPSEARCH_OK)
        ix->stats.passages += np;
    free(ps);
    return st;
}

/* ---- synonyms: "International Space Station (ISS)" ---- */

typedef struct key_sink {
    sp_buf *b;
    int failed;
} key_sink;

static int on_key_token(void *ctx, const sp_token *t)
{
    key_sink *k = ctx;
    if (t->flags & SP_TOK_JOINED)
        return 0;
    if ((k->b->len > strlen(SP_SYN_PREFIX) &&
         sp_buf_append(k->b, " ", 1, NULL) != SPSEARCH_OK) ||
        sp_buf_append(k->b, t->term, t->term_len, NULL) != SPSEARCH_OK)
        k->failed = 1;
    return k->failed;
}

/* The metadata key of a word or phrase: the same stems the searcher
 * looks up (sp_query_syn_key). */
static spsearch_status_t syn_key(sp_indexer *ix, const char *text, size_t n,
                                 const char *lang, sp_buf *out, sp_error *err)
{
    key_sink k = {out, 0};
    out->len = 0;
    spsearch_status_t st = sp_buf_append(out, SP_SYN_PREFIX,
                                         strlen(SP_SYN_PREFIX), err);
    if (st == SPSEARCH_OK)
        st = sp_analyzer_run(ix->an, text, n, lang, 1, on_key_token, &k, NULL,
                             err);
    if (st == SPSEARCH_OK && k.failed)
        st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    return st;
}

/* Records a and b as synonyms of each other, both ways, unless known. */
static spsearch_status_t add_synonym(sp_indexer *ix, const char *a,
                                     size_t an, const char *b, size_t bn,
                                     const char *lang, sp_error *err)
{
    sp_buf key = {0};
    spsearch_status_t st = SPSEARCH_OK;
    for (int dir = 0; dir < 2 && st == SPSEARCH_OK; dir++) {
        const char *from = dir ? b : a, *to = dir ? a : b;
        size_t fn = dir ? bn : an, tn = dir ? an : bn;
        char *old = NULL;
        size_t old_len = 0;
        st = syn_key(ix, from, fn, lang, &key, err);
        if (st == SPSEARCH_OK && key.len > strlen(SP_SYN_PREFIX) &&
            key.len < SP_MAX_ID_TERM)
            st = sp_xdb_get_metadata(ix->db, key.data, &old, &old_len, err);
        else
            continue;
        if (st == SPSEARCH_OK && old == NULL) {
            st = sp_xdb_set_metadata(ix->db, key.data, to, tn, err);
            ix->touched++; /* to be committed */
        }
        free(old);
    }
    sp_buf_free(&key);
    return st;
}

static int is_minor_word(const char *w, size_t n)
{
    static const char *const minor[] = {"of", "and", "the", "for", "on",
                                        "in", "to", "de", "la", "&"};
    for (size_t i = 0; i < sizeof minor / sizeof *minor; i++)
        if (strlen(minor[i]) == n && strncmp(w, minor[i], n) == 0)
            return 1;
    return 0;
}

/* Learns acronyms an article defines: capitalised words followed by their
 * initials in parentheses, "International Space Station (ISS)". */
static spsearch_status_t learn_acronyms(sp_indexer *ix, const char *t,
                                        size_t len, const char *lang,
                                        sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    for (size_t i = 0; i + 3 < len && st == SPSEARCH_OK; i++) {
        if (t[i] != '(')
            continue;
        size_t a = i + 1, e = a;
        while (e < len && e - a <= 8 && t[e] >= 'A' && t[e] <= 'Z')
            e++;
        if (e >= len || t[e] != ')' || e - a < 2 || e - a > 8)
            continue;
        /* Match the initials against the words before, right to left. */
        size_t letter = e - a, w_end = i, first = i;
        int words = 0;
        while (letter > 0 && words < 16) {
            while (w_end > 0 && (t[w_end - 1] == ' ' || t[w_end - 1] == '-'))
                w_end--;
            size_t w_start = w_end;
            while (w_start > 0 && t[w_start - 1] != ' ' &&
                   t[w_start - 1] != '-' && t[w_start - 1] != '\n' &&
                   t[w_start - 1] != '(' && t[w_start - 1] != ',')
                w_start--;
            if (w_start == w_end)
                break;
            words++;
            char c = t[w_start];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (c == t[a + letter - 1]) {
                letter--;
                first = w_start;
            } else if (!is_minor_word(t + w_start, w_end - w_start)) {
                break;
            }
            w_end = w_start;
        }
        if (letter == 0) {
            size_t long_end = i;
            while (long_end > first && t[long_end - 1] == ' ')
                long_end--;
            st = add_synonym(ix, t + a, e - a, t + first, long_end - first,
                             lang, err);
        }
    }
    return st;
}

/* Reads "a = b" lines into synonyms; # starts a comment. */
spsearch_status_t sp_indexer_add_synonyms(sp_indexer *ix, const char *path,
                                          sp_error *err)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    unsigned long n = 0;
    spsearch_status_t st = SPSEARCH_OK;
    if (f == NULL)
        return sp_error_set(err, SPSEARCH_IO, "%s: %s", path,
                            strerror(errno));
    while (st == SPSEARCH_OK && fgets(line, sizeof line, f) != NULL) {
        n++;
        char *hash = strchr(line, '#');
        if (hash != NULL)
            *hash = '\0';
        char *eq = strchr(line, '=');
        char *end = line + strlen(line);
        while (end > line && (end[-1] == '\n' || end[-1] == ' ' ||
                              end[-1] == '\r' || end[-1] == '\t'))
            *--end = '\0';
        if (line[strspn(line, " \t")] == '\0')
            continue;
        if (eq == NULL) {
            st = sp_error_set(err, SPSEARCH_BAD_INPUT,
                              "%s:%lu: a synonym line is 'word = other "
                              "words'", path, n);
            break;
        }
        *eq = '\0';
        char *l = line + strspn(line, " \t"), *r = eq + 1 + strspn(eq + 1, " \t");
        char *le = eq;
        while (le > l && (le[-1] == ' ' || le[-1] == '\t'))
            *--le = '\0';
        if (*l == '\0' || *r == '\0') {
            st = sp_error_set(err, SPSEARCH_BAD_INPUT,
                              "%s:%lu: a synonym line is 'word = other "
                              "words'", path, n);
            break;
        }
        st = add_synonym(ix, l, strlen(l), r, strlen(r), ix->opts.lang, err);
    }
    fclose(f);
    return st;
}

/* The FNV-1a hash of a file's bytes, as 16 hex digits.  0, or -1 with a
 * message in why. */
static int hash_file(const char *path, char hash[17], char *why,
                     size_t why_len)
{
    uint64_t h = SP_FNV1A_INIT;
    unsigned char buf[65536];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(why, why_len, "cannot open: %s", strerror(errno));
        return -1;
    }
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(why, why_len, "cannot read: %s", strerror(errno));
            close(fd);
            return -1;
        }
        if (got == 0)
            break;
        for (ssize_t i = 0; i < got; i++)
            h = sp_fnv1a_byte(h, buf[i]);
    }
    close(fd);
    snprintf(hash, 17, "%016llx", (unsigned long long)h);
    return 0;
}

/* What the reader's callbacks need while one file is read. */
typedef struct file_ctx {
    sp_indexer *ix;
    const char *path;
    const char *file_term;
    const char *meta_key; /* the file's state key */
    int existed;          /* the file had articles in the index */
    int deleted;          /* ...and they were deleted for the new ones */
    int stopped;          /* a stop was asked for between two articles */
    unsigned ways, way;   /* index article i when i % ways == way */
    unsigned long read;   /* articles read, indexed or not */
    unsigned long articles;
    size_t bytes;
    char charset[SP_CHARSET_NAME]; /* the first article's not UTF-8 */
    sp_error *err;
} file_ctx;

/* The state of a file whose articles are being committed before its end
 * (a JSON Lines file of a whole archive): it matches no real state, so a
 * run that dies before the file's end leaves the next run a file to
 * index again, whose articles so far it deletes first. */
#define PARTIAL_STATE "0 partial"

/* Marks the file as partly indexed, for the next run. */
static spsearch_status_t set_partial_state(file_ctx *c)
{
    size_t n = strlen(PARTIAL_STATE) + 1 + strlen(c->path) + 1;
    char *state = malloc(n);
    if (state == NULL)
        return sp_error_set(c->err, SPSEARCH_NOMEM, "out of memory");
    int len = snprintf(state, n, PARTIAL_STATE "\n%s", c->path);
    spsearch_status_t st = sp_xdb_set_metadata(c->ix->db, c->meta_key, state,
                                               (size_t)len, c->err);
    free(state);
    return st;
}

/* Commits the batch in the middle of a file once it is full, so that one
 * big file is held in memory no more than many small ones. */
static spsearch_status_t commit_within_file(file_ctx *c)
{
    spsearch_status_t st = set_partial_state(c);
    if (st == SPSEARCH_OK)
        st = commit_batch(c->ix, c->err);
    return st;
}

static void forget_old(sp_indexer *ix)
{
    free(ix->old_ids);
    ix->old_ids = NULL;
    ix->old_n = ix->old_next = 0;
}

/* Gives the file's old passages up, once, just before its first new one
 * (a file that cannot be read at all keeps its last indexed version): the
 * new passages replace them in order, and drop_rest deletes those left
 * over.  A corrected article mostly repeats its old passages, and Xapian
 * rewrites only the postings a replacement changes; deleting them all and
 * adding new ones at the end rewrote every posting of the article, in
 * every posting list it is in, twice. */
static spsearch_status_t take_old(file_ctx *c)
{
    sp_indexer *ix = c->ix;
    if (!c->existed || c->deleted)
        return SPSEARCH_OK;
    c->deleted = 1;
    forget_old(ix);
    return sp_xdb_term_docids(ix->db, c->file_term, &ix->old_ids, &ix->old_n,
                              c->err);
}

/* Deletes the old passages that no new one replaced (a shorter file);
 * with delete 0 only forgets them. */
static spsearch_status_t drop_rest(sp_indexer *ix, int delete, sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    if (delete && ix->old_next < ix->old_n)
        st = sp_xdb_delete_docids(ix->db, ix->old_ids + ix->old_next,
                                  ix->old_n - ix->old_next, err);
    forget_old(ix);
    return st;
}

static spsearch_status_t on_article(void *ctx, const sp_article_in *a)
{
    file_ctx *c = ctx;
    sp_indexer *ix = c->ix;
    if (c->read++ % c->ways != c->way)
        return SPSEARCH_OK; /* another job's */
    if (c->charset[0] == '\0' && a->charset[0] != '\0')
        snprintf(c->charset, sizeof c->charset, "%s", a->charset);
    spsearch_status_t st = take_old(c);
    if (st != SPSEARCH_OK)
        return st;
    /* A file of several articles: each has its id after the path. */
    size_t idn = strlen(a->id);
    size_t n = strlen(c->path) + (idn ? idn + 1 : 0) + 1;
    char *id = malloc(n);
    if (id == NULL)
        return sp_error_set(c->err, SPSEARCH_NOMEM, "out of memory");
    snprintf(id, n, "%s%s%s", c->path, idn ? "#" : "", a->id);
    st = make_term(ix, SP_PREFIX_ARTICLE, id, c->err);
    char *art_term = st == SPSEARCH_OK ? strdup(ix->term.data) : NULL;
    free(id);
    if (st == SPSEARCH_OK && art_term == NULL)
        st = sp_error_set(c->err, SPSEARCH_NOMEM, "out of memory");
    const char *lang = sp_article_in_lang(a, ix->opts.lang);
    if (st == SPSEARCH_OK)
        st = write_article(ix, c->path, a, lang, art_term, c->file_term,
                           c->err);
    if (st == SPSEARCH_OK)
        st = learn_acronyms(ix, a->text, a->len, lang, c->err);
    free(art_term);
    if (st == SPSEARCH_OK) {
        c->articles++;
        c->bytes += a->len;
        ix->pending += a->len;
        if (ix->pending >= ix->batch_bytes)
            st = commit_within_file(c);
    }
    if (st == SPSEARCH_OK && stop_requested) {
        /* Stop between articles, not at the end of a file that may be the
         * whole archive; the status only ends the reading. */
        c->stopped = 1;
        st = SPSEARCH_INTERNAL;
    }
    return st;
}

static void on_input_warn(void *ctx, unsigned long line, const char *msg)
{
    file_ctx *c = ctx;
    warn(c->ix, c->path, line, msg);
    c->ix->stats.skipped++;
}

static spsearch_status_t index_file(sp_indexer *ix, const char *path,
                                    const struct stat *sb, unsigned ways,
                                    unsigned way, sp_error *err);

static spsearch_status_t add_file(sp_indexer *ix, const char *path,
                                  const struct stat *sb, sp_error *err)
{
    /* Shards split files by a hash of their path: stable, and even.  The
     * jobs of a parallel build share a big file by its articles, and the
     * one its path falls to speaks for it (messages, counts). */
    int owner = 1;
    unsigned ways = 1, way = 0;
    if (ix->opts.shards > 1) {
        unsigned h =
            (unsigned)(sp_fnv1a(path, strlen(path)) % ix->opts.shards);
        unsigned per_job = ix->opts.jobs > 1 ? ix->opts.shards / ix->opts.jobs
                                             : ix->opts.shards;
        owner = h == ix->opts.shard;
        if (ix->opts.jobs > 1 && ix->opts.split_bytes > 0 &&
            (uint64_t)sb->st_size >= ix->opts.split_bytes &&
            h % per_job == ix->opts.shard % per_job) {
            ways = ix->opts.jobs;
            way = ix->opts.shard / per_job;
        } else if (!owner) {
            return SPSEARCH_OK;
        }
    }
    if (owner)
        return index_file(ix, path, sb, ways, way, err);
    sp_index_stats before = ix->stats;
    ix->silent = 1;
    spsearch_status_t st = index_file(ix, path, sb, ways, way, err);
    ix->silent = 0;
    /* Its text and passages are this job's; the file is not. */
    before.bytes = ix->stats.bytes;
    before.passages = ix->stats.passages;
    ix->stats = before;
    return st;
}

/* Counts a file whose articles were (at least partly) indexed. */
static void count_indexed(sp_indexer *ix, const file_ctx *c)
{
    if (c->existed)
        ix->stats.updated++;
    else
        ix->stats.added++;
    ix->stats.bytes += c->bytes;
}

/* Indexes the file's articles i with i % ways == way. */
static spsearch_status_t index_file(sp_indexer *ix, const char *path,
                                    const struct stat *sb, unsigned ways,
                                    unsigned way, sp_error *err)
{
    char now[128];
    int now_len = stat_state(sb, now, sizeof now);
    spsearch_status_t st = list_push(&ix->seen, path, err);
    if (st != SPSEARCH_OK)
        return st;
    st = make_key(ix, SP_META_FILE_PREFIX, path, err);
    char *old = NULL;
    size_t old_len = 0;
    char *meta_key = NULL;
    if (st == SPSEARCH_OK) {
        meta_key = strdup(ix->term.data);
        if (meta_key == NULL)
            st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    if (st == SPSEARCH_OK)
        st = sp_xdb_get_metadata(ix->db, meta_key, &old, &old_len, err);
    if (st != SPSEARCH_OK) {
        free(meta_key);
        return st;
    }
    /* Unchanged by its metadata: nothing is read. */
    if (old != NULL && old_len > (size_t)now_len &&
        memcmp(old, now, (size_t)now_len) == 0 && old[now_len] == ' ') {
        free(old);
        free(meta_key);
        ix->stats.unchanged++;
        progress(ix, path, "unchanged");
        return SPSEARCH_OK;
    }
    int existed = old != NULL;
    if (ix->opts.dry_run) {
        free(old);
        free(meta_key);
        if (existed)
            ix->stats.updated++;
        else
            ix->stats.added++;
        progress(ix, path, existed ? "would update" : "would add");
        return SPSEARCH_OK;
    }

    /* The bytes' hash first: a file touched but not changed (cp -p,
     * rsync, a restore) needs only its new state, no re-indexing. */
    char hash[17], why[512];
    if (hash_file(path, hash, why, sizeof why) != 0) {
        free(old);
        free(meta_key);
        skip(ix, path, 0, why);
        return SPSEARCH_OK;
    }
    size_t state_cap = (size_t)now_len + strlen(path) + 20;
    char *state = malloc(state_cap);
    if (state == NULL) {
        free(old);
        free(meta_key);
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    int state_len = snprintf(state, state_cap, "%s %s\n%s", now, hash, path);
    size_t old_hash_len = 0;
    const char *old_hash = old ? stored_hash(old, old_len, &old_hash_len)
                               : NULL;
    int same_bytes = old_hash != NULL && old_hash_len == 16 &&
                     memcmp(old_hash, hash, 16) == 0;
    free(old);
    if (same_bytes) {
        st = sp_xdb_set_metadata(ix->db, meta_key, state, (size_t)state_len,
                                 err);
        if (st == SPSEARCH_OK) {
            ix->stats.unchanged++;
            ix->touched++;
            progress(ix, path, "unchanged");
        }
        free(state);
        free(meta_key);
        return st;
    }

    char *file_term = NULL;
    st = make_term(ix, SP_PREFIX_FILE, path, err);
    if (st == SPSEARCH_OK) {
        file_term = strdup(ix->term.data);
        if (file_term == NULL)
            st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    file_ctx c = {ix,   path, file_term, meta_key, existed, 0, 0,
                  ways, way,  0,         0,        0,       "", err};
    sp_error read_err;
    sp_error_clear(&read_err);
    if (st == SPSEARCH_OK)
        st = sp_read_file(path, on_article, on_input_warn, &c, &read_err);
    if (c.stopped) {
        /* What was read is kept, under the partial state: the next run
         * indexes the file again. */
        st = drop_rest(ix, 1, err);
        if (st == SPSEARCH_OK)
            st = set_partial_state(&c);
        count_indexed(ix, &c);
        free(state);
        free(file_term);
        free(meta_key);
        return st;
    }
    if (st == SPSEARCH_BAD_INPUT) {
        /* Report, skip, go on.  What was read before the damage (a
         * truncated gzip of JSON lines) stays indexed, alone. */
        spsearch_status_t dst = drop_rest(ix, 1, err);
        if (dst != SPSEARCH_OK) {
            free(state);
            free(file_term);
            free(meta_key);
            return dst;
        }
        if (c.articles > 0) {
            char msg[sizeof read_err.msg + 64];
            snprintf(msg, sizeof msg, "%s (kept the %lu articles before it)",
                     read_err.msg, c.articles);
            skip(ix, path, 0, msg);
        } else {
            skip(ix, path, 0, read_err.msg);
        }
        st = SPSEARCH_OK;
        if (c.articles == 0) {
            /* Nothing new was written: the last indexed version stays,
             * and the next run tries again. */
            free(state);
            free(file_term);
            free(meta_key);
            return st;
        }
    } else if (st == SPSEARCH_OK) {
        /* A file that now holds no article loses its old ones. */
        st = take_old(&c);
        if (st == SPSEARCH_OK)
            st = drop_rest(ix, 1, err);
    } else {
        /* The reader's own failure (out of memory, a read error) is in
         * read_err; one while indexing what it read is in err already. */
        if (read_err.msg[0] != '\0')
            sp_error_set(err, st, "%s: %s", path, read_err.msg);
        drop_rest(ix, 0, err);
    }
    if (st == SPSEARCH_OK)
        st = sp_xdb_set_metadata(ix->db, meta_key, state, (size_t)state_len,
                                 err);
    if (st == SPSEARCH_OK) {
        count_indexed(ix, &c);
        progress_decoded(ix, path, existed ? "updated" : "added",
                         c.charset);
        if (ix->pending >= ix->batch_bytes)
            st = commit_batch(ix, err);
    }
    free(state);
    free(file_term);
    free(meta_key);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct dir_stack {
    dev_t dev;
    ino_t ino;
    const struct dir_stack *up;
} dir_stack;

static spsearch_status_t walk(sp_indexer *ix, const char *path,
                              const struct stat *sb, const dir_stack *up,
                              sp_error *err)
{
    for (const dir_stack *d = up; d != NULL; d = d->up) {
        if (d->dev == sb->st_dev && d->ino == sb->st_ino) {
            skip(ix, path, 0, "symbolic link loop, not followed");
            return SPSEARCH_OK;
        }
    }
    if (ix->have_db_stat && sb->st_dev == ix->db_stat.st_dev &&
        sb->st_ino == ix->db_stat.st_ino)
        return SPSEARCH_OK; /* the index's own folder */
    DIR *dir = opendir(path);
    if (dir == NULL) {
        char why[300];
        snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
        skip(ix, path, 0, why);
        return list_push(&ix->unread, path, err);
    }
    seen_list names = {0};
    spsearch_status_t st = SPSEARCH_OK;
    struct dirent *de;
    while (st == SPSEARCH_OK && (errno = 0, de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* hidden files, "." and ".." */
        st = list_push(&names, de->d_name, err);
    }
    if (st == SPSEARCH_OK && errno != 0) {
        /* Listed in part: the files not listed are not gone. */
        char why[300];
        snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
        skip(ix, path, 0, why);
        st = list_push(&ix->unread, path, err);
    }
    closedir(dir);
    /* Sorted, so that runs are reproducible. */
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    dir_stack here = {sb->st_dev, sb->st_ino, up};
    size_t plen = strlen(path);
    for (size_t i = 0; i < names.n && st == SPSEARCH_OK && !stop_requested;
         i++) {
        size_t n = plen + 1 + strlen(names.v[i]) + 1;
        char *child = malloc(n);
        if (child == NULL) {
            st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
            break;
        }
        snprintf(child, n, "%s%s%s", path,
                 plen > 0 && path[plen - 1] == '/' ? "" : "/", names.v[i]);
        struct stat csb;
        if (stat(child, &csb) != 0) {
            int why_errno = errno;
            char why[300];
            snprintf(why, sizeof why, "cannot read: %s", strerror(why_errno));
            skip(ix, child, 0, why);
            /* Gone since it was listed, or there but unreadable. */
            if (why_errno != ENOENT && why_errno != ENOTDIR)
                st = list_push(&ix->unread, child, err);
        } else if (S_ISDIR(csb.st_mode)) {
            st = walk(ix, child, &csb, &here, err);
        } else if (S_ISREG(csb.st_mode)) {
            st = add_file(ix, child, &csb, err);
        }
        free(child);
    }
    list_free(&names);
    return st;
}

spsearch_status_t sp_indexer_add_path(sp_indexer *ix, const char *path,
                                      sp_error *err)
{
    char *real = realpath(path, NULL);
    if (real == NULL) {
        char why[300];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        skip(ix, path, 0, why);
        return SPSEARCH_OK;
    }
    struct stat sb;
    spsearch_status_t st = SPSEARCH_OK;
    if (stat(real, &sb) != 0) {
        char why[300];
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        skip(ix, path, 0, why);
    } else if (S_ISDIR(sb.st_mode)) {
        st = list_push(&ix->roots, real, err);
        if (st == SPSEARCH_OK)
            st = walk(ix, real, &sb, NULL, err);
    } else if (S_ISREG(sb.st_mode)) {
        st = list_push(&ix->roots, real, err);
        if (st == SPSEARCH_OK)
            st = add_file(ix, real, &sb, err);
    } else {
        skip(ix, path, 0, "not a regular file or folder");
    }
    free(real);
    return st;
}

typedef struct prune_ctx {
    sp_indexer *ix;
    const char *root;
    size_t root_len;
    seen_list gone; /* metadata keys of files that disappeared */
    spsearch_status_t st;
    sp_error *err;
} prune_ctx;

static int is_under(const char *path, const char *root, size_t root_len)
{
    return strncmp(path, root, root_len) == 0 &&
           (path[root_len] == '\0' || path[root_len] == '/' ||
            (root_len > 0 && root[root_len - 1] == '/'));
}

static int on_file_key(void *vctx, const char *key, size_t len)
{
    prune_ctx *c = vctx;
    char *val = NULL;
    size_t val_len = 0;
    (void)len;
    c->st = sp_xdb_get_metadata(c->ix->db, key, &val, &val_len, c->err);
    if (c->st != SPSEARCH_OK)
        return 1;
    /* The value is the state line, then the path. */
    const char *nl = val ? memchr(val, '\n', val_len) : NULL;
    const char *path = nl ? nl + 1 : NULL;
    int kept = 0;
    for (size_t k = 0; path != NULL && k < c->ix->unread.n && !kept; k++)
        kept = is_under(path, c->ix->unread.v[k], strlen(c->ix->unread.v[k]));
    if (path != NULL && !kept && is_under(path, c->root, c->root_len) &&
        bsearch(&path, c->ix->seen.v, c->ix->seen.n, sizeof(char *),
                cmp_str) == NULL)
        c->st = list_push(&c->gone, path, c->err);
    free(val);
    return c->st != SPSEARCH_OK;
}

spsearch_status_t sp_indexer_prune(sp_indexer *ix, sp_error *err)
{
    if (stop_requested)
        return SPSEARCH_OK; /* an interrupted walk has not seen everything */
    if (ix->seen.n > 1)
        qsort(ix->seen.v, ix->seen.n, sizeof *ix->seen.v, cmp_str);
    spsearch_status_t st = SPSEARCH_OK;
    for (size_t r = 0; r < ix->roots.n && st == SPSEARCH_OK; r++) {
        prune_ctx c = {ix, ix->roots.v[r], strlen(ix->roots.v[r]), {0},
                       SPSEARCH_OK, err};
        /* Keys hold the path unless it was too long and was hashed. */
        st = make_key(ix, SP_META_FILE_PREFIX, c.root, err);
        char *prefix = st == SPSEARCH_OK ? strdup(ix->term.data) : NULL;
        if (st == SPSEARCH_OK && prefix == NULL)
            st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        if (st == SPSEARCH_OK && strlen(c.root) <= SP_MAX_ID_TERM)
            st = sp_xdb_metadata_keys(ix->db, prefix, on_file_key, &c, err);
        if (st == SPSEARCH_OK)
            st = c.st;
        if (st == SPSEARCH_OK)
            st = sp_xdb_metadata_keys(ix->db, SP_META_FILE_PREFIX "#",
                                      on_file_key, &c, err);
        if (st == SPSEARCH_OK)
            st = c.st;
        free(prefix);
        for (size_t i = 0; i < c.gone.n && st == SPSEARCH_OK; i++) {
            if (ix->opts.dry_run) {
                ix->stats.removed++;
                progress(ix, c.gone.v[i], "would remove");
                continue;
            }
            st = make_term(ix, SP_PREFIX_FILE, c.gone.v[i], err);
            if (st == SPSEARCH_OK)
                st = sp_xdb_delete_term(ix->db, ix->term.data, err);
            if (st == SPSEARCH_OK)
                st = make_key(ix, SP_META_FILE_PREFIX, c.gone.v[i], err);
            if (st == SPSEARCH_OK)
                st = sp_xdb_set_metadata(ix->db, ix->term.data, "", 0, err);
            if (st == SPSEARCH_OK) {
                ix->stats.removed++;
                progress(ix, c.gone.v[i], "removed");
            }
        }
        list_free(&c.gone);
    }
    return st;
}

spsearch_status_t sp_indexer_finish(sp_indexer *ix, sp_index_stats *stats,
                                    sp_error *err)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    spsearch_status_t st = SPSEARCH_OK;
    /* An unchanged corpus leaves the index untouched, the timestamp too. */
    int changed = ix->stats.added || ix->stats.updated || ix->stats.removed;
    if (ix->opts.dry_run) {
        if (stats != NULL)
            *stats = ix->stats;
        sp_indexer_free(ix);
        return SPSEARCH_OK;
    }
    if (changed && gmtime_r(&t, &tm) != NULL &&
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
        st = sp_xdb_set_metadata(ix->db, SP_META_UPDATED, now, strlen(now),
                                 err);
    /* Even an empty commit writes a new revision: skip it. */
    if (st == SPSEARCH_OK)
        st = changed || ix->touched || ix->pending > 0
                 ? sp_xdb_commit(ix->db, err)
                                        : sp_xdb_cancel(ix->db, err);
    if (st == SPSEARCH_OK) {
        sp_xdb *db = ix->db;
        ix->db = NULL;
        st = sp_xdb_close(db, err);
    }
    if (stats != NULL)
        *stats = ix->stats;
    sp_indexer_free(ix);
    return st;
}

/* Bytes of the files directly in dir (a Xapian index has no subfolders). */
static uint64_t folder_bytes(const char *dir)
{
    uint64_t total = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    if (d == NULL)
        return 0;
    while ((de = readdir(d)) != NULL) {
        char p[PATH_MAX];
        struct stat sb;
        if (snprintf(p, sizeof p, "%s/%s", dir, de->d_name) <
                (int)sizeof p &&
            stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
            total += (uint64_t)sb.st_size;
    }
    closedir(d);
    return total;
}

/* The day terms come in date order: the first is the oldest, the last
 * the newest ("D20250731"). */
static int day_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    sp_index_summary *sum = ctx;
    (void)freq;
    size_t n = strlen(SP_PREFIX_DAY);
    if (len != n + 8)
        return 0;
    char *to = sum->oldest[0] == '\0' ? sum->oldest : sum->newest;
    snprintf(to, 11, "%.4s-%.2s-%.2s", term + n, term + n + 4, term + n + 6);
    if (to == sum->oldest)
        memcpy(sum->newest, sum->oldest, 11);
    return 0;
}

spsearch_status_t sp_index_summarize(const char *db_path,
                                     sp_index_summary *sum, sp_error *err)
{
    sp_xdb *db = NULL;
    uint32_t docs = 0;
    char *updated = NULL;
    size_t updated_len = 0;
    memset(sum, 0, sizeof *sum);
    spsearch_status_t st = sp_xdb_open(db_path, SP_XDB_READ, &db, err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_doc_count(db, &docs, err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_term_count(db, SP_PREFIX_ARTICLE, &sum->articles, err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_term_count(db, "", &sum->terms, err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_get_metadata(db, SP_META_UPDATED, &updated, &updated_len,
                                 err);
    if (st == SPSEARCH_OK && updated != NULL)
        snprintf(sum->updated, sizeof sum->updated, "%s", updated);
    free(updated);
    char *format = NULL;
    size_t format_len = 0;
    if (st == SPSEARCH_OK)
        st = sp_xdb_get_metadata(db, SP_META_FORMAT, &format, &format_len,
                                 err);
    sum->format = format != NULL ? atoi(format) : 0;
    free(format);
    if (st == SPSEARCH_OK)
        st = sp_xdb_terms(db, SP_PREFIX_DAY, day_term, sum, err);
    sum->passages = docs;
    sum->bytes_on_disk = folder_bytes(db_path);
    sp_xdb_free(db);
    return st;
}

/* Counts the regular files under path; with big != NULL, stops at the
 * first of min_bytes or more instead and sets *big (files then need a
 * stat each, which counting alone does without). */
static unsigned long count_under(const char *path, int depth,
                                 uint64_t min_bytes, int *big)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    if (S_ISREG(sb.st_mode)) {
        if (big != NULL && (uint64_t)sb.st_size >= min_bytes)
            *big = 1;
        return 1;
    }
    if (!S_ISDIR(sb.st_mode) || depth > 64)
        return 0;
    DIR *dir = opendir(path);
    if (dir == NULL)
        return 0;
    unsigned long n = 0;
    struct dirent *de;
    size_t plen = strlen(path);
    while ((big == NULL || !*big) && (de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char child[PATH_MAX];
        if (plen + strlen(de->d_name) + 2 > sizeof child)
            continue;
        snprintf(child, sizeof child, "%s/%s", path, de->d_name);
        if (de->d_type == DT_REG && big == NULL)
            n++;
        else if (de->d_type == DT_REG || de->d_type == DT_DIR ||
                 de->d_type == DT_LNK || de->d_type == DT_UNKNOWN)
            n += count_under(child, depth + 1, min_bytes, big);
    }
    closedir(dir);
    return n;
}

int sp_index_old_format(const char *db_path)
{
    sp_xdb *db = NULL;
    sp_error err;
    char *format = NULL;
    size_t len = 0;
    int old = 0;
    if (sp_xdb_open(db_path, SP_XDB_READ, &db, &err) != SPSEARCH_OK)
        return 0;
    if (sp_xdb_get_metadata(db, SP_META_FORMAT, &format, &len, &err) ==
            SPSEARCH_OK &&
        format != NULL && atoi(format) > 0 && atoi(format) < SP_INDEX_FORMAT)
        old = atoi(format);
    free(format);
    sp_xdb_free(db);
    return old;
}

int sp_index_is_empty(const char *db_path)
{
    struct stat sb;
    if (stat(db_path, &sb) != 0)
        return errno == ENOENT;
    sp_xdb *db = NULL;
    sp_error err;
    uint32_t docs = 1;
    if (sp_xdb_open(db_path, SP_XDB_READ, &db, &err) != SPSEARCH_OK)
        return 0;
    if (sp_xdb_doc_count(db, &docs, &err) != SPSEARCH_OK)
        docs = 1;
    sp_xdb_free(db);
    return docs == 0;
}

unsigned long sp_count_inputs(const char *path)
{
    return count_under(path, 0, 0, NULL);
}

int sp_has_file_of(const char *path, uint64_t min_bytes)
{
    int big = 0;
    (void)count_under(path, 0, min_bytes, &big);
    return big;
}
