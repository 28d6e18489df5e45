#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/ar.h"
#include "swim/error.h"
#include "util/str.h"

/* GNU ar: 16-byte name field, '/' terminated. */
#define AR_NAME_MAX 15
/* The size field holds ten decimal digits. */
#define AR_SIZE_MAX 9999999999ULL
#define AR_COPY_BLOCK ((size_t)1 << 20)

struct swim_ar_writer {
	struct archive *a;
	int fd;
	char *name;
	int rc;                /* our error behind a libarchive failure */
	uint64_t left;         /* bytes the open member still needs */
	char *member;
};

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static la_ssize_t writer_cb(struct archive *a, void *ctx, const void *buf,
                            size_t len)
{
	swim_ar_writer *w = ctx;
	int err = write_all(w->fd, buf, len);

	if (err < 0) {
		w->rc = swim_error_set_errno(SWIM_EIO, -err, "writing %s",
		                             w->name);
		archive_set_error(a, -err, "write failed");
		return -1;
	}
	return (la_ssize_t)len;
}

static int writer_fail(swim_ar_writer *w, const char *what)
{
	if (w->rc)
		return w->rc;
	return swim_error_set(SWIM_ERROR, "writing %s: %s: %s", w->name, what,
	                      archive_error_string(w->a));
}

int swim_ar_writer_new(swim_ar_writer **out, int fd, const char *name)
{
	swim_ar_writer *w = calloc(1, sizeof(*w));
	int rc = 0;

	*out = NULL;
	if (!w)
		return swim_error_oom();
	w->fd = fd;
	if (!(w->name = swim_strdup(name)) || !(w->a = archive_write_new())) {
		rc = swim_error_oom();
		goto out;
	}
	if (archive_write_set_format_ar_svr4(w->a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(w->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->a, 0) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, writer_cb, NULL, NULL) !=
	            ARCHIVE_OK) {
		rc = writer_fail(w, "opening");
		goto out;
	}
	*out = w;
	w = NULL;
out:
	swim_ar_writer_free(w);
	return rc;
}

int swim_ar_writer_begin(swim_ar_writer *w, const char *member,
                         uint64_t size)
{
	struct archive_entry *e = NULL;
	int rc = 0;

	if (w->left)
		return swim_error_set(SWIM_EINVAL, "%s: member '%s' is short "
		                      "of %llu bytes", w->name, w->member,
		                      (unsigned long long)w->left);
	if (!*member || strlen(member) > AR_NAME_MAX || strchr(member, '/'))
		return swim_error_set(SWIM_EINVAL, "%s: '%s' cannot be an ar "
		                      "member name (1 to %d bytes, no '/')",
		                      w->name, member, AR_NAME_MAX);
	if (size > AR_SIZE_MAX)
		return swim_error_set(SWIM_ELIMIT, "%s: member '%s' is larger "
		                      "than ar can hold (%llu bytes)", w->name,
		                      member, AR_SIZE_MAX);
	if ((rc = swim_str_set(&w->member, member)) < 0)
		return rc;
	if (!(e = archive_entry_new()))
		return swim_error_oom();
	archive_entry_set_pathname(e, member);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (archive_write_header(w->a, e) != ARCHIVE_OK)
		rc = writer_fail(w, member);
	else
		w->left = size;
	archive_entry_free(e);
	return rc;
}

int swim_ar_writer_write(swim_ar_writer *w, const void *data, size_t len)
{
	if (len > w->left)
		return swim_error_set(SWIM_EINVAL, "%s: member '%s' got more "
		                      "bytes than its size", w->name, w->member);
	if (len && archive_write_data(w->a, data, len) != (la_ssize_t)len)
		return writer_fail(w, w->member);
	w->left -= len;
	return 0;
}

int swim_ar_writer_add(swim_ar_writer *w, const char *member,
                       const void *data, size_t len)
{
	int rc = swim_ar_writer_begin(w, member, len);

	if (rc == 0)
		rc = swim_ar_writer_write(w, data, len);
	return rc;
}

int swim_ar_writer_add_fd(swim_ar_writer *w, const char *member, int fd,
                          uint64_t size)
{
	char *buf = NULL;
	uint64_t off = 0;
	int rc;

	if ((rc = swim_ar_writer_begin(w, member, size)) < 0)
		return rc;
	if (!(buf = malloc(AR_COPY_BLOCK)))
		return swim_error_oom();
	while (off < size) {
		size_t want = size - off < AR_COPY_BLOCK ? (size_t)(size - off)
		                                         : AR_COPY_BLOCK;
		ssize_t n = pread(fd, buf, want, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? swim_error_set_errno(SWIM_EIO, errno,
			                                  "reading member '%s'",
			                                  member)
			           : swim_error_set(SWIM_EIO, "member '%s' "
			                            "shrank while copying", member);
			goto out;
		}
		if ((rc = swim_ar_writer_write(w, buf, (size_t)n)) < 0)
			goto out;
		off += (uint64_t)n;
	}
out:
	free(buf);
	return rc;
}

int swim_ar_writer_finish(swim_ar_writer *w)
{
	if (w->left)
		return swim_error_set(SWIM_EINVAL, "%s: member '%s' is short "
		                      "of %llu bytes", w->name, w->member,
		                      (unsigned long long)w->left);
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return writer_fail(w, "closing");
	return 0;
}

void swim_ar_writer_free(swim_ar_writer *w)
{
	if (!w)
		return;
	if (w->a)
		archive_write_free(w->a);
	free(w->name);
	free(w->member);
	free(w);
}

struct swim_ar_reader {
	struct archive *a;
	uint64_t max_members;
	char **members;        /* names seen, for duplicates */
	size_t n_members;
	bool in_member;
};

static int reader_fail(swim_ar_reader *r, const char *member)
{
	swim_buf esc = SWIM_BUF_INIT(0);
	const char *msg = archive_error_string(r->a);
	int rc;

	if (member && swim_str_escape(&esc, member, strlen(member)) < 0)
		return SWIM_ENOMEM;
	if (msg && (strstr(msg, "runcated") || strstr(msg, "premature")))
		rc = swim_error_set(SWIM_EINVAL, "%s%s%struncated archive "
		                    "(%s)", member ? "member '" : "",
		                    member ? esc.ptr : "", member ? "': " : "",
		                    msg);
	else
		rc = swim_error_set(SWIM_EINVAL, "%s%s%snot a valid ar "
		                    "archive: %s",
		                    member ? "member '" : "", member ? esc.ptr : "",
		                    member ? "': " : "", msg ? msg : "unknown error");
	swim_buf_dispose(&esc);
	return rc;
}

static int reader_new(swim_ar_reader **out, const swim_limits *lim)
{
	swim_ar_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return swim_error_oom();
	if (!lim)
		lim = swim_limits_default();
	r->max_members = lim->archive_max_members;
	if (!(r->a = archive_read_new())) {
		swim_ar_reader_free(r);
		return swim_error_oom();
	}
	if (archive_read_support_format_ar(r->a) != ARCHIVE_OK) {
		swim_ar_reader_free(r);
		return swim_error_set(SWIM_ERROR, "libarchive has no ar support");
	}
	*out = r;
	return 0;
}

/* From fd when data is NULL, else from memory. */
static int reader_open(swim_ar_reader **out, int fd, const void *data,
                       size_t len, const swim_limits *lim)
{
	swim_ar_reader *r;
	int rc, arc;

	*out = NULL;
	if ((rc = reader_new(&r, lim)) < 0)
		return rc;
	arc = data ? archive_read_open_memory(r->a, data, len)
	           : archive_read_open_fd(r->a, fd, AR_COPY_BLOCK);
	if (arc != ARCHIVE_OK) {
		rc = reader_fail(r, NULL);
		swim_ar_reader_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int swim_ar_reader_open_fd(swim_ar_reader **out, int fd,
                           const swim_limits *lim)
{
	return reader_open(out, fd, NULL, 0, lim);
}

int swim_ar_reader_open_memory(swim_ar_reader **out, const void *data,
                               size_t len, const swim_limits *lim)
{
	/* Any non-NULL pointer: libarchive reads nothing from it when len
	 * is 0. */
	return reader_open(out, -1, data ? data : "", len, lim);
}

int swim_ar_reader_next(swim_ar_reader *r, const char **name,
                        uint64_t *size)
{
	struct archive_entry *e;
	const char *n;
	char **grown;
	int arc;

	r->in_member = false;
	arc = archive_read_next_header(r->a, &e);
	if (arc == ARCHIVE_EOF)
		return 0;
	if (arc != ARCHIVE_OK && arc != ARCHIVE_WARN)
		return reader_fail(r, NULL);
	n = archive_entry_pathname(e);
	if (!n || !*n)
		return swim_error_set(SWIM_EINVAL, "ar member without a name");
	if (r->n_members >= r->max_members)
		return swim_error_set(SWIM_ELIMIT, "more than "
		                      "archive_max_members (%llu) members",
		                      (unsigned long long)r->max_members);
	for (size_t i = 0; i < r->n_members; i++)
		if (strcmp(r->members[i], n) == 0) {
			swim_buf esc = SWIM_BUF_INIT(0);
			int rc = swim_str_escape(&esc, n, strlen(n));

			if (rc == 0)
				rc = swim_error_set(SWIM_EINVAL, "member '%s': "
				                    "duplicate member", esc.ptr);
			swim_buf_dispose(&esc);
			return rc;
		}
	grown = realloc(r->members, (r->n_members + 1) * sizeof(*grown));
	if (!grown)
		return swim_error_oom();
	r->members = grown;
	if (!(r->members[r->n_members] = swim_strdup(n)))
		return SWIM_ENOMEM;
	r->n_members++;
	r->in_member = true;
	*name = r->members[r->n_members - 1];
	*size = archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e)
	                                     : 0;
	return 1;
}

int swim_ar_reader_read(swim_ar_reader *r, const void **data, size_t *len)
{
	la_int64_t off;
	int arc;

	*data = NULL;
	*len = 0;
	if (!r->in_member)
		return 0;
	arc = archive_read_data_block(r->a, data, len, &off);
	if (arc == ARCHIVE_EOF) {
		*len = 0;
		r->in_member = false;
		return 0;
	}
	if (arc != ARCHIVE_OK && arc != ARCHIVE_WARN)
		return reader_fail(r, r->members[r->n_members - 1]);
	return 0;
}

int swim_ar_reader_read_all(swim_ar_reader *r, swim_buf *buf)
{
	for (;;) {
		const void *p;
		size_t n;
		int rc;

		if ((rc = swim_ar_reader_read(r, &p, &n)) < 0)
			return rc;
		if (n == 0)
			return 0;
		if ((rc = swim_buf_put(buf, p, n)) < 0)
			return rc;
	}
}

void swim_ar_reader_free(swim_ar_reader *r)
{
	if (!r)
		return;
	if (r->a)
		archive_read_free(r->a);
	for (size_t i = 0; i < r->n_members; i++)
		free(r->members[i]);
	free(r->members);
	free(r);
}
