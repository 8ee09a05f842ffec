/*
 * test-article.c - titles and dates of plain-text articles
 * (shared/article.h).
 *
 * The title and date are shown with every hit and the date filters and
 * sorts them, so they are checked on the shapes the bundled corpus uses:
 * datelines above the headline, "Month D, YYYY" inside the first
 * paragraph, "Sept." abbreviations.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shared/article.h"
#include "tests/unit/tap.h"

/* The title of text as a string. */
static const char *title_of(const char *text)
{
    static char out[1024];
    size_t s = 99, e = 0;
    sp_article_title(text, strlen(text), &s, &e);
    out[0] = '\0';
    if (s <= e && e - s < sizeof out) {
        memcpy(out, text + s, e - s);
        out[e - s] = '\0';
    } else {
        snprintf(out, sizeof out, "(bad range %zu..%zu)", s, e);
    }
    return out;
}

/* The date found in text, or "none". */
static const char *found(const char *text)
{
    static char out[11];
    if (sp_article_find_date(text, strlen(text), out) != 0)
        return "none";
    return out;
}

static const char *parsed(const char *text)
{
    static char out[11];
    if (sp_article_parse_date(text, strlen(text), out) != 0)
        return "none";
    return out;
}

static int utf8_boundary(const char *text, size_t at)
{
    return ((unsigned char)text[at] & 0xc0) != 0x80;
}

static void test_title(void)
{
    is_str(title_of("Space Diplomacy in Action\n\nCAPE CANAVERAL, Florida"),
           "Space Diplomacy in Action", "the first line is the title");
    is_str(title_of("\n\n  \t Roscosmos and NASA  \t\r\nbody text\n"),
           "Roscosmos and NASA",
           "blank lines skipped, blanks and CR trimmed");
    is_str(title_of("Aug 1, 2025, 2:40 PM\nAug 1, 2025, 2:40 PM\n\n"
                    "Russia and US renew space cooperation discussions amid "
                    "tensions\n\nHighlights\n"),
           "Russia and US renew space cooperation discussions amid tensions",
           "datelines above the headline are not the title");
    is_str(title_of("July 31, 2025: Roscosmos head meets NASA chief in "
                    "Houston\nbody"),
           "July 31, 2025: Roscosmos head meets NASA chief in Houston",
           "a headline that starts with a date is still the title");
    is_str(title_of("Only a title"), "Only a title",
           "a text without a newline");
    is_str(title_of(""), "", "empty text: empty title");
    is_str(title_of("  \n\t\r\n \n"), "", "white space only: empty title");
    is_str(title_of("Aug 1, 2025, 2:40 PM\n"), "",
           "a text with only a dateline has no title");

    /* Only len bytes are read. */
    size_t s = 0, e = 0;
    sp_article_title("Headline\nrest", 4, &s, &e);
    ok(s == 0 && e == 4, "only the bytes within len are used");

    /* A line of exactly SP_TITLE_MAX bytes is kept whole. */
    char line[4096];
    memset(line, 'a', SP_TITLE_MAX);
    line[SP_TITLE_MAX] = '\0';
    is_long(strlen(title_of(line)), SP_TITLE_MAX,
            "a title of exactly SP_TITLE_MAX bytes is kept whole");

    /* A first paragraph instead of a headline: cut at a word, without a
     * trailing comma. */
    static const char para[] =
        "In a significant development for international space "
        "collaboration, the heads of Russia's Roscosmos and the United "
        "States' NASA, Dmitry Bakanov and Sean Duffy, have held their "
        "first in-person meeting since 2018, underscoring a pragmatic "
        "resolve.\nNext line\n";
    sp_article_title(para, strlen(para), &s, &e);
    diag("cut title: %.*s", (int)(e - s), para + s);
    ok(s == 0 && e > SP_TITLE_MAX / 2 && e <= SP_TITLE_MAX,
       "a long first line is cut to at most SP_TITLE_MAX bytes");
    ok(para[e] == ' ' || para[e] == ',',
       "...at the end of a word");
    ok(para[e - 1] != ',' && para[e - 1] != ' ',
       "...without a trailing comma or blank");
    ok(para[e] != '\n', "...and a caller can tell it was cut");

    /* Multi-byte text without spaces: cut at a character boundary. */
    size_t at = 0;
    for (int i = 0; at < 3 * SP_TITLE_MAX; i++) {
        const char *ch = i % 2 ? "\xe4\xb8\xad" : "\xc3\xa9";
        memcpy(line + at, ch, strlen(ch));
        at += strlen(ch);
    }
    line[at] = '\0';
    sp_article_title(line, at, &s, &e);
    ok(e - s <= SP_TITLE_MAX && e - s > SP_TITLE_MAX - 4,
       "a long line without spaces is cut near SP_TITLE_MAX");
    ok(utf8_boundary(line, e), "...at a UTF-8 character boundary");
    ok(utf8_boundary(line, s), "...and starts at one");
}

static void test_find_date(void)
{
    is_str(found("Aug 1, 2025, 2:40 PM"), "2025-08-01",
           "\"Aug 1, 2025, 2:40 PM\"");
    is_str(found("Brevard County, Florida & Moscow, Russia \xe2\x80\x93 "
                 "July 31, 2025"),
           "2025-07-31", "a dateline after places and an en dash");
    is_str(found("On August 1, 2025, the heads of Russia`s Roscosmos"),
           "2025-08-01", "a date inside the first sentence");
    is_str(found("2025-07-31"), "2025-07-31", "ISO date");
    is_str(found("Published 2025-07-31 by the desk"), "2025-07-31",
           "ISO date inside a line");
    is_str(found("1 August 2025"), "2025-08-01", "day month year");
    is_str(found("1 Aug 2025"), "2025-08-01", "day, abbreviated month, year");
    is_str(found("Sept. 3, 2024"), "2024-09-03", "\"Sept.\"");
    is_str(found("Sep 3, 2024"), "2024-09-03", "\"Sep\"");
    is_str(found("SEPTEMBER 3, 2024"), "2024-09-03", "capitals");
    is_str(found("July 31st, 2025"), "2025-07-31", "an ordinal day");
    is_str(found("March 3 2025"), "2025-03-03", "without a comma");
    is_str(found("Leap day: February 29, 2024."), "2024-02-29",
           "29 February in a leap year");

    /* The press of other languages. */
    is_str(found("Paris, le 31 juillet 2025"), "2025-07-31", "French");
    is_str(found("1er ao\xc3\xbbt 2025"), "2025-08-01", "French \"1er\"");
    is_str(found("14\xc2\xa0" "f\xc3\xa9" "vrier\xc2\xa0" "2025"), "2025-02-14",
           "French with no-break spaces");
    is_str(found("3 d\xc3\xa9" "c. 2024"), "2024-12-03",
           "French abbreviation with a point");
    is_str(found("3 D\xc3\x89" "CEMBRE 2024"), "2024-12-03",
           "French capitals, accented letter included");
    is_str(found("12 juil. 2025"), "2025-07-12", "\"juil.\"");
    is_str(found("12 jui 2025"), "none", "\"jui\", June or July: none");
    is_str(found("Berlin, 31. Juli 2025"), "2025-07-31", "German");
    is_str(found("5. M\xc3\xa4rz 2025"), "2025-03-05", "German M\xc3\xa4rz");
    is_str(found("Wien, 7. J\xc3\xa4nner 2025"), "2025-01-07",
           "Austrian J\xc3\xa4nner");
    is_str(found("31.07.2025"), "2025-07-31", "day.month.year");
    is_str(found("31.13.2025"), "none", "day.month.year, month 13");
    is_str(found("Posted 7/31/2025"), "2025-07-31",
           "month/day/year, when the day is over 12");
    is_str(found("31/07/2025"), "2025-07-31",
           "day/month/year, when the day is over 12");
    is_str(found("7/7/2025"), "2025-07-07", "day and month the same");
    is_str(found("3/4/2025"), "none",
           "3/4/2025: March 4 or 3 April, so no date");
    is_str(found("2/30/2025"), "none", "month/day/year, no such day");
    is_str(found("13/13/2025"), "none", "no month at all");
    is_str(found("Madrid, 31 de julio de 2025"), "2025-07-31", "Spanish");
    is_str(found("S\xc3\xa3o Paulo, 2 de mar\xc3\xa7o de 2025"),
           "2025-03-02", "Portuguese");
    is_str(found("Roma, 4 settembre 2025"), "2025-09-04", "Italian");
    is_str(found("Roma, 4 sett. 2025"), "2025-09-04", "Italian \"sett.\"");
    is_str(found("I set 5 goals for 2025"), "none",
           "\"set\" the verb before a number is no month");
    is_str(found("Amsterdam, 3 maart 2025"), "2025-03-03", "Dutch");
    is_str(found("Stockholm 2 augusti 2025"), "2025-08-02", "Swedish");
    is_str(found("K\xc3\xb8" "benhavn, 2. marts 2025"), "2025-03-02", "Danish");
    is_str(found("2025/07/31"), "2025-07-31", "year/month/day");
    is_str(found("31st July 2025"), "2025-07-31", "day first, ordinal");

    /* Invalid dates are not dates. */
    is_str(found("February 30, 2025"), "none", "30 February is rejected");
    is_str(found("February 29, 2025"), "none",
           "29 February outside a leap year is rejected");
    is_str(found("February 29, 1900"), "none",
           "29 February 1900 (not a leap year) is rejected");
    is_str(found("2025-13-01"), "none", "month 13 is rejected");
    is_str(found("2025-00-10"), "none", "month 0 is rejected");
    is_str(found("2025-04-31"), "none", "31 April is rejected");
    is_str(found("July 32, 2025"), "none", "day 32 is rejected");
    is_str(found("July 0, 2025"), "none", "day 0 is rejected");
    is_str(found("123 July 2025"), "none", "a three-digit day is no day");
    is_str(found("July 31, 20251"), "none", "a five-digit year is no year");
    is_str(found("on 32 July 2025, or rather 1 July 2025"), "2025-07-01",
           "an invalid date is skipped for a valid one after it");

    /* Words that look like months. */
    is_str(found("you may 5 things to do in 2025"), "none",
           "\"may\" the verb is no month");
    is_str(found("May 5, 2025"), "2025-05-05", "May the month");
    is_str(found("Mayday 5, 2025"), "none", "a longer word is no month");
    is_str(found("Septe 3, 2024"), "none", "a half-abbreviated month");
    is_str(found("x2025-07-31"), "none", "a date inside a word");
    is_str(found("no date here at all"), "none", "no date");
    is_str(found(""), "none", "empty text");
    is_str(found("may"), "none", "\"may\" at the very end of the text");
    is_str(found("May 5"), "none", "a month and day at the end");
    is_str(found("July 31,"), "none", "cut after the comma");
    is_str(found("2025-07"), "none", "cut ISO date");

    /* Only the top of the article is searched. */
    static char text[3000];
    memset(text, 'x', sizeof text);
    for (size_t i = 0; i + 1 < sizeof text; i += 8)
        text[i] = ' ';
    text[sizeof text - 1] = '\0';
    memcpy(text + SP_DATELINE_SCAN + 50, " July 31, 2025 ", 15);
    char out[11];
    is_long(sp_article_find_date(text, strlen(text), out), -1,
            "a date past SP_DATELINE_SCAN bytes is not found");
    memcpy(text + SP_DATELINE_SCAN - 100, " July 30, 2025 ", 15);
    is_long(sp_article_find_date(text, strlen(text), out), 0,
            "a date just within SP_DATELINE_SCAN is found");
    is_str(out, "2025-07-30", "...and it is the one within the scan");

    /* Only len bytes are read: a date cut off by len is not found. */
    static const char cut[] = "Reported on July 31, 2025";
    is_long(sp_article_find_date(cut, strlen(cut) - 2, out), -1,
            "a date cut off by len is not read past it");
}

static void test_parse_date(void)
{
    is_str(parsed("2025-07-31"), "2025-07-31", "ISO date");
    is_str(parsed("  2025-07-31 \t"), "2025-07-31",
           "surrounding blanks are allowed");
    is_str(parsed("2025-07-31T14:40:00Z"), "2025-07-31",
           "ISO date with a time");
    is_str(parsed("2025-07-31 14:40"), "2025-07-31",
           "ISO date with a time after a space");
    is_str(parsed("July 31, 2025"), "2025-07-31", "month day, year");
    is_str(parsed("Aug. 1, 2025"), "2025-08-01", "abbreviated month");
    is_str(parsed("1 August 2025"), "2025-08-01", "day month year");
    is_str(parsed("Sept. 3, 2024"), "2024-09-03", "\"Sept.\"");
    is_str(parsed("31 juillet 2025"), "2025-07-31", "French");
    is_str(parsed("31.07.2025"), "2025-07-31", "day.month.year");
    is_str(parsed("12/25/2024"), "2024-12-25", "month/day/year");
    is_str(parsed("12/11/2024"), "none", "12/11/2024: which is ambiguous");

    is_str(parsed("Aug 1, 2025, 2:40 PM"), "none",
           "a dateline with a time is not a whole date");
    is_str(parsed("On August 1, 2025"), "none",
           "words before the date: not a whole date");
    is_str(parsed("2025-07-31 is the day"), "none",
           "words after the date: not a whole date");
    is_str(parsed("2025-07-31T"), "none", "a T without a time");
    is_str(parsed("2025-02-30"), "none", "30 February");
    is_str(parsed("2025-13-01"), "none", "month 13");
    is_str(parsed(""), "none", "empty");
    is_str(parsed("   "), "none", "blanks only");
    is_str(parsed("tomorrow"), "none", "not a date");
    is_str(parsed("2025"), "none", "a year alone");

    char out[11];
    is_long(sp_article_parse_date("2025-07-31junk", 10, out), 0,
            "only len bytes are parsed");
    is_str(out, "2025-07-31", "...giving the date within them");
}

static const char *bound(const char *s, int upper)
{
    static char out[11];
    if (sp_date_bound(s, strlen(s), upper, out) != 0)
        return "none";
    return out;
}

static void test_date_bound(void)
{
    is_str(bound("2025", 0), "2025-01-01", "year as a lower bound");
    is_str(bound("2025", 1), "2025-99-99",
           "year as an upper bound: after every day of the year");
    is_str(bound("2025-07", 0), "2025-07-01", "month as a lower bound");
    is_str(bound("2025-07", 1), "2025-07-99", "month as an upper bound");
    is_str(bound("2025-07-31", 0), "2025-07-31", "a full date, lower");
    is_str(bound("2025-07-31", 1), "2025-07-31", "a full date, upper");
    ok(strcmp(bound("2025-07", 1), "2025-07-31") > 0 &&
           strcmp(bound("2025-07", 1), "2025-08-01") < 0,
       "a month's upper bound sorts between its last day and the next");
    is_str(bound("2025-7", 0), "none", "a one-digit month");
    is_str(bound("25", 0), "none", "a two-digit year");
    is_str(bound("2025/07/31", 0), "none", "slashes");
    is_str(bound("July 2025", 0), "none", "words");
    is_str(bound("", 1), "none", "empty");

    /* Days counted back from today, in UTC here so that a day is always
     * 86,400 seconds. */
    setenv("TZ", "UTC", 1);
    tzset();
    char want[4][11];
    time_t now = time(NULL);
    long back[4] = {0, 1, 7, 14};
    for (int i = 0; i < 4; i++) {
        time_t t = now - back[i] * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(want[i], sizeof want[i], "%Y-%m-%d", &tm);
    }
    is_str(bound("today", 0), want[0], "today");
    is_str(bound("0d", 1), want[0], "0d is today, as an upper bound too");
    is_str(bound("yesterday", 0), want[1], "yesterday");
    is_str(bound("7d", 0), want[2], "7d: seven days ago");
    is_str(bound("2w", 0), want[3], "2w: two weeks ago");
    is_str(bound("d", 0), "none", "d alone");
    is_str(bound("7x", 0), "none", "7x");
    is_str(bound("-7d", 0), "none", "a negative count");
    is_str(bound("99999d", 0), "none", "over a century back");
    is_str(bound("Today", 0), "none", "words in lower case only");
}

/* Where the corpus is: $top_srcdir/corpus under make check, else found
 * from this source file's path.  Set before the test leaves for its
 * temporary directory. */
static char corpus_dir[4096];

static void find_corpus(void)
{
    const char *top = getenv("top_srcdir");
    if (top != NULL && *top != '\0') {
        snprintf(corpus_dir, sizeof corpus_dir, "%s/corpus", top);
        return;
    }
    const char *me = __FILE__;
    const char *tail = strstr(me, "tests/unit/test-article.c");
    int prefix = tail != NULL ? (int)(tail - me) : 0;
    char cwd[2048] = ".";
    if (me[0] != '/' && getcwd(cwd, sizeof cwd) == NULL)
        strcpy(cwd, ".");
    if (me[0] == '/')
        snprintf(corpus_dir, sizeof corpus_dir, "%.*scorpus", prefix, me);
    else
        snprintf(corpus_dir, sizeof corpus_dir, "%s/%.*scorpus", cwd, prefix,
                 me);
}

/* What a program shows of an article's first passage under its title:
 * the text from the lede on, as "[headline]|lede..." when the headline was
 * found, "|lede..." when only datelines were. */
static const char *lede_of(const char *title, const char *text)
{
    static char out[256];
    size_t hs = 99, he = 99, len = strlen(text);
    size_t lede = sp_article_lede(title, text, len, &hs, &he);
    if (lede == 0 && hs == 0 && he == 0)
        return "(none)";
    if (hs > he || he > lede || lede > len)
        snprintf(out, sizeof out, "(bad offsets %zu %zu %zu)", hs, he, lede);
    else if (he > 0)
        snprintf(out, sizeof out, "[%.*s]|%s", (int)(he - hs), text + hs,
                 text + lede);
    else
        snprintf(out, sizeof out, "|%s", text + lede);
    return out;
}

static void test_lede(void)
{
    is_str(lede_of("Space Diplomacy", "Space Diplomacy\n\nCAPE CANAVERAL -"),
           "[Space Diplomacy]|CAPE CANAVERAL -", "a headline, then the lede");
    is_str(lede_of("I believe our tax rate cuts",
                   "I believe our tax rate cuts\nJanuary 20, 1986\n\n"
                   "I believe our tax rate cuts for the people"),
           "[I believe our tax rate cuts]|I believe our tax rate cuts for "
           "the people",
           "a dateline under the headline is skipped too");
    is_str(lede_of("Russia and US renew talks",
                   "Aug 1, 2025, 2:40 PM\nAug 1, 2025, 2:40 PM\n\n"
                   "Russia and US renew talks\n\nMOSCOW - The heads"),
           "[Russia and US renew talks]|MOSCOW - The heads",
           "datelines above the headline (two of them) are skipped");
    is_str(lede_of("A title from elsewhere", "July 31, 2025\nThe lede."),
           "|The lede.", "a dateline without the headline: skipped");
    is_str(lede_of("Long headline wrapped",
                   "Long headline\nwrapped\n\nThe lede."),
           "[Long headline\nwrapped]|The lede.",
           "a headline is matched across a line end");
    is_str(lede_of("Space", "Spacefaring nations met."), "(none)",
           "a title that is only the start of a word is no headline");
    is_str(lede_of("Space race", "Space  race"), "[Space  race]|",
           "a passage that is only its headline: the lede is at its end");
    is_str(lede_of("Headline", "The lede. July 31, 2025\n"), "(none)",
           "a passage that begins with neither: 0");
    is_str(lede_of("", "Some text."), "(none)", "no title: no headline");
    is_str(lede_of("July 31, 2025: Roscosmos head meets NASA",
                   "July 31, 2025: Roscosmos head meets NASA\n\nHOUSTON"),
           "[July 31, 2025: Roscosmos head meets NASA]|HOUSTON",
           "a headline that starts with a date is the headline, not a "
           "dateline");
}

static void test_corpus(void)
{
    static const struct {
        const char *file, *title, *date;
    } want[] = {
        {"000_d9a4be1c3b1e15b8.txt",
         "Space Diplomacy in Action: Roscosmos and NASA Chart a Course "
         "Through Unsanctioned Skies",
         "2025-08-01"},
        {"001_37ff818fd7faee62.txt",
         "Space Diplomacy: Roscosmos, NASA, and the Evolving Cosmos of "
         "Cooperation",
         "2025-07-31"},
        /* This one starts with its first paragraph. */
        {"002_99863aae14a88d0b.txt",
         "In a significant development for international space "
         "collaboration, the heads of Russia`s Roscosmos and the U.S. "
         "National Aeronautics and Space Administration",
         "2025-07-31"},
        /* No date anywhere near the top. */
        {"003_007efc6446bec603.txt",
         "In a significant diplomatic move, the United States, represented "
         "by Acting NASA Administrator Sean Duffy, is set to engage in "
         "high-level discussions with",
         "none"},
        {"004_2e1e28aae998c8dd.txt",
         "Russia and US renew space cooperation discussions amid tensions",
         "2025-08-01"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char path[4200], line[200];
        static char text[65536];
        snprintf(path, sizeof path, "%s/%s", corpus_dir, want[i].file);
        FILE *f = fopen(path, "rb");
        size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f != NULL)
            fclose(f);
        text[len] = '\0';
        snprintf(line, sizeof line, "corpus %s is readable", want[i].file);
        if (!ok(len > 0, line)) {
            diag("cannot read %s", path);
            continue;
        }
        snprintf(line, sizeof line, "corpus %s: title", want[i].file);
        is_str(title_of(text), want[i].title, line);
        snprintf(line, sizeof line, "corpus %s: date", want[i].file);
        is_str(found(text), want[i].date, line);
    }
}

int main(void)
{
    find_corpus();
    tap_tmpdir("article");
    test_title();
    test_find_date();
    test_parse_date();
    test_date_bound();
    test_lede();
    test_corpus();
    return tap_done();
}
