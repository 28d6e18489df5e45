#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/trust.h"
#include "lib/x509.h"
#include "swim/error.h"
#include "util/str.h"

/* Levels that a signature can prove, highest first. */
static const swim_acceptance levels[] = {
	SWIM_ACCEPTANCE_CERTIFIED,
	SWIM_ACCEPTANCE_ACCEPTED,
	SWIM_ACCEPTANCE_PARTNER,
};
#define N_LEVELS (sizeof(levels) / sizeof(levels[0]))

/* Most files read from one level's directory. */
#define TRUST_MAX_FILES 4096

struct level {
	X509_STORE *store;
	size_t n_certs;
	size_t n_crls;
};

struct swim_trust {
	char *dir;
	struct level level[N_LEVELS];
};

static int level_index(swim_acceptance level)
{
	for (size_t i = 0; i < N_LEVELS; i++)
		if (levels[i] == level)
			return (int)i;
	return -1;
}

/* CRLs are optional: a CA without one is checked without one. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL)
		return 1;
	return ok;
}

static int add_file(struct level *lv, const char *path)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	int rc;

	if (!certs || !crls) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = swim_x509_read_file(certs, crls, path)) < 0) {
		(void)swim_error_prefix("trust store: ");
		goto out;
	}
	for (int i = 0; i < sk_X509_num(certs); i++) {
		if (!X509_STORE_add_cert(lv->store, sk_X509_value(certs, i))) {
			rc = swim_error_oom();
			goto out;
		}
		lv->n_certs++;
	}
	for (int i = 0; i < sk_X509_CRL_num(crls); i++) {
		if (!X509_STORE_add_crl(lv->store, sk_X509_CRL_value(crls, i))) {
			rc = swim_error_oom();
			goto out;
		}
		lv->n_crls++;
	}
out:
	sk_X509_pop_free(certs, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return rc;
}

static int load_level(struct level *lv, const char *dir)
{
	swim_buf path = SWIM_BUF_INIT(0);
	struct dirent *de;
	size_t files = 0;
	DIR *d;
	int rc = 0;

	if (!(lv->store = X509_STORE_new()))
		return swim_error_oom();
	if (!(d = opendir(dir))) {
		if (errno == ENOENT)
			return 0;
		return swim_error_set_errno(SWIM_EIO, errno, "trust store %s",
		                            dir);
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		swim_buf_clear(&path);
		if ((rc = swim_buf_printf(&path, "%s/%s", dir, de->d_name)) < 0)
			goto out;
		/* Follows symlinks, so c_rehash-style hash links work. */
		if (stat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (++files > TRUST_MAX_FILES) {
			rc = swim_error_set(SWIM_ELIMIT, "trust store %s: more "
			                    "than %d files", dir, TRUST_MAX_FILES);
			goto out;
		}
		if ((rc = add_file(lv, path.ptr)) < 0)
			goto out;
	}
	X509_STORE_set_flags(lv->store, X509_V_FLAG_PARTIAL_CHAIN |
	                     (lv->n_crls ? X509_V_FLAG_CRL_CHECK |
	                                   X509_V_FLAG_CRL_CHECK_ALL : 0));
	X509_STORE_set_verify_cb(lv->store, verify_cb);
out:
	closedir(d);
	swim_buf_dispose(&path);
	return rc;
}

int swim_trust_load(swim_trust **out, const char *dir)
{
	swim_trust *t = calloc(1, sizeof(*t));
	swim_buf sub = SWIM_BUF_INIT(0);
	int rc = 0;

	*out = NULL;
	if (!t)
		return swim_error_oom();
	if (!(t->dir = swim_strdup(dir))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < N_LEVELS; i++) {
		swim_buf_clear(&sub);
		if ((rc = swim_buf_printf(&sub, "%s/%s", dir,
		                          swim_acceptance_name(levels[i]))) < 0 ||
		    (rc = load_level(&t->level[i], sub.ptr)) < 0)
			goto out;
	}
	*out = t;
	t = NULL;
out:
	swim_buf_dispose(&sub);
	swim_trust_free(t);
	return rc;
}

const char *swim_trust_dir(const swim_trust *trust)
{
	return trust->dir;
}

size_t swim_trust_count(const swim_trust *trust, swim_acceptance level)
{
	int i = level_index(level);

	return i < 0 ? 0 : trust->level[i].n_certs;
}

X509_STORE *swim_trust__store(const swim_trust *trust,
                              swim_acceptance level)
{
	int i = level_index(level);

	if (!trust || i < 0 || trust->level[i].n_certs == 0)
		return NULL;
	return trust->level[i].store;
}

void swim_trust_free(swim_trust *trust)
{
	if (!trust)
		return;
	for (size_t i = 0; i < N_LEVELS; i++)
		X509_STORE_free(trust->level[i].store);
	free(trust->dir);
	free(trust);
}
