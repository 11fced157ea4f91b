/* Unit tests for window.c: grouping by graph and subject, the order kept
 * when nothing is scattered, the size limit, and a sink's error. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "window.h"

static kg_term t(const char *s) {
  return (kg_term){KG_TERM_IRI, s, strlen(s), NULL, NULL, false};
}
static kg_term lit(const char *s, const char *lang) {
  return (kg_term){KG_TERM_LITERAL, s, strlen(s), NULL, lang, false};
}

/* A sink that writes "s p o g;" lines into a buffer; fails at the
 * fail_at-th statement (1-based) if set. */
typedef struct rec {
  char text[4096];
  size_t n, fail_at;
} rec;

static kg_status record(void *h, const kg_term *s, const kg_term *p,
                        const kg_term *o, const kg_term *g) {
  rec *r = h;
  if (++r->n == r->fail_at)
    return KG_ERR_IO;
  const size_t len = strlen(r->text);
  snprintf(r->text + len, sizeof r->text - len, "%s %s %s%s%s %s\n", s->value,
           p->value, o->value, o->language ? "@" : "",
           o->language ? o->language : "", g ? g->value : "-");
  return KG_OK;
}

static void add(kg_window *w, const char *s, const char *p, kg_term o,
                const char *g) {
  const kg_term ts = t(s), tp = t(p), tg = g ? t(g) : (kg_term){0};
  assert_int_equal(kg_window_statement(w, &ts, &tp, &o, g ? &tg : NULL), KG_OK);
}

static void groups_in_first_arrival_order(void **state) {
  (void)state;
  rec r = {0};
  kg_window *w = kg_window_new(1 << 20, record, &r);
  add(w, "b", "p", t("1"), NULL);
  add(w, "a", "p", t("2"), "g");
  add(w, "b", "q", t("3"), NULL);
  add(w, "c", "p", t("4"), NULL);
  add(w, "a", "q", t("5"), NULL);
  add(w, "a", "p", t("6"), "g");
  add(w, "b", "p", t("1"), NULL); /* a duplicate is not dropped */
  add(w, "b", "p", lit("1", "en"), NULL);
  add(w, "a", "p", t("2"), "h"); /* another graph, another group */
  assert_string_equal(r.text, ""); /* nothing before the flush */
  assert_int_equal(kg_window_flush(w), KG_OK);
  assert_string_equal(r.text, "b p 1 -\n"
                              "b q 3 -\n"
                              "b p 1 -\n"
                              "b p 1@en -\n"
                              "c p 4 -\n"
                              "a q 5 -\n"
                              "a p 2 g\n"
                              "a p 6 g\n"
                              "a p 2 h\n");
  /* the window is empty after a flush */
  r.text[0] = 0;
  assert_int_equal(kg_window_flush(w), KG_OK);
  assert_string_equal(r.text, "");
  kg_window_free(w);
}

/* Groups that came together go on as they came, graphs included. */
static void order_kept(void **state) {
  (void)state;
  rec r = {0};
  kg_window *w = kg_window_new(1 << 20, record, &r);
  add(w, "z", "p", t("1"), "g");
  add(w, "z", "q", t("2"), "g");
  add(w, "y", "p", t("3"), "g");
  add(w, "x", "p", t("4"), NULL);
  add(w, "x", "q", t("5"), NULL);
  assert_int_equal(kg_window_flush(w), KG_OK);
  assert_string_equal(r.text, "z p 1 g\nz q 2 g\ny p 3 g\nx p 4 -\nx q 5 -\n");
  kg_window_free(w);
}

/* A graph that comes back is gathered, even when its subjects do not
 * repeat. */
static void graph_gathered(void **state) {
  (void)state;
  rec r = {0};
  kg_window *w = kg_window_new(1 << 20, record, &r);
  add(w, "a", "p", t("1"), "g");
  add(w, "b", "p", t("2"), NULL);
  add(w, "c", "p", t("3"), "g");
  assert_int_equal(kg_window_flush(w), KG_OK);
  assert_string_equal(r.text, "a p 1 g\nc p 3 g\nb p 2 -\n");
  kg_window_free(w);
}

/* A small window hands on when full: a subject then spans two windows. */
static void limit_flushes_early(void **state) {
  (void)state;
  rec r = {0};
  kg_window *w = kg_window_new(1, record, &r);
  add(w, "a", "p", t("1"), NULL);
  add(w, "b", "p", t("2"), NULL);
  add(w, "a", "p", t("3"), NULL);
  assert_string_equal(r.text, "a p 1 -\nb p 2 -\na p 3 -\n");
  assert_int_equal(kg_window_flush(w), KG_OK);
  kg_window_free(w);
}

/* The sink's first error is returned and stops the flush. */
static void sink_error_stops(void **state) {
  (void)state;
  rec r = {.fail_at = 2};
  kg_window *w = kg_window_new(1 << 20, record, &r);
  add(w, "a", "p", t("1"), NULL);
  add(w, "a", "p", t("2"), NULL);
  add(w, "a", "p", t("3"), NULL);
  assert_int_equal(kg_window_flush(w), KG_ERR_IO);
  assert_int_equal(r.n, 2);
  assert_string_equal(r.text, "a p 1 -\n");
  kg_window_free(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(groups_in_first_arrival_order),
      cmocka_unit_test(order_kept),
      cmocka_unit_test(graph_gathered),
      cmocka_unit_test(limit_flushes_early),
      cmocka_unit_test(sink_error_stops),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
