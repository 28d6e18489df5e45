/* Staging: the directories a transaction needs are made, then every new
 * file is put under its staged name (".swim-H-S") beside its target:
 * renamed from the staging area when verifying prestaged it (a live
 * install), else read from the payload store with the safety rules
 * applied again and the payload's sha-256 checked once more at its end.
 * Files get their owner, mode and mtime before they are swapped in;
 * nothing is synced here (one syncfs before the commit covers
 * everything). Jobs run on several threads, each with its own directory
 * cache. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "lib/payload.h"
#include "lib/transaction_private.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"
#include "util/workers.h"

#define READ_BLOCK ((size_t)256 << 10)

/* ---- directories ------------------------------------------------------- */

static int make_dir(swim_rootdir *root, const swim_txn_step *s)
{
	const char *name;
	struct stat st;
	int pfd, fd, rc;

	if ((rc = swim_rootdir_parent(&pfd, &name, root, s->path)) < 0)
		return rc;
	if (mkdirat(pfd, name, 0700) < 0) {
		if (errno != EEXIST || fstatat(pfd, name, &st,
		                               AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			return swim_rootdir_fail(root, errno, "making the directory",
			                         s->path);
		return 0;  /* someone made it meanwhile; leave it as it is */
	}
	fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return swim_rootdir_fail(root, errno, "opening", s->path);
	rc = 0;
	if ((geteuid() == 0 && fchown(fd, s->uid, s->gid) < 0) ||
	    fchmod(fd, s->mode) < 0)
		rc = swim_rootdir_fail(root, errno, "setting owner and mode",
		                       s->path);
	(void)close(fd);
	return rc;
}

static int make_dirs(swim_txn_apply *a, swim_rootdir *root)
{
	int rc;

	for (size_t i = 0; i < a->file_base; i++) {
		const swim_txn_step *s = &a->steps[i];

		if (s->action != SWIM_JOURNAL_MKDIR)
			continue;
		if ((rc = swim_fault_hit(a->fault, "mkdir")) < 0)
			return swim_rootdir_fail(root, -rc, "making the directory",
			                         s->path);
		if ((rc = make_dir(root, s)) < 0)
			return rc;
	}
	return 0;
}

/* ---- files ------------------------------------------------------------ */

struct stage_ctx {
	swim_txn_apply *a;
	swim_rootdir **roots;        /* one per worker */
};

struct job_run {
	struct stage_ctx *s;
	swim_txn_job *job;
	swim_rootdir *root;
	swim_buf norm;
	int fd;                      /* the store file */
	char *block;
};

static int read_store(void *src, const void **data, size_t *len)
{
	struct job_run *r = src;
	ssize_t n;

	do
		n = read(r->fd, r->block, READ_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "reading payload "
		                            "%s from the store", r->job->sha256);
	*data = r->block;
	*len = (size_t)n;
	return 0;
}

static const swim_txn_step *wanted(const struct job_run *r, const char *path)
{
	size_t *slot = swim_strmap_get(&r->job->want, path);

	return slot ? &r->s->a->steps[r->s->a->file_base + *slot - 1] : NULL;
}

struct writing {
	struct job_run *r;
	const swim_txn_step *s;
	int fd;
	uint64_t end;
};

static int write_block(void *ctx, const void *buf, size_t len, uint64_t off)
{
	struct writing *w = ctx;
	int err = swim_fs_pwrite_all(w->fd, buf, len, off);

	if (err < 0)
		return swim_rootdir_fail(w->r->root, -err, "writing", w->s->path);
	atomic_fetch_add(&w->r->s->a->meter->done, off + len - w->end);
	w->end = off + len;
	return 0;
}

static int write_data(struct job_run *r, int fd, struct archive *tar,
                      struct archive_entry *e, const swim_txn_step *s)
{
	struct writing w = { .r = r, .s = s, .fd = fd };
	int rc;

	if ((rc = swim_payload_entry_blocks(tar, s->path, write_block, &w)) < 0)
		return rc;
	/* A sparse entry may end in a hole. */
	if (archive_entry_size(e) > (la_int64_t)w.end &&
	    ftruncate(fd, (off_t)archive_entry_size(e)) < 0)
		return swim_rootdir_fail(r->root, errno, "writing", s->path);
	return 0;
}

static int set_meta(struct job_run *r, int dfd, const char *name, int fd,
                    struct archive_entry *e, const swim_txn_step *s)
{
	uint32_t uid, gid;
	int err;

	swim_txn_owner(&uid, &gid, (uint32_t)archive_entry_uid(e),
	               (uint32_t)archive_entry_gid(e));
	err = swim_txn_set_meta(dfd, name, fd, uid, gid,
	                        (uint32_t)(archive_entry_mode(e) & 07777),
	                        (int64_t)archive_entry_mtime(e));
	if (err < 0)
		return swim_rootdir_fail(r->root, -err, fd >= 0
		                         ? "setting owner, mode and time"
		                         : "setting owner and time", s->path);
	return 0;
}

/* A hard link: a second name for a file staged earlier by this job. */
static int stage_link(struct job_run *r, int dfd, const char *name,
                      struct archive_entry *e, const swim_txn_step *s)
{
	const char *hl = archive_entry_hardlink(e);
	const swim_txn_step *first;
	const char *fname;
	int ffd, rc;

	if (!hl)
		hl = archive_entry_hardlink_utf8(e);
	if ((rc = swim_tree_path(&r->norm, hl, NULL)) < 0)
		return rc;
	first = wanted(r, r->norm.ptr);
	/* A repair restores only damaged names: an intact first name is
	 * linked where it is installed. */
	if (!first && !r->s->a->link_installed)
		return swim_error_set(SWIM_ENOTSUPPORTED, "VIB %s: %s is a hard "
		                      "link to %s, whose file another VIB "
		                      "provides", r->job->pkg->id, s->path,
		                      r->norm.ptr);
	if ((rc = swim_rootdir_parent(&ffd, &fname, r->root,
	                              first ? first->staged : r->norm.ptr)) < 0)
		return rc;
	/* The cache keeps the two most recent directories open. */
	if ((rc = swim_rootdir_parent(&dfd, &name, r->root, s->staged)) < 0)
		return rc;
	if (linkat(ffd, fname, dfd, name, 0) < 0)
		return swim_rootdir_fail(r->root, errno, "linking", s->path);
	return 0;
}

static int stage_entry(void *ctx, struct archive *tar,
                       struct archive_entry *e, const char *path)
{
	struct job_run *r = ctx;
	const swim_txn_step *s = wanted(r, path);
	mode_t mode = archive_entry_mode(e);
	const char *name;
	int dfd, fd = -1, rc;

	if (!s)
		return 0;
	if ((rc = swim_fault_hit(r->s->a->fault, "stage")) < 0)
		return swim_rootdir_fail(r->root, -rc, "writing", s->path);
	if ((rc = swim_rootdir_parent(&dfd, &name, r->root, s->staged)) < 0)
		return rc;
	if (archive_entry_hardlink(e) || archive_entry_hardlink_utf8(e))
		return stage_link(r, dfd, name, e, s);
	if (S_ISLNK(mode)) {
		const char *target = archive_entry_symlink(e);

		if (!target)
			target = archive_entry_symlink_utf8(e);
		if (symlinkat(target ? target : "", dfd, name) < 0)
			return swim_rootdir_fail(r->root, errno, "making the "
			                         "symbolic link", s->path);
		return set_meta(r, dfd, name, -1, e, s);
	}
	if (!S_ISREG(mode))
		return swim_error_set(SWIM_EINVAL, "%s: unexpected entry type",
		                      s->path);
	fd = openat(dfd, name, O_CLOEXEC | O_WRONLY | O_CREAT | O_EXCL |
	            O_NOFOLLOW, 0600);
	if (fd < 0)
		return swim_rootdir_fail(r->root, errno, "creating", s->path);
	if ((rc = write_data(r, fd, tar, e, s)) == 0)
		rc = set_meta(r, dfd, name, fd, e, s);
	if (close(fd) < 0 && rc == 0)
		rc = swim_rootdir_fail(r->root, errno, "writing", s->path);
	return rc;
}

static int run_job(void *ctx, size_t i, unsigned worker)
{
	struct stage_ctx *s = ctx;
	swim_txn_apply *a = s->a;
	swim_txn_job *job = &a->jobs[i];
	struct job_run r = { .s = s, .job = job, .root = s->roots[worker],
	                     .norm = SWIM_BUF_INIT(0), .fd = -1 };
	swim_payload_sums sums = { 0 };
	swim_payload_sink sink = { 0 };
	swim_tree *tree = NULL;
	char rel[16];
	int dfd = -1, rc;

	(void)snprintf(rel, sizeof(rel), "store/%.2s", job->sha256);
	if ((rc = swim_txn_state_dir(&dfd, a->h, rel, false)) < 0)
		goto out;
	r.fd = openat(dfd, job->sha256, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (r.fd < 0) {
		rc = swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                          : SWIM_EIO, errno, "the payload store "
		                          "lacks %s/%s/%s", a->h->state_dir, rel,
		                          job->sha256);
		goto out;
	}
	if (!(r.block = malloc(READ_BLOCK))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = swim_tree_new(&tree, &a->h->limits, job->pkg->setid_files,
	                        job->pkg->n_setid_files)) < 0)
		goto out;
	sink.name = job->payload;
	sink.size = job->size;
	sink.tree = tree;
	sink.on_entry = stage_entry;
	sink.ctx = &r;
	sink.lim = &a->h->limits;
	if ((rc = swim_payload_read_from(&sums, read_store, &r, &sink)) < 0)
		goto out;
	if (sums.size != job->size || strcmp(sums.sha256, job->sha256) != 0)
		rc = swim_error_set(SWIM_ECHECKSUM, "the payload store's copy "
		                    "%s/%s/%s is damaged (its sha-256 is %s)",
		                    a->h->state_dir, rel, job->sha256, sums.sha256);
out:
	if (rc < 0)
		(void)swim_error_prefix("staging VIB %s: ", job->pkg->id);
	swim_tree_free(tree);
	if (r.fd >= 0)
		(void)close(r.fd);
	if (dfd >= 0)
		(void)close(dfd);
	free(r.block);
	swim_buf_dispose(&r.norm);
	return rc;
}

/* ---- prestaged files ----------------------------------------------------- */

/* Renames every prestaged file to its staged name: verifying wrote it,
 * with its owner, mode and time, on the same file system. */
static int stage_prestaged(swim_txn_apply *a, swim_rootdir *root)
{
	uint32_t open_pkg = 0;
	int pfd = -1, dfd, rc = 0;

	for (size_t i = a->file_base; i < a->n_steps && rc == 0; i++) {
		const swim_txn_step *s = &a->steps[i];
		const char *name;
		char from[24];

		if (!s->pre_pkg)
			continue;
		if (s->pre_pkg != open_pkg) {
			if (pfd >= 0)
				(void)close(pfd);
			open_pkg = s->pre_pkg;
			if ((rc = swim_txn_state_dir(&pfd, a->h,
			                             a->arriving[s->pre_pkg - 1]
			                             ->prestage, false)) < 0)
				break;
		}
		(void)snprintf(from, sizeof(from), "%" PRIu32, s->pre_entry);
		if ((rc = swim_fault_hit(a->fault, "stage")) < 0) {
			rc = swim_rootdir_fail(root, -rc, "writing", s->path);
			break;
		}
		if ((rc = swim_rootdir_parent(&dfd, &name, root, s->staged)) < 0)
			break;
		if (renameat(pfd, from, dfd, name) < 0)
			rc = swim_rootdir_fail(root, errno, "moving the verified "
			                       "copy of", s->path);
		else
			atomic_fetch_add(&a->meter->done,
			                 a->arriving[s->pre_pkg - 1]
			                 ->entries[s->pre_entry].size);
	}
	if (pfd >= 0)
		(void)close(pfd);
	return rc;
}

static int stage_tick(void *ctx)
{
	struct stage_ctx *s = ctx;

	return swim_txn_meter_report(s->a->meter);
}

int swim_txn_stage(swim_txn_apply *a)
{
	struct stage_ctx s = { .a = a };
	unsigned workers = a->threads ? a->threads : 1;
	int rc;

	if (!(s.roots = calloc(workers, sizeof(*s.roots))))
		return swim_error_oom();
	for (unsigned i = 0; i < workers; i++)
		if ((rc = swim_rootdir_new(&s.roots[i], swim_host_root_fd(a->h),
		                           a->h->shown_root)) < 0)
			goto out;
	if ((rc = make_dirs(a, s.roots[0])) < 0 ||
	    (rc = stage_prestaged(a, s.roots[0])) < 0)
		goto out;
	rc = swim_workers_run(workers, a->n_jobs, run_job, stage_tick, &s);
out:
	for (unsigned i = 0; i < workers; i++)
		swim_rootdir_free(s.roots[i]);
	free(s.roots);
	return rc;
}
