/* Opening a depot: where it is (URL, directory, bundle), following
 * index.xml → vendor-index.xml → metadata.zip, and taking the metadata
 * from the cache's snapshot when nothing changed. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lib/depot_private.h"
#include "lib/depot_xml.h"
#include "lib/zip.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define DEFAULT_CACHE "/var/cache/swim"

int swim_depot_opts_init(swim_depot_opts *opts, const swim_conf *conf,
                         const char *root, const swim_limits *lim)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char **const slots[] = { &opts->cache_dir, &opts->ca_file,
	                         &opts->netrc_file };
	static const char *const keys[] = { "cache_dir", "ca_file", "netrc_file" };
	static const char *const defs[] = { DEFAULT_CACHE, NULL, NULL };
	int rc = 0;

	memset(opts, 0, sizeof(*opts));
	opts->lim = lim;
	opts->fetch.http_proxy = swim_conf_get(conf, "http_proxy");
	opts->fetch.https_proxy = swim_conf_get(conf, "https_proxy");
	opts->fetch.no_proxy = swim_conf_get(conf, "no_proxy");
	for (size_t i = 0; rc == 0 && i < SWIM_ARRAY_SIZE(keys); i++) {
		if ((rc = swim_conf_path(&b, conf, root, keys[i], defs[i])) < 0 ||
		    b.len == 0)
			continue;
		if (!(*slots[i] = swim_buf_detach(&b)))
			rc = SWIM_ENOMEM;
	}
	opts->fetch.ca_file = opts->ca_file;
	opts->fetch.netrc_file = opts->netrc_file;
	swim_buf_dispose(&b);
	if (rc < 0)
		swim_depot_opts_dispose(opts);
	return rc;
}

void swim_depot_opts_dispose(swim_depot_opts *opts)
{
	if (!opts)
		return;
	free(opts->cache_dir);
	free(opts->ca_file);
	free(opts->netrc_file);
	opts->cache_dir = opts->ca_file = opts->netrc_file = NULL;
	opts->fetch.ca_file = opts->fetch.netrc_file = NULL;
}

/* ---- depot-relative paths --------------------------------------------- */

static bool has_scheme(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

int swim_depot_resolve(swim_buf *out, const char *base, const char *ref,
                       const char *what)
{
	swim_buf path = SWIM_BUF_INIT(0);
	size_t start = out->len;
	const char *p;
	int rc = 0;

	if (!*ref)
		return swim_error_set(SWIM_EINVAL, "%s is empty", what);
	if (*ref == '/' || has_scheme(ref) || strpbrk(ref, "?#\\") ||
	    swim_str_has_ctrl(ref, strlen(ref), false))
		return swim_error_set(SWIM_EINVAL,
		                      "%s '%.200s' is not a path relative to the depot",
		                      what, ref);
	if ((rc = swim_buf_puts(&path, base)) < 0 ||
	    (rc = swim_buf_puts(&path, ref)) < 0)
		goto out;
	/* Walk the segments, keeping a normalised path in out. */
	for (p = path.ptr; *p;) {
		size_t len = strcspn(p, "/");

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* empty or "." */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (out->len == start) {
				rc = swim_error_set(SWIM_EINVAL,
				                    "%s '%.200s' leads out of the depot",
				                    what, ref);
				goto out;
			}
			out->ptr[out->len] = '\0';
			slash = strrchr(out->ptr + start, '/');
			swim_buf_truncate(out, slash ? (size_t)(slash - out->ptr)
			                             : start);
		} else {
			if ((out->len > start && (rc = swim_buf_putc(out, '/')) < 0) ||
			    (rc = swim_buf_put(out, p, len)) < 0)
				goto out;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	if (out->len == start) {
		rc = swim_error_set(SWIM_EINVAL, "%s '%.200s' names the depot itself",
		                    what, ref);
		goto out;
	}
	/* A reference to a directory keeps its trailing slash. */
	if (path.len && path.ptr[path.len - 1] == '/')
		rc = swim_buf_putc(out, '/');
out:
	if (rc < 0)
		swim_buf_truncate(out, start);
	swim_buf_dispose(&path);
	return rc;
}

int swim_depot_dirname(swim_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? swim_buf_put(out, path, (size_t)(slash - path) + 1) : 0;
}

/* Percent-encodes what may not stand in a URL path. */
static int url_encode_path(swim_buf *out, const char *path)
{
	static const char keep[] = "-._~/!$&'()*+,;=:@";
	int rc = 0;

	for (const unsigned char *p = (const unsigned char *)path; *p && rc == 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			rc = swim_buf_putc(out, (char)*p);
		else
			rc = swim_buf_printf(out, "%%%02X", *p);
	}
	return rc;
}

int swim_depot_source(swim_buf *out, const swim_depot *d, const char *path)
{
	int rc;

	switch (d->kind) {
	case SWIM_DEPOT_URL:
		if ((rc = swim_buf_puts(out, d->root)) < 0)
			return rc;
		return url_encode_path(out, path);
	case SWIM_DEPOT_DIR:
		return swim_buf_printf(out, "%s/%s", d->root, path);
	default:
		return swim_buf_puts(out, path);
	}
}

struct hash {
	swim_digest dg;
	uint64_t size;
};

static int hash_block(void *ctx, const void *block, size_t len)
{
	struct hash *h = ctx;

	h->size += len;
	return swim_digest_update(&h->dg, block, len);
}

int swim_depot_hash_file(char hex[SWIM_DIGEST_HEX_MAX], uint64_t *size,
                         const char *path)
{
	struct hash h = { { 0 }, 0 };
	int rc;

	*size = 0;
	if ((rc = swim_digest_init(&h.dg, "sha-256")) == 0 &&
	    (rc = swim_fs_each_block(path, hash_block, &h)) == 0 &&
	    (rc = swim_digest_final(&h.dg, hex)) == 0)
		*size = h.size;
	swim_digest_dispose(&h.dg);
	return rc;
}

static void stat_validator(char v[160], const struct stat *st)
{
	(void)snprintf(v, 160, "stat:%llu:%llu:%lld:%lld.%09ld:%lld.%09ld",
	               (unsigned long long)st->st_dev,
	               (unsigned long long)st->st_ino, (long long)st->st_size,
	               (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	               (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

/* An offline bundle read once from the front: members other than
 * packages are kept as they are passed (metadata comes first in bundles,
 * so asking for index.xml, vendor-index.xml and metadata.zip reads only
 * the head of the zip, whatever number of packages follows). */
struct bundle {
	swim_zip *z;
	bool end;
	struct bundle_member {
		char *name;
		swim_buf data;
	} *m;
	size_t n;
	uint64_t budget;        /* metadata bytes left to keep */
};

static void bundle_dispose(struct bundle *b)
{
	swim_zip_free(b->z);
	for (size_t i = 0; i < b->n; i++) {
		free(b->m[i].name);
		swim_buf_dispose(&b->m[i].data);
	}
	free(b->m);
	memset(b, 0, sizeof(*b));
}

static const struct bundle_member *bundle_find(const struct bundle *b,
                                               const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->m[i].name, name) == 0)
			return &b->m[i];
	return NULL;
}

/* Reads on until `name` has been kept (or the zip ends). */
static int bundle_read_to(struct bundle *b, const swim_depot *d,
                          const char *name)
{
	const char *m;
	uint64_t size;
	int rc;

	if (!b->z && !b->end) {
		b->budget = d->lim.depot_max_metadata_bytes;
		if ((rc = swim_zip_open_file(&b->z, d->root, d->root, &d->lim)) < 0)
			return rc;
	}
	while (!bundle_find(b, name) && !b->end) {
		struct bundle_member *k;

		if ((rc = swim_zip_next(b->z, &m, &size)) < 0)
			return rc;
		if (rc == 0) {
			b->end = true;
			break;
		}
		if (strncmp(m, "vib20/", 6) == 0)
			continue;  /* packages are fetched one by one */
		if (!(k = realloc(b->m, (b->n + 1) * sizeof(*k))))
			return swim_error_oom();
		b->m = k;
		k = &b->m[b->n];
		swim_buf_init(&k->data, b->budget);
		if (!(k->name = swim_strdup(m)))
			return SWIM_ENOMEM;
		b->n++;
		if ((rc = swim_zip_read(b->z, &k->data)) < 0)
			return rc == SWIM_ELIMIT
				? swim_error_prefix("metadata larger than depot_max_metadata_bytes: ")
				: rc;
		b->budget -= k->data.len;
	}
	return 0;
}

/* Reads member `name` of the bundle into buf. */
static int bundle_get(swim_buf *buf, struct bundle *b, const swim_depot *d,
                      const char *name)
{
	const struct bundle_member *k;
	int rc;

	if ((rc = bundle_read_to(b, d, name)) < 0)
		return rc;
	if (!(k = bundle_find(b, name)))
		return swim_error_set(SWIM_ENOTFOUND,
		                      "%s: there is no %s in the bundle", d->root,
		                      name);
	return swim_buf_put(buf, k->data.ptr, k->data.len);
}

/* Reads the document at depot-relative `path` into buf (at most max
 * bytes), with no cache; sets validator (stat data, or "" otherwise). */
static int read_doc(swim_buf *buf, char validator[160], const swim_depot *d,
                    struct bundle *bundle, const char *path, uint64_t max)
{
	swim_buf src = SWIM_BUF_INIT(0);
	struct stat st;
	size_t start = buf->len;
	size_t old_max = buf->max;
	int rc;

	validator[0] = '\0';
	buf->max = max > SIZE_MAX - start ? SIZE_MAX : start + (size_t)max;
	if ((rc = swim_depot_source(&src, d, path)) < 0)
		goto out;
	switch (d->kind) {
	case SWIM_DEPOT_URL:
		rc = swim_fetch_buf(NULL, buf, src.ptr, NULL, NULL, &d->fetch);
		break;
	case SWIM_DEPOT_DIR:
		if (stat(src.ptr, &st) == 0)
			stat_validator(validator, &st);
		rc = swim_fs_read_file(buf, src.ptr);
		break;
	default:
		rc = bundle_get(buf, bundle, d, path);
		break;
	}
out:
	buf->max = old_max;
	swim_buf_dispose(&src);
	return rc;
}

/* ---- where the depot is ------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* d->root and d->index for a local path (a directory, an .xml index or
 * a .zip bundle). */
static int locate_path(swim_depot *d, const char *path)
{
	char *real = NULL, *slash;
	struct stat st;
	int rc = 0;

	if (stat(path, &st) < 0)
		return swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                            : SWIM_EIO, errno, "%s", path);
	if (!(real = realpath(path, NULL)))
		return swim_error_set_errno(SWIM_EIO, errno, "%s", path);
	if (S_ISDIR(st.st_mode)) {
		d->kind = SWIM_DEPOT_DIR;
		d->root = real;
		d->index = swim_strdup("index.xml");
	} else if (ends_with(real, ".xml")) {
		d->kind = SWIM_DEPOT_DIR;
		slash = strrchr(real, '/');
		d->index = swim_strdup(slash + 1);
		*slash = '\0';
		d->root = *real ? real : (free(real), swim_strdup("/"));
	} else {
		d->kind = SWIM_DEPOT_ZIP;
		d->root = real;
		d->index = swim_strdup("index.xml");
	}
	if (!d->root || !d->index)
		rc = swim_error_oom();
	return rc;
}

/* file://[localhost]/path → path */
static int file_url_path(char **out, const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *path = NULL;
	int rc = 0;

	*out = NULL;
	if (!u)
		return swim_error_oom();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK) {
		rc = swim_error_set(SWIM_EINVAL, "not a valid file: URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host &&
	    strcmp(host, "localhost") != 0) {
		rc = swim_error_set(SWIM_ENOTSUPPORTED,
		                    "file: URLs must name a local file, not host '%s'",
		                    host);
		goto out;
	}
	if (!(*out = swim_strdup(path)))
		rc = SWIM_ENOMEM;
out:
	curl_free(host);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/* d->root (ending in '/') and d->index for an http(s) URL. */
static int locate_url(swim_depot *d, const char *url)
{
	CURLU *u = curl_url();
	char *query = NULL, *frag = NULL, *clean = NULL, *slash;
	swim_buf root = SWIM_BUF_INIT(0);
	int rc = 0;

	if (!u)
		return swim_error_oom();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &clean, 0) != CURLUE_OK) {
		rc = swim_error_set(SWIM_EINVAL, "not a valid URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
		rc = swim_error_set(SWIM_ENOTSUPPORTED,
		                    "depot URLs with a query or fragment are not supported");
		goto out;
	}
	if (ends_with(clean, ".zip")) {
		rc = swim_error_set(SWIM_ENOTSUPPORTED,
		                    "offline bundles are read from a local path; download the .zip first");
		goto out;
	}
	d->kind = SWIM_DEPOT_URL;
	if (ends_with(clean, ".xml")) {
		slash = strrchr(clean, '/');
		if ((rc = swim_buf_put(&root, clean, (size_t)(slash - clean) + 1)) < 0)
			goto out;
		d->index = swim_strdup(slash + 1);
	} else {
		if ((rc = swim_buf_puts(&root, clean)) < 0 ||
		    (!ends_with(clean, "/") && (rc = swim_buf_putc(&root, '/')) < 0))
			goto out;
		d->index = swim_strdup("index.xml");
	}
	if (!(d->root = swim_buf_detach(&root)) || !d->index)
		rc = swim_error_oom();
out:
	curl_free(query);
	curl_free(frag);
	curl_free(clean);
	curl_url_cleanup(u);
	swim_buf_dispose(&root);
	return rc;
}

static int locate(swim_depot *d, const char *location)
{
	swim_buf b = SWIM_BUF_INIT(0);
	char *path = NULL;
	int rc;

	if (strncmp(location, "zip:", 4) == 0) {
		/* esxcli's zip:/path/x.zip?index.xml */
		const char *q = strchr(location + 4, '?');

		if (q && strcmp(q, "?index.xml") != 0)
			return swim_error_set(SWIM_ENOTSUPPORTED,
			                      "only zip:PATH?index.xml is supported");
		if (!(path = swim_strndup(location + 4, q ? (size_t)(q - location - 4)
		                                          : strlen(location + 4))))
			return SWIM_ENOMEM;
		rc = locate_path(d, path);
		if (rc == 0 && d->kind != SWIM_DEPOT_ZIP)
			rc = swim_error_set(SWIM_EINVAL, "%s is not a .zip bundle", path);
	} else if (strncasecmp(location, "http://", 7) == 0 ||
	           strncasecmp(location, "https://", 8) == 0) {
		rc = locate_url(d, location);
	} else if (strncasecmp(location, "file:", 5) == 0) {
		if ((rc = file_url_path(&path, location)) == 0)
			rc = locate_path(d, path);
	} else if (has_scheme(location) && !strchr(location, '/')) {
		rc = locate_path(d, location);
	} else if (has_scheme(location) && strstr(location, "://")) {
		rc = swim_error_set(SWIM_ENOTSUPPORTED,
		                    "unsupported URL scheme (http, https, file and local paths are)");
	} else {
		rc = locate_path(d, location);
	}
	if (rc == 0) {
		rc = d->kind == SWIM_DEPOT_URL ? swim_url_redact(&b, location)
		                               : swim_buf_puts(&b, d->root);
		if (rc == 0 && d->kind == SWIM_DEPOT_DIR &&
		    strcmp(d->index, "index.xml") != 0)
			rc = swim_buf_printf(&b, "/%s", d->index);
		if (rc == 0 && !(d->display = swim_buf_detach(&b)))
			rc = swim_error_oom();
	}
	free(path);
	swim_buf_dispose(&b);
	return rc;
}

/* ---- reading the chain of documents -------------------------------------- */

struct chain {
	swim_depot *d;
	swim_depot_cache *cache;
	struct bundle bundle;     /* an offline bundle, read from its head */
	swim_buf key;             /* what the snapshot key is computed from */
	swim_depot_doc *docs;     /* the metadata.zip files */
	size_t n_docs;
};

static void docs_free(swim_depot_doc *docs, size_t n)
{
	for (size_t i = 0; docs && i < n; i++) {
		free(docs[i].path);
		swim_buf_dispose(&docs[i].data);
	}
	free(docs);
}

/* Reads a small document (index.xml, vendor-index.xml) whole. */
static int read_small(struct chain *ch, swim_buf *buf, const char *path)
{
	swim_depot_doc doc = { .path = (char *)path };
	char validator[160];
	int rc;

	if (ch->cache && ch->d->kind == SWIM_DEPOT_URL) {
		swim_buf_init(&doc.data, 0);
		rc = swim_depot_cache_fetch(ch->cache, &doc, ch->d, true,
		                            ch->d->lim.depot_max_metadata_bytes);
		if (rc == 0) {
			rc = swim_buf_put(buf, doc.data.ptr, doc.data.len);
			if (rc == 0)
				rc = swim_buf_printf(&ch->key, "%s sha256:%s\n", path,
				                     doc.sha256);
		}
		swim_buf_dispose(&doc.data);
		return rc;
	}
	rc = read_doc(buf, validator, ch->d, &ch->bundle, path,
	              ch->d->lim.depot_max_metadata_bytes);
	/* A bundle's key is its own stat data, taken before anything. */
	if (rc == 0 && ch->d->kind != SWIM_DEPOT_ZIP)
		rc = swim_buf_printf(&ch->key, "%s %s\n", path, validator);
	return rc;
}

static bool wanted_vendor(const swim_depot_vendor *v)
{
	return !v->content_type ||
	       strcmp(v->content_type, SWIM_DEPOT_CONTENT_TYPE) == 0;
}

static int add_metadata(struct chain *ch, const char *path)
{
	swim_depot_doc *docs;

	for (size_t i = 0; i < ch->n_docs; i++)
		if (strcmp(ch->docs[i].path, path) == 0)
			return 0;
	if (ch->n_docs >= ch->d->lim.depot_max_indexes)
		return swim_error_set(SWIM_ELIMIT,
		                      "more than depot_max_indexes (%llu) metadata files",
		                      (unsigned long long)ch->d->lim.depot_max_indexes);
	if (!(docs = realloc(ch->docs, (ch->n_docs + 1) * sizeof(*docs))))
		return swim_error_oom();
	ch->docs = docs;
	docs = &docs[ch->n_docs];
	memset(docs, 0, sizeof(*docs));
	swim_buf_init(&docs->data, 0);
	if (!(docs->path = swim_strdup(path)))
		return SWIM_ENOMEM;
	ch->n_docs++;
	return 0;
}

/* vendor-index.xml at `path`: its channels join c, their metadata files
 * join the chain. */
static int read_vendor_index(struct chain *ch, swim_depot_content *c,
                             const char *path)
{
	swim_buf xml = SWIM_BUF_INIT(0), dir = SWIM_BUF_INIT(0),
	         meta = SWIM_BUF_INIT(0);
	swim_depot_channel *chans = NULL, *all;
	size_t n = 0;
	int rc;

	if ((rc = read_small(ch, &xml, path)) < 0 ||
	    (rc = swim_depot_vendor_index_read(&chans, &n, xml.ptr, xml.len,
	                                       &ch->d->lim, path)) < 0 ||
	    (rc = swim_depot_dirname(&dir, path)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		swim_buf_clear(&meta);
		if ((rc = swim_depot_resolve(&meta, dir.ptr, chans[i].url,
		                             "<url>")) < 0) {
			rc = swim_error_prefix("%s: ", path);
			goto out;
		}
		if ((rc = add_metadata(ch, meta.ptr)) < 0)
			goto out;
	}
	if (c->n_channels + n > ch->d->lim.depot_max_indexes) {
		rc = swim_error_set(SWIM_ELIMIT,
		                    "%s: more than depot_max_indexes (%llu) metadata entries",
		                    path,
		                    (unsigned long long)ch->d->lim.depot_max_indexes);
		goto out;
	}
	if (!(all = realloc(c->channels, (c->n_channels + n) * sizeof(*all)))) {
		rc = swim_error_oom();
		goto out;
	}
	c->channels = all;
	memcpy(all + c->n_channels, chans, n * sizeof(*chans));
	c->n_channels += n;
	free(chans);
	chans = NULL;
	n = 0;
out:
	swim_depot_channels_free(chans, n);
	swim_buf_dispose(&xml);
	swim_buf_dispose(&dir);
	swim_buf_dispose(&meta);
	return rc;
}

/* The depot-relative path of vendor v's index, appended to out: its
 * <indexfile> in its <relativePath>, relative to index.xml. */
static int vendor_index_path(swim_buf *out, const swim_depot *d,
                             const swim_depot_vendor *v)
{
	swim_buf base = SWIM_BUF_INIT(0), ref = SWIM_BUF_INIT(0);
	const char *rel = v->relative_path ? v->relative_path : "";
	int rc;

	if ((rc = swim_depot_dirname(&base, d->index)) < 0 ||
	    (rc = swim_buf_printf(&ref, "%s%s%s", rel,
	                          *rel && !ends_with(rel, "/") ? "/" : "",
	                          v->index_file)) < 0)
		goto out;
	rc = swim_depot_resolve(out, base.ptr, ref.ptr,
	                        "<relativePath> and <indexfile>");
out:
	swim_buf_dispose(&base);
	swim_buf_dispose(&ref);
	return rc;
}

/* index.xml and every vendor-index.xml it names; vendors of another
 * content type are left out. */
static int read_indexes(struct chain *ch, swim_depot_content *c)
{
	const swim_depot *d = ch->d;
	swim_buf xml = SWIM_BUF_INIT(0), vpath = SWIM_BUF_INIT(0);
	swim_depot_vendor *v = NULL;
	char **seen = NULL;
	size_t n = 0, kept = 0, n_seen = 0;
	int rc;

	if ((rc = read_small(ch, &xml, d->index)) < 0 ||
	    (rc = swim_depot_index_read(&v, &n, xml.ptr, xml.len, &d->lim,
	                                d->index)) < 0)
		goto out;
	if (!(seen = calloc(n, sizeof(*seen)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		if (!wanted_vendor(&v[i]))
			continue;
		swim_buf_clear(&vpath);
		if ((rc = vendor_index_path(&vpath, d, &v[i])) < 0) {
			rc = swim_error_prefix("%s: ", d->index);
			goto out;
		}
		/* Keep the vendor (moved to the front). */
		if (kept != i) {
			swim_depot_vendor tmp = v[kept];

			v[kept] = v[i];
			v[i] = tmp;
		}
		kept++;
		/* Vendors may share one vendor index. */
		for (size_t k = 0; k < n_seen && !dup; k++)
			dup = strcmp(seen[k], vpath.ptr) == 0;
		if (dup)
			continue;
		if (!(seen[n_seen] = swim_strdup(vpath.ptr))) {
			rc = SWIM_ENOMEM;
			goto out;
		}
		n_seen++;
		if ((rc = read_vendor_index(ch, c, vpath.ptr)) < 0)
			goto out;
	}
	if (kept == 0) {
		rc = swim_error_set(SWIM_EINVAL,
		                    "%s names no vendor with content type %s",
		                    d->index, SWIM_DEPOT_CONTENT_TYPE);
		goto out;
	}
	/* The vendors left out are at the end: free them, keep the rest. */
	for (size_t i = kept; i < n; i++)
		swim_depot_vendor_dispose(&v[i]);
	c->vendors = v;
	c->n_vendors = kept;
	v = NULL;
	n = 0;
out:
	swim_depot_vendors_free(v, n);
	for (size_t k = 0; k < n_seen; k++)
		free(seen[k]);
	free(seen);
	swim_buf_dispose(&xml);
	swim_buf_dispose(&vpath);
	return rc;
}

/* ---- opening ------------------------------------------------------------- */

struct key_ctx {
	swim_buf *b;
	int rc;
};

static void key_limit(const char *name, uint64_t value, uint64_t def,
                      const char *doc, void *p)
{
	struct key_ctx *k = p;

	(void)def;
	(void)doc;
	if (k->rc == 0)
		k->rc = swim_buf_printf(k->b, "%s=%llu\n", name,
		                        (unsigned long long)value);
}

/* The snapshot key: a digest of the limits in effect (they decide what
 * reading accepts) and of what identifies every source document: the
 * index documents (ch->key) and each metadata.zip. */
static int snapshot_key(char key[SWIM_DIGEST_HEX_MAX], const struct chain *ch)
{
	swim_buf text = SWIM_BUF_INIT(0);
	struct key_ctx k = { &text, 0 };
	int rc;

	swim_limits_visit(&ch->d->lim, key_limit, &k);
	if ((rc = k.rc) < 0 ||
	    (rc = swim_buf_put(&text, ch->key.ptr, ch->key.len)) < 0)
		goto out;
	for (size_t i = 0; i < ch->n_docs && ch->d->kind != SWIM_DEPOT_ZIP; i++) {
		const swim_depot_doc *doc = &ch->docs[i];

		rc = ch->d->kind == SWIM_DEPOT_URL
			? swim_buf_printf(&text, "%s sha256:%s\n", doc->path,
			                  doc->sha256)
			: swim_buf_printf(&text, "%s %s\n", doc->path,
			                  doc->validator);
		if (rc < 0)
			goto out;
	}
	rc = swim_digest_sha256(key, text.ptr, text.len);
out:
	swim_buf_dispose(&text);
	return rc;
}

/* True (with d->c filled) when the cache's snapshot matches. */
static bool try_snapshot(swim_depot *d, struct chain *ch)
{
	char key[SWIM_DIGEST_HEX_MAX];

	if (!ch->cache || snapshot_key(key, ch) < 0)
		return false;
	if (swim_depot_cache_snapshot_load(&d->c, ch->cache, key) < 0) {
		swim_error_clear();
		return false;
	}
	d->from_cache = true;
	return true;
}

static int load(swim_depot *d)
{
	struct chain ch = { .d = d };
	swim_depot_content c = { 0 };
	char key[SWIM_DIGEST_HEX_MAX];
	struct stat st;
	int rc = 0;

	swim_buf_init(&ch.key, 0);
	swim_depot_cache_open(&ch.cache, d);
	if (d->kind == SWIM_DEPOT_ZIP) {
		char v[160];

		/* A bundle is one file: its stat data identifies everything. */
		if (stat(d->root, &st) < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "%s", d->root);
			goto out;
		}
		stat_validator(v, &st);
		if ((rc = swim_buf_printf(&ch.key, "bundle %s\n", v)) < 0)
			goto out;
		if (try_snapshot(d, &ch))
			goto out;
	}
	if ((rc = read_indexes(&ch, &c)) < 0)
		goto out;
	for (size_t i = 0; i < ch.n_docs; i++) {
		swim_depot_doc *doc = &ch.docs[i];
		swim_buf src = SWIM_BUF_INIT(0);

		if (d->kind == SWIM_DEPOT_URL && ch.cache) {
			rc = swim_depot_cache_fetch(ch.cache, doc, d, false,
			                            d->lim.depot_max_metadata_bytes);
		} else if (d->kind == SWIM_DEPOT_DIR) {
			rc = swim_depot_source(&src, d, doc->path);
			if (rc == 0 && stat(src.ptr, &st) == 0)
				stat_validator(doc->validator, &st);
		}
		swim_buf_dispose(&src);
		if (rc < 0)
			goto out;
	}
	if (d->kind != SWIM_DEPOT_ZIP && try_snapshot(d, &ch))
		goto out;
	for (size_t i = 0; i < ch.n_docs; i++) {
		swim_depot_doc *doc = &ch.docs[i];

		if (doc->loaded)
			continue;
		rc = d->kind == SWIM_DEPOT_URL && ch.cache
			? swim_depot_cache_load(ch.cache, doc, d,
			                        d->lim.depot_max_metadata_bytes)
			: read_doc(&doc->data, doc->validator, d, &ch.bundle,
			           doc->path, d->lim.depot_max_metadata_bytes);
		if (rc < 0)
			goto out;
		doc->loaded = true;
	}
	if ((rc = swim_depot_meta_load(&c, ch.docs, ch.n_docs, &d->lim)) < 0)
		goto out;
	/* The key again: a corrupt cached copy fetched anew may differ. */
	key[0] = '\0';
	if (ch.cache && snapshot_key(key, &ch) < 0)
		key[0] = '\0';
	if ((rc = swim_depot_content_take_metas(&c, ch.docs, ch.n_docs)) < 0)
		goto out;
	d->c = c;
	memset(&c, 0, sizeof(c));
	if (key[0])
		swim_depot_cache_snapshot_save(ch.cache, key, &d->c);
out:
	/* Saving is best effort and must not replace the message of a
	 * failure: only a successful load records what it fetched. */
	if (rc == 0)
		swim_depot_cache_save(ch.cache);
	swim_depot_cache_free(ch.cache);
	swim_depot_content_dispose(&c);
	docs_free(ch.docs, ch.n_docs);
	bundle_dispose(&ch.bundle);
	swim_buf_dispose(&ch.key);
	return rc;
}

int swim_depot_open(swim_depot **out, const char *location,
                    const char *name, const swim_depot_opts *opts)
{
	static const swim_depot_opts none;
	swim_depot *d = calloc(1, sizeof(*d));
	swim_buf shown = SWIM_BUF_INIT(0);
	int rc;

	*out = NULL;
	if (!opts)
		opts = &none;
	if (!d)
		return swim_error_oom();
	d->lim = opts->lim ? *opts->lim : *swim_limits_default();
	d->fetch = opts->fetch;
	d->fetch.lim = &d->lim;
	d->fetch.ca_file = swim_strdup(opts->fetch.ca_file);
	d->fetch.netrc_file = swim_strdup(opts->fetch.netrc_file);
	d->fetch.http_proxy = swim_strdup(opts->fetch.http_proxy);
	d->fetch.https_proxy = swim_strdup(opts->fetch.https_proxy);
	d->fetch.no_proxy = swim_strdup(opts->fetch.no_proxy);
	d->cache_dir = swim_strdup(opts->cache_dir);
	if ((opts->fetch.ca_file && !d->fetch.ca_file) ||
	    (opts->fetch.netrc_file && !d->fetch.netrc_file) ||
	    (opts->fetch.http_proxy && !d->fetch.http_proxy) ||
	    (opts->fetch.https_proxy && !d->fetch.https_proxy) ||
	    (opts->fetch.no_proxy && !d->fetch.no_proxy) ||
	    (opts->cache_dir && !d->cache_dir)) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if ((rc = locate(d, location)) < 0) {
		/* Only URLs carry credentials to hide. */
		if ((strstr(location, "://") ? swim_url_redact(&shown, location)
		                             : swim_buf_puts(&shown, location)) == 0)
			rc = swim_error_prefix("depot %s: ", shown.ptr);
		goto out;
	}
	if (!(d->name = swim_strdup(name ? name : d->display))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if ((rc = load(d)) < 0) {
		rc = swim_error_prefix("depot %s: ", d->display);
		goto out;
	}
	*out = d;
	d = NULL;
out:
	swim_buf_dispose(&shown);
	swim_depot_free(d);
	return rc;
}

void swim_depot_free(swim_depot *d)
{
	if (!d)
		return;
	swim_depot_content_dispose(&d->c);
	free(d->name);
	free(d->display);
	free(d->root);
	free(d->index);
	free(d->cache_dir);
	free((char *)d->fetch.ca_file);
	free((char *)d->fetch.netrc_file);
	free((char *)d->fetch.http_proxy);
	free((char *)d->fetch.https_proxy);
	free((char *)d->fetch.no_proxy);
	free(d);
}

const char *swim_depot_name(const swim_depot *d)
{
	return d->name;
}

const char *swim_depot_location(const swim_depot *d)
{
	return d->display;
}

bool swim_depot_from_cache(const swim_depot *d)
{
	return d->from_cache;
}

size_t swim_depot_n_packages(const swim_depot *d)
{
	return d->c.n_pkgs;
}

const swim_package *swim_depot_package(const swim_depot *d, size_t i)
{
	return i < d->c.n_pkgs ? d->c.pkgs[i] : NULL;
}

const swim_package *swim_depot_find_id(const swim_depot *d, const char *id)
{
	return swim_depot_pkgs_find((const swim_package *const *)d->c.pkgs,
	                            d->c.n_pkgs, id);
}

size_t swim_depot_n_profiles(const swim_depot *d)
{
	return d->c.n_profiles;
}

const swim_profile *swim_depot_profile(const swim_depot *d, size_t i)
{
	return i < d->c.n_profiles ? d->c.profiles[i] : NULL;
}

size_t swim_depot_n_bulletins(const swim_depot *d)
{
	return d->c.n_bulletins;
}

const swim_bulletin *swim_depot_bulletin(const swim_depot *d, size_t i)
{
	return i < d->c.n_bulletins ? &d->c.bulletins[i] : NULL;
}

size_t swim_depot_n_vendors(const swim_depot *d)
{
	return d->c.n_vendors;
}

const swim_depot_vendor *swim_depot_vendor_at(const swim_depot *d, size_t i)
{
	return i < d->c.n_vendors ? &d->c.vendors[i] : NULL;
}

size_t swim_depot_n_channels(const swim_depot *d)
{
	return d->c.n_channels;
}

const swim_depot_channel *swim_depot_channel_at(const swim_depot *d,
                                                size_t i)
{
	return i < d->c.n_channels ? &d->c.channels[i] : NULL;
}
