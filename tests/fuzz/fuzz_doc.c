/* fuzz_doc.c - libFuzzer target for the document reader (doc.c).
 *
 * The input is read as YAML, JSON, JSON Lines and sniffed (KG_DOC_AUTO),
 * each document to the end of the stream.  Every tree is walked and its
 * invariants checked (doc.h): scalars NUL-terminated at len, containers
 * with empty text, map keys scalars without duplicates, positions 1-based.
 * The walk has a budget because an alias makes the tree a DAG. */
#include "fuzz.h"

#include "doc.h"

enum { WALK_BUDGET = 100000, MAX_DOCS = 64, KEY_CHECK = 64 };

static bool is_scalar(const kg_node *n) {
  return n->kind != KG_NODE_SEQ && n->kind != KG_NODE_MAP;
}

static void check_keys(const kg_node *n) {
  if (n->n > KEY_CHECK)
    return;
  for (size_t i = 0; i < n->n; i++) {
    const kg_node *k = n->keys[i];
    if (!k || !is_scalar(k))
      fuzz_fail("a map key that is not a scalar");
    for (size_t j = 0; j < i; j++)
      if (n->keys[j]->len == k->len &&
          memcmp(n->keys[j]->text, k->text, k->len) == 0)
        fuzz_fail("a duplicate key was accepted");
  }
}

static void walk(const kg_node *n, size_t *budget) {
  if (*budget == 0)
    return;
  --*budget;
  if (!n || !n->text || n->text[n->len] != '\0')
    fuzz_fail("a node without NUL-terminated text");
  if (n->line == 0 || n->col == 0)
    fuzz_fail("a node without a 1-based position");
  if (is_scalar(n)) {
    if (n->n != 0)
      fuzz_fail("a scalar with items");
    return;
  }
  if (n->len != 0 || (n->n > 0 && !n->items))
    fuzz_fail("a malformed container");
  if (n->kind == KG_NODE_MAP) {
    check_keys(n);
    for (size_t i = 0; i < n->n; i++)
      walk(n->keys[i], budget);
  }
  for (size_t i = 0; i < n->n; i++)
    walk(n->items[i], budget);
}

static void read_all(const char *data, size_t size, const char *name,
                     kg_doc_format fmt) {
  fuzz_diag fd;
  fuzz_diag_init(&fd);
  kg_doc_reader *r;
  kg_status st =
      kg_doc_reader_open_mem(&r, name, data, size, fmt, NULL, &fd.diag);
  if (st != KG_OK) {
    fuzz_check_status(&fd, st);
    return;
  }
  const kg_doc *doc;
  size_t ndocs = 0;
  while (ndocs < MAX_DOCS && (st = kg_doc_reader_next(r, &doc)) == KG_OK) {
    size_t budget = WALK_BUDGET;
    if (!doc->root || doc->index != ndocs++)
      fuzz_fail("a document without a root or out of order");
    walk(doc->root, &budget);
  }
  fuzz_check_status(&fd, st);
  if (st != KG_OK) {
    const unsigned errors = fd.diag.errors;
    if (kg_doc_reader_next(r, &doc) != st || fd.diag.errors != errors)
      fuzz_fail("the reader did not repeat its final status silently");
  }
  kg_doc_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  read_all(s, size, "fuzz.yml", KG_DOC_YAML);
  read_all(s, size, "fuzz.json", KG_DOC_JSON);
  read_all(s, size, "fuzz.jsonl", KG_DOC_JSONL);
  read_all(s, size, "fuzz", KG_DOC_AUTO);
  return 0;
}
