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
#include "swim/error.h"
#include "swim/fetch.h"
#include "util/str.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Downloads url into the staging area; *path is where it landed. */
static int download(char **path, swim_txn *t, const char *url, size_t i)
{
	swim_buf dest = SWIM_BUF_INIT(0);
	swim_fetch_opts fo = { .lim = &t->h->limits };
	const swim_conf *conf = swim_host_conf(t->h);
	int dfd = -1, rc;

	*path = NULL;
	fo.ca_file = swim_conf_get(conf, "ca_file");
	fo.netrc_file = swim_conf_get(conf, "netrc_file");
	fo.http_proxy = swim_conf_get(conf, "http_proxy");
	fo.https_proxy = swim_conf_get(conf, "https_proxy");
	fo.no_proxy = swim_conf_get(conf, "no_proxy");
	if ((rc = swim_txn_state_dir(&dfd, t->h, "staging", true)) < 0 ||
	    (rc = swim_host_state_path(&dest, t->h, "staging")) < 0 ||
	    (rc = swim_buf_printf(&dest, "/%zu.vib", i)) < 0 ||
	    (rc = swim_fetch_file(NULL, url, dest.ptr, NULL, NULL, &fo)) < 0)
		goto out;
	if (!(*path = swim_buf_detach(&dest)))
		rc = SWIM_ENOMEM;
out:
	if (dfd >= 0)
		(void)close(dfd);
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
