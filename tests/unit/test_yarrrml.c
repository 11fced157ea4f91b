/* Unit tests for yarrrml.c: YARRRML text in memory into the mapping model
 * (kinds, term types, expanded constants, template parts, joins, graphs,
 * sources) and the exact error messages. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "yarrrml.h"

#define XSD "http://www.w3.org/2001/XMLSchema#"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define EX "http://ex.org/"

typedef struct fixture {
  kg_mapping *m;
  test_diag td;
} fixture;

static int setup(void **state) {
  static fixture f;
  f.m = kg_mapping_new();
  test_diag_init(&f.td);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kg_mapping_free(f->m);
  return 0;
}

static kg_status load_as(fixture *f, const char *name, const char *yaml) {
  return kg_yarrrml_read_mem(f->m, name, "/data", yaml, strlen(yaml),
                             &f->td.diag);
}

static kg_status load(fixture *f, const char *yaml) {
  return load_as(f, "m.yml", yaml);
}

/* Read yaml into a new mapping; it must fail with exactly the message
 * want. */
static void fails_with(fixture *f, const char *yaml, const char *want) {
  kg_mapping_free(f->m);
  f->m = kg_mapping_new();
  if (load(f, yaml) == KG_OK)
    fail_msg("no error for:\n%s", yaml);
  assert_string_equal(f->td.last, want);
}

static kg_triples_map *map(fixture *f, const char *name) {
  kg_triples_map *tm = kg_mapping_find_map(f->m, name);
  assert_non_null(tm);
  return tm;
}

static void assert_constant(const kg_term_map *tm, kg_term_type type,
                            const char *value) {
  assert_non_null(tm);
  assert_int_equal(tm->kind, KG_TM_CONSTANT);
  assert_int_equal(tm->type, type);
  assert_string_equal(tm->constant, value);
}

static void assert_reference(const kg_term_map *tm, kg_term_type type,
                             const char *ref) {
  assert_non_null(tm);
  assert_int_equal(tm->kind, KG_TM_REFERENCE);
  assert_int_equal(tm->type, type);
  assert_non_null(tm->ref);
  assert_string_equal(kg_jsonpath_text(tm->ref), ref);
}

static void assert_part(const kg_tpl_part *p, bool is_ref, const char *text) {
  assert_int_equal(p->is_ref, is_ref);
  assert_int_equal(p->len, strlen(text));
  assert_memory_equal(p->text, text, p->len);
}

#define PREAMBLE                                                               \
  "prefixes:\n"                                                                \
  "  ex: http://ex.org/\n"                                                     \
  "sources:\n"                                                                 \
  "  people: [people.json~jsonpath, '$.people[*]']\n"

static void shortcuts_build_the_model(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, PREAMBLE "mappings:\n"
                                    "  person:\n"
                                    "    sources: people\n"
                                    "    s: ex:person/$(id)\n"
                                    "    po:\n"
                                    "      - [a, schema:Person]\n"
                                    "      - [schema:name, $(name)]\n"
                                    "      - [ex:age, $(age), xsd:integer]\n"
                                    "      - [ex:label, $(label), fr~lang]\n"
                                    "      - [ex:knows, ex:p/$(friend)~iri]\n"
                                    "      - [ex:note, hello]\n"
                                    "      - [ex:home, $(home)~iri]\n"),
                   KG_OK);
  assert_int_equal(f->m->nmaps, 1);
  kg_triples_map *tm = map(f, "person");
  assert_true(tm->arrays_expand);
  assert_int_equal(tm->pos.line, 6);
  assert_int_equal(tm->pos.col, 3);
  assert_int_equal(tm->nsubjects, 1);
  const kg_term_map *s = tm->subjects[0];
  assert_int_equal(s->kind, KG_TM_TEMPLATE);
  assert_int_equal(s->type, KG_TT_IRI);
  assert_int_equal(s->nparts, 2);
  assert_part(&s->parts[0], false, EX "person/");
  assert_part(&s->parts[1], true, "id");
  assert_int_equal(tm->npoms, 7);
  const kg_pom *po = tm->poms;
  assert_constant(po[0].predicates[0], KG_TT_IRI, RDF_TYPE);
  assert_constant(po[0].objects[0].tm, KG_TT_IRI, "http://schema.org/Person");
  assert_constant(po[1].predicates[0], KG_TT_IRI, "http://schema.org/name");
  assert_reference(po[1].objects[0].tm, KG_TT_LITERAL, "name");
  assert_null(po[1].objects[0].tm->datatype);
  assert_constant(po[2].objects[0].tm->datatype, KG_TT_IRI, XSD "integer");
  assert_constant(po[3].objects[0].tm->language, KG_TT_LITERAL, "fr");
  const kg_term_map *knows = po[4].objects[0].tm;
  assert_int_equal(knows->kind, KG_TM_TEMPLATE);
  assert_int_equal(knows->type, KG_TT_IRI);
  assert_part(&knows->parts[0], false, EX "p/");
  assert_part(&knows->parts[1], true, "friend");
  assert_constant(po[5].objects[0].tm, KG_TT_LITERAL, "hello");
  assert_reference(po[6].objects[0].tm, KG_TT_IRI, "home");
  /* Declared prefixes and the predefined ones used reach the writer. */
  assert_string_equal(kg_mapping_prefix_iri(f->m, "ex", 2), EX);
  assert_string_equal(kg_mapping_prefix_iri(f->m, "schema", 6),
                      "http://schema.org/");
  assert_null(kg_mapping_prefix_iri(f->m, "foaf", 4));
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
}

static void long_forms_build_the_same_model(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f,
                        PREAMBLE "mappings:\n"
                                 "  person:\n"
                                 "    sources: [people]\n"
                                 "    subjects: [{value: $(iri)}]\n"
                                 "    predicateobjects:\n"
                                 "      - predicates: [ex:a, ex:b]\n"
                                 "        objects:\n"
                                 "          - value: $(x)\n"
                                 "            datatype: xsd:date\n"
                                 "          - value: $(y)\n"
                                 "            language: nl\n"
                                 "          - {value: ex:$(z), type: iri}\n"
                                 "          - {v: $(w), type: blanknode}\n"
                                 "          - {type: blanknode}\n"
                                 "          - {value: '42', type: literal}\n"),
                   KG_OK);
  kg_triples_map *tm = map(f, "person");
  /* YARRRML: a subject that is one reference is an IRI taken as is. */
  assert_reference(tm->subjects[0], KG_TT_IRI, "iri");
  const kg_pom *po = &tm->poms[0];
  assert_int_equal(po->npredicates, 2);
  assert_constant(po->predicates[1], KG_TT_IRI, EX "b");
  assert_int_equal(po->nobjects, 6);
  assert_constant(po->objects[0].tm->datatype, KG_TT_IRI, XSD "date");
  assert_constant(po->objects[1].tm->language, KG_TT_LITERAL, "nl");
  assert_int_equal(po->objects[2].tm->kind, KG_TM_TEMPLATE);
  assert_true(po->objects[2].tm->type_explicit);
  assert_part(&po->objects[2].tm->parts[0], false, EX);
  assert_reference(po->objects[3].tm, KG_TT_BLANK, "w");
  assert_int_equal(po->objects[4].tm->kind, KG_TM_FRESH);
  assert_constant(po->objects[5].tm, KG_TT_LITERAL, "42");
}

static void several_predicates_and_objects(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, PREAMBLE
                        "mappings:\n"
                        "  person:\n"
                        "    sources: people\n"
                        "    s: ex:$(id)\n"
                        "    po:\n"
                        "      - [[foaf:name, rdfs:label], [$(f), $(l)]]\n"
                        "      - p: ex:n\n"
                        "        o: [[$(f), ex:string], [$(l), en-GB~lang]]\n"
                        "      - p: ex:d\n"
                        "        o: [$(a), [$(b), en~lang]]\n"
                        "        datatype: xsd:date\n"
                        "      - [ex:e, [$(c), $(d)], xsd:gYear]\n"),
                   KG_OK);
  const kg_pom *po = map(f, "person")->poms;
  assert_int_equal(po[0].npredicates, 2);
  assert_constant(po[0].predicates[0], KG_TT_IRI,
                  "http://xmlns.com/foaf/0.1/name");
  assert_int_equal(po[0].nobjects, 2);
  assert_reference(po[0].objects[1].tm, KG_TT_LITERAL, "l");
  assert_constant(po[1].objects[0].tm->datatype, KG_TT_IRI, EX "string");
  assert_constant(po[1].objects[1].tm->language, KG_TT_LITERAL, "en-GB");
  /* A po-level datatype applies to the objects without their own. */
  assert_constant(po[2].objects[0].tm->datatype, KG_TT_IRI, XSD "date");
  assert_null(po[2].objects[1].tm->datatype);
  assert_constant(po[2].objects[1].tm->language, KG_TT_LITERAL, "en");
  assert_constant(po[3].objects[1].tm->datatype, KG_TT_IRI, XSD "gYear");
}

static void subjects_none_several_and_blank(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, PREAMBLE "mappings:\n"
                                    "  anon:\n"
                                    "    sources: people\n"
                                    "    po: [[ex:p, $(x)]]\n"
                                    "  nulls:\n"
                                    "    sources: people\n"
                                    "    subjects: null\n"
                                    "  two:\n"
                                    "    sources: people\n"
                                    "    subjects: [ex:a/$(id), "
                                    "'http://t.com/$(n)']\n"
                                    "  blank:\n"
                                    "    sources: people\n"
                                    "    s: {value: $(id), type: blanknode}\n"),
                   KG_OK);
  kg_triples_map *anon = map(f, "anon");
  assert_int_equal(anon->nsubjects, 1);
  assert_int_equal(anon->subjects[0]->kind, KG_TM_FRESH);
  assert_int_equal(anon->subjects[0]->type, KG_TT_BLANK);
  assert_int_equal(map(f, "nulls")->subjects[0]->kind, KG_TM_FRESH);
  kg_triples_map *two = map(f, "two");
  assert_int_equal(two->nsubjects, 2);
  assert_part(&two->subjects[1]->parts[0], false, "http://t.com/");
  assert_reference(map(f, "blank")->subjects[0], KG_TT_BLANK, "id");
}

static void sources_named_inline_and_several(void **state) {
  fixture *f = *state;
  assert_int_equal(
      load(f, "sources:\n"
              "  a: [a.json~jsonpath, '$.x[*]']\n"
              "  b:\n"
              "    access: /abs/b.yml\n"
              "    referenceFormulation: jsonpath\n"
              "    iterator: $\n"
              "    encoding: UTF-8\n"
              "    type: localfile\n"
              "mappings:\n"
              "  one:\n"
              "    sources: [[sub/c.jsonl~jsonpath, '$']]\n"
              "  spec:\n"
              "    sources: [d.json~jsonpath, '$.persons[*]']\n"
              "  long:\n"
              "    sources: {access: e.json, referenceFormulation: jsonpath}\n"
              "  many:\n"
              "    sources: [a, b, [f.json~jsonpath]]\n"),
      KG_OK);
  kg_triples_map *one = map(f, "one");
  assert_string_equal(one->source->path, "/data/sub/c.jsonl");
  assert_string_equal(one->source->name, "sub/c.jsonl");
  assert_int_equal(one->source->format, KG_DOC_AUTO);
  assert_string_equal(one->iterator, "$");
  assert_string_equal(map(f, "spec")->iterator, "$.persons[*]");
  assert_string_equal(map(f, "spec")->source->path, "/data/d.json");
  assert_null(map(f, "long")->iterator);
  assert_null(map(f, "long")->iter);
  /* Several sources: one triples map per source, sharing the rest. */
  kg_triples_map *many = map(f, "many");
  assert_string_equal(many->source->name, "a");
  assert_string_equal(many->source->path, "/data/a.json");
  assert_string_equal(many->iterator, "$.x[*]");
  assert_non_null(many->iter);
  assert_string_equal(map(f, "many#2")->source->path, "/abs/b.yml");
  assert_string_equal(map(f, "many#2")->source->name, "b");
  assert_string_equal(map(f, "many#3")->source->path, "/data/f.json");
  assert_null(map(f, "many#3")->iterator);
  assert_int_equal(f->m->nmaps, 6);
  /* The same file and format under the same name is one source. */
  assert_int_equal(f->m->nsources, 6);
}

static void joins_with_conditions(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, PREAMBLE
                        "mappings:\n"
                        "  person:\n"
                        "    sources: people\n"
                        "    s: ex:$(id)\n"
                        "    po:\n"
                        "      - p: ex:worksFor\n"
                        "        o:\n"
                        "          mapping: project\n"
                        "          condition:\n"
                        "            function: equal\n"
                        "            parameters:\n"
                        "              - [str1, $(projectID)]\n"
                        "              - [str2, $(ID)]\n"
                        "      - p: ex:led\n"
                        "        o:\n"
                        "          - mapping: project\n"
                        "            condition:\n"
                        "              - function: equal\n"
                        "                parameters:\n"
                        "                  - [str1, $(ID), o]\n"
                        "                  - [str2, $(lead), s]\n"
                        "              - function: equal\n"
                        "                parameters:\n"
                        "                  - {parameter: str1, value: $(a)}\n"
                        "                  - {parameter: str2, value: x-$(b),"
                        " from: subject}\n"
                        "      - p: ex:any\n"
                        "        o: {mapping: [project, person]}\n"
                        "  project:\n"
                        "    sources: people\n"
                        "    s: ex:project/$(ID)\n"),
                   KG_OK);
  const kg_pom *po = map(f, "person")->poms;
  const kg_object_map *om = &po[0].objects[0];
  assert_null(om->tm);
  assert_string_equal(om->parent_name, "project");
  assert_int_equal(om->njoins, 1);
  assert_reference(om->joins[0].child, KG_TT_LITERAL, "projectID");
  assert_reference(om->joins[0].parent, KG_TT_LITERAL, "ID");
  om = &po[1].objects[0];
  assert_int_equal(om->njoins, 2);
  assert_reference(om->joins[0].child, KG_TT_LITERAL, "lead");
  assert_reference(om->joins[0].parent, KG_TT_LITERAL, "ID");
  /* One side given: the other is the opposite one. */
  assert_reference(om->joins[1].parent, KG_TT_LITERAL, "a");
  assert_int_equal(om->joins[1].child->kind, KG_TM_TEMPLATE);
  assert_int_equal(po[2].nobjects, 2);
  assert_int_equal(po[2].objects[1].njoins, 0);
  assert_string_equal(po[2].objects[1].parent_name, "person");
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  assert_ptr_equal(po[0].objects[0].parent, map(f, "project"));
}

static void graphs_at_both_levels(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, PREAMBLE "mappings:\n"
                                    "  person:\n"
                                    "    sources: people\n"
                                    "    s: ex:$(id)\n"
                                    "    graphs: [ex:g, ex:g/$(src)]\n"
                                    "    po:\n"
                                    "      - p: ex:p\n"
                                    "        o: $(x)\n"
                                    "        g: rr:defaultGraph\n"),
                   KG_OK);
  kg_triples_map *tm = map(f, "person");
  assert_int_equal(tm->ngraphs, 2);
  assert_constant(tm->graphs[0], KG_TT_IRI, EX "g");
  assert_int_equal(tm->graphs[1]->kind, KG_TM_TEMPLATE);
  assert_int_equal(tm->poms[0].ngraphs, 1);
  assert_constant(tm->poms[0].graphs[0], KG_TT_IRI, KG_RML_DEFAULT_GRAPH);
  assert_true(kg_mapping_has_graphs(f->m));
}

static void externals_base_and_escapes(void **state) {
  fixture *f = *state;
  static const char *const given[] = {"city=Brussels"};
  f->m->externals = given;
  f->m->nexternals = 1;
  assert_int_equal(load(f, PREAMBLE "base: http://base.org/\n"
                                    "external:\n"
                                    "  name: John\n"
                                    "  city: Ghent\n"
                                    "mappings:\n"
                                    "  person:\n"
                                    "    sources: people\n"
                                    "    s: person/$(id)\n"
                                    "    po:\n"
                                    "      - [ex:name, $(_name)]\n"
                                    "      - [ex:city, $(_city)]\n"
                                    "      - [ex:cost, '\\$(x) and $(y)']\n"
                                    "      - [ex:urn, 'urn:isbn:1~iri']\n"),
                   KG_OK);
  kg_triples_map *tm = map(f, "person");
  assert_string_equal(tm->base, "http://base.org/");
  /* Relative IRIs stay relative: resolved against the base when run. */
  assert_part(&tm->subjects[0]->parts[0], false, "person/");
  assert_constant(tm->poms[0].objects[0].tm, KG_TT_LITERAL, "John");
  assert_constant(tm->poms[1].objects[0].tm, KG_TT_LITERAL, "Brussels");
  const kg_term_map *cost = tm->poms[2].objects[0].tm;
  assert_int_equal(cost->kind, KG_TM_TEMPLATE);
  assert_part(&cost->parts[0], false, "$(x) and ");
  assert_constant(tm->poms[3].objects[0].tm, KG_TT_IRI, "urn:isbn:1");
  assert_int_equal(f->m->nexternals, 3);
}

static void files_merge_and_keep_their_prefixes(void **state) {
  fixture *f = *state;
  assert_int_equal(load_as(f, "a.yml",
                           PREAMBLE "mappings:\n"
                                    "  project:\n"
                                    "    sources: people\n"
                                    "    s: ex:project/$(id)\n"),
                   KG_OK);
  assert_int_equal(load_as(f, "b.yml",
                           "prefixes:\n"
                           "  ex: http://other.org/\n"
                           "mappings:\n"
                           "  person:\n"
                           "    sources: [p.json~jsonpath, $]\n"
                           "    s: ex:$(id)\n"
                           "    po:\n"
                           "      - p: ex:worksFor\n"
                           "        o: {mapping: project}\n"),
                   KG_OK);
  assert_string_equal(map(f, "person")->subjects[0]->parts[0].text,
                      "http://other.org/");
  assert_string_equal(map(f, "person")->subjects[0]->pos.file, "b.yml");
  assert_int_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  assert_ptr_equal(map(f, "person")->poms[0].objects[0].parent,
                   map(f, "project"));
  /* Sources are per file: b.yml does not see a.yml's 'people'. */
  assert_int_not_equal(load_as(f, "c.yml",
                               "mappings:\n"
                               "  x:\n"
                               "    sources: people\n"),
                       KG_OK);
  assert_string_equal(f->td.last,
                      "c.yml:3:14: error: unknown source 'people' in mapping "
                      "'x'");
  assert_int_not_equal(load_as(f, "d.yml",
                               "mappings:\n"
                               "  project:\n"
                               "    sources: [p.json~jsonpath]\n"),
                       KG_OK);
  assert_string_equal(f->td.last,
                      "d.yml:2:3: error: mapping 'project' is defined twice "
                      "(first at a.yml:6:3)");
}

static void unknown_keys_suggest(void **state) {
  fixture *f = *state;
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    sources: people\n"
                      "    subjct: ex:$(id)\n",
             "m.yml:8:5: error: unknown key 'subjct' in mapping 'person' "
             "(did you mean 'subjects'?)");
  fails_with(f, "prefixs: {}\nmappings: {}\n",
             "m.yml:1:1: error: unknown key 'prefixs' at the top level (did "
             "you mean 'prefixes'?)");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - p: ex:p\n"
                      "        o: {value: $(x), datatyp: xsd:int}\n",
             "m.yml:9:26: error: unknown key 'datatyp' in an object in "
             "mapping 'person' (did you mean 'datatype'?)");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    zzz: 1\n",
             "m.yml:7:5: error: unknown key 'zzz' in mapping 'person'");
  fails_with(f,
             "sources:\n"
             "  s1: {acess: a.json}\n"
             "mappings: {}\n",
             "m.yml:2:8: error: unknown key 'acess' in source 's1' (did you "
             "mean 'access'?)");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    sources: peopl\n",
             "m.yml:7:14: error: unknown source 'peopl' in mapping 'person' "
             "(did you mean 'people'?)");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    s: ex:a\n"
                      "    subjects: ex:b\n",
             "m.yml:8:5: error: key 'subjects' repeats 's' in mapping "
             "'person' (both are 'subjects')");
}

static void unknown_prefix(void **state) {
  fixture *f = *state;
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    s: exx:person/$(id)\n",
             "m.yml:7:8: error: unknown prefix 'exx' in 'exx:person/$(id)' "
             "(declare it under 'prefixes')");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po: [[ex:p, $(x), xs:int]]\n",
             "m.yml:7:23: error: unknown prefix 'xs' in 'xs:int' (declare it "
             "under 'prefixes')");
}

static void unsupported_features(void **state) {
  fixture *f = *state;
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - p: ex:p\n"
                      "        o:\n"
                      "          function: ex:toLowerCase\n",
             "m.yml:10:11: error: YARRRML 'functions' are not supported yet "
             "(key 'function' in an object in mapping 'person')");
  fails_with(f,
             "targets: {t: out.nq}\n" PREAMBLE "mappings:\n"
             "  person:\n"
             "    targets: t\n",
             "m.yml:8:5: error: YARRRML 'targets' on a whole mapping (put "
             "them on its subjects) are not supported yet (key 'targets' in "
             "mapping 'person')");
  fails_with(f, "authors: [me]\nmappings: {}\n",
             "m.yml:1:1: error: YARRRML 'authors' are not supported yet (key "
             "'authors' at the top level)");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - {p: ex:p, i: ex:q, o: $(x)}\n",
             "m.yml:8:19: error: YARRRML 'inversepredicates' are not "
             "supported yet (key 'i' in a predicate-object in mapping "
             "'person')");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - p: ex:p\n"
                      "        o:\n"
                      "          mapping: person\n"
                      "          condition:\n"
                      "            function: ex:isValid\n"
                      "            parameters: [[ex:input, $(x)]]\n",
             "m.yml:12:23: error: YARRRML condition function 'ex:isValid' is "
             "not supported yet (only 'equal', a join)");
  fails_with(f,
             "sources:\n"
             "  db: {access: x, referenceFormulation: csv}\n"
             "mappings: {}\n",
             "m.yml:2:41: error: YARRRML reference formulation 'csv' is not "
             "supported yet (kgmap reads JSON, JSON Lines and YAML with "
             "'jsonpath')");
  fails_with(f,
             "sources:\n"
             "  web: [http://ex.org/a.json~jsonpath, $]\n"
             "mappings: {}\n",
             "m.yml:2:9: error: YARRRML remote sources are not supported yet "
             "('http://ex.org/a.json')");
  fails_with(f,
             "sources:\n"
             "  db: {access: x, referenceFormulation: jsonpath, query: q}\n"
             "mappings: {}\n",
             "m.yml:2:51: error: YARRRML 'query' in sources is not supported "
             "yet (key 'query' in source 'db')");
}

static void bad_shapes(void **state) {
  fixture *f = *state;
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po: {p: ex:p, o: $(x)}\n",
             "m.yml:7:9: error: 'predicateobjects' must be a list, not a map");
  fails_with(f, PREAMBLE "mappings: [a, b]\n",
             "m.yml:5:11: error: 'mappings' must be a map of named mappings, "
             "not a list");
  fails_with(f, PREAMBLE "mappings:\n  person: ex:x\n",
             "m.yml:6:11: error: mapping 'person' must be a map, not a "
             "scalar");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - [ex:p]\n",
             "m.yml:8:9: error: a predicate-object must be [predicate, "
             "object] or [predicate, object, datatype], not a list");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - [{x: 1}, $(x)]\n",
             "m.yml:8:11: error: unknown key 'x' in a predicate in mapping "
             "'person'");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - [ex:p, $(x)~iri, xsd:int]\n",
             "m.yml:8:26: error: 'xsd:int': only literal objects have a "
             "datatype or language");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - [ex:p, $(x), 'e n~lang']\n",
             "m.yml:8:22: error: invalid language tag 'e n'");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - {p: ex:p, o: {value: $(x), type: uri}}\n",
             "m.yml:8:42: error: unknown term type 'uri' (iri, literal or "
             "blanknode)");
  fails_with(f, "prefixes: {}\n",
             "m.yml:1:1: error: a YARRRML document needs 'mappings'");
  fails_with(f, "- a\n",
             "m.yml:1:1: error: a YARRRML document must be a map, not a list");
  fails_with(f,
             "sources:\n"
             "  s1: [a.json, $]\n"
             "mappings: {}\n",
             "m.yml:2:8: error: source 'a.json' has no reference formulation "
             "(write 'a.json~jsonpath')");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - p: ex:p\n"
                      "        o:\n"
                      "          mapping: person\n"
                      "          condition:\n"
                      "            function: equal\n"
                      "            parameters: [[str1, $(a), o], [str2, $(b),"
                      " object]]\n",
             "m.yml:13:25: error: both parameters of 'equal' come from the "
             "object: one must come from the subject ('s'), one from the "
             "object ('o')");
}

#define TARGETS                                                                \
  "targets:\n"                                                                 \
  "  all: out/all.nq\n"                                                        \
  "  people: [people.ttl.gz~localfile, turtle, gzip]\n"                        \
  "  names: {access: /abs/names.nt, serialization: formats:N-Triples}\n"       \
  "  store:\n"                                                                 \
  "    access: http://127.0.0.1:8890/sparql-graph-crud-auth\n"                 \
  "    type: sparql\n"                                                         \
  "    graph: urn:g\n"                                                         \
  "    userVariable: MY_USER\n"                                                \
  "    passwordVariable: MY_PASS\n"

static void targets_declared_and_referenced(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, TARGETS PREAMBLE
                        "mappings:\n"
                        "  person:\n"
                        "    sources: people\n"
                        "    s: {value: ex:$(id), targets: [people, all]}\n"
                        "    po:\n"
                        "      - p: {value: ex:name, targets: names}\n"
                        "        o: {value: $(name), targets: store}\n"
                        "      - p: ex:knows\n"
                        "        o: {mapping: person, targets: all}\n"
                        "      - {p: ex:age, o: $(age), targets: store}\n"
                        "    g: {value: ex:g, targets: names}\n"),
                   KG_OK);
  assert_int_equal(f->m->ntargets, 4);
  kg_target *const *t = f->m->targets;
  assert_string_equal(t[0]->name, "all");
  assert_int_equal(t[0]->type, KG_TARGET_FILE);
  assert_string_equal(t[0]->access, "/data/out/all.nq");
  assert_string_equal(t[0]->serialization, "nquads");
  assert_false(t[0]->gzip);
  assert_string_equal(t[1]->access, "/data/people.ttl.gz");
  assert_string_equal(t[1]->serialization, "turtle");
  assert_true(t[1]->gzip);
  assert_string_equal(t[2]->access, "/abs/names.nt");
  assert_string_equal(t[2]->serialization, "ntriples");
  assert_int_equal(t[3]->type, KG_TARGET_SPARQL);
  assert_string_equal(t[3]->access,
                      "http://127.0.0.1:8890/sparql-graph-crud-auth");
  assert_string_equal(t[3]->graph, "urn:g");
  assert_string_equal(t[3]->user_var, "MY_USER");
  assert_string_equal(t[3]->password_var, "MY_PASS");
  for (unsigned i = 0; i < 4; i++)
    assert_int_equal(t[i]->index, i);
  const kg_triples_map *tm = map(f, "person");
  assert_int_equal(tm->subjects[0]->targets, 1u | 2u);
  assert_int_equal(tm->poms[0].predicates[0]->targets, 4u);
  assert_int_equal(tm->poms[0].objects[0].tm->targets, 8u);
  assert_int_equal(tm->poms[0].targets, 0u);
  assert_int_equal(tm->poms[1].objects[0].targets, 1u);
  assert_int_equal(tm->poms[2].targets, 8u);
  assert_int_equal(tm->poms[2].predicates[0]->targets, 0u);
  assert_int_equal(tm->graphs[0]->targets, 4u);
  assert_constant(tm->graphs[0], KG_TT_IRI, EX "g");
}

static void target_errors(void **state) {
  fixture *f = *state;
  fails_with(f,
             "targets: {t: out.nq}\n" PREAMBLE "mappings:\n"
             "  person:\n"
             "    s: {value: ex:$(id), targets: tt}\n",
             "m.yml:8:35: error: unknown target 'tt' (declare it under the "
             "top-level 'targets')");
  fails_with(f, "targets:\n  t: [dump.nq~void]\nmappings: {}\n",
             "m.yml:2:7: error: YARRRML target type 'void' is not supported "
             "yet (localfile, sparql)");
  fails_with(f, "targets:\n  t: [dump.jsonld, jsonld]\nmappings: {}\n",
             "m.yml:2:20: error: target serialization 'jsonld' is not "
             "supported (turtle, ntriples, nquads, trig)");
  fails_with(f, "targets:\n  t: [dump.nq, nquads, zip]\nmappings: {}\n",
             "m.yml:2:24: error: target compression 'zip' is not supported "
             "(none, gzip)");
  fails_with(f,
             "targets:\n  t: {access: 'http://h/s', type: sparql, "
             "password: x}\nmappings: {}\n",
             "m.yml:2:43: error: target 't': credentials are never read from "
             "the mapping: name the environment variables that hold them "
             "with 'userVariable' and 'passwordVariable'");
  fails_with(f, "targets:\n  t: http://h/data\nmappings: {}\n",
             "m.yml:2:6: error: target 't': 'http://h/data' is a URL: write "
             "'http://h/data~sparql' for a SPARQL Graph Store endpoint");
  fails_with(f, "targets:\n  t: [http://u:pw@h/gsp~sparql]\nmappings: {}\n",
             "m.yml:2:7: error: sparql target 't': credentials are never "
             "read from the mapping (not from the URL either): set them in "
             "the environment");
  fails_with(f, "targets:\n  t: [store~sparql]\nmappings: {}\n",
             "m.yml:2:7: error: sparql target 't': the access must be an "
             "http:// or https:// URL, not 'store'");
  fails_with(f, "targets:\n  a: x.nq\n  b: [x.nq, nquads]\nmappings: {}\n",
             "m.yml:3:3: error: target 'b' writes to the same place as "
             "target 'a' (at m.yml:2:3)");
  fails_with(f, "targets:\n  t: {access: x.nq, graph: urn:g}\nmappings: {}\n",
             "m.yml:2:28: error: 'graph' is for sparql targets ('t' is a "
             "local file)");
  fails_with(f,
             "targets: {t: out.nq}\n" PREAMBLE "mappings:\n"
             "  person:\n"
             "    s: {value: ex:$(id), targets: [[out2.nq~localfile]]}\n",
             "m.yml:8:36: error: 'targets' names targets declared under the "
             "top-level 'targets' (inline targets are not supported)");
}

static void join_to_unknown_mapping_is_placed(void **state) {
  fixture *f = *state;
  assert_int_equal(load(f, PREAMBLE "mappings:\n"
                                    "  person:\n"
                                    "    sources: people\n"
                                    "    po:\n"
                                    "      - [ex:p, {mapping: projet}]\n"),
                   KG_OK);
  assert_int_not_equal(kg_mapping_finish(f->m, &f->td.diag), KG_OK);
  assert_string_equal(f->td.last,
                      "m.yml:9:26: error: mapping 'person' joins to unknown "
                      "mapping 'projet'");
}

static void reads_a_file_relative_to_its_directory(void **state) {
  fixture *f = *state;
  char dir[] = "/tmp/kgmap-yarrrml-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/m.yml", dir);
  FILE *out = fopen(path, "w");
  assert_non_null(out);
  fputs("mappings:\n  x:\n    sources: [[d.json~jsonpath, $]]\n"
        "    s: http://ex.org/$(id)\n",
        out);
  fclose(out);
  assert_int_equal(kg_yarrrml_read(f->m, path, &f->td.diag), KG_OK);
  char want[300];
  snprintf(want, sizeof want, "%s/d.json", dir);
  assert_string_equal(map(f, "x")->source->path, want);
  assert_string_equal(map(f, "x")->pos.file, path);
  unlink(path);
  rmdir(dir);
  assert_int_not_equal(kg_yarrrml_read(f->m, path, &f->td.diag), KG_OK);
  assert_non_null(strstr(f->td.last, "m.yml"));
}

/* RML-Core (RMLTC0024a): a constant cannot be a blank node, in a subject
 * or an object; a template with a reference, or no value, can. */
static void constant_blank_nodes_are_errors(void **state) {
  fixture *f = *state;
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    s: {value: School, type: blanknode}\n",
             "m.yml:7:16: error: a blank node cannot be the constant 'School' "
             "(give 'value' a reference, or no 'value' for a new blank node "
             "per record)");
  fails_with(f,
             PREAMBLE "mappings:\n"
                      "  person:\n"
                      "    po:\n"
                      "      - [ex:p, {value: ex:b, type: blanknode}]\n",
             "m.yml:8:24: error: a blank node cannot be the constant "
             "'ex:b' (give 'value' a reference, or no 'value' for a new "
             "blank node per record)");
  kg_mapping_free(f->m);
  f->m = kg_mapping_new();
  assert_int_equal(load(f,
                        PREAMBLE "mappings:\n"
                                 "  person:\n"
                                 "    s: {value: 'p-$(id)', type: blanknode}\n"
                                 "    po:\n"
                                 "      - [ex:p, {type: blanknode}]\n"),
                   KG_OK);
  assert_int_equal(map(f, "person")->subjects[0]->kind, KG_TM_TEMPLATE);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(shortcuts_build_the_model),
      T(long_forms_build_the_same_model),
      T(several_predicates_and_objects),
      T(subjects_none_several_and_blank),
      T(sources_named_inline_and_several),
      T(joins_with_conditions),
      T(graphs_at_both_levels),
      T(externals_base_and_escapes),
      T(files_merge_and_keep_their_prefixes),
      T(unknown_keys_suggest),
      T(unknown_prefix),
      T(unsupported_features),
      T(bad_shapes),
      T(targets_declared_and_referenced),
      T(target_errors),
      T(join_to_unknown_mapping_is_placed),
      T(reads_a_file_relative_to_its_directory),
      T(constant_blank_nodes_are_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
