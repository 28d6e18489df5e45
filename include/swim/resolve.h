/* swim — dependency resolution: what a request does to a host.
 *
 * A pure function over package structs: given the installed packages, the
 * available ones, the host's acceptance level and a job (esxcli's `vib
 * install|update|remove`, `profile install|update|validate`), it returns
 * the plan (packages to install, to remove, skipped) or the problems that
 * stop it, in plain words. libsolv does the solving (one Pool per call, so
 * calls in different threads are independent); relations match exactly as
 * swim_constraint_matches() says. docs/resolve.md has the mapping and the
 * rules.
 */
#ifndef SWIM_RESOLVE_H
#define SWIM_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "swim/acceptance.h"
#include "swim/limits.h"
#include "swim/package.h"
#include "swim/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum swim_resolve_job {
	/* vib install: install, upgrade or downgrade to the named version, or
	 * to the newest one */
	SWIM_RESOLVE_INSTALL = 0,
	/* vib update: upgrades only; the rest is skipped with a reason. No
	 * names: every installed package the depots have a newer version of */
	SWIM_RESOLVE_UPDATE,
	/* vib remove: refused when what stays needs it */
	SWIM_RESOLVE_REMOVE,
	/* profile install: the host becomes exactly the profile; removing
	 * installed packages the profile lacks needs ok_to_remove */
	SWIM_RESOLVE_PROFILE_INSTALL,
	/* profile update: toward the profile without removing anything;
	 * downgrades need allow_downgrades */
	SWIM_RESOLVE_PROFILE_UPDATE,
	/* profile validate: what profile install would change, and what is
	 * wrong with the profile on this host; never fails on problems */
	SWIM_RESOLVE_PROFILE_VALIDATE
} swim_resolve_job;

/* A package as the resolver sees it. Everything is borrowed and must stay
 * valid as long as the plan made from it. */
typedef struct swim_resolve_pkg {
	const swim_package *pkg;
	/* The level its signature proved (SWIM_ACCEPTANCE_UNKNOWN: none);
	 * may be below pkg->acceptance, the level it claims. */
	swim_acceptance proven;
	/* Where it comes from (a depot's name or URL, a .vib path); NULL for
	 * installed packages. Available packages with equal origins form one
	 * repository in the solver's testcase. */
	const char *origin;
	/* Available packages only: a target in itself (`-v FILE.vib`). */
	bool requested;
} swim_resolve_pkg;

typedef struct swim_resolve_request {
	swim_resolve_job job;
	swim_acceptance host_level;        /* the host's acceptance level */
	const swim_resolve_pkg *installed;
	size_t n_installed;
	/* What the depots (and -v files) offer. A package whose id is
	 * installed, or offered earlier in this array, is the same package
	 * (the first copy counts). */
	const swim_resolve_pkg *available;
	size_t n_available;
	/* esxcli -n: "name", "name:version", "vendor:name" or
	 * "vendor:name:version" (see swim_resolve_spec_matches()). */
	const char *const *names;
	size_t n_names;
	/* Profile jobs: the profile, whose ids must each be available or
	 * installed. */
	const swim_profile *profile;
	bool force;            /* --force: no acceptance, dependency, conflict
	                        * or replaces checks; targets applied as given
	                        * (each replacing the installed package of its
	                        * name) */
	bool no_sig_check;     /* --no-sig-check: claimed levels count */
	bool allow_downgrades; /* profile update */
	bool ok_to_remove;     /* profile install */
	/* --debug-solver: libsolv's testcase of the job (with its result or
	 * problems) is written into this directory, created if needed. */
	const char *debug_dir;
	const swim_limits *lim;            /* NULL: the defaults */
} swim_resolve_request;

typedef enum swim_plan_change {
	SWIM_PLAN_NEW = 0,     /* install: no version of the name is installed */
	SWIM_PLAN_UPGRADE,     /* install: replaces an older version */
	SWIM_PLAN_DOWNGRADE,   /* install: replaces a newer version */
	SWIM_PLAN_REMOVE,      /* remove: goes away */
	SWIM_PLAN_REPLACED,    /* remove: a newer version or a package that
	                        * replaces it takes its place */
	SWIM_PLAN_SKIP         /* skipped: see reason */
} swim_plan_change;

typedef struct swim_plan_item {
	const swim_package *pkg;       /* borrowed from the request */
	const char *origin;            /* its origin; NULL when installed */
	swim_plan_change change;
	/* install: the installed package it takes the place of; remove: the
	 * package that replaces it; NULL otherwise. */
	const swim_package *other;
	bool requested;                /* named by the request, not pulled in */
	char *reason;                  /* skipped items: why, in words */
} swim_plan_item;

typedef enum swim_problem_kind {
	SWIM_PROBLEM_NOT_FOUND = 0,    /* a name or id matches nothing */
	SWIM_PROBLEM_ACCEPTANCE,       /* a target is below the host level */
	SWIM_PROBLEM_DEPENDENCY,       /* depends, conflicts, replaces */
	SWIM_PROBLEM_FILE_CONFLICT,    /* two packages ship one path */
	SWIM_PROBLEM_REMOVAL           /* profile install without ok_to_remove */
} swim_problem_kind;

typedef struct swim_plan_problem {
	swim_problem_kind kind;
	char *message;         /* one sentence or two, no trailing newline */
	char **solutions;      /* libsolv's suggestions, in words */
	size_t n_solutions;
} swim_plan_problem;

typedef struct swim_plan {
	swim_resolve_job job;
	/* Sorted by package id. */
	swim_plan_item *install;
	size_t n_install;
	swim_plan_item *remove;
	size_t n_remove;
	swim_plan_item *skip;
	size_t n_skip;
	swim_plan_problem *problems;
	size_t n_problems;
	/* --force was given: no acceptance, dependency, conflict or
	 * replaces check was made (file conflicts were); after applying,
	 * the host is no longer consistent. */
	bool forced;
	/* --no-sig-check was given: claimed levels counted, so the host is
	 * no longer consistent either. */
	bool sig_unchecked;
	/* profile validate: the host already is the profile and nothing is
	 * wrong with it. */
	bool compliant;
} swim_plan;

/* Resolves the request. On success (0) *out is the plan. When the request
 * cannot be done, returns SWIM_ENOTFOUND, SWIM_EACCEPTANCE,
 * SWIM_EDEPENDENCY or SWIM_ECONFLICT (the kind of the first problem) with
 * every problem's message in the error slot, one per line, and *out still
 * set to a plan holding the problems (its install, remove and skip lists
 * say what would have happened where they are known). Profile validate
 * returns 0 with the problems in the plan (and ignores force). A
 * malformed request (no profile for a profile job, no names for remove,
 * a package without a name, version or id, no host level) is
 * SWIM_EINVAL with *out NULL; other failures (SWIM_ENOMEM, SWIM_EIO
 * writing the debug testcase) leave *out NULL too.
 * @param[out] out freed with swim_plan_free(). */
int swim_resolve_plan(swim_plan **out, const swim_resolve_request *req);

void swim_plan_free(swim_plan *plan);

/* esxcli's -n forms: "name", "name:version", "vendor:name",
 * "vendor:name:version". A spec matches a package when any reading of it
 * does (versions compare with swim_version_compare(), so "foo:1.0-1"
 * matches foo 1.0-01; an epoch's ':' is part of the version). */
bool swim_resolve_spec_matches(const char *spec, const swim_package *pkg);

/* "install", "update", "remove", "profile install", ... */
const char *swim_resolve_job_name(swim_resolve_job job);

#ifdef __cplusplus
}
#endif
#endif
