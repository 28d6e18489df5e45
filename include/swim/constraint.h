/* swim — relations between packages: constraints and provides.
 *
 * A constraint is `name [rel version]` with rel one of << <= = >= >>; a
 * provide is `name [version]`. Matching follows Image Builder's
 * SoftwareConstraint.MatchesProvide with rpm's rules, as libsolv applies
 * them (see docs/versions.md for the exact rules and the two places where
 * libsolv 0.7.23 differs).
 */
#ifndef SWIM_CONSTRAINT_H
#define SWIM_CONSTRAINT_H

#include <stdbool.h>

#include "swim/buf.h"
#include "swim/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_relation {
	SWIM_REL_ANY = 0,  /* no relation: any version */
	SWIM_REL_LT,       /* << */
	SWIM_REL_LE,       /* <= */
	SWIM_REL_EQ,       /* =  */
	SWIM_REL_GE,       /* >= */
	SWIM_REL_GT        /* >> */
} swim_relation;

typedef struct swim_constraint {
	char *name;
	swim_relation rel;
	char *version;     /* NULL exactly when rel is SWIM_REL_ANY */
} swim_constraint;

typedef struct swim_provide {
	char *name;
	char *version;     /* NULL for an unversioned provide */
} swim_provide;

/* "<<" etc. for a relation; "" for SWIM_REL_ANY. */
const char *swim_relation_str(swim_relation rel);

/* Parses a relation as written in descriptors ("<<", "<=", "=", ">=",
 * ">>"). SWIM_EINVAL naming the text otherwise. */
int swim_relation_parse(swim_relation *out, const char *s);

/* Parses `name`, `name REL version` (blanks around REL optional). Fills
 * *out (free its members with swim_constraint_dispose()). lim NULL means
 * the defaults. */
int swim_constraint_parse(swim_constraint *out, const char *text,
                          const swim_limits *lim);

/* Builds a constraint from the descriptor's attributes (name, relation,
 * version; relation and version both present or both absent). */
int swim_constraint_from_attrs(swim_constraint *out, const char *name,
                               const char *relation, const char *version,
                               const swim_limits *lim);

/* Appends "name", or "name REL version" to buf. */
int swim_constraint_format(swim_buf *buf, const swim_constraint *c);

/* Parses `name` or `name version` (one blank between). */
int swim_provide_parse(swim_provide *out, const char *text,
                       const swim_limits *lim);

/* Appends "name" or "name = version" (vibauthor's spelling). */
int swim_provide_format(swim_buf *buf, const swim_provide *p);

/* SoftwareConstraint.MatchesProvide: names equal (case-sensitive); no
 * relation matches any version; a versioned constraint never matches an
 * unversioned provide; when either side has no release, releases are not
 * compared (`foo = 1.0` matches `foo 1.0-3`, `foo >> 1.0` does not). */
bool swim_constraint_matches(const swim_constraint *c,
                             const swim_provide *p);

/* Deep copies; *out must be unused (its old members are not freed). */
int swim_constraint_copy(swim_constraint *out, const swim_constraint *c);
int swim_provide_copy(swim_provide *out, const swim_provide *p);

/* Free the members; the struct itself is the caller's. NULL-safe. */
void swim_constraint_dispose(swim_constraint *c);
void swim_provide_dispose(swim_provide *p);

#ifdef __cplusplus
}
#endif
#endif
