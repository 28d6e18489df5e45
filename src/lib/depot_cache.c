/* The metadata cache: one directory per depot location under
 * CACHE_DIR/depots/, holding the documents last downloaded with their
 * validators (ETag, Last-Modified) and sha-256, and the snapshot of the
 * parsed metadata. Everything here is an optimisation: a cache that
 * cannot be created or written leaves the depot working uncached, and a
 * cached file that does not match its recorded sha-256 is discarded and
 * fetched again. docs/depot.md describes the layout. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/depot_private.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define STATE_MAGIC "swim-depot-cache 1"
#define STATE_MAX_BYTES ((size_t)1 << 20)

struct entry {
	char *path;               /* depot-relative */
	char file[20];            /* f-<16 hex> */
	char sha256[SWIM_DIGEST_HEX_MAX];
	uint64_t size;
	char *etag;
	char *last_modified;
};

struct swim_depot_cache {
	char *dir;
	uint64_t max;             /* largest snapshot: depot_max_metadata_bytes */
	struct entry *e;
	size_t n;
	bool dirty;
};

static void entry_dispose(struct entry *e)
{
	free(e->path);
	free(e->etag);
	free(e->last_modified);
	memset(e, 0, sizeof(*e));
}

static void entries_clear(swim_depot_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_dispose(&c->e[i]);
	free(c->e);
	c->e = NULL;
	c->n = 0;
}

void swim_depot_cache_free(swim_depot_cache *c)
{
	if (!c)
		return;
	entries_clear(c);
	free(c->dir);
	free(c);
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

static int file_path(swim_buf *b, const swim_depot_cache *c, const char *name)
{
	swim_buf_clear(b);
	return swim_buf_printf(b, "%s/%s", c->dir, name);
}

/* One state line: FILE SHA SIZE ETAG LAST-MODIFIED PATH, tab-separated.
 * false for anything malformed. */
static bool parse_line(struct entry *e, char *line)
{
	char *f[6];
	size_t n = 0;

	for (char *p = line; n < 6; n++) {
		f[n] = p;
		if (n == 5)
			break;
		if (!(p = strchr(p, '\t')))
			return false;
		*p++ = '\0';
	}
	if (n != 5 || strncmp(f[0], "f-", 2) != 0 || strlen(f[0]) != 18 ||
	    !is_hex(f[0] + 2, 16) || strlen(f[1]) != 64 || !is_hex(f[1], 64) ||
	    swim_str_to_u64(&e->size, f[2], UINT64_MAX, "size") < 0 || !*f[5])
		return false;
	memcpy(e->file, f[0], 19);
	memcpy(e->sha256, f[1], 65);
	e->etag = *f[3] ? swim_strdup(f[3]) : NULL;
	e->last_modified = *f[4] ? swim_strdup(f[4]) : NULL;
	e->path = swim_strdup(f[5]);
	return e->path && (!*f[3] || e->etag) && (!*f[4] || e->last_modified);
}

/* Reads the state; a damaged one counts as empty. */
static void load_state(swim_depot_cache *c)
{
	swim_buf b = SWIM_BUF_INIT(STATE_MAX_BYTES), path = SWIM_BUF_INIT(0);
	char *p, *nl;
	bool ok = false;

	if (file_path(&path, c, "state") < 0)
		goto out;
	if (swim_fs_read_file(&b, path.ptr) < 0) {
		/* None yet is an empty cache, not a damaged one. */
		ok = swim_error_last_code() == SWIM_ENOTFOUND;
		goto out;
	}
	if (strncmp(b.ptr, STATE_MAGIC "\n", sizeof(STATE_MAGIC)) != 0 ||
	    strlen(b.ptr) != b.len)
		goto out;
	for (p = b.ptr + sizeof(STATE_MAGIC); *p; p = nl + 1) {
		struct entry *e;

		if (!(nl = strchr(p, '\n')))
			goto out;
		*nl = '\0';
		if (!(e = realloc(c->e, (c->n + 1) * sizeof(*e))))
			goto out;
		c->e = e;
		e = &c->e[c->n++];
		memset(e, 0, sizeof(*e));
		if (!parse_line(e, p))
			goto out;
	}
	ok = true;
out:
	if (!ok) {
		entries_clear(c);
		c->dirty = true;
	}
	swim_error_clear();
	swim_buf_dispose(&b);
	swim_buf_dispose(&path);
}

void swim_depot_cache_open(swim_depot_cache **out, const swim_depot *d)
{
	swim_depot_cache *c = NULL;
	swim_buf b = SWIM_BUF_INIT(0), src = SWIM_BUF_INIT(0);
	char key[SWIM_DIGEST_HEX_MAX];
	struct stat st;

	*out = NULL;
	if (!d->cache_dir || !(c = calloc(1, sizeof(*c))))
		goto out;
	if (swim_digest_sha256(key, d->display, strlen(d->display)) < 0 ||
	    swim_buf_printf(&b, "%s/depots/%.32s", d->cache_dir, key) < 0 ||
	    swim_fs_mkdir_p(b.ptr, 0755) < 0 || !(c->dir = swim_buf_detach(&b)))
		goto out;
	/* Which location this is, for people looking at the cache. */
	if (file_path(&src, c, "source") < 0 ||
	    (stat(src.ptr, &st) < 0 &&
	     swim_fs_write_atomic(src.ptr, d->display, strlen(d->display),
	                          0644) < 0))
		goto out;
	if (access(c->dir, W_OK) < 0)
		goto out;
	c->max = d->lim.depot_max_metadata_bytes;
	load_state(c);
	*out = c;
	c = NULL;
out:
	swim_error_clear();
	swim_depot_cache_free(c);
	swim_buf_dispose(&b);
	swim_buf_dispose(&src);
}

static struct entry *find(swim_depot_cache *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].path, path) == 0)
			return &c->e[i];
	return NULL;
}

static void forget(swim_depot_cache *c, const char *path)
{
	struct entry *e = find(c, path);

	if (!e)
		return;
	entry_dispose(e);
	*e = c->e[--c->n];
	c->dirty = true;
}

/* Validators worth keeping: one line of text without tabs. */
static char *validator_copy(const char *v)
{
	if (!v || !*v || strpbrk(v, "\t\r\n"))
		return NULL;
	return swim_strdup(v);
}

/* Keeps a downloaded document and its validators; best effort. */
static void remember(swim_depot_cache *c, const swim_depot_doc *doc,
                     const swim_fetch_result *res)
{
	swim_buf path = SWIM_BUF_INIT(0);
	char name_sum[SWIM_DIGEST_HEX_MAX];
	struct entry e = { 0 }, *slot;

	forget(c, doc->path);
	if (swim_digest_sha256(name_sum, doc->path, strlen(doc->path)) < 0)
		goto out;
	(void)snprintf(e.file, sizeof(e.file), "f-%.16s", name_sum);
	memcpy(e.sha256, doc->sha256, sizeof(e.sha256));
	e.size = doc->data.len;
	e.etag = validator_copy(res->etag);
	e.last_modified = validator_copy(res->last_modified);
	if (!(e.path = swim_strdup(doc->path)) || strpbrk(e.path, "\t\n") ||
	    file_path(&path, c, e.file) < 0 ||
	    swim_fs_write_atomic(path.ptr, doc->data.ptr, doc->data.len, 0644) < 0)
		goto out;
	if (!(slot = realloc(c->e, (c->n + 1) * sizeof(*slot))))
		goto out;
	c->e = slot;
	c->e[c->n++] = e;
	memset(&e, 0, sizeof(e));
	c->dirty = true;
out:
	swim_error_clear();
	entry_dispose(&e);
	swim_buf_dispose(&path);
}

/* Reads the cached copy of e, checked against its sha-256. */
static int read_cached(swim_depot_cache *c, const struct entry *e,
                       swim_buf *data)
{
	swim_buf path = SWIM_BUF_INIT(0);
	char sum[SWIM_DIGEST_HEX_MAX];
	size_t start = data->len;
	int rc;

	if ((rc = file_path(&path, c, e->file)) < 0 ||
	    (rc = swim_fs_read_file(data, path.ptr)) < 0)
		goto out;
	if (data->len - start != e->size ||
	    (rc = swim_digest_sha256(sum, data->ptr + start,
	                             data->len - start)) < 0 ||
	    strcmp(sum, e->sha256) != 0)
		rc = swim_error_set(SWIM_ECHECKSUM, "cached copy is damaged");
out:
	if (rc < 0)
		swim_buf_truncate(data, start);
	swim_buf_dispose(&path);
	return rc;
}

static int download(swim_depot_cache *c, swim_depot_doc *doc,
                    const swim_depot *d, const struct entry *e, uint64_t max)
{
	swim_fetch_result res = { 0 };
	swim_fetch_opts fo = d->fetch;
	swim_buf url = SWIM_BUF_INIT(0);
	int rc;

	fo.max_bytes = max;
	swim_buf_clear(&doc->data);
	if ((rc = swim_depot_source(&url, d, doc->path)) < 0 ||
	    (rc = swim_fetch_buf(&res, &doc->data, url.ptr,
	                         e ? e->etag : NULL,
	                         e ? e->last_modified : NULL, &fo)) < 0)
		goto out;
	if (res.not_modified) {
		memcpy(doc->sha256, e->sha256, sizeof(doc->sha256));
		doc->loaded = false;
		goto out;
	}
	if ((rc = swim_digest_sha256(doc->sha256, doc->data.ptr,
	                             doc->data.len)) < 0)
		goto out;
	doc->loaded = true;
	remember(c, doc, &res);
out:
	swim_fetch_result_dispose(&res);
	swim_buf_dispose(&url);
	return rc;
}

int swim_depot_cache_fetch(swim_depot_cache *c, swim_depot_doc *doc,
                           const swim_depot *d, bool want_data,
                           uint64_t max)
{
	struct entry *e = find(c, doc->path);
	int rc;

	/* Validators are only worth sending for a copy that is there. */
	if (e && !e->etag && !e->last_modified)
		e = NULL;
	if ((rc = download(c, doc, d, e, max)) < 0 || doc->loaded ||
	    !want_data)
		return rc;
	return swim_depot_cache_load(c, doc, d, max);
}

int swim_depot_cache_load(swim_depot_cache *c, swim_depot_doc *doc,
                          const swim_depot *d, uint64_t max)
{
	struct entry *e = find(c, doc->path);

	swim_buf_clear(&doc->data);
	if (e && read_cached(c, e, &doc->data) == 0) {
		doc->loaded = true;
		return 0;
	}
	/* Gone or damaged: fetch it whole again. */
	swim_error_clear();
	forget(c, doc->path);
	return download(c, doc, d, NULL, max);
}

void swim_depot_cache_save(swim_depot_cache *c)
{
	swim_buf text = SWIM_BUF_INIT(0), path = SWIM_BUF_INIT(0);
	int rc;

	if (!c || !c->dirty)
		return;
	rc = swim_buf_puts(&text, STATE_MAGIC "\n");
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		const struct entry *e = &c->e[i];

		rc = swim_buf_printf(&text, "%s\t%s\t%llu\t%s\t%s\t%s\n",
		                     e->file, e->sha256,
		                     (unsigned long long)e->size,
		                     e->etag ? e->etag : "",
		                     e->last_modified ? e->last_modified : "",
		                     e->path);
	}
	if (rc == 0 && file_path(&path, c, "state") == 0 &&
	    swim_fs_write_atomic(path.ptr, text.ptr, text.len, 0644) == 0)
		c->dirty = false;
	swim_error_clear();
	swim_buf_dispose(&text);
	swim_buf_dispose(&path);
}

/* The whole file in one read of the size fstat gives (a snapshot is
 * tens of megabytes: no growing buffer). */
static int read_whole(char **out, size_t *len, const char *path,
                      uint64_t max)
{
	struct stat st;
	char *p = NULL;
	size_t got = 0;
	int fd, rc = 0;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                            : SWIM_EIO, errno, "%s", path);
	if (fstat(fd, &st) < 0 || st.st_size < 0 || (uint64_t)st.st_size > max) {
		rc = swim_error_set(SWIM_ELIMIT, "%s: unreadable or too large", path);
		goto out;
	}
	if (!(p = malloc((size_t)st.st_size + 1))) {
		rc = swim_error_oom();
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = swim_error_set(SWIM_EIO, "%s: short read", path);
			goto out;
		}
		got += (size_t)n;
	}
	p[got] = '\0';
	*out = p;
	*len = got;
	p = NULL;
out:
	free(p);
	(void)close(fd);
	return rc;
}

int swim_depot_cache_snapshot_load(swim_depot_content *content,
                                   swim_depot_cache *c, const char *key)
{
	swim_buf path = SWIM_BUF_INIT(0);
	char *bytes = NULL;
	size_t len = 0;
	int rc;

	if ((rc = file_path(&path, c, "snapshot")) < 0 ||
	    (rc = read_whole(&bytes, &len, path.ptr, c->max)) < 0)
		goto out;
	rc = swim_depot_snapshot_read(content, bytes, len, key);
	if (rc == SWIM_EINVAL)
		(void)unlink(path.ptr);  /* damaged: never trust it again */
out:
	swim_buf_dispose(&path);
	return rc;
}

void swim_depot_cache_snapshot_save(swim_depot_cache *c, const char *key,
                                    const swim_depot_content *content)
{
	swim_buf data = SWIM_BUF_INIT(c->max), path = SWIM_BUF_INIT(0);

	/* One larger than the limit is not kept: the depot works uncached. */
	if (swim_depot_snapshot_write(&data, key, content) == 0 &&
	    file_path(&path, c, "snapshot") == 0)
		(void)swim_fs_write_atomic(path.ptr, data.ptr, data.len, 0644);
	swim_error_clear();
	swim_buf_dispose(&data);
	swim_buf_dispose(&path);
}
