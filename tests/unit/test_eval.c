/* Unit tests for eval.c and termgen.c: a mapping built with the model API
 * runs over small JSON files and a sink that records N-Triples-like lines,
 * so each RML-Core term rule is checked on its own. */
#define _DEFAULT_SOURCE /* mkstemps */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "eval.h"
#include "template.h"

typedef struct fixture {
  kg_mapping *m;
  test_diag td;
  char path[64];
  char out[8192];
  kg_triples_map *map;
} fixture;

static kg_status record(void *h, const kg_term *s, const kg_term *p,
                        const kg_term *o, const kg_term *g) {
  fixture *f = h;
  const kg_term *t[4] = {s, p, o, g};
  char *out = f->out + strlen(f->out);
  size_t left = sizeof f->out - strlen(f->out);
  for (int i = 0; i < 4 && t[i]; i++) {
    int n;
    if (t[i]->kind == KG_TERM_IRI)
      n = snprintf(out, left, "<%s> ", t[i]->value);
    else if (t[i]->kind == KG_TERM_BLANK)
      n = snprintf(out, left, "_:%s ", t[i]->value);
    else
      n = snprintf(out, left, "\"%s\"%s%s%s%s ", t[i]->value,
                   t[i]->language ? "@" : "",
                   t[i]->language ? t[i]->language : "",
                   t[i]->datatype ? "^^" : "",
                   t[i]->datatype ? t[i]->datatype : "");
    out += n;
    left -= (size_t)n;
  }
  snprintf(out, left, ".\n");
  return KG_OK;
}

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof f);
  f.m = kg_mapping_new();
  test_diag_init(&f.td);
  strcpy(f.path, "/tmp/kgmap-test-eval-XXXXXX.json");
  int fd = mkstemps(f.path, 5);
  close(fd);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  unlink(f->path);
  kg_mapping_free(f->m);
  return 0;
}

static void write_data(fixture *f, const char *json) {
  FILE *fp = fopen(f->path, "w");
  fputs(json, fp);
  fclose(fp);
}

static kg_term_map *tpl(fixture *f, kg_term_type type, const char *text) {
  kg_term_map *tm = kg_term_map_new(f->m, KG_TM_TEMPLATE, type,
                                    &(kg_pos){"m.yml", 1, 1});
  assert_int_equal(kg_template_parse(f->m, tm, text, strlen(text), KG_TPL_RML,
                                     &f->td.diag),
                   KG_OK);
  return tm;
}

static kg_term_map *ref(fixture *f, kg_term_type type, const char *path) {
  kg_term_map *tm = kg_term_map_new(f->m, KG_TM_REFERENCE, type, NULL);
  assert_int_equal(kg_mapping_compile_path(f->m, path, strlen(path), true,
                                           NULL, &tm->ref, &f->td.diag),
                   KG_OK);
  return tm;
}

static kg_term_map *constant(fixture *f, kg_term_type type, const char *v) {
  kg_term_map *tm = kg_term_map_new(f->m, KG_TM_CONSTANT, type, NULL);
  kg_term_map_set_constant(f->m, tm, v, strlen(v));
  return tm;
}

/* A map "people" over $.people[*] with subject http://e/{id}. */
static kg_triples_map *people_map(fixture *f, const char *name) {
  kg_triples_map *map =
      kg_mapping_add_map(f->m, name, &(kg_pos){"m.yml", 2, 3}, &f->td.diag);
  map->source = kg_mapping_add_source(f->m, NULL, f->path, KG_DOC_JSON, NULL);
  map->iterator = "$.people[*]";
  assert_int_equal(kg_mapping_compile_path(f->m, map->iterator,
                                           strlen(map->iterator), false, NULL,
                                           &map->iter, &f->td.diag),
                   KG_OK);
  kg_map_add_subject(f->m, map, tpl(f, KG_TT_IRI, "http://e/{id}"));
  return map;
}

static void add_po(fixture *f, kg_triples_map *map, const char *p,
                   kg_term_map *o) {
  kg_pom *pom = kg_map_add_pom(f->m, map, NULL);
  kg_pom_add_predicate(f->m, pom, constant(f, KG_TT_IRI, p));
  kg_pom_add_object(f->m, pom, NULL)->tm = o;
}

static kg_status run(fixture *f) {
  kg_status st = kg_mapping_finish(f->m, &f->td.diag);
  if (st != KG_OK)
    return st;
  kg_eval_options opt = {.base = "http://base/"};
  return kg_eval(f->m, &opt, record, f, NULL, &f->td.diag);
}

static void natural_datatypes_and_null(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": 1, \"age\": 30, \"h\": 1.5, "
                "\"ok\": true, \"name\": \"Ann\", \"nick\": null}]}");
  kg_triples_map *map = people_map(f, "p");
  add_po(f, map, "http://e/age", ref(f, KG_TT_LITERAL, "age"));
  add_po(f, map, "http://e/h", ref(f, KG_TT_LITERAL, "h"));
  add_po(f, map, "http://e/ok", ref(f, KG_TT_LITERAL, "ok"));
  add_po(f, map, "http://e/name", ref(f, KG_TT_LITERAL, "$.name"));
  add_po(f, map, "http://e/nick", ref(f, KG_TT_LITERAL, "nick"));
  add_po(f, map, "http://e/none", ref(f, KG_TT_LITERAL, "missing"));
  assert_int_equal(run(f), KG_OK);
  assert_string_equal(
      f->out,
      "<http://e/1> <http://e/age> "
      "\"30\"^^http://www.w3.org/2001/XMLSchema#integer .\n"
      "<http://e/1> <http://e/h> "
      "\"1.5\"^^http://www.w3.org/2001/XMLSchema#double .\n"
      "<http://e/1> <http://e/ok> "
      "\"true\"^^http://www.w3.org/2001/XMLSchema#boolean .\n"
      "<http://e/1> <http://e/name> \"Ann\" .\n");
}

static void iri_safe_templates_and_base(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": \"s 2/x\", \"page\": \"rel/p\"}]}");
  kg_triples_map *map = people_map(f, "p");
  add_po(f, map, "http://e/page", ref(f, KG_TT_IRI, "page"));
  assert_int_equal(run(f), KG_OK);
  assert_string_equal(f->out,
                      "<http://e/s%202%2Fx> <http://e/page> "
                      "<http://base/rel/p> .\n");
}

static void invalid_iri_names_mapping_and_record(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [\n {\"id\": 1, \"page\": \"http://x/a b\"}]}");
  kg_triples_map *map = people_map(f, "person");
  add_po(f, map, "http://e/page", ref(f, KG_TT_IRI, "page"));
  assert_int_equal(run(f), KG_ERR_DATA);
  char want[256];
  snprintf(want, sizeof want,
           "%s:2:2: error: mapping 'person' generated the invalid IRI "
           "'http://x/a b'",
           f->path);
  assert_non_null(strstr(f->td.last, want));
}

static void arrays_strict_and_expanded(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": 1, \"tags\": [\"a\", \"b\"]}]}");
  kg_triples_map *map = people_map(f, "p");
  add_po(f, map, "http://e/tag", ref(f, KG_TT_LITERAL, "tags"));
  assert_int_equal(run(f), KG_ERR_DATA);
  assert_non_null(strstr(f->td.last, "selects an array; a scalar is needed"));
  map->arrays_expand = true;
  f->out[0] = '\0';
  assert_int_equal(run(f), KG_OK);
  assert_string_equal(f->out, "<http://e/1> <http://e/tag> \"a\" .\n"
                              "<http://e/1> <http://e/tag> \"b\" .\n");
}

static void language_and_duplicates(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": 1, \"n\": [\"A\", \"A\"], "
                "\"l\": \"fr\"}, {\"id\": 2, \"n\": [\"B\"], \"l\": \"a-b\"}]}");
  kg_triples_map *map = people_map(f, "p");
  map->arrays_expand = true;
  kg_term_map *o = ref(f, KG_TT_LITERAL, "n");
  o->language = ref(f, KG_TT_LITERAL, "l");
  add_po(f, map, "http://e/n", o);
  assert_int_equal(run(f), KG_ERR_DATA);
  /* Record 1's duplicate is written once; record 2's tag is invalid. */
  assert_string_equal(f->out, "<http://e/1> <http://e/n> \"A\"@fr .\n");
  assert_non_null(strstr(f->td.last, "invalid language tag 'a-b'"));
}

static void joins_by_condition(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": 1, \"c\": \"RU\"}, {\"id\": 2, "
                "\"c\": \"XX\"}], \"countries\": [{\"code\": \"RU\"}]}");
  kg_triples_map *person = people_map(f, "person");
  kg_triples_map *country = kg_mapping_add_map(f->m, "country", NULL, NULL);
  country->source = person->source;
  country->iterator = "$.countries[*]";
  kg_mapping_compile_path(f->m, country->iterator, strlen(country->iterator),
                          false, NULL, &country->iter, NULL);
  kg_map_add_subject(f->m, country, tpl(f, KG_TT_IRI, "http://c/{code}"));
  kg_pom *pom = kg_map_add_pom(f->m, person, NULL);
  kg_pom_add_predicate(f->m, pom, constant(f, KG_TT_IRI, "http://e/in"));
  kg_object_map *om = kg_pom_add_object(f->m, pom, NULL);
  om->parent_name = "country";
  kg_join *j = kg_object_add_join(f->m, om);
  j->child = ref(f, KG_TT_LITERAL, "c");
  j->parent = ref(f, KG_TT_LITERAL, "code");
  assert_int_equal(run(f), KG_OK);
  assert_string_equal(f->out, "<http://e/1> <http://e/in> <http://c/RU> .\n");
}

static void blank_nodes_and_graphs(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": \"a b\"}, {\"id\": \"ab\"}]}");
  kg_triples_map *map = kg_mapping_add_map(f->m, "p", NULL, NULL);
  map->source = kg_mapping_add_source(f->m, NULL, f->path, KG_DOC_JSON, NULL);
  map->iterator = "$.people[*]";
  kg_mapping_compile_path(f->m, map->iterator, strlen(map->iterator), false,
                          NULL, &map->iter, NULL);
  kg_map_add_subject(f->m, map, tpl(f, KG_TT_BLANK, "{id}"));
  kg_map_add_graph(f->m, map, constant(f, KG_TT_IRI, "http://g/1"));
  kg_map_add_graph(f->m, map, constant(f, KG_TT_IRI, KG_RML_DEFAULT_GRAPH));
  kg_map_add_class(f->m, map, "http://e/T");
  assert_true(kg_mapping_has_graphs(f->m));
  assert_int_equal(run(f), KG_OK);
  assert_string_equal(
      f->out,
      "_:_a_20b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
      "<http://e/T> <http://g/1> .\n"
      "_:_a_20b <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
      "<http://e/T> .\n"
      "_:ab <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/T> "
      "<http://g/1> .\n"
      "_:ab <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/T> "
      ".\n");
}

/* A source with data set is read from those bytes, not from its path. */
static void source_from_memory(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": \"file\"}]}");
  kg_triples_map *map = people_map(f, "person");
  add_po(f, map, "http://e/p", constant(f, KG_TT_IRI, "http://e/o"));
  static const char json[] = "{\"people\": [{\"id\": \"mem\"}]}";
  map->source->data = json;
  map->source->data_len = sizeof json - 1;
  assert_int_equal(run(f), KG_OK);
  assert_string_equal(f->out, "<http://e/mem> <http://e/p> <http://e/o> .\n");
}

/* The per-record limits of kg_eval_options (the defaults are tested by
 * the cases error-limit-*). */
static void record_limits(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": 1, \"a\": [1, 2, 3]}]}");
  kg_triples_map *map = people_map(f, "person");
  add_po(f, map, "http://e/p", tpl(f, KG_TT_LITERAL, "{a[*]}-{a[*]}"));
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  map->arrays_expand = true;
  kg_eval_options opt = {.max_template_values = 8};
  assert_int_equal(kg_eval(f->m, &opt, record, f, NULL, &f->td.diag),
                   KG_ERR_LIMIT);
  assert_non_null(strstr(f->td.last, "error: a template of mapping 'person' "));
  assert_non_null(strstr(f->td.last, ") yields more than 8 values for one "
                                     "record"));
  opt = (kg_eval_options){.max_record_statements = 8};
  assert_int_equal(kg_eval(f->m, &opt, record, f, NULL, &f->td.diag),
                   KG_ERR_LIMIT);
  assert_non_null(strstr(f->td.last, "error: mapping 'person' makes more "
                                     "than 8 statements from one record"));
  opt = (kg_eval_options){.max_record_statements = 9};
  f->out[0] = '\0';
  assert_int_equal(kg_eval(f->m, &opt, record, f, NULL, &f->td.diag), KG_OK);
  assert_non_null(strstr(f->out, "<http://e/1> <http://e/p> \"3-3\" .\n"));
}

static void finish_rejects_unknown_parent(void **state) {
  fixture *f = *state;
  kg_triples_map *map = people_map(f, "person");
  kg_pom *pom = kg_map_add_pom(f->m, map, NULL);
  kg_pom_add_predicate(f->m, pom, constant(f, KG_TT_IRI, "http://e/in"));
  kg_object_map *om = kg_pom_add_object(f->m, pom, &(kg_pos){"m.yml", 9, 5});
  om->parent_name = "nosuch";
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_ERR_MAPPING);
  assert_string_equal(f->td.last, "m.yml:9:5: error: mapping 'person' joins "
                                  "to unknown mapping 'nosuch'");
}

/* A bad record is skipped whole: not even its statements before the
 * failing term are written; it is counted, and reported as a warning. */
static void skip_bad_records_whole(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": 1, \"page\": \"http://x/1\"},\n"
                " {\"id\": 2, \"page\": \"http://x/a b\"},\n"
                " {\"id\": 3, \"page\": \"http://x/3\"}]}");
  kg_triples_map *map = people_map(f, "person");
  add_po(f, map, "http://e/id", ref(f, KG_TT_LITERAL, "id"));
  add_po(f, map, "http://e/page", ref(f, KG_TT_IRI, "page"));
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  size_t by_map[1] = {0};
  kg_eval_stats stats = {0};
  kg_eval_options opt = {.skip_bad_records = true, .skipped_by_map = by_map};
  assert_int_equal(kg_eval(f->m, &opt, record, f, &stats, &f->td.diag), KG_OK);
  const char *i = "\"^^http://www.w3.org/2001/XMLSchema#integer .\n";
  char want[512];
  snprintf(want, sizeof want,
           "<http://e/1> <http://e/id> \"1%s<http://e/1> <http://e/page> "
           "<http://x/1> .\n<http://e/3> <http://e/id> \"3%s<http://e/3> "
           "<http://e/page> <http://x/3> .\n",
           i, i);
  assert_string_equal(f->out, want);
  assert_int_equal(stats.skipped, 1);
  assert_int_equal(by_map[0], 1);
  assert_int_equal(stats.statements, 4);
  assert_int_equal(f->td.diag.errors, 0);
  assert_int_equal(f->td.diag.warnings, 1);
  assert_non_null(strstr(f->td.last, ":2:2: warning: mapping 'person' "
                                     "generated the invalid IRI"));
  assert_non_null(strstr(f->td.last, "(record skipped)"));
}

/* The sink of clean_iris: for each statement, whether the subject,
 * predicate and object are marked clean (1) or not (0), then the object. */
static kg_status record_clean(void *h, const kg_term *s, const kg_term *p,
                              const kg_term *o, const kg_term *g) {
  fixture *f = h;
  (void)g;
  const size_t n = strlen(f->out);
  snprintf(f->out + n, sizeof f->out - n, "%d%d%d %s\n", s->clean, p->clean,
           o->clean, o->value);
  return KG_OK;
}

/* kg_term.clean, which lets the writers copy an IRI without escaping it:
 * set for clean constants and IRI-safe templates over clean text whose
 * encoded values are ASCII; never for references, non-ASCII kept by the
 * IRI-safe encoding, text that a writer escapes, or a base prepended. */
static void clean_iris(void **state) {
  fixture *f = *state;
  write_data(f, "{\"people\": [{\"id\": \"a b\", \"page\": \"http://x/p\", "
                "\"u\": \"Zo\u00eb\", \"r\": \"rel\"}]}");
  kg_triples_map *map = people_map(f, "p");
  kg_map_add_class(f->m, map, "http://e/C");
  add_po(f, map, "http://e/page", ref(f, KG_TT_IRI, "page"));
  add_po(f, map, "http://e/iri", tpl(f, KG_TT_IRI, "http://e/{u}"));
  add_po(f, map, "http://e/uri", tpl(f, KG_TT_URI, "http://e/{u}"));
  add_po(f, map, "http://e/text", tpl(f, KG_TT_IRI, "http://e/\u00e9/{id}"));
  add_po(f, map, "http://e/base", tpl(f, KG_TT_IRI, "{r}"));
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  kg_eval_options opt = {.base = "http://base/"};
  assert_int_equal(kg_eval(f->m, &opt, record_clean, f, NULL, &f->td.diag),
                   KG_OK);
  assert_string_equal(f->out, "111 http://e/C\n"
                              "110 http://x/p\n"
                              "110 http://e/Zo\u00eb\n"
                              "111 http://e/Zo%C3%AB\n"
                              "110 http://e/\u00e9/a%20b\n"
                              "110 http://base/rel\n");
}

/* -j: a worker maps the chunks it claims, and only those.  The claims
 * here skip chunks (other workers' in a real run): chunks of 2 documents,
 * 9 documents, claims 1, 3, 4; chunk 4 is the last, with one document. */
typedef struct claims {
  size_t calls;
  char ended[64];
} claims;

static kg_status claim(void *h, size_t *chunk) {
  claims *c = h;
  static const size_t order[] = {1, 3, 4, 9};
  assert_true(c->calls < 4);
  *chunk = order[c->calls++];
  return KG_OK;
}

static kg_status chunk_ended(void *h, size_t chunk) {
  claims *c = h;
  const size_t n = strlen(c->ended);
  snprintf(c->ended + n, sizeof c->ended - n, "%zu ", chunk);
  return KG_OK;
}

static void worker_maps_claimed_chunks(void **state) {
  fixture *f = *state;
  FILE *fp = fopen(f->path, "w");
  for (int i = 0; i < 9; i++)
    fprintf(fp, "{\"people\": [{\"id\": \"d%d\"}]}\n", i);
  fclose(fp);
  kg_triples_map *map = people_map(f, "person");
  map->source->format = KG_DOC_JSONL;
  add_po(f, map, "http://e/p", constant(f, KG_TT_IRI, "http://e/o"));
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  claims c = {0};
  kg_eval_options opt = {.base = "http://base/",
                         .select = {.workers = 2, .chunk_docs = 2,
                                    .claim = claim},
                         .chunk_done = chunk_ended,
                         .cb_h = &c};
  kg_eval_stats stats;
  assert_int_equal(kg_eval(f->m, &opt, record, f, &stats, &f->td.diag), KG_OK);
  assert_string_equal(f->out, "<http://e/d2> <http://e/p> <http://e/o> .\n"
                              "<http://e/d3> <http://e/p> <http://e/o> .\n"
                              "<http://e/d6> <http://e/p> <http://e/o> .\n"
                              "<http://e/d7> <http://e/p> <http://e/o> .\n"
                              "<http://e/d8> <http://e/p> <http://e/o> .\n");
  assert_string_equal(c.ended, "1 3 4 ");
  assert_int_equal(c.calls, 3);
  assert_int_equal(stats.documents, 5);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(natural_datatypes_and_null),
      T(iri_safe_templates_and_base),
      T(invalid_iri_names_mapping_and_record),
      T(arrays_strict_and_expanded),
      T(language_and_duplicates),
      T(joins_by_condition),
      T(blank_nodes_and_graphs),
      T(source_from_memory),
      T(record_limits),
      T(finish_rejects_unknown_parent),
      T(skip_bad_records_whole),
      T(clean_iris),
      T(worker_maps_claimed_chunks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
