/* Output shapes of the CLI: esxcli-style tables and field blocks, and
 * JSON documents (jansson) whose member names are the CIM / Image Builder
 * property names listed in docs/json.md. */
#ifndef SWIM_CLI_OUTPUT_H
#define SWIM_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* A table: a header row, then rows; printed with a dashed rule under the
 * header and columns padded to their widest cell, as esxcli prints. */
typedef struct swim_table swim_table;

int swim_table_new(swim_table **out, size_t n_columns,
                   const char *const *headers);
/* Adds a row of n_columns cells (copied; NULL prints as empty). */
int swim_table_add(swim_table *t, const char *const *cells);
void swim_table_print(const swim_table *t, FILE *f);
void swim_table_free(swim_table *t);

/* "   Label: value" lines of an esxcli field block; `indent` spaces. */
void swim_field(FILE *f, int indent, const char *label, const char *value);

/* Prints the document with two-space indentation and a final newline,
 * and releases the reference. 0, or -1 when the JSON could not be
 * written. */
int swim_json_print(json_t *doc, FILE *f);

/* json_string() that maps NULL to JSON null and never fails silently:
 * returns NULL only when out of memory. */
json_t *swim_json_str(const char *s);

/* A JSON array of strings. */
json_t *swim_json_strv(char *const *v, size_t n);

#endif
