/*
 * test-query.c - the query language (searcher/query.h) over the real
 * analyzer.
 *
 * What a query means is checked through Xapian's own description of the
 * query it becomes, e.g. "Query((nasa@1 AND moon@1))", and through the
 * highlight patterns; a few queries also run on a small index, since what
 * a user sees in the end is which articles match.  Words are chosen whose
 * stems are themselves, so that the checks are about the parser, not the
 * stemmer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>

#include "searcher/query.h"
#include "shared/terms.h"
#include "tests/unit/tap.h"

static sp_analyzer *an;

/* Drops the ranking bonus that sp_query_build may add around the query,
 * "Query((CORE AND_MAYBE (... OR 0.5 * (Stitle ...))))", leaving
 * "Query(CORE)": the bonus reorders hits without changing which match,
 * and these checks are about what matches.  The bonus is recognised by its
 * scaled title terms (or title wildcard), so that a user's own AND_MAYBE
 * (+a b) is kept. */
static void strip_bonus(char *d)
{
    size_t len = strlen(d);
    if (len < 9 || strncmp(d, "Query((", 7) != 0 ||
        strcmp(d + len - 2, "))") != 0)
        return;
    /* The operator at depth 1, inside the outer parentheses. */
    int depth = 0;
    const char *op = NULL;
    for (const char *c = d + 7; c < d + len - 2; c++) {
        if (*c == '(')
            depth++;
        else if (*c == ')')
            depth--;
        else if (depth == 0 && strncmp(c, " AND_MAYBE ", 11) == 0)
            op = c;
        else if (depth == 0 && *c == ' ' && op == NULL &&
                 strncmp(c, " AND_MAYBE ", 11) != 0 &&
                 strncmp(c, " SYNONYM ", 9) != 0 && c[1] >= 'A' &&
                 c[1] <= 'Z')
            return; /* another operator at the top: not our shape */
        if (depth < 0)
            return;
    }
    if (op == NULL || (strstr(op, "* " SP_PREFIX_TITLE) == NULL &&
                       strstr(op, "* (" SP_PREFIX_TITLE) == NULL &&
                       strstr(op, "* WILDCARD SYNONYM " SP_PREFIX_TITLE) ==
                           NULL &&
                       strstr(op, "* (WILDCARD SYNONYM " SP_PREFIX_TITLE) ==
                           NULL))
        return;
    size_t core = (size_t)(op - (d + 7));
    memmove(d + 6, d + 7, core);
    strcpy(d + 6 + core, ")");
}

/* Parses and builds text; returns Xapian's description (malloc'd) or
 * "status N" when parsing or building failed. */
static char *describe(const char *text, int all_words, int *any)
{
    sp_arena arena = {0};
    sp_qnode *root = NULL;
    sp_xquery *q = NULL;
    sp_error err;
    long off = -2;
    char buf[64];
    char *d = NULL;
    spsearch_status_t st = sp_query_parse(&arena, an, NULL, text, &root,
                                          &off, &err);
    if (st == SPSEARCH_OK)
        st = sp_query_build(root, all_words, 0, &q, any, &err);
    if (st == SPSEARCH_OK) {
        d = sp_xquery_describe(q);
        if (d != NULL)
            strip_bonus(d);
    }
    if (d == NULL) {
        snprintf(buf, sizeof buf, "status %d", (int)st);
        d = strdup(buf);
    }
    sp_xquery_free(q);
    sp_arena_free(&arena);
    return d;
}

/* The whole query built for text, all words, its bonus kept (malloc'd;
 * NULL when it did not build). */
static char *describe_full(const char *text)
{
    sp_arena arena = {0};
    sp_qnode *root = NULL;
    sp_xquery *q = NULL;
    sp_error err;
    long off;
    char *d = NULL;
    if (sp_query_parse(&arena, an, NULL, text, &root, &off, &err) ==
            SPSEARCH_OK &&
        sp_query_build(root, 1, 0, &q, NULL, &err) == SPSEARCH_OK)
        d = sp_xquery_describe(q);
    sp_xquery_free(q);
    sp_arena_free(&arena);
    return d;
}

/* Checks the description of text in one mode, and has_any_mode. */
static void check(const char *text, int all_words, const char *want,
                  int want_any, const char *what)
{
    int any = -1;
    char *d = describe(text, all_words, &any);
    char line[300];
    snprintf(line, sizeof line, "%s: %s", text, what);
    is_str(d, want, line);
    if (want_any >= 0) {
        snprintf(line, sizeof line, "%s: has_any_mode %d", text, want_any);
        is_long(any, want_any, line);
    }
    free(d);
}

/* Both modes give the same query. */
static void check_both(const char *text, const char *want, const char *what)
{
    char line[300];
    snprintf(line, sizeof line, "%s (all words)", what);
    check(text, 1, want, 0, line);
    snprintf(line, sizeof line, "%s (any word)", what);
    check(text, 0, want, 0, line);
}

/* A phrase: itself with all words, its words (any) as the fallback. */
static void check_phrase(const char *text, const char *want_all,
                         const char *want_any, const char *what)
{
    char line[300];
    snprintf(line, sizeof line, "%s (all words)", what);
    check(text, 1, want_all, 1, line);
    snprintf(line, sizeof line, "%s (any word: the fallback)", what);
    check(text, 0, want_any, 1, line);
}

static void bad_query(const char *text, long want_offset, const char *what)
{
    sp_arena arena = {0};
    sp_qnode *root = (sp_qnode *)&arena;
    sp_error err;
    long off = -2;
    char line[300];
    spsearch_status_t st = sp_query_parse(&arena, an, NULL, text, &root,
                                          &off, &err);
    snprintf(line, sizeof line, "\"%s\": %s: SPSEARCH_BAD_QUERY", text, what);
    is_long(st, SPSEARCH_BAD_QUERY, line);
    snprintf(line, sizeof line, "\"%s\": error offset", text);
    is_long(off, want_offset, line);
    snprintf(line, sizeof line, "\"%s\": a message and no tree", text);
    ok(root == NULL && err.msg[0] != '\0' && err.status == st, line);
    sp_arena_free(&arena);
}

/* The highlight patterns of text, as "a b|c|prefix:d|exact:e", for hits
 * of the query as written or (loose) of any of its words. */
static const char *patterns_of(const char *text, int loose)
{
    static char out[512];
    sp_arena arena = {0};
    sp_qnode *root = NULL;
    sp_hl_pattern *pats = NULL;
    size_t n = 0;
    sp_error err;
    long off;
    out[0] = '\0';
    if (sp_query_parse(&arena, an, NULL, text, &root, &off, &err) !=
            SPSEARCH_OK ||
        sp_query_patterns(&arena, root, loose, &pats, &n, &err) != SPSEARCH_OK) {
        snprintf(out, sizeof out, "(failed: %.100s)", err.msg);
        sp_arena_free(&arena);
        return out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof out - used, "%s%s%s", i ? "|" : "",
                 pats[i].prefix ? "prefix:" : "",
                 pats[i].exact ? "exact:" : "");
        for (size_t j = 0; j < pats[i].n; j++) {
            used = strlen(out);
            snprintf(out + used, sizeof out - used, "%s%s", j ? " " : "",
                     pats[i].terms[j]);
        }
    }
    sp_arena_free(&arena);
    return out;
}

static const char *patterns(const char *text)
{
    return patterns_of(text, 0);
}

static void test_words(void)
{
    /* Learn the format first, for whoever reads the log. */
    char *full = describe_full("nasa moon");
    diag("\"nasa moon\" becomes %s", full ? full : "(null)");
    free(full);

    check("nasa moon", 1, "Query((nasa@1 AND moon@1))", 1,
          "all words: AND");
    check("nasa moon", 0, "Query((nasa@1 OR moon@1))", 1, "any word: OR");
    check("nasa moon station", 1,
          "Query((nasa@1 AND moon@1 AND station@1))", 1,
          "three words: one AND");
    check_both("nasa", "Query(nasa@1)", "one word");
    check_both("  nasa\t", "Query(nasa@1)", "blanks around a word");
    check("and or not", 1, "Query((and@1 AND or@1 AND not@1))", 1,
          "lower-case and/or/not are words");
    check_both("running", "Query((run@1 OR Erunning@1))",
               "a stemmed word also matches its exact form");
}

static void test_compounds_phrases(void)
{
    check_both("cross-flight",
               "Query(((cross@1 PHRASE 2 flight@2) OR crossflight@1))",
               "a compound: its parts as a phrase, or joined");
    check("cross-flight station", 1,
          "Query((((cross@1 PHRASE 2 flight@2) OR crossflight@1) AND "
          "station@1))",
          1, "a compound among words");
    /* A phrase, and as a fallback when nothing matches, its words. */
    check_phrase("\"space station crew\"",
                 "Query((space@1 PHRASE 3 station@2 PHRASE 3 crew@3))",
                 "Query((space@1 OR station@2 OR crew@3))",
                 "a quoted phrase");
    check_phrase("\"space station crews\"",
                 "Query((space@1 PHRASE 3 station@2 PHRASE 3 crew@3))",
                 "Query((space@1 OR station@2 OR crew@3))",
                 "a phrase is a phrase of stems");
    check_phrase("\"cross-flight program\"",
                 "Query((cross@1 PHRASE 3 flight@2 PHRASE 3 program@3))",
                 "Query((cross@1 OR flight@2 OR program@3))",
                 "a compound inside a phrase: its parts");
    check_phrase("\"space station",
                 "Query((space@1 PHRASE 2 station@2))",
                 "Query((space@1 OR station@2))",
                 "an unclosed quote ends at the end of the query");
    check("moon \"space station\"", 1,
          "Query((moon@1 AND (space@1 PHRASE 2 station@2)))", 1,
          "a word and a phrase");
}

static void test_operators(void)
{
    check_both("+nasa -moon", "Query((nasa@1 AND_NOT moon@1))",
               "+required -excluded");
    check("+nasa station -moon", 1,
          "Query(((nasa@1 AND station@1) AND_NOT moon@1))", 0,
          "+a b -c, all words");
    check("+nasa station -moon", 0,
          "Query(((nasa@1 AND_MAYBE station@1) AND_NOT moon@1))", 0,
          "+a b -c, any word: b only ranks");
    check_both("nasa NOT moon", "Query((nasa@1 AND_NOT moon@1))", "NOT");
    check_both("NOT moon", "Query((<alldocuments> AND_NOT moon@1))",
               "NOT alone: everything else");
    check_both("-moon", "Query((<alldocuments> AND_NOT moon@1))",
               "-word alone: everything else");
    check_both("nasa OR moon", "Query((nasa@1 OR moon@1))", "OR");
    check_both("nasa OR moon OR station",
               "Query((nasa@1 OR moon@1 OR station@1))", "two ORs");
    check("nasa AND moon", 0, "Query((nasa@1 AND moon@1))", 0,
          "AND forces all words even in any-word mode");
    check("(nasa OR moon) station", 1,
          "Query(((nasa@1 OR moon@1) AND station@1))", 1,
          "parentheses group an OR");
    check("(nasa OR moon) station", 0,
          "Query(((nasa@1 OR moon@1) OR station@1))", 1,
          "parentheses, any word");
    check("nasa (moon OR station", 1,
          "Query((nasa@1 AND (moon@1 OR station@1)))", 1,
          "an unclosed parenthesis ends at the end");

    /* Excluding a group or a phrase must exclude it, not search it. */
    check("-(nasa moon)", 1,
          "Query((<alldocuments> AND_NOT (nasa@1 AND moon@1)))", -1,
          "-( ... ) excludes the group");
    check_both("-\"space station\" nasa",
               "Query((nasa@1 AND_NOT (space@1 PHRASE 2 station@2)))",
               "-\"phrase\" excludes the phrase");
    check("+(nasa OR moon) station", 0,
          "Query(((nasa@1 OR moon@1) AND_MAYBE station@1))", 0,
          "+( ... ) requires the group");
    check("nasa - moon", 1, "Query((nasa@1 AND moon@1))", 1,
          "a lone - is no operator");
}

static void test_malformed(void)
{
    bad_query("(((", 0, "only parentheses");
    bad_query(")))", 0, "only closing parentheses");
    bad_query("   ", 3, "only blanks");
    bad_query("", 0, "empty");
    bad_query("  ((( ", 2, "parentheses after blanks");
    bad_query("\"", 0, "a lone quote");
    bad_query("\"  \"", 0, "an empty phrase");
    bad_query("- + = *", 0, "only operators' characters");
    bad_query("OR AND NOT", 0, "only operator words");
    bad_query("... ,,, !!!", 0, "only punctuation");

    check_both("((( nasa", "Query(nasa@1)", "unbalanced \"(((\" with a word");
    check_both("nasa )))", "Query(nasa@1)", "unbalanced \")))\" with a word");
    check_both(")nasa(", "Query(nasa@1)", "parentheses the wrong way round");
    check_both("nasa OR", "Query(nasa@1)", "a trailing OR");
    check_both("nasa OR OR moon", "Query((nasa@1 OR moon@1))",
               "a doubled OR");
    check_both("nasa AND", "Query(nasa@1)", "a trailing AND");

    /* Deep nesting must not exhaust the stack. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 16);
    memset(deep, '(', depth);
    strcpy(deep + depth, "nasa");
    memset(deep + depth + 4, ')', depth);
    strcpy(deep + 2 * depth + 4, " moon");
    check(deep, 1, "Query((nasa@1 AND moon@1))", -1,
          "100000 nested parentheses");
    for (size_t i = 0; i < depth; i += 2)
        memcpy(deep + i, "-(", 2);
    strcpy(deep + depth, "nasa");
    char *d = describe(deep, 1, NULL);
    ok(strncmp(d, "Query(", 6) == 0,
       "50000 nested negated groups parse without a crash");
    free(d);
    free(deep);
}

static void test_special_words(void)
{
    /* U.S.: the stem "us", and the acronym term that ranks "U.S." above a
     * mere "us". */
    char *d = describe("U.S.", 1, NULL);
    diag("\"U.S.\" becomes %s", d);
    ok(strstr(d, "(us@1 OR ") != NULL, "U.S.: the term us");
    ok(strstr(d, " OR " SP_PREFIX_ACRONYM "us@1") != NULL,
       "U.S.: the acronym alternative " SP_PREFIX_ACRONYM "us");
    free(d);
    d = describe("us", 1, NULL);
    ok(strstr(d, SP_PREFIX_ACRONYM "us") == NULL,
       "lower-case \"us\" has no acronym alternative");
    free(d);

    check_both("stat*", "Query(WILDCARD SYNONYM stat)",
               "word* is a wildcard over stems (the exact forms it adds come "
               "from the index: see test_search)");
    check_both("title:stat*", "Query(WILDCARD SYNONYM Sstat)",
               "title:word* is a wildcard over the title's words");
    check_both("Title:stat*", "Query(WILDCARD SYNONYM Sstat)",
               "a field's name in any case: Title:");
    check_both("AUTHOR:stat*", "Query(WILDCARD SYNONYM Astat)",
               "...AUTHOR:");
    /* The title bonus, as for a word: the titles' words under the prefix. */
    char *full = describe_full("stat* nasa");
    is_str(full, "Query(((WILDCARD SYNONYM stat AND nasa@1) AND_MAYBE "
                 "0.5 * (WILDCARD SYNONYM Sstat OR Snasa)))",
           "word*: titles with a word under the prefix rank higher, and no "
           "phrase bonus");
    free(full);
    check_both("cross-fl*",
               "Query(((cross@1 PHRASE 2 fl@2) OR crossfl@1))",
               "a compound with * searches its words");
    check_both("=running", "Query(Erunning@1)",
               "=word uses the exact form only");
    check_both("=nasa", "Query(nasa@1)",
               "=word whose exact form is its term");
    check("=running station", 1, "Query((Erunning@1 AND station@1))", 1,
          "=word among words");
}

/* The phrase bonus: words together rank higher, unless they are forms of
 * one word, which nobody writes side by side. */
static void test_phrase_bonus(void)
{
    char *d = describe_full("space station");
    diag("\"space station\" becomes %s", d);
    ok(d != NULL && strstr(d, "(space@1 PHRASE 2 station@2)") != NULL,
       "two words: a bonus for them as a phrase");
    free(d);
    d = describe_full("principle principles");
    diag("\"principle principles\" becomes %s", d);
    ok(d != NULL && strstr(d, " AND_MAYBE ") != NULL &&
           strstr(d, "PHRASE") == NULL,
       "two forms of one word: the title bonus, no phrase bonus");
    free(d);
    d = describe_full("bora bora");
    ok(d != NULL && strstr(d, "(bora@1 PHRASE 2 bora@2)") != NULL,
       "one form twice is a phrase: its bonus is kept");
    free(d);
    d = describe_full("principles of principle");
    ok(d != NULL && strstr(d, "PHRASE") == NULL,
       "...forms of one word among others: no phrase bonus either");
    free(d);
}

static void test_patterns(void)
{
    is_str(patterns("nasa moon"), "nasa|moon", "one pattern per word");
    is_str(patterns("nasa -moon"), "nasa", "-word is not highlighted");
    is_str(patterns("nasa NOT moon"), "nasa", "NOT word is not highlighted");
    is_str(patterns("\"space station crews\" -moon"), "space station crew",
           "a phrase is one pattern, its words in order");
    is_str(patterns("-\"space station\" nasa"), "nasa",
           "an excluded phrase is not highlighted");
    is_str(patterns("-(nasa moon) station"), "station",
           "an excluded group is not highlighted");
    is_str(patterns("cross-flight"), "cross flight|crossflight",
           "a compound: its parts in order, and the joined form");
    is_str(patterns_of("\"space station crews\" moon", 1),
           "space|station|crew|moon",
           "a phrase searched as its words highlights them one by one");
    is_str(patterns_of("\"cross-flight program\"", 1), "cross|flight|program",
           "...its compounds' parts, not their joined forms");
    is_str(patterns("stat*"), "prefix:stat", "word*: a prefix pattern");
    is_str(patterns("=running"), "exact:running",
           "=word: matched against exact forms");
    is_str(patterns("running"), "run", "a word: its stem");
    is_str(patterns("(nasa OR moon) station"), "nasa|moon|station",
           "words of every OR branch");
}

/* The built queries, run: which documents match. */
static void add_doc(sp_xdb *db, const char *words)
{
    sp_xdoc *doc = NULL;
    sp_error err;
    char buf[256];
    uint32_t pos = 1;
    sp_xdoc_new(&doc, &err);
    snprintf(buf, sizeof buf, "%s", words);
    for (char *w = strtok(buf, " "); w != NULL; w = strtok(NULL, " "))
        sp_xdoc_add_posting(doc, w, strlen(w), pos++, &err);
    sp_xdb_add_doc(db, doc, NULL, &err);
    sp_xdoc_free(doc);
}

static spsearch_status_t list_terms(void *ctx, const char *prefix,
                                    sp_xdb_term_fn fn, void *fn_ctx,
                                    sp_error *err)
{
    return sp_xdb_terms(ctx, prefix, fn, fn_ctx, err);
}

/* text built as the library builds it on db: its word* with the exact
 * forms they add from db's terms. */
static spsearch_status_t build_on(sp_xdb *db, sp_arena *arena,
                                  const char *text, int all_words,
                                  sp_xquery **q, sp_error *err)
{
    sp_qnode *root = NULL;
    long off;
    spsearch_status_t st = sp_query_parse(arena, an, NULL, text, &root, &off,
                                          err);
    if (st == SPSEARCH_OK)
        st = sp_query_add_forms(arena, an, NULL, root, list_terms, db, err);
    return st == SPSEARCH_OK ? sp_query_build(root, all_words, 0, q, NULL, err)
                             : st;
}

/* Xapian's description of text built on db (malloc'd), its bonus kept. */
static char *describe_on(sp_xdb *db, const char *text)
{
    sp_arena arena = {0};
    sp_xquery *q = NULL;
    sp_error err;
    char *d = build_on(db, &arena, text, 1, &q, &err) == SPSEARCH_OK
                  ? sp_xquery_describe(q)
                  : strdup(err.msg);
    sp_xquery_free(q);
    sp_arena_free(&arena);
    return d;
}

static const char *matches(sp_xdb *db, const char *text, int all_words)
{
    static char out[128];
    sp_arena arena = {0};
    sp_xquery *q = NULL;
    sp_xmset *m = NULL;
    sp_error err;
    sp_xsearch_opts opts = {0, 10, -1, -1, 0, 10, 1, 0};
    uint32_t ids[10];
    uint32_t n = 0;
    out[0] = '\0';
    if (build_on(db, &arena, text, all_words, &q, &err) == SPSEARCH_OK &&
        sp_xdb_search(db, q, &opts, &m, &err) == SPSEARCH_OK) {
        n = sp_xmset_size(m);
        for (uint32_t i = 0; i < n && i < 10; i++)
            ids[i] = sp_xmset_docid(m, i);
        for (uint32_t i = 1; i < n && i < 10; i++)
            for (uint32_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
                uint32_t t = ids[j];
                ids[j] = ids[j - 1];
                ids[j - 1] = t;
            }
        for (uint32_t i = 0; i < n && i < 10; i++) {
            size_t used = strlen(out);
            snprintf(out + used, sizeof out - used, "%s%u", i ? " " : "",
                     (unsigned)ids[i]);
        }
    } else {
        snprintf(out, sizeof out, "(failed: %.100s)", err.msg);
    }
    sp_xmset_free(m);
    sp_xquery_free(q);
    sp_arena_free(&arena);
    return out;
}

static void test_search(void)
{
    sp_xdb *db = NULL;
    sp_error err;
    if (sp_xdb_open("idx", SP_XDB_OVERWRITE, &db, &err) != SPSEARCH_OK) {
        printf("Bail out! cannot make an index: %s\n", err.msg);
        exit(99);
    }
    add_doc(db, "nasa moon");                 /* 1 */
    add_doc(db, "nasa space station");        /* 2 */
    add_doc(db, "space station moon");        /* 3 */
    add_doc(db, "station space nasa");        /* 4 */
    add_doc(db, "cross flight");              /* 5 */
    add_doc(db, "crossflight");               /* 6 */
    add_doc(db, "diplomat Ediplomatic");      /* 7: "diplomatic" indexed */
    is_str(matches(db, "nasa moon", 1), "1", "all words: both");
    is_str(matches(db, "nasa moon", 0), "1 2 3 4", "any word: either");
    is_str(matches(db, "\"space station\"", 1), "2 3",
           "a phrase: the words in order");
    is_str(matches(db, "nasa -moon", 1), "2 4", "-word excludes");
    is_str(matches(db, "-(nasa moon)", 1), "2 3 4 5 6 7",
           "-( ... ) excludes documents with the whole group");
    is_str(matches(db, "nasa -\"space station\"", 1), "1 4",
           "-\"phrase\" excludes the phrase, not its words");
    is_str(matches(db, "cross-flight", 1), "5 6",
           "a compound finds both spellings");
    is_str(matches(db, "stat*", 1), "2 3 4", "word* finds the words");
    is_str(matches(db, "diplomati*", 1), "7",
           "word* finds a word whose stem is shorter than the prefix");
    is_str(matches(db, "diplomat*", 1), "7", "...and one whose stem is not");
    char *d = describe_on(db, "diplomati*");
    ok(strstr(d, SP_PREFIX_EXACT "diplomatic") != NULL,
       "diplomati* names the form diplomatic, whose stem it does not match");
    free(d);
    d = describe_on(db, "diplomat*");
    ok(strstr(d, SP_PREFIX_EXACT "diplomatic") == NULL,
       "diplomat* does not (its stem diplomat is under the prefix: counted "
       "once)");
    free(d);
    sp_xdb_close(db, NULL);
}

int main(void)
{
    sp_error err;
    tap_tmpdir("query");
    if (sp_analyzer_new("en", &an, &err) != SPSEARCH_OK) {
        printf("Bail out! sp_analyzer_new: %s\n", err.msg);
        return 99;
    }
    test_words();
    test_compounds_phrases();
    test_operators();
    test_malformed();
    test_special_words();
    test_phrase_bonus();
    test_patterns();
    test_search();
    sp_analyzer_free(an);
    u_cleanup();
    return tap_done();
}
