/* Unit tests for viz.c and vizwrite.c: the escaping of each visual format,
 * the graph the sink builds (types, labels by language, folded literals,
 * duplicates, literal nodes), determinism, and errors. */
#include "testutil.h"

#include <stdlib.h>

#include "viz.h"
#include "vizwrite.h"

#define EX "http://example.com/"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"

static kg_term iri(const char *s) {
  return (kg_term){KG_TERM_IRI, s, strlen(s), NULL, NULL, false};
}
static kg_term lit(const char *s) {
  return (kg_term){KG_TERM_LITERAL, s, strlen(s), NULL, NULL, false};
}
static kg_term lang(const char *s, const char *tag) {
  return (kg_term){KG_TERM_LITERAL, s, strlen(s), NULL, tag, false};
}

static const kg_prefix prefixes[] = {{"ex", EX}, {"rdfs", RDFS}};

/* ---- escaping --------------------------------------------------------- */

typedef void (*escape_fn)(kg_buf *, const char *, size_t);

static void check_escape(escape_fn fn, const char *in, size_t n,
                         const char *want) {
  kg_buf b = {0};
  fn(&b, in, n);
  assert_string_equal(kg_buf_cstr(&b), want);
  kg_buf_free(&b);
}

#define ESC(fn, in, want) check_escape(fn, in, sizeof in - 1, want)

static void dot_html_escaping(void **state) {
  ESC(kg_dot_escape_html, "<http://x/a>", "&lt;http://x/a&gt;");
  ESC(kg_dot_escape_html, "a & b \"c\"", "a &amp; b &quot;c&quot;");
  ESC(kg_dot_escape_html, "l1\nl2\r\nl3", "l1<BR/>l2<BR/>l3");
  ESC(kg_dot_escape_html, "\\N \\l {a|b}", "\\\\N \\\\l {a|b}");
  ESC(kg_dot_escape_html, "x\001y", "x\xEF\xBF\xBDy");
  ESC(kg_dot_escape_html, "Sergueï", "Sergueï");
}

static void dot_string_escaping(void **state) {
  ESC(kg_dot_escape_string, "say \"hi\"", "say \\\"hi\\\"");
  ESC(kg_dot_escape_string, "a\\Nb", "a\\\\Nb");
  ESC(kg_dot_escape_string, "l1\nl2", "l1\\nl2");
  ESC(kg_dot_escape_string, "<a> &", "<a> &");
  ESC(kg_dot_escape_string, "x\033y\tz", "x\xEF\xBF\xBDy\tz");
  ESC(kg_dot_escape_tooltip, "a\\N \"q\"\n", "a\\\\\\\\N \\\"q\\\"\\n");
}

static void xml_escaping(void **state) {
  ESC(kg_xml_escape, "<a href=\"x\">&'</a>",
      "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  ESC(kg_xml_escape, "t\tn\nr\r", "t&#9;n&#10;r&#13;");
  ESC(kg_xml_escape, "nul\0bel\a",
      "nul\xEF\xBF\xBD"
      "bel\xEF\xBF\xBD");
  ESC(kg_xml_escape, "\xEF\xBF\xBE", "\xEF\xBF\xBD"); /* U+FFFE */
  ESC(kg_xml_escape, "]]>", "]]&gt;");
}

static void json_escaping(void **state) {
  ESC(kg_json_escape, "\"\\/", "\\\"\\\\/");
  ESC(kg_json_escape, "\b\f\n\r\t", "\\b\\f\\n\\r\\t");
  ESC(kg_json_escape, "\001\037\177", "\\u0001\\u001f\\u007f");
  ESC(kg_json_escape, "a\0b", "a\\u0000b");
  ESC(kg_json_escape, "\xE2\x80\xA8|\xE2\x80\xA9", "\\u2028|\\u2029");
  ESC(kg_json_escape, "é€😀", "é€😀");
}

static void invalid_utf8_is_replaced(void **state) {
  /* a lone continuation byte, an overlong '/', a surrogate, a cut-off
   * sequence */
  ESC(kg_json_escape,
      "a\x80"
      "b",
      "a\xEF\xBF\xBD"
      "b");
  ESC(kg_xml_escape, "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");
  ESC(kg_dot_escape_html, "\xED\xA0\x80",
      "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  ESC(kg_dot_escape_string, "x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD");
}

/* ---- building --------------------------------------------------------- */

typedef struct stmt {
  kg_term s, p, o;
} stmt;

static kg_viz *build(const kg_viz_options *opt, const stmt *v, size_t n,
                     test_diag *td) {
  kg_viz *g = kg_viz_new(opt, prefixes, 2, &td->diag);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(kg_viz_statement(g, &v[i].s, &v[i].p, &v[i].o, NULL),
                     KG_OK);
  return g;
}

static char *write_string(const kg_viz *g, kg_viz_format fmt) {
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  assert_non_null(f);
  assert_int_equal(kg_viz_write(g, fmt, f, NULL), KG_OK);
  fclose(f);
  return text;
}

static void types_and_edges(void **state) {
  test_diag td;
  test_diag_init(&td);
  const stmt v[] = {
      {iri(EX "a"), iri(KG_RDF_TYPE), iri(EX "Person")},
      {iri(EX "a"), iri(EX "knows"), iri(EX "b")},
      {iri(EX "a"), iri(KG_RDF_TYPE), iri(EX "Agent")},
      {iri(EX "a"), iri(EX "knows"), iri(EX "b")}, /* a duplicate */
      {iri(EX "b"), iri(EX "age"), lit("42")},
  };
  kg_viz *g = build(NULL, v, 5, &td);
  size_t nn, ne;
  const kg_viz_node *nodes = kg_viz_nodes(g, &nn);
  const kg_viz_edge *edges = kg_viz_edges(g, &ne);
  assert_int_equal(nn, 2); /* classes are types, not nodes */
  assert_int_equal(ne, 1);
  assert_int_equal(nodes[0].ntypes, 2);
  assert_string_equal(nodes[0].types[0], "ex:Person");
  assert_string_equal(nodes[0].type_iris[1], EX "Agent");
  assert_string_equal(edges[0].pred, "ex:knows");
  assert_int_equal(edges[0].source, 0);
  assert_int_equal(edges[0].target, 1);
  assert_int_equal(nodes[1].nattrs, 1);
  assert_string_equal(nodes[1].attrs[0].pred, "ex:age");
  assert_string_equal(nodes[1].attrs[0].value, "42");
  kg_viz_free(g);
}

static const char *label_with(const char *want_lang) {
  static char got[64];
  test_diag td;
  test_diag_init(&td);
  const stmt v[] = {
      {iri(EX "m"), iri(EX "note"), lit("no label")},
      {iri(EX "m"), iri(RDFS "label"), lang("Moscow", "en")},
      {iri(EX "m"), iri(RDFS "label"), lang("Moscou", "fr-FR")},
      {iri(EX "m"), iri("http://schema.org/name"), lang("Moscou (nom)", "fr")},
      {iri(EX "m"), iri(RDFS "label"), lit("Moskva")},
  };
  kg_viz_options opt = {.lang = want_lang};
  kg_viz *g = build(&opt, v, 5, &td);
  size_t n, len;
  const kg_viz_node *nodes = kg_viz_nodes(g, &n);
  const char *label = kg_viz_node_label(&nodes[0], &len);
  snprintf(got, sizeof got, "%.*s", (int)len, label);
  kg_viz_free(g);
  return got;
}

static void labels_by_language(void **state) {
  /* an exact tag beats the same primary language, which beats rdfs:label
   * over schema:name only within the same language rank */
  assert_string_equal(label_with("fr"), "Moscou (nom)");
  assert_string_equal(label_with("fr-FR"), "Moscou");
  assert_string_equal(label_with("en"), "Moscow");
  assert_string_equal(label_with("de"), "Moskva"); /* untagged next */
  assert_string_equal(label_with(NULL), "Moskva");
}

static void short_names(void **state) {
  test_diag td;
  test_diag_init(&td);
  const stmt v[] = {{iri(EX "a/b"), iri("urn:x:p"), iri("http://other/x")}};
  kg_viz *g = build(NULL, v, 1, &td);
  size_t n;
  const kg_viz_node *nodes = kg_viz_nodes(g, &n);
  size_t len;
  assert_string_equal(kg_viz_node_label(&nodes[0], &len), "ex:a/b");
  assert_string_equal(kg_viz_node_label(&nodes[1], &len), "http://other/x");
  assert_string_equal(kg_viz_short_name(g, EX, strlen(EX)), EX);
  kg_viz_free(g);
}

static void literal_nodes(void **state) {
  test_diag td;
  test_diag_init(&td);
  const stmt v[] = {
      {iri(EX "a"), iri(EX "name"), lit("A")},
      {iri(EX "b"), iri(EX "name"), lit("A")},
      {iri(EX "a"), iri(RDFS "label"), lit("Ay")},
  };
  kg_viz_options opt = {.literal_nodes = true};
  kg_viz *g = build(&opt, v, 3, &td);
  size_t nn, ne, len;
  const kg_viz_node *nodes = kg_viz_nodes(g, &nn);
  kg_viz_edges(g, &ne);
  assert_int_equal(nn, 4); /* a, "A" (shared), b, "Ay" */
  assert_int_equal(ne, 3);
  assert_int_equal(nodes[1].kind, KG_TERM_LITERAL);
  assert_string_equal(kg_viz_node_label(&nodes[0], &len), "Ay");
  kg_viz_free(g);
}

static void formats_escape_labels(void **state) {
  test_diag td;
  test_diag_init(&td);
  const stmt v[] = {
      {iri(EX "a"), iri(RDFS "label"), lit("<b> & \"q\"\nline\xE2\x80\xA8")},
      {iri(EX "a"), iri(EX "p"), iri(EX "b")},
  };
  kg_viz *g = build(NULL, v, 2, &td);
  char *dot = write_string(g, KG_VIZ_DOT);
  assert_non_null(strstr(dot, "n0 [label=<&lt;b&gt; &amp; &quot;q&quot;"
                              "<BR/>line\xE2\x80\xA8>"));
  assert_non_null(strstr(dot, "n0 -> n1 [label=<ex:p>"));
  char *xml = write_string(g, KG_VIZ_GRAPHML);
  assert_non_null(strstr(xml, "<data key=\"nlabel\">&lt;b&gt; &amp; "
                              "&quot;q&quot;&#10;line\xE2\x80\xA8</data>"));
  assert_non_null(strstr(xml, "<edge id=\"e0\" source=\"n0\" target=\"n1\">"));
  char *json = write_string(g, KG_VIZ_CYTOSCAPE);
  assert_non_null(strstr(json, "\"label\":\"<b> & \\\"q\\\"\\nline\\u2028\""));
  assert_non_null(strstr(json, "\"source\":\"n0\",\"target\":\"n1\""));
  free(dot);
  free(xml);
  free(json);
  kg_viz_free(g);
}

static void same_input_same_output(void **state) {
  test_diag td;
  test_diag_init(&td);
  stmt v[40];
  char names[40][32];
  for (int i = 0; i < 40; i++) {
    snprintf(names[i], sizeof names[i], EX "%d", i * 7 % 40);
    v[i] = (stmt){iri(names[i]), iri(EX "next"), iri(EX "hub")};
  }
  char *first[3], *second[3];
  for (int run = 0; run < 2; run++) {
    kg_viz *g = build(NULL, v, 40, &td);
    for (int f = 0; f < 3; f++)
      (run ? second : first)[f] = write_string(g, (kg_viz_format)f);
    kg_viz_free(g);
  }
  for (int f = 0; f < 3; f++) {
    assert_string_equal(first[f], second[f]);
    free(first[f]);
    free(second[f]);
  }
}

static void bad_terms(void **state) {
  test_diag td;
  test_diag_init(&td);
  kg_viz *g = kg_viz_new(NULL, NULL, 0, &td.diag);
  const kg_term s = iri(EX "a"), p = iri(EX "p"), bad = lit("x\xFFy");
  assert_int_equal(kg_viz_statement(g, &s, &p, &bad, NULL), KG_ERR_DATA);
  assert_non_null(strstr(td.last, "invalid UTF-8"));
  const kg_term lp = lit("p");
  assert_int_equal(kg_viz_statement(g, &s, &lp, &s, NULL), KG_ERR_DATA);
  assert_non_null(strstr(td.last, "predicate must be an IRI"));
  kg_viz_free(g);
  kg_viz_free(NULL);
}

static void format_names(void **state) {
  kg_viz_format f;
  assert_true(kg_viz_format_from_name("dot", &f) && f == KG_VIZ_DOT);
  assert_true(kg_viz_format_from_name("graphml", &f) && f == KG_VIZ_GRAPHML);
  assert_true(kg_viz_format_from_name("cytoscape", &f) &&
              f == KG_VIZ_CYTOSCAPE);
  assert_false(kg_viz_format_from_name("turtle", &f));
  assert_true(kg_viz_format_from_path("out/g.gv", &f) && f == KG_VIZ_DOT);
  assert_true(kg_viz_format_from_path("g.cyjs", &f) && f == KG_VIZ_CYTOSCAPE);
  assert_false(kg_viz_format_from_path("g.ttl", &f));
  assert_false(kg_viz_format_from_path("dot.d/graph", &f));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dot_html_escaping),
      cmocka_unit_test(dot_string_escaping),
      cmocka_unit_test(xml_escaping),
      cmocka_unit_test(json_escaping),
      cmocka_unit_test(invalid_utf8_is_replaced),
      cmocka_unit_test(types_and_edges),
      cmocka_unit_test(labels_by_language),
      cmocka_unit_test(short_names),
      cmocka_unit_test(literal_nodes),
      cmocka_unit_test(formats_escape_labels),
      cmocka_unit_test(same_input_same_output),
      cmocka_unit_test(bad_terms),
      cmocka_unit_test(format_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
