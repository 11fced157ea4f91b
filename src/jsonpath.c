/* jsonpath.c - JSONPath (RFC 9535): an expression is compiled into an
 * array of segments, then evaluated over a kg_node tree depth-first,
 * pushing each selected node to a visitor as soon as it is found.
 *
 * Grammar (RFC 9535 section 2 ABNF, condensed; one read_ function per
 * rule):
 *
 *   jsonpath_query      = "$" segments
 *   relative_reference  = ( "$" / "@" ) segments               ; kgmap
 *                       / ( member_name_shorthand / bracketed_selection )
 *                         segments
 *   segments            = *( S segment )
 *   segment             = ".." ( bracketed_selection / "*"
 *                                / member_name_shorthand )    ; descendant
 *                       / "." ( "*" / member_name_shorthand )  ; child
 *                       / bracketed_selection                  ; child
 *   bracketed_selection = "[" S selector *( S "," S selector ) S "]"
 *   selector            = string_literal / "*" / slice_selector / int
 *                       / filter_selector
 *   slice_selector      = [ int S ] ":" S [ int S ] [ ":" [ S int ] ]
 *   filter_selector     = "?" S logical_or_expr
 *   logical_or_expr     = logical_and_expr *( S "||" S logical_and_expr )
 *   logical_and_expr    = basic_expr *( S "&&" S basic_expr )
 *   basic_expr          = [ "!" S ] paren_expr / comparison_expr
 *                       / [ "!" S ] test_expr
 *   paren_expr          = "(" S logical_or_expr S ")"
 *   test_expr           = filter_query / function_expr
 *   comparison_expr     = comparable S comparison_op S comparable
 *   comparable          = literal / singular_query / function_expr
 *   filter_query        = ( "@" / "$" ) segments
 *   function_expr       = function_name "(" S [ function_argument
 *                         *( S "," S function_argument ) ] S ")"
 *   function_argument   = literal / filter_query / function_expr
 *   literal             = number / string_literal / "true" / "false"
 *                       / "null"
 *   number              = ( int / "-0" ) [ "." 1*DIGIT ]
 *                         [ "e" [ "-" / "+" ] 1*DIGIT ]
 *   int                 = "0" / [ "-" ] DIGIT1 *DIGIT   ; |i| <= 2^53 - 1
 *   string_literal      = DQUOTE *dq_char DQUOTE / "'" *sq_char "'"
 *   member_name_shorthand = name_first *( name_first / DIGIT )
 *   name_first          = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF
 *   S                   = *( SP / HTAB / LF / CR )
 *
 * function_argument omits the RFC's logical_expr: none of the five
 * standard functions (length, count, match, search, value) has a
 * LogicalType parameter, so such an argument could only be ill-typed
 * (RFC 2.4.3).  Comparable and test positions are type-checked as the RFC's
 * well-typedness rules require (2.4.3, 2.3.5.1). */
#include "jsonpath.h"
#include "term.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

enum {
  MAX_DEPTH = 64,      /* nesting of filters, parentheses, function calls */
  MAX_SEGMENTS = 1024, /* segments in a whole expression (bounds eval's
                          recursion, which is one level per segment) */
  STACK_LOCAL = 32     /* descendant/equality frames before using the heap */
};
#define MAX_INT 9007199254740991LL /* RFC 9535 2.1: I-JSON range */

/* --- the compiled form ------------------------------------------------ */

typedef enum {
  SEL_NAME,
  SEL_WILDCARD,
  SEL_INDEX,
  SEL_SLICE,
  SEL_FILTER
} sel_kind;
typedef struct expr expr;

typedef struct selector {
  sel_kind kind;
  const char *name; /* SEL_NAME: the unescaped name (len bytes) */
  size_t len;
  int64_t index;            /* SEL_INDEX */
  int64_t start, end, step; /* SEL_SLICE */
  bool has_start, has_end;
  const expr *filter; /* SEL_FILTER */
} selector;

typedef struct segment {
  bool descendant;
  selector *sels;
  size_t nsels;
} segment;

typedef struct query {
  bool absolute; /* starts at $, not at @ */
  segment *segs;
  size_t nsegs;
} query;

typedef enum {
  E_OR,
  E_AND,
  E_NOT,
  E_CMP,
  E_QUERY,
  E_LITERAL,
  E_NUMBER,
  E_FUNCTION
} expr_kind;
typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cmp_op;
typedef enum { F_LENGTH, F_COUNT, F_MATCH, F_SEARCH, F_VALUE } func_id;
typedef enum { T_VALUE, T_LOGICAL, T_NODES } func_type;

struct expr {
  expr_kind kind;
  cmp_op op;  /* E_CMP */
  func_id fn; /* E_FUNCTION */
  expr **ops; /* OR/AND: operands; NOT: 1; CMP: 2; FUNCTION: arguments */
  size_t nops;
  query q;     /* E_QUERY */
  kg_node lit; /* E_LITERAL: a string, true, false or null */
  double num;  /* E_NUMBER */
  regex_t *re; /* match/search with a literal pattern, compiled once */
  bool re_bad; /* ... that is not a supported I-Regexp: never matches */
};

/* RFC 9535 2.4.4-2.4.8: the function extensions, as a table. */
static const struct func_def {
  const char *name;
  func_type result;
  size_t nargs;
  func_type args[2];
} functions[] = {
    [F_LENGTH] = {"length", T_VALUE, 1, {T_VALUE, T_VALUE}},
    [F_COUNT] = {"count", T_VALUE, 1, {T_NODES, T_NODES}},
    [F_MATCH] = {"match", T_LOGICAL, 2, {T_VALUE, T_VALUE}},
    [F_SEARCH] = {"search", T_LOGICAL, 2, {T_VALUE, T_VALUE}},
    [F_VALUE] = {"value", T_VALUE, 1, {T_NODES, T_NODES}},
};

typedef struct chunk {
  struct chunk *next;
  max_align_t data[];
} chunk;

struct kg_jsonpath {
  char *text;
  query q;
  bool singular;
  chunk *chunks; /* every compile-time allocation */
  regex_t **res; /* compiled regexes, for regfree */
  size_t nres;
};

/* --- compile-time memory: a list of blocks freed with the path ------- */

static void *palloc(kg_jsonpath *p, size_t size) {
  chunk *c = kg_xcalloc(1, sizeof *c + size);
  c->next = p->chunks;
  p->chunks = c;
  return c->data;
}

/* Append a zeroed element to *arr of *n elements; capacity is implied by *n
 * (powers of two), as in kg_arena_push. */
static void *ppush(kg_jsonpath *p, void *arr_ptr, size_t *n, size_t size) {
  char **arr = arr_ptr;
  if ((*n & (*n - 1)) == 0) {
    char *grown = palloc(p, (*n ? *n * 2 : 1) * size);
    if (*n)
      memcpy(grown, *arr, *n * size);
    *arr = grown;
  }
  char *e = *arr + (*n)++ * size;
  memset(e, 0, size);
  return e;
}

void kg_jsonpath_free(kg_jsonpath *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->nres; i++)
    regfree(p->res[i]);
  for (chunk *c = p->chunks, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(p->text);
  free(p);
}

/* --- the parser: lexical helpers -------------------------------------- */

typedef struct parser {
  const char *s;
  size_t len, pos;
  kg_jsonpath *path;
  kg_jsonpath_error *err;
  unsigned depth;
  size_t nsegs;
} parser;

static kg_status fail_at(parser *p, size_t off, kg_status st, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));

static kg_status fail_at(parser *p, size_t off, kg_status st, const char *fmt,
                         ...) {
  va_list ap;
  va_start(ap, fmt);
  p->err->offset = off;
  vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
  va_end(ap);
  return st;
}

static int peek(const parser *p) {
  return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool at(const parser *p, char c) {
  return peek(p) == (unsigned char)c;
}

static bool starts(const parser *p, const char *t) {
  size_t n = strlen(t);
  return p->len - p->pos >= n && memcmp(p->s + p->pos, t, n) == 0;
}

static bool is_blank(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(int c) {
  return c >= '0' && c <= '9';
}

static bool is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void skip_s(parser *p) {
  while (is_blank(peek(p)))
    p->pos++;
}

/* A short description of the character at off, for messages. */
static const char *describe(const parser *p, size_t off, char buf[16]) {
  if (off >= p->len)
    return "end of expression";
  const unsigned char c = (unsigned char)p->s[off];
  if (c == ' ')
    return "space";
  if (c > ' ' && c < 0x7f)
    snprintf(buf, 16, "'%c'", c);
  else
    snprintf(buf, 16, "byte 0x%02X", c);
  return buf;
}

/* "expected X, found Y" at the current position. */
static kg_status expected(parser *p, const char *what) {
  char buf[16];
  if (p->pos >= p->len)
    return fail_at(p, p->pos, KG_ERR_SYNTAX, "expected %s at end of expression",
                   what);
  return fail_at(p, p->pos, KG_ERR_SYNTAX, "expected %s, found %s", what,
                 describe(p, p->pos, buf));
}

/* Length of the UTF-8 sequence at s[0..n) and its code point, or 0 when it
 * is not well-formed (overlong, surrogate, beyond U+10FFFF, truncated). */
static size_t utf8_encode(char *out, uint32_t c) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | c >> 6);
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | c >> 12);
    out[1] = (char)(0x80 | (c >> 6 & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | c >> 18);
  out[1] = (char)(0x80 | (c >> 12 & 0x3F));
  out[2] = (char)(0x80 | (c >> 6 & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

/* The byte length of the UTF-8 character at pos, or an error. */
static kg_status read_utf8(parser *p, size_t *k) {
  uint32_t cp;
  *k = kg_utf8_decode((const unsigned char *)p->s + p->pos, p->len - p->pos,
                      &cp);
  if (*k == 0)
    return fail_at(p, p->pos, KG_ERR_SYNTAX, "invalid UTF-8");
  return KG_OK;
}

static kg_status enter(parser *p) {
  if (++p->depth > MAX_DEPTH)
    return fail_at(p, p->pos, KG_ERR_LIMIT,
                   "filters, parentheses and function calls nested deeper "
                   "than %d",
                   MAX_DEPTH);
  return KG_OK;
}

/* --- the parser: strings, names and integers --------------------------- */

static unsigned hex_value(int c) {
  if (is_digit(c))
    return (unsigned)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (unsigned)(c - 'a' + 10);
  if (c >= 'A' && c <= 'F')
    return (unsigned)(c - 'A' + 10);
  return 16;
}

/* \uXXXX at pos (just after the 'u'); pos moves past it. */
static kg_status read_hex4(parser *p, uint32_t *v) {
  *v = 0;
  for (int i = 0; i < 4; i++) {
    const unsigned h = hex_value(peek(p));
    if (h > 15)
      return expected(p, "4 hex digits after '\\u'");
    *v = *v << 4 | h;
    p->pos++;
  }
  return KG_OK;
}

/* RFC 9535 2.3.1.1 escapable: b f n r t / \ the quote, and \uXXXX with
 * surrogate pairs.  pos is on the backslash; *out receives the UTF-8. */
static kg_status read_escape(parser *p, char quote, char *out, size_t *k) {
  static const char from[] = "bfnrt/\\", to[] = "\b\f\n\r\t/\\";
  const size_t at_esc = p->pos++;
  const int c = peek(p);
  const char *hit = c > 0 ? strchr(from, c) : NULL;
  p->pos++;
  if (hit || c == (unsigned char)quote) {
    out[0] = hit ? to[hit - from] : quote;
    *k = 1;
    return KG_OK;
  }
  uint32_t u, lo;
  if (c != 'u')
    return fail_at(p, at_esc, KG_ERR_SYNTAX, "invalid escape in string");
  kg_status st = read_hex4(p, &u);
  if (st == KG_OK && u >= 0xDC00 && u <= 0xDFFF)
    st = fail_at(p, at_esc, KG_ERR_SYNTAX, "unpaired surrogate in string");
  if (st == KG_OK && u >= 0xD800 && u <= 0xDBFF) {
    if (!starts(p, "\\u"))
      return fail_at(p, at_esc, KG_ERR_SYNTAX, "unpaired surrogate in string");
    p->pos += 2;
    st = read_hex4(p, &lo);
    if (st == KG_OK && (lo < 0xDC00 || lo > 0xDFFF))
      return fail_at(p, at_esc, KG_ERR_SYNTAX, "unpaired surrogate in string");
    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
  }
  *k = utf8_encode(out, u);
  return st;
}

/* A quoted string; *out is a new NUL-terminated copy with escapes undone. */
static kg_status read_string_literal(parser *p, char **out, size_t *outlen) {
  const char quote = p->s[p->pos];
  const size_t start = p->pos++;
  size_t end = p->pos;
  while (end < p->len && p->s[end] != quote)
    end += p->s[end] == '\\' ? 2 : 1;
  if (end >= p->len)
    return fail_at(p, start, KG_ERR_SYNTAX, "unterminated string");
  char *buf = palloc(p->path, end - p->pos + 1);
  size_t n = 0, k = 0;
  kg_status st = KG_OK;
  while (p->pos < end) {
    const unsigned char c = (unsigned char)p->s[p->pos];
    if (c < 0x20)
      return fail_at(p, p->pos, KG_ERR_SYNTAX,
                     "control character in string (write it escaped)");
    if (c == '\\')
      TRY(read_escape(p, quote, buf + n, &k));
    else {
      TRY(read_utf8(p, &k));
      memcpy(buf + n, p->s + p->pos, k);
      p->pos += k;
    }
    n += k;
  }
  p->pos = end + 1;
  buf[n] = '\0';
  *out = buf;
  *outlen = n;
fail:
  return st;
}

static bool at_name_first(const parser *p) {
  const int c = peek(p);
  return is_alpha(c) || c == '_' || c >= 0x80;
}

static kg_status read_member_name_shorthand(parser *p, selector *sel) {
  kg_status st = KG_OK;
  const size_t start = p->pos;
  size_t k;
  while (at_name_first(p) || is_digit(peek(p))) {
    TRY(read_utf8(p, &k));
    p->pos += k;
  }
  sel->kind = SEL_NAME;
  sel->name = p->s + start;
  sel->len = p->pos - start;
fail:
  return st;
}

static kg_status read_int(parser *p, int64_t *v) {
  const size_t start = p->pos;
  const bool neg = at(p, '-');
  if (neg)
    p->pos++;
  if (!is_digit(peek(p)))
    return expected(p, neg ? "digit after '-'" : "integer");
  const bool zero = at(p, '0');
  if (zero && neg)
    return fail_at(p, start, KG_ERR_SYNTAX, "'-0' is not a valid integer");
  if (zero && p->pos + 1 < p->len && is_digit(p->s[p->pos + 1]))
    return fail_at(p, start, KG_ERR_SYNTAX,
                   "leading zeros are not allowed in an integer");
  int64_t n = 0;
  while (is_digit(peek(p))) {
    n = n * 10 + (peek(p) - '0');
    p->pos++;
    if (n > MAX_INT)
      return fail_at(p, start, KG_ERR_SYNTAX,
                     "integer out of range (at most 2^53-1 in magnitude)");
  }
  *v = neg ? -n : n;
  return KG_OK;
}

/* --- the parser: segments --------------------------------------------- */

static kg_status read_segments(parser *p, query *q);
static kg_status read_logical_or_expr(parser *p, expr **out);

static kg_status read_slice_selector(parser *p, selector *sel) {
  kg_status st = KG_OK;
  sel->kind = SEL_SLICE;
  sel->step = 1;
  p->pos++; /* the ':' */
  skip_s(p);
  if (at(p, '-') || is_digit(peek(p))) {
    TRY(read_int(p, &sel->end));
    sel->has_end = true;
    skip_s(p);
  }
  if (at(p, ':')) {
    p->pos++;
    skip_s(p);
    if (at(p, '-') || is_digit(peek(p)))
      TRY(read_int(p, &sel->step));
  }
fail:
  return st;
}

/* An index, or a slice when a ':' follows the optional start. */
static kg_status read_index_or_slice(parser *p, selector *sel) {
  kg_status st = KG_OK;
  if (!at(p, ':')) {
    TRY(read_int(p, &sel->start));
    const size_t after = p->pos;
    skip_s(p);
    if (!at(p, ':')) {
      p->pos = after;
      sel->kind = SEL_INDEX;
      sel->index = sel->start;
      return KG_OK;
    }
    sel->has_start = true;
  }
  TRY(read_slice_selector(p, sel));
fail:
  return st;
}

static kg_status read_filter_selector(parser *p, selector *sel) {
  kg_status st = KG_OK;
  expr *e = NULL;
  p->pos++; /* the '?' */
  TRY(enter(p));
  skip_s(p);
  TRY(read_logical_or_expr(p, &e));
  p->depth--;
  sel->kind = SEL_FILTER;
  sel->filter = e;
fail:
  return st;
}

static kg_status read_selector(parser *p, selector *sel) {
  char *name;
  kg_status st = KG_OK;
  const int c = peek(p);
  if (c == '\'' || c == '"') {
    TRY(read_string_literal(p, &name, &sel->len));
    sel->kind = SEL_NAME;
    sel->name = name;
  } else if (c == '*') {
    p->pos++;
    sel->kind = SEL_WILDCARD;
  } else if (c == '?')
    TRY(read_filter_selector(p, sel));
  else if (c == '-' || c == ':' || is_digit(c))
    TRY(read_index_or_slice(p, sel));
  else
    return expected(p, "a selector (name, index, slice, '*' or '?')");
fail:
  return st;
}

static kg_status read_bracketed_selection(parser *p, segment *seg) {
  kg_status st = KG_OK;
  p->pos++; /* the '[' */
  skip_s(p);
  for (;;) {
    TRY(read_selector(
        p, ppush(p->path, &seg->sels, &seg->nsels, sizeof *seg->sels)));
    skip_s(p);
    if (at(p, ']')) {
      p->pos++;
      return KG_OK;
    }
    if (!at(p, ','))
      return expected(p, "',' or ']'");
    p->pos++;
    skip_s(p);
  }
fail:
  return st;
}

/* What follows "." or "..": a name, '*', or (after "..") a bracket. */
static kg_status read_dot_member(parser *p, segment *seg) {
  selector *sel = ppush(p->path, &seg->sels, &seg->nsels, sizeof *sel);
  if (at(p, '*')) {
    p->pos++;
    sel->kind = SEL_WILDCARD;
    return KG_OK;
  }
  if (!at_name_first(p))
    return fail_at(p, p->pos, KG_ERR_SYNTAX,
                   seg->descendant ? "expected name, '*' or '[' after '..'"
                                   : "expected name after '.'");
  return read_member_name_shorthand(p, sel);
}

static kg_status read_segment(parser *p, query *q) {
  if (++p->nsegs > MAX_SEGMENTS)
    return fail_at(p, p->pos, KG_ERR_LIMIT, "more than %d segments",
                   MAX_SEGMENTS);
  segment *seg = ppush(p->path, &q->segs, &q->nsegs, sizeof *seg);
  if (at(p, '['))
    return read_bracketed_selection(p, seg);
  p->pos++; /* the '.' */
  if (at(p, '.')) {
    p->pos++;
    seg->descendant = true;
    if (at(p, '['))
      return read_bracketed_selection(p, seg);
  }
  return read_dot_member(p, seg);
}

/* Whitespace is only consumed when a segment follows it. */
static kg_status read_segments(parser *p, query *q) {
  kg_status st = KG_OK;
  for (;;) {
    const size_t save = p->pos;
    skip_s(p);
    if (!at(p, '.') && !at(p, '[')) {
      p->pos = save;
      return KG_OK;
    }
    TRY(read_segment(p, q));
  }
fail:
  return st;
}

static kg_status read_jsonpath_query(parser *p, query *q) {
  if (p->len == 0)
    return fail_at(p, 0, KG_ERR_SYNTAX, "empty expression");
  if (!at(p, '$'))
    return expected(p, "'$' at start of expression");
  p->pos++;
  q->absolute = true;
  return read_segments(p, q);
}

/* kgmap's references: `name`, `a.b`, `['x y']`, `[0]`, `@.name`, `$.name`. */
static kg_status read_relative_reference(parser *p, query *q) {
  kg_status st = KG_OK;
  if (p->len == 0)
    return fail_at(p, 0, KG_ERR_SYNTAX, "empty expression");
  if (at(p, '$') || at(p, '@')) {
    p->pos++;
    return read_segments(p, q);
  }
  if (at(p, '[')) {
    p->nsegs++;
    TRY(read_bracketed_selection(
        p, ppush(p->path, &q->segs, &q->nsegs, sizeof *q->segs)));
  } else if (at_name_first(p)) {
    p->nsegs++;
    segment *seg = ppush(p->path, &q->segs, &q->nsegs, sizeof *seg);
    TRY(read_member_name_shorthand(
        p, ppush(p->path, &seg->sels, &seg->nsels, sizeof *seg->sels)));
  } else
    return expected(p, "a name, '[', '$' or '@' at start of reference");
  TRY(read_segments(p, q));
fail:
  return st;
}

/* --- the parser: filter expressions ----------------------------------- */

static expr *new_expr(parser *p, expr_kind kind) {
  expr *e = palloc(p->path, sizeof *e);
  e->kind = kind;
  return e;
}

static void add_op(parser *p, expr *e, expr *op) {
  *(expr **)ppush(p->path, &e->ops, &e->nops, sizeof op) = op;
}

static bool query_is_singular(const query *q) {
  for (size_t i = 0; i < q->nsegs; i++) {
    const segment *s = &q->segs[i];
    if (s->descendant || s->nsels != 1 ||
        (s->sels[0].kind != SEL_NAME && s->sels[0].kind != SEL_INDEX))
      return false;
  }
  return true;
}

/* RFC 2.4.3: where a value is needed, a query must be singular and a
 * function must return a value. */
static kg_status check_value(parser *p, const expr *e, size_t off) {
  if (e->kind == E_QUERY && !query_is_singular(&e->q))
    return fail_at(p, off, KG_ERR_SYNTAX,
                   "not a singular query (only names and indexes can be "
                   "compared or passed as a value)");
  if (e->kind == E_FUNCTION && functions[e->fn].result != T_VALUE)
    return fail_at(p, off, KG_ERR_SYNTAX,
                   "%s() returns a logical result, not a value",
                   functions[e->fn].name);
  return KG_OK;
}

/* RFC 2.3.5.1: a test is a query or a logical (or nodes) function. */
static kg_status check_test(parser *p, const expr *e, size_t off) {
  if (e->kind == E_LITERAL || e->kind == E_NUMBER)
    return fail_at(p, off, KG_ERR_SYNTAX,
                   "a literal alone is not a test; compare it");
  if (e->kind == E_FUNCTION && functions[e->fn].result == T_VALUE)
    return fail_at(p, off, KG_ERR_SYNTAX,
                   "%s() returns a value, not a logical result; compare it",
                   functions[e->fn].name);
  return KG_OK;
}

static kg_status read_filter_query(parser *p, expr **out) {
  expr *e = new_expr(p, E_QUERY);
  e->q.absolute = at(p, '$');
  p->pos++;
  *out = e;
  return read_segments(p, &e->q);
}

static kg_status read_number(parser *p, expr **out) {
  const size_t start = p->pos;
  if (at(p, '-'))
    p->pos++;
  if (!is_digit(peek(p)))
    return expected(p, "digit");
  if (at(p, '0') && (++p->pos, is_digit(peek(p))))
    return fail_at(p, start, KG_ERR_SYNTAX,
                   "leading zeros are not allowed in a number");
  while (is_digit(peek(p)))
    p->pos++;
  if (at(p, '.') && (++p->pos, !is_digit(peek(p))))
    return expected(p, "digit after '.' in number");
  while (is_digit(peek(p)))
    p->pos++;
  if (at(p, 'e') || at(p, 'E')) {
    p->pos++;
    if (at(p, '-') || at(p, '+'))
      p->pos++;
    if (!is_digit(peek(p)))
      return expected(p, "digit in exponent");
    while (is_digit(peek(p)))
      p->pos++;
  }
  char *lexeme = palloc(p->path, p->pos - start + 1);
  memcpy(lexeme, p->s + start, p->pos - start);
  *out = new_expr(p, E_NUMBER);
  (*out)->num = strtod(lexeme, NULL);
  return KG_OK;
}

static kg_status read_string_value(parser *p, expr **out) {
  char *text;
  expr *e = new_expr(p, E_LITERAL);
  e->lit.kind = KG_NODE_STRING;
  e->lit.quoted = true;
  *out = e;
  kg_status st = read_string_literal(p, &text, &e->lit.len);
  e->lit.text = text;
  return st;
}

static bool iregexp_compile(regex_t *re, const char *pat, size_t len,
                            bool whole);

/* match() and search() with a literal pattern compile it once, here. */
static void precompile_regex(parser *p, expr *e) {
  const expr *pat = e->ops[1];
  if (pat->kind != E_LITERAL || pat->lit.kind != KG_NODE_STRING) {
    e->re_bad = pat->kind != E_QUERY && pat->kind != E_FUNCTION;
    return;
  }
  regex_t *re = palloc(p->path, sizeof *re);
  if (!iregexp_compile(re, pat->lit.text, pat->lit.len, e->fn == F_MATCH)) {
    e->re_bad = true;
    return;
  }
  *(regex_t **)ppush(p->path, &p->path->res, &p->path->nres, sizeof re) = re;
  e->re = re;
}

static kg_status read_comparable(parser *p, expr **out);

static kg_status read_function_argument(parser *p, expr *call) {
  kg_status st = KG_OK;
  const struct func_def *f = &functions[call->fn];
  const size_t off = p->pos, i = call->nops;
  expr *a = NULL;
  TRY(read_comparable(p, &a));
  if (i >= f->nargs)
    return fail_at(p, off, KG_ERR_SYNTAX, "%s() takes %zu argument%s", f->name,
                   f->nargs, f->nargs == 1 ? "" : "s");
  if (f->args[i] == T_NODES && a->kind != E_QUERY)
    return fail_at(p, off, KG_ERR_SYNTAX, "%s() needs a query argument",
                   f->name);
  if (f->args[i] == T_VALUE)
    TRY(check_value(p, a, off));
  add_op(p, call, a);
fail:
  return st;
}

/* pos is on the name; the call's depth counts against MAX_DEPTH. */
static kg_status read_function_expr(parser *p, size_t name_len, expr **out) {
  kg_status st = KG_OK;
  const size_t off = p->pos;
  expr *e = new_expr(p, E_FUNCTION);
  size_t i = 0;
  while (i < sizeof functions / sizeof functions[0] &&
         (strlen(functions[i].name) != name_len ||
          memcmp(functions[i].name, p->s + off, name_len) != 0))
    i++;
  if (i == sizeof functions / sizeof functions[0])
    return fail_at(p, off, KG_ERR_SYNTAX, "unknown function '%.*s'",
                   (int)name_len, p->s + off);
  e->fn = (func_id)i;
  p->pos += name_len + 1;
  TRY(enter(p));
  skip_s(p);
  while (!at(p, ')')) {
    if (e->nops)
      p->pos++, skip_s(p);
    TRY(read_function_argument(p, e));
    skip_s(p);
    if (!at(p, ',') && !at(p, ')'))
      return expected(p, "',' or ')'");
  }
  p->pos++;
  p->depth--;
  if (e->nops != functions[i].nargs)
    return fail_at(p, off, KG_ERR_SYNTAX, "%s() takes %zu argument%s",
                   functions[i].name, functions[i].nargs,
                   functions[i].nargs == 1 ? "" : "s");
  if (e->fn == F_MATCH || e->fn == F_SEARCH)
    precompile_regex(p, e);
  *out = e;
fail:
  return st;
}

/* true, false, null, or a function call (a name directly followed by '('). */
static kg_status read_word(parser *p, expr **out) {
  static const char *const words[] = {"true", "false", "null"};
  size_t n = 0;
  while (p->pos + n < p->len &&
         ((p->s[p->pos + n] >= 'a' && p->s[p->pos + n] <= 'z') ||
          p->s[p->pos + n] == '_' || is_digit(p->s[p->pos + n])))
    n++;
  if (p->pos + n < p->len && p->s[p->pos + n] == '(')
    return read_function_expr(p, n, out);
  for (size_t i = 0; i < 3; i++)
    if (strlen(words[i]) == n && memcmp(words[i], p->s + p->pos, n) == 0) {
      expr *e = new_expr(p, E_LITERAL);
      e->lit.kind = i == 2 ? KG_NODE_NULL : KG_NODE_BOOL;
      e->lit.text = words[i];
      e->lit.len = n;
      p->pos += n;
      *out = e;
      return KG_OK;
    }
  return fail_at(p, p->pos, KG_ERR_SYNTAX,
                 "unknown word '%.*s' in filter (expected true, false, null "
                 "or a function call)",
                 (int)n, p->s + p->pos);
}

static kg_status read_comparable(parser *p, expr **out) {
  const int c = peek(p);
  if (c == '@' || c == '$')
    return read_filter_query(p, out);
  if (c == '\'' || c == '"')
    return read_string_value(p, out);
  if (c == '-' || is_digit(c))
    return read_number(p, out);
  if (c >= 'a' && c <= 'z')
    return read_word(p, out);
  return expected(p, "'@', '$', a literal or a function call");
}

static bool read_comparison_op(parser *p, cmp_op *op) {
  static const struct {
    const char *text;
    cmp_op op;
  } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE},
             {">=", OP_GE}, {"<", OP_LT},  {">", OP_GT}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (starts(p, ops[i].text)) {
      p->pos += strlen(ops[i].text);
      *op = ops[i].op;
      return true;
    }
  return false;
}

static kg_status read_comparison_or_test(parser *p, expr **out) {
  kg_status st = KG_OK;
  const size_t off = p->pos;
  expr *a = NULL, *b = NULL;
  cmp_op op;
  TRY(read_comparable(p, &a));
  const size_t save = p->pos;
  skip_s(p);
  if (!read_comparison_op(p, &op)) {
    p->pos = save;
    *out = a;
    return check_test(p, a, off);
  }
  TRY(check_value(p, a, off));
  skip_s(p);
  const size_t off_b = p->pos;
  TRY(read_comparable(p, &b));
  TRY(check_value(p, b, off_b));
  *out = new_expr(p, E_CMP);
  (*out)->op = op;
  add_op(p, *out, a);
  add_op(p, *out, b);
fail:
  return st;
}

static kg_status read_paren_expr(parser *p, expr **out) {
  kg_status st = KG_OK;
  p->pos++; /* the '(' */
  TRY(enter(p));
  skip_s(p);
  TRY(read_logical_or_expr(p, out));
  skip_s(p);
  if (!at(p, ')'))
    return expected(p, "')'");
  p->pos++;
  p->depth--;
fail:
  return st;
}

static kg_status read_basic_expr(parser *p, expr **out) {
  kg_status st = KG_OK;
  if (!at(p, '!'))
    return at(p, '(') ? read_paren_expr(p, out)
                      : read_comparison_or_test(p, out);
  p->pos++;
  skip_s(p);
  expr *e = new_expr(p, E_NOT), *inner = NULL;
  const size_t off = p->pos;
  if (at(p, '('))
    TRY(read_paren_expr(p, &inner));
  else {
    TRY(read_comparable(p, &inner));
    TRY(check_test(p, inner, off));
  }
  add_op(p, e, inner);
  *out = e;
fail:
  return st;
}

/* operand *( S sep S operand ), as one n-ary node (no deep trees). */
static kg_status read_chain(parser *p, expr **out, const char *sep,
                            expr_kind kind,
                            kg_status (*operand)(parser *, expr **)) {
  kg_status st = KG_OK;
  expr *first = NULL, *e = NULL, *next = NULL;
  TRY(operand(p, &first));
  for (;;) {
    const size_t save = p->pos;
    skip_s(p);
    if (!starts(p, sep)) {
      p->pos = save;
      break;
    }
    p->pos += 2;
    skip_s(p);
    if (!e) {
      e = new_expr(p, kind);
      add_op(p, e, first);
    }
    TRY(operand(p, &next));
    add_op(p, e, next);
  }
  *out = e ? e : first;
fail:
  return st;
}

static kg_status read_logical_and_expr(parser *p, expr **out) {
  return read_chain(p, out, "&&", E_AND, read_basic_expr);
}

static kg_status read_logical_or_expr(parser *p, expr **out) {
  return read_chain(p, out, "||", E_OR, read_logical_and_expr);
}

/* --- compile --------------------------------------------------------- */

/* Anything left over: point at the first non-blank character. */
static kg_status check_end(parser *p) {
  char buf[16];
  const size_t ws = p->pos;
  skip_s(p);
  if (p->pos == p->len)
    return fail_at(p, ws, KG_ERR_SYNTAX,
                   "unexpected whitespace at end of expression");
  if (at(p, '-') && ws == p->pos)
    return fail_at(p, p->pos, KG_ERR_SYNTAX,
                   "unexpected '-' (a name with '-' must be quoted: "
                   "['first-name'])");
  return fail_at(p, p->pos, KG_ERR_SYNTAX, "unexpected %s at end of expression",
                 describe(p, p->pos, buf));
}

kg_status kg_jsonpath_compile(kg_jsonpath **out, const char *src, size_t len,
                              bool relative, kg_jsonpath_error *err) {
  kg_jsonpath_error local;
  kg_jsonpath *path = kg_xcalloc(1, sizeof *path);
  path->text = kg_xstrndup(src, len);
  parser p = {
      .s = path->text, .len = len, .path = path, .err = err ? err : &local};
  kg_status st = relative ? read_relative_reference(&p, &path->q)
                          : read_jsonpath_query(&p, &path->q);
  if (st == KG_OK && p.pos < len)
    st = check_end(&p);
  *out = NULL;
  if (st != KG_OK) {
    kg_jsonpath_free(path);
    return st;
  }
  path->singular = query_is_singular(&path->q);
  *out = path;
  return KG_OK;
}

bool kg_jsonpath_is_singular(const kg_jsonpath *p) {
  return p && p->singular;
}

const char *kg_jsonpath_text(const kg_jsonpath *p) {
  return p ? p->text : "";
}

/* --- evaluation: values and comparisons (RFC 9535 2.3.5.2.2) ---------- */

/* An explicit stack for walks that follow the document's depth, which may
 * be far beyond what the C stack allows. */
typedef struct frame {
  const kg_node *a, *b;
  size_t i;
} frame;

typedef struct stack {
  frame *f;
  size_t n, cap;
  frame local[STACK_LOCAL];
} stack;

static void stack_init(stack *s) {
  s->f = s->local;
  s->n = 0;
  s->cap = STACK_LOCAL;
}

static void stack_push(stack *s, const kg_node *a, const kg_node *b) {
  if (s->n == s->cap) {
    frame *f = kg_xmalloc(2 * s->cap * sizeof *f);
    memcpy(f, s->f, s->n * sizeof *f);
    if (s->f != s->local)
      free(s->f);
    s->f = f;
    s->cap *= 2;
  }
  s->f[s->n++] = (frame){a, b, 0};
}

static void stack_free(stack *s) {
  if (s->f != s->local)
    free(s->f);
}

/* Nothing (node NULL, !is_num), a node, or a computed number. */
typedef struct value {
  const kg_node *node;
  double num;
  bool is_num;
} value;

static bool is_container(const kg_node *n) {
  return n->kind == KG_NODE_SEQ || n->kind == KG_NODE_MAP;
}

static bool is_number_node(const kg_node *n) {
  return n->kind == KG_NODE_INT || n->kind == KG_NODE_FLOAT;
}

/* The value of an INT or FLOAT node: JSON numbers and the YAML 1.2 core
 * schema's forms (0o17, 0x1F, .inf, .nan). */
static double node_number(const kg_node *n) {
  const char *t = n->text;
  const bool neg = t[0] == '-';
  t += t[0] == '-' || t[0] == '+';
  double d;
  if (t[0] == '.' && (t[1] == 'i' || t[1] == 'I'))
    d = HUGE_VAL;
  else if (t[0] == '.' && (t[1] == 'n' || t[1] == 'N'))
    d = NAN;
  else if (t[0] == '0' && t[1] == 'o')
    d = (double)strtoull(t + 2, NULL, 8);
  else
    return strtod(n->text, NULL);
  return neg ? -d : d;
}

static bool value_number(value v, double *d) {
  if (v.is_num)
    *d = v.num;
  else if (v.node && is_number_node(v.node))
    *d = node_number(v.node);
  else
    return false;
  return true;
}

static bool node_true(const kg_node *n) {
  return n->text[0] == 't' || n->text[0] == 'T';
}

/* Equal scalars, or containers of the same kind and size. */
static bool shallow_equal(const kg_node *a, const kg_node *b) {
  if (is_number_node(a) && is_number_node(b))
    return node_number(a) == node_number(b);
  if (a->kind != b->kind)
    return false;
  switch (a->kind) {
  case KG_NODE_BOOL:
    return node_true(a) == node_true(b);
  case KG_NODE_STRING:
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
  case KG_NODE_SEQ:
  case KG_NODE_MAP:
    return a->n == b->n;
  default:
    return true;
  }
}

static const kg_node *map_get(const kg_node *map, const char *key, size_t len) {
  if (map->kind != KG_NODE_MAP)
    return NULL;
  for (size_t i = 0; i < map->n; i++) {
    const kg_node *k = map->keys[i];
    /* The first byte before memcmp: keys of one object mostly differ
     * there, and a call is dearer than the test. */
    if (k->len == len &&
        (len == 0 || (k->text[0] == key[0] && memcmp(k->text, key, len) == 0)))
      return map->items[i];
  }
  return NULL;
}

/* Deep equality: arrays item by item, objects by the same keys. */
static bool nodes_equal(const kg_node *a, const kg_node *b) {
  if (!shallow_equal(a, b) || !is_container(a))
    return shallow_equal(a, b);
  stack s;
  bool eq = true;
  stack_init(&s);
  stack_push(&s, a, b);
  while (s.n && eq) {
    frame *f = &s.f[s.n - 1];
    if (f->i == f->a->n) {
      s.n--;
      continue;
    }
    const kg_node *ca = f->a->items[f->i], *cb = NULL;
    const kg_node *key = f->a->kind == KG_NODE_MAP ? f->a->keys[f->i] : NULL;
    cb = key ? map_get(f->b, key->text, key->len) : f->b->items[f->i];
    f->i++;
    eq = cb && shallow_equal(ca, cb);
    if (eq && is_container(ca))
      stack_push(&s, ca, cb);
  }
  stack_free(&s);
  return eq;
}

static bool values_equal(value a, value b) {
  const bool na = !a.node && !a.is_num, nb = !b.node && !b.is_num;
  double x = 0, y = 0;
  if (na || nb)
    return na && nb;
  const bool xa = value_number(a, &x), yb = value_number(b, &y);
  if (xa || yb)
    return xa && yb && x == y;
  return nodes_equal(a.node, b.node);
}

/* Numbers numerically, strings by code point (UTF-8 byte order is code
 * point order); anything else is not ordered. */
static bool values_less(value a, value b) {
  double x = 0, y = 0;
  if (value_number(a, &x) && value_number(b, &y))
    return x < y;
  if (!a.node || !b.node || a.node->kind != KG_NODE_STRING ||
      b.node->kind != KG_NODE_STRING)
    return false;
  const size_t n = a.node->len < b.node->len ? a.node->len : b.node->len;
  const int c = memcmp(a.node->text, b.node->text, n);
  return c < 0 || (c == 0 && a.node->len < b.node->len);
}

static bool compare(value a, value b, cmp_op op) {
  switch (op) {
  case OP_EQ:
    return values_equal(a, b);
  case OP_NE:
    return !values_equal(a, b);
  case OP_LT:
    return values_less(a, b);
  case OP_LE:
    return values_less(a, b) || values_equal(a, b);
  case OP_GT:
    return values_less(b, a);
  default:
    return values_less(b, a) || values_equal(a, b);
  }
}

/* --- evaluation: segments --------------------------------------------- */

typedef struct run {
  const kg_node *root;
  kg_jsonpath_visit_fn visit;
  void *h;
  size_t *steps; /* shared with the runs of filter queries */
  size_t max_steps;
} run;

/* One more step; false once the evaluation is over budget. */
static bool step(const run *r) {
  return ++*r->steps <= r->max_steps;
}

static int eval_segments(const run *r, const segment *seg, size_t n,
                         const kg_node *node);
static bool eval_logical(const run *r, const expr *e, const kg_node *cur);

/* RFC 9535 2.3.4.2.2: the slice's bounds, then its indexes in order. */
static int select_slice(const run *r, const segment *seg, size_t n,
                        const selector *sel, const kg_node *node) {
  const int64_t len = (int64_t)node->n, step = sel->step;
  if (step == 0)
    return 0;
  int64_t start = sel->has_start ? sel->start : step > 0 ? 0 : len - 1;
  int64_t end = sel->has_end ? sel->end : step > 0 ? len : -len - 1;
  start = start >= 0 ? start : len + start;
  end = end >= 0 ? end : len + end;
  const int64_t floor = step > 0 ? 0 : -1, ceil = step > 0 ? len : len - 1;
  start = start < floor ? floor : start > ceil ? ceil : start;
  end = end < floor ? floor : end > ceil ? ceil : end;
  int rc = 0;
  for (int64_t i = start; rc == 0 && (step > 0 ? i < end : i > end); i += step)
    rc = eval_segments(r, seg + 1, n - 1, node->items[i]);
  return rc;
}

static int select_children(const run *r, const segment *seg, size_t n,
                           const selector *sel, const kg_node *node) {
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < node->n; i++)
    if (sel->kind == SEL_WILDCARD ||
        eval_logical(r, sel->filter, node->items[i]))
      rc = eval_segments(r, seg + 1, n - 1, node->items[i]);
  return rc;
}

static int apply_selector(const run *r, const segment *seg, size_t n,
                          const selector *sel, const kg_node *node) {
  const kg_node *child = NULL;
  switch (sel->kind) {
  case SEL_NAME:
    child = map_get(node, sel->name, sel->len);
    break;
  case SEL_INDEX:
    if (node->kind == KG_NODE_SEQ) {
      const int64_t i =
          sel->index < 0 ? (int64_t)node->n + sel->index : sel->index;
      child = i >= 0 && i < (int64_t)node->n ? node->items[i] : NULL;
    }
    break;
  case SEL_SLICE:
    return node->kind == KG_NODE_SEQ ? select_slice(r, seg, n, sel, node) : 0;
  default:
    return is_container(node) ? select_children(r, seg, n, sel, node) : 0;
  }
  return child ? eval_segments(r, seg + 1, n - 1, child) : 0;
}

static int apply_selectors(const run *r, const segment *seg, size_t n,
                           const kg_node *node) {
  int rc = step(r) ? 0 : KG_JSONPATH_TOO_LONG;
  for (size_t i = 0; rc == 0 && i < seg->nsels; i++)
    rc = apply_selector(r, seg, n, &seg->sels[i], node);
  return rc;
}

/* RFC 9535 2.5.2.2: the selectors applied to the node and to each of its
 * descendants, a node before its descendants, children in order. */
static int eval_descendant(const run *r, const segment *seg, size_t n,
                           const kg_node *node) {
  stack s;
  int rc = apply_selectors(r, seg, n, node);
  stack_init(&s);
  if (is_container(node))
    stack_push(&s, node, NULL);
  while (s.n && rc == 0) {
    frame *f = &s.f[s.n - 1];
    if (f->i == f->a->n) {
      s.n--;
      continue;
    }
    const kg_node *child = f->a->items[f->i++];
    rc = apply_selectors(r, seg, n, child);
    if (is_container(child))
      stack_push(&s, child, NULL);
  }
  stack_free(&s);
  return rc;
}

static int eval_segments(const run *r, const segment *seg, size_t n,
                         const kg_node *node) {
  if (n == 0)
    return r->visit(r->h, node);
  if (seg->descendant)
    return eval_descendant(r, seg, n, node);
  return apply_selectors(r, seg, n, node);
}

int kg_jsonpath_eval_max(const kg_jsonpath *p, const kg_node *root,
                         kg_jsonpath_visit_fn visit, void *h,
                         size_t max_steps) {
  if (!p || !root)
    return 0;
  size_t steps = 0;
  const run r = {root, visit, h, &steps, kg_jsonpath_budget(max_steps)};
  const int rc = eval_segments(&r, p->q.segs, p->q.nsegs, root);
  return steps > r.max_steps ? KG_JSONPATH_TOO_LONG : rc;
}

int kg_jsonpath_eval(const kg_jsonpath *p, const kg_node *root,
                     kg_jsonpath_visit_fn visit, void *h) {
  return kg_jsonpath_eval_max(p, root, visit, h, 0);
}

static const kg_node *eval_singular(const run *r, const query *q,
                                    const kg_node *cur);

const kg_node *kg_jsonpath_get(const kg_jsonpath *p, const kg_node *root) {
  if (!p || !root)
    return NULL;
  const run r = {root, NULL, NULL, NULL, 0};
  return eval_singular(&r, &p->q, root);
}

/* --- evaluation: filters ---------------------------------------------- */

/* A singular query, walked without a visitor. */
static const kg_node *eval_singular(const run *r, const query *q,
                                    const kg_node *cur) {
  const kg_node *n = q->absolute ? r->root : cur;
  for (size_t i = 0; n && i < q->nsegs; i++) {
    const selector *sel = &q->segs[i].sels[0];
    if (sel->kind == SEL_NAME) {
      n = map_get(n, sel->name, sel->len);
      continue;
    }
    const int64_t len = n->kind == KG_NODE_SEQ ? (int64_t)n->n : 0;
    const int64_t k = sel->index < 0 ? len + sel->index : sel->index;
    n = k >= 0 && k < len ? n->items[k] : NULL;
  }
  return n;
}

typedef struct gather {
  size_t count, stop_at;
  const kg_node *first;
} gather;

static int gather_visit(void *h, const kg_node *node) {
  gather *g = h;
  if (g->count++ == 0)
    g->first = node;
  return g->count == g->stop_at;
}

/* Nodes selected by a query, up to stop_at (0: all). */
static gather eval_query(const run *r, const query *q, const kg_node *cur,
                         size_t stop_at) {
  gather g = {0, stop_at, NULL};
  const run sub = {r->root, gather_visit, &g, r->steps, r->max_steps};
  eval_segments(&sub, q->segs, q->nsegs, q->absolute ? r->root : cur);
  return g;
}

static value eval_value(const run *r, const expr *e, const kg_node *cur);

/* RFC 9535 2.4.4: characters (Unicode scalar values) of a string, items of
 * an array or object; Nothing for anything else. */
static value eval_length(const run *r, const expr *e, const kg_node *cur) {
  const value v = eval_value(r, e->ops[0], cur);
  value out = {NULL, 0, true};
  if (!v.node || (!is_container(v.node) && v.node->kind != KG_NODE_STRING))
    return (value){NULL, 0, false};
  if (is_container(v.node))
    out.num = (double)v.node->n;
  else
    for (size_t i = 0; i < v.node->len; i++)
      out.num += ((unsigned char)v.node->text[i] & 0xC0) != 0x80;
  return out;
}

static value eval_value(const run *r, const expr *e, const kg_node *cur) {
  gather g;
  switch (e->kind) {
  case E_LITERAL:
    return (value){&e->lit, 0, false};
  case E_NUMBER:
    return (value){NULL, e->num, true};
  case E_QUERY:
    return (value){eval_singular(r, &e->q, cur), 0, false};
  default:
    break;
  }
  if (e->fn == F_LENGTH)
    return eval_length(r, e, cur);
  g = eval_query(r, &e->ops[0]->q, cur, e->fn == F_VALUE ? 2 : 0);
  if (e->fn == F_COUNT)
    return (value){NULL, (double)g.count, true};
  return (value){g.count == 1 ? g.first : NULL, 0, false};
}

static bool regex_matches(const regex_t *re, const kg_node *s) {
  if (memchr(s->text, '\0', s->len))
    return false;
  return regexec(re, s->text, 0, NULL, 0) == 0;
}

/* RFC 9535 2.4.6-2.4.7: match() and search(). */
static bool eval_regex(const run *r, const expr *e, const kg_node *cur) {
  const value s = eval_value(r, e->ops[0], cur);
  if (!s.node || s.node->kind != KG_NODE_STRING || e->re_bad)
    return false;
  if (e->re)
    return regex_matches(e->re, s.node);
  const value pat = eval_value(r, e->ops[1], cur);
  regex_t re;
  if (!pat.node || pat.node->kind != KG_NODE_STRING ||
      !iregexp_compile(&re, pat.node->text, pat.node->len, e->fn == F_MATCH))
    return false;
  const bool m = regex_matches(&re, s.node);
  regfree(&re);
  return m;
}

static bool eval_logical(const run *r, const expr *e, const kg_node *cur) {
  switch (e->kind) {
  case E_OR:
  case E_AND:
    for (size_t i = 0; i < e->nops; i++)
      if (eval_logical(r, e->ops[i], cur) == (e->kind == E_OR))
        return e->kind == E_OR;
    return e->kind == E_AND;
  case E_NOT:
    return !eval_logical(r, e->ops[0], cur);
  case E_CMP:
    return compare(eval_value(r, e->ops[0], cur), eval_value(r, e->ops[1], cur),
                   e->op);
  case E_QUERY:
    return eval_query(r, &e->q, cur, 1).count > 0;
  case E_FUNCTION:
    return eval_regex(r, e, cur);
  default:
    return false;
  }
}

/* --- I-Regexp (RFC 9485) as POSIX extended regular expressions --------- */

/* Any one character but newline and carriage return, as whole UTF-8. */
static const char any_char[] = "([^\n\r\x80-\xff]|[\xc0-\xff][\x80-\xbf]*)";

static bool translate_escape(kg_buf *b, char c, bool in_class) {
  static const char from[] = "nrt", to[] = "\n\r\t";
  const char *ctl = c ? strchr(from, c) : NULL;
  if (ctl) {
    kg_buf_putc(b, to[ctl - from]);
    return true;
  }
  if (!c || !strchr(".*+?()[]{}|\\^$-", c))
    return false; /* \p{..}, \P{..}: not supported */
  /* POSIX brackets have no escapes: only characters that stand for
   * themselves there can be written. */
  if (in_class && strchr("]-^[", c))
    return false;
  if (!in_class && c != ']' && c != '}' && c != '-')
    kg_buf_putc(b, '\\');
  kg_buf_putc(b, c);
  return true;
}

enum { RE_MAX_GROUPS = 32, RE_MAX_SIZE = 4096 };

/* glibc's regcomp copies the atom of a repetition, so nested repetitions
 * need exponential memory: the pattern's expanded size is tracked, and a
 * pattern beyond RE_MAX_SIZE atoms is refused (it never matches), as is a
 * quantifier that follows no atom (I-Regexp: piece = atom [quantifier]). */
typedef struct re_shape {
  size_t size[RE_MAX_GROUPS]; /* expanded atoms in each open group */
  size_t depth;
  size_t last; /* the atom just read; 0 when no quantifier may follow */
} re_shape;

static bool shape_atom(re_shape *sh, size_t n) {
  sh->last = n;
  sh->size[sh->depth] += n;
  return sh->size[sh->depth] <= RE_MAX_SIZE;
}

/* The last atom, repeated up to `times` more times. */
static bool shape_repeat(re_shape *sh, size_t times) {
  if (!sh->last || times > RE_MAX_SIZE)
    return false;
  sh->size[sh->depth] += sh->last * times;
  sh->last = 0;
  return sh->size[sh->depth] <= RE_MAX_SIZE;
}

static size_t read_count(const char *s, size_t n, size_t *j) {
  size_t v = 0;
  while (*j < n && is_digit(s[*j]) && v <= RE_MAX_SIZE)
    v = v * 10 + (size_t)(s[(*j)++] - '0');
  return v;
}

/* "{n}", "{n,}" or "{n,m}" at s[*i], copied; *i ends on the '}'. */
static bool translate_quantifier(kg_buf *b, const char *s, size_t n, size_t *i,
                                 re_shape *sh) {
  size_t j = *i + 1, hi = 0;
  if (j >= n || !is_digit(s[j]))
    return false;
  const size_t lo = read_count(s, n, &j);
  const bool comma = j < n && s[j] == ',';
  const size_t hi_at = j += comma;
  if (comma)
    hi = read_count(s, n, &j);
  if (j >= n || s[j] != '}')
    return false;
  kg_buf_append(b, s + *i, j + 1 - *i);
  *i = j;
  return shape_repeat(sh, j > hi_at ? hi : lo + 1);
}

/* One character outside a bracket expression. */
static bool translate_char(kg_buf *b, const char *s, size_t n, size_t *i,
                           re_shape *sh) {
  const char c = s[*i];
  switch (c) {
  case '(':
    if (sh->depth + 1 == RE_MAX_GROUPS)
      return false;
    sh->size[++sh->depth] = 0;
    sh->last = 0;
    break;
  case ')':
    if (sh->depth == 0)
      return false;
    sh->depth--;
    if (!shape_atom(sh, sh->size[sh->depth + 1]))
      return false;
    break;
  case '|':
    sh->last = 0;
    break;
  case '*':
  case '+':
  case '?':
    if (!shape_repeat(sh, 1))
      return false;
    break;
  case '{':
    return translate_quantifier(b, s, n, i, sh);
  case '}':
  case ']':
    return false; /* must be escaped in I-Regexp */
  case '.':
    kg_buf_puts(b, any_char);
    return shape_atom(sh, 4);
  default:
    if (c == '^' || c == '$') /* ordinary characters in I-Regexp */
      kg_buf_putc(b, '\\');
    if (!shape_atom(sh, 1))
      return false;
  }
  kg_buf_putc(b, c);
  return true;
}

static bool iregexp_to_ere(kg_buf *b, const char *s, size_t n) {
  re_shape sh = {{0}, 0, 0};
  bool in_class = false;
  for (size_t i = 0; i < n; i++) {
    const char c = s[i];
    if (c == '\0')
      return false;
    if (c == '\\') {
      if (++i == n || !translate_escape(b, s[i], in_class) ||
          (!in_class && !shape_atom(&sh, 1)))
        return false;
    } else if (in_class) {
      in_class = c != ']';
      kg_buf_putc(b, c);
      if (!in_class && !shape_atom(&sh, 1))
        return false;
    } else if (c == '[') {
      kg_buf_putc(b, c);
      if (i + 1 < n && s[i + 1] == '^')
        kg_buf_putc(b, s[++i]);
      if (i + 1 < n && s[i + 1] == ']')
        return false; /* empty class: not I-Regexp */
      in_class = true;
    } else if (!translate_char(b, s, n, &i, &sh))
      return false;
  }
  return !in_class && sh.depth == 0;
}

/* whole: match() (the entire string) rather than search(). */
static bool iregexp_compile(regex_t *re, const char *pat, size_t len,
                            bool whole) {
  kg_buf b = {0};
  kg_buf_puts(&b, whole ? "^(" : "(");
  bool ok = iregexp_to_ere(&b, pat, len);
  kg_buf_puts(&b, whole ? ")$" : ")");
  ok = ok && regcomp(re, kg_buf_cstr(&b), REG_EXTENDED | REG_NOSUB) == 0;
  kg_buf_free(&b);
  return ok;
}
