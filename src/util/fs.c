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

#define COPY_BLOCK ((size_t)64 << 10)

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

int swim_fs_tmp_create(int *fd, swim_buf *tmp, const char *path)
{
	int rc;

	*fd = -1;
	swim_buf_clear(tmp);
	if ((rc = swim_buf_printf(tmp, "%s.part-XXXXXX", path)) < 0)
		return rc;
	*fd = mkostemp(tmp->ptr, O_CLOEXEC);
	if (*fd < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "creating %s",
		                          tmp->ptr);
		swim_buf_clear(tmp);
		return rc;
	}
	return 0;
}

void swim_fs_tmp_abort(int fd, swim_buf *tmp)
{
	if (fd >= 0)
		(void)close(fd);
	if (tmp->len)
		(void)unlink(tmp->ptr);
	swim_buf_clear(tmp);
}

int swim_fs_tmp_commit(int fd, swim_buf *tmp, const char *path, mode_t mode)
{
	int rc;

	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "writing %s", path);
		swim_fs_tmp_abort(fd, tmp);
		return rc;
	}
	if (close(fd) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "writing %s", path);
		swim_fs_tmp_abort(-1, tmp);
		return rc;
	}
	if (rename(tmp->ptr, path) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "renaming to %s",
		                          path);
		swim_fs_tmp_abort(-1, tmp);
		return rc;
	}
	swim_buf_clear(tmp);  /* renamed: nothing to unlink */
	return swim_fs_sync_parent(path);
}

int swim_fs_write_all(int fd, const void *data, size_t len, const char *name)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return swim_error_set_errno(SWIM_EIO, errno, "writing %s",
			                            name);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int swim_fs_copy(int fd, const char *src, uint64_t max, const char *name)
{
	char *block = malloc(COPY_BLOCK);
	uint64_t total = 0;
	int in = -1, rc = 0;

	if (!block)
		return swim_error_oom();
	if ((in = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		rc = swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                          : SWIM_EIO, errno, "%s", src);
		goto out;
	}
	for (;;) {
		ssize_t n = read(in, block, COPY_BLOCK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "reading %s", src);
			goto out;
		}
		if (n == 0)
			break;
		if ((uint64_t)n > max - total) {
			rc = swim_error_set(SWIM_ELIMIT,
			                    "%s is larger than %llu bytes", src,
			                    (unsigned long long)max);
			goto out;
		}
		total += (uint64_t)n;
		if ((rc = swim_fs_write_all(fd, block, (size_t)n, name)) < 0)
			goto out;
	}
out:
	if (in >= 0)
		(void)close(in);
	free(block);
	return rc;
}

int swim_fs_write_atomic(const char *path, const void *data, size_t len,
                         mode_t mode)
{
	swim_buf tmp = SWIM_BUF_INIT(0);
	int fd = -1, rc;

	if ((rc = swim_fs_tmp_create(&fd, &tmp, path)) < 0)
		goto out;
	if ((rc = swim_fs_write_all(fd, data, len, path)) < 0) {
		swim_fs_tmp_abort(fd, &tmp);
		goto out;
	}
	rc = swim_fs_tmp_commit(fd, &tmp, path, mode);
out:
	swim_buf_dispose(&tmp);
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
