/* swimd — the users file: who may log in, with which role.
 *
 * One user per line, `NAME:ROLE:HASH`:
 *   NAME  1 to 64 of A-Z a-z 0-9 . _ - @ (case-sensitive)
 *   ROLE  admin or readonly
 *   HASH  a crypt(3) hash from libcrypt; new ones are yescrypt ($y$)
 * Blank lines and lines starting with '#' are ignored. The file must be a
 * regular file that is not world-writable; every malformed line is an
 * error naming the file and line. Plaintext passwords are never stored:
 * swimd_users_set() hashes and forgets them.
 */
#ifndef SWIMD_USERS_H
#define SWIMD_USERS_H

#include <stddef.h>

typedef enum swimd_role {
	SWIMD_ROLE_READONLY = 0,   /* may read; no methods, no modifications */
	SWIMD_ROLE_ADMIN = 1
} swimd_role;

#define SWIMD_USER_NAME_MAX 64
/* Longer passwords are refused rather than cut (libcrypt's own bound). */
#define SWIMD_PASSWORD_MAX 512

typedef struct swimd_users swimd_users;

typedef struct swimd_user {
	const char *name;
	swimd_role role;
	const char *hash;
} swimd_user;

/* "admin" / "readonly"; SWIM_EINVAL names the bad word. */
int swimd_role_parse(swimd_role *out, const char *name);
const char *swimd_role_name(swimd_role role);

/* True when `name` is a valid user name (see above). */
int swimd_user_name_valid(const char *name);

/* An empty set. @param[out] out freed with swimd_users_free(). */
int swimd_users_new(swimd_users **out);

/* Parses users-file text; `origin` names it in errors ("FILE:LINE: ..."). */
int swimd_users_parse(swimd_users **out, const char *text, size_t len,
                      const char *origin);

/* Reads and parses the file at `path`, refusing a file that is not a
 * regular file or is world-writable. SWIM_ENOTFOUND when it is missing. */
int swimd_users_load(swimd_users **out, const char *path);

size_t swimd_users_count(const swimd_users *users);

/* The user called `name`, or NULL. Borrowed from users. */
const swimd_user *swimd_users_find(const swimd_users *users,
                                   const char *name);

/* The i-th user in file order (i < count). Borrowed. */
const swimd_user *swimd_users_at(const swimd_users *users, size_t i);

/* Adds `name`, or replaces its role and password, hashing `password` with
 * yescrypt and a fresh salt. */
int swimd_users_set(swimd_users *users, const char *name, swimd_role role,
                    const char *password);

/* The file text: a header comment and one line per user. */
int swimd_users_format(const swimd_users *users, char **out, size_t *len);

/* Writes the set to `path` atomically with mode 0600. */
int swimd_users_save(const swimd_users *users, const char *path);

/* Checks `password` against the stored crypt(3) `hash` in constant time
 * over the hash output: 0 when it matches, SWIM_EACCESS when not. */
int swimd_password_verify(const char *hash, const char *password);

/* A new yescrypt hash of `password`. @param[out] out freed with free(). */
int swimd_password_hash(char **out, const char *password);

/* Reads one password line (at most SWIMD_PASSWORD_MAX bytes, the newline
 * dropped, not empty) from `fd`, with echo off when fd is a terminal.
 * @param[out] out wiped and freed by the caller with swimd_password_free(). */
int swimd_password_read(char **out, int fd);
void swimd_password_free(char *password);

/* `swimd --users FILE --add-user NAME --role ROLE`: reads the password
 * from `fd` and adds or replaces NAME in FILE (created when missing),
 * keeping every other line's user. */
int swimd_users_add_from_fd(const char *path, const char *name,
                            const char *role, int fd);

void swimd_users_free(swimd_users *users);

#endif
