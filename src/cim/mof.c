/* The MOF compiler's driver: files and includes, and turning the
 * declarations the grammar reads into repository objects. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cim/internal.h"
#include "cim/mof_internal.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

/* Nodes ---------------------------------------------------------------- */

mof_node *swim_mof__node(enum mof_kind kind, int line, int col)
{
	mof_node *n = calloc(1, sizeof(*n));

	if (n) {
		n->kind = kind;
		n->line = line;
		n->col = col;
	}
	return n;
}

void swim_mof__node_free(mof_node *n)
{
	if (!n)
		return;
	free(n->name);
	free(n->refclass);
	free(n->s);
	swim_mof__node_free(n->quals);
	swim_mof__node_free(n->init);
	for (size_t i = 0; i < n->n; i++)
		swim_mof__node_free(n->kids[i]);
	free(n->kids);
	free(n);
}

int swim_mof__append(mof_node *list, mof_node *kid)
{
	mof_node **grown;

	if ((list->n & (list->n - 1)) == 0) {
		grown = realloc(list->kids,
		                (list->n ? list->n * 2 : 1) * sizeof(*grown));
		if (!grown) {
			swim_mof__node_free(kid);
			return SWIM_ENOMEM;
		}
		list->kids = grown;
	}
	list->kids[list->n++] = kid;
	return 0;
}

/* Errors --------------------------------------------------------------- */

int swim_mof__error(struct mof_parser *p, int line, int col, int code,
                    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (p->rc < 0)
		return p->rc;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->rc = code;
	if (line > 0)
		return swim_error_set(code, "%s:%d:%d: %s", p->file->path, line,
		                      col, msg);
	return swim_error_set(code, "%s: %s", p->file->path, msg);
}

int swim_mof__error_prefix(struct mof_parser *p, int line, int col)
{
	if (p->rc < 0)
		return p->rc;
	p->rc = swim_error_prefix("%s:%d:%d: ", p->file->path, line, col);
	return p->rc;
}

/* Initializers ----------------------------------------------------------- */

static const char *init_kind(const mof_node *n)
{
	switch (n->kind) {
	case MOF_NULL: return "NULL";
	case MOF_BOOL: return "a boolean";
	case MOF_INT: return "an integer";
	case MOF_REAL: return "a real number";
	case MOF_STRING: return "a string";
	case MOF_CHAR: return "a character";
	case MOF_ALIAS: return "an alias";
	default: return "an array";
	}
}

static int scalar_value(struct mof_parser *p, const mof_node *n,
                        swim_cim_type type, swim_cim_value *out)
{
	const struct mof_alias *a;
	int rc = 1;

	swim_cim_value_init(out, type, false);
	switch (n->kind) {
	case MOF_NULL:
		return 0;
	case MOF_BOOL:
		if (type == SWIM_CIM_BOOLEAN) {
			swim_cim_value_set_bool(out, n->b);
			return 0;
		}
		break;
	case MOF_INT:
		if (swim_cim_type_is_integer(type) && n->neg &&
		    n->mag > (uint64_t)INT64_MAX + 1)
			rc = swim_error_set(SWIM_EINVAL, "%s: -%llu is out of range",
			                    swim_cim_type_name(type),
			                    (unsigned long long)n->mag);
		else if (swim_cim_type_is_integer(type) && n->neg)
			rc = swim_cim_value_set_sint(out, type,
			                             n->mag == (uint64_t)INT64_MAX + 1
			                             ? INT64_MIN : -(int64_t)n->mag);
		else if (swim_cim_type_is_integer(type))
			rc = swim_cim_value_set_uint(out, type, n->mag);
		else if (swim_cim_type_is_real(type))
			rc = swim_cim_value_set_real(out, type,
			                             n->neg ? -(double)n->mag
			                                    : (double)n->mag);
		break;
	case MOF_REAL:
		if (swim_cim_type_is_real(type))
			rc = swim_cim_value_set_real(out, type, n->r);
		break;
	case MOF_CHAR:
		if (type == SWIM_CIM_CHAR16)
			rc = swim_cim_value_set_char16(out, n->ch);
		break;
	case MOF_STRING:
		if (type == SWIM_CIM_STRING || type == SWIM_CIM_DATETIME ||
		    type == SWIM_CIM_REFERENCE)
			rc = swim_cim_value_from_string(out, type, n->s,
			                                p->load->lim);
		break;
	case MOF_ALIAS:
		if (type != SWIM_CIM_REFERENCE)
			break;
		if (!(a = swim_cim_map_get(&p->load->alias_map, n->s)))
			return swim_mof__error(p, n->line, n->col, SWIM_EINVAL,
			                       "alias %s is not defined (an alias "
			                       "is declared before its use)", n->s);
		rc = swim_cim_value_set_ref(out, a->path);
		break;
	default:
		break;
	}
	if (rc < 0)
		return swim_mof__error_prefix(p, n->line, n->col);
	if (rc > 0)
		return swim_mof__error(p, n->line, n->col, SWIM_EINVAL,
		                       "expected %s, got %s",
		                       swim_cim_type_name(type), init_kind(n));
	return 0;
}

/* The value of initializer n (NULL: none) as `type`, array or not. */
static int init_value(struct mof_parser *p, const mof_node *n,
                      swim_cim_type type, bool array, swim_cim_value *out)
{
	swim_cim_value e = SWIM_CIM_VALUE_INIT;
	int rc;

	swim_cim_value_init(out, type, array);
	if (!n || n->kind == MOF_NULL)
		return 0;
	if (!array && n->kind == MOF_ARRAY)
		return swim_mof__error(p, n->line, n->col, SWIM_EINVAL,
		                       "expected one %s, got an array",
		                       swim_cim_type_name(type));
	if (!array)
		return scalar_value(p, n, type, out);
	if (n->kind != MOF_ARRAY)
		return swim_mof__error(p, n->line, n->col, SWIM_EINVAL,
		                       "expected an array of %s ({...}), got %s",
		                       swim_cim_type_name(type), init_kind(n));
	swim_cim_value_set_array(out, type);
	for (size_t i = 0; i < n->n; i++) {
		if ((rc = scalar_value(p, n->kids[i], type, &e)) < 0 ||
		    (rc = swim_cim_value_append(out, &e)) < 0) {
			swim_cim_value_dispose(&e);
			swim_cim_value_dispose(out);
			return rc == SWIM_ENOMEM || rc == SWIM_ELIMIT
			       ? swim_mof__error_prefix(p, n->line, n->col) : rc;
		}
	}
	return 0;
}

/* Qualifiers -------------------------------------------------------------- */

static const char *current_ns(const struct mof_parser *p)
{
	return p->file->ns;
}

/* Fills q from a list of MOF_QUALIFIER nodes, typing each value from its
 * declaration; values left out are filled by the repository. */
static int build_qualifiers(struct mof_parser *p, const mof_node *list,
                            swim_cim_qualifiers *q)
{
	int rc;

	for (size_t i = 0; list && i < list->n; i++) {
		const mof_node *n = list->kids[i];
		const swim_cim_qualifier_decl *d = swim_cim_repo_qualifier_decl(
			p->load->repo, current_ns(p), n->name);
		swim_cim_value v = SWIM_CIM_VALUE_INIT;
		unsigned flavor = 0;

		if (!d)
			return swim_mof__error(p, n->line, n->col, SWIM_ENOTFOUND,
			                       "qualifier %s is not declared in %s",
			                       n->name, current_ns(p));
		if (swim_cim_qualifiers_get(q, n->name))
			return swim_mof__error(p, n->line, n->col, SWIM_EINVAL,
			                       "qualifier %s given twice", n->name);
		/* One value for an array qualifier is a one-element array. */
		if (n->init && (rc = init_value(p, n->init, d->type,
		                                d->array &&
		                                n->init->kind == MOF_ARRAY,
		                                &v)) < 0)
			return rc;
		if (!n->init)
			swim_cim_value_init(&v, SWIM_CIM_NONE, false);
		if (n->flavor_given)
			flavor = ((d->flavor | n->flavor_set) & ~n->flavor_clear) |
			         SWIM_CIM_FLAVOR_EXPLICIT;
		if ((rc = swim_cim_qualifiers_set(q, d->name, &v, flavor,
		                                  false)) < 0) {
			swim_cim_value_dispose(&v);
			return swim_mof__error_prefix(p, n->line, n->col);
		}
	}
	return 0;
}

/* Declarations -------------------------------------------------------------- */

static int load_file(struct mof_load *load, const char *path,
                     const char *ns, unsigned depth, struct mof_parser *from,
                     int line, int col);

static int set_namespace(struct mof_parser *p, const char *value, int line,
                         int col)
{
	swim_cim_repo *repo = p->load->repo;
	const char *canon;
	int rc;

	if (!swim_cim_repo_namespace(repo, value) &&
	    (rc = swim_cim_repo_add_namespace(repo, value)) < 0)
		return swim_mof__error_prefix(p, line, col);
	canon = swim_cim_repo_namespace(repo, value);
	if ((rc = swim_str_set(&p->file->ns, canon)) < 0)
		return swim_mof__error_prefix(p, line, col);
	return 0;
}

int swim_mof__pragma(struct mof_parser *p, char *name, char *value,
                     int line, int col)
{
	int rc = 0;

	if (swim_str_ieq(name, "include"))
		rc = load_file(p->load, value, p->file->ns, p->file->depth + 1,
		               p, line, col);
	else if (swim_str_ieq(name, "namespace"))
		rc = set_namespace(p, value, line, col);
	else if (!swim_str_ieq(name, "locale") &&
	         !swim_str_ieq(name, "instancelocale"))
		rc = swim_mof__error(p, line, col, SWIM_EINVAL,
		                     "unknown pragma %s (known: include, "
		                     "namespace, locale)", name);
	free(name);
	free(value);
	return rc;
}

int swim_mof__qualifier_decl(struct mof_parser *p, char *name,
                             swim_cim_type type, mof_node *array,
                             mof_node *init, unsigned scope,
                             mof_node *flavors, int line, int col)
{
	swim_cim_qualifier_decl *d = NULL;
	int rc;

	if ((rc = swim_cim_qualifier_decl_new(&d, name, type,
	                                      array != NULL)) < 0) {
		rc = swim_mof__error_prefix(p, line, col);
		goto out;
	}
	d->array_size = array ? (uint32_t)array->mag : 0;
	d->scope = scope;
	if (flavors)
		d->flavor = (d->flavor | flavors->flavor_set) &
		            ~flavors->flavor_clear;
	swim_cim_value_dispose(&d->value);
	if ((rc = init_value(p, init, type, array != NULL, &d->value)) < 0)
		goto out;
	if ((rc = swim_cim_repo_add_qualifier_decl(p->load->repo,
	                                           current_ns(p), d)) < 0) {
		rc = swim_mof__error_prefix(p, line, col);
		goto out;
	}
	d = NULL;
out:
	swim_cim_qualifier_decl_free(d);
	free(name);
	swim_mof__node_free(array);
	swim_mof__node_free(init);
	swim_mof__node_free(flavors);
	return rc;
}

static int build_property(struct mof_parser *p, swim_cim_class *cls,
                          const mof_node *n)
{
	swim_cim_property prop;
	swim_cim_value v;
	int rc;

	memset(&prop, 0, sizeof(prop));
	if ((rc = init_value(p, n->init, n->type, n->array, &v)) < 0)
		return rc;
	if ((rc = swim_cim_property_init(&prop, n->name, &v)) < 0 ||
	    (n->refclass && (rc = swim_str_set(&prop.refclass,
	                                       n->refclass)) < 0))
		goto fail;
	prop.array_size = n->array_size;
	if ((rc = build_qualifiers(p, n->quals, &prop.quals)) < 0)
		goto out;
	if ((rc = swim_cim_class_add_property(cls, &prop)) < 0)
		goto fail;
	goto out;
fail:
	rc = swim_mof__error_prefix(p, n->line, n->col);
out:
	swim_cim_value_dispose(&v);
	swim_cim_property_dispose(&prop);
	return rc;
}

static int build_method(struct mof_parser *p, swim_cim_class *cls,
                        const mof_node *n)
{
	swim_cim_method m;
	swim_cim_parameter par;
	int rc;

	memset(&par, 0, sizeof(par));
	if ((rc = swim_cim_method_init(&m, n->name, n->type)) < 0) {
		swim_cim_method_dispose(&m);
		return swim_mof__error_prefix(p, n->line, n->col);
	}
	if ((rc = build_qualifiers(p, n->quals, &m.quals)) < 0)
		goto out;
	for (size_t i = 0; i < n->n; i++) {
		const mof_node *pn = n->kids[i];

		if ((rc = swim_cim_parameter_init(&par, pn->name, pn->type,
		                                  pn->array)) < 0 ||
		    (pn->refclass &&
		     (rc = swim_str_set(&par.refclass, pn->refclass)) < 0)) {
			rc = swim_mof__error_prefix(p, pn->line, pn->col);
			goto out;
		}
		par.array_size = pn->array_size;
		if ((rc = build_qualifiers(p, pn->quals, &par.quals)) < 0)
			goto out;
		if ((rc = swim_cim_method_add_parameter(&m, &par)) < 0) {
			rc = swim_mof__error_prefix(p, pn->line, pn->col);
			goto out;
		}
	}
	if ((rc = swim_cim_class_add_method(cls, &m)) < 0)
		rc = swim_mof__error_prefix(p, n->line, n->col);
out:
	swim_cim_parameter_dispose(&par);
	swim_cim_method_dispose(&m);
	return rc;
}

int swim_mof__class(struct mof_parser *p, mof_node *quals, char *name,
                    char *super, mof_node *features, int line, int col)
{
	swim_cim_class *cls = NULL;
	int rc;

	if ((rc = swim_cim_class_new(&cls, name, super)) < 0) {
		rc = swim_mof__error_prefix(p, line, col);
		goto out;
	}
	if ((rc = build_qualifiers(p, quals, &cls->quals)) < 0)
		goto out;
	for (size_t i = 0; i < features->n; i++) {
		const mof_node *f = features->kids[i];

		rc = f->kind == MOF_METHOD ? build_method(p, cls, f)
		                           : build_property(p, cls, f);
		if (rc < 0)
			goto out;
	}
	if ((rc = swim_cim_repo_add_class(p->load->repo, current_ns(p),
	                                  &cls)) < 0)
		rc = swim_mof__error_prefix(p, line, col);
out:
	swim_cim_class_free(cls);
	swim_mof__node_free(quals);
	free(name);
	free(super);
	swim_mof__node_free(features);
	return rc;
}

static int add_alias(struct mof_parser *p, const char *alias,
                     const swim_cim_path *path, int line, int col)
{
	struct mof_alias *a;
	int rc;

	if (swim_cim_map_get(&p->load->alias_map, alias))
		return swim_mof__error(p, line, col, SWIM_EINVAL,
		                       "alias %s is defined already", alias);
	if (!(a = calloc(1, sizeof(*a))))
		return swim_mof__error(p, line, col, SWIM_ENOMEM,
		                       "out of memory");
	if (!(a->name = swim_strdup(alias)) ||
	    swim_cim_path_copy(&a->path, path) < 0 ||
	    swim_cim__ptrs_push(&p->load->aliases, a) < 0) {
		free(a->name);
		swim_cim_path_free(a->path);
		free(a);
		return swim_mof__error(p, line, col, SWIM_ENOMEM,
		                       "out of memory");
	}
	if ((rc = swim_cim_map_put(&p->load->alias_map, a->name, a)) < 0)
		return swim_mof__error_prefix(p, line, col);
	return 0;
}

int swim_mof__instance(struct mof_parser *p, mof_node *quals,
                       char *classname, char *alias, mof_node *values,
                       int line, int col)
{
	const swim_cim_class *cls = swim_cim_repo_class(p->load->repo,
	                                                current_ns(p),
	                                                classname);
	const swim_cim_instance *added;
	swim_cim_instance *inst = NULL;
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	int rc;

	if (!cls) {
		rc = swim_mof__error(p, line, col, SWIM_ENOTFOUND,
		                     "class %s does not exist in %s", classname,
		                     current_ns(p));
		goto out;
	}
	if (quals && quals->n) {
		rc = swim_mof__error(p, quals->kids[0]->line,
		                     quals->kids[0]->col, SWIM_EINVAL,
		                     "qualifiers on instances are not supported");
		goto out;
	}
	if ((rc = swim_cim_instance_new(&inst, cls->name)) < 0) {
		rc = swim_mof__error_prefix(p, line, col);
		goto out;
	}
	for (size_t i = 0; i < values->n; i++) {
		const mof_node *n = values->kids[i];
		const swim_cim_property *cp = swim_cim_class_property(cls,
		                                                      n->name);

		if (n->quals && n->quals->n) {
			rc = swim_mof__error(p, n->quals->kids[0]->line,
			                     n->quals->kids[0]->col, SWIM_EINVAL,
			                     "qualifiers on property values are "
			                     "not supported");
			goto out;
		}
		if (!cp) {
			rc = swim_mof__error(p, n->line, n->col, SWIM_ENOTFOUND,
			                     "class %s has no property %s",
			                     cls->name, n->name);
			goto out;
		}
		if (swim_cim_type_is_embedded(cp->value.type)) {
			rc = swim_mof__error(p, n->line, n->col, SWIM_ENOTSUPPORTED,
			                     "property %s holds embedded objects, "
			                     "which MOF here cannot give", cp->name);
			goto out;
		}
		if (swim_cim_instance_property(inst, cp->name)) {
			rc = swim_mof__error(p, n->line, n->col, SWIM_EINVAL,
			                     "property %s given twice", cp->name);
			goto out;
		}
		if ((rc = init_value(p, n->init, cp->value.type,
		                     cp->value.array, &v)) < 0)
			goto out;
		if ((rc = swim_cim_instance_set(inst, cp->name, &v)) < 0) {
			rc = swim_mof__error_prefix(p, n->line, n->col);
			goto out;
		}
	}
	added = inst;
	if ((rc = swim_cim_repo_add_instance(p->load->repo, current_ns(p),
	                                     &inst)) < 0) {
		rc = swim_mof__error_prefix(p, line, col);
		goto out;
	}
	if (alias)
		rc = add_alias(p, alias, added->path, line, col);
out:
	swim_cim_value_dispose(&v);
	swim_cim_instance_free(inst);
	swim_mof__node_free(quals);
	free(classname);
	free(alias);
	swim_mof__node_free(values);
	return rc;
}

/* Files ------------------------------------------------------------------ */

static int read_fs(swim_buf *out, const char *path, void *ctx)
{
	(void)ctx;
	return swim_fs_read_file(out, path);
}

/* dir of path with a trailing '/', or "" when path has none. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return swim_strndup(path, slash ? (size_t)(slash - path) + 1 : 0);
}

static int parse_text(struct mof_load *load, const char *name,
                      const char *data, size_t len, const char *ns,
                      unsigned depth)
{
	struct mof_file file = { name, NULL, NULL, depth };
	struct mof_parser p = { load, &file, 0 };
	int rc;

	if (!(file.dir = dir_of(name)))
		return SWIM_ENOMEM;
	if ((rc = set_namespace(&p, ns, 0, 0)) == 0)
		rc = swim_mof__parse(&p, data, len);
	free(file.dir);
	free(file.ns);
	return rc;
}

/* Reads and compiles an included (or the top) file. `from` is the
 * including file's parser, NULL for the top file. */
static int load_file(struct mof_load *load, const char *path,
                     const char *ns, unsigned depth, struct mof_parser *from,
                     int line, int col)
{
	swim_buf data = SWIM_BUF_INIT(load->lim->mof_max_bytes);
	swim_buf full = SWIM_BUF_INIT(0);
	int rc;

	if (from && depth > load->lim->mof_max_include_depth)
		return swim_mof__error(from, line, col, SWIM_ELIMIT,
		                       "#pragma include nested deeper than %llu",
		                       (unsigned long long)
		                       load->lim->mof_max_include_depth);
	if (from && !load->read)
		return swim_mof__error(from, line, col, SWIM_ENOTSUPPORTED,
		                       "#pragma include is not available here");
	if (!*path) {
		rc = from ? swim_mof__error(from, line, col, SWIM_EINVAL,
		                            "empty include file name")
		          : swim_error_set(SWIM_EINVAL, "empty MOF file name");
		goto out;
	}
	if ((rc = swim_buf_printf(&full, "%s%s",
	                          from && path[0] != '/' ? from->file->dir : "",
	                          path)) < 0)
		goto out;
	if ((rc = (load->read ? load->read : read_fs)(&data, full.ptr,
	                                             load->ctx)) < 0) {
		if (from)
			rc = swim_mof__error_prefix(from, line, col);
		goto out;
	}
	rc = parse_text(load, full.ptr, data.ptr, data.len, ns, depth);
	if (rc < 0 && from)
		from->rc = rc;
out:
	swim_buf_dispose(&data);
	swim_buf_dispose(&full);
	return rc;
}

static void load_dispose(struct mof_load *load)
{
	for (size_t i = 0; i < load->aliases.n; i++) {
		struct mof_alias *a = load->aliases.v[i];

		free(a->name);
		swim_cim_path_free(a->path);
		free(a);
	}
	free(load->aliases.v);
	swim_cim_map_dispose(&load->alias_map);
}

int swim_cim_mof_load_file(swim_cim_repo *repo, const char *path,
                           const char *ns)
{
	struct mof_load load = { repo, read_fs, NULL, swim_cim_repo_limits(repo),
	                         { NULL, 0 }, SWIM_CIM_MAP_INIT };
	int rc = load_file(&load, path, ns, 0, NULL, 0, 0);

	load_dispose(&load);
	return rc;
}

int swim_cim_mof_load_buffer(swim_cim_repo *repo, const char *data,
                             size_t len, const char *name, const char *ns,
                             swim_cim_mof_read_fn read, void *ctx)
{
	struct mof_load load = { repo, read, ctx, swim_cim_repo_limits(repo),
	                         { NULL, 0 }, SWIM_CIM_MAP_INIT };
	int rc;

	if (len > load.lim->mof_max_bytes)
		return swim_error_set(SWIM_ELIMIT,
		                      "%s: larger than mof_max_bytes (%llu)", name,
		                      (unsigned long long)load.lim->mof_max_bytes);
	rc = parse_text(&load, name, data, len, ns, 0);
	load_dispose(&load);
	return rc;
}

int swim_cim_schema_load(swim_cim_repo **out, const char *schema_dir,
                         const char *const *extra, size_t n,
                         const swim_limits *lim)
{
	swim_cim_repo *repo = NULL;
	swim_buf path = SWIM_BUF_INIT(0);
	int rc;

	*out = NULL;
	if ((rc = swim_cim_repo_new_default(&repo, lim)) < 0)
		return rc;
	if ((rc = swim_buf_printf(&path, "%s/swim.mof", schema_dir)) < 0 ||
	    (rc = swim_cim_mof_load_file(repo, path.ptr,
	                                 SWIM_CIM_NS_CIMV2)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if ((rc = swim_cim_mof_load_file(repo, extra[i],
		                                 SWIM_CIM_NS_CIMV2)) < 0)
			goto out;
	*out = repo;
	repo = NULL;
out:
	swim_buf_dispose(&path);
	swim_cim_repo_free(repo);
	return rc;
}
