/* Checking a query against the schema: what the classes say about each
 * property path, so that a query that can never match anything is
 * refused with the place it goes wrong. Paths through embedded objects
 * whose class the schema does not name (EmbeddedObject without a
 * Class:: scope) are taken on trust. */
#include <stdlib.h>

#include "cim/class.h"
#include "cim/path.h"
#include "cim/query_internal.h"
#include "swim/error.h"
#include "util/str.h"

struct check {
	const swim_cim_query *q;
	const swim_cim_repo *repo;
	const char *ns;
};

/* What the schema says a term is: a property of a known class, and
 * whether the path ends on a whole array; prop NULL for a literal or
 * what is not known. */
struct kind {
	const swim_cim_property *prop;
	bool array;
};

static const swim_cim_class *find_class(const struct check *ck,
                                        const char *name, int line, int col,
                                        int *rc)
{
	const swim_cim_class *cls = swim_cim_repo_class(ck->repo, ck->ns, name);

	*rc = 0;
	if (!cls)
		*rc = swim_cim_query__at(ck->q, line, col, SWIM_EINVAL,
		                         "class %s does not exist in %s", name,
		                         ck->ns ? ck->ns : "");
	return cls;
}

/* A property's type in words: "a uint16", "an array of string", "an
 * embedded object". */
static const char *type_words(const swim_cim_property *p, swim_buf *b)
{
	const char *t = swim_cim_type_is_embedded(p->value.type)
	                ? "embedded object" : swim_cim_type_name(p->value.type);
	bool an = t[0] == 'e' || (t[0] == 's' && t[1] == 'i');

	swim_buf_clear(b);
	if (p->value.array)
		(void)swim_buf_printf(b, "an array of %s", t);
	else
		(void)swim_buf_printf(b, "%s %s", an ? "an" : "a", t);
	return b->ptr;
}

/* Where a property path has got to, as far as the schema tells. */
struct walk {
	const swim_cim_class *cls;       /* the object's class, if known */
	const swim_cim_property *prop;   /* the property reached, if known */
	bool array;                      /* a whole array */
	swim_buf words;
};

/* Going on past the property reached: into its embedded object. */
static int step_into(const struct check *ck, struct walk *w,
                     const q_step *s)
{
	const swim_cim_property *p = w->prop;

	if (p && !swim_cim_type_is_embedded(p->value.type))
		return swim_cim_query__at(ck->q, s->line, s->col, SWIM_EINVAL,
		                          "%s is %s: it has no properties",
		                          p->name, type_words(p, &w->words));
	if (p && w->array)
		return swim_cim_query__at(ck->q, s->line, s->col, SWIM_EINVAL,
		                          "%s is %s: pick one with %s[n]",
		                          p->name, type_words(p, &w->words),
		                          p->name);
	w->cls = p && p->refclass
	         ? swim_cim_repo_class(ck->repo, ck->ns, p->refclass) : NULL;
	return 0;
}

/* The property step s names, in the class known (or its scope). */
static int step(const struct check *ck, struct walk *w, const q_step *s)
{
	const swim_cim_property *p;
	int rc;

	if (s->scope && !(w->cls = find_class(ck, s->scope, s->line, s->col,
	                                      &rc)))
		return rc;
	w->prop = p = w->cls ? swim_cim_class_property(w->cls, s->name) : NULL;
	w->array = p && p->value.array && s->index == Q_INDEX_NONE;
	if (w->cls && !p)
		return swim_cim_query__at(ck->q, s->line, s->col, SWIM_EINVAL,
		                          "class %s has no property %s",
		                          w->cls->name, s->name);
	if (p && s->index != Q_INDEX_NONE && !p->value.array)
		return swim_cim_query__at(ck->q, s->line, s->col, SWIM_EINVAL,
		                          "%s is %s, not an array", p->name,
		                          type_words(p, &w->words));
	return 0;
}

static int check_chain(struct kind *out, const struct check *ck,
                       const q_chain *c)
{
	struct walk w = { swim_cim_repo_class(ck->repo, ck->ns, ck->q->from),
	                  NULL, false, SWIM_BUF_INIT(256) };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < c->n; i++)
		if (i == 0 || (rc = step_into(ck, &w, &c->v[i])) == 0)
			rc = step(ck, &w, &c->v[i]);
	swim_buf_dispose(&w.words);
	out->prop = rc == 0 ? w.prop : NULL;
	out->array = rc == 0 && w.array;
	return rc;
}

static int check_term(struct kind *out, const struct check *ck,
                      const q_term *t)
{
	*out = (struct kind){ NULL, false };
	return t && t->chain ? check_chain(out, ck, t->chain) : 0;
}

/* Kinds of value that compare with each other. */
enum family { F_NUMBER, F_TEXT, F_DATETIME, F_BOOLEAN, F_REF, F_OBJECT };

static enum family family(swim_cim_type t)
{
	if (swim_cim_type_is_integer(t) || swim_cim_type_is_real(t))
		return F_NUMBER;
	switch (t) {
	case SWIM_CIM_STRING: case SWIM_CIM_CHAR16: return F_TEXT;
	case SWIM_CIM_DATETIME: return F_DATETIME;
	case SWIM_CIM_BOOLEAN: return F_BOOLEAN;
	case SWIM_CIM_REFERENCE: return F_REF;
	default: return F_OBJECT;
	}
}

/* Strings stand for datetimes and object paths. */
static bool comparable(enum family a, enum family b)
{
	return a == b ||
	       (a == F_TEXT && (b == F_DATETIME || b == F_REF)) ||
	       (b == F_TEXT && (a == F_DATETIME || a == F_REF));
}

static const char *literal_words(const swim_cim_value *v)
{
	switch (family(v->type)) {
	case F_NUMBER: return "a number";
	case F_BOOLEAN: return "a boolean";
	default: return "a string";
	}
}

/* A literal compared with property p: it must be of a fitting kind, and
 * a string must read as the datetime or object path p holds. */
static int check_literal(const struct check *ck, const swim_cim_property *p,
                         const q_term *lit)
{
	enum family pf = family(p->value.type), lf = family(lit->lit.type);
	swim_cim_datetime dt;
	swim_cim_path *path = NULL;
	swim_buf b = SWIM_BUF_INIT(256);
	int rc = 0;

	if (pf == F_OBJECT || !comparable(pf, lf))
		rc = swim_cim_query__at(ck->q, lit->line, lit->col, SWIM_EINVAL,
		                        "%s is %s and cannot be compared with %s",
		                        p->name, type_words(p, &b),
		                        literal_words(&lit->lit));
	else if (pf == F_DATETIME && lf == F_TEXT &&
	         swim_cim_datetime_parse(&dt, lit->lit.s) < 0)
		rc = swim_cim_query__at(ck->q, lit->line, lit->col, SWIM_EINVAL,
		                        "%s is a datetime: %s", p->name,
		                        swim_error_last());
	else if (pf == F_REF && lf == F_TEXT &&
	         (rc = swim_cim_path_parse(&path, lit->lit.s, NULL)) < 0 &&
	         rc != SWIM_ENOMEM)
		rc = swim_cim_query__at(ck->q, lit->line, lit->col, SWIM_EINVAL,
		                        "%s is a reference: %s", p->name,
		                        swim_error_last());
	else if (path && !path->instance)
		rc = swim_cim_query__at(ck->q, lit->line, lit->col, SWIM_EINVAL,
		                        "%s is a reference: '%s' is a class, "
		                        "not an instance path", p->name,
		                        lit->lit.s);
	swim_cim_path_free(path);
	swim_buf_dispose(&b);
	return rc;
}

static int check_compare(const struct check *ck, const q_cond *c,
                         const struct kind *l, const struct kind *r)
{
	if (l->prop && !c->rhs->chain)
		return check_literal(ck, l->prop, c->rhs);
	if (r->prop && !c->lhs->chain)
		return check_literal(ck, r->prop, c->lhs);
	if (!l->prop || !r->prop ||
	    comparable(family(l->prop->value.type),
	               family(r->prop->value.type)))
		return 0;
	return swim_cim_query__at(ck->q, c->rhs->line, c->rhs->col,
	                          SWIM_EINVAL, "%s and %s hold values that "
	                          "cannot be compared", l->prop->name,
	                          r->prop->name);
}

/* What the operator asks of its left operand, which is prop (of an
 * array's elements after ANY and EVERY). */
static int check_operand(const struct check *ck, const q_cond *c,
                         const struct kind *l)
{
	const swim_cim_property *p = l->prop;
	swim_buf b = SWIM_BUF_INIT(256);
	int rc = 0;

	if (c->quant != Q_ONE && !p->value.array)
		rc = swim_cim_query__at(ck->q, c->lhs->line, c->lhs->col,
		                        SWIM_EINVAL, "%s is %s: ANY and EVERY "
		                        "need an array", p->name,
		                        type_words(p, &b));
	else if (c->quant == Q_ONE && l->array && c->kind != Q_ISNULL)
		rc = swim_cim_query__at(ck->q, c->lhs->line, c->lhs->col,
		                        SWIM_EINVAL, "%s is an array: use ANY "
		                        "%s[*] or EVERY %s[*], or one element "
		                        "(%s[n])", p->name, p->name, p->name,
		                        p->name);
	else if (c->kind == Q_ISA && !swim_cim_type_is_embedded(p->value.type))
		rc = swim_cim_query__at(ck->q, c->lhs->line, c->lhs->col,
		                        SWIM_EINVAL, "%s is %s: ISA tests "
		                        "embedded objects", p->name,
		                        type_words(p, &b));
	else if (c->kind == Q_LIKE && family(p->value.type) != F_TEXT)
		rc = swim_cim_query__at(ck->q, c->lhs->line, c->lhs->col,
		                        SWIM_EINVAL, "%s is %s: LIKE matches "
		                        "strings", p->name, type_words(p, &b));
	swim_buf_dispose(&b);
	return rc;
}

static int check_predicate(const struct check *ck, const q_cond *c)
{
	struct kind l, r;
	int rc;

	if ((rc = check_term(&l, ck, c->lhs)) < 0 ||
	    (rc = check_term(&r, ck, c->rhs)) < 0)
		return rc;
	if (r.array)
		return swim_cim_query__at(ck->q, c->rhs->line, c->rhs->col,
		                          SWIM_EINVAL, "%s is an array: compare "
		                          "one element (%s[n])", r.prop->name,
		                          r.prop->name);
	if (l.prop && (rc = check_operand(ck, c, &l)) < 0)
		return rc;
	if (c->kind == Q_ISA)
		(void)find_class(ck, c->arg, c->line, c->col, &rc);
	else if (c->kind == Q_CMP)
		rc = check_compare(ck, c, &l, &r);
	return rc;
}

static int check_cond(const struct check *ck, const q_cond *c)
{
	int rc = 0;

	if (c->kind != Q_AND && c->kind != Q_OR && c->kind != Q_NOT)
		return check_predicate(ck, c);
	for (size_t i = 0; rc == 0 && i < c->n; i++)
		rc = check_cond(ck, c->kids[i]);
	return rc;
}

int swim_cim_query_check(const swim_cim_query *q, const swim_cim_repo *repo,
                         const char *ns, unsigned flags,
                         swim_cim_status *status)
{
	struct check ck = { q, repo, ns };
	const swim_cim_class *from;
	struct kind k;
	int rc;

	if (status)
		*status = SWIM_CIM_OK;
	from = find_class(&ck, q->from, q->from_line, q->from_col, &rc);
	if (from && (flags & SWIM_CIM_QUERY_INDICATION) && !from->indication)
		rc = swim_cim_query__at(q, q->from_line, q->from_col, SWIM_EINVAL,
		                        "%s is not an indication class",
		                        from->name);
	for (size_t i = 0; rc == 0 && i < q->nitems; i++)
		rc = check_chain(&k, &ck, q->items[i]);
	if (rc == 0 && q->where)
		rc = check_cond(&ck, q->where);
	if (rc < 0 && status)
		*status = rc == SWIM_ENOMEM ? SWIM_CIM_ERR_FAILED
		                            : SWIM_CIM_ERR_INVALID_QUERY;
	return rc;
}
