/* Zip reading and writing with libarchive. Reading counts members and
 * bounds names; writing fixes everything that would otherwise vary
 * between runs (times, owners, modes, extra fields). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/zip.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define COPY_BLOCK ((size_t)64 << 10)

struct swim_zip {
	struct archive *a;
	const swim_limits *lim;
	char *what;
	uint64_t members;
	swim_buf name;        /* the current member's name */
};

struct swim_zip_writer {
	struct archive *a;
	swim_buf *buf;        /* memory sink, or NULL */
	int fd;               /* file sink */
	int rc;               /* our error behind a libarchive failure */
	int64_t mtime;
	bool closed;
};

static int zip_error(const swim_zip *z, const char *doing)
{
	const char *msg = archive_error_string(z->a);

	return swim_error_set(SWIM_EINVAL, "%s: %s: %s", z->what, doing,
	                      msg ? msg : "not a valid zip archive");
}

static int zip_new(swim_zip **out, const char *what, const swim_limits *lim)
{
	swim_zip *z = calloc(1, sizeof(*z));

	*out = NULL;
	if (!z)
		return swim_error_oom();
	swim_buf_init(&z->name, 0);
	z->lim = lim ? lim : swim_limits_default();
	if (!(z->what = swim_strdup(what)) || !(z->a = archive_read_new())) {
		swim_zip_free(z);
		return swim_error_oom();
	}
	if (archive_read_support_format_zip(z->a) != ARCHIVE_OK) {
		swim_zip_free(z);
		return swim_error_set(SWIM_ERROR, "libarchive without zip support");
	}
	*out = z;
	return 0;
}

int swim_zip_open_memory(swim_zip **out, const void *data, size_t len,
                         const char *what, const swim_limits *lim)
{
	swim_zip *z = NULL;
	int rc;

	if ((rc = zip_new(&z, what, lim)) < 0)
		return rc;
	if (archive_read_open_memory(z->a, data, len) != ARCHIVE_OK) {
		rc = zip_error(z, "not a valid zip archive");
		swim_zip_free(z);
		return rc;
	}
	*out = z;
	return 0;
}

int swim_zip_open_file(swim_zip **out, const char *path, const char *what,
                       const swim_limits *lim)
{
	swim_zip *z = NULL;
	int rc;

	if ((rc = zip_new(&z, what, lim)) < 0)
		return rc;
	if (archive_read_open_filename(z->a, path, COPY_BLOCK) != ARCHIVE_OK) {
		int e = archive_errno(z->a);

		rc = e == ENOENT
			? swim_error_set(SWIM_ENOTFOUND, "%s: no such file", what)
			: zip_error(z, "not a valid zip archive");
		swim_zip_free(z);
		return rc;
	}
	*out = z;
	return 0;
}

const char *swim_zip_what(const swim_zip *z)
{
	return z->what;
}

int swim_zip_next(swim_zip *z, const char **name, uint64_t *size)
{
	struct archive_entry *e;
	const char *n;
	int r;

	for (;;) {
		r = archive_read_next_header(z->a, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return zip_error(z, "reading the member list");
		if (++z->members > z->lim->depot_max_entries)
			return swim_error_set(SWIM_ELIMIT,
			                      "%s: more than depot_max_entries (%llu) members",
			                      z->what,
			                      (unsigned long long)z->lim->depot_max_entries);
		if (archive_entry_filetype(e) == AE_IFDIR)
			continue;
		/* The name as stored; the UTF-8 accessor converts through
		 * wide characters every time. */
		n = archive_entry_pathname(e);
		if (!n)
			n = archive_entry_pathname_utf8(e);
		if (!n || !*n)
			return swim_error_set(SWIM_EINVAL,
			                      "%s: a member has no readable name",
			                      z->what);
		if (strlen(n) > z->lim->archive_path_max_bytes)
			return swim_error_set(SWIM_ELIMIT,
			                      "%s: a member name is longer than archive_path_max_bytes (%llu)",
			                      z->what,
			                      (unsigned long long)z->lim->archive_path_max_bytes);
		swim_buf_clear(&z->name);
		if (swim_buf_puts(&z->name, n) < 0)
			return SWIM_ENOMEM;
		*name = z->name.ptr;
		*size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
			? (uint64_t)archive_entry_size(e) : 0;
		return 1;
	}
}

/* Puts "ZIP: NAME: " (the name escaped) before the current message. */
static int member_prefix(swim_zip *z)
{
	swim_buf label = SWIM_BUF_INIT(0);
	int rc;

	if (swim_str_escape(&label, z->name.ptr, z->name.len) < 0)
		rc = swim_error_prefix("%s: ", z->what);
	else
		rc = swim_error_prefix("%s: %s: ", z->what, label.ptr);
	swim_buf_dispose(&label);
	return rc;
}

static int member_error(swim_zip *z, int code, const char *detail)
{
	(void)swim_error_set(code, "%s", detail);
	return member_prefix(z);
}

/* Passes the current member's blocks to sink; its failure, or a bad
 * block, ends the member with a message naming it. */
typedef int (*block_fn)(void *ctx, const void *block, size_t len);

static int each_block(swim_zip *z, block_fn sink, void *ctx)
{
	for (;;) {
		const void *block;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(z->a, &block, &len, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return member_error(z, SWIM_EINVAL,
			                    archive_error_string(z->a)
			                    ? archive_error_string(z->a)
			                    : "cannot be read");
		if (sink(ctx, block, len) < 0)
			return member_prefix(z);
	}
}

static int to_buf(void *ctx, const void *block, size_t len)
{
	return swim_buf_put(ctx, block, len);
}

struct to_fd {
	int fd;
	uint64_t left;
	const char *name;
};

static int to_fd(void *ctx, const void *block, size_t len)
{
	struct to_fd *t = ctx;

	if (len > t->left)
		return swim_error_set(SWIM_ELIMIT,
		                      "larger than the size it should have");
	t->left -= len;
	return swim_fs_write_all(t->fd, block, len, t->name);
}

int swim_zip_read(swim_zip *z, swim_buf *buf)
{
	return each_block(z, to_buf, buf);
}

int swim_zip_copy(swim_zip *z, int fd, uint64_t max, const char *name)
{
	struct to_fd t = { fd, max, name };

	return each_block(z, to_fd, &t);
}

void swim_zip_free(swim_zip *z)
{
	if (!z)
		return;
	if (z->a)
		archive_read_free(z->a);
	swim_buf_dispose(&z->name);
	free(z->what);
	free(z);
}

/* ---- writing ------------------------------------------------------ */

static la_ssize_t write_cb(struct archive *a, void *ctx, const void *data,
                           size_t len)
{
	swim_zip_writer *w = ctx;
	int rc = w->buf ? swim_buf_put(w->buf, data, len)
	                : swim_fs_write_all(w->fd, data, len, "the zip");

	if (rc < 0) {
		w->rc = rc;
		archive_set_error(a, EIO, "write failed");
		return -1;
	}
	return (la_ssize_t)len;
}

static int writer_fail(swim_zip_writer *w, const char *what)
{
	if (w->rc)
		return w->rc;
	w->rc = swim_error_set(SWIM_ERROR, "writing zip: %s: %s", what,
	                       archive_error_string(w->a)
	                       ? archive_error_string(w->a) : "failed");
	return w->rc;
}

static int writer_new(swim_zip_writer **out, swim_buf *buf, int fd,
                      int64_t mtime)
{
	swim_zip_writer *w = calloc(1, sizeof(*w));
	int rc;

	*out = NULL;
	if (!w)
		return swim_error_oom();
	w->buf = buf;
	w->fd = fd;
	w->mtime = mtime;
	if (!(w->a = archive_write_new())) {
		free(w);
		return swim_error_oom();
	}
	/* No extended timestamp or owner fields beyond what libarchive
	 * always writes; no padding of the last block. */
	if (archive_write_set_format_zip(w->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->a, 0) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, write_cb, NULL, NULL) != ARCHIVE_OK) {
		rc = writer_fail(w, "opening");
		swim_zip_writer_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int swim_zip_writer_new_buf(swim_zip_writer **out, swim_buf *buf,
                            int64_t mtime)
{
	return writer_new(out, buf, -1, mtime);
}

int swim_zip_writer_new_fd(swim_zip_writer **out, int fd, int64_t mtime)
{
	return writer_new(out, NULL, fd, mtime);
}

static int write_header(swim_zip_writer *w, const char *name, uint64_t size,
                        bool deflate)
{
	struct archive_entry *e = archive_entry_new();
	int rc = 0;

	if (!e)
		return swim_error_oom();
	if ((deflate ? archive_write_zip_set_compression_deflate(w->a)
	             : archive_write_zip_set_compression_store(w->a)) != ARCHIVE_OK) {
		rc = writer_fail(w, name);
		goto out;
	}
	archive_entry_set_pathname_utf8(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, (time_t)w->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (archive_write_header(w->a, e) != ARCHIVE_OK)
		rc = writer_fail(w, name);
out:
	archive_entry_free(e);
	return rc;
}

int swim_zip_add(swim_zip_writer *w, const char *name, const void *data,
                 size_t len, bool deflate)
{
	int rc;

	if (w->rc)
		return w->rc;
	if ((rc = write_header(w, name, len, deflate)) < 0)
		return rc;
	if (len && archive_write_data(w->a, data, len) != (la_ssize_t)len)
		return writer_fail(w, name);
	if (archive_write_finish_entry(w->a) != ARCHIVE_OK)
		return writer_fail(w, name);
	return 0;
}

int swim_zip_add_file(swim_zip_writer *w, const char *name,
                      const char *path, bool deflate)
{
	char *block = NULL;
	struct stat st;
	uint64_t left;
	int fd = -1, rc;

	if (w->rc)
		return w->rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0 ||
	    fstat(fd, &st) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "%s", path);
		goto out;
	}
	if (!(block = malloc(COPY_BLOCK))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = write_header(w, name, (uint64_t)st.st_size, deflate)) < 0)
		goto out;
	for (left = (uint64_t)st.st_size; left > 0;) {
		ssize_t n = read(fd, block, left < COPY_BLOCK ? left : COPY_BLOCK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? swim_error_set_errno(SWIM_EIO, errno,
			                                  "reading %s", path)
			           : swim_error_set(SWIM_EIO,
			                            "%s: shrank while being read", path);
			goto out;
		}
		if (archive_write_data(w->a, block, (size_t)n) != n) {
			rc = writer_fail(w, name);
			goto out;
		}
		left -= (uint64_t)n;
	}
	rc = archive_write_finish_entry(w->a) == ARCHIVE_OK
		? 0 : writer_fail(w, name);
out:
	free(block);
	if (fd >= 0)
		(void)close(fd);
	return rc;
}

int swim_zip_writer_close(swim_zip_writer *w)
{
	if (w->rc)
		return w->rc;
	w->closed = true;
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return writer_fail(w, "closing");
	return 0;
}

void swim_zip_writer_free(swim_zip_writer *w)
{
	if (!w)
		return;
	if (w->a)
		archive_write_free(w->a);
	free(w);
}
