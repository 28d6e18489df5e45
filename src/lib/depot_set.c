/* Several depots at once: every package id with the depots that offer
 * it, esxcli's -n lookups, and the rule that one id offered with two
 * different contents is refused until one depot is disabled. */
#include <stdlib.h>
#include <string.h>

#include "lib/depot_private.h"
#include "swim/error.h"
#include "swim/resolve.h"
#include "swim/version.h"
#include "util/str.h"

struct swim_depot_set {
	swim_depot **d;
	bool *enabled;
	size_t n;
	bool stale;                     /* the offers need rebuilding */
	swim_depot_offer *offers;
	size_t n_offers;
	const swim_depot **offer_depots;
	swim_depot_profile_offer *poffers;
	size_t n_poffers;
	const swim_depot **poffer_depots;
};

int swim_depot_set_new(swim_depot_set **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return swim_error_oom();
	(*out)->stale = true;
	return 0;
}

static void drop_offers(swim_depot_set *s)
{
	free(s->offers);
	free(s->offer_depots);
	free(s->poffers);
	free(s->poffer_depots);
	s->offers = NULL;
	s->offer_depots = NULL;
	s->poffers = NULL;
	s->poffer_depots = NULL;
	s->n_offers = s->n_poffers = 0;
	s->stale = true;
}

void swim_depot_set_free(swim_depot_set *s)
{
	if (!s)
		return;
	drop_offers(s);
	for (size_t i = 0; i < s->n; i++)
		swim_depot_free(s->d[i]);
	free(s->d);
	free(s->enabled);
	free(s);
}

int swim_depot_set_add(swim_depot_set *s, swim_depot *d)
{
	swim_depot **v;
	bool *e;

	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->d[i]->name, d->name) == 0) {
			int rc = swim_error_set(SWIM_EEXISTS,
			                        "depot %s is given twice", d->name);

			swim_depot_free(d);
			return rc;
		}
	if (!(v = realloc(s->d, (s->n + 1) * sizeof(*v)))) {
		swim_depot_free(d);
		return swim_error_oom();
	}
	s->d = v;
	if (!(e = realloc(s->enabled, (s->n + 1) * sizeof(*e)))) {
		swim_depot_free(d);
		return swim_error_oom();
	}
	s->enabled = e;
	s->d[s->n] = d;
	s->enabled[s->n++] = true;
	drop_offers(s);
	return 0;
}

int swim_depot_set_enable(swim_depot_set *s, const char *name, bool enabled)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->d[i]->name, name) == 0) {
			s->enabled[i] = enabled;
			drop_offers(s);
			return 0;
		}
	return swim_error_set(SWIM_ENOTFOUND, "no depot called %s", name);
}

size_t swim_depot_set_count(const swim_depot_set *s)
{
	return s->n;
}

const swim_depot *swim_depot_set_at(const swim_depot_set *s, size_t i)
{
	return i < s->n ? s->d[i] : NULL;
}

bool swim_depot_set_is_enabled(const swim_depot_set *s, size_t i)
{
	return i < s->n && s->enabled[i];
}

/* ---- building the offers -------------------------------------------------- */

/* What is offered (a package or a profile), through a few functions, so
 * one grouping serves both. */
struct kind {
	size_t (*count)(const swim_depot *d);
	const void *(*at)(const swim_depot *d, size_t i);
	const char *(*key)(const void *obj);
	bool (*same)(const void *a, const void *b);
};

struct item {
	const void *obj;
	const char *key;
	size_t depot;
};

/* The objects of one key: the first depot's, the depots offering it
 * (from `first` on in the depot list), whether any differs. */
struct group {
	const void *obj;
	size_t first, n;
	bool conflict;
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->depot < y->depot ? -1 : x->depot > y->depot;
}

/* Groups what the enabled depots offer by key; depots[] lists the
 * depots of each group in set order. */
static int group(struct group **out, size_t *n_out, const swim_depot ***depots,
                 const swim_depot_set *s, const struct kind *k)
{
	struct item *it = NULL;
	struct group *g = NULL;
	size_t n = 0, ng = 0;
	int rc = 0;

	*out = NULL;
	*n_out = 0;
	*depots = NULL;
	for (size_t i = 0; i < s->n; i++)
		if (s->enabled[i])
			n += k->count(s->d[i]);
	if (!n)
		return 0;
	if (!(it = calloc(n, sizeof(*it))) || !(g = calloc(n, sizeof(*g))) ||
	    !(*depots = calloc(n, sizeof(**depots)))) {
		rc = swim_error_oom();
		goto out;
	}
	n = 0;
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; s->enabled[i] && j < k->count(s->d[i]); j++) {
			it[n].obj = k->at(s->d[i], j);
			it[n].key = k->key(it[n].obj);
			it[n++].depot = i;
		}
	qsort(it, n, sizeof(*it), cmp_item);
	for (size_t i = 0; i < n; i++) {
		(*depots)[i] = s->d[it[i].depot];
		if (i && strcmp(it[i - 1].key, it[i].key) == 0) {
			g[ng - 1].n++;
			if (!k->same(g[ng - 1].obj, it[i].obj))
				g[ng - 1].conflict = true;
			continue;
		}
		g[ng].obj = it[i].obj;
		g[ng].first = i;
		g[ng++].n = 1;
	}
	*out = g;
	*n_out = ng;
	g = NULL;
out:
	if (rc < 0) {
		free(*depots);
		*depots = NULL;
	}
	free(g);
	free(it);
	return rc;
}

static int cmp_offer(const void *a, const void *b)
{
	const swim_package *x = ((const swim_depot_offer *)a)->pkg;
	const swim_package *y = ((const swim_depot_offer *)b)->pkg;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if ((c = swim_version_compare(x->version, y->version)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/* Two depots' copies describe the same .vib. */
static bool same_content(const swim_package *a, const swim_package *b)
{
	return a->packed_size == b->packed_size && a->vib_checksum &&
	       b->vib_checksum &&
	       strcmp(a->vib_checksum->value, b->vib_checksum->value) == 0;
}

static size_t pkg_count(const swim_depot *d)
{
	return d->c.n_pkgs;
}

static const void *pkg_at(const swim_depot *d, size_t i)
{
	return d->c.pkgs[i];
}

static const char *pkg_key(const void *p)
{
	return ((const swim_package *)p)->id;
}

static bool pkg_same(const void *a, const void *b)
{
	return same_content(a, b);
}

static size_t prof_count(const swim_depot *d)
{
	return d->c.n_profiles;
}

static const void *prof_at(const swim_depot *d, size_t i)
{
	return d->c.profiles[i];
}

static const char *prof_key(const void *p)
{
	return ((const swim_profile *)p)->name;
}

static bool prof_same(const void *a, const void *b)
{
	return swim_profile_equal(a, b);
}

static int build_package_offers(swim_depot_set *s)
{
	static const struct kind k = { pkg_count, pkg_at, pkg_key, pkg_same };
	struct group *g = NULL;
	size_t n = 0;
	int rc;

	if ((rc = group(&g, &n, &s->offer_depots, s, &k)) < 0 || !n)
		goto out;
	if (!(s->offers = calloc(n, sizeof(*s->offers)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		s->offers[i].pkg = g[i].obj;
		s->offers[i].depots = &s->offer_depots[g[i].first];
		s->offers[i].n_depots = g[i].n;
		s->offers[i].conflict = g[i].conflict;
	}
	s->n_offers = n;
	qsort(s->offers, n, sizeof(*s->offers), cmp_offer);
out:
	free(g);
	return rc;
}

/* Profiles come out sorted by name: grouping sorted them by their key. */
static int build_profile_offers(swim_depot_set *s)
{
	static const struct kind k = { prof_count, prof_at, prof_key, prof_same };
	struct group *g = NULL;
	size_t n = 0;
	int rc;

	if ((rc = group(&g, &n, &s->poffer_depots, s, &k)) < 0 || !n)
		goto out;
	if (!(s->poffers = calloc(n, sizeof(*s->poffers)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		s->poffers[i].profile = g[i].obj;
		s->poffers[i].depots = &s->poffer_depots[g[i].first];
		s->poffers[i].n_depots = g[i].n;
		s->poffers[i].conflict = g[i].conflict;
	}
	s->n_poffers = n;
out:
	free(g);
	return rc;
}

static int refresh(swim_depot_set *s)
{
	int rc;

	if (!s->stale)
		return 0;
	drop_offers(s);
	if ((rc = build_package_offers(s)) < 0 ||
	    (rc = build_profile_offers(s)) < 0) {
		drop_offers(s);
		return rc;
	}
	s->stale = false;
	return 0;
}

int swim_depot_set_offers(const swim_depot_offer **out, size_t *n,
                          swim_depot_set *s)
{
	int rc = refresh(s);

	*out = rc == 0 ? s->offers : NULL;
	*n = rc == 0 ? s->n_offers : 0;
	return rc;
}

/* ---- finding -------------------------------------------------------------- */

int swim_depot_set_match(const swim_depot_offer ***out, size_t *n,
                         swim_depot_set *s, const char *spec)
{
	const swim_depot_offer **v = NULL;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = refresh(s)) < 0)
		return rc;
	for (size_t i = 0; i < s->n_offers; i++) {
		/* The resolver's reading of -n, so both find the same. */
		if (!swim_resolve_spec_matches(spec, s->offers[i].pkg))
			continue;
		if (!v && !(v = calloc(s->n_offers, sizeof(*v))))
			return swim_error_oom();
		v[k++] = &s->offers[i];
	}
	if (!k)
		return swim_error_set(SWIM_ENOTFOUND,
		                      "no package matching '%s' in the depots", spec);
	*out = v;
	*n = k;
	return 0;
}

int swim_depot_offer_check(const swim_depot_offer *o)
{
	const swim_depot *a = o->depots[0];

	if (!o->conflict)
		return 0;
	for (size_t i = 1; i < o->n_depots; i++) {
		const swim_depot *b = o->depots[i];
		const swim_package *q = swim_depot_find_id(b, o->pkg->id);

		if (q && !same_content(o->pkg, q))
			return swim_error_set(SWIM_ECONFLICT,
			                      "package %s is offered with different content by depot %s and depot %s; disable one of them",
			                      o->pkg->id, a->name, b->name);
	}
	return 0;
}

int swim_depot_set_get(const swim_depot_offer **out, swim_depot_set *s,
                       const char *id)
{
	int rc;

	*out = NULL;
	if ((rc = refresh(s)) < 0)
		return rc;
	for (size_t i = 0; i < s->n_offers; i++)
		if (strcmp(s->offers[i].pkg->id, id) == 0) {
			if ((rc = swim_depot_offer_check(&s->offers[i])) < 0)
				return rc;
			*out = &s->offers[i];
			return 0;
		}
	return swim_error_set(SWIM_ENOTFOUND, "no package %s in the depots", id);
}

int swim_depot_set_fetch(swim_vib **out, swim_depot_set *s, const char *id,
                         const char *dest, const swim_vib_options *vopt)
{
	const swim_depot_offer *o;
	int rc;

	*out = NULL;
	if ((rc = swim_depot_set_get(&o, s, id)) < 0)
		return rc;
	return swim_depot_fetch(out, o->depots[0], o->pkg, dest, vopt);
}

int swim_depot_set_profiles(const swim_depot_profile_offer **out, size_t *n,
                            swim_depot_set *s)
{
	int rc = refresh(s);

	*out = rc == 0 ? s->poffers : NULL;
	*n = rc == 0 ? s->n_poffers : 0;
	return rc;
}

int swim_depot_set_find_profile(const swim_depot_profile_offer **out,
                                swim_depot_set *s, const char *name)
{
	int rc;

	*out = NULL;
	if ((rc = refresh(s)) < 0)
		return rc;
	for (size_t i = 0; i < s->n_poffers; i++) {
		const swim_depot_profile_offer *o = &s->poffers[i];

		if (strcmp(o->profile->name, name) != 0)
			continue;
		for (size_t k = 1; o->conflict && k < o->n_depots; k++) {
			const swim_depot *b = o->depots[k];

			for (size_t j = 0; j < b->c.n_profiles; j++)
				if (strcmp(b->c.profiles[j]->name, name) == 0 &&
				    !swim_profile_equal(o->profile, b->c.profiles[j]))
					return swim_error_set(SWIM_ECONFLICT,
					                      "image profile '%s' is defined differently by depot %s and depot %s; disable one of them",
					                      name, o->depots[0]->name,
					                      b->name);
		}
		*out = o;
		return 0;
	}
	return swim_error_set(SWIM_ENOTFOUND,
	                      "no image profile '%s' in the depots", name);
}
