/* Host images through the library: reboot-required results, the slots'
 * information, activation (results, history, cancelling), rollback in
 * each case of docs/images.md, and repair. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/hosttest.h"
#include "support/vibtest.h"
#include "swim/boot.h"
#include "swim/error.h"
#include "swim/history.h"
#include "swim/image.h"
#include "swim/transaction.h"
#include "support/testutil.h"

#define REBOOT "The update completed successfully, but the system needs " \
	"to be rebooted for the changes to be effective."

/* Installs the .vib at path; reboot_required as expected. */
static void install(swim_host *h, const char *path, bool no_live,
                    bool reboot_required)
{
	const char *urls[] = { path };
	swim_transaction_request req = {
		.job = SWIM_RESOLVE_INSTALL, .vib_urls = urls, .n_vib_urls = 1,
		.no_live_install = no_live,
	};
	swim_transaction_result *r = NULL;

	swim_assert_ok(swim_transaction_run(&r, h, &req));
	assert_int_equal(r->reboot_required, reboot_required);
	assert_string_equal(r->message, reboot_required ? REBOOT
	                    : "Operation finished successfully.");
	swim_transaction_result_free(r);
}

static size_t slot_size(swim_host *h, swim_image_slot slot)
{
	swim_image_info info;
	size_t n;

	swim_assert_ok(swim_image_info_get(&info, h, slot));
	n = info.present ? info.n_packages : (size_t)-1;
	swim_image_info_dispose(&info);
	return n;
}

static char *file_text(const char *root, const char *rel)
{
	char path[700], *buf = calloc(1, 256);
	FILE *f;

	assert_non_null(buf);
	(void)snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "re");
	assert_non_null(f);
	(void)!fread(buf, 1, 255, f);
	fclose(f);
	return buf;
}

static void community(swim_host *h)
{
	swim_assert_ok(swim_host_acceptance_set(h, SWIM_ACCEPTANCE_COMMUNITY));
}

static void test_boot__pending_then_activate(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	char *n1 = swim_test_vib(f->root, "n", "1.0-1", "n\n", false);
	swim_boot_result *b = NULL;
	swim_history_entry *hist = NULL;
	swim_image_info info;
	size_t n_hist = 0;

	community(f->h);
	install(f->h, a1, false, false);
	install(f->h, n1, false, true);
	assert_false(swim_test_exists(f->root, "opt/n"));
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_CURRENT), 1);
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_PENDING), 2);
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_PREVIOUS), (size_t)-1);
	swim_assert_ok(swim_image_info_get(&info, f->h, SWIM_IMAGE_PENDING));
	assert_non_null(info.created);
	assert_string_equal(info.name, "");
	swim_image_info_dispose(&info);

	swim_assert_ok(swim_boot_activate(&b, f->h, NULL));
	assert_true(b->changed);
	assert_int_equal(b->n_installed, 1);
	assert_string_equal(b->installed[0], "test_bootbank_n_1.0-1");
	assert_int_equal(b->n_removed, 0);
	assert_true(b->history > 0);
	assert_true(swim_test_exists(f->root, "opt/n/file"));
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_CURRENT), 2);
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_PENDING), (size_t)-1);
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_PREVIOUS), 1);
	swim_boot_result_free(b);
	swim_assert_ok(swim_history_list(&hist, &n_hist, f->h, 1));
	assert_string_equal(hist[0].operation, "host boot");
	assert_int_equal(hist[0].result, SWIM_HISTORY_SUCCESS);
	assert_int_equal(hist[0].n_installed, 1);
	swim_history_list_free(hist, n_hist);

	/* Nothing pending: nothing happens. */
	swim_assert_ok(swim_boot_activate(&b, f->h, NULL));
	assert_false(b->changed);
	assert_string_equal(b->message, "No image is pending; the current "
	                    "image stays.");
	swim_boot_result_free(b);
	swim_test_vib_remove(a1);
	swim_test_vib_remove(n1);
}

static int cancel_in_stage(void *ctx, const swim_transaction_progress *p)
{
	(void)ctx;
	return p->phase == SWIM_TRANSACTION_STAGE;
}

static void test_boot__cancel_and_read_only(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	swim_boot_options opt = { .progress = cancel_in_stage };
	swim_boot_result *b = NULL;
	swim_host *ro = NULL;

	community(f->h);
	install(f->h, a1, true, true);
	swim_assert_error(swim_boot_activate(&b, f->h, &opt), SWIM_ECANCELLED,
	                  "");
	assert_null(b);
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_PENDING), 1);
	assert_false(swim_test_exists(f->root, "opt/a"));
	swim_assert_ok(swim_host_open(&ro, f->root, SWIM_HOST_READ, NULL));
	assert_int_equal(swim_boot_activate(&b, ro, NULL), SWIM_EACCESS);
	assert_int_equal(swim_boot_rollback(&b, ro), SWIM_EACCESS);
	swim_host_close(ro);
	swim_test_vib_remove(a1);
}

static void rollback(swim_host *h, const char *needle)
{
	swim_boot_result *b = NULL;

	swim_assert_ok(swim_boot_rollback(&b, h));
	assert_non_null(strstr(b->message, needle));
	swim_boot_result_free(b);
}

static void activate(swim_host *h)
{
	swim_boot_result *b = NULL;

	swim_assert_ok(swim_boot_activate(&b, h, NULL));
	assert_true(b->changed);
	swim_boot_result_free(b);
}

static void test_boot__rollback(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	char *a2 = swim_test_vib(f->root, "a", "2.0-1", "two\n", false);
	char *z1 = swim_test_vib(f->root, "z", "1.0-1", "z\n", true);
	swim_boot_result *b = NULL;
	bool same;
	char *text;

	community(f->h);
	swim_assert_error(swim_boot_rollback(&b, f->h), SWIM_ENOTFOUND,
	                  "There is no previous image to roll back to.");
	install(f->h, a1, false, false);
	install(f->h, a2, false, true);
	activate(f->h);
	text = file_text(f->root, "opt/a/file");
	assert_string_equal(text, "two\n");
	free(text);
	/* Rollback: previous → pending, with what its boot changes. */
	swim_assert_ok(swim_boot_rollback(&b, f->h));
	assert_int_equal(b->n_installed, 1);
	assert_string_equal(b->installed[0], "test_bootbank_a_1.0-1");
	assert_string_equal(b->removed[0], "test_bootbank_a_2.0-1");
	swim_boot_result_free(b);
	swim_assert_ok(swim_image_same_packages(&same, f->h, SWIM_IMAGE_PENDING,
	                                        SWIM_IMAGE_PREVIOUS));
	assert_true(same);
	/* Twice before a boot: cancelled. */
	rollback(f->h, "cancelled");
	assert_int_equal(slot_size(f->h, SWIM_IMAGE_PENDING), (size_t)-1);
	/* Rollback, boot, rollback, boot: back where we were. */
	rollback(f->h, "is now pending");
	activate(f->h);
	text = file_text(f->root, "opt/a/file");
	assert_string_equal(text, "one\n");
	free(text);
	rollback(f->h, "is now pending");
	activate(f->h);
	text = file_text(f->root, "opt/a/file");
	assert_string_equal(text, "two\n");
	free(text);
	/* Staged changes are discarded by a rollback. */
	install(f->h, z1, true, true);
	rollback(f->h, "discarded");
	swim_assert_ok(swim_image_same_packages(&same, f->h, SWIM_IMAGE_PENDING,
	                                        SWIM_IMAGE_PREVIOUS));
	assert_true(same);
	swim_test_vib_remove(a1);
	swim_test_vib_remove(a2);
	swim_test_vib_remove(z1);
}

static void test_boot__repair(void **state)
{
	swim_test_host *f = *state;
	char *a1 = swim_test_vib(f->root, "a", "1.0-1", "one\n", true);
	swim_repair_request req = { 0 };
	swim_transaction_result *r = NULL;
	char path[700], *text;
	FILE *fp;

	community(f->h);
	install(f->h, a1, false, false);
	(void)snprintf(path, sizeof(path), "%s/opt/a/file", f->root);
	fp = fopen(path, "we");
	assert_non_null(fp);
	fputs("damaged\n", fp);
	fclose(fp);
	req.dry_run = true;
	swim_assert_ok(swim_transaction_repair(&r, f->h, &req));
	assert_true(r->repair && r->dry_run);
	assert_int_equal(r->n_repaired, 1);
	swim_transaction_result_free(r);
	text = file_text(f->root, "opt/a/file");
	assert_string_equal(text, "damaged\n");
	free(text);
	req.dry_run = false;
	swim_assert_ok(swim_transaction_repair(&r, f->h, &req));
	assert_int_equal(r->n_repaired, 1);
	assert_int_equal(r->n_installed, 1);
	assert_string_equal(r->installed[0], "test_bootbank_a_1.0-1");
	assert_string_equal(r->message, "Repaired 1 file of VIB "
	                    "test_bootbank_a_1.0-1.");
	assert_true(r->history > 0);
	swim_transaction_result_free(r);
	text = file_text(f->root, "opt/a/file");
	assert_string_equal(text, "one\n");
	free(text);
	swim_assert_ok(swim_transaction_repair(&r, f->h, &req));
	assert_int_equal(r->n_repaired, 0);
	assert_string_equal(r->message, "Nothing to repair: every file "
	                    "verifies.");
	swim_transaction_result_free(r);
	swim_test_vib_remove(a1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SWIM_HOST_TEST(test_boot__pending_then_activate),
		SWIM_HOST_TEST(test_boot__cancel_and_read_only),
		SWIM_HOST_TEST(test_boot__rollback),
		SWIM_HOST_TEST(test_boot__repair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
