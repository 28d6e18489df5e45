/* depot_load: how fast swim reads a large depot's metadata.
 *
 * Generates a depot of N packages (20,000 by default; realistic
 * descriptors: dependencies, conflicts, provides, PCI id tags, file lists,
 * payload checksums) and three image profiles, as a directory and as an
 * offline bundle. Then, each in a fresh child process: the floor (libxml2
 * alone parsing every XML document the loader parses, one thread, one
 * reused parser context), and swim_depot_open() from the directory and
 * from the bundle, cold (no cache) and from the cache's snapshot. Prints
 * wall and CPU time, packages per second and peak RSS of each.
 *
 * Usage: depot_load [N] [WORKDIR]   (WORKDIR is kept when given)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "lib/depot_private.h"
#include "lib/zip.h"
#include "swim/depot.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define RUNS 5

static const char *const vendors[] = { "VMW", "INT", "BCM", "MEL", "QLC" };
static const char *const levels[] = { "certified", "accepted", "partner",
                                      "community" };

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static double cpu_now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static void die(const char *what)
{
	fprintf(stderr, "depot_load: %s: %s\n", what, swim_error_last());
	exit(1);
}

/* A small deterministic generator, so every run builds the same depot. */
static unsigned long rnd_state = 88172645463325252UL;

static unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

static void hex(swim_buf *b, unsigned digits)
{
	for (unsigned i = 0; i < digits; i++)
		(void)swim_buf_putc(b, "0123456789abcdef"[rnd(16)]);
}

/* A descriptor in the shape of ESXi's own (reference/esxi.md §1). */
static void descriptor(swim_buf *b, unsigned i)
{
	const char *vendor = vendors[i % 5];
	unsigned ndep = 2 + rnd(4), ntag = 4 + rnd(12), nfile = 2 + rnd(7);

	swim_buf_clear(b);
	(void)swim_buf_printf(b,
		"<vib version=\"5.0\"><type>bootbank</type><name>pkg-%05u</name>"
		"<version>%u.%u.%u-%uvmw.800.1.0.%u</version><vendor>%s</vendor>"
		"<summary>%s driver %u</summary>"
		"<description>Native driver %u for the %s family of adapters, "
		"with firmware helpers and management hooks. Supports offload, "
		"interrupt moderation and the usual diagnostics.</description>"
		"<release-date>2024-%02u-%02uT10:%02u:00.000000+00:00</release-date>"
		"<urls><url key=\"kb\">https://kb.example.com/%u</url></urls>"
		"<relationships><depends>",
		i, 1 + i % 7, i % 13, i % 5, 1 + i % 3, 20000000 + i, vendor,
		vendor, i, i, vendor, 1 + i % 12, 1 + i % 28, i % 60, i);
	(void)swim_buf_puts(b, "<constraint name=\"vmkapi_2_6_0_0\"/>");
	for (unsigned k = 1; k < ndep && i > 0; k++)
		(void)swim_buf_printf(b, "<constraint name=\"pkg-%05u\" relation=\"&gt;=\" version=\"1.0\"/>",
		                      rnd(i));
	(void)swim_buf_puts(b, "</depends><conflicts>");
	if (rnd(4) == 0)
		(void)swim_buf_printf(b, "<constraint name=\"old-%05u\"/>", i);
	(void)swim_buf_printf(b, "</conflicts><replaces><constraint name=\"legacy-%05u\" "
	                      "relation=\"&lt;&lt;\" version=\"2.0\"/></replaces>"
	                      "<provides><provide name=\"drv-%05u\" version=\"1.0\"/></provides>"
	                      "<compatibleWith/></relationships><software-tags>"
	                      "<tag>module</tag><tag>driver</tag>", i, i);
	for (unsigned k = 2; k < ntag; k++) {
		(void)swim_buf_puts(b, "<tag>PCIID ");
		hex(b, 8);
		(void)swim_buf_puts(b, "</tag>");
	}
	(void)swim_buf_printf(b, "</software-tags><system-requires><maintenance-mode>true</maintenance-mode>"
	                      "<softwarePlatform version=\"8.0.0\" locale=\"\" productLineID=\"embeddedEsx\"/>"
	                      "</system-requires><file-list>");
	for (unsigned k = 0; k < nfile; k++)
		(void)swim_buf_printf(b, "<file>usr/lib/vmware/vmkmod/pkg-%05u/part%u</file>",
		                      i, k);
	(void)swim_buf_printf(b, "</file-list><acceptance-level>%s</acceptance-level>"
	                      "<live-install-allowed>false</live-install-allowed>"
	                      "<live-remove-allowed>false</live-remove-allowed>"
	                      "<cimom-restart>false</cimom-restart><stateless-ready>true</stateless-ready>"
	                      "<overlay>false</overlay><payloads><payload name=\"p%05u\" type=\"vgz\" size=\"%u\">"
	                      "<checksum checksum-type=\"sha-256\" verify-process=\"gunzip\">",
	                      levels[i % 4], i, 40000 + rnd(90000));
	hex(b, 64);
	(void)swim_buf_puts(b, "</checksum><checksum checksum-type=\"sha-256\">");
	hex(b, 64);
	(void)swim_buf_puts(b, "</checksum><checksum checksum-type=\"sha-1\" verify-process=\"gunzip\">");
	hex(b, 40);
	(void)swim_buf_puts(b, "</checksum></payload></payloads></vib>");
}

static void generate(const char *dir, unsigned n)
{
	swim_package **pkgs = calloc(n, sizeof(*pkgs));
	const char **files = calloc(n, sizeof(*files));
	swim_profile *prof[3] = { NULL };
	swim_buf b = SWIM_BUF_INIT(0), path = SWIM_BUF_INIT(0);
	swim_depot_build_opts o = { .vendor_name = "bench", .vendor_code = "BENCH",
	                            .platform_version = "8.*",
	                            .source_date_epoch = 1700000000 };
	char sum[SWIM_DIGEST_HEX_MAX];
	char dummy[1024];

	if (!pkgs || !files)
		die("memory");
	/* One stand-in .vib for all, so the bundle has an entry for each. */
	memset(dummy, 'v', sizeof(dummy));
	(void)swim_buf_printf(&path, "%s/dummy.vib", dir);
	if (swim_fs_mkdir_p(dir, 0755) < 0 ||
	    swim_fs_write_atomic(path.ptr, dummy, sizeof(dummy), 0644) < 0 ||
	    swim_digest_sha256(sum, dummy, sizeof(dummy)) < 0)
		die("dummy");
	for (unsigned i = 0; i < n; i++) {
		swim_package *p = NULL;
		swim_buf rel = SWIM_BUF_INIT(0);

		descriptor(&b, i);
		if (swim_descriptor_read(&p, b.ptr, b.len, NULL) < 0)
			die("generated descriptor");
		(void)swim_buf_printf(&rel, "vib20/%s/%s.vib", p->name, p->id);
		p->relative_path = swim_buf_detach(&rel);
		p->packed_size = sizeof(dummy);
		p->has_packed_size = true;
		p->vib_checksum = calloc(1, sizeof(*p->vib_checksum));
		p->vib_checksum->type = swim_strdup("sha-256");
		p->vib_checksum->value = swim_strdup(sum);
		pkgs[i] = p;
		files[i] = path.ptr;
	}
	for (unsigned k = 0; k < 3; k++) {
		char name[64];

		(void)snprintf(name, sizeof(name), "bench-8.0-%s",
		               k == 0 ? "standard" : k == 1 ? "no-tools" : "custom");
		if (swim_profile_new(&prof[k], name, "bench") < 0)
			die("profile");
		free(prof[k]->creation_time);
		free(prof[k]->modified_time);
		prof[k]->creation_time = swim_strdup("2024-01-01T00:00:00Z");
		prof[k]->modified_time = swim_strdup("2024-01-01T00:00:00Z");
		for (unsigned i = k; i < n && i < 600; i += 3)
			(void)swim_profile_add_vib(prof[k], pkgs[i]->id);
	}
	swim_buf_clear(&b);
	(void)swim_buf_printf(&b, "%s/depot", dir);
	if (swim_depot_write(b.ptr, false, (const swim_package *const *)pkgs,
	                     NULL, n, (const swim_profile *const *)prof, 3, &o) < 0)
		die("writing the depot");
	swim_buf_clear(&b);
	(void)swim_buf_printf(&b, "%s/bundle.zip", dir);
	if (swim_depot_write(b.ptr, true, (const swim_package *const *)pkgs,
	                     files, n, (const swim_profile *const *)prof, 3, &o) < 0)
		die("writing the bundle");
	for (unsigned i = 0; i < n; i++)
		swim_package_free(pkgs[i]);
	for (unsigned k = 0; k < 3; k++)
		swim_profile_free(prof[k]);
	free(pkgs);
	free(files);
	swim_buf_dispose(&b);
	swim_buf_dispose(&path);
}

/* ---- the floor: libxml2 alone ------------------------------------------ */

struct docs {
	swim_buf data;
	size_t *off, *len;
	size_t n;
};

/* Every XML document the loader parses, unzipped into memory first. */
static void collect(struct docs *d, const char *dir)
{
	const char *plain[] = { "index.xml", "vendor-index.xml" };
	swim_buf p = SWIM_BUF_INIT(0), zip = SWIM_BUF_INIT(0);
	swim_zip *z = NULL;
	const char *name;
	uint64_t size;
	size_t cap = 1024;

	swim_buf_init(&d->data, (size_t)1 << 30);
	d->off = malloc(cap * sizeof(size_t));
	d->len = malloc(cap * sizeof(size_t));
	for (size_t i = 0; i < 3; i++) {
		swim_buf_clear(&p);
		(void)swim_buf_printf(&p, "%s/depot/%s", dir,
		                      i < 2 ? plain[i] : "metadata.zip");
		if (i == 2) {
			if (swim_fs_read_file(&zip, p.ptr) < 0 ||
			    swim_zip_open_memory(&z, zip.ptr, zip.len, "m", NULL) < 0)
				die("metadata.zip");
			break;
		}
		d->off[d->n] = d->data.len;
		if (swim_fs_read_file(&d->data, p.ptr) < 0)
			die("index");
		d->len[d->n] = d->data.len - d->off[d->n];
		d->n++;
	}
	while (swim_zip_next(z, &name, &size) == 1) {
		if (strcmp(name, "vmware.xml") == 0 ||
		    strcmp(name, "vendor-index.xml") == 0)
			continue;  /* not parsed: bulletins/ has the bulletins */
		if (d->n == cap) {
			cap *= 2;
			d->off = realloc(d->off, cap * sizeof(size_t));
			d->len = realloc(d->len, cap * sizeof(size_t));
		}
		d->off[d->n] = d->data.len;
		if (swim_zip_read(z, &d->data) < 0)
			die("member");
		d->len[d->n] = d->data.len - d->off[d->n];
		d->n++;
	}
	swim_zip_free(z);
	swim_buf_dispose(&zip);
	swim_buf_dispose(&p);
}

static void floor_run(const char *dir)
{
	struct docs d = { 0 };
	xmlParserCtxt *ctxt;
	double t0, c0;

	collect(&d, dir);
	ctxt = xmlNewParserCtxt();
	c0 = cpu_now();
	t0 = now();
	for (size_t i = 0; i < d.n; i++) {
		xmlDoc *doc = xmlCtxtReadMemory(ctxt, d.data.ptr + d.off[i],
		                                (int)d.len[i], NULL, NULL,
		                                XML_PARSE_NONET | XML_PARSE_NOERROR |
		                                XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
		                                XML_PARSE_BIG_LINES);
		if (!doc)
			die("libxml2");
		xmlFreeDoc(doc);
	}
	printf("%.6f %.6f %zu %zu\n", now() - t0, cpu_now() - c0, d.n,
	       d.data.len);
	xmlFreeParserCtxt(ctxt);
}

/* ---- swim ------------------------------------------------------------------ */

static void load_run(const char *loc, const char *cache)
{
	swim_depot_opts o = { .cache_dir = (char *)cache };
	swim_depot *d = NULL;
	double c0 = cpu_now(), t0 = now();

	if (swim_depot_open(&d, loc, NULL, cache ? &o : NULL) < 0)
		die(loc);
	printf("%.6f %.6f %zu %d\n", now() - t0, cpu_now() - c0,
	       swim_depot_n_packages(d), swim_depot_from_cache(d));
	/* Freeing is not loading; the process ends here anyway. */
	fflush(stdout);
	_exit(0);
}

struct result {
	double wall, cpu;
	long rss_kb;
	size_t a, b;
	int c;
};

/* Runs fn in a child; its stdout line and its rusage. */
static struct result child(void (*floor_fn)(const char *), const char *a1,
                           const char *cache)
{
	struct result r = { 0 };
	struct rusage ru;
	int fds[2], status;
	char line[256] = "";
	pid_t pid;
	FILE *f;

	fflush(stdout);  /* or the child writes our buffered lines again */
	if (pipe(fds) < 0)
		die("pipe");
	if ((pid = fork()) == 0) {
		(void)dup2(fds[1], 1);
		(void)close(fds[0]);
		if (floor_fn)
			floor_fn(a1);
		else
			load_run(a1, cache);
		fflush(stdout);
		_exit(0);
	}
	(void)close(fds[1]);
	f = fdopen(fds[0], "r");
	if (!f || !fgets(line, sizeof(line), f))
		die("child output");
	(void)fclose(f);
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("child");
	if (sscanf(line, "%lf %lf %zu %zu", &r.wall, &r.cpu, &r.a, &r.b) < 3)
		die("child line");
	r.c = (int)r.b;
	r.rss_kb = ru.ru_maxrss;
	return r;
}

/* The best of `runs` (the machine may be shared: the least disturbed
 * run is the truest). */
static struct result best(int runs, void (*floor_fn)(const char *),
                          const char *a1, const char *cache)
{
	struct result r = child(floor_fn, a1, cache);

	for (int i = 1; i < runs; i++) {
		struct result x = child(floor_fn, a1, cache);

		if (x.wall < r.wall)
			r = x;
	}
	return r;
}

static void report(const char *what, struct result r, double ratio,
                   unsigned n, bool want_cache)
{
	printf("  %-28s %8.3f s  %9.0f pkg/s  %5.2fx floor  cpu %6.3f s  peak RSS %4ld MB%s\n",
	       what, r.wall, n / r.wall, ratio, r.cpu, r.rss_kb / 1024,
	       want_cache && !r.c ? "  (NOT from the cache)" : "");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The machine may be shared and its load changes from second to second:
 * floor and cold loads run in turn, round after round, and each ratio is
 * taken within a round (the median over the rounds is reported, with the
 * median round's figures). */
struct cold {
	struct result floor, dir, bundle;
	double dir_ratio, bundle_ratio;
};

static struct cold cold_rounds(const char *dir)
{
	char loc_dir[4200], loc_zip[4200];
	struct result fl[RUNS], d[RUNS], b[RUNS];
	double rd[RUNS], rb[RUNS], tmp[RUNS];
	struct cold c;

	(void)snprintf(loc_dir, sizeof(loc_dir), "%s/depot", dir);
	(void)snprintf(loc_zip, sizeof(loc_zip), "%s/bundle.zip", dir);
	for (int i = 0; i < RUNS; i++) {
		fl[i] = child(floor_run, dir, NULL);
		d[i] = child(NULL, loc_dir, NULL);
		b[i] = child(NULL, loc_zip, NULL);
		rd[i] = d[i].wall / fl[i].wall;
		rb[i] = b[i].wall / fl[i].wall;
	}
	memcpy(tmp, rd, sizeof(tmp));
	c.dir_ratio = median(tmp, RUNS);
	memcpy(tmp, rb, sizeof(tmp));
	c.bundle_ratio = median(tmp, RUNS);
	/* The figures shown: the round whose directory ratio is the median. */
	c.floor = fl[0];
	c.dir = d[0];
	c.bundle = b[0];
	for (int i = 0; i < RUNS; i++)
		if (rd[i] == c.dir_ratio) {
			c.floor = fl[i];
			c.dir = d[i];
			c.bundle = b[i];
		}
	return c;
}

int main(int argc, char **argv)
{
	unsigned n = 20000;
	char dir[4096], loc[4200], cache[4200];
	struct result fl, r;
	struct cold cold;
	bool keep = argc > 2;
	uint64_t v;
	double t0;

	if (argc > 1 && (swim_str_to_u64(&v, argv[1], 10000000, "N") < 0 || !v))
		die("usage: depot_load [N] [WORKDIR]");
	if (argc > 1)
		n = (unsigned)v;
	if (keep) {
		(void)snprintf(dir, sizeof(dir), "%s", argv[2]);
	} else {
		(void)snprintf(dir, sizeof(dir), "%s/swim-depot-load.XXXXXX",
		               getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			die("mkdtemp");
	}
	xmlInitParser();
	t0 = now();
	(void)snprintf(loc, sizeof(loc), "%s/bundle.zip", dir);
	/* A kept WORKDIR is used as it is. Generating happens in a child so
	 * that this process, which forks every measured run, stays small. */
	if (!keep || access(loc, F_OK) != 0) {
		pid_t g = fork();
		int st;

		if (g == 0) {
			generate(dir, n);
			_exit(0);
		}
		if (g < 0 || waitpid(g, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			die("generating the depot");
	}
	(void)snprintf(cache, sizeof(cache), "%s/cache", dir);
	if (keep) {
		swim_buf rm = SWIM_BUF_INIT(0);

		(void)swim_buf_printf(&rm, "rm -rf '%s'", cache);
		if (system(rm.ptr) != 0)
			die("clearing the cache");
		swim_buf_dispose(&rm);
	}
	printf("depot_load: %u packages, generated in %.1f s (%s)\n", n,
	       now() - t0, dir);
	cold = cold_rounds(dir);
	fl = cold.floor;
	printf("  XML parsed: %zu documents, %.1f MB; %d rounds of floor, directory and bundle in turn\n"
	       "  (ratios: median over the rounds, each within its round; times: the median round), %ld CPUs online\n",
	       fl.a, (double)fl.b / (1 << 20), RUNS, sysconf(_SC_NPROCESSORS_ONLN));
	printf("  %-28s %8.3f s  %9.0f pkg/s  %5.2fx floor  cpu %6.3f s  peak RSS %4ld MB\n",
	       "libxml2 parse (floor)", fl.wall, n / fl.wall, 1.0, fl.cpu,
	       fl.rss_kb / 1024);
	report("directory, cold", cold.dir, cold.dir_ratio, n, false);
	(void)snprintf(loc, sizeof(loc), "%s/depot", dir);
	(void)child(NULL, loc, cache);  /* fills the cache */
	r = best(RUNS, NULL, loc, cache);
	report("directory, from the cache", r, r.wall / fl.wall, n, true);
	report("bundle, cold", cold.bundle, cold.bundle_ratio, n, false);
	(void)snprintf(loc, sizeof(loc), "%s/bundle.zip", dir);
	(void)child(NULL, loc, cache);
	r = best(RUNS, NULL, loc, cache);
	report("bundle, from the cache", r, r.wall / fl.wall, n, true);
	if (!keep) {
		swim_buf rm = SWIM_BUF_INIT(0);

		(void)swim_buf_printf(&rm, "rm -rf '%s'", dir);
		if (system(rm.ptr) != 0)
			fprintf(stderr, "depot_load: could not remove %s\n", dir);
		swim_buf_dispose(&rm);
	}
	return 0;
}
