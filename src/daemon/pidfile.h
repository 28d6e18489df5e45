/* swimd — the pid file (`--pid-file`, swim.conf pid_file).
 *
 * The file holds the daemon's pid and a newline. It is written
 * atomically (a temporary file renamed over the path, so a reader never
 * sees it half-written) and stays locked (flock) while swimd runs: a
 * second swimd finds the lock and refuses to start, while a file left by
 * a swimd that died is simply replaced. swimd does not fork, so the pid
 * is the one systemd and `kill` see.
 */
#ifndef SWIMD_PIDFILE_H
#define SWIMD_PIDFILE_H

typedef struct swimd_pidfile swimd_pidfile;

/* Writes the calling process's pid to `path` and holds it. SWIM_EBUSY
 * when a running swimd holds it: "swimd is already running (pid N holds
 * PATH)". @param[out] out freed with swimd_pidfile_free(). */
int swimd_pidfile_create(swimd_pidfile **out, const char *path);

/* Removes the file (if it is still ours) and releases it. NULL is
 * allowed. */
void swimd_pidfile_free(swimd_pidfile *pf);

#endif
