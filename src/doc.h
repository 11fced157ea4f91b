/* doc.h - the document model and the streaming document reader.
 *
 * JSON, YAML, JSON Lines and multi-document YAML streams are all read with
 * libyaml into one tree of kg_node, document by document: memory is bounded
 * by the largest document, never by the size of the file.  Every node keeps
 * its 1-based line and column and whether a scalar was quoted, so that YAML
 * `42` is a number and `"42"` a string.
 *
 * Input is UTF-8 only: invalid UTF-8, NUL bytes and the control characters
 * YAML forbids are errors (except in JSON strings, where RFC 8259 allows
 * DEL, C1 controls, U+FFFE and U+FFFF raw); a UTF-8 byte order mark at the
 * start (of a file, or of a JSON Lines line) is accepted and skipped
 * (libyaml does, and RFC 8259 allows it).
 *
 * JSON and JSON Lines are strict RFC 8259: unquoted words, single quotes,
 * comments, trailing commas, YAML escapes and raw control characters in
 * strings are errors; surrogate-pair escapes become UTF-8 and an unpaired
 * surrogate is an error.  YAML uses the YAML 1.2 core schema for plain
 * scalars; tags other than `!!str` and `!` are ignored, and `<<` merge
 * keys are ordinary keys. */
#ifndef KG_DOC_H
#define KG_DOC_H

#include "kg.h"

typedef enum {
  KG_NODE_NULL,   /* null, ~, empty plain scalar */
  KG_NODE_BOOL,   /* true / false (JSON; YAML 1.2 core schema) */
  KG_NODE_INT,    /* plain scalar matching the integer grammar */
  KG_NODE_FLOAT,  /* plain scalar matching the float grammar */
  KG_NODE_STRING, /* any other scalar, and every quoted scalar */
  KG_NODE_SEQ,
  KG_NODE_MAP
} kg_node_kind;

typedef struct kg_node kg_node;
struct kg_node {
  kg_node_kind kind;
  bool quoted;        /* scalar written in quotes or as a block scalar */
  unsigned line, col; /* 1-based start of the node */
  const char *text;   /* scalars: the value after unescaping, as written
                         (numbers keep their lexical form); NUL-terminated */
  size_t len;         /* bytes in text (JSON strings may hold \u0000) */
  size_t n;           /* SEQ: items; MAP: pairs */
  kg_node **items;    /* SEQ: the items; MAP: the values (NULL when n == 0) */
  kg_node **keys;     /* MAP: the keys (scalars), in document order; no two
                         with the same text (a duplicate key is an error) */
};
/* Containers have text "" and len 0.  A YAML alias is the anchored node
 * itself, not a copy, so a node may be reached twice (the tree is a DAG);
 * it is never cyclic: an alias inside its own anchored node is an error. */

/* The value for key in a MAP node, or NULL (absent, or node not a map).
 * Exact match: the key's text has len == strlen(key) bytes equal to key. */
const kg_node *kg_node_get(const kg_node *map, const char *key);

/* One document of a stream.  Valid until the next kg_doc_reader_next() or
 * kg_doc_reader_free() on its reader. */
typedef struct kg_doc {
  const kg_node *root;
  const char *file; /* the name the reader was opened with */
  size_t index;     /* 0-based number of the document in the stream */
} kg_doc;

typedef enum {
  KG_DOC_AUTO,  /* by extension: .json .jsonl/.ndjson .yml/.yaml (any
                   case); else sniffed: JSON when the text starts with '{'
                   or '[', JSON Lines when that value ends on the first
                   line and the next non-blank line starts with '{' or
                   '[', YAML otherwise */
  KG_DOC_JSON,  /* one JSON value (strict JSON scalars) */
  KG_DOC_JSONL, /* one JSON value per line; blank lines skipped */
  KG_DOC_YAML   /* a YAML stream of one or more documents */
} kg_doc_format;

/* Limits against hostile input; 0 means the default.  Exceeding one is
 * KG_ERR_LIMIT, reported at the node (or line) where it happened.
 * - max_depth: nesting of sequences and maps (default 1000); the builder
 *   and every walk over the tree use explicit stacks, never recursion.
 * - max_alias_nodes: an alias counts the whole subtree it refers to
 *   (itself with aliases expanded) each time it is used: the
 *   billion-laughs defence (default 1e6).
 * - max_doc_bytes: one document (a JSON file, a JSON Lines line, a YAML
 *   `---` document) in bytes of input, and in memory, counting its text
 *   and KG_DOC_NODE_BYTES for every node (default KG_DOC_MAX_BYTES, 256
 *   MiB: a 100 MB string is read, peak memory about 3 times its size).
 *   The input count may lag by one 64 KiB read. */
#define KG_DOC_MAX_BYTES ((size_t)256 << 20)
#define KG_DOC_NODE_BYTES 96u
typedef struct kg_doc_limits {
  size_t max_depth;
  size_t max_alias_nodes;
  size_t max_doc_bytes;
  bool slow_jsonl; /* tests: every JSON Lines line through libyaml, not
                      the fast path (jsonl.h) */
} kg_doc_limits;

typedef struct kg_doc_reader kg_doc_reader;

/* Open a file.  Errors (missing file, ...) are reported to d with the path.
/// Returns a new reader in *out; the caller frees it with kg_doc_reader_free().
 */
kg_status kg_doc_reader_open(kg_doc_reader **out, const char *path,
                             kg_doc_format fmt, const kg_doc_limits *limits,
                             kg_diag *d);

/* Read from memory; name is used in messages.  data must outlive the reader.
/// Returns a new reader in *out; the caller frees it with kg_doc_reader_free().
 */
kg_status kg_doc_reader_open_mem(kg_doc_reader **out, const char *name,
                                 const char *data, size_t len,
                                 kg_doc_format fmt, const kg_doc_limits *limits,
                                 kg_diag *d);

/* The next document: KG_OK and *doc set, KG_DONE at the end of the stream,
 * or an error reported to d as "file:line:col: error: ..." (KG_ERR_SYNTAX
 * for malformed input, duplicate keys, invalid UTF-8; KG_ERR_LIMIT for a
 * limit; KG_ERR_IO for a read error).  After the end or an error the
 * reader returns the same status again without a new message.  Documents
 * before a bad byte are still delivered.  A JSON file holds exactly one
 * value (empty is an error); in JSON Lines and YAML an empty stream has
 * no documents.  Memory is bounded by the largest document (JSON Lines:
 * the longest line), never by the file. */
kg_status kg_doc_reader_next(kg_doc_reader *r, const kg_doc **doc);

/* Pass over the next document: KG_OK, KG_DONE or an error as for
 * kg_doc_reader_next(), and the document keeps its number.  A JSON Lines
 * line is skipped without being parsed (its errors are not seen); YAML
 * and JSON documents are parsed. */
kg_status kg_doc_reader_skip(kg_doc_reader *r);

void kg_doc_reader_free(kg_doc_reader *r);

#endif
