/* The MOF compiler (DSP0221): reads MOF into a class repository.
 *
 * Supported: qualifier declarations; class declarations (properties,
 * fixed and variable arrays, references, methods with parameters,
 * default values, qualifier lists with flavors); instance declarations
 * with `as $Alias` and aliases as reference values; `#pragma
 * include("file")` relative to the including file; `#pragma
 * namespace("root/x")`, which applies to the rest of the file it is in
 * (the namespace is created when missing); `#pragma locale(...)`, which
 * is accepted and ignored; comments; string escapes and concatenation;
 * decimal, hex, octal, binary and real numbers; case-insensitive
 * keywords.
 *
 * Errors are SWIM_EINVAL (SWIM_ELIMIT for limits) with
 * "file:line:column: " and what was expected. A load that fails may have
 * added part of the file to the repository: throw the repository away.
 */
#ifndef SWIM_CIM_MOF_H
#define SWIM_CIM_MOF_H

#include <stddef.h>

#include "cim/repo.h"
#include "swim/buf.h"

/* Reads the file a `#pragma include` names (already joined with the
 * including file's directory) into out, whose max is mof_max_bytes. */
typedef int (*swim_cim_mof_read_fn)(swim_buf *out, const char *path,
                                    void *ctx);

/* Compiles the MOF file at path into repo, in namespace ns (created when
 * missing) unless the file says otherwise. Files are read with the
 * repository's limits (mof_max_bytes, mof_max_include_depth). */
int swim_cim_mof_load_file(swim_cim_repo *repo, const char *path,
                           const char *ns);

/* Compiles MOF text of len bytes; `name` stands for the file in messages
 * and is the base for includes. Includes go through read (NULL: refused
 * with an error). */
int swim_cim_mof_load_buffer(swim_cim_repo *repo, const char *data,
                             size_t len, const char *name, const char *ns,
                             swim_cim_mof_read_fn read, void *ctx);

/* The repository swimd starts with: swim_cim_repo_new_default() plus
 * schema_dir/swim.mof, then each file of `extra` (n of them, as
 * `swimd --schema F` gives them) into root/cimv2 unless they say
 * otherwise. */
int swim_cim_schema_load(swim_cim_repo **out, const char *schema_dir,
                         const char *const *extra, size_t n,
                         const swim_limits *lim);

#endif
