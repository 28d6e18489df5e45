#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/vib_private.h"
#include "swim/error.h"
#include "util/fs.h"
#include "util/str.h"

/* A scratch file in the directory of `path`, unlinked at once: it
 * vanishes with its descriptor whatever happens. */
static int scratch_beside(int *fd, const char *path)
{
	swim_fs_atomic a;
	int rc;

	*fd = -1;
	if ((rc = swim_fs_atomic_begin(&a, path)) < 0)
		return rc;
	*fd = a.fd;
	a.fd = -1;
	swim_fs_atomic_abort(&a);
	return 0;
}

static bool reserved_member(const char *name)
{
	return strcmp(name, SWIM_VIB_DESCRIPTOR) == 0 ||
	       strcmp(name, SWIM_VIB_SIGNATURE) == 0;
}

static int check_payload_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > SWIM_PAYLOAD_NAME_MAX || strchr(name, '/') ||
	    swim_str_has_ctrl(name, len, false) || reserved_member(name))
		return swim_error_set(SWIM_EINVAL, "payload name '%s': 1 to %d "
		                      "bytes, no '/', not descriptor.xml or "
		                      "sig.pkcs7", name, SWIM_PAYLOAD_NAME_MAX);
	return 0;
}

/* The payload list of the package to build: one per spec, keeping what
 * the template says of it (type, boot order, vfat name). */
static int plan_payloads(swim_package *pkg, const swim_vib_payload_spec *specs,
                         size_t n)
{
	swim_package *scratch = NULL;  /* owns the new list until the swap */
	swim_payload *list, *old;
	int rc;

	if ((rc = swim_package_new(&scratch)) < 0)
		return rc;
	if (!(list = scratch->payloads = calloc(n ? n : 1, sizeof(*list)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++, scratch->n_payloads++) {
		const swim_payload *t = NULL;

		if ((rc = check_payload_name(specs[i].name)) < 0)
			goto out;
		for (size_t k = 0; k < i; k++)
			if (strcmp(specs[k].name, specs[i].name) == 0) {
				rc = swim_error_set(SWIM_EINVAL, "payload '%s' given "
				                    "twice", specs[i].name);
				goto out;
			}
		for (size_t k = 0; k < pkg->n_payloads; k++)
			if (strcmp(pkg->payloads[k].name, specs[i].name) == 0)
				t = &pkg->payloads[k];
		list[i].has_boot_order = t && t->has_boot_order;
		list[i].boot_order = t ? t->boot_order : 0;
		if (!(list[i].name = swim_strdup(specs[i].name)) ||
		    !(list[i].type = swim_strdup(specs[i].type ? specs[i].type
		                                 : t ? t->type : "tgz")) ||
		    (t && t->vfat_name &&
		     !(list[i].vfat_name = swim_strdup(t->vfat_name)))) {
			scratch->n_payloads++;  /* free what was set */
			rc = SWIM_ENOMEM;
			goto out;
		}
	}
	for (size_t k = 0; k < pkg->n_payloads; k++) {
		bool given = false;

		for (size_t i = 0; i < n; i++)
			given |= strcmp(pkg->payloads[k].name, specs[i].name) == 0;
		if (!given) {
			rc = swim_error_set(SWIM_EINVAL, "payload '%s' of the "
			                    "descriptor has no directory "
			                    "(--payload %s=DIR)",
			                    pkg->payloads[k].name,
			                    pkg->payloads[k].name);
			goto out;
		}
	}
	/* Swap: the scratch package takes the old list away with it. */
	old = pkg->payloads;
	scratch->n_payloads = pkg->n_payloads;
	pkg->payloads = list;
	pkg->n_payloads = n;
	scratch->payloads = old;
out:
	swim_package_free(scratch);
	return rc;
}

static int set_checksums(swim_payload *p, const swim_payload_sums *s)
{
	/* The order of real descriptors: gunzip first. */
	if (!(p->checksums = calloc(2, sizeof(*p->checksums))))
		return swim_error_oom();
	p->n_checksums = 2;
	p->size = s->size;
	p->has_size = true;
	if (!(p->checksums[0].type = swim_strdup("sha-256")) ||
	    !(p->checksums[0].verify_process = swim_strdup("gunzip")) ||
	    !(p->checksums[0].value = swim_strdup(s->sha256_gunzip)) ||
	    !(p->checksums[1].type = swim_strdup("sha-256")) ||
	    !(p->checksums[1].value = swim_strdup(s->sha256)))
		return SWIM_ENOMEM;
	return 0;
}

struct file_list {
	swim_package *pkg;
	size_t cap;
	uint64_t max;
};

static int add_file(void *ctx, const char *path)
{
	struct file_list *fl = ctx;
	swim_package *pkg = fl->pkg;
	char *s;

	if (pkg->n_files >= fl->max)
		return swim_error_set(SWIM_ELIMIT, "more than descriptor_max_files "
		                      "(%llu) files", (unsigned long long)fl->max);
	if (pkg->n_files == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 256;
		char **grown = reallocarray(pkg->files, cap, sizeof(*grown));

		if (!grown)
			return swim_error_oom();
		pkg->files = grown;
		fl->cap = cap;
	}
	if (!(s = swim_strdup(path)))
		return SWIM_ENOMEM;
	pkg->files[pkg->n_files++] = s;
	return 0;
}

static int write_archive(const char *out_path, const swim_buf *descriptor,
                         const swim_package *pkg, const int *fds)
{
	swim_fs_atomic out = { -1, NULL, SWIM_BUF_INIT(0) };
	swim_ar_writer *w = NULL;
	int rc;

	if ((rc = swim_fs_atomic_begin(&out, out_path)) < 0 ||
	    (rc = swim_ar_writer_new(&w, out.fd, out_path)) < 0 ||
	    (rc = swim_ar_writer_add(w, SWIM_VIB_DESCRIPTOR, descriptor->ptr,
	                             descriptor->len)) < 0 ||
	    (rc = swim_ar_writer_add(w, SWIM_VIB_SIGNATURE, "", 0)) < 0)
		goto out;
	for (size_t i = 0; i < pkg->n_payloads; i++)
		if ((rc = swim_ar_writer_add_fd(w, pkg->payloads[i].name, fds[i],
		                                pkg->payloads[i].size)) < 0)
			goto out;
	if ((rc = swim_ar_writer_finish(w)) < 0)
		goto out;
	rc = swim_fs_atomic_commit(&out, 0644);
out:
	swim_ar_writer_free(w);
	swim_fs_atomic_abort(&out);
	return rc;
}

int swim_vib_build(const char *out_path, const swim_package *tmpl,
                   const swim_vib_payload_spec *specs, size_t n_specs,
                   const swim_vib_build_options *opt)
{
	const swim_limits *lim = opt && opt->lim ? opt->lim
	                                         : swim_limits_default();
	swim_buf descriptor = SWIM_BUF_INIT(0);
	struct file_list fl = { NULL, 0, lim->descriptor_max_files };
	swim_package *pkg = NULL;
	swim_tree *tree = NULL;
	int *fds = NULL, rc;

	if (n_specs > lim->descriptor_max_payloads) {
		rc = swim_error_set(SWIM_ELIMIT, "more than descriptor_max_payloads "
		                    "(%llu) payloads",
		                    (unsigned long long)lim->descriptor_max_payloads);
		goto out;
	}
	if ((rc = swim_package_copy(&pkg, tmpl)) < 0 ||
	    (rc = plan_payloads(pkg, specs, n_specs)) < 0 ||
	    (rc = swim_tree_new(&tree, lim, pkg->setid_files,
	                        pkg->n_setid_files)) < 0)
		goto out;
	for (size_t i = 0; i < pkg->n_files; i++)
		free(pkg->files[i]);
	free(pkg->files);
	pkg->files = NULL;
	pkg->n_files = 0;
	fl.pkg = pkg;
	if (!(fds = malloc((n_specs ? n_specs : 1) * sizeof(*fds)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n_specs; i++)
		fds[i] = -1;
	for (size_t i = 0; i < n_specs; i++) {
		swim_payload_sums sums;
		swim_payload_source src = {
			.name = specs[i].name, .dir = specs[i].dir,
			.clamp_mtime = opt ? opt->source_date_epoch : -1,
			.tree = tree, .index = (unsigned)i,
			.on_file = add_file, .ctx = &fl, .lim = lim,
		};

		if ((rc = scratch_beside(&fds[i], out_path)) < 0 ||
		    (rc = swim_payload_write(&sums, fds[i], &src)) < 0 ||
		    (rc = set_checksums(&pkg->payloads[i], &sums)) < 0)
			goto out;
		/* What reading would refuse, building refuses. */
		if (sums.size > lim->payload_max_bytes ||
		    sums.expanded_size > swim_payload_expand_budget(sums.size, lim)) {
			rc = swim_error_set(SWIM_ELIMIT, "payload '%s': %llu bytes "
			                    "expanding to %llu exceed payload_max_bytes, "
			                    "payload_max_expanded_bytes or "
			                    "payload_max_ratio", specs[i].name,
			                    (unsigned long long)sums.size,
			                    (unsigned long long)sums.expanded_size);
			goto out;
		}
	}
	if ((rc = swim_tree_finish(tree)) < 0 ||
	    (rc = swim_descriptor_write(&descriptor, pkg, false)) < 0)
		goto out;
	if (descriptor.len > lim->descriptor_max_bytes) {
		rc = swim_error_set(SWIM_ELIMIT, "descriptor.xml would be %zu "
		                    "bytes, larger than descriptor_max_bytes (%llu)",
		                    descriptor.len,
		                    (unsigned long long)lim->descriptor_max_bytes);
		goto out;
	}
	rc = write_archive(out_path, &descriptor, pkg, fds);
out:
	for (size_t i = 0; fds && i < n_specs; i++)
		if (fds[i] >= 0)
			(void)close(fds[i]);
	free(fds);
	swim_tree_free(tree);
	swim_package_free(pkg);
	swim_buf_dispose(&descriptor);
	return rc;
}

/* Copies every payload member of pass into w, as it is. */
static int copy_payloads(swim_ar_writer *w, swim_vib_pass *pass,
                         const char *in_path)
{
	while (pass->member) {
		int rc;

		if ((rc = swim_ar_writer_begin(w, pass->member, pass->size)) < 0)
			return rc;
		for (;;) {
			const void *p;
			size_t n;

			if ((rc = swim_ar_reader_read(pass->ar, &p, &n)) < 0)
				return swim_error_prefix("%s: ", in_path);
			if (n == 0)
				break;
			if ((rc = swim_ar_writer_write(w, p, n)) < 0)
				return rc;
		}
		rc = swim_ar_reader_next(pass->ar, &pass->member, &pass->size);
		if (rc < 0)
			return swim_error_prefix("%s: ", in_path);
		if (rc == 0)
			pass->member = NULL;
	}
	return 0;
}

int swim_vib_sign(const char *out_path, const char *in_path,
                  const char *key_path, const char *cert_path,
                  const char *chain_path, const swim_limits *lim)
{
	swim_vib_options opt = { .no_sig_check = true, .lim = lim };
	swim_fs_atomic out = { -1, NULL, SWIM_BUF_INIT(0) };
	swim_buf sig = SWIM_BUF_INIT(0);
	swim_vib_pass pass = { 0 };
	swim_ar_writer *w = NULL;
	swim_vib *vib = NULL;
	int rc;

	/* Only an intact package is worth a signature. */
	if ((rc = swim_vib_open(&vib, in_path, &opt)) < 0 ||
	    (rc = swim_vib_verify(vib)) < 0)
		goto out;
	if ((rc = swim_signature_create(&sig, vib->priv->descriptor.ptr,
	                                vib->priv->descriptor.len, key_path,
	                                cert_path, chain_path)) < 0)
		goto out;
	if (sig.len > vib->priv->lim.signature_max_bytes) {
		rc = swim_error_set(SWIM_ELIMIT, "the signature is %zu bytes, "
		                    "larger than signature_max_bytes", sig.len);
		goto out;
	}
	if ((rc = swim_fs_atomic_begin(&out, out_path)) < 0 ||
	    (rc = swim_ar_writer_new(&w, out.fd, out_path)) < 0 ||
	    (rc = swim_vib__pass_begin(&pass, vib)) < 0 ||
	    (rc = swim_ar_writer_add(w, SWIM_VIB_DESCRIPTOR,
	                             vib->priv->descriptor.ptr,
	                             vib->priv->descriptor.len)) < 0 ||
	    (rc = swim_ar_writer_add(w, SWIM_VIB_SIGNATURE, sig.ptr,
	                             sig.len)) < 0 ||
	    (rc = copy_payloads(w, &pass, in_path)) < 0 ||
	    (rc = swim_ar_writer_finish(w)) < 0)
		goto out;
	rc = swim_fs_atomic_commit(&out, 0644);
out:
	swim_vib__pass_end(&pass);
	swim_ar_writer_free(w);
	swim_fs_atomic_abort(&out);
	swim_vib_free(vib);
	swim_buf_dispose(&sig);
	return rc;
}
