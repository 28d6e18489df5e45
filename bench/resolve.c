/* bench/resolve: plan installing a 300-package image profile against a
 * generated 20,000-package depot, and the same problem solved by
 * libsolv's own `testsolv`, in one run.
 *
 * The depot (fixed seed) looks like an ESXi one: an esx-base whose
 * versions provide vmkapi levels, four layers of libraries depending on
 * the layer below, drivers and tools depending on a vmkapi level and on
 * libraries (some through versioned virtual provides such as
 * "net-api = 1.3"), conflicts with old versions of libraries, legacy
 * packages that drivers replace, a few community-level versions the host
 * does not accept, and file lists (about 100,000 files in the profile).
 * The host has older versions of two thirds of the profile, legacy
 * packages the profile replaces, and packages the profile lacks.
 *
 * Two jobs are timed: `profile install --ok-to-remove` (the goal) and
 * `vib install -n` of the profile's 300 names, which lets the solver
 * choose among all 20,000 packages. For each, swim_resolve_plan() runs
 * in-process on the package structs; the problem is then written as
 * libsolv's testcase (by swim's --debug-solver path, repositories
 * decompressed to plain testtags) and `testsolv` is timed on it as a
 * process: reading the testcase, solving, and comparing its answer with
 * swim's recorded one, which must agree (or the benchmark fails). Each
 * figure is the median of ROUNDS runs; nothing is subtracted from either.
 * Usage: resolve [SEED]
 */
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <solv/solv_xfopen.h>

#include "swim/error.h"
#include "swim/resolve.h"
#include "util/str.h"

#define N_PACKAGES 20000
#define N_PROFILE 300
#define N_BASE_VERSIONS 12
#define N_LAYERS 4
#define N_LIBS_PER_LAYER 200
#define N_LEGACY 200
#define N_AREAS 8
#define ROUNDS 7

int main(int argc, char **argv);

extern char **environ;

enum kind { K_BASE, K_LIB, K_LEGACY, K_DRIVER };

struct name {
	char *name;
	enum kind kind;
	int layer;             /* libraries */
	size_t first, n;       /* its packages, oldest first */
	char **files;          /* shared by its versions */
	size_t n_files;
	int area;              /* libraries providing <area>-api: area + 1 */
};

struct depot {
	uint64_t rng;
	struct name *names;
	size_t n_names;
	swim_resolve_pkg *pkgs;
	size_t n_pkgs;
	char *arena;           /* every file path */
	size_t arena_len, arena_cap;
	size_t n_files;
	size_t area_lib[N_AREAS];  /* a library name providing each area */
};

static const char *const areas[N_AREAS] = {
	"net", "storage", "nvme", "gpu", "usb", "crypto", "cim", "fw",
};
static const char *const vendors[] = {
	"VMW", "INT", "MLX", "BCM", "HPE", "DEL", "QLC", "LSI", "CIS", "NVD",
};
static const char *const stems[] = {
	"igbn", "ixgben", "nmlx5", "lsi-msgpt3", "qedentv", "bnxtnet", "nvme-pcie",
	"vmkusb", "elxnet", "i40en", "ntg3", "lpfc", "qlnativefc", "smartpqi",
	"iavmd", "vmw-ahci", "ionic-en", "nenic", "atlantic", "brcmfcoe",
};

/* xorshift64*: tiny, and the same depot on every machine. */
static uint64_t rnd(struct depot *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return d->rng * 0x2545f4914f6cdd1dULL;
}

static size_t pick(struct depot *d, size_t n)
{
	return (size_t)(rnd(d) % n);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "resolve: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xprintf(const char *fmt, ...) SWIM_PRINTF(1, 2);
static char *xprintf(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "resolve: out of memory\n");
		exit(1);
	}
	return s;
}

static void add_dep(swim_constraint **v, size_t *n, char *name,
                    swim_relation rel, char *version)
{
	swim_constraint *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		exit(1);
	*v = nv;
	nv[*n].name = name;
	nv[*n].rel = rel;
	nv[*n].version = version;
	(*n)++;
}

static void add_provide(swim_package *pkg, char *name, char *version)
{
	swim_provide *nv = realloc(pkg->provides,
	                           (pkg->n_provides + 1) * sizeof(*nv));

	if (!nv)
		exit(1);
	pkg->provides = nv;
	nv[pkg->n_provides].name = name;
	nv[pkg->n_provides].version = version;
	pkg->n_provides++;
}

static const swim_package *pkg_of(const struct depot *d, size_t name, size_t k)
{
	return d->pkgs[d->names[name].first + k].pkg;
}

/* Paths go into one arena (offsets first, pointers once it stops
 * growing). */
static void make_files(struct depot *d, struct name *nm, size_t count)
{
	size_t *off = xcalloc(count, sizeof(*off));

	for (size_t i = 0; i < count; i++) {
		char path[256];
		int len = snprintf(path, sizeof(path), "usr/lib/vmware/%s/%s/f%zu.%s",
		                   nm->kind == K_LIB ? "lib" : "mod", nm->name, i,
		                   i % 3 ? "so" : "map");

		if (d->arena_len + (size_t)len + 1 > d->arena_cap) {
			d->arena_cap = d->arena_cap ? d->arena_cap * 2 : (64u << 20);
			if (!(d->arena = realloc(d->arena, d->arena_cap)))
				exit(1);
		}
		off[i] = d->arena_len;
		memcpy(d->arena + d->arena_len, path, (size_t)len + 1);
		d->arena_len += (size_t)len + 1;
	}
	nm->files = (char **)off;   /* offsets until fix_files() */
	nm->n_files = count;
	d->n_files += count;
}

static void fix_files(struct depot *d)
{
	for (size_t i = 0; i < d->n_names; i++) {
		size_t *off = (size_t *)d->names[i].files;
		char **files = xcalloc(d->names[i].n_files, sizeof(*files));

		for (size_t k = 0; k < d->names[i].n_files; k++)
			files[k] = d->arena + off[k];
		free(off);
		d->names[i].files = files;
		for (size_t k = 0; k < d->names[i].n; k++) {
			swim_package *pkg = (swim_package *)pkg_of(d, i, k);

			pkg->files = files;
			pkg->n_files = d->names[i].n_files;
		}
	}
}

static size_t add_name(struct depot *d, enum kind kind, char *name, size_t n)
{
	struct name *nm;

	if (d->n_pkgs + n > N_PACKAGES)
		n = N_PACKAGES - d->n_pkgs;
	nm = &d->names[d->n_names];
	nm->name = name;
	nm->kind = kind;
	nm->first = d->n_pkgs;
	nm->n = n;
	/* 1 to 665 files: about 333 on average. */
	make_files(d, nm, 1 + pick(d, 665));
	for (size_t k = 0; k < n; k++) {
		swim_resolve_pkg *rp = &d->pkgs[d->n_pkgs++];
		swim_package *pkg = NULL;

		if (swim_package_new(&pkg) < 0)
			exit(1);
		pkg->name = strdup(name);
		pkg->type = strdup("bootbank");
		pkg->vendor = strdup(vendors[pick(d, SWIM_ARRAY_SIZE(vendors))]);
		/* Versions grow with k; the build number is noise. */
		pkg->version = kind == K_BASE ?
			xprintf("8.0.%zu-0.0.%u", k, 20000000u + (unsigned)k * 1000u) :
			xprintf("%zu.%zu.%zu.0-1vmw.800.1.0.%u", 1 + k / 3, k % 3,
			        (size_t)pick(d, 10), 20000000u + (unsigned)pick(d, 999999));
		pkg->acceptance = k + 1 < n && pick(d, 33) == 0 ?
		                  SWIM_ACCEPTANCE_COMMUNITY :
		                  (swim_acceptance)(SWIM_ACCEPTANCE_PARTNER + pick(d, 3));
		pkg->overlay = kind == K_DRIVER && pick(d, 100) == 0;
		if (swim_package_update_id(pkg) < 0)
			exit(1);
		rp->pkg = pkg;
		rp->proven = pkg->acceptance;
		rp->origin = "depot";
	}
	return d->n_names++;
}

/* A dependency on a random version of a name: ">= that version", which
 * the newest satisfies. */
static void dep_on(struct depot *d, swim_package *pkg, size_t name)
{
	const struct name *nm = &d->names[name];
	const swim_package *t = pkg_of(d, name, pick(d, nm->n));

	add_dep(&pkg->depends, &pkg->n_depends, strdup(nm->name), SWIM_REL_GE,
	        strdup(t->version));
}

static size_t lib_name(size_t layer, size_t i)
{
	return 1 + layer * N_LIBS_PER_LAYER + i;
}

static void relate(struct depot *d)
{
	size_t legacy0 = lib_name(N_LAYERS, 0), driver0 = legacy0 + N_LEGACY;
	size_t next_legacy = 0;

	for (size_t i = 0; i < d->n_names; i++) {
		struct name *nm = &d->names[i];

		for (size_t k = 0; k < nm->n; k++) {
			swim_package *pkg = (swim_package *)pkg_of(d, i, k);

			if (nm->kind == K_BASE) {
				for (size_t j = 0; j <= k; j++)
					add_provide(pkg, xprintf("vmkapi_2_%zu_0_0", j), NULL);
				add_provide(pkg, strdup("esx-version"), xprintf("8.0.%zu", k));
			} else if (nm->kind == K_LIB && nm->layer == 0) {
				add_dep(&pkg->depends, &pkg->n_depends, strdup("esx-version"),
				        SWIM_REL_GE, xprintf("8.0.%zu", pick(d, 4)));
			} else if (nm->kind == K_LIB) {
				size_t deps = 1 + pick(d, 2);

				for (size_t j = 0; j < deps; j++)
					dep_on(d, pkg, lib_name((size_t)nm->layer - 1,
					                        pick(d, N_LIBS_PER_LAYER)));
			} else if (nm->kind == K_DRIVER) {
				size_t deps = 1 + pick(d, 3);

				add_dep(&pkg->depends, &pkg->n_depends,
				        xprintf("vmkapi_2_%zu_0_0", pick(d, 8)), SWIM_REL_ANY,
				        NULL);
				for (size_t j = 0; j < deps; j++)
					dep_on(d, pkg, lib_name(pick(d, N_LAYERS),
					                        pick(d, N_LIBS_PER_LAYER)));
				if (pick(d, 3) == 0)
					add_dep(&pkg->depends, &pkg->n_depends,
					        xprintf("%s-api", areas[pick(d, N_AREAS)]),
					        SWIM_REL_GE, strdup("1.0"));
				if (pick(d, 20) == 0) {
					size_t l = lib_name(pick(d, N_LAYERS),
					                    pick(d, N_LIBS_PER_LAYER));

					add_dep(&pkg->conflicts, &pkg->n_conflicts,
					        strdup(d->names[l].name), SWIM_REL_LT,
					        strdup(pkg_of(d, l, d->names[l].n - 1)->version));
				}
				/* Drivers take over the legacy packages, one each. */
				if (i >= driver0 && (i - driver0) % 8 == 0 &&
				    next_legacy < N_LEGACY && k + 1 == nm->n)
					add_dep(&pkg->replaces, &pkg->n_replaces,
					        strdup(d->names[legacy0 + next_legacy++].name),
					        SWIM_REL_ANY, NULL);
			}
			if (nm->area)
				add_provide(pkg, xprintf("%s-api", areas[nm->area - 1]),
				            xprintf("1.%zu", k));
		}
	}
}

static void generate(struct depot *d, uint64_t seed)
{
	d->rng = seed ? seed : 1;
	d->pkgs = xcalloc(N_PACKAGES, sizeof(*d->pkgs));
	d->names = xcalloc(N_PACKAGES, sizeof(*d->names));
	add_name(d, K_BASE, strdup("esx-base"), N_BASE_VERSIONS);
	for (size_t l = 0; l < N_LAYERS; l++)
		for (size_t i = 0; i < N_LIBS_PER_LAYER; i++) {
			size_t n = add_name(d, K_LIB, xprintf("lib%zu-%s-%zu", l,
			                                      stems[pick(d, SWIM_ARRAY_SIZE(stems))], i),
			                    1 + pick(d, 7));

			d->names[n].layer = (int)l;
			/* The newest version of one library per area provides
			 * the highest <area>-api. */
			if (l == 0 && i < N_AREAS) {
				d->names[n].area = (int)i + 1;
				d->area_lib[i] = n;
			}
		}
	for (size_t i = 0; i < N_LEGACY; i++)
		add_name(d, K_LEGACY, xprintf("legacy-%s-%zu",
		                              stems[pick(d, SWIM_ARRAY_SIZE(stems))], i),
		         1 + pick(d, 2));
	for (size_t i = 0; d->n_pkgs < N_PACKAGES; i++)
		add_name(d, K_DRIVER, xprintf("%s-%s-%zu", areas[pick(d, N_AREAS)],
		                              stems[pick(d, SWIM_ARRAY_SIZE(stems))], i),
		         1 + pick(d, 7));
	relate(d);
	fix_files(d);
}

static size_t name_index(const struct depot *d, const char *name)
{
	for (size_t i = 0; i < d->n_names; i++)
		if (strcmp(d->names[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* The name that satisfies a dependency of the generated depot. */
static size_t dep_target(const struct depot *d, const char *dep)
{
	if (strncmp(dep, "vmkapi_", 7) == 0 || strcmp(dep, "esx-version") == 0)
		return 0;
	for (size_t a = 0; a < N_AREAS; a++) {
		size_t n = strlen(areas[a]);

		if (strncmp(dep, areas[a], n) == 0 && strcmp(dep + n, "-api") == 0)
			return d->area_lib[a];
	}
	return name_index(d, dep);
}

/* The names a name's newest version needs (its closure), added to in. */
static void closure(const struct depot *d, size_t name, bool *in, size_t *n)
{
	const swim_package *pkg;

	if (in[name])
		return;
	in[name] = true;
	(*n)++;
	pkg = pkg_of(d, name, d->names[name].n - 1);
	for (size_t i = 0; i < pkg->n_depends; i++)
		closure(d, dep_target(d, pkg->depends[i].name), in, n);
}

struct scenario {
	swim_resolve_pkg *inst;
	size_t n_inst;
	swim_profile *profile;
	const char **names;
	size_t n_profile_files;
};

/* A profile of exactly N_PROFILE names: whole closures of random
 * drivers while they fit, then libraries of the first layer (which need
 * only esx-base). */
static void make_profile(struct depot *d, struct scenario *sc)
{
	bool *in = xcalloc(d->n_names, sizeof(*in)), *try = xcalloc(d->n_names,
	                                                             sizeof(*try));
	size_t n = 0, driver0 = lib_name(N_LAYERS, 0) + N_LEGACY, k = 0;

	if (swim_profile_new(&sc->profile, "bench-8.0-standard", "VMW") < 0)
		exit(1);
	closure(d, 0, in, &n);
	for (int tries = 0; tries < 2000 && n < N_PROFILE; tries++) {
		size_t cand = driver0 + pick(d, d->n_names - driver0), m = n;

		memcpy(try, in, d->n_names * sizeof(*in));
		closure(d, cand, try, &m);
		if (m <= N_PROFILE) {
			memcpy(in, try, d->n_names * sizeof(*in));
			n = m;
		}
	}
	for (size_t i = 0; n < N_PROFILE && i < N_LIBS_PER_LAYER; i++)
		if (!in[lib_name(0, i)]) {
			in[lib_name(0, i)] = true;
			n++;
		}
	sc->names = xcalloc(N_PROFILE, sizeof(*sc->names));
	for (size_t i = 0; i < d->n_names; i++)
		if (in[i]) {
			const swim_package *pkg = pkg_of(d, i, d->names[i].n - 1);

			if (swim_profile_add_vib(sc->profile, pkg->id) < 0)
				exit(1);
			sc->names[k++] = d->names[i].name;
			sc->n_profile_files += pkg->n_files;
		}
	free(in);
	free(try);
}

/* The host: the oldest version of two thirds of the profile, the legacy
 * packages the profile replaces, and 30 packages it lacks. */
static void make_host(struct depot *d, struct scenario *sc)
{
	size_t n = 0;

	sc->inst = xcalloc(N_PROFILE + N_LEGACY + 30, sizeof(*sc->inst));
	for (size_t i = 0; i < sc->profile->n_vib_ids; i++) {
		size_t nm = name_index(d, sc->names[i]);
		const swim_package *newest = pkg_of(d, nm, d->names[nm].n - 1);

		if (i % 3 != 2)
			sc->inst[n++] = d->pkgs[d->names[nm].first];
		for (size_t r = 0; r < newest->n_replaces; r++)
			sc->inst[n++] = d->pkgs[d->names[name_index(d,
			                        newest->replaces[r].name)].first];
	}
	for (size_t i = 0; i < 30; i++) {
		size_t nm = lib_name(N_LAYERS, 0) + N_LEGACY + 7 * i + 3;
		bool member = false;

		for (size_t k = 0; k < sc->profile->n_vib_ids && !member; k++)
			member = strcmp(sc->names[k], d->names[nm].name) == 0;
		if (!member)
			sc->inst[n++] = d->pkgs[d->names[nm].first];
	}
	for (size_t i = 0; i < n; i++)
		sc->inst[i].origin = NULL;
	sc->n_inst = n;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* testcase_write() compresses the repositories; testsolv should not pay
 * for gunzip, so they are rewritten as plain testtags files and the
 * testcase pointed at them. */
static void decompress(const char *dir)
{
	char path[8192], line[4096];
	FILE *tc, *out;

	snprintf(path, sizeof(path), "%s/testcase.t", dir);
	if (!(tc = fopen(path, "re"))) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/plain.t", dir);
	if (!(out = fopen(path, "we")))
		exit(1);
	while (fgets(line, sizeof(line), tc)) {
		char *gz = strstr(line, ".repo.gz");

		if (strncmp(line, "repo ", 5) == 0 && gz) {
			char *start = strrchr(line, ' ') + 1, in_path[16384], out_path[16384];
			char buf[65536];
			FILE *in, *plain;
			size_t len;

			*gz = '\0';
			snprintf(in_path, sizeof(in_path), "%s/%s.repo.gz", dir, start);
			snprintf(out_path, sizeof(out_path), "%s/%s.repo", dir, start);
			if (!(in = solv_xfopen(in_path, "r")) ||
			    !(plain = fopen(out_path, "we"))) {
				perror(in_path);
				exit(1);
			}
			while ((len = fread(buf, 1, sizeof(buf), in)) > 0)
				fwrite(buf, 1, len, plain);
			fclose(in);
			fclose(plain);
			fprintf(out, "%s.repo\n", line);
		} else {
			fputs(line, out);
		}
	}
	fclose(tc);
	fclose(out);
}

static double run_testsolv(const char *dir)
{
	char path[8192];
	char *args[] = { (char *)"testsolv", path, NULL };
	posix_spawn_file_actions_t fa;
	double t0, t1;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/plain.t", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now_ms();
	if (posix_spawnp(&pid, "testsolv", &fa, NULL, args, environ) != 0) {
		perror("testsolv");
		exit(1);
	}
	if (waitpid(pid, &st, 0) < 0)
		exit(1);
	t1 = now_ms();
	posix_spawn_file_actions_destroy(&fa);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "resolve: testsolv does not reach swim's answer on "
		        "%s (run it to see the difference)\n", path);
		exit(1);
	}
	return t1 - t0;
}

static void resolve_once(const char *what, swim_resolve_request *req,
                         swim_plan **plan)
{
	if (swim_resolve_plan(plan, req) < 0) {
		fprintf(stderr, "resolve: %s: %s\n", what, swim_error_last());
		exit(1);
	}
}

/* swim and testsolv take turns, so that both see the same load on a
 * shared machine. */
static void bench(const char *what, swim_resolve_request *req, const char *tmp)
{
	double swim_ms[ROUNDS], solv_ms[ROUNDS], s, t;
	char dir[2048];
	swim_plan *plan = NULL;

	snprintf(dir, sizeof(dir), "%s/%s", tmp, what);
	req->debug_dir = dir;
	resolve_once(what, req, &plan);
	req->debug_dir = NULL;
	decompress(dir);
	for (int r = 0; r < ROUNDS; r++) {
		double t0;

		swim_plan_free(plan);
		t0 = now_ms();
		resolve_once(what, req, &plan);
		swim_ms[r] = now_ms() - t0;
		solv_ms[r] = run_testsolv(dir);
	}
	s = median(swim_ms, ROUNDS);
	t = median(solv_ms, ROUNDS);
	printf("  %-16s swim %7.1f ms   testsolv %7.1f ms   ratio %.2f (goal <= 1.20)"
	       "   plan: %zu in, %zu out, %zu skipped\n", what, s, t, s / t,
	       plan->n_install, plan->n_remove, plan->n_skip);
	swim_plan_free(plan);
}

int main(int argc, char **argv)
{
	struct depot d = { 0 };
	struct scenario sc = { 0 };
	swim_resolve_request req = { 0 };
	uint64_t seed = 20261121;
	char tmpl[] = "/tmp/swim-bench-resolve.XXXXXX", cmd[128];
	size_t community = 0;

	if (argc > 2 || (argc == 2 && swim_str_to_u64(&seed, argv[1], UINT64_MAX,
	                                               "seed") < 0)) {
		fprintf(stderr, "usage: resolve [SEED]\n");
		return 2;
	}
	generate(&d, seed);
	make_profile(&d, &sc);
	make_host(&d, &sc);
	for (size_t i = 0; i < d.n_pkgs; i++)
		community += d.pkgs[i].proven == SWIM_ACCEPTANCE_COMMUNITY;
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	printf("resolve: depot %zu packages, %zu names, %zu files (%zu community, "
	       "hidden); profile %zu packages, %zu files; host %zu installed "
	       "(seed %" PRIu64 ", median of %d)\n", d.n_pkgs, d.n_names, d.n_files,
	       community, sc.profile->n_vib_ids, sc.n_profile_files, sc.n_inst,
	       seed, ROUNDS);

	req.host_level = SWIM_ACCEPTANCE_PARTNER;
	req.installed = sc.inst;
	req.n_installed = sc.n_inst;
	req.available = d.pkgs;
	req.n_available = d.n_pkgs;
	req.job = SWIM_RESOLVE_PROFILE_INSTALL;
	req.profile = sc.profile;
	req.ok_to_remove = true;
	bench("profile-install", &req, tmpl);

	req.job = SWIM_RESOLVE_INSTALL;
	req.profile = NULL;
	req.names = sc.names;
	req.n_names = sc.profile->n_vib_ids;
	bench("vib-install", &req, tmpl);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		fprintf(stderr, "resolve: could not remove %s\n", tmpl);
	for (size_t i = 0; i < d.n_pkgs; i++) {
		swim_package *pkg = (swim_package *)d.pkgs[i].pkg;

		pkg->files = NULL;
		pkg->n_files = 0;
		swim_package_free(pkg);
	}
	for (size_t i = 0; i < d.n_names; i++) {
		free(d.names[i].name);
		free(d.names[i].files);
	}
	free(d.names);
	free(d.pkgs);
	free(d.arena);
	free(sc.inst);
	free(sc.names);
	swim_profile_free(sc.profile);
	return 0;
}
