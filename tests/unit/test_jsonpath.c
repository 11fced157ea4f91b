/* Unit tests for jsonpath.c, and the runner of the data-driven cases in
 * the .txt files in tests/cases/jsonpath/.  Run from the repository root.
 *
 * Case file format, one directive per line:
 *   # comment           ignored, as are blank lines
 *   doc JSON            the document for the cases that follow (one line)
 *   doc<<               a document over several lines (JSON or YAML),
 *   ...                 ended by a line ">>"
 *   path EXPR           an iterator (compiled with relative = false);
 *   ref EXPR            a reference (relative = true).  EXPR is the rest of
 *                       the line after one space, byte for byte.
 *   => JSON-ARRAY       the nodes EXPR selects, in order (any spacing)
 *   !! OFFSET MESSAGE   EXPR is rejected at that byte offset with exactly
 *                       that message */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>

#include "arena.h"
#include "doc.h"
#include "jsonpath.h"

#define CASES "tests/cases/jsonpath/"

/* --- hand-built documents ---------------------------------------------- */

static kg_node *scalar(kg_arena *a, kg_node_kind kind, const char *text) {
  kg_node *n = kg_arena_alloc(a, sizeof *n);
  n->kind = kind;
  n->text = kg_arena_strdup(a, text);
  n->len = strlen(text);
  return n;
}

static kg_node *seq(kg_arena *a, size_t n, kg_node **items) {
  kg_node *s = scalar(a, KG_NODE_SEQ, "");
  s->n = n;
  s->items = kg_arena_alloc(a, n * sizeof *items);
  memcpy(s->items, items, n * sizeof *items);
  return s;
}

/* A map of one pair. */
static kg_node *map1(kg_arena *a, const char *key, kg_node *value) {
  kg_node *m = scalar(a, KG_NODE_MAP, "");
  m->n = 1;
  m->keys = kg_arena_alloc(a, sizeof *m->keys);
  m->items = kg_arena_alloc(a, sizeof *m->items);
  m->keys[0] = scalar(a, KG_NODE_STRING, key);
  m->items[0] = value;
  return m;
}

/* --- rendering selected nodes as compact JSON --------------------------- */

static void render_string(kg_buf *b, const kg_node *n) {
  kg_buf_putc(b, '"');
  for (size_t i = 0; i < n->len; i++) {
    const unsigned char c = (unsigned char)n->text[i];
    if (c == '"' || c == '\\')
      kg_buf_printf(b, "\\%c", c);
    else if (c < 0x20)
      kg_buf_printf(b, "\\u%04x", c);
    else
      kg_buf_putc(b, (char)c);
  }
  kg_buf_putc(b, '"');
}

static void render(kg_buf *b, const kg_node *n) {
  if (n->kind == KG_NODE_SEQ || n->kind == KG_NODE_MAP) {
    const bool map = n->kind == KG_NODE_MAP;
    kg_buf_putc(b, map ? '{' : '[');
    for (size_t i = 0; i < n->n; i++) {
      if (i)
        kg_buf_putc(b, ',');
      if (map) {
        render_string(b, n->keys[i]);
        kg_buf_putc(b, ':');
      }
      render(b, n->items[i]);
    }
    kg_buf_putc(b, map ? '}' : ']');
  } else if (n->kind == KG_NODE_STRING)
    render_string(b, n);
  else if (n->kind == KG_NODE_NULL)
    kg_buf_puts(b, "null");
  else
    kg_buf_append(b, n->text, n->len);
}

static int render_visit(void *h, const kg_node *n) {
  kg_buf *b = h;
  if (b->len > 1)
    kg_buf_putc(b, ',');
  render(b, n);
  return 0;
}

/* The nodes p selects from root, as a JSON array. */
static void select_all(kg_buf *b, const kg_jsonpath *p, const kg_node *root) {
  kg_buf_reset(b);
  kg_buf_putc(b, '[');
  assert_int_equal(kg_jsonpath_eval(p, root, render_visit, b), 0);
  kg_buf_putc(b, ']');
}

/* --- documents from text ---------------------------------------------- */

typedef struct parsed {
  kg_doc_reader *r;
  const kg_node *root;
} parsed;

static bool parse_text(parsed *d, const char *text, size_t len) {
  const kg_doc *doc;
  d->root = NULL;
  if (kg_doc_reader_open_mem(&d->r, "case", text, len, KG_DOC_AUTO, NULL,
                             NULL) != KG_OK)
    return false;
  if (kg_doc_reader_next(d->r, &doc) != KG_OK)
    return false;
  d->root = doc->root;
  return true;
}

static void parsed_free(parsed *d) {
  kg_doc_reader_free(d->r);
  d->r = NULL;
  d->root = NULL;
}

/* Select from a JSON document and compare with the expected rendering. */
static void check(const char *json, const char *expr, bool relative,
                  const char *want) {
  parsed d = {0};
  kg_jsonpath *p = NULL;
  kg_jsonpath_error err = {0};
  kg_buf b = {0};
  assert_true(parse_text(&d, json, strlen(json)));
  if (kg_jsonpath_compile(&p, expr, strlen(expr), relative, &err) != KG_OK)
    fail_msg("'%s' rejected at %zu: %s", expr, err.offset, err.msg);
  select_all(&b, p, d.root);
  if (strcmp(kg_buf_cstr(&b), want) != 0)
    fail_msg("'%s': got %s, want %s", expr, kg_buf_cstr(&b), want);
  kg_buf_free(&b);
  kg_jsonpath_free(p);
  parsed_free(&d);
}

static void check_error(const char *expr, size_t len, kg_status want_st,
                        size_t want_off, const char *want_msg) {
  kg_jsonpath *p = (kg_jsonpath *)&p; /* must be reset to NULL */
  kg_jsonpath_error err = {0};
  assert_int_equal(kg_jsonpath_compile(&p, expr, len, false, &err), want_st);
  assert_null(p);
  assert_int_equal(err.offset, want_off);
  assert_string_equal(err.msg, want_msg);
}

/* --- unit tests ------------------------------------------------------- */

static void basics(void **state) {
  kg_jsonpath *p = NULL;
  kg_jsonpath_free(NULL);
  assert_int_equal(kg_jsonpath_compile(&p, "$.a['b'][0]", 11, false, NULL),
                   KG_OK);
  assert_string_equal(kg_jsonpath_text(p), "$.a['b'][0]");
  assert_true(kg_jsonpath_is_singular(p));
  kg_jsonpath_free(p);
  static const char *const plural[] = {"$.a[*]", "$..a",    "$[0,1]",
                                       "$[0:1]", "$[?@.a]", "$.*"};
  for (size_t i = 0; i < sizeof plural / sizeof *plural; i++) {
    assert_int_equal(
        kg_jsonpath_compile(&p, plural[i], strlen(plural[i]), false, NULL),
        KG_OK);
    assert_false(kg_jsonpath_is_singular(p));
    kg_jsonpath_free(p);
  }
  /* Only len bytes are read. */
  assert_int_equal(kg_jsonpath_compile(&p, "$.ab", 3, false, NULL), KG_OK);
  assert_string_equal(kg_jsonpath_text(p), "$.a");
  kg_jsonpath_free(p);
}

static void rml_conformance_errors(void **state) {
  check_error("$.students[*]]", 14, KG_ERR_SYNTAX, 13,
              "unexpected ']' at end of expression");
  check_error("$.a ", 4, KG_ERR_SYNTAX, 3,
              "unexpected whitespace at end of expression");
  check_error("$.a\0b", 5, KG_ERR_SYNTAX, 3,
              "unexpected byte 0x00 at end of expression");
  check_error("$['a\0']", 7, KG_ERR_SYNTAX, 4,
              "control character in string (write it escaped)");
  check_error("$.\xff", 3, KG_ERR_SYNTAX, 2, "invalid UTF-8");
  check_error("$['\xc0\x80']", 7, KG_ERR_SYNTAX, 3, "invalid UTF-8");
}

static void relative_references(void **state) {
  const char *doc = "{\"name\":\"Ann\",\"country\":{\"code\":\"BE\"},"
                    "\"ISO 3166\":\"BEL\",\"participants\":[{\"id\":1},"
                    "{\"id\":2}]}";
  check(doc, "name", true, "[\"Ann\"]");
  check(doc, "country.code", true, "[\"BE\"]");
  check(doc, "participants[*].id", true, "[1,2]");
  check(doc, "['ISO 3166']", true, "[\"BEL\"]");
  check(doc, "@.name", true, "[\"Ann\"]");
  check(doc, "$.name", true, "[\"Ann\"]");
  check("[\"a\",\"b\"]", "[1]", true, "[\"b\"]");
  kg_jsonpath *p;
  kg_jsonpath_error err;
  assert_int_equal(kg_jsonpath_compile(&p, "name", 4, false, &err),
                   KG_ERR_SYNTAX);
  assert_int_equal(kg_jsonpath_compile(&p, "", 0, true, &err), KG_ERR_SYNTAX);
  assert_string_equal(err.msg, "empty expression");
  assert_int_equal(kg_jsonpath_compile(&p, "first-name", 10, true, &err),
                   KG_ERR_SYNTAX);
  assert_int_equal(err.offset, 5);
}

static int stop_at_second(void *h, const kg_node *n) {
  size_t *count = h;
  return ++*count == 2 ? 42 : 0;
}

static void visitor_stops_evaluation(void **state) {
  parsed d = {0};
  kg_jsonpath *p;
  size_t count = 0;
  assert_true(parse_text(&d, "[[1,2],[3,4]]", 13));
  assert_int_equal(kg_jsonpath_compile(&p, "$..*", 4, false, NULL), KG_OK);
  assert_int_equal(kg_jsonpath_eval(p, d.root, stop_at_second, &count), 42);
  assert_int_equal(count, 2);
  assert_int_equal(kg_jsonpath_eval(p, NULL, stop_at_second, &count), 0);
  kg_jsonpath_free(p);
  parsed_free(&d);
}

static int count_visit(void *h, const kg_node *n) {
  ++*(size_t *)h;
  return 0;
}

/* 200000 nested arrays: the descendant segment and deep equality must not
 * recurse on the C stack. */
static void deep_documents(void **state) {
  enum { DEPTH = 200000 };
  kg_arena *a = kg_arena_new();
  kg_node *n = map1(a, "x", scalar(a, KG_NODE_INT, "7"));
  kg_node *m = map1(a, "x", scalar(a, KG_NODE_FLOAT, "7.0"));
  for (size_t i = 0; i < DEPTH; i++) {
    n = seq(a, 1, &n);
    m = seq(a, 1, &m);
  }
  kg_node *items[] = {n, m};
  kg_node *root = seq(a, 1, (kg_node *[]){seq(a, 2, items)});
  kg_jsonpath *p;
  size_t count = 0;
  assert_int_equal(kg_jsonpath_compile(&p, "$..x", 4, false, NULL), KG_OK);
  assert_int_equal(kg_jsonpath_eval(p, root, count_visit, &count), 0);
  assert_int_equal(count, 2);
  kg_jsonpath_free(p);
  count = 0;
  assert_int_equal(kg_jsonpath_compile(&p, "$[?@[0] == @[1]]", 16, false, NULL),
                   KG_OK);
  assert_int_equal(kg_jsonpath_eval(p, root, count_visit, &count), 0);
  assert_int_equal(count, 1);
  kg_jsonpath_free(p);
  kg_arena_free(a);
}

/* YAML 1.2 core schema numbers compare by value. */
static void yaml_numbers(void **state) {
  kg_arena *a = kg_arena_new();
  kg_node *items[] = {
      scalar(a, KG_NODE_INT, "0x1F"), scalar(a, KG_NODE_INT, "0o37"),
      scalar(a, KG_NODE_INT, "+31"), scalar(a, KG_NODE_FLOAT, "-.inf"),
      scalar(a, KG_NODE_STRING, "31")};
  kg_node *root = seq(a, 5, items);
  kg_jsonpath *p;
  kg_buf b = {0};
  assert_int_equal(kg_jsonpath_compile(&p, "$[?@ == 31]", 11, false, NULL),
                   KG_OK);
  select_all(&b, p, root);
  assert_string_equal(kg_buf_cstr(&b), "[0x1F,0o37,+31]");
  kg_jsonpath_free(p);
  assert_int_equal(kg_jsonpath_compile(&p, "$[?@ < -1e308]", 14, false, NULL),
                   KG_OK);
  select_all(&b, p, root);
  assert_string_equal(kg_buf_cstr(&b), "[-.inf]");
  kg_jsonpath_free(p);
  kg_buf_free(&b);
  kg_arena_free(a);
}

/* A union of 100000 members compiles and selects in order. */
static void huge_union(void **state) {
  kg_buf b = {0};
  kg_jsonpath *p;
  kg_buf_puts(&b, "$[");
  for (int i = 0; i < 100000; i++)
    kg_buf_printf(&b, "%s%d", i ? "," : "", i % 3);
  kg_buf_puts(&b, "]");
  assert_int_equal(kg_jsonpath_compile(&p, b.data, b.len, false, NULL), KG_OK);
  parsed d = {0};
  size_t count = 0;
  assert_true(parse_text(&d, "[1,2]", 5));
  kg_jsonpath_eval(p, d.root, count_visit, &count);
  assert_int_equal(count, 66667);
  parsed_free(&d);
  kg_jsonpath_free(p);
  kg_buf_free(&b);
}

/* 64 nested filters, parentheses or calls are fine, 65 are not. */
static void nesting_limit(void **state) {
  kg_buf b = {0};
  kg_jsonpath *p;
  for (int depth = 63; depth <= 64; depth++) {
    kg_buf_reset(&b);
    kg_buf_puts(&b, "$[?");
    for (int i = 0; i < depth; i++)
      kg_buf_putc(&b, '(');
    kg_buf_puts(&b, "@.a");
    for (int i = 0; i < depth; i++)
      kg_buf_putc(&b, ')');
    kg_buf_putc(&b, ']');
    kg_jsonpath_error err;
    const kg_status st = kg_jsonpath_compile(&p, b.data, b.len, false, &err);
    assert_int_equal(st, depth == 63 ? KG_OK : KG_ERR_LIMIT);
    if (st == KG_OK)
      kg_jsonpath_free(p);
    else
      assert_string_equal(
          err.msg,
          "filters, parentheses and function calls nested deeper than 64");
  }
  kg_buf_free(&b);
}

/* Evaluation recurses once per segment: their number is bounded. */
static void segment_limit(void **state) {
  kg_buf b = {0};
  kg_buf_putc(&b, '$');
  for (int i = 0; i < 1025; i++)
    kg_buf_puts(&b, ".a");
  check_error(b.data, b.len, KG_ERR_LIMIT, 2049, "more than 1024 segments");
  kg_buf_free(&b);
}

/* RFC 9535 blank space (SP, HTAB, LF, CR) and filters inside filters. */
static void blanks_and_nested_filters(void **state) {
  const char *doc = "{\"a\":[{\"b\":[1,2]},{\"b\":[3]}],\"k\":3}";
  check(doc, "$\n.a\r\n[?@.b[?@ ==\t$.k]]", false, "[{\"b\":[3]}]");
  check(doc, "$.a[?count(@.b[?@ > 1]) == 1].b[0]", false, "[1,3]");
  check(doc, "$.a[?@.b[?@.c]]", false, "[]");
  check_error("$.a[?@.b[?@ == ]]", 17, KG_ERR_SYNTAX, 15,
              "expected '@', '$', a literal or a function call, found ']'");
}

/* --- the case files ----------------------------------------------------- */

typedef struct runner {
  const char *file;
  unsigned line;
  parsed doc;
  kg_buf got, want;
  unsigned pass, fail;
} runner;

static void case_fail(runner *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void case_fail(runner *r, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  print_message("%s:%u: %s\n", r->file, r->line, msg);
  r->fail++;
}

/* "=> JSON": render the expected nodes the way the results are rendered. */
static bool expected_nodes(runner *r, const char *json) {
  parsed d = {0};
  kg_buf_reset(&r->want);
  const bool ok =
      parse_text(&d, json, strlen(json)) && d.root->kind == KG_NODE_SEQ;
  if (ok)
    render(&r->want, d.root);
  parsed_free(&d);
  return ok;
}

static void run_case(runner *r, const char *expr, bool relative,
                     const char *expect) {
  kg_jsonpath *p = NULL;
  kg_jsonpath_error err = {0};
  const kg_status st =
      kg_jsonpath_compile(&p, expr, strlen(expr), relative, &err);
  if (strncmp(expect, "!! ", 3) == 0) {
    char *end;
    const unsigned long off = strtoul(expect + 3, &end, 10);
    if (st == KG_OK)
      case_fail(r, "'%s' was accepted", expr);
    else if (off != err.offset || strcmp(end + (*end == ' '), err.msg) != 0)
      case_fail(r, "'%s': got error at %zu: %s", expr, err.offset, err.msg);
    else
      r->pass++;
  } else if (strncmp(expect, "=> ", 3) != 0 || !expected_nodes(r, expect + 3))
    case_fail(r, "expected '=> JSON-ARRAY' or '!! OFFSET MESSAGE'");
  else if (st != KG_OK)
    case_fail(r, "'%s' rejected at %zu: %s", expr, err.offset, err.msg);
  else if (!r->doc.root)
    case_fail(r, "no document");
  else {
    select_all(&r->got, p, r->doc.root);
    if (strcmp(kg_buf_cstr(&r->got), kg_buf_cstr(&r->want)) != 0)
      case_fail(r, "'%s': got %s, want %s", expr, kg_buf_cstr(&r->got),
                kg_buf_cstr(&r->want));
    else
      r->pass++;
  }
  kg_jsonpath_free(p);
}

/* The next line of *text (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **text, runner *r) {
  if (!**text)
    return NULL;
  char *line = *text, *nl = strchr(line, '\n');
  *text = nl ? nl + 1 : line + strlen(line);
  if (nl)
    *nl = '\0';
  r->line++;
  return line;
}

static void set_doc(runner *r, const char *text, size_t len) {
  parsed_free(&r->doc);
  if (!parse_text(&r->doc, text, len))
    case_fail(r, "bad document");
}

static void run_file(runner *r, char *text) {
  kg_buf doc = {0};
  char *line;
  while ((line = next_line(&text, r))) {
    if (!*line || *line == '#')
      continue;
    if (strcmp(line, "doc<<") == 0) {
      kg_buf_reset(&doc);
      while ((line = next_line(&text, r)) && strcmp(line, ">>") != 0)
        kg_buf_printf(&doc, "%s\n", line);
      set_doc(r, kg_buf_cstr(&doc), doc.len);
    } else if (strncmp(line, "doc ", 4) == 0)
      set_doc(r, line + 4, strlen(line + 4));
    else if (strncmp(line, "path ", 5) == 0 || strncmp(line, "ref ", 4) == 0) {
      const bool relative = line[0] == 'r';
      char *expect = next_line(&text, r);
      run_case(r, line + (relative ? 4 : 5), relative, expect ? expect : "");
    } else
      case_fail(r, "unknown directive '%s'", line);
  }
  kg_buf_free(&doc);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  kg_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    kg_buf_append(&b, chunk, n);
  fclose(f);
  kg_buf_cstr(&b);
  return b.data ? b.data : kg_xstrndup("", 0);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void case_files(void **state) {
  DIR *dir = opendir(CASES);
  assert_non_null(dir);
  char *names[256];
  size_t n = 0;
  for (struct dirent *e; (e = readdir(dir)) && n < 256;) {
    const size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
      names[n++] = kg_xstrndup(e->d_name, len);
  }
  closedir(dir);
  qsort(names, n, sizeof *names, by_name);
  runner r = {0};
  char path[512];
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof path, CASES "%s", names[i]);
    char *text = slurp(path);
    r.file = path;
    r.line = 0;
    run_file(&r, text);
    parsed_free(&r.doc);
    free(text);
    free(names[i]);
  }
  kg_buf_free(&r.got);
  kg_buf_free(&r.want);
  print_message("jsonpath cases: %u passed, %u failed (%zu files)\n", r.pass,
                r.fail, n);
  assert_int_equal(r.fail, 0);
  assert_true(r.pass > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(basics),
      cmocka_unit_test(rml_conformance_errors),
      cmocka_unit_test(relative_references),
      cmocka_unit_test(visitor_stops_evaluation),
      cmocka_unit_test(deep_documents),
      cmocka_unit_test(yaml_numbers),
      cmocka_unit_test(huge_union),
      cmocka_unit_test(nesting_limit),
      cmocka_unit_test(segment_limit),
      cmocka_unit_test(blanks_and_nested_filters),
      cmocka_unit_test(case_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
