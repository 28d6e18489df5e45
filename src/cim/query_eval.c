/* Evaluating a query on an instance, and projecting the instance to the
 * select list. Conditions have three values (SQL's and DSP0202's): a
 * NULL or missing operand, or operands that cannot be compared, make a
 * comparison UNKNOWN; NOT UNKNOWN is UNKNOWN; AND is FALSE if any part
 * is, OR is TRUE if any part is; only TRUE matches. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cim/class.h"
#include "cim/path.h"
#include "cim/query_internal.h"
#include "swim/error.h"
#include "util/str.h"

enum tv { TV_FALSE, TV_TRUE, TV_UNKNOWN };

struct eval {
	const swim_cim_repo *repo;
	const char *ns;
	const swim_limits *lim;
	const swim_cim_instance *inst;
};

bool swim_cim_query__isa(const swim_cim_repo *repo, const char *ns,
                         const char *sub, const char *super)
{
	return swim_str_ieq(sub, super) ||
	       (repo && swim_cim_repo_is_subclass(repo, ns, sub, super));
}

static bool isa(const struct eval *e, const char *sub, const char *super)
{
	return swim_cim_query__isa(e->repo, e->ns, sub, super);
}

/* The instance a scalar embedded value holds, or NULL. */
static const swim_cim_instance *embedded(const swim_cim_value *v)
{
	if (!v || v->null || v->array || !swim_cim_type_is_embedded(v->type))
		return NULL;
	return v->obj.inst;
}

/* Where a property path leads from the instance, or NULL when it leads
 * nowhere: a property missing, an object outside a Class:: scope, an
 * index past the end, a step through something not an embedded
 * instance. NULL counts as a NULL value. */
static const swim_cim_value *chain_value(const struct eval *e,
                                         const q_chain *c)
{
	const swim_cim_instance *obj = e->inst;
	const swim_cim_value *v = NULL;

	for (size_t i = 0; i < c->n; i++) {
		const q_step *s = &c->v[i];

		if (i > 0 && !(obj = embedded(v)))
			return NULL;
		if (s->scope && !isa(e, obj->classname, s->scope))
			return NULL;
		if (!(v = swim_cim_instance_value(obj, s->name)))
			return NULL;
		if (s->index >= 0) {
			if (!v->array || v->null || (size_t)s->index >= v->a.n)
				return NULL;
			v = &v->a.v[s->index];
		}
	}
	return v;
}

static const swim_cim_value *term_value(const struct eval *e,
                                        const q_term *t)
{
	return t->chain ? chain_value(e, t->chain) : &t->lit;
}

static bool is_null(const swim_cim_value *v)
{
	return !v || v->null;
}

/* Comparisons ------------------------------------------------------------- */

enum rel {
	REL_LT = -1, REL_EQ = 0, REL_GT = 1,  /* ordered */
	REL_SAME,       /* equal, no order (references, embedded objects) */
	REL_OTHER,      /* unequal, no order (also NaN) */
	REL_NONE        /* not comparable: UNKNOWN */
};

static bool is_number(const swim_cim_value *v)
{
	return swim_cim_type_is_integer(v->type) ||
	       swim_cim_type_is_real(v->type);
}

static double as_double(const swim_cim_value *v)
{
	if (swim_cim_type_is_real(v->type))
		return v->r;
	return swim_cim_type_is_signed(v->type) ? (double)v->i : (double)v->u;
}

#define ORDER(a, b) ((a) < (b) ? REL_LT : (a) > (b) ? REL_GT : REL_EQ)

/* Integers of any type compare exactly; with a real, as doubles. */
static enum rel numbers(const swim_cim_value *a, const swim_cim_value *b)
{
	bool an, bn;

	if (swim_cim_type_is_real(a->type) || swim_cim_type_is_real(b->type)) {
		double x = as_double(a), y = as_double(b);

		return isnan(x) || isnan(y) ? REL_OTHER : ORDER(x, y);
	}
	an = swim_cim_type_is_signed(a->type) && a->i < 0;
	bn = swim_cim_type_is_signed(b->type) && b->i < 0;
	if (an != bn)
		return an ? REL_LT : REL_GT;
	if (an)
		return ORDER(a->i, b->i);
	return ORDER(swim_cim_type_is_signed(a->type) ? (uint64_t)a->i : a->u,
	             swim_cim_type_is_signed(b->type) ? (uint64_t)b->i : b->u);
}

/* The text of a string or char16 (encoded into buf), else NULL. */
static const char *text_of(const swim_cim_value *v, char buf[5])
{
	uint32_t cp;

	if (v->type == SWIM_CIM_STRING)
		return v->s;
	if (v->type != SWIM_CIM_CHAR16)
		return NULL;
	cp = (uint32_t)v->u;
	if (cp < 0x80) {
		buf[0] = (char)cp;
		buf[1] = '\0';
	} else if (cp < 0x800) {
		buf[0] = (char)(0xc0 | cp >> 6);
		buf[1] = (char)(0x80 | (cp & 0x3f));
		buf[2] = '\0';
	} else {
		buf[0] = (char)(0xe0 | cp >> 12);
		buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		buf[3] = '\0';
	}
	return buf;
}

/* A datetime, or a string that reads as one. */
static bool datetime_of(const swim_cim_value *v, swim_cim_datetime *dt)
{
	if (v->type == SWIM_CIM_DATETIME) {
		*dt = v->dt;
		return true;
	}
	return v->type == SWIM_CIM_STRING &&
	       swim_cim_datetime_parse(dt, v->s) == 0;
}

static enum rel datetimes(const swim_cim_value *a, const swim_cim_value *b)
{
	swim_cim_datetime x, y;
	int order;

	if (!datetime_of(a, &x) || !datetime_of(b, &y) ||
	    swim_cim_datetime_compare(&order, &x, &y) < 0)
		return REL_NONE;
	return (enum rel)order;
}

/* A reference, against another or a string that reads as a path: equal
 * as DSP0004 has it, ignoring the host, and the namespace when either
 * has none. */
static int references(enum rel *out, const struct eval *e,
                      const swim_cim_value *a, const swim_cim_value *b)
{
	swim_cim_path *parsed = NULL;
	const swim_cim_path *x = a->ref, *y = b->ref;
	unsigned flags = SWIM_CIM_PATH_IGNORE_HOST;
	int rc;

	*out = REL_NONE;
	if (a->type != SWIM_CIM_REFERENCE || b->type != SWIM_CIM_REFERENCE) {
		const swim_cim_value *s = a->type == SWIM_CIM_STRING ? a : b;

		if (s->type != SWIM_CIM_STRING)
			return 0;
		rc = swim_cim_path_parse(&parsed, s->s, e->lim);
		if (rc == SWIM_ENOMEM)
			return rc;
		*out = REL_OTHER;
		if (rc < 0)
			return 0;
		if (s == a)
			x = parsed;
		else
			y = parsed;
	}
	if (!x->ns || !y->ns)
		flags |= SWIM_CIM_PATH_IGNORE_NAMESPACE;
	*out = swim_cim_path_match(x, y, flags) ? REL_SAME : REL_OTHER;
	swim_cim_path_free(parsed);
	return 0;
}

static enum rel objects(const swim_cim_value *a, const swim_cim_value *b)
{
	bool same;

	if (a->obj.inst && b->obj.inst)
		same = swim_cim_instance_equal(a->obj.inst, b->obj.inst);
	else if (a->obj.cls && b->obj.cls)
		same = swim_cim_class_equal(a->obj.cls, b->obj.cls);
	else
		same = false;
	return same ? REL_SAME : REL_OTHER;
}

/* How two non-NULL values relate. */
static int relate(enum rel *out, const struct eval *e,
                  const swim_cim_value *a, const swim_cim_value *b)
{
	char ba[5], bb[5];
	const char *ta, *tb;

	*out = REL_NONE;
	if (a->array || b->array)
		return 0;
	if (is_number(a) && is_number(b)) {
		*out = numbers(a, b);
	} else if ((ta = text_of(a, ba)) && (tb = text_of(b, bb))) {
		int c = strcmp(ta, tb);

		*out = ORDER(c, 0);
	} else if (a->type == SWIM_CIM_DATETIME ||
	           b->type == SWIM_CIM_DATETIME) {
		*out = datetimes(a, b);
	} else if (a->type == SWIM_CIM_BOOLEAN && b->type == SWIM_CIM_BOOLEAN) {
		*out = ORDER(a->b, b->b);
	} else if (a->type == SWIM_CIM_REFERENCE ||
	           b->type == SWIM_CIM_REFERENCE) {
		return references(out, e, a, b);
	} else if (swim_cim_type_is_embedded(a->type) &&
	           swim_cim_type_is_embedded(b->type)) {
		*out = objects(a, b);
	}
	return 0;
}

static enum tv apply(enum q_op op, enum rel rel)
{
	if (rel == REL_NONE)
		return TV_UNKNOWN;
	if (rel == REL_SAME || rel == REL_OTHER) {
		if (op == Q_EQ || op == Q_NE)
			return (rel == REL_SAME) == (op == Q_EQ) ? TV_TRUE
			                                         : TV_FALSE;
		return TV_UNKNOWN;
	}
	switch (op) {
	case Q_EQ: return rel == REL_EQ ? TV_TRUE : TV_FALSE;
	case Q_NE: return rel != REL_EQ ? TV_TRUE : TV_FALSE;
	case Q_LT: return rel == REL_LT ? TV_TRUE : TV_FALSE;
	case Q_LE: return rel != REL_GT ? TV_TRUE : TV_FALSE;
	case Q_GT: return rel == REL_GT ? TV_TRUE : TV_FALSE;
	default: return rel != REL_LT ? TV_TRUE : TV_FALSE;
	}
}

/* Predicates -------------------------------------------------------------- */

static enum tv truth(bool b)
{
	return b ? TV_TRUE : TV_FALSE;
}

/* The predicate for one value of its left operand. */
static int predicate_one(enum tv *out, const struct eval *e,
                         const q_cond *c, const swim_cim_value *l,
                         const swim_cim_value *r)
{
	const swim_cim_instance *inst;
	enum rel rel;
	char buf[5];
	const char *s;
	bool like;
	int rc;

	*out = TV_UNKNOWN;
	if (c->kind == Q_ISNULL) {
		*out = truth(is_null(l) != c->neg);
		return 0;
	}
	if (is_null(l) || (c->kind == Q_CMP && is_null(r)))
		return 0;
	switch (c->kind) {
	case Q_CMP:
		if ((rc = relate(&rel, e, l, r)) < 0)
			return rc;
		*out = apply(c->op, rel);
		return 0;
	case Q_ISA:
		if ((inst = embedded(l)))
			*out = truth(isa(e, inst->classname, c->arg));
		else if (swim_cim_type_is_embedded(l->type) && !l->array &&
		         l->obj.cls)
			*out = truth(isa(e, l->obj.cls->name, c->arg));
		else
			*out = TV_FALSE;
		return 0;
	default:        /* Q_LIKE */
		if (l->array || !(s = text_of(l, buf)))
			return 0;
		if ((rc = swim_cim_query__like(&like, c->pattern, s)) < 0)
			return rc;
		*out = truth(like != c->neg);
		return 0;
	}
}

/* ANY is TRUE when one element makes the predicate TRUE, FALSE when all
 * make it FALSE (an empty array too); EVERY the other way round. */
static int predicate(enum tv *out, const struct eval *e, const q_cond *c)
{
	const swim_cim_value *l = term_value(e, c->lhs);
	const swim_cim_value *r = c->rhs ? term_value(e, c->rhs) : NULL;
	enum tv stop = c->quant == Q_ANY ? TV_TRUE : TV_FALSE, t;
	int rc;

	if (c->quant == Q_ONE)
		return predicate_one(out, e, c, l, r);
	*out = TV_UNKNOWN;
	if (is_null(l) || !l->array)
		return 0;
	*out = c->quant == Q_ANY ? TV_FALSE : TV_TRUE;
	for (size_t i = 0; i < l->a.n && *out != stop; i++) {
		if ((rc = predicate_one(&t, e, c, &l->a.v[i], r)) < 0)
			return rc;
		if (t != (c->quant == Q_ANY ? TV_FALSE : TV_TRUE))
			*out = t;
	}
	return 0;
}

static int eval(enum tv *out, const struct eval *e, const q_cond *c)
{
	enum tv t;
	int rc;

	switch (c->kind) {
	case Q_AND:
	case Q_OR:
		*out = c->kind == Q_AND ? TV_TRUE : TV_FALSE;
		for (size_t i = 0; i < c->n; i++) {
			if ((rc = eval(&t, e, c->kids[i])) < 0)
				return rc;
			if (t == (c->kind == Q_AND ? TV_FALSE : TV_TRUE)) {
				*out = t;
				return 0;
			}
			if (t == TV_UNKNOWN)
				*out = t;
		}
		return 0;
	case Q_NOT:
		if ((rc = eval(&t, e, c->kids[0])) < 0)
			return rc;
		*out = t == TV_UNKNOWN ? t : truth(t == TV_FALSE);
		return 0;
	default:
		return predicate(out, e, c);
	}
}

static void init_eval(struct eval *e, const swim_cim_repo *repo,
                      const char *ns, const swim_cim_instance *inst)
{
	e->repo = repo;
	e->ns = ns;
	e->lim = repo ? swim_cim_repo_limits(repo) : swim_limits_default();
	e->inst = inst;
}

int swim_cim_query_match(bool *out, const swim_cim_query *q,
                         const swim_cim_instance *inst,
                         const swim_cim_repo *repo, const char *ns)
{
	struct eval e;
	enum tv t = TV_TRUE;
	int rc;

	*out = false;
	init_eval(&e, repo, ns, inst);
	if (!isa(&e, inst->classname, q->from))
		return 0;
	if (q->where && (rc = eval(&t, &e, q->where)) < 0)
		return rc;
	*out = t == TV_TRUE;
	return 0;
}

/* Projection -------------------------------------------------------------- */

/* Copies of property p into out: whole, or with its embedded instance
 * replaced by `sub` (taken). */
static int add_property(swim_cim_instance *out, const swim_cim_property *p,
                        swim_cim_instance *sub)
{
	swim_cim_property tmp = *p, np;
	int rc;

	if (sub)
		swim_cim_value_init(&tmp.value, p->value.type, false);
	if ((rc = swim_cim_property_copy(&np, &tmp)) < 0) {
		swim_cim_instance_free(sub);
		return rc;
	}
	if (sub && p->value.type == SWIM_CIM_INSTANCE)
		swim_cim_value_take_instance(&np.value, sub);
	else if (sub)
		swim_cim_value_take_object(&np.value, sub, NULL);
	if ((rc = swim_cim_properties_add(&out->props, &np)) < 0)
		swim_cim_property_dispose(&np);
	return rc;
}

static int project(swim_cim_instance **out, const struct eval *e,
                   const q_proj *const *nodes, size_t n,
                   const swim_cim_instance *inst);

/* Property p of inst as the nodes want it, if they want it: the kids
 * that name it (within their scope) make the projection of its
 * embedded instance, or all of it. */
static int project_property(swim_cim_instance *out, const struct eval *e,
                            const q_proj *const *nodes, size_t n,
                            const swim_cim_instance *inst,
                            const swim_cim_property *p)
{
	const q_proj **kids = NULL;
	swim_cim_instance *sub = NULL;
	size_t nkids = 0, max = 0;
	bool whole = false;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		max += nodes[i]->n;
	if (max && !(kids = malloc(max * sizeof(*kids))))
		return swim_error_oom();
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nodes[i]->n; k++) {
			const q_proj *kid = &nodes[i]->kids[k];

			if (!swim_str_ieq(kid->name, p->name) ||
			    (kid->scope && !isa(e, inst->classname, kid->scope)))
				continue;
			kids[nkids++] = kid;
			whole |= kid->all;
		}
	if (nkids == 0)
		goto out;
	if (whole || !embedded(&p->value)) {
		rc = add_property(out, p, NULL);
		goto out;
	}
	if ((rc = project(&sub, e, kids, nkids, embedded(&p->value))) == 0)
		rc = add_property(out, p, sub);
out:
	free(kids);
	return rc;
}

static int project(swim_cim_instance **out, const struct eval *e,
                   const q_proj *const *nodes, size_t n,
                   const swim_cim_instance *inst)
{
	swim_cim_instance *o = NULL;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < n; i++)
		if (nodes[i]->all)
			return swim_cim_instance_copy(out, inst);
	if ((rc = swim_cim_instance_new(&o, inst->classname)) < 0 ||
	    (rc = swim_cim_qualifiers_copy(&o->quals, &inst->quals)) < 0 ||
	    (rc = swim_cim_instance_set_path(o, inst->path)) < 0)
		goto out;
	for (size_t i = 0; rc == 0 && i < inst->props.n; i++)
		rc = project_property(o, e, nodes, n, inst, &inst->props.v[i]);
out:
	if (rc < 0) {
		swim_cim_instance_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

int swim_cim_query_project(swim_cim_instance **out, const swim_cim_query *q,
                           const swim_cim_instance *inst,
                           const swim_cim_repo *repo, const char *ns)
{
	const q_proj *root = &q->proj;
	struct eval e;

	init_eval(&e, repo, ns, inst);
	return project(out, &e, &root, 1, inst);
}
