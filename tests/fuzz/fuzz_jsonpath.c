/* fuzz_jsonpath.c - libFuzzer target for JSONPath (jsonpath.c).
 *
 * Input: EXPRESSION [ NUL DOCUMENT ].  The expression is compiled as an
 * iterator (absolute) and as a reference (relative); each compiled path is
 * evaluated on every document of DOCUMENT (sniffed JSON or YAML), or on
 * the RFC 9535 example document when there is none.  Checked: a failed
 * compile has a message and an offset inside the expression; a singular
 * path selects at most one node; a visitor's non-zero return stops the
 * evaluation and is returned; an evaluation over budget says so
 * (KG_JSONPATH_TOO_LONG), and then again with the same budget. */
#include "fuzz.h"

#include "doc.h"
#include "jsonpath.h"

/* A budget small enough that an exponential path gives up in well under
 * libFuzzer's timeout (30 million steps take 16 s with the sanitizers). */
enum { MAX_DOCS = 8, STOP = 7, MAX_STEPS = 100000 };

/* RFC 9535 1.5, with a few more kinds of values. */
static const char example[] =
    "{\"store\": {\"book\": [\n"
    "  {\"category\": \"reference\", \"author\": \"Nigel Rees\",\n"
    "   \"title\": \"Sayings of the Century\", \"price\": 8.95},\n"
    "  {\"category\": \"fiction\", \"author\": \"Evelyn Waugh\",\n"
    "   \"title\": \"Sword of Honour\", \"price\": 12.99},\n"
    "  {\"category\": \"fiction\", \"author\": \"J. R. R. Tolkien\",\n"
    "   \"title\": \"The Lord of the Rings\", \"isbn\": \"0-395-19395-8\",\n"
    "   \"price\": 22.99}],\n"
    " \"bicycle\": {\"color\": \"red\", \"price\": 399}},\n"
    " \"a\": [3, 5, 1, 2, 4, 6, {\"b\": \"j\"}, {\"b\": \"k\"}, {\"b\": {}},\n"
    "       {\"b\": \"kilo\"}, null, true, false, [], [[1, [2]]], -0.5e3],\n"
    " \"o\": {\"p\": 1, \"q\": 2, \"r\": [5, 3], \"s\": {\"u\": 6}},\n"
    " \"\": \"empty\", \"a b\": \"space\", \"\\u00e9\": \"e acute\"}\n";

typedef struct count {
  size_t n, stop_at;
} count;

static int visit(void *h, const kg_node *node) {
  count *c = h;
  if (!node || !node->text || node->text[node->len] != '\0')
    fuzz_fail("a selected node without NUL-terminated text");
  return ++c->n == c->stop_at ? STOP : 0;
}

static void eval_on(const kg_jsonpath *p, const kg_node *root) {
  count all = {0, 0};
  const int all_rc = kg_jsonpath_eval_max(p, root, visit, &all, MAX_STEPS);
  if (all_rc == KG_JSONPATH_TOO_LONG) {
    count again = {0, 0};
    if (kg_jsonpath_eval_max(p, root, visit, &again, MAX_STEPS) !=
        KG_JSONPATH_TOO_LONG)
      fuzz_fail("an evaluation over budget once and not the second time");
    return;
  }
  if (all_rc != 0)
    fuzz_fail("eval returned non-zero without a visitor asking");
  if (kg_jsonpath_is_singular(p) && all.n > 1)
    fuzz_fail("a singular path selected several nodes");
  count first = {0, 1};
  const int rc = kg_jsonpath_eval_max(p, root, visit, &first, MAX_STEPS);
  if (rc != (all.n ? STOP : 0) || first.n != (all.n ? 1 : 0))
    fuzz_fail("a visitor's non-zero did not stop the evaluation");
}

static void eval_docs(const kg_jsonpath *p, const char *data, size_t len) {
  kg_doc_reader *r;
  kg_diag d = {0};
  if (kg_doc_reader_open_mem(&r, "fuzz", data, len, KG_DOC_AUTO, NULL, &d))
    return;
  const kg_doc *doc;
  for (size_t i = 0; i < MAX_DOCS && kg_doc_reader_next(r, &doc) == KG_OK; i++)
    eval_on(p, doc->root);
  kg_doc_reader_free(r);
}

/* The example, read once and kept for the whole run. */
static const kg_node *example_root(void) {
  static kg_doc_reader *r;
  static const kg_doc *doc;
  if (!r &&
      (kg_doc_reader_open_mem(&r, "example.json", example, sizeof example - 1,
                              KG_DOC_JSON, NULL, NULL) != KG_OK ||
       kg_doc_reader_next(r, &doc) != KG_OK))
    fuzz_fail("the example document does not load");
  return doc->root;
}

static void compile_and_eval(const fuzz_split *sp, bool relative) {
  kg_jsonpath *p;
  kg_jsonpath_error err = {.offset = (size_t)-1};
  const kg_status st =
      kg_jsonpath_compile(&p, sp->head, sp->head_len, relative, &err);
  if (st != KG_OK) {
    if (st != KG_ERR_SYNTAX && st != KG_ERR_LIMIT)
      fuzz_fail("compile failed with an unexpected status");
    if (!err.msg[0] || err.offset > sp->head_len)
      fuzz_fail("a compile error without a message or a valid offset");
    return;
  }
  if (!kg_jsonpath_text(p))
    fuzz_fail("a compiled path without its text");
  if (sp->tail)
    eval_docs(p, sp->tail, sp->tail_len);
  else
    eval_on(p, example_root());
  kg_jsonpath_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const fuzz_split sp = fuzz_split_nul(data, size);
  compile_and_eval(&sp, false);
  compile_and_eval(&sp, true);
  return 0;
}
