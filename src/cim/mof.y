/* MOF grammar (DSP0221, the parts a CIM schema and its static instances
 * use). Pure and reentrant; declarations are handed to mof.c as they
 * complete. */
%define api.pure full
%define api.prefix {swim_mof_}
%define api.token.prefix {TOK_}
%define parse.error detailed
%locations
%param {yyscan_t scanner}
%parse-param {struct mof_parser *p}

%code requires {
#include "cim/mof_internal.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code {
#define YYSTYPE SWIM_MOF_STYPE
#define YYLTYPE SWIM_MOF_LTYPE
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "util/str.h"
#include "mof.lex.h"

static void swim_mof_error(YYLTYPE *loc, yyscan_t scanner,
                           struct mof_parser *p, const char *msg)
{
	(void)scanner;
	(void)swim_mof__error(p, loc->first_line, loc->first_column,
	                      SWIM_EINVAL, "%s", msg);
}

/* A soft keyword used as a name keeps its canonical spelling. */
static char *keyword(struct mof_parser *p, const char *word, YYLTYPE *loc)
{
	char *s = swim_strdup(word);

	if (!s)
		(void)swim_mof__error(p, loc->first_line, loc->first_column,
		                      SWIM_ENOMEM, "out of memory");
	return s;
}

/* Bison does not free the values of a rule whose action aborts, so an
 * action that aborts frees them first: NODE and APPEND are given what to
 * free. */
#define NODE(var, kind, loc, ...)                                        \
	do {                                                             \
		if (!((var) = swim_mof__node((kind), (loc).first_line,   \
		                              (loc).first_column))) {    \
			__VA_ARGS__;                                     \
			(void)swim_mof__error(p, (loc).first_line,       \
			                      (loc).first_column,        \
			                      SWIM_ENOMEM, "out of memory"); \
			YYABORT;                                         \
		}                                                        \
	} while (0)

/* On failure the kid is freed by swim_mof__append(), the list here. */
#define APPEND(list, kid)                                                \
	do {                                                             \
		if (swim_mof__append((list), (kid)) < 0) {               \
			swim_mof__node_free(list);                       \
			(void)swim_mof__error(p, 0, 0, SWIM_ENOMEM,      \
			                      "out of memory");          \
			YYABORT;                                         \
		}                                                        \
	} while (0)

#define CHECK(expr)                                                      \
	do {                                                             \
		if ((expr) < 0)                                          \
			YYABORT;                                         \
	} while (0)
}

%union {
	char *str;
	mof_node *node;
	swim_cim_type type;
	unsigned bits;
}

%token <str> IDENTIFIER "identifier" ALIAS "alias" STRING "string"
%token <node> INT "integer" REAL "real number" CHAR "character"
%token <type> DATATYPE "data type"
%token PRAGMA "#pragma" CLASS "class" INSTANCE "instance" OF "of"
%token QUALIFIER "qualifier" AS "as" REF "ref" SCOPE "scope" FLAVOR "flavor"
%token ANY "any" ASSOCIATION "association" INDICATION "indication"
%token PROPERTY "property" REFERENCE "reference" METHOD "method"
%token PARAMETER "parameter" ENABLEOVERRIDE "EnableOverride"
%token DISABLEOVERRIDE "DisableOverride" RESTRICTED "Restricted"
%token TOSUBCLASS "ToSubclass" TOINSTANCE "ToInstance"
%token TRANSLATABLE "Translatable" TRUE "TRUE" FALSE "FALSE" NULL "NULL"

%type <str> name string alias_opt super_opt
%type <node> array_opt default_opt initializer constant scalar
%type <node> array_init array_items quals_opt qual_list qualifier
%type <node> qual_value_opt qual_flavors_opt flavor_words flavor_decl_opt
%type <node> flavor_list flavor features feature params_opt params param
%type <node> values value
%type <bits> scopes scope

%destructor { free($$); } <str>
%destructor { swim_mof__node_free($$); } <node>

%%

mof
	: %empty
	| mof production
	;

production
	: pragma
	| qualifier_decl
	| class_decl
	| instance_decl
	;

pragma
	: PRAGMA name '(' string ')'
		{ CHECK(swim_mof__pragma(p, $2, $4, @1.first_line,
		                         @1.first_column)); }
	;

string
	: STRING
	| string STRING
		{
			size_t a = strlen($1), b = strlen($2);

			if (a + b > p->load->lim->string_max_bytes) {
				(void)swim_mof__error(p, @2.first_line,
				                      @2.first_column, SWIM_ELIMIT,
				                      "string longer than "
				                      "string_max_bytes");
				free($1);
				free($2);
				YYABORT;
			}
			if (!($$ = realloc($1, a + b + 1))) {
				(void)swim_mof__error(p, @2.first_line,
				                      @2.first_column, SWIM_ENOMEM,
				                      "out of memory");
				free($1);
				free($2);
				YYABORT;
			}
			memcpy($$ + a, $2, b + 1);
			free($2);
		}
	;

name
	: IDENTIFIER
	| ANY { if (!($$ = keyword(p, "Any", &@1))) YYABORT; }
	| ASSOCIATION { if (!($$ = keyword(p, "Association", &@1))) YYABORT; }
	| INDICATION { if (!($$ = keyword(p, "Indication", &@1))) YYABORT; }
	| PROPERTY { if (!($$ = keyword(p, "Property", &@1))) YYABORT; }
	| REFERENCE { if (!($$ = keyword(p, "Reference", &@1))) YYABORT; }
	| METHOD { if (!($$ = keyword(p, "Method", &@1))) YYABORT; }
	| PARAMETER { if (!($$ = keyword(p, "Parameter", &@1))) YYABORT; }
	| SCOPE { if (!($$ = keyword(p, "Scope", &@1))) YYABORT; }
	| FLAVOR { if (!($$ = keyword(p, "Flavor", &@1))) YYABORT; }
	| ENABLEOVERRIDE { if (!($$ = keyword(p, "EnableOverride", &@1))) YYABORT; }
	| DISABLEOVERRIDE { if (!($$ = keyword(p, "DisableOverride", &@1))) YYABORT; }
	| RESTRICTED { if (!($$ = keyword(p, "Restricted", &@1))) YYABORT; }
	| TOSUBCLASS { if (!($$ = keyword(p, "ToSubclass", &@1))) YYABORT; }
	| TOINSTANCE { if (!($$ = keyword(p, "ToInstance", &@1))) YYABORT; }
	| TRANSLATABLE { if (!($$ = keyword(p, "Translatable", &@1))) YYABORT; }
	;

/* Qualifier declarations ------------------------------------------------ */

qualifier_decl
	: QUALIFIER name ':' DATATYPE array_opt default_opt ',' SCOPE '('
	  scopes ')' flavor_decl_opt ';'
		{ CHECK(swim_mof__qualifier_decl(p, $2, $4, $5, $6, $10, $12,
		                                 @2.first_line,
		                                 @2.first_column)); }
	;

scopes
	: scope
	| scopes ',' scope { $$ = $1 | $3; }
	;

scope
	: CLASS { $$ = SWIM_CIM_SCOPE_CLASS; }
	| ASSOCIATION { $$ = SWIM_CIM_SCOPE_ASSOCIATION; }
	| INDICATION { $$ = SWIM_CIM_SCOPE_INDICATION; }
	| PROPERTY { $$ = SWIM_CIM_SCOPE_PROPERTY; }
	| REFERENCE { $$ = SWIM_CIM_SCOPE_REFERENCE; }
	| METHOD { $$ = SWIM_CIM_SCOPE_METHOD; }
	| PARAMETER { $$ = SWIM_CIM_SCOPE_PARAMETER; }
	| QUALIFIER { $$ = SWIM_CIM_SCOPE_QUALIFIER; }
	| ANY { $$ = SWIM_CIM_SCOPE_ANY; }
	;

flavor_decl_opt
	: %empty { $$ = NULL; }
	| ',' FLAVOR '(' flavor_list ')' { $$ = $4; }
	;

flavor_list
	: flavor
	| flavor_list ',' flavor
		{
			$$ = $1;
			$$->flavor_set |= $3->flavor_set;
			$$->flavor_clear |= $3->flavor_clear;
			swim_mof__node_free($3);
		}
	;

flavor
	: ENABLEOVERRIDE
		{ NODE($$, MOF_LIST, @1, (void)0);
		  $$->flavor_set = SWIM_CIM_FLAVOR_OVERRIDABLE; }
	| DISABLEOVERRIDE
		{ NODE($$, MOF_LIST, @1, (void)0);
		  $$->flavor_clear = SWIM_CIM_FLAVOR_OVERRIDABLE; }
	| TOSUBCLASS
		{ NODE($$, MOF_LIST, @1, (void)0);
		  $$->flavor_set = SWIM_CIM_FLAVOR_TOSUBCLASS; }
	| RESTRICTED
		{ NODE($$, MOF_LIST, @1, (void)0);
		  $$->flavor_clear = SWIM_CIM_FLAVOR_TOSUBCLASS; }
	| TOINSTANCE
		{ NODE($$, MOF_LIST, @1, (void)0);
		  $$->flavor_set = SWIM_CIM_FLAVOR_TOINSTANCE; }
	| TRANSLATABLE
		{ NODE($$, MOF_LIST, @1, (void)0);
		  $$->flavor_set = SWIM_CIM_FLAVOR_TRANSLATABLE; }
	;

/* Qualifier lists --------------------------------------------------------- */

quals_opt
	: %empty { $$ = NULL; }
	| '[' qual_list ']' { $$ = $2; }
	;

qual_list
	: qualifier
		{ NODE($$, MOF_LIST, @1, swim_mof__node_free($1));
		  APPEND($$, $1); }
	| qual_list ',' qualifier { $$ = $1; APPEND($$, $3); }
	;

qualifier
	: name qual_value_opt qual_flavors_opt
		{
			NODE($$, MOF_QUALIFIER, @1, free($1);
			     swim_mof__node_free($2); swim_mof__node_free($3));
			$$->name = $1;
			$$->init = $2;
			if ($3) {
				$$->flavor_given = true;
				$$->flavor_set = $3->flavor_set;
				$$->flavor_clear = $3->flavor_clear;
				swim_mof__node_free($3);
			}
		}
	;

qual_value_opt
	: %empty { $$ = NULL; }
	| '(' scalar ')' { $$ = $2; }
	| array_init
	;

qual_flavors_opt
	: %empty { $$ = NULL; }
	| ':' flavor_words { $$ = $2; }
	;

flavor_words
	: flavor
	| flavor_words flavor
		{
			$$ = $1;
			$$->flavor_set |= $2->flavor_set;
			$$->flavor_clear |= $2->flavor_clear;
			swim_mof__node_free($2);
		}
	;

/* Classes ------------------------------------------------------------------ */

class_decl
	: quals_opt CLASS name alias_opt super_opt '{' features '}' ';'
		{
			free($4);
			CHECK(swim_mof__class(p, $1, $3, $5, $7, @3.first_line,
			                      @3.first_column));
		}
	;

alias_opt
	: %empty { $$ = NULL; }
	| AS ALIAS { $$ = $2; }
	;

super_opt
	: %empty { $$ = NULL; }
	| ':' name { $$ = $2; }
	;

features
	: %empty { NODE($$, MOF_LIST, @$, (void)0); }
	| features feature { $$ = $1; APPEND($$, $2); }
	;

feature
	: quals_opt DATATYPE name array_opt default_opt ';'
		{
			NODE($$, MOF_PROPERTY, @3, swim_mof__node_free($1);
			     free($3); swim_mof__node_free($4);
			     swim_mof__node_free($5));
			$$->quals = $1;
			$$->type = $2;
			$$->name = $3;
			if ($4) {
				$$->array = true;
				$$->array_size = (uint32_t)$4->mag;
				swim_mof__node_free($4);
			}
			$$->init = $5;
		}
	| quals_opt name REF name default_opt ';'
		{
			NODE($$, MOF_REFERENCE, @4, swim_mof__node_free($1);
			     free($2); free($4); swim_mof__node_free($5));
			$$->quals = $1;
			$$->type = SWIM_CIM_REFERENCE;
			$$->refclass = $2;
			$$->name = $4;
			$$->init = $5;
		}
	| quals_opt DATATYPE name '(' params_opt ')' ';'
		{
			$$ = $5;
			$$->kind = MOF_METHOD;
			$$->line = @3.first_line;
			$$->col = @3.first_column;
			$$->quals = $1;
			$$->type = $2;
			$$->name = $3;
		}
	;

params_opt
	: %empty { NODE($$, MOF_LIST, @$, (void)0); }
	| params
	;

params
	: param
		{ NODE($$, MOF_LIST, @1, swim_mof__node_free($1));
		  APPEND($$, $1); }
	| params ',' param { $$ = $1; APPEND($$, $3); }
	;

param
	: quals_opt DATATYPE name array_opt
		{
			NODE($$, MOF_PARAMETER, @3, swim_mof__node_free($1);
			     free($3); swim_mof__node_free($4));
			$$->quals = $1;
			$$->type = $2;
			$$->name = $3;
			if ($4) {
				$$->array = true;
				$$->array_size = (uint32_t)$4->mag;
				swim_mof__node_free($4);
			}
		}
	| quals_opt name REF name array_opt
		{
			NODE($$, MOF_PARAMETER, @4, swim_mof__node_free($1);
			     free($2); free($4); swim_mof__node_free($5));
			$$->quals = $1;
			$$->type = SWIM_CIM_REFERENCE;
			$$->refclass = $2;
			$$->name = $4;
			if ($5) {
				$$->array = true;
				$$->array_size = (uint32_t)$5->mag;
				swim_mof__node_free($5);
			}
		}
	;

/* An array suffix: NULL when absent, else a node whose mag is the fixed
 * size (0 when variable). */
array_opt
	: %empty { $$ = NULL; }
	| '[' ']' { NODE($$, MOF_INT, @1, (void)0); }
	| '[' INT ']'
		{
			if ($2->neg || $2->mag == 0 || $2->mag > UINT32_MAX) {
				(void)swim_mof__error(p, @2.first_line,
				                      @2.first_column, SWIM_EINVAL,
				                      "an array size must be a "
				                      "positive number");
				swim_mof__node_free($2);
				YYABORT;
			}
			$$ = $2;
		}
	;

default_opt
	: %empty { $$ = NULL; }
	| '=' initializer { $$ = $2; }
	;

/* Instances ----------------------------------------------------------------- */

instance_decl
	: quals_opt INSTANCE OF name alias_opt '{' values '}' ';'
		{ CHECK(swim_mof__instance(p, $1, $4, $5, $7, @4.first_line,
		                           @4.first_column)); }
	;

values
	: %empty { NODE($$, MOF_LIST, @$, (void)0); }
	| values value { $$ = $1; APPEND($$, $2); }
	;

value
	: quals_opt name '=' initializer ';'
		{
			NODE($$, MOF_VALUE, @2, swim_mof__node_free($1);
			     free($2); swim_mof__node_free($4));
			$$->quals = $1;
			$$->name = $2;
			$$->init = $4;
		}
	;

/* Initializers --------------------------------------------------------------- */

initializer
	: scalar
	| array_init
	;

scalar
	: constant
	| ALIAS { NODE($$, MOF_ALIAS, @1, free($1)); $$->s = $1; }
	;

array_init
	: '{' '}' { NODE($$, MOF_ARRAY, @1, (void)0); }
	| '{' array_items '}'
		{
			$$ = $2;
			$$->line = @1.first_line;
			$$->col = @1.first_column;
		}
	;

array_items
	: scalar
		{ NODE($$, MOF_ARRAY, @1, swim_mof__node_free($1));
		  APPEND($$, $1); }
	| array_items ',' scalar { $$ = $1; APPEND($$, $3); }
	;

constant
	: INT
	| REAL
	| CHAR
	| string { NODE($$, MOF_STRING, @1, free($1)); $$->s = $1; }
	| TRUE { NODE($$, MOF_BOOL, @1, (void)0); $$->b = true; }
	| FALSE { NODE($$, MOF_BOOL, @1, (void)0); $$->b = false; }
	| NULL { NODE($$, MOF_NULL, @1, (void)0); }
	;

%%

/* MOF never holds a NUL byte, and flex rescans the token so far at each
 * one (it doubles as its end-of-buffer mark): refuse them up front. */
static int check_nul(struct mof_parser *p, const char *data, size_t len)
{
	const char *nul = memchr(data, '\0', len);
	int line = 1, col = 1;

	if (!nul)
		return 0;
	for (const char *c = data; c < nul; c++, col++)
		if (*c == '\n') {
			line++;
			col = 0;
		}
	return swim_mof__error(p, line, col, SWIM_EINVAL,
	                       "unexpected byte 0x00");
}

int swim_mof__parse(struct mof_parser *p, const char *data, size_t len)
{
	yyscan_t scanner = NULL;
	YY_BUFFER_STATE buf;
	int rc;

	if ((rc = check_nul(p, data, len)) < 0)
		return rc;

	if (len > INT_MAX)
		return swim_mof__error(p, 0, 0, SWIM_ELIMIT,
		                       "larger than a MOF file may be (2 GiB)");
	if (swim_mof_lex_init_extra(p, &scanner) != 0)
		return swim_mof__error(p, 0, 0, SWIM_ENOMEM, "out of memory");
	if (!(buf = swim_mof__scan_bytes(data, (int)len, scanner))) {
		swim_mof_lex_destroy(scanner);
		return swim_mof__error(p, 0, 0, SWIM_ENOMEM, "out of memory");
	}
	rc = swim_mof_parse(scanner, p);
	swim_mof__delete_buffer(buf, scanner);
	swim_mof_lex_destroy(scanner);
	if (p->rc < 0)
		return p->rc;
	if (rc != 0)
		return swim_mof__error(p, 0, 0, SWIM_EINVAL, "cannot parse");
	return 0;
}
