/* Helpers shared by the files of src/cim and nobody else. */
#ifndef SWIM_CIM_INTERNAL_H
#define SWIM_CIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "swim/buf.h"
#include "swim/limits.h"

/* Appends a char16 code point as UTF-8. */
int swim_cim__put_char16(swim_buf *buf, uint32_t cp);

/* Appends s between `quote` characters with quote and backslash
 * escaped by a backslash (WBEM URI key values). */
int swim_cim__put_quoted(swim_buf *buf, const char *s, char quote);

/* ASCII case-insensitive ordering of names (locale-independent). */
int swim_cim__name_cmp(const char *a, const char *b);
/* The same over at most n bytes. */
int swim_cim__name_ncmp(const char *a, const char *b, size_t n);

/* Case-insensitive equality where either may be NULL (two NULLs are
 * equal). */
bool swim_cim__opt_ieq(const char *a, const char *b);

/* SWIM_EINVAL unless ns is '/'-separated names ("root/cimv2"). */
int swim_cim__ns_check(const char *ns, const swim_limits *lim);

/* SWIM_EINVAL unless host is a plausible URI authority ("h:5988",
 * "[::1]:5989", "user@h"): what the URI parser accepts back. */
int swim_cim__host_check(const char *host);

#endif
