#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payload.h"
#include "swim/error.h"
#include "util/str.h"

#define COPY_BLOCK ((size_t)1 << 20)
#define NAME_LOOKUP_BUF 16384

uint64_t swim_payload_expand_budget(uint64_t size, const swim_limits *lim)
{
	uint64_t by_ratio;

	if (!lim)
		lim = swim_limits_default();
	by_ratio = size > UINT64_MAX / lim->payload_max_ratio
		? UINT64_MAX : size * lim->payload_max_ratio;
	if (by_ratio < lim->payload_ratio_floor_bytes)
		by_ratio = lim->payload_ratio_floor_bytes;
	return by_ratio < lim->payload_max_expanded_bytes
		? by_ratio : lim->payload_max_expanded_bytes;
}

/* ---- writing ---------------------------------------------------------- */

struct writer {
	const swim_payload_source *src;
	const swim_limits *lim;
	struct archive *tar;   /* pax tar, into gz through tar_cb */
	struct archive *gz;    /* raw + gzip, into fd through gz_cb */
	struct archive_entry_linkresolver *links;
	int fd;
	int rc;                /* our error behind a libarchive failure */
	swim_digest member, expanded;
	swim_payload_sums *sums;
	char *buf;             /* file copy buffer */
	uid_t last_uid;
	gid_t last_gid;
	char *uname;
	char *gname;
	bool have_uid, have_gid;
};

static int write_fail(struct writer *w, struct archive *a, const char *what)
{
	if (w->rc)
		return w->rc;
	return swim_error_set(SWIM_ERROR, "payload '%s': %s: %s", w->src->name,
	                      what, archive_error_string(a));
}

static la_ssize_t gz_cb(struct archive *a, void *ctx, const void *buf,
                        size_t len)
{
	struct writer *w = ctx;
	const char *p = buf;
	size_t left = len;

	if ((w->rc = swim_digest_update(&w->member, buf, len)) < 0)
		goto fail;
	while (left > 0) {
		ssize_t n = write(w->fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			w->rc = swim_error_set_errno(SWIM_EIO, errno,
			                             "payload '%s': writing",
			                             w->src->name);
			goto fail;
		}
		p += n;
		left -= (size_t)n;
	}
	w->sums->size += len;
	return (la_ssize_t)len;
fail:
	archive_set_error(a, EIO, "write failed");
	return -1;
}

static la_ssize_t tar_cb(struct archive *a, void *ctx, const void *buf,
                         size_t len)
{
	struct writer *w = ctx;

	if ((w->rc = swim_digest_update(&w->expanded, buf, len)) < 0)
		goto fail;
	if (archive_write_data(w->gz, buf, len) != (la_ssize_t)len) {
		w->rc = write_fail(w, w->gz, "compressing");
		goto fail;
	}
	w->sums->expanded_size += len;
	return (la_ssize_t)len;
fail:
	archive_set_error(a, EIO, "write failed");
	return -1;
}

static int writer_open(struct writer *w)
{
	struct archive_entry *raw = NULL;
	int rc = 0;

	if (!(w->gz = archive_write_new()) || !(w->tar = archive_write_new()) ||
	    !(w->links = archive_entry_linkresolver_new()) ||
	    !(raw = archive_entry_new()) || !(w->buf = malloc(COPY_BLOCK)))
		return swim_error_oom();
	if ((rc = swim_digest_init(&w->member, "sha-256")) < 0 ||
	    (rc = swim_digest_init(&w->expanded, "sha-256")) < 0)
		goto out;
	if (archive_write_set_format_raw(w->gz) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(w->gz) != ARCHIVE_OK ||
	    archive_write_set_options(w->gz, "gzip:!timestamp") != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->gz, 0) != ARCHIVE_OK ||
	    archive_write_open2(w->gz, w, NULL, gz_cb, NULL, NULL) != ARCHIVE_OK) {
		rc = write_fail(w, w->gz, "starting gzip");
		goto out;
	}
	archive_entry_set_pathname(raw, "payload");
	archive_entry_set_filetype(raw, AE_IFREG);
	if (archive_write_header(w->gz, raw) != ARCHIVE_OK) {
		rc = write_fail(w, w->gz, "starting gzip");
		goto out;
	}
	/* pax only where ustar cannot say it (long or non-ASCII names,
	 * large sizes), so plain trees give plain ustar. */
	if (archive_write_set_format_pax_restricted(w->tar) != ARCHIVE_OK ||
	    archive_write_open2(w->tar, w, NULL, tar_cb, NULL, NULL) != ARCHIVE_OK) {
		rc = write_fail(w, w->tar, "starting tar");
		goto out;
	}
	archive_entry_linkresolver_set_strategy(w->links,
	                                        archive_format(w->tar));
out:
	archive_entry_free(raw);
	return rc;
}

static void writer_dispose(struct writer *w)
{
	if (w->tar)
		archive_write_free(w->tar);
	if (w->gz)
		archive_write_free(w->gz);
	if (w->links)
		archive_entry_linkresolver_free(w->links);
	swim_digest_dispose(&w->member);
	swim_digest_dispose(&w->expanded);
	free(w->buf);
	free(w->uname);
	free(w->gname);
}

/* User and group names, looked up once per id in a row (trees are
 * usually owned by one user). */
static void set_owner(struct writer *w, struct archive_entry *e,
                      const struct stat *st)
{
	char buf[NAME_LOOKUP_BUF];

	if (!w->have_uid || w->last_uid != st->st_uid) {
		struct passwd pw, *res = NULL;

		free(w->uname);
		w->uname = NULL;
		if (getpwuid_r(st->st_uid, &pw, buf, sizeof(buf), &res) == 0 &&
		    res)
			w->uname = strdup(pw.pw_name);
		w->last_uid = st->st_uid;
		w->have_uid = true;
	}
	if (!w->have_gid || w->last_gid != st->st_gid) {
		struct group gr, *res = NULL;

		free(w->gname);
		w->gname = NULL;
		if (getgrgid_r(st->st_gid, &gr, buf, sizeof(buf), &res) == 0 &&
		    res)
			w->gname = strdup(gr.gr_name);
		w->last_gid = st->st_gid;
		w->have_gid = true;
	}
	archive_entry_set_uid(e, st->st_uid);
	archive_entry_set_gid(e, st->st_gid);
	if (w->uname)
		archive_entry_copy_uname(e, w->uname);
	if (w->gname)
		archive_entry_copy_gname(e, w->gname);
}

static int copy_file(struct writer *w, int dirfd, const char *name,
                     const char *path, const struct stat *st)
{
	uint64_t left = (uint64_t)st->st_size;
	struct stat now;
	int fd, rc = 0;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "payload '%s': "
		                            "opening %s", w->src->name, path);
	if (fstat(fd, &now) < 0 || now.st_ino != st->st_ino ||
	    now.st_dev != st->st_dev || now.st_size != st->st_size) {
		rc = swim_error_set(SWIM_EIO, "payload '%s': %s changed while "
		                    "building", w->src->name, path);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, w->buf, COPY_BLOCK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "payload '%s':"
			                          " reading %s", w->src->name,
			                          path);
			goto out;
		}
		if ((uint64_t)n > left || (n == 0 && left > 0)) {
			rc = swim_error_set(SWIM_EIO, "payload '%s': %s changed "
			                    "size while building", w->src->name,
			                    path);
			goto out;
		}
		if (n == 0)
			break;
		if (archive_write_data(w->tar, w->buf, (size_t)n) != n) {
			rc = write_fail(w, w->tar, path);
			goto out;
		}
		left -= (uint64_t)n;
	}
out:
	(void)close(fd);
	return rc;
}

static int pack_dir(struct writer *w, int dirfd, swim_buf *rel,
                    uint64_t *count);

/* One directory entry: checked by the rules, linkified, written. */
static int pack_one(struct writer *w, int dirfd, const char *name,
                    swim_buf *rel, uint64_t *count)
{
	const swim_payload_source *src = w->src;
	struct archive_entry *e = NULL, *spare = NULL;
	swim_buf target = SWIM_BUF_INIT(0), norm = SWIM_BUF_INIT(0);
	swim_tree_entry te = { 0 };
	size_t keep = rel->len;
	struct stat st;
	int rc;

	if ((rc = swim_buf_puts(rel, name)) < 0)
		goto out;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "payload '%s': %s",
		                          src->name, rel->ptr);
		goto out;
	}
	if (++*count > w->lim->archive_max_entries) {
		rc = swim_error_set(SWIM_ELIMIT, "payload '%s': more than "
		                    "archive_max_entries (%llu) entries",
		                    src->name,
		                    (unsigned long long)w->lim->archive_max_entries);
		goto out;
	}
	if (!(e = archive_entry_new())) {
		rc = swim_error_oom();
		goto out;
	}
	archive_entry_copy_pathname(e, rel->ptr);
	archive_entry_set_mode(e, st.st_mode);
	set_owner(w, e, &st);
	archive_entry_set_mtime(e, src->clamp_mtime >= 0 &&
	                           st.st_mtime > src->clamp_mtime
	                           ? src->clamp_mtime : st.st_mtime, 0);
	if (S_ISLNK(st.st_mode)) {
		ssize_t n;

		if ((rc = swim_buf_grow(&target, w->lim->archive_path_max_bytes + 1)) < 0)
			goto out;
		n = readlinkat(dirfd, name, target.ptr, target.cap - 1);
		if (n < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "payload '%s':"
			                          " reading link %s", src->name,
			                          rel->ptr);
			goto out;
		}
		target.len = (size_t)n;
		target.ptr[n] = '\0';
		archive_entry_copy_symlink(e, target.ptr);
		te.symlink = target.ptr;
	}
	if (S_ISREG(st.st_mode)) {
		archive_entry_set_size(e, st.st_size);
		archive_entry_set_dev(e, st.st_dev);
		archive_entry_set_ino64(e, (la_int64_t)st.st_ino);
		archive_entry_set_nlink(e, (unsigned)st.st_nlink);
		archive_entry_linkify(w->links, &e, &spare);
	} else {
		archive_entry_set_size(e, 0);
	}
	te.path = rel->ptr;
	te.mode = st.st_mode;
	te.hardlink = archive_entry_hardlink(e);
	te.size = (uint64_t)archive_entry_size(e);
	if ((rc = swim_tree_add(src->tree, &norm, &te, src->index)) < 0) {
		(void)swim_error_prefix("payload '%s': ", src->name);
		goto out;
	}
	/* Inode numbers were only for finding hard links. */
	archive_entry_set_dev(e, 0);
	archive_entry_set_ino64(e, 0);
	archive_entry_set_nlink(e, 0);
	/* ARCHIVE_WARN: a name the locale cannot convert to UTF-8 is
	 * stored as raw bytes (pax hdrcharset=BINARY), which is right. */
	if (archive_write_header(w->tar, e) < ARCHIVE_WARN) {
		rc = write_fail(w, w->tar, rel->ptr);
		goto out;
	}
	if (S_ISREG(st.st_mode) && !te.hardlink && st.st_size > 0 &&
	    (rc = copy_file(w, dirfd, name, rel->ptr, &st)) < 0)
		goto out;
	if (!S_ISDIR(st.st_mode) && src->on_file &&
	    (rc = src->on_file(src->ctx, norm.ptr)) < 0)
		goto out;
	if (S_ISDIR(st.st_mode)) {
		int sub = openat(dirfd, name, O_CLOEXEC | O_RDONLY |
		                 O_DIRECTORY | O_NOFOLLOW);

		if (sub < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "payload '%s':"
			                          " %s", src->name, rel->ptr);
			goto out;
		}
		if ((rc = swim_buf_putc(rel, '/')) == 0)
			rc = pack_dir(w, sub, rel, count);
		(void)close(sub);
	}
out:
	swim_buf_truncate(rel, keep);
	archive_entry_free(e);
	archive_entry_free(spare);
	swim_buf_dispose(&target);
	swim_buf_dispose(&norm);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries of one directory, sorted byte-wise so that the archive does
 * not depend on the file system's order. */
static int pack_dir(struct writer *w, int dirfd, swim_buf *rel,
                    uint64_t *count)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = NULL;
	int fd, rc = 0;

	if ((fd = dup(dirfd)) < 0 || !(d = fdopendir(fd))) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "payload '%s': "
		                          "reading directory %s", w->src->name,
		                          rel->len ? rel->ptr : w->src->dir);
		if (fd >= 0)
			(void)close(fd);
		goto out;
	}
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **grown = realloc(names, ncap * sizeof(*names));

			if (!grown) {
				rc = swim_error_oom();
				goto out;
			}
			names = grown;
			cap = ncap;
		}
		if (n >= w->lim->archive_max_entries) {
			rc = swim_error_set(SWIM_ELIMIT, "payload '%s': more than "
			                    "archive_max_entries entries",
			                    w->src->name);
			goto out;
		}
		if (!(names[n] = swim_strdup(de->d_name))) {
			rc = SWIM_ENOMEM;
			goto out;
		}
		n++;
	}
	if (errno) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "payload '%s': "
		                          "reading directory", w->src->name);
		goto out;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = pack_one(w, dirfd, names[i], rel, count);
out:
	if (d)
		(void)closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int swim_payload_write(swim_payload_sums *sums, int fd,
                       const swim_payload_source *src)
{
	struct writer w = { .src = src, .fd = fd, .sums = sums };
	swim_buf rel = SWIM_BUF_INIT(0);
	uint64_t count = 0;
	int dirfd = -1, rc;

	memset(sums, 0, sizeof(*sums));
	w.lim = src->lim ? src->lim : swim_limits_default();
	if ((rc = writer_open(&w)) < 0)
		goto out;
	dirfd = open(src->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		rc = swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                          : SWIM_EIO, errno, "payload '%s': %s",
		                          src->name, src->dir);
		goto out;
	}
	if ((rc = pack_dir(&w, dirfd, &rel, &count)) < 0)
		goto out;
	if (archive_write_close(w.tar) != ARCHIVE_OK) {
		rc = write_fail(&w, w.tar, "finishing tar");
		goto out;
	}
	if (archive_write_close(w.gz) != ARCHIVE_OK) {
		rc = write_fail(&w, w.gz, "finishing gzip");
		goto out;
	}
	sums->entries = count;
	if ((rc = swim_digest_final(&w.member, sums->sha256)) < 0 ||
	    (rc = swim_digest_final(&w.expanded, sums->sha256_gunzip)) < 0)
		goto out;
out:
	if (dirfd >= 0)
		(void)close(dirfd);
	swim_buf_dispose(&rel);
	writer_dispose(&w);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

/* Three libarchive readers chained by callbacks: the ar member (A, the
 * caller's) feeds a raw reader with the gzip filter (B), whose output
 * feeds a tar reader (C). Each level hashes the bytes it hands on. */
struct reader {
	const swim_payload_sink *sink;
	const swim_limits *lim;
	swim_payload_read_fn read;
	void *src;
	struct archive *gz;
	struct archive *tar;
	swim_digest member, member1, expanded, expanded1;
	swim_payload_sums *sums;
	uint64_t budget;
	int rc;                /* our error behind a libarchive failure */
};

static int read_fail(struct reader *r, struct archive *a, const char *what)
{
	const char *msg = archive_error_string(a);

	if (r->rc)
		return r->rc;
	if (!msg)
		msg = "unknown error";
	if (strstr(msg, "runcated") || strstr(msg, "premature") ||
	    strstr(msg, "Damaged"))
		return swim_error_set(SWIM_EINVAL, "payload '%s': truncated "
		                      "archive (%s)", r->sink->name, msg);
	return swim_error_set(SWIM_EINVAL, "payload '%s': %s: %s",
	                      r->sink->name, what, msg);
}

static int hash_member(struct reader *r, const void *p, size_t n)
{
	int rc;

	r->sums->size += n;
	if ((rc = swim_digest_update(&r->member, p, n)) == 0 &&
	    r->sums->want_sha1)
		rc = swim_digest_update(&r->member1, p, n);
	return rc;
}

static la_ssize_t member_cb(struct archive *a, void *ctx, const void **buf)
{
	struct reader *r = ctx;
	size_t n = 0;

	if ((r->rc = r->read(r->src, buf, &n)) < 0 ||
	    (r->rc = hash_member(r, *buf, n)) < 0) {
		archive_set_error(a, EIO, "reading the member failed");
		return -1;
	}
	return (la_ssize_t)n;
}

/* The next block of gunzipped bytes: hashed, counted, bounded. */
static int pull_expanded(struct reader *r, const void **buf, size_t *len)
{
	la_int64_t off;
	int arc, rc;

	*len = 0;
	arc = archive_read_data_block(r->gz, buf, len, &off);
	if (arc == ARCHIVE_EOF) {
		*len = 0;
		return 0;
	}
	if (arc != ARCHIVE_OK && arc != ARCHIVE_WARN)
		return read_fail(r, r->gz, "gunzip");
	r->sums->expanded_size += *len;
	if (r->sums->expanded_size > r->budget)
		return r->rc = swim_error_set(SWIM_ELIMIT, "payload '%s': "
		        "expands beyond %llu bytes (gzip bomb: limits "
		        "payload_max_ratio %llu and payload_max_expanded_bytes)",
		        r->sink->name, (unsigned long long)r->budget,
		        (unsigned long long)r->lim->payload_max_ratio);
	if ((rc = swim_digest_update(&r->expanded, *buf, *len)) == 0 &&
	    r->sums->want_sha1)
		rc = swim_digest_update(&r->expanded1, *buf, *len);
	return rc;
}

static la_ssize_t expanded_cb(struct archive *a, void *ctx, const void **buf)
{
	struct reader *r = ctx;
	size_t n;

	if ((r->rc = pull_expanded(r, buf, &n)) < 0) {
		archive_set_error(a, EIO, "reading the gzip stream failed");
		return -1;
	}
	return (la_ssize_t)n;
}

static int reader_open(struct reader *r)
{
	struct archive_entry *e;
	int arc, rc;

	if (!(r->gz = archive_read_new()) || !(r->tar = archive_read_new()))
		return swim_error_oom();
	if ((rc = swim_digest_init(&r->member, "sha-256")) < 0 ||
	    (rc = swim_digest_init(&r->expanded, "sha-256")) < 0 ||
	    (r->sums->want_sha1 &&
	     ((rc = swim_digest_init(&r->member1, "sha-1")) < 0 ||
	      (rc = swim_digest_init(&r->expanded1, "sha-1")) < 0)))
		return rc;
	if (archive_read_support_filter_gzip(r->gz) != ARCHIVE_OK ||
	    archive_read_support_format_raw(r->gz) != ARCHIVE_OK ||
	    archive_read_open(r->gz, r, NULL, member_cb, NULL) != ARCHIVE_OK)
		return read_fail(r, r->gz, "not gzip-compressed");
	arc = archive_read_next_header(r->gz, &e);
	if (arc == ARCHIVE_EOF)
		return swim_error_set(SWIM_EINVAL, "payload '%s': empty member "
		                      "(not a gzip'd tar)", r->sink->name);
	if (arc != ARCHIVE_OK && arc != ARCHIVE_WARN)
		return read_fail(r, r->gz, "not gzip-compressed");
	if (archive_filter_count(r->gz) < 2 ||
	    archive_filter_code(r->gz, 0) != ARCHIVE_FILTER_GZIP)
		return swim_error_set(SWIM_EINVAL, "payload '%s': not "
		                      "gzip-compressed", r->sink->name);
	if (archive_read_support_format_tar(r->tar) != ARCHIVE_OK ||
	    archive_read_open(r->tar, r, NULL, expanded_cb, NULL) != ARCHIVE_OK)
		return read_fail(r, r->tar, "not a tar archive");
	return 0;
}

static void reader_dispose(struct reader *r)
{
	if (r->tar)
		archive_read_free(r->tar);
	if (r->gz)
		archive_read_free(r->gz);
	swim_digest_dispose(&r->member);
	swim_digest_dispose(&r->member1);
	swim_digest_dispose(&r->expanded);
	swim_digest_dispose(&r->expanded1);
}

/* The entry's names as bytes: libarchive keeps raw bytes for ustar
 * names and pax hdrcharset=BINARY, UTF-8 for pax names it could not
 * convert to the locale. */
static const char *entry_path(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);

	return p ? p : archive_entry_pathname_utf8(e);
}

static int read_entry(struct reader *r, struct archive_entry *e,
                      swim_buf *norm)
{
	const swim_payload_sink *sink = r->sink;
	swim_tree_entry te = { 0 };
	swim_buf esc = SWIM_BUF_INIT(0);
	int rc;

	te.path = entry_path(e);
	te.mode = archive_entry_mode(e);
	te.hardlink = archive_entry_hardlink(e);
	if (!te.hardlink)
		te.hardlink = archive_entry_hardlink_utf8(e);
	if (S_ISLNK(te.mode) && !te.hardlink) {
		te.symlink = archive_entry_symlink(e);
		if (!te.symlink)
			te.symlink = archive_entry_symlink_utf8(e);
		if (!te.symlink)
			te.symlink = "";
	}
	if (!te.path) {
		rc = swim_error_set(SWIM_EINVAL, "payload '%s': entry %llu: "
		                    "name is not valid UTF-8", sink->name,
		                    (unsigned long long)r->sums->entries);
		goto out;
	}
	te.size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
		? (uint64_t)archive_entry_size(e) : 0;
	if (te.size > r->budget) {
		if ((rc = swim_str_escape(&esc, te.path, strlen(te.path))) == 0)
			rc = swim_error_set(SWIM_ELIMIT, "payload '%s': entry "
			        "'%s': larger than the payload's declared size "
			        "allows (%llu bytes, at most %llu)", sink->name,
			        esc.ptr, (unsigned long long)te.size,
			        (unsigned long long)r->budget);
		goto out;
	}
	if ((rc = swim_tree_add(sink->tree, norm, &te, sink->index)) < 0) {
		(void)swim_error_prefix("payload '%s': ", sink->name);
		goto out;
	}
	if (rc == 1)
		rc = 0;
	else if (sink->on_entry)
		rc = sink->on_entry(sink->ctx, r->tar, e, norm->ptr);
out:
	swim_buf_dispose(&esc);
	return rc;
}

/* After a failure: the member's sha-256 over all its bytes, if they can
 * still be read. The error slot keeps the original failure. */
static void finish_member(struct reader *r)
{
	char *saved = swim_strdup(swim_error_last());
	int code = swim_error_last_code();
	const void *p;
	size_t n;

	if (!saved || !r->member.ctx)
		goto out;
	do {
		if (r->read(r->src, &p, &n) < 0 || hash_member(r, p, n) < 0)
			goto out;
	} while (n > 0);
	if (swim_digest_final(&r->member, r->sums->sha256) == 0)
		r->sums->member_hashed = true;
out:
	if (saved)
		(void)swim_error_set(code, "%s", saved);
	free(saved);
}

static int read_ar(void *src, const void **data, size_t *len)
{
	return swim_ar_reader_read(src, data, len);
}

int swim_payload_read(swim_payload_sums *sums, swim_ar_reader *ar,
                      const swim_payload_sink *sink)
{
	return swim_payload_read_from(sums, read_ar, ar, sink);
}

int swim_payload_read_from(swim_payload_sums *sums, swim_payload_read_fn fn,
                           void *src, const swim_payload_sink *sink)
{
	struct reader r = { .sink = sink, .read = fn, .src = src, .sums = sums };
	swim_buf norm = SWIM_BUF_INIT(0);
	bool want_sha1 = sums->want_sha1;
	const void *p;
	size_t n;
	int rc;

	memset(sums, 0, sizeof(*sums));
	sums->want_sha1 = want_sha1;
	r.lim = sink->lim ? sink->lim : swim_limits_default();
	r.budget = swim_payload_expand_budget(sink->size, r.lim);
	if ((rc = reader_open(&r)) < 0)
		goto out;
	for (;;) {
		struct archive_entry *e;
		int arc = archive_read_next_header(r.tar, &e);

		if (arc == ARCHIVE_EOF)
			break;
		if (arc != ARCHIVE_OK && arc != ARCHIVE_WARN) {
			rc = read_fail(&r, r.tar, sums->entries
			               ? "damaged tar archive" : "not a tar archive");
			goto out;
		}
		if (++sums->entries > r.lim->archive_max_entries) {
			rc = swim_error_set(SWIM_ELIMIT, "payload '%s': more than "
			                    "archive_max_entries (%llu) entries",
			                    sink->name, (unsigned long long)
			                    r.lim->archive_max_entries);
			goto out;
		}
		if ((rc = read_entry(&r, e, &norm)) < 0)
			goto out;
		if (archive_read_data_skip(r.tar) != ARCHIVE_OK) {
			rc = read_fail(&r, r.tar, "damaged tar archive");
			goto out;
		}
	}
	/* What follows the tar's end (block padding, trailing data) is part
	 * of both checksums too. */
	do {
		if ((rc = pull_expanded(&r, &p, &n)) < 0)
			goto out;
	} while (n > 0);
	do {
		if ((rc = fn(src, &p, &n)) < 0 ||
		    (rc = hash_member(&r, p, n)) < 0)
			goto out;
	} while (n > 0);
	if ((rc = swim_digest_final(&r.member, sums->sha256)) < 0 ||
	    (rc = swim_digest_final(&r.expanded, sums->sha256_gunzip)) < 0)
		goto out;
	sums->member_hashed = true;
	if (want_sha1 &&
	    ((rc = swim_digest_final(&r.member1, sums->sha1)) < 0 ||
	     (rc = swim_digest_final(&r.expanded1, sums->sha1_gunzip)) < 0))
		goto out;
out:
	if (rc < 0 && !sums->member_hashed)
		finish_member(&r);
	swim_buf_dispose(&norm);
	reader_dispose(&r);
	return rc;
}

/* ---- extracting ------------------------------------------------------- */

int swim_payload_entry_blocks(struct archive *tar, const char *path,
                              swim_payload_block_fn fn, void *ctx)
{
	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int arc = archive_read_data_block(tar, &buf, &len, &off), rc;

		if (arc == ARCHIVE_EOF)
			return 0;
		if (arc < ARCHIVE_WARN)
			return swim_error_set(SWIM_EINVAL, "%s: %s", path,
			                      archive_error_string(tar));
		if ((rc = fn(ctx, buf, len, (uint64_t)off)) < 0)
			return rc;
	}
}

int swim_payload_disk_init(swim_payload_disk *d, const char *root)
{
	int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
	            ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	            ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	            ARCHIVE_EXTRACT_NO_OVERWRITE;

	memset(d, 0, sizeof(*d));
	swim_buf_init(&d->path, 0);
	swim_buf_init(&d->link, 0);
	d->root = root;
	if (!(d->disk = archive_write_disk_new()))
		return swim_error_oom();
	if (geteuid() == 0) {
		flags |= ARCHIVE_EXTRACT_OWNER;
		if (archive_write_disk_set_standard_lookup(d->disk) != ARCHIVE_OK)
			return swim_error_oom();
	}
	if (archive_write_disk_set_options(d->disk, flags) != ARCHIVE_OK)
		return swim_error_set(SWIM_ERROR, "extracting: %s",
		                      archive_error_string(d->disk));
	return 0;
}

static int disk_fail(swim_payload_disk *d, const char *path)
{
	return swim_error_set(SWIM_EIO, "extracting %s: %s", path,
	                      archive_error_string(d->disk));
}

static int disk_block(void *ctx, const void *buf, size_t len, uint64_t off)
{
	swim_payload_disk *d = ctx;

	if (archive_write_data_block(d->disk, buf, len, (la_int64_t)off) <
	    ARCHIVE_WARN)
		return swim_error_set(SWIM_EIO, "%s: %s", d->current,
		                      archive_error_string(d->disk));
	return 0;
}

int swim_payload_disk_entry(void *ctx, struct archive *tar,
                            struct archive_entry *e, const char *path)
{
	swim_payload_disk *d = ctx;
	const char *hl = archive_entry_hardlink(e);
	swim_buf norm = SWIM_BUF_INIT(0);
	int rc;

	swim_buf_clear(&d->path);
	if ((rc = swim_buf_printf(&d->path, "%s/%s", d->root, path)) < 0)
		goto out;
	archive_entry_copy_pathname(e, d->path.ptr);
	if (hl) {
		/* Checked by the rules: an earlier file of this payload. */
		if ((rc = swim_tree_path(&norm, hl, NULL)) < 0)
			goto out;
		swim_buf_clear(&d->link);
		if ((rc = swim_buf_printf(&d->link, "%s/%s", d->root,
		                          norm.ptr)) < 0)
			goto out;
		archive_entry_copy_hardlink(e, d->link.ptr);
	}
	if (archive_write_header(d->disk, e) < ARCHIVE_WARN) {
		rc = disk_fail(d, path);
		goto out;
	}
	d->current = path;
	if ((rc = swim_payload_entry_blocks(tar, path, disk_block, d)) < 0) {
		(void)swim_error_prefix("extracting ");
		goto out;
	}
	if (archive_write_finish_entry(d->disk) < ARCHIVE_WARN)
		rc = disk_fail(d, path);
out:
	swim_buf_dispose(&norm);
	return rc;
}

int swim_payload_disk_finish(swim_payload_disk *d)
{
	if (archive_write_close(d->disk) < ARCHIVE_WARN)
		return swim_error_set(SWIM_EIO, "extracting into %s: %s", d->root,
		                      archive_error_string(d->disk));
	return 0;
}

void swim_payload_disk_dispose(swim_payload_disk *d)
{
	if (d->disk)
		archive_write_free(d->disk);
	d->disk = NULL;
	swim_buf_dispose(&d->path);
	swim_buf_dispose(&d->link);
}
