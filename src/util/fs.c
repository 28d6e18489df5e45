#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

int swim_fs_pwrite_all(int fd, const void *data, size_t len, uint64_t off)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int swim_fs_each_block(const char *path, swim_fs_block_fn fn, void *ctx)
{
	char *block = malloc(COPY_BLOCK);
	int fd = -1, rc = 0;

	if (!block)
		return swim_error_oom();
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		rc = swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                          : SWIM_EIO, errno, "%s", path);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, block, COPY_BLOCK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "reading %s", path);
			goto out;
		}
		if (n == 0 || (rc = fn(ctx, block, (size_t)n)) < 0)
			break;
	}
out:
	if (fd >= 0)
		(void)close(fd);
	free(block);
	return rc;
}

struct copy {
	int fd;
	uint64_t left;
	const char *src, *name;
};

static int copy_block(void *ctx, const void *block, size_t len)
{
	struct copy *c = ctx;

	if (len > c->left)
		return swim_error_set(SWIM_ELIMIT, "%s is larger than expected",
		                      c->src);
	c->left -= len;
	return swim_fs_write_all(c->fd, block, len, c->name);
}

int swim_fs_copy(int fd, const char *src, uint64_t max, const char *name)
{
	struct copy c = { fd, max, src, name };

	return swim_fs_each_block(src, copy_block, &c);
}

int swim_fs_write_atomic(const char *path, const void *data, size_t len,
                         mode_t mode)
{
	swim_fs_atomic a;
	int rc;

	if ((rc = swim_fs_atomic_begin(&a, path)) < 0)
		return rc;
	if ((rc = swim_fs_write_all(a.fd, data, len, path)) == 0)
		rc = swim_fs_atomic_commit(&a, mode);
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

static int openat_in_root(int root_fd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
}

static int in_root_error(int err, const char *shown, const char *rel)
{
	if (err == ENOENT)
		return swim_error_set(SWIM_ENOTFOUND, "%s/%s does not exist",
		                      shown, rel);
	if (err == ENOTDIR)
		return swim_error_set(SWIM_EINVAL, "%s/%s is not a directory",
		                      shown, rel);
	if (err == ENOSYS)
		return swim_error_set(SWIM_ENOTSUPPORTED,
		                      "openat2 is not available (Linux 5.6 or "
		                      "later is needed)");
	return swim_error_set_errno(err == EACCES || err == EPERM ?
	                            SWIM_EACCESS : SWIM_EIO, err, "%s/%s",
	                            shown, rel);
}

/* Makes `name` in parent with exactly `mode`; an existing one is fine. */
static int mkdir_exact(int parent, const char *name, mode_t mode)
{
	int fd;

	if (mkdirat(parent, name, mode) < 0)
		return errno == EEXIST ? 0 : -errno;
	fd = openat(parent, name, O_CLOEXEC | O_RDONLY | O_DIRECTORY |
	            O_NOFOLLOW);
	if (fd < 0 || fchmod(fd, mode) < 0) {
		int err = errno;

		if (fd >= 0)
			(void)close(fd);
		return -err;
	}
	(void)close(fd);
	return 0;
}

int swim_fs_open_dir_in_root(int *out_fd, int root_fd, const char *rel,
                             bool create, mode_t mode, const char *shown)
{
	swim_buf prefix = SWIM_BUF_INIT(PATH_MAX);
	const char *p = rel;
	char *name = NULL;
	int fd = -1, next, err, rc = 0;

	*out_fd = -1;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (len > 0) {
			if ((rc = swim_buf_printf(&prefix, "%s%.*s",
			                          prefix.len ? "/" : "", (int)len,
			                          p)) < 0)
				goto out;
			next = openat_in_root(root_fd, prefix.ptr,
			                      O_RDONLY | O_DIRECTORY);
			if (next < 0 && errno == ENOENT && create) {
				free(name);
				if (!(name = swim_strndup(p, len))) {
					rc = SWIM_ENOMEM;
					goto out;
				}
				err = mkdir_exact(fd >= 0 ? fd : root_fd, name,
				                  mode);
				if (err < 0) {
					rc = in_root_error(-err, shown, prefix.ptr);
					goto out;
				}
				next = openat_in_root(root_fd, prefix.ptr,
				                      O_RDONLY | O_DIRECTORY);
				if (next < 0 && errno == ENOENT) {
					rc = swim_error_set(SWIM_EINVAL,
					                    "%s/%s is a symbolic link that "
					                    "leads to no directory inside "
					                    "the root", shown, prefix.ptr);
					goto out;
				}
			}
			if (next < 0) {
				rc = in_root_error(errno, shown, prefix.ptr);
				goto out;
			}
			if (fd >= 0)
				(void)close(fd);
			fd = next;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	if (fd < 0 && (fd = openat_in_root(root_fd, ".",
	                                   O_RDONLY | O_DIRECTORY)) < 0) {
		rc = in_root_error(errno, shown, ".");
		goto out;
	}
	*out_fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		(void)close(fd);
	free(name);
	swim_buf_dispose(&prefix);
	return rc;
}

/* Depth first; a directory that cannot be listed is left alone. */
void swim_fs_empty_dir(int dirfd)
{
	DIR *d;
	struct dirent *de;
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			(void)close(fd);
		return;
	}
	while ((de = readdir(d))) {
		int sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0)
			continue;
		sub = openat(dirfd, de->d_name, O_CLOEXEC | O_RDONLY |
		             O_DIRECTORY | O_NOFOLLOW);
		if (sub < 0)
			continue;
		(void)fchmod(sub, 0700);
		swim_fs_empty_dir(sub);
		(void)close(sub);
		(void)unlinkat(dirfd, de->d_name, AT_REMOVEDIR);
	}
	(void)closedir(d);
}
