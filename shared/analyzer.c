/*
 * analyzer.c - text to terms with ICU and Snowball (see analyzer.h).
 *
 * The input is decoded once into a UTF-16 buffer that ICU can break, with a
 * parallel array giving the byte offset of each UTF-16 unit in the input, so
 * that tokens report exact byte ranges whatever normalization does to their
 * text.  Typographic variants are unified during decoding, one unit for one
 * unit, so the mapping stays exact.
 *
 * Words are kept in a short chain while they are joined by single hyphens,
 * because the joined form of a compound is emitted right after its first
 * part and so cannot be built before the last part has been read.
 *
 * All buffers belong to the analyzer and only grow; no memory is allocated
 * per token.  Huge inputs are analyzed in chunks cut at whitespace, which
 * bounds those buffers and keeps offsets within ICU's int32_t indexes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

#include "shared/analyzer.h"
#include "shared/xdb.h"

/* Longest term or exact form in bytes: Xapian refuses terms much over 245
 * bytes, and the index adds a prefix to exact forms. */
#define TERM_MAX 200
/* UTF-16 units of one word that are normalized.  The rest of a longer
 * "word" (a run of letters without spaces) could not fit in TERM_MAX
 * anyway; this bounds the work on such input. */
#define SEG_MAX 512
/* Parts of a hyphenated compound that are joined into one term. */
#define CHAIN_MAX 16
/* Input bytes analyzed at once. */
#define CHUNK_MAX ((size_t)1 << 20)
/* How far back from CHUNK_MAX a chunk may end to end at whitespace. */
#define CHUNK_SLACK ((size_t)1 << 16)
/* Room for a stem: stemmers may lengthen a word a little. */
#define STEM_BUF (2 * TERM_MAX + 64)

/* Stems remembered per analyzer.  Word frequencies are skewed, so a small
 * direct-mapped cache answers most words; it halved the time per token on
 * the corpus, where calling the stemmer had been half the work. */
#define STEM_CACHE 4096 /* entries, a power of two */
#define STEM_CACHE_WORD 27
#define STEM_CACHE_STEM 32

/* A flag for initialisms written with dots ("U.S."), kept off the flags the
 * caller sees. */
#define TOK_DOTTED 0x100u
#define TOK_PUBLIC 0xffu

/* Writing systems, as far as stemming cares. */
enum {
    SC_NOSTEM,  /* the language "none": nothing is stemmed */
    SC_AUTO,    /* unknown language: every word by its own script */
    SC_LATIN,
    SC_CYRILLIC,
    SC_ARABIC,
    SC_ARMENIAN,
    SC_DEVANAGARI,
    SC_TAMIL,
    SC_OTHER
};

struct lang {
    const char *code; /* ISO 639-1, or the stemmer's name where none fits */
    const char *name; /* Xapian's name, also accepted as input */
    const char *stemmer;
    int script;
    /* The stemmer knows the language's accented letters ("-ções",
     * "-ação"), so it gets the word with them and its stem is folded
     * after.  The others (English, Russian...) know only plain letters:
     * "résumés" must reach English as "resumes", "ёлки" Russian as
     * "елки". */
    int accents;
};

/* The languages of Xapian 1.4's stemmers, plus a few that have none but
 * whose texts we recognize.  Aliases get their own rows: the stemmer cache
 * is per row, and a second stemmer for an alias costs nothing until used. */
static const struct lang langs[] = {
    {"none", "none", "none", SC_NOSTEM, 0},
    {"auto", "auto", "none", SC_AUTO, 0},
    {"en", "english", "english", SC_LATIN, 0},
    {"ru", "russian", "russian", SC_CYRILLIC, 0},
    {"de", "german", "german", SC_LATIN, 1},
    {"fr", "french", "french", SC_LATIN, 1},
    {"es", "spanish", "spanish", SC_LATIN, 1},
    {"it", "italian", "italian", SC_LATIN, 1},
    {"pt", "portuguese", "portuguese", SC_LATIN, 1},
    {"nl", "dutch", "dutch", SC_LATIN, 1},
    {"sv", "swedish", "swedish", SC_LATIN, 1},
    {"da", "danish", "danish", SC_LATIN, 1},
    {"no", "norwegian", "norwegian", SC_LATIN, 1},
    {"nb", "bokmal", "norwegian", SC_LATIN, 1},
    {"nn", "nynorsk", "norwegian", SC_LATIN, 1},
    {"fi", "finnish", "finnish", SC_LATIN, 1},
    {"hu", "hungarian", "hungarian", SC_LATIN, 1},
    {"ro", "romanian", "romanian", SC_LATIN, 1},
    {"tr", "turkish", "turkish", SC_LATIN, 1},
    {"ca", "catalan", "catalan", SC_LATIN, 1},
    {"eu", "basque", "basque", SC_LATIN, 1},
    {"ga", "irish", "irish", SC_LATIN, 1},
    {"id", "indonesian", "indonesian", SC_LATIN, 0},
    {"lt", "lithuanian", "lithuanian", SC_LATIN, 1},
    {"ar", "arabic", "arabic", SC_ARABIC, 0},
    {"hy", "armenian", "armenian", SC_ARMENIAN, 0},
    {"ne", "nepali", "nepali", SC_DEVANAGARI, 0},
    {"ta", "tamil", "tamil", SC_TAMIL, 0},
    {"porter", "porter", "porter", SC_LATIN, 0},
    {"lovins", "lovins", "lovins", SC_LATIN, 0},
    {"german2", "german2", "german2", SC_LATIN, 1},
    {"kraaij_pohlmann", "kraaij_pohlmann", "kraaij_pohlmann", SC_LATIN, 1},
    {"earlyenglish", "earlyenglish", "earlyenglish", SC_LATIN, 0},
    /* No stemmer; their words are not stemmed, but Latin and Cyrillic
     * words inside them still are, by their own script. */
    {"zh", "chinese", "none", SC_OTHER, 0},
    {"ja", "japanese", "none", SC_OTHER, 0},
    {"ko", "korean", "none", SC_OTHER, 0},
    {"th", "thai", "none", SC_OTHER, 0},
    {"el", "greek", "none", SC_OTHER, 0},
    {"uk", "ukrainian", "none", SC_CYRILLIC, 0},
    {"bg", "bulgarian", "none", SC_CYRILLIC, 0},
    {"hi", "hindi", "none", SC_DEVANAGARI, 0},
};
#define N_LANGS (sizeof langs / sizeof langs[0])
#define LANG_NONE 0
#define LANG_AUTO 1
#define LANG_EN 2
#define LANG_RU 3

/* A word waiting in a compound chain, with its own copies of its forms. */
struct tok {
    size_t start, end;   /* bytes in the whole input */
    int32_t uend;        /* UTF-16 end in the chunk, past an initialism dot */
    unsigned flags;
    int lang;            /* the row whose stemmer applies, or LANG_NONE */
    size_t exact_len, base_len, term_len;
    int no_term; /* the term was not worked out (see term_unwanted) */
    char exact[TERM_MAX + 1];
    char base[TERM_MAX + 1]; /* exact without diacritics, unstemmed */
    char term[TERM_MAX + 1];
};

struct stem_entry {
    unsigned char lang; /* row + 1; 0 for an empty entry */
    unsigned char wlen, slen;
    char word[STEM_CACHE_WORD];
    char stem[STEM_CACHE_STEM];
};

/* A growable UTF-16 buffer for normalizer output. */
struct ubuf {
    UChar *p;
    int32_t cap;
    int32_t len;
};

struct sp_analyzer {
    int lang; /* the default language's row */
    sp_xstem *stem[N_LANGS];
    /* Rows that stem, worked out once: asked for every word. */
    unsigned char stems[N_LANGS];
    struct stem_entry *cache; /* STEM_CACHE entries */
    UBreakIterator *brk;
    const UNormalizer2 *nfkc_cf;
    const UNormalizer2 *nfd;
    const UNormalizer2 *nfc;

    /* The chunk being analyzed, in UTF-16, and each unit's byte offset in
     * the chunk; map[n] is the chunk's length. */
    UChar *u16;
    uint32_t *map;
    size_t cap;
    int32_t n;
    const unsigned char *chunk; /* the chunk's bytes */
    size_t chunk_off;           /* its offset in the whole input */
    size_t invalid;
    int chunk_plain; /* the chunk decoded to ASCII without '@' or '_' */
    int plain_words; /* such chunks are segmented by plain_word() */

    struct ubuf nb1, nb2;
    char stembuf[STEM_BUF];

    struct tok chain[CHAIN_MAX];
    size_t nchain;
    int chain_cont; /* the chain continues one cut at CHAIN_MAX */
    struct tok joined;

    /* The run in progress. */
    int run_lang;
    const sp_firsts *firsts; /* see sp_analyzer_run_for; NULL: all terms */
    uint32_t pos;
    sp_token_fn fn;
    void *ctx;
    int stopped;
};

static spsearch_status_t nomem(sp_error *err, const char *doing)
{
    return sp_error_set(err, SPSEARCH_NOMEM, "analyzer: %s: out of memory",
                        doing);
}

static spsearch_status_t icu_fail(sp_error *err, UErrorCode st,
                                  const char *doing)
{
    if (st == U_MEMORY_ALLOCATION_ERROR)
        return nomem(err, doing);
    return sp_error_set(err, SPSEARCH_INTERNAL, "analyzer: %s: ICU error %s",
                        doing, u_errorName(st));
}

/* Finds a language by ISO code or Xapian name, ignoring case and a region
 * ("en-GB", "pt_BR").  Returns its row, or -1. */
static int lang_find(const char *name)
{
    char key[32];
    size_t i, n = strlen(name);
    int pass;

    if (n >= sizeof key)
        return -1;
    for (i = 0; i < n; i++) {
        char c = name[i];
        key[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    key[n] = '\0';
    /* The second pass drops a region, but only after the whole name
     * failed, since "kraaij_pohlmann" contains an underscore. */
    for (pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            char *cut = strpbrk(key, "-_");
            if (cut == NULL)
                break;
            *cut = '\0';
        }
        for (i = 0; i < N_LANGS; i++) {
            if (strcmp(key, langs[i].code) == 0 ||
                strcmp(key, langs[i].name) == 0)
                return (int)i;
        }
    }
    return -1;
}

/* Maps a character's script to what stemming cares about. */
static int script_class(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &st);

    if (U_FAILURE(st))
        return SC_OTHER;
    switch (sc) {
    case USCRIPT_LATIN:
        return SC_LATIN;
    case USCRIPT_CYRILLIC:
        return SC_CYRILLIC;
    case USCRIPT_ARABIC:
        return SC_ARABIC;
    case USCRIPT_ARMENIAN:
        return SC_ARMENIAN;
    case USCRIPT_DEVANAGARI:
        return SC_DEVANAGARI;
    case USCRIPT_TAMIL:
        return SC_TAMIL;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
        return SC_NOSTEM; /* no script of its own */
    default:
        return SC_OTHER;
    }
}

/* Scripts written without spaces, which ICU breaks with dictionaries but
 * reports as plain letters. */
static int is_dict_script(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &st);

    return U_SUCCESS(st) && (sc == USCRIPT_THAI || sc == USCRIPT_LAO ||
                             sc == USCRIPT_KHMER || sc == USCRIPT_MYANMAR);
}

/* The stemmer for a word of script sc in a text of language lang.  A word
 * in the language's own script takes its stemmer; any other word takes the
 * stemmer of its script's main language, so that a Cyrillic name in English
 * text is not fed to the English stemmer, nor an English name in Russian
 * text left unstemmed where an English query would stem it. */
static int stem_lang(int lang, int sc)
{
    if (langs[lang].script == SC_NOSTEM)
        return LANG_NONE;
    if (sc == langs[lang].script)
        return lang;
    switch (sc) {
    case SC_LATIN:
        return LANG_EN;
    case SC_CYRILLIC:
        return LANG_RU;
    case SC_ARABIC:
        return lang_find("ar");
    case SC_ARMENIAN:
        return lang_find("hy");
    case SC_TAMIL:
        return lang_find("ta");
    default:
        return LANG_NONE; /* Devanagari: Hindi or Nepali, we cannot tell */
    }
}

spsearch_status_t sp_analyzer_new(const char *lang, sp_analyzer **out,
                                  sp_error *err)
{
    sp_analyzer *a;
    UErrorCode st = U_ZERO_ERROR;
    int row = lang_find(lang != NULL ? lang : "en");
    size_t i;

    *out = NULL;
    if (row < 0)
        return sp_error_set(err, SPSEARCH_INVALID,
                            "analyzer: unknown language '%s'", lang);
    a = calloc(1, sizeof *a);
    if (a == NULL)
        return nomem(err, "making an analyzer");
    a->lang = row;
    for (i = 0; i < N_LANGS; i++)
        a->stems[i] = i != LANG_NONE && strcmp(langs[i].stemmer, "none") != 0;
    a->cache = calloc(STEM_CACHE, sizeof *a->cache);
    if (a->cache == NULL) {
        free(a);
        return nomem(err, "making an analyzer");
    }
    /* The root locale, not the user's: indexing and searching must break
     * words the same way whatever the environment says. */
    a->brk = ubrk_open(UBRK_WORD, "root", NULL, 0, &st);
    if (U_SUCCESS(st))
        a->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_SUCCESS(st))
        a->nfd = unorm2_getNFDInstance(&st);
    if (U_SUCCESS(st))
        a->nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        sp_analyzer_free(a);
        return icu_fail(err, st, "opening ICU's word breaker and normalizers");
    }
    sp_analyzer_plain_words(a, 1);
    *out = a;
    return SPSEARCH_OK;
}

void sp_analyzer_free(sp_analyzer *a)
{
    size_t i;

    if (a == NULL)
        return;
    for (i = 0; i < N_LANGS; i++)
        sp_xstem_free(a->stem[i]);
    if (a->brk != NULL)
        ubrk_close(a->brk);
    free(a->u16);
    free(a->map);
    free(a->nb1.p);
    free(a->nb2.p);
    free(a->cache);
    free(a);
}

/* Typographic variants, replaced one unit for one unit before breaking: a
 * backtick or curly apostrophe inside a word must join it as "'" does. */
static UChar32 unify(UChar32 c)
{
    switch (c) {
    case 0x0060: /* ` */
    case 0x2019: /* ’ */
    case 0x02BC: /* ʼ */
    case 0x2032: /* ′ */
    case 0x2018: /* ‘ */
        return '\'';
    case 0x2010: /* ‐ */
    case 0x2011: /* ‑ */
    case 0x2013: /* – */
    case 0x2014: /* — */
        return '-';
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x201E: /* „ */
    case 0x00AB: /* « */
    case 0x00BB: /* » */
        return '"';
    default:
        return c;
    }
}

static int grow_chunk_buffers(sp_analyzer *a, size_t units)
{
    UChar *u;
    uint32_t *m;

    if (units <= a->cap)
        return 1;
    u = realloc(a->u16, units * sizeof *u);
    if (u == NULL)
        return 0;
    a->u16 = u;
    m = realloc(a->map, units * sizeof *m);
    if (m == NULL)
        return 0;
    a->map = m;
    a->cap = units;
    return 1;
}

/* Decodes the chunk p[0..len) into a->u16 and a->map.  Each maximal
 * invalid subsequence (as Unicode recommends) becomes one U+FFFD. */
static spsearch_status_t decode(sp_analyzer *a, const unsigned char *p,
                                size_t len, sp_error *err)
{
    size_t i = 0;
    int32_t n = 0;
    UChar *u;
    uint32_t *map;

    /* One unit per byte at most (4-byte sequences give 2), plus the end. */
    if (!grow_chunk_buffers(a, len + 1))
        return nomem(err, "decoding text");
    u = a->u16;
    map = a->map;
    a->chunk_plain = 1;
    while (i < len) {
        unsigned c = p[i];
        unsigned lo = 0x80, hi = 0xBF;
        size_t need, k, j;
        UChar32 cp;

        if (c < 0x80) {
            map[n] = (uint32_t)i;
            u[n++] = (UChar)(c == 0x60 ? '\'' : c);
            if (c == '@' || c == '_')
                a->chunk_plain = 0;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = (UChar32)(c & 0x1F);
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = (UChar32)(c & 0x0F);
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = (UChar32)(c & 0x07);
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* beyond U+10FFFF */
        } else {
            need = 0;
            cp = 0;
        }
        j = i + 1;
        for (k = 0; k < need && j < len; k++) {
            unsigned b = p[j];
            if (b < lo || b > hi)
                break;
            lo = 0x80;
            hi = 0xBF;
            cp = (cp << 6) | (UChar32)(b & 0x3F);
            j++;
        }
        map[n] = (uint32_t)i;
        i = j;
        if (need == 0 || k < need) {
            a->chunk_plain = 0;
            u[n++] = 0xFFFD;
            a->invalid++;
            continue;
        }
        cp = unify(cp);
        if (cp >= 0x80)
            a->chunk_plain = 0;
        if (cp >= 0x10000) {
            u[n++] = U16_LEAD(cp);
            map[n] = map[n - 1];
            u[n++] = U16_TRAIL(cp);
        } else {
            u[n++] = (UChar)cp;
        }
    }
    map[n] = (uint32_t)len;
    a->n = n;
    return SPSEARCH_OK;
}

/* Normalizes src into dst, growing it as needed.  src and dst->p must not
 * overlap. */
static spsearch_status_t normalize(const UNormalizer2 *nz, const UChar *src,
                                   int32_t n, struct ubuf *dst, sp_error *err)
{
    for (;;) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t got = unorm2_normalize(nz, src, n, dst->p, dst->cap, &st);
        UChar *p;
        int32_t cap;

        if (U_SUCCESS(st)) {
            dst->len = got;
            return SPSEARCH_OK;
        }
        if (st != U_BUFFER_OVERFLOW_ERROR)
            return icu_fail(err, st, "normalizing a word");
        cap = got + 64;
        p = realloc(dst->p, (size_t)cap * sizeof *p);
        if (p == NULL)
            return nomem(err, "normalizing a word");
        dst->p = p;
        dst->cap = cap;
    }
}

/* Writes s[0..n) as UTF-8 into out, stopping before a character that would
 * take it past max bytes, so a cut never splits a character.  Returns the
 * length; out gets a NUL after it. */
static size_t to_utf8(const UChar *s, int32_t n, char *out, size_t max)
{
    size_t len = 0;
    int32_t i = 0;

    while (i < n) {
        UChar32 c;
        unsigned char b[4];
        size_t w;

        U16_NEXT(s, i, n, c);
        if (U_IS_SURROGATE(c))
            c = 0xFFFD; /* unpaired: cannot happen from our decoder */
        if (c < 0x80) {
            b[0] = (unsigned char)c;
            w = 1;
        } else if (c < 0x800) {
            b[0] = (unsigned char)(0xC0 | (c >> 6));
            b[1] = (unsigned char)(0x80 | (c & 0x3F));
            w = 2;
        } else if (c < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (c >> 12));
            b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (c & 0x3F));
            w = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (c >> 18));
            b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            b[3] = (unsigned char)(0x80 | (c & 0x3F));
            w = 4;
        }
        if (len + w > max)
            break;
        memcpy(out + len, b, w);
        len += w;
    }
    out[len] = '\0';
    return len;
}

/* Length of the longest prefix of s[0..len) no longer than max bytes that
 * ends on a character boundary. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    len = max;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* Whether the marks on base c are diacritics to fold for matching.  In
 * Latin, Greek, Cyrillic, Arabic and Hebrew they are accents or vowel
 * points; in Indic and Southeast Asian scripts they are vowels and removing
 * them would change the word. */
static int folds_marks(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &st);

    if (U_FAILURE(st))
        return 0;
    return sc == USCRIPT_LATIN || sc == USCRIPT_GREEK ||
           sc == USCRIPT_CYRILLIC || sc == USCRIPT_ARABIC ||
           sc == USCRIPT_HEBREW || sc == USCRIPT_COMMON ||
           sc == USCRIPT_INHERITED;
}

/* Turns the NFKC-casefolded word in a->nb1 into its matching form, in
 * place: diacritics dropped and, for numbers, other decimal digits made
 * ASCII. */
static spsearch_status_t fold(sp_analyzer *a, int digits, sp_error *err)
{
    struct ubuf *in = &a->nb1;
    UChar32 base = 0;
    int32_t i, w;
    int change = 0;
    UErrorCode st = U_ZERO_ERROR;
    spsearch_status_t rc;

    /* Most words have no mark and nothing to decompose; skip them fast. */
    if (unorm2_spanQuickCheckYes(a->nfd, in->p, in->len, &st) < in->len ||
        U_FAILURE(st))
        change = 1;
    for (i = 0; i < in->len && !change;) {
        UChar32 c;
        U16_NEXT(in->p, i, in->len, c);
        if (c >= 0x300 &&
            (u_charType(c) == U_NON_SPACING_MARK ||
             (digits && c > '9' && u_charType(c) == U_DECIMAL_DIGIT_NUMBER)))
            change = 1;
    }
    if (!change)
        return SPSEARCH_OK;

    rc = normalize(a->nfd, in->p, in->len, &a->nb2, err);
    if (rc != SPSEARCH_OK)
        return rc;
    /* Filter nb2 in place: the output never outruns the input. */
    for (i = 0, w = 0; i < a->nb2.len;) {
        UChar32 c;
        int32_t at = i;
        U16_NEXT(a->nb2.p, i, a->nb2.len, c);
        if (u_charType(c) == U_NON_SPACING_MARK) {
            /* Keep the breve of Cyrillic "й": it is a letter of its own
             * that the Russian stemmer relies on, not an accent. */
            int keep = base == 0x0438 && c == 0x0306;
            if (!keep && folds_marks(base))
                continue;
        } else {
            base = c;
            if (digits && c > '9' && u_charType(c) == U_DECIMAL_DIGIT_NUMBER)
                c = '0' + u_charDigitValue(c);
        }
        if (U_IS_SUPPLEMENTARY(c)) {
            a->nb2.p[w++] = a->nb2.p[at];
            a->nb2.p[w++] = a->nb2.p[at + 1];
        } else {
            a->nb2.p[w++] = (UChar)c;
        }
    }
    a->nb2.len = w;
    /* Recompose, through nb1 (no longer needed) as scratch: Hangul and
     * the kept marks must come back as the characters NFKC gave. */
    return normalize(a->nfc, a->nb2.p, a->nb2.len, &a->nb1, err);
}

/* "U.S", "J.F.K", "e.g": single letters separated by single dots. */
static int is_initialism(const UChar *u, int32_t n)
{
    int32_t i = 0;
    int letters = 0;

    for (;;) {
        UChar32 c;
        if (i >= n)
            return 0;
        U16_NEXT(u, i, n, c);
        /* The only letters in ASCII are A-Z and a-z; most words are
         * ASCII, and this runs for every word. */
        if (c < 0x80 ? !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                     : !u_isalpha(c))
            return 0;
        letters++;
        if (i == n)
            return letters >= 2;
        if (u[i] != '.')
            return 0;
        i++;
    }
}

/* "NASA", "ISS", "NASA's": two or more capitals and no small letter,
 * possibly with a possessive "'s". */
static int is_all_caps(const UChar *u, int32_t n)
{
    int32_t i = 0;
    int upper = 0;

    while (i < n) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (c == '\'') {
            int32_t rest = n - i;
            if (rest > 1 || (rest == 1 && u[i] != 's' && u[i] != 'S'))
                return 0;
            break;
        }
        if (c < 0x80) {
            if (c >= 'a' && c <= 'z')
                return 0;
            if (c >= 'A' && c <= 'Z')
                upper++;
        } else if (u_islower(c)) {
            return 0;
        } else if (u_isupper(c)) {
            upper++;
        }
    }
    return upper >= 2;
}

static sp_xstem *stemmer(sp_analyzer *a, int row, spsearch_status_t *rc,
                         sp_error *err)
{
    if (a->stem[row] == NULL) {
        *rc = sp_xstem_new(langs[row].stemmer, &a->stem[row], err);
        if (*rc != SPSEARCH_OK && *rc != SPSEARCH_NOMEM)
            *rc = SPSEARCH_INTERNAL;
    }
    return a->stem[row];
}

/* Stems word[0..len) with row's stemmer into term (TERM_MAX + 1 bytes).
 * A stem that comes out empty or too long for the stemmer's buffer leaves
 * the word as it is. */
static spsearch_status_t stem_into(sp_analyzer *a, int row, const char *word,
                                   size_t len, char *term, size_t *term_len,
                                   sp_error *err)
{
    spsearch_status_t rc = SPSEARCH_OK;
    size_t got = 0;
    sp_xstem *st;
    struct stem_entry *ce = NULL;

    if (a->stems[row]) {
        if (len <= STEM_CACHE_WORD) {
            /* FNV-1a over the language and the word. */
            uint32_t h = 2166136261u ^ (uint32_t)row;
            size_t i;
            for (i = 0; i < len; i++)
                h = (h ^ (unsigned char)word[i]) * 16777619u;
            ce = &a->cache[h & (STEM_CACHE - 1)];
            if (ce->lang == row + 1 && ce->wlen == len &&
                memcmp(ce->word, word, len) == 0) {
                memcpy(term, ce->stem, ce->slen);
                term[ce->slen] = '\0';
                *term_len = ce->slen;
                return SPSEARCH_OK;
            }
        }
        st = stemmer(a, row, &rc, err);
        if (st == NULL)
            return rc;
        rc = sp_xstem_apply(st, word, len, a->stembuf, sizeof a->stembuf,
                            &got, err);
        if (rc == SPSEARCH_NOMEM)
            return rc;
        if (rc == SPSEARCH_OK && got > 0) {
            got = utf8_cut(a->stembuf, got, TERM_MAX);
            memcpy(term, a->stembuf, got);
            term[got] = '\0';
            *term_len = got;
            if (ce != NULL && got <= STEM_CACHE_STEM) {
                ce->lang = (unsigned char)(row + 1);
                ce->wlen = (unsigned char)len;
                ce->slen = (unsigned char)got;
                memcpy(ce->word, word, len);
                memcpy(ce->stem, term, got);
            }
            return SPSEARCH_OK;
        }
        if (rc != SPSEARCH_INVALID && rc != SPSEARCH_OK)
            return SPSEARCH_INTERNAL;
    }
    if (term != word)
        memmove(term, word, len);
    term[len] = '\0';
    *term_len = len;
    return SPSEARCH_OK;
}

/* Folds the diacritics of the UTF-8 word s[0..*len), in place (the result
 * is never longer). */
static spsearch_status_t fold_utf8(sp_analyzer *a, char *s, size_t *len,
                                   sp_error *err)
{
    for (;;) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t got;
        UChar *p;

        u_strFromUTF8(a->nb1.p, a->nb1.cap, &got, s, (int32_t)*len, &st);
        if (U_SUCCESS(st)) {
            spsearch_status_t rc;
            a->nb1.len = got;
            rc = fold(a, 0, err);
            if (rc == SPSEARCH_OK)
                *len = to_utf8(a->nb1.p, a->nb1.len, s, *len);
            return rc;
        }
        if (st != U_BUFFER_OVERFLOW_ERROR)
            return icu_fail(err, st, "folding a stem");
        p = realloc(a->nb1.p, ((size_t)got + 64) * sizeof *p);
        if (p == NULL)
            return nomem(err, "folding a stem");
        a->nb1.p = p;
        a->nb1.cap = got + 64;
    }
}

/* The term of a word with forms exact and base (exact without diacritics)
 * for row's stemmer: the stem of base, or for stemmers that know accents,
 * the stem of exact with its diacritics folded. */
static spsearch_status_t make_term(sp_analyzer *a, int row, const char *exact,
                                   size_t exact_len, const char *base,
                                   size_t base_len, char *term,
                                   size_t *term_len, sp_error *err)
{
    spsearch_status_t rc;

    if (!langs[row].accents ||
        (exact_len == base_len && memcmp(exact, base, base_len) == 0))
        return stem_into(a, row, base, base_len, term, term_len, err);
    rc = stem_into(a, row, exact, exact_len, term, term_len, err);
    if (rc != SPSEARCH_OK)
        return rc;
    return fold_utf8(a, term, term_len, err);
}

/* Whether the caller of sp_analyzer_run_for can do without the term of a
 * word with unstemmed form base for row's stemmer, because that term
 * cannot start with any byte the caller looks for.  Only where the term's
 * first byte is known without stemming: it is base's own when nothing is
 * stemmed, and the English stemmer (Porter2) changes a word's first
 * character only when that is an apostrophe, which its prelude deletes
 * (all its other steps work behind the first vowel, and its exceptions
 * keep their first letter; a check of every word of the bench corpus and
 * 19 million random ones found no other).  Stems that come out empty or
 * are cut keep base's first byte as well (see stem_into). */
static int term_unwanted(const sp_analyzer *a, int row, const char *base,
                         size_t base_len)
{
    unsigned char b;

    if (a->firsts == NULL || base_len == 0)
        return 0;
    b = (unsigned char)base[0];
    if (a->firsts->bit[b / 8] & (1u << (b % 8)))
        return 0;
    if (langs[row].accents)
        return 0;
    if (!a->stems[row])
        return 1;
    return row == LANG_EN && b != '\'';
}

/* Works out t's term, or leaves it out when term_unwanted allows. */
static spsearch_status_t term_of(sp_analyzer *a, struct tok *t,
                                 sp_error *err)
{
    if (term_unwanted(a, t->lang, t->base, t->base_len)) {
        t->no_term = 1;
        t->term[0] = '\0';
        t->term_len = 0;
        return SPSEARCH_OK;
    }
    t->no_term = 0;
    return make_term(a, t->lang, t->exact, t->exact_len, t->base,
                     t->base_len, t->term, &t->term_len, err);
}

/* Removes the dots of an initialism in place. */
static size_t strip_dots(char *s, size_t len)
{
    size_t i, w = 0;

    for (i = 0; i < len; i++) {
        if (s[i] != '.')
            s[w++] = s[i];
    }
    s[w] = '\0';
    return w;
}

/* Analyzes the word u16[s..e) with ICU rule status rule into t.  A word
 * that folds to nothing gets exact_len 0 and is dropped by the caller. */
static spsearch_status_t analyze_word(sp_analyzer *a, int32_t s, int32_t e,
                                      int32_t rule, struct tok *t,
                                      sp_error *err)
{
    const UChar *u = a->u16 + s;
    int32_t n = e - s, i;
    int ascii = 1, sc = SC_NOSTEM;
    UChar32 first;
    spsearch_status_t rc;

    for (i = 0; i < n; i++) {
        if (u[i] >= 0x80) {
            ascii = 0;
            break;
        }
    }
    i = 0;
    U16_NEXT(u, i, n, first);

    t->flags = 0;
    t->uend = e;
    if ((rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT) ||
        (first < 0x80 ? first >= '0' && first <= '9' : u_isdigit(first))) {
        t->flags |= SP_TOK_NUMBER;
    } else if ((rule >= UBRK_WORD_KANA && rule < UBRK_WORD_IDEO_LIMIT) ||
               (!ascii && is_dict_script(first))) {
        t->flags |= SP_TOK_IDEO;
    } else if (is_initialism(u, n)) {
        t->flags |= SP_TOK_ACRONYM | TOK_DOTTED;
        /* Take in the final dot, so that "U.S." is highlighted whole and
         * "U.S.-Russian" reads as a compound. */
        if (e < a->n && a->u16[e] == '.')
            t->uend = e + 1;
    } else if (is_all_caps(u, n)) {
        t->flags |= SP_TOK_ACRONYM;
    }
    t->start = a->chunk_off + a->map[s];
    t->end = a->chunk_off + a->map[t->uend];

    if (ascii) {
        /* Most words: NFKC case folding of ASCII is just lowercasing, and
         * there is nothing to decompose. */
        size_t len = (size_t)n < TERM_MAX ? (size_t)n : TERM_MAX;
        size_t k;
        for (k = 0; k < len; k++) {
            UChar c = u[k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
                sc = SC_LATIN;
            } else if (c >= 'a' && c <= 'z') {
                sc = SC_LATIN;
            }
            /* Both forms at once: ASCII has no diacritics to drop. */
            t->exact[k] = (char)c;
            t->base[k] = (char)c;
        }
        t->exact[len] = '\0';
        t->exact_len = len;
        t->base[len] = '\0';
        t->base_len = len;
    } else {
        int32_t m = n;

        if (m > SEG_MAX) {
            m = SEG_MAX;
            if (U16_IS_LEAD(u[m - 1]))
                m--;
        }
        rc = normalize(a->nfkc_cf, u, m, &a->nb1, err);
        if (rc != SPSEARCH_OK)
            return rc;
        t->exact_len = to_utf8(a->nb1.p, a->nb1.len, t->exact, TERM_MAX);
        for (i = 0; i < a->nb1.len && sc == SC_NOSTEM;) {
            UChar32 c;
            U16_NEXT(a->nb1.p, i, a->nb1.len, c);
            sc = script_class(c);
        }
        if (t->flags & SP_TOK_IDEO) {
            memcpy(t->base, t->exact, t->exact_len + 1);
            t->base_len = t->exact_len;
        } else {
            rc = fold(a, (t->flags & SP_TOK_NUMBER) != 0, err);
            if (rc != SPSEARCH_OK)
                return rc;
            t->base_len = to_utf8(a->nb1.p, a->nb1.len, t->base, TERM_MAX);
        }
    }
    if (t->flags & TOK_DOTTED)
        t->base_len = strip_dots(t->base, t->base_len);
    if (t->base_len == 0) {
        memcpy(t->base, t->exact, t->exact_len + 1);
        t->base_len = t->exact_len;
    }

    if (t->flags & (SP_TOK_NUMBER | SP_TOK_IDEO | TOK_DOTTED))
        t->lang = LANG_NONE;
    else
        t->lang = stem_lang(a->run_lang, sc);
    return term_of(a, t, err);
}

static void emit(sp_analyzer *a, const struct tok *t, uint32_t pos,
                 unsigned flags)
{
    sp_token tok;

    if (a->stopped)
        return;
    tok.term = t->no_term ? NULL : t->term;
    tok.term_len = t->term_len;
    tok.exact = t->exact;
    tok.exact_len = t->exact_len;
    tok.pos = pos;
    tok.start = t->start;
    tok.end = t->end;
    tok.flags = flags & TOK_PUBLIC;
    if (a->fn(a->ctx, &tok) != 0)
        a->stopped = 1;
}

/* Appends s[0..len) to buf (holding *blen bytes), as far as it fits in
 * TERM_MAX without splitting a character. */
static void append_cut(char *buf, size_t *blen, const char *s, size_t len)
{
    size_t room = TERM_MAX - *blen;

    len = utf8_cut(s, len, room);
    memcpy(buf + *blen, s, len);
    *blen += len;
    buf[*blen] = '\0';
}

/* Builds the joined form of the chain's parts into a->joined. */
static spsearch_status_t build_joined(sp_analyzer *a, sp_error *err)
{
    struct tok *j = &a->joined;
    const struct tok *last = &a->chain[a->nchain - 1];
    size_t i;

    j->exact_len = 0;
    j->base_len = 0;
    j->exact[0] = '\0';
    j->base[0] = '\0';
    for (i = 0; i < a->nchain; i++) {
        const struct tok *p = &a->chain[i];
        size_t before = j->exact_len;
        append_cut(j->exact, &j->exact_len, p->exact, p->exact_len);
        /* An initialism joins without its dots: "U.S.-Russian" is
         * "usrussian", as it would be written "USRussian". */
        if (p->flags & TOK_DOTTED)
            j->exact_len = before + strip_dots(j->exact + before,
                                               j->exact_len - before);
        append_cut(j->base, &j->base_len, p->base, p->base_len);
    }
    j->start = a->chain[0].start;
    j->end = last->end;
    j->flags = SP_TOK_JOINED;
    /* The end of a compound carries its inflection, so the last part's
     * stemmer decides; a number or ideograph there means none. */
    j->lang = last->lang;
    return term_of(a, j, err);
}

/* Emits the chain: a lone word as it is, a compound as its first part, its
 * joined form, then its other parts. */
static spsearch_status_t flush(sp_analyzer *a, sp_error *err)
{
    size_t i, nnum = 0;
    uint32_t first = a->pos;
    spsearch_status_t rc;

    /* After the callback said stop, nothing more counts as emitted, so
     * that next_pos is right after the last token the caller saw. */
    if (a->nchain == 0 || a->stopped) {
        a->nchain = 0;
        return SPSEARCH_OK;
    }
    if (a->nchain == 1 && !a->chain_cont) {
        emit(a, &a->chain[0], a->pos++, a->chain[0].flags);
        a->nchain = 0;
        return SPSEARCH_OK;
    }
    for (i = 0; i < a->nchain; i++) {
        if (a->chain[i].flags & SP_TOK_NUMBER)
            nnum++;
    }
    emit(a, &a->chain[0], a->pos++, a->chain[0].flags | SP_TOK_PART);
    /* Dates and phone numbers are not words to join. */
    if (a->nchain > 1 && nnum < a->nchain && !a->stopped) {
        rc = build_joined(a, err);
        if (rc != SPSEARCH_OK)
            return rc;
        emit(a, &a->joined, first, SP_TOK_JOINED);
    }
    for (i = 1; i < a->nchain && !a->stopped; i++)
        emit(a, &a->chain[i], a->pos++, a->chain[i].flags | SP_TOK_PART);
    a->nchain = 0;
    return SPSEARCH_OK;
}

/* Whether the word starting at s continues a compound whose last part ends
 * at prev_end: exactly one hyphen between them.  The em dash, unified to
 * '-' like the others, is a break between clauses, not a hyphen; the en
 * dash joins ("US–Russia talks"). */
static int hyphen_link(const sp_analyzer *a, int32_t prev_end, int32_t s)
{
    const unsigned char *b;

    if (s != prev_end + 1 || a->u16[prev_end] != '-')
        return 0;
    b = a->chunk + a->map[prev_end];
    return !(b[0] == 0xE2 && b[1] == 0x80 && b[2] == 0x94);
}

static int is_alpha(UChar c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(UChar c)
{
    return c >= '0' && c <= '9';
}

/* The next word of ASCII text u[*at..n) as ICU's root word rules find it
 * (UAX #29, ICU 72), without ICU's rule machine, which was a third of the
 * highlighting of a search's hits: letters and digits join; a '.' or an
 * apostrophe joins two letters; a '.', ',', ';' or apostrophe joins two
 * digits.  The status is ICU's too: a number when the word ends in a
 * digit ("ab12"), else letters.  ICU 72 also joins at '@' and '_', so
 * text with those goes to ICU (see decode).  Returns 0 past the last
 * word.  test-analyzer compares the two on every short string over the
 * characters that matter, and sp_analyzer_new on a sample, at run time,
 * against the ICU it runs with. */
static int plain_word(const UChar *u, int32_t n, int32_t *at, int32_t *s,
                      int32_t *e, int32_t *rule)
{
    int32_t i = *at;

    while (i < n && !is_alpha(u[i]) && !is_digit(u[i]))
        i++;
    if (i >= n) {
        *at = n;
        return 0;
    }
    *s = i;
    for (;;) {
        while (i < n && (is_alpha(u[i]) || is_digit(u[i])))
            i++;
        if (i + 1 >= n)
            break;
        UChar p = u[i], l = u[i - 1], r = u[i + 1];
        if (is_alpha(l) && is_alpha(r) && (p == '.' || p == '\''))
            i++;
        else if (is_digit(l) && is_digit(r) &&
                 (p == '.' || p == ',' || p == ';' || p == '\''))
            i++;
        else
            break;
    }
    *e = *at = i;
    *rule = is_digit(u[i - 1]) ? UBRK_WORD_NUMBER : UBRK_WORD_LETTER;
    return 1;
}

/* Text on which plain_word() must split words as the ICU in use does,
 * statuses included: each join and each non-join it knows. */
static const char PLAIN_PROBE[] =
    "U.S. don't 1,000.50 3;4 a:b ab12 1ab a1.2 x..y 1..2 a'1 rock'n'roll "
    "e.g. -a- \"q\" (p) 7' 'a a.1 1.a 12:30 A.B.C1 it's 5,a a,5 b;c 4.5.6";

static int plain_agrees(sp_analyzer *a)
{
    UChar u[sizeof PLAIN_PROBE];
    int32_t n = 0, s, e, at = 0, ps, pe, prule;
    UErrorCode st = U_ZERO_ERROR;
    int ok = 1;

    for (const char *c = PLAIN_PROBE; *c; c++)
        u[n++] = (UChar)*c;
    ubrk_setText(a->brk, u, n, &st);
    if (U_FAILURE(st))
        return 0;
    s = ubrk_first(a->brk);
    while (ok && (e = ubrk_next(a->brk)) != UBRK_DONE) {
        int32_t rule = ubrk_getRuleStatus(a->brk);
        if (rule >= UBRK_WORD_NONE_LIMIT && e > s)
            ok = plain_word(u, n, &at, &ps, &pe, &prule) && ps == s &&
                 pe == e && prule == rule;
        s = e;
    }
    if (ok && plain_word(u, n, &at, &ps, &pe, &prule))
        ok = 0;
    ubrk_setText(a->brk, NULL, 0, &st);
    return ok;
}

int sp_analyzer_plain_words(sp_analyzer *a, int on)
{
    a->plain_words = on && plain_agrees(a);
    return a->plain_words;
}

/* Analyzes the chunk decoded in a->u16. */
static spsearch_status_t segment(sp_analyzer *a, sp_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t s = 0, e, at = 0;
    int plain = a->plain_words && a->chunk_plain;
    spsearch_status_t rc;

    if (!plain) {
        ubrk_setText(a->brk, a->u16, a->n, &st);
        if (U_FAILURE(st))
            return icu_fail(err, st, "breaking words");
        s = ubrk_first(a->brk);
    }
    a->nchain = 0;
    a->chain_cont = 0;
    while (!a->stopped) {
        int32_t rule;
        int linked;
        struct tok *t;

        if (plain) {
            if (!plain_word(a->u16, a->n, &at, &s, &e, &rule))
                break;
        } else {
            e = ubrk_next(a->brk);
            if (e == UBRK_DONE)
                break;
            rule = ubrk_getRuleStatus(a->brk);
            if (rule < UBRK_WORD_NONE_LIMIT || e <= s) {
                s = e;
                continue;
            }
        }
        /* A dot already taken by an initialism is not a word anyway. */
        linked = a->nchain > 0 &&
                 hyphen_link(a, a->chain[a->nchain - 1].uend, s);
        if (!linked) {
            rc = flush(a, err);
            if (rc != SPSEARCH_OK)
                return rc;
            a->chain_cont = 0;
        } else if (a->nchain == CHAIN_MAX) {
            /* An endless compound: join it in pieces, still as parts. */
            rc = flush(a, err);
            if (rc != SPSEARCH_OK)
                return rc;
            a->chain_cont = 1;
        }
        t = &a->chain[a->nchain];
        rc = analyze_word(a, s, e, rule, t, err);
        if (rc != SPSEARCH_OK)
            return rc;
        if (t->exact_len > 0)
            a->nchain++;
        s = e;
    }
    return flush(a, err);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
           c == '\v';
}

/* Length of the next chunk of p[0..len): all of it when small, else up to
 * CHUNK_MAX bytes ending at whitespace, or at least at a character start
 * when there is no whitespace near the limit. */
static size_t chunk_len(const unsigned char *p, size_t len)
{
    size_t cut = CHUNK_MAX, i;
    int k;

    if (len <= CHUNK_MAX)
        return len;
    for (i = cut; i > CHUNK_MAX - CHUNK_SLACK; i--) {
        if (is_space(p[i - 1]))
            return i;
    }
    /* A character is at most 4 bytes: 3 steps back find its start. */
    for (k = 0; k < 3 && (p[cut] & 0xC0) == 0x80; k++)
        cut--;
    return cut;
}

void sp_analyzer_firsts_add(sp_firsts *f, const char *term)
{
    unsigned char b = (unsigned char)term[0];

    f->bit[b / 8] |= (unsigned char)(1u << (b % 8));
}

spsearch_status_t sp_analyzer_run(sp_analyzer *a, const char *text,
                                  size_t len, const char *lang,
                                  uint32_t first_pos, sp_token_fn fn,
                                  void *ctx, sp_analysis *stats,
                                  sp_error *err)
{
    return sp_analyzer_run_for(a, text, len, lang, first_pos, NULL, fn, ctx,
                               stats, err);
}

spsearch_status_t sp_analyzer_run_for(sp_analyzer *a, const char *text,
                                      size_t len, const char *lang,
                                      uint32_t first_pos,
                                      const sp_firsts *firsts,
                                      sp_token_fn fn, void *ctx,
                                      sp_analysis *stats, sp_error *err)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t off = 0;
    spsearch_status_t rc = SPSEARCH_OK;
    UErrorCode st = U_ZERO_ERROR;

    if (lang != NULL) {
        /* An unknown code (from an article's metadata, say) is no reason
         * to fail: each word is stemmed by its script instead. */
        int row = lang_find(lang);
        a->run_lang = row >= 0 ? row : LANG_AUTO;
    } else {
        a->run_lang = a->lang;
    }
    a->pos = first_pos;
    a->firsts = firsts;
    a->fn = fn;
    a->ctx = ctx;
    a->stopped = 0;
    a->invalid = 0;
    while (off < len && !a->stopped) {
        size_t n = chunk_len(p + off, len - off);
        a->chunk = p + off;
        a->chunk_off = off;
        rc = decode(a, p + off, n, err);
        if (rc == SPSEARCH_OK)
            rc = segment(a, err);
        if (rc != SPSEARCH_OK)
            break;
        off += n;
    }
    /* Drop the text so that a stale pointer is never read later. */
    a->chunk = NULL;
    a->firsts = NULL;
    ubrk_setText(a->brk, NULL, 0, &st);
    if (stats != NULL) {
        stats->next_pos = a->pos;
        stats->invalid_utf8 = a->invalid;
    }
    return rc;
}

/* Common words of each language guessed from Latin text.  A word may count
 * for several languages ("la", "de"); the sums still differ clearly after a
 * few sentences. */
static const struct {
    const char *code;
    const char *words[16];
} function_words[] = {
    {"en", {"the", "and", "of", "to", "is", "that", "with", "for", "was",
            "are", "this", "it", "on", "in", "by", "have"}},
    {"de", {"der", "die", "und", "das", "nicht", "ist", "mit", "den", "sich",
            "auf", "ein", "eine", "f\xc3\xbcr", "dem", "von", "zu"}},
    {"fr", {"le", "la", "les", "et", "des", "est", "une", "du", "dans",
            "pour", "qui", "au", "sur", "pas", "ce", "de"}},
    {"es", {"el", "la", "los", "las", "y", "que", "del", "por", "una", "con",
            "para", "es", "se", "al", "lo", "de"}},
    {"it", {"il", "di", "che", "e", "della", "per", "non", "gli", "una",
            "sono", "nel", "del", "la", "le", "un", "alla"}},
    {"pt", {"o", "os", "que", "e", "do", "da", "em", "n\xc3\xa3o", "uma",
            "dos", "das", "para", "com", "no", "na", "de"}},
    {"nl", {"de", "het", "een", "van", "en", "niet", "is", "op", "dat",
            "zijn", "met", "voor", "ook", "te", "aan", "wordt"}},
    {"sv", {"och", "att", "det", "som", "en", "\xc3\xa4r", "f\xc3\xb6r",
            "p\xc3\xa5", "med", "av", "inte", "till", "har", "den", "jag",
            "om"}},
};
#define N_FW (sizeof function_words / sizeof function_words[0])

/* The length of the longest function word. */
static size_t function_word_max(void)
{
    size_t l, k, max = 0;

    for (l = 0; l < N_FW; l++) {
        for (k = 0; k < 16 && function_words[l].words[k] != NULL; k++) {
            size_t n = strlen(function_words[l].words[k]);
            if (n > max)
                max = n;
        }
    }
    return max;
}

/* Counts w[0..len) (no NUL in it) for each language it is a function word
 * of.  Most words are longer than any function word, and few share one's
 * first letter: those tests come first, as this runs for every word. */
static void score_word(const char *w, size_t len, size_t max, int *score)
{
    size_t l, k;

    if (len > max)
        return;
    for (l = 0; l < N_FW; l++) {
        for (k = 0; k < 16 && function_words[l].words[k] != NULL; k++) {
            const char *f = function_words[l].words[k];
            /* strncmp stops at f's end, so f[len] is read only when f is
             * at least len bytes long. */
            if (f[0] == w[0] && strncmp(f, w, len) == 0 && f[len] == '\0')
                score[l]++;
        }
    }
}

/* Scripts that decide a language on their own. */
enum { DS_LATIN, DS_CYRILLIC, DS_HAN, DS_KANA, DS_THAI, DS_HANGUL, DS_GREEK,
       DS_ARABIC, DS_OTHER, DS_COUNT };

static int detect_script(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;

    switch (uscript_getScript(c, &st)) {
    case USCRIPT_LATIN:
        return DS_LATIN;
    case USCRIPT_CYRILLIC:
        return DS_CYRILLIC;
    case USCRIPT_HAN:
        return DS_HAN;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
        return DS_KANA;
    case USCRIPT_THAI:
        return DS_THAI;
    case USCRIPT_HANGUL:
        return DS_HANGUL;
    case USCRIPT_GREEK:
        return DS_GREEK;
    case USCRIPT_ARABIC:
        return DS_ARABIC;
    default:
        return DS_OTHER;
    }
}

const char *sp_analyzer_detect_lang(const char *text, size_t len)
{
    /* Enough text to decide; articles state their subject early. */
    const size_t limit = 4096;
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0, wlen = 0, k, letters = 0;
    size_t count[DS_COUNT] = {0};
    int score[N_FW] = {0};
    char word[16];
    int best = -1, second = 0;
    size_t fw_max = function_word_max();

    if (text == NULL)
        return NULL;
    if (len > limit)
        len = limit;
    while (i < len) {
        UChar32 c;
        size_t at = i;
        int32_t ii = (int32_t)i;
        int ds;

        /* ICU's macro needs int32_t; len <= limit keeps that safe. */
        U8_NEXT(p, ii, (int32_t)len, c);
        i = (size_t)ii;
        if (c < 0 || !u_isalpha(c)) {
            if (wlen > 0 && wlen < sizeof word)
                score_word(word, wlen, fw_max, score);
            wlen = 0;
            continue;
        }
        ds = detect_script(c);
        count[ds]++;
        letters++;
        if (ds == DS_LATIN && wlen + (i - at) < sizeof word) {
            /* Lowercase ASCII; accented letters are compared as written,
             * which suffices for these short words. */
            for (k = at; k < i; k++) {
                unsigned char b = p[k];
                word[wlen++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            }
        } else {
            wlen = sizeof word; /* too long or mixed: no match */
        }
    }
    if (wlen > 0 && wlen < sizeof word)
        score_word(word, wlen, fw_max, score);

    if (letters == 0)
        return NULL;
    /* Japanese mixes kana into Han; Chinese has none. */
    if (count[DS_KANA] * 10 > letters)
        return "ja";
    if ((count[DS_HAN] + count[DS_KANA]) * 2 > letters)
        return "zh";
    if (count[DS_THAI] * 2 > letters)
        return "th";
    if (count[DS_HANGUL] * 2 > letters)
        return "ko";
    if (count[DS_CYRILLIC] * 2 > letters)
        return "ru";
    if (count[DS_GREEK] * 2 > letters)
        return "el";
    if (count[DS_ARABIC] * 2 > letters)
        return "ar";
    if (count[DS_LATIN] * 2 <= letters)
        return NULL;
    for (k = 0; k < N_FW; k++) {
        if (best < 0 || score[k] > score[best])
            best = (int)k;
    }
    for (k = 0; k < N_FW; k++) {
        if ((int)k != best && score[k] > second)
            second = score[k];
    }
    /* Unsure unless a few hits point clearly one way. */
    if (score[best] < 3 || 2 * score[best] < 3 * second)
        return NULL;
    return function_words[best].code;
}

const char *sp_analyzer_icu_version(void)
{
    static char buf[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo v;

    u_getVersion(v);
    u_versionToString(v, buf);
    return buf;
}
