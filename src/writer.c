/* writer.c - streaming Turtle, TriG, N-Triples and N-Quads (see writer.h).
 *
 * Every statement is written when it arrives into a 64 KiB buffer that is
 * handed to fwrite() when full; nothing is allocated per statement.  Turtle
 * and TriG keep only the previous statement's subject, predicate and graph,
 * to group consecutive statements with ";" and "," (house style 3):
 *
 *   @prefix ex: <http://example.com/> .
 *
 *   ex:s
 *       a ex:C ;
 *       ex:p "x" ,
 *           "y" .
 *
 *   ex:g {
 *       ex:s
 *           ex:p 1 .
 *   }
 *
 * Escaping is our own, not raptor's.  raptor 2.0.15's
 * raptor_string_escaped_write() stops at an embedded NUL (drops the rest of
 * the literal), writes raw newlines into Turtle "..." strings (a syntax
 * error), fails on noncharacters such as U+FFFE, writes \" and \\ inside
 * IRIs (not IRIREF escapes) and escapes lone surrogates as \uD800, which
 * strict parsers reject; and it needs a raptor_iostream call per term.  The
 * table-driven escaper below copies runs of safe bytes, so it is also
 * faster.  The rules, shared by all four formats (N-Triples grammar, the
 * same productions in Turtle):
 * - STRING_LITERAL_QUOTE: ECHAR for " \ LF CR TAB BS FF, \u00XX for the
 *   other C0 controls and DEL; valid UTF-8 is copied, except NEL, LS and PS
 *   (U+0085 U+2028 U+2029), written \uXXXX so that line-oriented tools
 *   still see one statement per line.
 * - IRIREF: the characters [#x00-#x20<>"{}|^`\] as \u00XX (UCHAR), and NEL,
 *   LS, PS likewise.  Only rml:UnsafeIRI lets such characters reach the
 *   writer (RMLTC0027b: a space).  No strict parser accepts an IRI holding a
 *   space in any spelling (serdi and rapper reject <a\u0020b> too), but
 *   UCHAR is the spelling the grammar admits: the term stays exact and every
 *   line still tokenises.
 * - Invalid UTF-8 (including surrogates) in an IRI or a literal is a data
 *   error: it cannot be written in any of the four syntaxes.
 * After an error the output is incomplete; the caller discards it. */
#include "writer.h"

#include "window.h"
#include "term.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { OUT_CAP = 64 * 1024 };

/* One prefix for prefixed names; ns is a valid Turtle namespace IRI. */
typedef struct ns {
  const char *name;
  const char *iri;
  size_t iri_len;
  size_t name_len;
  uint64_t tail; /* the IRI's last 8 bytes (iri_len >= 8): a quick test */
} ns;

/* Byte classes: SAFE is copied; ESC is escaped; HIGH starts a UTF-8
 * sequence that is decoded and checked. */
enum { SAFE = 0, ESC = 1, HIGH = 2 };

typedef struct esc_table {
  unsigned char cls[256];
} esc_table;

typedef struct last_term {
  bool set;
  kg_term_kind kind;
  kg_buf value;
} last_term;

struct kg_writer {
  FILE *out;
  kg_format fmt;
  kg_diag *d;
  char *buf;
  size_t len;
  int err;          /* errno of the first failed write; 0 if none */
  bool io_reported; /* the write error went to d */
  kg_arena *arena;  /* prefix copies */
  esc_table lit, iri;
  unsigned char pn_local[128]; /* PN_LOCAL classes of ASCII (PL_*) */
  ns *ns;                      /* sorted by decreasing namespace length */
  size_t nns;
  /* Turtle and TriG state */
  bool open;     /* a statement awaits " ,", " ;" or " ." */
  bool in_graph; /* inside a TriG "{ }" block */
  bool sep;      /* a blank line goes before the next subject or block */
  last_term subj, pred, graph;
  kg_window *win; /* Turtle and TriG: the document's statements, grouped by
                     subject at its end (window.h) */
  struct iri_entry *iris; /* Turtle and TriG: IRIs as last written */
  size_t flushes;         /* times the buffer was written out */
};

/* ---- output buffer ---------------------------------------------------- */

static void flush_buf(kg_writer *w) {
  w->flushes++;
  if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len && !w->err)
    w->err = errno ? errno : EIO;
  w->len = 0;
}

static void put(kg_writer *w, const char *s, size_t n) {
  if (n > OUT_CAP - w->len) {
    flush_buf(w);
    if (n > OUT_CAP) {
      if (fwrite(s, 1, n, w->out) != n && !w->err)
        w->err = errno ? errno : EIO;
      return;
    }
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}

#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static void putch(kg_writer *w, char c) {
  if (w->len == OUT_CAP)
    flush_buf(w);
  w->buf[w->len++] = c;
}

static void put_indent(kg_writer *w, unsigned level) {
  static const char spaces[] = "                ";
  put(w, spaces, 4 * (size_t)level);
}

/* \uXXXX for a code point of the BMP (all we ever escape). */
static void put_uchar(kg_writer *w, uint32_t cp) {
  static const char hex[] = "0123456789ABCDEF";
  char u[6] = {'\\',
               'u',
               hex[(cp >> 12) & 15],
               hex[(cp >> 8) & 15],
               hex[(cp >> 4) & 15],
               hex[cp & 15]};
  put(w, u, sizeof u);
}

/* ---- UTF-8 and escaping ----------------------------------------------- */

/* Literal: controls, DEL, '"' and '\'.  IRI: [#x00-#x20<>"{}|^`\]. */
static void init_tables(esc_table *lit, esc_table *iri) {
  for (unsigned c = 0; c < 256; c++) {
    unsigned char k = c < 0x20 || c == 0x7F ? ESC : c >= 0x80 ? HIGH : SAFE;
    lit->cls[c] = iri->cls[c] = k;
  }
  lit->cls['"'] = lit->cls['\\'] = ESC;
  for (const char *p = " <>\"{}|^`\\"; *p; p++)
    iri->cls[(unsigned char)*p] = ESC;
}

/* One escaped ASCII byte: ECHAR in literals where there is one. */
static void put_ascii_escape(kg_writer *w, unsigned char c, bool iri) {
  static const char echar[] = "\"\"\\\\\nn\rr\tt\bb\ff";
  if (!iri)
    for (size_t i = 0; i + 1 < sizeof echar; i += 2)
      if ((unsigned char)echar[i] == c) {
        char e[2] = {'\\', echar[i + 1]};
        put(w, e, 2);
        return;
      }
  put_uchar(w, c);
}

/* Write s[0..n) escaped for a "..." literal or an <IRIREF> body. */
static kg_status put_escaped(kg_writer *w, const char *s, size_t n, bool iri) {
  const unsigned char *cls = iri ? w->iri.cls : w->lit.cls;
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0;
  while (i < n) {
    /* Eight safe bytes at a time (SAFE is 0): most terms are all safe. */
    while (i + 8 <= n && (cls[u[i]] | cls[u[i + 1]] | cls[u[i + 2]] |
                          cls[u[i + 3]] | cls[u[i + 4]] | cls[u[i + 5]] |
                          cls[u[i + 6]] | cls[u[i + 7]]) == SAFE)
      i += 8;
    if (i == n)
      break;
    if (cls[u[i]] == SAFE) {
      i++;
      continue;
    }
    put(w, s + run, i - run);
    if (cls[u[i]] == ESC) {
      put_ascii_escape(w, u[i], iri);
      run = ++i;
      continue;
    }
    uint32_t cp;
    size_t len = kg_utf8_decode(u + i, n - i, &cp);
    if (!len)
      return kg_error(w->d, NULL, KG_ERR_DATA,
                      "cannot write %s holding invalid UTF-8 (byte 0x%02X "
                      "at offset %zu)",
                      iri ? "an IRI" : "a literal", u[i], i);
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
      put_uchar(w, cp);
    else
      put(w, s + i, len);
    run = i += len;
  }
  put(w, s + run, n - run);
  return KG_OK;
}

static kg_status put_iriref(kg_writer *w, const char *s, size_t n) {
  putch(w, '<');
  kg_status st = put_escaped(w, s, n, true);
  putch(w, '>');
  return st;
}

/* An IRI the evaluator knows to be clean (kg_term.clean): copied.  The
 * sanitizer and fuzz builds (KG_CHECK_CLEAN) check that it is. */
static kg_status put_clean_iriref(kg_writer *w, const char *s, size_t n) {
#ifdef KG_CHECK_CLEAN
  if (!kg_iri_is_clean(s, n)) {
    fprintf(stderr, "kgmap: an IRI marked clean is not: '%.*s'\n", (int)n, s);
    abort();
  }
#endif
  putch(w, '<');
  put(w, s, n);
  putch(w, '>');
  return KG_OK;
}

/* ---- blank nodes ------------------------------------------------------ */

/* BLANK_NODE_LABEL may not start with '-'.  Labels matching b*-.* get one
 * more 'b' in front ("-x" -> "b-x", "b-x" -> "bb-x"): injective, the same in
 * every format, and it leaves the evaluator's labels (alphanumeric or "_")
 * alone. */
static kg_status put_blank(kg_writer *w, const char *s, size_t n) {
  bool ok = n > 0;
  size_t nb = 0;
  for (size_t i = 0; i < n && ok; i++) {
    const char c = s[i];
    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
  if (!ok)
    return kg_error(w->d, NULL, KG_ERR_DATA, "invalid blank node label '%.*s'",
                    (int)n, s);
  while (nb < n && s[nb] == 'b')
    nb++;
  PUTS(w, "_:");
  if (nb < n && s[nb] == '-')
    putch(w, 'b');
  put(w, s, n);
  return KG_OK;
}

/* ---- Turtle names ----------------------------------------------------- */

/* PN_CHARS_BASE beyond ASCII (Turtle 1.1 grammar rule 163). */
static bool pn_chars_base_high(uint32_t c) {
  return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
         (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

static bool is_alpha(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(uint32_t c) {
  return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* PN_CHARS beyond PN_CHARS_U and digits: not allowed first. */
static bool pn_chars_extra(uint32_t c) {
  return c == '-' || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x203F && c <= 0x2040);
}

/* PN_PREFIX ::= PN_CHARS_BASE ((PN_CHARS | '.')* PN_CHARS)?, or empty. */
static bool is_pn_prefix(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  const size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    uint32_t c;
    const size_t len = kg_utf8_decode(u + i, n - i, &c);
    if (!len)
      return false;
    const bool base = is_alpha(c) || (c >= 0x80 && pn_chars_base_high(c));
    const bool chars = base || c == '_' || is_digit(c) || pn_chars_extra(c);
    if (i == 0 ? !base : !(chars || (c == '.' && i + len < n)))
      return false;
    i += len;
  }
  return true;
}

/* ASCII in PN_LOCAL: allowed anywhere, not first ('-'), neither first nor
 * last ('.'), only as PN_LOCAL_ESC, or not at all. */
enum { PL_NO = 0, PL_OK, PL_NOT_FIRST, PL_INNER, PL_ESC };

static void init_pn_local(unsigned char cls[128]) {
  cls[0] = PL_NO;
  for (unsigned c = 1; c < 128; c++)
    cls[c] = is_alpha(c) || is_digit(c) || c == '_' || c == ':' ? PL_OK
             : c == '-'                                         ? PL_NOT_FIRST
             : c == '.'                                         ? PL_INNER
             : strchr("~!$&'()*+,;=/?#@%", (int)c)              ? PL_ESC
                                                                : PL_NO;
}

/* Write the PN_LOCAL for s[0..n), escaping with PN_LOCAL_ESC where the
 * grammar needs it; false (with partial output) if s is not a PN_LOCAL.
 * The caller has made room for 2 * n bytes: they go straight into the
 * buffer. */
static bool put_pn_local(kg_writer *w, const char *s, size_t n) {
  const unsigned char *cls = w->pn_local;
  const unsigned char *u = (const unsigned char *)s;
  char *o = w->buf + w->len;
  for (size_t i = 0; i < n;) {
    const unsigned char b = u[i];
    if (b < 0x80 && cls[b] == PL_OK) { /* most bytes */
      *o++ = (char)b;
      i++;
      continue;
    }
    if (b < 0x80) {
      unsigned char k = cls[b];
      if (k == PL_NOT_FIRST)
        k = i == 0 ? PL_ESC : PL_OK;
      else if (k == PL_INNER)
        k = i == 0 || i + 1 == n ? PL_ESC : PL_OK;
      if (b == '%' && i + 2 < n && is_hex(u[i + 1]) && is_hex(u[i + 2])) {
        memcpy(o, s + i, 3); /* PERCENT is kept as is */
        o += 3;
        i += 3;
        continue;
      }
      if (k == PL_NO)
        return false;
      if (k == PL_ESC)
        *o++ = '\\';
      *o++ = (char)b;
      i++;
      continue;
    }
    uint32_t c;
    const size_t len = kg_utf8_decode(u + i, n - i, &c);
    const bool ok =
        len && (pn_chars_base_high(c) || (i > 0 && pn_chars_extra(c)));
    if (!ok)
      return false;
    memcpy(o, s + i, len);
    o += len;
    i += len;
  }
  w->len = (size_t)(o - w->buf);
  return true;
}

/* Longest namespace that the IRI starts with, or NULL.  The last 8 bytes
 * first: namespaces mostly differ at their end. */
static const ns *find_ns(const kg_writer *w, const char *s, size_t n) {
  for (size_t i = 0; i < w->nns; i++) {
    const ns *p = &w->ns[i];
    if (p->iri_len > n)
      continue;
    if (p->iri_len >= 8) {
      uint64_t t;
      memcpy(&t, s + p->iri_len - 8, 8);
      if (t != p->tail)
        continue;
    }
    if (!memcmp(p->iri, s, p->iri_len))
      return p;
  }
  return NULL;
}

/* A prefixed name if one fits, else <IRI>.  The name is written straight
 * into the buffer and withdrawn if the local part is not a PN_LOCAL; room
 * is made first so that no flush happens in between. */
static kg_status render_iri(kg_writer *w, const char *s, size_t n) {
  const ns *p = find_ns(w, s, n);
  if (p) {
    const size_t name_len = p->name_len;
    const size_t need = name_len + 1 + 2 * (n - p->iri_len);
    if (need <= OUT_CAP) {
      if (need > OUT_CAP - w->len)
        flush_buf(w);
      const size_t mark = w->len;
      put(w, p->name, name_len);
      putch(w, ':');
      if (put_pn_local(w, s + p->iri_len, n - p->iri_len))
        return KG_OK;
      w->len = mark;
    }
  }
  return put_iriref(w, s, n);
}

/* Turtle and TriG: a cache of IRIs as written (a prefixed name or <IRI>),
 * direct-mapped by a hash of the IRI.  Predicates, classes, datatypes and
 * the entities of a document come back block after block, and writing
 * one anew means finding its namespace and checking its local name byte
 * by byte.  An entry is used only when its IRI's bytes are the same, and
 * the prefixes do not change once the writer exists, so the output is
 * what render_iri() writes. */
enum { IRI_CACHE = 512, IRI_TEXT = 188 };

typedef struct iri_entry {
  uint16_t n;          /* the IRI's length; 0: an empty entry */
  uint16_t out_n;      /* the rendering's */
  char text[IRI_TEXT]; /* the IRI, then its rendering */
} iri_entry;

/* The slot of an IRI: from its length and its last 16 bytes (the IRIs of
 * a namespace differ at their end), or all of it when it is shorter.  A
 * collision costs a rendering, never a wrong one. */
static size_t iri_slot(const char *s, size_t n) {
  if (n < 16)
    return (size_t)kg_hash_bytes(s, n) & (IRI_CACHE - 1);
  uint64_t a, b;
  memcpy(&a, s + n - 16, 8);
  memcpy(&b, s + n - 8, 8);
  const uint64_t h =
      (a * 0x9E3779B97F4A7C15ULL) ^ ((b + n) * 0xBF58476D1CE4E5B9ULL);
  return (size_t)(h >> 40) & (IRI_CACHE - 1);
}

static kg_status put_iri(kg_writer *w, const char *s, size_t n) {
  if (n == 0 || n >= IRI_TEXT)
    return render_iri(w, s, n);
  iri_entry *e = &w->iris[iri_slot(s, n)];
  if (e->n == n && memcmp(e->text, s, n) == 0) {
    put(w, e->text + n, e->out_n);
    return KG_OK;
  }
  const size_t mark = w->len, flushes = w->flushes;
  const kg_status st = render_iri(w, s, n);
  const size_t out_n = w->len - mark;
  /* kept when it is whole in the buffer: no flush in between */
  if (st == KG_OK && w->flushes == flushes && n + out_n <= IRI_TEXT) {
    e->n = (uint16_t)n;
    e->out_n = (uint16_t)out_n;
    memcpy(e->text, s, n);
    memcpy(e->text + n, w->buf + mark, out_n);
  }
  return st;
}

/* ---- literals --------------------------------------------------------- */

/* The Turtle numeric tokens (grammar rules 19-21):
 *   INTEGER ::= [+-]? [0-9]+
 *   DECIMAL ::= [+-]? [0-9]* '.' [0-9]+
 *   DOUBLE  ::= [+-]? ([0-9]+ '.' [0-9]* EXPONENT | '.' [0-9]+ EXPONENT |
 *                      [0-9]+ EXPONENT)
 *   EXPONENT ::= [eE] [+-]? [0-9]+
 * A parser keeps the token text as the lexical form, so a lexical form that
 * is exactly the token of its own datatype round-trips when written bare. */
typedef enum { NUM_NONE, NUM_INTEGER, NUM_DECIMAL, NUM_DOUBLE } num_kind;

static size_t digits(const char *s, size_t n, size_t *i) {
  const size_t start = *i;
  while (*i < n && is_digit((unsigned char)s[*i]))
    (*i)++;
  return *i - start;
}

static num_kind numeric_token(const char *s, size_t n) {
  size_t i = 0, frac = 0;
  bool dot = false;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  const size_t whole = digits(s, n, &i);
  if (i < n && s[i] == '.') {
    i++;
    dot = true;
    frac = digits(s, n, &i);
  }
  if (i == n)
    return !dot && whole ? NUM_INTEGER : dot && frac ? NUM_DECIMAL : NUM_NONE;
  if (s[i] != 'e' && s[i] != 'E')
    return NUM_NONE;
  i++;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  if (!digits(s, n, &i) || i != n || !(whole || frac))
    return NUM_NONE;
  return NUM_DOUBLE;
}

/* True if the literal can be written as a bare Turtle token. */
static bool is_bare(const kg_term *o) {
  static const struct {
    const char *iri;
    num_kind kind;
  } nums[] = {{KG_XSD_INTEGER, NUM_INTEGER},
              {KG_XSD "decimal", NUM_DECIMAL},
              {KG_XSD_DOUBLE, NUM_DOUBLE}};
  const char *dt = o->datatype;
  if (!dt || strncmp(dt, KG_XSD, sizeof KG_XSD - 1))
    return false;
  if (!strcmp(dt, KG_XSD_BOOLEAN))
    return (o->len == 4 && !memcmp(o->value, "true", 4)) ||
           (o->len == 5 && !memcmp(o->value, "false", 5));
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
    if (!strcmp(dt, nums[i].iri))
      return numeric_token(o->value, o->len) == nums[i].kind;
  return false;
}

/* LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)* */
static bool is_langtag(const char *s) {
  size_t i = 0;
  while (is_alpha((unsigned char)s[i]))
    i++;
  if (i == 0)
    return false;
  while (s[i] == '-') {
    const size_t start = ++i;
    while (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]))
      i++;
    if (i == start)
      return false;
  }
  return s[i] == '\0';
}

static kg_status put_literal(kg_writer *w, const kg_term *o, bool turtle) {
  kg_status st = KG_OK;
  if (turtle && is_bare(o)) {
    put(w, o->value, o->len);
    return KG_OK;
  }
  putch(w, '"');
  TRY(put_escaped(w, o->value, o->len, false));
  putch(w, '"');
  if (o->language) {
    if (!is_langtag(o->language))
      return kg_error(w->d, NULL, KG_ERR_DATA, "invalid language tag '%s'",
                      o->language);
    putch(w, '@');
    put(w, o->language, strlen(o->language));
  } else if (o->datatype && strcmp(o->datatype, KG_XSD_STRING)) {
    PUTS(w, "^^");
    const size_t n = strlen(o->datatype);
    TRY(turtle ? put_iri(w, o->datatype, n) : put_iriref(w, o->datatype, n));
  }
fail:
  return st;
}

/* ---- terms ------------------------------------------------------------ */

static kg_status put_term(kg_writer *w, const kg_term *t) {
  const bool turtle = w->fmt == KG_FMT_TURTLE || w->fmt == KG_FMT_TRIG;
  switch (t->kind) {
  case KG_TERM_IRI:
    if (turtle)
      return put_iri(w, t->value, t->len);
    if (t->clean)
      return put_clean_iriref(w, t->value, t->len);
    return put_iriref(w, t->value, t->len);
  case KG_TERM_BLANK:
    return put_blank(w, t->value, t->len);
  case KG_TERM_LITERAL:
    return put_literal(w, t, turtle);
  }
  return KG_OK;
}

static bool same_term(const last_term *l, const kg_term *t) {
  if (!t)
    return !l->set;
  return l->set && l->kind == t->kind && l->value.len == t->len &&
         !memcmp(l->value.data, t->value, t->len);
}

static void remember(last_term *l, const kg_term *t) {
  l->set = t != NULL;
  kg_buf_reset(&l->value);
  if (t) {
    l->kind = t->kind;
    kg_buf_append(&l->value, t->value, t->len);
  }
}

/* ---- statements ------------------------------------------------------- */

static kg_status io_error(kg_writer *w) {
  if (w->io_reported)
    return KG_ERR_IO;
  w->io_reported = true;
  return kg_error(w->d, NULL, KG_ERR_IO, "write error: %s", strerror(w->err));
}

/* Statements that no format can hold, and named graphs in formats
 * without graphs. */
static kg_status check_statement(kg_writer *w, const kg_term *s,
                                 const kg_term *p, const kg_term *g) {
  if (s->kind == KG_TERM_LITERAL)
    return kg_error(w->d, NULL, KG_ERR_DATA,
                    "a literal cannot be the subject of a statement");
  if (p->kind != KG_TERM_IRI)
    return kg_error(w->d, NULL, KG_ERR_DATA, "a predicate must be an IRI");
  if (!g)
    return KG_OK;
  if (g->kind == KG_TERM_LITERAL)
    return kg_error(w->d, NULL, KG_ERR_DATA, "a literal cannot name a graph");
  if (kg_format_has_graphs(w->fmt))
    return KG_OK;
  const bool iri = g->kind == KG_TERM_IRI;
  return kg_error(w->d, NULL, KG_ERR_USAGE,
                  "named graph %s%.*s%s cannot be written as %s; use -f "
                  "nquads or -f trig",
                  iri ? "<" : "_:", (int)g->len, g->value, iri ? ">" : "",
                  w->fmt == KG_FMT_TURTLE ? "Turtle" : "N-Triples");
}

static kg_status ntriples_statement(kg_writer *w, const kg_term *s,
                                    const kg_term *p, const kg_term *o,
                                    const kg_term *g) {
  kg_status st = KG_OK;
  TRY(put_term(w, s));
  putch(w, ' ');
  TRY(put_term(w, p));
  putch(w, ' ');
  TRY(put_term(w, o));
  if (g) {
    putch(w, ' ');
    TRY(put_term(w, g));
  }
  PUTS(w, " .\n");
fail:
  return st;
}

/* End the open statement and, when the graph changes, the TriG block. */
static kg_status switch_graph(kg_writer *w, const kg_term *g) {
  kg_status st = KG_OK;
  if (w->open)
    PUTS(w, " .\n");
  if (w->in_graph)
    PUTS(w, "}\n");
  w->sep = w->sep || w->open || w->in_graph;
  w->open = w->in_graph = false;
  remember(&w->graph, g);
  remember(&w->subj, NULL);
  if (g) {
    if (w->sep)
      putch(w, '\n');
    TRY(put_term(w, g));
    PUTS(w, " {\n");
    w->in_graph = true;
    w->sep = false;
  }
fail:
  return st;
}

static kg_status put_predicate(kg_writer *w, const kg_term *p) {
  if (p->len == sizeof KG_RDF_TYPE - 1 &&
      !memcmp(p->value, KG_RDF_TYPE, sizeof KG_RDF_TYPE - 1)) {
    putch(w, 'a');
    return KG_OK;
  }
  return put_term(w, p);
}

static kg_status turtle_statement(kg_writer *w, const kg_term *s,
                                  const kg_term *p, const kg_term *o,
                                  const kg_term *g) {
  kg_status st = KG_OK;
  const unsigned level = g ? 1 : 0;
  if (!same_term(&w->graph, g))
    TRY(switch_graph(w, g));
  if (w->open && same_term(&w->subj, s)) {
    if (same_term(&w->pred, p)) {
      PUTS(w, " ,\n");
      put_indent(w, level + 2);
    } else {
      PUTS(w, " ;\n");
      put_indent(w, level + 1);
      TRY(put_predicate(w, p));
      remember(&w->pred, p);
      putch(w, ' ');
    }
  } else {
    if (w->open)
      PUTS(w, " .\n");
    if (w->open || w->sep)
      putch(w, '\n');
    put_indent(w, level);
    TRY(put_term(w, s));
    putch(w, '\n');
    put_indent(w, level + 1);
    TRY(put_predicate(w, p));
    putch(w, ' ');
    remember(&w->subj, s);
    remember(&w->pred, p);
    w->open = true;
  }
  TRY(put_term(w, o));
fail:
  return st;
}

/* The window's sink: one statement of a group, in Turtle or TriG. */
static kg_status grouped_statement(void *h, const kg_term *s, const kg_term *p,
                                   const kg_term *o, const kg_term *g) {
  kg_writer *w = h;
  kg_status st = turtle_statement(w, s, p, o, g);
  return st == KG_OK && w->err ? io_error(w) : st;
}

kg_status kg_writer_statement(void *h, const kg_term *s, const kg_term *p,
                              const kg_term *o, const kg_term *g) {
  kg_writer *w = h;
  kg_status st = KG_OK;
  TRY(check_statement(w, s, p, g));
  if (w->fmt == KG_FMT_NTRIPLES || w->fmt == KG_FMT_NQUADS)
    TRY(ntriples_statement(w, s, p, o, g));
  else
    return kg_window_statement(w->win, s, p, o, g);
  if (w->err)
    return io_error(w);
fail:
  return st;
}

/* ---- prefixes --------------------------------------------------------- */

/* scheme ":" - a namespace must be absolute, or prefixed names would be
 * resolved against the document's base. */
static bool has_scheme(const char *s) {
  size_t i = 0;
  if (!is_alpha((unsigned char)s[0]))
    return false;
  while (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) ||
         s[i] == '+' || s[i] == '-' || s[i] == '.')
    i++;
  return s[i] == ':';
}

/* No character that IRIREF would need to escape: parsers reject those. */
static bool iri_is_plain(const kg_writer *w, const char *s) {
  const size_t n = strlen(s);
  const unsigned char *cls = w->iri.cls, *u = (const void *)s;
  for (size_t i = 0; i < n;) {
    uint32_t c = 0;
    const size_t len = cls[u[i]] == ESC ? 0 : kg_utf8_decode(u + i, n - i, &c);
    if (!len || c == 0x85 || c == 0x2028 || c == 0x2029)
      return false;
    i += len;
  }
  return true;
}

/* The prefixes in order, a later one of the same name replacing the
 * earlier's IRI in the earlier's place; names that are not PN_PREFIX and
 * IRIs that could not be written plainly are left out. */
static void set_prefixes(kg_writer *w, const kg_prefix *pre, size_t n) {
  w->ns = kg_arena_alloc(w->arena, (n ? n : 1) * sizeof *w->ns);
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (j < w->nns && strcmp(w->ns[j].name, pre[i].prefix))
      j++;
    if (j == w->nns)
      w->ns[w->nns++].name = kg_arena_strdup(w->arena, pre[i].prefix);
    w->ns[j].iri = kg_arena_strdup(w->arena, pre[i].iri);
    w->ns[j].iri_len = strlen(pre[i].iri);
  }
  size_t k = 0;
  for (size_t i = 0; i < w->nns; i++)
    if (is_pn_prefix(w->ns[i].name) && has_scheme(w->ns[i].iri) &&
        iri_is_plain(w, w->ns[i].iri))
      w->ns[k++] = w->ns[i];
  w->nns = k;
}

static void write_prefixes(kg_writer *w) {
  for (size_t i = 0; i < w->nns; i++) {
    PUTS(w, "@prefix ");
    put(w, w->ns[i].name, strlen(w->ns[i].name));
    PUTS(w, ": ");
    put_iriref(w, w->ns[i].iri, w->ns[i].iri_len); /* plain: cannot fail */
    PUTS(w, " .\n");
  }
  w->sep = w->nns > 0;
}

/* Stable insertion sort by decreasing namespace length: the first match of
 * find_ns() is the longest. */
static void sort_prefixes(kg_writer *w) {
  for (size_t i = 1; i < w->nns; i++) {
    const ns t = w->ns[i];
    size_t j = i;
    for (; j > 0 && w->ns[j - 1].iri_len < t.iri_len; j--)
      w->ns[j] = w->ns[j - 1];
    w->ns[j] = t;
  }
  for (size_t i = 0; i < w->nns; i++) {
    ns *p = &w->ns[i];
    p->name_len = strlen(p->name);
    if (p->iri_len >= 8)
      memcpy(&p->tail, p->iri + p->iri_len - 8, 8);
  }
}

/* ---- life cycle ------------------------------------------------------- */

kg_writer *kg_writer_new(FILE *out, kg_format fmt, const kg_prefix *prefixes,
                         size_t nprefixes, kg_diag *d) {
  kg_writer *w = kg_xcalloc(1, sizeof *w);
  w->out = out;
  w->fmt = fmt;
  w->d = d;
  if (fmt == KG_FMT_TURTLE || fmt == KG_FMT_TRIG) {
    w->win = kg_window_new(KG_WINDOW_BYTES, grouped_statement, w);
    w->iris = kg_xcalloc(IRI_CACHE, sizeof *w->iris);
  }
  w->buf = kg_xmalloc(OUT_CAP);
  w->arena = kg_arena_new();
  init_tables(&w->lit, &w->iri);
  init_pn_local(w->pn_local);
  if (fmt == KG_FMT_TURTLE || fmt == KG_FMT_TRIG) {
    set_prefixes(w, prefixes, prefixes ? nprefixes : 0);
    write_prefixes(w);
    sort_prefixes(w);
  }
  return w;
}

kg_writer *kg_writer_new_body(FILE *out, const kg_writer *like) {
  kg_writer *w = kg_writer_new(out, like->fmt, NULL, 0, like->d);
  w->ns = like->ns; /* borrowed: like outlives w */
  w->nns = like->nns;
  w->sep = false;
  return w;
}

kg_status kg_writer_break(kg_writer *w) {
  const kg_status st = w->win ? kg_window_flush(w->win) : KG_OK;
  if (w->open)
    PUTS(w, " .\n");
  if (w->in_graph)
    PUTS(w, "}\n");
  w->sep = w->sep || w->open || w->in_graph;
  w->open = w->in_graph = false;
  remember(&w->subj, NULL);
  remember(&w->graph, NULL);
  return st;
}

static kg_status flush_all(kg_writer *w) {
  flush_buf(w);
  if (fflush(w->out) != 0 && !w->err)
    w->err = errno ? errno : EIO;
  if (ferror(w->out) && !w->err)
    w->err = EIO;
  return w->err ? io_error(w) : KG_OK;
}

kg_status kg_writer_end_body(kg_writer *w) {
  const kg_status st = kg_writer_break(w);
  w->sep = false;
  const kg_status fl = flush_all(w);
  return st != KG_OK ? st : fl;
}

kg_status kg_writer_splice(kg_writer *w, const char *body, size_t n,
                           bool continued) {
  if (n == 0)
    return KG_OK;
  if (!continued) {
    const kg_status st = kg_writer_break(w);
    if (st != KG_OK)
      return st;
    if (w->sep && (w->fmt == KG_FMT_TURTLE || w->fmt == KG_FMT_TRIG))
      putch(w, '\n');
  }
  put(w, body, n);
  w->sep = true;
  return w->err ? io_error(w) : KG_OK;
}

kg_status kg_writer_finish(kg_writer *w) {
  const kg_status st = kg_writer_break(w);
  const kg_status fl = flush_all(w);
  return st != KG_OK ? st : fl;
}

void kg_writer_free(kg_writer *w) {
  if (!w)
    return;
  kg_window_free(w->win);
  free(w->iris);
  kg_buf_free(&w->subj.value);
  kg_buf_free(&w->pred.value);
  kg_buf_free(&w->graph.value);
  kg_arena_free(w->arena);
  free(w->buf);
  free(w);
}

/* ---- formats ---------------------------------------------------------- */

static const struct {
  const char *name;
  const char *ext;
  kg_format fmt;
} formats[] = {
    {"turtle", "ttl", KG_FMT_TURTLE},    {"ttl", NULL, KG_FMT_TURTLE},
    {"ntriples", "nt", KG_FMT_NTRIPLES}, {"nt", NULL, KG_FMT_NTRIPLES},
    {"nquads", "nq", KG_FMT_NQUADS},     {"nq", NULL, KG_FMT_NQUADS},
    {"trig", "trig", KG_FMT_TRIG},
};

bool kg_format_from_name(const char *name, kg_format *fmt) {
  for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
    if (!strcmp(name, formats[i].name)) {
      *fmt = formats[i].fmt;
      return true;
    }
  return false;
}

bool kg_format_from_path(const char *path, kg_format *fmt) {
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot || strchr(dot, '/'))
    return false;
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (formats[i].ext && !strcasecmp(dot + 1, formats[i].ext)) {
      *fmt = formats[i].fmt;
      return true;
    }
  return false;
}

const char *kg_format_name(kg_format fmt) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (formats[i].fmt == fmt)
      return formats[i].name;
  return "unknown";
}

bool kg_format_has_graphs(kg_format fmt) {
  return fmt == KG_FMT_NQUADS || fmt == KG_FMT_TRIG;
}
