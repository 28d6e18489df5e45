/* The test provider (`swimd --test-classes`): the classes of
 * schema/test/swim_test.mof kept in memory with every operation, so
 * that swimd's tests reach every corner of the server with classes that
 * hold every CIM type. It also shows how small a provider can be: it
 * stores whole instances and lets the object manager do the rest. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "providers/providers.h"
#include "util/str.h"

#define NS SWIM_CIM_NS_CIMV2
#define GENERATED_CLASS "SWIM_TestPlain"
#define GENERATED_PREFIX "gen-"
/* Positions of generated instances come after every stored one's. */
#define GENERATED_BASE ((uint64_t)1 << 62)

/* One stored instance. seq grows with each instance made and is its
 * position in enumerations, so that an enumeration resumed later goes on
 * after the last instance it delivered, whatever was created or deleted
 * in between. */
struct entry {
	swim_cim_instance *inst;    /* with its path (namespace, keys) */
	uint64_t seq;
};

struct store {
	pthread_mutex_t lock;
	const swim_cim_repo *repo;
	struct entry *v;            /* in creation order: seq ascending */
	size_t n;
	uint64_t last_seq;
	unsigned long next_id;
	unsigned long ngenerated;   /* --test-instances */
};

/* Generated instances ----------------------------------------------------- */

/* `--test-instances N` gives SWIM_TestPlain N more instances, gen-000001
 * to gen-N, for large results: they are made from their number whenever
 * asked for and never stored, so the provider's memory does not grow with
 * N, and they cannot be changed or deleted. */
static int generated(swim_cim_instance **out, unsigned long i,
                     unsigned long n)
{
	static const char *const tags[] = { "generated", "test" };
	swim_cim_instance *inst = NULL;
	char id[32], text[96];
	int rc;

	*out = NULL;
	(void)snprintf(id, sizeof(id), GENERATED_PREFIX "%06lu", i);
	(void)snprintf(text, sizeof(text), "generated instance %lu of %lu, "
	               "for large enumerations", i, n);
	if ((rc = swim_cim_instance_new(&inst, GENERATED_CLASS)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "InstanceID", id)) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Text", text)) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "Count", SWIM_CIM_UINT32,
	                                     i)) < 0 ||
	    (rc = swim_cim_instance_set_bool(inst, "Flag", i % 2)) < 0 ||
	    (rc = swim_cim_instance_set_strings(inst, "Tags", tags, 2)) < 0) {
		swim_cim_instance_free(inst);
		return rc;
	}
	*out = inst;
	return 0;
}

/* The number of the generated instance at path, or 0. One spelling
 * only: gen-000001, not gen-1 or gen-0000001. */
static unsigned long generated_number(const struct store *st,
                                      const swim_cim_path *path)
{
	const swim_cim_value *id = swim_cim_path_key(path, "InstanceID");
	size_t plen = strlen(GENERATED_PREFIX), ndigits = 1;
	uint64_t i;

	if (!st->ngenerated || !swim_str_ieq(path->classname, GENERATED_CLASS) ||
	    !id || id->type != SWIM_CIM_STRING ||
	    strncmp(id->s, GENERATED_PREFIX, plen) != 0 ||
	    swim_str_to_u64(&i, id->s + plen, st->ngenerated, "id") < 0) {
		swim_error_clear();
		return 0;
	}
	for (uint64_t k = i; k >= 10; k /= 10)
		ndigits++;
	return strlen(id->s + plen) == (ndigits < 6 ? 6 : ndigits) && i
	       ? (unsigned long)i : 0;
}

static int read_only(const swim_cim_path *path)
{
	const swim_cim_value *id = swim_cim_path_key(path, "InstanceID");

	return swim_error_set(SWIM_ENOTSUPPORTED, "%s is a generated instance "
	                      "(--test-instances): it cannot be changed or "
	                      "deleted", id ? id->s : path->classname);
}

/* The store ---------------------------------------------------------------- */

/* Under the lock: the index of the instance at path, or -1. */
static long store_find(const struct store *st, const swim_cim_path *path)
{
	for (size_t i = 0; i < st->n; i++)
		if (swim_cim_path_match(st->v[i].inst->path, path,
		                        SWIM_CIM_PATH_IGNORE_NAMESPACE))
			return (long)i;
	return -1;
}

/* Under the lock: keeps a copy of inst with its path. */
static int store_add(struct store *st, const swim_cim_class *cls,
                     const swim_cim_instance *inst)
{
	swim_cim_instance *copy = NULL;
	swim_cim_path *path = NULL;
	struct entry *grown;
	int rc;

	if ((rc = swim_cim_class_instance_path(&path, cls, inst, NULL,
	                                       NS)) < 0)
		return rc;
	if (store_find(st, path) >= 0 || generated_number(st, path)) {
		swim_cim_path_free(path);
		return swim_error_set(SWIM_EEXISTS, "an instance of %s with these "
		                      "keys exists already", cls->name);
	}
	if ((rc = swim_cim_instance_copy(&copy, inst)) < 0 ||
	    !(grown = realloc(st->v, (st->n + 1) * sizeof(*grown)))) {
		swim_cim_path_free(path);
		swim_cim_instance_free(copy);
		return rc < 0 ? rc : swim_error_oom();
	}
	swim_cim_path_free(copy->path);
	copy->path = path;
	st->v = grown;
	st->v[st->n].inst = copy;
	st->v[st->n++].seq = ++st->last_seq;
	return 0;
}

/* Under the lock: a copy of the first stored instance of class `cls`
 * after position `after`, with its position; NULL at the end. */
static int store_next(swim_cim_instance **out, uint64_t *pos,
                      const struct store *st, const swim_cim_class *cls,
                      uint64_t after)
{
	size_t lo = 0, hi = st->n;

	*out = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->v[mid].seq <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < st->n; i++)
		if (swim_str_ieq(st->v[i].inst->classname, cls->name)) {
			*pos = st->v[i].seq;
			return swim_cim_instance_copy(out, st->v[i].inst);
		}
	return 0;
}

/* One instance at a time under the lock, each copied and handed over
 * without it: memory stays at one instance whatever the class holds, and
 * the sink may come back to this provider (an association's ends are
 * fetched while it is enumerated). Generated instances come last. */
static int test_enumerate(void *ctx, swim_cim_call *call,
                          const swim_cim_class *cls, swim_cim_sink *sink)
{
	struct store *st = ctx;
	uint64_t pos = swim_cim_sink_resume(sink);
	swim_cim_instance *inst;
	int rc;

	(void)call;
	while (pos < GENERATED_BASE) {
		(void)pthread_mutex_lock(&st->lock);
		rc = store_next(&inst, &pos, st, cls, pos);
		(void)pthread_mutex_unlock(&st->lock);
		if (rc < 0)
			return rc;
		if (!inst)
			break;
		if ((rc = swim_cim_sink_put_at(sink, inst, pos)) != 0)
			return rc;
	}
	if (!swim_str_ieq(cls->name, GENERATED_CLASS))
		return 0;
	for (uint64_t i = pos < GENERATED_BASE ? 1 : pos - GENERATED_BASE + 1;
	     i <= st->ngenerated; i++) {
		if ((rc = generated(&inst, (unsigned long)i, st->ngenerated)) < 0 ||
		    (rc = swim_cim_sink_put_at(sink, inst,
		                               GENERATED_BASE + i)) != 0)
			return rc;
	}
	return 0;
}

static int test_get(void *ctx, swim_cim_call *call, const swim_cim_class *cls,
                    const swim_cim_path *path, swim_cim_instance **out)
{
	struct store *st = ctx;
	unsigned long gen = generated_number(st, path);
	long at;
	int rc;

	(void)call;
	(void)cls;
	if (gen)
		return generated(out, gen, st->ngenerated);
	(void)pthread_mutex_lock(&st->lock);
	at = store_find(st, path);
	rc = at < 0 ? swim_error_set(SWIM_ENOTFOUND, "no such instance")
	            : swim_cim_instance_copy(out, st->v[at].inst);
	(void)pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Elements without an InstanceID get one, as a real provider would. */
static int test_create(void *ctx, swim_cim_call *call,
                       const swim_cim_class *cls, swim_cim_instance *inst)
{
	struct store *st = ctx;
	const swim_cim_value *id = swim_cim_instance_value(inst, "InstanceID");
	swim_buf gen = SWIM_BUF_INIT(0);
	int rc = 0;

	(void)call;
	(void)pthread_mutex_lock(&st->lock);
	if (swim_cim_class_property(cls, "InstanceID") && (!id || id->null) &&
	    (rc = swim_buf_printf(&gen, "SWIM:%s:%lu", cls->name,
	                          ++st->next_id)) == 0)
		rc = swim_cim_instance_set_string(inst, "InstanceID", gen.ptr);
	if (rc == 0)
		rc = store_add(st, cls, inst);
	(void)pthread_mutex_unlock(&st->lock);
	swim_buf_dispose(&gen);
	return rc;
}

static int test_modify(void *ctx, swim_cim_call *call,
                       const swim_cim_class *cls,
                       const swim_cim_instance *inst,
                       const char *const *changed, size_t nchanged)
{
	struct store *st = ctx;
	swim_cim_instance *copy = NULL;
	long at;
	int rc = 0;

	(void)call;
	(void)cls;
	(void)changed;
	(void)nchanged;
	if (generated_number(st, inst->path))
		return read_only(inst->path);
	(void)pthread_mutex_lock(&st->lock);
	if ((at = store_find(st, inst->path)) < 0)
		rc = swim_error_set(SWIM_ENOTFOUND, "no such instance");
	else if ((rc = swim_cim_instance_copy(&copy, inst)) == 0 &&
	         (rc = swim_cim_instance_set_path(copy,
	                                          st->v[at].inst->path)) == 0) {
		swim_cim_instance_free(st->v[at].inst);
		st->v[at].inst = copy;
		copy = NULL;
	}
	(void)pthread_mutex_unlock(&st->lock);
	swim_cim_instance_free(copy);
	return rc;
}

static int test_remove(void *ctx, swim_cim_call *call,
                       const swim_cim_class *cls, const swim_cim_path *path)
{
	struct store *st = ctx;
	long at;

	(void)call;
	(void)cls;
	if (generated_number(st, path))
		return read_only(path);
	(void)pthread_mutex_lock(&st->lock);
	if ((at = store_find(st, path)) >= 0) {
		/* Keep the order the instances were made in. */
		swim_cim_instance_free(st->v[at].inst);
		memmove(&st->v[at], &st->v[at + 1],
		        (st->n - (size_t)at - 1) * sizeof(*st->v));
		st->n--;
	}
	(void)pthread_mutex_unlock(&st->lock);
	return at < 0 ? swim_error_set(SWIM_ENOTFOUND, "no such instance") : 0;
}

/* Copies input `from` to output `to` when the client gave it. */
static int echo(swim_cim_instance *out, const swim_cim_instance *in,
                const char *from, const char *to)
{
	const swim_cim_value *v = swim_cim_instance_value(in, from);
	swim_cim_value copy = SWIM_CIM_VALUE_INIT;
	int rc;

	if (!v)
		return 0;
	if ((rc = swim_cim_value_copy(&copy, v)) == 0)
		rc = swim_cim_instance_set(out, to, &copy);
	swim_cim_value_dispose(&copy);
	return rc;
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int test_invoke(void *ctx, swim_cim_call *call,
                       const swim_cim_class *cls, const swim_cim_path *path,
                       const swim_cim_method *method,
                       const swim_cim_instance *in, swim_cim_value *ret,
                       swim_cim_instance *out)
{
	const swim_cim_value *text;
	int rc;

	(void)ctx;
	(void)path;
	if (swim_str_ieq(method->name, "StaticLength")) {
		text = swim_cim_instance_value(in, "Text");
		if ((rc = echo(out, in, "Text", "Echo")) < 0)
			return rc;
		return swim_cim_value_set_uint(ret, SWIM_CIM_UINT32,
		                               text && !text->null
		                               ? utf8_length(text->s) : 0);
	}
	if (swim_str_ieq(method->name, "Add")) {
		const swim_cim_value *a = swim_cim_instance_value(in, "A");
		const swim_cim_value *b = swim_cim_instance_value(in, "B");

		return swim_cim_value_set_uint(ret, SWIM_CIM_UINT32,
		                               (a && !a->null ? a->u : 0) +
		                               (b && !b->null ? b->u : 0));
	}
	if (swim_str_ieq(method->name, "Echo")) {
		text = swim_cim_instance_value(in, "Text");
		if ((rc = echo(out, in, "Text", "TextOut")) < 0 ||
		    (rc = echo(out, in, "Numbers", "NumbersOut")) < 0 ||
		    (rc = echo(out, in, "Peer", "PeerOut")) < 0)
			return rc;
		return swim_cim_value_set_uint(ret, SWIM_CIM_UINT32,
		                               text && !text->null
		                               ? utf8_length(text->s) : 0);
	}
	if (!swim_str_ieq(method->name, "TestMethod"))
		return swim_cim_call_fail(call, SWIM_CIM_ERR_METHOD_NOT_AVAILABLE,
		                          SWIM_ENOTSUPPORTED, "%s.%s is not "
		                          "available", cls->name, method->name);
	if ((rc = echo(out, in, "InOut", "InOut")) < 0 ||
	    (rc = echo(out, in, "InString", "OutString")) < 0 ||
	    (rc = echo(out, in, "InStrings", "OutStrings")) < 0 ||
	    (rc = echo(out, in, "InRef", "OutRef")) < 0 ||
	    (rc = echo(out, in, "InInstance", "OutInstance")) < 0)
		return rc;
	return swim_cim_value_set_uint(ret, SWIM_CIM_UINT32, 0);
}

static void test_release(void *ctx)
{
	struct store *st = ctx;

	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++)
		swim_cim_instance_free(st->v[i].inst);
	free(st->v);
	(void)pthread_mutex_destroy(&st->lock);
	free(st);
}

static const swim_provider test_provider = {
	.name = "test",
	.enumerate = test_enumerate,
	.get = test_get,
	.create = test_create,
	.modify = test_modify,
	.remove = test_remove,
	.invoke = test_invoke,
	.release = test_release,
};

/* The seed --------------------------------------------------------------- */

/* Sets property name of inst to the value MOF-like `text` has for the
 * property's type in the class (strings and arrays are set directly). */
static int set_text(swim_cim_instance *inst, const swim_cim_class *cls,
                    const char *name, const char *text)
{
	const swim_cim_property *p = swim_cim_class_property(cls, name);
	swim_cim_value v = SWIM_CIM_VALUE_INIT;
	int rc;

	if (!p)
		return swim_error_set(SWIM_ENOTFOUND, "no property %s", name);
	if ((rc = swim_cim_value_from_string(&v, p->value.type, text,
	                                     NULL)) == 0)
		rc = swim_cim_instance_set(inst, name, &v);
	swim_cim_value_dispose(&v);
	return rc;
}

/* Appends to array property name of inst the scalar text reads as (NULL
 * appends a NULL element). */
static int add_text(swim_cim_instance *inst, const swim_cim_class *cls,
                    const char *name, const char *text)
{
	const swim_cim_property *p = swim_cim_class_property(cls, name);
	const swim_cim_value *cur = swim_cim_instance_value(inst, name);
	swim_cim_value arr = SWIM_CIM_VALUE_INIT, e = SWIM_CIM_VALUE_INIT;
	int rc = 0;

	if (!p)
		return swim_error_set(SWIM_ENOTFOUND, "no property %s", name);
	if (cur && !cur->null)
		rc = swim_cim_value_copy(&arr, cur);
	else
		swim_cim_value_set_array(&arr, p->value.type);
	swim_cim_value_init(&e, p->value.type, false);
	if (rc == 0 && text)
		rc = swim_cim_value_from_string(&e, p->value.type, text, NULL);
	if (rc == 0 && (rc = swim_cim_value_append(&arr, &e)) == 0)
		rc = swim_cim_instance_set(inst, name, &arr);
	swim_cim_value_dispose(&e);
	swim_cim_value_dispose(&arr);
	return rc;
}

static int element(swim_cim_instance **out, const char *classname,
                   const char *id)
{
	int rc;

	if ((rc = swim_cim_instance_new(out, classname)) < 0)
		return rc;
	if ((rc = swim_cim_instance_set_string(*out, "InstanceID", id)) < 0) {
		swim_cim_instance_free(*out);
		*out = NULL;
	}
	return rc;
}

/* "a": every type, with what needs escaping and text beyond ASCII. */
static int seed_everything(swim_cim_instance *a, const swim_cim_class *c)
{
	static const char *const texts[][2] = {
		{ "PBoolean", "TRUE" }, { "PUint8", "255" }, { "PSint8", "-128" },
		{ "PUint16", "65535" }, { "PSint16", "-32768" },
		{ "PUint32", "4294967295" }, { "PSint32", "-2147483648" },
		{ "PUint64", "18446744073709551615" },
		{ "PSint64", "-9223372036854775808" }, { "PReal32", "1.5" },
		{ "PReal64", "-2.5e-300" }, { "PChar16", "\xce\xa9" },
		{ "PString", "<tag> & \"quotes\" 'apostrophes' "
		             "\xc3\xbcnic\xc3\xb6" "de \xe2\x9c\x93 "
		             "\xe6\x97\xa5\xe6\x9c\xac" },
		{ "PDatetime", "20250419144402.123456+060" },
		{ "PState", "2" },
	};
	static const char *const arrays[][2] = {
		{ "ABoolean", "TRUE" }, { "ABoolean", "FALSE" },
		{ "AUint8", "0" }, { "AUint8", "255" },
		{ "ASint8", "-1" }, { "AUint16", "1" }, { "ASint16", "-2" },
		{ "AUint32", "3" }, { "ASint32", "-4" }, { "AUint64", "5" },
		{ "ASint64", "-6" }, { "AReal32", "0.25" }, { "AReal64", "1e10" },
		{ "AChar16", "x" }, { "AString", "one" },
		{ "AString", "two & <three>" },
		{ "ADatetime", "20250101000000.000000+000" },
		{ "ADatetime", "00000001020304.000000:000" },
		{ "AFixed", "x" }, { "AFixed", "y" },
	};
	swim_cim_instance *inner = NULL, *inner2 = NULL;
	swim_cim_value v = SWIM_CIM_VALUE_INIT, arr = SWIM_CIM_VALUE_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < SWIM_ARRAY_SIZE(texts); i++)
		rc = set_text(a, c, texts[i][0], texts[i][1]);
	for (size_t i = 0; rc == 0 && i < SWIM_ARRAY_SIZE(arrays); i++)
		rc = add_text(a, c, arrays[i][0], arrays[i][1]);
	if (rc == 0)
		rc = add_text(a, c, "AString", NULL);
	/* Embedded: an instance in PInstance and AInstance, and another as
	 * the object in PObject. */
	if (rc == 0 && (rc = element(&inner, "SWIM_TestElement", "inner")) == 0 &&
	    (rc = swim_cim_instance_set_string(inner, "PString",
	                                       "embedded <b>&amp;</b>")) == 0 &&
	    (rc = swim_cim_instance_copy(&inner2, inner)) == 0) {
		swim_cim_value_take_instance(&v, inner2);
		swim_cim_value_set_array(&arr, SWIM_CIM_INSTANCE);
		inner2 = NULL;
		if ((rc = swim_cim_value_append(&arr, &v)) == 0 &&
		    (rc = swim_cim_instance_set(a, "AInstance", &arr)) == 0) {
			swim_cim_value_take_instance(&v, inner);
			inner = NULL;
			rc = swim_cim_instance_set(a, "PInstance", &v);
		}
	}
	if (rc == 0 && (rc = element(&inner, "SWIM_TestSubElement",
	                             "object")) == 0) {
		swim_cim_value_take_object(&v, inner, NULL);
		inner = NULL;
		rc = swim_cim_instance_set(a, "PObject", &v);
	}
	swim_cim_instance_free(inner);
	swim_cim_instance_free(inner2);
	swim_cim_value_dispose(&v);
	swim_cim_value_dispose(&arr);
	return rc;
}

static int associate(swim_cim_instance **out, const char *from,
                     const char *from_class, const char *to,
                     const char *to_class, unsigned weight)
{
	swim_cim_path *src = NULL, *dst = NULL;
	int rc;

	if ((rc = swim_cim_path_new(&src, NULL, NS, from_class)) < 0 ||
	    (rc = swim_cim_path_add_key_string(src, "InstanceID", from)) < 0 ||
	    (rc = swim_cim_path_new(&dst, NULL, NS, to_class)) < 0 ||
	    (rc = swim_cim_path_add_key_string(dst, "InstanceID", to)) < 0 ||
	    (rc = swim_cim_instance_new(out, "SWIM_TestAssociation")) < 0 ||
	    (rc = swim_cim_instance_set_ref(*out, "Source", src)) < 0 ||
	    (rc = swim_cim_instance_set_ref(*out, "Target", dst)) < 0 ||
	    (rc = swim_cim_instance_set_uint(*out, "Weight", SWIM_CIM_UINT32,
	                                     weight)) < 0) {
		swim_cim_instance_free(*out);
		*out = NULL;
	}
	swim_cim_path_free(src);
	swim_cim_path_free(dst);
	return rc;
}

/* Coerced with defaults, as the object manager would hand it over;
 * *instp is taken. */
static int seed_one(struct store *st, swim_cim_instance **instp)
{
	swim_cim_instance *inst = *instp;
	swim_cim_coerce opt = { SWIM_CIM_COERCE_KEYS | SWIM_CIM_COERCE_DEFAULTS,
	                        NULL, NULL, NULL, SWIM_CIM_OK };
	const swim_cim_class *cls = swim_cim_repo_class(st->repo, NS,
	                                                inst->classname);
	int rc;

	*instp = NULL;
	if ((rc = swim_cim_repo_coerce_instance(st->repo, NS, inst, &opt)) == 0)
		rc = store_add(st, cls, inst);
	swim_cim_instance_free(inst);
	return rc;
}

static int seed(struct store *st)
{
	const swim_cim_class *te = swim_cim_repo_class(st->repo, NS,
	                                               "SWIM_TestElement");
	swim_cim_instance *inst = NULL;
	int rc;

	if ((rc = element(&inst, "SWIM_TestElement", "a")) < 0 ||
	    (rc = seed_everything(inst, te)) < 0 ||
	    (rc = seed_one(st, &inst)) < 0 ||
	    (rc = element(&inst, "SWIM_TestElement", "b")) < 0 ||
	    (rc = seed_one(st, &inst)) < 0 ||
	    (rc = element(&inst, "SWIM_TestSubElement", "c")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "PSubOnly", "sub")) < 0 ||
	    (rc = seed_one(st, &inst)) < 0 ||
	    (rc = associate(&inst, "a", "SWIM_TestElement", "b",
	                    "SWIM_TestElement", 1)) < 0 ||
	    (rc = seed_one(st, &inst)) < 0 ||
	    (rc = associate(&inst, "a", "SWIM_TestElement", "c",
	                    "SWIM_TestSubElement", 2)) < 0 ||
	    (rc = seed_one(st, &inst)) < 0 ||
	    (rc = element(&inst, "SWIM_TestPlain", "p")) < 0 ||
	    (rc = swim_cim_instance_set_string(inst, "Text", "plain")) < 0 ||
	    (rc = swim_cim_instance_set_uint(inst, "Count", SWIM_CIM_UINT32,
	                                     1)) < 0 ||
	    (rc = seed_one(st, &inst)) < 0) {
		swim_cim_instance_free(inst);
		return swim_error_prefix("test provider: ");
	}
	return 0;
}

int swim_provider_test_add(swim_cimom *om, unsigned long ninstances)
{
	static const swim_provider_class classes[] = {
		{ NS, "SWIM_TestElement" },
		{ NS, "SWIM_TestSubElement" },
		{ NS, "SWIM_TestAssociation" },
		{ NS, "SWIM_TestPlain" },
	};
	struct store *st;
	int rc;

	if (!(st = calloc(1, sizeof(*st))))
		return swim_error_oom();
	if (pthread_mutex_init(&st->lock, NULL) != 0) {
		free(st);
		return swim_error_set(SWIM_ERROR, "test provider: no mutex");
	}
	st->repo = swim_cimom_repo(om);
	if (!swim_cim_repo_class(st->repo, NS, "SWIM_TestElement")) {
		rc = swim_error_set(SWIM_ENOTFOUND, "the test classes are not "
		                    "loaded (schema/test/swim_test.mof)");
		goto fail;
	}
	st->ngenerated = ninstances;
	if ((rc = seed(st)) < 0 ||
	    (rc = swim_cimom_add_provider(om, &test_provider, st, classes,
	                                  SWIM_ARRAY_SIZE(classes))) < 0)
		goto fail;
	return 0;
fail:
	test_release(st);
	return rc;
}
