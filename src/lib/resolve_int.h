/* Private to the resolver (resolve*.c): the context one call works in.
 * libsolv types stay here and out of include/swim/. */
#ifndef SWIM_LIB_RESOLVE_INT_H
#define SWIM_LIB_RESOLVE_INT_H

#include <stdarg.h>
#include <stdbool.h>

#include <solv/bitmap.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "swim/buf.h"
#include "swim/resolve.h"
#include "util/strmap.h"

/* Why a solvable is kept out of the solver's sight. */
enum {
	HIDE_NONE = 0,
	HIDE_ACCEPTANCE,       /* below the host's acceptance level */
	HIDE_NOT_IN_PROFILE    /* profile jobs: not a member */
};

/* What swim knows of a solvable, indexed by solvable id. */
struct rsolv {
	const swim_resolve_pkg *rp;
	Id next_same_name;     /* next solvable of this name, 0 at the end */
	unsigned char hidden;  /* HIDE_* */
	bool installed;
};

typedef struct resolve_ctx {
	const swim_resolve_request *req;
	const swim_limits *lim;
	bool force;            /* --force, which profile validate ignores */
	swim_plan *plan;
	Pool *pool;
	Repo *installed;
	struct rsolv *sv;      /* [pool->nsolvables] */
	Id *by_name;           /* name string id -> first solvable */
	Id n_by_name;
	swim_strmap by_id;     /* package id -> solvable */
	Queue used_rels;       /* relational deps used as requires, conflicts
	                        * or replaces (their providers are swim's) */
	Map considered;        /* lent to pool->considered */
	Map files;             /* available packages that are targets in
	                        * themselves (-v FILE.vib) */
	Map requested;         /* solvables the request names */
	Queue job;             /* libsolv job pairs */
	Solver *solv;
	Transaction *trans;
	size_t problems_dropped;
	swim_problem_kind dropped_kind;
	/* Solvables of a profile job's profile; other available ones are
	 * hidden. */
	Map members;
} resolve_ctx;

/* resolve_pool.c */
int resolve_pool_build(resolve_ctx *c);
void resolve_pool_set_hidden(resolve_ctx *c);
void resolve_pool_override_matching(resolve_ctx *c);
const swim_package *resolve_pkg(const resolve_ctx *c, Id p);
bool resolve_is_installed(const resolve_ctx *c, Id p);
/* The installed solvable of the same name as p (not p), or 0. */
Id resolve_installed_same_name(const resolve_ctx *c, Id p);
/* The acceptance level that counts for p (proven, or claimed with
 * no_sig_check). */
swim_acceptance resolve_level(const resolve_ctx *c, Id p);
/* Solvables matching an esxcli -n spec, in solvable order. */
void resolve_pool_find_spec(resolve_ctx *c, const char *spec, Queue *out);
Id resolve_pool_find_id(const resolve_ctx *c, const char *id);
/* For explanations: 1 when solvable p (hidden or not) has a provide that
 * matches dep, -1 when it provides the name only in other versions (*evr
 * one of them, 0 for an unversioned provide), 0 when not at all. */
int resolve_pool_provider_match(resolve_ctx *c, Id p, Id dep, Id *evr);

/* resolve_explain.c */
/* Text built in pieces: the first failure sticks and later pieces are
 * dropped, so a message is checked once, when it is taken. */
struct rtext {
	swim_buf b;
	int rc;
};
void rtext_init(struct rtext *t);
void rtext_printf(struct rtext *t, const char *fmt, ...) SWIM_PRINTF(2, 3);
void rtext_vprintf(struct rtext *t, const char *fmt, va_list ap)
	SWIM_PRINTF(2, 0);
void rtext_pkg(struct rtext *t, const resolve_ctx *c, Id p);
void rtext_dep(struct rtext *t, Pool *pool, Id dep);
/* The text (caller frees), or NULL with the error set. */
char *rtext_take(struct rtext *t);
void rtext_dispose(struct rtext *t);

/* Adds a problem whose message is t's text; *out (may be NULL) is the
 * problem, or NULL when the resolve_max_problems cap dropped it. */
int resolve_problem_add(resolve_ctx *c, swim_problem_kind kind,
                        struct rtext *t, swim_plan_problem **out);
int resolve_problem_add_solution(swim_plan_problem *pb, struct rtext *t);
/* The ESXi sentence for a package below the host's acceptance level. */
void resolve_acceptance_text(struct rtext *t, const resolve_ctx *c, Id p);
int resolve_explain_acceptance(resolve_ctx *c, Id p);
int resolve_explain_solver(resolve_ctx *c);

/* resolve_files.c */
int resolve_check_files(resolve_ctx *c);

#endif
