/* A package already recorded in the database, as the apply half wants
 * an arriving package: its entries from the file rows, each pointing at
 * the payload that holds it (the content is read from the payload store).
 * Activation brings the pending image's records this way, and a repair
 * brings the damaged files of installed records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/transaction_private.h"
#include "swim/error.h"
#include "util/str.h"

struct from_record {
	swim_txn_pkg *p;
	const swim_strmap *only;
	size_t cap;
};

static int add_entry(const swim_host_file *f, void *ctx)
{
	struct from_record *fr = ctx;
	swim_txn_pkg *p = fr->p;
	const swim_package *pkg = p->pkg;
	swim_txn_entry *e;
	size_t k;

	if (fr->only && !swim_strmap_get(fr->only, f->path))
		return 0;
	for (k = 0; f->payload && k < pkg->n_payloads; k++)
		if (strcmp(pkg->payloads[k].name, f->payload) == 0)
			break;
	if (!f->payload || k == pkg->n_payloads)
		return swim_error_set(SWIM_EINVAL, "VIB %s: the database names no "
		                      "payload of it for %s", pkg->id, f->path);
	if (p->n_entries == fr->cap) {
		size_t ncap = fr->cap ? fr->cap * 2 : 64;
		swim_txn_entry *grown = realloc(p->entries, ncap * sizeof(*grown));

		if (!grown)
			return swim_error_oom();
		p->entries = grown;
		fr->cap = ncap;
	}
	e = &p->entries[p->n_entries];
	memset(e, 0, sizeof(*e));
	if (!(e->path = swim_strdup(f->path)) ||
	    (f->link_target && !(e->link_target = swim_strdup(f->link_target)))) {
		free(e->path);
		return SWIM_ENOMEM;
	}
	p->n_entries++;
	e->type = f->type;
	e->mode = f->mode;
	e->uid = f->uid;
	e->gid = f->gid;
	e->size = f->size;
	e->mtime = f->mtime;
	e->payload = (uint32_t)k;
	if (f->sha256)
		(void)snprintf(e->sha256, sizeof(e->sha256), "%s", f->sha256);
	if (f->type == SWIM_FILE_REGULAR)
		p->file_bytes += f->size;
	return 0;
}

int swim_txn_pkg_from_record(swim_txn_pkg *p, swim_host *h,
                             const swim_host_package *rec,
                             const swim_strmap *only)
{
	struct from_record fr = { .p = p, .only = only };
	int rc;

	memset(p, 0, sizeof(*p));
	p->pkg = rec->pkg;
	p->record = rec->record;
	p->rank = rec->record;
	p->proven = rec->proven;
	if ((rc = swim_host_files_foreach(h, rec->record, add_entry, &fr)) < 0)
		swim_txn_pkg_dispose(p);
	return rc;
}
