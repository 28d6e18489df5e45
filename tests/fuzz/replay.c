/* Runs a libFuzzer target over every file in the given directories (or
 * the given files), so the targets build and run in ordinary test builds
 * too. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "swim/buf.h"
#include "util/fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int main(int argc, char **argv);

static int run_file(const char *path)
{
	swim_buf b = SWIM_BUF_INIT((size_t)1 << 30);
	int rc = swim_fs_read_file(&b, path);

	if (rc < 0) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	(void)LLVMFuzzerTestOneInput((const uint8_t *)b.ptr, b.len);
	swim_buf_dispose(&b);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0, fail = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "cannot open %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			fail |= run_file(argv[i]);
			n++;
			continue;
		}
		if (!(d = opendir(argv[i])))
			return 1;
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			(void)snprintf(path, sizeof(path), "%s/%s", argv[i],
			               e->d_name);
			fail |= run_file(path);
			n++;
		}
		closedir(d);
	}
	printf("replayed %d inputs\n", n);
	return fail || n == 0;
}
