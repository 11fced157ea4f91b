/* Unit tests for rml.c: the RML-Core and legacy vocabularies read into the
 * mapping model, the default term types, and the mapping errors with the
 * file and node they concern. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "rml.h"

#define PREFIXES                                                               \
  "@prefix rml: <http://w3id.org/rml/> .\n"                                    \
  "@prefix ex: <http://e/> .\n"                                                \
  "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"

/* A triples map with a logical source over data.json; BODY adds to it. */
#define MAP(BODY)                                                              \
  PREFIXES                                                                     \
  "ex:TM a rml:TriplesMap ;\n"                                                 \
  "  rml:logicalSource [ rml:source [ a rml:RelativePathSource ;\n"            \
  "      rml:root rml:MappingDirectory ; rml:path \"data.json\" ] ;\n"         \
  "    rml:referenceFormulation rml:JSONPath ;\n"                              \
  "    rml:iterator \"$.items[*]\" ] ;\n" BODY " .\n"

typedef struct fixture {
  char dir[64];
  char path[96];
  kg_mapping *m;
  test_diag td;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  strcpy(f->dir, "/tmp/test_rml.XXXXXX");
  if (!f || !mkdtemp(f->dir))
    return -1;
  snprintf(f->path, sizeof f->path, "%s/mapping.ttl", f->dir);
  test_diag_init(&f->td);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kg_mapping_free(f->m);
  unlink(f->path);
  rmdir(f->dir);
  free(f);
  return 0;
}

/* Write ttl to the fixture's mapping.ttl and read it into a new mapping. */
static kg_status read_ttl(fixture *f, const char *ttl) {
  FILE *fp = fopen(f->path, "w");
  assert_non_null(fp);
  fputs(ttl, fp);
  fclose(fp);
  kg_mapping_free(f->m);
  f->m = kg_mapping_new();
  test_diag_init(&f->td);
  return kg_rml_read(f->m, f->path, &f->td.diag);
}

/* The last message, without the fixture's folder. */
static const char *message(const fixture *f) {
  const char *s = f->td.last;
  return strncmp(s, f->dir, strlen(f->dir)) == 0 ? s + strlen(f->dir) + 1 : s;
}

static const kg_term_map *object(const fixture *f, size_t pom) {
  assert_true(f->m->nmaps > 0 && f->m->maps[0]->npoms > pom);
  return f->m->maps[0]->poms[pom].objects[0].tm;
}

static void reads_a_core_mapping(void **state) {
  fixture *f = *state;
  assert_int_equal(
      read_ttl(f, MAP("  rml:subjectMap [ rml:template \"http://e/{id}\" ;\n"
                      "    rml:class ex:C ] ;\n"
                      "  rml:predicateObjectMap [ rml:predicate ex:name ;\n"
                      "    rml:objectMap [ rml:reference \"name\" ] ]")),
      KG_OK);
  assert_int_equal(f->m->nmaps, 1);
  const kg_triples_map *map = f->m->maps[0];
  assert_string_equal(map->name, "http://e/TM");
  char want[128];
  snprintf(want, sizeof want, "%s/data.json", f->dir);
  assert_string_equal(map->source->path, want);
  assert_string_equal(map->source->name, "data.json");
  assert_string_equal(map->iterator, "$.items[*]");
  assert_non_null(map->iter);
  assert_int_equal(map->nsubjects, 1);
  assert_int_equal(map->subjects[0]->kind, KG_TM_TEMPLATE);
  assert_int_equal(map->subjects[0]->type, KG_TT_IRI);
  assert_int_equal(map->subjects[0]->nparts, 2);
  assert_int_equal(map->nclasses, 1);
  assert_string_equal(map->classes[0], "http://e/C");
  assert_int_equal(map->npoms, 1);
  const kg_term_map *p = map->poms[0].predicates[0];
  assert_int_equal(p->kind, KG_TM_CONSTANT);
  assert_string_equal(p->constant, "http://e/name");
  assert_int_equal(object(f, 0)->kind, KG_TM_REFERENCE);
  assert_int_equal(object(f, 0)->type, KG_TT_LITERAL);
  assert_true(map->subjects[0]->pos.line > 0);
}

/* RML-Core "Default Term Types". */
static void default_term_types(void **state) {
  fixture *f = *state;
  assert_int_equal(
      read_ttl(f,
               MAP("  rml:subjectMap [ rml:reference \"iri\" ] ;\n"
                   "  rml:predicateObjectMap [ rml:predicate ex:p ;\n"
                   "    rml:objectMap [ rml:template \"http://e/{a}\" ] ] ,\n"
                   "  [ rml:predicate ex:p ; rml:objectMap [\n"
                   "      rml:template \"{a}\" ; rml:language \"en\" ] ] ,\n"
                   "  [ rml:predicate ex:p ; rml:object \"x\"@en ] ,\n"
                   "  [ rml:predicate ex:p ; rml:object ex:o ] ,\n"
                   "  [ rml:predicate ex:p ; rml:objectMap [\n"
                   "      rml:template \"{a}\" ; rml:termType rml:Literal ;\n"
                   "      rml:datatype xsd:int ] ]")),
      KG_OK);
  assert_int_equal(f->m->maps[0]->subjects[0]->type, KG_TT_IRI);
  assert_int_equal(object(f, 0)->type, KG_TT_IRI);
  assert_int_equal(object(f, 1)->type, KG_TT_LITERAL);
  assert_string_equal(object(f, 1)->language->constant, "en");
  assert_int_equal(object(f, 2)->type, KG_TT_LITERAL);
  assert_string_equal(object(f, 2)->constant, "x");
  assert_string_equal(object(f, 2)->language->constant, "en");
  assert_int_equal(object(f, 3)->type, KG_TT_IRI);
  assert_false(object(f, 3)->type_explicit);
  assert_int_equal(object(f, 4)->type, KG_TT_LITERAL);
  assert_true(object(f, 4)->type_explicit);
  assert_string_equal(object(f, 4)->datatype->constant,
                      "http://www.w3.org/2001/XMLSchema#int");
}

static void blank_nodes_graphs_and_base(void **state) {
  fixture *f = *state;
  assert_int_equal(
      read_ttl(f, MAP("  rml:baseIRI <http://base/> ;\n"
                      "  rml:subjectMap [ rml:termType rml:BlankNode ;\n"
                      "    rml:graph rml:defaultGraph ;\n"
                      "    rml:graphMap [ rml:template \"http://g/{g}\" ] ] ;\n"
                      "  rml:predicateObjectMap [ rml:predicate ex:p ;\n"
                      "    rml:objectMap [ rml:template \"{a}\" ;\n"
                      "      rml:termType rml:BlankNode ] ;\n"
                      "    rml:graph ex:G ]")),
      KG_OK);
  const kg_triples_map *map = f->m->maps[0];
  assert_string_equal(map->base, "http://base/");
  assert_int_equal(map->subjects[0]->kind, KG_TM_FRESH);
  assert_int_equal(map->subjects[0]->type, KG_TT_BLANK);
  assert_int_equal(map->ngraphs, 2);
  assert_string_equal(map->graphs[0]->constant, KG_RML_DEFAULT_GRAPH);
  assert_int_equal(map->graphs[1]->kind, KG_TM_TEMPLATE);
  assert_int_equal(object(f, 0)->type, KG_TT_BLANK);
  assert_string_equal(map->poms[0].graphs[0]->constant, "http://e/G");
}

static void joins(void **state) {
  fixture *f = *state;
  assert_int_equal(
      read_ttl(f, MAP("  rml:subject ex:s ;\n"
                      "  rml:predicateObjectMap [ rml:predicate ex:p ;\n"
                      "    rml:objectMap [ rml:parentTriplesMap ex:TM ;\n"
                      "      rml:joinCondition [ rml:child \"a\" ;\n"
                      "        rml:parent \"b\" ] , [\n"
                      "        rml:childMap [ rml:template \"x{a}\" ] ;\n"
                      "        rml:parentMap [ rml:constant \"x1\" ] ] ] ]")),
      KG_OK);
  const kg_object_map *om = &f->m->maps[0]->poms[0].objects[0];
  assert_null(om->tm);
  assert_string_equal(om->parent_name, "http://e/TM");
  assert_int_equal(om->njoins, 2);
  assert_int_equal(om->joins[0].child->kind, KG_TM_REFERENCE);
  assert_int_equal(om->joins[0].parent->kind, KG_TM_REFERENCE);
  assert_int_equal(om->joins[1].child->kind, KG_TM_TEMPLATE);
  assert_string_equal(om->joins[1].parent->constant, "x1");
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  assert_ptr_equal(om->parent, f->m->maps[0]);
}

/* What yarrrml-parser writes: rr:, the old rml: namespace and ql:. */
static void reads_the_legacy_vocabulary(void **state) {
  fixture *f = *state;
  assert_int_equal(
      read_ttl(
          f,
          "@prefix rr: <http://www.w3.org/ns/r2rml#> .\n"
          "@prefix rml: <http://semweb.mmlab.be/ns/rml#> .\n"
          "@prefix ql: <http://semweb.mmlab.be/ns/ql#> .\n"
          "@prefix ex: <http://e/> .\n"
          "ex:A a rr:TriplesMap ;\n"
          "  rml:logicalSource [ rml:source \"a.json\" ;\n"
          "    rml:referenceFormulation ql:JSONPath ;\n"
          "    rml:iterator \"$[*]\" ] ;\n"
          "  rr:subjectMap [ rr:template \"http://e/{id}\" ;\n"
          "    rr:class ex:C ; rr:graph rr:defaultGraph ] ;\n"
          "  rr:predicateObjectMap [ rr:predicate ex:p ;\n"
          "    rr:objectMap [ rml:reference \"v\" ; rr:language \"fr\" ] ] ,\n"
          "  [ rr:predicateMap [ rr:constant ex:q ] ;\n"
          "    rr:objectMap [ rr:parentTriplesMap ex:A ;\n"
          "      rr:joinCondition [ rr:child \"id\" ; rr:parent \"id\" ] ] ;\n"
          "    rr:graphMap [ rr:template \"http://g/{id}\" ] ] ,\n"
          "  [ rr:predicate ex:p ; rr:objectMap [\n"
          "      rr:constant \"http://e/o\" ; rr:termType rr:IRI ] ] .\n"),
      KG_OK);
  const kg_triples_map *map = f->m->maps[0];
  char want[128];
  snprintf(want, sizeof want, "%s/a.json", f->dir);
  assert_string_equal(map->source->path, want);
  assert_int_equal(map->subjects[0]->kind, KG_TM_TEMPLATE);
  assert_string_equal(map->classes[0], "http://e/C");
  assert_string_equal(map->graphs[0]->constant, KG_RML_DEFAULT_GRAPH);
  assert_int_equal(object(f, 0)->type, KG_TT_LITERAL);
  assert_string_equal(object(f, 0)->language->constant, "fr");
  assert_int_equal(map->poms[1].objects[0].njoins, 1);
  assert_int_equal(map->poms[1].ngraphs, 1);
  /* yarrrml-parser writes IRI constants as strings with rr:termType rr:IRI */
  assert_int_equal(object(f, 2)->kind, KG_TM_CONSTANT);
  assert_int_equal(object(f, 2)->type, KG_TT_IRI);
  assert_string_equal(object(f, 2)->constant, "http://e/o");
}

static void rml_sources(void **state) {
  fixture *f = *state;
  assert_int_equal(
      read_ttl(f,
               PREFIXES "ex:A rml:logicalSource [ rml:source [\n"
                        "    rml:root rml:CurrentWorkingDirectory ;\n"
                        "    rml:path \"cwd.json\" ] ] ; rml:subject ex:s .\n"
                        "ex:B rml:logicalSource [ rml:source [\n"
                        "    rml:root \"/data\" ; rml:path \"b.json\" ] ] ;\n"
                        "  rml:subject ex:s .\n"
                        "ex:C rml:logicalSource [ rml:source [\n"
                        "    rml:path \"c.json\" ] ] ; rml:subject ex:s .\n"),
      KG_OK);
  assert_int_equal(f->m->nmaps, 3);
  assert_string_equal(f->m->maps[0]->source->path, "cwd.json");
  assert_null(f->m->maps[0]->iterator);
  assert_string_equal(f->m->maps[1]->source->path, "/data/b.json");
  assert_string_equal(f->m->maps[2]->source->path, "c.json");
}

typedef struct bad_case {
  const char *ttl;
  kg_status st;
  const char *msg; /* the end of the last message */
} bad_case;

static void reports_mapping_errors(void **state) {
  fixture *f = *state;
  static const bad_case cases[] = {
      {MAP("  rml:predicateObjectMap [ rml:predicate ex:p ; rml:object 1 ]"),
       KG_ERR_MAPPING, "error: triples map <http://e/TM> has no subject map"},
      {MAP("  rml:subject ex:a ; rml:subjectMap [ rml:constant ex:b ]"),
       KG_ERR_MAPPING,
       "error: triples map <http://e/TM> has more than one subject map"},
      {MAP("  rml:subjectMap [ rml:reference \"a\" ;\n"
           "    rml:termType rml:Literal ]"),
       KG_ERR_MAPPING,
       "error: a subject map cannot make literals (in the subject map of "
       "triples map <http://e/TM>)"},
      {MAP("  rml:subjectMap [ rml:reference \"a\" ; rml:termType ex:Odd ]"),
       KG_ERR_MAPPING,
       "error: unknown rml:termType <http://e/Odd> (in the subject map of "
       "triples map <http://e/TM>)"},
      {MAP("  rml:subjectMap [ rml:constant \"S\" ;\n"
           "    rml:termType rml:BlankNode ]"),
       KG_ERR_MAPPING,
       "error: the constant 'S' is a literal but rml:termType is "
       "<http://w3id.org/rml/BlankNode> (in the subject map of triples map "
       "<http://e/TM>)"},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ; rml:object ex:o ;\n"
           "    rml:graphMap [ rml:reference \"g\" ;\n"
           "      rml:termType rml:Literal ] ]"),
       KG_ERR_MAPPING, "error: a graph map cannot make literals"},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ;\n"
           "    rml:objectMap [ rml:reference \"n\" ; rml:language \"a-en\" "
           "] ]"),
       KG_ERR_MAPPING, "error: invalid language tag 'a-en'"},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ;\n"
           "    rml:objectMap [ rml:reference \"n\" ; rml:template \"{n}\" "
           "] ]"),
       KG_ERR_MAPPING, "more than one of rml:constant, rml:reference and "},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ; rml:objectMap [ rml:reference \"n\" ;\n"
           "      rml:language \"en\" ; rml:datatype xsd:int ] ]"),
       KG_ERR_MAPPING, "more than one datatype or language"},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ; rml:objectMap [ rml:template \"{n}\" ;\n"
           "      rml:datatype xsd:int ; rml:termType rml:IRI ] ]"),
       KG_ERR_MAPPING, "needs rml:termType rml:Literal, not IRIs"},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ]"),
       KG_ERR_MAPPING, "needs a predicate and an object"},
      {MAP("  rml:subject _:b"), KG_ERR_MAPPING,
       "a constant cannot be a blank node"},
      {MAP("  rml:subject ex:s ; rml:predicateObjectMap [\n"
           "    rml:predicate ex:p ; rml:objectMap [ rml:constant ex:o ;\n"
           "      rml:termType rml:Literal ] ]"),
       KG_ERR_MAPPING,
       "the constant 'http://e/o' is an IRI but rml:termType is "
       "<http://w3id.org/rml/Literal>"},
      {MAP("  rml:subjectMap [ rml:constant ex:o ;\n"
           "      rml:termType rml:BlankNode ]"),
       KG_ERR_MAPPING, "is an IRI but rml:termType"},
      {MAP("  rml:subjectMap [ rml:termType rml:IRI ]"), KG_ERR_MAPPING,
       "a term map needs rml:constant, rml:reference or rml:template"},
      {PREFIXES "ex:A rml:subject ex:s .\n", KG_ERR_MAPPING,
       "error: triples map <http://e/A> has no logical source"},
      {PREFIXES "ex:A rml:subject ex:s ; rml:logicalSource [\n"
                "  rml:source \"x.csv\" ; rml:referenceFormulation rml:CSV ] .",
       KG_ERR_MAPPING, "unsupported reference formulation"},
      {MAP("  rml:subjectMap [ rml:template \"http://e/{a\" ]"), KG_ERR_MAPPING,
       "unterminated '{' in template 'http://e/{a'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const kg_status st = read_ttl(f, cases[i].ttl);
    const char *msg = message(f), *want = cases[i].msg;
    if (st != cases[i].st || !strstr(msg, want) ||
        strncmp(msg, "mapping.ttl:", 12) != 0)
      fail_msg("case %zu: status %d, message '%s', want '%s'", i, st, msg,
               want);
  }
}

static void reports_turtle_syntax_errors(void **state) {
  fixture *f = *state;
  assert_int_equal(read_ttl(f, PREFIXES "ex:a ex:b ex:c .\nex:a ex:b .\n"),
                   KG_ERR_SYNTAX);
  assert_non_null(strstr(message(f), "mapping.ttl:5:1: error: syntax error"));
  assert_int_equal(read_ttl(f, PREFIXES "ex:a ex:b \"{N\\ame}\" .\n"),
                   KG_ERR_SYNTAX);
  assert_non_null(strstr(message(f), "mapping.ttl:4:"));
  assert_int_equal(f->td.diag.errors, 1);
  /* raptor would pass the byte through into the template */
  assert_int_equal(read_ttl(f, PREFIXES "ex:a ex:b \"caf\xff\" .\n"),
                   KG_ERR_SYNTAX);
  assert_string_equal(message(f),
                      "mapping.ttl:4:15: error: invalid UTF-8 (byte 0xFF)");
}

static void missing_file_is_an_io_error(void **state) {
  fixture *f = *state;
  f->m = kg_mapping_new();
  assert_int_equal(kg_rml_read(f->m, "/nonexistent/m.ttl", &f->td.diag),
                   KG_ERR_IO);
  assert_non_null(strstr(f->td.last, "/nonexistent/m.ttl: error: cannot "));
}

/* kg_rml_read_mem: the same reader from memory, with name in messages and
 * dir for relative source paths. */
static void reads_from_memory(void **state) {
  fixture *f = *state;
  static const char ttl[] =
      MAP("  rml:subjectMap [ rml:template \"http://e/{id}\" ]");
  f->m = kg_mapping_new();
  assert_int_equal(kg_rml_read_mem(f->m, "mem.ttl", "/data", ttl,
                                   sizeof ttl - 1, &f->td.diag),
                   KG_OK);
  assert_int_equal(f->m->nmaps, 1);
  assert_string_equal(f->m->maps[0]->source->path, "/data/data.json");
  assert_int_equal(f->m->maps[0]->nsubjects, 1);
  static const char bad[] = PREFIXES "ex:a ex:b .\n";
  assert_int_equal(
      kg_rml_read_mem(f->m, "mem.ttl", NULL, bad, sizeof bad - 1, &f->td.diag),
      KG_ERR_SYNTAX);
  assert_non_null(strstr(f->td.last, "mem.ttl:4:"));
}

static void sniffs_turtle(void **state) {
  (void)state;
  static const char *const rml[] = {
      "@prefix rml: <http://w3id.org/rml/> .",
      "# a comment\n\nPREFIX ex: <http://e/>",
      "<http://e/TM> a <http://w3id.org/rml/TriplesMap> .",
      "ex:a <http://www.w3.org/ns/r2rml#subjectMap> [] .",
  };
  static const char *const yaml[] = {
      "prefixes:\n  ex: http://e/\nmappings:\n",
      "# @prefix in a comment\nmappings: {}\n",
      "",
  };
  for (size_t i = 0; i < sizeof rml / sizeof rml[0]; i++)
    assert_true(kg_rml_sniff(rml[i], strlen(rml[i])));
  for (size_t i = 0; i < sizeof yaml / sizeof yaml[0]; i++)
    assert_false(kg_rml_sniff(yaml[i], strlen(yaml[i])));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(reads_a_core_mapping, setup, teardown),
      cmocka_unit_test_setup_teardown(default_term_types, setup, teardown),
      cmocka_unit_test_setup_teardown(blank_nodes_graphs_and_base, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(joins, setup, teardown),
      cmocka_unit_test_setup_teardown(reads_the_legacy_vocabulary, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(rml_sources, setup, teardown),
      cmocka_unit_test_setup_teardown(reports_mapping_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(reports_turtle_syntax_errors, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(missing_file_is_an_io_error, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(reads_from_memory, setup, teardown),
      cmocka_unit_test_setup_teardown(sniffs_turtle, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
