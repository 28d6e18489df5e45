/* swimd as a service: the pid file, signals, systemd notification, and
 * the whole daemon loop in a child process driven with SIGHUP and
 * SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <unistd.h>

#include "daemon/pidfile.h"
#include "daemon/service.h"
#include "support/httptest.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

static char *read_text(const char *path)
{
	swim_buf b = SWIM_BUF_INIT(1 << 24);

	swim_assert_ok(swim_fs_read_file(&b, path));
	return swim_buf_detach(&b);
}

static void test_service__pid_file(void **state)
{
	char *dir = swim_test_tmpdir(), *path = swim_test_path(dir, "swimd.pid");
	char *bad = swim_test_path(dir, "no/such/dir/swimd.pid"), *text, want[32];
	swimd_pidfile *pf = NULL, *second = NULL;
	int ready[2], go[2];
	pid_t child;
	char c;

	(void)state;
	swim_assert_ok(swimd_pidfile_create(&pf, path));
	text = read_text(path);
	(void)snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(swimd_pidfile_create(&second, path), SWIM_EBUSY);
	(void)snprintf(want, sizeof(want), "(pid %ld holds ", (long)getpid());
	assert_non_null(strstr(swim_error_last(), "swimd is already running"));
	assert_non_null(strstr(swim_error_last(), want));
	assert_null(second);
	swimd_pidfile_free(pf);
	assert_int_equal(access(path, F_OK), -1);

	/* A file left behind by a swimd that died is replaced. */
	swim_test_write_file(path, "99999999\n", 9);
	swim_assert_ok(swimd_pidfile_create(&pf, path));
	swimd_pidfile_free(pf);
	assert_int_equal(access(path, F_OK), -1);
	swim_assert_error(swimd_pidfile_create(&pf, bad), SWIM_EIO,
	                  "no/such/dir/swimd.pid: No such file or directory");

	/* Another process holding it. */
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int ok = swimd_pidfile_create(&pf, path) == 0;

		(void)write(ready[1], ok ? "y" : "n", 1);
		(void)read(go[0], &c, 1);
		swimd_pidfile_free(pf);
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	assert_int_equal(swimd_pidfile_create(&pf, path), SWIM_EBUSY);
	(void)snprintf(want, sizeof(want), "(pid %ld holds ", (long)child);
	assert_non_null(strstr(swim_error_last(), want));
	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(waitpid(child, NULL, 0), child);
	swim_assert_ok(swimd_pidfile_create(&pf, path));
	swimd_pidfile_free(pf);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	swim_test_rmtree(dir);
	free(dir);
	free(path);
	free(bad);
}

/* A datagram socket standing in for systemd's. */
static int notify_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path));
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	assert_int_equal(bind(fd, (struct sockaddr *)&sa,
	                      (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	                                  strlen(path))), 0);
	return fd;
}

/* The next notification, or "" after `ms`. */
static void notify_next(char *out, size_t size, int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	out[0] = '\0';
	if (poll(&p, 1, ms) <= 0)
		return;
	n = recv(fd, out, size - 1, 0);
	out[n > 0 ? n : 0] = '\0';
}

static void test_service__notify(void **state)
{
	char *dir = swim_test_tmpdir(), *path = swim_test_path(dir, "notify");
	char abstract[64], msg[256];
	int fd, afd;

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	swim_assert_ok(swimd_notify("READY=1"));   /* not under systemd */
	fd = notify_listen(path);
	setenv("NOTIFY_SOCKET", path, 1);
	swim_assert_ok(swimd_notify("READY=1\nSTATUS=serving"));
	notify_next(msg, sizeof(msg), fd, 2000);
	assert_string_equal(msg, "READY=1\nSTATUS=serving");
	(void)snprintf(abstract, sizeof(abstract), "@swim-test-%ld", (long)getpid());
	afd = notify_listen(abstract);
	setenv("NOTIFY_SOCKET", abstract, 1);
	swim_assert_ok(swimd_notify("STOPPING=1"));
	notify_next(msg, sizeof(msg), afd, 2000);
	assert_string_equal(msg, "STOPPING=1");
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	swim_assert_error(swimd_notify("READY=1"), SWIM_EINVAL,
	                  "NOTIFY_SOCKET 'relative/path' is not a socket path");
	unsetenv("NOTIFY_SOCKET");
	close(fd);
	close(afd);
	swim_test_rmtree(dir);
	free(dir);
	free(path);
}

static void test_service__signals(void **state)
{
	swimd_signals *sig;
	swimd_signal what;
	sigset_t now;
	int signo;

	(void)state;
	swim_assert_ok(swimd_signals_open(&sig));
	assert_true(swimd_signals_fd(sig) >= 0);
	swim_assert_ok(swimd_signals_wait(&what, &signo, sig, 50));
	assert_int_equal(what, SWIMD_SIGNAL_NONE);
	assert_int_equal(signo, 0);
	/* Blocked signals queue on the descriptor instead of killing. */
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(raise(SIGPIPE), 0);
	swim_assert_ok(swimd_signals_wait(&what, &signo, sig, 1000));
	assert_int_equal(what, SWIMD_SIGNAL_RELOAD);
	assert_int_equal(signo, SIGHUP);
	assert_int_equal(raise(SIGTERM), 0);
	swim_assert_ok(swimd_signals_wait(&what, &signo, sig, 1000));
	assert_int_equal(what, SWIMD_SIGNAL_STOP);
	assert_int_equal(raise(SIGINT), 0);
	swim_assert_ok(swimd_signals_wait(&what, &signo, sig, 1000));
	assert_int_equal(what, SWIMD_SIGNAL_STOP);
	assert_int_equal(signo, SIGINT);
	swimd_signals_free(sig);
	assert_int_equal(pthread_sigmask(SIG_SETMASK, NULL, &now), 0);
	assert_int_equal(sigismember(&now, SIGTERM), 0);
	assert_int_equal(sigismember(&now, SIGHUP), 0);
}

/* ---- the daemon in a child process ---------------------------------- */

/* What swimd's main does, in the order it must (signals first, before
 * any thread). Reports its ports on `report`, exits with 0 after a clean
 * stop. No cmocka here: this is another process. */
static void daemon_main(const char *dir, int report)
{
	const char *listen[] = { "127.0.0.1:0" };
	struct ht_handler_state hs = { 0 };
	char *log_path = swim_test_path(dir, "swimd.log"), *pid = swim_test_path(dir, "swimd.pid");
	char *users = swim_test_path(dir, "users"), *crt = swim_test_path(dir, "live.crt");
	char *key = swim_test_path(dir, "live.key"), ports[64];
	swimd_signals *sig = NULL;
	swimd_log *log = NULL;
	swimd_pidfile *pf = NULL;
	swimd_auth *auth = NULL;
	swimd_http *srv = NULL;
	swim_limits lim = ht_limits();
	swimd_http_config cfg = {
		.listen = listen, .n_listen = 1,
		.tls_listen = listen, .n_tls_listen = 1,
		.tls_cert = crt, .tls_key = key, .limits = &lim,
		.handler = ht_handler, .handler_ctx = &hs,
	};
	int fd, rc = 1, n;

	if (swimd_signals_open(&sig) < 0)
		goto out;
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || swimd_log_open_fd(&log, SWIMD_LOG_DEBUG, fd) < 0 ||
	    swimd_pidfile_create(&pf, pid) < 0 ||
	    swimd_auth_new(&auth, &lim) < 0 || swimd_auth_load(auth, users) < 0)
		goto out;
	cfg.auth = auth;
	cfg.log = log;
	if (swimd_http_start(&srv, &cfg) < 0)
		goto out;
	n = snprintf(ports, sizeof(ports), "%u %u\n", swimd_http_port(srv, 0),
	             swimd_http_tls_port(srv, 0));
	if (write(report, ports, (size_t)n) != n)
		goto out;
	rc = swimd_serve(sig, srv, auth, log) < 0;
out:
	if (rc && log)
		swimd_log_write(log, SWIMD_LOG_ERROR, "%s", swim_error_last());
	swimd_http_free(srv);
	swimd_auth_free(auth);
	swimd_pidfile_free(pf);
	swimd_log_free(log);
	swimd_signals_free(sig);
	free(log_path);
	free(pid);
	free(users);
	free(crt);
	free(key);
	exit(rc);
}

static void write_users(const char *dir, const char *password)
{
	char *path = swim_test_path(dir, "users");
	swimd_users *u = NULL;

	swim_assert_ok(swimd_users_new(&u));
	swim_assert_ok(swimd_users_set(u, "alice", SWIMD_ROLE_ADMIN, password));
	swim_assert_ok(swimd_users_save(u, path));
	swimd_users_free(u);
	free(path);
}

struct daemon {
	char *dir;
	pid_t pid;
	int notify;
	struct ht_server s;    /* only its URLs and ports are used */
	char *ca;
};

static void expect_notify(struct daemon *d, const char *prefix)
{
	char msg[256];

	notify_next(msg, sizeof(msg), d->notify, 10000);
	if (strncmp(msg, prefix, strlen(prefix)) != 0)
		fail_msg("notification '%s', expected '%s...'", msg, prefix);
}

static void daemon_start(struct daemon *d)
{
	char *notify = swim_test_path(d->dir, "notify"), ports[64] = "";
	struct pollfd p;
	int report[2];
	ssize_t n;

	d->notify = notify_listen(notify);
	assert_int_equal(pipe2(report, O_CLOEXEC), 0);
	setenv("NOTIFY_SOCKET", notify, 1);
	d->pid = fork();
	assert_true(d->pid >= 0);
	if (d->pid == 0) {
		/* Never outlive a failed test. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		daemon_main(d->dir, report[1]);
	}
	unsetenv("NOTIFY_SOCKET");
	close(report[1]);
	p = (struct pollfd){ .fd = report[0], .events = POLLIN };
	assert_int_equal(poll(&p, 1, 10000), 1);
	n = read(report[0], ports, sizeof(ports) - 1);
	close(report[0]);
	if (n <= 0) {
		char *log = swim_test_path(d->dir, "swimd.log");

		fail_msg("swimd did not start: %s", read_text(log));
	}
	assert_int_equal(sscanf(ports, "%u %u", &d->s.port, &d->s.tls_port), 2);
	(void)snprintf(d->s.url, sizeof(d->s.url), "http://127.0.0.1:%u/cimom",
	               d->s.port);
	(void)snprintf(d->s.tls_url, sizeof(d->s.tls_url),
	               "https://127.0.0.1:%u/cimom", d->s.tls_port);
	expect_notify(d, "READY=1");
	free(notify);
}

/* The subject of the certificate a new HTTPS connection gets, after a
 * request as `userpwd` that must end with `status`. */
static void https_check(struct daemon *d, const char *userpwd, long status,
                        const char *subject)
{
	CURL *c = curl_easy_init();
	struct curl_certinfo *ci = NULL;
	struct ht_reply r;
	bool seen = false;

	ht_curl_tls(c, d->ca, NULL, NULL);
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	ht_request(c, &r, "POST", d->s.tls_url, userpwd, "GetInstance", NULL,
	           "x", 1);
	ht_expect(&r, status, NULL, NULL);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci), CURLE_OK);
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next)
		if (strncmp(l->data, "Subject:", 8) == 0)
			seen = strcmp(l->data + 8, subject) == 0;
	if (!seen)
		fail_msg("the server's certificate is not %s", subject);
	ht_reply_free(&r);
	curl_easy_cleanup(c);
}

static void test_service__daemon_reloads_and_stops(void **state)
{
	struct daemon d = { 0 };
	char *pid_path, *users, *log, want[32], *text, *out;
	/* As alice, whose password is "changed" by then. */
	const char *slow = "POST /cimom HTTP/1.1\r\nHost: x\r\n"
	                   "Authorization: Basic YWxpY2U6Y2hhbmdlZA==\r\n"
	                   "Content-Type: application/xml\r\n"
	                   "CIMOperation: MethodCall\r\nCIMMethod: StreamSlow\r\n"
	                   "CIMObject: root\r\nContent-Length: 1\r\n\r\nx";
	swimd_pidfile *pf = NULL;
	swim_buf got = SWIM_BUF_INIT(1 << 20);
	int fd, status;

	(void)state;
	d.dir = swim_test_tmpdir();
	d.ca = ht_pki_path(d.dir, "ca", "crt");
	pid_path = swim_test_path(d.dir, "swimd.pid");
	users = swim_test_path(d.dir, "users");
	log = swim_test_path(d.dir, "swimd.log");
	ht_pki_ca(d.dir, "ca", "swim test CA");
	ht_pki_issue(d.dir, "server", "ca", "localhost", false, -1, 365);
	ht_pki_issue(d.dir, "renewed", "ca", "renewed.localhost", false, -1, 365);
	ht_pki_install(d.dir, "server", "live");
	write_users(d.dir, "secret");
	daemon_start(&d);

	/* Running: its pid in the file, held against a second swimd. */
	text = read_text(pid_path);
	(void)snprintf(want, sizeof(want), "%ld\n", (long)d.pid);
	assert_string_equal(text, want);
	free(text);
	assert_int_equal(swimd_pidfile_create(&pf, pid_path), SWIM_EBUSY);
	ht_exchange(&d.s, "alice:secret", "GetInstance", NULL, "x", 1, 200,
	            NULL, "user=alice");
	https_check(&d, "alice:secret", 200, "CN = localhost");

	/* SIGHUP: a new password and a new certificate. */
	write_users(d.dir, "changed");
	ht_pki_install(d.dir, "renewed", "live");
	assert_int_equal(kill(d.pid, SIGHUP), 0);
	expect_notify(&d, "RELOADING=1\nMONOTONIC_USEC=");
	expect_notify(&d, "READY=1");
	ht_exchange(&d.s, "alice:secret", "GetInstance", NULL, "x", 1, 401,
	            NULL, NULL);
	https_check(&d, "alice:changed", 200, "CN = renewed.localhost");
	/* A broken users file changes nothing. */
	swim_test_write_file(users, "alice:root:x\n", 13);
	assert_int_equal(kill(d.pid, SIGHUP), 0);
	expect_notify(&d, "RELOADING=1");
	expect_notify(&d, "READY=1");
	ht_exchange(&d.s, "alice:changed", "GetInstance", NULL, "x", 1, 200,
	            NULL, NULL);

	/* SIGTERM during a long streamed answer: it finishes, new
	 * connections are refused, swimd exits 0 and removes its pid file. */
	fd = ht_connect(d.s.port, NULL);
	ht_send(fd, slow);
	while (!strstr(got.ptr, "<part n=\"1\"/>")) {
		char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);

		assert_true(n > 0);
		swim_assert_ok(swim_buf_put(&got, chunk, (size_t)n));
	}
	assert_int_equal(kill(d.pid, SIGTERM), 0);
	expect_notify(&d, "STOPPING=1");
	ht_sleep_ms(300);
	{
		struct sockaddr_in sa = { .sin_family = AF_INET,
		                          .sin_port = htons((uint16_t)d.s.port) };
		int probe = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr), 1);
		assert_int_equal(connect(probe, (struct sockaddr *)&sa, sizeof(sa)), -1);
		assert_int_equal(errno, ECONNREFUSED);
		close(probe);
	}
	out = ht_read_until_closed(fd, 10000, NULL);
	swim_assert_ok(swim_buf_puts(&got, out));
	free(out);
	close(fd);
	assert_memory_equal(got.ptr, "HTTP/1.1 200 ", 13);
	assert_non_null(strstr(got.ptr, "<part n=\"100\"/>\n\r\n0\r\n\r\n"));
	assert_int_equal(waitpid(d.pid, &status, 0), d.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(access(pid_path, F_OK), -1);

	text = read_text(log);
	assert_non_null(strstr(text, " info: SIGHUP: reloading the users file "
	                             "and the certificates\n"));
	assert_non_null(strstr(text, " info: users file reloaded\n"));
	assert_non_null(strstr(text, " info: HTTPS certificate reloaded: "
	                             "CN=renewed.localhost"));
	assert_non_null(strstr(text, ":1: unknown role 'root' (expected admin "
	                             "or readonly); the users before stay in "
	                             "effect\n"));
	assert_non_null(strstr(text, " info: SIGTERM: stopping; requests in "
	                             "progress may finish\n"));
	assert_non_null(strstr(text, " info: stopped\n"));
	assert_null(strstr(text, "changed"));   /* no password in the log */
	free(text);
	swim_buf_dispose(&got);
	close(d.notify);
	swim_test_rmtree(d.dir);
	free(d.dir);
	free(d.ca);
	free(pid_path);
	free(users);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service__pid_file),
		cmocka_unit_test(test_service__notify),
		cmocka_unit_test(test_service__signals),
		cmocka_unit_test(test_service__daemon_reloads_and_stops),
	};

	return ht_main("test_service", tests, SWIM_ARRAY_SIZE(tests), NULL, NULL);
}
