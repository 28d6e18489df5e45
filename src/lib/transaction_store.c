/* The payload store's files: ROOT/var/lib/swim/store/<aa>/<sha-256>,
 * each a payload exactly as its package shipped it. A payload is copied
 * out of its .vib into a temporary beside its final name, its sha-256
 * checked again while copying, and renamed into place; the database
 * lists it when the transaction commits. Garbage (payloads no image
 * needs) and strays (files the database does not list, temporaries of a
 * killed run) are deleted here too. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/digest.h"
#include "lib/host_private.h"
#include "lib/transaction_private.h"
#include "lib/vib_private.h"
#include "swim/error.h"
#include "swim/image.h"
#include "swim/store.h"
#include "util/fs.h"
#include "util/str.h"
#include "util/workers.h"

#define TMP_PREFIX ".tmp-"

/* A directory below the state directory, never through a symlink; made
 * (0755) when missing and create is set. */
int swim_txn_state_dir(int *out, swim_host *h, const char *rel, bool create)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
	};
	int sfd = swim_host_state_fd(h), fd;

	*out = -1;
	if (sfd < 0)
		return swim_error_set(SWIM_EACCESS, "%s is open read-only",
		                      swim_host_root(h));
	for (int tries = 0; tries < 2; tries++) {
		fd = (int)syscall(SYS_openat2, sfd, rel, &how, sizeof(how));
		if (fd >= 0) {
			*out = fd;
			return 0;
		}
		if (errno != ENOENT || !create)
			break;
		/* Two levels at most: "store" then "store/aa". */
		if (strchr(rel, '/')) {
			char top[64];
			const char *slash = strchr(rel, '/');

			(void)snprintf(top, sizeof(top), "%.*s",
			               (int)(slash - rel), rel);
			if (mkdirat(sfd, top, 0755) < 0 && errno != EEXIST)
				break;
		}
		if (mkdirat(sfd, rel, 0755) < 0 && errno != EEXIST)
			break;
	}
	if (errno == ENOENT && !create)
		return swim_error_set(SWIM_ENOTFOUND, "%s/%s does not exist",
		                      h->state_dir, rel);
	return swim_error_set_errno(errno == EACCES || errno == EPERM
	                            ? SWIM_EACCESS : SWIM_EIO, errno,
	                            "%s/%s", h->state_dir, rel);
}

/* ---- storing payloads ------------------------------------------------- */

struct store_item {
	swim_txn_pkg *p;
	size_t *payloads;      /* indexes of the payloads to store */
	size_t n;
};

struct store_ctx {
	swim_txn_apply *a;
	struct store_item *items;
	size_t n_items;
};

/* Copies the current member of pass into store/<aa>/<sha>. */
static int copy_member(swim_host *h, swim_vib_pass *pass,
                       const swim_payload *pay, const char *sha)
{
	swim_digest d = { 0 };
	char rel[16], tmp[96], got[SWIM_DIGEST_HEX_MAX];
	uint64_t total = 0;
	int dfd = -1, fd = -1, rc;

	(void)snprintf(rel, sizeof(rel), "store/%.2s", sha);
	(void)snprintf(tmp, sizeof(tmp), TMP_PREFIX "%s", sha);
	if ((rc = swim_txn_state_dir(&dfd, h, rel, true)) < 0 ||
	    (rc = swim_digest_init(&d, "sha-256")) < 0)
		goto out;
	(void)unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp, O_CLOEXEC | O_WRONLY | O_CREAT | O_EXCL |
	            O_NOFOLLOW, 0644);
	if (fd < 0) {
		rc = swim_error_set_errno(errno == ENOSPC ? SWIM_ELIMIT : SWIM_EIO,
		                          errno, "%s/%s/%s", h->state_dir, rel,
		                          tmp);
		goto out;
	}
	for (;;) {
		const void *buf;
		size_t len;

		if ((rc = swim_ar_reader_read(pass->ar, &buf, &len)) < 0)
			goto out;
		if (len == 0)
			break;
		if ((rc = swim_digest_update(&d, buf, len)) < 0)
			goto out;
		if ((rc = swim_fs_pwrite_all(fd, buf, len, total)) < 0) {
			rc = swim_error_set_errno(rc == -ENOSPC ? SWIM_ELIMIT
			                          : SWIM_EIO, -rc,
			                          "writing %s/%s/%s",
			                          h->state_dir, rel, tmp);
			goto out;
		}
		total += len;
	}
	if ((rc = swim_digest_final(&d, got)) < 0)
		goto out;
	if (total != pay->size || strcmp(got, sha) != 0) {
		rc = swim_error_set(SWIM_ECHECKSUM, "payload '%s' changed since "
		                    "it was verified (sha-256 %s)", pay->name, got);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = swim_error_set_errno(SWIM_EIO, errno, "writing %s/%s/%s",
		                          h->state_dir, rel, tmp);
		goto out;
	}
	fd = -1;
	if (renameat(dfd, tmp, dfd, sha) < 0)
		rc = swim_error_set_errno(SWIM_EIO, errno, "%s/%s/%s",
		                          h->state_dir, rel, sha);
out:
	if (fd >= 0)
		(void)close(fd);
	if (rc < 0 && dfd >= 0)
		(void)unlinkat(dfd, tmp, 0);
	if (dfd >= 0)
		(void)close(dfd);
	swim_digest_dispose(&d);
	return rc;
}

static int store_one(void *ctx, size_t i, unsigned worker)
{
	struct store_ctx *s = ctx;
	struct store_item *it = &s->items[i];
	const swim_package *pkg = it->p->pkg;
	swim_vib_pass pass = { 0 };
	size_t done = 0;
	int rc;

	(void)worker;
	if ((rc = swim_vib__pass_begin(&pass, it->p->vib)) < 0)
		goto out;
	while (pass.member && done < it->n) {
		for (size_t k = 0; k < it->n; k++) {
			const swim_payload *pay = &pkg->payloads[it->payloads[k]];

			if (strcmp(pay->name, pass.member) != 0)
				continue;
			if ((rc = swim_fault_point(s->a->fault, "store")) < 0 ||
			    (rc = copy_member(s->a->h, &pass, pay,
			                      swim_payload_checksum(pay, "sha-256",
			                                            NULL)->value)) < 0)
				goto out;
			atomic_fetch_add(&s->a->meter->done, pay->size);
			done++;
		}
		if ((rc = swim_ar_reader_next(pass.ar, &pass.member,
		                              &pass.size)) < 0)
			goto out;
		if (rc == 0)
			pass.member = NULL;
		rc = 0;
	}
	if (done < it->n)
		rc = swim_error_set(SWIM_EINVAL, "a payload is missing");
out:
	swim_vib__pass_end(&pass);
	if (rc < 0)
		(void)swim_error_prefix("storing the payloads of %s: ", pkg->id);
	return rc;
}

static int store_tick(void *ctx)
{
	struct store_ctx *s = ctx;

	return swim_txn_meter_report(s->a->meter);
}

/* Whether sha is already stored, or listed to be stored by this run. */
static int already(bool *out, swim_txn_apply *a, const char *sha)
{
	*out = false;
	for (size_t i = 0; i < a->n_stored; i++)
		if (strcmp(a->stored[i], sha) == 0) {
			*out = true;
			return 0;
		}
	return swim_store_get(out, NULL, a->h, sha);
}

int swim_txn_store_payloads(swim_txn_apply *a)
{
	struct store_ctx s = { .a = a };
	size_t n_pay = 0;
	int rc = 0;

	for (size_t i = 0; i < a->n_arriving; i++)
		n_pay += a->arriving[i]->pkg->n_payloads;
	if (!(s.items = calloc(a->n_arriving + 1, sizeof(*s.items))) ||
	    !(a->stored = calloc(n_pay + 1, sizeof(char *))))
		return swim_error_oom();
	for (size_t i = 0; i < a->n_arriving; i++) {
		swim_txn_pkg *p = a->arriving[i];
		struct store_item *it = &s.items[s.n_items];

		if (p->record || !p->vib)
			continue;
		it->p = p;
		for (size_t k = 0; k < p->pkg->n_payloads; k++) {
			const swim_checksum *c = swim_payload_checksum(
				&p->pkg->payloads[k], "sha-256", NULL);
			bool have;

			if (!c) {
				rc = swim_error_set(SWIM_EINVAL, "VIB %s: payload '%s' "
				                    "has no sha-256", p->pkg->id,
				                    p->pkg->payloads[k].name);
				goto out;
			}
			if ((rc = already(&have, a, c->value)) < 0)
				goto out;
			if (have)
				continue;
			if (!it->payloads &&
			    !(it->payloads = calloc(p->pkg->n_payloads,
			                            sizeof(size_t)))) {
				rc = swim_error_oom();
				goto out;
			}
			it->payloads[it->n++] = k;
			a->stored[a->n_stored++] = c->value;
		}
		if (it->n)
			s.n_items++;
	}
	rc = swim_workers_run(a->threads, s.n_items, store_one, store_tick, &s);
out:
	for (size_t i = 0; i < a->n_arriving; i++)
		free(s.items[i].payloads);
	free(s.items);
	return rc;
}

/* ---- garbage and strays ------------------------------------------------ */

static int unlink_payload(swim_host *h, const char *sha)
{
	char rel[16];
	int dfd, rc;

	(void)snprintf(rel, sizeof(rel), "store/%.2s", sha);
	rc = swim_txn_state_dir(&dfd, h, rel, false);
	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	if (unlinkat(dfd, sha, 0) < 0 && errno != ENOENT)
		rc = swim_error_set_errno(SWIM_EIO, errno, "%s/%s/%s",
		                          h->state_dir, rel, sha);
	(void)close(dfd);
	return rc;
}

static bool is_sha(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Stray files of one store/<aa> directory. */
static int sweep_dir(swim_host *h, int dfd)
{
	DIR *d;
	struct dirent *de;
	int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0), rc = 0;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			(void)close(fd);
		return swim_error_set_errno(SWIM_EIO, errno, "reading the store");
	}
	while ((de = readdir(d)) && rc == 0) {
		bool present = false;

		if (de->d_name[0] == '.' &&
		    strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
			continue;
		if (is_sha(de->d_name) &&
		    (rc = swim_store_get(&present, NULL, h, de->d_name)) < 0)
			break;
		if (!present && unlinkat(dfd, de->d_name, 0) < 0 && errno != ENOENT)
			rc = swim_error_set_errno(SWIM_EIO, errno, "%s/store: %s",
			                          h->state_dir, de->d_name);
	}
	(void)closedir(d);
	return rc;
}

static int sweep(swim_host *h)
{
	int dfd, rc;

	rc = swim_txn_state_dir(&dfd, h, "store", false);
	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	for (int i = 0; i < 256 && rc == 0; i++) {
		char name[3];
		int sub;

		(void)snprintf(name, sizeof(name), "%02x", i);
		sub = openat(dfd, name, O_CLOEXEC | O_RDONLY | O_DIRECTORY |
		             O_NOFOLLOW);
		if (sub < 0)
			continue;
		rc = sweep_dir(h, sub);
		(void)close(sub);
	}
	(void)close(dfd);
	return rc;
}

int swim_txn_store_gc(swim_host *h, swim_fault *fault, bool sweep_strays,
                      uint64_t *n_removed, uint64_t *bytes_removed)
{
	char **garbage = NULL;
	size_t n = 0;
	int rc;

	if (n_removed)
		*n_removed = 0;
	if (bytes_removed)
		*bytes_removed = 0;
	if ((rc = swim_store_garbage(&garbage, &n, h)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint64_t size = 0;
		bool present;

		/* The file goes first: a kill between the two leaves a listed
		 * payload without a file, which no slot needs and the next
		 * collection forgets. */
		if ((rc = swim_store_get(&present, &size, h, garbage[i])) < 0 ||
		    (fault && (rc = swim_fault_point(fault, "gc")) < 0) ||
		    (rc = unlink_payload(h, garbage[i])) < 0 ||
		    (rc = swim_store_remove(h, garbage[i])) < 0)
			break;
		if (n_removed)
			(*n_removed)++;
		if (bytes_removed)
			*bytes_removed += size;
	}
	swim_host_strv_free(garbage, n);
	if (rc == 0 && sweep_strays)
		rc = sweep(h);
	return rc;
}

int swim_store_collect(uint64_t *n_removed, uint64_t *bytes_removed,
                       swim_host *h)
{
	int rc;

	if ((rc = swim_host__need_write(h)) < 0 ||
	    (rc = swim_image_gc(h, NULL)) < 0 ||
	    (rc = swim_txn_store_gc(h, NULL, true, n_removed,
	                            bytes_removed)) < 0)
		return rc;
	return swim_txn_staging_clear(h);
}

/* ---- the staging area ---------------------------------------------------- */

int swim_txn_staging_clear(swim_host *h)
{
	int dfd, rc = swim_txn_state_dir(&dfd, h, "staging", false);

	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	swim_fs_empty_dir(dfd);
	(void)close(dfd);
	return 0;
}
