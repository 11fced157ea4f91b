/* vizwrite.c - DOT, GraphML and Cytoscape.js JSON from the viz graph, and
 * the escaping of each format (see vizwrite.h). */
#include "vizwrite.h"
#include "term.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- escaping --------------------------------------------------------- */

/* One UTF-8 character at s (n > 0 bytes): its length, or 0 if the bytes are
 * not UTF-8 (overlong forms, surrogates and values past U+10FFFF too). */
#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Writes the escape of cp and returns true, or returns false: copy it. */
typedef bool (*escape_fn)(kg_buf *b, uint32_t cp);

static void escape(kg_buf *b, const char *s, size_t n, escape_fn fn) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    const size_t len = kg_utf8_decode(u + i, n - i, &cp);
    if (len == 0) {
      kg_buf_puts(b, REPLACEMENT);
      i++;
      continue;
    }
    if (!fn(b, cp))
      kg_buf_append(b, s + i, len);
    i += len;
  }
}

/* XML 1.0 Char excludes C0 controls but tab, newline and carriage return,
 * and U+FFFE, U+FFFF. */
static bool xml_excluded(uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
         cp == 0xFFFE || cp == 0xFFFF;
}

static const char *xml_entity(uint32_t cp) {
  switch (cp) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  default:
    return NULL;
  }
}

/* Graphviz expands \N, \G, \\ ... in HTML-like labels too (after reading
 * entities), so a backslash is doubled there as well. */
static bool dot_html_char(kg_buf *b, uint32_t cp) {
  const char *e = xml_entity(cp);
  if (e)
    kg_buf_puts(b, e);
  else if (cp == '\\')
    kg_buf_puts(b, "\\\\");
  else if (cp == '\n')
    kg_buf_puts(b, "<BR/>");
  else if (cp == '\r')
    ; /* a CR LF pair is one break */
  else if (xml_excluded(cp))
    kg_buf_puts(b, REPLACEMENT);
  else
    return false;
  return true;
}

static bool dot_string_char(kg_buf *b, uint32_t cp) {
  if (cp == '"' || cp == '\\') {
    kg_buf_putc(b, '\\');
    kg_buf_putc(b, (char)cp);
  } else if (cp == '\n') {
    kg_buf_puts(b, "\\n");
  } else if (cp == '\r') {
    ; /* a CR LF pair is one break */
  } else if ((cp < 0x20 && cp != '\t') || cp == 0x7F) {
    kg_buf_puts(b, REPLACEMENT);
  } else {
    return false;
  }
  return true;
}

/* Graphviz 2.43 (Debian 12) expands the escapes of a tooltip twice, so a
 * backslash needs four there. */
static bool dot_tooltip_char(kg_buf *b, uint32_t cp) {
  if (cp == '\\') {
    kg_buf_puts(b, "\\\\\\\\");
    return true;
  }
  return dot_string_char(b, cp);
}

static bool xml_char(kg_buf *b, uint32_t cp) {
  const char *e = xml_entity(cp);
  if (e)
    kg_buf_puts(b, e);
  else if (cp == '\'')
    kg_buf_puts(b, "&apos;");
  else if (cp == '\t' || cp == '\n' || cp == '\r')
    kg_buf_printf(b, "&#%u;", (unsigned)cp);
  else if (xml_excluded(cp))
    kg_buf_puts(b, REPLACEMENT);
  else
    return false;
  return true;
}

static bool json_char(kg_buf *b, uint32_t cp) {
  static const char short_escapes[] = "\bb\ff\nn\rr\tt\"\"\\\\";
  for (size_t i = 0; i + 1 < sizeof short_escapes; i += 2)
    if (cp == (unsigned char)short_escapes[i]) {
      kg_buf_putc(b, '\\');
      kg_buf_putc(b, short_escapes[i + 1]);
      return true;
    }
  if (cp >= 0x20 && cp != 0x7F && cp != 0x2028 && cp != 0x2029)
    return false;
  kg_buf_printf(b, "\\u%04x", (unsigned)cp);
  return true;
}

void kg_dot_escape_html(kg_buf *b, const char *s, size_t n) {
  escape(b, s, n, dot_html_char);
}

void kg_dot_escape_string(kg_buf *b, const char *s, size_t n) {
  escape(b, s, n, dot_string_char);
}

void kg_dot_escape_tooltip(kg_buf *b, const char *s, size_t n) {
  escape(b, s, n, dot_tooltip_char);
}

void kg_xml_escape(kg_buf *b, const char *s, size_t n) {
  escape(b, s, n, xml_char);
}

void kg_json_escape(kg_buf *b, const char *s, size_t n) {
  escape(b, s, n, json_char);
}

/* ---- output ----------------------------------------------------------- */

typedef struct out {
  FILE *f;
  kg_buf b;
  const kg_viz *v;
  const kg_viz_node *nodes;
  size_t nnodes;
  const kg_viz_edge *edges;
  size_t nedges;
} out;

static void flush_if_full(out *w) {
  if (w->b.len < 1u << 16)
    return;
  fwrite(w->b.data, 1, w->b.len, w->f);
  kg_buf_reset(&w->b);
}

static void put_str(out *w, void (*esc)(kg_buf *, const char *, size_t),
                    const char *s) {
  esc(&w->b, s, strlen(s));
}

static const char *kind_name(kg_term_kind k) {
  return k == KG_TERM_IRI ? "iri" : k == KG_TERM_BLANK ? "blank" : "literal";
}

/* ---- DOT -------------------------------------------------------------- */

/* Fill colours: the most frequent node types (by their first type, ties
 * by first appearance) get the palette's colours, the others grey. */
enum { NPALETTE = 10, NCOUNTED = 64 };

typedef struct type_count {
  const char *type;
  size_t count;
} type_count;

static size_t count_types(const out *w, type_count *tc) {
  size_t n = 0;
  for (size_t i = 0; i < w->nnodes; i++) {
    const kg_viz_node *node = &w->nodes[i];
    if (node->ntypes == 0)
      continue;
    size_t k = 0;
    while (k < n && strcmp(tc[k].type, node->types[0]) != 0)
      k++;
    if (k == n && n == NCOUNTED)
      continue;
    if (k == n)
      tc[n++] = (type_count){node->types[0], 0};
    tc[k].count++;
  }
  for (size_t i = 1; i < n; i++) /* stable insertion sort, most first */
    for (size_t k = i; k > 0 && tc[k].count > tc[k - 1].count; k--) {
      const type_count t = tc[k];
      tc[k] = tc[k - 1];
      tc[k - 1] = t;
    }
  return n < NPALETTE ? n : NPALETTE;
}

static const char *type_colour(const type_count *tc, size_t n,
                               const kg_viz_node *node) {
  static const char *const palette[NPALETTE] = {
      "#cfe2f3", "#fce5cd", "#d9ead3", "#f4cccc", "#d9d2e9",
      "#fff2cc", "#d0e0e3", "#ead1dc", "#e6d8c3", "#c9daf8"};
  if (node->kind == KG_TERM_LITERAL)
    return "#ffffff";
  for (size_t i = 0; node->ntypes && i < n; i++)
    if (strcmp(tc[i].type, node->types[0]) == 0)
      return palette[i];
  return "#eeeeee";
}

static void dot_types(out *w, const kg_viz_node *n, const char *sep,
                      void (*esc)(kg_buf *, const char *, size_t)) {
  for (size_t t = 0; t < n->ntypes; t++) {
    if (t)
      kg_buf_puts(&w->b, sep);
    put_str(w, esc, n->types[t]);
  }
}

/* The tooltip: the node's full IRI (or name), then one line per literal. */
static void dot_tooltip(out *w, const kg_viz_node *n) {
  kg_buf_puts(&w->b, " tooltip=\"");
  if (n->kind == KG_TERM_IRI)
    kg_dot_escape_tooltip(&w->b, n->value, n->len);
  else
    put_str(w, kg_dot_escape_tooltip, n->name);
  for (size_t a = 0; a < n->nattrs; a++) {
    kg_buf_puts(&w->b, "\\n");
    put_str(w, kg_dot_escape_tooltip, n->attrs[a].pred);
    kg_buf_puts(&w->b, ": ");
    kg_dot_escape_tooltip(&w->b, n->attrs[a].value, n->attrs[a].len);
  }
  kg_buf_putc(&w->b, '"');
}

static void dot_node(out *w, size_t i, const char *fill) {
  const kg_viz_node *n = &w->nodes[i];
  size_t len;
  const char *label = kg_viz_node_label(n, &len);
  kg_buf_printf(&w->b, "  n%zu [label=<", i);
  kg_dot_escape_html(&w->b, label, len);
  if (n->ntypes) {
    kg_buf_puts(&w->b, "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#555555\">");
    dot_types(w, n, ", ", kg_dot_escape_html);
    kg_buf_puts(&w->b, "</FONT>");
  }
  kg_buf_printf(&w->b, "> fillcolor=\"%s\"", fill);
  if (n->kind == KG_TERM_LITERAL)
    kg_buf_puts(&w->b, " shape=\"note\"");
  if (n->ntypes) {
    kg_buf_puts(&w->b, " class=\"");
    dot_types(w, n, " ", kg_dot_escape_string);
    kg_buf_putc(&w->b, '"');
  }
  dot_tooltip(w, n);
  if (n->kind == KG_TERM_IRI) {
    kg_buf_puts(&w->b, " URL=\"");
    kg_dot_escape_string(&w->b, n->value, n->len);
    kg_buf_putc(&w->b, '"');
  }
  kg_buf_puts(&w->b, "];\n");
}

static void write_dot(out *w) {
  kg_buf_puts(&w->b,
              "digraph \"kgmap\" {\n"
              "  graph [charset=\"UTF-8\" rankdir=\"LR\" "
              "fontname=\"DejaVu Sans\"];\n"
              "  node [shape=\"box\" style=\"rounded,filled\" "
              "fontname=\"DejaVu Sans\" fontsize=\"10\" penwidth=\"0.6\"];\n"
              "  edge [fontname=\"DejaVu Sans\" fontsize=\"8\" "
              "color=\"#666666\" fontcolor=\"#444444\" arrowsize=\"0.6\"];\n");
  type_count tc[NCOUNTED];
  const size_t ntc = count_types(w, tc);
  for (size_t i = 0; i < w->nnodes; i++) {
    dot_node(w, i, type_colour(tc, ntc, &w->nodes[i]));
    flush_if_full(w);
  }
  for (size_t i = 0; i < w->nedges; i++) {
    const kg_viz_edge *e = &w->edges[i];
    kg_buf_printf(&w->b, "  n%zu -> n%zu [label=<", e->source, e->target);
    put_str(w, kg_dot_escape_html, e->pred);
    kg_buf_puts(&w->b, "> tooltip=\"");
    put_str(w, kg_dot_escape_string, e->pred_iri);
    kg_buf_puts(&w->b, "\"];\n");
    flush_if_full(w);
  }
  kg_buf_puts(&w->b, "}\n");
}

/* ---- GraphML ---------------------------------------------------------- */

static void graphml_key(out *w, const char *id, const char *for_,
                        const char *name) {
  kg_buf_printf(&w->b, "  <key id=\"%s\" for=\"%s\" attr.name=\"", id, for_);
  put_str(w, kg_xml_escape, name);
  kg_buf_puts(&w->b, "\" attr.type=\"string\"/>\n");
}

static void graphml_data(out *w, const char *key, const char *s, size_t n) {
  kg_buf_printf(&w->b, "      <data key=\"%s\">", key);
  kg_xml_escape(&w->b, s, n);
  kg_buf_puts(&w->b, "</data>\n");
}

/* One <key> per predicate that some node has literals of; used[p] is set
 * for those predicates. */
static void graphml_keys(out *w, bool *used) {
  static const char *const fixed[][2] = {
      {"nlabel", "label"}, {"nname", "name"}, {"niri", "iri"},
      {"nkind", "kind"},   {"ntype", "type"}, {"ntypes", "types"}};
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
    graphml_key(w, fixed[i][0], "node", fixed[i][1]);
  for (size_t i = 0; i < w->nnodes; i++)
    for (size_t a = 0; a < w->nodes[i].nattrs; a++) {
      const kg_viz_attr *at = &w->nodes[i].attrs[a];
      if (used[at->pred_index])
        continue;
      used[at->pred_index] = true;
      char id[32];
      snprintf(id, sizeof id, "p%zu", at->pred_index);
      graphml_key(w, id, "node", at->pred);
    }
  graphml_key(w, "elabel", "edge", "label");
  graphml_key(w, "eiri", "edge", "iri");
  /* yEd draws a node or edge from its yfiles graphics; other readers
   * (Gephi, Cytoscape, networkx) skip keys they do not know */
  kg_buf_puts(&w->b, "  <key id=\"ng\" for=\"node\" "
                     "yfiles.type=\"nodegraphics\"/>\n"
                     "  <key id=\"eg\" for=\"edge\" "
                     "yfiles.type=\"edgegraphics\"/>\n");
}

/* Characters, not bytes, in a UTF-8 label (for the box's width). */
static size_t label_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

/* yEd's ShapeNode: a filled box wide enough for the label's longest line,
 * on a grid (yEd has no layout on load; Layout > ... arranges it). */
#define YED_COLUMNS 12
static void yed_node(out *w, size_t i, const char *label, size_t len,
                     const char *fill) {
  const kg_viz_node *n = &w->nodes[i];
  size_t widest = 0, lines = 0;
  for (size_t a = 0, b; a <= len; a = b + 1, lines++) {
    const char *nl = memchr(label + a, '\n', len - a);
    b = nl ? (size_t)(nl - label) : len;
    const size_t c = label_chars(label + a, b - a);
    widest = c > widest ? c : widest;
  }
  const size_t width = 20 + 7 * (widest < 8 ? 8 : widest > 60 ? 60 : widest);
  const size_t height = 14 + 16 * (lines > 8 ? 8 : lines);
  kg_buf_printf(&w->b,
                "      <data key=\"ng\"><y:ShapeNode>"
                "<y:Geometry x=\"%zu\" y=\"%zu\" width=\"%zu\" "
                "height=\"%zu\"/><y:Fill color=\"%s\" transparent=\"false\"/>"
                "<y:BorderStyle color=\"#666666\" type=\"line\" "
                "width=\"1.0\"/><y:NodeLabel>",
                i % YED_COLUMNS * 480, i / YED_COLUMNS * 150, width, height,
                fill);
  kg_xml_escape(&w->b, label, len);
  kg_buf_printf(&w->b, "</y:NodeLabel><y:Shape type=\"%s\"/>"
                       "</y:ShapeNode></data>\n",
                n->kind == KG_TERM_LITERAL ? "rectangle" : "roundrectangle");
}

/* A node's literals of one predicate, joined by newlines, in one <data>. */
static void graphml_attrs(out *w, const kg_viz_node *n, bool *done) {
  for (size_t a = 0; a < n->nattrs; a++) {
    const size_t p = n->attrs[a].pred_index;
    if (done[p])
      continue;
    done[p] = true;
    kg_buf_printf(&w->b, "      <data key=\"p%zu\">", p);
    for (size_t k = a; k < n->nattrs; k++) {
      if (n->attrs[k].pred_index != p)
        continue;
      if (k != a)
        kg_buf_puts(&w->b, "&#10;");
      kg_xml_escape(&w->b, n->attrs[k].value, n->attrs[k].len);
    }
    kg_buf_puts(&w->b, "</data>\n");
  }
  for (size_t a = 0; a < n->nattrs; a++)
    done[n->attrs[a].pred_index] = false;
}

static void graphml_node(out *w, size_t i, const char *fill, bool *done) {
  const kg_viz_node *n = &w->nodes[i];
  size_t len;
  const char *label = kg_viz_node_label(n, &len);
  kg_buf_printf(&w->b, "    <node id=\"n%zu\">\n", i);
  graphml_data(w, "nlabel", label, len);
  graphml_data(w, "nname", n->name, strlen(n->name));
  if (n->kind == KG_TERM_IRI)
    graphml_data(w, "niri", n->value, n->len);
  graphml_data(w, "nkind", kind_name(n->kind), strlen(kind_name(n->kind)));
  if (n->ntypes) {
    graphml_data(w, "ntype", n->types[0], strlen(n->types[0]));
    kg_buf_puts(&w->b, "      <data key=\"ntypes\">");
    dot_types(w, n, " ", kg_xml_escape);
    kg_buf_puts(&w->b, "</data>\n");
  }
  graphml_attrs(w, n, done);
  yed_node(w, i, label, len, fill);
  kg_buf_puts(&w->b, "    </node>\n");
}

static void write_graphml(out *w) {
  const size_t npreds = kg_viz_npreds(w->v);
  bool *used = kg_xcalloc(npreds + 1, sizeof *used);
  kg_buf_puts(&w->b,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
              "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
              "    xmlns:y=\"http://www.yworks.com/xml/graphml\"\n"
              "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
              "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
  graphml_keys(w, used);
  kg_buf_puts(&w->b, "  <graph id=\"G\" edgedefault=\"directed\">\n");
  memset(used, 0, (npreds + 1) * sizeof *used);
  type_count tc[NCOUNTED];
  const size_t ntc = count_types(w, tc);
  for (size_t i = 0; i < w->nnodes; i++) {
    graphml_node(w, i, type_colour(tc, ntc, &w->nodes[i]), used);
    flush_if_full(w);
  }
  for (size_t i = 0; i < w->nedges; i++) {
    const kg_viz_edge *e = &w->edges[i];
    kg_buf_printf(&w->b,
                  "    <edge id=\"e%zu\" source=\"n%zu\" "
                  "target=\"n%zu\">\n",
                  i, e->source, e->target);
    graphml_data(w, "elabel", e->pred, strlen(e->pred));
    graphml_data(w, "eiri", e->pred_iri, strlen(e->pred_iri));
    kg_buf_puts(&w->b, "      <data key=\"eg\"><y:PolyLineEdge>"
                       "<y:LineStyle color=\"#666666\" type=\"line\" "
                       "width=\"1.0\"/><y:Arrows source=\"none\" "
                       "target=\"standard\"/><y:EdgeLabel>");
    put_str(w, kg_xml_escape, e->pred);
    kg_buf_puts(&w->b, "</y:EdgeLabel></y:PolyLineEdge></data>\n");
    kg_buf_puts(&w->b, "    </edge>\n");
    flush_if_full(w);
  }
  kg_buf_puts(&w->b, "  </graph>\n</graphml>\n");
  free(used);
}

/* ---- Cytoscape.js JSON ------------------------------------------------ */

static void json_member(out *w, const char *name, const char *s, size_t n) {
  kg_buf_printf(&w->b, ",\"%s\":\"", name);
  kg_json_escape(&w->b, s, n);
  kg_buf_putc(&w->b, '"');
}

static void json_literal(out *w, const kg_viz_attr *a) {
  kg_buf_puts(&w->b, "{\"value\":\"");
  kg_json_escape(&w->b, a->value, a->len);
  kg_buf_putc(&w->b, '"');
  if (a->language)
    json_member(w, "lang", a->language, strlen(a->language));
  if (a->datatype)
    json_member(w, "datatype", a->datatype, strlen(a->datatype));
  kg_buf_putc(&w->b, '}');
}

/* "attrs":{"pred":[literal, ...], ...}, predicates in order of first use. */
static void json_attrs(out *w, const kg_viz_node *n, bool *done) {
  kg_buf_puts(&w->b, ",\"attrs\":{");
  for (size_t a = 0; a < n->nattrs; a++) {
    const size_t p = n->attrs[a].pred_index;
    if (done[p])
      continue;
    done[p] = true;
    kg_buf_puts(&w->b, a ? ",\"" : "\"");
    put_str(w, kg_json_escape, n->attrs[a].pred);
    kg_buf_puts(&w->b, "\":[");
    for (size_t k = a; k < n->nattrs; k++) {
      if (n->attrs[k].pred_index != p)
        continue;
      if (k != a)
        kg_buf_putc(&w->b, ',');
      json_literal(w, &n->attrs[k]);
    }
    kg_buf_putc(&w->b, ']');
  }
  kg_buf_putc(&w->b, '}');
  for (size_t a = 0; a < n->nattrs; a++)
    done[n->attrs[a].pred_index] = false;
}

static void json_node(out *w, size_t i, bool *done) {
  const kg_viz_node *n = &w->nodes[i];
  size_t len;
  const char *label = kg_viz_node_label(n, &len);
  kg_buf_printf(&w->b, "%s{\"data\":{\"id\":\"n%zu\"", i ? ",\n" : "", i);
  json_member(w, "label", label, len);
  json_member(w, "name", n->name, strlen(n->name));
  json_member(w, "kind", kind_name(n->kind), strlen(kind_name(n->kind)));
  if (n->kind == KG_TERM_IRI)
    json_member(w, "iri", n->value, n->len);
  if (n->kind == KG_TERM_LITERAL && n->language)
    json_member(w, "lang", n->language, strlen(n->language));
  if (n->kind == KG_TERM_LITERAL && n->datatype)
    json_member(w, "datatype", n->datatype, strlen(n->datatype));
  if (n->ntypes)
    json_member(w, "type", n->types[0], strlen(n->types[0]));
  kg_buf_puts(&w->b, ",\"types\":[");
  for (size_t t = 0; t < n->ntypes; t++) {
    kg_buf_puts(&w->b, t ? ",\"" : "\"");
    put_str(w, kg_json_escape, n->types[t]);
    kg_buf_putc(&w->b, '"');
  }
  kg_buf_putc(&w->b, ']');
  json_attrs(w, n, done);
  kg_buf_puts(&w->b, "}}");
}

static void write_cytoscape(out *w) {
  bool *done = kg_xcalloc(kg_viz_npreds(w->v) + 1, sizeof *done);
  kg_buf_puts(&w->b, "{\"elements\":{\"nodes\":[\n");
  for (size_t i = 0; i < w->nnodes; i++) {
    json_node(w, i, done);
    flush_if_full(w);
  }
  kg_buf_puts(&w->b, "\n],\"edges\":[\n");
  for (size_t i = 0; i < w->nedges; i++) {
    const kg_viz_edge *e = &w->edges[i];
    kg_buf_printf(&w->b,
                  "%s{\"data\":{\"id\":\"e%zu\",\"source\":\"n%zu\","
                  "\"target\":\"n%zu\"",
                  i ? ",\n" : "", i, e->source, e->target);
    json_member(w, "label", e->pred, strlen(e->pred));
    json_member(w, "iri", e->pred_iri, strlen(e->pred_iri));
    kg_buf_puts(&w->b, "}}");
    flush_if_full(w);
  }
  kg_buf_puts(&w->b, "\n]}}\n");
  free(done);
}

/* ---- entry points ----------------------------------------------------- */

kg_status kg_viz_write(const kg_viz *v, kg_viz_format fmt, FILE *f,
                       kg_diag *d) {
  out w = {.f = f, .v = v};
  w.nodes = kg_viz_nodes(v, &w.nnodes);
  w.edges = kg_viz_edges(v, &w.nedges);
  if (fmt == KG_VIZ_DOT)
    write_dot(&w);
  else if (fmt == KG_VIZ_GRAPHML)
    write_graphml(&w);
  else
    write_cytoscape(&w);
  fwrite(w.b.data, 1, w.b.len, f);
  kg_buf_free(&w.b);
  if (fflush(f) != 0 || ferror(f))
    return kg_error(d, NULL, KG_ERR_IO, "write error: %s", strerror(errno));
  return KG_OK;
}

static const struct {
  const char *name;
  kg_viz_format fmt;
} format_names[] = {{"dot", KG_VIZ_DOT},
                    {"gv", KG_VIZ_DOT},
                    {"graphml", KG_VIZ_GRAPHML},
                    {"cytoscape", KG_VIZ_CYTOSCAPE},
                    {"cyjs", KG_VIZ_CYTOSCAPE}};

bool kg_viz_format_from_name(const char *name, kg_viz_format *fmt) {
  for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
    if (strcmp(name, format_names[i].name) == 0) {
      *fmt = format_names[i].fmt;
      return true;
    }
  return false;
}

bool kg_viz_format_from_path(const char *path, kg_viz_format *fmt) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && slash > dot) || strcmp(dot + 1, "cytoscape") == 0)
    return false;
  return kg_viz_format_from_name(dot + 1, fmt);
}
