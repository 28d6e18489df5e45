#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/tree.h"
#include "swim/error.h"
#include "util/str.h"

/* How many symlinks one target may pass through, as the kernel's
 * MAXSYMLINKS. */
#define TREE_MAX_HOPS 40

enum node_type { NODE_DIR, NODE_FILE, NODE_SYMLINK };

struct node {
	uint64_t hash;
	unsigned payload;
	unsigned char type;
	bool explicit;         /* an entry of its own, not only a parent */
	char *target;          /* symlink target */
	size_t len;
	char path[];
};

/* Open addressing, linear probing, at most half full. */
struct swim_tree {
	swim_limits lim;
	struct node **slots;
	size_t cap;
	size_t used;
	size_t entries;
	char **setid;          /* sorted */
	size_t n_setid;
};

static uint64_t hash_path(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct node *lookup(const swim_tree *t, const char *path, size_t len)
{
	uint64_t h = hash_path(path, len);

	if (!t->cap)
		return NULL;
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct node *n = t->slots[i];

		if (!n)
			return NULL;
		if (n->hash == h && n->len == len && memcmp(n->path, path, len) == 0)
			return n;
	}
}

static void place(struct node **slots, size_t cap, struct node *n)
{
	size_t i = n->hash & (cap - 1);

	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = n;
}

static int insert(swim_tree *t, struct node **out, const char *path,
                  size_t len, unsigned char type, unsigned payload,
                  bool explicit)
{
	struct node *n;

	if ((t->used + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct node **slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return swim_error_oom();
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i])
				place(slots, cap, t->slots[i]);
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	if (!(n = calloc(1, sizeof(*n) + len + 1)))
		return swim_error_oom();
	n->hash = hash_path(path, len);
	n->payload = payload;
	n->type = type;
	n->explicit = explicit;
	n->len = len;
	memcpy(n->path, path, len);
	place(t->slots, t->cap, n);
	t->used++;
	*out = n;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int swim_tree_new(swim_tree **out, const swim_limits *lim,
                  char *const *setid_allowed, size_t n_setid_allowed)
{
	swim_tree *t = calloc(1, sizeof(*t));
	int rc = 0;

	*out = NULL;
	if (!t)
		return swim_error_oom();
	t->lim = *(lim ? lim : swim_limits_default());
	if (n_setid_allowed &&
	    !(t->setid = calloc(n_setid_allowed, sizeof(*t->setid)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n_setid_allowed; i++, t->n_setid++)
		if (!(t->setid[i] = swim_strdup(setid_allowed[i]))) {
			rc = SWIM_ENOMEM;
			goto out;
		}
	if (t->n_setid)
		qsort(t->setid, t->n_setid, sizeof(*t->setid), cmp_str);
	*out = t;
	t = NULL;
out:
	swim_tree_free(t);
	return rc;
}

void swim_tree_free(swim_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i])
			free(t->slots[i]->target);
		free(t->slots[i]);
	}
	free(t->slots);
	for (size_t i = 0; i < t->n_setid; i++)
		free(t->setid[i]);
	free(t->setid);
	free(t);
}

size_t swim_tree_count(const swim_tree *t)
{
	return t->entries;
}

/* "entry 'PATH': " + fmt, with the path escaped. */
static int SWIM_PRINTF(3, 4) entry_error(int code, const char *path,
                                         const char *fmt, ...)
{
	swim_buf msg = SWIM_BUF_INIT(0);
	va_list ap;
	int rc;

	size_t len = strlen(path);

	/* A path of PATH_MAX bytes is named by its start. */
	rc = swim_buf_puts(&msg, "entry '");
	if (rc == 0)
		rc = swim_str_escape(&msg, path, len > 120 ? 120 : len);
	if (rc == 0)
		rc = swim_buf_puts(&msg, len > 120 ? "...': " : "': ");
	va_start(ap, fmt);
	if (rc == 0)
		rc = swim_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc == 0)
		rc = swim_error_set(code, "%s", msg.ptr);
	swim_buf_dispose(&msg);
	return rc;
}

/* Checks bytes that name something (a path, a link target). */
static int check_name(const char *path, const char *s, const char *what,
                      const swim_limits *lim)
{
	size_t len = strlen(s);

	if (len > lim->archive_path_max_bytes)
		return entry_error(SWIM_ELIMIT, path,
		                   "%s longer than archive_path_max_bytes (%llu)",
		                   what, (unsigned long long)lim->archive_path_max_bytes);
	if (swim_str_has_ctrl(s, len, false))
		return entry_error(SWIM_EINVAL, path,
		                   "control character in the %s", what);
	if (!swim_str_is_utf8(s, len))
		return entry_error(SWIM_EINVAL, path, "invalid UTF-8 in the %s",
		                   what);
	return 0;
}

/* The rule `raw` breaks as an archive path, or NULL with the normalised
 * path in out (empty for the root itself); *code is the error code. */
static const char *path_rule(swim_buf *out, const char *raw,
                             const swim_limits *lim, int *code)
{
	const char *p = raw;
	size_t len;

	*code = SWIM_EINVAL;
	swim_buf_clear(out);
	if (!raw || !*raw)
		return "empty path";
	len = strlen(raw);
	if (len > lim->archive_path_max_bytes) {
		*code = SWIM_ELIMIT;
		return "path longer than archive_path_max_bytes (PATH_MAX)";
	}
	if (swim_str_has_ctrl(raw, len, false))
		return "control character in the path";
	if (!swim_str_is_utf8(raw, len))
		return "invalid UTF-8 in the path";
	if (raw[0] == '/')
		return "absolute path";
	if (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strcmp(p, ".") == 0 || *p == '\0')
		return NULL;
	len = strlen(p);
	if (p[len - 1] == '/')
		len--;
	for (size_t i = 0; i <= len;) {
		size_t n = strcspn(p + i, "/");

		if (i + n > len)
			n = len - i;
		if (n == 0)
			return "empty path component ('//')";
		if (n == 1 && p[i] == '.')
			return "'.' path component";
		if (n == 2 && p[i] == '.' && p[i + 1] == '.')
			return "path traversal ('..' component)";
		i += n + 1;
	}
	if (swim_buf_put(out, p, len) < 0) {
		*code = SWIM_ENOMEM;
		return "out of memory";
	}
	return NULL;
}

int swim_tree_path(swim_buf *out, const char *raw, const swim_limits *lim)
{
	const char *rule;
	int code;

	rule = path_rule(out, raw, lim ? lim : swim_limits_default(), &code);
	if (rule)
		return entry_error(code, raw ? raw : "", "%s", rule);
	return out->len == 0 ? 1 : 0;
}

/* Resolves the symlink at `path` with `target` as the kernel would, from
 * the directory holding it, following the symlinks of the tree it passes
 * through; fails when the walk leaves the tree's root. */
static int resolve_symlink(const swim_tree *t, const char *path,
                           const char *target)
{
	swim_buf cur = SWIM_BUF_INIT(0), rest = SWIM_BUF_INIT(0);
	swim_buf next = SWIM_BUF_INIT(0);
	const char *slash = strrchr(path, '/');
	unsigned hops = 0;
	size_t pos = 0;
	int rc;

	if (!*target) {
		rc = entry_error(SWIM_EINVAL, path, "empty symlink target");
		goto out;
	}
	if (target[0] == '/') {
		rc = entry_error(SWIM_EINVAL, path,
		                 "symlink points outside the payload tree "
		                 "(absolute target)");
		goto out;
	}
	if ((slash && (rc = swim_buf_put(&cur, path, (size_t)(slash - path))) < 0) ||
	    (rc = swim_buf_puts(&rest, target)) < 0)
		goto out;
	while (pos < rest.len) {
		const char *c = rest.ptr + pos;
		size_t n = strcspn(c, "/");
		bool last = pos + n >= rest.len;
		size_t keep = cur.len;
		struct node *nd;

		pos += n + 1;
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			char *up;

			if (cur.len == 0) {
				rc = entry_error(SWIM_EINVAL, path,
				                 "symlink points outside the payload "
				                 "tree");
				goto out;
			}
			up = memrchr(cur.ptr, '/', cur.len);
			swim_buf_truncate(&cur, up ? (size_t)(up - cur.ptr) : 0);
			continue;
		}
		if ((cur.len && (rc = swim_buf_putc(&cur, '/')) < 0) ||
		    (rc = swim_buf_put(&cur, c, n)) < 0)
			goto out;
		nd = last ? NULL : lookup(t, cur.ptr, cur.len);
		if (!nd || nd->type != NODE_SYMLINK)
			continue;
		if (++hops > TREE_MAX_HOPS || nd->target[0] == '/') {
			rc = entry_error(SWIM_EINVAL, path,
			                 "symlink points outside the payload tree "
			                 "(through '%s')", nd->path);
			goto out;
		}
		/* Continue with the link's target, then what was left. */
		swim_buf_truncate(&cur, keep);
		swim_buf_clear(&next);
		if ((rc = swim_buf_puts(&next, nd->target)) < 0 ||
		    (pos < rest.len &&
		     ((rc = swim_buf_putc(&next, '/')) < 0 ||
		      (rc = swim_buf_put(&next, rest.ptr + pos,
		                         rest.len - pos)) < 0)))
			goto out;
		swim_buf_clear(&rest);
		if ((rc = swim_buf_put(&rest, next.ptr, next.len)) < 0)
			goto out;
		pos = 0;
	}
	rc = 0;
out:
	swim_buf_dispose(&cur);
	swim_buf_dispose(&rest);
	swim_buf_dispose(&next);
	return rc;
}

static bool setid_allowed(const swim_tree *t, const char *path)
{
	return t->n_setid &&
	       bsearch(&path, t->setid, t->n_setid, sizeof(*t->setid),
	               cmp_str) != NULL;
}

static int entry_type(unsigned char *type, const swim_tree_entry *e)
{
	if (e->hardlink || S_ISREG(e->mode))
		*type = NODE_FILE;
	else if (S_ISDIR(e->mode))
		*type = NODE_DIR;
	else if (S_ISLNK(e->mode))
		*type = NODE_SYMLINK;
	else if (S_ISCHR(e->mode) || S_ISBLK(e->mode))
		return entry_error(SWIM_EINVAL, e->path,
		                   "device node not allowed");
	else if (S_ISFIFO(e->mode))
		return entry_error(SWIM_EINVAL, e->path, "FIFO not allowed");
	else if (S_ISSOCK(e->mode))
		return entry_error(SWIM_EINVAL, e->path, "socket not allowed");
	else
		return entry_error(SWIM_EINVAL, e->path, "unknown file type");
	return 0;
}

/* Every parent of `path` must be a directory (recorded as an implicit one
 * when no entry named it), so no entry is ever written through a
 * symlink or below a file. */
static int add_parents(swim_tree *t, const char *orig, const swim_buf *norm,
                       unsigned payload)
{
	for (size_t i = 0; i < norm->len; i++) {
		struct node *n;
		int rc;

		if (norm->ptr[i] != '/')
			continue;
		n = lookup(t, norm->ptr, i);
		if (!n) {
			if ((rc = insert(t, &n, norm->ptr, i, NODE_DIR, payload,
			                 false)) < 0)
				return rc;
			continue;
		}
		if (n->type != NODE_DIR)
			return entry_error(SWIM_EINVAL, orig,
			                   "path goes through the %s '%s'",
			                   n->type == NODE_SYMLINK ? "symlink"
			                                           : "file",
			                   n->path);
	}
	return 0;
}

static int check_hardlink(const swim_tree *t, const swim_tree_entry *e,
                          unsigned payload)
{
	swim_buf target = SWIM_BUF_INIT(0);
	const char *rule;
	struct node *n;
	int rc;

	if ((rule = path_rule(&target, e->hardlink, &t->lim, &rc))) {
		rc = entry_error(rc, e->path, "hard link points outside the "
		                 "payload tree (target: %s)", rule);
		goto out;
	}
	n = target.len ? lookup(t, target.ptr, target.len) : NULL;
	if (!n || n->type != NODE_FILE || n->payload != payload ||
	    !n->explicit) {
		rc = entry_error(SWIM_EINVAL, e->path,
		                 "hard link points outside the payload tree "
		                 "(target is not an earlier file of this "
		                 "payload)");
		goto out;
	}
	rc = 0;
out:
	swim_buf_dispose(&target);
	return rc;
}

int swim_tree_add(swim_tree *t, swim_buf *norm, const swim_tree_entry *e,
                  unsigned payload)
{
	swim_buf own = SWIM_BUF_INIT(0);
	swim_buf *p = norm ? norm : &own;
	unsigned char type = 0;
	struct node *n;
	int rc;

	if ((rc = entry_type(&type, e)) < 0)
		goto out;
	if ((rc = swim_tree_path(p, e->path, &t->lim)) != 0) {
		if (rc == 1 && type != NODE_DIR)
			rc = entry_error(SWIM_EINVAL, e->path,
			                 "the payload root must be a directory");
		goto out;
	}
	if ((e->mode & (S_ISUID | S_ISGID)) && !setid_allowed(t, p->ptr)) {
		rc = entry_error(SWIM_EACCESS, e->path,
		                 "setuid/setgid bit (mode %04o) not allowed: "
		                 "the descriptor's <setid-files> does not list it",
		                 (unsigned)(e->mode & 07777));
		goto out;
	}
	if (e->symlink && ((rc = check_name(e->path, e->symlink,
	                                    "symlink target", &t->lim)) < 0 ||
	                   (rc = resolve_symlink(t, p->ptr, e->symlink)) < 0))
		goto out;
	if (e->hardlink && (rc = check_hardlink(t, e, payload)) < 0)
		goto out;
	if ((rc = add_parents(t, e->path, p, payload)) < 0)
		goto out;
	n = lookup(t, p->ptr, p->len);
	if (n) {
		/* Directories may repeat across payloads (usr/ in each). */
		if (n->type != NODE_DIR || type != NODE_DIR ||
		    (n->explicit && n->payload == payload)) {
			rc = entry_error(SWIM_ECONFLICT, e->path,
			                 "duplicate path");
			goto out;
		}
	} else if ((rc = insert(t, &n, p->ptr, p->len, type, payload,
	                        true)) < 0) {
		goto out;
	}
	n->explicit = true;
	n->payload = payload;
	if (e->symlink && !(n->target = swim_strdup(e->symlink))) {
		rc = SWIM_ENOMEM;
		goto out;
	}
	t->entries++;
	rc = 0;
out:
	swim_buf_dispose(&own);
	return rc;
}

int swim_tree_finish(swim_tree *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		struct node *n = t->slots[i];
		int rc;

		if (n && n->type == NODE_SYMLINK &&
		    (rc = resolve_symlink(t, n->path, n->target)) < 0)
			return rc;
	}
	return 0;
}
