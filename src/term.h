/* term.h - RDF terms as the evaluator hands them to the writers, the
 * statement sink, and the term rules of RML-Core (IRI-safe encoding, IRI
 * and language-tag validity, base resolution). */
#ifndef KG_TERM_H
#define KG_TERM_H

#include "arena.h"
#include "kg.h"

#include <stdint.h>

typedef enum { KG_TERM_IRI, KG_TERM_BLANK, KG_TERM_LITERAL } kg_term_kind;

/* A borrowed view of one RDF term.  value holds len bytes (it may contain
 * NUL bytes; a NUL follows value[len]).
 * - IRI: the absolute IRI, unescaped.
 * - BLANK: the label, without "_:"; only [A-Za-z0-9_-] (the evaluator
 *   produces such labels), so writers print it as is.
 * - LITERAL: the lexical form; datatype is an absolute IRI or NULL
 *   (xsd:string), language a well-formed tag or NULL.  A literal never has
 *   both; a language implies rdf:langString. */
typedef struct kg_term {
  kg_term_kind kind;
  const char *value;
  size_t len;
  const char *datatype;
  const char *language;
  /* IRI: value is clean (kg_iri_is_clean), so a writer may copy it without
   * looking at its bytes.  Set by the evaluator where it knows this
   * without a scan (constants, IRI-safe templates); false is always
   * correct. */
  bool clean;
} kg_term;

/* The statement sink: every writer is one (house style 3).  g == NULL is
 * the default graph.  Returns KG_OK, or an error status that stops the run
 * (the sink has reported it through its own kg_diag). */
typedef kg_status (*kg_sink_fn)(void *h, const kg_term *s, const kg_term *p,
                                const kg_term *o, const kg_term *g);

/* A 64-bit hash of n bytes (the duplicate filter's, the joins' and the
 * writer's window's): 8 bytes a step, the tail as the last 8 bytes, then a
 * splitmix64 finish so that the low bits a table uses depend on every
 * input bit.  Inline: it is on the hot path of every statement. */
static inline uint64_t kg_hash_bytes(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  }
  if (i < n && n >= 8) { /* the last 8 bytes, overlapping (n is hashed) */
    uint64_t w;
    memcpy(&w, s + n - 8, 8);
    h = (h ^ w) * 0x94D049BB133111EBULL;
  } else {
    for (; i < n; i++)
      h = (h ^ (unsigned char)s[i]) * 0x94D049BB133111EBULL;
  }
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

#define KG_XSD "http://www.w3.org/2001/XMLSchema#"
#define KG_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define KG_XSD_STRING KG_XSD "string"
#define KG_XSD_INTEGER KG_XSD "integer"
#define KG_XSD_DOUBLE KG_XSD "double"
#define KG_XSD_BOOLEAN KG_XSD "boolean"
#define KG_RDF_TYPE KG_RDF "type"
#define KG_RDF_LANGSTRING KG_RDF "langString"

/* RML-Core: IRI-safe form of a reference value in an IRI template.  Every
 * character that is not in RFC 3987 iunreserved (ALPHA DIGIT - . _ ~ and
 * ucschar) is percent-encoded as UTF-8 bytes (%20, %2F, ...).  Returns
 * whether it appended only ASCII (no ucschar was kept as it is). */
bool kg_iri_safe_append(kg_buf *out, const char *s, size_t n);

/* RML-Core rml:URI: the same with only ASCII unreserved characters kept,
 * so non-ASCII characters are percent-encoded too (Zoë -> Zo%C3%AB). */
void kg_uri_safe_append(kg_buf *out, const char *s, size_t n);

/* Only printable ASCII that no writer escapes in an IRI: no controls,
 * space, DEL, <>"{}|^`\ or byte over 0x7F. */
bool kg_iri_is_clean(const char *s, size_t n);

/* An absolute IRI per RFC 3987: a scheme, ':', and no character that an IRI
 * may not hold (space, <>"{}|^`\, controls), valid UTF-8. */
bool kg_iri_is_absolute(const char *s, size_t n);
/* The same without the scheme: valid UTF-8 of IRI characters with
 * complete %XX escapes (a template's text parts). */
bool kg_iri_is_absolute_part(const char *s, size_t n);

/* Like kg_iri_is_absolute but only checks for a scheme (for UnsafeIRI). */
bool kg_iri_has_scheme(const char *s, size_t n);

/* A well-formed BCP 47 language tag (RFC 5646 syntax, case-insensitive). */
bool kg_langtag_is_valid(const char *s, size_t n);

/* Decode one UTF-8 sequence at s (n > 0 bytes left).  Returns its length
 * and sets *cp, or returns 0 for an invalid or overlong sequence, a
 * surrogate or a code point past U+10FFFF. */
size_t kg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Valid UTF-8 with no surrogate code points. */
bool kg_utf8_is_valid(const char *s, size_t n);

/* The length of the longest valid UTF-8 prefix of s (n when all is). */
size_t kg_utf8_valid_prefix(const char *s, size_t n);

#endif
