/* bench/version_compare: swim_version_compare() against librpm on
 * 1,000,000 realistic `[epoch:]version-release` pairs, in one run.
 *
 * Three implementations do the same work on the same pairs:
 *   swim      swim_version_compare()
 *   rpm       the EVR split without heap allocation (NULs poked into the
 *             strings and restored), then rpmvercmp() on the epochs, the
 *             versions and the releases: the fastest way to use librpm
 *   rpmver    librpm's own path, rpmverParse() + rpmverCmp() + rpmverFree()
 * Every pair must get the same answer from all three (a checksum over the
 * results also keeps the compiler from dropping work). The pairs are
 * timed in chunks of CHUNK, the three implementations one after the
 * other on each chunk, ROUNDS times; a figure is the sum over the chunks
 * of each chunk's best time, so that a burst of load from elsewhere on
 * the machine spoils one chunk of one round, not the result.
 * Usage: version_compare [PAIRS] [SEED]
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rpm/rpmlib.h>
#include <rpm/rpmver.h>

#include "swim/version.h"
#include "util/str.h"

#define DEFAULT_PAIRS 1000000
#define ROUNDS 5
#define CHUNK 10000
#define EVR_MAX 64

int main(int argc, char **argv);

/* The strings packed one after the other, as a string pool holds them. */
typedef struct pairs {
	char *arena;
	size_t *off;      /* 2 * n offsets into arena */
	size_t n;
} pairs;

static char *pair_str(const pairs *p, size_t i, int side)
{
	return p->arena + p->off[2 * i + (size_t)side];
}

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *s, unsigned n)
{
	return (unsigned)(rnd(s) % n);
}

/* One family of versions: what stays the same between two builds of a
 * package. */
typedef struct family {
	int style;          /* 0 ESXi VIB, 1 rpm distribution, 2 rpm upstream */
	unsigned epoch;     /* 0: none */
	unsigned v[4];
	unsigned nv;
	unsigned rel;
	unsigned branch;    /* ESXi 700..803, el/fc release */
	unsigned build;
	unsigned pre;       /* '~rcN' when set */
} family;

static void family_new(family *f, uint64_t *s)
{
	memset(f, 0, sizeof(*f));
	f->style = (int)below(s, 3);
	f->epoch = below(s, 10) == 0 ? 1 + below(s, 3) : 0;
	f->nv = f->style == 0 ? 3 + below(s, 2) : 2 + below(s, 2);
	for (unsigned i = 0; i < f->nv; i++)
		f->v[i] = below(s, i == 0 ? 12 : 40);
	f->rel = 1 + below(s, 60);
	f->branch = f->style == 0 ? 700 + below(s, 4) * 100 + below(s, 4)
	                          : 7 + below(s, 33);
	f->build = 15000000 + below(s, 9000000);
	f->pre = below(s, 12) == 0 ? 1 + below(s, 3) : 0;
}

/* A nearby build: one field moves a little. */
static void family_step(family *f, uint64_t *s)
{
	switch (below(s, 4)) {
	case 0: f->build += below(s, 300000); break;
	case 1: f->rel += below(s, 3); break;
	case 2: f->v[f->nv - 1] += below(s, 3); break;
	default: f->pre = f->pre ? 0 : 1; break;
	}
}

static void family_print(const family *f, char *out)
{
	char ver[EVR_MAX / 2];
	int n = 0;

	for (unsigned i = 0; i < f->nv; i++)
		n += snprintf(ver + n, sizeof(ver) - (size_t)n, "%s%u",
		              i ? "." : "", f->v[i]);
	if (f->pre)
		(void)snprintf(ver + n, sizeof(ver) - (size_t)n, "~rc%u",
		               f->pre);
	n = f->epoch ? snprintf(out, EVR_MAX, "%u:", f->epoch) : 0;
	switch (f->style) {
	case 0:  /* 0.1.1.0-6vmw.700.1.0.15843807 */
		(void)snprintf(out + n, EVR_MAX - (size_t)n,
		               "%s-%uvmw.%u.1.%u.%u", ver, f->rel, f->branch,
		               f->rel % 7, f->build);
		break;
	case 1:  /* 2.34-60.el9_2.1 */
		(void)snprintf(out + n, EVR_MAX - (size_t)n, "%s-%u.el%u_%u.%u",
		               ver, f->rel, f->branch % 10, f->rel % 4,
		               f->build % 5);
		break;
	default: /* 5.15.0-3.fc38 */
		(void)snprintf(out + n, EVR_MAX - (size_t)n, "%s-%u.fc%u", ver,
		               f->rel, f->branch);
		break;
	}
}

/* A fifth of the pairs are equal (printed twice, so not one pointer), half are two builds of one package,
 * the rest unrelated. */
static int pairs_generate(pairs *p, size_t n, uint64_t seed)
{
	uint64_t s = seed;
	size_t used = 0;

	p->n = n;
	p->arena = malloc(2 * n * EVR_MAX);
	p->off = malloc(2 * n * sizeof(*p->off));
	if (!p->arena || !p->off)
		return -1;
	for (size_t i = 0; i < n; i++) {
		family f;
		unsigned kind = below(&s, 10);

		family_new(&f, &s);
		for (int side = 0; side < 2; side++) {
			if (side == 1 && kind >= 2 && kind < 7)
				family_step(&f, &s);
			else if (side == 1 && kind >= 7)
				family_new(&f, &s);
			p->off[2 * i + (size_t)side] = used;
			family_print(&f, p->arena + used);
			used += strlen(p->arena + used) + 1;
		}
	}
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef struct evr_split {
	char *epoch;     /* NULL when absent */
	char *version;
	char *release;   /* NULL when absent */
	char *colon, *dash;
} evr_split;

/* rpm's parseEVR, in place: NULs replace ':' and the last '-', undone by
 * evr_restore(). */
static void evr_poke(evr_split *e, char *evr)
{
	char *s = evr;

	while (*s >= '0' && *s <= '9')
		s++;
	e->colon = *s == ':' ? s : NULL;
	e->dash = strrchr(s, '-');
	e->epoch = e->colon ? evr : NULL;
	e->version = e->colon ? s + 1 : evr;
	e->release = e->dash ? e->dash + 1 : NULL;
	if (e->colon)
		*e->colon = '\0';
	if (e->dash)
		*e->dash = '\0';
}

static void evr_restore(const evr_split *e)
{
	if (e->colon)
		*e->colon = ':';
	if (e->dash)
		*e->dash = '-';
}

static int sign(int r)
{
	return r < 0 ? -1 : r > 0;
}

/* The same rules as swim_version_compare(): epoch (absent = 0), version,
 * then release, a missing release sorting first. */
static int rpm_compare(char *a, char *b)
{
	evr_split ea, eb;
	int r;

	evr_poke(&ea, a);
	evr_poke(&eb, b);
	r = rpmvercmp(ea.epoch && *ea.epoch ? ea.epoch : "0",
	              eb.epoch && *eb.epoch ? eb.epoch : "0");
	if (!r)
		r = rpmvercmp(ea.version, eb.version);
	if (!r) {
		if (ea.release && eb.release)
			r = rpmvercmp(ea.release, eb.release);
		else
			r = ea.release ? 1 : eb.release ? -1 : 0;
	}
	evr_restore(&ea);
	evr_restore(&eb);
	return sign(r);
}

static int rpmver_compare(const char *a, const char *b)
{
	rpmver va = rpmverParse(a), vb = rpmverParse(b);
	int r = rpmverCmp(va, vb);

	rpmverFree(va);
	rpmverFree(vb);
	return sign(r);
}

enum { IMPL_SWIM, IMPL_RPM, IMPL_RPMVER, N_IMPL };

static const char *const impl_name[N_IMPL] = { "swim", "rpm", "rpmver" };

/* Times pairs [from, to) with one implementation; results into res. */
static double run_chunk(int impl, pairs *p, size_t from, size_t to,
                        signed char *res)
{
	double t0 = now_ns();

	for (size_t i = from; i < to; i++) {
		char *a = pair_str(p, i, 0), *b = pair_str(p, i, 1);

		switch (impl) {
		case IMPL_SWIM: res[i] = (signed char)swim_version_compare(a, b); break;
		case IMPL_RPM: res[i] = (signed char)rpm_compare(a, b); break;
		default: res[i] = (signed char)rpmver_compare(a, b); break;
		}
	}
	return now_ns() - t0;
}

static uint64_t checksum(const signed char *res, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint64_t)(res[i] + 1)) * 1099511628211ULL;
	return h;
}

int main(int argc, char **argv)
{
	uint64_t n = DEFAULT_PAIRS, seed = 20240601;
	signed char *res[N_IMPL] = { NULL };
	double best[N_IMPL];
	pairs p = { NULL, NULL, 0 };
	size_t mismatches = 0, counts[3] = { 0 };
	int rc = 1;

	if ((argc > 1 && swim_str_to_u64(&n, argv[1], 100000000, "pairs") < 0) ||
	    (argc > 2 && swim_str_to_u64(&seed, argv[2], UINT64_MAX, "seed") < 0) ||
	    n == 0) {
		fprintf(stderr, "usage: version_compare [PAIRS] [SEED]\n");
		return 2;
	}
	if (pairs_generate(&p, (size_t)n, seed) < 0)
		goto out;
	for (int k = 0; k < N_IMPL; k++) {
		if (!(res[k] = malloc(p.n)))
			goto out;
		best[k] = 0;
	}
	for (size_t from = 0; from < p.n; from += CHUNK) {
		size_t to = from + CHUNK < p.n ? from + CHUNK : p.n;
		double chunk_best[N_IMPL] = { 1e300, 1e300, 1e300 };

		for (int round = 0; round < ROUNDS; round++)
			for (int k = 0; k < N_IMPL; k++) {
				double t = run_chunk(k, &p, from, to, res[k]);

				if (t < chunk_best[k])
					chunk_best[k] = t;
			}
		for (int k = 0; k < N_IMPL; k++)
			best[k] += chunk_best[k];
	}
	for (int k = 0; k < N_IMPL; k++)
		best[k] /= (double)p.n;
	for (size_t i = 0; i < p.n; i++) {
		counts[res[IMPL_SWIM][i] + 1]++;
		if (res[IMPL_SWIM][i] == res[IMPL_RPM][i] &&
		    res[IMPL_SWIM][i] == res[IMPL_RPMVER][i])
			continue;
		if (mismatches++ < 10)
			fprintf(stderr, "mismatch: '%s' '%s': swim %d rpm %d rpmver %d\n",
			        pair_str(&p, i, 0), pair_str(&p, i, 1),
			        res[IMPL_SWIM][i], res[IMPL_RPM][i],
			        res[IMPL_RPMVER][i]);
	}
	printf("version_compare: %zu pairs (seed %" PRIu64 "; %zu less, %zu equal, "
	       "%zu greater), best of %d rounds per %d pairs\n",
	       p.n, seed, counts[0], counts[1], counts[2], ROUNDS, CHUNK);
	for (int k = 0; k < N_IMPL; k++)
		printf("  %-7s %7.1f ns/compare  checksum %016" PRIx64 "\n",
		       impl_name[k], best[k], checksum(res[k], p.n));
	printf("  ratio swim/rpm    %.2f (goal <= 0.50)\n",
	       best[IMPL_SWIM] / best[IMPL_RPM]);
	printf("  ratio swim/rpmver %.2f\n", best[IMPL_SWIM] / best[IMPL_RPMVER]);
	if (mismatches) {
		fprintf(stderr, "version_compare: %zu pairs disagree\n", mismatches);
		goto out;
	}
	rc = 0;
out:
	for (int k = 0; k < N_IMPL; k++)
		free(res[k]);
	free(p.arena);
	free(p.off);
	return rc;
}
