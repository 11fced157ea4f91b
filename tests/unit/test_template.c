/* Unit tests for template.c: RML {ref} and YARRRML $(ref) templates,
 * escapes, externals and errors. */
#include "testutil.h"

#include "template.h"

typedef struct fixture {
  kg_mapping *m;
  kg_term_map *tm;
  test_diag td;
} fixture;

static int setup(void **state) {
  static fixture f;
  f.m = kg_mapping_new();
  f.tm = kg_term_map_new(f.m, KG_TM_TEMPLATE, KG_TT_IRI,
                         &(kg_pos){"m.yml", 3, 7});
  test_diag_init(&f.td);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  kg_mapping_free(f->m);
  return 0;
}

static kg_status parse(fixture *f, const char *text, kg_tpl_syntax syn) {
  return kg_template_parse(f->m, f->tm, text, strlen(text), syn, &f->td.diag);
}

static void assert_part(const kg_tpl_part *p, bool is_ref, const char *text) {
  assert_int_equal(p->is_ref, is_ref);
  assert_int_equal(p->len, strlen(text));
  assert_memory_equal(p->text, text, p->len);
  assert_true(is_ref ? p->ref != NULL : p->ref == NULL);
}

static void rml_text_and_references(void **state) {
  fixture *f = *state;
  assert_int_equal(parse(f, "http://ex.com/{$.id}/x/{name}", KG_TPL_RML),
                   KG_OK);
  assert_int_equal(f->tm->kind, KG_TM_TEMPLATE);
  assert_int_equal(f->tm->nparts, 4);
  assert_part(&f->tm->parts[0], false, "http://ex.com/");
  assert_part(&f->tm->parts[1], true, "$.id");
  assert_part(&f->tm->parts[2], false, "/x/");
  assert_part(&f->tm->parts[3], true, "name");
}

static void rml_escapes(void **state) {
  fixture *f = *state;
  assert_int_equal(parse(f, "a\\{b\\}c\\\\{x}", KG_TPL_RML), KG_OK);
  assert_int_equal(f->tm->nparts, 2);
  assert_part(&f->tm->parts[0], false, "a{b}c\\");
  assert_part(&f->tm->parts[1], true, "x");
}

/* RMLTC0023f: escapes inside the braces belong to the field name. */
static void rml_escapes_inside_reference(void **state) {
  fixture *f = *state;
  assert_int_equal(parse(f, "x/{$['\\{Name\\}']}", KG_TPL_RML), KG_OK);
  assert_int_equal(f->tm->nparts, 2);
  assert_part(&f->tm->parts[1], true, "$['{Name}']");
}

static void rml_errors(void **state) {
  fixture *f = *state;
  assert_int_not_equal(parse(f, "http://ex.com/{id", KG_TPL_RML), KG_OK);
  assert_string_equal(f->td.last, "m.yml:3:7: error: unterminated '{' in "
                                  "template 'http://ex.com/{id'");
  assert_int_not_equal(parse(f, "a}b", KG_TPL_RML), KG_OK);
  assert_non_null(strstr(f->td.last, "unbalanced '}'"));
  assert_int_not_equal(parse(f, "a{}b", KG_TPL_RML), KG_OK);
  assert_non_null(strstr(f->td.last, "empty reference"));
  assert_int_not_equal(parse(f, "a\\qb", KG_TPL_RML), KG_OK);
  assert_non_null(strstr(f->td.last, "invalid escape"));
}

static void yarrrml_references_nest(void **state) {
  fixture *f = *state;
  assert_int_equal(parse(f, "ex:p/$(items[?(@.a == ')')].b)/$(id)",
                         KG_TPL_YARRRML),
                   KG_OK);
  assert_int_equal(f->tm->nparts, 4);
  assert_part(&f->tm->parts[0], false, "ex:p/");
  assert_part(&f->tm->parts[1], true, "items[?(@.a == ')')].b");
  assert_part(&f->tm->parts[3], true, "id");
}

static void yarrrml_escape_and_externals(void **state) {
  fixture *f = *state;
  static const char *const ext[] = {"run=2024-01", "who=me", "bad=a\xff"};
  f->m->externals = ext;
  f->m->nexternals = 3;
  assert_int_equal(parse(f, "cost \\$(x) $(_run)-$(_who)", KG_TPL_YARRRML),
                   KG_OK);
  assert_int_equal(f->tm->nparts, 1);
  assert_part(&f->tm->parts[0], false, "cost $(x) 2024-01-me");
  assert_int_not_equal(parse(f, "$(_missing)", KG_TPL_YARRRML), KG_OK);
  assert_non_null(strstr(f->td.last, "-e missing=VALUE"));
  assert_int_equal(parse(f, "ex:$(\\_id)", KG_TPL_YARRRML), KG_OK);
  assert_int_equal(f->tm->nparts, 2);
  assert_part(&f->tm->parts[1], true, "_id"); /* a field, not an external */
  assert_int_not_equal(parse(f, "ex:$(id", KG_TPL_YARRRML), KG_OK);
  assert_non_null(strstr(f->td.last, "unterminated '$('"));
  assert_int_equal(parse(f, "ex:$(_bad)", KG_TPL_YARRRML), KG_ERR_MAPPING);
  assert_string_equal(f->td.last, "m.yml:3:7: error: the value of external "
                                  "reference '$(_bad)' is not valid UTF-8");
}

static void invalid_jsonpath_is_reported(void **state) {
  fixture *f = *state;
  assert_int_not_equal(parse(f, "x/{$.students[*]]}", KG_TPL_RML), KG_OK);
  assert_non_null(strstr(f->td.last, "invalid JSONPath '$.students[*]]'"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(rml_text_and_references, setup, teardown),
      cmocka_unit_test_setup_teardown(rml_escapes, setup, teardown),
      cmocka_unit_test_setup_teardown(rml_escapes_inside_reference, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(rml_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(yarrrml_references_nest, setup, teardown),
      cmocka_unit_test_setup_teardown(yarrrml_escape_and_externals, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(invalid_jsonpath_is_reported, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
