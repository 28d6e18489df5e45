/* Queries: languages, parsing, the tree the grammar builds, and the
 * projection the select list asks for. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cim/query_internal.h"
#include "swim/error.h"
#include "util/str.h"

static void set_status(swim_cim_status *status, swim_cim_status s)
{
	if (status)
		*status = s;
}

int swim_cim_query_lang_parse(swim_cim_query_lang *out, const char *name,
                              swim_cim_status *status)
{
	static const struct {
		const char *name;
		swim_cim_query_lang lang;
	} langs[] = {
		{ "WQL", SWIM_CIM_QUERY_WQL },
		{ "CQL", SWIM_CIM_QUERY_CQL },
		{ "CIM:CQL", SWIM_CIM_QUERY_CQL },
		{ "DMTF:CQL", SWIM_CIM_QUERY_CQL },
	};
	swim_buf b = SWIM_BUF_INIT(256);

	set_status(status, SWIM_CIM_OK);
	for (size_t i = 0; name && i < SWIM_ARRAY_SIZE(langs); i++)
		if (swim_str_ieq(name, langs[i].name)) {
			*out = langs[i].lang;
			return 0;
		}
	set_status(status, SWIM_CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED);
	if (name)
		(void)swim_str_escape(&b, name, strlen(name));
	(void)swim_error_set(SWIM_ENOTSUPPORTED,
	                     "query language '%s' is not supported (WQL, CQL, "
	                     "CIM:CQL and DMTF:CQL are)", b.ptr);
	swim_buf_dispose(&b);
	return SWIM_ENOTSUPPORTED;
}

/* Errors ------------------------------------------------------------------ */

static int verror(bool multiline, int line, int col, int code,
                  const char *fmt, va_list ap) SWIM_PRINTF(5, 0);

static int verror(bool multiline, int line, int col, int code,
                  const char *fmt, va_list ap)
{
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_buf_vprintf(&b, fmt, ap) < 0)
		return swim_error_oom();
	if (line <= 0)
		(void)swim_error_set(code, "%s", b.ptr);
	else if (multiline)
		(void)swim_error_set(code, "line %d, column %d: %s", line, col,
		                     b.ptr);
	else
		(void)swim_error_set(code, "column %d: %s", col, b.ptr);
	swim_buf_dispose(&b);
	return code;
}

int swim_cim_query__error(struct query_parser *p, int line, int col,
                          int code, const char *fmt, ...)
{
	va_list ap;

	if (p->rc < 0)
		return p->rc;
	va_start(ap, fmt);
	p->rc = verror(p->q->multiline, line, col, code, fmt, ap);
	va_end(ap);
	return p->rc;
}

int swim_cim_query__at(const swim_cim_query *q, int line, int col, int code,
                       const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(q->multiline, line, col, code, fmt, ap);
	va_end(ap);
	return rc;
}

/* The tree ---------------------------------------------------------------- */

void swim_cim_query__step_dispose(q_step *s)
{
	free(s->scope);
	free(s->name);
	s->scope = s->name = NULL;
}

void swim_cim_query__chain_free(q_chain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		swim_cim_query__step_dispose(&c->v[i]);
	free(c->v);
	free(c);
}

void swim_cim_query__term_free(q_term *t)
{
	if (!t)
		return;
	swim_cim_query__chain_free(t->chain);
	swim_cim_value_dispose(&t->lit);
	free(t);
}

void swim_cim_query__cond_free(q_cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		swim_cim_query__cond_free(c->kids[i]);
	free(c->kids);
	swim_cim_query__term_free(c->lhs);
	swim_cim_query__term_free(c->rhs);
	free(c->arg);
	swim_cim_query__pattern_free(c->pattern);
	free(c);
}

static int oom(struct query_parser *p, int line, int col)
{
	return swim_cim_query__error(p, line, col, SWIM_ENOMEM,
	                             "out of memory");
}

int swim_cim_query__grow(void *arrayp, size_t n, size_t size)
{
	void **array = arrayp;
	void *grown;

	if (n & (n - 1))
		return 0;
	if (!(grown = realloc(*array, (n ? n * 2 : 1) * size)))
		return SWIM_ENOMEM;
	*array = grown;
	return 0;
}

q_chain *swim_cim_query__chain(struct query_parser *p, q_step *step)
{
	q_chain *c = calloc(1, sizeof(*c));

	if (!c) {
		(void)oom(p, step->line, step->col);
		swim_cim_query__step_dispose(step);
		return NULL;
	}
	if (swim_cim_query__chain_add(p, c, step) < 0)
		return NULL;
	return c;
}

int swim_cim_query__chain_add(struct query_parser *p, q_chain *c,
                              q_step *step)
{
	int rc;

	if (c->n >= p->lim->query_max_depth)
		rc = swim_cim_query__error(p, step->line, step->col, SWIM_ELIMIT,
		                           "a property path of more than "
		                           "query_max_depth (%llu) steps",
		                           (unsigned long long)
		                           p->lim->query_max_depth);
	else if (swim_cim_query__grow(&c->v, c->n, sizeof(*c->v)) < 0)
		rc = oom(p, step->line, step->col);
	else
		rc = 0;
	if (rc < 0) {
		swim_cim_query__step_dispose(step);
		swim_cim_query__chain_free(c);
		return rc;
	}
	c->v[c->n++] = *step;
	*step = (q_step){ NULL, NULL, Q_INDEX_NONE, 0, 0 };
	return 0;
}

q_term *swim_cim_query__term(struct query_parser *p, q_chain *chain,
                             int line, int col)
{
	q_term *t = calloc(1, sizeof(*t));

	if (!t) {
		(void)oom(p, line, col);
		swim_cim_query__chain_free(chain);
		return NULL;
	}
	t->chain = chain;
	swim_cim_value_init(&t->lit, SWIM_CIM_NONE, false);
	t->line = line;
	t->col = col;
	return t;
}

q_cond *swim_cim_query__cond(struct query_parser *p, enum q_kind kind,
                             int line, int col)
{
	q_cond *c = calloc(1, sizeof(*c));

	if (!c) {
		(void)oom(p, line, col);
		return NULL;
	}
	c->kind = kind;
	c->line = line;
	c->col = col;
	return c;
}

/* Appends kid to c's kids; frees kid on failure. */
static int add_kid(struct query_parser *p, q_cond *c, q_cond *kid)
{
	if (swim_cim_query__grow(&c->kids, c->n, sizeof(*c->kids)) < 0) {
		swim_cim_query__cond_free(kid);
		return oom(p, c->line, c->col);
	}
	c->kids[c->n++] = kid;
	return 0;
}

q_cond *swim_cim_query__join(struct query_parser *p, enum q_kind kind,
                             q_cond *a, q_cond *b)
{
	q_cond *c = a;

	if (a->kind != kind) {
		if (!(c = swim_cim_query__cond(p, kind, a->line, a->col))) {
			swim_cim_query__cond_free(a);
			swim_cim_query__cond_free(b);
			return NULL;
		}
		if (add_kid(p, c, a) < 0)
			goto fail;
	}
	if (b->kind != kind)
		return add_kid(p, c, b) < 0 ? (swim_cim_query__cond_free(c), NULL)
		                            : c;
	/* x AND (y AND z): the kids of b move over */
	for (size_t i = 0; i < b->n; i++) {
		q_cond *k = b->kids[i];

		b->kids[i] = NULL;
		if (add_kid(p, c, k) < 0)
			goto fail;
	}
	swim_cim_query__cond_free(b);
	return c;
fail:
	swim_cim_query__cond_free(c);
	swim_cim_query__cond_free(b);
	return NULL;
}

q_cond *swim_cim_query__negate(struct query_parser *p, q_cond *c, int line,
                               int col)
{
	q_cond *n = swim_cim_query__cond(p, Q_NOT, line, col);

	if (!n) {
		swim_cim_query__cond_free(c);
		return NULL;
	}
	if (add_kid(p, n, c) < 0) {
		swim_cim_query__cond_free(n);
		return NULL;
	}
	return n;
}

int swim_cim_query__add_item(struct query_parser *p, q_chain *c)
{
	swim_cim_query *q = p->q;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].index != Q_INDEX_NONE) {
			int rc = swim_cim_query__error(
				p, c->v[i].line, c->v[i].col, SWIM_EINVAL,
				"the select list names whole properties "
				"(without [...])");

			swim_cim_query__chain_free(c);
			return rc;
		}
	if (swim_cim_query__grow(&q->items, q->nitems, sizeof(*q->items)) < 0) {
		swim_cim_query__chain_free(c);
		return oom(p, 0, 0);
	}
	q->items[q->nitems++] = c;
	return 0;
}

/* [*] stands for every element: only at the end of the left operand of
 * ANY or EVERY. */
static int check_stars(struct query_parser *p, const q_term *t,
                       bool quantified)
{
	for (size_t i = 0; t && t->chain && i < t->chain->n; i++) {
		const q_step *s = &t->chain->v[i];

		if (s->index != Q_INDEX_ALL)
			continue;
		if (!quantified)
			return swim_cim_query__error(p, s->line, s->col,
			                             SWIM_EINVAL,
			                             "%s[*] needs ANY or EVERY "
			                             "before it", s->name);
		if (i + 1 < t->chain->n)
			return swim_cim_query__error(p, s->line, s->col,
			                             SWIM_EINVAL,
			                             "[*] may only end a property "
			                             "path");
	}
	return 0;
}

static bool is_null_literal(const q_term *t)
{
	return t && !t->chain && t->lit.type == SWIM_CIM_NONE;
}

static int check_predicate(struct query_parser *p, q_cond *c)
{
	const char *why;
	int rc;

	if (c->quant != Q_ONE && !c->lhs->chain)
		return swim_cim_query__error(p, c->line, c->col, SWIM_EINVAL,
		                             "ANY and EVERY apply to an array "
		                             "property, not to a value");
	if ((rc = check_stars(p, c->lhs, c->quant != Q_ONE)) < 0 ||
	    (rc = check_stars(p, c->rhs, false)) < 0)
		return rc;
	switch (c->kind) {
	case Q_CMP:
		if (is_null_literal(c->lhs) || is_null_literal(c->rhs)) {
			const q_term *t = is_null_literal(c->lhs) ? c->lhs : c->rhs;

			return swim_cim_query__error(p, t->line, t->col,
			                             SWIM_EINVAL,
			                             "a comparison with NULL is "
			                             "never true: use IS NULL or "
			                             "IS NOT NULL");
		}
		return 0;
	case Q_ISA:
		if (!c->lhs->chain)
			return swim_cim_query__error(p, c->lhs->line, c->lhs->col,
			                             SWIM_EINVAL,
			                             "ISA needs a property on its "
			                             "left");
		return 0;
	case Q_LIKE:
		rc = swim_cim_query__pattern(&c->pattern, c->arg, p->q->lang,
		                             &why);
		if (rc == SWIM_EINVAL)
			return swim_cim_query__error(p, c->line, c->col, rc,
			                             "LIKE pattern: %s", why);
		return rc < 0 ? oom(p, c->line, c->col) : 0;
	default:
		return 0;
	}
}

int swim_cim_query__predicate(struct query_parser *p, q_cond *c)
{
	int rc = check_predicate(p, c);

	if (rc < 0)
		swim_cim_query__cond_free(c);
	return rc;
}

/* Finishing --------------------------------------------------------------- */

/* `alias.Prop` and `Class.Prop` name Prop of the instance itself. */
static bool names_self(const swim_cim_query *q, const q_step *s)
{
	return !s->scope && s->index == Q_INDEX_NONE &&
	       ((q->alias && swim_str_ieq(s->name, q->alias)) ||
	        swim_str_ieq(s->name, q->from));
}

static void strip_self(const swim_cim_query *q, q_chain *c)
{
	if (!c || c->n < 2 || !names_self(q, &c->v[0]))
		return;
	swim_cim_query__step_dispose(&c->v[0]);
	memmove(c->v, c->v + 1, --c->n * sizeof(*c->v));
}

static void strip_cond(const swim_cim_query *q, q_cond *c)
{
	for (size_t i = 0; i < c->n; i++)
		strip_cond(q, c->kids[i]);
	if (c->lhs)
		strip_self(q, c->lhs->chain);
	if (c->rhs)
		strip_self(q, c->rhs->chain);
}

static void proj_dispose(q_proj *pr)
{
	for (size_t i = 0; i < pr->n; i++)
		proj_dispose(&pr->kids[i]);
	free(pr->kids);
	free(pr->scope);
	free(pr->name);
}

/* The kid of pr for step s, added when missing. */
static q_proj *proj_kid(q_proj *pr, const q_step *s)
{
	q_proj *k;

	for (size_t i = 0; i < pr->n; i++) {
		k = &pr->kids[i];
		if (swim_str_ieq(k->name, s->name) &&
		    swim_str_ieq(k->scope ? k->scope : "",
		                 s->scope ? s->scope : ""))
			return k;
	}
	if (swim_cim_query__grow(&pr->kids, pr->n, sizeof(*pr->kids)) < 0)
		return NULL;
	k = &pr->kids[pr->n];
	*k = (q_proj){ NULL, NULL, false, NULL, 0 };
	if (!(k->name = swim_strdup(s->name)) ||
	    (s->scope && !(k->scope = swim_strdup(s->scope)))) {
		proj_dispose(k);
		return NULL;
	}
	pr->n++;
	return k;
}

static int add_projection(swim_cim_query *q, const q_chain *c)
{
	q_proj *pr = &q->proj;

	if (c->n == 1 && c->star && names_self(q, &c->v[0])) {
		q->all = true;             /* alias.* */
		return 0;
	}
	for (size_t i = 0; i < c->n && !pr->all; i++)
		if (!(pr = proj_kid(pr, &c->v[i])))
			return swim_error_oom();
	pr->all = true;
	return 0;
}

int swim_cim_query__finish(struct query_parser *p)
{
	swim_cim_query *q = p->q;

	for (size_t i = 0; i < q->nitems; i++)
		strip_self(q, q->items[i]);
	if (q->where)
		strip_cond(q, q->where);
	for (size_t i = 0; i < q->nitems; i++)
		if (add_projection(q, q->items[i]) < 0)
			return oom(p, 0, 0);
	q->proj.all = q->all;
	return 0;
}

/* The query --------------------------------------------------------------- */

void swim_cim_query_free(swim_cim_query *q)
{
	if (!q)
		return;
	free(q->text);
	free(q->from);
	free(q->alias);
	for (size_t i = 0; i < q->nitems; i++)
		swim_cim_query__chain_free(q->items[i]);
	free(q->items);
	proj_dispose(&q->proj);
	swim_cim_query__cond_free(q->where);
	free(q);
}

/* Line and column of byte off, counted as the lexer counts them. */
static void position(const char *text, size_t off, int *line, int *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

int swim_cim_query_parse(swim_cim_query **out, const char *language,
                         const char *text, size_t len,
                         const swim_limits *lim, swim_cim_status *status)
{
	struct query_parser p;
	swim_cim_query *q = NULL;
	swim_cim_query_lang lang;
	const char *nul;
	int rc, line, col;

	*out = NULL;
	if ((rc = swim_cim_query_lang_parse(&lang, language, status)) < 0)
		return rc;
	lim = lim ? lim : swim_limits_default();
	if (!text) {
		text = "";
		len = 0;
	}
	if (len > lim->query_max_bytes) {
		rc = swim_error_set(SWIM_ELIMIT, "query longer than "
		                    "query_max_bytes (%llu)",
		                    (unsigned long long)lim->query_max_bytes);
		goto out;
	}
	if (!(q = calloc(1, sizeof(*q)))) {
		rc = swim_error_oom();
		goto out;
	}
	q->lang = lang;
	q->multiline = memchr(text, '\n', len) != NULL;
	/* flex takes a NUL for the end of its buffer and rescans */
	if ((nul = memchr(text, '\0', len))) {
		position(text, (size_t)(nul - text), &line, &col);
		rc = swim_cim_query__at(q, line, col, SWIM_EINVAL,
		                        "unexpected byte 0x00");
		goto out;
	}
	if (!(q->text = swim_strndup(text, len))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	p = (struct query_parser){ .lim = lim, .q = q, .text = text,
	                           .len = len };
	rc = swim_cim_query__parse(&p);
out:
	if (rc < 0) {
		set_status(status, rc == SWIM_ENOMEM ? SWIM_CIM_ERR_FAILED
		                   : SWIM_CIM_ERR_INVALID_QUERY);
		swim_cim_query_free(q);
		return rc;
	}
	*out = q;
	return 0;
}

const char *swim_cim_query_text(const swim_cim_query *q)
{
	return q->text;
}

swim_cim_query_lang swim_cim_query_language(const swim_cim_query *q)
{
	return q->lang;
}

const char *swim_cim_query_from(const swim_cim_query *q)
{
	return q->from;
}

const char *swim_cim_query_alias(const swim_cim_query *q)
{
	return q->alias;
}

bool swim_cim_query_selects_all(const swim_cim_query *q)
{
	return q->all;
}
