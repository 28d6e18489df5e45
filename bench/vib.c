/* bench/vib: build, then check, a package with one payload of mixed
 * files (text, random, zeros; many small and some large; 200 MiB by
 * default), against the same work done by standard tools in the same
 * run:
 *   build  swim_vib_build()             vs  tar -cz of the same tree
 *   check  swim_vib_open() + _verify()  vs  gzip -dc | sha256sum of the
 *          same payload (gunzip + one SHA-256 pass: the floor of what
 *          reading must do), and tar -xz + sha256sum
 * Each step runs in a child process, so its wall time, CPU time and
 * peak RSS are its own; the reading steps are the best of three runs.
 * check's peak RSS is also taken for a package a tenth of the size with
 * the same number of entries, to show that memory does not grow with the
 * payload.
 * Usage: vib [MIB] [WORKDIR]   (WORKDIR default $TMPDIR or /tmp)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "swim/error.h"
#include "swim/package.h"
#include "swim/vib.h"
#include "util/fs.h"
#include "util/str.h"

int main(int argc, char **argv);

#define MIB ((uint64_t)1 << 20)
#define SMALL_FILES 16000
#define ROUNDS 3

/* splitmix64: the same tree on every machine. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *const words[] = {
	"the", "package", "payload", "host", "image", "profile", "depot",
	"signature", "level", "certified", "partner", "community", "vendor",
	"install", "remove", "update", "version", "release", "checksum",
	"driver", "module", "kernel", "boot", "bank", "locker", "file", "of",
	"and", "to", "in", "is", "with", "for", "on", "a", "configuration",
};

enum kind { TEXT, RANDOM, ZEROS };

static void fill(char *buf, size_t n, enum kind k, uint64_t *s)
{
	size_t i = 0;

	if (k == ZEROS) {
		memset(buf, 0, n);
		return;
	}
	if (k == RANDOM) {
		for (; i + 8 <= n; i += 8) {
			uint64_t v = rnd(s);

			memcpy(buf + i, &v, 8);
		}
		for (; i < n; i++)
			buf[i] = (char)rnd(s);
		return;
	}
	while (i < n) {
		const char *w = words[rnd(s) % (sizeof(words) / sizeof(words[0]))];
		size_t l = strlen(w);

		for (size_t k2 = 0; k2 < l && i < n; k2++)
			buf[i++] = w[k2];
		if (i < n)
			buf[i++] = rnd(s) % 12 == 0 ? '\n' : ' ';
	}
}

static void write_file(const char *path, size_t n, enum kind k, uint64_t *s,
                       char *buf)
{
	FILE *f = fopen(path, "we");

	if (!f) {
		perror(path);
		exit(1);
	}
	while (n > 0) {
		size_t c = n < MIB ? n : MIB;

		fill(buf, c, k, s);
		if (fwrite(buf, 1, c, f) != c) {
			perror(path);
			exit(1);
		}
		n -= c;
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* Tree of about `total` bytes: `n_small` small files (text, some
 * random) holding 48% of it, then large text, random and zero files.
 * Trees of different sizes with the same n_small have the same number of
 * entries, which is what memory may depend on (paths, file-list). */
static uint64_t make_tree(const char *dir, uint64_t total, unsigned n_small,
                          uint64_t *files)
{
	uint64_t s = 42, used = 0, avg = total * 48 / 100 / n_small;
	char path[4096], *buf = malloc(MIB);
	unsigned n = 0;

	if (!buf || swim_fs_mkdir_p(dir, 0755) < 0)
		exit(1);
	for (; n < n_small; n++) {
		enum kind k = n % 6 == 5 ? RANDOM : TEXT;
		size_t size = (size_t)(avg / 5 + rnd(&s) % (avg * 8 / 5 + 1));

		(void)snprintf(path, sizeof(path), "%s/d%03u", dir, n % 200);
		if (n < 200 && swim_fs_mkdir_p(path, 0755) < 0)
			exit(1);
		(void)snprintf(path, sizeof(path), "%s/d%03u/f%06u.%s", dir,
		               n % 200, n, k == TEXT ? "txt" : "bin");
		write_file(path, size, k, &s, buf);
		used += size;
	}
	for (unsigned i = 0; used < total; i++, n++) {
		static const enum kind big[] = { TEXT, RANDOM, ZEROS, TEXT };
		enum kind k = big[i % 4];
		uint64_t size = total / 12;

		if (size > total - used)
			size = total - used;
		(void)snprintf(path, sizeof(path), "%s/large-%u.%s", dir, i,
		               k == TEXT ? "txt" : k == RANDOM ? "bin" : "zero");
		write_file(path, (size_t)size, k, &s, buf);
		used += size;
	}
	free(buf);
	*files = n;
	return used;
}

struct run {
	double wall;
	double cpu;
	double rss_mib;
	int status;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*step_fn)(void *ctx);

/* Runs fn in a child; its time and peak RSS. */
static struct run in_child(step_fn fn, void *ctx)
{
	struct run r = { 0 };
	struct rusage ru;
	double t0 = now();
	int st = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(ctx) == 0 ? 0 : 1);
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
		perror("fork");
		exit(1);
	}
	r.wall = now() - t0;
	r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	r.rss_mib = (double)ru.ru_maxrss / 1024.0;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	return r;
}

/* The fastest of ROUNDS runs (the machine may be shared); the largest
 * peak RSS of them. */
static struct run best_of(step_fn fn, void *ctx)
{
	struct run best = { 0 };

	for (int i = 0; i < ROUNDS; i++) {
		struct run r = in_child(fn, ctx);

		if (r.status != 0)
			return r;
		if (i == 0 || r.wall < best.wall) {
			double rss = best.rss_mib > r.rss_mib ? best.rss_mib
			                                      : r.rss_mib;
			best = r;
			best.rss_mib = rss;
		}
	}
	return best;
}

static int run_shell(void *ctx)
{
	execl("/bin/sh", "sh", "-c", (const char *)ctx, (char *)NULL);
	return 127;
}

/* A shell command's figures: CPU and RSS are the whole pipeline's
 * (RSS: its largest process). */
static struct run shell_rounds(const char *cmd, bool best)
{
	struct run r = best ? best_of(run_shell, (void *)cmd)
	                    : in_child(run_shell, (void *)cmd);

	if (r.status != 0) {
		fprintf(stderr, "'%s' failed\n", cmd);
		exit(1);
	}
	return r;
}

static struct run shell(const char *cmd)
{
	return shell_rounds(cmd, false);
}

struct build_ctx {
	const char *tree;
	const char *out;
};

static int do_build(void *p)
{
	const struct build_ctx *b = p;
	static const char xml[] =
		"<vib version=\"5.0\"><type>bootbank</type><name>bench</name>"
		"<version>1.0-1</version><vendor>swim</vendor>"
		"<acceptance-level>community</acceptance-level></vib>";
	swim_vib_payload_spec spec = { "payload", "tgz", b->tree };
	swim_vib_build_options opt = { 1600000000, NULL };
	swim_package *pkg = NULL;
	int rc;

	if ((rc = swim_descriptor_read(&pkg, xml, sizeof(xml) - 1, NULL)) == 0)
		rc = swim_vib_build(b->out, pkg, &spec, 1, &opt);
	if (rc < 0)
		fprintf(stderr, "build: %s\n", swim_error_last());
	swim_package_free(pkg);
	return rc;
}

static int do_check(void *p)
{
	swim_vib_options opt = { 0 };
	swim_vib *vib = NULL;
	int rc;

	if ((rc = swim_vib_open(&vib, p, &opt)) == 0)
		rc = swim_vib_verify(vib);
	if (rc < 0)
		fprintf(stderr, "check: %s\n", swim_error_last());
	swim_vib_free(vib);
	return rc;
}

/* The floor in-process: zlib inflate and one SHA-256 pass over what it
 * gives, 1 MiB at a time. */
static int do_floor(void *p)
{
	unsigned char *in = malloc(MIB), *out = malloc(MIB);
	unsigned char md[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *sha = EVP_MD_CTX_new();
	z_stream z = { 0 };
	int fd = open(p, O_RDONLY | O_CLOEXEC), zr = Z_OK;
	ssize_t n;

	if (!in || !out || !sha || fd < 0 ||
	    inflateInit2(&z, 15 + 16) != Z_OK ||
	    EVP_DigestInit_ex(sha, EVP_sha256(), NULL) != 1)
		return 1;
	while (zr != Z_STREAM_END && (n = read(fd, in, MIB)) > 0) {
		z.next_in = in;
		z.avail_in = (uInt)n;
		while (z.avail_in > 0 && zr != Z_STREAM_END) {
			z.next_out = out;
			z.avail_out = (uInt)MIB;
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END)
				return 1;
			EVP_DigestUpdate(sha, out, MIB - z.avail_out);
		}
	}
	EVP_DigestFinal_ex(sha, md, NULL);
	inflateEnd(&z);
	EVP_MD_CTX_free(sha);
	free(in);
	free(out);
	(void)close(fd);
	return zr == Z_STREAM_END ? 0 : 1;
}

static void row(const char *what, const struct run *r, double mib)
{
	printf("| %-34s | %7.2f | %7.1f | %6.2f | %8.1f |\n", what, r->wall,
	       mib / r->wall, r->cpu, r->rss_mib);
}

int main(int argc, char **argv)
{
	uint64_t mib = 200, files = 0, bytes, small_files;
	const char *base = getenv("TMPDIR");
	char work[1024], tree[1100], small[1100], vib[1100], svib[1100];
	char cmd[8192];
	struct build_ctx b;
	struct run build, tarcz, check, floor, zfloor, tarxz, scheck;
	struct stat st;
	double mb;

	if (argc > 1 && swim_str_to_u64(&mib, argv[1], 100000, "MIB") < 0) {
		fprintf(stderr, "%s\n", swim_error_last());
		return 2;
	}
	(void)snprintf(work, sizeof(work), "%s/swim-bench-vib",
	               argc > 2 ? argv[2] : base ? base : "/tmp");
	(void)snprintf(tree, sizeof(tree), "%s/tree", work);
	(void)snprintf(small, sizeof(small), "%s/small", work);
	(void)snprintf(vib, sizeof(vib), "%s/bench.vib", work);
	(void)snprintf(svib, sizeof(svib), "%s/small.vib", work);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
	(void)shell(cmd);
	bytes = make_tree(tree, mib * MIB, SMALL_FILES, &files);
	(void)make_tree(small, mib * MIB / 10, SMALL_FILES, &small_files);
	mb = (double)bytes / (double)MIB;
	/* Warm the page cache for everyone alike. */
	(void)snprintf(cmd, sizeof(cmd), "tar -cf - -C '%s' . >/dev/null", tree);
	(void)shell(cmd);

	b.tree = tree;
	b.out = vib;
	build = in_child(do_build, &b);
	(void)snprintf(cmd, sizeof(cmd), "tar -czf '%s/ref.tgz' -C '%s' .", work,
	               tree);
	tarcz = shell(cmd);
	check = best_of(do_check, vib);
	(void)snprintf(cmd, sizeof(cmd), "cd '%s' && ar p bench.vib payload "
	               ">payload.tgz", work);
	(void)shell(cmd);
	(void)snprintf(cmd, sizeof(cmd), "%s/payload.tgz", work);
	if (stat(cmd, &st) < 0)
		return 1;
	(void)snprintf(cmd, sizeof(cmd), "gzip -dc '%s/payload.tgz' | sha256sum "
	               ">/dev/null", work);
	floor = shell_rounds(cmd, true);
	(void)snprintf(cmd, sizeof(cmd), "%s/payload.tgz", work);
	zfloor = best_of(do_floor, cmd);
	if (zfloor.status)
		return 1;
	(void)snprintf(cmd, sizeof(cmd), "mkdir '%s/x' && tar -xzf '%s/ref.tgz' "
	               "-C '%s/x' && sha256sum '%s/ref.tgz' >/dev/null", work,
	               work, work, work);
	tarxz = shell(cmd);
	b.tree = small;
	b.out = svib;
	if (in_child(do_build, &b).status != 0)
		return 1;
	scheck = best_of(do_check, svib);
	if (build.status || check.status || scheck.status)
		return 1;

	printf("tree: %.1f MiB in %" PRIu64 " files (text, random, zeros; "
	       "many small, some large); payload %.1f MiB compressed\n\n", mb,
	       files, (double)st.st_size / (double)MIB);
	printf("| %-34s | %7s | %7s | %6s | %8s |\n", "step", "wall s", "MiB/s",
	       "CPU s", "RSS MiB");
	printf("|%s|---------|---------|--------|----------|\n",
	       "------------------------------------");
	row("swim vib build", &build, mb);
	row("tar -cz", &tarcz, mb);
	row("swim vib check (open + verify)", &check, mb);
	row("zlib inflate + sha-256 (floor)", &zfloor, mb);
	row("gzip -dc | sha256sum", &floor, mb);
	row("tar -xz + sha256sum", &tarxz, mb);
	printf("\ncheck / floor (zlib + sha-256): %.2fx wall, %.2fx CPU\n",
	       check.wall / zfloor.wall, check.cpu / zfloor.cpu);
	printf("check / gzip -dc | sha256sum: %.2fx wall\n",
	       check.wall / floor.wall);
	printf("check peak RSS, same %" PRIu64 " entries: %.1f MiB for %.0f MiB, "
	       "%.1f MiB for %.0f MiB\n", files, check.rss_mib, mb,
	       scheck.rss_mib, mb / 10);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
	(void)shell(cmd);
	return 0;
}
