/* The payload tree: every path of a package's payloads, and the rules
 * that keep each entry inside it (docs/vib.md, "Safety rules").
 *
 * The same rules apply when a payload is built from a directory and when
 * one is read from a .vib, so swim never builds a package it would refuse
 * to read. Messages name the entry and the rule; the caller adds the
 * payload ("payload 'p1': entry 'a/../b': path traversal ('..')").
 */
#ifndef SWIM_LIB_TREE_H
#define SWIM_LIB_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "swim/buf.h"
#include "swim/limits.h"

typedef struct swim_tree swim_tree;

/* One archive entry as read from a tar header or a directory. */
typedef struct swim_tree_entry {
	const char *path;      /* as stored in the archive */
	mode_t mode;           /* file type and permission bits */
	const char *symlink;   /* target of a symlink, else NULL */
	const char *hardlink;  /* target path of a hard link, else NULL */
	uint64_t size;
} swim_tree_entry;

/* An empty tree. `setid_allowed` are the paths the descriptor allows to
 * carry setuid/setgid bits (copied). lim NULL means the defaults.
 * @param[out] out freed with swim_tree_free(). */
int swim_tree_new(swim_tree **out, const swim_limits *lim,
                  char *const *setid_allowed, size_t n_setid_allowed);

void swim_tree_free(swim_tree *t);

/* Normalises an archive path into `out` (cleared first): one leading
 * "./" and a trailing "/" are dropped. SWIM_EINVAL for an empty, absolute
 * or overlong path, a ".." / "." / empty component, a control character
 * or invalid UTF-8; the message starts with the escaped path. Returns 1
 * (and leaves out empty) for the tree's root itself (".", "./"). */
int swim_tree_path(swim_buf *out, const char *raw, const swim_limits *lim);

/* Checks one entry of payload number `payload` and records it. On
 * success `norm` (when not NULL) holds the normalised path; returns 1
 * for the root entry, which carries nothing and is skipped. */
int swim_tree_add(swim_tree *t, swim_buf *norm, const swim_tree_entry *e,
                  unsigned payload);

/* Re-checks every symlink now that the whole tree is known: following
 * the symlinks it passes through, its target must stay inside the tree. */
int swim_tree_finish(swim_tree *t);

/* Number of entries recorded (implicit parent directories excluded). */
size_t swim_tree_count(const swim_tree *t);

#endif
