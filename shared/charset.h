/*
 * charset.h - input that is not UTF-8, decoded into UTF-8 with ICU.
 *
 * Press archives keep text from before UTF-8: ISO-8859-1 and Windows-1252
 * above all, also Windows-1251, KOI8-R, ISO-8859-2, Shift_JIS.  Read as
 * UTF-8, their accented letters are invalid bytes: "café" would be neither
 * found nor shown.  The reader passes each input (a whole plain-text or
 * HTML file, a TREC document, a JSON line) through sp_charset_decode().
 */
#ifndef SP_CHARSET_H
#define SP_CHARSET_H

#include <stddef.h>

#include "shared/error.h"
#include "shared/zutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for a charset name, NUL included. */
#define SP_CHARSET_NAME 40

/* ICU's detector must be at least this sure (0-100) of a charset before
 * it is used instead of Windows-1252: on a sentence of real text it gives
 * the right one 45 to 80, and only UTF-16 guesses of 10 to a few words. */
#define SP_CHARSET_CONFIDENCE 30

/*
 * Decides whether s[0..n) is UTF-8 and, when it is not, decodes it into
 * out (reset first; NUL-terminated).
 *
 * It is UTF-8 when it is valid UTF-8, or when its valid multi-byte
 * sequences are at least as many as its invalid bytes (UTF-8 with a
 * damaged byte stays UTF-8: the analyzer and the printers read such bytes
 * as U+FFFD).  Otherwise it is decoded from declared (a label such as
 * "iso-8859-2" that the input names, e.g. in HTML's <meta>; may be NULL)
 * when ICU knows it, else from the charset ICU's detector finds with at
 * least SP_CHARSET_CONFIDENCE (never UTF-8, UTF-16 or UTF-32, nor EBCDIC),
 * else from Windows-1252.  As browsers do, ISO-8859-1 and US-ASCII are
 * read as Windows-1252, which gives 0x80-0x9f the printable characters
 * Windows puts there (curly quotes, the euro sign) instead of controls.
 * markup: s is HTML, whose tags the detector leaves out.
 *
 * charset: out: "" when s is UTF-8 (out untouched), else the name of the
 *          charset it was decoded from; SP_CHARSET_NAME bytes.
 * Returns SPSEARCH_OK or SPSEARCH_NOMEM.
 */
spsearch_status_t sp_charset_decode(const char *s, size_t n,
                                    const char *declared, int markup,
                                    sp_buf *out, char *charset,
                                    sp_error *err);

/*
 * The charset an HTML page declares in its first bytes s[0..n): <meta
 * charset=NAME>, or <meta http-equiv="Content-Type" content="...;
 * charset=NAME">.  Copies NAME into name (SP_CHARSET_NAME bytes) and
 * returns 1; returns 0 when there is none.
 */
int sp_charset_html_declared(const char *s, size_t n, char *name);

#ifdef __cplusplus
}
#endif

#endif /* SP_CHARSET_H */
