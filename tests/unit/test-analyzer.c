/*
 * test-analyzer.c - the analyzer, one table per rule.
 *
 * Tokens are written as "term@pos[start,end)FLAGS" (flags P part, J joined,
 * A acronym, N number, I ideographic) or, for exact forms, as the exact form
 * alone, separated by spaces, so that each case fits on a line or two.
 * Inputs come from corpus/ where it has an example of the rule.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>
#include <unicode/uversion.h>

#include "shared/analyzer.h"
#include "shared/pairs.h"
#include "tests/unit/tap.h"

enum { TERMS, EXACT };

/* Tokens of one run, rendered as text. */
struct out {
    int mode;
    char *buf;
    size_t len, cap;
    int stop_after; /* stop the run after this many tokens; 0: never */
    int seen;
};

static void out_add(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        char *p = realloc(o->buf, cap);
        if (p == NULL) {
            printf("Bail out! out of memory\n");
            exit(99);
        }
        o->buf = p;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static int collect(void *ctx, const sp_token *t)
{
    struct out *o = ctx;
    char tail[96];
    int n;

    if (o->len > 0)
        out_add(o, " ", 1);
    if (o->mode == EXACT) {
        out_add(o, t->exact, t->exact_len);
    } else {
        out_add(o, t->term, t->term_len);
        n = snprintf(tail, sizeof tail, "@%u[%zu,%zu)%s%s%s%s%s", t->pos,
                     t->start, t->end, t->flags & SP_TOK_PART ? "P" : "",
                     t->flags & SP_TOK_JOINED ? "J" : "",
                     t->flags & SP_TOK_ACRONYM ? "A" : "",
                     t->flags & SP_TOK_NUMBER ? "N" : "",
                     t->flags & SP_TOK_IDEO ? "I" : "");
        out_add(o, tail, (size_t)n);
    }
    o->seen++;
    return o->stop_after > 0 && o->seen >= o->stop_after;
}

static sp_analyzer *an;

/* Analyzes text and returns the rendering, owned by the caller. */
static char *analyze(const char *text, size_t len, const char *lang,
                     uint32_t first_pos, int mode, sp_analysis *stats)
{
    struct out o = {mode, NULL, 0, 0, 0, 0};
    sp_error err;
    spsearch_status_t rc;

    out_add(&o, "", 0);
    rc = sp_analyzer_run(an, text, len, lang, first_pos, collect, &o, stats,
                         &err);
    if (rc != SPSEARCH_OK) {
        printf("Bail out! sp_analyzer_run: %s\n", err.msg);
        exit(99);
    }
    return o.buf;
}

struct tcase {
    const char *text;
    const char *lang;  /* NULL: the analyzer's default, English */
    const char *terms; /* TERMS rendering */
    const char *exact; /* EXACT rendering, or NULL to skip */
};

static void run_table(const char *rule, const struct tcase *c, size_t n)
{
    size_t i;

    diag("%s", rule);
    for (i = 0; i < n; i++) {
        char what[300];
        char *got;

        snprintf(what, sizeof what, "%s: terms of \"%.200s\"", rule,
                 c[i].text);
        got = analyze(c[i].text, strlen(c[i].text), c[i].lang, 0, TERMS,
                      NULL);
        is_str(got, c[i].terms, what);
        free(got);
        if (c[i].exact != NULL) {
            snprintf(what, sizeof what, "%s: exact forms of \"%.200s\"",
                     rule, c[i].text);
            got = analyze(c[i].text, strlen(c[i].text), c[i].lang, 0, EXACT,
                          NULL);
            is_str(got, c[i].exact, what);
            free(got);
        }
    }
}

#define TABLE(rule, t) run_table((rule), (t), sizeof(t) / sizeof((t)[0]))

/* Backtick, curly and plain apostrophes make one word with one term. */
static const struct tcase apostrophes[] = {
    {"Russia`s Roscosmos", NULL, "russia@0[0,8) roscosmo@1[9,18)",
     "russia's roscosmos"},
    {"Russia\xe2\x80\x99s Roscosmos", NULL, "russia@0[0,10) roscosmo@1[11,20)",
     "russia's roscosmos"},
    {"Russia's Roscosmos", NULL, "russia@0[0,8) roscosmo@1[9,18)",
     "russia's roscosmos"},
    {"Russia\xca\xbcs", NULL, "russia@0[0,9)", "russia's"},
    {"This meeting wasn`t just", NULL,
     "this@0[0,4) meet@1[5,12) wasn't@2[13,19) just@3[20,24)",
     "this meeting wasn't just"},
    /* A trailing apostrophe belongs to no word. */
    {"the United States` NASA", NULL,
     "the@0[0,3) unit@1[4,10) state@2[11,17) nasa@3[19,23)A", NULL},
    {"\xe2\x80\x98quoted\xe2\x80\x99 `code`", NULL,
     "quot@0[3,9) code@1[14,18)", "quoted code"},
};

/* Quotes and dashes are not words, and byte offsets count their bytes. */
static const struct tcase punctuation[] = {
    {"\xe2\x80\x9cWe understand,\xe2\x80\x9d Bakanov stated", NULL,
     "we@0[3,5) understand@1[6,16) bakanov@2[21,28) state@3[29,35)",
     "we understand bakanov stated"},
    {"\xc2\xabNASA\xc2\xbb \xe2\x80\x9eRoscosmos\xe2\x80\x9c", NULL,
     "nasa@0[2,6)A roscosmo@1[12,21)", NULL},
    {"the obvious \xe2\x80\x94 that", NULL,
     "the@0[0,3) obvious@1[4,11) that@2[16,20)", NULL},
};

/* Hyphenated compounds: parts at consecutive positions, the joined form
 * at the first part's position, right after it. */
static const struct tcase compounds[] = {
    {"De-orbiting and managing", NULL,
     "de@0[0,2)P deorbit@0[0,11)J orbit@1[3,11)P and@2[12,15) "
     "manag@3[16,24)",
     "de deorbiting orbiting and managing"},
    {"for in-orbit anomalies", NULL,
     "for@0[0,3) in@1[4,6)P inorbit@1[4,12)J orbit@2[7,12)P "
     "anomali@3[13,22)",
     "for in inorbit orbit anomalies"},
    {"in US-Russia space relations", NULL,
     "in@0[0,2) us@1[3,5)PA usrussia@1[3,12)J russia@2[6,12)P "
     "space@3[13,18) relat@4[19,28)",
     "in us usrussia russia space relations"},
    {"the cross-flight program", NULL,
     "the@0[0,3) cross@1[4,9)P crossflight@1[4,16)J flight@2[10,16)P "
     "program@3[17,24)",
     NULL},
    {"a vital re-affirmation", NULL,
     "a@0[0,1) vital@1[2,7) re@2[8,10)P reaffirm@2[8,22)J "
     "affirm@3[11,22)P",
     "a vital re reaffirmation affirmation"},
    {"direct, face-to-face dialogue", NULL,
     "direct@0[0,6) face@1[8,12)P facetofac@1[8,20)J to@2[13,15)P "
     "face@3[16,20)P dialogu@4[21,29)",
     NULL},
    /* An initialism's final dot is part of it, so this is a compound. */
    {"U.S.-Russian ties", NULL,
     "us@0[0,4)PA usrussian@0[0,12)J russian@1[5,12)P tie@2[13,17)",
     "u.s usrussian russian ties"},
    /* The en dash joins, unified to '-' like the hyphens. */
    {"US\xe2\x80\x93Russia talks", NULL,
     "us@0[0,2)PA usrussia@0[0,11)J russia@1[5,11)P talk@2[12,17)", NULL},
    {"non\xe2\x80\x91stop", NULL,
     "non@0[0,3)P nonstop@0[0,10)J stop@1[6,10)P", NULL},
    /* Not compounds: spaced dashes, the em dash, two hyphens. */
    {"USA \xe2\x80\x93 In", NULL, "usa@0[0,3)A in@1[8,10)", NULL},
    {"insulated\xe2\x80\x94" "at least", NULL,
     "insul@0[0,9) at@1[12,14) least@2[15,20)", NULL},
    {"well--known", NULL, "well@0[0,4) known@1[6,11)", NULL},
    /* Numbers joined by hyphens stay parts, with no joined form. */
    {"2025-07-31", NULL, "2025@0[0,4)PN 07@1[5,7)PN 31@2[8,10)PN", NULL},
    {"COVID-19 cases", NULL,
     "covid@0[0,5)PA covid19@0[0,8)J 19@1[6,8)PN case@2[9,14)", NULL},
    {"Z\xc3\xbcrich-based", NULL,
     "zurich@0[0,7)P zurichbas@0[0,13)J base@1[8,13)P",
     "zürich zürichbased based"},
};

/* Initialisms and all-capital words. */
static const struct tcase acronyms[] = {
    {"the U.S. Secretary", NULL,
     "the@0[0,3) us@1[4,8)A secretari@2[9,18)", "the u.s secretary"},
    {"J.F.K. said", NULL, "jfk@0[0,6)A said@1[7,11)", "j.f.k said"},
    {"e.g. this", NULL, "eg@0[0,4)A this@1[5,9)", "e.g this"},
    {"U.S", NULL, "us@0[0,3)A", "u.s"},
    {"NASA's plans for the ISS", NULL,
     "nasa@0[0,6)A plan@1[7,12) for@2[13,16) the@3[17,20) iss@4[21,24)A",
     "nasa's plans for the iss"},
    /* One capital is no acronym, nor are words with small letters or
     * several letters between dots. */
    {"I saw Dmitry at example.com", NULL,
     "i@0[0,1) saw@1[2,5) dmitri@2[6,12) at@3[13,15) example.com@4[16,27)",
     NULL},
    {"\xd0\x9c\xd0\x9a\xd0\xa1", NULL, "\xd0\xbc\xd0\xba\xd1\x81@0[0,6)A",
     NULL},
};

/* Folding: case, diacritics (term only), compatibility forms. */
static const struct tcase folding[] = {
    {"Z\xc3\xbcrich Zurich ZURICH", NULL,
     "zurich@0[0,7) zurich@1[8,14) zurich@2[15,21)A",
     "z\xc3\xbcrich zurich zurich"},
    /* Decomposed input gives the same forms as precomposed. */
    {"Zu\xcc\x88rich", NULL, "zurich@0[0,8)", "z\xc3\xbcrich"},
    {"official communiqu\xc3\xa9", NULL,
     "offici@0[0,8) communiqu@1[9,20)", "official communiqu\xc3\xa9"},
    {"Stra\xc3\x9f" "e \xef\xac\x81nance", NULL,
     "strass@0[0,7) financ@1[8,16)", "strasse finance"},
    /* Soft hyphen: ignorable, dropped by NFKC casefolding. */
    {"infor\xc2\xadmation", NULL, "inform@0[0,13)", "information"},
    {"\xc3\xa9l\xc3\xa8ve", "fr", "elev@0[0,7)", "\xc3\xa9l\xc3\xa8ve"},
    /* Marks that are vowels (Devanagari) stay. */
    {"\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5"
     "\x87",
     NULL,
     "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5"
     "\x87@0[0,18)",
     NULL},
};

/* Numbers stay whole, unstemmed. */
static const struct tcase numbers[] = {
    {"On August 1, 2025", NULL,
     "on@0[0,2) august@1[3,9) 1@2[10,11)N 2025@3[13,17)N", NULL},
    {"Aug 1, 2025, 2:40 PM", NULL,
     "aug@0[0,3) 1@1[4,5)N 2025@2[7,11)N 2@3[13,14)N 40@4[15,17)N "
     "pm@5[18,20)A",
     NULL},
    {"7.5 percent of 1,200", NULL,
     "7.5@0[0,3)N percent@1[4,11) of@2[12,14) 1,200@3[15,20)N", NULL},
    {"the 1990s in 3D", NULL,
     "the@0[0,3) 1990s@1[4,9)N in@2[10,12) 3d@3[13,15)N", NULL},
    /* Other decimal digits match ASCII ones; the exact form keeps them. */
    {"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5 \xef\xbc\x92\xef\xbc\x90", NULL,
     "2025@0[0,8)N 20@1[9,15)N", "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5 20"},
};

/* Scripts without spaces: dictionary words, unstemmed. */
static const struct tcase ideographic[] = {
    /* "We study at Peking University": ICU 72 splits the name into
     * 北京 (Beijing) and 大学 (university), both real words. */
    {"\xe6\x88\x91\xe4\xbb\xac\xe5\x9c\xa8\xe5\x8c\x97\xe4\xba\xac\xe5\xa4"
     "\xa7\xe5\xad\xa6\xe5\xad\xa6\xe4\xb9\xa0",
     NULL,
     "\xe6\x88\x91\xe4\xbb\xac@0[0,6)I \xe5\x9c\xa8@1[6,9)I "
     "\xe5\x8c\x97\xe4\xba\xac@2[9,15)I \xe5\xa4\xa7\xe5\xad\xa6@3[15,21)I "
     "\xe5\xad\xa6\xe4\xb9\xa0@4[21,27)I",
     NULL},
    /* Thai: "Thai is a language that uses ..." */
    {"\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8"
     "\x97\xe0\xb8\xa2\xe0\xb9\x80\xe0\xb8\x9b\xe0\xb9\x87\xe0\xb8\x99\xe0"
     "\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb8\x97\xe0\xb8\xb5"
     "\xe0\xb9\x88\xe0\xb9\x83\xe0\xb8\x8a\xe0\xb9\x89",
     "th",
     "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2@0[0,12)I "
     "\xe0\xb9\x84\xe0\xb8\x97\xe0\xb8\xa2@1[12,21)I "
     "\xe0\xb9\x80\xe0\xb8\x9b\xe0\xb9\x87\xe0\xb8\x99@2[21,33)I "
     "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2@3[33,45)I "
     "\xe0\xb8\x97\xe0\xb8\xb5\xe0\xb9\x88@4[45,54)I "
     "\xe0\xb9\x83\xe0\xb8\x8a\xe0\xb9\x89@5[54,63)I",
     NULL},
    /* Japanese: kanji, hiragana, and half-width katakana made full. */
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x96\x87\xe7\xab"
     "\xa0 \xef\xbd\xb6\xef\xbe\x80\xef\xbd\xb6\xef\xbe\x85",
     "ja",
     "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e@0[0,9)I \xe3\x81\xae@1[9,12)I "
     "\xe6\x96\x87\xe7\xab\xa0@2[12,18)I "
     "\xe3\x82\xab\xe3\x82\xbf\xe3\x82\xab\xe3\x83\x8a@3[19,31)I",
     NULL},
    /* Latin words inside Chinese text are still English words. */
    {"NASA\xe5\x92\x8c\xe5\x8c\x97\xe4\xba\xac meetings", "zh",
     "nasa@0[0,4)A \xe5\x92\x8c@1[4,7)I \xe5\x8c\x97\xe4\xba\xac@2[7,13)I "
     "meet@3[14,22)",
     NULL},
};

/* Cyrillic words take the Russian stemmer whatever the language. */
static const struct tcase cyrillic[] = {
    {"\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82\xd1\x8b \xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0"
     "\xd0\xb2\xd1\x82\xd0\xbe\xd0\xb2",
     "ru",
     "\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82@0[0,20) "
     "\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82@1[21,43)",
     "\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82\xd1\x8b "
     "\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82\xd0\xbe\xd0\xb2"},
    /* The same in English text: not the English stemmer's business. */
    {"\xd0\x9a\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82\xd1\x8b said", NULL,
     "\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd0\xbd\xd0\xb0\xd0\xb2\xd1"
     "\x82@0[0,20) said@1[21,25)",
     NULL},
    /* Ё folds to Е for matching; Й stays a letter. */
    {"\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0 \xd0\xbd\xd0\xbe\xd0\xb2\xd1\x8b\xd0"
     "\xb9",
     "ru", "\xd0\xb5\xd0\xbb\xd0\xba@0[0,8) \xd0\xbd\xd0\xbe\xd0\xb2@1[9,19)",
     "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0 \xd0\xbd\xd0\xbe\xd0\xb2\xd1\x8b\xd0"
     "\xb9"},
    /* And English words in Russian text are stemmed as English. */
    {"NASA's \xd0\xbf\xd0\xbb\xd0\xb0\xd0\xbd\xd1\x8b", "ru",
     "nasa@0[0,6)A \xd0\xbf\xd0\xbb\xd0\xb0\xd0\xbd@1[7,17)", NULL},
};

/* The language argument: ISO codes, Xapian names, regions, "none". */
static const struct tcase languages[] = {
    {"running nations", NULL, "run@0[0,7) nation@1[8,15)", NULL},
    {"running nations", "en", "run@0[0,7) nation@1[8,15)", NULL},
    {"running nations", "english", "run@0[0,7) nation@1[8,15)", NULL},
    {"running nations", "en-GB", "run@0[0,7) nation@1[8,15)", NULL},
    {"running nations", "none", "running@0[0,7) nations@1[8,15)", NULL},
    /* Unknown: each word by its script, so English for Latin. */
    {"running nations", "xx", "run@0[0,7) nation@1[8,15)", NULL},
    {"Zusammenarbeiten", "de", "zusammenarbeit@0[0,16)", NULL},
    {"Zusammenarbeiten", "GERMAN", "zusammenarbeit@0[0,16)", NULL},
    {"coop\xc3\xa9rations", "fr", "cooper@0[0,13)", NULL},
    {"cooperaciones", "es", "cooper@0[0,13)", NULL},
    /* Stemmers that know accents get them; the stem is folded after. */
    {"coopera\xc3\xa7\xc3\xa3o coopera\xc3\xa7\xc3\xb5" "es", "pt_BR",
     "cooper@0[0,12) cooper@1[13,26)", NULL},
    {"cooperaci\xc3\xb3n cooperaciones", "es",
     "cooper@0[0,12) cooper@1[13,26)", NULL},
    {"cr\xc3\xa9\xc3\xa9" "e cr\xc3\xa9\xc3\xa9s", "fr",
     "cre@0[0,7) cre@1[8,15)", NULL},
    /* English knows none: its stemmer sees plain letters. */
    {"r\xc3\xa9sum\xc3\xa9s resumes", NULL, "resum@0[0,9) resum@1[10,17)",
     "r\xc3\xa9sum\xc3\xa9s resumes"},
};

/* Invalid UTF-8: each maximal bad subsequence is one U+FFFD, counted;
 * the words around keep their byte offsets. */
static void test_invalid_utf8(void)
{
    static const struct {
        const char *text;
        size_t len;
        const char *terms;
        size_t invalid;
    } c[] = {
        {"ab\xff" "cd ok", 8, "ab@0[0,2) cd@1[3,5) ok@2[6,8)", 1},
        /* A truncated 3-byte sequence is one error, not two. */
        {"x \xe2\x82 ok", 7, "x@0[0,1) ok@1[5,7)", 1},
        /* Overlong '/', each byte invalid on its own. */
        {"\xc0\xaf" "Russia", 8, "russia@0[2,8)", 2},
        /* A UTF-16 surrogate encoded in UTF-8: three errors. */
        {"a\xed\xa0\x80z", 5, "a@0[0,1) z@1[4,5)", 3},
        /* Beyond U+10FFFF. */
        {"\xf4\x90\x80\x80" "end", 7, "end@0[4,7)", 4},
        /* A truncated sequence at the very end. */
        {"caf\xc3\xa9 \xf0\x9f\x98", 9, "cafe@0[0,5)", 1},
        /* A NUL byte is text, not an end. */
        {"a\0b", 3, "a@0[0,1) b@1[2,3)", 0},
    };
    size_t i;

    diag("invalid UTF-8");
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        sp_analysis st;
        char what[100];
        char *got = analyze(c[i].text, c[i].len, NULL, 0, TERMS, &st);
        snprintf(what, sizeof what, "invalid UTF-8 case %zu: terms", i);
        is_str(got, c[i].terms, what);
        snprintf(what, sizeof what, "invalid UTF-8 case %zu: count", i);
        is_long(st.invalid_utf8, c[i].invalid, what);
        free(got);
    }
}

/* Positions, stats, stopping, and the empty text. */
static void test_runs(void)
{
    sp_analysis st = {99, 99};
    struct out o = {TERMS, NULL, 0, 0, 2, 0};
    sp_error err;
    char *got;

    diag("runs");
    got = analyze("", 0, NULL, 7, TERMS, &st);
    is_str(got, "", "empty text: no tokens");
    is_long(st.next_pos, 7, "empty text: next_pos is first_pos");
    is_long(st.invalid_utf8, 0, "empty text: nothing invalid");
    free(got);

    got = analyze(NULL, 0, NULL, 0, TERMS, &st);
    is_str(got, "", "NULL text of length 0: no tokens");
    free(got);

    got = analyze(" \n\t, \xe2\x80\x94 ...", 11, NULL, 3, TERMS, &st);
    is_str(got, "", "punctuation only: no tokens");
    is_long(st.next_pos, 3, "punctuation only: next_pos");
    free(got);

    got = analyze("De-orbiting the station", 23, NULL, 100, TERMS, &st);
    is_str(got,
           "de@100[0,2)P deorbit@100[0,11)J orbit@101[3,11)P the@102[12,15) "
           "station@103[16,23)",
           "positions start at first_pos");
    is_long(st.next_pos, 104, "next_pos follows the last word");
    free(got);

    out_add(&o, "", 0);
    ok(sp_analyzer_run(an, "one two three four", 18, NULL, 0, collect, &o,
                       &st, &err) == SPSEARCH_OK,
       "a run stopped by the callback succeeds");
    is_str(o.buf, "one@0[0,3) two@1[4,7)", "the callback stops the run");
    is_long(st.next_pos, 2, "next_pos after a stop");
    free(o.buf);

    /* The analyzer forgets nothing wrong between runs. */
    got = analyze("Russia`s", 8, NULL, 0, TERMS, &st);
    is_str(got, "russia@0[0,8)", "a run after a stopped run");
    free(got);
}

/* Checks what any run must give: ranges inside the text and increasing,
 * positions consecutive, terms and exact forms short and valid UTF-8. */
struct check {
    size_t len;
    size_t bad_range, bad_pos, bad_term, count, joined;
    uint32_t next;
    size_t last_start;
};

static int valid_utf8(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        size_t k;
        if (c >= 0x80 && c < 0xC2)
            return 0;
        if (i + n > len)
            return 0;
        for (k = 1; k < n; k++) {
            if (((unsigned char)s[i + k] & 0xC0) != 0x80)
                return 0;
        }
        i += n;
    }
    return 1;
}

static int check_token(void *ctx, const sp_token *t)
{
    struct check *c = ctx;

    c->count++;
    if (t->start >= t->end || t->end > c->len || t->start < c->last_start)
        c->bad_range++;
    c->last_start = t->start;
    if (t->flags & SP_TOK_JOINED) {
        c->joined++;
        if (t->pos + 1 != c->next)
            c->bad_pos++;
    } else {
        if (t->pos != c->next)
            c->bad_pos++;
        c->next = t->pos + 1;
    }
    if (t->term_len == 0 || t->term_len > 200 || t->exact_len == 0 ||
        t->exact_len > 200 || !valid_utf8(t->term, t->term_len) ||
        !valid_utf8(t->exact, t->exact_len) ||
        strlen(t->term) != t->term_len)
        c->bad_term++;
    return 0;
}

static void check_text(const char *what, const char *text, size_t len,
                       size_t min_tokens)
{
    struct check c;
    sp_analysis st;
    sp_error err;
    char msg[200];

    memset(&c, 0, sizeof c);
    c.len = len;
    snprintf(msg, sizeof msg, "%s: analyzed", what);
    ok(sp_analyzer_run(an, text, len, NULL, 0, check_token, &c, &st, &err) ==
           SPSEARCH_OK,
       msg);
    snprintf(msg, sizeof msg, "%s: at least %zu tokens", what, min_tokens);
    ok(c.count >= min_tokens, msg);
    snprintf(msg, sizeof msg, "%s: byte ranges in order and in the text",
             what);
    is_long(c.bad_range, 0, msg);
    snprintf(msg, sizeof msg, "%s: positions consecutive", what);
    is_long(c.bad_pos, 0, msg);
    snprintf(msg, sizeof msg, "%s: terms 1..200 bytes of valid UTF-8", what);
    is_long(c.bad_term, 0, msg);
    snprintf(msg, sizeof msg, "%s: next_pos", what);
    is_long(st.next_pos, c.next, msg);
}

/* A megabyte without a space: no crash, terms cut to 200 bytes at a
 * character boundary, and more than one analyzer chunk. */
static void test_huge(void)
{
    size_t len = 1200000, i;
    char *text = malloc(len);
    char *got;

    diag("huge inputs");
    if (text == NULL) {
        printf("Bail out! out of memory\n");
        exit(99);
    }
    memset(text, 'a', len);
    check_text("1.2 MB of 'a'", text, len, 1);

    /* Three-byte letters (Hangul): 200 is not a multiple of 3. */
    for (i = 0; i + 3 <= len; i += 3)
        memcpy(text + i, "\xed\x95\x9c", 3);
    check_text("1.2 MB of Hangul", text, len - len % 3, 1);
    got = analyze(text, 600, NULL, 0, EXACT, NULL);
    is_long(strlen(got), 198, "200 Hangul: exact form cut to 198 bytes");
    free(got);

    for (i = 0; i + 2 <= len; i += 2)
        memcpy(text + i, "\xc3\xa9", 2);
    check_text("1.2 MB of e-acute", text, len, 1);
    got = analyze(text, 400, NULL, 0, EXACT, NULL);
    is_long(strlen(got), 200, "200 e-acute: exact form cut to 200 bytes");
    free(got);

    for (i = 0; i < len; i++)
        text[i] = (i % 2) ? '-' : 'x';
    check_text("1.2 MB of x-x-x", text, len, len / 2);

    for (i = 0; i < len; i++)
        text[i] = (char)(i * 7919 % 251 + 1);
    check_text("1.2 MB of bytes", text, len, 1);

    /* Chinese without any space, broken by dictionary. */
    for (i = 0; i + 27 <= len; i += 27)
        memcpy(text + i,
               "\xe6\x88\x91\xe4\xbb\xac\xe5\x9c\xa8\xe5\x8c\x97\xe4\xba\xac"
               "\xe5\xa4\xa7\xe5\xad\xa6\xe5\xad\xa6\xe4\xb9\xa0",
               27);
    check_text("1.2 MB of Chinese", text, len - len % 27, len / 27 * 5);
    free(text);
}

/* Long compounds are joined in pieces, and stay in position order. */
static void test_long_compound(void)
{
    const char *text = "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r";
    char *got;

    diag("long compounds");
    check_text("18-part compound", text, strlen(text), 18);
    got = analyze(text, strlen(text), NULL, 0, EXACT, NULL);
    is_str(got,
           "a abcdefghijklmnop b c d e f g h i j k l m n o p q qr r",
           "an 18-part compound joins its first 16 parts, then the rest");
    free(got);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (n == cap) {
            char *p;
            cap = cap ? cap * 2 : 65536;
            p = realloc(buf, cap);
            if (p == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

/* Finds a token with the given term and joinedness. */
struct find {
    const char *term;
    size_t term_len;
    unsigned joined;
    int found;
};

static int find_token(void *ctx, const sp_token *t)
{
    struct find *f = ctx;

    if (t->term_len == f->term_len &&
        memcmp(t->term, f->term, t->term_len) == 0 &&
        (t->flags & SP_TOK_JOINED) == f->joined)
        f->found = 1;
    return 0;
}

/* Each token's byte range, analyzed alone, gives the token again: the
 * offsets point at exactly the text the term came from. */
struct roundtrip {
    const char *text;
    sp_analyzer *inner; /* the outer run owns the other one's buffers */
    size_t checked, lost;
};

static int roundtrip_token(void *ctx, const sp_token *t)
{
    struct roundtrip *r = ctx;
    struct find f;
    sp_error err;

    f.term = t->term;
    f.term_len = t->term_len;
    f.joined = t->flags & SP_TOK_JOINED;
    f.found = 0;
    if (sp_analyzer_run(r->inner, r->text + t->start, t->end - t->start,
                        NULL, 0, find_token, &f, NULL, &err) != SPSEARCH_OK ||
        !f.found) {
        r->lost++;
        diag("not found again: %.*s at [%zu,%zu)", (int)t->term_len,
             t->term, t->start, t->end);
    }
    r->checked++;
    return 0;
}

static void test_corpus(void)
{
    static const char *const files[] = {
        "000_d9a4be1c3b1e15b8.txt", "001_37ff818fd7faee62.txt",
        "002_99863aae14a88d0b.txt", "003_007efc6446bec603.txt",
        "004_2e1e28aae998c8dd.txt"};
    const char *top = getenv("top_srcdir");
    sp_analyzer *inner;
    sp_error err;
    size_t i;

    diag("corpus");
    if (top == NULL || *top == '\0') {
        ok(1, "corpus # SKIP top_srcdir is not set");
        return;
    }
    if (sp_analyzer_new("en", &inner, &err) != SPSEARCH_OK) {
        printf("Bail out! sp_analyzer_new: %s\n", err.msg);
        exit(99);
    }
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096], what[200];
        size_t len = 0;
        char *text;
        struct roundtrip r = {NULL, NULL, 0, 0};

        snprintf(path, sizeof path, "%s/corpus/%s", top, files[i]);
        text = read_file(path, &len);
        snprintf(what, sizeof what, "read %s", files[i]);
        if (!ok(text != NULL, what))
            continue;
        check_text(files[i], text, len, 300);
        r.text = text;
        r.inner = inner;
        sp_analyzer_run(an, text, len, NULL, 0, roundtrip_token, &r, NULL,
                        &err);
        snprintf(what, sizeof what,
                 "%s: every token found again in its byte range", files[i]);
        ok(r.checked > 300 && r.lost == 0, what);
        snprintf(what, sizeof what, "%s: detected as English", files[i]);
        is_str(sp_analyzer_detect_lang(text, len), "en", what);
        free(text);
    }
    sp_analyzer_free(inner);
}

/* ---- plain ASCII words: the same tokens as through ICU's rules ---- */

/* Every string of up to 4 characters over letters, a digit and the
 * punctuation that joins or splits words, and 20,000 longer ones, give
 * the same tokens (terms, positions, byte ranges, flags) with the ASCII
 * word splitter and with ICU's. */
static void test_plain_words(void)
{
    static const char alphabet[] = "aZ1.',;:-! ";
    const size_t k = sizeof alphabet - 1;
    char text[16];
    size_t tried = 0, differ = 0;
    uint32_t seed = 12345;

    ok(sp_analyzer_plain_words(an, 1),
       "the ASCII word splitter agrees with this ICU's on its sample");
    for (size_t len = 1; len <= 12; len++) {
        size_t count = 1;
        for (size_t i = 0; i < len && len <= 4; i++)
            count *= k;
        if (len > 4)
            count = 2500;
        for (size_t c = 0; c < count; c++) {
            size_t v = c;
            for (size_t i = 0; i < len; i++) {
                if (len <= 4) {
                    text[i] = alphabet[v % k];
                    v /= k;
                } else {
                    seed = seed * 1103515245u + 12345u;
                    text[i] = alphabet[(seed >> 16) % k];
                }
            }
            text[len] = '\0';
            sp_analyzer_plain_words(an, 1);
            char *plain = analyze(text, len, NULL, 1, TERMS, NULL);
            sp_analyzer_plain_words(an, 0);
            char *icu = analyze(text, len, NULL, 1, TERMS, NULL);
            tried++;
            if (strcmp(plain, icu) != 0 && differ++ == 0)
                diag("\"%s\": %s against ICU's %s", text, plain, icu);
            free(plain);
            free(icu);
        }
    }
    sp_analyzer_plain_words(an, 1);
    diag("%zu strings compared", tried);
    ok(differ == 0, "ASCII words: the same tokens as ICU's on every string");
}

/* ---- sp_analyzer_run_for: terms left out, nothing else changed ---- */

struct ftok {
    char term[256]; /* "" and no_term set when left out */
    char exact[256];
    int no_term;
    uint32_t pos;
    size_t start, end;
    unsigned flags;
};

struct ftoks {
    struct ftok *v;
    size_t n, cap;
};

static int collect_ftok(void *ctx, const sp_token *t)
{
    struct ftoks *k = ctx;
    struct ftok *f;

    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 256;
        struct ftok *v = realloc(k->v, cap * sizeof *v);
        if (v == NULL) {
            printf("Bail out! out of memory\n");
            exit(99);
        }
        k->v = v;
        k->cap = cap;
    }
    f = &k->v[k->n++];
    f->no_term = t->term == NULL;
    snprintf(f->term, sizeof f->term, "%.*s", (int)t->term_len,
             t->term ? t->term : "");
    snprintf(f->exact, sizeof f->exact, "%.*s", (int)t->exact_len,
             t->exact);
    f->pos = t->pos;
    f->start = t->start;
    f->end = t->end;
    f->flags = t->flags;
    return 0;
}

/* Compares sp_analyzer_run_for with the first bytes of wanted and
 * sp_analyzer_run on text: every token the same, with its term unless that
 * term does not start with one of them.  Adds the terms left out to
 * *left_out and returns how many tokens differ (each told in a diag). */
static size_t check_run_for(const char *name, const char *text, size_t len,
                            const char *lang, const char *wanted,
                            size_t *left_out)
{
    struct ftoks all = {NULL, 0, 0}, some = {NULL, 0, 0};
    sp_firsts firsts;
    sp_error err;
    size_t i, bad = 0;
    const char *w;

    memset(&firsts, 0, sizeof firsts);
    for (w = wanted; *w != '\0'; w++) {
        char one[2] = {*w, '\0'};
        sp_analyzer_firsts_add(&firsts, one);
    }
    if (sp_analyzer_run(an, text, len, lang, 1, collect_ftok, &all, NULL,
                        &err) != SPSEARCH_OK ||
        sp_analyzer_run_for(an, text, len, lang, 1, &firsts, collect_ftok,
                            &some, NULL, &err) != SPSEARCH_OK) {
        printf("Bail out! analyzing %s: %s\n", name, err.msg);
        exit(99);
    }
    if (some.n != all.n) {
        diag("%s, terms \"%s\": %zu tokens, not %zu", name, wanted, some.n,
             all.n);
        bad++;
    }
    for (i = 0; i < all.n && i < some.n; i++) {
        const struct ftok *a = &all.v[i], *b = &some.v[i];
        int same = strcmp(a->exact, b->exact) == 0 && a->pos == b->pos &&
                   a->start == b->start && a->end == b->end &&
                   a->flags == b->flags && !a->no_term;
        if (b->no_term) {
            unsigned char c = (unsigned char)a->term[0];
            (*left_out)++;
            same = same && b->term[0] == '\0' && a->term[0] != '\0' &&
                   strchr(wanted, c) == NULL;
        } else {
            same = same && strcmp(a->term, b->term) == 0;
        }
        if (!same && bad++ < 5)
            diag("%s, terms \"%s\": token %zu: \"%s\" (%s) became "
                 "\"%s\"%s (%s)", name, wanted, i, a->term, a->exact,
                 b->term, b->no_term ? " left out" : "", b->exact);
    }
    free(all.v);
    free(some.v);
    return bad;
}

static void test_run_for(void)
{
#define RUN_FOR_TABLE(t) {#t, (t), sizeof(t) / sizeof((t)[0])}
    static const struct {
        const char *name;
        const struct tcase *c;
        size_t n;
    } tables[] = {
        RUN_FOR_TABLE(apostrophes), RUN_FOR_TABLE(punctuation),
        RUN_FOR_TABLE(compounds),   RUN_FOR_TABLE(acronyms),
        RUN_FOR_TABLE(folding),     RUN_FOR_TABLE(numbers),
        RUN_FOR_TABLE(ideographic), RUN_FOR_TABLE(cyrillic),
        RUN_FOR_TABLE(languages),
    };
#undef RUN_FOR_TABLE
    /* None, one, and bytes that start terms in odd ways: an apostrophe,
     * a digit, the lead byte of "é" and of Cyrillic. */
    static const char *const wanted[] = {"", "r", "s'", "2u", "\xc3\xd0"};
    static const char *const files[] = {"000_d9a4be1c3b1e15b8.txt",
                                        "003_007efc6446bec603.txt"};
    const char *top = getenv("top_srcdir");
    size_t t, i, w, left_out = 0, bad;
    struct ftoks none = {NULL, 0, 0};
    sp_error err;
    char what[300];

    diag("sp_analyzer_run_for");
    for (t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        bad = 0;
        for (i = 0; i < tables[t].n; i++) {
            const struct tcase *c = &tables[t].c[i];
            for (w = 0; w < sizeof wanted / sizeof wanted[0]; w++)
                bad += check_run_for(c->text, c->text, strlen(c->text),
                                     c->lang, wanted[w], &left_out);
        }
        snprintf(what, sizeof what,
                 "table %s: same tokens as sp_analyzer_run, a term only "
                 "left out when it starts otherwise", tables[t].name);
        is_long(bad, 0, what);
    }
    ok(left_out > 0, "some terms of the tables were left out");
    for (i = 0; top != NULL && *top != '\0' &&
                i < sizeof files / sizeof files[0];
         i++) {
        char path[4096];
        size_t len = 0;
        char *text;

        snprintf(path, sizeof path, "%s/corpus/%s", top, files[i]);
        text = read_file(path, &len);
        if (!ok(text != NULL, "read a corpus file"))
            continue;
        left_out = 0;
        bad = 0;
        for (w = 0; w < sizeof wanted / sizeof wanted[0]; w++)
            bad += check_run_for(files[i], text, len, NULL, wanted[w],
                                 &left_out);
        snprintf(what, sizeof what,
                 "%s: same tokens as sp_analyzer_run, a term only left out "
                 "when it starts otherwise", files[i]);
        is_long(bad, 0, what);
        snprintf(what, sizeof what, "%s: some terms left out", files[i]);
        ok(left_out > 0, what);
        free(text);
    }
    /* Without a set, every term is there. */
    if (sp_analyzer_run_for(an, "Roscosmos launched", 18, NULL, 1, NULL,
                            collect_ftok, &none, NULL, &err) != SPSEARCH_OK) {
        printf("Bail out! sp_analyzer_run_for: %s\n", err.msg);
        exit(99);
    }
    ok(none.n == 2 && !none.v[0].no_term && !none.v[1].no_term &&
           strcmp(none.v[0].term, "roscosmo") == 0 &&
           strcmp(none.v[1].term, "launch") == 0,
       "no set: every term worked out");
    free(none.v);
}

static void test_detect_lang(void)
{
    static const struct {
        const char *text;
        const char *want;
    } c[] = {
        {"The heads of Russia`s Roscosmos and the United States` NASA held "
         "their first face-to-face discussions since 2018.",
         "en"},
        {"Die Zusammenarbeit der beiden Raumfahrtagenturen ist nicht "
         "einfach, und das wissen auch die Beteiligten in der Politik.",
         "de"},
        {"La coop\xc3\xa9ration entre les deux agences est une question de "
         "politique et les dirigeants le savent dans le monde.",
         "fr"},
        {"La cooperaci\xc3\xb3n entre las dos agencias es importante y los "
         "directores dicen que el programa del espacio sigue.",
         "es"},
        {"\xd0\x93\xd0\xbb\xd0\xb0\xd0\xb2\xd0\xb0 \xd0\xa0\xd0\xbe\xd1\x81"
         "\xd0\xba\xd0\xbe\xd1\x81\xd0\xbc\xd0\xbe\xd1\x81\xd0\xb0 "
         "\xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x82\xd0\xb8\xd0\xbb"
         "\xd1\x81\xd1\x8f \xd1\x81 NASA",
         "ru"},
        {"\xe6\x88\x91\xe4\xbb\xac\xe5\x9c\xa8\xe5\x8c\x97\xe4\xba\xac\xe5"
         "\xa4\xa7\xe5\xad\xa6\xe5\xad\xa6\xe4\xb9\xa0",
         "zh"},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x96\x87\xe7"
         "\xab\xa0\xe3\x82\x92\xe6\x9b\xb8\xe3\x81\x8d\xe3\x81\xbe\xe3\x81"
         "\x99",
         "ja"},
        {"\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0"
         "\xb8\x97\xe0\xb8\xa2",
         "th"},
        {"", NULL},
        {"2025-07-31 12:00", NULL},
        {"NASA Roscosmos ISS", NULL},
    };
    size_t i;

    diag("language detection");
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        char what[120];
        snprintf(what, sizeof what, "detect_lang(\"%.60s\")", c[i].text);
        is_str(sp_analyzer_detect_lang(c[i].text, strlen(c[i].text)),
               c[i].want, what);
    }
    is_str(sp_analyzer_detect_lang(NULL, 0), NULL, "detect_lang(NULL)");
}

/* ---- pair words (shared/pairs.h) ---- */

static int count_pair_words(void *ctx, const sp_token *t)
{
    int *counts = ctx;
    counts[sp_pair_word(t->term, t->term_len) ? 0 : 1]++;
    return 0;
}

/* The pair words are stems: each function word they stand for must come
 * out of the analyzer as one of them, or its pairs would never be
 * indexed. */
static void test_pair_words(void)
{
    static const char words[] =
        "The of and to a in that is was be it for on with as by at from "
        "this are not or have has had an but which we they I he she you "
        "his her its their our my your them us him me will would can "
        "could should may must shall there these those such than more so "
        "if no all any some other one only also been were being do does "
        "did into what who when upon";
    int counts[2] = {0, 0};
    sp_error err;
    ok(sp_analyzer_run(an, words, strlen(words), "en", 1, count_pair_words,
                       counts, NULL, &err) == SPSEARCH_OK &&
           counts[0] == 80 && counts[1] == 0,
       "pairs: the 80 function words all stem to pair words");
    static const char others[] =
        "government time states thee then inn onl ther";
    counts[0] = counts[1] = 0;
    ok(sp_analyzer_run(an, others, strlen(others), "en", 1, count_pair_words,
                       counts, NULL, &err) == SPSEARCH_OK &&
           counts[0] == 0,
       "pairs: other words are not pair words");
    ok(!sp_pair_word("", 0) && !sp_pair_word("the", 2) &&
           sp_pair_word("thex", 3) && !sp_pair_word("thex", 4),
       "pairs: a stem is compared by its length, not up to a NUL");
    char buf[16];
    size_t n = 0;
    ok(sp_pair_term(buf, sizeof buf, "in", 2, "the", 3, &n) == SPSEARCH_OK &&
           n == 8 && strcmp(buf, "XPin the") == 0,
       "pairs: the pair term is the prefix and the stems, spaced");
    ok(sp_pair_term(buf, 8, "in", 2, "the", 3, &n) == SPSEARCH_INVALID,
       "pairs: a pair term that does not fit is refused");
}

static void test_new(void)
{
    sp_analyzer *a = an; /* not NULL, to see it cleared */
    sp_error err;
    char want[32];

    diag("making analyzers");
    is_long(sp_analyzer_new("klingon", &a, &err), SPSEARCH_INVALID,
            "an unknown default language is refused");
    ok(a == NULL, "... and *out is NULL");
    ok(strstr(err.msg, "klingon") != NULL, "... and the message names it");
    is_long(sp_analyzer_new("ru", &a, &err), SPSEARCH_OK, "ru is known");
    sp_analyzer_free(a);
    is_long(sp_analyzer_new(NULL, &a, &err), SPSEARCH_OK,
            "NULL means English");
    sp_analyzer_free(a);
    sp_analyzer_free(NULL);
    ok(1, "sp_analyzer_free(NULL) is harmless");

    snprintf(want, sizeof want, "%d.", U_ICU_VERSION_MAJOR_NUM);
    ok(strncmp(sp_analyzer_icu_version(), want, strlen(want)) == 0,
       "the ICU version has the major number we built with");
    diag("ICU %s", sp_analyzer_icu_version());
}

int main(void)
{
    sp_error err;

    /* Nothing is written, but every test runs in its own directory. */
    tap_tmpdir("analyzer");
    if (sp_analyzer_new("en", &an, &err) != SPSEARCH_OK) {
        printf("Bail out! sp_analyzer_new: %s\n", err.msg);
        return 99;
    }
    TABLE("apostrophes", apostrophes);
    TABLE("quotes and dashes", punctuation);
    TABLE("hyphenated compounds", compounds);
    TABLE("acronyms", acronyms);
    TABLE("folding", folding);
    TABLE("numbers", numbers);
    TABLE("Chinese, Japanese, Thai", ideographic);
    TABLE("Cyrillic", cyrillic);
    TABLE("languages", languages);
    test_invalid_utf8();
    test_runs();
    test_long_compound();
    test_huge();
    test_corpus();
    test_plain_words();
    test_run_for();
    test_detect_lang();
    test_new();
    test_pair_words();
    sp_analyzer_free(an);
    /* Only a test may do this: it frees ICU's caches for valgrind. */
    u_cleanup();
    return tap_done();
}
