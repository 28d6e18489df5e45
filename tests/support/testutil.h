/* Helpers shared by the cmocka unit tests. */
#ifndef SWIM_TESTUTIL_H
#define SWIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "swim/buf.h"
#include "swim/package.h"

/* Reads tests/data/<rel> into a new NUL-terminated buffer (fails the test
 * when missing). */
char *swim_test_data(const char *rel, size_t *len);

/* Reads the descriptor tests/data/<rel> (fails the test when it does not
 * read). Free with swim_package_free(). */
swim_package *swim_test_descriptor(const char *rel);

/* A fresh empty directory under $TMPDIR; removed by swim_test_rmtree. */
char *swim_test_tmpdir(void);
void swim_test_rmtree(const char *path);

/* "DIR/REL", freed with free(). */
char *swim_test_path(const char *dir, const char *rel);

/* Writes a file (creating parent directories). */
void swim_test_write_file(const char *path, const char *data, size_t len);

/* Builds the package `out` from a descriptor whose one payload is called
 * "p": the payload holds usr/share/NAME/data with `content`. Built with a
 * fixed SOURCE_DATE_EPOCH, so the same arguments give the same file. */
void swim_test_build_vib(const char *out, const char *descriptor_xml,
                         const char *content);

/* Asserts that rc is 0, printing the library's error message if not. */
#define swim_assert_ok(expr)                                             \
	do {                                                              \
		int swim_rc_ = (expr);                                    \
		if (swim_rc_ != 0)                                        \
			fail_msg("%s = %d: %s", #expr, swim_rc_,          \
			         swim_error_last());                      \
	} while (0)

/* Asserts that rc equals code and that the error message contains
 * `needle`. */
#define swim_assert_error(expr, code, needle)                            \
	do {                                                              \
		int swim_rc_ = (expr);                                    \
		if (swim_rc_ != (code))                                   \
			fail_msg("%s = %d, expected %d (%s)", #expr,      \
			         swim_rc_, (code), swim_error_last());    \
		if (!strstr(swim_error_last(), (needle)))                \
			fail_msg("error '%s' does not mention '%s'",     \
			         swim_error_last(), (needle));            \
	} while (0)

#endif
