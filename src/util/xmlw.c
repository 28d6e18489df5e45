#include <stdarg.h>
#include <string.h>

#include "swim/error.h"
#include "util/str.h"
#include "util/xmlw.h"

int swim_xml_escape(swim_buf *buf, const char *text, size_t len,
                    bool in_attr)
{
	size_t start = 0;
	int rc;

	if (!swim_str_is_utf8(text, len))
		return swim_error_set(SWIM_EINVAL,
		                      "text is not valid UTF-8 and cannot be written as XML");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		const char *rep = NULL;

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = in_attr ? "&quot;" : NULL; break;
		case '\t': rep = in_attr ? "&#9;" : NULL; break;
		case '\n': rep = in_attr ? "&#10;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		/* DEL is a character of XML 1.0, written as a reference so that
		 * it shows. */
		case 0x7f: rep = "&#127;"; break;
		default:
			if (c < 0x20)
				return swim_error_set(SWIM_EINVAL,
				                      "text contains control character 0x%02x, which XML cannot carry",
				                      c);
			break;
		}
		if (!rep)
			continue;
		if ((rc = swim_buf_put(buf, text + start, i - start)) < 0 ||
		    (rc = swim_buf_puts(buf, rep)) < 0)
			return rc;
		start = i + 1;
	}
	return swim_buf_put(buf, text + start, len - start);
}

void swim_xmlw_init(swim_xmlw *w, swim_buf *out, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void putn(swim_xmlw *w, const char *s, size_t n)
{
	if (w->rc == 0)
		w->rc = swim_buf_put(w->out, s, n);
}

static void put(swim_xmlw *w, const char *s)
{
	putn(w, s, strlen(s));
}

/* A line break and two blanks per level, in one piece: writers spend
 * much of their time here. */
#define BLANKS32 "                                "
static const char line_start[] = "\n" BLANKS32 BLANKS32 BLANKS32 BLANKS32
	BLANKS32 BLANKS32 BLANKS32 BLANKS32;
_Static_assert(sizeof(line_start) >= 2 + 2 * SWIM_XMLW_MAX_DEPTH,
               "an indent for every depth");

static void indent(swim_xmlw *w)
{
	if (!w->pretty || w->rc)
		return;
	putn(w, line_start, 1 + 2 * (size_t)w->depth);
}

static void close_tag(swim_xmlw *w)
{
	if (w->in_tag) {
		put(w, ">");
		w->in_tag = false;
	}
}

void swim_xmlw_decl(swim_xmlw *w)
{
	put(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
}

void swim_xmlw_start(swim_xmlw *w, const char *name)
{
	if (w->rc)
		return;
	if (w->depth >= SWIM_XMLW_MAX_DEPTH) {
		w->rc = swim_error_set(SWIM_ELIMIT,
		                       "XML output nested deeper than %d levels",
		                       SWIM_XMLW_MAX_DEPTH);
		return;
	}
	close_tag(w);
	if (w->depth > 0 || w->out->len > 0)
		indent(w);
	put(w, "<");
	put(w, name);
	w->stack[w->depth++] = name;
	w->in_tag = true;
	w->had_text = false;
}

void swim_xmlw_attr(swim_xmlw *w, const char *name, const char *value)
{
	if (w->rc || !value)
		return;
	if (!w->in_tag) {
		w->rc = swim_error_set(SWIM_EINVAL,
		                       "XML writer: attribute %s outside a start tag",
		                       name);
		return;
	}
	put(w, " ");
	put(w, name);
	put(w, "=\"");
	if (w->rc == 0)
		w->rc = swim_xml_escape(w->out, value, strlen(value), true);
	put(w, "\"");
}

void swim_xmlw_attrf(swim_xmlw *w, const char *name, const char *fmt, ...)
{
	swim_buf tmp = SWIM_BUF_INIT(0);
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	w->rc = swim_buf_vprintf(&tmp, fmt, ap);
	va_end(ap);
	swim_xmlw_attr(w, name, tmp.ptr);
	swim_buf_dispose(&tmp);
}

void swim_xmlw_textn(swim_xmlw *w, const char *text, size_t len)
{
	if (w->rc)
		return;
	close_tag(w);
	w->had_text = true;
	if (w->rc == 0)
		w->rc = swim_xml_escape(w->out, text, len, false);
}

void swim_xmlw_text(swim_xmlw *w, const char *text)
{
	swim_xmlw_textn(w, text, strlen(text));
}

void swim_xmlw_raw(swim_xmlw *w, const char *xml, size_t len)
{
	if (w->rc)
		return;
	close_tag(w);
	w->had_text = true;
	w->rc = swim_buf_put(w->out, xml, len);
}

void swim_xmlw_end(swim_xmlw *w)
{
	const char *name;

	if (w->rc)
		return;
	if (w->depth == 0) {
		w->rc = swim_error_set(SWIM_EINVAL,
		                       "XML writer: end without start");
		return;
	}
	name = w->stack[--w->depth];
	if (w->in_tag && !w->end_tags) {
		put(w, "/>");
		w->in_tag = false;
	} else if (w->in_tag) {
		put(w, "></");
		put(w, name);
		put(w, ">");
		w->in_tag = false;
	} else {
		if (!w->had_text)
			indent(w);
		put(w, "</");
		put(w, name);
		put(w, ">");
	}
	/* Back in the parent, which has a child element, not text. */
	w->had_text = false;
}

void swim_xmlw_element(swim_xmlw *w, const char *name, const char *text)
{
	swim_xmlw_start(w, name);
	if (text && *text)
		swim_xmlw_text(w, text);
	swim_xmlw_end(w);
}

int swim_xmlw_finish(swim_xmlw *w)
{
	if (w->rc)
		return w->rc;
	if (w->depth)
		return swim_error_set(SWIM_EINVAL,
		                      "XML writer: <%s> not closed",
		                      w->stack[w->depth - 1]);
	if (w->pretty)
		put(w, "\n");
	return w->rc;
}
