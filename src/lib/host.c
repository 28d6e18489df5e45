/* Opening a host: the root, the state directory inside it, the database
 * (read-only, or for writing under the lock), and the host state. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/transaction.h"
#include "util/fs.h"
#include "util/str.h"
#include "util/time.h"

#define STATE_DIR "var/lib/swim"
#define DB_NAME "swim.db"

void swim_host_close(swim_host *h)
{
	if (!h)
		return;
	while (h->tx_depth > 0)
		swim_host_rollback(h);
	if (h->db)
		(void)sqlite3_close_v2(h->db);
	swim_host__unlock(h);
	if (h->state_fd >= 0)
		(void)close(h->state_fd);
	if (h->root_fd >= 0)
		(void)close(h->root_fd);
	swim_conf_free(h->conf);
	free(h->root);
	free(h->shown_root);
	free(h->shown_db);
	free(h->state_dir);
	free(h->command);
	free(h->user);
	free(h);
}

const char *swim_host_root(const swim_host *h)
{
	return h->root;
}

const swim_limits *swim_host_limits(const swim_host *h)
{
	return &h->limits;
}

const swim_conf *swim_host_conf(const swim_host *h)
{
	return h->conf;
}

bool swim_host_writable(const swim_host *h)
{
	return h->writable;
}

bool swim_host_has_database(const swim_host *h)
{
	return h->has_database;
}

int swim_host_root_fd(const swim_host *h)
{
	return h->root_fd;
}

int swim_host_state_fd(const swim_host *h)
{
	return h->writable ? h->state_fd : -1;
}

int swim_host_state_path(swim_buf *out, const swim_host *h, const char *rel)
{
	if (!h->state_dir)
		return swim_error_set(SWIM_ENOTFOUND,
		                      "%s has no state directory %s", h->root,
		                      STATE_DIR);
	return swim_buf_printf(out, "%s%s%s", h->state_dir,
	                       rel && *rel ? "/" : "", rel ? rel : "");
}

/* The command line as kept: control characters shown as '?', cut at
 * SWIM_HOST_COMMAND_MAX bytes. */
static int set_command(swim_host *h, const char *cmd)
{
	size_t len;

	if (!cmd || !*cmd)
		cmd = program_invocation_short_name;
	len = strnlen(cmd, SWIM_HOST_COMMAND_MAX);
	if (!(h->command = swim_strndup(cmd, len)))
		return SWIM_ENOMEM;
	for (char *p = h->command; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return 0;
}

static int set_user(swim_host *h, const char *user)
{
	struct passwd pw, *res = NULL;
	char buf[1024], uid[32];

	if (user && *user)
		return swim_str_set(&h->user, user);
	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
		return swim_str_set(&h->user, res->pw_name);
	(void)snprintf(uid, sizeof(uid), "uid %u", (unsigned)getuid());
	return swim_str_set(&h->user, uid);
}

static int open_root(swim_host *h)
{
	h->root_fd = open(h->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (h->root_fd >= 0)
		return 0;
	if (errno == ENOENT)
		return swim_error_set(SWIM_ENOTFOUND, "root %s does not exist",
		                      h->root);
	if (errno == ENOTDIR)
		return swim_error_set(SWIM_EINVAL, "root %s is not a directory",
		                      h->root);
	return swim_error_set_errno(errno == EACCES ? SWIM_EACCESS : SWIM_EIO,
	                            errno, "root %s", h->root);
}

/* The state directory's path as the kernel reached it (inside the root,
 * symlinks resolved), for SQLite, which opens by name. */
static int state_dir_path(swim_host *h)
{
	char link[64], target[PATH_MAX];
	ssize_t n;

	(void)snprintf(link, sizeof(link), "/proc/self/fd/%d", h->state_fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return swim_error_set_errno(SWIM_EIO, errno,
		                            "cannot find the path of %s/%s "
		                            "(is /proc mounted?)", h->root,
		                            STATE_DIR);
	target[n] = '\0';
	return swim_str_set(&h->state_dir, target);
}

/* A SQLite URI for the database in directory `dir` with the query `q`:
 * every byte of dir outside the unreserved set and '/' is %-escaped. */
static int db_uri(swim_buf *out, const char *dir, const char *q)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = swim_buf_puts(out, "file:");

	for (const unsigned char *p = (const unsigned char *)dir;
	     *p && rc == 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
			rc = swim_buf_putc(out, (char)*p);
		else
			rc = swim_buf_printf(out, "%%%c%c", hex[*p >> 4],
			                     hex[*p & 15]);
	}
	return rc ? rc : swim_buf_printf(out, "/" DB_NAME "?%s", q);
}

static int db_open(swim_host *h, const char *name, int flags)
{
	/* A host handle is used by one thread at a time (docs/host.md), so
	 * SQLite's per-call mutexes are not needed. */
	int rc = sqlite3_open_v2(name, &h->db, flags | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	uint64_t ms = h->limits.lock_timeout_seconds * 1000;

	if (rc != SQLITE_OK)
		return swim_host__sql_error(h, rc);
	(void)sqlite3_extended_result_codes(h->db, 1);
	(void)sqlite3_busy_timeout(h->db, ms > INT_MAX ? INT_MAX : (int)ms);
	return swim_host__exec(h, "PRAGMA foreign_keys = ON");
}

/* A read-only view of a root without a database: an empty host, built in
 * memory so every query works; nothing is created on disk. */
static int open_empty(swim_host *h)
{
	int rc = db_open(h, ":memory:", SQLITE_OPEN_READWRITE);

	return rc ? rc : swim_host__migrate(h, SWIM_HOST_SCHEMA_VERSION);
}

/* An older schema read without the right to upgrade it: upgrade a copy
 * in memory. */
static int upgrade_in_memory(swim_host *h)
{
	sqlite3 *disk = h->db, *mem = NULL;
	sqlite3_backup *b;
	int rc;

	if ((rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE,
	                          NULL)) != SQLITE_OK) {
		(void)sqlite3_close_v2(mem);
		return swim_error_oom();
	}
	b = sqlite3_backup_init(mem, "main", disk, "main");
	rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(mem);
	if (b)
		(void)sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc = swim_host__sql_error(h, rc);
		(void)sqlite3_close_v2(mem);
		return rc;
	}
	(void)sqlite3_close_v2(disk);
	h->db = mem;
	if ((rc = swim_host__exec(h, "PRAGMA foreign_keys = ON")) < 0)
		return rc;
	return swim_host__migrate(h, SWIM_HOST_SCHEMA_VERSION);
}

static bool state_file_exists(swim_host *h, const char *name)
{
	struct stat st;

	return fstatat(h->state_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Read-only: mode=ro when the WAL files exist (they hold the latest
 * commits, and a reader may use them without write access); otherwise
 * the database file is the whole truth and immutable=1 reads it without
 * creating the WAL files a read-only user could not create. */
static int open_readonly(swim_host *h)
{
	swim_buf uri = SWIM_BUF_INIT(0);
	struct stat st;
	bool wal;
	int version, rc;

	if (h->state_fd < 0)
		return open_empty(h);
	if (fstatat(h->state_fd, DB_NAME, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return open_empty(h);
		return swim_error_set_errno(errno == EACCES ? SWIM_EACCESS
		                            : SWIM_EIO, errno, "%s", h->shown_db);
	}
	if (!S_ISREG(st.st_mode))
		return swim_error_set(SWIM_EINVAL, "%s is not a regular file",
		                      h->shown_db);
	h->has_database = true;
	wal = state_file_exists(h, DB_NAME "-wal") &&
	      state_file_exists(h, DB_NAME "-shm");
	if ((rc = db_uri(&uri, h->state_dir, wal ? "mode=ro" : "immutable=1")) < 0 ||
	    (rc = db_open(h, uri.ptr, SQLITE_OPEN_READONLY |
	                  SQLITE_OPEN_URI)) < 0 ||
	    (rc = swim_host__check_schema(h, &version)) < 0)
		goto out;
	if (version < SWIM_HOST_SCHEMA_VERSION)
		rc = upgrade_in_memory(h);
out:
	swim_buf_dispose(&uri);
	return rc;
}

static int use_wal(swim_host *h)
{
	sqlite3_stmt *st = NULL;
	char mode[16] = "";
	int rc;

	if ((rc = swim_host__prepare(h, &st, "PRAGMA journal_mode = WAL")) == 0 &&
	    (rc = swim_host__step(h, st)) > 0) {
		const char *m = (const char *)sqlite3_column_text(st, 0);

		(void)snprintf(mode, sizeof(mode), "%s", m ? m : "");
		rc = 0;
	}
	sqlite3_finalize(st);
	if (rc == 0 && strcmp(mode, "wal") != 0)
		rc = swim_error_set(SWIM_EIO, "%s: cannot use WAL mode (got '%s')",
		                    h->shown_db, mode);
	return rc;
}

/* Write mode: the database file is made here with mode 0644 (SQLite gives
 * its WAL files the same mode), so readers may read whatever the umask. */
static int open_write(swim_host *h)
{
	swim_buf path = SWIM_BUF_INIT(0);
	int fd, one = 1, rc;

	fd = openat(h->state_fd, DB_NAME, O_CLOEXEC | O_RDWR | O_CREAT |
	            O_EXCL | O_NOFOLLOW, 0644);
	if (fd < 0 && errno != EEXIST)
		return swim_error_set_errno(errno == EACCES ? SWIM_EACCESS
		                            : SWIM_EIO, errno, "creating %s",
		                            h->shown_db);
	if (fd >= 0) {
		rc = fchmod(fd, 0644) < 0 ? -errno : 0;
		(void)close(fd);
		if (rc < 0)
			return swim_error_set_errno(SWIM_EIO, -rc, "%s",
			                            h->shown_db);
	}
	h->has_database = true;
	if ((rc = swim_buf_printf(&path, "%s/%s", h->state_dir, DB_NAME)) < 0 ||
	    (rc = db_open(h, path.ptr, SQLITE_OPEN_READWRITE)) < 0 ||
	    (rc = use_wal(h)) < 0)
		goto out;
	/* Keep the WAL files after close, so that read-only users find them
	 * and can read with mode=ro (see open_readonly). */
	(void)sqlite3_file_control(h->db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	/* A transaction of 100,000 files stays in memory until it commits;
	 * checkpoints leave the WAL file at most 4 MiB. */
	if ((rc = swim_host__exec(h, "PRAGMA synchronous = FULL;"
	                             " PRAGMA cache_size = -32768;"
	                             " PRAGMA journal_size_limit = 4194304")) == 0)
		rc = swim_host__migrate(h, SWIM_HOST_SCHEMA_VERSION);
out:
	swim_buf_dispose(&path);
	return rc;
}

int swim_host_open(swim_host **out, const char *root, unsigned flags,
                   const swim_host_options *opt)
{
	static const swim_host_options none;
	swim_buf shown = SWIM_BUF_INIT(0);
	swim_host *h;
	size_t base_len;
	int rc;

	*out = NULL;
	if (!opt)
		opt = &none;
	if (!(h = calloc(1, sizeof(*h))))
		return swim_error_oom();
	h->root_fd = h->state_fd = h->lock_fd = -1;
	h->writable = flags & SWIM_HOST_WRITE;
	if ((rc = swim_str_set(&h->root, root && *root ? root : "/")) < 0 ||
	    (rc = set_command(h, opt->command)) < 0 ||
	    (rc = set_user(h, opt->user)) < 0)
		goto out;
	base_len = strlen(h->root);
	while (base_len > 0 && h->root[base_len - 1] == '/')
		base_len--;
	if (!(h->shown_root = swim_strndup(h->root, base_len))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	if ((rc = swim_buf_printf(&shown, "%s/" STATE_DIR "/" DB_NAME,
	                          h->shown_root)) < 0 ||
	    !(h->shown_db = swim_buf_detach(&shown))) {
		rc = rc < 0 ? rc : SWIM_ENOMEM;
		goto out;
	}
	if ((rc = open_root(h)) < 0 ||
	    (rc = swim_conf_load_root(&h->conf, h->root)) < 0)
		goto out;
	swim_limits_init(&h->limits);
	if (opt->lim)
		h->limits = *opt->lim;
	else if ((rc = swim_conf_apply_limits(h->conf, &h->limits)) < 0)
		goto out;
	rc = swim_fs_open_dir_in_root(&h->state_fd, h->root_fd, STATE_DIR,
	                              h->writable, 0755, h->shown_root);
	if (rc == SWIM_ENOTFOUND && !h->writable) {
		swim_error_clear();
		rc = 0;
	}
	if (rc < 0 || (h->state_fd >= 0 && (rc = state_dir_path(h)) < 0))
		goto out;
	if (h->writable && (rc = swim_host__lock(h, flags, opt)) < 0)
		goto out;
	if ((rc = h->writable ? open_write(h) : open_readonly(h)) < 0)
		goto out;
	/* A writer first finishes what a killed transaction left. */
	if (h->writable && (rc = swim_transaction_recover(NULL, h)) < 0)
		goto out;
	*out = h;
	h = NULL;
out:
	swim_buf_dispose(&shown);
	swim_host_close(h);
	return rc;
}

/* ---- host state -------------------------------------------------------- */

void swim_host_state_dispose(swim_host_state *s)
{
	free(s->inconsistent_reason);
	free(s->inconsistent_since);
	free(s->created);
	memset(s, 0, sizeof(*s));
}

int swim_host_state_get(swim_host_state *out, swim_host *h)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT acceptance, maintenance_mode, consistent,"
	                             " inconsistent_reason, inconsistent_since, created"
	                             " FROM host WHERE id = 1")) < 0)
		goto out;
	if ((rc = swim_host__step(h, st)) == 0)
		rc = swim_error_set(SWIM_EINVAL, "%s: the host row is missing",
		                    h->shown_db);
	if (rc < 0)
		goto out;
	if ((rc = swim_acceptance_parse(&out->acceptance,
	                                (const char *)sqlite3_column_text(st, 0))) < 0 ||
	    (rc = swim_host__column_text(&out->inconsistent_reason, st, 3)) < 0 ||
	    (rc = swim_host__column_text(&out->inconsistent_since, st, 4)) < 0 ||
	    (rc = swim_host__column_text(&out->created, st, 5)) < 0)
		goto out;
	out->maintenance_mode = sqlite3_column_int(st, 1) != 0;
	out->consistent = sqlite3_column_int(st, 2) != 0;
out:
	sqlite3_finalize(st);
	if (rc < 0)
		swim_host_state_dispose(out);
	return rc;
}

/* Runs `sql` (parameters ?1 text a, ?2 text b) and notes `operation` /
 * `message` in the history, in one transaction. */
static int change_host(swim_host *h, const char *sql, const char *a,
                       const char *b, const char *operation,
                       const char *message)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_host__prepare(h, &st, sql)) == 0 &&
	    (!a || (rc = swim_host__bind_text(h, st, 1, a)) == 0) &&
	    (!b || (rc = swim_host__bind_text(h, st, 2, b)) == 0) &&
	    (rc = swim_host__step_done(h, st)) == 0 && operation)
		rc = swim_history_record(h, operation, SWIM_HISTORY_SUCCESS,
		                         message);
	sqlite3_finalize(st);
	return swim_host__finish(h, rc);
}

/* The ids of packages in the current or pending image proven below
 * `level`, joined with ", " (long lists end with "and N more"). */
static int below_level(swim_buf *ids, size_t *n, swim_host *h,
                       swim_acceptance level)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*n = 0;
	if ((rc = swim_host__prepare(h, &st,
	                             "SELECT DISTINCT p.vib_id FROM image_packages i"
	                             " JOIN packages p ON p.pkg = i.pkg"
	                             " WHERE i.slot IN ('current', 'pending')"
	                             " AND CASE p.acceptance WHEN 'community' THEN 1"
	                             " WHEN 'partner' THEN 2 WHEN 'accepted' THEN 3"
	                             " ELSE 4 END < ? ORDER BY p.vib_id")) < 0 ||
	    (rc = swim_host__bind_i64(h, st, 1, (int64_t)level)) < 0)
		goto out;
	while ((rc = swim_host__step(h, st)) > 0) {
		if (ids->len < 1000)
			rc = swim_buf_printf(ids, "%s%s", *n ? ", " : "",
			                     (const char *)sqlite3_column_text(st, 0));
		if (rc < 0)
			goto out;
		(*n)++;
	}
	if (rc == 0 && ids->len >= 1000)
		rc = swim_buf_printf(ids, " and others (%zu in all)", *n);
out:
	sqlite3_finalize(st);
	return rc;
}

int swim_host_acceptance_set(swim_host *h, swim_acceptance level)
{
	swim_buf ids = SWIM_BUF_INIT(0), msg = SWIM_BUF_INIT(0);
	size_t n = 0;
	int rc;

	if (level < SWIM_ACCEPTANCE_COMMUNITY || level > SWIM_ACCEPTANCE_CERTIFIED)
		return swim_error_set(SWIM_EINVAL, "not an acceptance level: %d",
		                      (int)level);
	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	rc = below_level(&ids, &n, h, level);
	if (rc == 0 && n > 0)
		rc = swim_error_set(SWIM_EACCEPTANCE,
		                    "Unable to set acceptance level of %s due to "
		                    "installed VIBs %s having a lower acceptance "
		                    "level.", swim_acceptance_name(level), ids.ptr);
	if (rc == 0)
		rc = swim_buf_printf(&msg, "Host acceptance level changed to '%s'.",
		                     swim_acceptance_long_name(level));
	if (rc == 0)
		rc = change_host(h, "UPDATE host SET acceptance = ?1 WHERE id = 1",
		                 swim_acceptance_name(level), NULL,
		                 "acceptance set", msg.ptr);
	swim_buf_dispose(&ids);
	swim_buf_dispose(&msg);
	return swim_host__finish(h, rc);
}

int swim_host_maintenance_set(swim_host *h, bool on)
{
	return change_host(h, on ? "UPDATE host SET maintenance_mode = 1 WHERE id = 1"
	                         : "UPDATE host SET maintenance_mode = 0 WHERE id = 1",
	                   NULL, NULL,
	                   on ? "maintenance enter" : "maintenance exit",
	                   on ? "Maintenance mode entered." :
	                        "Maintenance mode exited.");
}

int swim_host_mark_inconsistent(swim_host *h, const char *reason)
{
	char now[SWIM_TIME_ISO_SIZE];
	int rc;

	if (!reason || !*reason)
		return swim_error_set(SWIM_EINVAL,
		                      "an inconsistent host needs a reason");
	if ((rc = swim_time_now_iso(now)) < 0)
		return rc;
	return change_host(h,
	                   "UPDATE host SET consistent = 0,"
	                   " inconsistent_since = coalesce(inconsistent_since, ?2),"
	                   " inconsistent_reason = CASE"
	                   "  WHEN inconsistent_reason IS NULL THEN ?1"
	                   "  WHEN instr(inconsistent_reason, ?1) THEN inconsistent_reason"
	                   "  ELSE inconsistent_reason || '; ' || ?1 END"
	                   " WHERE id = 1", reason, now, NULL, NULL);
}

int swim_host_mark_consistent(swim_host *h)
{
	return change_host(h,
	                   "UPDATE host SET consistent = 1, inconsistent_reason = NULL,"
	                   " inconsistent_since = NULL WHERE id = 1",
	                   NULL, NULL, NULL, NULL);
}
