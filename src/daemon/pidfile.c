#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/pidfile.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

/* Another swimd replacing the file between our open and our lock makes
 * us lock again; more rounds than this means something is wrong. */
#define LOCK_ROUNDS 8

struct swimd_pidfile {
	char *path;
	int fd;          /* open on our file and holding its lock */
};

/* The pid in the file of a running swimd, for the message. */
static void holder(char *out, size_t size, int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	buf[strspn(buf, "0123456789")] = '\0';
	(void)snprintf(out, size, "%s", buf[0] ? buf : "unknown");
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Opens (creating if needed) and locks the file now at path, so that no
 * other swimd can take it while ours is written. */
static int lock_current(int *out, const char *path)
{
	char pid[32];
	int fd;

	*out = -1;
	for (int round = 0; round < LOCK_ROUNDS; round++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
		          O_NOCTTY, 0644);
		if (fd < 0)
			return swim_error_set_errno(errno == EACCES ? SWIM_EACCESS
			                            : SWIM_EIO, errno,
			                            "pid file %s", path);
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int e = errno;

			if (e == EWOULDBLOCK)
				holder(pid, sizeof(pid), fd);
			(void)close(fd);
			if (e == EWOULDBLOCK)
				return swim_error_set(SWIM_EBUSY,
				                      "swimd is already running "
				                      "(pid %s holds %s)", pid, path);
			return swim_error_set_errno(SWIM_EIO, e, "locking pid "
			                            "file %s", path);
		}
		/* Locked what was there when we opened it; still there? */
		if (same_file(fd, path)) {
			*out = fd;
			return 0;
		}
		(void)close(fd);
	}
	return swim_error_set(SWIM_EBUSY, "pid file %s keeps being replaced",
	                      path);
}

int swimd_pidfile_create(swimd_pidfile **out, const char *path)
{
	swimd_pidfile *pf = NULL;
	swim_fs_atomic a = { .fd = -1 };
	char text[32];
	int old = -1, n, rc;

	*out = NULL;
	if ((rc = lock_current(&old, path)) < 0)
		return rc;
	if (!(pf = calloc(1, sizeof(*pf))) || !(pf->path = swim_strdup(path))) {
		rc = swim_error_oom();
		goto out;
	}
	pf->fd = -1;
	if ((rc = swim_fs_atomic_begin(&a, path)) < 0)
		goto out;
	n = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (write(a.fd, text, (size_t)n) != n) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "writing pid file %s",
		                          path);
		goto out;
	}
	/* The lock goes with the new file: take it before the rename,
	 * through a descriptor that outlives the commit. */
	if ((pf->fd = fcntl(a.fd, F_DUPFD_CLOEXEC, 0)) < 0 ||
	    flock(pf->fd, LOCK_EX | LOCK_NB) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "locking pid file %s",
		                          path);
		goto out;
	}
	if ((rc = swim_fs_atomic_commit(&a, 0644)) < 0)
		goto out;
	*out = pf;
	pf = NULL;
out:
	swim_fs_atomic_abort(&a);
	if (pf) {
		if (pf->fd >= 0)
			(void)close(pf->fd);
		free(pf->path);
		free(pf);
	}
	if (old >= 0)
		(void)close(old);
	return rc;
}

void swimd_pidfile_free(swimd_pidfile *pf)
{
	if (!pf)
		return;
	/* Someone may have replaced it (an operator, a test): leave
	 * theirs alone. */
	if (same_file(pf->fd, pf->path))
		(void)unlink(pf->path);
	(void)close(pf->fd);
	free(pf->path);
	free(pf);
}
