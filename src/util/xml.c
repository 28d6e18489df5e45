#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "swim/error.h"
#include "util/str.h"
#include "util/xml.h"

struct walk {
	const swim_limits *lim;
	const char *what;
	uint64_t nodes;
};

static int text_too_long(const struct walk *w, const xmlNode *n,
                         const xmlChar *s)
{
	if (s && strlen((const char *)s) > w->lim->string_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "%s:%u: text of <%s> longer than %llu bytes",
		                      w->what, (unsigned)xmlGetLineNo(n),
		                      n->parent && n->parent->name
		                      ? (const char *)n->parent->name : "?",
		                      (unsigned long long)w->lim->string_max_bytes);
	return 0;
}

/* Iterative walk: depth is bounded, but a recursive walk of a hostile
 * document is exactly what the limit is there to prevent. */
static int check_tree(struct walk *w, xmlNode *root)
{
	xmlNode *n = root;
	uint64_t depth = 1;
	int rc;

	while (n) {
		if (++w->nodes > w->lim->xml_max_nodes)
			return swim_error_set(SWIM_ELIMIT,
			                      "%s: more than %llu XML nodes",
			                      w->what,
			                      (unsigned long long)w->lim->xml_max_nodes);
		if (n->type == XML_ENTITY_REF_NODE)
			return swim_error_set(SWIM_EINVAL,
			                      "%s:%u: entity references are not accepted",
			                      w->what, (unsigned)xmlGetLineNo(n));
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if ((rc = text_too_long(w, n, n->content)) < 0)
				return rc;
		}
		if (n->type == XML_ELEMENT_NODE) {
			if (depth > w->lim->xml_max_depth)
				return swim_error_set(SWIM_ELIMIT,
				                      "%s:%u: element <%s> nested deeper than %llu levels",
				                      w->what, (unsigned)xmlGetLineNo(n),
				                      (const char *)n->name,
				                      (unsigned long long)w->lim->xml_max_depth);
			for (xmlAttr *a = n->properties; a; a = a->next) {
				if (++w->nodes > w->lim->xml_max_nodes)
					return swim_error_set(SWIM_ELIMIT,
					                      "%s: more than %llu XML nodes",
					                      w->what,
					                      (unsigned long long)w->lim->xml_max_nodes);
				if (a->children && (rc = text_too_long(w, n,
				                    a->children->content)) < 0)
					return rc;
			}
			if (n->children) {
				n = n->children;
				depth++;
				continue;
			}
		}
		while (n && !n->next && n != root) {
			n = n->parent;
			depth--;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
	return 0;
}

/* libxml2 reports some errors (encoding conversion, I/O) through its
 * generic handler, which prints to stderr: the library must not print. */
static void drop_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* The first error libxml2 reports is the cause; later ones ("Premature
 * end of data") are its consequences. */
struct first_error {
	int line;
	char msg[256];
	bool set;
};

static void keep_first_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxt *ctxt = data;
	struct first_error *fe = ctxt ? ctxt->_private : NULL;
	size_t n;

	if (!fe || fe->set || !e || e->level < XML_ERR_ERROR || !e->message)
		return;
	fe->set = true;
	fe->line = e->line;
	(void)snprintf(fe->msg, sizeof(fe->msg), "%s", e->message);
	n = strlen(fe->msg);
	while (n && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
		fe->msg[--n] = '\0';
}

int swim_xml_parse(xmlDoc **out, const char *data, size_t len,
                   uint64_t max_bytes, const swim_limits *lim,
                   const char *what)
{
	return swim_xml_parse_ctxt(out, NULL, data, len, max_bytes, lim, what);
}

int swim_xml_parse_ctxt(xmlDoc **out, xmlParserCtxt *reuse, const char *data,
                        size_t len, uint64_t max_bytes,
                        const swim_limits *lim, const char *what)
{
	xmlParserCtxt *ctxt = reuse;
	xmlDoc *doc = NULL;
	struct walk w = { lim ? lim : swim_limits_default(), what, 0 };
	struct first_error fe = { 0, "malformed XML", false };
	xmlGenericErrorFunc old_handler;
	void *old_ctx, *old_private;
	size_t head;
	int rc = 0;

	*out = NULL;
	if (len > max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "%s: document is %zu bytes, more than the limit of %llu",
		                      what, len, (unsigned long long)max_bytes);
	if (len > INT32_MAX)
		return swim_error_set(SWIM_ELIMIT, "%s: document too large", what);
	if (memmem(data, len, "<!ENTITY", 8))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: entity declarations are not accepted",
		                      what);
	if (!ctxt && !(ctxt = xmlNewParserCtxt()))
		return swim_error_oom();
	/* The handler is per thread in libxml2; the caller's is restored. */
	old_handler = xmlGenericError;
	old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, drop_generic_error);
	old_private = ctxt->_private;
	ctxt->_private = &fe;
	ctxt->sax->serror = keep_first_error;
	/* The document as one chunk to the push parser: libxml2 2.9's memory
	 * input checks for more input before most tokens, which costs a
	 * quarter of parsing a small document. Its first bytes go first, for
	 * the encoding. */
	head = len < 4 ? len : 4;
	if (xmlCtxtResetPush(ctxt, data, (int)head, NULL, NULL) == 0) {
		(void)xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
		                        XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
		                        XML_PARSE_BIG_LINES);
		(void)xmlParseChunk(ctxt, data + head, (int)(len - head), 1);
		doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
	}
	xmlSetGenericErrorFunc(old_ctx, old_handler);
	ctxt->_private = old_private;
	if (!doc || !ctxt->wellFormed) {
		rc = swim_error_set(SWIM_EINVAL, "%s:%d: %s", what, fe.line,
		                    fe.msg);
		goto out;
	}
	/* The byte check above cannot see declarations in UTF-16 text. */
	if (doc->intSubset && (doc->intSubset->entities ||
	                       doc->intSubset->pentities)) {
		rc = swim_error_set(SWIM_EINVAL,
		                    "%s: entity declarations are not accepted",
		                    what);
		goto out;
	}
	if (!xmlDocGetRootElement(doc)) {
		rc = swim_error_set(SWIM_EINVAL, "%s: no root element", what);
		goto out;
	}
	if ((rc = check_tree(&w, xmlDocGetRootElement(doc))) < 0)
		goto out;
	*out = doc;
	doc = NULL;
out:
	xmlFreeDoc(doc);
	if (ctxt != reuse)
		xmlFreeParserCtxt(ctxt);
	return rc;
}

int swim_xml_vfail(const char *what, long line, int code, const char *fmt,
                   va_list ap)
{
	(void)swim_error_vset(code, fmt, ap);
	return swim_error_prefix("%s:%ld: ", what, line);
}

int swim_xml_fail(const char *what, const xmlNode *n, int code,
                  const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = swim_xml_vfail(what, xmlGetLineNo(n), code, fmt, ap);
	va_end(ap);
	return rc;
}

const char *swim_xml_name(const xmlNode *node)
{
	return (const char *)node->name;
}

static xmlNode *next_element(xmlNode *n, const char *name)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (!name || strcmp((const char *)n->name, name) == 0))
			return n;
	return NULL;
}

xmlNode *swim_xml_child(const xmlNode *parent, const char *name)
{
	return next_element(parent->children, name);
}

xmlNode *swim_xml_next(const xmlNode *node, const char *name)
{
	return next_element(node->next, name);
}

int swim_xml_text(char **out, const xmlNode *node)
{
	xmlChar *c = xmlNodeGetContent(node);

	*out = swim_strdup(c ? (const char *)c : "");
	xmlFree(c);
	return *out ? 0 : SWIM_ENOMEM;
}

const char *swim_xml_attr_ref(const xmlNode *node, const char *name)
{
	const xmlAttr *a = xmlHasProp(node, (const xmlChar *)name);

	if (!a)
		return NULL;
	if (!a->children)
		return "";
	return (const char *)a->children->content;
}

int swim_xml_attr(char **out, const xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);

	*out = NULL;
	if (!v)
		return 0;
	*out = swim_strdup((const char *)v);
	xmlFree(v);
	return *out ? 0 : SWIM_ENOMEM;
}

/* Parser contexts for reuse ------------------------------------------------ */

#define POOL_MAX_DICT 4096

struct swim_xml_pool {
	pthread_mutex_t lock;
	xmlParserCtxt **idle;
	size_t n, max;
};

int swim_xml_pool_new(swim_xml_pool **out, size_t max_idle)
{
	swim_xml_pool *pool;

	*out = NULL;
	if (!(pool = calloc(1, sizeof(*pool))) ||
	    (max_idle && !(pool->idle = calloc(max_idle, sizeof(*pool->idle))))) {
		free(pool);
		return swim_error_oom();
	}
	if (pthread_mutex_init(&pool->lock, NULL) != 0) {
		free(pool->idle);
		free(pool);
		return swim_error_set(SWIM_ERROR, "XML parser pool: no mutex");
	}
	pool->max = max_idle;
	*out = pool;
	return 0;
}

void swim_xml_pool_free(swim_xml_pool *pool)
{
	if (!pool)
		return;
	for (size_t i = 0; i < pool->n; i++)
		xmlFreeParserCtxt(pool->idle[i]);
	free(pool->idle);
	(void)pthread_mutex_destroy(&pool->lock);
	free(pool);
}

xmlParserCtxt *swim_xml_pool_get(swim_xml_pool *pool)
{
	xmlParserCtxt *ctxt = NULL;

	if (!pool)
		return NULL;
	(void)pthread_mutex_lock(&pool->lock);
	if (pool->n)
		ctxt = pool->idle[--pool->n];
	(void)pthread_mutex_unlock(&pool->lock);
	return ctxt ? ctxt : xmlNewParserCtxt();
}

void swim_xml_pool_put(swim_xml_pool *pool, xmlParserCtxt *ctxt)
{
	if (!ctxt)
		return;
	if (pool && (!ctxt->dict || xmlDictSize(ctxt->dict) <= POOL_MAX_DICT)) {
		(void)pthread_mutex_lock(&pool->lock);
		if (pool->n < pool->max) {
			pool->idle[pool->n++] = ctxt;
			ctxt = NULL;
		}
		(void)pthread_mutex_unlock(&pool->lock);
	}
	xmlFreeParserCtxt(ctxt);
}
