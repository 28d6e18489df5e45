/* The host lock: one writer per root, a waiter told whom it waits for, a
 * timeout, and release by close and by the kernel when the holder dies. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/host.h"

struct waits {
	int calls;
	char message[256];
};

static void on_wait(void *ctx, const char *message)
{
	struct waits *w = ctx;

	w->calls++;
	(void)snprintf(w->message, sizeof(w->message), "%s", message);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static swim_host *open_as(const char *root, const char *command,
                          unsigned flags)
{
	swim_host_options o = { .command = command };
	swim_host *h = NULL;

	swim_assert_ok(swim_host_open(&h, root, flags, &o));
	return h;
}

static void test_lock__second_writer_is_refused(void **state)
{
	char *root = swim_test_tmpdir(), expect[128];
	swim_host *a = open_as(root, "swim vib install -n a", SWIM_HOST_WRITE);
	swim_host *b = NULL, *r;

	(void)state;
	(void)snprintf(expect, sizeof(expect), "is locked by %ld (swim vib install -n a)",
	               (long)getpid());
	/* Two opens in one process conflict like two processes. */
	swim_assert_error(swim_host_open(&b, root, SWIM_HOST_WRITE | SWIM_HOST_NOWAIT,
	                                 NULL), SWIM_EBUSY, expect);
	/* Readers take no lock. */
	r = open_as(root, "reader", SWIM_HOST_READ);
	swim_host_close(r);
	swim_host_close(a);
	b = open_as(root, "second", SWIM_HOST_WRITE | SWIM_HOST_NOWAIT);
	swim_host_close(b);
	swim_test_rmtree(root);
	free(root);
}

static void test_lock__timeout_names_the_holder(void **state)
{
	char *root = swim_test_tmpdir(), *conf = NULL, expect[128];
	struct waits w = { 0, "" };
	swim_host_options o = { .command = "waiter", .on_wait = on_wait,
	                        .wait_ctx = &w };
	swim_host *a, *b = NULL;
	double t0;

	(void)state;
	assert_true(asprintf(&conf, "%s/etc/swim/swim.conf", root) > 0);
	swim_test_write_file(conf, "lock_timeout_seconds = 1\n", 25);
	a = open_as(root, "swim acceptance set --level community", SWIM_HOST_WRITE);
	t0 = now_s();
	swim_assert_error(swim_host_open(&b, root, SWIM_HOST_WRITE, &o), SWIM_EBUSY,
	                  "(swim acceptance set --level community); gave up after "
	                  "1 seconds (lock_timeout_seconds)");
	assert_true(now_s() - t0 >= 1.0);
	assert_true(now_s() - t0 < 5.0);
	assert_int_equal(w.calls, 1);
	(void)snprintf(expect, sizeof(expect),
	               "Waiting for the lock held by %ld (swim acceptance set "
	               "--level community)", (long)getpid());
	assert_string_equal(w.message, expect);
	swim_host_close(a);
	swim_test_rmtree(root);
	free(root);
	free(conf);
}

/* A child that takes the lock, says so on `ready`, then holds it for
 * hold_ms (forever when negative) and exits. */
static pid_t spawn_holder(const char *root, int hold_ms)
{
	int fds[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		swim_host_options o = { .command = "swim child holder" };
		swim_host *h = NULL;

		close(fds[0]);
		if (swim_host_open(&h, root, SWIM_HOST_WRITE | SWIM_HOST_NOWAIT,
		                   &o) < 0)
			_exit(1);
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		if (hold_ms < 0)
			for (;;)
				pause();
		usleep((useconds_t)hold_ms * 1000);
		swim_host_close(h);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static void test_lock__released_when_the_holder_is_killed(void **state)
{
	char *root = swim_test_tmpdir(), expect[128], *holder = NULL;
	pid_t child = spawn_holder(root, -1);
	swim_host *h = NULL, *r;
	int status;

	(void)state;
	(void)snprintf(expect, sizeof(expect), "is locked by %ld (swim child holder)",
	               (long)child);
	swim_assert_error(swim_host_open(&h, root, SWIM_HOST_WRITE | SWIM_HOST_NOWAIT,
	                                 NULL), SWIM_EBUSY, expect);
	r = open_as(root, "reader", SWIM_HOST_READ);
	swim_assert_ok(swim_host_lock_holder(&holder, r));
	assert_non_null(holder);
	assert_non_null(strstr(holder, "(swim child holder)"));
	free(holder);
	assert_int_equal(kill(child, SIGKILL), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* The kernel released it; the next writer needs no cleanup. */
	swim_assert_ok(swim_host_lock_holder(&holder, r));
	assert_null(holder);
	h = open_as(root, "after the kill", SWIM_HOST_WRITE | SWIM_HOST_NOWAIT);
	swim_assert_ok(swim_host_depot_add(h, "after", "/after"));
	swim_assert_ok(swim_host_lock_holder(&holder, r));
	assert_non_null(strstr(holder, "(after the kill)"));
	free(holder);
	swim_host_close(h);
	swim_host_close(r);
	swim_test_rmtree(root);
	free(root);
}

static void test_lock__waiter_gets_it_when_the_holder_ends(void **state)
{
	char *root = swim_test_tmpdir(), expect[128];
	struct waits w = { 0, "" };
	swim_host_options o = { .command = "waiter", .on_wait = on_wait,
	                        .wait_ctx = &w };
	pid_t child = spawn_holder(root, 400);
	swim_host *h = NULL;
	double t0 = now_s();
	int status;

	(void)state;
	swim_assert_ok(swim_host_open(&h, root, SWIM_HOST_WRITE, &o));
	assert_true(now_s() - t0 < 10.0);
	assert_int_equal(w.calls, 1);
	(void)snprintf(expect, sizeof(expect),
	               "Waiting for the lock held by %ld (swim child holder)",
	               (long)child);
	assert_string_equal(w.message, expect);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	swim_host_close(h);
	swim_test_rmtree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock__second_writer_is_refused),
		cmocka_unit_test(test_lock__timeout_names_the_holder),
		cmocka_unit_test(test_lock__released_when_the_holder_is_killed),
		cmocka_unit_test(test_lock__waiter_gets_it_when_the_holder_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
