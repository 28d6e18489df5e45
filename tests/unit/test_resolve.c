/* Resolution, libsolv-style: small package sets declared one line each,
 * a job, and the plan or the problem expected. Every solved case is also
 * written as libsolv's testcase and replayed with `testsolv`, which must
 * reach the same answer with libsolv's own reader and matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <solv/evr.h>
#include <solv/pool.h>

#include "support/testutil.h"
#include "swim/error.h"
#include "swim/resolve.h"
#include "swim/version.h"
#include "util/fs.h"

#define UNI_MAX 64

/* A universe of packages: installed and available. */
struct uni {
	swim_resolve_pkg inst[UNI_MAX], avail[UNI_MAX];
	size_t n_inst, n_avail;
	swim_profile *profile;
	/* libsolv's reader must agree (1), must disagree (-1: swim's
	 * matching differs on purpose), or is not asked (0). */
	int testsolv;
};

static char *dup_until(const char *s, char stop, const char **end)
{
	const char *e = strchr(s, stop);
	char *r;

	if (!e)
		e = s + strlen(s);
	r = strndup(s, (size_t)(e - s));
	assert_non_null(r);
	*end = *e ? e + 1 : e;
	return r;
}

static void add_constraint(swim_constraint **v, size_t *n, const char *text)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	swim_assert_ok(swim_constraint_parse(&(*v)[(*n)++], text, NULL));
}

static void add_string(char ***v, size_t *n, const char *text)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	(*v)[(*n)++] = strdup(text);
}

static swim_acceptance level(const char *s)
{
	swim_acceptance a;

	swim_assert_ok(swim_acceptance_parse(&a, s));
	return a;
}

/* "i NAME VERSION [opt ...]" installed, "a ..." available. Options:
 * dep=C conf=C rep=C (constraints, e.g. "bar>=1"), prov=NAME[/VERSION],
 * v=VENDOR, acc=LEVEL (claimed; proven too unless proven=LEVEL),
 * files=P,P..., overlay, from=ORIGIN, file (a -v target). Packages are
 * partner-level by default. */
static void uni_add(struct uni *u, const char *line)
{
	swim_package *pkg = NULL;
	swim_resolve_pkg *rp;
	const char *s = line + 2, *e;
	bool installed = line[0] == 'i';
	char *proven = NULL;

	swim_assert_ok(swim_package_new(&pkg));
	rp = installed ? &u->inst[u->n_inst++] : &u->avail[u->n_avail++];
	assert_true(u->n_inst <= UNI_MAX && u->n_avail <= UNI_MAX);
	memset(rp, 0, sizeof(*rp));
	pkg->type = strdup("bootbank");
	pkg->vendor = strdup("V");
	pkg->acceptance = SWIM_ACCEPTANCE_PARTNER;
	pkg->name = dup_until(s, ' ', &s);
	pkg->version = dup_until(s, ' ', &s);
	while (*s) {
		char *opt = dup_until(s, ' ', &s), *val = strchr(opt, '=');

		if (val)
			*val++ = '\0';
		if (strcmp(opt, "dep") == 0)
			add_constraint(&pkg->depends, &pkg->n_depends, val);
		else if (strcmp(opt, "conf") == 0)
			add_constraint(&pkg->conflicts, &pkg->n_conflicts, val);
		else if (strcmp(opt, "rep") == 0)
			add_constraint(&pkg->replaces, &pkg->n_replaces, val);
		else if (strcmp(opt, "prov") == 0) {
			swim_provide *pr;

			pkg->provides = realloc(pkg->provides,
			                        (pkg->n_provides + 1) * sizeof(*pr));
			pr = &pkg->provides[pkg->n_provides++];
			pr->name = dup_until(val, '/', &e);
			pr->version = *e ? strdup(e) : NULL;
		} else if (strcmp(opt, "v") == 0) {
			free(pkg->vendor);
			pkg->vendor = strdup(val);
		} else if (strcmp(opt, "acc") == 0) {
			pkg->acceptance = level(val);
		} else if (strcmp(opt, "proven") == 0) {
			proven = strdup(val);
		} else if (strcmp(opt, "files") == 0) {
			for (const char *f = val; *f;) {
				char *one = dup_until(f, ',', &f);

				add_string(&pkg->files, &pkg->n_files, one);
				free(one);
			}
		} else if (strcmp(opt, "overlay") == 0) {
			pkg->overlay = true;
		} else if (strcmp(opt, "from") == 0) {
			rp->origin = strdup(val);
		} else if (strcmp(opt, "file") == 0) {
			rp->requested = true;
		} else {
			fail_msg("unknown option '%s' in '%s'", opt, line);
		}
		free(opt);
	}
	swim_assert_ok(swim_package_update_id(pkg));
	rp->pkg = pkg;
	rp->proven = proven ? level(proven) : pkg->acceptance;
	if (!installed && !rp->origin)
		rp->origin = strdup("depot");
	free(proven);
}

static void uni_init(struct uni *u, const char *const *lines)
{
	memset(u, 0, sizeof(*u));
	u->testsolv = 1;
	for (size_t i = 0; lines[i]; i++)
		uni_add(u, lines[i]);
}

static void uni_profile(struct uni *u, const char *const *members)
{
	swim_assert_ok(swim_profile_new(&u->profile, "lab-1.0", "V"));
	for (size_t i = 0; members[i]; i++) {
		char id[256];

		snprintf(id, sizeof(id), "V_bootbank_%s", members[i]);
		swim_assert_ok(swim_profile_add_vib(u->profile, id));
	}
}

static void uni_free(struct uni *u)
{
	for (size_t i = 0; i < u->n_inst; i++)
		swim_package_free((swim_package *)u->inst[i].pkg);
	for (size_t i = 0; i < u->n_avail; i++) {
		swim_package_free((swim_package *)u->avail[i].pkg);
		free((char *)u->avail[i].origin);
	}
	swim_profile_free(u->profile);
}

static swim_resolve_request request(struct uni *u, swim_resolve_job job)
{
	swim_resolve_request req = { 0 };

	req.job = job;
	req.host_level = SWIM_ACCEPTANCE_PARTNER;
	req.installed = u->inst;
	req.n_installed = u->n_inst;
	req.available = u->avail;
	req.n_available = u->n_avail;
	req.profile = u->profile;
	return req;
}

static char *read_text(const char *path)
{
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_fs_read_file(&b, path) < 0)
		fail_msg("%s: %s", path, swim_error_last());
	return swim_buf_detach(&b);
}

/* A universe of pkgs and the request `vib install -n name`. */
static swim_resolve_request install_of(struct uni *u, const char *const *pkgs,
                                       const char **name)
{
	swim_resolve_request req;

	uni_init(u, pkgs);
	req = request(u, SWIM_RESOLVE_INSTALL);
	req.names = name;
	req.n_names = 1;
	return req;
}

/* A job (with n names) in a universe of pkgs must give plan. */
static void expect_job(const char *const *pkgs, swim_resolve_job job,
                       const char **names, size_t n, const char *plan);

static bool have_testsolv(void)
{
	return access("/usr/bin/testsolv", X_OK) == 0;
}

static int run_testsolv(const char *dir)
{
	char cmd[8400];
	int st;

	snprintf(cmd, sizeof(cmd), "testsolv '%s/testcase.t' >'%s/out' 2>&1",
	         dir, dir);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Resolves; unless the request has a debug_dir or the universe opts
 * out, the solver's testcase is written and replayed with testsolv. */
static int resolve(struct uni *u, swim_resolve_request *req, swim_plan **plan)
{
	char *tmp = NULL, dir[4096];
	struct stat st;
	int rc;

	if (!req->debug_dir && u->testsolv && have_testsolv()) {
		tmp = swim_test_tmpdir();
		snprintf(dir, sizeof(dir), "%s/tc", tmp);
		req->debug_dir = dir;
	}
	rc = swim_resolve_plan(plan, req);
	if (tmp) {
		/* Only a job that reached the solver has a testcase. */
		/* A deliberate disagreement must have been tried. */
		if (u->testsolv < 0)
			assert_int_equal(stat(dir, &st), 0);
		if (stat(dir, &st) == 0) {
			int ts = run_testsolv(dir);

			if (u->testsolv > 0 && ts != 0) {
				char out[4200], *text;

				snprintf(out, sizeof(out), "%s/out", dir);
				text = read_text(out);
				fail_msg("testsolv disagrees:\n%s", text);
			}
			if (u->testsolv < 0)
				assert_int_not_equal(ts, 0);
		}
		req->debug_dir = NULL;
		swim_test_rmtree(tmp);
		free(tmp);
	}
	return rc;
}

static void token(swim_buf *b, char mark, const swim_package *pkg)
{
	swim_assert_ok(swim_buf_printf(b, "%s%c%s-%s", b->len ? " " : "", mark,
	                               pkg->name, pkg->version));
}

/* The plan in one line: +new +upgrade^ +downgradev -removed
 * -replaced>by =skipped, each list sorted by id. */
static char *plan_str(const swim_plan *plan)
{
	swim_buf b = SWIM_BUF_INIT(0);

	for (size_t i = 0; i < plan->n_install; i++) {
		const swim_plan_item *it = &plan->install[i];

		token(&b, '+', it->pkg);
		if (it->change == SWIM_PLAN_UPGRADE)
			swim_assert_ok(swim_buf_putc(&b, '^'));
		if (it->change == SWIM_PLAN_DOWNGRADE)
			swim_assert_ok(swim_buf_putc(&b, 'v'));
	}
	for (size_t i = 0; i < plan->n_remove; i++) {
		const swim_plan_item *it = &plan->remove[i];

		token(&b, '-', it->pkg);
		if (it->change == SWIM_PLAN_REPLACED)
			swim_assert_ok(swim_buf_printf(&b, ">%s-%s", it->other->name,
			                               it->other->version));
	}
	for (size_t i = 0; i < plan->n_skip; i++)
		token(&b, '=', plan->skip[i].pkg);
	return swim_buf_detach(&b);
}

static void assert_plan(const swim_plan *plan, const char *expect)
{
	char *s = plan_str(plan);

	if (strcmp(s, expect) != 0)
		fail_msg("plan '%s', expected '%s'", s, expect);
	free(s);
}

/* Runs a job that must succeed and checks the plan. */
static void expect(struct uni *u, swim_resolve_request *req, const char *plan)
{
	swim_plan *p = NULL;

	swim_assert_ok(resolve(u, req, &p));
	assert_int_equal(p->n_problems, 0);
	assert_plan(p, plan);
	swim_plan_free(p);
}

static void expect_job(const char *const *pkgs, swim_resolve_job job,
                       const char **names, size_t n, const char *plan)
{
	struct uni u;
	swim_resolve_request req;

	uni_init(&u, pkgs);
	req = request(&u, job);
	req.names = names;
	req.n_names = n;
	expect(&u, &req, plan);
	uni_free(&u);
}

static void expect_install(const char *const *pkgs, const char *name,
                           const char *plan)
{
	const char *names[] = { name };

	expect_job(pkgs, SWIM_RESOLVE_INSTALL, names, 1, plan);
}

/* Runs a job that must fail with code and a message containing needle;
 * returns the plan for more checks. */
static swim_plan *expect_fail(struct uni *u, swim_resolve_request *req,
                              int code, const char *needle)
{
	swim_plan *p = NULL;

	swim_assert_error(resolve(u, req, &p), code, needle);
	assert_non_null(p);
	assert_true(p->n_problems > 0);
	return p;
}

static bool has_solution(const swim_plan *p, const char *text)
{
	for (size_t i = 0; i < p->n_problems; i++)
		for (size_t k = 0; k < p->problems[i].n_solutions; k++)
			if (strstr(p->problems[i].solutions[k], text))
				return true;
	for (size_t i = 0; i < p->n_problems; i++) {
		print_message("problem: %s\n", p->problems[i].message);
		for (size_t k = 0; k < p->problems[i].n_solutions; k++)
			print_message("  solution: %s\n", p->problems[i].solutions[k]);
	}
	return false;
}

/* ---- install ---- */

static void test_resolve__install_pulls_dependencies(void **state)
{
	static const char *const pkgs[] = {
		"a foo 1 dep=bar>=1",
		"a bar 1",
		"a bar 2",
		"a unrelated 1",
		NULL,
	};
	const char *names[] = { "foo" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	req = install_of(&u, pkgs, names);
	swim_assert_ok(resolve(&u, &req, &p));
	assert_plan(p, "+bar-2 +foo-1");
	/* foo was asked for, bar came along. */
	assert_false(p->install[0].requested);
	assert_true(p->install[1].requested);
	assert_string_equal(p->install[1].origin, "depot");
	assert_false(p->forced);
	swim_plan_free(p);
	uni_free(&u);
}

static void test_resolve__install_newest_or_named_version(void **state)
{
	static const char *const pkgs[] = {
		"i foo 2",
		"a foo 1",
		"a foo 2",
		"a foo 3",
		NULL,
	};

	(void)state;
	expect_install(pkgs, "foo", "+foo-3^ -foo-2>foo-3");
	expect_install(pkgs, "V:foo", "+foo-3^ -foo-2>foo-3");
	/* install downgrades when told which version. */
	expect_install(pkgs, "foo:1", "+foo-1v -foo-2>foo-1");
	expect_install(pkgs, "V:foo:1", "+foo-1v -foo-2>foo-1");
	expect_install(pkgs, "foo:2", "=foo-2");
}

static void test_resolve__install_unknown_name(void **state)
{
	static const char *const pkgs[] = { "a foo 1", NULL };
	const char *names[] = { "foo", "nope", "W:foo" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.names = names;
	req.n_names = 3;
	p = expect_fail(&u, &req, SWIM_ENOTFOUND,
	                "No VIB matching VIB search specification 'nope' is "
	                "available.");
	assert_int_equal(p->n_problems, 2);
	assert_int_equal(p->problems[0].kind, SWIM_PROBLEM_NOT_FOUND);
	assert_string_equal(p->problems[1].message,
	                    "No VIB matching VIB search specification 'W:foo' is "
	                    "available.");
	swim_plan_free(p);
	uni_free(&u);
}

static void test_resolve__install_file(void **state)
{
	static const char *const pkgs[] = {
		"i foo 1",
		"a foo 2 from=/tmp/foo-2.vib file",
		"a foo 3",
		NULL,
	};

	(void)state;
	/* -v installs that file, not the newest of its name. */
	expect_job(pkgs, SWIM_RESOLVE_INSTALL, NULL, 0, "+foo-2^ -foo-1>foo-2");
}

/* ---- update ---- */

static void test_resolve__update_only_upgrades(void **state)
{
	static const char *const pkgs[] = {
		"i foo 1",
		"i bar 2",
		"i same 1",
		"a foo 2",
		"a bar 1",
		"a same 1",
		"a new 1",
		NULL,
	};
	const char *names[] = { "foo", "bar:1", "new", "same" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_UPDATE);
	req.names = names;
	req.n_names = 4;
	swim_assert_ok(resolve(&u, &req, &p));
	assert_plan(p, "+foo-2^ -foo-1>foo-2 =bar-1 =new-1 =same-1");
	assert_string_equal(p->skip[0].reason,
	                    "VIB V_bootbank_bar_1 is older than the installed VIB "
	                    "V_bootbank_bar_2");
	assert_string_equal(p->skip[1].reason,
	                    "VIB V_bootbank_new_1 is not installed, and update only "
	                    "upgrades installed VIBs");
	assert_string_equal(p->skip[2].reason,
	                    "VIB V_bootbank_same_1 is already installed");
	swim_plan_free(p);
	uni_free(&u);
}

static void test_resolve__update_everything(void **state)
{
	static const char *const pkgs[] = {
		"i foo 1",
		"i bar 2",
		"i lone 1",
		"a foo 1.1",
		"a foo 1.2 dep=bar>=3",
		"a bar 3",
		"a bar 1",
		"a new 1",
		NULL,
	};

	(void)state;
	expect_job(pkgs, SWIM_RESOLVE_UPDATE, NULL, 0,
	           "+bar-3^ +foo-1.2^ -bar-2>bar-3 -foo-1>foo-1.2");
}

/* ---- remove ---- */

static void test_resolve__remove_refuses_to_break_dependents(void **state)
{
	static const char *const pkgs[] = {
		"i foo 1",
		"i bar 1 dep=foo>=1",
		"i other 1",
		NULL,
	};
	const char *one[] = { "foo" }, *both[] = { "foo", "bar" },
		   *missing[] = { "nope" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_REMOVE);
	req.names = one;
	req.n_names = 1;
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_foo_1 cannot be removed: installed VIB "
	                "V_bootbank_bar_1 requires foo >= 1.");
	assert_true(has_solution(p, "do not remove VIB V_bootbank_foo_1"));
	assert_true(has_solution(p, "remove VIB V_bootbank_bar_1"));
	assert_int_equal(p->n_remove, 0);
	swim_plan_free(p);

	req.names = both;
	req.n_names = 2;
	expect(&u, &req, "-bar-1 -foo-1");

	req.names = missing;
	req.n_names = 1;
	p = expect_fail(&u, &req, SWIM_ENOTFOUND,
	                "No VIB matching VIB search specification 'nope' is "
	                "installed.");
	swim_plan_free(p);
	uni_free(&u);
}

static void test_resolve__upgrade_blocked_by_dependent(void **state)
{
	static const char *const pkgs[] = {
		"i foo 1",
		"i bar 1 dep=foo<<2",
		"a foo 2",
		NULL,
	};
	const char *names[] = { "foo" };
	struct uni u;
	swim_resolve_request req = install_of(&u, pkgs, names);
	swim_plan *p;

	(void)state;
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_foo_2 cannot replace installed VIB "
	                "V_bootbank_foo_1: installed VIB V_bootbank_bar_1 requires "
	                "foo << 2.");
	assert_true(has_solution(p, "remove VIB V_bootbank_bar_1"));
	swim_plan_free(p);
	uni_free(&u);
}

/* ---- conflicts and replaces ---- */

static void test_resolve__conflicts(void **state)
{
	static const char *const pkgs[] = {
		"i old 1",
		"a foo 1 conf=old<<2",
		NULL,
	};
	const char *names[] = { "foo" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	req = install_of(&u, pkgs, names);
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_foo_1 conflicts with old << 2, which "
	                "installed VIB V_bootbank_old_1 provides.");
	assert_int_equal(p->problems[0].kind, SWIM_PROBLEM_DEPENDENCY);
	assert_true(has_solution(p, "remove VIB V_bootbank_old_1"));
	assert_true(has_solution(p, "do not install VIB V_bootbank_foo_1"));
	swim_plan_free(p);
	uni_free(&u);

	/* A newer version of the conflicting package resolves it. */
	{
		static const char *const more[] = {
			"i old 1",
			"a old 2",
			"a foo 1 conf=old<<2",
			NULL,
		};

		req = install_of(&u, more, names);
		expect(&u, &req, "+foo-1 +old-2^ -old-1>old-2");
		uni_free(&u);
	}
}

static void test_resolve__replaces(void **state)
{
	static const char *const pkgs[] = {
		"i net-legacy 1",
		"i keep 1",
		"a net-native 2 rep=net-legacy<<2",
		NULL,
	};
	static const char *const takeover[] = {
		"i net-legacy 1",
		"a net-native 2 rep=net-legacy",
		"a tool 1 conf=net-legacy<<2",
		NULL,
	};
	const char *names[] = { "net-native" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	req = install_of(&u, pkgs, names);
	swim_assert_ok(resolve(&u, &req, &p));
	assert_plan(p, "+net-native-2 -net-legacy-1>net-native-2");
	assert_int_equal(p->install[0].change, SWIM_PLAN_NEW);
	assert_string_equal(p->install[0].other->id, "V_bootbank_net-legacy_1");
	swim_plan_free(p);
	uni_free(&u);
	/* A package that replaces an installed one is an update of it, which
	 * libsolv may choose to get a conflict out of the way. */
	expect_install(takeover, "tool",
	               "+net-native-2 +tool-1 -net-legacy-1>net-native-2");
}

/* ---- provides ---- */

static void test_resolve__virtual_provides(void **state)
{
	static const char *const pkgs[] = {
		"a app 1 dep=vmkapi",
		"a zeta-impl 1 prov=vmkapi",
		"a alpha-impl 1 prov=vmkapi",
		NULL,
	};
	static const char *const reversed[] = {
		"a alpha-impl 1 prov=vmkapi",
		"a zeta-impl 1 prov=vmkapi",
		"a app 1 dep=vmkapi",
		NULL,
	};
	static const char *const installed[] = {
		"i zeta-impl 1 prov=vmkapi",
		"a alpha-impl 1 prov=vmkapi",
		"a app 1 dep=vmkapi",
		NULL,
	};

	(void)state;
	/* Two providers: libsolv's policy picks the name that sorts first,
	 * whatever the order they were offered in... */
	expect_install(pkgs, "app", "+alpha-impl-1 +app-1");
	expect_install(reversed, "app", "+alpha-impl-1 +app-1");
	/* ...unless one is installed already. */
	expect_install(installed, "app", "+app-1");
}

static void test_resolve__versioned_provides(void **state)
{
	static const char *const pkgs[] = {
		"a app 1 dep=api>=2",
		"a old-impl 1 prov=api/1.5",
		"a new-impl 1 prov=api/2.1",
		NULL,
	};
	static const char *const too_old[] = {
		"a app 1 dep=api>=2",
		"a impl 1 prov=api/1.5",
		"a impl 2 prov=api/1.9",
		NULL,
	};
	const char *names[] = { "app" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	expect_install(pkgs, "app", "+app-1 +new-impl-1");

	req = install_of(&u, too_old, names);
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_app_1 requires api >= 2, but only other "
	                "versions of api are available: 1.5, 1.9.");
	swim_plan_free(p);
	uni_free(&u);
}

/* swim's rule: a versioned constraint never matches an unversioned
 * provide. rpm's (and so libsolv's) says it does, so testsolv must reach
 * a different answer on the same testcase. */
static void test_resolve__unversioned_provide_vs_versioned_requires(void **state)
{
	static const char *const pkgs[] = {
		"a app 1 dep=vmkapi_2_6>=1",
		"a tool 1 dep=vmkapi_2_6",
		"a base 1 prov=vmkapi_2_6",
		NULL,
	};
	const char *app[] = { "app" }, *tool[] = { "tool" };
	swim_constraint con;
	swim_provide pr = { (char *)"vmkapi_2_6", NULL };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	swim_assert_ok(swim_constraint_parse(&con, "vmkapi_2_6 >= 1", NULL));
	assert_false(swim_constraint_matches(&con, &pr));
	swim_constraint_dispose(&con);

	uni_init(&u, pkgs);
	u.testsolv = -1;
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.names = app;
	req.n_names = 1;
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_app_1 requires vmkapi_2_6 >= 1, but VIB "
	                "V_bootbank_base_1 provides vmkapi_2_6 without a version, "
	                "which does not satisfy a versioned requirement.");
	swim_plan_free(p);
	/* An unversioned requirement is satisfied by it. */
	u.testsolv = 1;
	req.names = tool;
	expect(&u, &req, "+base-1 +tool-1");
	uni_free(&u);
}

/* The same rule holds where libsolv looks providers up for conflicts and
 * replaces: a versioned conflict or replaces does not hit an unversioned
 * provide (rpm's rule would make both refuse or remove "base"). */
static void test_resolve__unversioned_provide_in_conflicts_and_replaces(void **state)
{
	static const char *const pkgs[] = {
		"i base 1 prov=vmkapi_2_6",
		"a picky 1 conf=vmkapi_2_6>=1",
		"a taker 1 rep=vmkapi_2_6>=1",
		NULL,
	};
	static const char *const blunt[] = {
		"i base 1 prov=vmkapi_2_6",
		"a blunt 1 conf=vmkapi_2_6",
		NULL,
	};
	const char *names[] = { "blunt" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, pkgs);
	u.testsolv = -1;
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.names = (const char *[]){ "picky" };
	req.n_names = 1;
	expect(&u, &req, "+picky-1");
	req.names = (const char *[]){ "taker" };
	expect(&u, &req, "+taker-1");
	uni_free(&u);
	/* An unversioned conflict does hit it. */
	req = install_of(&u, blunt, names);
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_blunt_1 conflicts with vmkapi_2_6, which "
	                "installed VIB V_bootbank_base_1 provides.");
	swim_plan_free(p);
	uni_free(&u);
}

/* '^' sorts after the end but before anything else (rpm 4.15+); libsolv
 * 0.7.23 as Debian builds it agrees, and matching goes through swim. */
static void test_resolve__caret_versions(void **state)
{
	static const char *const pkgs[] = {
		"a lib 1.0-1",
		"a lib 1.0^git5-1",
		"a lib 1.0.1~rc1-1",
		"a app 1 dep=lib>>1.0",
		"a exact 1 dep=lib=1.0^git5",
		NULL,
	};
	/* Each first version is newer than the second. */
	static const char *const pairs[][2] = {
		{ "1.0^git5-1", "1.0-1" }, { "1.0.1~rc1-1", "1.0^git5-1" },
		{ "1.0^", "1.0" }, { "1.0.a", "1.0^1" }, { "1.0^", "1.0^~" },
		{ "2:1.0^a", "2:1.0" }, { "1.0~rc1^2", "1.0~rc1" },
		{ "1.0^a-1", "1.0^-9" },
	};
	Pool *pool = pool_create();

	(void)state;
	pool_setdisttype(pool, DISTTYPE_RPM);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		int a = swim_version_compare(pairs[i][0], pairs[i][1]);
		int b = pool_evrcmp_str(pool, pairs[i][0], pairs[i][1],
		                        EVRCMP_COMPARE);

		assert_int_equal(a, 1);
		assert_int_equal(b > 0, 1);
	}
	pool_free(pool);

	expect_install(pkgs, "lib", "+lib-1.0.1~rc1-1");
	/* lib >> 1.0: 1.0-1 does not qualify (no release on the
	 * constraint: releases are ignored), 1.0^git5 and 1.0.1~rc1 do. */
	expect_install(pkgs, "app", "+app-1 +lib-1.0.1~rc1-1");
	expect_install(pkgs, "exact", "+exact-1 +lib-1.0^git5-1");
}

/* ---- file conflicts ---- */

static void test_resolve__file_conflicts(void **state)
{
	static const char *const pkgs[] = {
		"i base 1 files=etc/a,etc/shared",
		"a base 2 files=etc/a,etc/shared,etc/b",
		"a clash 1 files=etc/x,etc/shared,etc/a",
		"a patch 1 files=etc/shared overlay",
		"a dup-a 1 files=opt/one",
		"a dup-b 1 files=opt/one",
		NULL,
	};
	const char *clash[] = { "clash" }, *patch[] = { "patch" },
		   *upgrade[] = { "base" }, *dups[] = { "dup-a", "dup-b" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.n_names = 1;
	req.names = clash;
	p = expect_fail(&u, &req, SWIM_ECONFLICT,
	                "VIB V_bootbank_base_1 and VIB V_bootbank_clash_1 both "
	                "contain the file ");
	assert_int_equal(p->problems[0].kind, SWIM_PROBLEM_FILE_CONFLICT);
	assert_non_null(strstr(p->problems[0].message, "(and 1 more)"));
	/* The plan still says what would have happened. */
	assert_plan(p, "+clash-1");
	swim_plan_free(p);
	/* An overlay may cover another package's files. */
	req.names = patch;
	expect(&u, &req, "+patch-1");
	/* An upgrade replaces its own files. */
	req.names = upgrade;
	expect(&u, &req, "+base-2^ -base-1>base-2");
	/* Two new packages. */
	req.names = dups;
	req.n_names = 2;
	p = expect_fail(&u, &req, SWIM_ECONFLICT,
	                "VIB V_bootbank_dup-a_1 and VIB V_bootbank_dup-b_1 both "
	                "contain the file opt/one; only an overlay VIB may contain "
	                "another VIB's files.");
	swim_plan_free(p);
	uni_free(&u);
}

/* ---- acceptance and bypasses ---- */

static void test_resolve__acceptance_refusal(void **state)
{
	static const char *const pkgs[] = {
		"a ghetto 1 acc=community",
		"a forged 1 acc=partner proven=community",
		"a app 1 dep=helper",
		"a helper 1 acc=community",
		NULL,
	};
	const char *ghetto[] = { "ghetto" }, *forged[] = { "forged" },
		   *app[] = { "app" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.n_names = 1;
	req.names = ghetto;
	p = expect_fail(&u, &req, SWIM_EACCEPTANCE, "");
	assert_int_equal(p->problems[0].kind, SWIM_PROBLEM_ACCEPTANCE);
	assert_string_equal(p->problems[0].message,
	                    "VIB V_bootbank_ghetto_1's acceptance level is community, "
	                    "which is not compliant with the host acceptance level "
	                    "partner. To change the host acceptance level, use the "
	                    "'swim acceptance set' command.");
	swim_plan_free(p);

	/* The proven level counts, not the claimed one. */
	req.names = forged;
	p = expect_fail(&u, &req, SWIM_EACCEPTANCE,
	                "VIB V_bootbank_forged_1's acceptance level is community, "
	                "which is not compliant with the host acceptance level "
	                "partner. It claims partner, but its signature does not "
	                "prove it.");
	swim_plan_free(p);

	/* A dependency only below the level. */
	req.names = app;
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_app_1 requires helper, but the only VIBs "
	                "that satisfy it are below the host acceptance level: VIB "
	                "V_bootbank_helper_1's acceptance level is community, which "
	                "is not compliant with the host acceptance level partner.");
	swim_plan_free(p);

	/* A community host takes them all. */
	req.host_level = SWIM_ACCEPTANCE_COMMUNITY;
	expect(&u, &req, "+app-1 +helper-1");
	uni_free(&u);
}

static void test_resolve__no_sig_check_counts_the_claim(void **state)
{
	static const char *const pkgs[] = {
		"a forged 1 acc=partner proven=community",
		"a ghetto 1 acc=community",
		NULL,
	};
	const char *forged[] = { "forged" }, *ghetto[] = { "ghetto" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.no_sig_check = true;
	req.n_names = 1;
	req.names = forged;
	swim_assert_ok(resolve(&u, &req, &p));
	assert_plan(p, "+forged-1");
	assert_true(p->sig_unchecked);
	swim_plan_free(p);
	/* Still no lower than the claim. */
	req.names = ghetto;
	p = expect_fail(&u, &req, SWIM_EACCEPTANCE,
	                "acceptance level is community, which is not compliant");
	assert_null(strstr(p->problems[0].message, "claims"));
	swim_plan_free(p);
	uni_free(&u);
}

static void test_resolve__force_applies_as_given(void **state)
{
	static const char *const pkgs[] = {
		"i foo 1",
		"i bar 1 dep=foo",
		"a foo 2 dep=missing conf=bar acc=community",
		"a clash 1 files=etc/x",
		"i owner 1 files=etc/x",
		NULL,
	};
	const char *foo[] = { "foo" }, *clash[] = { "clash" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.n_names = 1;
	req.names = foo;
	req.force = true;
	swim_assert_ok(resolve(&u, &req, &p));
	assert_plan(p, "+foo-2^ -foo-1>foo-2");
	assert_true(p->forced);
	swim_plan_free(p);

	/* remove ignores who needs it. */
	req.job = SWIM_RESOLVE_REMOVE;
	expect(&u, &req, "-foo-1");

	/* File conflicts are still refused. */
	req.job = SWIM_RESOLVE_INSTALL;
	req.names = clash;
	p = expect_fail(&u, &req, SWIM_ECONFLICT, "both contain the file etc/x");
	swim_plan_free(p);
	uni_free(&u);
}

/* ---- profiles ---- */

static const char *const host_pkgs[] = {
	"i esx-base 1",
	"i net 1 dep=esx-base",
	"i extra 1",
	"a esx-base 2",
	"a net 1 dep=esx-base",
	"a storage 1 dep=esx-base>=2",
	"a tools 1 dep=helper",
	"a helper 1",
	NULL,
};

static void test_resolve__profile_install_is_exact(void **state)
{
	static const char *const members[] = {
		"esx-base_2", "net_1", "storage_1", NULL
	};
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, host_pkgs);
	uni_profile(&u, members);
	req = request(&u, SWIM_RESOLVE_PROFILE_INSTALL);
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "Installing image profile 'lab-1.0' would remove 1 "
	                "installed VIB that it does not contain: V_bootbank_extra_1. "
	                "Use --ok-to-remove to remove them, or profile update to "
	                "keep them.");
	assert_int_equal(p->problems[0].kind, SWIM_PROBLEM_REMOVAL);
	swim_plan_free(p);

	req.ok_to_remove = true;
	expect(&u, &req, "+esx-base-2^ +storage-1 -esx-base-1>esx-base-2 "
	                 "-extra-1 =net-1");
	uni_free(&u);
}

static void test_resolve__profile_must_be_complete(void **state)
{
	static const char *const members[] = {
		"esx-base_2", "net_1", "tools_1", NULL
	};
	static const char *const unknown[] = { "esx-base_2", "ghost_1", NULL };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;

	(void)state;
	uni_init(&u, host_pkgs);
	uni_profile(&u, members);
	req = request(&u, SWIM_RESOLVE_PROFILE_INSTALL);
	req.ok_to_remove = true;
	/* helper is in the depot but not in the profile. */
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "VIB V_bootbank_tools_1 requires helper, but the image "
	                "profile does not contain VIB V_bootbank_helper_1, which "
	                "satisfies it.");
	swim_plan_free(p);
	uni_free(&u);

	uni_init(&u, host_pkgs);
	uni_profile(&u, unknown);
	req = request(&u, SWIM_RESOLVE_PROFILE_INSTALL);
	p = expect_fail(&u, &req, SWIM_ENOTFOUND,
	                "Image profile 'lab-1.0' contains VIB V_bootbank_ghost_1, "
	                "which no depot offers.");
	swim_plan_free(p);
	uni_free(&u);
}

static void test_resolve__profile_update_keeps_and_upgrades(void **state)
{
	static const char *const pkgs[] = {
		"i esx-base 2",
		"i net 2",
		"i extra 1",
		"a esx-base 3",
		"a net 1",
		"a storage 1",
		NULL,
	};
	static const char *const members[] = {
		"esx-base_3", "net_1", "storage_1", NULL
	};
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	uni_init(&u, pkgs);
	uni_profile(&u, members);
	req = request(&u, SWIM_RESOLVE_PROFILE_UPDATE);
	swim_assert_ok(resolve(&u, &req, &p));
	assert_plan(p, "+esx-base-3^ +storage-1 -esx-base-2>esx-base-3 =net-1");
	assert_string_equal(p->skip[0].reason,
	                    "VIB V_bootbank_net_1 is older than the installed VIB "
	                    "V_bootbank_net_2; use --allow-downgrades to downgrade");
	swim_plan_free(p);

	req.allow_downgrades = true;
	expect(&u, &req, "+esx-base-3^ +net-1v +storage-1 "
	                 "-esx-base-2>esx-base-3 -net-2>net-1");
	uni_free(&u);
}

static void test_resolve__profile_validate(void **state)
{
	static const char *const same[] = { "esx-base_1", "net_1", "extra_1", NULL };
	static const char *const other[] = {
		"esx-base_2", "net_1", "tools_1", NULL
	};
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	uni_init(&u, host_pkgs);
	uni_profile(&u, same);
	req = request(&u, SWIM_RESOLVE_PROFILE_VALIDATE);
	swim_assert_ok(resolve(&u, &req, &p));
	assert_true(p->compliant);
	assert_plan(p, "=esx-base-1 =extra-1 =net-1");
	swim_plan_free(p);
	uni_free(&u);

	/* Differences and problems are reported, not failed. */
	uni_init(&u, host_pkgs);
	uni_profile(&u, other);
	req = request(&u, SWIM_RESOLVE_PROFILE_VALIDATE);
	swim_assert_ok(resolve(&u, &req, &p));
	assert_false(p->compliant);
	assert_int_equal(p->n_problems, 1);
	assert_non_null(strstr(p->problems[0].message,
	                       "VIB V_bootbank_tools_1 requires helper"));
	swim_plan_free(p);
	uni_free(&u);
}

/* ---- the debug testcase ---- */

static void test_resolve__debug_testcase_replays(void **state)
{
	static const char *const pkgs[] = {
		"i bar 1 dep=foo>=1",
		"i foo 1",
		"a foo 2",
		"a app 1 dep=foo>=3",
		NULL,
	};
	const char *names[] = { "app" };
	char *tmp = swim_test_tmpdir(), dir[4096], tc[4200];
	struct uni u;
	swim_resolve_request req;
	swim_plan *p;
	size_t len;
	char *text;

	(void)state;
	uni_init(&u, pkgs);
	snprintf(dir, sizeof(dir), "%s/debug", tmp);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.names = names;
	req.n_names = 1;
	req.debug_dir = dir;
	p = expect_fail(&u, &req, SWIM_EDEPENDENCY,
	                "requires foo >= 3, but only other versions of foo are "
	                "available: 1, 2.");
	swim_plan_free(p);
	snprintf(tc, sizeof(tc), "%s/testcase.t", dir);
	text = read_text(tc);
	len = strlen(text);
	assert_true(len > 0);
	/* The job and libsolv's problem are in it. */
	assert_non_null(strstr(text, "job install pkg app-1.noarch@depot"));
	assert_non_null(strstr(text, "result transaction,problems"));
	free(text);
	if (have_testsolv())
		assert_int_equal(run_testsolv(dir), 0);
	swim_test_rmtree(tmp);
	free(tmp);
	uni_free(&u);
}

/* ---- requests and specs ---- */

static void test_resolve__spec_forms(void **state)
{
	swim_package *pkg = NULL;

	(void)state;
	swim_assert_ok(swim_package_new(&pkg));
	pkg->name = strdup("net-igb");
	pkg->vendor = strdup("ACME");
	pkg->version = strdup("2:1.0-1");
	assert_true(swim_resolve_spec_matches("net-igb", pkg));
	assert_true(swim_resolve_spec_matches("net-igb:2:1.0-1", pkg));
	assert_true(swim_resolve_spec_matches("net-igb:2:1.0-01", pkg));
	assert_true(swim_resolve_spec_matches("ACME:net-igb", pkg));
	assert_true(swim_resolve_spec_matches("ACME:net-igb:2:1.0-1", pkg));
	assert_false(swim_resolve_spec_matches("net-igb:1.0-1", pkg));
	assert_false(swim_resolve_spec_matches("net", pkg));
	assert_false(swim_resolve_spec_matches("net-igb:", pkg));
	assert_false(swim_resolve_spec_matches("acme:net-igb", pkg));
	assert_false(swim_resolve_spec_matches("OTHER:net-igb", pkg));
	swim_package_free(pkg);
	assert_string_equal(swim_resolve_job_name(SWIM_RESOLVE_PROFILE_UPDATE),
	                    "profile update");
}

static void test_resolve__bad_requests(void **state)
{
	static const char *const pkgs[] = { "a foo 1", NULL };
	const char *empty[] = { "" };
	struct uni u;
	swim_resolve_request req;
	swim_plan *p = NULL;

	(void)state;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_PROFILE_INSTALL);
	swim_assert_error(swim_resolve_plan(&p, &req), SWIM_EINVAL, "needs a profile");
	assert_null(p);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.host_level = SWIM_ACCEPTANCE_UNKNOWN;
	swim_assert_error(swim_resolve_plan(&p, &req), SWIM_EINVAL,
	                  "acceptance level is not set");
	req = request(&u, SWIM_RESOLVE_REMOVE);
	swim_assert_error(swim_resolve_plan(&p, &req), SWIM_EINVAL, "needs VIB names");
	req.names = empty;
	req.n_names = 1;
	swim_assert_error(swim_resolve_plan(&p, &req), SWIM_EINVAL, "empty VIB name");
	req = request(&u, SWIM_RESOLVE_INSTALL);
	free(((swim_package *)u.avail[0].pkg)->version);
	((swim_package *)u.avail[0].pkg)->version = NULL;
	swim_assert_error(swim_resolve_plan(&p, &req), SWIM_EINVAL,
	                  "available package 0 has no version");
	assert_null(p);
	uni_free(&u);

	/* A testcase that cannot be written fails the call. */
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_UPDATE);
	req.debug_dir = "/dev/null/testcase";
	swim_assert_error(swim_resolve_plan(&p, &req), SWIM_EIO,
	                  "writing the solver testcase to /dev/null/testcase");
	assert_null(p);
	uni_free(&u);
}

static void test_resolve__problems_are_capped(void **state)
{
	static const char *const pkgs[] = { "a foo 1", NULL };
	const char *names[] = { "a", "b", "c", "d", "e" };
	struct uni u;
	swim_resolve_request req;
	swim_limits lim;
	swim_plan *p;

	(void)state;
	swim_limits_init(&lim);
	lim.resolve_max_problems = 2;
	uni_init(&u, pkgs);
	req = request(&u, SWIM_RESOLVE_INSTALL);
	req.lim = &lim;
	req.names = names;
	req.n_names = 5;
	p = expect_fail(&u, &req, SWIM_ENOTFOUND, "'a'");
	assert_int_equal(p->n_problems, 3);
	assert_string_equal(p->problems[2].message, "3 more problems are not shown");
	swim_plan_free(p);
	uni_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve__install_pulls_dependencies),
		cmocka_unit_test(test_resolve__install_newest_or_named_version),
		cmocka_unit_test(test_resolve__install_unknown_name),
		cmocka_unit_test(test_resolve__install_file),
		cmocka_unit_test(test_resolve__update_only_upgrades),
		cmocka_unit_test(test_resolve__update_everything),
		cmocka_unit_test(test_resolve__remove_refuses_to_break_dependents),
		cmocka_unit_test(test_resolve__upgrade_blocked_by_dependent),
		cmocka_unit_test(test_resolve__conflicts),
		cmocka_unit_test(test_resolve__replaces),
		cmocka_unit_test(test_resolve__virtual_provides),
		cmocka_unit_test(test_resolve__versioned_provides),
		cmocka_unit_test(test_resolve__unversioned_provide_vs_versioned_requires),
		cmocka_unit_test(test_resolve__unversioned_provide_in_conflicts_and_replaces),
		cmocka_unit_test(test_resolve__caret_versions),
		cmocka_unit_test(test_resolve__file_conflicts),
		cmocka_unit_test(test_resolve__acceptance_refusal),
		cmocka_unit_test(test_resolve__no_sig_check_counts_the_claim),
		cmocka_unit_test(test_resolve__force_applies_as_given),
		cmocka_unit_test(test_resolve__profile_install_is_exact),
		cmocka_unit_test(test_resolve__profile_must_be_complete),
		cmocka_unit_test(test_resolve__profile_update_keeps_and_upgrades),
		cmocka_unit_test(test_resolve__profile_validate),
		cmocka_unit_test(test_resolve__debug_testcase_replays),
		cmocka_unit_test(test_resolve__spec_forms),
		cmocka_unit_test(test_resolve__bad_requests),
		cmocka_unit_test(test_resolve__problems_are_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
