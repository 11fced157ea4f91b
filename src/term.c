/* term.c - RML-Core term rules: IRI-safe encoding, IRI and language-tag
 * validity (see term.h). */
#include "term.h"

#include <string.h>
#include <strings.h>

size_t kg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  uint32_t c = s[0];
  size_t len;
  uint32_t min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, c &= 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, c &= 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, c &= 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (len > n)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

size_t kg_utf8_valid_prefix(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    const size_t k = kg_utf8_decode(p + i, n - i, &cp);
    if (!k)
      break;
    i += k;
  }
  return i;
}

bool kg_utf8_is_valid(const char *s, size_t n) {
  return kg_utf8_valid_prefix(s, n) == n;
}

/* RFC 3987 ucschar. */
static bool is_ucschar(unsigned c) {
  static const unsigned ranges[][2] = {
      {0xA0, 0xD7FF},     {0xF900, 0xFDCF},   {0xFDF0, 0xFFEF},
      {0x10000, 0x1FFFD}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
      {0x40000, 0x4FFFD}, {0x50000, 0x5FFFD}, {0x60000, 0x6FFFD},
      {0x70000, 0x7FFFD}, {0x80000, 0x8FFFD}, {0x90000, 0x9FFFD},
      {0xA0000, 0xAFFFD}, {0xB0000, 0xBFFFD}, {0xC0000, 0xCFFFD},
      {0xD0000, 0xDFFFD}, {0xE1000, 0xEFFFD},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    if (c >= ranges[i][0] && c <= ranges[i][1])
      return true;
  return false;
}

static bool is_alpha(unsigned c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_digit(unsigned c) {
  return c >= '0' && c <= '9';
}
static bool is_alnum(unsigned c) {
  return is_alpha(c) || is_digit(c);
}
static bool is_hex(unsigned c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* iunreserved ASCII (RFC 3987): ALPHA DIGIT - . _ ~ */
static const bool unreserved[128] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1,
    ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1, ['y'] = 1, ['z'] = 1};

/* RML-Core 7.3: IRI-safe (ucs) or URI-safe encoding of references in
 * templates: iunreserved ASCII, and (ucs) valid UTF-8 ucschar, are kept;
 * every other byte is %XX.  Written in place (at most 3 bytes a byte).
 * Returns whether it appended only ASCII. */
static bool safe_append(kg_buf *out, const char *s, size_t n, bool ucs) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s;
  bool high = false;
  kg_buf_reserve(out, 3 * n);
  char *o = out->data + out->len;
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80 && unreserved[c]) {
      *o++ = (char)c;
      i++;
      continue;
    }
    uint32_t cp;
    const size_t k = ucs && c >= 0x80 ? kg_utf8_decode(p + i, n - i, &cp) : 0;
    if (k && is_ucschar(cp)) {
      memcpy(o, p + i, k);
      o += k;
      i += k;
      high = true;
      continue;
    }
    *o++ = '%';
    *o++ = hex[c >> 4];
    *o++ = hex[c & 15];
    i++;
  }
  out->len = (size_t)(o - out->data);
  out->data[out->len] = '\0';
  return !high;
}

bool kg_iri_safe_append(kg_buf *out, const char *s, size_t n) {
  return safe_append(out, s, n, true);
}

void kg_uri_safe_append(kg_buf *out, const char *s, size_t n) {
  safe_append(out, s, n, false);
}

bool kg_iri_has_scheme(const char *s, size_t n) {
  if (n == 0 || !is_alpha((unsigned char)s[0]))
    return false;
  for (size_t i = 1; i < n; i++) {
    unsigned c = (unsigned char)s[i];
    if (c == ':')
      return true;
    if (!(is_alnum(c) || c == '+' || c == '-' || c == '.'))
      return false;
  }
  return false;
}

/* Bytes an IRI may hold: not controls, space, DEL or <>"{}|^`\\. */
#define OK4(a) [a] = 1, [a + 1] = 1, [a + 2] = 1, [a + 3] = 1
#define OK16(a) OK4(a), OK4(a + 4), OK4(a + 8), OK4(a + 12)
static const bool iri_char_ok[256] = {
    ['!'] = 1,     ['#'] = 1,  ['$'] = 1,     ['%'] = 1,     ['&'] = 1,
    ['\''] = 1,    ['('] = 1,  [')'] = 1,     ['*'] = 1,     ['+'] = 1,
    [','] = 1,     ['-'] = 1,  ['.'] = 1,     ['/'] = 1,     OK4('0'),
    OK4('4'),      ['8'] = 1,  ['9'] = 1,     [':'] = 1,     [';'] = 1,
    ['='] = 1,     ['?'] = 1,  ['@'] = 1,     OK16('A'),     OK4('A' + 16),
    OK4('A' + 20), ['Y'] = 1,  ['Z'] = 1,     ['['] = 1,     [']'] = 1,
    ['_'] = 1,     OK16('a'),  OK4('a' + 16), OK4('a' + 20), ['y'] = 1,
    ['z'] = 1,     ['~'] = 1,  OK16(0x80),    OK16(0x90),    OK16(0xA0),
    OK16(0xB0),    OK16(0xC0), OK16(0xD0),    OK16(0xE0),    OK16(0xF0)};
#undef OK16
#undef OK4

bool kg_iri_is_clean(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const unsigned char c = (unsigned char)s[i];
    if (c >= 0x80 || !iri_char_ok[c])
      return false;
  }
  return true;
}

bool kg_iri_is_absolute(const char *s, size_t n) {
  return kg_iri_has_scheme(s, n) && kg_iri_is_absolute_part(s, n);
}

bool kg_iri_is_absolute_part(const char *s, size_t n) {
  if (!kg_utf8_is_valid(s, n))
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!iri_char_ok[c])
      return false;
    if (c == '%' && !(i + 2 < n && is_hex((unsigned char)s[i + 1]) &&
                      is_hex((unsigned char)s[i + 2])))
      return false;
  }
  return true;
}

/* --- BCP 47 (RFC 5646 section 2.1) well-formedness ---------------------
 * langtag = language ["-" script] ["-" region] *("-" variant)
 *           *("-" extension) ["-" privateuse]
 * language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
 * extlang = 3ALPHA *2("-" 3ALPHA)
 * script = 4ALPHA; region = 2ALPHA / 3DIGIT
 * variant = 5*8alphanum / (DIGIT 3alphanum)
 * extension = singleton 1*("-" (2*8alphanum)); privateuse = "x" 1*("-"
 * (1*8alphanum))
 */

typedef struct subtags {
  const char *s[64];
  size_t len[64];
  size_t n;
} subtags;

static bool split_subtags(const char *s, size_t n, subtags *t) {
  t->n = 0;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '-')
      continue;
    size_t len = i - start;
    if (len < 1 || len > 8 || t->n == 64)
      return false;
    for (size_t k = start; k < i; k++)
      if (!is_alnum((unsigned char)s[k]))
        return false;
    t->s[t->n] = s + start;
    t->len[t->n++] = len;
    start = i + 1;
  }
  return true;
}

static bool all_of(const char *s, size_t n, bool (*pred)(unsigned)) {
  for (size_t i = 0; i < n; i++)
    if (!pred((unsigned char)s[i]))
      return false;
  return true;
}

static bool read_privateuse(const subtags *t, size_t i) {
  /* t->s[i] is "x": at least one more subtag of 1-8 alphanum. */
  return i + 1 < t->n;
}

static bool is_grandfathered(const char *s, size_t n) {
  static const char *const irregular[] = {
      "en-GB-oed", "i-ami",     "i-bnn",      "i-default",   "i-enochian",
      "i-hak",     "i-klingon", "i-lux",      "i-mingo",     "i-navajo",
      "i-pwn",     "i-tao",     "i-tay",      "i-tsu",       "sgn-BE-FR",
      "sgn-BE-NL", "sgn-CH-DE", "art-lojban", "cel-gaulish", "no-bok",
      "no-nyn",    "zh-guoyu",  "zh-hakka",   "zh-min",      "zh-min-nan",
      "zh-xiang"};
  for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
    if (strlen(irregular[i]) == n && strncasecmp(irregular[i], s, n) == 0)
      return true;
  return false;
}

bool kg_langtag_is_valid(const char *s, size_t n) {
  subtags t;
  if (is_grandfathered(s, n))
    return true;
  if (!split_subtags(s, n, &t))
    return false;
  size_t i = 0;
  if (t.len[0] == 1 && (s[0] == 'x' || s[0] == 'X'))
    return read_privateuse(&t, 0);
  /* language */
  if (!all_of(t.s[0], t.len[0], is_alpha) || t.len[0] == 1)
    return false;
  bool short_lang = t.len[0] <= 3;
  i = 1;
  for (int ext = 0; short_lang && ext < 3 && i < t.n && t.len[i] == 3 &&
                    all_of(t.s[i], 3, is_alpha);
       ext++)
    i++;
  if (i < t.n && t.len[i] == 4 && all_of(t.s[i], 4, is_alpha))
    i++; /* script */
  if (i < t.n && ((t.len[i] == 2 && all_of(t.s[i], 2, is_alpha)) ||
                  (t.len[i] == 3 && all_of(t.s[i], 3, is_digit))))
    i++; /* region */
  while (i < t.n && ((t.len[i] >= 5) ||
                     (t.len[i] == 4 && is_digit((unsigned char)t.s[i][0]))))
    i++; /* variants */
  while (i < t.n && t.len[i] == 1 && t.s[i][0] != 'x' && t.s[i][0] != 'X') {
    size_t k = i + 1; /* extension: singleton then 2-8 alphanum subtags */
    while (k < t.n && t.len[k] >= 2)
      k++;
    if (k == i + 1)
      return false;
    i = k;
  }
  if (i < t.n && t.len[i] == 1 && (t.s[i][0] == 'x' || t.s[i][0] == 'X'))
    return read_privateuse(&t, i);
  return i == t.n;
}
