/* rml.h - the RML reader: RML mappings in Turtle (RML-Core vocabulary
 * http://w3id.org/rml/ and the legacy rr:/rml:/ql: one) into the mapping
 * model, parsed with raptor. */
#ifndef KG_RML_H
#define KG_RML_H

#include "mapping.h"

/* Read one RML Turtle file into m. */
kg_status kg_rml_read(kg_mapping *m, const char *path, kg_diag *d);

/* The same from memory; name is used for messages and as the base IRI's
 * file, dir for relative source paths (NULL: current directory). */
kg_status kg_rml_read_mem(kg_mapping *m, const char *name, const char *dir,
                          const char *data, size_t len, kg_diag *d);

/* True when the text looks like an RML Turtle mapping rather than YAML
 * (used when the format is not forced and the extension does not tell). */
bool kg_rml_sniff(const char *data, size_t len);

#endif
