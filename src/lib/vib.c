#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/vib_private.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

const char *swim_vib_status_name(swim_vib_status s)
{
	switch (s) {
	case SWIM_VIB_OK: return "ok";
	case SWIM_VIB_MISMATCH: return "MISMATCH";
	case SWIM_VIB_ABSENT: return "absent";
	default: return "not checked";
	}
}

/* "member 'NAME'" with the name escaped, for messages. */
static int member_label(swim_buf *out, const char *name)
{
	swim_buf_clear(out);
	if (swim_buf_puts(out, "member '") < 0 ||
	    swim_str_escape(out, name, strlen(name)) < 0 ||
	    swim_buf_putc(out, '\'') < 0)
		return SWIM_ENOMEM;
	return 0;
}

static int open_reader(swim_ar_reader **ar, swim_vib_private *p)
{
	if (p->fd < 0)
		return swim_ar_reader_open_memory(ar, p->mem, p->mem_len,
		                                  &p->lim);
	if (lseek(p->fd, 0, SEEK_SET) < 0)
		return swim_error_set_errno(SWIM_EIO, errno, "rewinding");
	return swim_ar_reader_open_fd(ar, p->fd, &p->lim);
}

/* Called when the first member is not descriptor.xml: is it missing or
 * only misplaced? */
static int misplaced_descriptor(swim_ar_reader *ar, const char *first)
{
	swim_buf label = SWIM_BUF_INIT(0);
	const char *m;
	uint64_t size;
	bool later = false;
	int rc;

	if ((rc = member_label(&label, first)) < 0)
		goto out;
	while ((rc = swim_ar_reader_next(ar, &m, &size)) == 1)
		if (strcmp(m, SWIM_VIB_DESCRIPTOR) == 0) {
			later = true;
			break;
		}
	if (rc < 0 && !later)
		goto out;
	rc = swim_error_set(SWIM_EINVAL, later
	                    ? "descriptor.xml is not the first member "
	                      "(the first is %s)"
	                    : "missing descriptor.xml (the first member "
	                      "is %s)", label.ptr);
out:
	swim_buf_dispose(&label);
	return rc;
}

/* Reads one of the two head members into buf, bounded by `max`. */
static int read_head_member(swim_ar_reader *ar, swim_buf *buf,
                            const char *member, uint64_t size, uint64_t max,
                            const char *limit)
{
	int rc;

	if (size > max)
		return swim_error_set(SWIM_ELIMIT, "%s is %llu bytes, larger "
		                      "than %s (%llu)", member,
		                      (unsigned long long)size, limit,
		                      (unsigned long long)max);
	swim_buf_init(buf, (size_t)max);
	if ((rc = swim_ar_reader_read_all(ar, buf)) < 0)
		return rc;
	if (buf->len != size)
		return swim_error_set(SWIM_EINVAL, "member '%s': truncated "
		                      "archive", member);
	return 0;
}

/* Reads descriptor.xml and sig.pkcs7 into d and s; leaves pass at the
 * first payload member. Messages do not name the file yet. */
static int read_head_members(swim_vib_pass *pass, swim_vib_private *p,
                             swim_buf *d, swim_buf *s)
{
	const char *m;
	int rc;

	pass->member = NULL;
	if ((rc = open_reader(&pass->ar, p)) < 0)
		return rc;
	rc = swim_ar_reader_next(pass->ar, &m, &pass->size);
	if (rc == 0)
		return swim_error_set(SWIM_EINVAL, "missing descriptor.xml "
		                      "(no members)");
	if (rc < 0)
		return rc;
	if (strcmp(m, SWIM_VIB_DESCRIPTOR) != 0)
		return misplaced_descriptor(pass->ar, m);
	if ((rc = read_head_member(pass->ar, d, SWIM_VIB_DESCRIPTOR,
	                           pass->size, p->lim.descriptor_max_bytes,
	                           "descriptor_max_bytes")) < 0)
		return rc;
	if ((rc = swim_ar_reader_next(pass->ar, &m, &pass->size)) <= 0)
		return rc;
	if (strcmp(m, SWIM_VIB_SIGNATURE) == 0) {
		if ((rc = read_head_member(pass->ar, s,
		                           SWIM_VIB_SIGNATURE, pass->size,
		                           p->lim.signature_max_bytes,
		                           "signature_max_bytes")) < 0 ||
		    (rc = swim_ar_reader_next(pass->ar, &m, &pass->size)) <= 0)
			return rc;
	}
	pass->member = m;
	return 0;
}

static int read_head(swim_vib_pass *pass, swim_vib_private *p, swim_buf *d,
                     swim_buf *s)
{
	int rc = read_head_members(pass, p, d, s);

	return rc < 0 ? swim_error_prefix("%s: ", p->name) : rc;
}

int swim_vib__pass_begin(swim_vib_pass *pass, swim_vib *vib)
{
	swim_vib_private *p = vib->priv;
	swim_buf d = SWIM_BUF_INIT(0), s = SWIM_BUF_INIT(0);
	int rc;

	memset(pass, 0, sizeof(*pass));
	if ((rc = read_head(pass, p, &d, &s)) < 0)
		goto out;
	if (d.len != p->descriptor.len || s.len != p->sig.len ||
	    memcmp(d.ptr, p->descriptor.ptr, d.len) != 0 ||
	    memcmp(s.ptr, p->sig.ptr, s.len) != 0)
		rc = swim_error_set(SWIM_ECONFLICT, "%s: changed since it was "
		                    "opened", p->name);
out:
	swim_buf_dispose(&d);
	swim_buf_dispose(&s);
	return rc;
}

void swim_vib__pass_end(swim_vib_pass *pass)
{
	swim_ar_reader_free(pass->ar);
	pass->ar = NULL;
}

static int decide_level(swim_vib *vib, const swim_vib_options *opt)
{
	swim_vib_private *p = vib->priv;
	swim_trust *trust = NULL;
	int rc;

	vib->claimed = vib->pkg->acceptance;
	if (opt && opt->trust_dir && !opt->no_sig_check &&
	    (rc = swim_trust_load(&trust, opt->trust_dir)) < 0)
		return rc;
	rc = swim_signature_verify(&vib->sig, p->descriptor.ptr,
	                           p->descriptor.len, p->sig.ptr, p->sig.len,
	                           trust);
	swim_trust_free(trust);
	if (rc < 0 && opt && opt->no_sig_check) {
		/* The bypass: the signature is not looked at all. */
		vib->sig.is_signed = p->sig.len > 0;
		vib->sig.proven = SWIM_ACCEPTANCE_COMMUNITY;
		swim_error_clear();
		rc = 0;
	} else if (rc < 0) {
		return swim_error_prefix("%s: sig.pkcs7 over descriptor.xml: ",
		                         p->name);
	}
	vib->sig_checked = !(opt && opt->no_sig_check);
	vib->satisfied = !vib->sig_checked ||
	                 swim_acceptance_compare(vib->sig.proven,
	                                         vib->claimed) >= 0;
	return 0;
}

static int vib_open(swim_vib **out, swim_vib_private *p,
                    const swim_vib_options *opt)
{
	swim_vib *vib = calloc(1, sizeof(*vib));
	swim_buf what = SWIM_BUF_INIT(0);
	swim_vib_pass pass = { 0 };
	int rc;

	*out = NULL;
	if (!vib) {
		rc = swim_error_oom();
		goto out;
	}
	vib->priv = p;
	p = NULL;
	if ((rc = read_head(&pass, vib->priv, &vib->priv->descriptor,
	                    &vib->priv->sig)) < 0 ||
	    (rc = swim_buf_printf(&what, "%s:descriptor.xml",
	                          vib->priv->name)) < 0 ||
	    (rc = swim_descriptor_read_named(&vib->pkg, vib->priv->descriptor.ptr,
	                                     vib->priv->descriptor.len,
	                                     &vib->priv->lim, what.ptr)) < 0)
		goto out;
	if (vib->pkg->n_payloads &&
	    !(vib->payloads = calloc(vib->pkg->n_payloads,
	                             sizeof(*vib->payloads)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < vib->pkg->n_payloads; i++)
		vib->payloads[i].name = vib->pkg->payloads[i].name;
	if ((rc = decide_level(vib, opt)) < 0)
		goto out;
	*out = vib;
	vib = NULL;
out:
	swim_vib__pass_end(&pass);
	swim_buf_dispose(&what);
	swim_vib_free(vib);
	if (p) {
		free(p->name);
		free(p);
	}
	return rc;
}

static int new_private(swim_vib_private **out, const char *name,
                       const swim_vib_options *opt)
{
	swim_vib_private *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || !(p->name = swim_strdup(name))) {
		free(p);
		return swim_error_oom();
	}
	p->fd = -1;
	p->lim = *(opt && opt->lim ? opt->lim : swim_limits_default());
	swim_buf_init(&p->descriptor, 0);
	swim_buf_init(&p->sig, 0);
	*out = p;
	return 0;
}

int swim_vib_open(swim_vib **out, const char *path,
                  const swim_vib_options *opt)
{
	return swim_vib_open_named(out, path, path, opt);
}

int swim_vib_open_named(swim_vib **out, const char *path, const char *name,
                        const swim_vib_options *opt)
{
	swim_vib_private *p;
	int rc;

	*out = NULL;
	if ((rc = new_private(&p, name, opt)) < 0)
		return rc;
	p->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (p->fd < 0) {
		rc = swim_error_set_errno(errno == ENOENT ? SWIM_ENOTFOUND
		                          : SWIM_EIO, errno, "%s", path);
		free(p->name);
		free(p);
		return rc;
	}
	return vib_open(out, p, opt);
}

int swim_vib_open_memory(swim_vib **out, const void *data, size_t len,
                         const char *name, const swim_vib_options *opt)
{
	swim_vib_private *p;
	int rc;

	*out = NULL;
	if ((rc = new_private(&p, name, opt)) < 0)
		return rc;
	p->mem = data;
	p->mem_len = len;
	return vib_open(out, p, opt);
}

void swim_vib_free(swim_vib *vib)
{
	if (!vib)
		return;
	if (vib->priv) {
		if (vib->priv->fd >= 0)
			(void)close(vib->priv->fd);
		swim_buf_dispose(&vib->priv->descriptor);
		swim_buf_dispose(&vib->priv->sig);
		free(vib->priv->name);
		free(vib->priv);
	}
	swim_signature_result_dispose(&vib->sig);
	swim_package_free(vib->pkg);
	free(vib->payloads);
	free(vib);
}

/* ---- payloads --------------------------------------------------------- */

/* Messages in this part name the payload, not the file: the pass adds
 * the file in front. */

static int find_payload(size_t *out, const swim_vib *vib, const char *member)
{
	swim_buf label = SWIM_BUF_INIT(0);
	int rc;

	for (size_t i = 0; i < vib->pkg->n_payloads; i++)
		if (strcmp(vib->pkg->payloads[i].name, member) == 0) {
			*out = i;
			return 0;
		}
	if ((rc = member_label(&label, member)) == 0)
		rc = swim_error_set(SWIM_EINVAL, "%s: not a payload of the "
		                    "descriptor%s", label.ptr,
		                    strcmp(member, SWIM_VIB_SIGNATURE) == 0
		                    ? " (sig.pkcs7 must follow descriptor.xml)"
		                    : strcmp(member, SWIM_VIB_DESCRIPTOR) == 0
		                    ? " (duplicate member)" : "");
	swim_buf_dispose(&label);
	return rc;
}

/* Size and checksums the descriptor must declare for a payload to be
 * checked at all. */
static int check_declared(const swim_payload *decl, uint64_t member_size,
                          const swim_limits *lim)
{
	const char *n = decl->name;

	if (member_size > lim->payload_max_bytes)
		return swim_error_set(SWIM_ELIMIT, "payload '%s': member is %llu "
		                      "bytes, larger than payload_max_bytes (%llu)",
		                      n, (unsigned long long)member_size,
		                      (unsigned long long)lim->payload_max_bytes);

	if (!decl->has_size)
		return swim_error_set(SWIM_EINVAL, "payload '%s': the descriptor "
		                      "declares no size", n);
	if (!swim_payload_checksum(decl, "sha-256", NULL) ||
	    !swim_payload_checksum(decl, "sha-256", "gunzip"))
		return swim_error_set(SWIM_EINVAL, "payload '%s': the descriptor "
		                      "lacks a sha-256 %schecksum", n,
		                      swim_payload_checksum(decl, "sha-256", NULL)
		                      ? "gunzip " : "");
	if (member_size != decl->size)
		return swim_error_set(SWIM_EINVAL, "payload '%s': member is %llu "
		                      "bytes, %s than its declared size %llu", n,
		                      (unsigned long long)member_size,
		                      member_size > decl->size ? "larger"
		                                               : "smaller",
		                      (unsigned long long)decl->size);
	return 0;
}

static swim_vib_status compare(const swim_payload *decl, const char *type,
                               const char *process, const char *hex)
{
	const swim_checksum *c = swim_payload_checksum(decl, type, process);

	if (!c)
		return SWIM_VIB_ABSENT;
	return swim_str_ieq(c->value, hex) ? SWIM_VIB_OK : SWIM_VIB_MISMATCH;
}

static int mismatch(const swim_payload *decl, const char *type,
                    const char *process, const char *hex)
{
	return swim_error_set(SWIM_ECHECKSUM, "payload '%s': %s%s checksum "
	                      "mismatch: the descriptor says %s, the content "
	                      "is %s", decl->name, type,
	                      process ? " gunzip" : "",
	                      swim_payload_checksum(decl, type, process)->value,
	                      hex);
}

/* Fills the result and fails on the first mismatch. */
static int judge_payload(swim_vib *vib, size_t i, const swim_payload_sums *s)
{
	const swim_payload *decl = &vib->pkg->payloads[i];
	swim_vib_payload_result *res = &vib->payloads[i];

	res->size = s->size;
	res->expanded_size = s->expanded_size;
	res->entries = s->entries;
	memcpy(res->sha256, s->sha256, sizeof(res->sha256));
	memcpy(res->sha256_gunzip, s->sha256_gunzip, sizeof(res->sha256_gunzip));
	res->size_status = s->size == decl->size ? SWIM_VIB_OK
	                                         : SWIM_VIB_MISMATCH;
	res->sha256_status = compare(decl, "sha-256", NULL, s->sha256);
	res->gunzip_status = compare(decl, "sha-256", "gunzip",
	                             s->sha256_gunzip);
	if (res->size_status != SWIM_VIB_OK)
		return swim_error_set(SWIM_EINVAL, "payload '%s': truncated "
		                      "archive (%llu of %llu bytes)", decl->name,
		                      (unsigned long long)s->size,
		                      (unsigned long long)decl->size);
	if (res->sha256_status != SWIM_VIB_OK)
		return mismatch(decl, "sha-256", NULL, s->sha256);
	if (res->gunzip_status != SWIM_VIB_OK)
		return mismatch(decl, "sha-256", "gunzip", s->sha256_gunzip);
	if (s->want_sha1 &&
	    compare(decl, "sha-1", NULL, s->sha1) == SWIM_VIB_MISMATCH)
		return mismatch(decl, "sha-1", NULL, s->sha1);
	if (s->want_sha1 &&
	    compare(decl, "sha-1", "gunzip", s->sha1_gunzip) == SWIM_VIB_MISMATCH)
		return mismatch(decl, "sha-1", "gunzip", s->sha1_gunzip);
	return 0;
}

/* Reading a payload failed. When its bytes are not the ones the
 * descriptor names, that is the news (damaged or tampered), not what
 * the damage did to gunzip or tar. */
static int judge_failure(swim_vib *vib, size_t i, const swim_payload_sums *s,
                         int rc)
{
	const swim_payload *decl = &vib->pkg->payloads[i];
	char *why;

	if (!s->member_hashed || rc == SWIM_ENOMEM ||
	    compare(decl, "sha-256", NULL, s->sha256) != SWIM_VIB_MISMATCH)
		return rc;
	vib->payloads[i].sha256_status = SWIM_VIB_MISMATCH;
	memcpy(vib->payloads[i].sha256, s->sha256, sizeof(s->sha256));
	if (!(why = swim_strdup(swim_error_last())))
		return rc;
	rc = mismatch(decl, "sha-256", NULL, s->sha256);
	(void)swim_error_set(rc, "%s (reading it failed: %s)",
	                     swim_error_last(), why);
	free(why);
	return rc;
}

static int stream_payloads(swim_vib_pass *pass, swim_vib *vib,
                           swim_tree *tree, bool *seen,
                           swim_payload_entry_fn on_entry, void *ctx)
{
	const swim_package *pkg = vib->pkg;
	int rc;

	while (pass->member) {
		swim_payload_sums sums = { 0 };
		swim_payload_sink sink = { 0 };
		const swim_payload *decl;
		size_t i = 0;

		if ((rc = find_payload(&i, vib, pass->member)) < 0)
			return rc;
		decl = &pkg->payloads[i];
		seen[i] = true;
		if ((rc = check_declared(decl, pass->size, &vib->priv->lim)) < 0)
			return rc;
		sums.want_sha1 = swim_payload_checksum(decl, "sha-1", NULL) ||
		                 swim_payload_checksum(decl, "sha-1", "gunzip");
		sink.name = decl->name;
		sink.size = pass->size;
		sink.tree = tree;
		sink.index = (unsigned)i;
		sink.on_entry = on_entry;
		sink.ctx = ctx;
		sink.lim = &vib->priv->lim;
		if ((rc = swim_payload_read(&sums, pass->ar, &sink)) < 0)
			return judge_failure(vib, i, &sums, rc);
		if ((rc = judge_payload(vib, i, &sums)) < 0)
			return rc;
		rc = swim_ar_reader_next(pass->ar, &pass->member, &pass->size);
		if (rc < 0)
			return rc;
		if (rc == 0)
			pass->member = NULL;
	}
	for (size_t i = 0; i < pkg->n_payloads; i++)
		if (!seen[i])
			return swim_error_set(SWIM_EINVAL, "payload '%s' is missing "
			                      "from the archive",
			                      pkg->payloads[i].name);
	return swim_tree_finish(tree);
}

int swim_vib__pass_payloads(swim_vib_pass *pass, swim_vib *vib,
                            swim_payload_entry_fn on_entry, void *ctx)
{
	const swim_package *pkg = vib->pkg;
	swim_tree *tree = NULL;
	bool *seen = NULL;
	int rc;

	if ((rc = swim_tree_new(&tree, &vib->priv->lim, pkg->setid_files,
	                        pkg->n_setid_files)) < 0)
		goto out;
	if (pkg->n_payloads && !(seen = calloc(pkg->n_payloads, sizeof(*seen)))) {
		rc = swim_error_oom();
		goto out;
	}
	if ((rc = stream_payloads(pass, vib, tree, seen, on_entry, ctx)) < 0)
		(void)swim_error_prefix("%s: ", vib->priv->name);
out:
	free(seen);
	swim_tree_free(tree);
	return rc;
}

int swim_vib_verify(swim_vib *vib)
{
	swim_vib_pass pass;
	int rc;

	vib->verified = false;
	for (size_t i = 0; i < vib->pkg->n_payloads; i++) {
		const char *name = vib->payloads[i].name;

		memset(&vib->payloads[i], 0, sizeof(vib->payloads[i]));
		vib->payloads[i].name = name;
	}
	if ((rc = swim_vib__pass_begin(&pass, vib)) == 0 &&
	    (rc = swim_vib__pass_payloads(&pass, vib, NULL, NULL)) == 0)
		vib->verified = true;
	swim_vib__pass_end(&pass);
	return rc;
}

/* ---- extracting ------------------------------------------------------- */

/* dir exists (created if needed) and is empty; *root is its real path. */
static int prepare_dir(char **root, int *fd, const char *dir)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	*root = NULL;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return swim_error_set_errno(SWIM_EIO, errno, "creating %s", dir);
	if (!(*root = realpath(dir, NULL)))
		return swim_error_set_errno(SWIM_EIO, errno, "%s", dir);
	*fd = open(*root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0 || !(d = opendir(*root)))
		return swim_error_set_errno(SWIM_EIO, errno, "%s", dir);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			rc = swim_error_set(SWIM_EEXISTS, "%s is not empty", dir);
			break;
		}
	(void)closedir(d);
	return rc;
}

int swim_vib_extract(swim_vib *vib, const char *dir)
{
	swim_payload_disk disk = { 0 };
	swim_vib_pass pass = { 0 };
	char *root = NULL;
	int fd = -1, rc;
	bool wrote = false;

	/* First a full check without writing, so that a hostile package
	 * leaves no trace; then the same pass again, writing. */
	if ((rc = swim_vib_verify(vib)) < 0)
		goto out;
	if ((rc = prepare_dir(&root, &fd, dir)) < 0 ||
	    (rc = swim_payload_disk_init(&disk, root)) < 0)
		goto out;
	wrote = true;
	if ((rc = swim_vib__pass_begin(&pass, vib)) < 0 ||
	    (rc = swim_vib__pass_payloads(&pass, vib, swim_payload_disk_entry,
	                                  &disk)) < 0 ||
	    (rc = swim_payload_disk_finish(&disk)) < 0)
		goto out;
	wrote = false;
out:
	swim_vib__pass_end(&pass);
	swim_payload_disk_dispose(&disk);
	if (wrote && fd >= 0)
		swim_fs_empty_dir(fd);
	if (fd >= 0)
		(void)close(fd);
	free(root);
	return rc;
}
