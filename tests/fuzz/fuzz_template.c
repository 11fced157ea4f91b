/* fuzz_template.c - libFuzzer target for templates (template.c) and the
 * terms they make (termgen.c).
 *
 * Input: TEMPLATE [ NUL DOCUMENT ].  The template is parsed in RML and in
 * YARRRML syntax, with a few external values; each parsed template is
 * applied as an IRI, URI, blank node and literal map to every document of
 * DOCUMENT (sniffed JSON or YAML), or to a built-in record.  Checked: the
 * status agrees with the messages; IRIs made are absolute (term.h), blank
 * node labels only [A-Za-z0-9_-], and every value is NUL-terminated. */
#include "fuzz.h"

#include "template.h"
#include "termgen.h"

/* The template product bound: small, so that inputs stay fast. */
enum { MAX_DOCS = 4, MAX_VALUES = 10000 };

static const char record[] =
    "{\"id\": 7, \"name\": \"Zo\\u00eb \\u03a9\", \"a b\": \"x/y?z#w\",\n"
    " \"items\": [1, \"two\", null, 2.5], \"n\": null, \"t\": true,\n"
    " \"f\": -1.5e3, \"o\": {\"k\": \"v\", \"deep\": {\"x\": \"{}\"}},\n"
    " \"\": \"empty key\", \"pct\": \"100%\", \"ctl\": \"a\\u0001b\"}\n";

static const char *const externals[] = {"name=Zo\xc3\xab", "x=a b",
                                        "empty=", "bad=a\xff"};

static void check_term(const kg_term *t, kg_term_type type) {
  if (!t->value || t->value[t->len] != '\0')
    fuzz_fail("a term value without a NUL after it");
  if ((type == KG_TT_IRI || type == KG_TT_URI) &&
      (t->kind != KG_TERM_IRI || !kg_iri_is_absolute(t->value, t->len)))
    fuzz_fail("an IRI term map made a term that is not an absolute IRI");
  if (t->kind == KG_TERM_BLANK)
    for (size_t i = 0; i < t->len; i++)
      if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789_-",
                  t->value[i]) ||
          t->value[i] == '\0')
        fuzz_fail("a blank node label outside [A-Za-z0-9_-]");
}

static void apply(kg_term_map *tm, const kg_triples_map *map, const kg_doc *doc,
                  kg_arena *scratch) {
  static const kg_term_type types[] = {KG_TT_IRI, KG_TT_URI, KG_TT_BLANK,
                                       KG_TT_LITERAL};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    fuzz_diag fd;
    fuzz_diag_init(&fd);
    kg_gen g = {.scratch = scratch,
                .doc = doc,
                .rec = doc->root,
                .map = map,
                .base = "http://example.com/base/",
                .expand_arrays = map->arrays_expand,
                .d = &fd.diag,
                .max_values = MAX_VALUES};
    kg_terms out = {0};
    tm->type = types[i];
    const kg_status st = kg_gen_terms(&g, tm, &out);
    fuzz_check_status(&fd, st);
    for (size_t k = 0; st == KG_OK && k < out.n; k++)
      check_term(&out.v[k], types[i]);
    kg_arena_reset(scratch);
  }
}

static void apply_docs(kg_term_map *tm, const kg_triples_map *map,
                       const char *data, size_t len) {
  kg_doc_reader *r;
  kg_diag d = {0};
  if (kg_doc_reader_open_mem(&r, "fuzz", data, len, KG_DOC_AUTO, NULL, &d))
    return;
  kg_arena *scratch = kg_arena_new();
  const kg_doc *doc;
  for (size_t i = 0; i < MAX_DOCS && kg_doc_reader_next(r, &doc) == KG_OK; i++)
    apply(tm, map, doc, scratch);
  kg_arena_free(scratch);
  kg_doc_reader_free(r);
}

static void parse(const fuzz_split *sp, kg_tpl_syntax syn) {
  const kg_pos pos = {"fuzz.yml", 1, 1};
  fuzz_diag fd;
  fuzz_diag_init(&fd);
  kg_mapping *m = kg_mapping_new();
  m->externals = externals;
  m->nexternals = sizeof externals / sizeof externals[0];
  kg_triples_map *map = kg_mapping_add_map(m, "fuzz", &pos, &fd.diag);
  map->arrays_expand = syn == KG_TPL_YARRRML;
  kg_term_map *tm = kg_term_map_new(m, KG_TM_TEMPLATE, KG_TT_IRI, &pos);
  const kg_status st =
      kg_template_parse(m, tm, sp->head, sp->head_len, syn, &fd.diag);
  fuzz_check_status(&fd, st);
  if (st == KG_OK && sp->tail)
    apply_docs(tm, map, sp->tail, sp->tail_len);
  else if (st == KG_OK)
    apply_docs(tm, map, record, sizeof record - 1);
  kg_mapping_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const fuzz_split sp = fuzz_split_nul(data, size);
  parse(&sp, KG_TPL_RML);
  parse(&sp, KG_TPL_YARRRML);
  return 0;
}
