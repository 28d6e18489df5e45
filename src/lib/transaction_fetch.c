/* The packages a request offers: -v files (a path, a file:// URL, or an
 * http(s):// URL downloaded into ROOT/var/lib/swim/staging), opened with
 * their signature checked against the trust store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "lib/transaction_private.h"
#include "lib/transaction_run.h"
#include "swim/depot.h"
#include "swim/error.h"
#include "swim/fetch.h"
#include "util/str.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A path in the staging area (made when missing) for download `name`. */
static int staging_path(swim_buf *dest, swim_txn *t, const char *name)
{
	int dfd = -1, rc;

	if ((rc = swim_txn_state_dir(&dfd, t->h, "staging", true)) < 0 ||
	    (rc = swim_host_state_path(dest, t->h, "staging")) < 0 ||
	    (rc = swim_buf_printf(dest, "/%s", name)) < 0)
		rc = rc < 0 ? rc : SWIM_ERROR;
	if (dfd >= 0)
		(void)close(dfd);
	return rc;
}

/* Downloads url into the staging area; *path is where it landed. */
static int download(char **path, swim_txn *t, const char *url, size_t i)
{
	swim_buf dest = SWIM_BUF_INIT(0);
	swim_depot_opts dopts;
	char name[32];
	int rc;

	*path = NULL;
	(void)snprintf(name, sizeof(name), "v%zu.vib", i);
	/* Proxies, CA file and netrc as the depots use them. */
	if ((rc = swim_depot_opts_init(&dopts, swim_host_conf(t->h),
	                               swim_host_root(t->h),
	                               &t->h->limits)) < 0)
		return rc;
	dopts.fetch.lim = &t->h->limits;
	if ((rc = staging_path(&dest, t, name)) < 0 ||
	    (rc = swim_fetch_file(NULL, url, dest.ptr, NULL, NULL,
	                          &dopts.fetch)) < 0)
		goto out;
	if (!(*path = swim_buf_detach(&dest)))
		rc = SWIM_ENOMEM;
out:
	swim_depot_opts_dispose(&dopts);
	swim_buf_dispose(&dest);
	return rc;
}

int swim_txn_open_vib(swim_txn *t, const char *url, size_t i)
{
	swim_vib_options vo = { .trust_dir = t->trust_dir,
	                        .no_sig_check = t->req->no_sig_check,
	                        .lim = &t->h->limits };
	swim_txn_pkg *p = &t->files[t->n_files];
	char *path = NULL;
	bool is_url = strstr(url, "://") != NULL;
	int rc;

	memset(p, 0, sizeof(*p));
	if (has_prefix(url, "http://") || has_prefix(url, "https://")) {
		if ((rc = download(&path, t, url, i)) < 0)
			goto out;
	} else if (has_prefix(url, "file://")) {
		if (!has_prefix(url, "file:///")) {
			rc = swim_error_set(SWIM_EINVAL, "%s: only file:///PATH "
			                    "URLs name local files", url);
			goto out;
		}
		path = swim_strdup(url + strlen("file://"));
	} else if (strstr(url, "://")) {
		rc = swim_error_set(SWIM_EINVAL, "%s: not a path or an http, "
		                    "https or file URL", url);
		goto out;
	} else {
		path = swim_strdup(url);
	}
	if (!path) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if ((rc = swim_vib_open(&t->vibs[t->n_files], path, &vo)) < 0)
		goto out;
	p->vib = t->vibs[t->n_files];
	p->pkg = p->vib->pkg;
	p->vib_path = path;
	path = NULL;
	if (!(p->source = swim_strdup(url))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	p->proven = t->req->no_sig_check ? p->vib->claimed
	                                 : p->vib->sig.proven;
	if (p->vib->sig.signer &&
	    !(p->signer = swim_strdup(p->vib->sig.signer))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if ((rc = swim_txn_check_signer(t, p)) < 0)
		goto out;
	t->n_files++;
out:
	free(path);
	if (rc < 0) {
		swim_vib_free(t->vibs[t->n_files]);
		t->vibs[t->n_files] = NULL;
		swim_txn_pkg_dispose(p);
		if (is_url)
			(void)swim_error_prefix("%s: ", url);
	}
	return rc;
}

int swim_txn_load_depots(swim_txn *t)
{
	swim_depot_set *set = t->req->depots;
	const swim_depot_offer *offers = NULL;
	swim_resolve_pkg *grown;
	size_t n = 0;
	int rc;

	if (t->req->profile_name) {
		const swim_depot_profile_offer *po = NULL;

		if (!set)
			return swim_error_set(SWIM_EINVAL, "a profile job needs a "
			                      "depot (-d, or a configured one)");
		if ((rc = swim_depot_set_find_profile(&po, set,
		                                      t->req->profile_name)) < 0)
			return rc;
		t->profile = po->profile;
	}
	if (!set)
		return 0;
	if ((rc = swim_depot_set_offers(&offers, &n, set)) < 0)
		return rc;
	if (!(grown = realloc(t->available_rp,
	                      (t->n_available + n + 1) * sizeof(*grown))))
		return swim_error_oom();
	t->available_rp = grown;
	for (size_t i = 0; i < n; i++)
		/* The level a depot package proves is known once it is
		 * fetched; until then it counts at the level it claims. */
		t->available_rp[t->n_available++] = (swim_resolve_pkg){
			.pkg = offers[i].pkg, .proven = offers[i].pkg->acceptance,
			.origin = swim_depot_name(offers[i].depots[0]),
		};
	return 0;
}

int swim_txn_fetch_depot_pkg(swim_txn *t, const swim_package *pkg)
{
	swim_vib_options vo = { .trust_dir = t->trust_dir,
	                        .no_sig_check = t->req->no_sig_check,
	                        .lim = &t->h->limits };
	swim_txn_pkg *p = &t->fetched[t->n_fetched];
	const swim_depot_offer *o = NULL;
	swim_buf dest = SWIM_BUF_INIT(0);
	swim_vib *vib = NULL;
	char name[32];
	int rc;

	memset(p, 0, sizeof(*p));
	(void)snprintf(name, sizeof(name), "d%zu.vib", t->n_fetched);
	if ((rc = swim_depot_set_get(&o, t->req->depots, pkg->id)) < 0 ||
	    (rc = staging_path(&dest, t, name)) < 0 ||
	    (rc = swim_depot_set_fetch(&vib, t->req->depots, pkg->id, dest.ptr,
	                               &vo)) < 0)
		goto out;
	t->fetched_vibs[t->n_fetched] = vib;
	p->vib = vib;
	p->pkg = vib->pkg;
	p->proven = t->req->no_sig_check ? vib->claimed : vib->sig.proven;
	if (!(p->vib_path = swim_buf_detach(&dest)) ||
	    !(p->source = swim_strdup(swim_depot_location(o->depots[0]))) ||
	    (vib->sig.signer && !(p->signer = swim_strdup(vib->sig.signer)))) {
		rc = swim_error_oom();
		goto out;
	}
	t->n_fetched++;
out:
	if (rc < 0) {
		swim_txn_pkg_dispose(p);
		if (t->fetched_vibs[t->n_fetched] == vib)
			t->fetched_vibs[t->n_fetched] = NULL;
		swim_vib_free(vib);
	}
	swim_buf_dispose(&dest);
	return rc;
}
