/* Small string helpers shared by every layer: checked number parsing (the
 * only place strtoull is called), checked copies, UTF-8 and control
 * character checks for text that came from outside. */
#ifndef SWIM_UTIL_STR_H
#define SWIM_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/buf.h"

/* Parses a whole decimal string (digits only, no sign, no spaces) into
 * *out; SWIM_EINVAL when malformed or greater than max. The message names
 * `what`. */
int swim_str_to_u64(uint64_t *out, const char *s, uint64_t max,
                    const char *what);

/* As above for an optionally signed value within [min, max]. */
int swim_str_to_i64(int64_t *out, const char *s, int64_t min, int64_t max,
                    const char *what);

/* Parses a whole real number written in C/DSP0004 style (optional sign,
 * digits with an optional fraction, optional exponent) in the C locale,
 * whatever the process locale; "INF", "-INF" and "NaN" (DSP0201) too.
 * SWIM_EINVAL when malformed or too large for a double; the message
 * names `what`. */
int swim_str_to_double(double *out, const char *s, const char *what);

/* Appends v with `digits` significant digits (9 round-trips a float, 17
 * a double) in the C locale. Finite values always contain '.' or an
 * exponent, so they read back as reals; infinities and NaN are written
 * "INF", "-INF", "NaN". */
int swim_str_put_double(swim_buf *buf, double v, int digits);

/* strdup/strndup that set the error slot on failure. NULL in, NULL out
 * for swim_strdup (no error). */
char *swim_strdup(const char *s);
char *swim_strndup(const char *s, size_t n);

/* Replaces *dst (freeing the old string) with a copy of src. */
int swim_str_set(char **dst, const char *src);

/* True when the bytes are well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool swim_str_is_utf8(const char *s, size_t len);

/* True when any byte is an ASCII control character (0x00-0x1f, 0x7f).
 * When allow_space_ctrl, tab, CR and LF are allowed. */
bool swim_str_has_ctrl(const char *s, size_t len, bool allow_space_ctrl);

/* Appends s to buf for a message: valid UTF-8 text as it is, every
 * control character, backslash and byte of an invalid sequence as \xNN,
 * so that a hostile name cannot put escape sequences on a terminal. */
int swim_str_escape(swim_buf *buf, const char *s, size_t len);

/* A NUL-terminated copy of `len` bytes that must be text: UTF-8 without
 * NUL or control characters other than tab, CR and LF. SWIM_EINVAL says
 * "ORIGIN: not a text file (...)". @param[out] out freed with free(). */
int swim_str_text_copy(char **out, const char *text, size_t len,
                       const char *origin);

/* Splits a text in place, line by line: returns the line at *pos with its
 * newline replaced by NUL and moves *pos past it; NULL at the end. */
char *swim_str_next_line(char **pos);

/* ASCII case-insensitive equality, independent of the locale. */
bool swim_str_ieq(const char *a, const char *b);

/* Equality of two NUL-terminated strings where either may be NULL
 * (two NULLs are equal). */
bool swim_str_eq(const char *a, const char *b);

/* Number of elements of a true array. */
#define SWIM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
