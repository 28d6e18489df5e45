#include "support/vibtest.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/package.h"
#include "swim/vib.h"

char *swim_test_vib(const char *root, const char *name, const char *version,
                    const char *content, bool live)
{
	char tree[600], file[700], out[700];
	swim_buf xml = SWIM_BUF_INIT(0);
	swim_vib_payload_spec spec = { "p", NULL, tree };
	swim_package *pkg = NULL;
	const char *yes = live ? "true" : "false";

	(void)snprintf(tree, sizeof(tree), "%s.tree-%s-%s", root, name, version);
	(void)snprintf(file, sizeof(file), "%s/opt/%s/file", tree, name);
	swim_test_write_file(file, content, strlen(content));
	swim_assert_ok(swim_buf_printf(&xml,
		"<vib version=\"5.0\"><type>bootbank</type><name>%s</name>"
		"<version>%s</version><vendor>test</vendor><summary>s</summary>"
		"<acceptance-level>community</acceptance-level>"
		"<live-install-allowed>%s</live-install-allowed>"
		"<live-remove-allowed>%s</live-remove-allowed></vib>",
		name, version, yes, yes));
	swim_assert_ok(swim_descriptor_read(&pkg, xml.ptr, xml.len, NULL));
	(void)snprintf(out, sizeof(out), "%s.%s-%s.vib", root, name, version);
	swim_assert_ok(swim_vib_build(out, pkg, &spec, 1, NULL));
	swim_test_rmtree(tree);
	swim_package_free(pkg);
	swim_buf_dispose(&xml);
	return strdup(out);
}

void swim_test_vib_remove(char *path)
{
	if (!path)
		return;
	unlink(path);
	free(path);
}

bool swim_test_exists(const char *root, const char *rel)
{
	size_t n = strlen(root) + strlen(rel) + 2;
	char *p = malloc(n);
	struct stat st;
	bool yes;

	assert_non_null(p);
	(void)snprintf(p, n, "%s/%s", root, rel);
	yes = lstat(p, &st) == 0;
	free(p);
	return yes;
}
