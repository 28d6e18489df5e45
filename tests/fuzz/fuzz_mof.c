/* libFuzzer target for the MOF compiler: any input must give a result or
 * an error with a message, never a crash, within the limits. An include
 * reads the input itself, so nesting reaches the depth limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cim/mof.h"
#include "cim/repo.h"
#include "swim/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct self {
	const uint8_t *data;
	size_t size;
	unsigned reads;
};

/* Every include reads the input again, a few times at most so that many
 * includes per file cannot multiply into a timeout. */
static int read_self(swim_buf *out, const char *path, void *ctx)
{
	struct self *s = ctx;

	if (++s->reads > 8)
		return swim_error_set(SWIM_ENOTFOUND, "%s: enough includes", path);
	return swim_buf_put(out, s->data, s->size);
}

static int write_class(const swim_cim_class *cls, void *ctx)
{
	swim_buf_clear(ctx);
	return swim_cim_class_to_mof(ctx, cls) == SWIM_ENOMEM;
}

static int write_instance(const swim_cim_instance *inst, void *ctx)
{
	swim_buf_clear(ctx);
	return swim_cim_instance_to_mof(ctx, inst) == SWIM_ENOMEM;
}

struct walk {
	const swim_cim_repo *repo;
	swim_buf *buf;
};

static int write_root_instances(const swim_cim_class *cls, void *ctx)
{
	struct walk *w = ctx;
	const char *ns = swim_cim_repo_namespace(w->repo, "root/cimv2");

	(void)swim_cim_repo_each_instance(w->repo, ns, cls->name, true,
	                                  write_instance, w->buf);
	return 0;
}

static int write_ns(const char *ns, void *ctx)
{
	struct walk *w = ctx;

	(void)swim_cim_repo_each_class(w->repo, ns, NULL, true, write_class,
	                               w->buf);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct self self = { data, size, 0 };
	swim_buf buf = SWIM_BUF_INIT(0);
	swim_cim_repo *repo = NULL;
	swim_limits lim;
	struct walk w;
	int rc;

	swim_limits_init(&lim);
	lim.mof_max_bytes = 1 << 16;
	lim.mof_max_include_depth = 3;
	lim.string_max_bytes = 4096;
	if (swim_cim_repo_new_default(&repo, &lim) < 0)
		return 0;
	swim_error_clear();
	rc = swim_cim_mof_load_buffer(repo, (const char *)data, size,
	                              "fuzz.mof", "root/cimv2", read_self,
	                              &self);
	/* A failure always says what went wrong. */
	if (rc < 0 && !*swim_error_last())
		abort();
	w.repo = repo;
	w.buf = &buf;
	(void)swim_cim_repo_each_namespace(repo, write_ns, &w);
	(void)swim_cim_repo_each_class(repo, "root/cimv2", NULL, false,
	                               write_root_instances, &w);
	swim_buf_dispose(&buf);
	swim_cim_repo_free(repo);
	return 0;
}
