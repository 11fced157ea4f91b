/* rdfcmp.c - compare two N-Quads (or N-Triples) files as RDF datasets.
 *
 *   rdfcmp [--lenient] EXPECTED ACTUAL
 *
 * Exit 0 when the datasets are equal, 1 with a short diff when they are not,
 * 2 on a usage or parse error (file:line: message).
 *
 * Equality: blank nodes match up to one consistent renaming across all
 * graphs (an isomorphism: colour refinement of blank node signatures, then
 * backtracking over ties); duplicates collapse; a statement without a graph
 * label is in the default graph; "x"^^xsd:string equals "x"; language tags
 * compare case-insensitively; xsd:integer, xsd:decimal and xsd:double
 * literals compare by their canonical lexical form.
 *
 * Grammar read (N-Quads 1.1, with comments and blank lines):
 *   statement  ::= subject predicate object graph? '.'
 *   subject    ::= IRIREF | BLANK_NODE_LABEL
 *   predicate  ::= IRIREF
 *   object     ::= IRIREF | BLANK_NODE_LABEL | literal
 *   graph      ::= IRIREF | BLANK_NODE_LABEL
 *   literal    ::= STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)?
 * --lenient lets an IRIREF hold any character but '>' (spaces, '{', ...),
 * as RML-Core's rml:UnsafeIRI output does (case RMLTC0027b). */
#include "arena.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XSD "http://www.w3.org/2001/XMLSchema#"
#define MAX_DIFF_LINES 20

/* ---- interned terms ------------------------------------------------------
 * Every non-blank term is kept once, as its canonical N-Quads text, shared by
 * both files so that equal terms have equal ids.  A term reference is a
 * uint32_t: 0 is the default graph, BLANK_BIT|i is blank node i of the file,
 * anything else is an interned id. */
#define BLANK_BIT 0x80000000u
#define IS_BLANK(t) (((t)&BLANK_BIT) != 0)

typedef struct strtab {
  char **strs; /* strs[id - 1] */
  size_t n;
  uint32_t *slots; /* open addressing: id, or 0 for empty */
  size_t nslots;
} strtab;

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

static uint64_t mix(uint64_t x) { /* splitmix64 finaliser */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

static void strtab_grow(strtab *t) {
  const size_t nslots = t->nslots ? t->nslots * 2 : 256;
  uint32_t *slots = kg_xcalloc(nslots, sizeof *slots);
  for (size_t i = 0; i < t->n; i++) {
    size_t j = hash_bytes(t->strs[i], strlen(t->strs[i])) & (nslots - 1);
    while (slots[j])
      j = (j + 1) & (nslots - 1);
    slots[j] = (uint32_t)(i + 1);
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = nslots;
  t->strs = kg_xrealloc(t->strs, (nslots / 2) * sizeof *t->strs);
}

static uint32_t strtab_intern(strtab *t, const char *s) {
  if (2 * (t->n + 1) > t->nslots)
    strtab_grow(t);
  size_t j = hash_bytes(s, strlen(s)) & (t->nslots - 1);
  while (t->slots[j]) {
    if (strcmp(t->strs[t->slots[j] - 1], s) == 0)
      return t->slots[j];
    j = (j + 1) & (t->nslots - 1);
  }
  t->strs[t->n++] = kg_xstrndup(s, strlen(s));
  return t->slots[j] = (uint32_t)t->n;
}

static void strtab_free(strtab *t) {
  for (size_t i = 0; i < t->n; i++)
    free(t->strs[i]);
  free(t->strs);
  free(t->slots);
}

static strtab terms; /* the shared term table */

/* ---- one parsed file ----------------------------------------------------- */
typedef struct quad {
  uint32_t t[4]; /* subject, predicate, object, graph (0: default) */
} quad;

typedef struct dataset {
  const char *file;
  quad *q;
  size_t n, cap;
  strtab blanks; /* labels of this file's blank nodes */
} dataset;

typedef struct reader {
  const char *file;
  unsigned line;
  const char *p; /* current position in the line */
  bool lenient;
  kg_buf tok; /* scratch for the current term */
  char err[256];
} reader;

static bool fail(reader *r, const char *msg) {
  snprintf(r->err, sizeof r->err, "%s:%u: %s", r->file, r->line, msg);
  return false;
}

static void skip_ws(reader *r) {
  while (*r->p == ' ' || *r->p == '\t')
    r->p++;
}

static void put_utf8(kg_buf *b, unsigned long c) {
  char u[4];
  size_t n;
  if (c < 0x80) {
    u[0] = (char)c, n = 1;
  } else if (c < 0x800) {
    u[0] = (char)(0xC0 | (c >> 6)), u[1] = (char)(0x80 | (c & 0x3F)), n = 2;
  } else if (c < 0x10000) {
    u[0] = (char)(0xE0 | (c >> 12)), u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    u[2] = (char)(0x80 | (c & 0x3F)), n = 3;
  } else {
    u[0] = (char)(0xF0 | (c >> 18)), u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((c >> 6) & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F));
    n = 4;
  }
  kg_buf_append(b, u, n);
}

/* UCHAR ::= '\u' HEX{4} | '\U' HEX{8}; r->p is on the 'u' or 'U'. */
static bool read_uchar(reader *r, kg_buf *out) {
  const int n = *r->p == 'u' ? 4 : 8;
  unsigned long c = 0;
  r->p++;
  for (int i = 0; i < n; i++, r->p++) {
    if (!isxdigit((unsigned char)*r->p))
      return fail(r, "bad \\u escape");
    const int d = *r->p;
    c = c * 16 +
        (unsigned long)(isdigit(d) ? d - '0' : (tolower(d) - 'a' + 10));
  }
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return fail(r, "escape is not a Unicode scalar value");
  put_utf8(out, c);
  return true;
}

static bool has_scheme(const char *s) {
  if (!isalpha((unsigned char)*s))
    return false;
  while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
    s++;
  return *s == ':';
}

/* IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'; value into r->tok. */
static bool read_iriref(reader *r) {
  kg_buf_reset(&r->tok);
  for (r->p++; *r->p != '>'; r->p++) {
    const unsigned char c = (unsigned char)*r->p;
    if (c == '\0')
      return fail(r, "unterminated IRI");
    if (c == '\\') {
      r->p++;
      if (*r->p != 'u' && *r->p != 'U')
        return fail(r, "bad escape in IRI");
      if (!read_uchar(r, &r->tok))
        return false;
      r->p--;
      continue;
    }
    if (!r->lenient && (c <= 0x20 || strchr("<\"{}|^`", c)))
      return fail(r, "character not allowed in an IRI (try --lenient)");
    kg_buf_putc(&r->tok, (char)c);
  }
  r->p++;
  if (!r->lenient && !has_scheme(kg_buf_cstr(&r->tok)))
    return fail(r, "relative IRI");
  return true;
}

static bool is_label_char(unsigned char c) {
  return isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/* BLANK_NODE_LABEL ::= '_:' label; a label does not end with '.'. */
static bool read_blank(reader *r, dataset *ds, uint32_t *out) {
  if (r->p[1] != ':')
    return fail(r, "expected '_:'");
  const char *s = r->p += 2, *e = s;
  while (is_label_char((unsigned char)*e))
    e++;
  while (e > s && e[-1] == '.')
    e--;
  if (e == s || *s == '-' || *s == '.')
    return fail(r, "bad blank node label");
  kg_buf_reset(&r->tok);
  kg_buf_append(&r->tok, s, (size_t)(e - s));
  r->p = e;
  *out = BLANK_BIT | (strtab_intern(&ds->blanks, kg_buf_cstr(&r->tok)) - 1);
  return true;
}

/* Canonical N-Quads text of a string body: only \\ \" \n \r escaped. */
static void put_escaped(kg_buf *b, const char *s, size_t n, bool iri) {
  for (size_t i = 0; i < n; i++) {
    const unsigned char c = (unsigned char)s[i];
    if (!iri && (c == '"' || c == '\\'))
      kg_buf_putc(b, '\\'), kg_buf_putc(b, (char)c);
    else if (c == '\n')
      kg_buf_puts(b, "\\n");
    else if (c == '\r')
      kg_buf_puts(b, "\\r");
    else if (c < 0x20 || (iri && (c == '>' || c == '\\')))
      kg_buf_printf(b, "\\u%04X", c);
    else
      kg_buf_putc(b, (char)c);
  }
}

static uint32_t intern_iri(const char *iri, size_t n) {
  kg_buf b = {0};
  kg_buf_putc(&b, '<');
  put_escaped(&b, iri, n, true);
  kg_buf_putc(&b, '>');
  const uint32_t id = strtab_intern(&terms, kg_buf_cstr(&b));
  kg_buf_free(&b);
  return id;
}

/* ---- canonical numbers ---------------------------------------------------
 * Each writes the canonical form of s into out and returns true, or returns
 * false when s is not in the lexical space (then it is compared as is). */
static bool canon_integer(const char *s, kg_buf *out) {
  const bool neg = *s == '-';
  if (*s == '+' || *s == '-')
    s++;
  if (!*s || strspn(s, "0123456789") != strlen(s))
    return false;
  while (s[0] == '0' && s[1])
    s++;
  if (neg && strcmp(s, "0") != 0)
    kg_buf_putc(out, '-');
  kg_buf_puts(out, s);
  return true;
}

static bool canon_decimal(const char *s, kg_buf *out) {
  const bool neg = *s == '-';
  if (*s == '+' || *s == '-')
    s++;
  size_t ni = strspn(s, "0123456789"), nf = 0;
  const char *f = s + ni;
  if (*f == '.')
    f++, nf = strspn(f, "0123456789");
  if (f[nf] || ni + nf == 0)
    return false;
  while (ni > 0 && *s == '0')
    s++, ni--;
  while (nf > 0 && f[nf - 1] == '0')
    nf--;
  if (neg && ni + nf > 0)
    kg_buf_putc(out, '-');
  kg_buf_append(out, ni ? s : "0", ni ? ni : 1);
  kg_buf_putc(out, '.');
  kg_buf_append(out, nf ? f : "0", nf ? nf : 1);
  return true;
}

static bool canon_double(const char *s, kg_buf *out) {
  if (!strcmp(s, "INF") || !strcmp(s, "-INF") || !strcmp(s, "NaN")) {
    kg_buf_puts(out, s);
    return true;
  }
  if (!*s || strspn(s, "+-0123456789.eE") != strlen(s))
    return false;
  char *end;
  errno = 0;
  const double v = strtod(s, &end);
  if (*end || errno == ERANGE)
    return false;
  char tmp[64];
  for (int prec = 0; prec < 17; prec++) { /* the shortest round trip */
    snprintf(tmp, sizeof tmp, "%.*e", prec, v);
    if (strtod(tmp, NULL) == v)
      break;
  }
  char *e = strchr(tmp, 'e'); /* "d[.ddd]e+XX" -> "d.dddEX" (XSD canonical) */
  *e = '\0';
  kg_buf_puts(out, strcmp(tmp, "-0") == 0 ? "0" : tmp);
  if (!strchr(tmp, '.'))
    kg_buf_puts(out, ".0");
  kg_buf_printf(out, "E%ld", strtol(e + 1, NULL, 10));
  return true;
}

static void canon_literal(const char *lex, size_t n, const char *dt,
                          kg_buf *out) {
  static const struct {
    const char *dt;
    bool (*fn)(const char *, kg_buf *);
  } numbers[] = {
      {XSD "integer", canon_integer},
      {XSD "decimal", canon_decimal},
      {XSD "double", canon_double},
  };
  for (size_t i = 0; dt && i < sizeof numbers / sizeof numbers[0]; i++) {
    if (strcmp(dt, numbers[i].dt) != 0 || memchr(lex, '\0', n))
      continue;
    kg_buf num = {0};
    const bool ok = numbers[i].fn(lex, &num);
    if (ok)
      put_escaped(out, num.data, num.len, false);
    kg_buf_free(&num);
    if (ok)
      return;
  }
  put_escaped(out, lex, n, false);
}

/* literal ::= '"' ([^"\\\n\r] | ECHAR | UCHAR)* '"' ('^^' IRIREF | LANGTAG)? */
static bool read_literal(reader *r, uint32_t *out) {
  kg_buf lex = {0}, key = {0};
  bool ok = false;
  for (r->p++; *r->p != '"'; r->p++) {
    if (!*r->p) {
      fail(r, "unterminated string");
      goto done;
    }
    if (*r->p != '\\') {
      kg_buf_putc(&lex, *r->p);
      continue;
    }
    const char *esc = strchr("tbnrf\"'\\", *++r->p);
    if (*r->p == 'u' || *r->p == 'U') {
      if (!read_uchar(r, &lex))
        goto done;
      r->p--;
    } else if (esc && *esc) {
      kg_buf_putc(&lex, "\t\b\n\r\f\"'\\"[esc - "tbnrf\"'\\"]);
    } else {
      fail(r, "bad escape in string");
      goto done;
    }
  }
  r->p++;
  kg_buf_putc(&key, '"');
  if (*r->p == '@') {
    const char *s = ++r->p;
    while (isalnum((unsigned char)*r->p) || *r->p == '-')
      r->p++;
    if (r->p == s || !isalpha((unsigned char)*s)) {
      fail(r, "bad language tag");
      goto done;
    }
    put_escaped(&key, lex.data ? lex.data : "", lex.len, false);
    kg_buf_puts(&key, "\"@");
    for (; s < r->p; s++)
      kg_buf_putc(&key, (char)tolower((unsigned char)*s));
  } else if (r->p[0] == '^' && r->p[1] == '^') {
    r->p += 2;
    if (*r->p != '<') {
      fail(r, "expected '<' after '^^'");
      goto done;
    }
    if (!read_iriref(r))
      goto done;
    const char *dt = kg_buf_cstr(&r->tok);
    canon_literal(kg_buf_cstr(&lex), lex.len, dt, &key);
    kg_buf_putc(&key, '"');
    if (strcmp(dt, XSD "string") != 0) {
      kg_buf_puts(&key, "^^<");
      put_escaped(&key, dt, r->tok.len, true);
      kg_buf_putc(&key, '>');
    }
  } else {
    put_escaped(&key, lex.data ? lex.data : "", lex.len, false);
    kg_buf_putc(&key, '"');
  }
  *out = strtab_intern(&terms, kg_buf_cstr(&key));
  ok = true;
done:
  kg_buf_free(&lex);
  kg_buf_free(&key);
  return ok;
}

/* One term; `what` names the position for messages. */
static bool read_term(reader *r, dataset *ds, const char *what, bool literal_ok,
                      uint32_t *out) {
  skip_ws(r);
  if (*r->p == '<') {
    if (!read_iriref(r))
      return false;
    *out = intern_iri(r->tok.data, r->tok.len);
    return true;
  }
  if (*r->p == '_' && strcmp(what, "predicate") != 0)
    return read_blank(r, ds, out);
  if (*r->p == '"' && literal_ok)
    return read_literal(r, out);
  char msg[64];
  snprintf(msg, sizeof msg, "expected a %s", what);
  return fail(r, msg);
}

static bool read_statement(reader *r, dataset *ds) {
  quad q = {{0, 0, 0, 0}};
  if (!read_term(r, ds, "subject", false, &q.t[0]) ||
      !read_term(r, ds, "predicate", false, &q.t[1]) ||
      !read_term(r, ds, "object", true, &q.t[2]))
    return false;
  skip_ws(r);
  if (*r->p != '.' && !read_term(r, ds, "graph label or '.'", false, &q.t[3]))
    return false;
  skip_ws(r);
  if (*r->p != '.')
    return fail(r, "expected '.'");
  r->p++;
  skip_ws(r);
  if (*r->p && *r->p != '#')
    return fail(r, "trailing text after '.'");
  if (ds->n == ds->cap) {
    ds->cap = ds->cap ? 2 * ds->cap : 64;
    ds->q = kg_xrealloc(ds->q, ds->cap * sizeof *ds->q);
  }
  ds->q[ds->n++] = q;
  return true;
}

static int cmp_quad(const void *a, const void *b) {
  const quad *x = a, *y = b;
  for (int i = 0; i < 4; i++)
    if (x->t[i] != y->t[i])
      return x->t[i] < y->t[i] ? -1 : 1;
  return 0;
}

/* Sort q[0..n) and drop duplicates; returns the new count. */
static size_t sort_unique(quad *q, size_t n) {
  if (n == 0)
    return 0;
  qsort(q, n, sizeof *q, cmp_quad);
  size_t k = 1;
  for (size_t i = 1; i < n; i++)
    if (cmp_quad(&q[i], &q[k - 1]) != 0)
      q[k++] = q[i];
  return k;
}

/* Read a whole file; false with r->err set on a parse or I/O error. */
static bool read_dataset(reader *r, dataset *ds) {
  FILE *f = fopen(ds->file, "rb");
  if (!f) {
    snprintf(r->err, sizeof r->err, "%s: %s", ds->file, strerror(errno));
    return false;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  bool ok = true;
  r->file = ds->file;
  r->line = 0;
  while (ok && (len = getline(&line, &cap, f)) != -1) {
    r->line++;
    if ((size_t)len != strlen(line)) {
      ok = fail(r, "NUL byte in the input");
      break;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    r->p = line;
    skip_ws(r);
    if (*r->p && *r->p != '#')
      ok = read_statement(r, ds);
  }
  free(line);
  fclose(f);
  ds->n = sort_unique(ds->q, ds->n);
  return ok;
}

/* ---- blank node isomorphism ----------------------------------------------
 * The statements with blank nodes of each side, and a colour per blank node.
 * Colour refinement: a node's new colour hashes its old one with the
 * multiset of its statements, each seen with the other terms' colours.
 * When the colours stop splitting, a class of tied nodes is broken by
 * pairing one node of A with each candidate of B in turn (backtracking);
 * a full mapping is always checked statement by statement, so hash
 * collisions can cost time but never a wrong answer. */
typedef struct side {
  quad *q; /* statements with at least one blank node, sorted */
  size_t n;
  size_t nb; /* blank nodes */
  uint64_t *color;
} side;

static uint64_t term_color(const side *s, uint32_t t, uint32_t self) {
  if (!IS_BLANK(t))
    return mix((uint64_t)t * 0x9E3779B97F4A7C15u + 1);
  return t == self ? 0x5E1F5E1F5E1F5E1Fu : s->color[t & ~BLANK_BIT];
}

static void refine_round(side *s, uint64_t *acc) {
  memset(acc, 0, s->nb * sizeof *acc);
  for (size_t k = 0; k < s->n; k++) {
    const uint32_t *t = s->q[k].t;
    for (int i = 0; i < 4; i++) {
      if (!IS_BLANK(t[i]))
        continue;
      uint64_t sig = mix((uint64_t)i + 7);
      for (int j = 0; j < 4; j++)
        if (j != i)
          sig = mix(sig * 31 + term_color(s, t[j], t[i]));
      acc[t[i] & ~BLANK_BIT] += mix(sig);
    }
  }
  for (size_t b = 0; b < s->nb; b++)
    s->color[b] = mix(s->color[b] * 0x100000001B3u + acc[b]);
}

static int cmp_u64(const void *a, const void *b) {
  const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The sorted colours of s into out; returns the number of distinct ones. */
static size_t sorted_colors(const side *s, uint64_t *out) {
  memcpy(out, s->color, s->nb * sizeof *out);
  qsort(out, s->nb, sizeof *out, cmp_u64);
  size_t d = s->nb ? 1 : 0;
  for (size_t i = 1; i < s->nb; i++)
    d += out[i] != out[i - 1];
  return d;
}

/* Refine both sides until stable; false when their colour multisets part. */
static bool refine(side *a, side *b, uint64_t *scratch) {
  uint64_t *sa = scratch, *sb = scratch + a->nb;
  size_t before = 0;
  for (;;) {
    const size_t da = sorted_colors(a, sa), db = sorted_colors(b, sb);
    if (da != db || memcmp(sa, sb, a->nb * sizeof *sa) != 0)
      return false;
    if (da == before || da == a->nb)
      return true;
    before = da;
    refine_round(a, sa);
    refine_round(b, sb);
  }
}

typedef struct colored {
  uint64_t color;
  uint32_t node;
} colored;

static int cmp_colored(const void *a, const void *b) {
  const colored *x = a, *y = b;
  const int c = cmp_u64(&x->color, &y->color);
  return c ? c : (x->node > y->node) - (x->node < y->node);
}

static colored *colored_nodes(const side *s) {
  colored *c = kg_xmalloc(s->nb * sizeof *c + 1);
  for (size_t j = 0; j < s->nb; j++)
    c[j] = (colored){s->color[j], (uint32_t)j};
  qsort(c, s->nb, sizeof *c, cmp_colored);
  return c;
}

/* Pair A's nodes with B's of the same colour (in node order when colours
 * tie) and compare the statements.  With unique colours this is the only
 * candidate; with ties it is a guess that is often right (interchangeable
 * nodes), which spares the search one level per tied node. */
static bool check_mapping(const side *a, const side *b) {
  colored *ac = colored_nodes(a), *bc = colored_nodes(b);
  uint32_t *map = kg_xmalloc(a->nb * sizeof *map + 1);
  quad *q = kg_xmalloc(a->n * sizeof *q + 1);
  for (size_t i = 0; i < a->nb; i++)
    map[ac[i].node] = bc[i].node; /* refine() made the multisets equal */
  for (size_t k = 0; k < a->n; k++)
    for (int i = 0; i < 4; i++) {
      const uint32_t t = a->q[k].t[i];
      q[k].t[i] = IS_BLANK(t) ? BLANK_BIT | map[t & ~BLANK_BIT] : t;
    }
  qsort(q, a->n, sizeof *q, cmp_quad);
  const bool same = memcmp(q, b->q, a->n * sizeof *q) == 0;
  free(q);
  free(map);
  free(ac);
  free(bc);
  return same;
}

static bool search(side *a, side *b, unsigned depth) {
  uint64_t *scratch = kg_xmalloc(2 * (a->nb + 1) * sizeof *scratch);
  bool found = false;
  if (!refine(a, b, scratch))
    goto done;
  found = check_mapping(a, b);
  if (found)
    goto done;
  /* The first tied colour of A, if any (scratch holds A's colours sorted). */
  size_t tie = a->nb;
  for (size_t i = 1; i < a->nb && tie == a->nb; i++)
    if (scratch[i] == scratch[i - 1])
      tie = i;
  if (tie == a->nb)
    goto done; /* the only candidate mapping failed */
  const uint64_t c = scratch[tie];
  size_t pick = 0;
  while (a->color[pick] != c)
    pick++;
  uint64_t *save = scratch; /* reuse: A's colours, then B's */
  memcpy(save, a->color, a->nb * sizeof *save);
  memcpy(save + a->nb, b->color, b->nb * sizeof *save);
  const uint64_t fresh = mix(0xC0FFEEu + depth);
  for (size_t j = 0; j < b->nb && !found; j++) {
    if (save[a->nb + j] != c)
      continue;
    a->color[pick] = b->color[j] = fresh;
    found = search(a, b, depth + 1);
    memcpy(a->color, save, a->nb * sizeof *save);
    memcpy(b->color, save + a->nb, b->nb * sizeof *save);
  }
done:
  free(scratch);
  return found;
}

/* The statements of ds with a blank node. */
static side blank_side(const dataset *ds) {
  side s = {kg_xmalloc(ds->n * sizeof(quad) + 1), 0, ds->blanks.n, NULL};
  for (size_t k = 0; k < ds->n; k++) {
    const uint32_t *t = ds->q[k].t;
    if (IS_BLANK(t[0] | t[1] | t[2] | t[3]))
      s.q[s.n++] = ds->q[k];
  }
  s.color = kg_xcalloc(s.nb + 1, sizeof *s.color);
  return s;
}

static bool isomorphic(const dataset *x, const dataset *y) {
  side a = blank_side(x), b = blank_side(y);
  const bool same = a.n == b.n && a.nb == b.nb && search(&a, &b, 0);
  free(a.q), free(a.color), free(b.q), free(b.color);
  return same;
}

/* ---- the diff ------------------------------------------------------------ */
static void put_term(kg_buf *b, const dataset *ds, uint32_t t, bool anon) {
  if (IS_BLANK(t)) {
    kg_buf_puts(b, "_:");
    kg_buf_puts(b, anon ? "*" : ds->blanks.strs[t & ~BLANK_BIT]);
  } else {
    kg_buf_puts(b, terms.strs[t - 1]);
  }
}

/* The quad in N-Quads; with anon, every blank node is "_:*". */
static char *quad_text(const dataset *ds, const quad *q, bool anon) {
  kg_buf b = {0};
  for (int i = 0; i < 4; i++) {
    if (i == 3 && q->t[3] == 0)
      break;
    put_term(&b, ds, q->t[i], anon);
    kg_buf_putc(&b, ' ');
  }
  kg_buf_putc(&b, '.');
  return b.data;
}

typedef struct line {
  char *key; /* blank nodes anonymised: what is compared */
  char *text;
} line;

static int cmp_line(const void *a, const void *b) {
  return strcmp(((const line *)a)->key, ((const line *)b)->key);
}

static line *lines_of(const dataset *ds) {
  line *l = kg_xmalloc(ds->n * sizeof *l + 1);
  for (size_t k = 0; k < ds->n; k++) {
    l[k].key = quad_text(ds, &ds->q[k], true);
    l[k].text = quad_text(ds, &ds->q[k], false);
  }
  qsort(l, ds->n, sizeof *l, cmp_line);
  return l;
}

static void show(unsigned *shown, char sign, const char *text) {
  if (++*shown <= MAX_DIFF_LINES)
    printf("%c %s\n", sign, text);
}

/* Print statements of one side that the other lacks (blank nodes
 * anonymised for matching, so only structure-free differences show). */
static void print_diff(const dataset *x, const dataset *y) {
  line *a = lines_of(x), *b = lines_of(y);
  size_t i = 0, j = 0, missing = 0, extra = 0;
  unsigned shown = 0;
  printf("datasets differ (expected %zu statements, actual %zu)\n", x->n, y->n);
  while (i < x->n || j < y->n) {
    const int c = i == x->n ? 1 : j == y->n ? -1 : strcmp(a[i].key, b[j].key);
    if (c < 0)
      show(&shown, '-', a[i++].text), missing++;
    else if (c > 0)
      show(&shown, '+', b[j++].text), extra++;
    else
      i++, j++;
  }
  if (shown > MAX_DIFF_LINES)
    printf("... %u more lines\n", shown - MAX_DIFF_LINES);
  if (missing + extra == 0)
    printf("the blank nodes are connected differently\n");
  else
    printf("%zu missing (-), %zu extra (+)\n", missing, extra);
  for (size_t k = 0; k < x->n; k++)
    free(a[k].key), free(a[k].text);
  for (size_t k = 0; k < y->n; k++)
    free(b[k].key), free(b[k].text);
  free(a), free(b);
}

/* Equal datasets: the same ground statements and isomorphic blank parts. */
static bool equal(const dataset *x, const dataset *y) {
  size_t i = 0, j = 0;
  for (;;) {
    while (i < x->n &&
           IS_BLANK(x->q[i].t[0] | x->q[i].t[1] | x->q[i].t[2] | x->q[i].t[3]))
      i++;
    while (j < y->n &&
           IS_BLANK(y->q[j].t[0] | y->q[j].t[1] | y->q[j].t[2] | y->q[j].t[3]))
      j++;
    if (i == x->n || j == y->n)
      break;
    if (cmp_quad(&x->q[i++], &y->q[j++]) != 0)
      return false;
  }
  return i == x->n && j == y->n && isomorphic(x, y);
}

static void dataset_free(dataset *ds) {
  free(ds->q);
  strtab_free(&ds->blanks);
}

int main(int argc, char **argv) {
  bool lenient = false;
  int arg = 1;
  if (arg < argc && strcmp(argv[arg], "--lenient") == 0)
    lenient = true, arg++;
  if (argc - arg != 2) {
    fprintf(stderr, "usage: rdfcmp [--lenient] EXPECTED ACTUAL\n");
    return 2;
  }
  dataset ds[2] = {{.file = argv[arg]}, {.file = argv[arg + 1]}};
  reader r = {.lenient = lenient};
  int rc = 2;
  for (int k = 0; k < 2; k++)
    if (!read_dataset(&r, &ds[k])) {
      fprintf(stderr, "rdfcmp: %s\n", r.err);
      goto done;
    }
  rc = equal(&ds[0], &ds[1]) ? 0 : 1;
  if (rc)
    print_diff(&ds[0], &ds[1]);
done:
  kg_buf_free(&r.tok);
  dataset_free(&ds[0]);
  dataset_free(&ds[1]);
  strtab_free(&terms);
  return rc;
}
