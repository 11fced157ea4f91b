/* yarrrml_target.h - YARRRML `targets`: the top-level declarations into
 * the mapping's targets, and the `targets:` references of subjects,
 * predicates, objects, predicate-objects and graphs into target sets.
 * Part of the YARRRML reader (yarrrml.c calls it); the output stage that
 * writes the targets is target.h. */
#ifndef KG_YARRRML_TARGET_H
#define KG_YARRRML_TARGET_H

#include "mapping.h"

/* Read the map n (the document's `targets`) into m->targets.  file names
 * positions in messages; relative file paths are resolved against dir
 * (NULL: the current directory). */
kg_status kg_yarrrml_read_targets(kg_mapping *m, const char *file,
                                  const char *dir, const kg_node *n,
                                  kg_diag *d);

/* Add the targets that n (NAME or a list of names) refers to to *out. */
kg_status kg_yarrrml_target_refs(const kg_mapping *m, const char *file,
                                 const kg_node *n, kg_target_set *out,
                                 kg_diag *d);

#endif
