/* Reading XML from outside with libxml2, under limits.
 *
 * Every XML document swim reads (descriptors, depot metadata, profiles,
 * CIM-XML requests) goes through swim_xml_parse(): no network, no DTD
 * loading, no entity declarations, no XML_PARSE_HUGE; size, depth, node
 * count and text length bounded by swim_limits; libxml2's messages go to
 * the error slot with the line number instead of stderr.
 */
#ifndef SWIM_UTIL_XML_H
#define SWIM_UTIL_XML_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "swim/error.h"
#include "swim/limits.h"

/* Parses `len` bytes. `what` names the document in errors
 * ("descriptor.xml"); `max_bytes` is the size limit for this kind of
 * document. lim NULL means the defaults. @param[out] out freed by the
 * caller with xmlFreeDoc(). */
int swim_xml_parse(xmlDoc **out, const char *data, size_t len,
                   uint64_t max_bytes, const swim_limits *lim,
                   const char *what);

/* The same with a parser context kept by the caller for many documents
 * (one thread's; reset by each parse), which saves setting one up per
 * document; reuse NULL makes a fresh one. */
int swim_xml_parse_ctxt(xmlDoc **out, xmlParserCtxt *reuse, const char *data,
                        size_t len, uint64_t max_bytes,
                        const swim_limits *lim, const char *what);

/* Parser contexts kept for reuse by a server that parses many small
 * documents on several threads: setting a context up costs about a
 * quarter of parsing a CIM-XML request. At most `max_idle` wait; one
 * whose dictionary (the names of every document it parsed, which a
 * client chooses) has grown past a few thousand entries is freed rather
 * than kept, so memory stays bounded. */
typedef struct swim_xml_pool swim_xml_pool;

/* @param[out] out freed with swim_xml_pool_free(). */
int swim_xml_pool_new(swim_xml_pool **out, size_t max_idle);
void swim_xml_pool_free(swim_xml_pool *pool);

/* A context for the caller alone (for swim_xml_parse_ctxt()), or NULL
 * when none is idle and no new one could be made (then parse with
 * NULL). pool NULL gives NULL. */
xmlParserCtxt *swim_xml_pool_get(swim_xml_pool *pool);

/* Gives ctxt back once the documents it parsed are freed (they share its
 * dictionary). NULL is allowed. */
void swim_xml_pool_put(swim_xml_pool *pool, xmlParserCtxt *ctxt);

/* Sets "WHAT:LINE: message" as the error and returns code: how every
 * reader of XML documents reports what it found at a line. */
int swim_xml_vfail(const char *what, long line, int code, const char *fmt,
                   va_list ap) SWIM_PRINTF(4, 0);

/* The same for a problem at node n. */
int swim_xml_fail(const char *what, const xmlNode *n, int code,
                  const char *fmt, ...) SWIM_PRINTF(4, 5);

/* First element child of `parent` called `name` (any element when name is
 * NULL), or NULL. */
xmlNode *swim_xml_child(const xmlNode *parent, const char *name);

/* Next element sibling after `node` called `name` (any when NULL). */
xmlNode *swim_xml_next(const xmlNode *node, const char *name);

/* Element name as a C string. */
const char *swim_xml_name(const xmlNode *node);

/* The text content of `node`, copied (caller frees with free()). Never
 * NULL on success: an empty element gives "". */
int swim_xml_text(char **out, const xmlNode *node);

/* Attribute value copied (caller frees), or *out = NULL when absent. */
int swim_xml_attr(char **out, const xmlNode *node, const char *name);

/* Borrowed attribute value, or NULL when absent. Valid while the
 * document lives. */
const char *swim_xml_attr_ref(const xmlNode *node, const char *name);

#endif
