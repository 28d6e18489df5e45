#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

int swim_fs_read_fd(swim_buf *buf, int fd, const char *name)
{
	size_t max = buf->max ? buf->max : SWIM_BUF_DEFAULT_MAX;
	int rc;

	for (;;) {
		size_t room = max - buf->len;
		ssize_t n;

		if (room == 0) {
			/* Full: the file may still end exactly here. */
			char probe;

			n = read(fd, &probe, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				break;
			return swim_error_set(SWIM_ELIMIT,
			                      "%s: larger than the limit of %zu bytes",
			                      name, max);
		}
		if ((rc = swim_buf_grow(buf, room > 65536 ? 65536 : room)) < 0)
			return swim_error_prefix("%s: ", name);
		if (room > buf->cap - buf->len - 1)
			room = buf->cap - buf->len - 1;
		n = read(fd, buf->ptr + buf->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return swim_error_set_errno(SWIM_EIO, errno,
			                            "reading %s", name);
		if (n == 0)
			break;
		buf->len += (size_t)n;
		buf->ptr[buf->len] = '\0';
	}
	return 0;
}

int swim_fs_read_file(swim_buf *buf, const char *path)
{
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                            : errno == EACCES ? SWIM_EACCESS
		                            : SWIM_EIO, errno, "%s", path);
	rc = swim_fs_read_fd(buf, fd, path);
	(void)close(fd);
	return rc;
}

int swim_fs_read_guarded(swim_buf *buf, const char *path, const char *what,
                         mode_t refused)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                            : errno == EACCES ? SWIM_EACCESS
		                            : SWIM_EIO, errno, "%s %s", what, path);
	if (fstat(fd, &st) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "%s %s", what, path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = swim_error_set(SWIM_EINVAL, "%s %s is not a regular file",
		                    what, path);
		goto out;
	}
	if (st.st_mode & refused & S_IWOTH) {
		rc = swim_error_set(SWIM_EACCESS, "%s %s is world-writable; "
		                    "refusing it (chmod o-w %s)", what, path, path);
		goto out;
	}
	if (st.st_mode & refused & S_IROTH) {
		rc = swim_error_set(SWIM_EACCESS, "%s %s is world-readable; "
		                    "refusing it (chmod o-r %s)", what, path, path);
		goto out;
	}
	rc = swim_fs_read_fd(buf, fd, path);
out:
	(void)close(fd);
	return rc;
}

int swim_fs_sync_parent(const char *path)
{
	char *dir = swim_strdup(path), *slash;
	int fd, rc = 0;

	if (!dir)
		return SWIM_ENOMEM;
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else if (!(dir = (free(dir), swim_strdup("."))))
		return SWIM_ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = swim_error_set_errno(SWIM_EIO, errno, "syncing %s", dir);
	if (fd >= 0)
		(void)close(fd);
	free(dir);
	return rc;
}

int swim_fs_atomic_begin(swim_fs_atomic *a, const char *path)
{
	int rc;

	a->fd = -1;
	a->path = path;
	swim_buf_init(&a->tmp, 0);
	if ((rc = swim_buf_printf(&a->tmp, "%s.tmp.XXXXXX", path)) < 0)
		return rc;
	a->fd = mkostemp(a->tmp.ptr, O_CLOEXEC);
	if (a->fd < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "creating %s",
		                          a->tmp.ptr);
		swim_buf_dispose(&a->tmp);
	}
	return rc;
}

int swim_fs_atomic_commit(swim_fs_atomic *a, mode_t mode)
{
	int fd = a->fd;

	a->fd = -1;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		(void)close(fd);
		return swim_error_set_errno(SWIM_EIO, errno, "writing %s",
		                            a->path);
	}
	if (close(fd) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "writing %s",
		                            a->path);
	if (rename(a->tmp.ptr, a->path) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "renaming to %s",
		                            a->path);
	swim_buf_dispose(&a->tmp);  /* renamed: nothing to unlink */
	return swim_fs_sync_parent(a->path);
}

void swim_fs_atomic_abort(swim_fs_atomic *a)
{
	if (a->fd >= 0)
		(void)close(a->fd);
	a->fd = -1;
	if (a->tmp.len)
		(void)unlink(a->tmp.ptr);
	swim_buf_dispose(&a->tmp);
}

int swim_fs_write_atomic(const char *path, const void *data, size_t len,
                         mode_t mode)
{
	swim_fs_atomic a;
	const char *p = data;
	int rc;

	if ((rc = swim_fs_atomic_begin(&a, path)) < 0)
		return rc;
	while (len > 0) {
		ssize_t n = write(a.fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "writing %s",
			                          path);
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	rc = swim_fs_atomic_commit(&a, mode);
out:
	swim_fs_atomic_abort(&a);
	return rc;
}

int swim_fs_mkdir_p(const char *path, mode_t mode)
{
	char *p = swim_strdup(path);
	int rc = 0;

	if (!p)
		return SWIM_ENOMEM;
	for (char *s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "creating %s",
			                          p);
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}
