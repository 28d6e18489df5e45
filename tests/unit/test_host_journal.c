/* The transaction journal and the payload store index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/hosttest.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "swim/host.h"
#include "swim/image.h"
#include "swim/journal.h"
#include "swim/store.h"
#include "util/str.h"

struct seen {
	char line[8][96];
	size_t n;
};

static int see_step(const swim_journal_step *s, void *ctx)
{
	struct seen *c = ctx;

	if (c->n < 8)
		(void)snprintf(c->line[c->n], sizeof(c->line[0]), "%llu %s %s %s %s %d",
		               (unsigned long long)s->seq,
		               swim_journal_action_name(s->action), s->path,
		               s->staged ? s->staged : "-",
		               s->backup ? s->backup : "-", (int)s->state);
	c->n++;
	return 0;
}

static void test_journal__plan_apply_commit(void **state)
{
	swim_test_host *f = *state;
	const swim_journal_step plan[] = {
		{ .action = SWIM_JOURNAL_MKDIR, .path = "opt/acme" },
		{ .action = SWIM_JOURNAL_CREATE, .path = "opt/acme/fand",
		  .staged = "opt/acme/.swim-new.1.fand" },
		{ .action = SWIM_JOURNAL_REPLACE, .path = "etc/acme.conf",
		  .staged = "etc/.swim-new.1.acme.conf",
		  .backup = "etc/.swim-old.1.acme.conf" },
	};
	const swim_journal_step more[] = {
		{ .action = SWIM_JOURNAL_REMOVE, .path = "usr/bin/old",
		  .backup = "usr/bin/.swim-old.1.old" },
	};
	const swim_journal_step bad[] = { { .action = SWIM_JOURNAL_CREATE } };
	struct seen fwd = { .n = 0 }, rev = { .n = 0 };
	swim_journal *open = NULL;
	int64_t txn;
	size_t n;

	swim_assert_ok(swim_journal_begin(&txn, f->h, 0, SWIM_IMAGE_CURRENT));
	swim_assert_ok(swim_journal_add(f->h, txn, plan, SWIM_ARRAY_SIZE(plan)));
	swim_assert_ok(swim_journal_add(f->h, txn, more, 1));
	swim_assert_error(swim_journal_add(f->h, txn, bad, 1), SWIM_EINVAL,
	                  "journal step 1: bad action or no path");
	swim_assert_ok(swim_journal_foreach(f->h, txn, false, see_step, &fwd));
	assert_int_equal(fwd.n, 4);
	assert_string_equal(fwd.line[0], "1 mkdir opt/acme - - 0");
	assert_string_equal(fwd.line[2], "3 replace etc/acme.conf "
	                    "etc/.swim-new.1.acme.conf etc/.swim-old.1.acme.conf 0");
	assert_string_equal(fwd.line[3], "4 remove usr/bin/old - "
	                    "usr/bin/.swim-old.1.old 0");

	swim_assert_error(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_COMMITTED),
	                  SWIM_EINVAL, "cannot go from planned to committed");
	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_APPLYING));
	swim_assert_error(swim_journal_add(f->h, txn, more, 1), SWIM_EINVAL,
	                  "steps are added only while planned");
	swim_assert_ok(swim_journal_mark(f->h, txn, 1, 2, SWIM_STEP_DONE));
	swim_assert_error(swim_journal_mark(f->h, txn, 3, 9, SWIM_STEP_DONE),
	                  SWIM_ENOTFOUND, "has no steps 3 to 9");
	swim_assert_ok(swim_journal_foreach(f->h, txn, true, see_step, &rev));
	assert_string_equal(rev.line[0], "4 remove usr/bin/old - "
	                    "usr/bin/.swim-old.1.old 0");
	assert_string_equal(rev.line[3], "1 mkdir opt/acme - - 1");

	/* What recovery finds after a crash here. */
	swim_assert_ok(swim_journal_unfinished(&open, &n, f->h));
	assert_int_equal(n, 1);
	assert_int_equal(open[0].txn, txn);
	assert_int_equal(open[0].state, SWIM_JOURNAL_APPLYING);
	assert_int_equal(open[0].target, SWIM_IMAGE_CURRENT);
	assert_int_equal(open[0].n_steps, 4);
	assert_int_equal(open[0].history, 0);
	assert_string_equal(swim_journal_state_name(open[0].state), "applying");
	swim_journal_list_free(open, n);

	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_COMMITTED));
	swim_assert_error(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_PLANNED),
	                  SWIM_EINVAL, "cannot go from committed to planned");
	swim_assert_ok(swim_journal_end(f->h, txn));
	swim_assert_error(swim_journal_end(f->h, txn), SWIM_ENOTFOUND, "no journal");
	swim_assert_ok(swim_journal_unfinished(&open, &n, f->h));
	assert_int_equal(n, 0);
}

/* The commit of the database and the journal's state are one
 * transaction: rolled back together. */
static void test_journal__commits_with_the_database(void **state)
{
	swim_test_host *f = *state;
	swim_journal *open = NULL;
	int64_t txn;
	size_t n;

	swim_assert_ok(swim_journal_begin(&txn, f->h, 0, SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_APPLYING));
	swim_assert_ok(swim_host_begin(f->h));
	swim_assert_ok(swim_host_depot_add(f->h, "d", "/d"));
	swim_assert_ok(swim_journal_set_state(f->h, txn, SWIM_JOURNAL_COMMITTED));
	swim_host_rollback(f->h);
	swim_assert_ok(swim_journal_unfinished(&open, &n, f->h));
	assert_int_equal(n, 1);
	assert_int_equal(open[0].state, SWIM_JOURNAL_APPLYING);
	assert_int_equal(open[0].target, SWIM_IMAGE_PENDING);
	swim_journal_list_free(open, n);
}

static const char sha_a[] =
	"2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";
static const char sha_b[] =
	"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
static const char sha_c[] =
	"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

static int64_t add(swim_host *h, const char *descriptor)
{
	swim_host_package in = { .proven = SWIM_ACCEPTANCE_COMMUNITY };
	int64_t rec;

	in.pkg = swim_test_descriptor(descriptor);
	swim_assert_ok(swim_host_package_add(&rec, h, &in, NULL, 0));
	swim_package_free(in.pkg);
	return rec;
}

static void test_store__index_and_references(void **state)
{
	swim_test_host *f = *state;
	int64_t acme = add(f->h, "descriptors/community-full.xml");
	int64_t nigx = add(f->h, "descriptors/certified-driver.xml");
	swim_buf rel = SWIM_BUF_INIT(0);
	char **v = NULL;
	uint64_t size;
	unsigned refs;
	bool present;
	size_t n;

	swim_assert_ok(swim_store_relpath(&rel, sha_a));
	assert_string_equal(rel.ptr, "store/2e/2e7d2c03a9507ae265ecf5b5356885a5"
	                    "3393a2029d241394997265a1a25aefc6");
	swim_buf_dispose(&rel);
	swim_assert_error(swim_store_relpath(&rel, "2E7D"), SWIM_EINVAL,
	                  "not a sha-256 in lower-case hex");

	swim_assert_ok(swim_store_add(f->h, sha_a, 40211));
	swim_assert_ok(swim_store_add(f->h, sha_a, 40211));
	swim_assert_error(swim_store_add(f->h, sha_a, 1), SWIM_ECONFLICT,
	                  "in the store with 40211 bytes, not 1");
	swim_assert_ok(swim_store_add(f->h, sha_c, 7));
	swim_assert_ok(swim_store_get(&present, &size, f->h, sha_a));
	assert_true(present);
	assert_int_equal(size, 40211);
	swim_assert_ok(swim_store_get(&present, NULL, f->h, sha_b));
	assert_false(present);

	/* Nothing is in a slot yet: everything stored is garbage. */
	swim_assert_ok(swim_store_garbage(&v, &n, f->h));
	assert_int_equal(n, 2);
	swim_host_strv_free(v, n);

	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_CURRENT, acme));
	swim_assert_ok(swim_image_copy(f->h, SWIM_IMAGE_CURRENT, SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_image_add(f->h, SWIM_IMAGE_PENDING, nigx));
	swim_assert_ok(swim_store_refs(&refs, f->h, sha_a));
	assert_int_equal(refs, SWIM_STORE_REF(SWIM_IMAGE_CURRENT) |
	                       SWIM_STORE_REF(SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_store_refs(&refs, f->h, sha_b));
	assert_int_equal(refs, SWIM_STORE_REF(SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_store_refs(&refs, f->h, sha_c));
	assert_int_equal(refs, 0);

	swim_assert_ok(swim_store_garbage(&v, &n, f->h));
	assert_int_equal(n, 1);
	assert_string_equal(v[0], sha_c);
	swim_host_strv_free(v, n);
	swim_assert_ok(swim_store_missing(&v, &n, f->h, SWIM_IMAGE_PENDING));
	assert_int_equal(n, 1);
	assert_string_equal(v[0], sha_b);
	swim_host_strv_free(v, n);
	swim_assert_ok(swim_store_missing(&v, &n, f->h, SWIM_IMAGE_CURRENT));
	assert_int_equal(n, 0);

	swim_assert_ok(swim_store_remove(f->h, sha_c));
	swim_assert_error(swim_store_remove(f->h, sha_c), SWIM_ENOTFOUND,
	                  "is not in the store");
	/* Dropping the pending image frees its payloads. */
	swim_assert_ok(swim_store_add(f->h, sha_b, 96541));
	swim_assert_ok(swim_image_delete(f->h, SWIM_IMAGE_PENDING));
	swim_assert_ok(swim_store_garbage(&v, &n, f->h));
	assert_int_equal(n, 1);
	assert_string_equal(v[0], sha_b);
	swim_host_strv_free(v, n);
}

static void test_store__read_only_host_refuses_changes(void **state)
{
	swim_test_host *f = *state;
	swim_host *r = NULL;
	bool present;

	swim_assert_ok(swim_store_add(f->h, sha_a, 1));
	swim_assert_ok(swim_host_open(&r, f->root, SWIM_HOST_READ, NULL));
	swim_assert_ok(swim_store_get(&present, NULL, r, sha_a));
	assert_true(present);
	swim_assert_error(swim_store_add(r, sha_b, 1), SWIM_EACCESS,
	                  "open read-only");
	swim_assert_error(swim_journal_begin(&(int64_t){ 0 }, r, 0,
	                                     SWIM_IMAGE_CURRENT),
	                  SWIM_EACCESS, "open read-only");
	swim_host_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SWIM_HOST_TEST(test_journal__plan_apply_commit),
		SWIM_HOST_TEST(test_journal__commits_with_the_database),
		SWIM_HOST_TEST(test_store__index_and_references),
		SWIM_HOST_TEST(test_store__read_only_host_refuses_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
