/* libFuzzer target: constraint and provide parsing, printing and
 * matching.
 *
 * The input is a constraint and a provide separated by a NUL byte.
 * Nothing may crash; whatever parses prints to text that parses back to
 * the same thing, the attribute form agrees with the text form, and a
 * provide satisfies the constraint written from it. A violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "swim/buf.h"
#include "swim/constraint.h"
#include "swim/error.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_constraint(const swim_constraint *x, const swim_constraint *y)
{
	return swim_str_eq(x->name, y->name) && x->rel == y->rel &&
	       swim_str_eq(x->version, y->version);
}

static void check_constraint(const char *text, swim_constraint *c)
{
	swim_constraint again, attrs;
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_constraint_parse(c, text, NULL) < 0) {
		if (!*swim_error_last() || c->name || c->version)
			abort();
		return;
	}
	if (swim_constraint_format(&b, c) < 0 ||
	    swim_constraint_parse(&again, b.ptr, NULL) < 0 ||
	    !same_constraint(c, &again))
		abort();
	if (swim_constraint_from_attrs(&attrs, c->name,
	                               c->version ? swim_relation_str(c->rel) : NULL,
	                               c->version, NULL) < 0 ||
	    !same_constraint(c, &attrs))
		abort();
	swim_constraint_dispose(&again);
	swim_constraint_dispose(&attrs);
	swim_buf_dispose(&b);
}

static void check_provide(const char *text, swim_provide *p)
{
	swim_provide again;
	swim_constraint self;
	swim_buf b = SWIM_BUF_INIT(0);

	if (swim_provide_parse(p, text, NULL) < 0) {
		if (!*swim_error_last() || p->name || p->version)
			abort();
		return;
	}
	if (swim_provide_format(&b, p) < 0 ||
	    swim_provide_parse(&again, b.ptr, NULL) < 0 ||
	    !swim_str_eq(p->name, again.name) ||
	    !swim_str_eq(p->version, again.version))
		abort();
	/* `name = version` and `name` are satisfied by the provide. */
	if (swim_constraint_from_attrs(&self, p->name, p->version ? "=" : NULL,
	                               p->version, NULL) < 0 ||
	    !swim_constraint_matches(&self, p))
		abort();
	swim_constraint_dispose(&self);
	swim_provide_dispose(&again);
	swim_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *provide;
	swim_constraint c;
	swim_provide p;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	provide = buf + strlen(buf) + 1;
	if (provide > buf + size)
		provide = buf + size;
	check_constraint(buf, &c);
	check_provide(provide, &p);
	if (c.name && p.name)
		(void)swim_constraint_matches(&c, &p);
	swim_constraint_dispose(&c);
	swim_provide_dispose(&p);
	free(buf);
	return 0;
}
