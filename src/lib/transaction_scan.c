/* Verifying a package to install: every payload read once with every
 * check of swim_vib_verify() (sizes, both sha-256 checksums, the safety
 * rules), and every entry recorded as the database will keep it: type,
 * mode, owner, size, sha-256 of regular files, link target, mtime. An
 * entry the descriptor's file-list does not name is refused, so the
 * resolver's file-conflict check (which reads file-lists) sees every
 * file a package brings.
 *
 * A live install also prestages while it reads: every non-directory
 * entry k is written to ROOT/var/lib/swim/<prestage>/<k> with its owner,
 * mode and time, so that staging renames it instead of inflating the
 * payload a second time. No journal exists yet and nothing outside the
 * staging area is touched, so a kill leaves only what the next command
 * clears. A failure to write (a full disk, say) only turns prestaging
 * off for the package and deletes what it wrote: staging then reads the
 * payload store as it does for everything else, after the free-space
 * check whose message says what is needed. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/digest.h"
#include "lib/payload.h"
#include "lib/transaction_private.h"
#include "lib/vib_private.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

void swim_txn_owner(uint32_t *uid, uint32_t *gid, uint32_t want_uid,
                    uint32_t want_gid)
{
	if (geteuid() == 0) {
		*uid = want_uid;
		*gid = want_gid;
	} else {
		*uid = (uint32_t)geteuid();
		*gid = (uint32_t)getegid();
	}
}

int swim_txn_set_meta(int dfd, const char *name, int fd, uint32_t uid,
                      uint32_t gid, uint32_t mode, int64_t mtime)
{
	struct timespec times[2] = {
		{ .tv_nsec = UTIME_OMIT },
		{ .tv_sec = (time_t)mtime, .tv_nsec = 0 },
	};
	bool ok;

	if (fd >= 0)
		/* chown first: it clears setuid bits that fchmod then sets. */
		ok = (geteuid() != 0 || fchown(fd, uid, gid) == 0) &&
		     fchmod(fd, mode) == 0 && futimens(fd, times) == 0;
	else
		ok = (geteuid() != 0 ||
		      fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) == 0) &&
		     utimensat(dfd, name, times, AT_SYMLINK_NOFOLLOW) == 0;
	return ok ? 0 : -errno;
}

void swim_txn_pkg_dispose(swim_txn_pkg *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_entries; i++) {
		free(p->entries[i].path);
		free(p->entries[i].link_target);
	}
	free(p->entries);
	free(p->vib_path);
	free(p->prestage);
	free(p->source);
	free(p->signer);
	memset(p, 0, sizeof(*p));
}

struct scan {
	swim_txn_pkg *p;
	const swim_vib_pass *pass;
	swim_strmap listed;          /* the file-list */
	swim_strmap seen;            /* entry path -> index + 1 */
	size_t cap;
	swim_buf norm;
	const swim_txn_prestage *pre;
	int pre_fd;                  /* the prestage directory, -1: off */
	bool pre_failed;
};

static int payload_index(uint32_t *out, const swim_package *pkg,
                         const char *member)
{
	for (size_t i = 0; member && i < pkg->n_payloads; i++)
		if (strcmp(pkg->payloads[i].name, member) == 0) {
			*out = (uint32_t)i;
			return 0;
		}
	return swim_error_set(SWIM_EINVAL, "no payload for member '%s'",
	                      member ? member : "");
}

struct hashing {
	swim_digest d;
	uint64_t end;
	int fd;                      /* the prestaged copy, -1: none */
	bool write_failed;
};

static int hash_block(void *ctx, const void *buf, size_t len, uint64_t off)
{
	static const char zeros[4096];
	struct hashing *hs = ctx;
	int rc = 0;

	/* Holes of a sparse entry read as zeros. */
	while (hs->end < off && rc == 0) {
		uint64_t n = off - hs->end;

		n = n > sizeof(zeros) ? sizeof(zeros) : n;
		rc = swim_digest_update(&hs->d, zeros, (size_t)n);
		hs->end += n;
	}
	if (rc == 0 && (rc = swim_digest_update(&hs->d, buf, len)) == 0)
		hs->end = off + len;
	if (rc == 0 && hs->fd >= 0 && !hs->write_failed)
		hs->write_failed = swim_fs_pwrite_all(hs->fd, buf, len, off) < 0;
	return rc;
}

/* Hashes the entry's data, and writes it to fd unless fd is -1 (a write
 * failure is *write_failed); the size is what the data covers. */
static int hash_data(swim_txn_entry *en, struct archive *tar,
                     const char *payload, int fd, bool *write_failed)
{
	struct hashing hs = { .d = { 0 }, .fd = fd };
	char hex[SWIM_DIGEST_HEX_MAX];
	int rc;

	if ((rc = swim_digest_init(&hs.d, "sha-256")) < 0)
		return rc;
	if ((rc = swim_payload_entry_blocks(tar, en->path, hash_block,
	                                    &hs)) < 0) {
		(void)swim_error_prefix("payload '%s': entry ", payload);
		goto out;
	}
	en->size = hs.end;
	*write_failed = hs.write_failed;
	if ((rc = swim_digest_final(&hs.d, hex)) == 0)
		memcpy(en->sha256, hex, sizeof(en->sha256) - 1);
out:
	swim_digest_dispose(&hs.d);
	return rc;
}

/* ---- prestaging ---------------------------------------------------------- */

static void prestage_name(char *out, size_t len, size_t entry)
{
	(void)snprintf(out, len, "%zu", entry);
}

/* Turns prestaging off for the package: what it wrote goes at the end. */
static void prestage_off(struct scan *s)
{
	s->pre_failed = true;
	(void)close(s->pre_fd);
	s->pre_fd = -1;
}

/* Whether to prestage the next entry (the fault point may say no). */
static bool prestage_next(struct scan *s)
{
	if (s->pre_fd < 0)
		return false;
	if (s->pre->fault && swim_fault_hit(s->pre->fault, "prestage") < 0) {
		prestage_off(s);
		return false;
	}
	return true;
}

/* Owner, mode and time of a prestaged entry: fd, or name (fd -1). */
static bool prestage_meta(const struct scan *s, const swim_txn_entry *en,
                          int fd, const char *name)
{
	return swim_txn_set_meta(s->pre_fd, name, fd, en->uid, en->gid,
	                         en->mode, en->mtime) == 0;
}

/* A regular file's data: hashed, and written when prestaging. */
static int prestage_data(struct scan *s, swim_txn_entry *en,
                         struct archive *tar, struct archive_entry *e)
{
	char name[24];
	bool failed = false;
	int fd = -1, rc;

	if (prestage_next(s)) {
		prestage_name(name, sizeof(name), s->p->n_entries - 1);
		fd = openat(s->pre_fd, name, O_CLOEXEC | O_WRONLY | O_CREAT |
		            O_EXCL | O_NOFOLLOW, 0600);
		if (fd < 0)
			prestage_off(s);
	}
	rc = hash_data(en, tar, s->pass->member, fd, &failed);
	if (fd >= 0) {
		/* A sparse entry may end in a hole. */
		failed = failed ||
		         (archive_entry_size(e) > (la_int64_t)en->size &&
		          ftruncate(fd, (off_t)archive_entry_size(e)) < 0) ||
		         !prestage_meta(s, en, fd, NULL);
		failed = close(fd) < 0 || failed;
	}
	if (failed && s->pre_fd >= 0)
		prestage_off(s);
	return rc;
}

static void prestage_link(struct scan *s, size_t entry, size_t first)
{
	char name[24], to[24];

	prestage_name(name, sizeof(name), entry);
	prestage_name(to, sizeof(to), first);
	if (linkat(s->pre_fd, to, s->pre_fd, name, 0) < 0)
		prestage_off(s);
}

static void prestage_symlink(struct scan *s, const swim_txn_entry *en,
                             size_t entry)
{
	char name[24];

	prestage_name(name, sizeof(name), entry);
	if (symlinkat(en->link_target, s->pre_fd, name) < 0 ||
	    !prestage_meta(s, en, -1, name))
		prestage_off(s);
}

/* Makes ROOT/var/lib/swim/<rel> (0700: no one walks in while setuid
 * files are there) for the package's entries. */
static void prestage_begin(struct scan *s, const char *rel)
{
	if (swim_txn_state_dir(&s->pre_fd, s->pre->h, rel, true) < 0 ||
	    fchmod(s->pre_fd, 0700) < 0 || !(s->p->prestage = swim_strdup(rel))) {
		swim_error_clear();
		if (s->pre_fd >= 0)
			(void)close(s->pre_fd);
		s->pre_fd = -1;
	}
}

/* Keeps what was prestaged, or deletes it when it is not complete. */
static void prestage_end(struct scan *s, bool complete)
{
	int fd;

	if (s->pre_fd >= 0)
		(void)close(s->pre_fd);
	s->pre_fd = -1;
	if (!s->p->prestage || (complete && !s->pre_failed))
		return;
	if (swim_txn_state_dir(&fd, s->pre->h, s->p->prestage, false) == 0) {
		swim_fs_empty_dir(fd);
		(void)close(fd);
	}
	swim_error_clear();
	free(s->p->prestage);
	s->p->prestage = NULL;
}

/* ---- entries ------------------------------------------------------------- */

static int add_entry(struct scan *s, struct archive *tar,
                     struct archive_entry *e, const char *path)
{
	swim_txn_pkg *p = s->p;
	const swim_package *pkg = p->pkg;
	mode_t mode = archive_entry_mode(e);
	const char *hl = archive_entry_hardlink(e);
	swim_txn_entry *en;
	size_t *slot;
	int rc;

	if (!hl)
		hl = archive_entry_hardlink_utf8(e);
	if (S_ISDIR(mode) && swim_strmap_get(&s->seen, path))
		return 0;  /* a directory every payload repeats */
	if (!S_ISDIR(mode) && !swim_strmap_get(&s->listed, path))
		return swim_error_set(SWIM_EINVAL, "payload '%s' holds '%s', "
		                      "which the descriptor's file-list does "
		                      "not name", s->pass->member, path);
	if (p->n_entries == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		swim_txn_entry *grown = realloc(p->entries, ncap * sizeof(*grown));

		if (!grown)
			return swim_error_oom();
		p->entries = grown;
		s->cap = ncap;
	}
	en = &p->entries[p->n_entries];
	memset(en, 0, sizeof(*en));
	if (!(en->path = swim_strdup(path)))
		return SWIM_ENOMEM;
	p->n_entries++;
	if ((rc = payload_index(&en->payload, pkg, s->pass->member)) < 0)
		return rc;
	en->mode = (uint32_t)(mode & 07777);
	swim_txn_owner(&en->uid, &en->gid, (uint32_t)archive_entry_uid(e),
	               (uint32_t)archive_entry_gid(e));
	en->mtime = (int64_t)archive_entry_mtime(e);
	if (hl) {
		const swim_txn_entry *first;

		/* The rules made sure: an earlier file of this payload. */
		if ((rc = swim_tree_path(&s->norm, hl, NULL)) < 0)
			return rc;
		slot = swim_strmap_get(&s->seen, s->norm.ptr);
		if (!slot)
			return swim_error_set(SWIM_EINVAL, "payload '%s': entry "
			                      "'%s': hard link to an unknown file",
			                      s->pass->member, path);
		first = &p->entries[*slot - 1];
		en->type = SWIM_FILE_REGULAR;
		en->size = first->size;
		memcpy(en->sha256, first->sha256, sizeof(en->sha256));
		if (prestage_next(s))
			prestage_link(s, p->n_entries - 1, *slot - 1);
	} else if (S_ISDIR(mode)) {
		en->type = SWIM_FILE_DIRECTORY;
	} else if (S_ISLNK(mode)) {
		const char *target = archive_entry_symlink(e);

		if (!target)
			target = archive_entry_symlink_utf8(e);

		en->type = SWIM_FILE_SYMLINK;
		if (!(en->link_target = swim_strdup(target ? target : "")))
			return SWIM_ENOMEM;
		en->size = strlen(en->link_target);
		if (prestage_next(s))
			prestage_symlink(s, en, p->n_entries - 1);
	} else {
		en->type = SWIM_FILE_REGULAR;
		if ((rc = prestage_data(s, en, tar, e)) < 0)
			return rc;
	}
	if (en->type == SWIM_FILE_REGULAR)
		p->file_bytes += en->size;
	/* Keys borrow en->path, which stays put when the array grows. */
	return swim_strmap_put(&s->seen, en->path, p->n_entries, NULL) < 0
	       ? SWIM_ENOMEM : 0;
}

static int on_entry(void *ctx, struct archive *tar, struct archive_entry *e,
                    const char *path)
{
	return add_entry(ctx, tar, e, path);
}

int swim_txn_scan_pkg(swim_txn_pkg *p, const swim_txn_prestage *pre)
{
	swim_vib_pass pass = { 0 };
	struct scan s = { .p = p, .pass = &pass, .norm = SWIM_BUF_INIT(0),
	                  .pre = pre, .pre_fd = -1 };
	const swim_package *pkg = p->pkg;
	int rc;

	if ((rc = swim_strmap_reserve(&s.listed, pkg->n_files)) < 0)
		goto out;
	for (size_t i = 0; i < pkg->n_files; i++)
		if (swim_strmap_put(&s.listed, pkg->files[i], i, NULL) < 0) {
			rc = SWIM_ENOMEM;
			goto out;
		}
	if ((rc = swim_strmap_reserve(&s.seen, pkg->n_files)) < 0)
		goto out;
	p->vib->verified = false;
	if (pre)
		prestage_begin(&s, pre->dir);
	if ((rc = swim_vib__pass_begin(&pass, p->vib)) < 0 ||
	    (rc = swim_vib__pass_payloads(&pass, p->vib, on_entry, &s)) < 0)
		goto out;
	p->vib->verified = true;
out:
	if (pre)
		prestage_end(&s, rc == 0);
	swim_vib__pass_end(&pass);
	swim_strmap_dispose(&s.listed);
	swim_strmap_dispose(&s.seen);
	swim_buf_dispose(&s.norm);
	return rc;
}
