/* LIKE patterns. Both languages compile to one form, a list of atoms
 * (a character, any character, or a set) each of which may repeat, and
 * one matcher runs it over the whole string:
 *
 *   WQL   %  any run of characters   _  one character
 *         [abc] [a-z] [^a-z]  one character of (not of) the set; a ']'
 *         right after '[' or '[^' is a member; no escape character:
 *         write [%] [_] [[] for the characters themselves
 *   CQL   .  one character           *  the atom before, any number of
 *         times (.* is any run)      \  makes the next character plain
 *         [...] as in WQL, with \ escaping inside too (DSP0202)
 *
 * Matching is by Unicode character, case-sensitive, and simulates the
 * pattern as an automaton (every atom position at once), so its time is
 * the string's length times the pattern's, whatever the pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "cim/query_internal.h"
#include "swim/error.h"

/* The code point at *s (valid UTF-8), moving *s past it. */
static uint32_t next_cp(const char **s)
{
	const unsigned char *u = (const unsigned char *)*s;
	uint32_t cp = u[0];
	size_t n = 1, i;

	if (cp >= 0xf0) {
		cp &= 0x07;
		n = 4;
	} else if (cp >= 0xe0) {
		cp &= 0x0f;
		n = 3;
	} else if (cp >= 0xc0) {
		cp &= 0x1f;
		n = 2;
	}
	for (i = 1; i < n && (u[i] & 0xc0) == 0x80; i++)
		cp = cp << 6 | (u[i] & 0x3f);
	*s += i;                 /* short of n only if truncated */
	return cp;
}

void swim_cim_query__pattern_free(q_pattern *pat)
{
	if (!pat)
		return;
	for (size_t i = 0; i < pat->n; i++)
		free(pat->v[i].ranges);
	free(pat->v);
	free(pat);
}

static int add_atom(q_pattern *pat, q_atom a)
{
	if (swim_cim_query__grow(&pat->v, pat->n, sizeof(*pat->v)) < 0) {
		free(a.ranges);
		return SWIM_ENOMEM;
	}
	pat->v[pat->n++] = a;
	return 0;
}

static int add_range(q_atom *a, uint32_t lo, uint32_t hi)
{
	size_t n = a->nranges;

	if (swim_cim_query__grow(&a->ranges, n, 2 * sizeof(*a->ranges)) < 0)
		return SWIM_ENOMEM;
	a->ranges[2 * n] = lo < hi ? lo : hi;
	a->ranges[2 * n + 1] = lo < hi ? hi : lo;
	a->nranges++;
	return 0;
}

/* A set from just after '[' to its ']', which *s ends past. */
static int set_atom(q_atom *a, const char **s, bool escapes,
                    const char **why)
{
	const char *p = *s;
	bool first = true;
	int rc;

	*a = (q_atom){ .kind = Q_ATOM_SET };
	if (*p == '^') {
		a->negate = true;
		p++;
	}
	for (;;) {
		uint32_t lo, hi;

		if (!*p) {
			*why = "'[' has no ']'";
			return SWIM_EINVAL;
		}
		if (*p == ']' && !first)
			break;
		first = false;
		if (escapes && *p == '\\' && p[1])
			p++;
		lo = hi = next_cp(&p);
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (escapes && *p == '\\' && p[1])
				p++;
			hi = next_cp(&p);
		}
		if ((rc = add_range(a, lo, hi)) < 0)
			return rc;
	}
	*s = p + 1;
	return 0;
}

/* One atom of pattern text at *s; `star` is set for a WQL % or when a
 * CQL '*' follows. */
static int next_atom(q_pattern *pat, const char **s,
                     swim_cim_query_lang lang, const char **why)
{
	bool cql = lang == SWIM_CIM_QUERY_CQL;
	q_atom a = { .kind = Q_ATOM_CHAR };
	char c = **s;
	int rc;

	if (c == '[') {
		++*s;
		if ((rc = set_atom(&a, s, cql, why)) < 0) {
			free(a.ranges);
			return rc;
		}
	} else if (cql ? c == '.' : c == '_' || c == '%') {
		++*s;
		a.kind = Q_ATOM_ANY;
		a.star = c == '%';
	} else if (cql && c == '*') {
		*why = "'*' repeats what stands before it: a character, '.' or "
		       "a set";
		return SWIM_EINVAL;
	} else {
		if (cql && c == '\\' && !(*s)[1]) {
			*why = "'\\' at the end escapes nothing";
			return SWIM_EINVAL;
		}
		if (cql && c == '\\')
			++*s;
		a.cp = next_cp(s);
	}
	if (cql && **s == '*') {
		++*s;
		a.star = true;
	}
	return add_atom(pat, a);
}

int swim_cim_query__pattern(q_pattern **out, const char *text,
                            swim_cim_query_lang lang, const char **why)
{
	q_pattern *pat = calloc(1, sizeof(*pat));
	int rc = 0;

	*out = NULL;
	*why = NULL;
	if (!pat)
		return SWIM_ENOMEM;
	while (rc == 0 && *text)
		rc = next_atom(pat, &text, lang, why);
	if (rc < 0) {
		swim_cim_query__pattern_free(pat);
		return rc;
	}
	*out = pat;
	return 0;
}

static bool atom_matches(const q_atom *a, uint32_t c)
{
	bool in = false;

	switch (a->kind) {
	case Q_ATOM_CHAR:
		return c == a->cp;
	case Q_ATOM_ANY:
		return true;
	default:
		for (size_t i = 0; i < a->nranges && !in; i++)
			in = c >= a->ranges[2 * i] && c <= a->ranges[2 * i + 1];
		return in != a->negate;
	}
}

/* Atoms that may repeat may also be absent: where one is reached, so is
 * the next. */
static void closure(const q_pattern *pat, bool *set)
{
	for (size_t i = 0; i < pat->n; i++)
		if (set[i] && pat->v[i].star)
			set[i + 1] = true;
}

int swim_cim_query__like(bool *out, const q_pattern *pat, const char *s)
{
	bool small[2][64], *heap = NULL, *cur, *next, *swap, live = true;
	size_t m = pat->n;

	if (m < 64) {
		cur = small[0];
		next = small[1];
	} else {
		if (!(heap = calloc(2 * (m + 1), sizeof(*heap))))
			return swim_error_oom();
		cur = heap;
		next = heap + m + 1;
	}
	memset(cur, 0, (m + 1) * sizeof(*cur));
	cur[0] = true;
	closure(pat, cur);
	while (*s && live) {
		uint32_t c = next_cp(&s);

		memset(next, 0, (m + 1) * sizeof(*next));
		live = false;
		for (size_t i = 0; i < m; i++) {
			if (!cur[i] || !atom_matches(&pat->v[i], c))
				continue;
			next[pat->v[i].star ? i : i + 1] = true;
			live = true;
		}
		closure(pat, next);
		swap = cur;
		cur = next;
		next = swap;
	}
	*out = live && cur[m];
	free(heap);
	return 0;
}
