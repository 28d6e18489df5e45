/* One writer per root: an OFD lock (fcntl F_OFD_SETLK) on
 * ROOT/var/lib/swim/lock. The holder writes its pid and command line into
 * the file so that a second writer can say whom it waits for. OFD locks
 * belong to the open file description: the kernel drops them when the
 * holder closes the file or dies, SIGKILL included, and two opens in one
 * process conflict like two processes do. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/host_private.h"
#include "swim/error.h"
#include "util/str.h"

#define LOCK_NAME "lock"
#define LOCK_POLL_MS 50
/* How long a waiter gives a new holder to write its name before it
 * reports "another swim process". */
#define LOCK_NAME_GRACE_POLLS 10

static int64_t now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* "<pid> (<command>)" from the lock file, or "" when it holds none yet. */
static int read_holder(swim_buf *out, int fd)
{
	char buf[SWIM_HOST_COMMAND_MAX + 32], *nl, *cmd;
	ssize_t n;
	uint64_t pid;

	swim_buf_clear(out);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (!(nl = strchr(buf, '\n')))
		return 0;
	*nl = '\0';
	cmd = nl + 1;
	if ((nl = strchr(cmd, '\n')))
		*nl = '\0';
	if (swim_str_to_u64(&pid, buf, INT32_MAX, "pid") < 0) {
		swim_error_clear();
		return 0;
	}
	return swim_buf_printf(out, "%llu (%s)", (unsigned long long)pid, cmd);
}

static int write_holder(swim_host *h)
{
	swim_buf b = SWIM_BUF_INIT(0);
	int rc;

	if ((rc = swim_buf_printf(&b, "%ld\n%s\n", (long)getpid(),
	                          h->command)) < 0)
		goto out;
	if (ftruncate(h->lock_fd, 0) < 0 ||
	    pwrite(h->lock_fd, b.ptr, b.len, 0) != (ssize_t)b.len)
		rc = swim_error_set_errno(SWIM_EIO, errno, "writing %s/var/lib/swim/"
		                          LOCK_NAME, h->shown_root);
out:
	swim_buf_dispose(&b);
	return rc;
}

static const char *holder_or_unknown(const swim_buf *holder)
{
	return holder->len ? holder->ptr : "another swim process";
}

int swim_host__lock(swim_host *h, unsigned flags,
                    const swim_host_options *opt)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	swim_buf holder = SWIM_BUF_INIT(0), msg = SWIM_BUF_INIT(0);
	int64_t deadline = now_ms() +
	                   (int64_t)h->limits.lock_timeout_seconds * 1000;
	unsigned polls = 0;
	bool told = false;
	int fd, rc = 0;

	fd = openat(h->state_fd, LOCK_NAME, O_CLOEXEC | O_RDWR | O_CREAT |
	            O_NOFOLLOW, 0644);
	if (fd < 0)
		return swim_error_set_errno(errno == EACCES ? SWIM_EACCESS
		                            : SWIM_EIO, errno,
		                            "%s/var/lib/swim/" LOCK_NAME,
		                            h->shown_root);
	(void)fchmod(fd, 0644);  /* readers name the holder whatever the umask */
	while (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
		if (errno != EAGAIN && errno != EACCES && errno != EINTR) {
			rc = swim_error_set_errno(SWIM_EIO, errno, "locking %s/var/lib/swim/"
			                          LOCK_NAME, h->shown_root);
			goto out;
		}
		if ((rc = read_holder(&holder, fd)) < 0)
			goto out;
		if (flags & SWIM_HOST_NOWAIT) {
			rc = swim_error_set(SWIM_EBUSY,
			                    "%s is locked by %s", h->root,
			                    holder_or_unknown(&holder));
			goto out;
		}
		if (!told && (holder.len || polls >= LOCK_NAME_GRACE_POLLS)) {
			told = true;
			if (opt->on_wait) {
				swim_buf_clear(&msg);
				if ((rc = swim_buf_printf(&msg,
				                          "Waiting for the lock held by %s",
				                          holder_or_unknown(&holder))) < 0)
					goto out;
				opt->on_wait(opt->wait_ctx, msg.ptr);
			}
		}
		if (now_ms() >= deadline) {
			rc = swim_error_set(SWIM_EBUSY,
			                    "%s is locked by %s; gave up after %llu "
			                    "seconds (lock_timeout_seconds)", h->root,
			                    holder_or_unknown(&holder),
			                    (unsigned long long)h->limits.lock_timeout_seconds);
			goto out;
		}
		sleep_ms(LOCK_POLL_MS);
		polls++;
	}
	h->lock_fd = fd;
	fd = -1;
	rc = write_holder(h);
out:
	if (fd >= 0)
		(void)close(fd);
	swim_buf_dispose(&holder);
	swim_buf_dispose(&msg);
	return rc;
}

void swim_host__unlock(swim_host *h)
{
	if (h->lock_fd < 0)
		return;
	/* Empty first, so that nobody reads a stale name once it is free. */
	(void)ftruncate(h->lock_fd, 0);
	(void)close(h->lock_fd);
	h->lock_fd = -1;
}

int swim_host_lock_holder(char **out, swim_host *h)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	swim_buf holder = SWIM_BUF_INIT(0);
	int fd, rc = 0;

	*out = NULL;
	if (h->lock_fd >= 0 || h->state_fd < 0)
		return 0;
	fd = openat(h->state_fd, LOCK_NAME, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 :
		       swim_error_set_errno(errno == EACCES ? SWIM_EACCESS
		                            : SWIM_EIO, errno,
		                            "%s/var/lib/swim/" LOCK_NAME,
		                            h->shown_root);
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0) {
		rc = swim_error_set_errno(SWIM_EIO, errno, "%s/var/lib/swim/"
		                          LOCK_NAME, h->shown_root);
		goto out;
	}
	if (fl.l_type == F_UNLCK)
		goto out;
	if ((rc = read_holder(&holder, fd)) < 0)
		goto out;
	if (!(*out = swim_strdup(holder_or_unknown(&holder))))
		rc = SWIM_ENOMEM;
out:
	(void)close(fd);
	swim_buf_dispose(&holder);
	return rc;
}
