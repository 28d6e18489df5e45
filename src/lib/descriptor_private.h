/* Pieces of the descriptor writer that other writers of package XML
 * (the inline <vib> of a depot's vmware.xml) share. */
#ifndef SWIM_LIB_DESCRIPTOR_PRIVATE_H
#define SWIM_LIB_DESCRIPTOR_PRIVATE_H

#include "swim/package.h"
#include "util/xml.h"
#include "util/xmlw.h"

/* swim_descriptor_read_named() with a parser context reused across many
 * descriptors by one thread (depot metadata); ctxt NULL: a fresh one. */
int swim_descriptor_read_ctxt(swim_package **out, xmlParserCtxt *ctxt,
                              const char *xml, size_t len,
                              const swim_limits *lim, const char *what);

/* <relationships> with depends, conflicts, replaces, provides and
 * compatibleWith, as descriptor.xml has it. */
void swim_descriptor_xmlw_relationships(swim_xmlw *w,
                                        const swim_package *pkg);

#endif
