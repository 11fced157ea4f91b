/* doc.c - the document stage: JSON, JSON Lines and YAML streams into
 * kg_node trees (see doc.h).
 *
 * Bytes flow  source -> feed -> libyaml -> builder:
 *  - source: the file, read in 64 KiB chunks, or the caller's memory;
 *    JSON Lines are cut into lines here.
 *  - feed: libyaml's read handler.  It checks UTF-8 and YAML's printable
 *    set and tracks line:col itself, so libyaml never sees a byte we
 *    refuse and every error has a position (libyaml's reader errors have
 *    none).  In JSON mode it also lexes strings: it rejects what YAML
 *    accepts but JSON does not (comments, single quotes, YAML escapes, raw
 *    control characters), turns tabs outside strings into spaces (libyaml
 *    rejects a tab before a top-level value) and rewrites a surrogate pair
 *    \ud83d\ude00, which libyaml rejects, as \U0001F600 plus two spaces
 *    after the closing quote, so later columns do not move.  Input after
 *    the first such error is withheld; the error is reported unless
 *    libyaml finds an earlier one.
 *  - libyaml: YAML is read as events; JSON as scanner tokens checked
 *    against the grammar below, because libyaml's YAML parser accepts
 *    `[1,]` and `{"a"}` and rejects a key longer than 1024 characters or
 *    one followed by a line break before its ':'.
 *  - builder: nodes in an arena reset per document, built with an explicit
 *    stack (no recursion) and a scratch item stack copied into the arena
 *    once per container; depth, alias and byte limits; duplicate keys.
 *
 * JSON text over libyaml tokens (RFC 8259 structure):
 *   text   = value STREAM-END
 *   value  = SCALAR | '[' [ value *( ',' value ) ] ']'
 *          | '{' [ member *( ',' member ) ] '}'
 *   member = [KEY] double-quoted-SCALAR ':' value
 * KEY is the token libyaml puts before a key it recognises as simple.
 *
 * A UTF-8 byte order mark at the start is accepted and skipped (libyaml
 * does so, and RFC 8259 allows it); UTF-16 and UTF-32 input is refused. */
#include "doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include "arena.h"
#include "jsonl.h"

enum { CHUNK = 64 * 1024, SMALL_MAP = 16 };

/* --- source: buffered bytes from a file or from memory ----------------- */

typedef struct source {
  FILE *fp;      /* NULL: memory */
  const char *p; /* buffered bytes are [p + pos, p + len) */
  size_t pos, len;
  char *buf; /* FILE: CHUNK bytes, owned */
  int err;   /* errno of a failed read */
  bool eof;
} source;

/* Make bytes available; false at the end of input or on a read error. */
static bool src_fill(source *s) {
  if (s->pos < s->len)
    return true;
  if (!s->fp || s->eof)
    return false;
  errno = 0;
  const size_t n = fread(s->buf, 1, CHUNK, s->fp);
  if (n < CHUNK) {
    if (ferror(s->fp))
      s->err = errno ? errno : EIO;
    s->eof = true;
  }
  s->p = s->buf;
  s->pos = 0;
  s->len = n;
  return n > 0;
}

/* The next line, without "\n" or "\r\n", into *line; false at the end.
 * Stops after max bytes (then line->len > max). */
static bool src_line(source *s, kg_buf *line, size_t max) {
  kg_buf_reset(line);
  bool any = false;
  while (src_fill(s)) {
    const char *start = s->p + s->pos;
    const char *nl = memchr(start, '\n', s->len - s->pos);
    const size_t n = nl ? (size_t)(nl - start) : s->len - s->pos;
    kg_buf_append(line, start, n);
    s->pos += nl ? n + 1 : n;
    any = true;
    if (nl || line->len > max)
      break;
  }
  if (any && line->len && line->data[line->len - 1] == '\r')
    line->data[--line->len] = '\0';
  return any;
}

static bool is_space(char c);

/* Pass over the next line without copying it; false at the end.  *blank:
 * the line holds only JSON whitespace. */
static bool src_skip_line(source *s, bool *blank) {
  bool any = false;
  *blank = true;
  while (src_fill(s)) {
    const char *start = s->p + s->pos;
    const size_t left = s->len - s->pos;
    const char *nl = memchr(start, '\n', left);
    const size_t n = nl ? (size_t)(nl - start) : left;
    for (size_t i = 0; *blank && i < n; i++)
      *blank = is_space(start[i]);
    s->pos += nl ? n + 1 : n;
    any = true;
    if (nl)
      break;
  }
  return any;
}

/* --- feed: checked, position-tracked input for libyaml ----------------- */

typedef enum {
  JS_OUT,
  JS_STR,
  JS_ESC,
  JS_HEX,    /* digits of \uXXXX */
  JS_LOW_BS, /* after a high surrogate: '\' of the low one */
  JS_LOW_U,
  JS_LOW_HEX
} jlex;

typedef struct feed {
  source *src;
  bool json, started, prev_cr, done;
  kg_buf out; /* checked bytes not yet handed to libyaml */
  size_t out_pos;
  unsigned line, col; /* 1-based position of the next character */
  unsigned need;      /* UTF-8 continuation bytes still expected */
  uint32_t cp, min;
  unsigned char pend[4];
  unsigned npend;
  jlex js;       /* JSON lexer state */
  unsigned nhex; /* \u escape: digits read, their value */
  uint32_t hex, high;
  char hexd[4];
  unsigned pad; /* spaces owed after the closing quote */
  unsigned esc_line, esc_col;
  size_t max_bytes;      /* input bytes of one document (the limit) */
  size_t fed, doc_start; /* bytes read in all; when the document began */
  kg_status err; /* the first input error, with its position */
  unsigned err_line, err_col;
  char msg[200];
} feed;

static void feed_reset(feed *f, source *src, bool json, unsigned line) {
  kg_buf out = f->out;
  memset(f, 0, sizeof *f);
  kg_buf_reset(&out);
  f->out = out;
  f->src = src;
  f->json = json;
  f->line = line;
  f->col = 1;
}

__attribute__((format(printf, 4, 5))) static bool
feed_fail_at(feed *f, unsigned line, unsigned col, const char *fmt, ...) {
  if (f->err)
    return false;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(f->msg, sizeof f->msg, fmt, ap);
  va_end(ap);
  f->err = KG_ERR_SYNTAX;
  f->err_line = line;
  f->err_col = col;
  return false;
}

#define feed_fail(f, ...) feed_fail_at((f), (f)->line, (f)->col, __VA_ARGS__)
#define esc_fail(f, ...)                                                       \
  feed_fail_at((f), (f)->esc_line, (f)->esc_col, __VA_ARGS__)

/* YAML 1.2 5.1 c-printable, as libyaml's reader checks it. */
static bool printable(uint32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) ||
         c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static int hex_value(uint32_t c) {
  if (c >= '0' && c <= '9')
    return (int)(c - '0');
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (int)((c | 0x20) - 'a' + 10);
  return -1;
}

static bool json_outside(feed *f, uint32_t c) {
  if (c == '"') {
    f->js = JS_STR;
  } else if (c == '\t') {
    c = ' ';
  } else if (c >= 0x80 ||
             !(strchr(" \n\r{}[]:,+-.", (int)c) || (c >= '0' && c <= '9') ||
               ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
    if (c == '\'')
      return feed_fail(f, "invalid JSON: strings need double quotes");
    if (c == '#')
      return feed_fail(f, "invalid JSON: comments are not allowed");
    if (c < 0x80)
      return feed_fail(f, "invalid JSON: unexpected character '%c'", (int)c);
    return feed_fail(f, "invalid JSON: unexpected character U+%04X",
                     (unsigned)c);
  }
  kg_buf_putc(&f->out, (char)c);
  return true;
}

/* The 4th hex digit of a \u escape has been read. */
static bool json_escape_done(feed *f) {
  const uint32_t v = f->hex;
  if (f->js == JS_HEX && v >= 0xD800 && v <= 0xDBFF) {
    f->high = v;
    f->js = JS_LOW_BS;
    return true;
  }
  if (f->js == JS_HEX) {
    if (v >= 0xDC00 && v <= 0xDFFF)
      return esc_fail(f, "invalid JSON: unpaired surrogate \\u%04x",
                      (unsigned)v);
    kg_buf_append(&f->out, "\\u", 2);
    kg_buf_append(&f->out, f->hexd, 4);
  } else {
    if (v < 0xDC00 || v > 0xDFFF)
      return esc_fail(f, "invalid JSON: unpaired surrogate \\u%04x",
                      (unsigned)f->high);
    const uint32_t cp = 0x10000 + ((f->high - 0xD800) << 10) + (v - 0xDC00);
    kg_buf_printf(&f->out, "\\U%08X", (unsigned)cp);
    f->pad += 2;
  }
  f->js = JS_STR;
  return true;
}

/* NEL, LS and PS: line breaks to libyaml (YAML 1.1), not to JSON. */
static bool nonascii_break(uint32_t c) {
  return c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* A character inside a string, not after a backslash. */
static bool json_in_string(feed *f, uint32_t c, const unsigned char *b,
                           unsigned n) {
  if (c == '"') {
    kg_buf_putc(&f->out, '"');
    for (; f->pad; f->pad--)
      kg_buf_putc(&f->out, ' ');
    f->js = JS_OUT;
  } else if (c == '\\') {
    f->js = JS_ESC;
    f->esc_line = f->line;
    f->esc_col = f->col;
  } else if (nonascii_break(c)) {
    /* libyaml folds a raw NEL in a quoted scalar into a space (YAML 1.1);
     * JSON keeps it.  Escape all three. */
    kg_buf_puts(&f->out, c == 0x85 ? "\\N" : c == 0x2028 ? "\\L" : "\\P");
  } else if (!printable(c) && c >= 0x7F) {
    kg_buf_printf(&f->out, "\\u%04X", (unsigned)c);
  } else if (c < 0x20) {
    return feed_fail(f,
                     "invalid JSON: unescaped control character U+%04X in "
                     "string",
                     (unsigned)c);
  } else {
    kg_buf_append(&f->out, (const char *)b, n);
  }
  return true;
}

/* The character after a backslash, or the parts of a \uXXXX escape. */
static bool json_escape(feed *f, uint32_t c) {
  if (f->js == JS_ESC && c == 'u') {
    f->js = JS_HEX;
  } else if (f->js == JS_ESC) {
    if (c > 0x20 && c < 0x7F && !strchr("\"\\/bfnrt", (int)c))
      return esc_fail(f, "invalid JSON: invalid escape '\\%c'", (int)c);
    if (c >= 0x80 || !strchr("\"\\/bfnrt", (int)c))
      return esc_fail(f, "invalid JSON: invalid escape in string");
    kg_buf_putc(&f->out, '\\');
    kg_buf_putc(&f->out, (char)c);
    f->js = JS_STR;
    return true;
  } else if (f->js == JS_LOW_BS || f->js == JS_LOW_U) {
    if (c != (f->js == JS_LOW_BS ? '\\' : 'u'))
      return esc_fail(f, "invalid JSON: unpaired surrogate \\u%04x",
                      (unsigned)f->high);
    f->js = f->js == JS_LOW_BS ? JS_LOW_U : JS_LOW_HEX;
  } else {
    const int v = hex_value(c);
    if (v < 0)
      return esc_fail(f, "invalid JSON: \\u needs four hex digits");
    f->hex = f->hex * 16 + (uint32_t)v;
    f->hexd[f->nhex++] = (char)c;
    return f->nhex < 4 || json_escape_done(f);
  }
  f->nhex = 0;
  f->hex = 0;
  return true;
}

/* One character of JSON text (RFC 8259 7: strings). */
static bool json_char(feed *f, uint32_t c, const unsigned char *b, unsigned n) {
  if (f->js == JS_OUT)
    return json_outside(f, c);
  if (f->js == JS_STR)
    return json_in_string(f, c, b, n);
  return json_escape(f, c);
}

/* Move past character c (libyaml's rules: CR LF is one break, and NEL,
 * LS and PS are breaks too). */
static void advance(feed *f, uint32_t c) {
  const bool cr = f->prev_cr;
  f->prev_cr = c == '\r';
  if (c == '\n' && cr)
    return;
  if (c == '\n' || c == '\r' || nonascii_break(c)) {
    f->line++;
    f->col = 1;
  } else {
    f->col++;
  }
}

static void put_char(feed *f, uint32_t c, const unsigned char *b, unsigned n) {
  const bool first = !f->started;
  f->started = true;
  if (first && c == 0xFEFF) { /* BOM: libyaml skips it, no column */
    kg_buf_append(&f->out, (const char *)b, n);
    return;
  }
  /* RFC 8259 7: DEL, C1 controls and U+FFFE/U+FFFF may stand raw in a
   * JSON string; YAML does not allow them (json_in_string escapes them) */
  const bool json_raw = f->json && f->js != JS_OUT && c >= 0x7F;
  if (!printable(c) && !json_raw) {
    if (c == 0)
      feed_fail(f, "NUL byte in input");
    else
      feed_fail(f, "control character U+%04X is not allowed", (unsigned)c);
    return;
  }
  if (!f->json) {
    kg_buf_append(&f->out, (const char *)b, n);
  } else if (!json_char(f, c, b, n)) {
    return;
  } else if (nonascii_break(c)) { /* escaped in a string: two columns */
    f->col += 2;
    f->prev_cr = false;
    return;
  }
  advance(f, c);
}

/* Decode one byte of UTF-8 (RFC 3629: no overlongs, no surrogates). */
static bool put_byte(feed *f, unsigned char c) {
  if (f->need == 0) {
    f->npend = 0;
    if (c < 0x80) {
      put_char(f, c, &c, 1);
      return true;
    }
    if (c >= 0xC2 && c <= 0xDF)
      f->need = 1, f->cp = c & 0x1Fu, f->min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
      f->need = 2, f->cp = c & 0x0Fu, f->min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
      f->need = 3, f->cp = c & 0x07u, f->min = 0x10000;
    else if (!f->started && (c == 0xFE || c == 0xFF))
      return feed_fail(f, "UTF-16 and UTF-32 input is not supported");
    else
      return feed_fail(f, "invalid UTF-8");
    f->pend[f->npend++] = c;
    return true;
  }
  if ((c & 0xC0) != 0x80)
    return feed_fail(f, "invalid UTF-8");
  f->cp = f->cp << 6 | (c & 0x3Fu);
  f->pend[f->npend++] = c;
  if (--f->need)
    return true;
  if (f->cp < f->min || (f->cp >= 0xD800 && f->cp <= 0xDFFF) ||
      f->cp > 0x10FFFF)
    return feed_fail(f, "invalid UTF-8");
  put_char(f, f->cp, f->pend, f->npend);
  return true;
}

/* Characters that JSON allows outside strings and that pass unchanged. */
static bool json_plain_outside(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
         c == ' ' || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' ||
         c == ']' || c == '-' || c == '+' || c == '.';
}

/* The length of the run at p of ASCII characters that need no work but
 * copying and counting columns. */
static size_t plain_run(const feed *f, const unsigned char *p, size_t n) {
  size_t j = 0;
  if (f->need || !f->started)
    return 0;
  if (!f->json)
    while (j < n && p[j] >= 0x20 && p[j] < 0x7F)
      j++;
  else if (f->js == JS_STR)
    while (j < n && p[j] >= 0x20 && p[j] < 0x7F && p[j] != '"' && p[j] != '\\')
      j++;
  else if (f->js == JS_OUT)
    while (j < n && json_plain_outside(p[j]))
      j++;
  return j;
}

/* Check n bytes into f->out; stops at the first error. */
static void feed_bytes(feed *f, const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n && !f->err) {
    const size_t run = plain_run(f, p + i, n - i);
    if (run) {
      kg_buf_append(&f->out, (const char *)p + i, run);
      f->col += (unsigned)run;
      f->prev_cr = false;
      i += run;
      continue;
    }
    put_byte(f, p[i++]);
  }
}

/* libyaml's yaml_read_handler_t.  Never fails: a read error is kept in
 * f->err and libyaml sees the end of input. */
static int read_handler(void *h, unsigned char *buf, size_t size,
                        size_t *size_read) {
  feed *f = h;
  while (f->out_pos == f->out.len && !f->err && !f->done) {
    kg_buf_reset(&f->out);
    f->out_pos = 0;
    source *s = f->src;
    if (!src_fill(s)) {
      f->done = true;
      if (s->err) {
        f->err = KG_ERR_IO;
        snprintf(f->msg, sizeof f->msg, "read error: %s", strerror(s->err));
      } else if (f->need) {
        feed_fail(f, "invalid UTF-8 (truncated sequence)");
      }
      break;
    }
    const unsigned char *p = (const unsigned char *)s->p + s->pos;
    size_t n = s->len - s->pos < CHUNK ? s->len - s->pos : CHUNK;
    const size_t left = f->max_bytes - (f->fed - f->doc_start);
    const bool over = n > left;
    n = over ? left : n;
    s->pos += n;
    f->fed += n;
    feed_bytes(f, p, n);
    if (over && !f->err) {
      feed_fail(f, "document larger than %zu bytes", f->max_bytes);
      f->err = KG_ERR_LIMIT;
    }
  }
  size_t n = f->out.len - f->out_pos;
  if (n > size)
    n = size;
  if (n)
    memcpy(buf, f->out.data + f->out_pos, n);
  f->out_pos += n;
  *size_read = n;
  return 1;
}

/* --- the reader -------------------------------------------------------- */

typedef struct frame {
  kg_node *node;
  size_t base;   /* its first child on the item stack */
  size_t size;   /* nodes in the subtree, aliases expanded */
  size_t anchor; /* 1 + index in the anchor table, 0 if none */
} frame;

typedef struct anchor {
  const char *name;
  kg_node *node;
  size_t size;
  bool done; /* false while its container is still open */
} anchor;

struct kg_doc_reader {
  char *name;
  kg_doc_format fmt;
  kg_doc_limits lim;
  kg_diag *d;
  source src;
  source line_src; /* JSON Lines: the current line */
  kg_buf line;
  unsigned line_no;
  feed feed;
  yaml_parser_t parser;
  bool parser_live;
  unsigned line0; /* added to libyaml's 0-based line */
  kg_status st;   /* KG_OK, or what every later call returns */
  kg_arena *arena;
  kg_doc doc;
  size_t ndocs;
  /* per-document build state */
  frame *frames;
  size_t depth, frames_cap;
  kg_node **stack;
  size_t top, stack_cap;
  anchor *anchors;
  size_t nanchors, anchors_cap;
  uint32_t *ahash; /* open addressing: 1 + anchor index, 0 empty */
  size_t ahash_cap;
  uint32_t *khash; /* duplicate-key check of large maps */
  size_t khash_cap;
  kg_node *root;
  size_t bytes, alias_nodes;
  kg_jsonl_scratch fast; /* JSON Lines: the fast path (jsonl.h) */
};

__attribute__((format(printf, 5, 6))) static kg_status
fail_at(kg_doc_reader *r, unsigned line, unsigned col, kg_status st,
        const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const kg_pos pos = {r->name, line, col};
  return kg_error(r->d, &pos, st, "%s", msg);
}

/* A libyaml mark as a 1-based position, clamped to the end of the input
 * (libyaml puts the end of a stream on a line of its own). */
static void mark_pos(const kg_doc_reader *r, yaml_mark_t m, unsigned *line,
                     unsigned *col) {
  *line = (unsigned)m.line + 1 + r->line0;
  *col = (unsigned)m.column + 1;
  const feed *f = &r->feed;
  if (*line > f->line || (*line == f->line && *col > f->col)) {
    *line = f->line;
    *col = f->col;
  }
}

__attribute__((format(printf, 4, 5))) static kg_status
fail_mark(kg_doc_reader *r, yaml_mark_t m, kg_status st, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  unsigned line, col;
  mark_pos(r, m, &line, &col);
  return fail_at(r, line, col, st, "%s", msg);
}

/* The feed's error, if it has one at or before mark m (NULL: anywhere).
 * libyaml failed at m when `failed`: the feed's error wins unless m is on
 * an earlier line, as libyaml's look-ahead may have run into the input
 * withheld after the feed's error (`a: b<NUL>` is not a libyaml error). */
static kg_status feed_error(kg_doc_reader *r, const yaml_mark_t *m,
                            bool failed) {
  const feed *f = &r->feed;
  if (!f->err)
    return KG_OK;
  if (f->err == KG_ERR_IO)
    return fail_at(r, 0, 0, KG_ERR_IO, "%s", f->msg);
  if (m && f->err != KG_ERR_LIMIT) {
    unsigned line, col;
    mark_pos(r, *m, &line, &col);
    const bool same_line_later = f->err_line == line && f->err_col > col;
    if (f->err_line > line || (!failed && same_line_later))
      return KG_OK;
  }
  return fail_at(r, f->err_line, f->err_col, f->err, "%s", f->msg);
}

/* --- scalars: YAML 1.2 core schema and JSON ---------------------------- */

static size_t digits(const char *s, size_t *i, size_t n, const char *set) {
  const size_t start = *i;
  while (*i < n && s[*i] && strchr(set, s[*i]))
    (*i)++;
  return *i - start;
}

static bool is_one_of(const char *s, size_t n, const char *const *words) {
  for (; *words; words++)
    if (strlen(*words) == n && memcmp(s, *words, n) == 0)
      return true;
  return false;
}

static const char *const DEC = "0123456789";

/* YAML 1.2.2 10.3.2: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
static bool core_int(const char *s, size_t n) {
  size_t i = 0;
  if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
    i = 2;
    return digits(s, &i, n,
                  s[1] == 'o' ? "01234567" : "0123456789abcdefABCDEF") &&
           i == n;
  }
  if (i < n && (s[i] == '-' || s[i] == '+'))
    i++;
  return digits(s, &i, n, DEC) && i == n;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
 * | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN) */
static bool core_float(const char *s, size_t n) {
  static const char *const inf[] = {".inf", ".Inf", ".INF", NULL};
  static const char *const nan[] = {".nan", ".NaN", ".NAN", NULL};
  size_t i = 0;
  if (i < n && (s[i] == '-' || s[i] == '+'))
    i++;
  if (is_one_of(s + i, n - i, inf) || is_one_of(s, n, nan))
    return true;
  const size_t whole = digits(s, &i, n, DEC);
  size_t frac = 0;
  if (i < n && s[i] == '.') {
    i++;
    frac = digits(s, &i, n, DEC);
  }
  if (!whole && !frac)
    return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '-' || s[i] == '+'))
      i++;
    if (!digits(s, &i, n, DEC))
      return false;
  }
  return i == n;
}

static kg_node_kind resolve_plain(const char *s, size_t n) {
  static const char *const nul[] = {"null", "Null", "NULL", "~", "", NULL};
  static const char *const bools[] = {"true",  "True",  "TRUE", "false",
                                      "False", "FALSE", NULL};
  if (is_one_of(s, n, nul))
    return KG_NODE_NULL;
  if (is_one_of(s, n, bools))
    return KG_NODE_BOOL;
  if (n && (s[0] == '.' || s[0] == '-' || s[0] == '+' ||
            (s[0] >= '0' && s[0] <= '9'))) {
    if (core_int(s, n))
      return KG_NODE_INT;
    if (core_float(s, n))
      return KG_NODE_FLOAT;
  }
  return KG_NODE_STRING;
}

/* RFC 8259 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?, true,
 * false, null.  Returns false for anything else. */
static bool resolve_json(const char *s, size_t n, kg_node_kind *kind) {
  static const char *const bools[] = {"true", "false", NULL};
  static const char *const nul[] = {"null", NULL};
  *kind = is_one_of(s, n, nul) ? KG_NODE_NULL : KG_NODE_BOOL;
  if (is_one_of(s, n, nul) || is_one_of(s, n, bools))
    return true;
  size_t i = 0;
  if (i < n && s[i] == '-')
    i++;
  if (i < n && s[i] == '0')
    i++;
  else if (!(i < n && s[i] >= '1' && s[i] <= '9') || !digits(s, &i, n, DEC))
    return false;
  *kind = KG_NODE_INT;
  if (i < n && s[i] == '.') {
    i++;
    *kind = KG_NODE_FLOAT;
    if (!digits(s, &i, n, DEC))
      return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    *kind = KG_NODE_FLOAT;
    if (i < n && (s[i] == '-' || s[i] == '+'))
      i++;
    if (!digits(s, &i, n, DEC))
      return false;
  }
  return i == n;
}

/* --- the builder ------------------------------------------------------- */

static size_t sat_add(size_t a, size_t b) {
  return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static uint32_t hash_bytes(const char *s, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* Grow *arr (elem bytes each, capacity *cap) to hold need elements. */
static void grow(void *arr_ptr, size_t *cap, size_t need, size_t elem) {
  void **arr = arr_ptr;
  if (need <= *cap)
    return;
  size_t c = *cap ? *cap : 64;
  while (c < need)
    c *= 2;
  *arr = kg_xrealloc(*arr, c * elem);
  *cap = c;
}

static void begin_doc(kg_doc_reader *r) {
  kg_arena_reset(r->arena);
  r->depth = r->top = 0;
  r->root = NULL;
  r->bytes = r->alias_nodes = 0;
  r->feed.doc_start = r->feed.fed;
  if (r->nanchors)
    memset(r->ahash, 0, r->ahash_cap * sizeof *r->ahash);
  r->nanchors = 0;
}

/* The slot of name in the anchor index (empty if absent). */
static uint32_t *anchor_slot(kg_doc_reader *r, const char *name) {
  const size_t mask = r->ahash_cap - 1;
  for (size_t i = hash_bytes(name, strlen(name)) & mask;; i = (i + 1) & mask) {
    uint32_t *slot = &r->ahash[i];
    if (!*slot || strcmp(r->anchors[*slot - 1].name, name) == 0)
      return slot;
  }
}

/* Define an anchor (a later definition of a name hides the earlier). */
static size_t anchor_add(kg_doc_reader *r, const char *name, kg_node *node,
                         size_t size, bool done) {
  grow(&r->anchors, &r->anchors_cap, r->nanchors + 1, sizeof *r->anchors);
  r->anchors[r->nanchors++] =
      (anchor){kg_arena_strdup(r->arena, name), node, size, done};
  if (r->nanchors * 2 > r->ahash_cap) {
    free(r->ahash);
    r->ahash_cap = r->ahash_cap ? r->ahash_cap * 2 : 64;
    r->ahash = kg_xcalloc(r->ahash_cap, sizeof *r->ahash);
    for (size_t i = 0; i + 1 < r->nanchors; i++)
      *anchor_slot(r, r->anchors[i].name) = (uint32_t)(i + 1);
  }
  *anchor_slot(r, name) = (uint32_t)r->nanchors;
  return r->nanchors;
}

static kg_node *new_node(kg_doc_reader *r, kg_node_kind kind, yaml_mark_t m) {
  kg_node *n = kg_arena_alloc(r->arena, sizeof *n);
  n->kind = kind;
  mark_pos(r, m, &n->line, &n->col);
  n->text = "";
  return n;
}

/* Attach a finished node (size: its subtree, aliases expanded). */
static kg_status add_node(kg_doc_reader *r, kg_node *node, size_t size) {
  if (r->depth == 0) {
    r->root = node;
    return KG_OK;
  }
  frame *f = &r->frames[r->depth - 1];
  if (f->node->kind == KG_NODE_MAP && (r->top - f->base) % 2 == 0 &&
      node->kind >= KG_NODE_SEQ)
    return fail_at(r, node->line, node->col, KG_ERR_SYNTAX,
                   "a mapping key must be a scalar");
  grow(&r->stack, &r->stack_cap, r->top + 1, sizeof *r->stack);
  r->stack[r->top++] = node;
  f->size = sat_add(f->size, size);
  return KG_OK;
}

/* Count a node of len bytes of text against max_doc_bytes. */
static kg_status charge(kg_doc_reader *r, size_t len, yaml_mark_t m) {
  r->bytes = sat_add(r->bytes, sat_add(len, KG_DOC_NODE_BYTES));
  if (r->bytes > r->lim.max_doc_bytes)
    return fail_mark(r, m, KG_ERR_LIMIT,
                     "document larger than %zu bytes in memory (text, and %u "
                     "bytes a node)",
                     r->lim.max_doc_bytes, (unsigned)KG_DOC_NODE_BYTES);
  return KG_OK;
}

static kg_status add_scalar(kg_doc_reader *r, kg_node_kind kind, bool quoted,
                            const yaml_char_t *text, size_t len, yaml_mark_t m,
                            const yaml_char_t *anchor_name) {
  kg_status st = KG_OK;
  TRY(charge(r, len, m));
  kg_node *n = new_node(r, kind, m);
  n->quoted = quoted;
  n->text = kg_arena_strndup(r->arena, (const char *)text, len);
  n->len = len;
  if (anchor_name)
    anchor_add(r, (const char *)anchor_name, n, 1, true);
  return add_node(r, n, 1);
fail:
  return st;
}

static kg_status open_node(kg_doc_reader *r, kg_node_kind kind, yaml_mark_t m,
                           const yaml_char_t *anchor_name) {
  kg_status st = KG_OK;
  if (r->depth >= r->lim.max_depth)
    return fail_mark(r, m, KG_ERR_LIMIT, "nesting deeper than %zu levels",
                     r->lim.max_depth);
  TRY(charge(r, 0, m));
  grow(&r->frames, &r->frames_cap, r->depth + 1, sizeof *r->frames);
  frame *f = &r->frames[r->depth++];
  f->node = new_node(r, kind, m);
  f->base = r->top;
  f->size = 1;
  f->anchor = anchor_name
                  ? anchor_add(r, (const char *)anchor_name, f->node, 0, false)
                  : 0;
fail:
  return st;
}

static bool same_text(const kg_node *a, const kg_node *b) {
  return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

static kg_status duplicate(kg_doc_reader *r, const kg_node *key) {
  return fail_at(r, key->line, key->col, KG_ERR_SYNTAX, "duplicate key '%.*s'",
                 key->len > 80 ? 80 : (int)key->len, key->text);
}

/* Keys are compared by text: kg_node_get() could not tell them apart. */
static kg_status check_keys(kg_doc_reader *r, kg_node *const *keys, size_t n) {
  if (n <= SMALL_MAP) {
    for (size_t i = 1; i < n; i++)
      for (size_t j = 0; j < i; j++)
        if (same_text(keys[i], keys[j]))
          return duplicate(r, keys[i]);
    return KG_OK;
  }
  size_t cap = 64;
  while (cap < 2 * n)
    cap *= 2;
  grow(&r->khash, &r->khash_cap, cap, sizeof *r->khash);
  memset(r->khash, 0, cap * sizeof *r->khash);
  for (size_t i = 0; i < n; i++) {
    size_t h = hash_bytes(keys[i]->text, keys[i]->len) & (cap - 1);
    for (; r->khash[h]; h = (h + 1) & (cap - 1))
      if (same_text(keys[r->khash[h] - 1], keys[i]))
        return duplicate(r, keys[i]);
    r->khash[h] = (uint32_t)(i + 1);
  }
  return KG_OK;
}

/* Close the innermost container: copy its items into the arena. */
static kg_status close_node(kg_doc_reader *r) {
  kg_status st = KG_OK;
  frame f = r->frames[--r->depth];
  kg_node *node = f.node;
  const size_t count = r->top - f.base;
  kg_node *const *items = count ? r->stack + f.base : NULL;
  if (node->kind == KG_NODE_SEQ && count) {
    node->n = count;
    node->items = kg_arena_alloc(r->arena, count * sizeof *items);
    memcpy(node->items, items, count * sizeof *items);
  } else if (count) {
    node->n = count / 2;
    node->keys = kg_arena_alloc(r->arena, node->n * sizeof *items);
    node->items = kg_arena_alloc(r->arena, node->n * sizeof *items);
    for (size_t i = 0; i < node->n; i++) {
      node->keys[i] = items[2 * i];
      node->items[i] = items[2 * i + 1];
    }
    TRY(check_keys(r, node->keys, node->n));
  }
  r->top = f.base;
  if (f.anchor) {
    r->anchors[f.anchor - 1].size = f.size;
    r->anchors[f.anchor - 1].done = true;
  }
  return add_node(r, node, f.size);
fail:
  return st;
}

/* An alias is the anchored node itself; its expanded size counts against
 * max_alias_nodes each time (the billion-laughs defence). */
static kg_status add_alias(kg_doc_reader *r, const yaml_char_t *name,
                           yaml_mark_t m) {
  const uint32_t idx = r->nanchors ? *anchor_slot(r, (const char *)name) : 0;
  if (!idx)
    return fail_mark(r, m, KG_ERR_SYNTAX, "undefined alias '*%s'",
                     (const char *)name);
  const anchor *a = &r->anchors[idx - 1];
  if (!a->done)
    return fail_mark(r, m, KG_ERR_SYNTAX,
                     "alias '*%s' refers to a node that contains it",
                     (const char *)name);
  r->alias_nodes = sat_add(r->alias_nodes, a->size);
  if (r->alias_nodes > r->lim.max_alias_nodes)
    return fail_mark(r, m, KG_ERR_LIMIT,
                     "more than %zu nodes reached through aliases",
                     r->lim.max_alias_nodes);
  if (r->depth && r->frames[r->depth - 1].node->kind == KG_NODE_MAP &&
      (r->top - r->frames[r->depth - 1].base) % 2 == 0 &&
      a->node->kind >= KG_NODE_SEQ)
    return fail_mark(r, m, KG_ERR_SYNTAX, "a mapping key must be a scalar");
  return add_node(r, a->node, a->size);
}

/* --- libyaml errors and the YAML event driver -------------------------- */

static kg_status parser_error(kg_doc_reader *r, const char *lang) {
  const yaml_parser_t *p = &r->parser;
  const kg_status st = feed_error(
      r, p->error == YAML_READER_ERROR ? NULL : &p->problem_mark, true);
  if (st)
    return st;
  const char *problem = p->problem ? p->problem : "unknown error";
  if (p->error == YAML_MEMORY_ERROR)
    return fail_at(r, 0, 0, KG_ERR_LIMIT, "out of memory in libyaml");
  if (p->error == YAML_READER_ERROR)
    return fail_at(r, 0, 0, KG_ERR_SYNTAX, "invalid %s: %s at byte %zu", lang,
                   problem, p->problem_offset);
  if (strstr(problem, "invalid Unicode character escape"))
    return fail_mark(r, p->problem_mark, KG_ERR_SYNTAX,
                     "invalid %s: \\u escape of a surrogate or an invalid "
                     "code point (use \\UXXXXXXXX or the character itself)",
                     lang);
  if (p->context && strstr(p->context, "quoted scalar") &&
      strstr(problem, "end of stream"))
    return fail_mark(r, p->context_mark, KG_ERR_SYNTAX,
                     "invalid %s: unterminated string", lang);
  if (!p->context)
    return fail_mark(r, p->problem_mark, KG_ERR_SYNTAX, "invalid %s: %s", lang,
                     problem);
  unsigned line, col;
  mark_pos(r, p->context_mark, &line, &col);
  return fail_mark(r, p->problem_mark, KG_ERR_SYNTAX,
                   "invalid %s: %s (%s at %u:%u)", lang, problem, p->context,
                   line, col);
}

static kg_status yaml_scalar(kg_doc_reader *r, const yaml_event_t *e) {
  const char *tag = (const char *)e->data.scalar.tag;
  const char *s = (const char *)e->data.scalar.value;
  const size_t n = e->data.scalar.length;
  const bool quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
  kg_node_kind kind = KG_NODE_STRING;
  /* `!!str 42` and `! 42` are strings (YAML 1.2.2 6.8.1, 10.3.2) */
  const bool str_tag =
      tag && (strcmp(tag, "!") == 0 || strcmp(tag, YAML_STR_TAG) == 0);
  if (!quoted && !str_tag)
    kind = resolve_plain(s, n);
  return add_scalar(r, kind, quoted, e->data.scalar.value, n, e->start_mark,
                    e->data.scalar.anchor);
}

/* Build from one event; *complete when a document has ended. */
static kg_status yaml_event(kg_doc_reader *r, const yaml_event_t *e,
                            bool *complete) {
  switch (e->type) {
  case YAML_DOCUMENT_END_EVENT:
    *complete = true;
    return KG_OK;
  case YAML_STREAM_END_EVENT:
    return KG_DONE;
  case YAML_ALIAS_EVENT:
    return add_alias(r, e->data.alias.anchor, e->start_mark);
  case YAML_SCALAR_EVENT:
    return yaml_scalar(r, e);
  case YAML_SEQUENCE_START_EVENT:
    return open_node(r, KG_NODE_SEQ, e->start_mark,
                     e->data.sequence_start.anchor);
  case YAML_MAPPING_START_EVENT:
    return open_node(r, KG_NODE_MAP, e->start_mark,
                     e->data.mapping_start.anchor);
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    return close_node(r);
  default:
    return KG_OK;
  }
}

static kg_status yaml_next(kg_doc_reader *r) {
  kg_status st = KG_OK;
  bool complete = false;
  while (st == KG_OK && !complete) {
    yaml_event_t e;
    if (!yaml_parser_parse(&r->parser, &e))
      return parser_error(r, "YAML");
    st = feed_error(r, &e.end_mark, false);
    if (st == KG_OK)
      st = yaml_event(r, &e, &complete);
    yaml_event_delete(&e);
  }
  return st;
}

/* --- the JSON token driver (grammar at the top) ------------------------ */

typedef enum {
  J_VALUE,       /* the text's value, or after ':' */
  J_FIRST_ITEM,  /* after '[' */
  J_ITEM,        /* after ',' in an array */
  J_ITEM_NEXT,   /* after an array item */
  J_FIRST_KEY,   /* after '{' */
  J_KEY,         /* after ',' in an object */
  J_COLON,       /* after a key */
  J_MEMBER_NEXT, /* after a member's value */
  J_END          /* after the text's value */
} jstate;

static const char *token_name(const yaml_token_t *t) {
  switch (t->type) {
  case YAML_STREAM_END_TOKEN:
    return "end of input";
  case YAML_FLOW_SEQUENCE_START_TOKEN:
    return "'['";
  case YAML_FLOW_SEQUENCE_END_TOKEN:
    return "']'";
  case YAML_FLOW_MAPPING_START_TOKEN:
    return "'{'";
  case YAML_FLOW_MAPPING_END_TOKEN:
    return "'}'";
  case YAML_FLOW_ENTRY_TOKEN:
    return "','";
  case YAML_VALUE_TOKEN:
    return "':'";
  case YAML_KEY_TOKEN:
    return "a key";
  case YAML_SCALAR_TOKEN:
    return "a string";
  case YAML_DOCUMENT_START_TOKEN:
    return "'---'";
  case YAML_DOCUMENT_END_TOKEN:
    return "'...'";
  default:
    return "YAML syntax";
  }
}

static kg_status json_unexpected(kg_doc_reader *r, const yaml_token_t *t,
                                 const char *expected) {
  if (t->type == YAML_SCALAR_TOKEN &&
      t->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    return fail_mark(r, t->start_mark, KG_ERR_SYNTAX,
                     "invalid JSON: expected %s, found '%.*s'", expected,
                     t->data.scalar.length > 40 ? 40
                                                : (int)t->data.scalar.length,
                     (const char *)t->data.scalar.value);
  return fail_mark(r, t->start_mark, KG_ERR_SYNTAX,
                   "invalid JSON: expected %s, found %s", expected,
                   token_name(t));
}

static jstate after_value(const kg_doc_reader *r) {
  if (!r->depth)
    return J_END;
  return r->frames[r->depth - 1].node->kind == KG_NODE_SEQ ? J_ITEM_NEXT
                                                           : J_MEMBER_NEXT;
}

static kg_status json_scalar(kg_doc_reader *r, const yaml_token_t *t) {
  const char *s = (const char *)t->data.scalar.value;
  const size_t n = t->data.scalar.length;
  const int shown = n > 40 ? 40 : (int)n;
  kg_node_kind kind = KG_NODE_STRING;
  const bool quoted = t->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  if (!quoted && t->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return json_unexpected(r, t, "a value");
  if (!quoted && !resolve_json(s, n, &kind)) {
    if (strchr("-+.0123456789", s[0]) && s[0])
      return fail_mark(r, t->start_mark, KG_ERR_SYNTAX,
                       "invalid JSON: '%.*s' is not a JSON number", shown, s);
    return fail_mark(r, t->start_mark, KG_ERR_SYNTAX,
                     "invalid JSON: '%.*s' is not a JSON value (strings "
                     "need double quotes)",
                     shown, s);
  }
  return add_scalar(r, kind, quoted, t->data.scalar.value, n, t->start_mark,
                    NULL);
}

static kg_status json_value(kg_doc_reader *r, const yaml_token_t *t,
                            jstate *js) {
  kg_status st = KG_OK;
  switch (t->type) {
  case YAML_FLOW_SEQUENCE_START_TOKEN:
    *js = J_FIRST_ITEM;
    return open_node(r, KG_NODE_SEQ, t->start_mark, NULL);
  case YAML_FLOW_MAPPING_START_TOKEN:
    *js = J_FIRST_KEY;
    return open_node(r, KG_NODE_MAP, t->start_mark, NULL);
  case YAML_SCALAR_TOKEN:
    TRY(json_scalar(r, t));
    *js = after_value(r);
    return KG_OK;
  default:
    return json_unexpected(r, t, "a value");
  }
fail:
  return st;
}

static kg_status json_close(kg_doc_reader *r, jstate *js) {
  kg_status st = KG_OK;
  TRY(close_node(r));
  *js = after_value(r);
fail:
  return st;
}

static kg_status json_token(kg_doc_reader *r, const yaml_token_t *t, jstate *js,
                            yaml_mark_t *comma) {
  const yaml_token_type_t ty = t->type;
  const bool in_seq = *js == J_ITEM_NEXT;
  switch (*js) {
  case J_FIRST_ITEM:
  case J_ITEM:
    if (ty == YAML_FLOW_SEQUENCE_END_TOKEN && *js == J_FIRST_ITEM)
      return json_close(r, js);
    if (ty == YAML_FLOW_SEQUENCE_END_TOKEN)
      return fail_mark(r, *comma, KG_ERR_SYNTAX,
                       "invalid JSON: trailing comma");
    return json_value(r, t, js);
  case J_VALUE:
    return json_value(r, t, js);
  case J_FIRST_KEY:
  case J_KEY:
    if (ty == YAML_KEY_TOKEN)
      return KG_OK;
    if (ty == YAML_FLOW_MAPPING_END_TOKEN && *js == J_FIRST_KEY)
      return json_close(r, js);
    if (ty == YAML_FLOW_MAPPING_END_TOKEN)
      return fail_mark(r, *comma, KG_ERR_SYNTAX,
                       "invalid JSON: trailing comma");
    if (ty != YAML_SCALAR_TOKEN ||
        t->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
      return json_unexpected(r, t, "a string key");
    *js = J_COLON;
    return add_scalar(r, KG_NODE_STRING, true, t->data.scalar.value,
                      t->data.scalar.length, t->start_mark, NULL);
  case J_COLON:
    if (ty != YAML_VALUE_TOKEN)
      return json_unexpected(r, t, "':' after the key");
    *js = J_VALUE;
    return KG_OK;
  case J_ITEM_NEXT:
  case J_MEMBER_NEXT:
    if (ty == YAML_FLOW_ENTRY_TOKEN) {
      *comma = t->start_mark;
      *js = in_seq ? J_ITEM : J_KEY;
      return KG_OK;
    }
    if (ty ==
        (in_seq ? YAML_FLOW_SEQUENCE_END_TOKEN : YAML_FLOW_MAPPING_END_TOKEN))
      return json_close(r, js);
    return json_unexpected(r, t, in_seq ? "',' or ']'" : "',' or '}'");
  case J_END:
    if (ty == YAML_STREAM_END_TOKEN)
      return KG_DONE;
    return json_unexpected(r, t, "end of input after the value");
  }
  return KG_OK;
}

/* One JSON text: the value and the end of input. */
static kg_status json_doc(kg_doc_reader *r) {
  kg_status st = KG_OK;
  jstate js = J_VALUE;
  yaml_mark_t comma = {0, 0, 0};
  while (st == KG_OK) {
    yaml_token_t t;
    if (!yaml_parser_scan(&r->parser, &t))
      return parser_error(r, "JSON");
    st = feed_error(r, &t.end_mark, false);
    if (st == KG_OK && t.type != YAML_STREAM_START_TOKEN)
      st = json_token(r, &t, &js, &comma);
    yaml_token_delete(&t);
  }
  return st == KG_DONE ? KG_OK : st;
}

/* --- formats and the reader API ---------------------------------------- */

static const struct {
  const char *ext;
  kg_doc_format fmt;
} EXTENSIONS[] = {
    {".json", KG_DOC_JSON}, {".jsonl", KG_DOC_JSONL}, {".ndjson", KG_DOC_JSONL},
    {".yml", KG_DOC_YAML},  {".yaml", KG_DOC_YAML},
};

static kg_doc_format by_extension(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot || strchr(dot, '/'))
    return KG_DOC_AUTO;
  for (size_t i = 0; i < sizeof EXTENSIONS / sizeof EXTENSIONS[0]; i++)
    if (strcasecmp(dot, EXTENSIONS[i].ext) == 0)
      return EXTENSIONS[i].fmt;
  return KG_DOC_AUTO;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Without a telling extension: JSON when the text starts with '{' or '[';
 * JSON Lines when that value closes on the first line and another line
 * starts with '{' or '['; YAML otherwise (YAML reads most JSON too). */
static kg_doc_format sniff(const char *p, size_t n) {
  size_t i = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n && is_space(p[i]))
    i++;
  if (i == n || (p[i] != '{' && p[i] != '['))
    return KG_DOC_YAML;
  int depth = 0;
  bool str = false, esc = false;
  for (; i < n && p[i] != '\n'; i++) {
    const char c = p[i];
    if (str) {
      esc = !esc && c == '\\';
      str = esc || c != '"';
    } else if (c == '"') {
      str = true;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      break;
    }
  }
  for (i += i < n && p[i] != '\n'; i < n && is_space(p[i]) && p[i] != '\n';)
    i++;
  if (i == n || p[i] != '\n')
    return KG_DOC_JSON;
  while (i < n && is_space(p[i]))
    i++;
  return i < n && (p[i] == '{' || p[i] == '[') ? KG_DOC_JSONL : KG_DOC_JSON;
}

static kg_status start_parser(kg_doc_reader *r) {
  if (!yaml_parser_initialize(&r->parser))
    return fail_at(r, 0, 0, KG_ERR_LIMIT, "out of memory in libyaml");
  yaml_parser_set_input(&r->parser, read_handler, &r->feed);
  r->parser_live = true;
  return KG_OK;
}

static void stop_parser(kg_doc_reader *r) {
  if (r->parser_live)
    yaml_parser_delete(&r->parser);
  r->parser_live = false;
}

static kg_status start(kg_doc_reader *r, kg_doc_format fmt) {
  if (fmt == KG_DOC_AUTO)
    fmt = by_extension(r->name);
  if (fmt == KG_DOC_AUTO)
    fmt = src_fill(&r->src)
              ? sniff(r->src.p + r->src.pos, r->src.len - r->src.pos)
              : KG_DOC_YAML;
  r->fmt = fmt;
  if (fmt == KG_DOC_JSONL)
    return KG_OK;
  feed_reset(&r->feed, &r->src, fmt == KG_DOC_JSON, 1);
  r->feed.max_bytes = r->lim.max_doc_bytes;
  return start_parser(r);
}

static kg_doc_reader *reader_new(const char *name, const kg_doc_limits *lim,
                                 kg_diag *d) {
  kg_doc_reader *r = kg_xcalloc(1, sizeof *r);
  r->name = kg_xstrndup(name, strlen(name));
  r->d = d;
  r->arena = kg_arena_new();
  if (lim)
    r->lim = *lim;
  if (!r->lim.max_depth) /* libyaml is quadratic in flow depth: 10000
                            levels of '[' (20 KB) take 0.5 s, 1000 5 ms */
    r->lim.max_depth = 1000;
  if (!r->lim.max_alias_nodes)
    r->lim.max_alias_nodes = 1000000;
  if (!r->lim.max_doc_bytes)
    r->lim.max_doc_bytes = KG_DOC_MAX_BYTES;
  return r;
}

kg_status kg_doc_reader_open(kg_doc_reader **out, const char *path,
                             kg_doc_format fmt, const kg_doc_limits *limits,
                             kg_diag *d) {
  *out = NULL;
  FILE *fp = fopen(path, "rb");
  struct stat sb;
  if (fp && fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fclose(fp);
    fp = NULL;
    errno = EISDIR;
  }
  if (!fp) {
    const kg_pos pos = {path, 0, 0};
    return kg_error(d, &pos, KG_ERR_IO, "cannot open file: %s",
                    strerror(errno));
  }
  kg_doc_reader *r = reader_new(path, limits, d);
  r->src.fp = fp;
  r->src.buf = kg_xmalloc(CHUNK);
  const kg_status st = start(r, fmt);
  if (st) {
    kg_doc_reader_free(r);
    return st;
  }
  *out = r;
  return KG_OK;
}

kg_status kg_doc_reader_open_mem(kg_doc_reader **out, const char *name,
                                 const char *data, size_t len,
                                 kg_doc_format fmt, const kg_doc_limits *limits,
                                 kg_diag *d) {
  *out = NULL;
  kg_doc_reader *r = reader_new(name, limits, d);
  r->src.p = data;
  r->src.len = data ? len : 0;
  const kg_status st = start(r, fmt);
  if (st) {
    kg_doc_reader_free(r);
    return st;
  }
  *out = r;
  return KG_OK;
}

static bool blank(const kg_buf *b) {
  for (size_t i = 0; i < b->len; i++)
    if (!is_space(b->data[i]))
      return false;
  return true;
}

/* JSON Lines: each non-blank line is one JSON text, parsed on its own. */
static kg_status jsonl_next(kg_doc_reader *r) {
  kg_status st = KG_OK;
  while (src_line(&r->src, &r->line, r->lim.max_doc_bytes)) {
    r->line_no++;
    if (r->line.len > r->lim.max_doc_bytes)
      return fail_at(r, r->line_no, 1, KG_ERR_LIMIT,
                     "line longer than %zu bytes (the limit of one document)",
                     r->lim.max_doc_bytes);
    if (blank(&r->line))
      continue;
    const kg_node *root;
    if (!r->lim.slow_jsonl &&
        kg_jsonl_parse(r->arena, &r->fast, r->line.data, r->line.len,
                       r->line_no, r->lim.max_doc_bytes, &root)) {
      r->root = (kg_node *)root;
      return KG_OK;
    }
    begin_doc(r); /* declined: libyaml parses it and reports any error */
    r->line_src = (source){.p = r->line.data, .len = r->line.len};
    feed_reset(&r->feed, &r->line_src, true, r->line_no);
    r->feed.max_bytes = r->lim.max_doc_bytes;
    r->line0 = r->line_no - 1;
    TRY(start_parser(r));
    st = json_doc(r);
    stop_parser(r);
    return st;
  }
  if (r->src.err)
    return fail_at(r, 0, 0, KG_ERR_IO, "read error: %s", strerror(r->src.err));
  return KG_DONE;
fail:
  return st;
}

kg_status kg_doc_reader_next(kg_doc_reader *r, const kg_doc **doc) {
  *doc = NULL;
  if (r->st != KG_OK)
    return r->st;
  begin_doc(r);
  kg_status st;
  if (r->fmt == KG_DOC_JSONL) {
    st = jsonl_next(r);
  } else if (r->fmt == KG_DOC_JSON) {
    st = json_doc(r);
  } else {
    st = yaml_next(r);
  }
  if (st != KG_OK) {
    r->st = st;
    return st;
  }
  if (r->fmt == KG_DOC_JSON)
    r->st = KG_DONE; /* one text per file */
  r->doc.root = r->root;
  r->doc.file = r->name;
  r->doc.index = r->ndocs++;
  *doc = &r->doc;
  return KG_OK;
}

kg_status kg_doc_reader_skip(kg_doc_reader *r) {
  if (r->st != KG_OK || r->fmt != KG_DOC_JSONL) {
    const kg_doc *doc;
    return kg_doc_reader_next(r, &doc);
  }
  bool empty;
  while (src_skip_line(&r->src, &empty)) {
    r->line_no++;
    if (!empty) {
      r->ndocs++;
      return KG_OK;
    }
  }
  if (r->src.err)
    r->st = fail_at(r, 0, 0, KG_ERR_IO, "read error: %s", strerror(r->src.err));
  else
    r->st = KG_DONE;
  return r->st;
}

void kg_doc_reader_free(kg_doc_reader *r) {
  if (!r)
    return;
  stop_parser(r);
  if (r->src.fp)
    fclose(r->src.fp);
  free(r->src.buf);
  kg_buf_free(&r->line);
  kg_buf_free(&r->feed.out);
  kg_jsonl_scratch_free(&r->fast);
  free(r->frames);
  free(r->stack);
  free(r->anchors);
  free(r->ahash);
  free(r->khash);
  kg_arena_free(r->arena);
  free(r->name);
  free(r);
}

const kg_node *kg_node_get(const kg_node *map, const char *key) {
  if (!map || map->kind != KG_NODE_MAP || !key)
    return NULL;
  const size_t n = strlen(key);
  for (size_t i = 0; i < map->n; i++) {
    const kg_node *k = map->keys[i];
    if (k->len == n && memcmp(k->text, key, n) == 0)
      return map->items[i];
  }
  return NULL;
}
