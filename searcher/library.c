/*
 * library.c - libspsearch: opening an index, searching it, and handing
 * out ranked articles with their best passage and highlights.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searcher/arena.h"
#include "searcher/highlight.h"
#include "searcher/query.h"
#include "searcher/spsearch.h"
#include "searcher/suggest.h"
#include "shared/analyzer.h"
#include "shared/article.h"
#include "shared/pairs.h"
#include "shared/reader.h"
#include "shared/record.h"
#include "shared/terms.h"
#include "shared/xdb.h"
#include "shared/zutil.h"

/* The language queries are stemmed in, as the indexer's default. */
#define QUERY_LANG "en"
/* How many matches Xapian examines at least: enough that the estimate of
 * matching articles is exact on small indexes, few enough that a common
 * word on a large one does not read its whole posting list (1,000 made
 * the median query on the 100 MB bench corpus 2.5x slower).  --count
 * asks for an exact count separately. */
#define CHECK_AT_LEAST 100
/* Pages ending further down than this are collapsed by Xapian: the
 * articles are told apart by comparing keys, in quadratic time. */
#define UNIQUE_PAGE_MAX 100
/* How many of the best articles favouring recent ones reranks. */
#define RECENCY_WINDOW 200

struct spsearch_options {
    size_t offset, limit;
    spsearch_sort_t sort;
    int correct;
    int exact_count;
    int explain;
    int duplicates;     /* copies shown as hits of their own, not folded */
    /* The article term of an article that is no hit (the one a search
     * is like), or ""; set by spsearch_search_like() on its own copy. */
    char unlike[SP_HASHED_TERM_MAX];
    size_t per_article; /* see spsearch_options_set_passages(); 1 default */
    double half_life;   /* days; > 0 favours recent articles */
    char lang[32];
    char since[11], until[11]; /* "" for no bound */
};

/* The public token flags are the analyzer's. */
typedef char token_flags_agree[(SPSEARCH_TOKEN_PART == SP_TOK_PART &&
                                SPSEARCH_TOKEN_JOINED == SP_TOK_JOINED &&
                                SPSEARCH_TOKEN_ACRONYM == SP_TOK_ACRONYM &&
                                SPSEARCH_TOKEN_NUMBER == SP_TOK_NUMBER &&
                                SPSEARCH_TOKEN_IDEO == SP_TOK_IDEO)
                                   ? 1
                                   : -1];

struct spsearch_index {
    sp_xdb *db;
    int folded_lengths; /* written with sp_xdoc_fold_length (format 4) */
    int contiguous;     /* an article's passages have consecutive docids */
    int pairs;          /* has pair terms (format 5) */
    sp_inflater *inflater; /* for the stored passages */
    sp_analyzer *an;
    char *path;
    sp_error err;
    long err_offset;
    /* The built-in compression dictionary and its id. */
    const char *dict;
    size_t dict_len;
    unsigned long dict_id;
};

struct spsearch_hit {
    size_t rank;
    size_t passage;
    const char *explain;
    double score;
    const char *path, *title, *date;
    const char *id, *url, *author, *source; /* NULL when none */
    const char *text;
    size_t text_len, start, end;
    size_t lede, headline_start, headline_end; /* in text */
    sp_range *hl;
    size_t nhl;
    const struct copy_of *copies; /* folded into this hit */
    size_t ncopies;
};

/* A match chosen as a hit: its place in the match set, its rank. */
typedef struct pick {
    uint32_t i;
    size_t rank;
    double score; /* the weight shown: BM25, times the recency factor */
} pick;

/* An article folded into a hit: its best passage says what the hit's
 * says, word for word. */
typedef struct copy_of {
    const char *path, *id; /* in the arena; id NULL when none */
} copy_of;

/* A fold, by places in the match set: the copy's best passage, and the
 * passage of the hit it is folded into. */
typedef struct copy_fold {
    uint32_t owner, copy;
} copy_fold;

struct spsearch_results {
    sp_arena arena;
    pick *picks;
    size_t npicks;
    size_t articles; /* distinct article ranks among the picks */
    copy_fold *folds; /* of copies of the page's hits */
    size_t nfolds;
    const char *query; /* in arena: what was searched */
    spsearch_hit_t *hits;
    size_t n, next;
    size_t estimate;
    const char *suggestion; /* in arena, or NULL */
    int corrected;
    int loosened; /* no passage had all the words: these have any */
};

const char *spsearch_version(void)
{
    return PACKAGE_VERSION;
}

static char version_details[160];

static void make_version_details(void)
{
    snprintf(version_details, sizeof version_details,
             "libspsearch %s, Xapian %s, ICU %s, zlib %s", PACKAGE_VERSION,
             sp_xdb_xapian_version(), sp_analyzer_icu_version(),
             sp_zlib_version());
}

const char *spsearch_version_details(void)
{
    /* Once: threads may ask at the same time. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_version_details);
    return version_details;
}

const char *spsearch_status_string(spsearch_status_t status)
{
    switch (status) {
    case SPSEARCH_OK: return "success";
    case SPSEARCH_NOMEM: return "out of memory";
    case SPSEARCH_INVALID: return "invalid argument";
    case SPSEARCH_NO_INDEX: return "no index at that path";
    case SPSEARCH_LOCKED: return "the index is locked by another writer";
    case SPSEARCH_CORRUPT: return "the index is damaged or not an index";
    case SPSEARCH_VERSION: return "the index was written by a newer version";
    case SPSEARCH_MODIFIED: return "the index kept changing while being read";
    case SPSEARCH_BAD_QUERY: return "the query could not be understood";
    case SPSEARCH_IO: return "input/output error";
    case SPSEARCH_NETWORK: return "a remote shard failed";
    case SPSEARCH_INTERNAL: return "internal error";
    case SPSEARCH_BAD_INPUT: return "an input article could not be read";
    }
    return "unknown status";
}

void spsearch_free(void *ptr)
{
    free(ptr);
}

static void set_errmsg(char **errmsg, const char *msg)
{
    if (errmsg != NULL)
        *errmsg = strdup(msg);
}

/* What the index's format says about reading it.  Read at open and again
 * whenever a search finds a new revision: spindex may have rebuilt the
 * index in a newer format meanwhile, and pair terms are usable only while
 * every passage has them. */
static spsearch_status_t read_format(spsearch_index_t *ix, sp_error *err)
{
    char *format = NULL;
    size_t format_len = 0;
    spsearch_status_t st = sp_xdb_get_metadata(ix->db, SP_META_FORMAT, &format,
                                               &format_len, err);
    int n = format != NULL ? atoi(format) : 0;
    if (st == SPSEARCH_OK && n > SP_INDEX_FORMAT)
        st = sp_error_set(err, SPSEARCH_VERSION,
                          "opening index %s: written in format %s by a newer "
                          "spsearch; this one reads format %d",
                          ix->path, format, SP_INDEX_FORMAT);
    free(format);
    ix->folded_lengths = n >= SP_FORMAT_FOLDED;
    if (st == SPSEARCH_OK)
        st = sp_pairs_usable(ix->db, n, &ix->pairs, err);
    ix->contiguous = n >= SP_FORMAT_CONTIGUOUS && !sp_xdb_is_stub(ix->db);
    return st;
}

/* Every search first catches up with the last commit: a Xapian reader
 * stays on the revision it opened, so a handle kept open, as a server
 * keeps it, would not see new files, and would fail once later commits
 * discarded that revision.  The reopen reads one small file when nothing
 * changed. */
static spsearch_status_t catch_up(spsearch_index_t *ix)
{
    int changed = 0;
    spsearch_status_t st = sp_xdb_reopen(ix->db, &changed, &ix->err);
    if (st == SPSEARCH_OK && changed)
        st = read_format(ix, &ix->err);
    return st;
}

spsearch_status_t spsearch_open(const char *path, spsearch_index_t **index,
                                char **errmsg)
{
    sp_error err;
    spsearch_status_t st;
    if (errmsg != NULL)
        *errmsg = NULL;
    if (index == NULL) {
        set_errmsg(errmsg, "spsearch_open: index is NULL");
        return SPSEARCH_INVALID;
    }
    *index = NULL;
    if (path == NULL || *path == '\0') {
        set_errmsg(errmsg, "spsearch_open: no path given");
        return SPSEARCH_INVALID;
    }
    sp_error_clear(&err);
    spsearch_index_t *ix = calloc(1, sizeof *ix);
    if (ix == NULL) {
        set_errmsg(errmsg, "out of memory");
        return SPSEARCH_NOMEM;
    }
    ix->err_offset = -1;
    ix->path = strdup(path);
    st = ix->path ? SPSEARCH_OK
                  : sp_error_set(&err, SPSEARCH_NOMEM, "out of memory");
    if (st == SPSEARCH_OK)
        st = sp_xdb_open(path, SP_XDB_READ, &ix->db, &err);
    if (st == SPSEARCH_OK)
        st = read_format(ix, &err);
    if (st == SPSEARCH_OK)
        st = sp_analyzer_new(QUERY_LANG, &ix->an, &err);
    if (st == SPSEARCH_OK)
        st = sp_inflater_new(&ix->inflater, &err);
    ix->dict = sp_zdict(&ix->dict_len);
    ix->dict_id = sp_zdict_id(ix->dict, ix->dict_len);
    if (st != SPSEARCH_OK) {
        set_errmsg(errmsg, err.msg[0] ? err.msg : spsearch_status_string(st));
        spsearch_close(ix);
        return st;
    }
    *index = ix;
    return SPSEARCH_OK;
}

void spsearch_close(spsearch_index_t *index)
{
    if (index == NULL)
        return;
    sp_xdb_free(index->db);
    sp_analyzer_free(index->an);
    sp_inflater_free(index->inflater);
    free(index->path);
    free(index);
}

const char *spsearch_errmsg(const spsearch_index_t *index)
{
    return index != NULL ? index->err.msg : "no index handle";
}

long spsearch_error_offset(const spsearch_index_t *index)
{
    return index != NULL ? index->err_offset : -1;
}

spsearch_status_t spsearch_index_state(spsearch_index_t *index,
                                       size_t *passages, int *writing)
{
    if (passages != NULL)
        *passages = 0;
    if (writing != NULL)
        *writing = 0;
    if (index == NULL)
        return SPSEARCH_INVALID;
    sp_error_clear(&index->err);
    index->err_offset = -1;
    uint32_t count = 0;
    spsearch_status_t st = catch_up(index);
    if (st == SPSEARCH_OK)
        st = sp_xdb_doc_count(index->db, &count, &index->err);
    if (st != SPSEARCH_OK)
        return st;
    if (passages != NULL)
        *passages = count;
    if (writing != NULL)
        sp_xdb_locked(index->db, writing);
    return SPSEARCH_OK;
}

/* Records read while choosing the hits (for their article keys, and
 * decoded for the words that tell copies), by position in the match set,
 * kept for making the hits. */
typedef struct raw_records {
    char **data;
    size_t *len;
    sp_record *rec;   /* decoded from data, where decoded */
    char **storage;   /* rec's decoded text */
    unsigned char *decoded;
    uint32_t *docid;  /* of each place, to reuse the records of a window
                       * read again larger */
    uint32_t n;
} raw_records;

static void raw_forget(raw_records *r, uint32_t i)
{
    free(r->data[i]);
    free(r->storage[i]);
    r->data[i] = r->storage[i] = NULL;
    r->decoded[i] = 0;
}

static void raw_records_clear(raw_records *r)
{
    for (uint32_t i = 0; i < r->n; i++)
        raw_forget(r, i);
    free(r->data);
    free(r->len);
    free(r->rec);
    free(r->storage);
    free(r->decoded);
    free(r->docid);
    memset(r, 0, sizeof *r);
}

/* Makes raw the records of match set m, keeping those of a window read
 * before whose places hold the same documents (a larger window of the
 * same query begins as the smaller one did). */
static spsearch_status_t raw_records_renew(raw_records *r, sp_xmset *m,
                                           sp_error *err)
{
    raw_records was = *r;
    uint32_t n = sp_xmset_size(m);
    memset(r, 0, sizeof *r);
    if (n > 0) {
        r->data = calloc(n, sizeof *r->data);
        r->len = calloc(n, sizeof *r->len);
        r->rec = calloc(n, sizeof *r->rec);
        r->storage = calloc(n, sizeof *r->storage);
        r->decoded = calloc(n, 1);
        r->docid = calloc(n, sizeof *r->docid);
        if (r->data == NULL || r->len == NULL || r->rec == NULL ||
            r->storage == NULL || r->decoded == NULL || r->docid == NULL) {
            raw_records_clear(&was);
            raw_records_clear(r);
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        }
        r->n = n;
    }
    for (uint32_t i = 0; i < n; i++) {
        r->docid[i] = sp_xmset_docid(m, i);
        if (i < was.n && was.docid[i] == r->docid[i]) {
            r->data[i] = was.data[i];
            r->len[i] = was.len[i];
            r->rec[i] = was.rec[i];
            r->storage[i] = was.storage[i];
            r->decoded[i] = was.decoded[i];
            was.data[i] = was.storage[i] = NULL;
        }
    }
    raw_records_clear(&was);
    return SPSEARCH_OK;
}

/* Match i's record in raw, read if need be. */
static spsearch_status_t record_at(spsearch_index_t *ix, raw_records *raw,
                                   uint32_t i)
{
    if (raw->data[i] != NULL)
        return SPSEARCH_OK;
    return sp_xdb_doc_record(ix->db, raw->docid[i], SP_SLOT_RECORD,
                             &raw->data[i], &raw->len[i], &ix->err);
}

/* Match i's record decoded, read and decoded once. */
static spsearch_status_t decoded_at(spsearch_index_t *ix, raw_records *raw,
                                    uint32_t i, const sp_record **rec)
{
    spsearch_status_t st = SPSEARCH_OK;
    if (!raw->decoded[i]) {
        st = record_at(ix, raw, i);
        if (st == SPSEARCH_OK)
            st = sp_record_decode_with(raw->data[i], raw->len[i],
                                       ix->inflater, ix->dict, ix->dict_len,
                                       ix->dict_id, &raw->rec[i],
                                       &raw->storage[i], &ix->err);
        raw->decoded[i] = st == SPSEARCH_OK;
    }
    *rec = &raw->rec[i];
    return st;
}

/* Fills hit from match i, document docid: its record (from raw, which
 * holds the records of the places below raw->n), and the highlights. */
static spsearch_status_t make_hit(spsearch_index_t *ix,
                                  spsearch_results_t *res, uint32_t i,
                                  uint32_t docid, raw_records *raw,
                                  const char *lang, const sp_hl_pattern *pats,
                                  size_t npats, spsearch_hit_t *hit)
{
    char *data = NULL, *storage = NULL;
    size_t len = 0;
    sp_record own;
    const sp_record *recp = &own;
    spsearch_status_t st;
    if (i < raw->n) {
        st = decoded_at(ix, raw, i, &recp);
    } else {
        st = sp_xdb_doc_record(ix->db, docid, SP_SLOT_RECORD, &data, &len,
                               &ix->err);
        if (st == SPSEARCH_OK)
            st = sp_record_decode_with(data, len, ix->inflater, ix->dict,
                                       ix->dict_len, ix->dict_id, &own,
                                       &storage, &ix->err);
    }
    if (st != SPSEARCH_OK) {
        free(data);
        free(storage);
        return st;
    }
    const sp_record rec = *recp;
    sp_arena *a = &res->arena;
    hit->passage = rec.passage;
    hit->text_len = (size_t)(rec.end - rec.start);
    hit->start = (size_t)rec.start;
    hit->end = (size_t)rec.end;
    hit->path = sp_arena_strndup(a, rec.path, strlen(rec.path));
    hit->title = sp_arena_strndup(a, rec.title, strlen(rec.title));
    hit->date = rec.date[0] ? sp_arena_strndup(a, rec.date, strlen(rec.date))
                            : NULL;
    /* The strings a record may lack: NULL then. */
    const char *optional[4] = {rec.id, rec.url, rec.author, rec.source};
    const char **to[4] = {&hit->id, &hit->url, &hit->author, &hit->source};
    int lost = 0;
    for (int f = 0; f < 4; f++) {
        *to[f] = optional[f][0]
                     ? sp_arena_strndup(a, optional[f], strlen(optional[f]))
                     : NULL;
        lost |= optional[f][0] && *to[f] == NULL;
    }
    hit->text = sp_arena_strndup(a, rec.text, hit->text_len);
    if (hit->path == NULL || hit->title == NULL || hit->text == NULL ||
        (rec.date[0] && hit->date == NULL) || lost)
        st = sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    if (st == SPSEARCH_OK)
        st = sp_highlight(a, ix->an, lang, hit->text, hit->text_len,
                          pats, npats, &hit->hl, &hit->nhl, &ix->err);
    /* Only an article's top has its headline and dateline. */
    hit->lede = hit->headline_start = hit->headline_end = 0;
    if (st == SPSEARCH_OK && rec.passage == 0)
        hit->lede = sp_article_lede(hit->title, hit->text, hit->text_len,
                                    &hit->headline_start,
                                    &hit->headline_end);
    free(data);
    free(storage);
    if (i < raw->n)
        raw_forget(raw, i);
    return st;
}

spsearch_status_t spsearch_options_new(spsearch_options_t **opts)
{
    if (opts == NULL)
        return SPSEARCH_INVALID;
    *opts = calloc(1, sizeof **opts);
    if (*opts == NULL)
        return SPSEARCH_NOMEM;
    (*opts)->limit = 10;
    (*opts)->per_article = 1;
    return SPSEARCH_OK;
}

void spsearch_options_free(spsearch_options_t *opts)
{
    free(opts);
}

spsearch_status_t spsearch_options_set_page(spsearch_options_t *opts,
                                            size_t offset, size_t limit)
{
    if (opts == NULL || offset > UINT32_MAX / 2 || limit > UINT32_MAX / 2)
        return SPSEARCH_INVALID;
    opts->offset = offset;
    opts->limit = limit ? limit : 10;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_sort(spsearch_options_t *opts,
                                            spsearch_sort_t sort)
{
    if (opts == NULL || (sort != SPSEARCH_SORT_RELEVANCE &&
                         sort != SPSEARCH_SORT_NEWEST &&
                         sort != SPSEARCH_SORT_OLDEST))
        return SPSEARCH_INVALID;
    opts->sort = sort;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_correct(spsearch_options_t *opts,
                                               int correct)
{
    if (opts == NULL)
        return SPSEARCH_INVALID;
    opts->correct = correct != 0;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_passages(spsearch_options_t *opts,
                                                size_t per_article)
{
    if (opts == NULL || per_article > 1000)
        return SPSEARCH_INVALID;
    opts->per_article = per_article;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_recency(spsearch_options_t *opts,
                                               double half_life_days)
{
    if (opts == NULL || !(half_life_days >= 0) || half_life_days > 1e6)
        return SPSEARCH_INVALID;
    opts->half_life = half_life_days;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_explain(spsearch_options_t *opts,
                                               int explain)
{
    if (opts == NULL)
        return SPSEARCH_INVALID;
    opts->explain = explain != 0;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_duplicates(spsearch_options_t *opts,
                                                  int show)
{
    if (opts == NULL)
        return SPSEARCH_INVALID;
    opts->duplicates = show != 0;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_exact_count(spsearch_options_t *opts,
                                                   int exact)
{
    if (opts == NULL)
        return SPSEARCH_INVALID;
    opts->exact_count = exact != 0;
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_lang(spsearch_options_t *opts,
                                            const char *lang)
{
    if (opts == NULL || (lang != NULL && strlen(lang) >= sizeof opts->lang))
        return SPSEARCH_INVALID;
    if (lang != NULL) {
        /* Refuse what the analyzer cannot stem now, not at search time. */
        sp_analyzer *an = NULL;
        spsearch_status_t st = sp_analyzer_new(lang, &an, NULL);
        sp_analyzer_free(an);
        if (st != SPSEARCH_OK)
            return st == SPSEARCH_NOMEM ? st : SPSEARCH_INVALID;
    }
    snprintf(opts->lang, sizeof opts->lang, "%s", lang ? lang : "");
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_options_set_dates(spsearch_options_t *opts,
                                             const char *since,
                                             const char *until)
{
    char lo[11] = "", hi[11] = "";
    if (opts == NULL ||
        (since != NULL && sp_date_bound(since, strlen(since), 0, lo) != 0) ||
        (until != NULL && sp_date_bound(until, strlen(until), 1, hi) != 0) ||
        (lo[0] != '\0' && hi[0] != '\0' && strcmp(lo, hi) > 0))
        return SPSEARCH_INVALID;
    memcpy(opts->since, lo, sizeof lo);
    memcpy(opts->until, hi, sizeof hi);
    return SPSEARCH_OK;
}

spsearch_status_t spsearch_search(spsearch_index_t *index, const char *query,
                                  size_t offset, size_t limit,
                                  spsearch_results_t **results)
{
    spsearch_options_t opts;
    memset(&opts, 0, sizeof opts);
    opts.per_article = 1;
    if (results != NULL)
        *results = NULL;
    if (spsearch_options_set_page(&opts, offset, limit) != SPSEARCH_OK) {
        if (index != NULL)
            sp_error_set(&index->err, SPSEARCH_INVALID,
                         "offset or limit too large");
        return SPSEARCH_INVALID;
    }
    return spsearch_search_with(index, query, &opts, results);
}

/* Replaces *q with op(*q, other), made by st's call, which it frees. */
static spsearch_status_t narrow(sp_xquery **q, sp_xq_op op,
                                spsearch_status_t st, sp_xquery *other,
                                sp_error *err)
{
    sp_xquery *pair[2] = {*q, other}, *out = NULL;
    if (st == SPSEARCH_OK)
        st = sp_xquery_combine(op, pair, 2, 0, &out, err);
    sp_xquery_free(other);
    if (st != SPSEARCH_OK)
        return st;
    sp_xquery_free(*q);
    *q = out;
    return SPSEARCH_OK;
}

/* Restricts q to the options' dates, replacing it. */
static spsearch_status_t filter_dates(const spsearch_options_t *o,
                                      sp_xquery **q, sp_error *err)
{
    if (o->since[0] == '\0' && o->until[0] == '\0')
        return SPSEARCH_OK;
    sp_xquery *range = NULL;
    spsearch_status_t st = sp_xquery_value_range(
        SP_SLOT_DATE, o->since[0] ? o->since : "0000-00-00",
        o->until[0] ? o->until : "9999-99-99", &range, err);
    return narrow(q, SP_XQ_FILTER, st, range, err);
}

/* Leaves the article a search is like out of *q: it has all its words. */
static spsearch_status_t filter_unlike(const spsearch_options_t *o,
                                       sp_xquery **q, sp_error *err)
{
    if (o->unlike[0] == '\0')
        return SPSEARCH_OK;
    sp_xquery *art = NULL;
    spsearch_status_t st = sp_xquery_term(o->unlike, strlen(o->unlike), 1, 0,
                                          &art, err);
    return narrow(q, SP_XQ_AND_NOT, st, art, err);
}

/* Whether the article of match i has any of the excluded words in any
 * of its passages. */
static spsearch_status_t excluded(spsearch_index_t *ix, sp_xmset *m,
                                  uint32_t i, const sp_xquery *negatives,
                                  const char *key, int *out)
{
    sp_xquery *art = NULL, *q = NULL;
    sp_xmset *hit = NULL;
    (void)m;
    (void)i;
    *out = 0;
    spsearch_status_t st = sp_xquery_term(key, strlen(key), 1, 0, &art,
                                          &ix->err);
    if (st == SPSEARCH_OK) {
        sp_xquery *pair[2] = {(sp_xquery *)negatives, art};
        st = sp_xquery_combine(SP_XQ_FILTER, pair, 2, 0, &q, &ix->err);
    }
    sp_xsearch_opts o;
    memset(&o, 0, sizeof o);
    o.limit = 1;
    o.folded_lengths = ix->folded_lengths;
    o.collapse_slot = -1;
    o.sort_slot = -1;
    if (st == SPSEARCH_OK)
        st = sp_xdb_search(ix->db, q, &o, &hit, &ix->err);
    if (st == SPSEARCH_OK)
        *out = sp_xmset_size(hit) > 0;
    sp_xmset_free(hit);
    sp_xquery_free(q);
    sp_xquery_free(art);
    return st;
}

/* How select_hits tells which article a match is of. */
typedef enum {
    KEY_VALUE, /* its article term, a value read (a round trip on a shard) */
    KEY_DOCID, /* its article's first docid, from the passage's record, on
                * an index whose articles' passages are contiguous */
    KEY_OWN    /* none needed: Xapian gave one passage an article */
} key_mode;

/* The key of match i's article, malloc'd, as keys says. */
static spsearch_status_t article_key(spsearch_index_t *ix, sp_xmset *m,
                                     uint32_t i, raw_records *raw,
                                     key_mode keys, char **key,
                                     size_t *key_len)
{
    uint32_t docid = sp_xmset_docid(m, i);
    if (keys == KEY_VALUE)
        return sp_xdb_doc_value(ix->db, docid, SP_SLOT_ARTICLE, key, key_len,
                                &ix->err);
    uint32_t passage = 0;
    spsearch_status_t st = keys == KEY_DOCID ? record_at(ix, raw, i)
                                             : SPSEARCH_OK;
    if (st == SPSEARCH_OK && keys == KEY_DOCID)
        st = sp_record_passage(raw->data[i], raw->len[i], &passage,
                               &ix->err);
    if (st == SPSEARCH_OK && passage >= docid)
        st = sp_error_set(&ix->err, SPSEARCH_CORRUPT,
                          "passage %u of document %u: not an article's",
                          (unsigned)passage, (unsigned)docid);
    char buf[16];
    int n = snprintf(buf, sizeof buf, "#%u", (unsigned)(docid - passage));
    if (st == SPSEARCH_OK && (*key = strdup(buf)) == NULL)
        st = sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    if (st == SPSEARCH_OK)
        *key_len = (size_t)n;
    return st;
}

/* Copies of one story (a wire story in several papers, a file kept twice)
 * would fill a page with one text; an article whose best passage says
 * word for word what a better one's says is folded into that hit.  The
 * words compared are the prose, blanks collapsed, past a headline and
 * dateline (copies are retitled); a passage of fewer words than this (a
 * headline alone, a salutation) says too little to call two articles
 * copies. */
#define COPY_MIN_WORDS 20

static int is_blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* FNV-1a over the passage's words, one space between them; 0 when the
 * passage is too short to be told a copy. */
static uint64_t prose_print(const sp_record *rec)
{
    size_t len = (size_t)(rec->end - rec->start), from = 0, words = 0;
    if (rec->passage == 0) {
        size_t hs, he;
        from = sp_article_lede(rec->title, rec->text, len, &hs, &he);
    }
    uint64_t h = SP_FNV1A_INIT;
    int in_word = 0;
    for (size_t k = from; k < len; k++) {
        unsigned char c = (unsigned char)rec->text[k];
        if (is_blank_byte(c)) {
            in_word = 0;
            continue;
        }
        if (!in_word && words++ > 0)
            h = sp_fnv1a_byte(h, ' ');
        in_word = 1;
        h = sp_fnv1a_byte(h, c);
    }
    return words >= COPY_MIN_WORDS && h != 0 ? h : 0;
}

/* The bytes of a passage's end compared before its words are: most
 * passages differ there, and it is never the headline. */
#define COPY_TAIL_BYTES 32

/* FNV-1a over the last COPY_TAIL_BYTES bytes of the passage that are not
 * blanks: equal for passages whose words are. */
static uint64_t tail_print(const sp_record *rec)
{
    size_t k = (size_t)(rec->end - rec->start), got = 0;
    uint64_t h = SP_FNV1A_INIT;
    while (k > 0 && got < COPY_TAIL_BYTES) {
        unsigned char c = (unsigned char)rec->text[--k];
        if (!is_blank_byte(c)) {
            h = sp_fnv1a_byte(h, c);
            got++;
        }
    }
    return h;
}

/* Chooses the hits of the page from match set m: articles ranked in order
 * of their best passage, excluded articles left out, up to per passages
 * of each (per 0: every passage on its own), and with fold, copies folded
 * into the hit they copy.  *met: the distinct articles among all of m.
 * raw receives the records read. */
static spsearch_status_t select_hits(spsearch_index_t *ix,
                                     spsearch_results_t *res, sp_xmset *m,
                                     const sp_xquery *negatives,
                                     size_t offset, size_t limit, size_t per,
                                     int windowed, int fold, key_mode keys,
                                     raw_records *raw, size_t *met,
                                     uint32_t *scanned)
{
    uint32_t n = sp_xmset_size(m);
    res->npicks = 0;
    res->nfolds = 0;
    res->picks = n ? sp_arena_alloc(&res->arena, n * sizeof *res->picks)
                   : NULL;
    res->folds = n && fold ? sp_arena_alloc(&res->arena,
                                            n * sizeof *res->folds)
                           : NULL;
    if (n > 0 && (res->picks == NULL || (fold && res->folds == NULL)))
        return sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    if (!windowed) {
        raw_records_clear(raw);
        for (uint32_t i = 0; i < n; i++) {
            res->picks[i].i = i;
            res->picks[i].rank = offset + i + 1;
            res->picks[i].score = sp_xmset_weight(m, i);
        }
        res->npicks = n;
        res->articles = n;
        *met = n;
        *scanned = n;
        return SPSEARCH_OK;
    }
    /* The articles met so far, in rank order. */
    typedef struct seen {
        char *key;
        size_t rank; /* 0 when excluded or folded */
        size_t taken;
        uint64_t tail, print; /* of the best passage, print when printed */
        int printed;
        uint32_t first; /* the best passage's place in m */
    } seen;
    /* Excluded words are looked up by article term. */
    if (negatives != NULL || (keys == KEY_DOCID && !ix->contiguous))
        keys = KEY_VALUE;
    spsearch_status_t st = SPSEARCH_OK;
    if (keys == KEY_DOCID || fold)
        st = raw_records_renew(raw, m, &ix->err);
    else
        raw_records_clear(raw);
    if (st != SPSEARCH_OK)
        return st;
    seen *arts = malloc((n ? n : 1) * sizeof *arts);
    size_t narts = 0, ranked = 0;
    if (arts == NULL)
        return sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    /* With one passage an article, the matches past the page's last hit
     * and two more (for copies of it) need not be read: a window larger
     * than the page costs little then, and spares re-reading it larger
     * when copies fold. */
    uint32_t stop = n;
    for (uint32_t i = 0; i < stop && st == SPSEARCH_OK; i++) {
        if (per == 1 && stop == n && ranked >= offset + limit)
            stop = i + 2 < n ? i + 2 : n;
        char *key = NULL;
        size_t key_len = 0;
        st = article_key(ix, m, i, raw, keys, &key, &key_len);
        if (st != SPSEARCH_OK)
            break;
        seen *a = NULL;
        for (size_t k = 0; k < narts && per != 0; k++) {
            if (strcmp(arts[k].key, key) == 0) {
                a = &arts[k];
                break;
            }
        }
        if (a == NULL) {
            int out = 0;
            const sp_record *rec = NULL;
            uint64_t tail = 0, print = 0;
            int printed = 0;
            if (negatives != NULL)
                st = excluded(ix, m, i, negatives, key, &out);
            if (st == SPSEARCH_OK && !out && fold)
                st = decoded_at(ix, raw, i, &rec);
            if (rec != NULL)
                tail = tail_print(rec);
            /* Words are compared where the ends are alike. */
            seen *copied = NULL;
            for (size_t k = 0; k < narts && rec != NULL && !copied; k++) {
                seen *b = &arts[k];
                if (b->rank == 0 || b->tail != tail)
                    continue;
                if (!b->printed) {
                    const sp_record *brec;
                    st = decoded_at(ix, raw, b->first, &brec);
                    if (st != SPSEARCH_OK)
                        break;
                    b->print = prose_print(brec);
                    b->printed = 1;
                }
                if (!printed) {
                    print = prose_print(rec);
                    printed = 1;
                }
                if (print != 0 && b->print == print)
                    copied = b;
            }
            /* A copy of a hit of the page is listed with it. */
            if (copied != NULL && copied->rank > offset &&
                copied->rank <= offset + limit)
                res->folds[res->nfolds++] = (copy_fold){copied->first, i};
            a = &arts[narts++];
            a->key = key;
            key = NULL;
            a->rank = out || copied ? 0 : ++ranked;
            a->taken = 0;
            a->tail = copied ? 0 : tail;
            a->print = print;
            a->printed = printed;
            a->first = i;
        }
        free(key);
        if (st != SPSEARCH_OK || a->rank == 0)
            continue;
        if (a->rank > offset && a->rank <= offset + limit &&
            a->taken < (per > 1 ? per : 1)) {
            res->picks[res->npicks].i = i;
            res->picks[res->npicks].rank = a->rank;
            res->picks[res->npicks].score = sp_xmset_weight(m, i);
            res->npicks++;
            a->taken++;
        }
    }
    /* Group each article's passages together, in article rank order. */
    for (size_t x = 1; x < res->npicks; x++) {
        pick p = res->picks[x];
        size_t y = x;
        while (y > 0 && res->picks[y - 1].rank > p.rank) {
            res->picks[y] = res->picks[y - 1];
            y--;
        }
        res->picks[y] = p;
    }
    for (size_t k = 0; k < narts; k++)
        free(arts[k].key);
    *met = narts;
    *scanned = stop;
    free(arts);
    res->articles = 0;
    for (size_t k = 0; k < res->npicks; k++)
        res->articles += k == 0 || res->picks[k].rank != res->picks[k - 1].rank;
    return st;
}

/* Gives hit h, of match i, the copies folded into it, in rank order,
 * their paths and ids from the records raw holds. */
static spsearch_status_t attach_copies(spsearch_index_t *ix,
                                       spsearch_results_t *res,
                                       raw_records *raw, uint32_t i,
                                       spsearch_hit_t *h)
{
    size_t n = 0;
    for (size_t f = 0; f < res->nfolds; f++)
        n += res->folds[f].owner == i;
    if (n == 0)
        return SPSEARCH_OK;
    copy_of *mine = sp_arena_alloc(&res->arena, n * sizeof *mine);
    if (mine == NULL)
        return sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    h->copies = mine;
    for (size_t f = 0; f < res->nfolds; f++) {
        if (res->folds[f].owner != i)
            continue;
        const sp_record *rec;
        spsearch_status_t st = decoded_at(ix, raw, res->folds[f].copy, &rec);
        if (st != SPSEARCH_OK)
            return st;
        copy_of *c = &mine[h->ncopies++];
        c->path = sp_arena_strndup(&res->arena, rec->path, strlen(rec->path));
        c->id = rec->id[0] ? sp_arena_strndup(&res->arena, rec->id,
                                              strlen(rec->id))
                           : NULL;
        if (c->path == NULL || (rec->id[0] && c->id == NULL))
            return sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    }
    return SPSEARCH_OK;
}

/* The articles matching, from a window of passages not collapsed by
 * Xapian (of at most limit) whose first scanned held met distinct
 * articles: exact when every matching passage was scanned, else the
 * matching passages (Xapian's estimate when the window is full) scaled by
 * the share of distinct articles among those scanned. */
static size_t unique_estimate(const sp_xmset *m, uint32_t limit, size_t met,
                              uint32_t scanned)
{
    uint32_t n = sp_xmset_size(m);
    if (n == 0 || (n < limit && scanned >= n))
        return met;
    double passages = n < limit ? n : (double)sp_xmset_estimate(m);
    size_t scaled = (size_t)(passages * met / (scanned ? scanned : 1) + 0.5);
    return scaled > met ? scaled : met;
}

typedef struct explain_buf {
    sp_buf b;
    int failed;
} explain_buf;

static int on_explained(void *ctx, const char *term, size_t len, uint32_t wdf,
                        int estimated, double max_weight)
{
    explain_buf *e = ctx;
    char line[96];
    const char *label = "";
    size_t skip = 0;
    if (len > 2 && term[0] == 'X' && term[1] == 'A') {
        label = "acronym ";
        skip = 2;
    } else if (len > 2 && term[0] == 'X' && term[1] == 'P') {
        label = "pair ";
        skip = 2;
    } else if (len > 1 && term[0] == 'E') {
        label = "exact ";
        skip = 1;
    } else if (len > 1 && term[0] == 'S') {
        label = "title ";
        skip = 1;
    }
    char weight[32] = "of a word*";
    if (max_weight >= 0)
        snprintf(weight, sizeof weight, "up to %.3f", max_weight);
    int n = snprintf(line, sizeof line, "%s%s%.*s x%s%u (%s)",
                     e->b.len ? ", " : "", label,
                     (int)(len - skip > 40 ? 40 : len - skip), term + skip,
                     estimated ? "~" : "", wdf, weight);
    if (sp_buf_append(&e->b, line, (size_t)n, NULL) != SPSEARCH_OK)
        e->failed = 1;
    return e->failed;
}

/* "score S, passage P: matched t1 xW (up to M), ..." */
static spsearch_status_t explain_hit(spsearch_index_t *ix,
                                     spsearch_results_t *res, sp_xmset *m,
                                     uint32_t i, const char *const *wildcards,
                                     size_t nwildcards, spsearch_hit_t *h)
{
    explain_buf e = {{0}, 0};
    spsearch_status_t st = sp_xmset_explain(m, i, wildcards, nwildcards,
                                            on_explained, &e, &ix->err);
    if (st == SPSEARCH_OK && e.failed)
        st = sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    if (st == SPSEARCH_OK) {
        char head[96];
        int n = snprintf(head, sizeof head,
                         "score %.3f (BM25 of passage %zu; words together "
                         "and title words add to it): matched ",
                         h->score, h->passage);
        size_t total = (size_t)n + e.b.len;
        char *s = sp_arena_alloc(&res->arena, total + 1);
        if (s == NULL) {
            st = sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
        } else {
            memcpy(s, head, (size_t)n);
            if (e.b.len)
                memcpy(s + n, e.b.data, e.b.len);
            s[total] = '\0';
            h->explain = s;
        }
    }
    sp_buf_free(&e.b);
    return st;
}

/* The term prefixes of the query's word* (stems and exact forms in the
 * text and, for the title bonus, titles), for --explain. */
static spsearch_status_t wildcard_prefixes(sp_arena *arena,
                                           const sp_hl_pattern *pats,
                                           size_t npats, const char ***out,
                                           size_t *n, sp_error *err)
{
    *out = NULL;
    *n = 0;
    size_t want = 0;
    for (size_t k = 0; k < npats; k++)
        want += pats[k].prefix ? 3 : 0;
    if (want == 0)
        return SPSEARCH_OK;
    const char **v = sp_arena_alloc(arena, want * sizeof *v);
    if (v == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    size_t got = 0;
    for (size_t k = 0; k < npats; k++) {
        if (!pats[k].prefix)
            continue;
        v[got++] = pats[k].terms[0];
        const char *fields[2] = {SP_PREFIX_EXACT, SP_PREFIX_TITLE};
        for (size_t f = 0; f < 2; f++) {
            char *t = sp_arena_concat(arena, fields[f], pats[k].terms[0]);
            if (t == NULL)
                return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
            v[got++] = t;
        }
    }
    *out = v;
    *n = got;
    return SPSEARCH_OK;
}

/* Days since 1970 of a "YYYY-MM-DD" date (proleptic Gregorian), or -1. */
static long days_of(const char *d)
{
    if (d == NULL || strlen(d) != 10)
        return -1;
    long y = atol(d), m = atol(d + 5), day = atol(d + 8);
    if (m < 1 || m > 12 || day < 1)
        return -1;
    /* Howard Hinnant's days_from_civil, in our own words: count from
     * March so that the leap day ends the year. */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int cmp_pick_score(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The day of match i's date, -1 when it has none. */
static spsearch_status_t day_of_match(spsearch_index_t *ix, sp_xmset *m,
                                      uint32_t i, long *day)
{
    char *date = NULL;
    size_t len = 0;
    spsearch_status_t st = sp_xdb_doc_value(ix->db, sp_xmset_docid(m, i),
                                            SP_SLOT_DATE, &date, &len,
                                            &ix->err);
    *day = st == SPSEARCH_OK ? days_of(date) : -1;
    free(date);
    return st;
}

/* Weighs each picked article by how recent it is, 2^(-age / half_life),
 * its age in days counted back from the newest article of the window (so
 * that an archive's own newest articles keep their scores; undated ones
 * count as the oldest), ranks again, and keeps the page.  An article is
 * as recent as its newest copy folded into it: a story printed again
 * this week is this week's news. */
static spsearch_status_t rerank_recent(spsearch_index_t *ix,
                                       spsearch_results_t *res, sp_xmset *m,
                                       double half_life, size_t offset,
                                       size_t limit)
{
    long *day = malloc((res->npicks ? res->npicks : 1) * sizeof *day);
    long newest = -1, oldest = -1;
    if (day == NULL)
        return sp_error_set(&ix->err, SPSEARCH_NOMEM, "out of memory");
    for (size_t k = 0; k < res->npicks; k++) {
        spsearch_status_t st = day_of_match(ix, m, res->picks[k].i, &day[k]);
        for (size_t f = 0; f < res->nfolds && st == SPSEARCH_OK; f++) {
            long copy_day;
            if (res->folds[f].owner != res->picks[k].i)
                continue;
            st = day_of_match(ix, m, res->folds[f].copy, &copy_day);
            if (st == SPSEARCH_OK && copy_day > day[k])
                day[k] = copy_day;
        }
        if (st != SPSEARCH_OK) {
            free(day);
            return st;
        }
        if (day[k] >= 0 && day[k] > newest)
            newest = day[k];
        if (day[k] >= 0 && (oldest < 0 || day[k] < oldest))
            oldest = day[k];
    }
    for (size_t k = 0; k < res->npicks; k++) {
        long d = day[k] >= 0 ? day[k] : oldest;
        if (d >= 0)
            res->picks[k].score *= pow(2.0, -(double)(newest - d) / half_life);
    }
    free(day);
    qsort(res->picks, res->npicks, sizeof *res->picks, cmp_pick_score);
    size_t kept = 0;
    for (size_t k = 0; k < res->npicks; k++) {
        size_t rank = k + 1;
        if (rank > offset && rank <= offset + limit) {
            res->picks[kept] = res->picks[k];
            res->picks[kept].rank = rank;
            kept++;
        }
    }
    res->npicks = kept;
    res->articles = kept;
    return SPSEARCH_OK;
}

typedef struct syn_ctx {
    spsearch_index_t *ix;
    sp_arena *arena;
    spsearch_status_t st;
} syn_ctx;

/* A synonym from the index: learned acronyms and spindex --synonyms. */
static const char *lookup_synonym(void *vctx, const char *key)
{
    syn_ctx *c = vctx;
    char *val = NULL;
    size_t len = 0;
    if (c->st != SPSEARCH_OK)
        return NULL;
    c->st = sp_xdb_get_metadata(c->ix->db, key, &val, &len, &c->ix->err);
    if (c->st != SPSEARCH_OK || val == NULL)
        return NULL;
    char *copy = sp_arena_strndup(c->arena, val, len);
    free(val);
    if (copy == NULL)
        c->st = sp_error_set(&c->ix->err, SPSEARCH_NOMEM, "out of memory");
    return copy;
}

/* The index's terms under a prefix, for the forms a word* adds. */
static spsearch_status_t list_terms(void *ctx, const char *prefix,
                                    sp_xdb_term_fn fn, void *fn_ctx,
                                    sp_error *err)
{
    return sp_xdb_terms(ctx, prefix, fn, fn_ctx, err);
}

/* One search, on the revision the handle reads now. */
static spsearch_status_t search_once(spsearch_index_t *index,
                                     const char *query,
                                     const spsearch_options_t *options,
                                     spsearch_results_t **results)
{
    spsearch_options_t defaults;
    if (query == NULL)
        return sp_error_set(&index->err, SPSEARCH_INVALID, "no query given");
    if (options == NULL) {
        memset(&defaults, 0, sizeof defaults);
        defaults.limit = 10;
        defaults.per_article = 1;
        options = &defaults;
    }
    size_t offset = options->offset, limit = options->limit;
    sp_analyzer *an = index->an;
    const char *lang = options->lang[0] ? options->lang : QUERY_LANG;
    spsearch_results_t *res = calloc(1, sizeof *res);
    if (res == NULL)
        return sp_error_set(&index->err, SPSEARCH_NOMEM, "out of memory");

    sp_qnode *root = NULL;
    sp_xquery *xq = NULL;
    sp_xmset *mset = NULL;
    sp_hl_pattern *pats = NULL;
    size_t npats = 0;
    int any_differs = 0;
    spsearch_status_t st = sp_query_parse(&res->arena, an, lang, query,
                                          &root, &index->err_offset,
                                          &index->err);
    syn_ctx syn = {index, &res->arena, SPSEARCH_OK};
    if (st == SPSEARCH_OK)
        st = sp_query_add_synonyms(&res->arena, an, lang, root, lookup_synonym,
                                   &syn, &index->err);
    if (st == SPSEARCH_OK)
        st = syn.st;
    if (st == SPSEARCH_OK)
        st = sp_query_add_forms(&res->arena, an, lang, root, list_terms,
                                index->db, &index->err);
    size_t per = options->per_article;
    sp_xquery *negatives = NULL;
    if (st == SPSEARCH_OK)
        st = sp_query_negatives(root, &negatives, &index->err);
    /* Excluded words exclude articles, and N passages per article need
     * grouping: both read a window from the top.  The plain case reads
     * just the page. */
    /* Favouring recent articles reranks a window of the best ones. */
    int recency = options->half_life > 0 &&
                  options->sort == SPSEARCH_SORT_RELEVANCE && per == 1;
    int windowed = negatives != NULL || per > 1 || recency;
    res->query = sp_arena_strndup(&res->arena, query, strlen(query));
    if (res->query == NULL && st == SPSEARCH_OK)
        st = sp_error_set(&index->err, SPSEARCH_NOMEM, "out of memory");
    size_t want = offset + limit;
    /* One passage per article on one local index: Xapian's collapsing
     * reads the article key of every passage it considers, a random value
     * lookup each (0.4-0.6 ms of a median query on the 100 MB corpus), so
     * a window of the best passages comes uncollapsed, a few more than
     * the page, and select_hits keeps each article's first, reading the
     * keys of the window only.
     * Shards keep Xapian's collapsing: a key there is a round trip.
     * --count needs every match examined anyway. */
    int unique = !windowed && per == 1 && !options->exact_count &&
                 want <= UNIQUE_PAGE_MAX && !sp_xdb_is_stub(index->db);
    /* Else Xapian collapses to one passage an article (or, for --passages,
     * each is its own hit): no key to read but for N an article. */
    key_mode keys = unique ? KEY_DOCID : per <= 1 ? KEY_OWN : KEY_VALUE;
    /* Folding copies reads from the top too, so that a page follows the
     * one before it; there the spare passages are for copies. */
    int fold = !options->duplicates;
    size_t window = windowed ? want * (per > 1 ? per : 1) * 2 + 8 : limit;
    /* The best passages are mostly of distinct articles: on the bench
     * queries, 3 in 1,000 needed more than two spare ones (then the
     * window grows).  Copies take more: on the 100 MB bench corpus 1 query
     * in 6 folds some, and 8 spare passages (read only as far as the page
     * needs) keep most of those from reading the window again, which cost
     * its p99 a quarter. */
    if (unique || (fold && !windowed))
        window = fold ? want + 8 : want + 2;
    windowed = windowed || (fold && !unique);
    if (recency && window < RECENCY_WINDOW)
        window = RECENCY_WINDOW;
    size_t met = 0;       /* distinct articles in the last window */
    uint32_t scanned = 0; /* of its passages, the first scanned */
    /* --count with excluded words: an article is out when any of its
     * passages has one, which a passage's match cannot say, so the
     * articles are counted apart. */
    int count_apart = options->exact_count && negatives != NULL;
    uint32_t counted = 0;
    raw_records raw;
    memset(&raw, 0, sizeof raw);
    sp_xsearch_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.offset = windowed || unique ? 0 : (uint32_t)offset;
    opts.limit = (uint32_t)window;
    opts.folded_lengths = index->folded_lengths;
    opts.collapse_slot = per == 0 || unique ? -1 : SP_SLOT_ARTICLE;
    opts.collapse_max = per > 1 ? (uint32_t)per : 1;
    opts.sort_slot = options->sort == SPSEARCH_SORT_RELEVANCE ? -1
                     : options->sort == SPSEARCH_SORT_NEWEST ? SP_SLOT_DATE
                                                             : SP_SLOT_OLDEST;
    opts.sort_descending = options->sort == SPSEARCH_SORT_NEWEST;
    opts.check_at_least = options->exact_count ? UINT32_MAX / 2
                                               : CHECK_AT_LEAST;
    /* All words first; when no article has them all, any of them. */
    for (int all = 1; all >= 0 && st == SPSEARCH_OK; all--) {
        st = sp_query_build(root, all, index->pairs, &xq, &any_differs,
                            &index->err);
        if (st == SPSEARCH_OK)
            st = filter_dates(options, &xq, &index->err);
        if (st == SPSEARCH_OK)
            st = filter_unlike(options, &xq, &index->err);
        for (int grow = 0; st == SPSEARCH_OK; grow++) {
            sp_xmset_free(mset);
            mset = NULL;
            st = sp_xdb_search(index->db, xq, &opts, &mset, &index->err);
            if (st == SPSEARCH_OK)
                st = recency
                         ? select_hits(index, res, mset, negatives, 0, window,
                                       per, windowed, fold, keys, &raw, &met,
                                       &scanned)
                         : select_hits(index, res, mset, negatives, offset,
                                       limit, per, windowed || unique, fold,
                                       keys, &raw, &met, &scanned);
            if (st == SPSEARCH_OK && recency)
                st = rerank_recent(index, res, mset, options->half_life,
                                   offset, limit);
            /* A window that was full but gave too few articles (excluded
             * ones, grouped passages, passages of the same articles) is
             * read again, larger. */
            if (st != SPSEARCH_OK || !(windowed || unique) ||
                res->articles >= limit || sp_xmset_size(mset) < opts.limit ||
                grow >= 6)
                break;
            opts.limit *= 4;
        }
        if (st == SPSEARCH_OK && count_apart)
            st = sp_xdb_count_distinct(index->db, xq, negatives,
                                       SP_SLOT_ARTICLE, &counted,
                                       &index->err);
        sp_xquery_free(xq);
        xq = NULL;
        res->loosened = !all;
        if (st != SPSEARCH_OK || sp_xmset_estimate(mset) > 0 || !any_differs)
            break;
    }
    sp_xquery_free(negatives);
    /* What to highlight is what the kept pass searched. */
    if (st == SPSEARCH_OK)
        st = sp_query_patterns(&res->arena, root, res->loosened, &pats,
                               &npats, &index->err);
    if (st == SPSEARCH_OK) {
        uint32_t n = (uint32_t)res->npicks;
        /* Counting checked every match, but Xapian 1.4 may still give a
         * rounded estimate between looser bounds (an OR whose branches
         * overlap, such as a word and its exact form): the lower bound is
         * then the count. */
        res->estimate = count_apart ? counted
                        : unique ? unique_estimate(mset, opts.limit, met,
                                                   scanned)
                        : options->exact_count ? sp_xmset_lower_bound(mset)
                                               : sp_xmset_estimate(mset);
        if (n > 0) {
            res->hits = sp_arena_alloc(&res->arena, n * sizeof *res->hits);
            if (res->hits == NULL)
                st = sp_error_set(&index->err, SPSEARCH_NOMEM,
                                  "out of memory");
        }
        const char **wildcards = NULL;
        size_t nwildcards = 0;
        if (st == SPSEARCH_OK && options->explain && n > 0)
            st = wildcard_prefixes(&res->arena, pats, npats, &wildcards,
                                   &nwildcards, &index->err);
        for (uint32_t k = 0; k < n && st == SPSEARCH_OK; k++) {
            spsearch_hit_t *h = &res->hits[k];
            uint32_t i = res->picks[k].i;
            memset(h, 0, sizeof *h);
            h->rank = res->picks[k].rank;
            h->score = res->picks[k].score;
            st = make_hit(index, res, i, sp_xmset_docid(mset, i), &raw, lang,
                          pats, npats, h);
            if (st == SPSEARCH_OK && options->explain)
                st = explain_hit(index, res, mset, i, wildcards, nwildcards,
                                 h);
            if (st == SPSEARCH_OK && res->nfolds > 0 &&
                (k == 0 || res->picks[k - 1].rank != h->rank))
                st = attach_copies(index, res, &raw, i, h);
            if (st == SPSEARCH_OK)
                res->n++;
        }
    }
    raw_records_clear(&raw);
    sp_xmset_free(mset);
    char *suggestion = NULL;
    if (st == SPSEARCH_OK)
        st = sp_suggest(&res->arena, index->db, query, root, &suggestion,
                        &index->err);
    res->suggestion = suggestion;
    if (st == SPSEARCH_OK && suggestion != NULL && res->n == 0 &&
        options->correct) {
        /* Nothing found: the corrected query's results, which say so. */
        spsearch_options_t again = *options;
        spsearch_results_t *better = NULL;
        again.correct = 0;
        st = search_once(index, suggestion, &again, &better);
        if (st == SPSEARCH_OK) {
            better->suggestion = sp_arena_strndup(&better->arena, suggestion,
                                                  strlen(suggestion));
            better->corrected = 1;
            if (better->suggestion == NULL) {
                spsearch_results_free(better);
                better = NULL;
                st = sp_error_set(&index->err, SPSEARCH_NOMEM,
                                  "out of memory");
            }
        }
        spsearch_results_free(res);
        res = better;
        if (st == SPSEARCH_OK) {
            *results = res;
            return SPSEARCH_OK;
        }
        return st;
    }
    if (st != SPSEARCH_OK) {
        if (index->err.msg[0] == '\0')
            sp_error_set(&index->err, st, "%s", spsearch_status_string(st));
        spsearch_results_free(res);
        return st;
    }
    *results = res;
    return SPSEARCH_OK;
}

/* A search that a writer's commits overtook runs again (see catch_up). */
#define SEARCH_ATTEMPTS 3

spsearch_status_t spsearch_search_with(spsearch_index_t *index,
                                       const char *query,
                                       const spsearch_options_t *options,
                                       spsearch_results_t **results)
{
    if (results != NULL)
        *results = NULL;
    if (index == NULL || results == NULL)
        return SPSEARCH_INVALID;
    spsearch_status_t st = SPSEARCH_OK;
    for (int attempt = 1;; attempt++) {
        sp_error_clear(&index->err);
        index->err_offset = -1;
        st = catch_up(index);
        if (st == SPSEARCH_OK)
            st = search_once(index, query, options, results);
        if (st != SPSEARCH_MODIFIED || attempt == SEARCH_ATTEMPTS)
            return st;
    }
}

/* More like this: an article's most telling words, searched.  Its words
 * are analysed as a query's are, each stem weighed by tf-idf over the
 * passages, tf ln(N / df) (as Lucene's MoreLikeThis: a word the article
 * repeats says more than one it uses once), and the best LIKE_WORDS
 * become an OR of their forms as written.  Computed from the stored
 * text, not Xapian's term lists, which a compacted copy and remote shards
 * do not give. */
#define LIKE_WORDS 12
/* Passages of the article read: a long one says what it is about in its
 * first pages. */
#define LIKE_PASSAGES 64

typedef struct like_word {
    char *stem, *form; /* malloc'd; form the first as written */
    uint32_t tf;
    double weight;
} like_word;

typedef struct like_words {
    like_word *w; /* open addressing on the stem's hash */
    size_t cap, n;
    int failed;
} like_words;

/* Whether a token can stand for the article: a plain word, not a number,
 * a function word or a part of a compound, whose form the query parser
 * reads back as the same word. */
static int like_token(const sp_token *t)
{
    if (t->flags & (SP_TOK_PART | SP_TOK_JOINED | SP_TOK_NUMBER |
                    SP_TOK_IDEO) ||
        t->term_len < 3 || sp_pair_word(t->term, t->term_len))
        return 0;
    for (size_t k = 0; k < t->exact_len; k++) {
        unsigned char c = (unsigned char)t->exact[k];
        if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}

static int like_grow(like_words *ws)
{
    size_t cap = ws->cap ? ws->cap * 2 : 256;
    like_word *w = calloc(cap, sizeof *w);
    if (w == NULL)
        return -1;
    for (size_t k = 0; k < ws->cap; k++) {
        if (ws->w[k].stem == NULL)
            continue;
        size_t at = sp_fnv1a(ws->w[k].stem, strlen(ws->w[k].stem)) & (cap - 1);
        while (w[at].stem != NULL)
            at = (at + 1) & (cap - 1);
        w[at] = ws->w[k];
    }
    free(ws->w);
    ws->w = w;
    ws->cap = cap;
    return 0;
}

static int on_like_token(void *ctx, const sp_token *t)
{
    like_words *ws = ctx;
    if (!like_token(t))
        return 0;
    if (2 * (ws->n + 1) > ws->cap && like_grow(ws) != 0) {
        ws->failed = 1;
        return 1;
    }
    size_t at = sp_fnv1a(t->term, t->term_len) & (ws->cap - 1);
    while (ws->w[at].stem != NULL &&
           (strncmp(ws->w[at].stem, t->term, t->term_len) != 0 ||
            ws->w[at].stem[t->term_len] != '\0'))
        at = (at + 1) & (ws->cap - 1);
    like_word *w = &ws->w[at];
    if (w->stem == NULL) {
        w->stem = strndup(t->term, t->term_len);
        w->form = strndup(t->exact, t->exact_len);
        if (w->stem == NULL || w->form == NULL) {
            free(w->stem);
            free(w->form);
            w->stem = w->form = NULL;
            ws->failed = 1;
            return 1;
        }
        ws->n++;
    }
    w->tf++;
    return 0;
}

static void like_words_free(like_words *ws)
{
    for (size_t k = 0; k < ws->cap; k++) {
        free(ws->w[k].stem);
        free(ws->w[k].form);
    }
    free(ws->w);
}

static int by_weight(const void *a, const void *b)
{
    const like_word *x = a, *y = b;
    if (x->stem == NULL || y->stem == NULL)
        return (x->stem == NULL) - (y->stem == NULL);
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return strcmp(x->stem, y->stem);
}

/* The language the words of an article were read in, for searching them
 * in it: "" for the analyzer's default. */
typedef char like_lang[sizeof ((spsearch_options_t *)0)->lang];

static void like_lang_set(like_lang used, const char *lang)
{
    snprintf(used, sizeof(like_lang), "%s", lang ? lang : "");
}

/* Counts the words of the article of passages docids[0..n) into ws, in
 * lang, or when lang is NULL in the one detected in its text as spindex
 * detects it (into used). */
static spsearch_status_t like_from_records(spsearch_index_t *index,
                                           const uint32_t *docids, size_t n,
                                           const char *lang, like_words *ws,
                                           like_lang used)
{
    spsearch_status_t st = SPSEARCH_OK;
    sp_buf text = {NULL, 0, 0};
    for (size_t k = 0; k < n && k < LIKE_PASSAGES && st == SPSEARCH_OK; k++) {
        char *data = NULL, *storage = NULL;
        size_t len = 0;
        sp_record rec;
        st = sp_xdb_doc_record(index->db, docids[k], SP_SLOT_RECORD, &data,
                               &len, &index->err);
        if (st == SPSEARCH_OK)
            st = sp_record_decode_with(data, len, index->inflater,
                                       index->dict, index->dict_len,
                                       index->dict_id, &rec, &storage,
                                       &index->err);
        if (st == SPSEARCH_OK && text.len > 0)
            st = sp_buf_append(&text, "\n\n", 2, &index->err);
        if (st == SPSEARCH_OK)
            st = sp_buf_append(&text, rec.text, (size_t)(rec.end - rec.start),
                               &index->err);
        free(data);
        free(storage);
    }
    if (st == SPSEARCH_OK && text.len > 0) {
        if (lang == NULL)
            lang = sp_analyzer_detect_lang(text.data, text.len);
        like_lang_set(used, lang);
        st = sp_analyzer_run(index->an, text.data, text.len, lang, 1,
                             on_like_token, ws, NULL, &index->err);
    }
    if (st == SPSEARCH_OK && ws->failed)
        st = sp_error_set(&index->err, SPSEARCH_NOMEM, "out of memory");
    sp_buf_free(&text);
    return st;
}

/* Bytes of a file not in the index read for its words, as LIKE_PASSAGES
 * passages are of one in it. */
#define LIKE_TEXT_MAX (64 * 1024)

typedef struct like_file {
    spsearch_index_t *index;
    const char *id, *lang; /* lang NULL: each article's own */
    like_words *ws;
    size_t read;  /* bytes analysed */
    int articles; /* articles of the file analysed */
    char *used;   /* the first one's language */
} like_file;

static spsearch_status_t on_like_article(void *ctx, const sp_article_in *a)
{
    like_file *f = ctx;
    if ((f->id != NULL && strcmp(a->id, f->id) != 0) ||
        f->read >= LIKE_TEXT_MAX)
        return SPSEARCH_OK;
    size_t len = a->len < LIKE_TEXT_MAX - f->read ? a->len
                                                   : LIKE_TEXT_MAX - f->read;
    f->read += len;
    const char *lang = sp_article_in_lang(a, f->lang);
    if (f->articles++ == 0)
        like_lang_set(f->used, lang);
    spsearch_status_t st = sp_analyzer_run(f->index->an, a->text, len, lang,
                                           1, on_like_token, f->ws, NULL,
                                           &f->index->err);
    if (st == SPSEARCH_OK && f->ws->failed)
        st = sp_error_set(&f->index->err, SPSEARCH_NOMEM, "out of memory");
    return st;
}

/* Counts the words of the file at path, an article not in the index
 * (read as spindex reads files), or of its article id, into ws. */
static spsearch_status_t like_from_file(spsearch_index_t *index,
                                        const char *path, const char *id,
                                        const char *name, const char *lang,
                                        like_words *ws, like_lang used)
{
    like_file f = {index, id, lang, ws, 0, 0, used};
    sp_error read_err;
    sp_error_clear(&read_err);
    spsearch_status_t st = sp_read_file(path, on_like_article, NULL, &f,
                                        &read_err);
    if (st == SPSEARCH_BAD_INPUT)
        return sp_error_set(&index->err, SPSEARCH_BAD_QUERY,
                            "no article %s in the index, nor a file to read "
                            "(%s)",
                            name, read_err.msg);
    if (st == SPSEARCH_OK && f.articles == 0)
        st = sp_error_set(&index->err, SPSEARCH_BAD_QUERY,
                          "no article %s in the index or in the file", name);
    return st;
}

/* The query of the words in ws: the best, " OR " between them, malloc'd
 * in *query; NULL when there are none. */
static spsearch_status_t like_query(spsearch_index_t *index, like_words *ws,
                                    char **query)
{
    spsearch_status_t st = SPSEARCH_OK;
    *query = NULL;
    uint32_t passages = 0;
    if (st == SPSEARCH_OK)
        st = sp_xdb_doc_count(index->db, &passages, &index->err);
    for (size_t k = 0; k < ws->cap && st == SPSEARCH_OK; k++) {
        like_word *w = &ws->w[k];
        uint32_t df = 0;
        if (w->stem == NULL)
            continue;
        st = sp_xdb_term_freq(index->db, w->stem, &df, &index->err);
        /* A stem no passage has (the article was stemmed in another
         * language) would find nothing. */
        w->weight = df == 0 ? -1.0
                            : w->tf * log(((double)passages + 1.0) / df);
    }
    if (st == SPSEARCH_OK && ws->n > 0) {
        qsort(ws->w, ws->cap, sizeof *ws->w, by_weight);
        sp_buf q = {NULL, 0, 0};
        for (size_t k = 0; k < LIKE_WORDS && k < ws->n && st == SPSEARCH_OK;
             k++) {
            if (ws->w[k].weight <= 0)
                break;
            if (q.len > 0)
                st = sp_buf_append(&q, " OR ", 4, &index->err);
            if (st == SPSEARCH_OK)
                st = sp_buf_append(&q, ws->w[k].form, strlen(ws->w[k].form),
                                   &index->err);
        }
        if (st == SPSEARCH_OK && q.len > 0)
            st = sp_buf_append(&q, "", 1, &index->err);
        if (st == SPSEARCH_OK && q.len > 0)
            *query = q.data;
        else
            free(q.data);
    }
    return st;
}

spsearch_status_t spsearch_search_like(spsearch_index_t *index,
                                       const char *path, const char *id,
                                       const spsearch_options_t *options,
                                       spsearch_results_t **results)
{
    if (results != NULL)
        *results = NULL;
    if (index == NULL || results == NULL || path == NULL)
        return SPSEARCH_INVALID;
    spsearch_options_t opts;
    if (options != NULL) {
        opts = *options;
    } else {
        memset(&opts, 0, sizeof opts);
        opts.limit = 10;
        opts.per_article = 1;
    }
    /* Unless told, the article's words are read, and searched for, in
     * its own language, as spindex indexed it. */
    const char *lang = opts.lang[0] ? opts.lang : NULL;
    size_t plen = strlen(path), idlen = id ? strlen(id) : 0;
    char *name = malloc(plen + idlen + 2);
    if (name == NULL)
        return sp_error_set(&index->err, SPSEARCH_NOMEM, "out of memory");
    snprintf(name, plen + idlen + 2, "%s%s%s", path, id ? "#" : "",
             id ? id : "");
    char term[SP_HASHED_TERM_MAX];
    sp_hashed_term(term, sizeof term, SP_PREFIX_ARTICLE, name, strlen(name));
    spsearch_status_t st = SPSEARCH_OK;
    for (int attempt = 1;; attempt++) {
        uint32_t *docids = NULL;
        size_t n = 0;
        char *query = NULL;
        sp_error_clear(&index->err);
        index->err_offset = -1;
        st = catch_up(index);
        if (st == SPSEARCH_OK)
            st = sp_xdb_term_docids(index->db, term, &docids, &n,
                                    &index->err);
        like_words ws = {NULL, 0, 0, 0};
        like_lang used = "";
        if (st == SPSEARCH_OK)
            st = n > 0 ? like_from_records(index, docids, n, lang, &ws, used)
                       : like_from_file(index, path, id, name, lang, &ws,
                                        used);
        if (st == SPSEARCH_OK && lang == NULL && used[0] != '\0' &&
            spsearch_options_set_lang(&opts, used) == SPSEARCH_NOMEM)
            st = sp_error_set(&index->err, SPSEARCH_NOMEM, "out of memory");
        if (st == SPSEARCH_OK)
            st = like_query(index, &ws, &query);
        like_words_free(&ws);
        if (st == SPSEARCH_OK && query == NULL)
            st = sp_error_set(&index->err, SPSEARCH_BAD_QUERY,
                              "%s has no words to search for", name);
        if (st == SPSEARCH_OK) {
            if (n > 0)
                memcpy(opts.unlike, term, sizeof term);
            st = search_once(index, query, &opts, results);
        }
        free(query);
        free(docids);
        if (st != SPSEARCH_MODIFIED || attempt == SEARCH_ATTEMPTS)
            break;
    }
    free(name);
    return st;
}

const char *spsearch_results_query(const spsearch_results_t *results)
{
    return results != NULL ? results->query : NULL;
}

size_t spsearch_results_estimate(const spsearch_results_t *results)
{
    return results != NULL ? results->estimate : 0;
}

const char *spsearch_results_suggestion(const spsearch_results_t *results)
{
    return results != NULL ? results->suggestion : NULL;
}

int spsearch_results_corrected(const spsearch_results_t *results)
{
    return results != NULL ? results->corrected : 0;
}

int spsearch_results_loosened(const spsearch_results_t *results)
{
    return results != NULL ? results->loosened : 0;
}

spsearch_status_t spsearch_results_next(spsearch_results_t *results,
                                        const spsearch_hit_t **hit)
{
    if (hit != NULL)
        *hit = NULL;
    if (results == NULL || hit == NULL)
        return SPSEARCH_INVALID;
    if (results->next < results->n)
        *hit = &results->hits[results->next++];
    return SPSEARCH_OK;
}

void spsearch_results_free(spsearch_results_t *results)
{
    if (results == NULL)
        return;
    sp_arena_free(&results->arena);
    free(results);
}

size_t spsearch_hit_rank(const spsearch_hit_t *hit)
{
    return hit ? hit->rank : 0;
}

double spsearch_hit_score(const spsearch_hit_t *hit)
{
    return hit ? hit->score : 0.0;
}

const char *spsearch_hit_path(const spsearch_hit_t *hit)
{
    return hit ? hit->path : NULL;
}

const char *spsearch_hit_title(const spsearch_hit_t *hit)
{
    return hit ? hit->title : NULL;
}

const char *spsearch_hit_date(const spsearch_hit_t *hit)
{
    return hit ? hit->date : NULL;
}

const char *spsearch_hit_id(const spsearch_hit_t *hit)
{
    return hit ? hit->id : NULL;
}

const char *spsearch_hit_url(const spsearch_hit_t *hit)
{
    return hit ? hit->url : NULL;
}

const char *spsearch_hit_author(const spsearch_hit_t *hit)
{
    return hit ? hit->author : NULL;
}

const char *spsearch_hit_source(const spsearch_hit_t *hit)
{
    return hit ? hit->source : NULL;
}

const char *spsearch_hit_passage_text(const spsearch_hit_t *hit, size_t *len)
{
    if (len != NULL)
        *len = hit ? hit->text_len : 0;
    return hit ? hit->text : NULL;
}

size_t spsearch_hit_passage_start(const spsearch_hit_t *hit)
{
    return hit ? hit->start : 0;
}

size_t spsearch_hit_passage_end(const spsearch_hit_t *hit)
{
    return hit ? hit->end : 0;
}

size_t spsearch_hit_passage_number(const spsearch_hit_t *hit)
{
    return hit ? hit->passage : 0;
}

size_t spsearch_hit_lede(const spsearch_hit_t *hit, size_t *headline_start,
                         size_t *headline_end)
{
    if (headline_start != NULL)
        *headline_start = hit ? hit->headline_start : 0;
    if (headline_end != NULL)
        *headline_end = hit ? hit->headline_end : 0;
    return hit ? hit->lede : 0;
}

size_t spsearch_hit_copies(const spsearch_hit_t *hit)
{
    return hit ? hit->ncopies : 0;
}

const char *spsearch_hit_copy(const spsearch_hit_t *hit, size_t k,
                              const char **id)
{
    const copy_of *c = hit && k < hit->ncopies ? &hit->copies[k] : NULL;
    if (id != NULL)
        *id = c ? c->id : NULL;
    return c ? c->path : NULL;
}

const char *spsearch_hit_explain(const spsearch_hit_t *hit)
{
    return hit ? hit->explain : NULL;
}

size_t spsearch_hit_highlight_count(const spsearch_hit_t *hit)
{
    return hit ? hit->nhl : 0;
}

int spsearch_hit_highlight(const spsearch_hit_t *hit, size_t i, size_t *start,
                           size_t *end)
{
    if (hit == NULL || i >= hit->nhl)
        return -1;
    if (start != NULL)
        *start = hit->hl[i].start;
    if (end != NULL)
        *end = hit->hl[i].end;
    return 0;
}

typedef struct analyze_ctx {
    spsearch_token_fn fn;
    void *ctx;
} analyze_ctx;

static int on_analyzed(void *vctx, const sp_token *t)
{
    analyze_ctx *a = vctx;
    /* The analyzer's strings are NUL-terminated at term_len/exact_len. */
    return a->fn(a->ctx, t->term, t->exact, (unsigned long)t->pos, t->start,
                 t->end, t->flags);
}

spsearch_status_t spsearch_analyze(const char *text, const char *lang,
                                   spsearch_token_fn fn, void *ctx,
                                   char **errmsg)
{
    sp_error err;
    sp_analyzer *an = NULL;
    analyze_ctx a = {fn, ctx};
    if (errmsg != NULL)
        *errmsg = NULL;
    if (text == NULL || fn == NULL) {
        set_errmsg(errmsg, "spsearch_analyze: text and fn are required");
        return SPSEARCH_INVALID;
    }
    sp_error_clear(&err);
    spsearch_status_t st = sp_analyzer_new(lang ? lang : QUERY_LANG, &an,
                                           &err);
    if (st == SPSEARCH_OK)
        st = sp_analyzer_run(an, text, strlen(text), NULL, 1, on_analyzed, &a,
                             NULL, &err);
    sp_analyzer_free(an);
    if (st != SPSEARCH_OK)
        set_errmsg(errmsg, err.msg[0] ? err.msg : spsearch_status_string(st));
    return st;
}
