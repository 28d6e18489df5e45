/* Payloads: gzip'd tar written from a tree, read back as a stream with
 * both checksums (lib/payload.h). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/ar.h"
#include "lib/payload.h"
#include "support/testutil.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

struct fixture {
	char *tmp;
	char src[512];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char p[600], from[600], big[300000];

	assert_non_null(f);
	f->tmp = swim_test_tmpdir();
	(void)snprintf(f->src, sizeof(f->src), "%s/src", f->tmp);
	(void)snprintf(p, sizeof(p), "%s/usr/bin/hello", f->src);
	swim_test_write_file(p, "hello\n", 6);
	assert_int_equal(chmod(p, 0755), 0);
	(void)snprintf(from, sizeof(from), "%s/usr/bin/hello", f->src);
	(void)snprintf(p, sizeof(p), "%s/usr/bin/hello2", f->src);
	assert_int_equal(link(from, p), 0);
	(void)snprintf(p, sizeof(p), "%s/usr/bin/hi", f->src);
	assert_int_equal(symlink("hello", p), 0);
	(void)snprintf(p, sizeof(p), "%s/etc/empty", f->src);
	swim_test_write_file(p, "", 0);
	assert_int_equal(chmod(p, 0600), 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)((i * 2654435761u) >> 13);
	(void)snprintf(p, sizeof(p), "%s/opt/big", f->src);
	swim_test_write_file(p, big, sizeof(big));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	swim_test_rmtree(f->tmp);
	free(f->tmp);
	free(f);
	return 0;
}

static int collect_file(void *ctx, const char *path)
{
	swim_buf *b = ctx;

	return swim_buf_printf(b, "%s\n", path);
}

/* Packs dir into OUT (a plain gzip'd tar file). */
static int pack(swim_payload_sums *sums, const char *dir, const char *out,
                int64_t clamp, char *const *setid, size_t n_setid,
                swim_buf *files)
{
	swim_payload_source src = { 0 };
	swim_tree *tree = NULL;
	int fd, rc;

	swim_assert_ok(swim_tree_new(&tree, NULL, setid, n_setid));
	fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	src.name = "p1";
	src.dir = dir;
	src.clamp_mtime = clamp;
	src.tree = tree;
	src.on_file = files ? collect_file : NULL;
	src.ctx = files;
	rc = swim_payload_write(sums, fd, &src);
	(void)close(fd);
	swim_tree_free(tree);
	return rc;
}

/* The first word a shell command prints. */
static void SWIM_PRINTF(3, 4) run(char *out, size_t n, const char *fmt,
                                  ...)
{
	char cmd[1024];
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	(void)vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "re");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)n, p));
	(void)pclose(p);
	out[strcspn(out, " \n")] = '\0';
}

static void test_payload__checksums(void **state)
{
	struct fixture *f = *state;
	swim_payload_sums sums;
	swim_buf files = SWIM_BUF_INIT(0);
	char out[600], hex[128];
	uint64_t n;

	(void)snprintf(out, sizeof(out), "%s/p1.tgz", f->tmp);
	swim_assert_ok(pack(&sums, f->src, out, -1, NULL, 0, &files));
	/* Independent tools agree on both checksums. */
	run(hex, sizeof(hex), "sha256sum '%s'", out);
	assert_string_equal(sums.sha256, hex);
	run(hex, sizeof(hex), "gzip -dc '%s' | sha256sum", out);
	assert_string_equal(sums.sha256_gunzip, hex);
	run(hex, sizeof(hex), "gzip -dc '%s' | wc -c", out);
	swim_assert_ok(swim_str_to_u64(&n, hex, UINT64_MAX, "wc"));
	assert_int_equal(sums.expanded_size, n);
	assert_int_equal(sums.entries, 9);
	/* Sorted, depth first, no directories. */
	assert_string_equal(files.ptr, "etc/empty\nopt/big\nusr/bin/hello\n"
	                    "usr/bin/hello2\nusr/bin/hi\n");
	/* GNU tar reads it, with the link kinds intact. */
	run(hex, sizeof(hex), "tar -tvzf '%s' | grep -c 'hello2 link to usr/bin/hello'",
	    out);
	assert_string_equal(hex, "1");
	swim_buf_dispose(&files);
}

struct seen {
	swim_buf list;
	swim_buf data;
};

static int on_entry(void *ctx, struct archive *tar, struct archive_entry *e,
                    const char *path)
{
	struct seen *s = ctx;
	const char *sl = archive_entry_symlink(e), *hl = archive_entry_hardlink(e);
	char buf[64];
	la_ssize_t n;

	swim_assert_ok(swim_buf_printf(&s->list, "%s %o %s%s%s%s\n", path,
	                               (unsigned)archive_entry_mode(e),
	                               sl ? "-> " : "", sl ? sl : "",
	                               hl ? "=> " : "", hl ? hl : ""));
	if (strcmp(path, "usr/bin/hello") == 0) {
		n = archive_read_data(tar, buf, sizeof(buf));
		assert_int_equal(n, 6);
		swim_assert_ok(swim_buf_put(&s->data, buf, (size_t)n));
	}
	return 0;
}

/* Wraps the payload file in an ar and reads it back. */
static int read_back(swim_payload_sums *sums, const char *tgz,
                     swim_payload_entry_fn fn, void *ctx,
                     const swim_limits *lim)
{
	swim_buf ar = SWIM_BUF_INIT((size_t)1 << 26), path = SWIM_BUF_INIT(0);
	swim_payload_sink sink = { 0 };
	swim_ar_writer *w = NULL;
	swim_ar_reader *r = NULL;
	swim_tree *tree = NULL;
	struct stat st;
	const char *name;
	uint64_t size;
	int fd, in, rc;

	swim_assert_ok(swim_buf_printf(&path, "%s.ar", tgz));
	fd = open(path.ptr, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	in = open(tgz, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0 && in >= 0 && fstat(in, &st) == 0);
	swim_assert_ok(swim_ar_writer_new(&w, fd, path.ptr));
	swim_assert_ok(swim_ar_writer_add_fd(w, "p1", in, (uint64_t)st.st_size));
	swim_assert_ok(swim_ar_writer_finish(w));
	swim_ar_writer_free(w);
	(void)close(in);
	(void)close(fd);
	swim_assert_ok(swim_fs_read_file(&ar, path.ptr));
	swim_assert_ok(swim_ar_reader_open_memory(&r, ar.ptr, ar.len, NULL));
	assert_int_equal(swim_ar_reader_next(r, &name, &size), 1);
	swim_assert_ok(swim_tree_new(&tree, NULL, NULL, 0));
	sink.name = "p1";
	sink.size = size;
	sink.tree = tree;
	sink.on_entry = fn;
	sink.ctx = ctx;
	sink.lim = lim;
	rc = swim_payload_read(sums, r, &sink);
	swim_tree_free(tree);
	swim_ar_reader_free(r);
	swim_buf_dispose(&ar);
	swim_buf_dispose(&path);
	return rc;
}

static void test_payload__round_trip(void **state)
{
	struct fixture *f = *state;
	swim_payload_sums wrote, got = { 0 };
	struct seen s = { SWIM_BUF_INIT(0), SWIM_BUF_INIT(0) };
	char out[600];

	(void)snprintf(out, sizeof(out), "%s/p1.tgz", f->tmp);
	swim_assert_ok(pack(&wrote, f->src, out, -1, NULL, 0, NULL));
	got.want_sha1 = true;
	swim_assert_ok(read_back(&got, out, on_entry, &s, NULL));
	assert_string_equal(got.sha256, wrote.sha256);
	assert_string_equal(got.sha256_gunzip, wrote.sha256_gunzip);
	assert_int_equal(got.size, wrote.size);
	assert_int_equal(got.expanded_size, wrote.expanded_size);
	assert_int_equal(got.entries, wrote.entries);
	assert_int_equal(strlen(got.sha1), 40);
	assert_string_equal(s.list.ptr,
	                    "etc 40755 \n"
	                    "etc/empty 100600 \n"
	                    "opt 40755 \n"
	                    "opt/big 100644 \n"
	                    "usr 40755 \n"
	                    "usr/bin 40755 \n"
	                    "usr/bin/hello 100755 \n"
	                    "usr/bin/hello2 755 => usr/bin/hello\n"
	                    "usr/bin/hi 120777 -> hello\n");
	assert_string_equal(s.data.ptr, "hello\n");
	swim_buf_dispose(&s.list);
	swim_buf_dispose(&s.data);
}

static void test_payload__reproducible(void **state)
{
	struct fixture *f = *state;
	swim_payload_sums a, b;
	swim_buf x = SWIM_BUF_INIT(0), y = SWIM_BUF_INIT(0);
	char cmd[2048], copy[600], out1[600], out2[600], line[128];

	(void)snprintf(copy, sizeof(copy), "%s/copy", f->tmp);
	(void)snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", f->src, copy);
	assert_int_equal(system(cmd), 0);
	(void)snprintf(out1, sizeof(out1), "%s/a.tgz", f->tmp);
	(void)snprintf(out2, sizeof(out2), "%s/b.tgz", f->tmp);
	/* Other inodes, same content, mtimes clamped: the same bytes. */
	swim_assert_ok(pack(&a, f->src, out1, 1000000000, NULL, 0, NULL));
	swim_assert_ok(pack(&b, copy, out2, 1000000000, NULL, 0, NULL));
	swim_assert_ok(swim_fs_read_file(&x, out1));
	swim_assert_ok(swim_fs_read_file(&y, out2));
	assert_int_equal(x.len, y.len);
	assert_memory_equal(x.ptr, y.ptr, x.len);
	assert_string_equal(a.sha256, b.sha256);
	/* No timestamp in the gzip header. */
	assert_int_equal(x.ptr[4] | x.ptr[5] | x.ptr[6] | x.ptr[7], 0);
	run(line, sizeof(line), "tar -tvzf '%s' | grep -c 2001-09-09", out1);
	assert_string_equal(line, "9");
	swim_buf_dispose(&x);
	swim_buf_dispose(&y);
}

static void test_payload__refused_sources(void **state)
{
	struct fixture *f = *state;
	static char su[] = "usr/bin/su";
	char *allowed[] = { su };
	swim_payload_sums s;
	char p[600], out[600];

	(void)snprintf(out, sizeof(out), "%s/x.tgz", f->tmp);
	(void)snprintf(p, sizeof(p), "%s/usr/bin/su", f->src);
	swim_test_write_file(p, "su", 2);
	assert_int_equal(chmod(p, 04755), 0);
	swim_assert_error(pack(&s, f->src, out, -1, NULL, 0, NULL), SWIM_EACCESS,
	                  "payload 'p1': entry 'usr/bin/su': setuid/setgid bit");
	swim_assert_ok(pack(&s, f->src, out, -1, allowed, 1, NULL));
	assert_int_equal(unlink(p), 0);
	(void)snprintf(p, sizeof(p), "%s/usr/evil", f->src);
	assert_int_equal(symlink("../../etc/passwd", p), 0);
	swim_assert_error(pack(&s, f->src, out, -1, NULL, 0, NULL), SWIM_EINVAL,
	                  "entry 'usr/evil': symlink points outside");
	assert_int_equal(unlink(p), 0);
	(void)snprintf(p, sizeof(p), "%s/fifo", f->src);
	assert_int_equal(mkfifo(p, 0644), 0);
	swim_assert_error(pack(&s, f->src, out, -1, NULL, 0, NULL), SWIM_EINVAL,
	                  "entry 'fifo': FIFO not allowed");
	assert_int_equal(unlink(p), 0);
	swim_assert_error(pack(&s, "/nonexistent/dir", out, -1, NULL, 0, NULL),
	                  SWIM_ENOTFOUND, "/nonexistent/dir");
}

static void test_payload__limits(void **state)
{
	struct fixture *f = *state;
	swim_payload_sums s = { 0 };
	swim_limits lim;
	char out[600];

	(void)snprintf(out, sizeof(out), "%s/p1.tgz", f->tmp);
	swim_assert_ok(pack(&s, f->src, out, -1, NULL, 0, NULL));
	swim_limits_init(&lim);
	lim.archive_max_entries = 3;
	swim_assert_error(read_back(&s, out, NULL, NULL, &lim), SWIM_ELIMIT,
	                  "payload 'p1': more than archive_max_entries");
	swim_limits_init(&lim);
	lim.payload_max_expanded_bytes = 100000;
	swim_assert_error(read_back(&s, out, NULL, NULL, &lim), SWIM_ELIMIT,
	                  "payload 'p1': entry 'opt/big': larger than the "
	                  "payload's declared size allows");
	/* The member is still hashed after the failure. */
	assert_true(s.member_hashed);
	assert_int_equal(swim_payload_expand_budget(10, NULL), 1048576);
	assert_int_equal(swim_payload_expand_budget(10000, NULL), 2000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_payload__checksums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payload__round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payload__reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payload__refused_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payload__limits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
