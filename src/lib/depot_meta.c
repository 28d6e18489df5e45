/* The content of metadata.zip files: vibs/X.xml (the packages),
 * vmware.xml or bulletins/X.xml (the bulletins), profiles/X.xml, read
 * into one depot content with every cross-check.
 *
 * The members are unzipped first, then parsed by a few threads (parsing
 * is nearly all the cost of a cold load and each document stands alone);
 * the first failure in member order is reported, so messages do not
 * depend on scheduling. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/depot_private.h"
#include "lib/depot_xml.h"
#include "lib/zip.h"
#include "swim/error.h"
#include "util/str.h"

#define MAX_THREADS 8
#define MIN_MEMBERS_PER_THREAD 64

enum kind { M_VIB, M_PROFILE, M_BULLETIN, M_VMWARE };

struct member {
	enum kind kind;
	size_t doc;             /* which metadata.zip */
	char *name;
	size_t off, len;        /* in the shared data buffer */
	swim_package *pkg;
	swim_profile *prof;
	swim_bulletin bul;
	swim_depot_vmware vm;
	int rc;                 /* a parse failure: code and message */
	char *err;
};

struct load {
	struct member *m;
	size_t n;
	swim_buf data;          /* every member's bytes */
	const swim_limits *lim;
	atomic_size_t next;
};

static void members_free(struct member *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].name);
		swim_package_free(m[i].pkg);
		swim_profile_free(m[i].prof);
		swim_bulletin_dispose(&m[i].bul);
		swim_depot_vmware_dispose(&m[i].vm);
		free(m[i].err);
	}
	free(m);
}

static bool under(const char *name, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(name, dir, n) == 0 && name[n] && !strchr(name + n, '/') &&
	       strlen(name + n) > 4 &&
	       strcmp(name + strlen(name) - 4, ".xml") == 0;
}

/* Unzips the members swim reads from metadata.zip number `doc`. */
static int unzip(struct load *ld, const swim_depot_doc *d, size_t doc)
{
	swim_zip *z = NULL;
	const char *name;
	uint64_t size;
	int rc;

	if ((rc = swim_zip_open_memory(&z, d->data.ptr, d->data.len, d->path,
	                               ld->lim)) < 0)
		return rc;
	while ((rc = swim_zip_next(z, &name, &size)) == 1) {
		struct member *m;
		enum kind k;

		if (under(name, "vibs/"))
			k = M_VIB;
		else if (under(name, "profiles/"))
			k = M_PROFILE;
		else if (under(name, "bulletins/"))
			k = M_BULLETIN;
		else if (strcmp(name, "vmware.xml") == 0)
			k = M_VMWARE;
		else
			continue;  /* vendor-index.xml copy, newer ESXi kinds */
		if ((ld->n & (ld->n - 1)) == 0) {
			m = reallocarray(ld->m, ld->n ? 2 * ld->n : 16, sizeof(*m));
			if (!m) {
				rc = swim_error_oom();
				break;
			}
			ld->m = m;
		}
		m = &ld->m[ld->n];
		memset(m, 0, sizeof(*m));
		m->kind = k;
		m->doc = doc;
		m->off = ld->data.len;
		ld->n++;
		if (!(m->name = swim_strdup(name))) {
			rc = SWIM_ENOMEM;
			break;
		}
		if ((rc = swim_zip_read(z, &ld->data)) < 0) {
			if (rc == SWIM_ELIMIT)
				rc = swim_error_prefix("metadata larger than depot_max_metadata_bytes: ");
			break;
		}
		m->len = ld->data.len - m->off;
	}
	swim_zip_free(z);
	return rc < 0 ? rc : 0;
}

static int parse_member(struct load *ld, struct member *m)
{
	const char *xml = ld->data.ptr + m->off;

	switch (m->kind) {
	case M_VIB:
		return swim_descriptor_read_named(&m->pkg, xml, m->len, ld->lim,
		                                  m->name);
	case M_PROFILE:
		if (swim_profile_read(&m->prof, xml, m->len, ld->lim) < 0)
			return swim_error_prefix("%s: ", m->name);
		return 0;
	case M_BULLETIN:
		return swim_depot_bulletin_read(&m->bul, xml, m->len, ld->lim,
		                                m->name);
	default:
		return swim_depot_vmware_read(&m->vm, xml, m->len, ld->lim,
		                              m->name);
	}
}

static void *worker(void *p)
{
	struct load *ld = p;
	size_t i;

	while ((i = atomic_fetch_add(&ld->next, 1)) < ld->n) {
		struct member *m = &ld->m[i];

		if ((m->rc = parse_member(ld, m)) < 0) {
			m->err = swim_strdup(swim_error_last());
			if (!m->err)
				m->rc = SWIM_ENOMEM;
		}
	}
	return NULL;
}

static int parse_all(struct load *ld, const swim_depot_doc *docs)
{
	pthread_t th[MAX_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = ld->n / MIN_MEMBERS_PER_THREAD, started = 0;

	if (cpus < 1)
		cpus = 1;
	if (want > (size_t)cpus)
		want = (size_t)cpus;
	if (want > MAX_THREADS)
		want = MAX_THREADS;
	atomic_store(&ld->next, 0);
	/* This thread is one of the workers. */
	for (size_t i = 1; i < want; i++)
		if (pthread_create(&th[started], NULL, worker, ld) == 0)
			started++;
	(void)worker(ld);
	for (size_t i = 0; i < started; i++)
		(void)pthread_join(th[i], NULL);
	for (size_t i = 0; i < ld->n; i++) {
		const struct member *m = &ld->m[i];

		if (m->rc < 0) {
			if (!m->err)
				return swim_error_oom();
			(void)swim_error_set(m->rc, "%s", m->err);
			return swim_error_prefix("%s: ", docs[m->doc].path);
		}
	}
	return 0;
}

/* ---- assembling ----------------------------------------------------------- */

struct pkg_ref {
	swim_package *pkg;
	size_t member;          /* index into ld->m */
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
	return swim_buf_printf(b, "%s: %s", docs[ld->m[i].doc].path,
	                       ld->m[i].name);
}

static int check_depot_copy(const struct load *ld, const swim_depot_doc *docs,
                            size_t i)
{
	const swim_package *p = ld->m[i].pkg;
	const char *missing = !p->relative_path ? "<relative-path>"
		: !p->has_packed_size ? "<packed-size>"
		: !p->vib_checksum ? "<checksum> of the .vib" : NULL;

	if (missing)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s: package %s has no %s",
		                      docs[ld->m[i].doc].path, ld->m[i].name,
		                      p->id, missing);
	if (strcmp(p->vib_checksum->type, "sha-256") != 0)
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s: package %s: the .vib checksum is %s, not sha-256",
		                      docs[ld->m[i].doc].path, ld->m[i].name,
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
		n += ld->m[i].kind == M_VIB;
	if (n > ld->lim->depot_max_packages)
		return swim_error_set(SWIM_ELIMIT,
		                      "more than depot_max_packages (%llu) packages",
		                      (unsigned long long)ld->lim->depot_max_packages);
	if (n && !(refs = calloc(n, sizeof(*refs))))
		return swim_error_oom();
	n = 0;
	for (size_t i = 0; i < ld->n; i++) {
		if (ld->m[i].kind != M_VIB)
			continue;
		if ((rc = check_depot_copy(ld, docs, i)) < 0)
			goto out;
		refs[n].pkg = ld->m[i].pkg;
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
		struct member *m = &ld->m[refs[i].member];

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
			if (ld->m[i].doc == d && ld->m[i].kind == M_VMWARE)
				vm = &ld->m[i];
		for (size_t i = 0; vm && i < vm->vm.n_refs; i++)
			if ((rc = check_ref(c, &vm->vm.refs[i], docs[d].path)) < 0)
				return rc;
		for (size_t i = 0; vm && i < vm->vm.n_bulletins; i++)
			if ((rc = push_bulletin(&c->bulletins, &c->n_bulletins,
			                        &vm->vm.bulletins[i])) < 0)
				return rc;
		for (size_t i = 0; !vm && i < ld->n; i++)
			if (ld->m[i].doc == d && ld->m[i].kind == M_BULLETIN &&
			    (rc = push_bulletin(&c->bulletins, &c->n_bulletins,
			                        &ld->m[i].bul)) < 0)
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
		n += ld->m[i].kind == M_PROFILE;
	if (!n)
		return 0;
	if (!(c->profiles = calloc(n, sizeof(*c->profiles))) ||
	    !(refs = calloc(n, sizeof(*refs))))
		return swim_error_oom();
	for (size_t i = 0, k = 0; i < ld->n; i++)
		if (ld->m[i].kind == M_PROFILE) {
			refs[k].prof = ld->m[i].prof;
			refs[k++].member = i;
		}
	qsort(refs, n, sizeof(*refs), cmp_prof_ref);
	for (size_t i = 0; i < n; i++) {
		struct member *m = &ld->m[refs[i].member];
		size_t kept = c->n_profiles;

		if (kept && strcmp(c->profiles[kept - 1]->name, m->prof->name) == 0) {
			const struct member *prev = &ld->m[refs[i - 1].member];

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
	struct load ld = { .lim = lim };
	int rc = 0;

	swim_buf_init(&ld.data, lim->depot_max_metadata_bytes);
	for (size_t i = 0; i < n; i++) {
		if ((rc = unzip(&ld, &docs[i], i)) < 0)
			goto out;
		/* The zip is no longer needed: keep memory to one copy. */
		swim_buf_dispose(&docs[i].data);
	}
	if ((rc = parse_all(&ld, docs)) < 0 ||
	    (rc = take_packages(c, &ld, docs)) < 0 ||
	    (rc = take_bulletins(c, &ld, docs, n)) < 0 ||
	    (rc = take_profiles(c, &ld, docs)) < 0)
		goto out;
out:
	members_free(ld.m, ld.n);
	swim_buf_dispose(&ld.data);
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
