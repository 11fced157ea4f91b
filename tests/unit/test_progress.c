/* Unit tests for progress.c: the progress line (grouping, rate, elapsed
 * time, how often it is due) and the -v summary. */
#include "testutil.h"

#include "mapping.h"
#include "progress.h"

static void line_format(void **state) {
  kg_progress p;
  kg_progress_start(&p, 100.0, 0.25);
  const kg_eval_stats s = {.records = 1234567, .statements = 9000000};
  char line[256];
  kg_progress_format(&p, &s, 102.5, line, sizeof line);
  assert_string_equal(line, "kgmap: 1,234,567 records, 9,000,000 triples, "
                            "3,600,000 triples/s, 2.5 s");
  const kg_eval_stats small = {.records = 7, .statements = 999};
  kg_progress_format(&p, &small, 100.0, line, sizeof line);
  assert_string_equal(line, "kgmap: 7 records, 999 triples, 0 triples/s, "
                            "0.0 s");
}

static void due_at_most_every_interval(void **state) {
  kg_progress p;
  kg_progress_start(&p, 10.0, 0.25);
  const kg_eval_stats s = {.records = 1, .statements = 1};
  char line[256];
  assert_false(kg_progress_due(&p, &s, 10.1, line, sizeof line));
  assert_true(kg_progress_due(&p, &s, 10.3, line, sizeof line));
  assert_false(kg_progress_due(&p, &s, 10.5, line, sizeof line));
  assert_true(kg_progress_due(&p, &s, 10.56, line, sizeof line));
  assert_non_null(strstr(line, "0.6 s"));
}

static void summary(void **state) {
  kg_triples_map a = {.name = "person"}, b = {.name = "event"},
                 c = {.name = "place"};
  kg_triples_map *maps[] = {&a, &b, &c};
  kg_mapping m = {.maps = maps, .nmaps = 3};
  const size_t written[] = {1200, 0, 35}, skipped[] = {0, 2, 0};
  const kg_eval_stats s = {
      .documents = 1, .records = 1321, .statements = 1235, .no_subject = 2};
  kg_buf b0 = {0};
  kg_progress_summary(&b0, &m, &s, written, skipped);
  assert_string_equal(kg_buf_cstr(&b0),
                      "kgmap: 1 document, 1,321 records, 1,235 triples "
                      "(person 1,200, place 35); skipped 2 records without "
                      "a subject, a null or missing value in the subject map "
                      "(event 2)");
  kg_buf_reset(&b0);
  const kg_eval_stats none = {.documents = 2, .records = 1, .statements = 1};
  kg_progress_summary(&b0, &m, &none, NULL, NULL);
  assert_string_equal(kg_buf_cstr(&b0), "kgmap: 2 documents, 1 record, 1 "
                                        "triple; no record skipped");
  kg_buf_free(&b0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(line_format),
      cmocka_unit_test(due_at_most_every_interval),
      cmocka_unit_test(summary),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
