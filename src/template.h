/* template.h - string templates of term maps.
 *
 * RML:     "http://ex.com/{$.id}/x"  with \{ \} \\ escapes (RML-Core 7.3)
 * YARRRML: "ex:person/$(id)"         with \$( as an escaped "$(", and
 *          $(_name) replaced by the external value named `name`. */
#ifndef KG_TEMPLATE_H
#define KG_TEMPLATE_H

#include "mapping.h"

typedef enum { KG_TPL_RML, KG_TPL_YARRRML } kg_tpl_syntax;

/* Parse text (len bytes) into tm->parts and set tm->kind = KG_TM_TEMPLATE.
 * Errors (unbalanced braces, empty reference, invalid JSONPath, unknown
 * external) are reported at tm->pos and return KG_ERR_MAPPING or
 * KG_ERR_SYNTAX. */
kg_status kg_template_parse(kg_mapping *m, kg_term_map *tm, const char *text,
                            size_t len, kg_tpl_syntax syn, kg_diag *d);

#endif
