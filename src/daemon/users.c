#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "daemon/users.h"
#include "swim/buf.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

/* An operator's file, not a client's input; this bounds a mistake such as
 * pointing --users at a log file. */
#define USERS_FILE_MAX ((size_t)1 << 20)

struct user_entry {
	swimd_user pub;   /* name and hash point into the two strings below */
	char *name;
	char *hash;
	unsigned line;    /* 0 for users added in memory */
};

struct swimd_users {
	struct user_entry *v;
	size_t n;
};

int swimd_role_parse(swimd_role *out, const char *name)
{
	if (name && strcmp(name, "admin") == 0) {
		*out = SWIMD_ROLE_ADMIN;
		return 0;
	}
	if (name && strcmp(name, "readonly") == 0) {
		*out = SWIMD_ROLE_READONLY;
		return 0;
	}
	return swim_error_set(SWIM_EINVAL,
	                      "unknown role '%s' (expected admin or readonly)",
	                      name ? name : "");
}

const char *swimd_role_name(swimd_role role)
{
	return role == SWIMD_ROLE_ADMIN ? "admin" : "readonly";
}

int swimd_user_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > SWIMD_USER_NAME_MAX)
		return 0;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                    "0123456789._-@") == len;
}

/* A complete crypt(3) hash of a method libcrypt supports and does not
 * call legacy. */
static int check_hash(const char *hash)
{
	size_t len = strlen(hash);

	if (len < 4 || hash[0] != '$' ||
	    strspn(hash, "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "abcdefghijklmnopqrstuvwxyz$=,") != len)
		return swim_error_set(SWIM_EINVAL,
		                      "the password hash is not a crypt(3) hash");
	switch (crypt_checksalt(hash)) {
	case CRYPT_SALT_OK:
		return 0;
	case CRYPT_SALT_METHOD_LEGACY:
		return swim_error_set(SWIM_EINVAL,
		                      "the password hash uses a legacy method; "
		                      "set the password again with swimd --add-user");
	default:
		return swim_error_set(SWIM_EINVAL,
		                      "the password hash uses a method libcrypt does not support");
	}
}

void swimd_users_free(swimd_users *users)
{
	if (!users)
		return;
	for (size_t i = 0; i < users->n; i++) {
		free(users->v[i].name);
		free(users->v[i].hash);
	}
	free(users->v);
	free(users);
}

int swimd_users_new(swimd_users **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return swim_error_oom();
	return 0;
}

size_t swimd_users_count(const swimd_users *users)
{
	return users ? users->n : 0;
}

static struct user_entry *find_entry(const swimd_users *users,
                                     const char *name)
{
	for (size_t i = 0; i < users->n; i++)
		if (strcmp(users->v[i].name, name) == 0)
			return &users->v[i];
	return NULL;
}

const swimd_user *swimd_users_find(const swimd_users *users,
                                   const char *name)
{
	struct user_entry *e = users && name ? find_entry(users, name) : NULL;

	return e ? &e->pub : NULL;
}

const swimd_user *swimd_users_at(const swimd_users *users, size_t i)
{
	return i < users->n ? &users->v[i].pub : NULL;
}

static int add_entry(swimd_users *users, const char *name, swimd_role role,
                     const char *hash, unsigned line)
{
	struct user_entry *v, *e;

	v = realloc(users->v, (users->n + 1) * sizeof(*v));
	if (!v)
		return swim_error_oom();
	users->v = v;
	e = &v[users->n];
	e->name = swim_strdup(name);
	e->hash = swim_strdup(hash);
	if (!e->name || !e->hash) {
		free(e->name);
		free(e->hash);
		return SWIM_ENOMEM;
	}
	e->line = line;
	users->n++;
	/* Pointers are refreshed for every entry: realloc may have moved
	 * the array, not the strings. */
	for (size_t i = 0; i < users->n; i++) {
		users->v[i].pub.name = users->v[i].name;
		users->v[i].pub.hash = users->v[i].hash;
	}
	e->pub.role = role;
	return 0;
}

static int parse_line(swimd_users *users, char *p, const char *origin,
                      unsigned line)
{
	char *role_s, *hash;
	const struct user_entry *dup;
	swimd_role role;

	if (!(role_s = strchr(p, ':')) || !(hash = strchr(role_s + 1, ':')))
		return swim_error_set(SWIM_EINVAL,
		                      "%s:%u: expected NAME:ROLE:HASH", origin,
		                      line);
	*role_s++ = '\0';
	*hash++ = '\0';
	if (!swimd_user_name_valid(p))
		return swim_error_set(SWIM_EINVAL,
		                      "%s:%u: invalid user name '%s' (1 to %d of "
		                      "A-Z a-z 0-9 . _ - @)",
		                      origin, line, p, SWIMD_USER_NAME_MAX);
	if ((dup = find_entry(users, p)))
		return swim_error_set(SWIM_EINVAL,
		                      "%s:%u: user '%s' is already defined on line %u",
		                      origin, line, p, dup->line);
	if (swimd_role_parse(&role, role_s) < 0)
		return swim_error_prefix("%s:%u: ", origin, line);
	if (check_hash(hash) < 0)
		return swim_error_prefix("%s:%u: user '%s': ", origin, line, p);
	return add_entry(users, p, role, hash, line);
}

int swimd_users_parse(swimd_users **out, const char *text, size_t len,
                      const char *origin)
{
	swimd_users *users = NULL;
	char *copy = NULL, *cursor, *p;
	unsigned line = 0;
	int rc;

	*out = NULL;
	if ((rc = swimd_users_new(&users)) < 0 ||
	    (rc = swim_str_text_copy(&copy, text, len, origin)) < 0)
		goto out;
	for (cursor = copy; (p = swim_str_next_line(&cursor));) {
		char *stop = p + strlen(p);

		while (stop > p && (stop[-1] == '\r' || stop[-1] == ' ' ||
		                    stop[-1] == '\t'))
			stop--;
		*stop = '\0';
		line++;
		if (*p == '\0' || *p == '#')
			continue;
		if ((rc = parse_line(users, p, origin, line)) < 0)
			goto out;
	}
	*out = users;
	users = NULL;
	rc = 0;
out:
	free(copy);
	swimd_users_free(users);
	return rc;
}

int swimd_users_load(swimd_users **out, const char *path)
{
	swim_buf text = SWIM_BUF_INIT(USERS_FILE_MAX);
	int rc;

	*out = NULL;
	if ((rc = swim_fs_read_guarded(&text, path, "users file", S_IWOTH)) == 0)
		rc = swimd_users_parse(out, text.ptr, text.len, path);
	swim_buf_dispose(&text);
	return rc;
}

static struct crypt_data *crypt_data_new(void)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));

	if (!cd)
		(void)swim_error_oom();
	return cd;
}

/* crypt_data keeps a copy of the passphrase: wipe it before freeing. */
static void crypt_data_free(struct crypt_data *cd)
{
	if (!cd)
		return;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
}

int swimd_password_hash(char **out, const char *password)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd = NULL;
	const char *h;
	int rc;

	*out = NULL;
	if (strlen(password) > SWIMD_PASSWORD_MAX)
		return swim_error_set(SWIM_EINVAL,
		                      "password longer than %d bytes",
		                      SWIMD_PASSWORD_MAX);
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof(setting)))
		return swim_error_set_errno(SWIM_ERROR, errno,
		                            "making a yescrypt salt");
	if (!(cd = crypt_data_new()))
		return SWIM_ENOMEM;
	h = crypt_rn(password, setting, cd, sizeof(*cd));
	if (!h || h[0] == '*') {
		rc = swim_error_set_errno(SWIM_ERROR, errno,
		                          "hashing the password");
		goto out;
	}
	rc = (*out = swim_strdup(h)) ? 0 : SWIM_ENOMEM;
out:
	crypt_data_free(cd);
	return rc;
}

int swimd_password_verify(const char *hash, const char *password)
{
	struct crypt_data *cd;
	const char *h;
	int rc = SWIM_EACCESS;

	if (!(cd = crypt_data_new()))
		return SWIM_ENOMEM;
	h = crypt_rn(password, hash, cd, sizeof(*cd));
	/* The hash's length is no secret; its bytes are compared in
	 * constant time. A failure token starts with '*', never '$'. */
	if (h && h[0] == '$' && strlen(h) == strlen(hash) &&
	    CRYPTO_memcmp(h, hash, strlen(hash)) == 0)
		rc = 0;
	crypt_data_free(cd);
	if (rc < 0)
		return swim_error_set(SWIM_EACCESS, "wrong password");
	return 0;
}

int swimd_users_set(swimd_users *users, const char *name, swimd_role role,
                    const char *password)
{
	struct user_entry *e;
	char *hash = NULL;
	int rc;

	if (!swimd_user_name_valid(name))
		return swim_error_set(SWIM_EINVAL,
		                      "invalid user name '%s' (1 to %d of "
		                      "A-Z a-z 0-9 . _ - @)", name,
		                      SWIMD_USER_NAME_MAX);
	if (!*password)
		return swim_error_set(SWIM_EINVAL, "empty password");
	if ((rc = swimd_password_hash(&hash, password)) < 0)
		return rc;
	if ((e = find_entry(users, name))) {
		free(e->hash);
		e->hash = hash;
		e->pub.hash = hash;
		e->pub.role = role;
		return 0;
	}
	rc = add_entry(users, name, role, hash, 0);
	free(hash);
	return rc;
}

int swimd_users_format(const swimd_users *users, char **out, size_t *len)
{
	swim_buf b = SWIM_BUF_INIT(USERS_FILE_MAX);
	int rc;

	*out = NULL;
	rc = swim_buf_puts(&b, "# swimd users, one per line: NAME:ROLE:HASH "
	                       "(ROLE admin or readonly; see docs/swimd.md)\n");
	for (size_t i = 0; rc == 0 && i < users->n; i++)
		rc = swim_buf_printf(&b, "%s:%s:%s\n", users->v[i].name,
		                     swimd_role_name(users->v[i].pub.role),
		                     users->v[i].hash);
	if (rc == 0 && !(*out = swim_buf_detach(&b)))
		rc = SWIM_ENOMEM;
	if (rc == 0)
		*len = strlen(*out);
	swim_buf_dispose(&b);
	return rc;
}

int swimd_users_save(const swimd_users *users, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = swimd_users_format(users, &text, &len)) == 0)
		rc = swim_fs_write_atomic(path, text, len, 0600);
	free(text);
	return rc;
}

void swimd_password_free(char *password)
{
	if (!password)
		return;
	explicit_bzero(password, strlen(password));
	free(password);
}

/* Reads up to a newline or end of input into buf (at most max bytes);
 * SWIM_ELIMIT when the line is longer. */
static int read_line(int fd, char *buf, size_t max, size_t *len)
{
	size_t n = 0;

	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return swim_error_set_errno(SWIM_EIO, errno,
			                            "reading the password");
		if (r == 0 || c == '\n')
			break;
		if (n == max)
			return swim_error_set(SWIM_EINVAL,
			                      "password longer than %zu bytes",
			                      max);
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	*len = n;
	return 0;
}

int swimd_password_read(char **out, int fd)
{
	char buf[SWIMD_PASSWORD_MAX + 1];
	struct termios saved, quiet;
	bool tty = false;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (isatty(fd) && tcgetattr(fd, &saved) == 0) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tty = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	rc = read_line(fd, buf, SWIMD_PASSWORD_MAX, &len);
	if (tty)
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
	if (rc < 0)
		goto out;
	if (len == 0 || memchr(buf, '\0', len)) {
		rc = swim_error_set(SWIM_EINVAL, len ? "the password contains a NUL byte"
		                                     : "empty password");
		goto out;
	}
	rc = (*out = swim_strndup(buf, len)) ? 0 : SWIM_ENOMEM;
out:
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

int swimd_users_add_from_fd(const char *path, const char *name,
                            const char *role_name, int fd)
{
	swimd_users *users = NULL;
	char *password = NULL;
	swimd_role role;
	int rc;

	if (!swimd_user_name_valid(name)) {
		rc = swim_error_set(SWIM_EINVAL,
		                    "invalid user name '%s' (1 to %d of "
		                    "A-Z a-z 0-9 . _ - @)", name,
		                    SWIMD_USER_NAME_MAX);
		goto out;
	}
	if ((rc = swimd_role_parse(&role, role_name)) < 0)
		goto out;
	rc = swimd_users_load(&users, path);
	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		rc = swimd_users_new(&users);
	}
	if (rc < 0)
		goto out;
	if ((rc = swimd_password_read(&password, fd)) == 0 &&
	    (rc = swimd_users_set(users, name, role, password)) == 0)
		rc = swimd_users_save(users, path);
out:
	swimd_password_free(password);
	swimd_users_free(users);
	return rc;
}
