/* swim — ROOT/etc/swim/swim.conf, a `key = value` file.
 *
 * Lines are `key = value`; `#` starts a comment line; blank lines are
 * ignored; the value is the rest of the line with surrounding blanks
 * removed. Keys are the limit names of swim/limits.h plus the settings
 * listed in docs/config.md; an unknown key is an error naming the file and
 * line, so a typo never silently leaves a default in place.
 */
#ifndef SWIM_CONF_H
#define SWIM_CONF_H

#include <stddef.h>

#include "swim/buf.h"
#include "swim/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct swim_conf swim_conf;

/* Reads and checks the file at `path`. A missing file gives an empty
 * configuration (not an error). @param[out] out owned by the caller,
 * freed with swim_conf_free(). */
int swim_conf_load(swim_conf **out, const char *path);

/* Parses `len` bytes of configuration text; `origin` names it in errors. */
int swim_conf_parse(swim_conf **out, const char *text, size_t len,
                    const char *origin);

/* Reads ROOT/etc/swim/swim.conf (root NULL or "" means "/"). */
int swim_conf_load_root(swim_conf **out, const char *root);

/* The value of `key`, or NULL when not set. Borrowed from conf. */
const char *swim_conf_get(const swim_conf *conf, const char *key);

/* A path setting of the managed system: swim.conf names paths as the
 * host sees them, so an absolute value (or `def` when unset) is taken
 * inside `root`, as if root were "/" — swim never reaches outside the root
 * through its configuration. Relative values are refused (SWIM_EINVAL,
 * naming the key). With def NULL and the key unset, *out stays empty and 0
 * is returned. */
int swim_conf_path(swim_buf *out, const swim_conf *conf, const char *root,
                   const char *key, const char *def);

/* Copies every limit set in conf into lim. Errors name file and line. */
int swim_conf_apply_limits(const swim_conf *conf, swim_limits *lim);

/* True when `key` is a known setting or limit name. */
int swim_conf_key_known(const char *key);

void swim_conf_free(swim_conf *conf);

#ifdef __cplusplus
}
#endif
#endif
