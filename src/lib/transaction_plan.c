/* Planning the file changes: from the files of the target image now on
 * disk ("before") and the packages that stay or arrive ("after"), one
 * step per path that changes: a directory to make, a file to create or
 * replace (staged beside its target), a file to remove (moved aside
 * until commit), a directory to remove after commit. Where several
 * packages own a path (overlays), the winner's file is the one on disk.
 * Every staged file is assigned to a job: one payload, read from the
 * payload store. Then the free space of each file system is checked. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "lib/transaction_private.h"
#include "swim/error.h"
#include "swim/store.h"
#include "util/str.h"

/* Space a file takes beyond its bytes, and the database per entry
 * (journal step, file row, WAL copies). */
#define BLOCK 4096u
#define DB_BYTES_PER_ENTRY 1024u
#define MAX_DEVICES 16
#define STATE_DIR "var/lib/swim"

/* One owner of one path. */
struct claim {
	const char *path;
	int64_t rank;
	/* >= 0: arriving package; < 0: -1 - index of an existing record */
	int32_t src;
	uint32_t entry;        /* arriving: index in its entries */
	char type;
	bool overlay;
	bool leaving;
	uint32_t mode, uid, gid;
	const char *payload;   /* existing: the payload it came from */
};

struct device {
	dev_t dev;
	int fd;                /* a directory on it */
	uint64_t bytes;
	uint64_t inodes;
};

struct plan {
	swim_txn_apply *a;
	swim_host_package **recs;    /* the target image's records */
	size_t n_recs;
	bool *rec_leaving;
	struct claim *claims;
	size_t n_claims, cap_claims;
	char **owned;                /* strings the plan allocated */
	size_t n_owned, cap_owned;
	swim_rootdir *root;
	swim_strmap dirs;            /* directory path -> 1 exists, 2 made */
	swim_strmap jobs;            /* payload sha-256 -> job index + 1 */
	swim_txn_step *mkdirs, *files, *removes, *rmdirs;
	size_t n_mkdirs, n_files, n_removes, n_rmdirs;
	size_t cap_mkdirs, cap_files, cap_removes, cap_rmdirs, cap_jobs;
	struct device devices[MAX_DEVICES];
	size_t n_devices;
	dev_t staging_dev;           /* where prestaged files are */
	bool have_staging;
	/* a directory known to be missing: everything below it is too (the
	 * plan makes nothing, and paths come sorted, so this spares most
	 * lookups of an empty root) */
	swim_buf missing;
};

/* ---- small helpers ---------------------------------------------------- */

static char *own(struct plan *pl, char *s)
{
	if (!s)
		return NULL;
	if (pl->n_owned == pl->cap_owned) {
		size_t ncap = pl->cap_owned ? pl->cap_owned * 2 : 256;
		char **grown = realloc(pl->owned, ncap * sizeof(*grown));

		if (!grown) {
			free(s);
			(void)swim_error_oom();
			return NULL;
		}
		pl->owned = grown;
		pl->cap_owned = ncap;
	}
	pl->owned[pl->n_owned++] = s;
	return s;
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *grown;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if (!(grown = realloc(*v, ncap * size)))
		return swim_error_oom();
	*v = grown;
	*cap = ncap;
	return 0;
}

bool swim_txn_wins(bool overlay_a, int64_t rank_a, bool overlay_b,
                   int64_t rank_b)
{
	if (overlay_a != overlay_b)
		return overlay_a;
	return rank_a > rank_b;
}

static const char *src_name(const struct plan *pl, int32_t src)
{
	return src >= 0 ? pl->a->arriving[src]->pkg->id
	                : pl->recs[-1 - src]->pkg->id;
}

static int account(struct plan *pl, dev_t dev, int fd, uint64_t bytes,
                   uint64_t inodes)
{
	struct device *d = NULL;

	for (size_t i = 0; i < pl->n_devices; i++)
		if (pl->devices[i].dev == dev)
			d = &pl->devices[i];
	if (!d) {
		if (pl->n_devices == MAX_DEVICES)
			d = &pl->devices[0];  /* a root spanning more: be rough */
		else {
			d = &pl->devices[pl->n_devices++];
			d->dev = dev;
			if ((d->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
				return swim_error_set_errno(SWIM_EIO, errno, "dup");
		}
	}
	d->bytes += bytes;
	d->inodes += inodes;
	return 0;
}

/* ---- the files now on disk -------------------------------------------- */

static int add_claim(struct plan *pl, const struct claim *c)
{
	int rc = grow((void **)&pl->claims, &pl->cap_claims, pl->n_claims,
	              sizeof(*pl->claims));

	if (rc == 0)
		pl->claims[pl->n_claims++] = *c;
	return rc;
}

struct load_ctx {
	struct plan *pl;
	int32_t rec;
};

static int load_file(const swim_host_file *f, void *ctx)
{
	struct load_ctx *l = ctx;
	struct plan *pl = l->pl;
	const swim_host_package *r = pl->recs[l->rec];
	struct claim c = {
		.rank = r->record, .src = -1 - l->rec, .type = (char)f->type,
		.overlay = r->pkg->overlay, .leaving = pl->rec_leaving[l->rec],
		.mode = f->mode, .uid = f->uid, .gid = f->gid,
	};

	if (!(c.path = own(pl, swim_strdup(f->path))) ||
	    (f->payload && !(c.payload = own(pl, swim_strdup(f->payload)))))
		return SWIM_ENOMEM;
	return add_claim(pl, &c);
}

static int load_before(struct plan *pl)
{
	swim_txn_apply *a = pl->a;
	int rc;

	if ((rc = swim_image_packages(&pl->recs, &pl->n_recs, a->h,
	                              a->target)) < 0)
		return rc;
	if (!(pl->rec_leaving = calloc(pl->n_recs + 1, sizeof(bool))))
		return swim_error_oom();
	for (size_t i = 0; i < pl->n_recs; i++)
		for (size_t k = 0; k < a->n_leaving; k++)
			if (pl->recs[i]->record == a->leaving[k])
				pl->rec_leaving[i] = true;
	for (size_t i = 0; i < pl->n_recs; i++) {
		struct load_ctx l = { pl, (int32_t)i };

		if ((rc = swim_host_files_foreach(a->h, pl->recs[i]->record,
		                                  load_file, &l)) < 0)
			return rc;
	}
	return 0;
}

int swim_txn_check_state_paths(const swim_txn_pkg *p)
{
	size_t n = strlen(STATE_DIR);

	for (size_t k = 0; k < p->n_entries; k++) {
		const char *path = p->entries[k].path;

		if (strncmp(path, STATE_DIR, n) == 0 &&
		    (path[n] == '\0' || path[n] == '/'))
			return swim_error_set(SWIM_EINVAL, "VIB %s ships %s, inside "
			                      "swim's own state directory " STATE_DIR,
			                      p->pkg->id, path);
	}
	return 0;
}

static int load_after(struct plan *pl)
{
	swim_txn_apply *a = pl->a;
	int rc;

	for (size_t i = 0; i < a->n_arriving; i++) {
		const swim_txn_pkg *p = a->arriving[i];

		if ((rc = swim_txn_check_state_paths(p)) < 0)
			return rc;

		for (size_t k = 0; k < p->n_entries; k++) {
			const swim_txn_entry *e = &p->entries[k];
			struct claim c = {
				.path = e->path, .rank = p->rank, .src = (int32_t)i,
				.entry = (uint32_t)k, .type = (char)e->type,
				.overlay = p->pkg->overlay, .mode = e->mode,
				.uid = e->uid, .gid = e->gid,
			};

			if ((rc = add_claim(pl, &c)) < 0)
				return rc;
		}
	}
	return 0;
}

static int cmp_claim(const void *x, const void *y)
{
	const struct claim *a = x, *b = y;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	return a->src < b->src ? -1 : a->src > b->src;
}

/* ---- what is on disk at a path ---------------------------------------- */

/* DISK_LINK_DIR: a symlink to a directory inside the root, which holds
 * files like a directory but is replaced like a file. */
enum disk { DISK_ABSENT, DISK_DIR, DISK_OTHER, DISK_LINK_DIR };

/* Whether the directory dir (its first len bytes) is, or is below, the
 * one known to be missing. */
static bool known_missing(const struct plan *pl, const char *dir, size_t len)
{
	size_t n = pl->missing.len;

	return n && len >= n && memcmp(dir, pl->missing.ptr, n) == 0 &&
	       (len == n || dir[n] == '/');
}

static int note_missing(struct plan *pl, const char *dir, size_t len)
{
	swim_error_clear();
	swim_buf_truncate(&pl->missing, 0);
	return swim_buf_put(&pl->missing, dir, len);
}

static int disk_state(enum disk *out, struct plan *pl, const char *path)
{
	const char *name, *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	struct stat st;
	int fd, rc;

	*out = DISK_ABSENT;
	if (known_missing(pl, path, len))
		return 0;
	rc = swim_rootdir_parent(&fd, &name, pl->root, path);
	if (rc == SWIM_ENOTFOUND)
		return note_missing(pl, path, len);
	if (rc < 0)
		return rc;
	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return swim_rootdir_fail(pl->root, errno, "examining", path);
	}
	if (S_ISDIR(st.st_mode)) {
		*out = DISK_DIR;
	} else if (S_ISLNK(st.st_mode) &&
	           swim_rootdir_open(&fd, pl->root, path) == 0) {
		*out = DISK_LINK_DIR;
	} else {
		swim_error_clear();
		*out = DISK_OTHER;
	}
	return 0;
}

/* The device and a descriptor of the directory that will hold path (its
 * nearest existing ancestor). */
static int where(dev_t *dev, int *fd, struct plan *pl, const char *path)
{
	swim_buf dir = SWIM_BUF_INIT(0);
	const char *slash;
	int rc;

	if ((rc = swim_buf_puts(&dir, path)) < 0)
		return rc;
	for (;;) {
		slash = strrchr(dir.ptr, '/');
		swim_buf_truncate(&dir, slash ? (size_t)(slash - dir.ptr) : 0);
		if (dir.len && known_missing(pl, dir.ptr, dir.len))
			continue;
		rc = swim_rootdir_open(fd, pl->root, dir.ptr);
		if (rc != SWIM_ENOTFOUND || dir.len == 0)
			break;
		if ((rc = note_missing(pl, dir.ptr, dir.len)) < 0)
			break;
	}
	if (rc == 0)
		*dev = swim_rootdir_dev(pl->root);
	swim_buf_dispose(&dir);
	return rc;
}

/* ---- steps ---------------------------------------------------------- */

static int add_step(struct plan *pl, swim_txn_step **v, size_t *n,
                    size_t *cap, swim_journal_action action,
                    const char *path, uint32_t mode, uint32_t uid,
                    uint32_t gid)
{
	swim_txn_step *s;
	int rc;

	if ((rc = grow((void **)v, cap, *n, sizeof(**v))) < 0)
		return rc;
	s = &(*v)[*n];
	memset(s, 0, sizeof(*s));
	if (!(s->path = swim_strdup(path)))
		return SWIM_ENOMEM;
	(*n)++;
	s->action = action;
	s->mode = mode;
	s->uid = uid;
	s->gid = gid;
	(void)pl;
	return 0;
}

static int plan_mkdir(struct plan *pl, const char *path, uint32_t mode,
                      uint32_t uid, uint32_t gid)
{
	dev_t dev;
	char *key;
	int fd, rc;

	if ((rc = where(&dev, &fd, pl, path)) < 0 ||
	    (rc = account(pl, dev, fd, BLOCK, 1)) < 0 ||
	    (rc = add_step(pl, &pl->mkdirs, &pl->n_mkdirs, &pl->cap_mkdirs,
	                   SWIM_JOURNAL_MKDIR, path, mode, uid, gid)) < 0)
		return rc;
	if (!(key = own(pl, swim_strdup(path))))
		return SWIM_ENOMEM;
	return swim_strmap_put(&pl->dirs, key, 2, NULL) < 0 ? SWIM_ENOMEM : 0;
}

/* Every ancestor of path is a directory on disk or planned; missing ones
 * no package claims are made 0755, owned by root (or by us). */
static int ensure_parents(struct plan *pl, const char *path)
{
	const char *slash = strrchr(path, '/');
	swim_buf dir = SWIM_BUF_INIT(0);
	enum disk d;
	uint32_t uid, gid;
	char *key;
	int rc;

	if (!slash)
		return 0;
	if ((rc = swim_buf_put(&dir, path, (size_t)(slash - path))) < 0)
		goto out;
	if (swim_strmap_get(&pl->dirs, dir.ptr))
		goto out;
	if ((rc = ensure_parents(pl, dir.ptr)) < 0 ||
	    (rc = disk_state(&d, pl, dir.ptr)) < 0)
		goto out;
	if (d == DISK_OTHER) {
		rc = swim_error_set(SWIM_ECONFLICT, "%s/%s is not a directory, "
		                    "but %s needs it to be one",
		                    swim_rootdir_shown(pl->root), dir.ptr, path);
		goto out;
	}
	if (d == DISK_DIR || d == DISK_LINK_DIR) {
		if (!(key = own(pl, swim_buf_detach(&dir))))
			rc = SWIM_ENOMEM;
		else if (swim_strmap_put(&pl->dirs, key, 1, NULL) < 0)
			rc = SWIM_ENOMEM;
		goto out;
	}
	swim_txn_owner(&uid, &gid, 0, 0);
	rc = plan_mkdir(pl, dir.ptr, 0755, uid, gid);
out:
	swim_buf_dispose(&dir);
	return rc;
}

/* The job that reads the payload holding the winner's file. */
static int job_for(swim_txn_job **out, struct plan *pl, const struct claim *c)
{
	swim_txn_apply *a = pl->a;
	const swim_package *pkg;
	const swim_payload *pay = NULL;
	const swim_checksum *sum;
	size_t *slot;
	int rc;

	if (c->src >= 0) {
		pkg = a->arriving[c->src]->pkg;
		pay = &pkg->payloads[a->arriving[c->src]->entries[c->entry].payload];
	} else {
		pkg = pl->recs[-1 - c->src]->pkg;
		for (size_t i = 0; c->payload && i < pkg->n_payloads; i++)
			if (strcmp(pkg->payloads[i].name, c->payload) == 0)
				pay = &pkg->payloads[i];
	}
	if (!pay || !(sum = swim_payload_checksum(pay, "sha-256", NULL)))
		return swim_error_set(SWIM_ENOTFOUND, "VIB %s: no payload with a "
		                      "sha-256 holds %s", pkg->id, c->path);
	if ((slot = swim_strmap_get(&pl->jobs, sum->value))) {
		*out = &a->jobs[*slot - 1];
		return 0;
	}
	if ((rc = grow((void **)&a->jobs, &pl->cap_jobs, a->n_jobs,
	               sizeof(*a->jobs))) < 0)
		return rc;
	*out = &a->jobs[a->n_jobs];
	memset(*out, 0, sizeof(**out));
	(*out)->pkg = pkg;
	(*out)->sha256 = sum->value;
	(*out)->size = pay->size;
	(*out)->payload = pay->name;
	a->n_jobs++;
	return swim_strmap_put(&pl->jobs, sum->value, a->n_jobs, NULL) < 0
	       ? SWIM_ENOMEM : 0;
}

/* The file system of the staging area, where prestaged files are. */
static int find_staging(struct plan *pl)
{
	struct stat st;

	if (fstatat(swim_host_state_fd(pl->a->h), "staging", &st,
	            AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : swim_error_set_errno(SWIM_EIO, errno,
		                                                  "the staging "
		                                                  "area");
	pl->staging_dev = st.st_dev;
	pl->have_staging = S_ISDIR(st.st_mode);
	return 0;
}

/* A file of the winner c is staged and swapped in at c->path: renamed
 * from where verifying prestaged it when that is on the same file
 * system, else written by the job reading its payload. */
static int plan_file(struct plan *pl, const struct claim *c, enum disk d)
{
	const swim_txn_pkg *p = c->src >= 0 ? pl->a->arriving[c->src] : NULL;
	const swim_txn_entry *e = p ? &p->entries[c->entry] : NULL;
	uint64_t size = e && e->type == SWIM_FILE_REGULAR ? e->size : 0;
	swim_txn_job *job = NULL;
	swim_txn_step *s;
	bool pre;
	dev_t dev;
	int fd, rc;

	if (d == DISK_DIR)
		return swim_error_set(SWIM_ECONFLICT, "%s/%s is a directory; VIB "
		                      "%s ships a file there",
		                      swim_rootdir_shown(pl->root), c->path,
		                      src_name(pl, c->src));
	if ((rc = ensure_parents(pl, c->path)) < 0 ||
	    (rc = where(&dev, &fd, pl, c->path)) < 0)
		return rc;
	pre = p && p->prestage && pl->have_staging && dev == pl->staging_dev;
	/* A prestaged file already takes its space. */
	if ((!pre && (rc = job_for(&job, pl, c)) < 0) ||
	    (rc = account(pl, dev, fd, pre ? 0 : (size + BLOCK - 1) / BLOCK *
	                  BLOCK, pre ? 0 : 1)) < 0 ||
	    (rc = add_step(pl, &pl->files, &pl->n_files, &pl->cap_files,
	                   d == DISK_ABSENT ? SWIM_JOURNAL_CREATE
	                                    : SWIM_JOURNAL_REPLACE,
	                   c->path, 0, 0, 0)) < 0)
		return rc;
	if (pre) {
		s = &pl->files[pl->n_files - 1];
		s->pre_pkg = (uint32_t)c->src + 1;
		s->pre_entry = c->entry;
		pl->a->stage_bytes += size;
		return 0;
	}
	/* The key is the step's own copy: it lives as long as the plan. */
	if (swim_strmap_put(&job->want, pl->files[pl->n_files - 1].path,
	                    pl->n_files, NULL) < 0)
		return SWIM_ENOMEM;
	job->n_want++;
	job->bytes += size;
	pl->a->stage_bytes += size;
	return 0;
}

/* One path: the claims [first, end) sorted together. */
static int plan_path(struct plan *pl, const struct claim *first,
                     const struct claim *end)
{
	const struct claim *bw = NULL, *aw = NULL;
	bool touched = false, after_dir = false, after_file = false;
	bool links_only = true;
	enum disk d;
	int rc;

	for (const struct claim *c = first; c < end; c++) {
		bool after = c->src >= 0 || !c->leaving;

		touched |= c->src >= 0 || c->leaving;
		if (c->src < 0 && (!bw || swim_txn_wins(c->overlay, c->rank,
		                                        bw->overlay, bw->rank)))
			bw = c;
		if (!after)
			continue;
		if (c->type == SWIM_FILE_DIRECTORY) {
			after_dir = true;
			continue;
		}
		after_file = true;
		links_only &= c->type == SWIM_FILE_SYMLINK;
	}
	/* A symlink one package ships where another has a directory holds
	 * that directory's files (usr-merge): the link wins. */
	if (after_dir && after_file && links_only)
		after_dir = false;
	for (const struct claim *c = first; c < end; c++)
		if ((c->src >= 0 || !c->leaving) &&
		    (c->type == SWIM_FILE_DIRECTORY) == after_dir &&
		    (!aw || swim_txn_wins(c->overlay, c->rank, aw->overlay,
		                          aw->rank)))
			aw = c;
	if (!touched)
		return 0;
	if (after_dir && after_file)
		return swim_error_set(SWIM_ECONFLICT, "%s is a directory in one "
		                      "VIB and a file in another (%s)",
		                      first->path, src_name(pl, aw->src));
	if (!aw) {
		if (bw->type == SWIM_FILE_DIRECTORY)
			return add_step(pl, &pl->rmdirs, &pl->n_rmdirs,
			                &pl->cap_rmdirs, SWIM_JOURNAL_RMDIR,
			                first->path, 0, 0, 0);
		if ((rc = disk_state(&d, pl, first->path)) < 0 ||
		    d == DISK_ABSENT)
			return rc;
		if (d == DISK_DIR)
			return 0;  /* not ours any more; leave it */
		return add_step(pl, &pl->removes, &pl->n_removes,
		                &pl->cap_removes, SWIM_JOURNAL_REMOVE,
		                first->path, 0, 0, 0);
	}
	if ((rc = disk_state(&d, pl, first->path)) < 0)
		return rc;
	if (after_dir) {
		if (d == DISK_DIR || d == DISK_LINK_DIR) {
			if (swim_strmap_get(&pl->dirs, first->path))
				return 0;
			return swim_strmap_put(&pl->dirs, first->path, 1, NULL) < 0
			       ? SWIM_ENOMEM : 0;
		}
		if (d == DISK_OTHER)
			return swim_error_set(SWIM_ECONFLICT, "%s/%s is not a "
			                      "directory; VIB %s needs a directory "
			                      "there",
			                      swim_rootdir_shown(pl->root),
			                      first->path, src_name(pl, aw->src));
		if ((rc = ensure_parents(pl, first->path)) < 0)
			return rc;
		return plan_mkdir(pl, first->path, aw->mode, aw->uid, aw->gid);
	}
	if (bw && bw == aw)
		return 0;  /* the file on disk stays the winner's */
	return plan_file(pl, aw, d);
}

/* ---- putting it together ---------------------------------------------- */

static int cmp_step(const void *x, const void *y)
{
	return strcmp(((const swim_txn_step *)x)->path,
	              ((const swim_txn_step *)y)->path);
}

static int cmp_step_rev(const void *x, const void *y)
{
	return cmp_step(y, x);
}

/* "dir/.swim-H-S" beside path, and its ".old" twin. */
static int name_step(swim_txn_step *s, int64_t history, size_t seq)
{
	const char *slash = strrchr(s->path, '/');
	int dirlen = slash ? (int)(slash - s->path) + 1 : 0;
	swim_buf b = SWIM_BUF_INIT(0);
	int rc;

	if ((rc = swim_buf_printf(&b, "%.*s.swim-%" PRId64 "-%zu", dirlen,
	                          s->path, history, seq)) < 0)
		goto out;
	if (s->action != SWIM_JOURNAL_REMOVE &&
	    !(s->staged = swim_strdup(b.ptr))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if (s->action != SWIM_JOURNAL_CREATE &&
	    ((rc = swim_buf_puts(&b, ".old")) < 0 ||
	     !(s->backup = swim_buf_detach(&b))))
		rc = rc < 0 ? rc : SWIM_ENOMEM;
out:
	swim_buf_dispose(&b);
	return rc;
}

static int join_steps(struct plan *pl)
{
	swim_txn_apply *a = pl->a;
	size_t n = pl->n_mkdirs + pl->n_files + pl->n_removes + pl->n_rmdirs;
	size_t k = 0;
	int rc;

	if (pl->n_mkdirs)
		qsort(pl->mkdirs, pl->n_mkdirs, sizeof(*pl->mkdirs), cmp_step);
	if (pl->n_rmdirs)
		qsort(pl->rmdirs, pl->n_rmdirs, sizeof(*pl->rmdirs),
		      cmp_step_rev);
	if (!(a->steps = calloc(n + 1, sizeof(*a->steps))))
		return swim_error_oom();
	a->file_base = pl->n_mkdirs;
#define MOVE_ALL(v, cnt)                                 \
	do {                                             \
		for (size_t i = 0; i < (cnt); i++)       \
			a->steps[k++] = (v)[i];          \
		(cnt) = 0;                               \
	} while (0)
	MOVE_ALL(pl->mkdirs, pl->n_mkdirs);
	MOVE_ALL(pl->files, pl->n_files);
	MOVE_ALL(pl->removes, pl->n_removes);
	MOVE_ALL(pl->rmdirs, pl->n_rmdirs);
#undef MOVE_ALL
	a->n_steps = n;
	for (size_t i = 0; i < n; i++) {
		swim_txn_step *s = &a->steps[i];

		if (s->action != SWIM_JOURNAL_MKDIR &&
		    s->action != SWIM_JOURNAL_RMDIR &&
		    (rc = name_step(s, a->history, i + 1)) < 0)
			return rc;
	}
	return 0;
}

/* Bytes the payload store will take: payloads of new packages it lacks. */
static int store_needs(struct plan *pl)
{
	swim_txn_apply *a = pl->a;
	int fd = swim_host_state_fd(a->h);
	struct stat st;
	uint64_t bytes = 0, n = 0;
	int rc;

	for (size_t i = 0; i < a->n_arriving; i++) {
		const swim_package *pkg = a->arriving[i]->pkg;

		if (a->arriving[i]->record)
			continue;
		for (size_t k = 0; k < pkg->n_payloads; k++) {
			const swim_checksum *c =
				swim_payload_checksum(&pkg->payloads[k], "sha-256",
				                      NULL);
			bool present = false;

			if (c && (rc = swim_store_get(&present, NULL, a->h,
			                              c->value)) < 0)
				return rc;
			if (present)
				continue;
			bytes += (pkg->payloads[k].size + BLOCK - 1) / BLOCK * BLOCK;
			a->store_bytes += pkg->payloads[k].size;
			n++;
		}
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "the state directory");
	for (size_t i = 0; i < a->n_arriving; i++)
		n += a->arriving[i]->n_entries;
	return account(pl, st.st_dev, fd, bytes + n * DB_BYTES_PER_ENTRY, n);
}

static void human(char *out, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB",
	                                     "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < SWIM_ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		(void)snprintf(out, len, "%" PRIu64 " bytes", bytes);
	else
		(void)snprintf(out, len, "%.1f %s", v, units[u]);
}

static int check_space(struct plan *pl)
{
	const char *shown = swim_rootdir_shown(pl->root);

	for (size_t i = 0; i < pl->n_devices; i++) {
		const struct device *d = &pl->devices[i];
		struct statvfs vfs;
		uint64_t avail, inodes;
		char need[32], have[32];

		if (fstatvfs(d->fd, &vfs) < 0)
			return swim_error_set_errno(SWIM_EIO, errno, "free space "
			                            "under %s/", shown);
		avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
		inodes = (uint64_t)vfs.f_favail;
		human(need, sizeof(need), d->bytes);
		human(have, sizeof(have), avail);
		if (d->bytes > avail)
			return swim_error_set(SWIM_ELIMIT, "Not enough disk space "
			                      "under %s/: the transaction needs %s, "
			                      "%s are available.", shown, need, have);
		/* Some file systems report no inode limit (0). */
		if (vfs.f_files && d->inodes > inodes)
			return swim_error_set(SWIM_ELIMIT, "Not enough inodes under "
			                      "%s/: the transaction needs %" PRIu64
			                      " files, %" PRIu64 " are available.",
			                      shown, d->inodes, inodes);
	}
	return 0;
}

static void plan_dispose(struct plan *pl)
{
	swim_host_package_list_free(pl->recs, pl->n_recs);
	free(pl->rec_leaving);
	free(pl->claims);
	for (size_t i = 0; i < pl->n_owned; i++)
		free(pl->owned[i]);
	free(pl->owned);
	swim_rootdir_free(pl->root);
	swim_buf_dispose(&pl->missing);
	swim_strmap_dispose(&pl->dirs);
	swim_strmap_dispose(&pl->jobs);
	for (size_t i = 0; i < pl->n_mkdirs; i++)
		free(pl->mkdirs[i].path);
	for (size_t i = 0; i < pl->n_files; i++)
		free(pl->files[i].path);
	for (size_t i = 0; i < pl->n_removes; i++)
		free(pl->removes[i].path);
	for (size_t i = 0; i < pl->n_rmdirs; i++)
		free(pl->rmdirs[i].path);
	free(pl->mkdirs);
	free(pl->files);
	free(pl->removes);
	free(pl->rmdirs);
}

/* The file systems to sync go to the apply (their descriptors with
 * them). */
static int hand_devices(struct plan *pl)
{
	swim_txn_apply *a = pl->a;

	if (!(a->sync_fds = calloc(pl->n_devices + 1, sizeof(int))))
		return swim_error_oom();
	for (size_t i = 0; i < pl->n_devices; i++) {
		a->sync_fds[a->n_sync_fds++] = pl->devices[i].fd;
		pl->devices[i].fd = -1;
	}
	return 0;
}

static void plan_end(struct plan *pl)
{
	for (size_t i = 0; i < pl->n_devices; i++)
		if (pl->devices[i].fd >= 0)
			(void)close(pl->devices[i].fd);
	plan_dispose(pl);
}

int swim_txn_plan_files(swim_txn_apply *a)
{
	struct plan pl = { .a = a, .dirs = SWIM_STRMAP_INIT,
	                   .jobs = SWIM_STRMAP_INIT,
	                   .missing = SWIM_BUF_INIT(0) };
	swim_host *h = a->h;
	int rc;

	if ((rc = swim_rootdir_new(&pl.root, swim_host_root_fd(h),
	                           h->shown_root)) < 0 ||
	    (rc = find_staging(&pl)) < 0 ||
	    (rc = load_before(&pl)) < 0 || (rc = load_after(&pl)) < 0)
		goto out;
	if (pl.n_claims)
		qsort(pl.claims, pl.n_claims, sizeof(*pl.claims), cmp_claim);
	for (size_t i = 0; i < pl.n_claims;) {
		size_t j = i + 1;

		while (j < pl.n_claims &&
		       strcmp(pl.claims[j].path, pl.claims[i].path) == 0)
			j++;
		if ((rc = plan_path(&pl, &pl.claims[i], &pl.claims[j])) < 0)
			goto out;
		i = j;
	}
	if ((rc = join_steps(&pl)) < 0 || (rc = store_needs(&pl)) < 0 ||
	    (rc = check_space(&pl)) < 0)
		goto out;
	a->before = pl.recs;
	a->n_before = pl.n_recs;
	pl.recs = NULL;
	pl.n_recs = 0;
	rc = hand_devices(&pl);
out:
	plan_end(&pl);
	return rc;
}

int swim_txn_plan_store(swim_txn_apply *a)
{
	struct plan pl = { .a = a, .dirs = SWIM_STRMAP_INIT,
	                   .jobs = SWIM_STRMAP_INIT,
	                   .missing = SWIM_BUF_INIT(0) };
	int rc;

	if ((rc = swim_rootdir_new(&pl.root, swim_host_root_fd(a->h),
	                           a->h->shown_root)) == 0 &&
	    (rc = store_needs(&pl)) == 0 && (rc = check_space(&pl)) == 0)
		rc = hand_devices(&pl);
	plan_end(&pl);
	return rc;
}
