/* Pieces of the descriptor writer that other writers of package XML
 * (the inline <vib> of a depot's vmware.xml) share. */
#ifndef SWIM_LIB_DESCRIPTOR_PRIVATE_H
#define SWIM_LIB_DESCRIPTOR_PRIVATE_H

#include "swim/package.h"
#include "util/xmlw.h"

/* <relationships> with depends, conflicts, replaces, provides and
 * compatibleWith, as descriptor.xml has it. */
void swim_descriptor_xmlw_relationships(swim_xmlw *w,
                                        const swim_package *pkg);

#endif
