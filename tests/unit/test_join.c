/* Unit tests for join.c and the arena: the hash index keeps insertion
 * order, separates keys, drops a repeated term under one key, and grows. */
#include "testutil.h"

#include <stdlib.h>

#include "arena.h"
#include "join.h"

typedef struct seen {
  char buf[256];
} seen;

static kg_status record(void *h, const kg_term *t) {
  seen *s = h;
  strncat(s->buf, t->value, sizeof s->buf - strlen(s->buf) - 2);
  strcat(s->buf, ";");
  return KG_OK;
}

static kg_term iri(const char *s) {
  return (kg_term){KG_TERM_IRI, s, strlen(s), NULL, NULL, false};
}

static void finds_terms_by_key_in_order(void **state) {
  (void)state;
  kg_join_index *ix = kg_join_index_new();
  kg_term a = iri("http://e/a"), b = iri("http://e/b"), c = iri("http://e/c");
  kg_join_index_add(ix, "k1", 2, &a);
  kg_join_index_add(ix, "k2", 2, &c);
  kg_join_index_add(ix, "k1", 2, &b);
  kg_join_index_add(ix, "k1", 2, &a); /* repeated: kept once */
  seen s = {""};
  assert_int_equal(kg_join_index_find(ix, "k1", 2, record, &s), KG_OK);
  assert_string_equal(s.buf, "http://e/a;http://e/b;");
  s.buf[0] = '\0';
  kg_join_index_find(ix, "k3", 2, record, &s);
  assert_string_equal(s.buf, "");
  assert_int_equal(kg_join_index_terms(ix), 3);
  kg_join_index_free(ix);
  kg_join_index_free(NULL);
}

static void keys_are_binary_and_length_exact(void **state) {
  (void)state;
  kg_join_index *ix = kg_join_index_new();
  kg_term a = iri("http://e/a"), b = iri("http://e/b");
  kg_join_index_add(ix, "a\0b", 3, &a);
  kg_join_index_add(ix, "a", 1, &b);
  seen s = {""};
  kg_join_index_find(ix, "a\0b", 3, record, &s);
  assert_string_equal(s.buf, "http://e/a;");
  kg_join_index_free(ix);
}

static void grows_past_many_keys(void **state) {
  (void)state;
  kg_join_index *ix = kg_join_index_new();
  char key[32], val[64];
  for (int i = 0; i < 5000; i++) {
    snprintf(key, sizeof key, "key%d", i);
    snprintf(val, sizeof val, "http://e/%d", i);
    kg_term t = iri(val);
    kg_join_index_add(ix, key, strlen(key), &t);
  }
  seen s = {""};
  kg_join_index_find(ix, "key4321", 7, record, &s);
  assert_string_equal(s.buf, "http://e/4321;");
  assert_int_equal(kg_join_index_terms(ix), 5000);
  kg_join_index_free(ix);
}

static void arena_push_grows_and_zeroes(void **state) {
  (void)state;
  kg_arena *a = kg_arena_new();
  int *arr = NULL;
  size_t n = 0;
  for (int i = 0; i < 1000; i++) {
    int *p = kg_arena_push(a, &arr, &n, sizeof *arr);
    assert_int_equal(*p, 0);
    *p = i;
  }
  assert_int_equal(n, 1000);
  for (int i = 0; i < 1000; i++)
    assert_int_equal(arr[i], i);
  char *big = kg_arena_alloc(a, 1 << 20); /* larger than a block */
  big[(1 << 20) - 1] = 'x';
  assert_string_equal(kg_arena_printf(a, "%s-%d", "x", 7), "x-7");
  kg_arena_reset(a);
  assert_int_equal(kg_arena_used(a), 0);
  kg_arena_free(a);
  kg_arena_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(finds_terms_by_key_in_order),
      cmocka_unit_test(keys_are_binary_and_length_exact),
      cmocka_unit_test(grows_past_many_keys),
      cmocka_unit_test(arena_push_grows_and_zeroes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
