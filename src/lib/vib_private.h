/* Semi-private: what swim_vib keeps between its passes, shared by the
 * reading (vib.c) and writing (vib_build.c) halves. */
#ifndef SWIM_LIB_VIB_PRIVATE_H
#define SWIM_LIB_VIB_PRIVATE_H

#include "lib/ar.h"
#include "lib/payload.h"
#include "swim/vib.h"

#define SWIM_VIB_DESCRIPTOR "descriptor.xml"
#define SWIM_VIB_SIGNATURE "sig.pkcs7"

struct swim_vib_private {
	char *name;            /* path or given name, for messages */
	int fd;                /* -1 when reading from memory */
	const void *mem;
	size_t mem_len;
	swim_limits lim;
	swim_buf descriptor;   /* exact bytes of descriptor.xml */
	swim_buf sig;          /* exact bytes of sig.pkcs7 */
};

/* One pass over the archive from its start, past descriptor.xml and
 * sig.pkcs7 (both compared with what swim_vib_open() read), to the first
 * payload member. */
typedef struct swim_vib_pass {
	swim_ar_reader *ar;
	const char *member;    /* the current member, NULL at the end */
	uint64_t size;
} swim_vib_pass;

int swim_vib__pass_begin(swim_vib_pass *pass, swim_vib *vib);

/* Streams every payload member through swim_payload_read() with the
 * rules, filling vib->payloads; on_entry (may be NULL) sees each entry. */
int swim_vib__pass_payloads(swim_vib_pass *pass, swim_vib *vib,
                            swim_payload_entry_fn on_entry, void *ctx);

void swim_vib__pass_end(swim_vib_pass *pass);

#endif
