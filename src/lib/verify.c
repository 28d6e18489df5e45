/* Verifying installed files against the database: the records of the
 * chosen packages are read first, then the files are examined on several
 * threads in chunks of neighbouring paths (so each thread's directory
 * cache stays warm), regular files hashed with OpenSSL's sha-256 unless
 * their size already differs. Paths are reached inside the root with the
 * last component never followed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/digest.h"
#include "lib/host_private.h"
#include "lib/rootdir.h"
#include "lib/transaction_private.h"
#include "swim/error.h"
#include "swim/transaction.h"
#include "swim/verify.h"
#include "util/str.h"
#include "util/workers.h"

#define CHUNK 32
#define READ_BLOCK ((size_t)256 << 10)

static const char *const check_names[SWIM_VERIFY_CHECKS] = {
	"Existence", "FileSize", "FileMode", "Checksum", "Device Number",
	"LinkTarget", "UserID", "GroupID", "Last Modification Time",
};

const char *swim_verify_check_name(swim_verify_check check)
{
	return (unsigned)check < SWIM_VERIFY_CHECKS ? check_names[check]
	                                            : "unknown";
}

size_t swim_verify_failed_flags(uint16_t *out, unsigned failed)
{
	size_t n = 0;

	for (unsigned c = 0; c < SWIM_VERIFY_CHECKS; c++)
		if (failed & SWIM_VERIFY_BIT(c))
			out[n++] = (uint16_t)c;
	return n;
}

void swim_verify_rpm_flags(char out[9], const swim_verify_file *f)
{
	static const struct {
		char letter;
		swim_verify_check check;
	} cols[8] = {
		{ 'S', SWIM_VERIFY_SIZE }, { 'M', SWIM_VERIFY_MODE },
		{ '5', SWIM_VERIFY_CHECKSUM }, { 'D', SWIM_VERIFY_DEVICE },
		{ 'L', SWIM_VERIFY_LINK_TARGET }, { 'U', SWIM_VERIFY_USER },
		{ 'G', SWIM_VERIFY_GROUP }, { 'T', SWIM_VERIFY_MTIME },
	};

	for (int i = 0; i < 8; i++) {
		unsigned bit = SWIM_VERIFY_BIT(cols[i].check);

		out[i] = f->failed & bit ? cols[i].letter
		       : f->unknown & bit ? '?' : '.';
	}
	out[8] = '\0';
}

void swim_verify_result_free(swim_verify_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].path);
		free(r->files[i].vib_id);
		free(r->files[i].original.link_target);
		free(r->files[i].current.link_target);
		free(r->files[i].error);
	}
	free(r->files);
	swim_host_strv_free(r->vib_ids, r->n_vib_ids);
	free(r);
}

/* ---- gathering the records ------------------------------------------- */

struct gather {
	swim_verify_result *r;
	size_t cap;
	const char *vib_id;
	int64_t record;
	swim_strmap *winners;        /* shared path -> winning record */
};

static int gather_file(const swim_host_file *f, void *ctx)
{
	struct gather *g = ctx;
	swim_verify_result *r = g->r;
	swim_verify_file *v;
	size_t *win;

	if (r->n_files == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 256;
		swim_verify_file *grown = realloc(r->files, ncap * sizeof(*grown));

		if (!grown)
			return swim_error_oom();
		r->files = grown;
		g->cap = ncap;
	}
	v = &r->files[r->n_files];
	memset(v, 0, sizeof(*v));
	if (!(v->path = swim_strdup(f->path)) ||
	    !(v->vib_id = swim_strdup(g->vib_id)) ||
	    (f->link_target &&
	     !(v->original.link_target = swim_strdup(f->link_target)))) {
		free(v->path);
		free(v->vib_id);
		return SWIM_ENOMEM;
	}
	r->n_files++;
	v->original.type = f->type;
	v->original.mode = f->mode;
	v->original.uid = f->uid;
	v->original.gid = f->gid;
	v->original.size = f->size;
	v->original.rdev = f->rdev;
	v->original.mtime = f->mtime;
	if (f->sha256)
		(void)snprintf(v->original.sha256, sizeof(v->original.sha256), "%s",
		               f->sha256);
	win = f->type != SWIM_FILE_DIRECTORY
	      ? swim_strmap_get(g->winners, v->path) : NULL;
	v->shadowed = win && (int64_t)*win != g->record;
	return 0;
}

/* The winner of each path several packages own. */
static int load_winners(swim_strmap *m, char ***paths, size_t *n_paths,
                        swim_host *h, swim_host_package **pkgs, size_t n)
{
	int64_t *recs = NULL;
	int rc;

	if ((rc = swim_image_shared_paths(paths, &recs, n_paths, h,
	                                  SWIM_IMAGE_CURRENT)) < 0)
		return rc;
	for (size_t i = 0; i < *n_paths && rc == 0; i++) {
		const swim_host_package *cand = NULL, *best = NULL;
		size_t *slot;

		for (size_t k = 0; k < n; k++)
			if (pkgs[k]->record == recs[i])
				cand = pkgs[k];
		if (!cand)
			continue;
		if ((slot = swim_strmap_get(m, (*paths)[i]))) {
			for (size_t k = 0; k < n; k++)
				if (pkgs[k]->record == (int64_t)*slot)
					best = pkgs[k];
			if (best && !swim_txn_wins(cand->pkg->overlay, cand->record,
			                           best->pkg->overlay, best->record))
				continue;
			*slot = (size_t)cand->record;
			continue;
		}
		if (swim_strmap_put(m, (*paths)[i], (size_t)cand->record, NULL) < 0)
			rc = SWIM_ENOMEM;
	}
	free(recs);
	return rc;
}

static int select_pkgs(bool *pick, swim_host_package **pkgs, size_t n,
                       const swim_verify_options *opt)
{
	for (size_t i = 0; i < n; i++)
		pick[i] = opt->n_specs == 0;
	for (size_t s = 0; s < opt->n_specs; s++) {
		bool any = false;

		for (size_t i = 0; i < n; i++)
			if (swim_image_spec_matches(pkgs[i]->pkg, opt->specs[s]))
				pick[i] = any = true;
		if (!any)
			return swim_error_set(SWIM_ENOTFOUND, "No VIB matching VIB "
			                      "search specification '%s'.",
			                      opt->specs[s]);
	}
	return 0;
}

/* ---- checking files -------------------------------------------------- */

struct check_ctx {
	swim_host *h;
	swim_verify_result *r;
	swim_rootdir **roots;
	char **blocks;
	swim_digest *digests;
};

static swim_file_type type_of(mode_t m)
{
	return S_ISREG(m) ? SWIM_FILE_REGULAR : S_ISDIR(m) ? SWIM_FILE_DIRECTORY
	     : S_ISLNK(m) ? SWIM_FILE_SYMLINK : S_ISCHR(m) ? SWIM_FILE_CHAR
	     : S_ISBLK(m) ? SWIM_FILE_BLOCK : S_ISFIFO(m) ? SWIM_FILE_FIFO
	     : (swim_file_type)0;
}

static void note_error(swim_verify_file *v, int err, const char *what)
{
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_buf_printf(&b, "%s: %s", what, strerror(err)) == 0)
		v->error = swim_buf_detach(&b);
	swim_buf_dispose(&b);
}

static int hash_file(swim_verify_file *v, int dfd, const char *name,
                     const struct stat *st, char *block, swim_digest *d)
{
	char hex[SWIM_DIGEST_HEX_MAX];
	struct stat now;
	int fd, rc = 0;

	fd = openat(dfd, name, O_CLOEXEC | O_RDONLY | O_NOFOLLOW | O_NOCTTY |
	            O_NONBLOCK);
	if (fd < 0 || fstat(fd, &now) < 0 || now.st_ino != st->st_ino ||
	    now.st_dev != st->st_dev) {
		note_error(v, fd < 0 ? errno : EAGAIN, "reading");
		v->unknown |= SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM);
		goto out;
	}
	if ((rc = swim_digest_init(d, "sha-256")) < 0)
		goto out;
	for (;;) {
		ssize_t n = read(fd, block, READ_BLOCK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			note_error(v, errno, "reading");
			v->unknown |= SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM);
			goto out;
		}
		if (n == 0)
			break;
		if ((rc = swim_digest_update(d, block, (size_t)n)) < 0)
			goto out;
	}
	if ((rc = swim_digest_final(d, hex)) == 0)
		memcpy(v->current.sha256, hex, sizeof(v->current.sha256) - 1);
out:
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

static void fail_if(swim_verify_file *v, swim_verify_check c, bool bad)
{
	v->checked |= SWIM_VERIFY_BIT(c);
	if (bad)
		v->failed |= SWIM_VERIFY_BIT(c);
}

static int check_file(struct check_ctx *c, swim_verify_file *v,
                      unsigned worker)
{
	const swim_verify_values *o = &v->original;
	swim_verify_values *cur = &v->current;
	const char *name;
	struct stat st;
	int dfd, rc;

	v->checked = SWIM_VERIFY_BIT(SWIM_VERIFY_EXISTENCE);
	rc = swim_rootdir_parent(&dfd, &name, c->roots[worker], v->path);
	if (rc == SWIM_ENOTFOUND || rc == SWIM_EINVAL) {
		swim_error_clear();
		v->failed = SWIM_VERIFY_BIT(SWIM_VERIFY_EXISTENCE);
		return 0;
	}
	if (rc < 0)
		return rc;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			note_error(v, errno, "examining");
		v->failed = SWIM_VERIFY_BIT(SWIM_VERIFY_EXISTENCE);
		return 0;
	}
	/* A directory may be a symlink to one inside the root (as the
	 * transaction allowed it to be). */
	if (o->type == SWIM_FILE_DIRECTORY && S_ISLNK(st.st_mode)) {
		int lfd;

		if (swim_rootdir_open(&lfd, c->roots[worker], v->path) == 0)
			(void)fstat(lfd, &st);
		swim_error_clear();
	}
	v->exists = true;
	cur->type = type_of(st.st_mode);
	cur->mode = (uint32_t)(st.st_mode & 07777);
	cur->uid = (uint32_t)st.st_uid;
	cur->gid = (uint32_t)st.st_gid;
	cur->size = (uint64_t)st.st_size;
	cur->mtime = (int64_t)st.st_mtime;
	cur->rdev = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
	            ? (uint64_t)st.st_rdev : 0;
	fail_if(v, SWIM_VERIFY_MODE, cur->type != o->type ||
	        (o->type != SWIM_FILE_SYMLINK && cur->mode != o->mode));
	fail_if(v, SWIM_VERIFY_USER, cur->uid != o->uid);
	fail_if(v, SWIM_VERIFY_GROUP, cur->gid != o->gid);
	if (o->type == SWIM_FILE_REGULAR || o->type == SWIM_FILE_SYMLINK)
		fail_if(v, SWIM_VERIFY_SIZE, cur->size != o->size);
	if (o->type == SWIM_FILE_CHAR || o->type == SWIM_FILE_BLOCK)
		fail_if(v, SWIM_VERIFY_DEVICE, cur->rdev != o->rdev);
	if (o->type == SWIM_FILE_SYMLINK) {
		char *target = c->blocks[worker];
		ssize_t n = S_ISLNK(st.st_mode)
		            ? readlinkat(dfd, name, target, READ_BLOCK - 1) : -1;

		if (n >= 0) {
			target[n] = '\0';
			if (!(cur->link_target = swim_strdup(target)))
				return SWIM_ENOMEM;
		}
		fail_if(v, SWIM_VERIFY_LINK_TARGET, !cur->link_target ||
		        !o->link_target ||
		        strcmp(cur->link_target, o->link_target) != 0);
	}
	if (o->type != SWIM_FILE_REGULAR)
		return 0;
	fail_if(v, SWIM_VERIFY_MTIME, cur->mtime != o->mtime);
	v->checked |= SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM);
	if (!S_ISREG(st.st_mode) || cur->size != o->size) {
		/* Different content, whatever the hash. */
		v->failed |= SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM);
		return 0;
	}
	if ((rc = hash_file(v, dfd, name, &st, c->blocks[worker],
	                    &c->digests[worker])) < 0)
		return rc;
	if (!(v->unknown & SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM)) &&
	    strcmp(cur->sha256, o->sha256) != 0)
		v->failed |= SWIM_VERIFY_BIT(SWIM_VERIFY_CHECKSUM);
	return 0;
}

static int check_chunk(void *ctx, size_t chunk, unsigned worker)
{
	struct check_ctx *c = ctx;
	size_t end = (chunk + 1) * CHUNK;
	int rc;

	if (end > c->r->n_files)
		end = c->r->n_files;
	for (size_t i = chunk * CHUNK; i < end; i++) {
		if (c->r->files[i].shadowed)
			continue;
		if ((rc = check_file(c, &c->r->files[i], worker)) < 0)
			return swim_error_prefix("%s: ", c->r->files[i].path);
	}
	return 0;
}

static int check_all(swim_host *h, swim_verify_result *r, unsigned workers)
{
	struct check_ctx c = { .h = h, .r = r };
	int rc = 0;

	if (!(c.roots = calloc(workers, sizeof(*c.roots))) ||
	    !(c.blocks = calloc(workers, sizeof(*c.blocks))) ||
	    !(c.digests = calloc(workers, sizeof(*c.digests)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (unsigned i = 0; i < workers; i++) {
		if ((rc = swim_rootdir_new(&c.roots[i], swim_host_root_fd(h),
		                           h->shown_root)) < 0)
			goto out;
		if (!(c.blocks[i] = malloc(READ_BLOCK))) {
			rc = swim_error_oom();
			goto out;
		}
	}
	rc = swim_workers_run(workers, (r->n_files + CHUNK - 1) / CHUNK,
	                      check_chunk, NULL, &c);
out:
	for (unsigned i = 0; c.roots && i < workers; i++) {
		swim_rootdir_free(c.roots[i]);
		free(c.blocks[i]);
		swim_digest_dispose(&c.digests[i]);
	}
	free(c.roots);
	free(c.blocks);
	free(c.digests);
	return rc;
}

/* Drops the files that passed, when only failures are wanted. */
static void keep_failed(swim_verify_result *r)
{
	size_t kept = 0;

	for (size_t i = 0; i < r->n_files; i++) {
		swim_verify_file *v = &r->files[i];

		if (v->failed || v->unknown) {
			r->files[kept++] = *v;
			continue;
		}
		free(v->path);
		free(v->vib_id);
		free(v->original.link_target);
		free(v->current.link_target);
		free(v->error);
	}
	r->n_files = kept;
}

int swim_verify_run(swim_verify_result **out, swim_host *h,
                    const swim_verify_options *opt)
{
	static const swim_verify_options none;
	swim_verify_result *r = NULL;
	swim_host_package **pkgs = NULL;
	swim_strmap winners = SWIM_STRMAP_INIT;
	char **shared = NULL;
	bool *pick = NULL, pending;
	size_t n = 0, n_shared = 0;
	struct gather g = { .winners = &winners };
	int rc;

	*out = NULL;
	if (!opt)
		opt = &none;
	if ((rc = swim_transaction_pending_recovery(&pending, h)) < 0)
		return rc;
	if (pending)
		return swim_error_set(SWIM_EBUSY, "%s has an interrupted "
		                      "transaction: a swim command that may write "
		                      "the root recovers it first",
		                      swim_host_root(h));
	if (!(r = calloc(1, sizeof(*r)))) {
		rc = swim_error_oom();
		goto out;
	}
	g.r = r;
	if ((rc = swim_image_packages(&pkgs, &n, h, SWIM_IMAGE_CURRENT)) < 0)
		goto out;
	if (!(pick = calloc(n + 1, sizeof(*pick))) ||
	    !(r->vib_ids = calloc(n + 1, sizeof(char *)))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = select_pkgs(pick, pkgs, n, opt)) < 0 ||
	    (rc = load_winners(&winners, &shared, &n_shared, h, pkgs, n)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!pick[i])
			continue;
		if (!(r->vib_ids[r->n_vib_ids] = swim_strdup(pkgs[i]->pkg->id))) {
			rc = SWIM_ENOMEM;
			goto out;
		}
		r->n_vib_ids++;
		g.vib_id = pkgs[i]->pkg->id;
		g.record = pkgs[i]->record;
		if ((rc = swim_host_files_foreach(h, pkgs[i]->record, gather_file,
		                                  &g)) < 0)
			goto out;
	}
	if ((rc = check_all(h, r, swim_workers_default(opt->threads))) < 0)
		goto out;
	r->n_checked = r->n_files;
	for (size_t i = 0; i < r->n_files; i++)
		r->n_failed += r->files[i].failed || r->files[i].unknown;
	if (opt->failed_only)
		keep_failed(r);
	*out = r;
	r = NULL;
out:
	swim_strmap_dispose(&winners);
	swim_host_strv_free(shared, n_shared);
	swim_host_package_list_free(pkgs, n);
	free(pick);
	swim_verify_result_free(r);
	return rc;
}
