/* The query language's insides, shared by the grammar (query.y), the
 * lexer (query.l), the driver (query.c), the checker (query_check.c),
 * the evaluator (query_eval.c) and LIKE patterns (query_like.c).
 *
 * The parse gives a small tree: conditions (q_cond) over terms (q_term),
 * which are literals or property paths (q_chain of q_step). AND and OR
 * are n-ary, so long chains of them stay flat; nesting (parentheses and
 * NOT) is bounded by query_max_depth while parsing, which bounds every
 * recursion over the tree.
 */
#ifndef SWIM_CIM_QUERY_INTERNAL_H
#define SWIM_CIM_QUERY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cim/query.h"
#include "cim/value.h"
#include "swim/buf.h"

/* q_step.index */
enum { Q_INDEX_NONE = -1, Q_INDEX_ALL = -2 };

/* One step of a property path: [Class::]Name[index]. */
typedef struct q_step {
	char *scope;          /* Class:: or NULL */
	char *name;
	long index;           /* Q_INDEX_NONE, Q_INDEX_ALL ([*]) or >= 0 */
	int line, col;
} q_step;

/* A property path: steps through embedded objects. */
typedef struct q_chain {
	q_step *v;
	size_t n;
	bool star;            /* a select item `path.*` */
} q_chain;

/* An operand: a property path or a literal. */
typedef struct q_term {
	q_chain *chain;       /* NULL for a literal */
	swim_cim_value lit;   /* uint64, sint64, real64, string, boolean, or
	                         NULL (type SWIM_CIM_NONE) */
	int line, col;
} q_term;

/* One element of a LIKE pattern; `star` repeats it any number of times. */
typedef struct q_atom {
	enum { Q_ATOM_CHAR, Q_ATOM_ANY, Q_ATOM_SET } kind;
	bool star;
	bool negate;          /* [^...] */
	uint32_t cp;          /* Q_ATOM_CHAR */
	uint32_t *ranges;     /* Q_ATOM_SET: nranges pairs lo, hi */
	size_t nranges;
} q_atom;

typedef struct q_pattern {
	q_atom *v;
	size_t n;
} q_pattern;

enum q_kind { Q_AND, Q_OR, Q_NOT, Q_CMP, Q_ISNULL, Q_ISA, Q_LIKE };
enum q_op { Q_EQ, Q_NE, Q_LT, Q_LE, Q_GT, Q_GE };
enum q_quant { Q_ONE, Q_ANY, Q_EVERY };

typedef struct q_cond {
	enum q_kind kind;
	int line, col;
	struct q_cond **kids;   /* AND, OR: all; NOT: one */
	size_t n;
	enum q_quant quant;     /* predicates: ANY/EVERY over lhs's elements */
	bool neg;               /* IS NOT NULL, NOT LIKE */
	enum q_op op;           /* Q_CMP */
	q_term *lhs, *rhs;      /* rhs: Q_CMP only */
	char *arg;              /* Q_ISA: the class; Q_LIKE: the pattern */
	q_pattern *pattern;     /* Q_LIKE, compiled */
} q_cond;

/* The projection the select list asks for: a tree of properties, each
 * whole (`all`) or narrowed to properties of its embedded object. */
typedef struct q_proj {
	char *scope, *name;     /* NULL at the root */
	bool all;
	struct q_proj *kids;
	size_t n;
} q_proj;

struct swim_cim_query {
	swim_cim_query_lang lang;
	char *text;
	bool multiline;         /* positions say the line too */
	char *from, *alias;
	int from_line, from_col;
	bool all;               /* SELECT * */
	q_chain **items;        /* the select list otherwise */
	size_t nitems;
	q_proj proj;
	q_cond *where;          /* NULL without WHERE */
};

/* A token the lexer returned: its code and where its text is. */
struct query_token {
	int code;
	size_t off, len;
};

/* The parser's and lexer's extra argument. */
struct query_parser {
	const swim_limits *lim;
	swim_cim_query *q;
	const char *text;
	size_t len;
	size_t pos;                  /* bytes the lexer has consumed */
	struct query_token tok[2];   /* the previous and the last token */
	unsigned depth;              /* open parentheses and NOTs */
	int rc;                      /* first error, 0 while none */
};

/* Records the first error as "column C: message" ("line L, column C: "
 * when the query has several lines) and returns its code. */
int swim_cim_query__error(struct query_parser *p, int line, int col,
                          int code, const char *fmt, ...) SWIM_PRINTF(5, 6);
/* The same prefix for messages about a parsed query. */
int swim_cim_query__at(const swim_cim_query *q, int line, int col,
                       int code, const char *fmt, ...) SWIM_PRINTF(5, 6);

/* Parses with a fresh reentrant lexer and parser (defined in query.y). */
int swim_cim_query__parse(struct query_parser *p);

/* Building blocks for the grammar. Each takes what it is given (and
 * frees it on failure, recording the error), since bison frees nothing
 * of a rule whose action aborts. */
q_chain *swim_cim_query__chain(struct query_parser *p, q_step *step);
int swim_cim_query__chain_add(struct query_parser *p, q_chain *c,
                              q_step *step);
q_term *swim_cim_query__term(struct query_parser *p, q_chain *chain,
                             int line, int col);
q_cond *swim_cim_query__cond(struct query_parser *p, enum q_kind kind,
                             int line, int col);
/* a AND b, a OR b: flattened into one n-ary node. */
q_cond *swim_cim_query__join(struct query_parser *p, enum q_kind kind,
                             q_cond *a, q_cond *b);
q_cond *swim_cim_query__negate(struct query_parser *p, q_cond *c, int line,
                               int col);
int swim_cim_query__add_item(struct query_parser *p, q_chain *c);
/* Checks a finished predicate (where [*] may stand, NULL literals). */
int swim_cim_query__predicate(struct query_parser *p, q_cond *c);
/* Completes the query once it is read: aliases, the projection. */
int swim_cim_query__finish(struct query_parser *p);

void swim_cim_query__step_dispose(q_step *s);
void swim_cim_query__chain_free(q_chain *c);
void swim_cim_query__term_free(q_term *t);
void swim_cim_query__cond_free(q_cond *c);

/* LIKE patterns: WQL's % _ [set], or DSP0202's . * \ [set].
 * Compiling fails with SWIM_EINVAL and *why saying what is wrong. */
int swim_cim_query__pattern(q_pattern **out, const char *text,
                            swim_cim_query_lang lang, const char **why);
void swim_cim_query__pattern_free(q_pattern *pat);
/* *out: the whole of s (UTF-8) matches. */
int swim_cim_query__like(bool *out, const q_pattern *pat, const char *s);

/* Makes room for one more element of `size` bytes in *arrayp, an array
 * of n elements that grows by doubling. SWIM_ENOMEM leaves it as it was. */
int swim_cim_query__grow(void *arrayp, size_t n, size_t size);

/* True when class sub is super or a subclass (names only without a
 * repository). */
bool swim_cim_query__isa(const swim_cim_repo *repo, const char *ns,
                         const char *sub, const char *super);

#endif
