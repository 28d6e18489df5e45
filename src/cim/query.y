/* WQL and CQL queries (docs/query.md): one grammar for both languages.
 * Pure and reentrant; the query is built in p->q as it is read. */
%define api.pure full
%define api.prefix {swim_query_}
%define api.token.prefix {TOK_}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {struct query_parser *p}

%code requires {
#include "cim/query_internal.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code {
#define YYSTYPE SWIM_QUERY_STYPE
#define YYLTYPE SWIM_QUERY_LTYPE
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "util/str.h"
#include "query.lex.h"

/* Bison's own stack only overflows past query_max_depth, which the
 * grammar refuses first; say so anyway. */
static void swim_query_error(YYLTYPE *loc, yyscan_t scanner,
                             struct query_parser *p, const char *msg)
{
	(void)scanner;
	(void)swim_cim_query__error(p, loc->first_line, loc->first_column,
	                            SWIM_ELIMIT, "%s (query nested too deeply)",
	                            msg);
}

/* Parentheses and NOT nest; each level is counted when it opens. */
static int enter(struct query_parser *p, const YYLTYPE *loc)
{
	if (++p->depth > p->lim->query_max_depth)
		return swim_cim_query__error(p, loc->first_line,
		                             loc->first_column, SWIM_ELIMIT,
		                             "nested deeper than query_max_depth "
		                             "(%llu)",
		                             (unsigned long long)
		                             p->lim->query_max_depth);
	return 0;
}

#define CHECK(expr)                                                      \
	do {                                                             \
		if ((expr) < 0)                                          \
			YYABORT;                                         \
	} while (0)

/* For constructors that return NULL after recording the error. */
#define MADE(expr)                                                       \
	do {                                                             \
		if (!(expr))                                             \
			YYABORT;                                         \
	} while (0)

/* A predicate node whose left operand is lhs (taken). */
static q_cond *new_predicate(struct query_parser *p, enum q_quant quant,
                         q_term *lhs, const YYLTYPE *loc)
{
	q_cond *c = swim_cim_query__cond(p, Q_CMP, loc->first_line,
	                                 loc->first_column);

	if (!c) {
		swim_cim_query__term_free(lhs);
		return NULL;
	}
	c->quant = quant;
	c->lhs = lhs;
	return c;
}

static q_term *new_literal(struct query_parser *p, const YYLTYPE *loc)
{
	return swim_cim_query__term(p, NULL, loc->first_line,
	                            loc->first_column);
}
}

%union {
	char *str;
	q_term *term;
	q_chain *chain;
	q_step step;
	q_cond *cond;
	enum q_op op;
	long index;
}

%token <str> IDENT "name" STRING "string"
%token <term> NUMBER "number"
%token SELECT "SELECT" FROM "FROM" WHERE "WHERE" AS "AS" AND "AND" OR "OR"
%token NOT "NOT" IS "IS" ISA "ISA" LIKE "LIKE" ANY "ANY" EVERY "EVERY"
%token TRUE "TRUE" FALSE "FALSE" NULL "NULL"
%token EQ "=" NE "<>" LT "<" LE "<=" GT ">" GE ">=" SCOPE "::"

%type <term> operand literal
%type <chain> chain
%type <step> step
%type <cond> cond predicate lhs
%type <op> cmp
%type <index> index_opt

%destructor { free($$); } <str>
%destructor { swim_cim_query__term_free($$); } <term>
%destructor { swim_cim_query__chain_free($$); } <chain>
%destructor { swim_cim_query__step_dispose(&$$); } <step>
%destructor { swim_cim_query__cond_free($$); } <cond>

%left OR
%left AND
%precedence NOT

%%

query
	: SELECT select_list FROM class alias_opt where_opt
		{ CHECK(swim_cim_query__finish(p)); }
	;

select_list
	: '*' { p->q->all = true; }
	| items
	;

items
	: item
	| items ',' item
	;

item
	: chain { CHECK(swim_cim_query__add_item(p, $1)); }
	| chain '.' '*'
		{ $1->star = true; CHECK(swim_cim_query__add_item(p, $1)); }
	;

class
	: IDENT
		{
			p->q->from = $1;
			p->q->from_line = @1.first_line;
			p->q->from_col = @1.first_column;
		}
	;

alias_opt
	: %empty
	| IDENT { p->q->alias = $1; }
	| AS IDENT { p->q->alias = $2; }
	;

where_opt
	: %empty
	| WHERE cond { p->q->where = $2; }
	;

cond
	: cond OR cond { MADE($$ = swim_cim_query__join(p, Q_OR, $1, $3)); }
	| cond AND cond { MADE($$ = swim_cim_query__join(p, Q_AND, $1, $3)); }
	| NOT { CHECK(enter(p, &@1)); } cond %prec NOT
		{
			p->depth--;
			MADE($$ = swim_cim_query__negate(p, $3, @1.first_line,
			                                 @1.first_column));
		}
	| '(' { CHECK(enter(p, &@1)); } cond ')' { p->depth--; $$ = $3; }
	| predicate { CHECK(swim_cim_query__predicate(p, $1)); $$ = $1; }
	;

predicate
	: lhs cmp operand { $$ = $1; $$->op = $2; $$->rhs = $3; }
	| lhs IS NULL { $$ = $1; $$->kind = Q_ISNULL; }
	| lhs IS NOT NULL { $$ = $1; $$->kind = Q_ISNULL; $$->neg = true; }
	| lhs ISA IDENT
		{ $$ = $1; $$->kind = Q_ISA; $$->arg = $3;
		  $$->line = @3.first_line; $$->col = @3.first_column; }
	| lhs LIKE STRING
		{ $$ = $1; $$->kind = Q_LIKE; $$->arg = $3;
		  $$->line = @3.first_line; $$->col = @3.first_column; }
	| lhs NOT LIKE STRING
		{ $$ = $1; $$->kind = Q_LIKE; $$->neg = true; $$->arg = $4;
		  $$->line = @4.first_line; $$->col = @4.first_column; }
	;

lhs
	: operand { MADE($$ = new_predicate(p, Q_ONE, $1, &@1)); }
	| ANY operand { MADE($$ = new_predicate(p, Q_ANY, $2, &@1)); }
	| EVERY operand { MADE($$ = new_predicate(p, Q_EVERY, $2, &@1)); }
	;

cmp
	: EQ { $$ = Q_EQ; }
	| NE { $$ = Q_NE; }
	| LT { $$ = Q_LT; }
	| LE { $$ = Q_LE; }
	| GT { $$ = Q_GT; }
	| GE { $$ = Q_GE; }
	;

operand
	: chain { MADE($$ = swim_cim_query__term(p, $1, @1.first_line,
	                                         @1.first_column)); }
	| literal
	;

literal
	: NUMBER
	| STRING
		{
			if (!($$ = new_literal(p, &@1))) {
				free($1);
				YYABORT;
			}
			/* takes the string, which the lexer checked is UTF-8 */
			(void)swim_cim_value_take_string(&$$->lit, $1);
		}
	| TRUE
		{ MADE($$ = new_literal(p, &@1));
		  swim_cim_value_set_bool(&$$->lit, true); }
	| FALSE
		{ MADE($$ = new_literal(p, &@1));
		  swim_cim_value_set_bool(&$$->lit, false); }
	| NULL { MADE($$ = new_literal(p, &@1)); }
	;

chain
	: step { MADE($$ = swim_cim_query__chain(p, &$1)); }
	| chain '.' step
		{ $$ = $1; CHECK(swim_cim_query__chain_add(p, $$, &$3)); }
	;

step
	: IDENT index_opt
		{
			$$ = (q_step){ NULL, $1, $2, @1.first_line,
			               @1.first_column };
		}
	| IDENT SCOPE IDENT index_opt
		{
			$$ = (q_step){ $1, $3, $4, @1.first_line,
			               @1.first_column };
		}
	;

index_opt
	: %empty { $$ = Q_INDEX_NONE; }
	| '[' '*' ']' { $$ = Q_INDEX_ALL; }
	| '[' NUMBER ']'
		{
			const swim_cim_value *v = &$2->lit;

			if (v->type != SWIM_CIM_UINT64 || v->u > (1u << 24)) {
				(void)swim_cim_query__error(p, @2.first_line,
				                            @2.first_column,
				                            SWIM_EINVAL,
				                            "an index is a whole "
				                            "number from 0, or *");
				swim_cim_query__term_free($2);
				YYABORT;
			}
			$$ = (long)v->u;
			swim_cim_query__term_free($2);
		}
	;

%%

/* How a token the parser expected reads in a message. A name means a
 * class after FROM and ISA, an alias after the class, else a property. */
static const char *expected_name(const struct query_parser *p,
                                 yysymbol_kind_t sym)
{
	int prev = p->tok[0].code;

	switch (sym) {
	case YYSYMBOL_YYEOF:
		return "the end of the query";
	case YYSYMBOL_IDENT:
		if (prev == TOK_FROM || prev == TOK_ISA)
			return "a class name";
		if (prev == TOK_AS || prev == TOK_IDENT)
			return "an alias";
		return "a property name";
	case YYSYMBOL_STRING:
		return prev == TOK_LIKE ? "a pattern string" : "a string";
	case YYSYMBOL_NUMBER:
		return "a number";
	case YYSYMBOL_EQ: case YYSYMBOL_NE: case YYSYMBOL_LT:
	case YYSYMBOL_LE: case YYSYMBOL_GT: case YYSYMBOL_GE:
		return "a comparison (= <> < <= > >=)";
	case YYSYMBOL_SCOPE:
		return "'::'";
	default:
		return yysymbol_name(sym);
	}
}

static bool is_value(yysymbol_kind_t sym)
{
	return sym == YYSYMBOL_NUMBER || sym == YYSYMBOL_STRING ||
	       sym == YYSYMBOL_TRUE || sym == YYSYMBOL_FALSE ||
	       sym == YYSYMBOL_NULL;
}

/* Appends the source text of token t, quoted (strings are already) and
 * escaped, cut after 40 bytes. */
static int put_token(swim_buf *b, const struct query_parser *p,
                     const struct query_token *t)
{
	const char *quote = t->code == TOK_STRING ? "" : "'";
	size_t len = t->len > 40 ? 40 : t->len;
	int rc;

	if ((rc = swim_buf_puts(b, quote)) < 0 ||
	    (rc = swim_str_escape(b, p->text + t->off, len)) < 0 ||
	    (rc = swim_buf_puts(b, len < t->len ? "..." : "")) < 0 ||
	    (rc = swim_buf_puts(b, quote)) < 0)
		return rc;
	return 0;
}

/* "expected A, B or C after 'x', found 'y'": what could come next (each
 * kind once, literals together as "a value"), the token before, and the
 * one that does not fit. */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
                                 struct query_parser *p)
{
	yysymbol_kind_t exp[YYNTOKENS], found = yypcontext_token(ctx);
	const YYLTYPE *loc = yypcontext_location(ctx);
	const char *names[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS), k = 0;
	int values = 0, rc = 0;
	swim_buf b = SWIM_BUF_INIT(4096);

	(void)scanner;
	for (int i = 0; i < n; i++)
		values += is_value(exp[i]);
	for (int i = 0; i < n; i++) {
		const char *name = values > 1 && is_value(exp[i])
		                   ? "a value" : expected_name(p, exp[i]);
		bool dup = false;

		for (int j = 0; j < k; j++)
			dup |= strcmp(names[j], name) == 0;
		if (!dup && exp[i] != YYSYMBOL_YYEOF)
			names[k++] = name;
	}
	if (n > 0 && exp[0] == YYSYMBOL_YYEOF)       /* the end goes last */
		names[k++] = expected_name(p, YYSYMBOL_YYEOF);
	for (int i = 0; rc == 0 && i < k; i++)
		rc = swim_buf_printf(&b, "%s%s", i == 0 ? "expected "
		                     : i + 1 == k ? " or " : ", ", names[i]);
	if (rc == 0 && k == 0)
		rc = swim_buf_puts(&b, "nothing can follow");
	if (rc == 0 && p->tok[0].code)
		rc = swim_buf_puts(&b, " after ");
	if (rc == 0 && p->tok[0].code)
		rc = put_token(&b, p, &p->tok[0]);
	if (rc == 0 && !p->tok[0].code)
		rc = swim_buf_puts(&b, " at the start of the query");
	if (rc == 0)
		rc = swim_buf_puts(&b, ", found ");
	if (rc == 0 && found == YYSYMBOL_YYEOF)
		rc = swim_buf_puts(&b, "the end of the query");
	else if (rc == 0)
		rc = put_token(&b, p, &p->tok[1]);
	if (rc < 0)
		rc = swim_cim_query__error(p, loc->first_line, loc->first_column,
		                           SWIM_ENOMEM, "out of memory");
	else
		rc = swim_cim_query__error(p, loc->first_line, loc->first_column,
		                           SWIM_EINVAL, "%s", b.ptr);
	swim_buf_dispose(&b);
	return rc;
}

int swim_cim_query__parse(struct query_parser *p)
{
	yyscan_t scanner = NULL;
	YY_BUFFER_STATE buf;
	int rc;

	if (p->len > INT_MAX)
		return swim_cim_query__error(p, 0, 0, SWIM_ELIMIT,
		                             "longer than a query may be (2 GiB)");
	if (swim_query_lex_init_extra(p, &scanner) != 0)
		return swim_cim_query__error(p, 0, 0, SWIM_ENOMEM,
		                             "out of memory");
	if (!(buf = swim_query__scan_bytes(p->text, (int)p->len, scanner))) {
		swim_query_lex_destroy(scanner);
		return swim_cim_query__error(p, 0, 0, SWIM_ENOMEM,
		                             "out of memory");
	}
	rc = swim_query_parse(scanner, p);
	swim_query__delete_buffer(buf, scanner);
	swim_query_lex_destroy(scanner);
	if (p->rc < 0)
		return p->rc;
	if (rc != 0)
		return swim_cim_query__error(p, 0, 0, SWIM_EINVAL,
		                             "cannot parse");
	return 0;
}
