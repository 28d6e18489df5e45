/* The transaction engine through its API: results, progress phases and
 * percentages, cancelling before and after the swap, dry runs and
 * read-only hosts, the payload store, and recovery of a journal left by
 * a transaction that died. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/hosttest.h"
#include "support/vibtest.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/image.h"
#include "swim/journal.h"
#include "swim/store.h"
#include "swim/transaction.h"
#include "swim/vib.h"
#include "support/testutil.h"

struct seen {
	int phases[16];
	int n_phases;
	unsigned last_percent;
	bool went_back;
	int cancel_in;          /* phase to cancel in, -1 never */
};

static int progress(void *ctx, const swim_transaction_progress *p)
{
	struct seen *s = ctx;

	if (s->n_phases == 0 || s->phases[s->n_phases - 1] != (int)p->phase)
		if (s->n_phases < 16)
			s->phases[s->n_phases++] = (int)p->phase;
	if (p->percent < s->last_percent)
		s->went_back = true;
	s->last_percent = p->percent;
	assert_true(p->fraction >= 0 && p->fraction <= 1);
	assert_non_null(p->status);
	return (int)p->phase == s->cancel_in;
}

static void community(swim_host *h)
{
	swim_assert_ok(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_COMMUNITY));
}

static void test_transaction__install_result_and_progress(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	const char *urls[] = { a1 };
	struct seen s = { .cancel_in = -1 };
	swim_transaction_request req = {
		.job = SWIM_RESOLVE_INSTALL, .vib_urls = urls, .n_vib_urls = 1,
		.progress = progress, .progress_ctx = &s,
	};
	swim_transaction_result *r = NULL;
	swim_history_entry *hist = NULL;
	size_t n_hist = 0;
	bool present;
	uint64_t size;

	community(f->h);
	swim_assert_ok(swim_transaction_run(&r, f->h, &req));
	assert_string_equal(r->message, "Operation finished successfully.");
	assert_int_equal(r->n_installed, 1);
	assert_string_equal(r->installed[0], "test_bootbank_a_1.0-1");
	assert_int_equal(r->n_removed, 0);
	assert_false(r->reboot_required);
	assert_true(r->consistent);
	assert_null(r->warning);
	assert_true(r->history > 0);
	assert_true(swim_test_exists(f->root, "opt/a/file"));
	/* Every phase in order, percentages never going back, ending at 100. */
	assert_int_equal(s.n_phases, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(s.phases[i], i);
	assert_false(s.went_back);
	assert_int_equal(s.last_percent, 100);
	/* The payload is in the store, listed and on disk. */
	{
		const swim_checksum *c = NULL;
		swim_vib *vib = NULL;
		char *path;
		swim_buf rel = SWIM_BUF_INIT(0);

		swim_assert_ok(swim_vib_open(&vib, a1, NULL));
		c = swim_payload_checksum(&vib->pkg->payloads[0], "sha-256", NULL);
		swim_assert_ok(swim_store_get(&present, &size, f->h, c->value));
		assert_true(present);
		assert_int_equal(size, vib->pkg->payloads[0].size);
		swim_assert_ok(swim_store_relpath(&rel, c->value));
		path = malloc(rel.len + 64);
		assert_non_null(path);
		(void)snprintf(path, rel.len + 64, "var/lib/swim/%s", rel.ptr);
		assert_true(swim_test_exists(f->root, path));
		free(path);
		swim_buf_dispose(&rel);
		swim_vib_free(vib);
	}
	swim_assert_ok(swim_history_list(&hist, &n_hist, f->h, 1));
	assert_int_equal(n_hist, 1);
	assert_int_equal(hist[0].result, SWIM_HISTORY_SUCCESS);
	assert_string_equal(hist[0].operation, "vib install");
	swim_history_list_free(hist, n_hist);
	swim_transaction_result_free(r);
	swim_test_vib_remove(a1);
}

static void test_transaction__cancel(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	const char *urls[] = { a1 };
	struct seen s = { .cancel_in = SWIM_TRANSACTION_STAGE };
	swim_transaction_request req = {
		.job = SWIM_RESOLVE_INSTALL, .vib_urls = urls, .n_vib_urls = 1,
		.progress = progress, .progress_ctx = &s,
	};
	swim_transaction_result *r = NULL;
	swim_host_package **v = NULL;
	size_t n = 0;
	bool pending;

	community(f->h);
	/* Before the swap: cancelled, nothing changed, nothing left. */
	swim_assert_error(swim_transaction_run(&r, f->h, &req), SWIM_ECANCELLED,
	                  "cancelled");
	swim_transaction_result_free(r);
	r = NULL;
	assert_false(swim_test_exists(f->root, "opt"));
	swim_assert_ok(swim_image_packages(&v, &n, f->h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 0);
	swim_host_package_list_free(v, n);
	swim_assert_ok(swim_transaction_pending_recovery(&pending, f->h));
	assert_false(pending);
	/* After the swap the transaction goes on regardless. */
	memset(&s, 0, sizeof(s));
	s.cancel_in = SWIM_TRANSACTION_COMMIT;
	swim_assert_ok(swim_transaction_run(&r, f->h, &req));
	assert_true(swim_test_exists(f->root, "opt/a/file"));
	swim_transaction_result_free(r);
	swim_test_vib_remove(a1);
}

static void test_transaction__dry_run_and_read_only(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	const char *urls[] = { a1 };
	swim_transaction_request req = {
		.job = SWIM_RESOLVE_INSTALL, .vib_urls = urls, .n_vib_urls = 1,
		.dry_run = true,
	};
	swim_transaction_result *r = NULL;
	swim_host *ro = NULL;

	community(f->h);
	swim_assert_ok(swim_transaction_run(&r, f->h, &req));
	assert_true(r->dry_run);
	assert_non_null(strstr(r->message, "Dry run only, host not changed."));
	assert_int_equal(r->n_installed, 1);
	assert_int_equal(r->history, 0);
	assert_false(swim_test_exists(f->root, "opt"));
	swim_transaction_result_free(r);
	r = NULL;
	/* Read-only: a dry run works, a real one is refused. */
	swim_assert_ok(swim_host_open(&ro, f->root, SWIM_HOST_READ, NULL));
	swim_assert_ok(swim_transaction_run(&r, ro, &req));
	swim_transaction_result_free(r);
	r = NULL;
	req.dry_run = false;
	swim_assert_error(swim_transaction_run(&r, ro, &req), SWIM_EACCESS,
	                  "read-only");
	assert_null(r);
	swim_host_close(ro);
	swim_test_vib_remove(a1);
}

static void test_transaction__upgrade_remove_store(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	char *a2 = swim_test_vib(f->root, "a", "2.0-1", "two\n", true);
	const char *u1[] = { a1 }, *u2[] = { a2 }, *names[] = { "a" };
	swim_transaction_request req = { .job = SWIM_RESOLVE_INSTALL,
	                                 .n_vib_urls = 1 };
	swim_transaction_result *r = NULL;
	char **garbage = NULL;
	size_t n_garbage = 0;

	community(f->h);
	req.vib_urls = u1;
	swim_assert_ok(swim_transaction_run(&r, f->h, &req));
	swim_transaction_result_free(r);
	req.vib_urls = u2;
	swim_assert_ok(swim_transaction_run(&r, f->h, &req));
	assert_int_equal(r->n_removed, 1);
	assert_string_equal(r->removed[0], "test_bootbank_a_1.0-1");
	swim_transaction_result_free(r);
	/* The old payload is garbage collected with the old package. */
	swim_assert_ok(swim_store_garbage(&garbage, &n_garbage, f->h));
	assert_int_equal(n_garbage, 0);
	swim_host_strv_free(garbage, n_garbage);
	req = (swim_transaction_request){ .job = SWIM_RESOLVE_REMOVE,
	                                  .names = names, .n_names = 1 };
	swim_assert_ok(swim_transaction_run(&r, f->h, &req));
	assert_int_equal(r->n_removed, 1);
	assert_false(swim_test_exists(f->root, "opt/a"));
	swim_transaction_result_free(r);
	swim_test_vib_remove(a1);
	swim_test_vib_remove(a2);
}

/* A journal as a transaction that died during its swap leaves it: one
 * file replaced (old one moved aside), one created. Recovery puts the
 * old file back, deletes the new one and closes the history entry. */
static void test_transaction__recover_applying(void **state)
{
	swim_test_host *f = *state;
	char *old = swim_test_path(f->root, "etc/conf");
	char *backup = swim_test_path(f->root, "etc/.swim-1-1.old");
	char *created = swim_test_path(f->root, "etc/new");
	char *staged = swim_test_path(f->root, "etc/.swim-1-2");
	swim_journal_step steps[] = {
		{ .action = SWIM_JOURNAL_REPLACE, .path = "etc/conf",
		  .staged = "etc/.swim-1-1", .backup = "etc/.swim-1-1.old" },
		{ .action = SWIM_JOURNAL_CREATE, .path = "etc/new",
		  .staged = "etc/.swim-1-2" },
	};
	swim_transaction_recovery rec;
	swim_history_entry *hist = NULL;
	size_t n_hist = 0;
	int64_t hid, txn;
	char buf[16] = "";
	int fd;

	swim_test_write_file(backup, "old\n", 4);   /* moved aside */
	swim_test_write_file(old, "new\n", 4);      /* staged, renamed in */
	swim_test_write_file(staged, "x\n", 2);     /* not yet renamed */
	swim_assert_ok(swim_history_begin(&hid, f->h, "vib install"));
	swim_assert_ok(swim_journal_begin(&txn, f->h, hid, SWIM_IMAGE_CURRENT));
	swim_assert_ok(swim_journal_add(f->h, txn, steps, 2));
	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_APPLYING));
	swim_assert_ok(swim_transaction_recover(&rec, f->h));
	assert_int_equal(rec.rolled_back, 1);
	assert_int_equal(rec.finished, 0);
	fd = open(old, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 4);
	close(fd);
	assert_string_equal(buf, "old\n");
	assert_false(swim_test_exists(f->root, "etc/.swim-1-1.old"));
	assert_false(swim_test_exists(f->root, "etc/.swim-1-2"));
	assert_false(swim_test_exists(f->root, "etc/new"));
	swim_assert_ok(swim_history_list(&hist, &n_hist, f->h, 1));
	assert_int_equal(hist[0].result, SWIM_HISTORY_INTERRUPTED);
	swim_history_list_free(hist, n_hist);
	/* A second recovery has nothing to do. */
	swim_assert_ok(swim_transaction_recover(&rec, f->h));
	assert_int_equal(rec.rolled_back, 0);
	free(old);
	free(backup);
	free(created);
	free(staged);
}

/* A committed journal: recovery deletes the backups and leaves the new
 * files. */
static void test_transaction__recover_committed(void **state)
{
	swim_test_host *f = *state;
	char *file = swim_test_path(f->root, "opt/x");
	char *backup = swim_test_path(f->root, "opt/.swim-7-1.old");
	swim_journal_step step = {
		.action = SWIM_JOURNAL_REPLACE, .path = "opt/x",
		.staged = "opt/.swim-7-1", .backup = "opt/.swim-7-1.old",
	};
	swim_transaction_recovery rec;
	int64_t txn;
	bool pending;

	swim_test_write_file(file, "new\n", 4);
	swim_test_write_file(backup, "old\n", 4);
	swim_assert_ok(swim_journal_begin(&txn, f->h, 0, SWIM_IMAGE_CURRENT));
	swim_assert_ok(swim_journal_add(f->h, txn, &step, 1));
	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_APPLYING));
	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_COMMITTED));
	swim_assert_ok(swim_transaction_pending_recovery(&pending, f->h));
	assert_true(pending);
	swim_assert_ok(swim_transaction_recover(&rec, f->h));
	assert_int_equal(rec.finished, 1);
	assert_true(swim_test_exists(f->root, "opt/x"));
	assert_false(swim_test_exists(f->root, "opt/.swim-7-1.old"));
	swim_assert_ok(swim_transaction_pending_recovery(&pending, f->h));
	assert_false(pending);
	free(file);
	free(backup);
}

static void test_transaction__phase_names(void **state)
{
	(void)state;
	assert_string_equal(swim_transaction_phase_name(SWIM_TRANSACTION_RESOLVE),
	                    "resolve");
	assert_string_equal(swim_transaction_phase_name(SWIM_TRANSACTION_CLEANUP),
	                    "cleanup");
	assert_string_equal(swim_transaction_phase_name((swim_transaction_phase)99),
	                    "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SWIM_HOST_TEST(test_transaction__install_result_and_progress),
		SWIM_HOST_TEST(test_transaction__cancel),
		SWIM_HOST_TEST(test_transaction__dry_run_and_read_only),
		SWIM_HOST_TEST(test_transaction__upgrade_remove_store),
		SWIM_HOST_TEST(test_transaction__recover_applying),
		SWIM_HOST_TEST(test_transaction__recover_committed),
		cmocka_unit_test(test_transaction__phase_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
