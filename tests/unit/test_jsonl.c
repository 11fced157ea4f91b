/* Unit tests for jsonl.c, the fast path of the JSON Lines reader: every
 * line gives the same tree (kinds, quoted flags, positions, text) or the
 * same error, the same status and the same number of documents, with the
 * fast path as with libyaml alone (kg_doc_limits.slow_jsonl). */
#include "testutil.h"

#include <stdlib.h>

#include "arena.h"
#include "doc.h"
#include "jsonl.h"

/* Everything a node holds, positions included. */
static void dump(kg_buf *b, const kg_node *n) {
  kg_buf_printf(b, "<%d%c%u:%u:%zu:", (int)n->kind, n->quoted ? 'q' : 'p',
                n->line, n->col, n->len);
  kg_buf_append(b, n->text, n->len);
  for (size_t i = 0; i < n->n; i++) {
    if (n->kind == KG_NODE_MAP)
      dump(b, n->keys[i]);
    dump(b, n->items[i]);
  }
  kg_buf_putc(b, '>');
}

/* Read text as JSON Lines; the dumps, the status and the messages. */
static void read_text(const char *text, size_t len, bool slow, kg_buf *out) {
  test_diag td;
  test_diag_init(&td);
  kg_doc_limits lim = {.slow_jsonl = slow};
  kg_doc_reader *r = NULL;
  kg_status st = kg_doc_reader_open_mem(&r, "t.jsonl", text, len, KG_DOC_JSONL,
                                        &lim, &td.diag);
  const kg_doc *doc;
  while (st == KG_OK && (st = kg_doc_reader_next(r, &doc)) == KG_OK) {
    dump(out, doc->root);
    kg_buf_putc(out, '\n');
  }
  kg_buf_printf(out, "status %d\n%s", (int)st, td.all);
  kg_doc_reader_free(r);
}

static void same_both_ways(const char *text, size_t len) {
  kg_buf fast = {0}, slow = {0};
  read_text(text, len, false, &fast);
  read_text(text, len, true, &slow);
  if (strcmp(kg_buf_cstr(&fast), kg_buf_cstr(&slow)) != 0)
    fail_msg("fast:\n%s\nslow:\n%s", fast.data, slow.data);
  kg_buf_free(&fast);
  kg_buf_free(&slow);
}

#define SAME(lit) same_both_ways(lit, sizeof(lit) - 1)

static void values_and_positions(void **state) {
  SAME("{\"a\": 1, \"b\": -0.5e+3, \"c\": [true, false, null], \"d\": {}}\n"
       "[]\n\n  [ 1 ,\t2 ]  \n{\"x\": {\"y\": [[], {}, [\"z\"]]}}\n");
  SAME("{\"n\": 0, \"m\": -0, \"f\": 1E5, \"g\": 10.25}\n");
}

static void strings(void **state) {
  SAME("{\"e\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}\n");
  SAME("{\"u\": \"\\u00e9\\u0041\\u0000x\", \"s\": \"\\ud83d\\ude00!\"}\n");
  SAME("{\"é\": \"déjà « vu » \xf0\x9f\x98\x80\", \"after\": \"x\"}\n");
  SAME("{\"k\": \"a\\u2028b\", \"t\": \"tab\there\"}\n");
}

/* Lines the fast path declines: the slow path's error, or its tree. */
static void declined_lines(void **state) {
  SAME("{\"a\": 1, \"a\": 2}\n");              /* duplicate key */
  SAME("{\"a\": 1}\n{\"b\": }\n{\"c\": 3}\n"); /* syntax error on line 2 */
  SAME("{\"a\": 'x'}\n");
  SAME("{\"a\": 01}\n");
  SAME("{\"a\": \"\\ud800\"}\n");
  SAME("{\"a\": \"\\x\"}\n");
  SAME("{\"a\": \"raw \x01 control\"}\n");
  SAME("{\"a\": \"\xc2\x85 NEL\"}\n");
  SAME("{\"a\": \"bad \xc3\"}\n");
  SAME("\xef\xbb\xbf{\"bom\": true}\n");
  SAME("{\"a\": 1} {\"b\": 2}\n");
  SAME("{\"a\": tru}\n");
  SAME("[1, 2,]\n");
}

static void big_and_deep(void **state) {
  kg_buf b = {0};
  kg_buf_putc(&b, '{');
  for (int i = 0; i < 40; i++)
    kg_buf_printf(&b, "%s\"k%d\": %d", i ? ", " : "", i, i);
  kg_buf_puts(&b, "}\n");
  for (int i = 0; i < 300; i++)
    kg_buf_putc(&b, '[');
  for (int i = 0; i < 300; i++)
    kg_buf_putc(&b, ']');
  kg_buf_putc(&b, '\n');
  same_both_ways(b.data, b.len);
  kg_buf_free(&b);
}

/* The fast path does decline: a line that libyaml would refuse is never
 * accepted by it. */
static void fast_path_declines(void **state) {
  kg_arena *a = kg_arena_new();
  kg_jsonl_scratch s = {0};
  const kg_node *root;
  static const char *const bad[] = {
      "{\"a\": 1, \"a\": 2}", "[1,]", "'x'", "{\"a\" 1}",
      "\xef\xbb\xbf[]",       "[1] 2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_false(
        kg_jsonl_parse(a, &s, bad[i], strlen(bad[i]), 1, 1 << 20, &root));
  assert_true(kg_jsonl_parse(a, &s, "[1]", 3, 1, 1 << 20, &root));
  assert_false(kg_jsonl_parse(a, &s, "[\"abcdef\"]", 10, 1, 3, &root));
  kg_jsonl_scratch_free(&s);
  kg_arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(values_and_positions), cmocka_unit_test(strings),
      cmocka_unit_test(declined_lines),       cmocka_unit_test(big_and_deep),
      cmocka_unit_test(fast_path_declines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
