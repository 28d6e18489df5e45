/* The host: opening (read-only, write, empty roots), the schema version
 * and its migrations, host state, depots, history and transactions. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/host_private.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/host.h"
#include "swim/image.h"
#include "swim/journal.h"
#include "swim/store.h"
#include "util/fs.h"

static const swim_host_options opts = { .command = "test_host" };

static swim_host *open_write(const char *root)
{
	swim_host *h = NULL;

	swim_assert_ok(swim_host_open(&h, root, SWIM_HOST_WRITE, &opts));
	return h;
}

static swim_host *open_read(const char *root)
{
	swim_host *h = NULL;

	swim_assert_ok(swim_host_open(&h, root, SWIM_HOST_READ, &opts));
	return h;
}

static bool exists(const char *root, const char *rel)
{
	char *p = swim_test_path(root, rel);
	struct stat st;
	bool r = lstat(p, &st) == 0;

	free(p);
	return r;
}

/* Runs SQL on the database file directly, as another program would. */
static void sql_on_db(const char *root, const char *sql)
{
	char *p = swim_test_path(root, "var/lib/swim/swim.db");
	sqlite3 *db = NULL;
	char *err = NULL;

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	free(p);
}

static long long int_on_db(const char *root, const char *sql)
{
	char *p = swim_test_path(root, "var/lib/swim/swim.db");
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(p);
	return v;
}

static void test_host__root_must_be_a_directory(void **state)
{
	char *root = swim_test_tmpdir(), *file = swim_test_path(root, "file"),
	     *missing = swim_test_path(root, "missing");
	swim_host *h = NULL;

	(void)state;
	swim_test_write_file(file, "x", 1);
	swim_assert_error(swim_host_open(&h, missing, SWIM_HOST_READ, NULL),
	                  SWIM_ENOTFOUND, "does not exist");
	swim_assert_error(swim_host_open(&h, file, SWIM_HOST_WRITE, NULL),
	                  SWIM_EINVAL, "is not a directory");
	assert_null(h);
	assert_false(exists(root, "file/var"));
	swim_test_rmtree(root);
	free(root);
	free(file);
	free(missing);
}

static void test_host__read_only_without_database_is_empty(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_read(root);
	swim_host_package **pkgs = NULL;
	swim_host_depot *depots = NULL;
	swim_history_entry *hist = NULL;
	swim_host_state st;
	swim_profile *p = NULL;
	size_t n = 9;

	(void)state;
	assert_false(swim_host_has_database(h));
	assert_false(swim_host_writable(h));
	assert_int_equal(swim_host_state_fd(h), -1);
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_int_equal(st.acceptance, SWIM_ACCEPTANCE_PARTNER);
	assert_false(st.maintenance_mode);
	assert_true(st.consistent);
	swim_host_state_dispose(&st);
	swim_assert_ok(swim_image_packages(&pkgs, &n, h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 0);
	swim_host_package_list_free(pkgs, n);
	swim_assert_ok(swim_image_profile(&p, h, SWIM_IMAGE_CURRENT));
	assert_string_equal(p->name, "");
	assert_int_equal(p->n_vib_ids, 0);
	assert_int_equal(strlen(p->guid), 32);
	swim_profile_free(p);
	swim_assert_ok(swim_host_depot_list(&depots, &n, h, false));
	assert_int_equal(n, 0);
	swim_assert_ok(swim_history_list(&hist, &n, h, 0));
	assert_int_equal(n, 0);
	swim_assert_error(swim_host_depot_add(h, "d", "/srv/d"), SWIM_EACCESS,
	                  "is open read-only");
	swim_assert_error(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_COMMUNITY),
	                  SWIM_EACCESS, "is open read-only");
	swim_host_close(h);
	/* Nothing was created. */
	assert_false(exists(root, "var"));
	swim_test_rmtree(root);
	free(root);
}

static void test_host__write_creates_readable_database(void **state)
{
	char *root = swim_test_tmpdir(), *db = swim_test_path(root, "var/lib/swim/swim.db");
	mode_t old = umask(077);
	swim_host *h = open_write(root);
	struct stat st;

	(void)state;
	assert_true(swim_host_has_database(h));
	assert_true(swim_host_writable(h));
	swim_host_close(h);
	umask(old);
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	free(db);
	db = swim_test_path(root, "var/lib/swim");
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_true(exists(root, "var/lib/swim/lock"));
	/* What the transaction engine reaches its work areas with. */
	h = open_write(root);
	{
		swim_buf p = SWIM_BUF_INIT(0);
		char *want = swim_test_path(root, "var/lib/swim/store");
		struct stat a, b;

		swim_assert_ok(swim_host_state_path(&p, h, "store"));
		assert_string_equal(p.ptr, want);
		assert_int_equal(fstat(swim_host_state_fd(h), &a), 0);
		assert_int_equal(stat(db, &b), 0);
		assert_true(a.st_ino == b.st_ino && S_ISDIR(a.st_mode));
		assert_true(swim_host_root_fd(h) >= 0);
		swim_buf_dispose(&p);
		free(want);
	}
	swim_host_close(h);
	/* The WAL files stay, so that read-only users can open with them. */
	assert_true(exists(root, "var/lib/swim/swim.db-wal"));
	assert_int_equal(int_on_db(root, "PRAGMA user_version"),
	                 SWIM_HOST_SCHEMA_VERSION);
	assert_int_equal(int_on_db(root, "PRAGMA application_id"),
	                 SWIM_HOST_APPLICATION_ID);
	h = open_read(root);
	assert_true(swim_host_has_database(h));
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
	free(db);
}

/* A package may have left ROOT/var a symlink pointing out of the root;
 * the state directory is still looked for inside the root. */
static void test_host__never_writes_outside_the_root(void **state)
{
	char *root = swim_test_tmpdir(), *outside = swim_test_tmpdir();
	char *var = swim_test_path(root, "var"), *ovar = swim_test_path(outside, "var");
	char *sub = swim_test_path(root, "srv/state"), *link = NULL;
	swim_host *h = NULL;

	(void)state;
	assert_int_equal(mkdir(ovar, 0755), 0);
	assert_int_equal(symlink(ovar, var), 0);
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_WRITE, &opts),
	                  SWIM_EINVAL, "/var is a symbolic link that leads to "
	                  "no directory inside the root");
	assert_true(exists(outside, "var"));
	assert_false(exists(outside, "var/lib"));
	/* Relative escapes stop at the root as well. */
	assert_int_equal(unlink(var), 0);
	assert_true(asprintf(&link, "../../../../../../..%s", ovar) > 0);
	assert_int_equal(symlink(link, var), 0);
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_WRITE, &opts),
	                  SWIM_EINVAL, "is a symbolic link");
	assert_false(exists(outside, "var/lib"));
	/* A symlink that stays inside the root is followed inside it. */
	assert_int_equal(unlink(var), 0);
	swim_assert_ok(swim_fs_mkdir_p(sub, 0755));
	assert_int_equal(symlink("/srv/state", var), 0);
	h = open_write(root);
	swim_host_close(h);
	assert_true(exists(root, "srv/state/lib/swim/swim.db"));
	h = open_read(root);
	assert_true(swim_host_has_database(h));
	swim_host_close(h);
	swim_test_rmtree(root);
	swim_test_rmtree(outside);
	free(root);
	free(outside);
	free(var);
	free(ovar);
	free(sub);
	free(link);
}

static void test_host__newer_schema_is_refused(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_write(root);

	(void)state;
	swim_host_close(h);
	sql_on_db(root, "PRAGMA user_version = 99");
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_WRITE, &opts),
	                  SWIM_ENOTSUPPORTED,
	                  "has schema version 99, newer than version 3 that this "
	                  "swim knows");
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_READ, &opts),
	                  SWIM_ENOTSUPPORTED, "schema version 99");
	assert_int_equal(int_on_db(root, "PRAGMA user_version"), 99);
	swim_test_rmtree(root);
	free(root);
}

static void test_host__foreign_database_is_refused(void **state)
{
	char *root = swim_test_tmpdir(), *dir = swim_test_path(root, "var/lib/swim");
	swim_host *h = NULL;

	(void)state;
	swim_assert_ok(swim_fs_mkdir_p(dir, 0755));
	sql_on_db(root, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_WRITE, &opts),
	                  SWIM_EINVAL, "is not a swim database");
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_READ, &opts),
	                  SWIM_EINVAL, "is not a swim database");
	swim_test_rmtree(root);
	free(root);
	free(dir);
}

/* Loads a fixture ("hostdb/v1.sql") as ROOT's database. */
static void load_fixture(const char *root, const char *fixture)
{
	char *dir = swim_test_path(root, "var/lib/swim");
	char *sql = swim_test_data(fixture, NULL);

	swim_assert_ok(swim_fs_mkdir_p(dir, 0755));
	sql_on_db(root, sql);
	free(sql);
	free(dir);
}

/* What the fixture holds, whichever way it was upgraded. */
static void check_v1_content(swim_host *h)
{
	static const char nigx_sha[] =
		"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
	static const char acme_sha[] =
		"2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";
	swim_host_package **pkgs = NULL;
	swim_host_depot *depots = NULL;
	swim_history_entry *hist = NULL;
	swim_profile *p = NULL;
	swim_host_state st;
	unsigned refs;
	size_t n;

	swim_assert_ok(swim_image_packages(&pkgs, &n, h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 2);
	assert_string_equal(pkgs[0]->pkg->name, "acme-fan-control");
	assert_int_equal(pkgs[0]->proven, SWIM_ACCEPTANCE_COMMUNITY);
	assert_null(pkgs[0]->signer);
	assert_string_equal(pkgs[1]->pkg->id,
	                    "VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807");
	assert_string_equal(pkgs[1]->signer, "CN=swim test certified");
	assert_string_equal(pkgs[1]->pkg->install_date, "2024-03-01T09:00:00Z");
	assert_string_equal(pkgs[1]->source, "https://depot.example/index.xml");
	swim_host_package_list_free(pkgs, n);
	swim_assert_ok(swim_image_profile(&p, h, SWIM_IMAGE_CURRENT));
	assert_string_equal(p->name, "(Updated) fixture-standard");
	assert_int_equal(p->n_vib_ids, 2);
	assert_int_equal(p->n_rules, 1);
	swim_profile_free(p);
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_int_equal(st.acceptance, SWIM_ACCEPTANCE_COMMUNITY);
	assert_false(st.consistent);
	assert_string_equal(st.inconsistent_reason, "--force (vib install)");
	swim_host_state_dispose(&st);
	swim_assert_ok(swim_host_depot_list(&depots, &n, h, false));
	assert_int_equal(n, 2);
	assert_false(depots[1].enabled);
	swim_host_depot_list_free(depots, n);
	swim_assert_ok(swim_history_list(&hist, &n, h, 0));
	assert_int_equal(n, 2);
	assert_int_equal(hist[1].n_installed, 1);
	swim_history_list_free(hist, n);
	/* Version 2's payload table was filled from the descriptors. */
	swim_assert_ok(swim_store_refs(&refs, h, nigx_sha));
	assert_int_equal(refs, SWIM_STORE_REF(SWIM_IMAGE_CURRENT));
	swim_assert_ok(swim_store_refs(&refs, h, acme_sha));
	assert_int_equal(refs, SWIM_STORE_REF(SWIM_IMAGE_CURRENT));
}

static void test_host__migrates_from_version_1(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h;

	(void)state;
	load_fixture(root, "hostdb/v1.sql");
	/* Read-only upgrades a copy in memory and leaves the file alone. */
	h = open_read(root);
	check_v1_content(h);
	swim_host_close(h);
	assert_int_equal(int_on_db(root, "PRAGMA user_version"), 1);
	/* Writing upgrades the file. */
	h = open_write(root);
	check_v1_content(h);
	swim_host_close(h);
	assert_int_equal(int_on_db(root, "PRAGMA user_version"),
	                 SWIM_HOST_SCHEMA_VERSION);
	assert_int_equal(int_on_db(root, "SELECT count(*) FROM package_payloads"),
	                 3);
	h = open_read(root);
	check_v1_content(h);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

static int third_step(const swim_journal_step *s, void *ctx)
{
	if (s->seq != 3)
		return 0;
	*(const swim_journal_step **)ctx = s;
	assert_int_equal(s->action, SWIM_JOURNAL_REPLACE);
	assert_string_equal(s->path, "etc/a.conf");
	assert_string_equal(s->staged, "etc/.swim-9-3");
	assert_string_equal(s->backup, "etc/.swim-9-3.old");
	return 0;
}

/* Version 2 kept what version 1 held, and its unfinished journal. */
static void check_v2_content(swim_host *h)
{
	const swim_journal_step *seen = NULL;
	swim_journal *j = NULL;
	size_t n;

	check_v1_content(h);
	swim_assert_ok(swim_journal_unfinished(&j, &n, h));
	assert_int_equal(n, 1);
	assert_int_equal(j[0].txn, 7);
	assert_int_equal(j[0].state, SWIM_JOURNAL_PLANNED);
	assert_int_equal(j[0].n_steps, 3);
	swim_assert_ok(swim_journal_foreach(h, 7, false, third_step, &seen));
	assert_non_null(seen);
	swim_journal_list_free(j, n);
}

/* What the SQLite library says to SQL run on the file directly. */
static int rc_on_db(const char *root, const char *sql)
{
	char *p = swim_test_path(root, "var/lib/swim/swim.db");
	sqlite3 *db = NULL;
	int rc;

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	free(p);
	return rc;
}

static void test_host__migrates_from_version_2(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h;

	(void)state;
	load_fixture(root, "hostdb/v2.sql");
	h = open_read(root);
	check_v2_content(h);
	swim_host_close(h);
	assert_int_equal(int_on_db(root, "PRAGMA user_version"), 2);
	/* A writer upgrades the file, then replays the journal (nothing it
	 * names exists) and ends it. */
	h = open_write(root);
	check_v1_content(h);
	swim_host_close(h);
	assert_int_equal(int_on_db(root, "SELECT count(*) FROM journal"), 0);
	assert_int_equal(int_on_db(root, "PRAGMA user_version"),
	                 SWIM_HOST_SCHEMA_VERSION);
	assert_int_equal(int_on_db(root, "SELECT count(*) FROM files"), 7);
	/* The rebuilt tables refuse what they refused. */
	assert_int_equal(rc_on_db(root, "INSERT INTO files (pkg, path, type, "
	                          "mode, uid, gid, size, mtime) VALUES (1, 'x', "
	                          "'x', 0, 0, 0, 0, 0)"), SQLITE_CONSTRAINT);
	assert_int_equal(rc_on_db(root, "INSERT INTO journal_steps (txn, seq, "
	                          "action, path) VALUES (7, 4, 'move', 'x')"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_on_db(root, "PRAGMA foreign_keys = ON; INSERT INTO "
	                          "files (pkg, path, type, mode, uid, gid, size, "
	                          "mtime) VALUES (99, 'x', 'f', 0, 0, 0, 0, 0)"),
	                 SQLITE_CONSTRAINT);
	h = open_read(root);
	check_v1_content(h);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

/* Each fixture's schema is exactly what the migrations up to its version
 * make, so the chain is tested from the real earlier versions. */
static void check_fixture_schema(const char *fixture, int version)
{
	static const char q[] =
		"SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema"
		" WHERE sql IS NOT NULL ORDER BY name)";
	char *sql = swim_test_data(fixture, NULL);
	const unsigned char *a, *b;
	sqlite3 *fix = NULL, *mig = NULL;
	sqlite3_stmt *sa = NULL, *sb = NULL;

	assert_int_equal(sqlite3_open(":memory:", &fix), SQLITE_OK);
	assert_int_equal(sqlite3_open(":memory:", &mig), SQLITE_OK);
	assert_int_equal(sqlite3_exec(fix, sql, NULL, NULL, NULL), SQLITE_OK);
	for (int v = 1; v <= version; v++)
		assert_int_equal(sqlite3_exec(mig, swim_host__schema_sql(v), NULL,
		                              NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(fix, q, -1, &sa, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(mig, q, -1, &sb, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(sa), SQLITE_ROW);
	assert_int_equal(sqlite3_step(sb), SQLITE_ROW);
	a = sqlite3_column_text(sa, 0);
	b = sqlite3_column_text(sb, 0);
	assert_non_null(a);
	assert_string_equal((const char *)a, (const char *)b);
	sqlite3_finalize(sa);
	sqlite3_finalize(sb);
	sqlite3_close(fix);
	sqlite3_close(mig);
	free(sql);
}

static void test_host__fixtures_match_the_migrations(void **state)
{
	(void)state;
	check_fixture_schema("hostdb/v1.sql", 1);
	check_fixture_schema("hostdb/v2.sql", 2);
	assert_null(swim_host__schema_sql(SWIM_HOST_SCHEMA_VERSION + 1));
}

/* Adds a package record to the current image with a proven level. */
static void add_installed(swim_host *h, const char *descriptor,
                          swim_acceptance proven)
{
	swim_host_package in = { .proven = proven };
	int64_t rec;

	in.pkg = swim_test_descriptor(descriptor);
	swim_assert_ok(swim_host_package_add(&rec, h, &in, NULL, 0));
	swim_assert_ok(swim_image_add(h, SWIM_IMAGE_CURRENT, rec));
	swim_package_free(in.pkg);
}

static void test_host__acceptance_level(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_write(root);
	swim_history_entry *hist = NULL;
	swim_host_state st;
	size_t n;

	(void)state;
	swim_assert_ok(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_COMMUNITY));
	add_installed(h, "descriptors/community-full.xml",
	              SWIM_ACCEPTANCE_COMMUNITY);
	add_installed(h, "descriptors/relations.xml", SWIM_ACCEPTANCE_ACCEPTED);
	add_installed(h, "descriptors/certified-driver.xml",
	              SWIM_ACCEPTANCE_CERTIFIED);
	swim_assert_error(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_CERTIFIED),
	                  SWIM_EACCEPTANCE,
	                  "Unable to set acceptance level of certified due to "
	                  "installed VIBs Acme Labs_bootbank_acme-fan-control_2.1.0-3.acme, "
	                  "VMware_locker_tools-bundle_3:12.1.5-20735119 having a "
	                  "lower acceptance level.");
	swim_assert_error(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_PARTNER),
	                  SWIM_EACCEPTANCE, "installed VIBs Acme Labs_bootbank_"
	                  "acme-fan-control_2.1.0-3.acme having");
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_int_equal(st.acceptance, SWIM_ACCEPTANCE_COMMUNITY);
	swim_host_state_dispose(&st);
	swim_assert_ok(swim_image_remove(h, SWIM_IMAGE_CURRENT,
	                                 "acme-fan-control"));
	swim_assert_ok(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_ACCEPTED));
	swim_assert_error(swim_host_acceptance_set(h, (swim_acceptance)9),
	                  SWIM_EINVAL, "not an acceptance level");
	swim_host_close(h);

	h = open_read(root);
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_int_equal(st.acceptance, SWIM_ACCEPTANCE_ACCEPTED);
	swim_host_state_dispose(&st);
	swim_assert_ok(swim_history_list(&hist, &n, h, 0));
	assert_int_equal(n, 2);
	assert_string_equal(hist[1].operation, "acceptance set");
	assert_string_equal(hist[1].message,
	                    "Host acceptance level changed to 'VMwareAccepted'.");
	assert_int_equal(hist[1].result, SWIM_HISTORY_SUCCESS);
	assert_string_equal(hist[1].command, "test_host");
	swim_history_list_free(hist, n);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

static void test_host__maintenance_and_consistency(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_write(root);
	swim_host_state st;

	(void)state;
	swim_assert_ok(swim_host_maintenance_set(h, true));
	swim_assert_ok(swim_host_mark_inconsistent(h, "--force (vib install)"));
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_true(st.maintenance_mode);
	assert_false(st.consistent);
	assert_string_equal(st.inconsistent_reason, "--force (vib install)");
	assert_non_null(st.inconsistent_since);
	swim_host_state_dispose(&st);
	swim_assert_ok(swim_host_mark_inconsistent(h, "--no-sig-check (vib install)"));
	swim_assert_ok(swim_host_mark_inconsistent(h, "--force (vib install)"));
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_string_equal(st.inconsistent_reason,
	                    "--force (vib install); --no-sig-check (vib install)");
	swim_host_state_dispose(&st);
	swim_assert_error(swim_host_mark_inconsistent(h, ""), SWIM_EINVAL,
	                  "needs a reason");
	swim_assert_ok(swim_host_mark_consistent(h));
	swim_assert_ok(swim_host_maintenance_set(h, false));
	swim_assert_ok(swim_host_state_get(&st, h));
	assert_true(st.consistent);
	assert_false(st.maintenance_mode);
	assert_null(st.inconsistent_reason);
	assert_null(st.inconsistent_since);
	swim_host_state_dispose(&st);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

static void test_host__depots(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_write(root);
	swim_history_entry *hist = NULL;
	swim_host_depot *d = NULL;
	size_t n;

	(void)state;
	swim_assert_ok(swim_host_depot_add(h, "vendor", "https://depot.example/index.xml"));
	swim_assert_ok(swim_host_depot_add(h, "local", "/srv/depot.zip"));
	swim_assert_ok(swim_host_depot_add(h, "files", "file:///srv/depot"));
	swim_assert_error(swim_host_depot_add(h, "vendor", "/other"), SWIM_EEXISTS,
	                  "a depot named 'vendor' exists already");
	swim_assert_error(swim_host_depot_add(h, "again", "/srv/depot.zip"),
	                  SWIM_EEXISTS, "depot 'local' has the same URL already");
	swim_assert_error(swim_host_depot_add(h, "-x", "/a"), SWIM_EINVAL,
	                  "may only hold letters");
	swim_assert_error(swim_host_depot_add(h, "a b", "/a"), SWIM_EINVAL,
	                  "may only hold letters");
	swim_assert_error(swim_host_depot_add(h, "rel", "depot.zip"), SWIM_EINVAL,
	                  "nor an absolute path");
	swim_assert_error(swim_host_depot_add(h, "ftp", "ftp://x/"), SWIM_EINVAL,
	                  "nor an absolute path");
	swim_assert_error(swim_host_depot_add(h, "ctl", "/a\nb"), SWIM_EINVAL,
	                  "control characters");
	swim_assert_ok(swim_host_depot_enable(h, "local", false));
	swim_assert_ok(swim_host_depot_list(&d, &n, h, false));
	assert_int_equal(n, 3);
	assert_string_equal(d[0].name, "files");
	assert_string_equal(d[1].name, "local");
	assert_false(d[1].enabled);
	assert_string_equal(d[2].url, "https://depot.example/index.xml");
	assert_true(d[2].enabled);
	assert_int_equal(strlen(d[2].added), 20);
	swim_host_depot_list_free(d, n);
	swim_assert_ok(swim_host_depot_list(&d, &n, h, true));
	assert_int_equal(n, 2);
	swim_host_depot_list_free(d, n);
	swim_assert_ok(swim_host_depot_remove(h, "files"));
	swim_assert_error(swim_host_depot_remove(h, "files"), SWIM_ENOTFOUND,
	                  "no depot named 'files'");
	swim_assert_error(swim_host_depot_enable(h, "nope", true), SWIM_ENOTFOUND,
	                  "no depot named 'nope'");
	swim_assert_ok(swim_history_list(&hist, &n, h, 2));
	assert_int_equal(n, 2);
	assert_string_equal(hist[0].operation, "depot disable");
	assert_string_equal(hist[1].operation, "depot remove");
	assert_string_equal(hist[1].message, "Depot 'files' removed.");
	swim_history_list_free(hist, n);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

static void test_host__history(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_write(root);
	swim_history_entry *v = NULL;
	int64_t id, id2;
	uint64_t closed;
	size_t n;

	(void)state;
	swim_assert_ok(swim_history_begin(&id, h, "vib install"));
	swim_assert_ok(swim_history_add(h, id, SWIM_HISTORY_INSTALLED, "V_t_a_1"));
	swim_assert_ok(swim_history_add(h, id, SWIM_HISTORY_REMOVED, "V_t_a_0"));
	swim_assert_ok(swim_history_add(h, id, SWIM_HISTORY_INSTALLED, "V_t_b_1"));
	swim_assert_ok(swim_history_add(h, id, SWIM_HISTORY_SKIPPED, "V_t_c_1"));
	swim_assert_ok(swim_history_finish(h, id, SWIM_HISTORY_SUCCESS,
	                                   "The update completed successfully, but "
	                                   "the system needs to be rebooted for the "
	                                   "changes to be effective.", true));
	swim_assert_ok(swim_history_begin(&id2, h, "vib remove"));
	swim_assert_error(swim_history_finish(h, 999, SWIM_HISTORY_FAILED, NULL,
	                                      false), SWIM_ENOTFOUND,
	                  "no history entry 999");
	swim_assert_error(swim_history_finish(h, id2, SWIM_HISTORY_RUNNING, NULL,
	                                      false), SWIM_EINVAL, "bad history");
	swim_assert_ok(swim_history_interrupt_running(h, &closed));
	assert_int_equal(closed, 1);
	swim_assert_ok(swim_history_list(&v, &n, h, 0));
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, id);
	assert_int_equal(v[0].n_installed, 2);
	assert_string_equal(v[0].installed[1], "V_t_b_1");
	assert_int_equal(v[0].n_removed, 1);
	assert_int_equal(v[0].n_skipped, 1);
	assert_true(v[0].reboot_required);
	assert_non_null(v[0].finished);
	assert_string_equal(v[0].command, "test_host");
	assert_int_equal(v[1].result, SWIM_HISTORY_INTERRUPTED);
	assert_string_equal(swim_history_result_name(v[1].result), "interrupted");
	swim_history_list_free(v, n);
	swim_assert_ok(swim_history_list(&v, &n, h, 1));
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, id2);
	swim_history_list_free(v, n);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

static void test_host__transactions_nest_and_roll_back(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *h = open_write(root);
	swim_host_depot *d = NULL;
	size_t n;

	(void)state;
	swim_assert_ok(swim_host_begin(h));
	swim_assert_ok(swim_host_depot_add(h, "a", "/a"));
	swim_host_rollback(h);
	swim_assert_ok(swim_host_begin(h));
	swim_assert_ok(swim_host_depot_add(h, "b", "/b"));
	swim_assert_ok(swim_host_begin(h));
	swim_assert_ok(swim_host_depot_add(h, "c", "/c"));
	swim_host_rollback(h);
	swim_assert_ok(swim_host_commit(h));
	swim_assert_error(swim_host_commit(h), SWIM_EINVAL, "commit without begin");
	/* A failing change inside a transaction leaves the rest of it. */
	swim_assert_ok(swim_host_begin(h));
	swim_assert_ok(swim_host_depot_add(h, "d", "/d"));
	assert_int_not_equal(swim_host_depot_add(h, "d", "/d2"), 0);
	swim_assert_ok(swim_host_commit(h));
	swim_assert_ok(swim_host_depot_list(&d, &n, h, false));
	assert_int_equal(n, 2);
	assert_string_equal(d[0].name, "b");
	assert_string_equal(d[1].name, "d");
	swim_host_depot_list_free(d, n);
	/* Closing with a transaction open rolls it back. */
	swim_assert_ok(swim_host_begin(h));
	swim_assert_ok(swim_host_depot_add(h, "e", "/e"));
	swim_host_close(h);
	h = open_read(root);
	swim_assert_ok(swim_host_depot_list(&d, &n, h, false));
	assert_int_equal(n, 2);
	swim_host_depot_list_free(d, n);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

/* A reader opened while a writer works sees every commit (WAL files). */
static void test_host__reader_sees_writer_commits(void **state)
{
	char *root = swim_test_tmpdir();
	swim_host *w = open_write(root), *r;
	swim_host_depot *d = NULL;
	char *holder = NULL;
	size_t n;

	(void)state;
	swim_assert_ok(swim_host_depot_add(w, "one", "/one"));
	r = open_read(root);
	swim_assert_ok(swim_host_depot_list(&d, &n, r, false));
	assert_int_equal(n, 1);
	swim_host_depot_list_free(d, n);
	swim_assert_ok(swim_host_lock_holder(&holder, r));
	assert_non_null(holder);
	assert_non_null(strstr(holder, "(test_host)"));
	free(holder);
	swim_assert_ok(swim_host_depot_add(w, "two", "/two"));
	swim_assert_ok(swim_host_depot_list(&d, &n, r, false));
	assert_int_equal(n, 2);
	swim_host_depot_list_free(d, n);
	swim_host_close(w);
	swim_assert_ok(swim_host_lock_holder(&holder, r));
	assert_null(holder);
	swim_host_close(r);
	swim_test_rmtree(root);
	free(root);
}

static void test_host__settings_from_swim_conf(void **state)
{
	char *root = swim_test_tmpdir(), *conf = swim_test_path(root, "etc/swim/swim.conf");
	swim_limits lim;
	swim_host *h;

	(void)state;
	swim_test_write_file(conf, "lock_timeout_seconds = 7\ncache_dir = /c\n",
	                     strlen("lock_timeout_seconds = 7\ncache_dir = /c\n"));
	h = open_read(root);
	assert_int_equal(swim_host_limits(h)->lock_timeout_seconds, 7);
	assert_string_equal(swim_conf_get(swim_host_conf(h), "cache_dir"), "/c");
	assert_string_equal(swim_host_root(h), root);
	swim_host_close(h);
	/* Limits given by the caller win. */
	swim_limits_init(&lim);
	lim.lock_timeout_seconds = 3;
	{
		swim_host_options o = { .lim = &lim };

		swim_assert_ok(swim_host_open(&h, root, SWIM_HOST_READ, &o));
		assert_int_equal(swim_host_limits(h)->lock_timeout_seconds, 3);
		swim_host_close(h);
	}
	swim_test_write_file(conf, "bogus = 1\n", 10);
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_READ, NULL),
	                  SWIM_EINVAL, "unknown setting 'bogus'");
	swim_test_rmtree(root);
	free(root);
	free(conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host__root_must_be_a_directory),
		cmocka_unit_test(test_host__read_only_without_database_is_empty),
		cmocka_unit_test(test_host__write_creates_readable_database),
		cmocka_unit_test(test_host__never_writes_outside_the_root),
		cmocka_unit_test(test_host__newer_schema_is_refused),
		cmocka_unit_test(test_host__foreign_database_is_refused),
		cmocka_unit_test(test_host__migrates_from_version_1),
		cmocka_unit_test(test_host__migrates_from_version_2),
		cmocka_unit_test(test_host__fixtures_match_the_migrations),
		cmocka_unit_test(test_host__acceptance_level),
		cmocka_unit_test(test_host__maintenance_and_consistency),
		cmocka_unit_test(test_host__depots),
		cmocka_unit_test(test_host__history),
		cmocka_unit_test(test_host__transactions_nest_and_roll_back),
		cmocka_unit_test(test_host__reader_sees_writer_commits),
		cmocka_unit_test(test_host__settings_from_swim_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
