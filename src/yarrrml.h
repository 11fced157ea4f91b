/* yarrrml.h - the YARRRML reader: YAML mapping files into the mapping
 * model, natively (no conversion to RML). */
#ifndef KG_YARRRML_H
#define KG_YARRRML_H

#include "mapping.h"

/* Read one YARRRML file into m (several files merge into one mapping).
 * Data source paths are resolved relative to the file's directory. */
kg_status kg_yarrrml_read(kg_mapping *m, const char *path, kg_diag *d);

/* The same from memory; name is used for messages, dir for relative
 * source paths (NULL: current directory). */
kg_status kg_yarrrml_read_mem(kg_mapping *m, const char *name, const char *dir,
                              const char *data, size_t len, kg_diag *d);

#endif
