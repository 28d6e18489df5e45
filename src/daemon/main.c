/* swimd — the WBEM server: CIM-XML over HTTP(S) (docs/swimd.md).
 *
 *   swimd --root DIR [--listen ADDR:PORT]... [--tls-listen ADDR:PORT]...
 *         [--cert F --key F [--client-ca F]] [--users FILE]
 *         [--system-name NAME] [--pid-file F] [--log-level L]
 *         [--log-target T] [--detach] [--schema-dir DIR] [--schema FILE]...
 *         [--test-classes [--test-instances N]]
 *   swimd [--root DIR] [--users FILE] --add-user NAME --role ROLE
 *
 * Settings not given as options come from ROOT/etc/swim/swim.conf (paths
 * there are taken inside the root). The main thread sets everything up,
 * starts the HTTP server (whose worker threads answer requests) and then
 * runs swimd_serve(): SIGHUP reloads users and certificates, SIGINT and
 * SIGTERM stop the server gracefully (docs/swimd-http.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
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
#include "daemon/pidfile.h"
#include "daemon/service.h"
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
#define MAX_TEST_INSTANCES 10000000


static const char *arg_root = "/";
static const char *arg_listen[MAX_REPEATS];
static size_t arg_n_listen;
static const char *arg_tls_listen[MAX_REPEATS];
static size_t arg_n_tls_listen;
static const char *arg_cert;
static const char *arg_key;
static const char *arg_client_ca;
static const char *arg_pid_file;
static const char *arg_log_level;
static const char *arg_log_target;
static const char *arg_users;
static const char *arg_system_name;
static bool arg_detach;
static const char *arg_schema_dir;
static const char *arg_schemas[MAX_REPEATS];
static size_t arg_n_schemas;
static bool arg_test_classes;
static unsigned long arg_test_instances;
static const char *arg_add_user;
static const char *arg_role;

enum {
	OPT_ROOT = 0x100, OPT_LISTEN, OPT_TLS_LISTEN, OPT_CERT, OPT_KEY,
	OPT_CLIENT_CA, OPT_PID_FILE, OPT_LOG_LEVEL, OPT_LOG_TARGET, OPT_USERS,
	OPT_SYSTEM_NAME, OPT_FOREGROUND, OPT_DETACH, OPT_SCHEMA_DIR, OPT_SCHEMA,
	OPT_TEST_CLASSES, OPT_TEST_INSTANCES, OPT_ADD_USER, OPT_ROLE, OPT_HELP, OPT_VERSION
};

static const struct option options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "tls-listen", required_argument, NULL, OPT_TLS_LISTEN },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "client-ca", required_argument, NULL, OPT_CLIENT_CA },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-target", required_argument, NULL, OPT_LOG_TARGET },
	{ "users", required_argument, NULL, OPT_USERS },
	{ "system-name", required_argument, NULL, OPT_SYSTEM_NAME },
	{ "foreground", no_argument, NULL, OPT_FOREGROUND },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "schema-dir", required_argument, NULL, OPT_SCHEMA_DIR },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "test-classes", no_argument, NULL, OPT_TEST_CLASSES },
	{ "test-instances", required_argument, NULL, OPT_TEST_INSTANCES },
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
	        "  --tls-listen ADDR:PORT  HTTPS there (repeatable; default "
	        "swim.conf tls_listen)\n"
	        "  --cert FILE, --key FILE  the HTTPS certificate and key (PEM; "
	        "swim.conf tls_cert, tls_key)\n"
	        "  --client-ca FILE      require client certificates from this "
	        "CA (swim.conf tls_client_ca)\n"
	        "  --pid-file FILE       write the pid there (swim.conf pid_file)\n"
	        "  --log-level LEVEL     error, warning, info or debug (swim.conf "
	        "log_level; default info)\n"
	        "  --log-target TARGET   stderr or syslog (swim.conf log_target; "
	        "default stderr)\n"
	        "  --users FILE          the users file (default swim.conf "
	        "users_file, else DIR/etc/swim/users)\n"
	        "  --system-name NAME    the host's name in CIM (default "
	        "swim.conf system_name, else the host name)\n"
	        "  --detach              detach once serving (default: stay in "
	        "the foreground, as systemd wants)\n"
	        "  --schema-dir DIR      the schema (default " SWIMD_SCHEMA_DIR
	        ")\n"
	        "  --schema FILE         load one more MOF file into root/cimv2 "
	        "(repeatable)\n"
	        "  --test-classes        serve the test classes "
	        "(SCHEMA-DIR/test/swim_test.mof): for swimd's tests only\n"
	        "  --test-instances N    with --test-classes: N more "
	        "SWIM_TestPlain instances (large results)\n"
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
	uint64_t n;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_ROOT: arg_root = optarg; break;
		case OPT_LISTEN:
			if (repeat(arg_listen, &arg_n_listen, optarg, "--listen"))
				return 2;
			break;
		case OPT_TLS_LISTEN:
			if (repeat(arg_tls_listen, &arg_n_tls_listen, optarg,
			           "--tls-listen"))
				return 2;
			break;
		case OPT_CERT: arg_cert = optarg; break;
		case OPT_KEY: arg_key = optarg; break;
		case OPT_CLIENT_CA: arg_client_ca = optarg; break;
		case OPT_PID_FILE: arg_pid_file = optarg; break;
		case OPT_LOG_LEVEL: arg_log_level = optarg; break;
		case OPT_LOG_TARGET: arg_log_target = optarg; break;
		case OPT_USERS: arg_users = optarg; break;
		case OPT_SYSTEM_NAME: arg_system_name = optarg; break;
		case OPT_FOREGROUND: arg_detach = false; break;
		case OPT_DETACH: arg_detach = true; break;
		case OPT_SCHEMA_DIR: arg_schema_dir = optarg; break;
		case OPT_SCHEMA:
			if (repeat(arg_schemas, &arg_n_schemas, optarg, "--schema"))
				return 2;
			break;
		case OPT_TEST_CLASSES: arg_test_classes = true; break;
		case OPT_TEST_INSTANCES:
			if (swim_str_to_u64(&n, optarg, MAX_TEST_INSTANCES,
			                    "--test-instances") < 0)
				return fail("%s", swim_error_last()), 2;
			arg_test_instances = (unsigned long)n;
			break;
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
	if (arg_test_instances && !arg_test_classes)
		return fail("--test-instances goes with --test-classes"), 2;
	if (arg_role && !arg_add_user)
		return fail("--role goes with --add-user"), 2;
	if (arg_add_user && !arg_role)
		return fail("--add-user needs --role admin or --role readonly"), 2;
	return 0;
}

/* A file option: the command line's value as given, else swim.conf's key
 * (a path of the managed host, taken inside the root), else def (also
 * inside the root; NULL: none). *path points into buf, or is NULL when
 * there is none. */
static int file_setting(const char **path, swim_buf *buf, const char *arg,
                        const swim_conf *conf, const char *key,
                        const char *def)
{
	int rc;

	*path = NULL;
	swim_buf_clear(buf);
	if (arg)
		rc = swim_buf_puts(buf, arg);
	else
		rc = swim_conf_path(buf, conf, arg_root, key, def);
	if (rc == 0 && buf->len)
		*path = buf->ptr;
	return rc;
}

static char *users_path(const swim_conf *conf)
{
	swim_buf b = SWIM_BUF_INIT(0);
	const char *path;

	if (file_setting(&path, &b, arg_users, conf, "users_file",
	                 "/etc/swim/users") < 0) {
		swim_buf_dispose(&b);
		return NULL;
	}
	return swim_buf_detach(&b);
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

/* Addresses: the options, else swim.conf's `key` (a list separated by
 * commas or blanks), else `def` (NULL: none). `copy` holds the text the
 * list points into. */
static int listen_list(const char **list, size_t *n, char **copy,
                       const char *const *args, size_t n_args,
                       const swim_conf *conf, const char *key,
                       const char *def)
{
	const char *c = swim_conf_get(conf, key);
	char *save = NULL, *tok;

	*n = 0;
	*copy = NULL;
	if (n_args) {
		memcpy(list, args, n_args * sizeof(*list));
		*n = n_args;
		return 0;
	}
	if (!c) {
		if (def)
			list[(*n)++] = def;
		return 0;
	}
	if (!(*copy = swim_strdup(c)))
		return SWIM_ENOMEM;
	for (tok = strtok_r(*copy, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (*n >= MAX_REPEATS)
			return swim_error_set(SWIM_ELIMIT, "swim.conf %s: more "
			                      "than %d addresses", key, MAX_REPEATS);
		list[(*n)++] = tok;
	}
	if (!*n)
		return swim_error_set(SWIM_EINVAL, "swim.conf %s is empty", key);
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
		rc = swim_provider_test_add(om, arg_test_instances);
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

/* The HTTP(S) side of the configuration; `bufs` and `copies` own what
 * cfg points into. */
struct http_setup {
	const char *listen[MAX_REPEATS];
	const char *tls_listen[MAX_REPEATS];
	char *copies[2];
	swim_buf cert, key, client_ca;
};

static int http_setup(struct http_setup *h, swimd_http_config *cfg,
                      const swim_conf *conf)
{
	int rc;

	if ((rc = listen_list(h->listen, &cfg->n_listen, &h->copies[0],
	                      arg_listen, arg_n_listen, conf, "listen",
	                      arg_n_tls_listen ? NULL : DEFAULT_LISTEN)) < 0 ||
	    (rc = listen_list(h->tls_listen, &cfg->n_tls_listen, &h->copies[1],
	                      arg_tls_listen, arg_n_tls_listen, conf,
	                      "tls_listen", NULL)) < 0 ||
	    (rc = allow_remote(&cfg->allow_remote, conf)) < 0)
		return rc;
	cfg->listen = h->listen;
	cfg->tls_listen = h->tls_listen;
	if ((rc = file_setting(&cfg->tls_cert, &h->cert, arg_cert, conf,
	                       "tls_cert", NULL)) < 0 ||
	    (rc = file_setting(&cfg->tls_key, &h->key, arg_key, conf,
	                       "tls_key", NULL)) < 0 ||
	    (rc = file_setting(&cfg->tls_client_ca, &h->client_ca,
	                       arg_client_ca, conf, "tls_client_ca", NULL)) < 0)
		return rc;
	cfg->tls_priorities = swim_conf_get(conf, "tls_priorities");
	return 0;
}

static void http_setup_dispose(struct http_setup *h)
{
	free(h->copies[0]);
	free(h->copies[1]);
	swim_buf_dispose(&h->cert);
	swim_buf_dispose(&h->key);
	swim_buf_dispose(&h->client_ca);
}

/* Serves until SIGINT or SIGTERM; SIGHUP reloads users and certificates. */
static int serve(const swim_conf *conf, const swim_limits *lim,
                 swimd_log *log, swim_cimom *om)
{
	struct http_setup hs = { .cert = SWIM_BUF_INIT(0),
	                         .key = SWIM_BUF_INIT(0),
	                         .client_ca = SWIM_BUF_INIT(0) };
	swimd_http_config cfg = { 0 };
	swim_buf pid_path = SWIM_BUF_INIT(0);
	swimd_signals *sig = NULL;
	swimd_pidfile *pf = NULL;
	swimd_auth *auth = NULL;
	swimd_http *srv = NULL;
	swimd_cim cim = { om, log, NULL };
	const char *pid_file;
	char *users = users_path(conf);
	int notify = -1, rc = 1;

	/* One idle parser per worker thread of each protocol. */
	if (!users || swimd_auth_new(&auth, lim) < 0 ||
	    swim_xml_pool_new(&cim.parsers, (size_t)(2 * lim->http_threads)) < 0 ||
	    http_setup(&hs, &cfg, conf) < 0) {
		fail("%s", swim_error_last());
		goto out;
	}
	if (file_setting(&pid_file, &pid_path, arg_pid_file, conf, "pid_file",
	                 NULL) < 0) {
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
	cfg.limits = lim;
	cfg.auth = auth;
	cfg.log = log;
	cfg.handler = swimd_cim_handle;
	cfg.handler_ctx = &cim;
	/* Detach before any thread exists; then signals (before the HTTP
	 * threads, which inherit the mask) and the pid file (the child's). */
	if (arg_detach && detach(&notify) != 0)
		goto out;
	if (swimd_signals_open(&sig) < 0 ||
	    (pid_file && swimd_pidfile_create(&pf, pid_file) < 0) ||
	    swimd_http_start(&srv, &cfg) < 0) {
		if (notify < 0)
			fail("%s", swim_error_last());
		detached(notify, swim_error_last());
		goto out;
	}
	detached(notify, NULL);
	/* A stop that outlasted the grace period is logged by swimd_serve;
	 * it is still a clean exit. */
	(void)swimd_serve(sig, srv, auth, log);
	rc = 0;
out:
	swimd_http_free(srv);
	swimd_pidfile_free(pf);
	swimd_signals_free(sig);
	swimd_auth_free(auth);
	swim_xml_pool_free(cim.parsers);
	http_setup_dispose(&hs);
	swim_buf_dispose(&pid_path);
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
	/* Detached, the log goes to syslog unless told where. */
	target = arg_log_target ? arg_log_target
	                        : swim_conf_get(conf, "log_target");
	if (!target && arg_detach)
		target = "syslog";
	if (swimd_log_open_conf(&log, arg_log_level ? arg_log_level
	                                : swim_conf_get(conf, "log_level"),
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
