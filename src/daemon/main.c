/* swimd — the WBEM server: CIM-XML over HTTP (docs/swimd.md).
 *
 *   swimd --root DIR [--listen ADDR:PORT]... [--users FILE]
 *         [--system-name NAME] [--foreground] [--schema-dir DIR]
 *         [--schema FILE]... [--test-classes]
 *   swimd [--root DIR] [--users FILE] --add-user NAME --role ROLE
 *
 * Settings not given as options come from ROOT/etc/swim/swim.conf. The
 * main thread sets everything up, starts the HTTP server (whose worker
 * threads answer requests) and then only waits for signals: SIGINT and
 * SIGTERM stop the server gracefully.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cim/mof.h"
#include "cimxml/cimom.h"
#include "daemon/cim.h"
#include "daemon/http.h"
#include "providers/providers.h"
#include "swim/conf.h"
#include "swim/error.h"
#include "util/str.h"

#ifndef SWIMD_VERSION
#define SWIMD_VERSION "0"
#endif
#ifndef SWIMD_SCHEMA_DIR
#define SWIMD_SCHEMA_DIR "/usr/local/share/swim/schema"
#endif

#define DEFAULT_LISTEN "127.0.0.1:5988"
#define MAX_REPEATS 64      /* --listen / --schema given at most this often */

static const char *arg_root = "/";
static const char *arg_listen[MAX_REPEATS];
static size_t arg_n_listen;
static const char *arg_users;
static const char *arg_system_name;
static bool arg_foreground;
static const char *arg_schema_dir;
static const char *arg_schemas[MAX_REPEATS];
static size_t arg_n_schemas;
static bool arg_test_classes;
static const char *arg_add_user;
static const char *arg_role;

enum {
	OPT_ROOT = 0x100, OPT_LISTEN, OPT_USERS, OPT_SYSTEM_NAME,
	OPT_FOREGROUND, OPT_SCHEMA_DIR, OPT_SCHEMA, OPT_TEST_CLASSES,
	OPT_ADD_USER, OPT_ROLE, OPT_HELP, OPT_VERSION
};

static const struct option options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "users", required_argument, NULL, OPT_USERS },
	{ "system-name", required_argument, NULL, OPT_SYSTEM_NAME },
	{ "foreground", no_argument, NULL, OPT_FOREGROUND },
	{ "schema-dir", required_argument, NULL, OPT_SCHEMA_DIR },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "test-classes", no_argument, NULL, OPT_TEST_CLASSES },
	{ "add-user", required_argument, NULL, OPT_ADD_USER },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: swimd --root DIR [options]\n"
	        "       swimd [--root DIR] [--users FILE] --add-user NAME "
	        "--role admin|readonly\n"
	        "\n"
	        "The swim WBEM server: CIM-XML (DSP0200) over HTTP.\n"
	        "\n"
	        "  --root DIR            the managed system (default /); "
	        "reads DIR/etc/swim/swim.conf\n"
	        "  --listen ADDR:PORT    listen there (repeatable; default "
	        "swim.conf listen, else " DEFAULT_LISTEN ")\n"
	        "  --users FILE          the users file (default swim.conf "
	        "users_file, else DIR/etc/swim/users)\n"
	        "  --system-name NAME    the host's name in CIM (default "
	        "swim.conf system_name, else the host name)\n"
	        "  --foreground          stay in the foreground (default: "
	        "detach, log to syslog)\n"
	        "  --schema-dir DIR      the schema (default " SWIMD_SCHEMA_DIR
	        ")\n"
	        "  --schema FILE         load one more MOF file into root/cimv2 "
	        "(repeatable)\n"
	        "  --test-classes        serve the test classes "
	        "(SCHEMA-DIR/test/swim_test.mof): for swimd's tests only\n"
	        "  --add-user NAME       add NAME or change its role and "
	        "password (read from stdin), then exit\n"
	        "  --role ROLE           with --add-user: admin or readonly\n"
	        "  --help, --version\n");
}

static int fail(const char *fmt, ...) SWIM_PRINTF(1, 2);
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("swimd: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int repeat(const char **list, size_t *n, const char *value,
                  const char *opt)
{
	if (*n >= MAX_REPEATS)
		return fail("%s given more than %d times", opt, MAX_REPEATS);
	list[(*n)++] = value;
	return 0;
}

/* 0 to go on, else the exit status. */
static int parse_args(int argc, char **argv)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_ROOT: arg_root = optarg; break;
		case OPT_LISTEN:
			if (repeat(arg_listen, &arg_n_listen, optarg, "--listen"))
				return 2;
			break;
		case OPT_USERS: arg_users = optarg; break;
		case OPT_SYSTEM_NAME: arg_system_name = optarg; break;
		case OPT_FOREGROUND: arg_foreground = true; break;
		case OPT_SCHEMA_DIR: arg_schema_dir = optarg; break;
		case OPT_SCHEMA:
			if (repeat(arg_schemas, &arg_n_schemas, optarg, "--schema"))
				return 2;
			break;
		case OPT_TEST_CLASSES: arg_test_classes = true; break;
		case OPT_ADD_USER: arg_add_user = optarg; break;
		case OPT_ROLE: arg_role = optarg; break;
		case OPT_HELP: usage(stdout); return -1;
		case OPT_VERSION: printf("swimd %s\n", SWIMD_VERSION); return -1;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fail("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (arg_role && !arg_add_user)
		return fail("--role goes with --add-user"), 2;
	if (arg_add_user && !arg_role)
		return fail("--add-user needs --role admin or --role readonly"), 2;
	return 0;
}

/* ROOT/rel, with "/" as root giving "/rel". */
static char *under_root(const char *rel)
{
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_buf_printf(&b, "%s/%s", strcmp(arg_root, "/") == 0 ? ""
	                    : arg_root, rel) < 0)
		return NULL;
	return swim_buf_detach(&b);
}

/* --users, else swim.conf's users_file, else ROOT/etc/swim/users. */
static char *users_path(const swim_conf *conf)
{
	const char *c = swim_conf_get(conf, "users_file");

	if (arg_users)
		return swim_strdup(arg_users);
	if (c)
		return swim_strdup(c);
	return under_root("etc/swim/users");
}

static int add_user(const swim_conf *conf)
{
	char *path = users_path(conf);
	int rc;

	if (!path)
		return fail("%s", swim_error_last());
	rc = swimd_users_add_from_fd(path, arg_add_user, arg_role, 0);
	if (rc < 0)
		rc = fail("%s", swim_error_last());
	else
		printf("user %s (%s) written to %s\n", arg_add_user, arg_role,
		       path);
	free(path);
	return rc;
}

/* The listen addresses: --listen, else swim.conf's listen (a list
 * separated by commas or blanks), else the loopback default. `copy`
 * holds the text the list points into. */
static int listen_list(const char **list, size_t *n, char **copy,
                       const swim_conf *conf)
{
	const char *c = swim_conf_get(conf, "listen");
	char *save = NULL, *tok;

	*n = 0;
	*copy = NULL;
	if (arg_n_listen) {
		memcpy(list, arg_listen, arg_n_listen * sizeof(*list));
		*n = arg_n_listen;
		return 0;
	}
	if (!c) {
		list[(*n)++] = DEFAULT_LISTEN;
		return 0;
	}
	if (!(*copy = swim_strdup(c)))
		return SWIM_ENOMEM;
	for (tok = strtok_r(*copy, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (*n >= MAX_REPEATS)
			return swim_error_set(SWIM_ELIMIT, "swim.conf listen: more "
			                      "than %d addresses", MAX_REPEATS);
		list[(*n)++] = tok;
	}
	if (!*n)
		return swim_error_set(SWIM_EINVAL, "swim.conf listen is empty");
	return 0;
}

static char *system_name(const swim_conf *conf)
{
	const char *c = swim_conf_get(conf, "system_name");
	char host[HOST_NAME_MAX + 1];

	if (arg_system_name)
		return swim_strdup(arg_system_name);
	if (c)
		return swim_strdup(c);
	if (gethostname(host, sizeof(host)) < 0 || !host[0]) {
		(void)swim_error_set_errno(SWIM_EIO, errno, "host name");
		return NULL;
	}
	host[sizeof(host) - 1] = '\0';
	return swim_strdup(host);
}

static int allow_remote(bool *out, const swim_conf *conf)
{
	const char *c = swim_conf_get(conf, "allow_remote");

	*out = false;
	if (!c || strcmp(c, "no") == 0)
		return 0;
	if (strcmp(c, "yes") == 0) {
		*out = true;
		return 0;
	}
	return swim_error_set(SWIM_EINVAL, "swim.conf allow_remote must be yes "
	                      "or no, not '%s'", c);
}

/* The repository: the schema directory's swim.mof, then the --schema
 * files and, for the tests, the test classes. */
static int load_schema(swim_cim_repo **repo, const swim_limits *lim)
{
	const char *dir = arg_schema_dir ? arg_schema_dir : SWIMD_SCHEMA_DIR;
	const char *extra[MAX_REPEATS + 1];
	swim_buf test = SWIM_BUF_INIT(0);
	size_t n = arg_n_schemas;
	int rc;

	memcpy(extra, arg_schemas, n * sizeof(*extra));
	if (arg_test_classes) {
		if ((rc = swim_buf_printf(&test, "%s/test/swim_test.mof", dir)) < 0)
			return rc;
		extra[n++] = test.ptr;
	}
	rc = swim_cim_schema_load(repo, dir, extra, n, lim);
	if (rc < 0 && !arg_schema_dir)
		(void)swim_error_prefix("(the schema directory is %s; give "
		                        "another with --schema-dir) ", dir);
	swim_buf_dispose(&test);
	return rc;
}

static int add_providers(swim_cimom *om, const char *name)
{
	swim_interop_config icfg = { name, SWIMD_VERSION };
	int rc;

	if ((rc = swim_provider_interop_add(NULL, om, &icfg)) < 0 ||
	    (rc = swim_provider_system_add(om, name)) < 0)
		return rc;
	if (arg_test_classes)
		rc = swim_provider_test_add(om);
	return rc;
}

/* Detaching: the parent waits until the child reports that it serves (or
 * why it could not), so that `swimd` exits 0 only for a running server. */
static int detach(int *notify)
{
	int p[2];
	pid_t pid;
	char buf[512];
	ssize_t got;

	*notify = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return fail("pipe: %s", strerror(errno));
	if ((pid = fork()) < 0)
		return fail("fork: %s", strerror(errno));
	if (pid > 0) {
		close(p[1]);
		do
			got = read(p[0], buf, sizeof(buf) - 1);
		while (got < 0 && errno == EINTR);
		if (got <= 0)
			_exit(fail("the server exited while starting"));
		buf[got] = '\0';
		if (buf[0] != '0')
			_exit(fail("%s", buf + 1));
		_exit(0);
	}
	close(p[0]);
	if (setsid() < 0)
		return fail("setsid: %s", strerror(errno));
	*notify = p[1];
	return 0;
}

/* Tells the waiting parent how starting went, then leaves the terminal. */
static void detached(int notify, const char *error)
{
	swim_buf b = SWIM_BUF_INIT(0);
	int null;

	if (notify < 0)
		return;
	(void)swim_buf_printf(&b, "%c%s", error ? '1' : '0',
	                      error ? error : "");
	if (write(notify, b.ptr, b.len) < 0) {
		/* The parent is gone; nothing to tell. */
	}
	close(notify);
	swim_buf_dispose(&b);
	if (!error && (null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		(void)dup2(null, 0);
		(void)dup2(null, 1);
		(void)dup2(null, 2);
		close(null);
	}
}

/* Serves until SIGINT or SIGTERM. */
static int serve(const swim_conf *conf, const swim_limits *lim,
                 swimd_log *log, swim_cimom *om)
{
	const char *listen[MAX_REPEATS];
	swimd_http_config cfg = { 0 };
	swimd_auth *auth = NULL;
	swimd_http *srv = NULL;
	swimd_cim cim = { om, log };
	char *users = users_path(conf), *copy = NULL;
	int notify = -1, rc = 1, sig;
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (!users || swimd_auth_new(&auth, lim) < 0 ||
	    listen_list(listen, &cfg.n_listen, &copy, conf) < 0 ||
	    allow_remote(&cfg.allow_remote, conf) < 0) {
		fail("%s", swim_error_last());
		goto out;
	}
	if (swimd_auth_load(auth, users) < 0) {
		if (swim_error_last_code() == SWIM_ENOTFOUND)
			fail("%s; add a user with: swimd --users %s --add-user "
			     "NAME --role admin", swim_error_last(), users);
		else
			fail("%s", swim_error_last());
		goto out;
	}
	cfg.listen = listen;
	cfg.limits = lim;
	cfg.auth = auth;
	cfg.log = log;
	cfg.handler = swimd_cim_handle;
	cfg.handler_ctx = &cim;
	/* Signals go to this thread only: the HTTP threads inherit the mask. */
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		fail("signals: %s", strerror(errno));
		goto out;
	}
	if (!arg_foreground && detach(&notify) != 0)
		goto out;
	if (swimd_http_start(&srv, &cfg) < 0) {
		if (notify < 0)
			fail("%s", swim_error_last());
		detached(notify, swim_error_last());
		goto out;
	}
	detached(notify, NULL);
	for (;;) {
		if (sigwait(&stop, &sig) != 0)
			continue;
		if (sig == SIGINT || sig == SIGTERM)
			break;
	}
	swimd_log_write(log, SWIMD_LOG_INFO, "%s: stopping",
	                sig == SIGINT ? "SIGINT" : "SIGTERM");
	if (swimd_http_stop(srv) < 0)
		swimd_log_write(log, SWIMD_LOG_WARNING, "%s", swim_error_last());
	swimd_log_write(log, SWIMD_LOG_INFO, "stopped");
	rc = 0;
out:
	swimd_http_free(srv);
	swimd_auth_free(auth);
	free(copy);
	free(users);
	return rc;
}

int main(int argc, char **argv)
{
	swim_cim_repo *repo = NULL;
	swimd_log *log = NULL;
	swim_cimom *om = NULL;
	swim_conf *conf = NULL;
	char *name = NULL;
	swim_limits lim;
	const char *target;
	int rc;

	if ((rc = parse_args(argc, argv)) != 0)
		return rc < 0 ? 0 : rc;
	swim_limits_init(&lim);
	if (swim_conf_load_root(&conf, arg_root) < 0 ||
	    swim_conf_apply_limits(conf, &lim) < 0) {
		rc = fail("%s", swim_error_last());
		goto out;
	}
	if (arg_add_user) {
		rc = add_user(conf);
		goto out;
	}
	/* Detached, the log goes to syslog unless swim.conf says where. */
	target = swim_conf_get(conf, "log_target");
	if (!target && !arg_foreground)
		target = "syslog";
	if (swimd_log_open_conf(&log, swim_conf_get(conf, "log_level"),
	                        target) < 0 ||
	    !(name = system_name(conf)) ||
	    load_schema(&repo, &lim) < 0 ||
	    swim_cimom_new(&om, repo, name, &lim) < 0 ||
	    add_providers(om, name) < 0) {
		rc = fail("%s", swim_error_last());
		goto out;
	}
	rc = serve(conf, &lim, log, om);
out:
	swim_cimom_free(om);
	swim_cim_repo_free(repo);
	swimd_log_free(log);
	swim_conf_free(conf);
	free(name);
	return rc;
}
