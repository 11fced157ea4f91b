/* Unit tests for doc.c: JSON, JSON Lines and YAML into kg_node trees,
 * positions, scalar kinds, limits and error messages.  Run from the
 * repository root (test data in tests/data/doc/). */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "doc.h"

#define DATA "tests/data/doc/"

/* --- helpers ------------------------------------------------------------ */

static void dump_text(kg_buf *b, const kg_node *n) {
  for (size_t i = 0; i < n->len; i++) {
    if (n->text[i] == '\0')
      kg_buf_puts(b, "\\0");
    else
      kg_buf_putc(b, n->text[i]);
  }
}

/* A compact rendering of a tree: N null, B:/I:/F: bool/int/float, s: plain
 * string, S: quoted string, [..] sequences, {k=v,..} maps. */
static void dump(kg_buf *b, const kg_node *n) {
  static const char *const tags[] = {"N", "B:", "I:", "F:", "s:"};
  if (n->kind == KG_NODE_SEQ || n->kind == KG_NODE_MAP) {
    const bool map = n->kind == KG_NODE_MAP;
    kg_buf_putc(b, map ? '{' : '[');
    for (size_t i = 0; i < n->n; i++) {
      if (i)
        kg_buf_putc(b, ',');
      if (map) {
        dump_text(b, n->keys[i]);
        kg_buf_putc(b, '=');
      }
      dump(b, n->items[i]);
    }
    kg_buf_putc(b, map ? '}' : ']');
    return;
  }
  if (n->kind == KG_NODE_NULL) {
    kg_buf_puts(b, "N");
    return;
  }
  kg_buf_puts(b, n->kind == KG_NODE_STRING && n->quoted ? "S:" : tags[n->kind]);
  dump_text(b, n);
}

typedef struct run {
  kg_status st;   /* the status that ended the reading */
  size_t docs;    /* documents read */
  char out[4096]; /* the documents' dumps, separated by " | " */
  test_diag diag;
} run;

static void read_all(run *rn, kg_doc_reader *r) {
  kg_buf b = {0};
  const kg_doc *doc;
  while ((rn->st = kg_doc_reader_next(r, &doc)) == KG_OK) {
    assert_non_null(doc);
    assert_int_equal(doc->index, rn->docs);
    if (rn->docs++)
      kg_buf_puts(&b, " | ");
    dump(&b, doc->root);
  }
  assert_null(doc);
  snprintf(rn->out, sizeof rn->out, "%s", kg_buf_cstr(&b));
  kg_buf_free(&b);
  /* After the end or an error, the same status again, without a new
   * message. */
  const unsigned errors = rn->diag.diag.errors;
  assert_int_equal(kg_doc_reader_next(r, &doc), rn->st);
  assert_int_equal(rn->diag.diag.errors, errors);
}

static run *read_mem_lim(const char *data, size_t len, kg_doc_format fmt,
                         const kg_doc_limits *lim) {
  run *rn = calloc(1, sizeof *rn);
  test_diag_init(&rn->diag);
  kg_doc_reader *r = NULL;
  rn->st =
      kg_doc_reader_open_mem(&r, "in", data, len, fmt, lim, &rn->diag.diag);
  if (rn->st == KG_OK)
    read_all(rn, r);
  kg_doc_reader_free(r);
  return rn;
}

static run *read_mem(const char *data, kg_doc_format fmt) {
  return read_mem_lim(data, strlen(data), fmt, NULL);
}

static run *read_file(const char *path, kg_doc_format fmt) {
  run *rn = calloc(1, sizeof *rn);
  test_diag_init(&rn->diag);
  kg_doc_reader *r = NULL;
  rn->st = kg_doc_reader_open(&r, path, fmt, NULL, &rn->diag.diag);
  if (rn->st == KG_OK)
    read_all(rn, r);
  else
    assert_null(r);
  kg_doc_reader_free(r);
  return rn;
}

/* Read data as fmt and compare the dump of its documents. */
static void check_ok(const char *data, kg_doc_format fmt, const char *want) {
  run *rn = read_mem(data, fmt);
  if (rn->st != KG_DONE)
    fail_msg("%s: %s", data, rn->diag.last);
  assert_string_equal(rn->out, want);
  assert_int_equal(rn->diag.diag.errors, 0);
  free(rn);
}

/* Read data as fmt and compare the one error message. */
static void check_err_len(const char *data, size_t len, kg_doc_format fmt,
                          kg_status st, const char *want) {
  run *rn = read_mem_lim(data, len, fmt, NULL);
  assert_int_equal(rn->st, st);
  assert_string_equal(rn->diag.last, want);
  assert_int_equal(rn->diag.diag.errors, 1);
  free(rn);
}

static void check_err(const char *data, kg_doc_format fmt, kg_status st,
                      const char *want) {
  check_err_len(data, strlen(data), fmt, st, want);
}

/* --- JSON ---------------------------------------------------------------- */

static void json_object_kinds_and_positions(void **state) {
  (void)state;
  static const char text[] = "{\"a\": 1, \"b\": [true, null, 1.5e3, \"x\"],\n"
                             " \"c\": {\"d\": -0.5, \"e\": false}}";
  check_ok(text, KG_DOC_JSON,
           "{a=I:1,b=[B:true,N,F:1.5e3,S:x],c={d=F:-0.5,e=B:false}}");

  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  assert_int_equal(kg_doc_reader_open_mem(&r, "x.json", text, strlen(text),
                                          KG_DOC_JSON, NULL, &t.diag),
                   KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  assert_string_equal(doc->file, "x.json");
  const kg_node *root = doc->root;
  assert_int_equal(root->kind, KG_NODE_MAP);
  assert_int_equal(root->n, 3);
  assert_int_equal(root->line, 1);
  assert_int_equal(root->col, 1);
  assert_int_equal(root->keys[1]->line, 1);
  assert_int_equal(root->keys[1]->col, 10);
  const kg_node *b = kg_node_get(root, "b");
  assert_int_equal(b->kind, KG_NODE_SEQ);
  assert_int_equal(b->col, 15);
  assert_int_equal(b->items[3]->kind, KG_NODE_STRING);
  assert_true(b->items[3]->quoted);
  assert_int_equal(b->items[3]->col, 35);
  const kg_node *d = kg_node_get(kg_node_get(root, "c"), "d");
  assert_int_equal(d->kind, KG_NODE_FLOAT);
  assert_false(d->quoted);
  assert_string_equal(d->text, "-0.5");
  assert_int_equal(d->line, 2);
  assert_int_equal(d->col, 13);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_DONE);
  kg_doc_reader_free(r);
}

static void json_top_level_scalars(void **state) {
  (void)state;
  check_ok("42", KG_DOC_JSON, "I:42");
  check_ok(" \"42\" ", KG_DOC_JSON, "S:42");
  check_ok("null\n", KG_DOC_JSON, "N");
  check_ok("-1.25E-3", KG_DOC_JSON, "F:-1.25E-3");
  check_ok("[]", KG_DOC_JSON, "[]");
  check_ok("{}", KG_DOC_JSON, "{}");
  check_ok("[[[]],{}]", KG_DOC_JSON, "[[[]],{}]");
  check_err("", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:1: error: invalid JSON: expected a value, found end of "
            "input");
}

static void json_strict_syntax(void **state) {
  (void)state;
  check_err("{\"a\": 1,}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:8: error: invalid JSON: trailing comma");
  check_err("[1, 2,]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:6: error: invalid JSON: trailing comma");
  check_err("{'a': 1}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: strings need double quotes");
  check_err("{a: 1}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: expected a string key, found 'a'");
  check_err("[hello]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: 'hello' is not a JSON value "
            "(strings need double quotes)");
  check_err("[True]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: 'True' is not a JSON value "
            "(strings need double quotes)");
  check_err("[01]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: '01' is not a JSON number");
  check_err("[.5]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: '.5' is not a JSON number");
  check_err("{\"a\"}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:5: error: invalid JSON: expected ':' after the key, found "
            "'}'");
  check_err(
      "{\"a\": \"x\" \"b\": 2}", KG_DOC_JSON, KG_ERR_SYNTAX,
      "in:1:11: error: invalid JSON: expected ',' or '}', found a string");
  /* libyaml reads `1 "b"` as one plain scalar */
  check_err("{\"a\": 1 \"b\": 2}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:7: error: invalid JSON: '1 \"b\"' is not a JSON number");
  check_err("[1 2]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: '1 2' is not a JSON number");
  check_err("{\"a\": 1} {}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:10: error: invalid JSON: expected end of input after the "
            "value, found '{'");
  check_err("# note\n1", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:1: error: invalid JSON: comments are not allowed");
  check_err("[\"\\x41\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:3: error: invalid JSON: invalid escape '\\x'");
  check_err("[\"a\tb\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:4: error: invalid JSON: unescaped control character U+0009 "
            "in string");
  check_err("[\"\\u12\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:3: error: invalid JSON: \\u needs four hex digits");
  check_err("--- 1", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:1: error: invalid JSON: expected a value, found '---'");
  check_err("&a [1]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:1: error: invalid JSON: unexpected character '&'");
  check_err("[\"a\": 1]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:2: error: invalid JSON: expected a value, found a key");
}

static void json_truncated(void **state) {
  (void)state;
  check_err("{\"a\": [1, 2", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:12: error: invalid JSON: expected ',' or ']', found end "
            "of input");
  check_err("{\"a\": \n", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:2:1: error: invalid JSON: expected a value, found end of "
            "input");
  check_err("{\"a\": \"xy", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:7: error: invalid JSON: unterminated string");
}

/* JSON that libyaml's YAML parser reads wrongly or not at all. */
static void json_libyaml_quirks(void **state) {
  (void)state;
  check_ok("{\"a\":1,\"b\":[2]}", KG_DOC_JSON, "{a=I:1,b=[I:2]}");
  check_ok("[\"a\\/b\", \"\\\"\\\\\\b\\f\\n\\r\\t\"]", KG_DOC_JSON,
           "[S:a/b,S:\"\\\b\f\n\r\t]");
  check_ok("\t{\n\t\"a\":\t[\t1\t]\n}\t", KG_DOC_JSON, "{a=[I:1]}");
  check_ok("{\"a\"\n  : 1}", KG_DOC_JSON, "{a=I:1}");
  check_ok("\xEF\xBB\xBF[1]", KG_DOC_JSON, "[I:1]");

  /* A key longer than 1024 characters (libyaml's simple-key limit). */
  kg_buf b = {0}, want = {0};
  kg_buf_puts(&b, "{\"");
  kg_buf_puts(&want, "{");
  for (int i = 0; i < 2000; i++) {
    kg_buf_putc(&b, 'k');
    kg_buf_putc(&want, 'k');
  }
  kg_buf_puts(&b, "\": 1}");
  kg_buf_puts(&want, "=I:1}");
  check_ok(b.data, KG_DOC_JSON, want.data);
  kg_buf_free(&b);
  kg_buf_free(&want);

  /* Raw NEL, LS and PS in strings are kept (libyaml folds a NEL into a
   * space) and do not count as line breaks. */
  check_ok("[\"a\xC2\x85"
           "b\", \"c\xE2\x80\xA8"
           "d\xE2\x80\xA9\"]",
           KG_DOC_JSON,
           "[S:a\xC2\x85"
           "b,S:c\xE2\x80\xA8"
           "d\xE2\x80\xA9]");
  check_err("[\"\xC2\x85\",\n1,]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:2:2: error: invalid JSON: trailing comma");

  /* \u0000: the length carries the NUL. */
  run *rn = read_mem("\"a\\u0000b\"", KG_DOC_JSON);
  assert_int_equal(rn->st, KG_DONE);
  assert_string_equal(rn->out, "S:a\\0b");
  free(rn);
}

static void json_surrogate_pairs(void **state) {
  (void)state;
  check_ok("[\"\\ud83d\\ude00\", \"\\u00e9\\u4e2D\"]", KG_DOC_JSON,
           "[S:\xF0\x9F\x98\x80,S:\xC3\xA9\xE4\xB8\xAD]");
  /* A key with a pair, and columns after the rewritten escape. */
  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  static const char text[] = "{\"\\uD83D\\uDE00\":1, \"b\": 2}";
  assert_int_equal(kg_doc_reader_open_mem(&r, "in", text, strlen(text),
                                          KG_DOC_JSON, NULL, &t.diag),
                   KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  assert_non_null(kg_node_get(doc->root, "\xF0\x9F\x98\x80"));
  assert_int_equal(doc->root->items[0]->col, 17);
  assert_int_equal(doc->root->keys[1]->col, 20);
  kg_doc_reader_free(r);

  check_err("[\"x\\ud83d\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:4: error: invalid JSON: unpaired surrogate \\ud83d");
  check_err("[\"x\\ud83d\\u0041\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:4: error: invalid JSON: unpaired surrogate \\ud83d");
  check_err("[\"\\ude00\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:3: error: invalid JSON: unpaired surrogate \\ude00");
  /* YAML: libyaml rejects the escape; the message says so clearly. */
  check_err("a: \"\\ud83d\\ude00\"", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:7: error: invalid YAML: \\u escape of a surrogate or an "
            "invalid code point (use \\UXXXXXXXX or the character itself)");
}

static void json_duplicate_key(void **state) {
  (void)state;
  check_err("{\"name\": 1,\n \"name\": 2}", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:2:2: error: duplicate key 'name'");
}

/* --- JSON Lines ---------------------------------------------------------- */

static void jsonl_lines_and_blank_lines(void **state) {
  (void)state;
  check_ok("{\"a\": 1}\n\n  \n[2]\r\n3", KG_DOC_JSONL, "{a=I:1} | [I:2] | I:3");
  check_ok("", KG_DOC_JSONL, "");
  check_ok("\n\n", KG_DOC_JSONL, "");
}

static void jsonl_bad_line_names_the_line(void **state) {
  (void)state;
  run *rn = read_mem("{\"a\": 1}\n\n{\"a\": 2}\n{\"a\": 3,}\n{\"a\": 4}\n",
                     KG_DOC_JSONL);
  assert_int_equal(rn->st, KG_ERR_SYNTAX);
  assert_int_equal(rn->docs, 2);
  assert_string_equal(rn->out, "{a=I:1} | {a=I:2}");
  assert_string_equal(rn->diag.last,
                      "in:4:8: error: invalid JSON: trailing comma");
  free(rn);

  /* A value may not continue on the next line. */
  rn = read_file(DATA "bad-line.jsonl", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_ERR_SYNTAX);
  assert_int_equal(rn->docs, 2);
  assert_string_equal(rn->diag.last,
                      "tests/data/doc/bad-line.jsonl:4:19: error: invalid "
                      "JSON: expected a value, found end of input");
  free(rn);

  check_err("1\n\"\xC3(\"\n", KG_DOC_JSONL, KG_ERR_SYNTAX,
            "in:2:2: error: invalid UTF-8");
}

/* --- YAML ---------------------------------------------------------------- */

static void yaml_multi_document_stream(void **state) {
  (void)state;
  check_ok("a: 1\n---\nb: [x, \"42\", 42]\n...\n---\n- ~\n", KG_DOC_YAML,
           "{a=I:1} | {b=[s:x,S:42,I:42]} | [N]");
  check_ok("", KG_DOC_YAML, "");
  check_ok("# only a comment\n", KG_DOC_YAML, "");
  check_ok("---\n", KG_DOC_YAML, "N");
  check_ok("--- a\n--- b\n", KG_DOC_YAML, "s:a | s:b");
}

static void yaml_core_schema(void **state) {
  (void)state;
  check_ok("[null, Null, NULL, ~, nulL]", KG_DOC_YAML, "[N,N,N,N,s:nulL]");
  check_ok("a:\nb: \"\"\n", KG_DOC_YAML, "{a=N,b=S:}");
  check_ok("[true, True, TRUE, false, FALSE, yes, tRue]", KG_DOC_YAML,
           "[B:true,B:True,B:TRUE,B:false,B:FALSE,s:yes,s:tRue]");
  check_ok("[0, -12, +12, 0o17, 0x1F, 0x, 1_000, 0b1]", KG_DOC_YAML,
           "[I:0,I:-12,I:+12,I:0o17,I:0x1F,s:0x,s:1_000,s:0b1]");
  check_ok("[1.5, 1., .5, -1e3, 2E+2, ., 1e, .inf, -.Inf, .NAN, -.nan]",
           KG_DOC_YAML,
           "[F:1.5,F:1.,F:.5,F:-1e3,F:2E+2,s:.,s:1e,F:.inf,F:-.Inf,F:.NAN,"
           "s:-.nan]");
  check_ok("['42', \"42\", !!str 42, ! 43, '', \"\"]", KG_DOC_YAML,
           "[S:42,S:42,s:42,s:43,S:,S:]");
  check_ok("a: b c\n\"k\": 'it''s'\n", KG_DOC_YAML, "{a=s:b c,k=S:it's}");
}

static void yaml_quoted_vs_plain(void **state) {
  (void)state;
  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  static const char text[] = "plain: 42\nquoted: \"42\"\n";
  assert_int_equal(kg_doc_reader_open_mem(&r, "in", text, strlen(text),
                                          KG_DOC_YAML, NULL, &t.diag),
                   KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  const kg_node *p = kg_node_get(doc->root, "plain");
  const kg_node *q = kg_node_get(doc->root, "quoted");
  assert_int_equal(p->kind, KG_NODE_INT);
  assert_false(p->quoted);
  assert_int_equal(q->kind, KG_NODE_STRING);
  assert_true(q->quoted);
  assert_string_equal(p->text, q->text);
  assert_int_equal(q->line, 2);
  assert_int_equal(q->col, 9);
  kg_doc_reader_free(r);
}

static void yaml_block_scalars(void **state) {
  (void)state;
  check_ok("lit: |\n  line1\n  line2\nfold: >\n  f1\n  f2\nnum: |-\n  42\n",
           KG_DOC_YAML, "{lit=S:line1\nline2\n,fold=S:f1 f2\n,num=S:42}");
}

static void yaml_aliases_share_nodes(void **state) {
  (void)state;
  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  static const char text[] = "base: &b {x: 1}\nuse: *b\nv: &s str\n"
                             "w: *s\nb2: &b [2]\nuse2: *b\n";
  assert_int_equal(kg_doc_reader_open_mem(&r, "in", text, strlen(text),
                                          KG_DOC_YAML, NULL, &t.diag),
                   KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  const kg_node *root = doc->root;
  assert_ptr_equal(kg_node_get(root, "base"), kg_node_get(root, "use"));
  assert_ptr_equal(kg_node_get(root, "v"), kg_node_get(root, "w"));
  /* A redefined anchor: later aliases see the latest node. */
  assert_ptr_equal(kg_node_get(root, "b2"), kg_node_get(root, "use2"));
  assert_int_equal(kg_node_get(root, "use")->line, 1);
  kg_doc_reader_free(r);

  check_err("a: *nope\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:4: error: undefined alias '*nope'");
  check_err("a: &x [1, *x]\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:11: error: alias '*x' refers to a node that contains it");
  check_err("a: &x [1]\n*x : 2\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:2:1: error: a mapping key must be a scalar");
  /* Anchors are local to their document. */
  check_err("a: &x 1\n---\nb: *x\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:3:4: error: undefined alias '*x'");
}

static void yaml_alias_bomb(void **state) {
  (void)state;
  static const char bomb[] =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
      "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
      "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
  run *rn = read_mem(bomb, KG_DOC_YAML);
  assert_int_equal(rn->st, KG_ERR_LIMIT);
  assert_string_equal(rn->diag.last, "in:7:8: error: more than 1000000 "
                                     "nodes reached through aliases");
  free(rn);

  const kg_doc_limits lim = {.max_alias_nodes = 10};
  static const char small[] = "a: &a [1, 2, 3]\nb: [*a, *a]\nc: *a\n";
  rn = read_mem_lim(small, strlen(small), KG_DOC_YAML, &lim);
  assert_int_equal(rn->st, KG_ERR_LIMIT);
  assert_string_equal(rn->diag.last, "in:3:4: error: more than 10 nodes "
                                     "reached through aliases");
  free(rn);
}

static void yaml_duplicate_keys(void **state) {
  (void)state;
  check_err("a: 1\nname: x\nname: y\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:3:1: error: duplicate key 'name'");
  check_err("? [x]\n: 1\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:3: error: a mapping key must be a scalar");
  /* A large map takes the hashed path. */
  kg_buf b = {0};
  for (int i = 0; i < 100; i++)
    kg_buf_printf(&b, "k%d: %d\n", i, i);
  kg_buf_puts(&b, "k42: again\n");
  check_err(b.data, KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:101:1: error: duplicate key 'k42'");
  kg_buf_free(&b);
}

static void yaml_syntax_error_position(void **state) {
  (void)state;
  check_err("a: 1\n b: 2\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:2:3: error: invalid YAML: mapping values are not allowed in "
            "this context");
  check_err("a: [1, 2\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:2:1: error: invalid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence at 1:4)");
}

/* --- limits -------------------------------------------------------------- */

static void deep_nesting_is_an_error_not_a_crash(void **state) {
  (void)state;
  const size_t n = 100000;
  char *deep = malloc(2 * n + 1);
  memset(deep, '[', n);
  memset(deep + n, ']', n);
  deep[2 * n] = '\0';
  check_err(deep, KG_DOC_JSON, KG_ERR_LIMIT,
            "in:1:1001: error: nesting deeper than 1000 levels");
  check_err(deep, KG_DOC_YAML, KG_ERR_LIMIT,
            "in:1:1001: error: nesting deeper than 1000 levels");
  free(deep);

  const kg_doc_limits lim = {.max_depth = 3};
  run *rn = read_mem_lim("[[[1]]]", 7, KG_DOC_JSON, &lim);
  assert_int_equal(rn->st, KG_DONE);
  free(rn);
  rn = read_mem_lim("a:\n  b:\n    c:\n      d: 1\n", 26, KG_DOC_YAML, &lim);
  assert_int_equal(rn->st, KG_ERR_LIMIT);
  assert_string_equal(rn->diag.last,
                      "in:4:7: error: nesting deeper than 3 levels");
  free(rn);
}

static void byte_limit(void **state) {
  (void)state;
  /* 3 nodes and 8 bytes of text fit; the 2nd line's 3rd node does not */
  const kg_doc_limits lim = {.max_doc_bytes = 3 * KG_DOC_NODE_BYTES + 8};
  const char *text = "[\"abcd\", \"efgh\"]\n[\"abcdefghi\", \"x\"]";
  run *rn = read_mem_lim(text, strlen(text), KG_DOC_JSONL, &lim);
  assert_int_equal(rn->st, KG_ERR_LIMIT);
  assert_int_equal(rn->docs, 1);
  assert_string_equal(rn->diag.last,
                      "in:2:15: error: document larger than 296 bytes in "
                      "memory (text, and 96 bytes a node)");
  free(rn);
  /* input bytes: a JSON Lines line, and a YAML document of comments */
  const kg_doc_limits small = {.max_doc_bytes = 200};
  char lines[300] = "[1]\n[\"";
  memset(lines + 5, 'a', 210);
  memcpy(lines + 215, "\"]\n", 4);
  rn = read_mem_lim(lines, strlen(lines), KG_DOC_JSONL, &small);
  assert_int_equal(rn->st, KG_ERR_LIMIT);
  assert_int_equal(rn->docs, 1);
  assert_string_equal(rn->diag.last, "in:2:1: error: line longer than 200 "
                                     "bytes (the limit of one document)");
  free(rn);
  /* the input of a YAML document (comments take no memory); the count
   * may lag by one 64 KiB read, so one document here */
  char yaml[300] = "a: 1\n#";
  memset(yaml + 6, 'c', 250);
  rn = read_mem_lim(yaml, strlen(yaml), KG_DOC_YAML, &small);
  assert_int_equal(rn->st, KG_ERR_LIMIT);
  assert_string_equal(rn->diag.last,
                      "in:2:196: error: document larger than 200 bytes");
  free(rn);
}

/* --- bad bytes ----------------------------------------------------------- */

static void invalid_utf8(void **state) {
  (void)state;
  check_err("a: 1\nb: x\xFFy\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:2:5: error: invalid UTF-8");
  check_err("[\"\xC3\xA9\xC3\"]", KG_DOC_JSON, KG_ERR_SYNTAX,
            "in:1:4: error: invalid UTF-8");
  check_err("a: \xC0\x80\n", KG_DOC_YAML, KG_ERR_SYNTAX, /* overlong */
            "in:1:4: error: invalid UTF-8");
  check_err("a: \xED\xA0\x80\n", KG_DOC_YAML, KG_ERR_SYNTAX, /* surrogate */
            "in:1:4: error: invalid UTF-8");
  check_err("a: \xE2\x82", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:4: error: invalid UTF-8 (truncated sequence)");
  check_err("\xFF\xFE"
            "a\0:\0",
            KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:1: error: UTF-16 and UTF-32 input is not supported");
  check_err("a: \x01\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:1:4: error: control character U+0001 is not allowed");
  /* Documents before the bad byte are still delivered. */
  run *rn = read_mem("a: 1\n---\nb: \xFF\n", KG_DOC_YAML);
  assert_int_equal(rn->st, KG_ERR_SYNTAX);
  assert_int_equal(rn->docs, 1);
  assert_string_equal(rn->diag.last, "in:3:4: error: invalid UTF-8");
  free(rn);
}

static void nul_byte(void **state) {
  (void)state;
  check_err_len("a: x\0y\n", 7, KG_DOC_YAML, KG_ERR_SYNTAX,
                "in:1:5: error: NUL byte in input");
  check_err_len("[\"x\0\"]", 6, KG_DOC_JSON, KG_ERR_SYNTAX,
                "in:1:4: error: NUL byte in input");
  check_err_len("1\n\0\n", 4, KG_DOC_JSONL, KG_ERR_SYNTAX,
                "in:2:1: error: NUL byte in input");
}

/* RFC 8259 7: only U+0000-U+001F must be escaped in a JSON string; DEL,
 * C1 controls and U+FFFE/U+FFFF may stand raw (YAML forbids them). */
static void json_raw_characters_yaml_forbids(void **state) {
  (void)state;
  check_ok("[\"a\x7F\xC2\x80\xC2\x9F\xEF\xBF\xBE\xEF\xBF\xBF"
           "b\"]",
           KG_DOC_JSON,
           "[S:a\x7F\xC2\x80\xC2\x9F\xEF\xBF\xBE\xEF\xBF\xBF"
           "b]");
  check_err_len("[\"a\", \x7F]", 9, KG_DOC_JSON, KG_ERR_SYNTAX,
                "in:1:7: error: control character U+007F is not allowed");
  check_err_len("a: \"\x7F\"\n", 7, KG_DOC_YAML, KG_ERR_SYNTAX,
                "in:1:5: error: control character U+007F is not allowed");
  check_err_len("[\"\\ud800\xEF\xBF\xBE\"]", 13, KG_DOC_JSON, KG_ERR_SYNTAX,
                "in:1:3: error: invalid JSON: unpaired surrogate \\ud800");
}

static void bom_is_accepted(void **state) {
  (void)state;
  check_ok("\xEF\xBB\xBF"
           "a: 1\n",
           KG_DOC_YAML, "{a=I:1}");
  check_ok("\xEF\xBB\xBF"
           "{\"a\": 1}\n",
           KG_DOC_AUTO, "{a=I:1}");
}

/* --- files and formats --------------------------------------------------- */

static void missing_file(void **state) {
  (void)state;
  run *rn = read_file(DATA "no-such-file.json", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_ERR_IO);
  assert_string_equal(rn->diag.last, "tests/data/doc/no-such-file.json: "
                                     "error: cannot open file: No such file "
                                     "or directory");
  free(rn);
  rn = read_file(DATA, KG_DOC_YAML);
  assert_int_equal(rn->st, KG_ERR_IO);
  assert_string_equal(rn->diag.last, "tests/data/doc/: error: cannot open "
                                     "file: Is a directory");
  free(rn);
}

static void formats_by_extension_and_sniffing(void **state) {
  (void)state;
  run *rn = read_file(DATA "sample.json", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_DONE);
  assert_string_equal(rn->out, "{name=S:Zo\xC3\xAB,tags=[S:a,S:b],n=I:3}");
  free(rn);
  rn = read_file(DATA "stream.yaml", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_DONE);
  assert_string_equal(rn->out, "{id=I:1} | {id=I:2}");
  free(rn);
  rn = read_file(DATA "lines-no-ext", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_DONE);
  assert_string_equal(rn->out, "{id=I:1} | {id=I:2}");
  free(rn);
  rn = read_file(DATA "object-no-ext", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_DONE);
  assert_string_equal(rn->out, "{a=I:1,b=I:2}");
  free(rn);
  rn = read_file(DATA "yaml-no-ext", KG_DOC_AUTO);
  assert_int_equal(rn->st, KG_DONE);
  assert_string_equal(rn->out, "{a=I:1}");
  free(rn);
  /* Strict JSON after sniffing: no YAML in a file that starts like JSON. */
  check_err("{\"a\": yes}", KG_DOC_AUTO, KG_ERR_SYNTAX,
            "in:1:7: error: invalid JSON: 'yes' is not a JSON value (strings "
            "need double quotes)");
}

/* A file larger than the 64 KiB read chunk, with a surrogate pair and a
 * multi-byte character across chunk boundaries, read from disk. */
static void large_file_across_chunks(void **state) {
  (void)state;
  char path[] = "/tmp/kg-test-doc-XXXXXX";
  const int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *fp = fdopen(fd, "w");
  fputs("[", fp);
  const int n = 20000;
  for (int i = 0; i < n; i++)
    fprintf(fp, "%s\"\\ud83d\\ude00\xC3\xA9%d\"", i ? ",\n" : "", i);
  fputs("]\n", fp);
  fclose(fp);

  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  assert_int_equal(kg_doc_reader_open(&r, path, KG_DOC_JSON, NULL, &t.diag),
                   KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  assert_int_equal(doc->root->n, n);
  for (int i = 0; i < n; i += 997) {
    char want[32];
    snprintf(want, sizeof want, "\xF0\x9F\x98\x80\xC3\xA9%d", i);
    assert_string_equal(doc->root->items[i]->text, want);
    assert_int_equal(doc->root->items[i]->line, i + 1);
    assert_int_equal(doc->root->items[i]->col, i ? 1 : 2);
  }
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_DONE);
  kg_doc_reader_free(r);
  unlink(path);
}

static void crlf_positions(void **state) {
  (void)state;
  check_err("a: 1\r\nb: 2\r\nb: 3\r\n", KG_DOC_YAML, KG_ERR_SYNTAX,
            "in:3:1: error: duplicate key 'b'");
}

/* --- the API ------------------------------------------------------------- */

static void node_get(void **state) {
  (void)state;
  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  static const char text[] = "{\"ab\": 1, \"a\": 2, \"a\\u0000b\": 3, \"\": 4,"
                             " \"l\": [5]}";
  assert_int_equal(kg_doc_reader_open_mem(&r, "in", text, strlen(text),
                                          KG_DOC_JSON, NULL, &t.diag),
                   KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  const kg_node *root = doc->root;
  assert_string_equal(kg_node_get(root, "ab")->text, "1");
  assert_string_equal(kg_node_get(root, "a")->text, "2");
  assert_string_equal(kg_node_get(root, "")->text, "4");
  assert_null(kg_node_get(root, "b"));
  assert_null(kg_node_get(root, "abc"));
  assert_null(kg_node_get(kg_node_get(root, "l"), "0"));
  assert_null(kg_node_get(NULL, "a"));
  assert_null(kg_node_get(root, NULL));
  kg_doc_reader_free(r);
}

static void open_mem_and_free(void **state) {
  (void)state;
  kg_doc_reader_free(NULL);
  test_diag t;
  test_diag_init(&t);
  kg_doc_reader *r;
  const kg_doc *doc;
  /* data need not be NUL-terminated: only len bytes are read. */
  static const char text[] = "[1, 2]garbage";
  assert_int_equal(
      kg_doc_reader_open_mem(&r, "mem.json", text, 6, KG_DOC_AUTO, NULL, NULL),
      KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_OK);
  assert_int_equal(doc->root->n, 2);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_DONE);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_DONE);
  kg_doc_reader_free(r);
  /* A NULL diag only counts nothing; errors still come back. */
  assert_int_equal(
      kg_doc_reader_open_mem(&r, "m", "[1,]", 4, KG_DOC_JSON, NULL, NULL),
      KG_OK);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_ERR_SYNTAX);
  assert_int_equal(kg_doc_reader_next(r, &doc), KG_ERR_SYNTAX);
  kg_doc_reader_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_object_kinds_and_positions),
      cmocka_unit_test(json_top_level_scalars),
      cmocka_unit_test(json_strict_syntax),
      cmocka_unit_test(json_truncated),
      cmocka_unit_test(json_libyaml_quirks),
      cmocka_unit_test(json_surrogate_pairs),
      cmocka_unit_test(json_duplicate_key),
      cmocka_unit_test(jsonl_lines_and_blank_lines),
      cmocka_unit_test(jsonl_bad_line_names_the_line),
      cmocka_unit_test(yaml_multi_document_stream),
      cmocka_unit_test(yaml_core_schema),
      cmocka_unit_test(yaml_quoted_vs_plain),
      cmocka_unit_test(yaml_block_scalars),
      cmocka_unit_test(yaml_aliases_share_nodes),
      cmocka_unit_test(yaml_alias_bomb),
      cmocka_unit_test(yaml_duplicate_keys),
      cmocka_unit_test(yaml_syntax_error_position),
      cmocka_unit_test(deep_nesting_is_an_error_not_a_crash),
      cmocka_unit_test(byte_limit),
      cmocka_unit_test(invalid_utf8),
      cmocka_unit_test(nul_byte),
      cmocka_unit_test(json_raw_characters_yaml_forbids),
      cmocka_unit_test(bom_is_accepted),
      cmocka_unit_test(missing_file),
      cmocka_unit_test(formats_by_extension_and_sniffing),
      cmocka_unit_test(large_file_across_chunks),
      cmocka_unit_test(crlf_positions),
      cmocka_unit_test(node_get),
      cmocka_unit_test(open_mem_and_free),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
