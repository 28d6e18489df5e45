/* The one escaping XML writer: every XML swim emits (descriptors, depot
 * metadata, profiles, CIM-XML) is written through it, never pasted
 * together from strings.
 *
 * Errors are sticky: after the first failure (limit, invalid text, out of
 * memory) every call is a no-op and swim_xmlw_finish() returns the error,
 * so a writer can be driven by a straight sequence of calls.
 */
#ifndef SWIM_UTIL_XMLW_H
#define SWIM_UTIL_XMLW_H

#include <stdbool.h>
#include <stddef.h>

#include "swim/buf.h"

#define SWIM_XMLW_MAX_DEPTH 128

typedef struct swim_xmlw {
	swim_buf *out;
	int rc;
	bool pretty;      /* newline and two-space indent per level */
	bool end_tags;    /* <x></x>, never <x/>: some CIM clients
	                     (wbemcli) cannot read empty-element tags */
	bool in_tag;      /* start tag still open for attributes */
	bool had_text;    /* current element has text content */
	unsigned depth;
	const char *stack[SWIM_XMLW_MAX_DEPTH];  /* borrowed element names */
} swim_xmlw;

void swim_xmlw_init(swim_xmlw *w, swim_buf *out, bool pretty);

/* Writes the XML declaration (UTF-8). */
void swim_xmlw_decl(swim_xmlw *w);

/* Element names must outlive the element (string literals usually). */
void swim_xmlw_start(swim_xmlw *w, const char *name);
void swim_xmlw_attr(swim_xmlw *w, const char *name, const char *value);
void swim_xmlw_attrf(swim_xmlw *w, const char *name, const char *fmt, ...)
	SWIM_PRINTF(3, 4);
void swim_xmlw_text(swim_xmlw *w, const char *text);
void swim_xmlw_textn(swim_xmlw *w, const char *text, size_t len);
void swim_xmlw_end(swim_xmlw *w);

/* <name>text</name>; with text NULL, <name/>. */
void swim_xmlw_element(swim_xmlw *w, const char *name, const char *text);

/* Appends already-serialised XML (e.g. an embedded document) verbatim. */
void swim_xmlw_raw(swim_xmlw *w, const char *xml, size_t len);

/* 0 when every element was closed and nothing failed, else the first
 * error. */
int swim_xmlw_finish(swim_xmlw *w);

/* Appends `len` bytes of text to buf with &, <, >, " escaped; tab, CR, LF
 * as character references when in_attr, DEL always. SWIM_EINVAL for
 * bytes XML 1.0 cannot carry (other control characters, invalid UTF-8). */
int swim_xml_escape(swim_buf *buf, const char *text, size_t len,
                    bool in_attr);

#endif
