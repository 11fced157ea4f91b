/* jsonl.c - the fast path of the JSON Lines reader (see jsonl.h).  Every
 * function returns false to decline: the caller then uses libyaml. */
#include "jsonl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 200, MAX_KEYS = 32 };

typedef struct parser {
  kg_arena *a;
  kg_jsonl_scratch *s;
  const unsigned char *p; /* the line */
  size_t n, pos;
  size_t cont; /* UTF-8 continuation bytes before pos: columns count
                  code points */
  unsigned line;
  size_t bytes, max_bytes;
  unsigned depth;
} parser;

static void skip_ws(parser *q) {
  while (q->pos < q->n && (q->p[q->pos] == ' ' || q->p[q->pos] == '\t'))
    q->pos++;
}

static kg_node *new_node(parser *q, kg_node_kind kind) {
  kg_node *n = kg_arena_alloc(q->a, sizeof *n);
  q->bytes += KG_DOC_NODE_BYTES; /* the reader's memory count (doc.h) */
  n->kind = kind;
  n->line = q->line;
  n->col = (unsigned)(q->pos - q->cont + 1);
  n->text = "";
  return n;
}

static void push(parser *q, kg_node *n) {
  kg_jsonl_scratch *s = q->s;
  if (s->top == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->stack = kg_xrealloc(s->stack, s->cap * sizeof *s->stack);
  }
  s->stack[s->top++] = n;
}

static bool set_text(parser *q, kg_node *n, const char *t, size_t len) {
  q->bytes += len;
  if (q->bytes > q->max_bytes)
    return false;
  n->text = kg_arena_strndup(q->a, t, len);
  n->len = len;
  return true;
}

/* --- strings ----------------------------------------------------------- */

static int hex4(const unsigned char *p) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    const int c = p[i] | 0x20;
    const int d = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                           : -1;
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  return v;
}

static void put_utf8(kg_buf *b, uint32_t c) {
  char u[4];
  size_t k;
  if (c < 0x80) {
    u[0] = (char)c, k = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), k = 2;
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F)), k = 3;
  } else {
    u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3F));
    u[2] = (char)(0x80 | (c >> 6 & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F));
    k = 4;
  }
  kg_buf_append(b, u, k);
}

/* \uXXXX at q->pos (after the backslash and 'u'), with its low surrogate. */
static bool read_u_escape(parser *q, kg_buf *b) {
  if (q->pos + 4 > q->n)
    return false;
  int v = hex4(q->p + q->pos);
  q->pos += 4;
  if (v < 0 || (v >= 0xDC00 && v <= 0xDFFF))
    return false;
  uint32_t c = (uint32_t)v;
  if (v >= 0xD800 && v <= 0xDBFF) {
    if (q->pos + 6 > q->n || q->p[q->pos] != '\\' || q->p[q->pos + 1] != 'u')
      return false;
    const int lo = hex4(q->p + q->pos + 2);
    if (lo < 0xDC00 || lo > 0xDFFF)
      return false;
    q->pos += 6;
    c = 0x10000 + ((uint32_t)(v - 0xD800) << 10) + (uint32_t)(lo - 0xDC00);
  }
  /* The slow path hands the code point to libyaml, which refuses what
   * YAML cannot print: decline those. */
  if (c != 0 && c != 0x09 && c != 0x0A && c != 0x0D &&
      (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xFFFE ||
       c == 0xFFFF))
    return false;
  put_utf8(b, c);
  return true;
}

/* A valid, printable UTF-8 sequence at q->pos that is no line break to
 * libyaml (NEL, LS, PS); its length, 0 to decline. */
static size_t utf8_char(const parser *q) {
  const unsigned char *p = q->p + q->pos;
  const size_t left = q->n - q->pos;
  uint32_t c;
  size_t k;
  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    c = p[0] & 0x1Fu, k = 2;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    c = p[0] & 0x0Fu, k = 3;
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    c = p[0] & 0x07u, k = 4;
  else
    return 0;
  if (k > left)
    return 0;
  for (size_t i = 1; i < k; i++) {
    if ((p[i] & 0xC0) != 0x80)
      return 0;
    c = c << 6 | (p[i] & 0x3Fu);
  }
  static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < min[k] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF || c < 0xA0 ||
      c == 0x2028 || c == 0x2029 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF)
    return 0;
  return k;
}

static bool read_escape(parser *q, kg_buf *b) {
  if (q->pos >= q->n)
    return false;
  const unsigned char c = q->p[q->pos++];
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *e = c ? strchr(from, c) : NULL;
  if (e) {
    kg_buf_putc(b, to[e - from]);
    return true;
  }
  return c == 'u' && read_u_escape(q, b);
}

/* Bytes that a string holds as they are, with no check: printable ASCII
 * but '"' and '\\'. */
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The string at q->pos (its opening quote) into n's text. */
static bool read_string(parser *q, kg_node *n) {
  const size_t start = ++q->pos;
  kg_buf *b = &q->s->text;
  bool escaped = false;
  kg_buf_reset(b);
  while (q->pos < q->n) {
    size_t i = q->pos;
    while (i + 4 <= q->n && (plain[q->p[i]] & plain[q->p[i + 1]] &
                             plain[q->p[i + 2]] & plain[q->p[i + 3]]))
      i += 4;
    while (i < q->n && plain[q->p[i]])
      i++;
    if (escaped && i > q->pos)
      kg_buf_append(b, (const char *)q->p + q->pos, i - q->pos);
    q->pos = i;
    if (q->pos == q->n)
      break;
    const unsigned char c = q->p[q->pos];
    if (c == '"') {
      n->quoted = true;
      const bool ok =
          escaped ? set_text(q, n, b->data, b->len)
                  : set_text(q, n, (const char *)q->p + start, q->pos - start);
      q->pos++;
      return ok;
    }
    if (c == '\\') {
      if (!escaped)
        kg_buf_append(b, (const char *)q->p + start, q->pos - start);
      escaped = true;
      q->pos++;
      if (!read_escape(q, b))
        return false;
      continue;
    }
    size_t k = 1;
    if (c < 0x20 || c == 0x7F)
      return false;
    if (c >= 0x80 && (k = utf8_char(q)) == 0)
      return false;
    if (escaped)
      kg_buf_append(b, (const char *)q->p + q->pos, k);
    q->pos += k;
    q->cont += k - 1;
  }
  return false;
}

/* --- numbers and words --------------------------------------------------- */

static size_t digits(parser *q) {
  const size_t start = q->pos;
  while (q->pos < q->n && q->p[q->pos] >= '0' && q->p[q->pos] <= '9')
    q->pos++;
  return q->pos - start;
}

/* RFC 8259 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static bool read_number(parser *q, kg_node *n) {
  const size_t start = q->pos;
  if (q->p[q->pos] == '-')
    q->pos++;
  if (q->pos < q->n && q->p[q->pos] == '0')
    q->pos++;
  else if (!(q->pos < q->n && q->p[q->pos] >= '1' && q->p[q->pos] <= '9') ||
           !digits(q))
    return false;
  n->kind = KG_NODE_INT;
  if (q->pos < q->n && q->p[q->pos] == '.') {
    q->pos++;
    n->kind = KG_NODE_FLOAT;
    if (!digits(q))
      return false;
  }
  if (q->pos < q->n && (q->p[q->pos] | 0x20) == 'e') {
    q->pos++;
    n->kind = KG_NODE_FLOAT;
    if (q->pos < q->n && (q->p[q->pos] == '-' || q->p[q->pos] == '+'))
      q->pos++;
    if (!digits(q))
      return false;
  }
  return set_text(q, n, (const char *)q->p + start, q->pos - start);
}

static bool read_word(parser *q, kg_node *n) {
  static const struct {
    const char *w;
    kg_node_kind kind;
  } words[] = {
      {"true", KG_NODE_BOOL}, {"false", KG_NODE_BOOL}, {"null", KG_NODE_NULL}};
  for (size_t i = 0; i < 3; i++) {
    const size_t len = strlen(words[i].w);
    if (q->n - q->pos >= len && memcmp(q->p + q->pos, words[i].w, len) == 0) {
      n->kind = words[i].kind;
      q->pos += len;
      return set_text(q, n, words[i].w, len);
    }
  }
  return false;
}

/* --- containers ---------------------------------------------------------- */

static bool read_value(parser *q, kg_node **out);

static bool same_key(const kg_node *a, const kg_node *b) {
  return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Move the items pushed since base into the container. */
static bool close_container(parser *q, kg_node *c, size_t base) {
  kg_jsonl_scratch *s = q->s;
  const size_t count = s->top - base;
  s->top = base;
  if (count == 0) /* the stack may still be NULL: no pointer arithmetic */
    return true;
  kg_node **items = s->stack + base;
  if (c->kind == KG_NODE_SEQ) {
    c->n = count;
    c->items = kg_arena_alloc(q->a, count * sizeof *items);
    memcpy(c->items, items, count * sizeof *items);
    return true;
  }
  c->n = count / 2;
  if (c->n > MAX_KEYS)
    return false;
  c->keys = kg_arena_alloc(q->a, c->n * sizeof *items);
  c->items = kg_arena_alloc(q->a, c->n * sizeof *items);
  for (size_t i = 0; i < c->n; i++) {
    c->keys[i] = items[2 * i];
    c->items[i] = items[2 * i + 1];
    for (size_t j = 0; j < i; j++)
      if (same_key(c->keys[i], c->keys[j]))
        return false; /* the slow path names the duplicate */
  }
  return true;
}

static bool expect(parser *q, unsigned char c) {
  skip_ws(q);
  if (q->pos < q->n && q->p[q->pos] == c) {
    q->pos++;
    return true;
  }
  return false;
}

static bool read_container(parser *q, kg_node *c, unsigned char close) {
  const size_t base = q->s->top;
  const bool map = close == '}';
  q->pos++;
  skip_ws(q);
  if (q->pos < q->n && q->p[q->pos] == close) {
    q->pos++;
    return close_container(q, c, base);
  }
  for (;;) {
    kg_node *item;
    if (map) {
      skip_ws(q);
      if (q->pos >= q->n || q->p[q->pos] != '"' || !read_value(q, &item))
        return false;
      push(q, item);
      if (!expect(q, ':'))
        return false;
    }
    if (!read_value(q, &item))
      return false;
    push(q, item);
    skip_ws(q);
    if (q->pos < q->n && q->p[q->pos] == ',') {
      q->pos++;
      continue;
    }
    if (q->pos < q->n && q->p[q->pos] == close) {
      q->pos++;
      return close_container(q, c, base);
    }
    return false;
  }
}

static bool read_value(parser *q, kg_node **out) {
  skip_ws(q);
  if (q->pos >= q->n)
    return false;
  const unsigned char c = q->p[q->pos];
  kg_node *n = new_node(q, KG_NODE_STRING);
  *out = n;
  if (c == '"')
    return read_string(q, n);
  if (c == '-' || (c >= '0' && c <= '9'))
    return read_number(q, n);
  if (c != '{' && c != '[')
    return read_word(q, n);
  if (++q->depth > MAX_DEPTH)
    return false;
  n->kind = c == '{' ? KG_NODE_MAP : KG_NODE_SEQ;
  const bool ok = read_container(q, n, c == '{' ? '}' : ']');
  q->depth--;
  return ok;
}

bool kg_jsonl_parse(kg_arena *a, kg_jsonl_scratch *s, const char *line,
                    size_t n, unsigned line_no, size_t max_bytes,
                    const kg_node **root) {
  parser q = {a,         s, (const unsigned char *)line, n, 0, 0, line_no, 0,
              max_bytes, 0};
  kg_node *v;
  s->top = 0;
  if (!read_value(&q, &v))
    return false;
  skip_ws(&q);
  if (q.pos != n || q.bytes > q.max_bytes) /* libyaml reports the limit */
    return false;
  *root = v;
  return true;
}

void kg_jsonl_scratch_free(kg_jsonl_scratch *s) {
  free(s->stack);
  kg_buf_free(&s->text);
}
