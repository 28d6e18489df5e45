#include <stdlib.h>
#include <string.h>

#include "cli/common/output.h"
#include "swim/error.h"
#include "util/str.h"

struct swim_table {
	size_t n_columns;
	size_t n_rows;     /* including the header */
	char **cells;      /* n_rows * n_columns */
};

static int table_push(swim_table *t, const char *const *cells)
{
	char **c = realloc(t->cells,
	                   (t->n_rows + 1) * t->n_columns * sizeof(*c));

	if (!c)
		return swim_error_oom();
	t->cells = c;
	c += t->n_rows * t->n_columns;
	for (size_t i = 0; i < t->n_columns; i++) {
		c[i] = swim_strdup(cells[i] ? cells[i] : "");
		if (!c[i]) {
			while (i--)
				free(c[i]);
			return SWIM_ENOMEM;
		}
	}
	t->n_rows++;
	return 0;
}

int swim_table_new(swim_table **out, size_t n_columns,
                   const char *const *headers)
{
	swim_table *t = calloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	if (!t)
		return swim_error_oom();
	t->n_columns = n_columns;
	if ((rc = table_push(t, headers)) < 0) {
		swim_table_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int swim_table_add(swim_table *t, const char *const *cells)
{
	return table_push(t, cells);
}

void swim_table_print(const swim_table *t, FILE *f)
{
	size_t *w = calloc(t->n_columns, sizeof(*w));

	if (!w)
		return;
	for (size_t r = 0; r < t->n_rows; r++)
		for (size_t c = 0; c < t->n_columns; c++) {
			size_t l = strlen(t->cells[r * t->n_columns + c]);
			if (l > w[c])
				w[c] = l;
		}
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t c = 0; c < t->n_columns; c++) {
			const char *cell = t->cells[r * t->n_columns + c];
			bool last = c + 1 == t->n_columns;

			fprintf(f, "%s%-*s", c ? "  " : "",
			        last ? 0 : (int)w[c], cell);
		}
		fputc('\n', f);
		if (r == 0) {
			for (size_t c = 0; c < t->n_columns; c++) {
				fprintf(f, "%s", c ? "  " : "");
				for (size_t k = 0; k < w[c]; k++)
					fputc('-', f);
			}
			fputc('\n', f);
		}
	}
	free(w);
}

void swim_table_free(swim_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void swim_field(FILE *f, int indent, const char *label, const char *value)
{
	/* No trailing blank after an empty value. */
	if (!value || !*value)
		fprintf(f, "%*s%s:\n", indent, "", label);
	else
		fprintf(f, "%*s%s: %s\n", indent, "", label, value);
}

int swim_json_print(json_t *doc, FILE *f)
{
	int rc = -1;

	if (doc && json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0) {
		fputc('\n', f);
		rc = 0;
	}
	json_decref(doc);
	return rc;
}

json_t *swim_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *swim_json_strv(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, swim_json_str(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}
