#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/log.h"
#include "support/testutil.h"
#include "swim/error.h"

/* Everything written to the log's descriptor so far. */
static char *drain(int fd)
{
	swim_buf b = SWIM_BUF_INIT(1 << 20);
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		assert_int_equal(swim_buf_put(&b, chunk, (size_t)n), 0);
	return swim_buf_detach(&b);
}

static void test_log__levels_filter_lines(void **state)
{
	swimd_log *log = NULL;
	int p[2];
	char *out;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	swim_assert_ok(swimd_log_open_fd(&log, SWIMD_LOG_WARNING, p[1]));
	swimd_log_write(log, SWIMD_LOG_ERROR, "disk %s", "full");
	swimd_log_write(log, SWIMD_LOG_WARNING, "slow");
	swimd_log_write(log, SWIMD_LOG_INFO, "hidden info");
	swimd_log_write(log, SWIMD_LOG_DEBUG, "hidden debug");
	assert_true(swimd_log_enabled(log, SWIMD_LOG_WARNING));
	assert_false(swimd_log_enabled(log, SWIMD_LOG_INFO));
	out = drain(p[0]);
	assert_non_null(strstr(out, " error: disk full\n"));
	assert_non_null(strstr(out, " warning: slow\n"));
	assert_null(strstr(out, "hidden"));
	assert_memory_equal(out + 19, "Z swimd[", 8);  /* 2025-01-02T03:04:05Z */
	free(out);
	swimd_log_free(log);
	/* A NULL log is a quiet log. */
	swimd_log_write(NULL, SWIMD_LOG_ERROR, "nowhere");
	swimd_log_audit(NULL, "a", "b", "c", "d", "e");
	close(p[0]);
	close(p[1]);
}

static void test_log__one_line_whatever_the_input(void **state)
{
	swimd_log *log = NULL;
	int p[2];
	char *out, *nl;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	swim_assert_ok(swimd_log_open_fd(&log, SWIMD_LOG_DEBUG, p[1]));
	swimd_log_write(log, SWIMD_LOG_INFO, "login failed for %s",
	                "eve\nfake: line\r\x1b[2J");
	out = drain(p[0]);
	assert_non_null(strstr(out, "login failed for eve\\x0afake: line\\x0d\\x1b[2J\n"));
	nl = strchr(out, '\n');
	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
	free(out);
	swimd_log_free(log);
	close(p[0]);
	close(p[1]);
}

static void test_log__audit_line_at_every_level(void **state)
{
	swimd_log *log = NULL;
	int p[2];
	char *out;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	swim_assert_ok(swimd_log_open_fd(&log, SWIMD_LOG_ERROR, p[1]));
	swimd_log_audit(log, "alice", "127.0.0.1", "DeleteInstance",
	                "root/cimv2:SWIM_X.InstanceID=\"a\\b\"",
	                "CIM_ERR_NOT_FOUND: no such \"thing\"");
	swimd_log_audit(log, NULL, NULL, NULL, NULL, NULL);
	out = drain(p[0]);
	assert_non_null(strstr(out,
		" audit: user=\"alice\" client=127.0.0.1 operation=DeleteInstance "
		"object=\"root/cimv2:SWIM_X.InstanceID=\\\"a\\\\b\\\"\" "
		"result=\"CIM_ERR_NOT_FOUND: no such \\\"thing\\\"\"\n"));
	assert_non_null(strstr(out, " audit: user=- client=- operation=- object=- result=-\n"));
	free(out);
	swimd_log_free(log);
	close(p[0]);
	close(p[1]);
}

static void test_log__configuration_errors(void **state)
{
	swimd_log *log = NULL;
	swimd_log_level level;

	(void)state;
	swim_assert_ok(swimd_log_level_parse(&level, "DEBUG"));
	assert_int_equal(level, SWIMD_LOG_DEBUG);
	swim_assert_ok(swimd_log_level_parse(&level, NULL));
	assert_int_equal(level, SWIMD_LOG_INFO);
	swim_assert_error(swimd_log_open_conf(&log, "loud", NULL), SWIM_EINVAL,
	                  "log_level: 'loud' is not one of error, warning, info, debug");
	swim_assert_error(swimd_log_open_conf(&log, "info", "file"), SWIM_EINVAL,
	                  "log_target: 'file' is not stderr or syslog");
	assert_null(log);
	swim_assert_ok(swimd_log_open_conf(&log, "error", "syslog"));
	swimd_log_free(log);
	swim_assert_ok(swimd_log_open_conf(&log, NULL, NULL));
	swimd_log_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log__levels_filter_lines),
		cmocka_unit_test(test_log__one_line_whatever_the_input),
		cmocka_unit_test(test_log__audit_line_at_every_level),
		cmocka_unit_test(test_log__configuration_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
