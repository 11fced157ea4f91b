/* Unit tests for writer.c: the four formats, escaping, Turtle grouping and
 * prefixed names, TriG blocks, errors, and a round trip through serdi. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "writer.h"

/* ---- building statements ---------------------------------------------- */

#define EX "http://example.com/"

static kg_term iri(const char *s) {
  return (kg_term){KG_TERM_IRI, s, strlen(s), NULL, NULL, false};
}
static kg_term bnode(const char *s) {
  return (kg_term){KG_TERM_BLANK, s, strlen(s), NULL, NULL, false};
}
static kg_term lit(const char *s) {
  return (kg_term){KG_TERM_LITERAL, s, strlen(s), NULL, NULL, false};
}
static kg_term lit_n(const char *s, size_t n) {
  return (kg_term){KG_TERM_LITERAL, s, n, NULL, NULL, false};
}
static kg_term typed(const char *s, const char *dt) {
  return (kg_term){KG_TERM_LITERAL, s, strlen(s), dt, NULL, false};
}
static kg_term lang(const char *s, const char *tag) {
  return (kg_term){KG_TERM_LITERAL, s, strlen(s), NULL, tag, false};
}

typedef struct stmt {
  kg_term s, p, o;
  kg_term g; /* .value == NULL: default graph */
} stmt;

static const kg_prefix ex_prefixes[] = {
    {"ex", EX},
    {"xsd", KG_XSD},
    {"rdf", KG_RDF},
};

/* Write the statements in fmt into a string; returns the writer's status
 * (statement or finish) and the text in *out (freed by the caller). */
static kg_status write_all(kg_format fmt, const kg_prefix *pre, size_t npre,
                           const stmt *v, size_t n, char **out, test_diag *td) {
  size_t size = 0;
  FILE *f = open_memstream(out, &size);
  assert_non_null(f);
  kg_writer *w = kg_writer_new(f, fmt, pre, npre, &td->diag);
  kg_status st = KG_OK;
  for (size_t i = 0; i < n && st == KG_OK; i++)
    st = kg_writer_statement(w, &v[i].s, &v[i].p, &v[i].o,
                             v[i].g.value ? &v[i].g : NULL);
  if (st == KG_OK)
    st = kg_writer_finish(w);
  kg_writer_free(w);
  fclose(f);
  return st;
}

static void check_output(kg_format fmt, const kg_prefix *pre, size_t npre,
                         const stmt *v, size_t n, const char *want) {
  test_diag td;
  test_diag_init(&td);
  char *out = NULL;
  kg_status st = write_all(fmt, pre, npre, v, n, &out, &td);
  if (st != KG_OK)
    fail_msg("status %d: %s", st, td.all);
  assert_string_equal(out, want);
  free(out);
}

#define N(v) (sizeof(v) / sizeof((v)[0]))

/* ---- N-Triples and N-Quads -------------------------------------------- */

static void ntriples_terms(void **state) {
  (void)state;
  const stmt v[] = {
      {iri(EX "s"), iri(EX "p"), iri(EX "o"), {0}},
      {bnode("b0"), iri(EX "p"), lit("x"), {0}},
      {bnode("b0"), iri(EX "p"), lang("chat", "fr"), {0}},
      {bnode("b0"), iri(EX "p"), typed("1", KG_XSD_INTEGER), {0}},
      {bnode("b0"), iri(EX "p"), typed("s", KG_XSD_STRING), {0}},
  };
  check_output(KG_FMT_NTRIPLES, ex_prefixes, N(ex_prefixes), v, N(v),
               "<" EX "s> <" EX "p> <" EX "o> .\n"
               "_:b0 <" EX "p> \"x\" .\n"
               "_:b0 <" EX "p> \"chat\"@fr .\n"
               "_:b0 <" EX "p> \"1\"^^<" KG_XSD_INTEGER "> .\n"
               "_:b0 <" EX "p> \"s\" .\n");
}

static void ntriples_escapes(void **state) {
  (void)state;
  static const char nul[] = "a\0b";
  const stmt v[] = {
      {iri(EX "s"), iri(EX "p"), lit("q\"b\\n\nt\tr\rx\by\f"), {0}},
      {iri(EX "s"), iri(EX "p"), lit_n(nul, 3), {0}},
      {iri(EX "s"), iri(EX "p"), lit("\x01\x1f\x7f"), {0}},
      {iri(EX "s"),
       iri(EX "p"),
       lit("ls\xE2\x80\xA8ps\xE2\x80\xA9nel\xC2\x85"),
       {0}},
      {iri(EX "s"),
       iri(EX "p"),
       lit("\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"),
       {0}},
      {iri(EX "s"), iri(EX "p"), lit("\xEF\xBF\xBE"), {0}},
  };
  check_output(KG_FMT_NTRIPLES, NULL, 0, v, N(v),
               "<" EX "s> <" EX "p> \"q\\\"b\\\\n\\nt\\tr\\rx\\by\\f\" .\n"
               "<" EX "s> <" EX "p> \"a\\u0000b\" .\n"
               "<" EX "s> <" EX "p> \"\\u0001\\u001F\\u007F\" .\n"
               "<" EX "s> <" EX "p> \"ls\\u2028ps\\u2029nel\\u0085\" .\n"
               "<" EX "s> <" EX
               "p> \"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\" .\n"
               "<" EX "s> <" EX "p> \"\xEF\xBF\xBE\" .\n");
}

/* rml:UnsafeIRI can hand the writer an IRI with a space: written as UCHAR
 * (the only spelling the grammar has), non-ASCII kept as UTF-8. */
static void iri_escapes(void **state) {
  (void)state;
  const stmt v[] = {
      {iri(EX "Emily Smith"), iri(EX "p"), iri(EX "Zo\xC3\xAB"), {0}},
      {iri(EX "a<b>\"{|}^`\\"), iri(EX "p"), iri(EX "t\tn\n"), {0}},
  };
  const char *want =
      "<" EX "Emily\\u0020Smith> <" EX "p> <" EX "Zo\xC3\xAB> .\n"
      "<" EX "a\\u003Cb\\u003E\\u0022\\u007B\\u007C\\u007D"
      "\\u005E\\u0060\\u005C> <" EX "p> <" EX "t\\u0009n\\u000A> .\n";
  check_output(KG_FMT_NTRIPLES, NULL, 0, v, N(v), want);
  check_output(KG_FMT_TURTLE, ex_prefixes, 1, v, 1,
               "@prefix ex: <" EX "> .\n\n"
               "<" EX "Emily\\u0020Smith>\n    ex:p ex:Zo\xC3\xAB .\n");
}

static void nquads_graphs(void **state) {
  (void)state;
  const stmt v[] = {
      {iri(EX "s"), iri(EX "p"), lit("x"), iri(EX "g")},
      {iri(EX "s"), iri(EX "p"), lit("y"), {0}},
      {iri(EX "s"), iri(EX "p"), lit("z"), bnode("g1")},
  };
  check_output(KG_FMT_NQUADS, ex_prefixes, N(ex_prefixes), v, N(v),
               "<" EX "s> <" EX "p> \"x\" <" EX "g> .\n"
               "<" EX "s> <" EX "p> \"y\" .\n"
               "<" EX "s> <" EX "p> \"z\" _:g1 .\n");
}

/* '-' may not start a label: b*-.* labels get one more 'b', in every
 * format, so labels stay distinct. */
static void blank_labels(void **state) {
  (void)state;
  const stmt v[] = {
      {bnode("-x"), iri(EX "p"), bnode("b-x"), {0}},
      {bnode("0a"), iri(EX "p"), bnode("_f1_2"), {0}},
  };
  const char *nt = "_:b-x <" EX "p> _:bb-x .\n_:0a <" EX "p> _:_f1_2 .\n";
  check_output(KG_FMT_NTRIPLES, NULL, 0, v, N(v), nt);
  check_output(KG_FMT_TURTLE, NULL, 0, v, N(v),
               "_:b-x\n    <" EX "p> _:bb-x .\n\n"
               "_:0a\n    <" EX "p> _:_f1_2 .\n");
}

/* ---- Turtle ------------------------------------------------------------ */

static void turtle_grouping(void **state) {
  (void)state;
  const stmt v[] = {
      {iri(EX "s"), iri(KG_RDF_TYPE), iri(EX "C"), {0}},
      {iri(EX "s"), iri(EX "p"), lit("x"), {0}},
      {iri(EX "s"), iri(EX "p"), lang("y", "en-GB"), {0}},
      {iri(EX "s"), iri(EX "q"), bnode("b1"), {0}},
      {bnode("b1"), iri(EX "p"), iri(EX "s"), {0}},
      {iri(EX "s"), iri(EX "p"), lit("again"), {0}},
  };
  check_output(KG_FMT_TURTLE, ex_prefixes, N(ex_prefixes), v, N(v),
               "@prefix ex: <" EX "> .\n"
               "@prefix xsd: <" KG_XSD "> .\n"
               "@prefix rdf: <" KG_RDF "> .\n"
               "\n"
               "ex:s\n"
               "    a ex:C ;\n"
               "    ex:p \"x\" ,\n"
               "        \"y\"@en-GB ;\n"
               "    ex:q _:b1 ;\n"
               "    ex:p \"again\" .\n"
               "\n"
               "_:b1\n"
               "    ex:p ex:s .\n");
}

/* The window ends at a document's end (kg_writer_break): a subject of two
 * documents gets a block in each. */
static void turtle_document_window(void **state) {
  (void)state;
  test_diag td;
  test_diag_init(&td);
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  assert_non_null(f);
  kg_writer *w = kg_writer_new(f, KG_FMT_TURTLE, ex_prefixes, 1, &td.diag);
  const kg_term s = iri(EX "s"), t = iri(EX "t"), p = iri(EX "p"),
                q = iri(EX "q");
  const kg_term a = lit("a"), b = lit("b"), c = lit("c");
  assert_int_equal(kg_writer_statement(w, &s, &p, &a, NULL), KG_OK);
  assert_int_equal(kg_writer_statement(w, &t, &p, &b, NULL), KG_OK);
  assert_int_equal(kg_writer_statement(w, &s, &q, &a, NULL), KG_OK);
  assert_int_equal(kg_writer_statement(w, &s, &p, &b, NULL), KG_OK);
  assert_int_equal(kg_writer_break(w), KG_OK);
  assert_int_equal(kg_writer_statement(w, &s, &p, &c, NULL), KG_OK);
  assert_int_equal(kg_writer_finish(w), KG_OK);
  kg_writer_free(w);
  fclose(f);
  assert_string_equal(out, "@prefix ex: <" EX "> .\n"
                           "\n"
                           "ex:s\n"
                           "    ex:p \"a\" ;\n"
                           "    ex:q \"a\" ;\n"
                           "    ex:p \"b\" .\n"
                           "\n"
                           "ex:t\n"
                           "    ex:p \"b\" .\n"
                           "\n"
                           "ex:s\n"
                           "    ex:p \"c\" .\n");
  free(out);
}

/* The same IRIs, document after document, through the output buffer's
 * flushes (about 250 kB in all, the buffer is 64 KiB): each written as
 * the first time, a prefixed name, one with an escaped local name, or
 * <IRI> (the writer keeps IRIs as it last wrote them). */
static void turtle_repeated_iris(void **state) {
  (void)state;
  test_diag td;
  test_diag_init(&td);
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  assert_non_null(f);
  kg_writer *w = kg_writer_new(f, KG_FMT_TURTLE, ex_prefixes, 1, &td.diag);
  const kg_term p = iri(EX "p"), q = iri(EX "q"), x = iri(EX "x"),
                xy = iri(EX "x.y."), z = iri("http://other/z");
  kg_buf want = {0};
  kg_buf_puts(&want, "@prefix ex: <" EX "> .\n");
  for (int i = 0; i < 3000; i++) {
    char name[64];
    snprintf(name, sizeof name, EX "s%d", i % 700);
    const kg_term s = iri(name);
    assert_int_equal(kg_writer_statement(w, &s, &p, &x, NULL), KG_OK);
    assert_int_equal(kg_writer_statement(w, &s, &p, &xy, NULL), KG_OK);
    assert_int_equal(kg_writer_statement(w, &s, &q, &z, NULL), KG_OK);
    assert_int_equal(kg_writer_statement(w, &x, &q, &s, NULL), KG_OK);
    assert_int_equal(kg_writer_break(w), KG_OK);
    snprintf(name, sizeof name, "ex:s%d", i % 700);
    kg_buf_puts(&want, "\n");
    kg_buf_puts(&want, name);
    kg_buf_puts(&want, "\n    ex:p ex:x ,\n        ex:x.y\\. ;\n"
                       "    ex:q <http://other/z> .\n\nex:x\n    ex:q ");
    kg_buf_puts(&want, name);
    kg_buf_puts(&want, " .\n");
  }
  assert_int_equal(kg_writer_finish(w), KG_OK);
  kg_writer_free(w);
  fclose(f);
  assert_true(size > 200000);
  assert_string_equal(out, want.data);
  kg_buf_free(&want);
  free(out);
}

static void turtle_literals(void **state) {
  (void)state;
  const stmt v[] = {
      {iri(EX "s"), iri(EX "p"), typed("1", KG_XSD_INTEGER), {0}},
      {iri(EX "s"), iri(EX "p"), typed("-01", KG_XSD_INTEGER), {0}},
      {iri(EX "s"), iri(EX "p"), typed("1.0", KG_XSD_INTEGER), {0}},
      {iri(EX "s"), iri(EX "p"), typed(".5", KG_XSD "decimal"), {0}},
      {iri(EX "s"), iri(EX "p"), typed("5", KG_XSD "decimal"), {0}},
      {iri(EX "s"), iri(EX "p"), typed("1.5E-3", KG_XSD_DOUBLE), {0}},
      {iri(EX "s"), iri(EX "p"), typed("1", KG_XSD_DOUBLE), {0}},
      {iri(EX "s"), iri(EX "p"), typed("INF", KG_XSD_DOUBLE), {0}},
      {iri(EX "s"), iri(EX "p"), typed("true", KG_XSD_BOOLEAN), {0}},
      {iri(EX "s"), iri(EX "p"), typed("1", KG_XSD_BOOLEAN), {0}},
      {iri(EX "s"), iri(EX "p"), typed("1", "http://other.org/t"), {0}},
      {iri(EX "s"), iri(EX "p"), typed("x", KG_XSD_STRING), {0}},
      {iri(EX "s"), iri(EX "p"), lit("tab\there \xE2\x80\xA8"), {0}},
  };
  check_output(KG_FMT_TURTLE, ex_prefixes, 2, v, N(v),
               "@prefix ex: <" EX "> .\n@prefix xsd: <" KG_XSD "> .\n\n"
               "ex:s\n"
               "    ex:p 1 ,\n        -01 ,\n        \"1.0\"^^xsd:integer ,\n"
               "        .5 ,\n        \"5\"^^xsd:decimal ,\n        1.5E-3 ,\n"
               "        \"1\"^^xsd:double ,\n        \"INF\"^^xsd:double ,\n"
               "        true ,\n        \"1\"^^xsd:boolean ,\n"
               "        \"1\"^^<http://other.org/t> ,\n        \"x\" ,\n"
               "        \"tab\\there \\u2028\" .\n");
}

static void turtle_prefixed_names(void **state) {
  (void)state;
  static const kg_prefix pre[] = {
      {"ex", EX},       {"e2", EX "deep/"},   {"x", "http://unused/"},
      {"x", EX "x/"},   {"1bad", EX},         {"", "http://empty.org/"},
      {"sp", EX "a b"}, {"rel", "no-scheme/"}};
  const stmt v[] = {
      {iri(EX "deep/a"), iri(EX "p"), iri(EX "x/y"), {0}},
      {iri(EX "s"), iri(EX "p"), iri(EX "-a.b."), {0}},
      {iri(EX "s"), iri(EX "p"), iri(EX "a/b#c?d~e"), {0}},
      {iri(EX "s"), iri(EX "p"), iri(EX "%20%zz"), {0}},
      {iri(EX "s"), iri(EX "p"), iri(EX "a b"), {0}},
      {iri(EX "s"), iri(EX "p"), iri(EX "\xC3\xA9\xE4\xB8\xAD:1"), {0}},
      {iri(EX "s"), iri(EX "p"), iri(EX "\xC2\xB7x"), {0}}, /* U+00B7 first */
      {iri(EX "s"), iri(EX "p"), iri(EX), {0}},
      {iri(EX "s"), iri(EX "p"), iri("http://empty.org/z"), {0}},
  };
  check_output(KG_FMT_TURTLE, pre, N(pre), v, N(v),
               "@prefix ex: <" EX "> .\n"
               "@prefix e2: <" EX "deep/> .\n"
               "@prefix x: <" EX "x/> .\n"
               "@prefix : <http://empty.org/> .\n"
               "\n"
               "e2:a\n"
               "    ex:p x:y .\n"
               "\n"
               "ex:s\n"
               "    ex:p ex:\\-a.b\\. ,\n"
               "        ex:a\\/b\\#c\\?d\\~e ,\n"
               "        ex:%20\\%zz ,\n"
               "        <" EX "a\\u0020b> ,\n"
               "        ex:\xC3\xA9\xE4\xB8\xAD:1 ,\n"
               "        <" EX "\xC2\xB7x> ,\n"
               "        ex: ,\n"
               "        :z .\n");
}

/* ---- TriG ---------------------------------------------------------------- */

static void trig_blocks(void **state) {
  (void)state;
  const stmt v[] = {
      {iri(EX "s"), iri(EX "p"), lit("d"), {0}},
      {iri(EX "s"), iri(EX "p"), lit("a"), iri(EX "g")},
      {iri(EX "s"), iri(EX "q"), lit("b"), iri(EX "g")},
      {iri(EX "t"), iri(EX "p"), lit("c"), iri(EX "g")},
      {iri(EX "s"), iri(EX "p"), lit("e"), bnode("g2")},
      {iri(EX "s"), iri(EX "p"), lit("f"), {0}},
  };
  check_output(KG_FMT_TRIG, ex_prefixes, 1, v, N(v),
               "@prefix ex: <" EX "> .\n"
               "\n"
               "ex:s\n"
               "    ex:p \"d\" ,\n"
               "        \"f\" .\n"
               "\n"
               "ex:g {\n"
               "    ex:s\n"
               "        ex:p \"a\" ;\n"
               "        ex:q \"b\" .\n"
               "\n"
               "    ex:t\n"
               "        ex:p \"c\" .\n"
               "}\n"
               "\n"
               "_:g2 {\n"
               "    ex:s\n"
               "        ex:p \"e\" .\n"
               "}\n");
}

static void trig_starts_with_graph(void **state) {
  (void)state;
  const stmt v[] = {{iri(EX "s"), iri(EX "p"), lit("a"), iri(EX "g")}};
  check_output(KG_FMT_TRIG, NULL, 0, v, N(v),
               "<" EX "g> {\n    <" EX "s>\n        <" EX "p> \"a\" .\n}\n");
}

static void empty_outputs(void **state) {
  (void)state;
  check_output(KG_FMT_TURTLE, NULL, 0, NULL, 0, "");
  check_output(KG_FMT_NQUADS, ex_prefixes, 1, NULL, 0, "");
  check_output(KG_FMT_TRIG, ex_prefixes, 1, NULL, 0,
               "@prefix ex: <" EX "> .\n");
}

/* ---- errors -------------------------------------------------------------- */

static void check_error(kg_format fmt, const stmt *v, size_t n, kg_status want,
                        const char *msg) {
  test_diag td;
  test_diag_init(&td);
  char *out = NULL;
  assert_int_equal(write_all(fmt, NULL, 0, v, n, &out, &td), want);
  assert_string_equal(td.last, msg);
  free(out);
}

static void graph_in_triples_format(void **state) {
  (void)state;
  const stmt v[] = {{iri(EX "s"), iri(EX "p"), lit("a"), iri(EX "g")}};
  check_error(KG_FMT_TURTLE, v, 1, KG_ERR_USAGE,
              "kgmap: error: named graph <" EX "g> cannot be written as "
              "Turtle; use -f nquads or -f trig");
  const stmt b[] = {{iri(EX "s"), iri(EX "p"), lit("a"), bnode("g")}};
  check_error(KG_FMT_NTRIPLES, b, 1, KG_ERR_USAGE,
              "kgmap: error: named graph _:g cannot be written as N-Triples; "
              "use -f nquads or -f trig");
}

static void bad_terms(void **state) {
  (void)state;
  const stmt badutf[] = {{iri(EX "s"), iri(EX "p"), lit("a\xED\xA0\x80"), {0}}};
  check_error(KG_FMT_NTRIPLES, badutf, 1, KG_ERR_DATA,
              "kgmap: error: cannot write a literal holding invalid UTF-8 "
              "(byte 0xED at offset 1)");
  const stmt badiri[] = {{iri(EX "s\xFF"), iri(EX "p"), lit("a"), {0}}};
  check_error(KG_FMT_TURTLE, badiri, 1, KG_ERR_DATA,
              "kgmap: error: cannot write an IRI holding invalid UTF-8 "
              "(byte 0xFF at offset 20)");
  const stmt litsubj[] = {{lit("s"), iri(EX "p"), lit("a"), {0}}};
  check_error(KG_FMT_NQUADS, litsubj, 1, KG_ERR_DATA,
              "kgmap: error: a literal cannot be the subject of a statement");
  const stmt label[] = {{bnode("a.b"), iri(EX "p"), lit("a"), {0}}};
  check_error(KG_FMT_NQUADS, label, 1, KG_ERR_DATA,
              "kgmap: error: invalid blank node label 'a.b'");
  const stmt tag[] = {{iri(EX "s"), iri(EX "p"), lang("a", "en_GB"), {0}}};
  check_error(KG_FMT_TRIG, tag, 1, KG_ERR_DATA,
              "kgmap: error: invalid language tag 'en_GB'");
}

/* Overlong, beyond U+10FFFF, truncated, stray continuation, surrogate:
 * errors; the longest valid sequences of each length pass. */
static void utf8_edges(void **state) {
  (void)state;
  static const char *const bad[] = {"\xC0\x80",     "\xF4\x90\x80\x80",
                                    "\xE4\xB8",     "\x80",
                                    "\xED\xBF\xBF", "\xF8\x88\x80\x80\x80"};
  for (size_t i = 0; i < N(bad); i++) {
    const stmt v[] = {{iri(EX "s"), iri(EX "p"), lit(bad[i]), {0}}};
    test_diag td;
    test_diag_init(&td);
    char *out = NULL;
    assert_int_equal(write_all(KG_FMT_NQUADS, NULL, 0, v, 1, &out, &td),
                     KG_ERR_DATA);
    free(out);
  }
  const stmt v[] = {{iri(EX "s"),
                     iri(EX "p"),
                     lit("\x7F\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF"),
                     {0}}};
  check_output(KG_FMT_NTRIPLES, NULL, 0, v, 1,
               "<" EX "s> <" EX
               "p> \"\\u007F\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF\" .\n");
}

/* A full disk is an error, not silence. */
static void full_disk(void **state) {
  (void)state;
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    skip();
  test_diag td;
  test_diag_init(&td);
  kg_writer *w = kg_writer_new(f, KG_FMT_NTRIPLES, NULL, 0, &td.diag);
  const kg_term s = iri(EX "s"), p = iri(EX "p"), o = lit("x");
  assert_int_equal(kg_writer_statement(w, &s, &p, &o, NULL), KG_OK);
  assert_int_equal(kg_writer_finish(w), KG_ERR_IO);
  assert_string_equal(td.last,
                      "kgmap: error: write error: No space left on device");
  kg_writer_free(w);
  fclose(f);
  kg_writer_free(NULL);
}

/* Statements past the buffer's size reach the stream, in order. */
static void large_output(void **state) {
  (void)state;
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  kg_writer *w = kg_writer_new(f, KG_FMT_NTRIPLES, NULL, 0, NULL);
  static char big[100000];
  memset(big, 'x', sizeof big - 1);
  const kg_term s = iri(EX "s"), p = iri(EX "p"), o = lit(big);
  for (int i = 0; i < 3; i++)
    assert_int_equal(kg_writer_statement(w, &s, &p, &o, NULL), KG_OK);
  assert_int_equal(kg_writer_finish(w), KG_OK);
  kg_writer_free(w);
  fclose(f);
  const size_t line = strlen("<" EX "s> <" EX "p> \"\" .\n") + sizeof big - 1;
  assert_int_equal(size, 3 * line);
  assert_memory_equal(out + 2 * line, "<" EX "s>", strlen(EX) + 3);
  free(out);
}

static void format_names(void **state) {
  (void)state;
  kg_format f;
  assert_true(kg_format_from_name("ttl", &f) && f == KG_FMT_TURTLE);
  assert_true(kg_format_from_name("turtle", &f) && f == KG_FMT_TURTLE);
  assert_true(kg_format_from_name("nt", &f) && f == KG_FMT_NTRIPLES);
  assert_true(kg_format_from_name("ntriples", &f) && f == KG_FMT_NTRIPLES);
  assert_true(kg_format_from_name("nq", &f) && f == KG_FMT_NQUADS);
  assert_true(kg_format_from_name("nquads", &f) && f == KG_FMT_NQUADS);
  assert_true(kg_format_from_name("trig", &f) && f == KG_FMT_TRIG);
  assert_false(kg_format_from_name("rdfxml", &f));
  assert_false(kg_format_from_name(NULL, &f));
  assert_true(kg_format_from_path("out/g.trig", &f) && f == KG_FMT_TRIG);
  assert_true(kg_format_from_path("g.NQ", &f) && f == KG_FMT_NQUADS);
  assert_true(kg_format_from_path("a.b/g.nt", &f) && f == KG_FMT_NTRIPLES);
  assert_true(kg_format_from_path("g.ttl", &f) && f == KG_FMT_TURTLE);
  assert_false(kg_format_from_path("a.ttl/g", &f));
  assert_false(kg_format_from_path("g.json", &f));
  assert_false(kg_format_from_path("-", &f));
  assert_string_equal(kg_format_name(KG_FMT_TURTLE), "turtle");
  assert_string_equal(kg_format_name(KG_FMT_NTRIPLES), "ntriples");
  assert_string_equal(kg_format_name(KG_FMT_NQUADS), "nquads");
  assert_string_equal(kg_format_name(KG_FMT_TRIG), "trig");
  assert_true(kg_format_has_graphs(KG_FMT_NQUADS));
  assert_true(kg_format_has_graphs(KG_FMT_TRIG));
  assert_false(kg_format_has_graphs(KG_FMT_TURTLE));
  assert_false(kg_format_has_graphs(KG_FMT_NTRIPLES));
}

/* ---- round trip through serdi ------------------------------------------- */

/* The tricky statements: every escape, prefixed-name escapes, bare and
 * typed literals, graphs.  No IRI holds a space: strict parsers reject it
 * in every spelling (see writer.c). */
static const kg_prefix trip_prefixes[] = {
    {"ex", EX}, {"xsd", KG_XSD}, {"d", EX "deep/"}, {"", "http://e.org/"}};
static const char trip_nul[] = "n\0ul";
static void write_file(const char *path, kg_format fmt, const stmt *v, size_t n,
                       const stmt *v2, size_t n2) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  kg_writer *w = kg_writer_new(f, fmt, trip_prefixes, N(trip_prefixes), NULL);
  for (size_t i = 0; i < n + n2; i++) {
    const stmt *t = i < n ? &v[i] : &v2[i - n];
    assert_int_equal(
        kg_writer_statement(w, &t->s, &t->p, &t->o, t->g.value ? &t->g : NULL),
        KG_OK);
  }
  assert_int_equal(kg_writer_finish(w), KG_OK);
  kg_writer_free(w);
  assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *s = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&s, &n);
  char chunk[4096];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
    fwrite(chunk, 1, k, m);
  fclose(m);
  fclose(f);
  return s;
}

/* serdi parses path strictly and writes sorted N-Quads to out. */
static void serdi(const char *syntax, const char *path, const char *out) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "serdi -i %s -o nquads %s > %s.raw 2> %s.err && "
           "LC_ALL=C sort %s.raw > %s",
           syntax, path, out, out, out, out);
  if (system(cmd) != 0) {
    snprintf(cmd, sizeof cmd, "%s.err", out);
    char *err = slurp(cmd);
    fail_msg("serdi -i %s %s failed: %s", syntax, path, err);
  }
}

static void serdi_round_trip(void **state) {
  (void)state;
  if (system("command -v serdi > /dev/null 2>&1") != 0) {
    print_message("serdi is not installed: skipping the round trip\n");
    skip();
  }
  const stmt trip[] = {
      {iri(EX "s"), iri(KG_RDF_TYPE), iri(EX "C"), {0}},
      {iri(EX "s"), iri(EX "p"), lit("q\"b\\n\nt\tr\r\b\f\x01\x7f"), {0}},
      {iri(EX "s"),
       iri(EX "p"),
       lit("\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"),
       {0}},
      {iri(EX "s"), iri(EX "p"), lit("\xE2\x80\xA8\xE2\x80\xA9\xC2\x85"), {0}},
      {iri(EX "s"), iri(EX "p"), lang("chat", "fr"), {0}},
      {iri(EX "s"), iri(EX "n"), typed("-01", KG_XSD_INTEGER), {0}},
      {iri(EX "s"), iri(EX "n"), typed("+.5", KG_XSD "decimal"), {0}},
      {iri(EX "s"), iri(EX "n"), typed("1.E3", KG_XSD_DOUBLE), {0}},
      {iri(EX "s"), iri(EX "n"), typed("1", KG_XSD_DOUBLE), {0}},
      {iri(EX "s"), iri(EX "n"), typed("false", KG_XSD_BOOLEAN), {0}},
      {iri(EX "s"), iri(EX "n"), typed("x", EX "dt"), {0}},
      {iri(EX "-a.b."), iri(EX "p"), iri(EX "a/b#c?d~e!$&'()*+,;=@"), {0}},
      {iri(EX "%20%zz_"), iri(EX "p"), iri(EX "deep/\xC3\xA9:1"), {0}},
      {iri(EX "Zo\xC3\xAB"), iri(EX "p"), iri("http://e.org/"), {0}},
      {bnode("-x"), iri(EX "p"), bnode("b-x"), {0}},
      {bnode("0a"), iri(EX "p"), bnode("_f1"), {0}},
      {iri(EX "s"), iri(EX "p"), lit_n(trip_nul, sizeof trip_nul - 1), {0}},
  };

  const stmt trip_graph[] = {
      {iri(EX "s"), iri(EX "p"), lit("in g"), iri(EX "g")},
      {iri(EX "s"), iri(EX "q"), lit("in g2"), bnode("g2")},
      {iri(EX "t"), iri(EX "p"), lit("default"), {0}},
  };

  char dir[] = "/tmp/kgmap-writer-XXXXXX";
  assert_non_null(mkdtemp(dir));
  static const struct {
    kg_format fmt;
    const char *syntax, *name;
    bool graphs;
  } f[] = {{KG_FMT_NTRIPLES, "ntriples", "a.nt", false},
           {KG_FMT_TURTLE, "turtle", "a.ttl", false},
           {KG_FMT_NQUADS, "nquads", "a.nq", true},
           {KG_FMT_TRIG, "trig", "a.trig", true}};
  char *want[2] = {NULL, NULL};
  for (size_t i = 0; i < N(f); i++) {
    char path[128], out[160];
    snprintf(path, sizeof path, "%s/%s", dir, f[i].name);
    snprintf(out, sizeof out, "%s.nq", path);
    write_file(path, f[i].fmt, trip, N(trip), trip_graph,
               f[i].graphs ? N(trip_graph) : 0);
    serdi(f[i].syntax, path, out);
    char *got = slurp(out);
    if (!want[f[i].graphs])
      want[f[i].graphs] = got;
    else {
      assert_string_equal(got, want[f[i].graphs]);
      free(got);
    }
  }
  assert_non_null(strstr(want[0], "\"n\\u0000ul\""));
  free(want[0]);
  free(want[1]);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ntriples_terms),
      cmocka_unit_test(ntriples_escapes),
      cmocka_unit_test(iri_escapes),
      cmocka_unit_test(nquads_graphs),
      cmocka_unit_test(blank_labels),
      cmocka_unit_test(turtle_grouping),
      cmocka_unit_test(turtle_document_window),
      cmocka_unit_test(turtle_repeated_iris),
      cmocka_unit_test(turtle_literals),
      cmocka_unit_test(turtle_prefixed_names),
      cmocka_unit_test(trig_blocks),
      cmocka_unit_test(trig_starts_with_graph),
      cmocka_unit_test(empty_outputs),
      cmocka_unit_test(graph_in_triples_format),
      cmocka_unit_test(bad_terms),
      cmocka_unit_test(utf8_edges),
      cmocka_unit_test(full_disk),
      cmocka_unit_test(large_output),
      cmocka_unit_test(format_names),
      cmocka_unit_test(serdi_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
