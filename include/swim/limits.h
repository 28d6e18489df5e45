/* swim — every limit on what a client, a package or a depot controls.
 *
 * One table, so that no size or count anywhere is unbounded by accident and
 * every limit can be changed in swim.conf under the same name
 * (`xml_max_depth = 32`). Values are unsigned 64-bit; the unit is in the
 * name (_bytes, _seconds, _ms) or a count. Adding a limit: one line here,
 * one line in docs/config.md.
 */
#ifndef SWIM_LIMITS_H
#define SWIM_LIMITS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SWIM_LIMIT_TABLE(X)                                                   \
	/* strings and XML documents */                                       \
	X(string_max_bytes, 65536, "longest text value of one element or attribute") \
	X(xml_max_depth, 64, "deepest element nesting of any XML document")   \
	X(xml_max_nodes, 1000000, "most XML nodes in one document")           \
	X(version_max_bytes, 256, "longest package version string")           \
	X(name_max_bytes, 256, "longest package, vendor or tag name")         \
	/* package descriptors and archives */                                \
	X(descriptor_max_bytes, 4194304, "largest descriptor.xml")            \
	X(descriptor_max_relations, 4096, "most depends/conflicts/replaces/provides of one package") \
	X(descriptor_max_files, 1000000, "most file-list entries of one package") \
	X(descriptor_max_payloads, 64, "most payloads in one package")        \
	X(descriptor_max_tags, 4096, "most tags, URLs, platforms of one package or checksums of one payload") \
	X(signature_max_bytes, 1048576, "largest sig.pkcs7")                  \
	X(archive_max_members, 256, "most ar members in one .vib")            \
	X(archive_max_entries, 1000000, "most tar entries in one payload")    \
	X(archive_path_max_bytes, 4095, "longest path inside a payload")      \
	X(payload_max_bytes, 17179869184ULL, "largest compressed payload")    \
	X(payload_max_expanded_bytes, 68719476736ULL, "largest uncompressed payload") \
	X(payload_max_ratio, 200, "largest uncompressed/compressed size ratio of a payload") \
	X(payload_ratio_floor_bytes, 1048576, "uncompressed bytes any payload may have before payload_max_ratio applies") \
	/* depots */                                                          \
	X(depot_max_metadata_bytes, 536870912, "largest metadata.zip or index file") \
	X(depot_max_packages, 1000000, "most packages in one depot")          \
	X(depot_max_entries, 4194304, "most members of one metadata.zip or offline bundle") \
	X(depot_max_indexes, 256, "most vendor indexes and metadata.zip files one depot names") \
	X(download_max_bytes, 17179869184ULL, "largest single download")     \
	X(download_connect_timeout_seconds, 30, "connect timeout of a depot download") \
	X(download_low_speed_seconds, 60, "a download slower than 1 byte/s for this long fails") \
	X(download_retries, 3, "retries of a failed depot download")         \
	/* host operations */                                                 \
	X(lock_timeout_seconds, 300, "how long a second writer waits for the host lock") \
	X(resolve_max_problems, 100, "most problems one resolution reports (the rest are counted)") \
	/* CIM server */                                                      \
	X(http_max_body_bytes, 16777216, "largest CIM-XML request body")      \
	X(http_max_headers, 64, "most HTTP request headers")                  \
	X(http_max_connections, 256, "most simultaneous connections")         \
	X(http_max_connections_per_ip, 32, "most simultaneous connections from one address") \
	X(http_idle_timeout_seconds, 60, "an idle keep-alive connection is closed after this") \
	X(http_request_timeout_seconds, 300, "longest time to receive one request, from accept or the previous answer") \
	X(http_threads, 4, "worker threads of the HTTP server")               \
	X(http_max_header_bytes, 16384, "largest request line plus headers of one request") \
	X(http_max_response_bytes, 67108864, "largest response a handler builds in memory") \
	X(http_shutdown_grace_seconds, 30, "how long stopping swimd waits for requests in progress") \
	X(auth_cache_seconds, 60, "how long a verified password stays cached") \
	X(auth_max_failures_per_minute, 20, "failed logins per user and minute before refusal") \
	X(auth_max_failure_names, 4096, "most user names whose failed logins are counted at once") \
	X(cim_max_instances, 1000000, "most instances one enumeration returns") \
	X(cim_max_open_contexts_per_user, 64, "most open pull enumerations per user") \
	X(cim_max_operation_timeout_seconds, 3600, "longest pull OperationTimeout") \
	X(cim_max_pull_objects, 100000, "largest MaxObjectCount of one pull") \
	X(mof_max_bytes, 16777216, "largest MOF file")                        \
	X(mof_max_include_depth, 16, "deepest #pragma include nesting")       \
	X(cim_uri_max_bytes, 65536, "longest WBEM URI (object path text)")   \
	X(cim_path_max_depth, 8, "deepest nesting of references inside object paths") \
	X(cim_name_max_bytes, 256, "longest CIM class, property, method or qualifier name") \
	X(query_max_bytes, 65536, "longest WQL/CQL query")                    \
	X(query_max_depth, 32, "deepest nesting of parentheses and NOT in a query, and most steps of a property path") \
	X(jobs_max, 1024, "most jobs kept (queued, running and finished)")    \
	X(subscriptions_max, 256, "most indication subscriptions")

typedef struct swim_limits {
#define SWIM_LIMIT_FIELD(name, def, doc) uint64_t name;
	SWIM_LIMIT_TABLE(SWIM_LIMIT_FIELD)
#undef SWIM_LIMIT_FIELD
} swim_limits;

/* Fills every limit with its default. */
void swim_limits_init(swim_limits *out);

/* The defaults, for callers that were given no limits. Never NULL. */
const swim_limits *swim_limits_default(void);

/* Sets the limit called `name` from the decimal `value` (an optional
 * K, M or G suffix multiplies by 1024s). SWIM_ENOTFOUND for an unknown name,
 * SWIM_EINVAL for a malformed or zero value. */
int swim_limits_set(swim_limits *lim, const char *name, const char *value);

/* Calls fn for each limit in table order (for docs and `--help`). */
typedef void (*swim_limits_visit_fn)(const char *name, uint64_t value,
                                     uint64_t def, const char *doc,
                                     void *ctx);
void swim_limits_visit(const swim_limits *lim, swim_limits_visit_fn fn,
                       void *ctx);

#ifdef __cplusplus
}
#endif
#endif
