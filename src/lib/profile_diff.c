/* Compare-EsxImageProfile: two profiles' packages matched by name. */
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "swim/profile.h"
#include "swim/version.h"
#include "util/str.h"

struct side {
	const swim_profile *prof;
	const swim_package **pkgs;  /* the profile's packages, one per id */
	size_t n;
};

static int side_resolve(struct side *s, const swim_profile *prof,
                        const swim_package *const *pkgs, size_t n_pkgs)
{
	s->prof = prof;
	s->n = prof->n_vib_ids;
	s->pkgs = calloc(s->n ? s->n : 1, sizeof(*s->pkgs));
	if (!s->pkgs)
		return swim_error_oom();
	for (size_t i = 0; i < s->n; i++) {
		for (size_t k = 0; k < n_pkgs && !s->pkgs[i]; k++)
			if (pkgs[k]->id && strcmp(pkgs[k]->id, prof->vib_ids[i]) == 0)
				s->pkgs[i] = pkgs[k];
		if (!s->pkgs[i])
			return swim_error_set(SWIM_ENOTFOUND,
			                      "image profile '%s': package %s is not known",
			                      prof->name, prof->vib_ids[i]);
	}
	return 0;
}

static const swim_package *by_name(const struct side *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->pkgs[i]->name, name) == 0)
			return s->pkgs[i];
	return NULL;
}

static int push(char ***v, size_t *n, const char *id)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return swim_error_oom();
	*v = nv;
	if (!(nv[*n] = swim_strdup(id)))
		return SWIM_ENOMEM;
	(*n)++;
	return 0;
}

void swim_profile_diff_dispose(swim_profile_diff *d)
{
	char **lists[] = { d->only_in_ref, d->only_in_comp,
	                   d->upgrade_from_ref, d->downgrade_from_ref };
	size_t ns[] = { d->n_only_in_ref, d->n_only_in_comp,
	                d->n_upgrade_from_ref, d->n_downgrade_from_ref };

	for (size_t l = 0; l < 4; l++) {
		for (size_t i = 0; i < ns[l]; i++)
			free(lists[l][i]);
		free(lists[l]);
	}
	memset(d, 0, sizeof(*d));
}

int swim_profile_diff_compute(swim_profile_diff *out,
                              const swim_profile *ref,
                              const swim_package *const *ref_pkgs,
                              size_t n_ref_pkgs,
                              const swim_profile *comp,
                              const swim_package *const *comp_pkgs,
                              size_t n_comp_pkgs)
{
	struct side r = { 0 }, c = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = side_resolve(&r, ref, ref_pkgs, n_ref_pkgs)) < 0 ||
	    (rc = side_resolve(&c, comp, comp_pkgs, n_comp_pkgs)) < 0)
		goto out;
	for (size_t i = 0; i < r.n; i++) {
		const swim_package *o = by_name(&c, r.pkgs[i]->name);

		if ((!o || (strcmp(o->id, r.pkgs[i]->id) != 0 &&
		            swim_version_compare(o->version, r.pkgs[i]->version) == 0)) &&
		    (rc = push(&out->only_in_ref, &out->n_only_in_ref,
		               r.pkgs[i]->id)) < 0)
			goto out;
	}
	for (size_t i = 0; i < c.n; i++) {
		const swim_package *o = by_name(&r, c.pkgs[i]->name);
		int cmp;

		if (o && strcmp(o->id, c.pkgs[i]->id) == 0)
			continue;
		cmp = o ? swim_version_compare(c.pkgs[i]->version, o->version) : 0;
		if (!o || cmp == 0)
			rc = push(&out->only_in_comp, &out->n_only_in_comp,
			          c.pkgs[i]->id);
		else if (cmp > 0)
			rc = push(&out->upgrade_from_ref, &out->n_upgrade_from_ref,
			          c.pkgs[i]->id);
		else
			rc = push(&out->downgrade_from_ref,
			          &out->n_downgrade_from_ref, c.pkgs[i]->id);
		if (rc < 0)
			goto out;
	}
	out->ref_acceptance = ref->acceptance;
	out->comp_acceptance = comp->acceptance;
	out->packages_equal = !out->n_only_in_ref && !out->n_only_in_comp &&
	                      !out->n_upgrade_from_ref &&
	                      !out->n_downgrade_from_ref;
	out->equal = out->packages_equal &&
	             ref->acceptance == comp->acceptance;
	rc = 0;
out:
	if (rc < 0)
		swim_profile_diff_dispose(out);
	free(r.pkgs);
	free(c.pkgs);
	return rc;
}
