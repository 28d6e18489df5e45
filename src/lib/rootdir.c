#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/rootdir.h"
#include "swim/error.h"
#include "util/str.h"

#define CACHE_SLOTS 16

struct slot {
	char *dir;             /* NULL: empty */
	int fd;
	dev_t dev;
	unsigned long used;    /* tick of the last use */
};

struct swim_rootdir {
	int root_fd;
	char *shown;
	struct slot slots[CACHE_SLOTS];
	unsigned long tick;
	dev_t last_dev;
	char *scratch;         /* the parent part of a path */
	size_t scratch_cap;
};

int swim_rootdir_new(swim_rootdir **out, int root_fd, const char *shown)
{
	swim_rootdir *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c || !(c->shown = swim_strdup(shown ? shown : ""))) {
		free(c);
		return swim_error_oom();
	}
	c->root_fd = root_fd;
	for (int i = 0; i < CACHE_SLOTS; i++)
		c->slots[i].fd = -1;
	*out = c;
	return 0;
}

void swim_rootdir_forget(swim_rootdir *c)
{
	for (int i = 0; c && i < CACHE_SLOTS; i++) {
		if (c->slots[i].fd >= 0)
			(void)close(c->slots[i].fd);
		free(c->slots[i].dir);
		c->slots[i].dir = NULL;
		c->slots[i].fd = -1;
	}
}

void swim_rootdir_free(swim_rootdir *c)
{
	if (!c)
		return;
	swim_rootdir_forget(c);
	free(c->shown);
	free(c->scratch);
	free(c);
}

const char *swim_rootdir_shown(const swim_rootdir *c)
{
	return c->shown;
}

int swim_rootdir_fail(const swim_rootdir *c, int err, const char *what,
                      const char *path)
{
	int code = err == EACCES || err == EPERM || err == EROFS ? SWIM_EACCESS
	         : err == ENOSPC || err == EDQUOT ? SWIM_ELIMIT
	         : err == ENOENT ? SWIM_ENOTFOUND : SWIM_EIO;

	return swim_error_set_errno(code, err, "%s/%s: %s", c->shown, path,
	                            what);
}

static int open_in_root(swim_rootdir *c, const char *dir)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	do
		fd = (int)syscall(SYS_openat2, c->root_fd, *dir ? dir : ".",
		                  &how, sizeof(how));
	while (fd < 0 && (errno == EAGAIN || errno == EINTR));
	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
		return swim_error_set(SWIM_ENOTFOUND, "%s/%s does not exist",
		                      c->shown, dir);
	case ENOTDIR:
		return swim_error_set(SWIM_EINVAL, "%s/%s is not a directory "
		                      "(or a symbolic link on the way leads to "
		                      "a file)", c->shown, dir);
	case ELOOP:
		return swim_error_set(SWIM_EINVAL, "%s/%s: a symbolic link on "
		                      "the way loops (an absolute link is read "
		                      "inside the root)", c->shown, dir);
	case ENOSYS:
		return swim_error_set(SWIM_ENOTSUPPORTED, "openat2 is not "
		                      "available (Linux 5.6 or later is needed)");
	default:
		return swim_rootdir_fail(c, errno, "opening the directory", dir);
	}
}

int swim_rootdir_open(int *fd, swim_rootdir *c, const char *dir)
{
	struct slot *victim = &c->slots[0];
	struct stat st;
	int nfd;

	*fd = -1;
	c->tick++;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct slot *s = &c->slots[i];

		if (s->dir && strcmp(s->dir, dir) == 0) {
			s->used = c->tick;
			c->last_dev = s->dev;
			*fd = s->fd;
			return 0;
		}
		if (!s->dir || (victim->dir && s->used < victim->used))
			victim = s;
	}
	if ((nfd = open_in_root(c, dir)) < 0)
		return nfd;
	if (victim->fd >= 0)
		(void)close(victim->fd);
	free(victim->dir);
	if (!(victim->dir = swim_strdup(dir))) {
		(void)close(nfd);
		victim->fd = -1;
		return SWIM_ENOMEM;
	}
	victim->fd = nfd;
	victim->used = c->tick;
	victim->dev = fstat(nfd, &st) == 0 ? st.st_dev : 0;
	c->last_dev = victim->dev;
	*fd = nfd;
	return 0;
}

int swim_rootdir_parent(int *fd, const char **name, swim_rootdir *c,
                        const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;

	*name = slash ? slash + 1 : path;
	if (len + 1 > c->scratch_cap) {
		char *grown = realloc(c->scratch, len + 64);

		if (!grown)
			return swim_error_oom();
		c->scratch = grown;
		c->scratch_cap = len + 64;
	}
	memcpy(c->scratch, path, len);
	c->scratch[len] = '\0';
	return swim_rootdir_open(fd, c, c->scratch);
}

dev_t swim_rootdir_dev(const swim_rootdir *c)
{
	return c->last_dev;
}
