#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "swim/buf.h"
#include "swim/conf.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

#define CONF_MAX_BYTES ((size_t)1 << 20)

/* Settings other than limits; each is documented in docs/config.md. */
static const char *const settings[] = {
	"cache_dir",        /* depot metadata and package cache */
	"trust_dir",        /* trust store: <level>/ of PEM CA certificates */
	"http_proxy",
	"https_proxy",
	"no_proxy",
	"ca_file",          /* extra CA bundle for https depots */
	"netrc_file",       /* credentials for depots */
	"listen",           /* swimd HTTP address:port */
	"tls_listen",       /* swimd HTTPS address:port */
	"tls_cert",
	"tls_key",
	"tls_client_ca",
	"tls_priorities",   /* GnuTLS priority string for swimd's HTTPS */
	"users_file",
	"system_name",
	"log_level",        /* error, warning, info, debug */
	"log_target",       /* stderr or syslog */
	"pid_file",
	"allow_remote",     /* yes: listen beyond loopback */
};

struct conf_entry {
	char *key;
	char *value;
	unsigned line;
};

struct swim_conf {
	char *origin;
	struct conf_entry *entries;
	size_t n;
};

int swim_conf_key_known(const char *key)
{
	swim_limits tmp;

	for (size_t i = 0; i < SWIM_ARRAY_SIZE(settings); i++)
		if (strcmp(settings[i], key) == 0)
			return 1;
	swim_limits_init(&tmp);
	if (swim_limits_set(&tmp, key, "1") == 0)
		return 1;
	swim_error_clear();
	return 0;
}

void swim_conf_free(swim_conf *conf)
{
	if (!conf)
		return;
	for (size_t i = 0; i < conf->n; i++) {
		free(conf->entries[i].key);
		free(conf->entries[i].value);
	}
	free(conf->entries);
	free(conf->origin);
	free(conf);
}

static char *trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

static int add_entry(swim_conf *conf, const char *key, const char *value,
                     unsigned line)
{
	struct conf_entry *e;

	for (size_t i = 0; i < conf->n; i++)
		if (strcmp(conf->entries[i].key, key) == 0)
			return swim_error_set(SWIM_EINVAL,
			                      "%s:%u: '%s' is already set on line %u",
			                      conf->origin, line, key,
			                      conf->entries[i].line);
	e = realloc(conf->entries, (conf->n + 1) * sizeof(*e));
	if (!e)
		return swim_error_oom();
	conf->entries = e;
	e = &conf->entries[conf->n];
	e->key = swim_strdup(key);
	e->value = swim_strdup(value);
	e->line = line;
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return SWIM_ENOMEM;
	}
	conf->n++;
	return 0;
}

int swim_conf_parse(swim_conf **out, const char *text, size_t len,
                    const char *origin)
{
	swim_conf *conf = NULL;
	char *copy = NULL, *cursor, *p;
	unsigned line = 0;
	int rc;

	*out = NULL;
	if (!(conf = calloc(1, sizeof(*conf))) ||
	    !(conf->origin = swim_strdup(origin))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = swim_str_text_copy(&copy, text, len, origin)) < 0)
		goto out;
	for (cursor = copy; (p = swim_str_next_line(&cursor));) {
		char *eq, *key, *value;

		line++;
		key = trim(p, p + strlen(p));
		if (*key == '\0' || *key == '#')
			continue;
		if (!(eq = strchr(key, '='))) {
			rc = swim_error_set(SWIM_EINVAL,
			                    "%s:%u: expected 'key = value'",
			                    origin, line);
			goto out;
		}
		value = trim(eq + 1, eq + 1 + strlen(eq + 1));
		key = trim(key, eq);
		if (!*key) {
			rc = swim_error_set(SWIM_EINVAL, "%s:%u: missing key",
			                    origin, line);
			goto out;
		}
		if (!swim_conf_key_known(key)) {
			rc = swim_error_set(SWIM_EINVAL,
			                    "%s:%u: unknown setting '%s'",
			                    origin, line, key);
			goto out;
		}
		if ((rc = add_entry(conf, key, value, line)) < 0)
			goto out;
	}
	*out = conf;
	conf = NULL;
	rc = 0;
out:
	free(copy);
	swim_conf_free(conf);
	return rc;
}

int swim_conf_load(swim_conf **out, const char *path)
{
	swim_buf text = SWIM_BUF_INIT(CONF_MAX_BYTES);
	int rc;

	*out = NULL;
	rc = swim_fs_read_file(&text, path);
	if (rc == SWIM_ENOTFOUND) {
		swim_error_clear();
		rc = swim_conf_parse(out, "", 0, path);
	} else if (rc == 0) {
		rc = swim_conf_parse(out, text.ptr, text.len, path);
	}
	swim_buf_dispose(&text);
	return rc;
}

int swim_conf_load_root(swim_conf **out, const char *root)
{
	swim_buf path = SWIM_BUF_INIT(0);
	int rc;

	*out = NULL;
	rc = swim_buf_printf(&path, "%s/etc/swim/swim.conf",
	                     root && *root ? root : "");
	if (rc == 0)
		rc = swim_conf_load(out, path.ptr);
	swim_buf_dispose(&path);
	return rc;
}

const char *swim_conf_get(const swim_conf *conf, const char *key)
{
	if (!conf)
		return NULL;
	for (size_t i = 0; i < conf->n; i++)
		if (strcmp(conf->entries[i].key, key) == 0)
			return conf->entries[i].value;
	return NULL;
}

int swim_conf_path(swim_buf *out, const swim_conf *conf, const char *root,
                   const char *key, const char *def)
{
	const char *v = swim_conf_get(conf, key);

	swim_buf_clear(out);
	if (!v)
		v = def;
	if (!v)
		return 0;
	if (v[0] != '/')
		return swim_error_set(SWIM_EINVAL,
		                      "%s: %s = %s must be an absolute path (it is "
		                      "taken inside the root)",
		                      conf && conf->origin ? conf->origin : "swim.conf",
		                      key, v);
	if (root && *root && strcmp(root, "/") != 0) {
		size_t n = strlen(root);

		while (n > 1 && root[n - 1] == '/')
			n--;
		if (swim_buf_put(out, root, n) < 0)
			return SWIM_ENOMEM;
	}
	return swim_buf_puts(out, v);
}

int swim_conf_apply_limits(const swim_conf *conf, swim_limits *lim)
{
	int rc;

	if (!conf)
		return 0;
	for (size_t i = 0; i < conf->n; i++) {
		const struct conf_entry *e = &conf->entries[i];

		rc = swim_limits_set(lim, e->key, e->value);
		if (rc == SWIM_ENOTFOUND) {
			swim_error_clear();
			continue;
		}
		if (rc < 0)
			return swim_error_prefix("%s:%u: ", conf->origin,
			                         e->line);
	}
	return 0;
}
