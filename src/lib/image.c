/* Image slots (current, pending, previous): their profiles and package
 * sets, and the moves between them that boot activation and rollback are
 * made of. */
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "util/str.h"
#include "util/time.h"

static const char *const slot_names[SWIM_IMAGE_SLOTS] = {
	[SWIM_IMAGE_CURRENT] = "current",
	[SWIM_IMAGE_PENDING] = "pending",
	[SWIM_IMAGE_PREVIOUS] = "previous",
};

const char *swim_image_slot_name(swim_image_slot slot)
{
	if ((unsigned)slot >= SWIM_IMAGE_SLOTS)
		return "unknown";
	return slot_names[slot];
}

int swim_host__slot(const char **out, swim_image_slot slot)
{
	*out = NULL;
	if ((unsigned)slot >= SWIM_IMAGE_SLOTS)
		return swim_error_set(SWIM_EINVAL, "no image slot %d", (int)slot);
	*out = slot_names[slot];
	return 0;
}

int swim_host__slot_parse(swim_image_slot *out, const char *s)
{
	for (unsigned i = 0; s && i < SWIM_IMAGE_SLOTS; i++)
		if (strcmp(slot_names[i], s) == 0) {
			*out = (swim_image_slot)i;
			return 0;
		}
	return swim_error_set(SWIM_EINVAL, "no image slot '%s'", s ? s : "");
}

int swim_image_exists(bool *out, swim_host *h, swim_image_slot slot)
{
	const char *name;
	int64_t n = 0;
	int rc;

	*out = false;
	if ((rc = swim_host__slot(&name, slot)) < 0 ||
	    (rc = swim_host__int_query(&n, h,
	                               "SELECT count(*) FROM images WHERE slot = ?",
	                               name)) < 0)
		return rc;
	*out = n > 0;
	return 0;
}

/* Runs `sql` with the slot texts a (?1) and b (?2, may be NULL). */
static int slot_exec(swim_host *h, const char *sql, const char *a,
                     const char *b)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &st, sql)) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, a)) == 0 &&
	    (!b || (rc = swim_host__bind_text(h, st, 2, b)) == 0))
		rc = swim_host__step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

/* The package name of a record. */
static int record_name(char **out, swim_host *h, int64_t record)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT name FROM packages WHERE pkg = ?")) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 1, record)) == 0) {
		rc = swim_host__step(h, st);
		if (rc == 0)
			rc = swim_error_set(SWIM_ENOTFOUND, "no package record %lld",
			                    (long long)record);
		else if (rc > 0)
			rc = swim_host__column_text(out, st, 0);
	}
	sqlite3_finalize(st);
	return rc;
}

static int need_slot(swim_host *h, swim_image_slot slot, const char **name)
{
	bool exists;
	int rc;

	if ((rc = swim_host__slot(name, slot)) < 0 ||
	    (rc = swim_image_exists(&exists, h, slot)) < 0)
		return rc;
	if (!exists)
		return swim_error_set(SWIM_ENOTFOUND, "there is no %s image", *name);
	return 0;
}

int swim_image_add(swim_host *h, swim_image_slot slot, int64_t record)
{
	char *pkg_name = NULL, **held = NULL;
	sqlite3_stmt *st = NULL;
	const char *name;
	size_t n_held = 0;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = need_slot(h, slot, &name)) < 0 ||
	    (rc = record_name(&pkg_name, h, record)) < 0 ||
	    (rc = swim_host__strv_query(&held, &n_held, h,
	                                "SELECT p.vib_id FROM image_packages i"
	                                " JOIN packages p ON p.pkg = i.pkg"
	                                " WHERE i.slot = ?1 AND i.name = ?2",
	                                name, pkg_name)) < 0)
		goto out;
	if (n_held) {
		rc = swim_error_set(SWIM_ECONFLICT,
		                    "the %s image has %s already (one version of "
		                    "%s at a time)", name, held[0], pkg_name);
		goto out;
	}
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO image_packages (slot, name, pkg)"
	                             " VALUES (?, ?, ?)")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, name)) == 0 &&
	    (rc = swim_host__bind_text(h, st, 2, pkg_name)) == 0 &&
	    (rc = swim_host__bind_i64(h, st, 3, record)) == 0)
		rc = swim_host__step_done(h, st);
out:
	sqlite3_finalize(st);
	free(pkg_name);
	swim_host_strv_free(held, n_held);
	return swim_host__finish(h, rc);
}

int swim_image_remove(swim_host *h, swim_image_slot slot, const char *name)
{
	const char *slot_name;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = need_slot(h, slot, &slot_name)) == 0 &&
	    (rc = slot_exec(h, "DELETE FROM image_packages WHERE slot = ?1"
	                       " AND name = ?2", slot_name, name ? name : "")) == 0 &&
	    sqlite3_changes(h->db) == 0)
		rc = swim_error_set(SWIM_ENOTFOUND,
		                    "the %s image has no package named '%s'",
		                    slot_name, name ? name : "");
	return swim_host__finish(h, rc);
}

/* ---- profiles ------------------------------------------------------------ */

static int profile_rules(swim_profile *p, swim_host *h, const char *slot)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT name, value FROM image_rules"
	                             " WHERE slot = ? ORDER BY seq")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, slot)) < 0)
		goto out;
	while ((rc = swim_host__step(h, st)) > 0) {
		swim_profile_rule *r = realloc(p->rules,
		                               (p->n_rules + 1) * sizeof(*r));

		if (!r) {
			rc = swim_error_oom();
			goto out;
		}
		p->rules = r;
		r = &p->rules[p->n_rules];
		memset(r, 0, sizeof(*r));
		p->n_rules++;
		if ((rc = swim_host__column_text(&r->name, st, 0)) < 0 ||
		    (rc = swim_host__column_text(&r->value, st, 1)) < 0)
			goto out;
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int swim_image_profile(swim_profile **out, swim_host *h,
                       swim_image_slot slot)
{
	swim_profile *p = NULL;
	sqlite3_stmt *st = NULL;
	char **ids = NULL;
	size_t n_ids = 0;
	const char *name;
	int rc;

	*out = NULL;
	if ((rc = need_slot(h, slot, &name)) < 0)
		return rc;
	if (!(p = calloc(1, sizeof(*p)))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT guid, name, vendor, author, description,"
	                             " acceptance, creation_time, modified_time, read_only"
	                             " FROM images WHERE slot = ?")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, name)) < 0 ||
	    (rc = swim_host__step(h, st)) < 0)
		goto out;
	if ((rc = swim_host__column_text(&p->guid, st, 0)) < 0 ||
	    (rc = swim_host__column_text(&p->name, st, 1)) < 0 ||
	    (rc = swim_host__column_text(&p->vendor, st, 2)) < 0 ||
	    (rc = swim_host__column_text(&p->author, st, 3)) < 0 ||
	    (rc = swim_host__column_text(&p->description, st, 4)) < 0 ||
	    (rc = swim_acceptance_parse(&p->acceptance,
	                                (const char *)sqlite3_column_text(st, 5))) < 0 ||
	    (rc = swim_host__column_text(&p->creation_time, st, 6)) < 0 ||
	    (rc = swim_host__column_text(&p->modified_time, st, 7)) < 0)
		goto out;
	p->read_only = sqlite3_column_int(st, 8) != 0;
	if ((rc = profile_rules(p, h, name)) < 0 ||
	    (rc = swim_host__strv_query(&ids, &n_ids, h,
	                                "SELECT p.vib_id FROM image_packages i"
	                                " JOIN packages p ON p.pkg = i.pkg"
	                                " WHERE i.slot = ?", name, NULL)) < 0)
		goto out;
	for (size_t i = 0; i < n_ids && rc == 0; i++)
		rc = swim_profile_add_vib(p, ids[i]);
	if (rc < 0)
		goto out;
	*out = p;
	p = NULL;
out:
	sqlite3_finalize(st);
	swim_host_strv_free(ids, n_ids);
	swim_profile_free(p);
	return rc;
}

/* A host image may be unnamed (a fresh host); a named one follows Image
 * Builder's rules. */
static int check_profile(const swim_profile *p, const swim_limits *lim)
{
	if (!p || !p->guid || !p->name || !p->vendor || !p->creation_time ||
	    !p->modified_time)
		return swim_error_set(SWIM_EINVAL,
		                      "image profile: guid, name, vendor and times "
		                      "are needed");
	if (p->acceptance < SWIM_ACCEPTANCE_COMMUNITY ||
	    p->acceptance > SWIM_ACCEPTANCE_CERTIFIED)
		return swim_error_set(SWIM_EINVAL,
		                      "image profile: no acceptance level");
	if (*p->name) {
		/* The package list is the slot's, not checked here. */
		swim_profile names_only = *p;

		names_only.vib_ids = NULL;
		names_only.n_vib_ids = 0;
		return swim_profile_check(&names_only, lim);
	}
	return 0;
}

static int store_rules(swim_host *h, const char *slot, const swim_profile *p)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = slot_exec(h, "DELETE FROM image_rules WHERE slot = ?", slot,
	                    NULL)) < 0 ||
	    (rc = swim_host__prepare(h, &st,
	                             "INSERT INTO image_rules (slot, seq, name, value)"
	                             " VALUES (?, ?, ?, ?)")) < 0)
		goto out;
	for (size_t i = 0; i < p->n_rules && rc == 0; i++) {
		sqlite3_reset(st);
		if ((rc = swim_host__bind_text(h, st, 1, slot)) == 0 &&
		    (rc = swim_host__bind_i64(h, st, 2, (int64_t)i + 1)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 3, p->rules[i].name)) == 0 &&
		    (rc = swim_host__bind_text(h, st, 4, p->rules[i].value)) == 0)
			rc = swim_host__step_done(h, st);
	}
out:
	sqlite3_finalize(st);
	return rc;
}

int swim_image_profile_set(swim_host *h, swim_image_slot slot,
                           const swim_profile *p)
{
	sqlite3_stmt *st = NULL;
	char now[SWIM_TIME_ISO_SIZE];
	const char *name;
	int rc;

	if ((rc = swim_host__slot(&name, slot)) < 0 ||
	    (rc = check_profile(p, &h->limits)) < 0 ||
	    (rc = swim_time_now_iso(now)) < 0 ||
	    (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO images (slot, guid, name, vendor, author,"
	                             " description, acceptance, creation_time, modified_time,"
	                             " read_only, created)"
	                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	                             " ON CONFLICT (slot) DO UPDATE SET guid = ?2, name = ?3,"
	                             " vendor = ?4, author = ?5, description = ?6,"
	                             " acceptance = ?7, creation_time = ?8,"
	                             " modified_time = ?9, read_only = ?10")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, name)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 2, p->guid)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 3, p->name)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 4, p->vendor)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 5, p->author)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 6, p->description)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 7,
	                               swim_acceptance_name(p->acceptance))) < 0 ||
	    (rc = swim_host__bind_text(h, st, 8, p->creation_time)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 9, p->modified_time)) < 0 ||
	    (rc = swim_host__bind_i64(h, st, 10, p->read_only)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 11, now)) < 0 ||
	    (rc = swim_host__step_done(h, st)) < 0)
		goto out;
	rc = store_rules(h, name, p);
out:
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

#define UPDATED_PREFIX "(Updated) "

int swim_image_profile_mark_updated(swim_profile *p)
{
	size_t len, chars = 0, cut;
	char *name;

	if (p->name && *p->name &&
	    strncmp(p->name, UPDATED_PREFIX, strlen(UPDATED_PREFIX)) != 0) {
		len = strlen(UPDATED_PREFIX) + strlen(p->name);
		if (!(name = malloc(len + 1)))
			return swim_error_oom();
		memcpy(name, UPDATED_PREFIX, strlen(UPDATED_PREFIX));
		memcpy(name + strlen(UPDATED_PREFIX), p->name,
		       strlen(p->name) + 1);
		/* Keep at most SWIM_PROFILE_NAME_MAX characters, cutting
		 * between UTF-8 sequences. */
		for (cut = 0; cut < len; cut++)
			if (((unsigned char)name[cut] & 0xc0) != 0x80 &&
			    ++chars > SWIM_PROFILE_NAME_MAX)
				break;
		name[cut] = '\0';
		free(p->name);
		p->name = name;
	}
	return swim_profile_touch(p);
}

/* ---- moving images between slots ------------------------------------------ */

int swim_image_copy(swim_host *h, swim_image_slot from, swim_image_slot to)
{
	char now[SWIM_TIME_ISO_SIZE];
	sqlite3_stmt *st = NULL;
	const char *f, *t;
	int rc;

	if ((rc = swim_host__slot(&t, to)) < 0 ||
	    (rc = swim_time_now_iso(now)) < 0 || (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = need_slot(h, from, &f)) < 0)
		goto out;
	if (from == to)
		goto out;
	if ((rc = slot_exec(h, "DELETE FROM images WHERE slot = ?", t,
	                    NULL)) < 0 ||
	    (rc = swim_host__prepare(h, &st,
	                             "INSERT INTO images (slot, guid, name, vendor, author,"
	                             " description, acceptance, creation_time, modified_time,"
	                             " read_only, created)"
	                             " SELECT ?2, guid, name, vendor, author, description,"
	                             " acceptance, creation_time, modified_time, read_only, ?3"
	                             " FROM images WHERE slot = ?1")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, f)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 2, t)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 3, now)) < 0 ||
	    (rc = swim_host__step_done(h, st)) < 0 ||
	    (rc = slot_exec(h, "INSERT INTO image_packages (slot, name, pkg)"
	                       " SELECT ?2, name, pkg FROM image_packages"
	                       " WHERE slot = ?1", f, t)) < 0)
		goto out;
	rc = slot_exec(h, "INSERT INTO image_rules (slot, seq, name, value)"
	                  " SELECT ?2, seq, name, value FROM image_rules"
	                  " WHERE slot = ?1", f, t);
out:
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

int swim_image_move(swim_host *h, swim_image_slot from, swim_image_slot to)
{
	const char *f, *t;
	bool exists;
	int rc;

	if ((rc = swim_host__slot(&t, to)) < 0 || (rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = need_slot(h, from, &f)) < 0 ||
	    (rc = swim_image_exists(&exists, h, to)) < 0)
		goto out;
	if (exists) {
		rc = swim_error_set(SWIM_EEXISTS, "there is a %s image already", t);
		goto out;
	}
	/* ON UPDATE CASCADE takes the packages and rules along. */
	rc = slot_exec(h, "UPDATE images SET slot = ?2 WHERE slot = ?1", f, t);
out:
	return swim_host__finish(h, rc);
}

int swim_image_delete(swim_host *h, swim_image_slot slot)
{
	const char *name;
	int rc;

	if ((rc = swim_host__slot(&name, slot)) < 0)
		return rc;
	if (slot == SWIM_IMAGE_CURRENT)
		return swim_error_set(SWIM_EINVAL,
		                      "the current image cannot be deleted");
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	return swim_host__finish(h, slot_exec(h, "DELETE FROM images WHERE slot = ?", name,
	                           NULL));
}

int swim_image_gc(swim_host *h, uint64_t *n_removed)
{
	int rc;

	if (n_removed)
		*n_removed = 0;
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	rc = swim_host__exec(h, "DELETE FROM packages WHERE pkg NOT IN"
	                        " (SELECT pkg FROM image_packages)");
	if (rc == 0 && n_removed)
		*n_removed = (uint64_t)sqlite3_changes(h->db);
	return swim_host__finish(h, rc);
}

/* ---- what a slot holds --------------------------------------------------- */

void swim_image_info_dispose(swim_image_info *i)
{
	if (!i)
		return;
	free(i->name);
	free(i->created);
	free(i->modified);
	memset(i, 0, sizeof(*i));
}

int swim_image_info_get(swim_image_info *out, swim_host *h,
                        swim_image_slot slot)
{
	sqlite3_stmt *st = NULL;
	const char *name;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = swim_host__slot(&name, slot)) < 0 ||
	    (rc = swim_host__prepare(h, &st,
	                             "SELECT name, created, modified_time,"
	                             " (SELECT count(*) FROM image_packages p"
	                             "  WHERE p.slot = i.slot)"
	                             " FROM images i WHERE slot = ?")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, name)) < 0 ||
	    (rc = swim_host__step(h, st)) <= 0)
		goto out;
	out->present = true;
	out->n_packages = (size_t)sqlite3_column_int64(st, 3);
	if ((rc = swim_host__column_text(&out->name, st, 0)) == 0 &&
	    (rc = swim_host__column_text(&out->created, st, 1)) == 0)
		rc = swim_host__column_text(&out->modified, st, 2);
out:
	sqlite3_finalize(st);
	if (rc < 0)
		swim_image_info_dispose(out);
	return rc < 0 ? rc : 0;
}

int swim_image_same_packages(bool *out, swim_host *h, swim_image_slot a,
                             swim_image_slot b)
{
	sqlite3_stmt *st = NULL;
	const char *na, *nb;
	int rc;

	*out = false;
	if ((rc = need_slot(h, a, &na)) < 0 || (rc = need_slot(h, b, &nb)) < 0)
		return rc;
	/* Records one slot holds and the other does not, either way. */
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT (SELECT count(*) FROM"
	                             "  (SELECT pkg FROM image_packages WHERE slot = ?1"
	                             "   EXCEPT SELECT pkg FROM image_packages WHERE slot = ?2))"
	                             " + (SELECT count(*) FROM"
	                             "  (SELECT pkg FROM image_packages WHERE slot = ?2"
	                             "   EXCEPT SELECT pkg FROM image_packages WHERE slot = ?1))")) == 0 &&
	    (rc = swim_host__bind_text(h, st, 1, na)) == 0 &&
	    (rc = swim_host__bind_text(h, st, 2, nb)) == 0 &&
	    (rc = swim_host__step(h, st)) > 0) {
		*out = sqlite3_column_int64(st, 0) == 0;
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}
