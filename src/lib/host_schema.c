/* The host database schema and its migrations.
 *
 * PRAGMA user_version is the schema version; migration N takes a database
 * from version N-1 to N, and a new database is made by running them all
 * from 0, so a fresh database and an upgraded one are built by the same
 * statements. A migration is SQL plus, when data must be transformed in C,
 * a hook; the whole chain runs in one transaction. A migration never
 * changes once released: evolve the schema by adding one.
 * tests/data/hostdb/vN.sql is a version-N database kept to test the chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/package.h"
#include "swim/profile.h"
#include "util/time.h"

/* Version 1: packages and their files, images, host state, depots,
 * history. */
static const char schema_v1[] =
	"CREATE TABLE host ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" acceptance TEXT NOT NULL DEFAULT 'partner'"
	"  CHECK (acceptance IN ('certified','accepted','partner','community')),"
	" maintenance_mode INTEGER NOT NULL DEFAULT 0"
	"  CHECK (maintenance_mode IN (0, 1)),"
	" consistent INTEGER NOT NULL DEFAULT 1 CHECK (consistent IN (0, 1)),"
	" inconsistent_reason TEXT,"
	" inconsistent_since TEXT,"
	" created TEXT NOT NULL);"
	"CREATE TABLE packages ("
	" pkg INTEGER PRIMARY KEY,"
	" vib_id TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" version TEXT NOT NULL,"
	" vendor TEXT NOT NULL,"
	" type TEXT NOT NULL,"
	" claimed_acceptance TEXT NOT NULL,"
	" acceptance TEXT NOT NULL,"
	" signer TEXT,"
	" install_date TEXT NOT NULL,"
	" source TEXT,"
	" descriptor TEXT NOT NULL);"
	"CREATE INDEX packages_vib_id ON packages(vib_id);"
	"CREATE INDEX packages_name ON packages(name, version);"
	"CREATE INDEX packages_vendor ON packages(vendor, type);"
	"CREATE TABLE files ("
	" pkg INTEGER NOT NULL REFERENCES packages(pkg) ON DELETE CASCADE,"
	" path TEXT NOT NULL,"
	" type TEXT NOT NULL CHECK (type IN ('f','d','l','c','b','p')),"
	" mode INTEGER NOT NULL,"
	" uid INTEGER NOT NULL,"
	" gid INTEGER NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT,"
	" link_target TEXT,"
	" rdev INTEGER NOT NULL DEFAULT 0,"
	" mtime INTEGER NOT NULL,"
	" payload TEXT,"
	" PRIMARY KEY (pkg, path)) WITHOUT ROWID;"
	"CREATE INDEX files_path ON files(path);"
	"CREATE TABLE images ("
	" slot TEXT PRIMARY KEY"
	"  CHECK (slot IN ('current','pending','previous')),"
	" guid TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" vendor TEXT NOT NULL,"
	" author TEXT,"
	" description TEXT,"
	" acceptance TEXT NOT NULL,"
	" creation_time TEXT NOT NULL,"
	" modified_time TEXT NOT NULL,"
	" read_only INTEGER NOT NULL DEFAULT 0,"
	" created TEXT NOT NULL);"
	"CREATE TABLE image_rules ("
	" slot TEXT NOT NULL REFERENCES images(slot)"
	"  ON UPDATE CASCADE ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (slot, seq));"
	"CREATE TABLE image_packages ("
	" slot TEXT NOT NULL REFERENCES images(slot)"
	"  ON UPDATE CASCADE ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" pkg INTEGER NOT NULL REFERENCES packages(pkg),"
	" PRIMARY KEY (slot, name));"
	"CREATE INDEX image_packages_pkg ON image_packages(pkg);"
	"CREATE TABLE depots ("
	" name TEXT PRIMARY KEY,"
	" url TEXT NOT NULL UNIQUE,"
	" enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),"
	" added TEXT NOT NULL);"
	"CREATE TABLE history ("
	" id INTEGER PRIMARY KEY,"
	" started TEXT NOT NULL,"
	" finished TEXT,"
	" user TEXT NOT NULL,"
	" command TEXT NOT NULL,"
	" operation TEXT NOT NULL,"
	" result TEXT NOT NULL"
	"  CHECK (result IN ('running','success','failed','interrupted')),"
	" message TEXT,"
	" reboot_required INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE history_changes ("
	" history INTEGER NOT NULL REFERENCES history(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('installed','removed','skipped')),"
	" vib_id TEXT NOT NULL,"
	" PRIMARY KEY (history, seq));";

/* The host row and an empty current image with a fresh GUID. */
static int hook_v1(swim_host *h)
{
	swim_profile *p = NULL;
	sqlite3_stmt *st = NULL;
	char now[SWIM_TIME_ISO_SIZE];
	int rc;

	if ((rc = swim_time_now_iso(now)) < 0 ||
	    (rc = swim_profile_new(&p, "", "")) < 0 ||
	    (rc = swim_host__prepare(h, &st,
	                             "INSERT INTO host (id, created) VALUES (1, ?)")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, now)) < 0 ||
	    (rc = swim_host__step_done(h, st)) < 0)
		goto out;
	sqlite3_finalize(st);
	if ((rc = swim_host__prepare(h, &st,
	                             "INSERT INTO images (slot, guid, name, vendor,"
	                             " acceptance, creation_time, modified_time, created)"
	                             " VALUES ('current', ?1, '', '', 'partner', ?2, ?2, ?2)")) < 0 ||
	    (rc = swim_host__bind_text(h, st, 1, p->guid)) < 0 ||
	    (rc = swim_host__bind_text(h, st, 2, now)) < 0)
		goto out;
	rc = swim_host__step_done(h, st);
out:
	sqlite3_finalize(st);
	swim_profile_free(p);
	return rc;
}

/* Version 2: what issue 6's images and the transaction engine need: the
 * payloads of each package (so the store knows which slots need what),
 * the payload store, and the transaction journal. */
static const char schema_v2[] =
	"CREATE TABLE package_payloads ("
	" pkg INTEGER NOT NULL REFERENCES packages(pkg) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" sha256 TEXT,"
	" size INTEGER,"
	" PRIMARY KEY (pkg, name));"
	"CREATE INDEX package_payloads_sha256 ON package_payloads(sha256);"
	"CREATE TABLE store ("
	" sha256 TEXT PRIMARY KEY,"
	" size INTEGER NOT NULL,"
	" added TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE journal ("
	" txn INTEGER PRIMARY KEY,"
	" history INTEGER REFERENCES history(id) ON DELETE SET NULL,"
	" target TEXT NOT NULL"
	"  CHECK (target IN ('current','pending','previous')),"
	" state TEXT NOT NULL"
	"  CHECK (state IN ('planned','applying','committed')),"
	" created TEXT NOT NULL,"
	" updated TEXT NOT NULL);"
	"CREATE TABLE journal_steps ("
	" txn INTEGER NOT NULL REFERENCES journal(txn) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" action TEXT NOT NULL"
	"  CHECK (action IN ('create','replace','remove','mkdir','rmdir')),"
	" path TEXT NOT NULL,"
	" staged TEXT,"
	" backup TEXT,"
	" state TEXT NOT NULL DEFAULT 'planned'"
	"  CHECK (state IN ('planned','done','undone')),"
	" PRIMARY KEY (txn, seq)) WITHOUT ROWID;";

/* Fills package_payloads from the descriptors stored by version 1. */
static int hook_v2(swim_host *h)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	swim_package *pkg = NULL;
	int rc;

	if ((rc = swim_host__prepare(h, &sel,
	                             "SELECT pkg, descriptor FROM packages")) < 0 ||
	    (rc = swim_host__prepare(h, &ins,
	                             "INSERT INTO package_payloads (pkg, name, sha256, size)"
	                             " VALUES (?, ?, ?, ?)")) < 0)
		goto out;
	while ((rc = swim_host__step(h, sel)) > 0) {
		const char *xml = (const char *)sqlite3_column_text(sel, 1);
		int64_t id = sqlite3_column_int64(sel, 0);

		swim_package_free(pkg);
		pkg = NULL;
		if ((rc = swim_descriptor_read_named(&pkg, xml ? xml : "",
		                                     (size_t)sqlite3_column_bytes(sel, 1),
		                                     &h->limits, "stored descriptor")) < 0) {
			rc = swim_error_prefix("%s: package record %lld: ",
			                       h->shown_db, (long long)id);
			goto out;
		}
		for (size_t i = 0; i < pkg->n_payloads; i++) {
			const swim_payload *p = &pkg->payloads[i];
			const swim_checksum *c = swim_payload_checksum(p, "sha-256",
			                                               NULL);

			sqlite3_reset(ins);
			sqlite3_clear_bindings(ins);
			if ((rc = swim_host__bind_i64(h, ins, 1, id)) < 0 ||
			    (rc = swim_host__bind_text(h, ins, 2, p->name)) < 0 ||
			    (rc = swim_host__bind_text(h, ins, 3,
			                               c ? c->value : NULL)) < 0 ||
			    (p->has_size &&
			     (rc = swim_host__bind_i64(h, ins, 4,
			                               (int64_t)p->size)) < 0) ||
			    (rc = swim_host__step_done(h, ins)) < 0)
				goto out;
		}
	}
out:
	swim_package_free(pkg);
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return rc;
}

/* Version 3: the two tables written a row per file, with the same
 * checks spelled as OR chains. SQLite codes a CHECK "x IN (list of more
 * than two constants)" as an ephemeral index built on every execution of
 * the INSERT: recording 100,000 files or journal steps took 0.45 s more
 * each. Rebuilt as SQLite's ALTER TABLE documentation says (new table,
 * copy, drop, rename, indexes again). */
static const char schema_v3[] =
	"CREATE TABLE files_v3 ("
	" pkg INTEGER NOT NULL REFERENCES packages(pkg) ON DELETE CASCADE,"
	" path TEXT NOT NULL,"
	" type TEXT NOT NULL CHECK (type = 'f' OR type = 'd' OR type = 'l' OR"
	"  type = 'c' OR type = 'b' OR type = 'p'),"
	" mode INTEGER NOT NULL,"
	" uid INTEGER NOT NULL,"
	" gid INTEGER NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT,"
	" link_target TEXT,"
	" rdev INTEGER NOT NULL DEFAULT 0,"
	" mtime INTEGER NOT NULL,"
	" payload TEXT,"
	" PRIMARY KEY (pkg, path)) WITHOUT ROWID;"
	"INSERT INTO files_v3 (pkg, path, type, mode, uid, gid, size, sha256,"
	" link_target, rdev, mtime, payload)"
	" SELECT pkg, path, type, mode, uid, gid, size, sha256, link_target,"
	" rdev, mtime, payload FROM files;"
	"DROP TABLE files;"
	"ALTER TABLE files_v3 RENAME TO files;"
	"CREATE INDEX files_path ON files(path);"
	"CREATE TABLE journal_steps_v3 ("
	" txn INTEGER NOT NULL REFERENCES journal(txn) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" action TEXT NOT NULL CHECK (action = 'create' OR action = 'replace' OR"
	"  action = 'remove' OR action = 'mkdir' OR action = 'rmdir'),"
	" path TEXT NOT NULL,"
	" staged TEXT,"
	" backup TEXT,"
	" state TEXT NOT NULL DEFAULT 'planned'"
	"  CHECK (state = 'planned' OR state = 'done' OR state = 'undone'),"
	" PRIMARY KEY (txn, seq)) WITHOUT ROWID;"
	"INSERT INTO journal_steps_v3 (txn, seq, action, path, staged, backup,"
	" state)"
	" SELECT txn, seq, action, path, staged, backup, state"
	" FROM journal_steps;"
	"DROP TABLE journal_steps;"
	"ALTER TABLE journal_steps_v3 RENAME TO journal_steps;";

static const struct migration {
	const char *sql;
	int (*hook)(swim_host *h);
} migrations[] = {
	{ schema_v1, hook_v1 },  /* 0 -> 1 */
	{ schema_v2, hook_v2 },  /* 1 -> 2 */
	{ schema_v3, NULL },     /* 2 -> 3 */
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) ==
               SWIM_HOST_SCHEMA_VERSION,
               "one migration per schema version");

const char *swim_host__schema_sql(int version)
{
	if (version < 1 || version > SWIM_HOST_SCHEMA_VERSION)
		return NULL;
	return migrations[version - 1].sql;
}

int swim_host__check_schema(swim_host *h, int *version)
{
	int64_t app, ver, objects;
	int rc;

	*version = 0;
	if ((rc = swim_host__int_query(&app, h, "PRAGMA application_id",
	                               NULL)) < 0 ||
	    (rc = swim_host__int_query(&ver, h, "PRAGMA user_version",
	                               NULL)) < 0 ||
	    (rc = swim_host__int_query(&objects, h,
	                               "SELECT count(*) FROM sqlite_schema",
	                               NULL)) < 0)
		return rc;
	if (app != SWIM_HOST_APPLICATION_ID && (app != 0 || objects != 0))
		return swim_error_set(SWIM_EINVAL,
		                      "%s is not a swim database (application id %lld)",
		                      h->shown_db, (long long)app);
	if (ver > SWIM_HOST_SCHEMA_VERSION)
		return swim_error_set(SWIM_ENOTSUPPORTED,
		                      "%s has schema version %lld, newer than version "
		                      "%d that this swim knows; use a newer swim",
		                      h->shown_db, (long long)ver,
		                      SWIM_HOST_SCHEMA_VERSION);
	if (ver < 0 || (ver == 0 && objects != 0))
		return swim_error_set(SWIM_EINVAL,
		                      "%s: unknown schema version %lld",
		                      h->shown_db, (long long)ver);
	*version = (int)ver;
	return 0;
}

int swim_host__migrate(swim_host *h, int target)
{
	char sql[96];
	int version, rc;
	bool in_tx = false;

	if ((rc = swim_host__check_schema(h, &version)) < 0)
		return rc;
	if (version >= target)
		return 0;
	/* Migrations may rebuild tables; foreign keys are checked once at
	 * the end instead (SQLite's documented procedure). */
	if ((rc = swim_host__exec(h, "PRAGMA foreign_keys = OFF")) < 0)
		return rc;
	if ((rc = swim_host__exec(h, "BEGIN IMMEDIATE")) < 0)
		goto out;
	in_tx = true;
	for (int v = version; v < target; v++) {
		if ((rc = swim_host__exec(h, migrations[v].sql)) < 0 ||
		    (migrations[v].hook && (rc = migrations[v].hook(h)) < 0)) {
			rc = swim_error_prefix("upgrading the schema to version %d: ",
			                       v + 1);
			goto out;
		}
	}
	(void)snprintf(sql, sizeof(sql),
	               "PRAGMA application_id = %d; PRAGMA user_version = %d",
	               SWIM_HOST_APPLICATION_ID, target);
	if ((rc = swim_host__exec(h, sql)) < 0)
		goto out;
	{
		int64_t broken;

		if ((rc = swim_host__int_query(&broken, h,
		                               "SELECT count(*) FROM pragma_foreign_key_check",
		                               NULL)) < 0)
			goto out;
		if (broken) {
			rc = swim_error_set(SWIM_EINVAL,
			                    "%s: upgrading the schema to version %d "
			                    "leaves %lld broken references",
			                    h->shown_db, target, (long long)broken);
			goto out;
		}
	}
	rc = swim_host__exec(h, "COMMIT");
	in_tx = rc < 0;
out:
	if (in_tx)
		(void)sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	(void)sqlite3_exec(h->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}
