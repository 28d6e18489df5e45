/* The content of metadata.zip files: vibs/X.xml (the packages),
 * bulletins/X.xml or vmware.xml (the bulletins), profiles/X.xml, read
 * into one depot content with every cross-check.
 *
 * Parsing is nearly all the cost of a cold load and each document stands
 * alone, so it runs on a few threads while this one is still unzipping
 * (a producer and its consumers). The first failure in member order is
 * reported, so messages do not depend on scheduling. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/depot_private.h"
#include "lib/depot_xml.h"
#include "lib/descriptor_private.h"
#include "lib/zip.h"
#include "swim/error.h"
#include "util/str.h"

#define MAX_THREADS 8
#define MIN_BYTES_FOR_THREADS (256 << 10)  /* of metadata.zip */

enum kind { M_VIB, M_PROFILE, M_BULLETIN, M_VMWARE };

struct member {
	enum kind kind;
	size_t doc;             /* which metadata.zip */
	char *name;
	swim_buf data;          /* freed once parsed */
	swim_package *pkg;
	swim_profile *prof;
	swim_bulletin bul;
	swim_depot_vmware vm;
	int rc;                 /* a parse failure: code and message */
	char *err;
};

/* Members live in fixed chunks, so the ones published to the parsing
 * threads never move while more are added. */
#define CHUNK 1024

struct load {
	struct member **chunks; /* room for depot_max_entries members */
	size_t max_chunks;
	size_t n;               /* members so far */
	const swim_limits *lim;
	uint64_t budget;        /* metadata bytes left */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t ready;           /* members [0, ready) are unzipped */
	size_t next;            /* the next member to parse */
	bool done;              /* nothing more will be unzipped */
};

static struct member *member_at(const struct load *ld, size_t i)
{
	return &ld->chunks[i / CHUNK][i % CHUNK];
}

static int member_add(struct member **out, struct load *ld)
{
	size_t c = ld->n / CHUNK;

	if (c >= ld->max_chunks)
		return swim_error_set(SWIM_ELIMIT,
		                      "more than depot_max_entries (%llu) metadata documents",
		                      (unsigned long long)ld->lim->depot_max_entries);
	if (!ld->chunks[c] && !(ld->chunks[c] = calloc(CHUNK, sizeof(struct member))))
		return swim_error_oom();
	*out = member_at(ld, ld->n++);
	return 0;
}

static void members_free(struct load *ld)
{
	for (size_t i = 0; i < ld->n; i++) {
		struct member *m = member_at(ld, i);

		free(m->name);
		swim_buf_dispose(&m->data);
		swim_package_free(m->pkg);
		swim_profile_free(m->prof);
		swim_bulletin_dispose(&m->bul);
		swim_depot_vmware_dispose(&m->vm);
		free(m->err);
	}
	for (size_t c = 0; ld->chunks && c < ld->max_chunks; c++)
		free(ld->chunks[c]);
	free(ld->chunks);
}

static bool under(const char *name, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(name, dir, n) == 0 && name[n] && !strchr(name + n, '/') &&
	       strlen(name + n) > 4 &&
	       strcmp(name + strlen(name) - 4, ".xml") == 0;
}

/* What swim reads of a member, or 0 to leave it. */
static int classify(const char *name, enum kind *k)
{
	if (under(name, "vibs/"))
		*k = M_VIB;
	else if (under(name, "profiles/"))
		*k = M_PROFILE;
	else if (under(name, "bulletins/"))
		*k = M_BULLETIN;
	else if (strcmp(name, "vmware.xml") == 0)
		*k = M_VMWARE;
	else
		return 0;  /* vendor-index.xml copy, newer ESXi kinds */
	return 1;
}

static void publish(struct load *ld, bool done)
{
	(void)pthread_mutex_lock(&ld->mu);
	ld->ready = ld->n;
	ld->done = done;
	(void)pthread_cond_broadcast(&ld->cv);
	(void)pthread_mutex_unlock(&ld->mu);
}

/* Reads the current member of z into a new member and publishes it. */
static int take_member(struct load *ld, swim_zip *z, const char *name,
                       enum kind kind, size_t doc)
{
	struct member *m = NULL;
	int rc;

	if ((rc = member_add(&m, ld)) < 0)
		return rc;
	m->kind = kind;
	m->doc = doc;
	swim_buf_init(&m->data, ld->budget);
	if (!(m->name = swim_strdup(name)))
		return SWIM_ENOMEM;
	if ((rc = swim_zip_read(z, &m->data)) < 0)
		return rc == SWIM_ELIMIT
			? swim_error_prefix("metadata larger than depot_max_metadata_bytes: ")
			: rc;
	ld->budget -= m->data.len;
	publish(ld, false);
	return 0;
}

/* One metadata.zip: vibs/, profiles/ and bulletins/ as they come;
 * vmware.xml (everything again, inline) only when there is no
 * bulletins/X.xml, in a second pass. */
static int unzip(struct load *ld, const swim_depot_doc *d, size_t doc,
                 bool want_vmware)
{
	swim_zip *z = NULL;
	const char *name;
	uint64_t size;
	bool bulletins = false, vmware = false;
	enum kind kind;
	int rc;

	if ((rc = swim_zip_open_memory(&z, d->data.ptr, d->data.len, d->path,
	                               ld->lim)) < 0)
		return rc;
	while ((rc = swim_zip_next(z, &name, &size)) == 1) {
		if (!classify(name, &kind))
			continue;
		vmware |= kind == M_VMWARE;
		if (want_vmware != (kind == M_VMWARE))
			continue;
		bulletins |= kind == M_BULLETIN;
		if ((rc = take_member(ld, z, name, kind, doc)) < 0)
			break;
	}
	swim_zip_free(z);
	if (rc < 0)
		return rc;
	if (!want_vmware && !bulletins && vmware)
		return unzip(ld, d, doc, true);
	return 0;
}

static int parse_member(struct load *ld, struct member *m,
                        xmlParserCtxt *ctxt)
{
	const char *xml = m->data.ptr;
	size_t len = m->data.len;

	switch (m->kind) {
	case M_VIB:
		return swim_descriptor_read_ctxt(&m->pkg, ctxt, xml, len, ld->lim,
		                                 m->name);
	case M_PROFILE:
		if (swim_profile_read(&m->prof, xml, len, ld->lim) < 0)
			return swim_error_prefix("%s: ", m->name);
		return 0;
	case M_BULLETIN:
		return swim_depot_bulletin_read_ctxt(&m->bul, ctxt, xml, len,
		                                     ld->lim, m->name);
	default:
		return swim_depot_vmware_read(&m->vm, xml, len, ld->lim,
		                              m->name);
	}
}

/* Parses published members until there are no more. */
static void *worker(void *p)
{
	struct load *ld = p;
	xmlParserCtxt *ctxt = xmlNewParserCtxt();  /* NULL: one per document */

	for (;;) {
		struct member *m;

		(void)pthread_mutex_lock(&ld->mu);
		while (ld->next >= ld->ready && !ld->done)
			(void)pthread_cond_wait(&ld->cv, &ld->mu);
		if (ld->next >= ld->ready) {
			(void)pthread_mutex_unlock(&ld->mu);
			break;
		}
		m = member_at(ld, ld->next++);
		(void)pthread_mutex_unlock(&ld->mu);
		if ((m->rc = parse_member(ld, m, ctxt)) < 0) {
			m->err = swim_strdup(swim_error_last());
			if (!m->err)
				m->rc = SWIM_ENOMEM;
		}
		swim_buf_dispose(&m->data);
	}
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return NULL;
}

/* Unzips on this thread while others parse, then helps parsing. */
static int read_members(struct load *ld, const swim_depot_doc *docs,
                        size_t n_docs)
{
	pthread_t th[MAX_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = 0, started = 0;
	uint64_t bytes = 0;
	int rc = 0;

	/* libxml2 sets itself up once, before any thread parses. */
	xmlInitParser();
	/* Threads for a metadata that is worth it, one per other CPU. */
	for (size_t d = 0; d < n_docs; d++)
		bytes += docs[d].data.len;
	if (bytes > (uint64_t)MIN_BYTES_FOR_THREADS && cpus > 1)
		want = (size_t)cpus - 1 > MAX_THREADS ? MAX_THREADS : (size_t)cpus - 1;
	for (size_t i = 0; i < want; i++)
		if (pthread_create(&th[started], NULL, worker, ld) == 0)
			started++;
	for (size_t d = 0; d < n_docs && rc == 0; d++)
		rc = unzip(ld, &docs[d], d, false);
	publish(ld, true);
	if (rc == 0)
		(void)worker(ld);
	for (size_t i = 0; i < started; i++)
		(void)pthread_join(th[i], NULL);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < ld->n; i++) {
		const struct member *m = member_at(ld, i);

		if (m->rc < 0) {
			(void)swim_error_set(m->rc, "%s", m->err ? m->err
			                                         : "out of memory");
			return swim_error_prefix("%s: ", docs[m->doc].path);
		}
	}
	return 0;
}

/* ---- assembling ----------------------------------------------------------- */

struct pkg_ref {
	swim_package *pkg;
	size_t member;          /* which member */
};

static int cmp_pkg_ref(const void *a, const void *b)
{
	const struct pkg_ref *x = a, *y = b;
	int c = strcmp(x->pkg->id, y->pkg->id);

	if (c)
		return c;
	return x->member < y->member ? -1 : x->member > y->member;
}

static bool same_file(const swim_package *a, const swim_package *b)
{
	return a->packed_size == b->packed_size &&
	       strcmp(a->vib_checksum->value, b->vib_checksum->value) == 0;
}

/* "ZIP: MEMBER" of member i, for messages. */
static int where(swim_buf *b, const struct load *ld,
                 const swim_depot_doc *docs, size_t i)
{
	return swim_buf_printf(b, "%s: %s", docs[member_at(ld, i)->doc].path,
	                       member_at(ld, i)->name);
}

static int check_depot_copy(const struct load *ld, const swim_depot_doc *docs,
                            size_t i)
{
	const swim_package *p = member_at(ld, i)->pkg;
	const char *missing = !p->relative_path ? "<relative-path>"
		: !p->has_packed_size ? "<packed-size>"
		: !p->vib_checksum ? "<checksum> of the .vib" : NULL;

	if (missing)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s: package %s has no %s",
		                      docs[member_at(ld, i)->doc].path, member_at(ld, i)->name,
		                      p->id, missing);
	if (strcmp(p->vib_checksum->type, "sha-256") != 0)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s: package %s: the .vib checksum is %s, not sha-256",
		                      docs[member_at(ld, i)->doc].path, member_at(ld, i)->name,
		                      p->id, p->vib_checksum->type);
	return 0;
}

/* Packages into c, sorted by id; the same id twice is one package when
 * the .vib is the same, else an error naming both files. */
static int take_packages(swim_depot_content *c, struct load *ld,
                         const swim_depot_doc *docs)
{
	struct pkg_ref *refs = NULL;
	swim_buf a = SWIM_BUF_INIT(0), b = SWIM_BUF_INIT(0);
	size_t n = 0, kept = 0;
	int rc = 0;

	for (size_t i = 0; i < ld->n; i++)
		n += member_at(ld, i)->kind == M_VIB;
	if (n > ld->lim->depot_max_packages)
		return swim_error_set(SWIM_ELIMIT,
		                      "more than depot_max_packages (%llu) packages",
		                      (unsigned long long)ld->lim->depot_max_packages);
	if (n && !(refs = calloc(n, sizeof(*refs))))
		return swim_error_oom();
	n = 0;
	for (size_t i = 0; i < ld->n; i++) {
		if (member_at(ld, i)->kind != M_VIB)
			continue;
		if ((rc = check_depot_copy(ld, docs, i)) < 0)
			goto out;
		refs[n].pkg = member_at(ld, i)->pkg;
		refs[n++].member = i;
	}
	if (n)
		qsort(refs, n, sizeof(*refs), cmp_pkg_ref);
	if (n && (!(c->pkgs = calloc(n, sizeof(*c->pkgs))) ||
	          !(c->pkg_meta = calloc(n, sizeof(*c->pkg_meta))) ||
	          !(c->pkg_member = calloc(n, sizeof(*c->pkg_member))))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct member *m = member_at(ld, refs[i].member);

		if (kept && strcmp(c->pkgs[kept - 1]->id, refs[i].pkg->id) == 0) {
			if (same_file(c->pkgs[kept - 1], refs[i].pkg))
				continue;
			swim_buf_clear(&a);
			swim_buf_clear(&b);
			if ((rc = where(&a, ld, docs, refs[i - 1].member)) == 0 &&
			    (rc = where(&b, ld, docs, refs[i].member)) == 0)
				rc = swim_error_set(SWIM_ECONFLICT,
				                    "package %s is described twice with different .vib files: %s and %s",
				                    refs[i].pkg->id, a.ptr, b.ptr);
			goto out;
		}
		c->pkgs[kept] = m->pkg;
		c->pkg_meta[kept] = (uint32_t)m->doc;
		c->pkg_member[kept] = m->name;
		m->pkg = NULL;
		m->name = NULL;
		c->n_pkgs = ++kept;
	}
out:
	free(refs);
	swim_buf_dispose(&a);
	swim_buf_dispose(&b);
	return rc;
}

static int cmp_bulletin(const void *a, const void *b)
{
	return strcmp(((const swim_bulletin *)a)->id,
	              ((const swim_bulletin *)b)->id);
}

/* The index of package `id` in c, or c->n_pkgs. */
static size_t pkg_index(const swim_depot_content *c, const char *id)
{
	size_t lo = 0, hi = c->n_pkgs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(c->pkgs[mid]->id, id);

		if (k == 0)
			return mid;
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c->n_pkgs;
}

/* An inline <vib> of vmware.xml must say what the package's vibs/X.xml
 * says about the .vib. */
static int check_ref(const swim_depot_content *c, const swim_depot_vibref *r,
                     const char *zip)
{
	size_t i = pkg_index(c, r->vib_id);
	const swim_package *p;

	if (i == c->n_pkgs)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: vmware.xml:%ld: package %s has no vibs/*.xml in the metadata",
		                      zip, r->line, r->vib_id);
	p = c->pkgs[i];
	if (r->relative_path && strcmp(r->relative_path, p->relative_path) != 0)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: vmware.xml:%ld: package %s: relative path %s differs from %s's %s",
		                      zip, r->line, r->vib_id, r->relative_path,
		                      c->pkg_member[i], p->relative_path);
	if (r->has_packed_size && r->packed_size != p->packed_size)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: vmware.xml:%ld: package %s: packed size %llu differs from %s's %llu",
		                      zip, r->line, r->vib_id,
		                      (unsigned long long)r->packed_size,
		                      c->pkg_member[i],
		                      (unsigned long long)p->packed_size);
	if (r->sha256 && !swim_str_ieq(r->sha256, p->vib_checksum->value))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: vmware.xml:%ld: package %s: sha-256 %s differs from %s's %s",
		                      zip, r->line, r->vib_id, r->sha256,
		                      c->pkg_member[i], p->vib_checksum->value);
	return 0;
}

static int push_bulletin(swim_bulletin **v, size_t *n, swim_bulletin *b)
{
	if ((*n & (*n - 1)) == 0) {
		swim_bulletin *g = reallocarray(*v, *n ? 2 * *n : 4, sizeof(*g));

		if (!g)
			return swim_error_oom();
		*v = g;
	}
	(*v)[(*n)++] = *b;
	memset(b, 0, sizeof(*b));
	return 0;
}

/* Bulletins of each metadata.zip: vmware.xml's when it has one, else
 * bulletins/X.xml. Every package they name must be in the depot. */
static int take_bulletins(swim_depot_content *c, struct load *ld,
                          const swim_depot_doc *docs, size_t n_docs)
{
	size_t kept = 0;
	int rc = 0;

	for (size_t d = 0; d < n_docs; d++) {
		struct member *vm = NULL;

		for (size_t i = 0; i < ld->n && !vm; i++)
			if (member_at(ld, i)->doc == d && member_at(ld, i)->kind == M_VMWARE)
				vm = member_at(ld, i);
		for (size_t i = 0; vm && i < vm->vm.n_refs; i++)
			if ((rc = check_ref(c, &vm->vm.refs[i], docs[d].path)) < 0)
				return rc;
		for (size_t i = 0; vm && i < vm->vm.n_bulletins; i++)
			if ((rc = push_bulletin(&c->bulletins, &c->n_bulletins,
			                        &vm->vm.bulletins[i])) < 0)
				return rc;
		for (size_t i = 0; !vm && i < ld->n; i++)
			if (member_at(ld, i)->doc == d && member_at(ld, i)->kind == M_BULLETIN &&
			    (rc = push_bulletin(&c->bulletins, &c->n_bulletins,
			                        &member_at(ld, i)->bul)) < 0)
				return rc;
	}
	if (c->n_bulletins > ld->lim->depot_max_packages)
		return swim_error_set(SWIM_ELIMIT,
		                      "more than depot_max_packages (%llu) bulletins",
		                      (unsigned long long)ld->lim->depot_max_packages);
	if (c->n_bulletins)
		qsort(c->bulletins, c->n_bulletins, sizeof(*c->bulletins),
		      cmp_bulletin);
	/* One bulletin per id: several metadata files may repeat it. */
	for (size_t i = 0; i < c->n_bulletins; i++) {
		if (kept && strcmp(c->bulletins[kept - 1].id,
		                   c->bulletins[i].id) == 0) {
			swim_bulletin_dispose(&c->bulletins[i]);
			continue;
		}
		if (kept != i) {
			c->bulletins[kept] = c->bulletins[i];
			memset(&c->bulletins[i], 0, sizeof(c->bulletins[i]));
		}
		kept++;
	}
	c->n_bulletins = kept;
	for (size_t i = 0; i < c->n_bulletins; i++)
		for (size_t k = 0; k < c->bulletins[i].n_vib_ids; k++)
			if (pkg_index(c, c->bulletins[i].vib_ids[k]) == c->n_pkgs)
				return swim_error_set(SWIM_EINVAL,
				                      "bulletin %s names package %s, which the metadata does not describe",
				                      c->bulletins[i].id,
				                      c->bulletins[i].vib_ids[k]);
	return 0;
}

struct prof_ref {
	swim_profile *prof;
	size_t member;
};

static int cmp_prof_ref(const void *a, const void *b)
{
	const struct prof_ref *x = a, *y = b;
	int c = strcmp(x->prof->name, y->prof->name);

	if (c)
		return c;
	return x->member < y->member ? -1 : x->member > y->member;
}

/* Profiles, sorted by name: one name is one profile (the same profile in
 * two metadata files is kept once). */
static int take_profiles(swim_depot_content *c, struct load *ld,
                         const swim_depot_doc *docs)
{
	struct prof_ref *refs = NULL;
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < ld->n; i++)
		n += member_at(ld, i)->kind == M_PROFILE;
	if (!n)
		return 0;
	if (!(c->profiles = calloc(n, sizeof(*c->profiles))) ||
	    !(refs = calloc(n, sizeof(*refs))))
		return swim_error_oom();
	for (size_t i = 0, k = 0; i < ld->n; i++)
		if (member_at(ld, i)->kind == M_PROFILE) {
			refs[k].prof = member_at(ld, i)->prof;
			refs[k++].member = i;
		}
	qsort(refs, n, sizeof(*refs), cmp_prof_ref);
	for (size_t i = 0; i < n; i++) {
		struct member *m = member_at(ld, refs[i].member);
		size_t kept = c->n_profiles;

		if (kept && strcmp(c->profiles[kept - 1]->name, m->prof->name) == 0) {
			const struct member *prev = member_at(ld, refs[i - 1].member);

			if (swim_profile_equal(c->profiles[kept - 1], m->prof))
				continue;
			rc = swim_error_set(SWIM_ECONFLICT,
			                    "image profile '%s' is defined twice, differently: %s: %s and %s: %s",
			                    m->prof->name, docs[prev->doc].path,
			                    prev->name, docs[m->doc].path, m->name);
			goto out;
		}
		c->profiles[c->n_profiles++] = m->prof;
		m->prof = NULL;
	}
out:
	free(refs);
	return rc;
}

int swim_depot_meta_load(swim_depot_content *c, swim_depot_doc *docs,
                         size_t n, const swim_limits *lim)
{
	struct load ld = { .lim = lim, .budget = lim->depot_max_metadata_bytes };
	int rc;

	ld.max_chunks = (size_t)(lim->depot_max_entries / CHUNK) + 1;
	if (!(ld.chunks = calloc(ld.max_chunks, sizeof(*ld.chunks))))
		return swim_error_oom();
	if (pthread_mutex_init(&ld.mu, NULL) != 0) {
		free(ld.chunks);
		return swim_error_set(SWIM_ERROR, "cannot create a mutex");
	}
	if (pthread_cond_init(&ld.cv, NULL) != 0) {
		(void)pthread_mutex_destroy(&ld.mu);
		free(ld.chunks);
		return swim_error_set(SWIM_ERROR, "cannot create a condition");
	}
	if ((rc = read_members(&ld, docs, n)) < 0 ||
	    (rc = take_packages(c, &ld, docs)) < 0 ||
	    (rc = take_bulletins(c, &ld, docs, n)) < 0 ||
	    (rc = take_profiles(c, &ld, docs)) < 0)
		goto out;
out:
	members_free(&ld);
	(void)pthread_cond_destroy(&ld.cv);
	(void)pthread_mutex_destroy(&ld.mu);
	return rc;
}

int swim_depot_content_take_metas(swim_depot_content *c,
                                  swim_depot_doc *docs, size_t n)
{
	if (n && !(c->metas = calloc(n, sizeof(*c->metas))))
		return swim_error_oom();
	for (size_t i = 0; i < n; i++) {
		c->metas[i] = docs[i].path;
		docs[i].path = NULL;
	}
	c->n_metas = n;
	return 0;
}

void swim_depot_content_dispose(swim_depot_content *c)
{
	if (c->arena) {
		swim_arena_free(c->arena);
		memset(c, 0, sizeof(*c));
		return;
	}
	swim_depot_vendors_free(c->vendors, c->n_vendors);
	swim_depot_channels_free(c->channels, c->n_channels);
	for (size_t i = 0; c->metas && i < c->n_metas; i++)
		free(c->metas[i]);
	free(c->metas);
	for (size_t i = 0; c->pkgs && i < c->n_pkgs; i++) {
		swim_package_free(c->pkgs[i]);
		free(c->pkg_member[i]);
	}
	free(c->pkgs);
	free(c->pkg_meta);
	free(c->pkg_member);
	swim_bulletins_free(c->bulletins, c->n_bulletins);
	for (size_t i = 0; c->profiles && i < c->n_profiles; i++)
		swim_profile_free(c->profiles[i]);
	free(c->profiles);
	memset(c, 0, sizeof(*c));
}
