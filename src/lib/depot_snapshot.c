/* The cache snapshot: a depot's parsed metadata in a compact binary form
 * that loads without parsing or per-object allocation. Strings stay in
 * the file's buffer (each is stored NUL-terminated), arrays and structs
 * come from one arena, so loading 20,000 packages is a pass over the
 * bytes.
 *
 * Layout: "SWIMSNAP", format, layout guard, the key (hex), body length,
 * CRC-32 of the body (zlib's; a digest would cost a third of the load
 * and buys nothing here: whoever can write the cache can write any
 * digest too, so the check is for damage, not for tampering), then the
 * body: every count a u32, every number a
 * u64, every string a u32 length (0xffffffff for NULL), its bytes and a
 * NUL. Reading checks the digest first and every length and count
 * against the bytes left, so a damaged file is refused, never followed.
 *
 * Adding a field to swim_package, swim_profile or swim_bulletin means
 * adding it here and bumping FORMAT; the size checks below fail the build
 * until that is done.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "lib/depot_private.h"
#include "swim/error.h"

#define MAGIC "SWIMSNAP"
#define FORMAT 2u
#define GUARD ((uint32_t)(sizeof(void *) << 8 | 0x5a))
#define NULL_STR 0xffffffffu
#define HEADER_BYTES (8 + 4 + 4 + 64 + 8 + 4)

#if defined(__x86_64__) && defined(__LP64__)
_Static_assert(sizeof(swim_package) == 344,
               "swim_package changed: update depot_snapshot.c and FORMAT");
_Static_assert(sizeof(swim_profile) == 104,
               "swim_profile changed: update depot_snapshot.c and FORMAT");
_Static_assert(sizeof(swim_bulletin) == 152,
               "swim_bulletin changed: update depot_snapshot.c and FORMAT");
_Static_assert(sizeof(swim_payload) == 72,
               "swim_payload changed: update depot_snapshot.c and FORMAT");
#endif

/* zlib's crc32 takes a uInt length: feed it in pieces. */
static uint32_t body_crc(const char *p, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);

	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, (const Bytef *)p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

/* ---- writing ---------------------------------------------------------- */

struct wr {
	swim_buf *b;
	int rc;
};

static void put(struct wr *w, const void *p, size_t n)
{
	if (w->rc == 0)
		w->rc = swim_buf_put(w->b, p, n);
}

static void u32(struct wr *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void u64(struct wr *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

static void count(struct wr *w, size_t n)
{
	if (n > UINT32_MAX - 1 && w->rc == 0)
		w->rc = swim_error_set(SWIM_ELIMIT, "too many items for the snapshot");
	u32(w, (uint32_t)n);
}

static void str(struct wr *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!s) {
		u32(w, NULL_STR);
		return;
	}
	count(w, n);
	put(w, s, n + 1);
}

static void strv(struct wr *w, char *const *v, size_t n)
{
	count(w, n);
	for (size_t i = 0; i < n; i++)
		str(w, v[i]);
}

static void checksum(struct wr *w, const swim_checksum *c)
{
	str(w, c->type);
	str(w, c->verify_process);
	str(w, c->value);
}

static void constraints(struct wr *w, const swim_constraint *c, size_t n)
{
	count(w, n);
	for (size_t i = 0; i < n; i++) {
		str(w, c[i].name);
		u32(w, (uint32_t)c[i].rel);
		str(w, c[i].version);
	}
}

static void platforms(struct wr *w, const swim_platform *p, size_t n)
{
	count(w, n);
	for (size_t i = 0; i < n; i++) {
		str(w, p[i].product_line_id);
		str(w, p[i].version);
		str(w, p[i].locale);
	}
}

static void package(struct wr *w, const swim_package *p)
{
	str(w, p->id);
	str(w, p->vib_version);
	str(w, p->type);
	str(w, p->name);
	str(w, p->version);
	str(w, p->vendor);
	str(w, p->summary);
	str(w, p->description);
	str(w, p->release_date);
	count(w, p->n_urls);
	for (size_t i = 0; i < p->n_urls; i++) {
		str(w, p->urls[i].key);
		str(w, p->urls[i].url);
	}
	constraints(w, p->depends, p->n_depends);
	constraints(w, p->conflicts, p->n_conflicts);
	constraints(w, p->replaces, p->n_replaces);
	count(w, p->n_provides);
	for (size_t i = 0; i < p->n_provides; i++) {
		str(w, p->provides[i].name);
		str(w, p->provides[i].version);
	}
	constraints(w, p->compatible_with, p->n_compatible_with);
	strv(w, p->tags, p->n_tags);
	u32(w, (uint32_t)p->maintenance_mode | (uint32_t)p->live_install_ok << 1 |
	       (uint32_t)p->live_remove_ok << 2 | (uint32_t)p->cimom_restart << 3 |
	       (uint32_t)p->stateless_ready << 4 | (uint32_t)p->overlay << 5 |
	       (uint32_t)p->has_packed_size << 6);
	count(w, p->n_hwplatforms);
	for (size_t i = 0; i < p->n_hwplatforms; i++) {
		str(w, p->hwplatforms[i].vendor);
		str(w, p->hwplatforms[i].model);
	}
	platforms(w, p->platforms, p->n_platforms);
	strv(w, p->files, p->n_files);
	strv(w, p->setid_files, p->n_setid_files);
	u32(w, (uint32_t)p->acceptance);
	count(w, p->n_payloads);
	for (size_t i = 0; i < p->n_payloads; i++) {
		const swim_payload *y = &p->payloads[i];

		str(w, y->name);
		str(w, y->type);
		u64(w, y->size);
		u64(w, y->boot_order);
		u32(w, (uint32_t)y->has_size | (uint32_t)y->has_boot_order << 1);
		str(w, y->vfat_name);
		count(w, y->n_checksums);
		for (size_t k = 0; k < y->n_checksums; k++)
			checksum(w, &y->checksums[k]);
	}
	str(w, p->install_date);
	strv(w, p->source_urls, p->n_source_urls);
	str(w, p->relative_path);
	u64(w, p->packed_size);
	u32(w, p->vib_checksum != NULL);
	if (p->vib_checksum)
		checksum(w, p->vib_checksum);
}

static void bulletin(struct wr *w, const swim_bulletin *b)
{
	const char *s[] = { b->id, b->vendor, b->summary, b->description,
	                    b->severity, b->category, b->urgency,
	                    b->release_type, b->kb_url, b->contact,
	                    b->release_date, b->component_name,
	                    b->component_ui, b->component_version,
	                    b->component_version_ui };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		str(w, s[i]);
	platforms(w, b->platforms, b->n_platforms);
	strv(w, b->vib_ids, b->n_vib_ids);
}

static void profile(struct wr *w, const swim_profile *p)
{
	str(w, p->guid);
	str(w, p->name);
	str(w, p->vendor);
	str(w, p->author);
	str(w, p->description);
	u32(w, (uint32_t)p->acceptance);
	str(w, p->creation_time);
	str(w, p->modified_time);
	u32(w, p->read_only);
	count(w, p->n_rules);
	for (size_t i = 0; i < p->n_rules; i++) {
		str(w, p->rules[i].name);
		str(w, p->rules[i].value);
	}
	strv(w, p->vib_ids, p->n_vib_ids);
}

static void content(struct wr *w, const swim_depot_content *c)
{
	count(w, c->n_vendors);
	for (size_t i = 0; i < c->n_vendors; i++) {
		const swim_depot_vendor *v = &c->vendors[i];

		str(w, v->name);
		str(w, v->code);
		str(w, v->index_file);
		str(w, v->patch_url);
		str(w, v->relative_path);
		str(w, v->content_name);
		str(w, v->content_type);
	}
	count(w, c->n_channels);
	for (size_t i = 0; i < c->n_channels; i++) {
		const swim_depot_channel *m = &c->channels[i];

		str(w, m->product_id);
		str(w, m->version);
		str(w, m->locale);
		str(w, m->url);
		str(w, m->channel_name);
	}
	strv(w, c->metas, c->n_metas);
	count(w, c->n_pkgs);
	for (size_t i = 0; i < c->n_pkgs; i++) {
		u32(w, c->pkg_meta[i]);
		str(w, c->pkg_member[i]);
		package(w, c->pkgs[i]);
	}
	count(w, c->n_bulletins);
	for (size_t i = 0; i < c->n_bulletins; i++)
		bulletin(w, &c->bulletins[i]);
	count(w, c->n_profiles);
	for (size_t i = 0; i < c->n_profiles; i++)
		profile(w, c->profiles[i]);
}

int swim_depot_snapshot_write(swim_buf *buf, const char *key,
                              const swim_depot_content *c)
{
	struct wr w = { buf, 0 };
	size_t start = buf->len, body;
	uint32_t crc = 0;
	uint64_t len;

	if (strlen(key) != 64)
		return swim_error_set(SWIM_EINVAL, "snapshot key is not a sha-256");
	put(&w, MAGIC, 8);
	u32(&w, FORMAT);
	u32(&w, GUARD);
	put(&w, key, 64);
	u64(&w, 0);           /* body length, filled in below */
	u32(&w, 0);           /* body CRC, likewise */
	body = buf->len;
	content(&w, c);
	if (w.rc < 0) {
		swim_buf_truncate(buf, start);
		return w.rc;
	}
	len = buf->len - body;
	crc = body_crc(buf->ptr + body, (size_t)len);
	memcpy(buf->ptr + start + 8 + 4 + 4 + 64, &len, sizeof(len));
	memcpy(buf->ptr + start + 8 + 4 + 4 + 64 + 8, &crc, sizeof(crc));
	return 0;
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
	char *p, *end;
	swim_arena *a;
	bool bad;
};

/* Copies n bytes out, or marks the reader bad when there are fewer. */
static void take(struct rd *r, void *v, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return;
	}
	memcpy(v, r->p, n);
	r->p += n;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v = 0;

	take(r, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v = 0;

	take(r, &v, sizeof(v));
	return v;
}

static char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (r->bad || n == NULL_STR)
		return NULL;
	if ((size_t)(r->end - r->p) <= n || r->p[n] != '\0') {
		r->bad = true;
		return NULL;
	}
	s = r->p;
	r->p += (size_t)n + 1;
	return s;
}

/* An array of a count read first; each element needs at least
 * min_bytes of input, which bounds what a bad count can allocate. */
static void *get_array(struct rd *r, size_t *n, size_t size, size_t min_bytes)
{
	void *v;

	*n = get_u32(r);
	if (r->bad || *n > (size_t)(r->end - r->p) / min_bytes) {
		r->bad = true;
		*n = 0;
		return NULL;
	}
	if (*n == 0)
		return NULL;
	if (!(v = swim_arena_array(r->a, *n, size)))
		r->bad = true;
	return v;
}

static char **get_strv(struct rd *r, size_t *n)
{
	char **v = get_array(r, n, sizeof(*v), 4);

	for (size_t i = 0; v && i < *n; i++)
		v[i] = get_str(r);
	return v;
}

static void get_checksum(struct rd *r, swim_checksum *c)
{
	c->type = get_str(r);
	c->verify_process = get_str(r);
	c->value = get_str(r);
}

static swim_constraint *get_constraints(struct rd *r, size_t *n)
{
	swim_constraint *c = get_array(r, n, sizeof(*c), 12);

	for (size_t i = 0; c && i < *n; i++) {
		uint32_t rel;

		c[i].name = get_str(r);
		rel = get_u32(r);
		if (rel > SWIM_REL_GT)
			r->bad = true;
		c[i].rel = (swim_relation)rel;
		c[i].version = get_str(r);
	}
	return c;
}

static swim_platform *get_platforms(struct rd *r, size_t *n)
{
	swim_platform *p = get_array(r, n, sizeof(*p), 12);

	for (size_t i = 0; p && i < *n; i++) {
		p[i].product_line_id = get_str(r);
		p[i].version = get_str(r);
		p[i].locale = get_str(r);
	}
	return p;
}

static swim_acceptance get_acceptance(struct rd *r)
{
	uint32_t v = get_u32(r);

	if (v > SWIM_ACCEPTANCE_CERTIFIED)
		r->bad = true;
	return (swim_acceptance)v;
}

static swim_package *get_package(struct rd *r)
{
	swim_package *p = swim_arena_alloc(r->a, sizeof(*p));
	uint32_t flags;

	if (!p) {
		r->bad = true;
		return NULL;
	}
	p->id = get_str(r);
	p->vib_version = get_str(r);
	p->type = get_str(r);
	p->name = get_str(r);
	p->version = get_str(r);
	p->vendor = get_str(r);
	p->summary = get_str(r);
	p->description = get_str(r);
	p->release_date = get_str(r);
	p->urls = get_array(r, &p->n_urls, sizeof(*p->urls), 8);
	for (size_t i = 0; p->urls && i < p->n_urls; i++) {
		p->urls[i].key = get_str(r);
		p->urls[i].url = get_str(r);
	}
	p->depends = get_constraints(r, &p->n_depends);
	p->conflicts = get_constraints(r, &p->n_conflicts);
	p->replaces = get_constraints(r, &p->n_replaces);
	p->provides = get_array(r, &p->n_provides, sizeof(*p->provides), 8);
	for (size_t i = 0; p->provides && i < p->n_provides; i++) {
		p->provides[i].name = get_str(r);
		p->provides[i].version = get_str(r);
	}
	p->compatible_with = get_constraints(r, &p->n_compatible_with);
	p->tags = get_strv(r, &p->n_tags);
	flags = get_u32(r);
	p->maintenance_mode = flags & 1;
	p->live_install_ok = flags >> 1 & 1;
	p->live_remove_ok = flags >> 2 & 1;
	p->cimom_restart = flags >> 3 & 1;
	p->stateless_ready = flags >> 4 & 1;
	p->overlay = flags >> 5 & 1;
	p->has_packed_size = flags >> 6 & 1;
	p->hwplatforms = get_array(r, &p->n_hwplatforms,
	                           sizeof(*p->hwplatforms), 8);
	for (size_t i = 0; p->hwplatforms && i < p->n_hwplatforms; i++) {
		p->hwplatforms[i].vendor = get_str(r);
		p->hwplatforms[i].model = get_str(r);
	}
	p->platforms = get_platforms(r, &p->n_platforms);
	p->files = get_strv(r, &p->n_files);
	p->setid_files = get_strv(r, &p->n_setid_files);
	p->acceptance = get_acceptance(r);
	p->payloads = get_array(r, &p->n_payloads, sizeof(*p->payloads), 36);
	for (size_t i = 0; p->payloads && i < p->n_payloads; i++) {
		swim_payload *y = &p->payloads[i];

		y->name = get_str(r);
		y->type = get_str(r);
		y->size = get_u64(r);
		y->boot_order = get_u64(r);
		flags = get_u32(r);
		y->has_size = flags & 1;
		y->has_boot_order = flags >> 1 & 1;
		y->vfat_name = get_str(r);
		y->checksums = get_array(r, &y->n_checksums,
		                         sizeof(*y->checksums), 12);
		for (size_t k = 0; y->checksums && k < y->n_checksums; k++)
			get_checksum(r, &y->checksums[k]);
	}
	p->install_date = get_str(r);
	p->source_urls = get_strv(r, &p->n_source_urls);
	p->relative_path = get_str(r);
	p->packed_size = get_u64(r);
	if (get_u32(r)) {
		if (!(p->vib_checksum = swim_arena_alloc(r->a,
		                                         sizeof(*p->vib_checksum))))
			r->bad = true;
		else
			get_checksum(r, p->vib_checksum);
	}
	/* What every package has; the descriptor reader promised it. */
	if (!p->id || !p->name || !p->version || !p->vendor || !p->type)
		r->bad = true;
	return p;
}

static void get_bulletin(struct rd *r, swim_bulletin *b)
{
	char **s[] = { &b->id, &b->vendor, &b->summary, &b->description,
	               &b->severity, &b->category, &b->urgency,
	               &b->release_type, &b->kb_url, &b->contact,
	               &b->release_date, &b->component_name,
	               &b->component_ui, &b->component_version,
	               &b->component_version_ui };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		*s[i] = get_str(r);
	b->platforms = get_platforms(r, &b->n_platforms);
	b->vib_ids = get_strv(r, &b->n_vib_ids);
	if (!b->id)
		r->bad = true;
}

static swim_profile *get_profile(struct rd *r)
{
	swim_profile *p = swim_arena_alloc(r->a, sizeof(*p));

	if (!p) {
		r->bad = true;
		return NULL;
	}
	p->guid = get_str(r);
	p->name = get_str(r);
	p->vendor = get_str(r);
	p->author = get_str(r);
	p->description = get_str(r);
	p->acceptance = get_acceptance(r);
	p->creation_time = get_str(r);
	p->modified_time = get_str(r);
	p->read_only = get_u32(r) != 0;
	p->rules = get_array(r, &p->n_rules, sizeof(*p->rules), 8);
	for (size_t i = 0; p->rules && i < p->n_rules; i++) {
		p->rules[i].name = get_str(r);
		p->rules[i].value = get_str(r);
	}
	p->vib_ids = get_strv(r, &p->n_vib_ids);
	if (!p->name)
		r->bad = true;
	return p;
}

static void get_content(struct rd *r, swim_depot_content *c)
{
	c->vendors = get_array(r, &c->n_vendors, sizeof(*c->vendors), 28);
	for (size_t i = 0; c->vendors && i < c->n_vendors; i++) {
		swim_depot_vendor *v = &c->vendors[i];

		v->name = get_str(r);
		v->code = get_str(r);
		v->index_file = get_str(r);
		v->patch_url = get_str(r);
		v->relative_path = get_str(r);
		v->content_name = get_str(r);
		v->content_type = get_str(r);
	}
	c->channels = get_array(r, &c->n_channels, sizeof(*c->channels), 20);
	for (size_t i = 0; c->channels && i < c->n_channels; i++) {
		swim_depot_channel *m = &c->channels[i];

		m->product_id = get_str(r);
		m->version = get_str(r);
		m->locale = get_str(r);
		m->url = get_str(r);
		m->channel_name = get_str(r);
	}
	c->metas = get_strv(r, &c->n_metas);
	c->pkgs = get_array(r, &c->n_pkgs, sizeof(*c->pkgs), 100);
	if (c->n_pkgs) {
		c->pkg_meta = swim_arena_array(r->a, c->n_pkgs, sizeof(*c->pkg_meta));
		c->pkg_member = swim_arena_array(r->a, c->n_pkgs,
		                                 sizeof(*c->pkg_member));
		if (!c->pkg_meta || !c->pkg_member)
			r->bad = true;
	}
	for (size_t i = 0; c->pkgs && !r->bad && i < c->n_pkgs; i++) {
		c->pkg_meta[i] = get_u32(r);
		if (c->pkg_meta[i] >= c->n_metas)
			r->bad = true;
		c->pkg_member[i] = get_str(r);
		c->pkgs[i] = get_package(r);
		/* Sorted and unique by id, as the lookups require. */
		if (i && !r->bad && strcmp(c->pkgs[i - 1]->id, c->pkgs[i]->id) >= 0)
			r->bad = true;
	}
	c->bulletins = get_array(r, &c->n_bulletins, sizeof(*c->bulletins), 68);
	for (size_t i = 0; c->bulletins && !r->bad && i < c->n_bulletins; i++)
		get_bulletin(r, &c->bulletins[i]);
	c->profiles = get_array(r, &c->n_profiles, sizeof(*c->profiles), 40);
	for (size_t i = 0; c->profiles && !r->bad && i < c->n_profiles; i++)
		c->profiles[i] = get_profile(r);
	if (r->p != r->end)
		r->bad = true;
}

int swim_depot_snapshot_read(swim_depot_content *c, char *data, size_t len,
                             const char *key)
{
	struct rd r = { 0 };
	uint32_t format, guard, crc;
	uint64_t body;
	int rc;

	memset(c, 0, sizeof(*c));
	if (len < HEADER_BYTES || memcmp(data, MAGIC, 8) != 0) {
		rc = swim_error_set(SWIM_EINVAL, "not a depot snapshot");
		goto fail;
	}
	memcpy(&format, data + 8, 4);
	memcpy(&guard, data + 12, 4);
	memcpy(&body, data + 80, 8);
	if (format != FORMAT || guard != GUARD) {
		/* Another swim's snapshot: not damaged, just not ours. */
		rc = swim_error_set(SWIM_ENOTFOUND, "snapshot of another format");
		goto fail;
	}
	if (memcmp(data + 16, key, 64) != 0) {
		rc = swim_error_set(SWIM_ENOTFOUND, "snapshot of other metadata");
		goto fail;
	}
	memcpy(&crc, data + 88, 4);
	if (body != len - HEADER_BYTES ||
	    body_crc(data + HEADER_BYTES, (size_t)body) != crc) {
		rc = swim_error_set(SWIM_EINVAL, "depot snapshot is damaged");
		goto fail;
	}
	if ((rc = swim_arena_new(&r.a)) < 0 ||
	    (rc = swim_arena_adopt(r.a, data)) < 0)
		goto fail;
	r.p = data + HEADER_BYTES;
	r.end = data + len;
	data = NULL;  /* the arena's now */
	get_content(&r, c);
	if (r.bad) {
		rc = swim_error_set(SWIM_EINVAL, "depot snapshot is damaged");
		goto fail;
	}
	c->arena = r.a;
	return 0;
fail:
	swim_arena_free(r.a);
	free(data);
	memset(c, 0, sizeof(*c));
	return rc;
}
