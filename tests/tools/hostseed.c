/* hostseed: puts packages into a host's database the way the transaction
 * engine records an install (records, files, image, profile rule,
 * history), without touching files, so that the integration tests can
 * drive the read-only commands over real content.
 *
 * hostseed ROOT [--pending] [--level L] [--signer S] [--source URL]
 *          [--profile NAME --vendor V] [--inconsistent REASON]
 *          DESCRIPTOR.xml...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swim/error.h"
#include "swim/history.h"
#include "swim/host.h"
#include "swim/image.h"
#include "util/fs.h"

struct seed {
	swim_image_slot slot;
	const char *level, *signer, *source, *profile, *vendor, *inconsistent;
};

static const char empty_sha[] =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static int add_one(swim_host *h, const struct seed *s, const char *file,
                   int64_t hist)
{
	swim_buf xml = SWIM_BUF_INIT(0);
	swim_host_package in = { 0 };
	swim_host_file *files = NULL;
	swim_package *pkg = NULL;
	int64_t rec;
	int rc;

	if ((rc = swim_fs_read_file(&xml, file)) < 0 ||
	    (rc = swim_descriptor_read_named(&pkg, xml.ptr, xml.len, NULL,
	                                     file)) < 0)
		goto out;
	in.pkg = pkg;
	in.proven = pkg->acceptance;
	if (s->level && (rc = swim_acceptance_parse(&in.proven, s->level)) < 0)
		goto out;
	in.signer = (char *)s->signer;
	in.source = (char *)s->source;
	if (!(files = calloc(pkg->n_files + 1, sizeof(*files)))) {
		rc = swim_error_oom();
		goto out;
	}
	for (size_t i = 0; i < pkg->n_files; i++)
		files[i] = (swim_host_file){ .path = pkg->files[i],
		                             .type = SWIM_FILE_REGULAR, .mode = 0644,
		                             .sha256 = empty_sha,
		                             .payload = pkg->n_payloads ?
		                                        pkg->payloads[0].name : NULL };
	/* An install replaces the installed version of the name. */
	if ((rc = swim_image_remove(h, s->slot, pkg->name)) == SWIM_ENOTFOUND) {
		swim_error_clear();
		rc = 0;
	}
	if (rc < 0 ||
	    (rc = swim_host_package_add(&rec, h, &in, files, pkg->n_files)) < 0 ||
	    (rc = swim_image_add(h, s->slot, rec)) < 0 ||
	    (rc = swim_history_add(h, hist, SWIM_HISTORY_INSTALLED, pkg->id)) < 0)
		goto out;
out:
	free(files);
	swim_package_free(pkg);
	swim_buf_dispose(&xml);
	return rc;
}

static int seed(swim_host *h, const struct seed *s, char **files, int n)
{
	swim_profile *p = NULL;
	bool exists;
	int64_t hist;
	int rc;

	if ((rc = swim_host_begin(h)) < 0)
		return rc;
	if ((rc = swim_image_exists(&exists, h, s->slot)) < 0 ||
	    (!exists && (rc = swim_image_copy(h, SWIM_IMAGE_CURRENT, s->slot)) < 0) ||
	    (rc = swim_image_profile(&p, h, s->slot)) < 0 ||
	    (rc = swim_history_begin(&hist, h, "vib install")) < 0)
		goto out;
	if (s->profile) {
		free(p->name);
		free(p->vendor);
		p->name = strdup(s->profile);
		p->vendor = strdup(s->vendor ? s->vendor : "");
	}
	for (int i = 0; i < n && rc == 0; i++)
		rc = add_one(h, s, files[i], hist);
	if (rc < 0 || (!s->profile && (rc = swim_image_profile_mark_updated(p)) < 0) ||
	    (rc = swim_image_profile_set(h, s->slot, p)) < 0 ||
	    (s->inconsistent &&
	     (rc = swim_host_mark_inconsistent(h, s->inconsistent)) < 0) ||
	    (rc = swim_history_finish(h, hist, SWIM_HISTORY_SUCCESS,
	                              s->slot == SWIM_IMAGE_PENDING ?
	                              "The update completed successfully, but the "
	                              "system needs to be rebooted for the changes "
	                              "to be effective." :
	                              "Operation finished successfully.",
	                              s->slot == SWIM_IMAGE_PENDING)) < 0)
		goto out;
out:
	swim_profile_free(p);
	if (rc == 0)
		return swim_host_commit(h);
	swim_host_rollback(h);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pending", no_argument, NULL, 'p' },
		{ "level", required_argument, NULL, 'l' },
		{ "signer", required_argument, NULL, 's' },
		{ "source", required_argument, NULL, 'u' },
		{ "profile", required_argument, NULL, 'P' },
		{ "vendor", required_argument, NULL, 'V' },
		{ "inconsistent", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct seed s = { .slot = SWIM_IMAGE_CURRENT };
	swim_host_options o = { .command = "hostseed" };
	swim_host *h = NULL;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': s.slot = SWIM_IMAGE_PENDING; break;
		case 'l': s.level = optarg; break;
		case 's': s.signer = optarg; break;
		case 'u': s.source = optarg; break;
		case 'P': s.profile = optarg; break;
		case 'V': s.vendor = optarg; break;
		case 'i': s.inconsistent = optarg; break;
		default: return 2;
		}
	}
	if (argc - optind < 1) {
		fprintf(stderr, "usage: hostseed ROOT [options] DESCRIPTOR...\n");
		return 2;
	}
	if ((rc = swim_host_open(&h, argv[optind], SWIM_HOST_WRITE, &o)) == 0)
		rc = seed(h, &s, argv + optind + 1, argc - optind - 1);
	swim_host_close(h);
	if (rc < 0) {
		fprintf(stderr, "hostseed: %s\n", swim_error_last());
		return 1;
	}
	return 0;
}
