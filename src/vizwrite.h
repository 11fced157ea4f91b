/* vizwrite.h - the visual formats: a graph built by the viz sink (viz.h)
 * written as Graphviz DOT, GraphML or Cytoscape.js elements JSON, and the
 * escaping each format needs.
 *
 * - DOT: node ids n0, n1, ...; labels are HTML-like labels (<...>) so that
 *   nothing in a label is read as an escape sequence (\N, \l, record
 *   fields); tooltips and URLs are quoted escStrings.
 * - GraphML: one <key> per node or edge attribute (label, iri, kind, type,
 *   types, and one per folded literal predicate, its values joined by
 *   newlines); the schemaLocation of graphml.xsd 1.0.
 * - Cytoscape: {"elements":{"nodes":[...],"edges":[...]}} as cy.json()
 *   and cytoscape({elements}) read it, one element per line; folded literals
 *   under data.attrs as {"value","lang","datatype"} lists. */
#ifndef KG_VIZWRITE_H
#define KG_VIZWRITE_H

#include <stdio.h>

#include "viz.h"

typedef enum { KG_VIZ_DOT, KG_VIZ_GRAPHML, KG_VIZ_CYTOSCAPE } kg_viz_format;

/* "dot"/"gv", "graphml", "cytoscape"/"cyjs"; false if none. */
bool kg_viz_format_from_name(const char *name, kg_viz_format *fmt);
/* From a file name's extension (.dot .gv .graphml .cyjs); false if none. */
bool kg_viz_format_from_path(const char *path, kg_viz_format *fmt);

/* Write the graph; out is borrowed.  KG_ERR_IO if a write failed. */
kg_status kg_viz_write(const kg_viz *v, kg_viz_format fmt, FILE *out,
                       kg_diag *d);

/* Escaping: each appends s (n bytes, UTF-8) to b.  A byte sequence that is
 * not UTF-8, and a character that the format cannot hold at all, become
 * U+FFFD.
 * - DOT HTML-like label text: & < > " as entities, \ doubled (Graphviz
 *   expands \N, \G ... there too), a newline as <BR/>, a carriage return
 *   dropped, other controls U+FFFD (Graphviz reads HTML labels as XML).
 * - DOT quoted string: \ and " backslashed, a newline as \n, controls
 *   other than tab U+FFFD.  A tooltip is the same with a backslash as four:
 *   Graphviz 2.43 (Debian 12) expands a tooltip's escapes twice.
 * - XML text or attribute value: & < > " ' as entities, tab, newline and
 *   carriage return as character references (so attribute values keep
 *   them), the characters XML 1.0 excludes (other C0 controls, U+FFFE,
 *   U+FFFF) U+FFFD.
 * - JSON string contents: " and \ backslashed, controls as \b \f \n \r \t
 *   or \u00XX, U+2028 and U+2029 as \u2028 \u2029 (valid JSON, but line
 *   terminators in older JavaScript). */
void kg_dot_escape_html(kg_buf *b, const char *s, size_t n);
void kg_dot_escape_string(kg_buf *b, const char *s, size_t n);
void kg_dot_escape_tooltip(kg_buf *b, const char *s, size_t n);
void kg_xml_escape(kg_buf *b, const char *s, size_t n);
void kg_json_escape(kg_buf *b, const char *s, size_t n);

#endif
