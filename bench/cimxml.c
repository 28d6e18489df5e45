/* cimxml: how fast swimd answers CIM-XML, against the floor of a trivial
 * libmicrohttpd server on the same cores.
 *
 * Starts the swimd of this build (BUILD/swimd) on 127.0.0.1 over HTTP and
 * HTTPS (a CA and server certificate made with openssl) with the test
 * classes and N generated SWIM_TestPlain instances (10,000 by default),
 * and, in a child process, the floor: libmicrohttpd with the same thread
 * pool (http_threads, epoll) and TLS priorities, answering every POST
 * with a fixed body as large as swimd's GetInstance answer. Then, in one
 * run:
 *   - GetInstance requests per second with 1, 8 and 64 concurrent
 *     keep-alive clients (libcurl's multi interface, one thread), over
 *     HTTP and HTTPS, against swimd and against the floor, in turn
 *     (15 rounds of one run each; the ratio is taken within each round
 *     and the median round is reported, so that the load of other
 *     programs falls on both alike and a lucky second counts for
 *     neither);
 *   - one EnumerateInstances of all N instances, and the same as a
 *     paged pull (OpenEnumerateInstances + PullInstancesWithPath, 1,000
 *     per page): time, bytes, and swimd's peak private memory while it
 *     runs (RssAnon sampled every millisecond);
 *   - swimd's RssAnon idle (after start) and after the runs.
 * Every answer is checked (status 200; the enumeration's count).
 *
 * Usage: cimxml [SECONDS] [N]   (SECONDS per rate, 7.5 by default; N
 * instances, 10,000 by default)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "daemon/tls.h"
#include "swim/error.h"
#include "util/str.h"

#ifndef SWIM_SOURCE_DIR
#error "SWIM_SOURCE_DIR must name the source tree (for the schema)"
#endif

#define USER "bench"
#define PASSWORD "bench-password"
#define THREADS 4            /* http_threads: swimd's default */
#define MAX_CLIENTS 64
#define ROUNDS 15            /* each rate: the median of this many */

extern char **environ;

static char workdir[] = "/tmp/swim-bench-cimxml.XXXXXX";
static pid_t swimd_pid, floor_pid;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...) SWIM_PRINTF(1, 2);
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cimxml: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (swimd_pid > 0)
		kill(swimd_pid, SIGKILL);
	if (floor_pid > 0)
		kill(floor_pid, SIGKILL);
	exit(1);
}

/* WORKDIR/name, in one of 32 buffers used in turn (a command line
 * takes a dozen). */
static char *path_in(const char *name)
{
	static char buf[32][512];
	static int i;
	char *p = buf[i++ % 32];

	snprintf(p, sizeof(buf[0]), "%s/%s", workdir, name);
	return p;
}

/* Runs argv, stdin from `input` (may be NULL), and waits: its status. */
static int run(const char *const argv[], const char *input)
{
	posix_spawn_file_actions_t fa;
	int in[2] = { -1, -1 }, status = -1;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	if (input) {
		if (pipe(in) < 0)
			die("pipe: %s", strerror(errno));
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
		posix_spawn_file_actions_addclose(&fa, in[1]);
	}
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, path_in("commands.log"),
	                                 O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
	                 environ) != 0)
		die("cannot run %s", argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	if (input) {
		close(in[0]);
		if (write(in[1], input, strlen(input)) < 0)
			die("writing to %s", argv[0]);
		close(in[1]);
	}
	waitpid(pid, &status, 0);
	return status;
}

/* A CA and a certificate for 127.0.0.1 that it signed (EC P-256). */
static void make_certificates(void)
{
	const char *ca[] = { "openssl", "req", "-x509", "-newkey", "ec",
	               "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
	               "-keyout", path_in("ca.key"), "-out", path_in("ca.pem"),
	               "-days", "2", "-subj", "/CN=swim bench CA", NULL };
	const char *csr[] = { "openssl", "req", "-newkey", "ec", "-pkeyopt",
	                "ec_paramgen_curve:P-256", "-nodes", "-keyout",
	                path_in("server.key"), "-out", path_in("server.csr"),
	                "-subj", "/CN=127.0.0.1", NULL };
	const char *sign[] = { "openssl", "x509", "-req", "-in", path_in("server.csr"),
	                 "-CA", path_in("ca.pem"), "-CAkey", path_in("ca.key"),
	                 "-CAcreateserial", "-days", "2", "-out",
	                 path_in("server.pem"), "-extfile", path_in("san.cnf"),
	                 NULL };
	FILE *f = fopen(path_in("san.cnf"), "we");

	if (!f)
		die("cannot write %s", path_in("san.cnf"));
	fputs("subjectAltName = IP:127.0.0.1\n"
	      "extendedKeyUsage = serverAuth\n", f);
	fclose(f);
	if (run(ca, NULL) != 0 || run(csr, NULL) != 0 || run(sign, NULL) != 0)
		die("openssl failed (see %s)", path_in("commands.log"));
	chmod(path_in("server.key"), 0600);
}

/* The decimal number at *p (after blanks), moving *p past it. */
static unsigned long number_at(const char **p)
{
	unsigned long v = 0;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		v = v * 10 + (unsigned long)(**p - '0');
	return v;
}

/* Reads a whole small file into a static buffer. */
static const char *slurp(const char *path)
{
	static char buf[8][16384];
	static int i;
	char *b = buf[i++ % 8];
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		die("cannot read %s", path);
	n = fread(b, 1, sizeof(buf[0]) - 1, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

/* swimd ---------------------------------------------------------------------- */

struct ports {
	unsigned http, https;
};

static void start_swimd(struct ports *p, const char *self, const char *n)
{
	char swimd[512], root[512], *slash;
	const char *add[] = { swimd, "--root", root, "--add-user", USER, "--role",
	                "admin", NULL };
	const char *argv[] = { swimd, "--root", root, "--foreground", "--listen",
	                 "127.0.0.1:0", "--tls-listen", "127.0.0.1:0", "--cert",
	                 path_in("server.pem"), "--key", path_in("server.key"),
	                 "--schema-dir", SWIM_SOURCE_DIR "/schema",
	                 "--test-classes", "--test-instances", n,
	                 "--system-name", "benchhost", "--log-level", "info",
	                 NULL };
	posix_spawn_file_actions_t fa;
	FILE *conf;

	/* BUILD/bench/cimxml -> BUILD/swimd */
	snprintf(swimd, sizeof(swimd), "%s", self);
	if (!(slash = strrchr(swimd, '/')))
		die("cannot find swimd next to %s", self);
	snprintf(slash, sizeof(swimd) - (size_t)(slash - swimd), "/../swimd");
	snprintf(root, sizeof(root), "%s/root", workdir);
	mkdir(root, 0700);
	mkdir(path_in("root/etc"), 0700);
	mkdir(path_in("root/etc/swim"), 0700);
	/* 64 clients from one address; no cut for slow answers. */
	if (!(conf = fopen(path_in("root/etc/swim/swim.conf"), "we")))
		die("cannot write %s", "swim.conf");
	fprintf(conf, "http_max_connections_per_ip = %d\n", MAX_CLIENTS * 2);
	fclose(conf);
	if (run(add, PASSWORD "\n") != 0)
		die("adding the user failed (see %s)", path_in("commands.log"));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, path_in("swimd.log"),
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (posix_spawn(&swimd_pid, swimd, &fa, NULL, (char *const *)argv,
	                environ) != 0)
		die("cannot start %s", swimd);
	posix_spawn_file_actions_destroy(&fa);
	/* "listening on 127.0.0.1:0 (port N, HTTP)", then HTTPS. */
	for (int i = 0; i < 600 && !(p->http && p->https); i++) {
		const char *log = slurp(path_in("swimd.log")), *at = log;

		while ((at = strstr(at, "(port "))) {
			unsigned port;

			at += 6;
			port = (unsigned)number_at(&at);

			if (strncmp(at, ", HTTPS)", 8) == 0)
				p->https = port;
			else if (strncmp(at, ", HTTP)", 7) == 0)
				p->http = port;
		}
		if (waitpid(swimd_pid, NULL, WNOHANG) == swimd_pid)
			die("swimd did not start: %s", log);
		if (!(p->http && p->https))
			usleep(100000);
	}
	if (!p->http || !p->https)
		die("swimd did not report its ports: %s",
		    slurp(path_in("swimd.log")));
}

/* RssAnon of pid, in KiB. */
static long rss_anon(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "RssAnon:", 8) == 0) {
			const char *at = line + 8;

			kib = (long)number_at(&at);
		}
	fclose(f);
	return kib;
}

/* Samples swimd's RssAnon while an operation runs. */
static atomic_bool sampling;
static atomic_long peak_kib;

static void *sampler(void *arg)
{
	(void)arg;
	while (atomic_load(&sampling)) {
		long kib = rss_anon(swimd_pid);

		if (kib > atomic_load(&peak_kib))
			atomic_store(&peak_kib, kib);
		usleep(1000);
	}
	return NULL;
}

/* The floor ------------------------------------------------------------------ */

static enum MHD_Result floor_answer(void *cls, struct MHD_Connection *c,
                                   const char *url, const char *method,
                                   const char *version, const char *data,
                                   size_t *size, void **con_cls)
{
	static int seen;

	(void)url;
	(void)method;
	(void)version;
	(void)data;
	if (!*con_cls) {
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*size) {
		*size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(c, MHD_HTTP_OK, cls);
}

static struct MHD_Daemon *floor_daemon(struct MHD_Response *r, bool tls)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 (tls ? MHD_USE_TLS : 0);
	const char *cert = tls ? slurp(path_in("server.pem")) : NULL;
	const char *key = tls ? slurp(path_in("server.key")) : NULL;

	if (tls)
		return MHD_start_daemon(flags, 0, NULL, NULL, floor_answer, r,
		                        MHD_OPTION_THREAD_POOL_SIZE, THREADS,
		                        MHD_OPTION_HTTPS_MEM_CERT, cert,
		                        MHD_OPTION_HTTPS_MEM_KEY, key,
		                        MHD_OPTION_HTTPS_PRIORITIES,
		                        SWIMD_TLS_PRIORITIES, MHD_OPTION_END);
	return MHD_start_daemon(flags, 0, NULL, NULL, floor_answer, r,
	                        MHD_OPTION_THREAD_POOL_SIZE, THREADS,
	                        MHD_OPTION_END);
}

/* A child process answering every POST with `size` bytes of XML. */
static void start_floor(struct ports *p, size_t size)
{
	int fd[2];

	if (pipe(fd) < 0)
		die("pipe: %s", strerror(errno));
	if ((floor_pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (floor_pid == 0) {
		char *body = malloc(size);
		struct MHD_Response *r;
		struct MHD_Daemon *d[2];
		struct ports got;

		close(fd[0]);
		memset(body, ' ', size);
		memcpy(body, "<?xml version=\"1.0\"?>", 21);
		r = MHD_create_response_from_buffer(size, body,
		                                    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Type",
		                        "application/xml; charset=\"utf-8\"");
		MHD_add_response_header(r, "CIMOperation", "MethodResponse");
		d[0] = floor_daemon(r, false);
		d[1] = floor_daemon(r, true);
		if (!d[0] || !d[1])
			_exit(1);
		got.http = MHD_get_daemon_info(d[0], MHD_DAEMON_INFO_BIND_PORT)->port;
		got.https = MHD_get_daemon_info(d[1], MHD_DAEMON_INFO_BIND_PORT)->port;
		if (write(fd[1], &got, sizeof(got)) != sizeof(got))
			_exit(1);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (read(fd[0], p, sizeof(*p)) != sizeof(*p))
		die("%s", "the floor server did not start");
	close(fd[0]);
}

/* Clients -------------------------------------------------------------------- */

struct client {
	CURL *easy;
	struct curl_slist *headers;
	size_t got;
};

static size_t count_bytes(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	((struct client *)ctx)->got += size * n;
	return size * n;
}

static const char *request_body(const char *method, const char *params)
{
	static char buf[4][2048];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, sizeof(buf[0]),
	         "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	         "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\">"
	         "<MESSAGE ID=\"1\" PROTOCOLVERSION=\"1.0\"><SIMPLEREQ>"
	         "<IMETHODCALL NAME=\"%s\"><LOCALNAMESPACEPATH>"
	         "<NAMESPACE NAME=\"root\"/><NAMESPACE NAME=\"cimv2\"/>"
	         "</LOCALNAMESPACEPATH>%s</IMETHODCALL></SIMPLEREQ></MESSAGE>"
	         "</CIM>", method, params);
	return b;
}

static void client_init(struct client *c, const char *url, const char *method,
                        const char *body)
{
	char h[128];

	memset(c, 0, sizeof(*c));
	if (!(c->easy = curl_easy_init()))
		die("%s", "curl_easy_init");
	c->headers = curl_slist_append(NULL, "Content-Type: application/xml; "
	                               "charset=\"utf-8\"");
	c->headers = curl_slist_append(c->headers, "CIMOperation: MethodCall");
	snprintf(h, sizeof(h), "CIMMethod: %s", method);
	c->headers = curl_slist_append(c->headers, h);
	c->headers = curl_slist_append(c->headers, "CIMObject: root/cimv2");
	curl_easy_setopt(c->easy, CURLOPT_URL, url);
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->easy, CURLOPT_USERPWD, USER ":" PASSWORD);
	curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, count_bytes);
	curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_CAINFO, path_in("ca.pem"));
	curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
}

static void client_dispose(struct client *c)
{
	curl_easy_cleanup(c->easy);
	curl_slist_free_all(c->headers);
}

/* Requests per second of `n` clients repeating body for `seconds` (after
 * a warm-up that opens the connections); every answer must be 200 and,
 * when `size` is not 0, that many bytes. */
static double rate(const char *url, const char *body, int n, double seconds,
                   size_t size)
{
	struct client c[MAX_CLIENTS];
	CURLM *multi = curl_multi_init();
	double start = 0, end = now() + 0.5 + seconds;
	long done = 0;
	int running;
	CURLMsg *m;

	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)n);
	for (int i = 0; i < n; i++) {
		client_init(&c[i], url, "GetInstance", body);
		curl_easy_setopt(c[i].easy, CURLOPT_PRIVATE, &c[i]);
		curl_multi_add_handle(multi, c[i].easy);
	}
	while (now() < end) {
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &(int){ 0 }))) {
			struct client *cl;
			long status = 0;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &cl);
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE,
			                  &status);
			if (m->data.result != CURLE_OK || status != 200 ||
			    (size && cl->got != size))
				die("a GetInstance failed: %s",
				    curl_easy_strerror(m->data.result));
			if (!start && now() > end - seconds)
				start = now();
			if (start)
				done++;
			cl->got = 0;
			curl_multi_remove_handle(multi, m->easy_handle);
			curl_multi_add_handle(multi, m->easy_handle);
		}
		curl_multi_poll(multi, NULL, 0, 10, NULL);
	}
	for (int i = 0; i < n; i++) {
		curl_multi_remove_handle(multi, c[i].easy);
		client_dispose(&c[i]);
	}
	curl_multi_cleanup(multi);
	return start ? (double)done / (now() - start) : 0;
}

/* Collects a whole answer. */
struct answer {
	char *ptr;
	size_t len, cap;
};

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
	struct answer *a = ctx;

	if (a->len + size * n + 1 > a->cap) {
		a->cap = (a->len + size * n + 1) * 2;
		if (!(a->ptr = realloc(a->ptr, a->cap)))
			die("%s", "out of memory");
	}
	memcpy(a->ptr + a->len, data, size * n);
	a->len += size * n;
	a->ptr[a->len] = '\0';
	return size * n;
}

static void post(struct answer *a, const char *url, const char *method,
                 const char *params)
{
	struct client c;
	long status = 0;
	CURLcode rc;

	client_init(&c, url, method, request_body(method, params));
	curl_easy_setopt(c.easy, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c.easy, CURLOPT_WRITEDATA, a);
	a->len = 0;
	rc = curl_easy_perform(c.easy);
	curl_easy_getinfo(c.easy, CURLINFO_RESPONSE_CODE, &status);
	client_dispose(&c);
	if (rc != CURLE_OK || status != 200 || strstr(a->ptr, "<ERROR"))
		die("%s failed", method);
}

static long count_of(const char *text, const char *what)
{
	long n = 0;

	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

struct measure {
	double seconds;
	size_t bytes;
	long objects, start_kib, peak_kib;
};

/* Right after the 64-client phases swimd may still be closing those
 * connections: wait until its private memory holds still for 300 ms (at
 * most 5 s), so that the figure before an enumeration is a steady one
 * and its peak is the enumeration's own. */
static long settle(void)
{
	long last = rss_anon(swimd_pid), kib;

	for (int still = 0, i = 0; still < 3 && i < 50; i++) {
		usleep(100000);
		kib = rss_anon(swimd_pid);
		still = kib == last ? still + 1 : 0;
		last = kib;
	}
	return last;
}

static void sample_start(pthread_t *t)
{
	atomic_store(&peak_kib, rss_anon(swimd_pid));
	atomic_store(&sampling, true);
	pthread_create(t, NULL, sampler, NULL);
}

static long sample_stop(pthread_t t)
{
	atomic_store(&sampling, false);
	pthread_join(t, NULL);
	return atomic_load(&peak_kib);
}

static void enumerate(struct measure *m, const char *url)
{
	struct answer a = { NULL, 0, 0 };
	pthread_t t;
	double t0;

	m->start_kib = settle();
	sample_start(&t);
	t0 = now();
	post(&a, url, "EnumerateInstances",
	     "<IPARAMVALUE NAME=\"ClassName\"><CLASSNAME NAME=\"SWIM_TestPlain\"/>"
	     "</IPARAMVALUE>");
	m->seconds = now() - t0;
	m->peak_kib = sample_stop(t);
	m->bytes = a.len;
	m->objects = count_of(a.ptr, "<VALUE.NAMEDINSTANCE>");
	free(a.ptr);
}

static const char *context_of(const char *answer)
{
	static char ctx[128];
	const char *at = strstr(answer, "NAME=\"EnumerationContext\"");
	const char *v = at ? strstr(at, "<VALUE>") : NULL;
	size_t n;

	if (!v)
		return NULL;
	v += 7;
	n = strcspn(v, "<");
	if (n >= sizeof(ctx))
		die("%s", "enumeration context too long");
	memcpy(ctx, v, n);
	ctx[n] = '\0';
	return ctx;
}

static void pull_all(struct measure *m, const char *url, int page)
{
	struct answer a = { NULL, 0, 0 };
	char params[512];
	const char *ctx;
	pthread_t t;
	double t0;

	m->bytes = 0;
	m->objects = 0;
	m->start_kib = settle();
	sample_start(&t);
	t0 = now();
	snprintf(params, sizeof(params),
	         "<IPARAMVALUE NAME=\"ClassName\"><CLASSNAME "
	         "NAME=\"SWIM_TestPlain\"/></IPARAMVALUE><IPARAMVALUE "
	         "NAME=\"MaxObjectCount\"><VALUE>%d</VALUE></IPARAMVALUE>", page);
	post(&a, url, "OpenEnumerateInstances", params);
	for (;;) {
		m->bytes += a.len;
		m->objects += count_of(a.ptr, "<VALUE.INSTANCEWITHPATH>");
		if (!(ctx = context_of(a.ptr)))
			break;
		snprintf(params, sizeof(params),
		         "<IPARAMVALUE NAME=\"EnumerationContext\"><VALUE>%s</VALUE>"
		         "</IPARAMVALUE><IPARAMVALUE NAME=\"MaxObjectCount\"><VALUE>"
		         "%d</VALUE></IPARAMVALUE>", ctx, page);
		post(&a, url, "PullInstancesWithPath", params);
	}
	m->seconds = now() - t0;
	m->peak_kib = sample_stop(t);
	free(a.ptr);
}

static void stop_swimd(void)
{
	int status = 0;

	kill(swimd_pid, SIGTERM);
	waitpid(swimd_pid, &status, 0);
	swimd_pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("%s", "swimd did not stop cleanly");
	kill(floor_pid, SIGKILL);
	waitpid(floor_pid, NULL, 0);
	floor_pid = 0;
}

/* One round: swimd's rate, then the floor's, a moment apart. */
struct round {
	double swimd, floor, ratio;
};

static int by_ratio(const void *a, const void *b)
{
	double x = ((const struct round *)a)->ratio;
	double y = ((const struct round *)b)->ratio;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const int clients[] = { 1, 8, 64 };
	const char *n = argc > 2 ? argv[2] : "10000";
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 7.5;
	char url[2][64], floor_url[2][64], params[512], get[2048], self[512];
	struct ports sp = { 0, 0 }, fp = { 0, 0 };
	struct answer one = { NULL, 0, 0 };
	struct measure en, pl;
	long idle, after, instances;
	uint64_t count = 0;
	ssize_t len;

	if (seconds <= 0 || swim_str_to_u64(&count, n, 10000000, "N") < 0 ||
	    count == 0)
		die("%s", "usage: cimxml [SECONDS] [N]");
	instances = (long)count;
	if ((len = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		die("%s", "cannot find my own path");
	self[len] = '\0';
	if (!mkdtemp(workdir))
		die("mkdtemp: %s", strerror(errno));
	make_certificates();
	start_swimd(&sp, self, n);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(url[0], sizeof(url[0]), "http://127.0.0.1:%u/cimom", sp.http);
	snprintf(url[1], sizeof(url[1]), "https://127.0.0.1:%u/cimom", sp.https);
	usleep(300000);
	idle = rss_anon(swimd_pid);

	snprintf(params, sizeof(params),
	         "<IPARAMVALUE NAME=\"InstanceName\"><INSTANCENAME "
	         "CLASSNAME=\"SWIM_TestPlain\"><KEYBINDING NAME=\"InstanceID\">"
	         "<KEYVALUE VALUETYPE=\"string\">gen-%06ld</KEYVALUE></KEYBINDING>"
	         "</INSTANCENAME></IPARAMVALUE>", instances / 2);
	snprintf(get, sizeof(get), "%s", request_body("GetInstance", params));
	post(&one, url[0], "GetInstance", params);
	if (!strstr(one.ptr, "generated instance"))
		die("GetInstance answered: %s", one.ptr);
	start_floor(&fp, one.len);
	snprintf(floor_url[0], sizeof(floor_url[0]), "http://127.0.0.1:%u/",
	         fp.http);
	snprintf(floor_url[1], sizeof(floor_url[1]), "https://127.0.0.1:%u/",
	         fp.https);

	printf("GetInstance of one of %ld SWIM_TestPlain instances: %zu bytes "
	       "answered; %d rounds of %.1f s against swimd, then the floor; "
	       "the median round shown\n\n",
	       instances, one.len, ROUNDS, seconds / ROUNDS);
	printf("| clients | protocol | swimd req/s | floor req/s | swimd/floor | ratio range |\n");
	printf("|---------|----------|-------------|-------------|-------------|-------------|\n");
	for (int p = 0; p < 2; p++)
		for (size_t i = 0; i < sizeof(clients) / sizeof(*clients); i++) {
			struct round r[ROUNDS];

			for (int k = 0; k < ROUNDS; k++) {
				r[k].swimd = rate(url[p], get, clients[i],
				                  seconds / ROUNDS, one.len);
				r[k].floor = rate(floor_url[p], get, clients[i],
				                  seconds / ROUNDS, one.len);
				r[k].ratio = r[k].swimd / r[k].floor;
			}
			qsort(r, ROUNDS, sizeof(*r), by_ratio);
			printf("| %7d | %-8s | %11.0f | %11.0f | %10.2fx | %.2f-%.2f |\n",
			       clients[i], p ? "HTTPS" : "HTTP", r[ROUNDS / 2].swimd,
			       r[ROUNDS / 2].floor, r[ROUNDS / 2].ratio, r[0].ratio,
			       r[ROUNDS - 1].ratio);
			fflush(stdout);
		}
	free(one.ptr);

	enumerate(&en, url[0]);
	pull_all(&pl, url[0], 1000);
	after = rss_anon(swimd_pid);
	if (en.objects != instances + 1 || pl.objects != instances + 1)
		die("%s", "an enumeration did not return every instance");
	printf("\n| all %ld instances (HTTP) | time ms | bytes | objects | "
	       "swimd RssAnon before KiB | peak KiB |\n", instances);
	printf("|---|---|---|---|---|---|\n");
	printf("| EnumerateInstances (streamed) | %.0f | %zu | %ld | %ld | %ld |\n",
	       en.seconds * 1000, en.bytes, en.objects, en.start_kib,
	       en.peak_kib);
	printf("| OpenEnumerateInstances + Pull, 1000 per page | %.0f | %zu | "
	       "%ld | %ld | %ld |\n", pl.seconds * 1000, pl.bytes, pl.objects,
	       pl.start_kib, pl.peak_kib);
	printf("\nswimd RssAnon: idle %ld KiB, after the runs %ld KiB\n", idle,
	       after);
	stop_swimd();
	curl_global_cleanup();
	{
		const char *rm[] = { "rm", "-rf", workdir, NULL };

		run(rm, NULL);
	}
	return 0;
}
