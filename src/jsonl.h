/* jsonl.h - the fast path of the JSON Lines reader (doc.c).
 *
 * libyaml costs about 300 instructions per byte of JSON; a JSON Lines
 * line that is plain, valid JSON is parsed here instead, into the same
 * kg_node tree (kinds, quoted flags, 1-based positions in code points,
 * unescaped text) at a tenth of that.  Anything else - a syntax error,
 * a duplicate key, a character YAML forbids, NEL/LS/PS, a byte order
 * mark, nesting deeper than 200, a map of more than 32 keys, a limit -
 * makes it decline, and the reader parses the line with libyaml, which
 * reports the error exactly as before.  So it never reports anything
 * itself and never accepts what the slow path would refuse.
 *
 *   value  = ws (object / array / string / number / "true" / "false" /
 *            "null") ws
 *   object = "{" [ string ":" value *( "," string ":" value ) ] "}"
 *   array  = "[" [ value *( "," value ) ] "]"        (RFC 8259) */
#ifndef KG_JSONL_H
#define KG_JSONL_H

#include "arena.h"
#include "doc.h"

/* Reusable working memory of the parser. */
typedef struct kg_jsonl_scratch {
  kg_node **stack;
  size_t top, cap;
  kg_buf text; /* unescaped string text */
} kg_jsonl_scratch;

void kg_jsonl_scratch_free(kg_jsonl_scratch *s);

/* Parse line (n bytes, the line number `line`) into nodes allocated in a.
 * True and *root set, or false: parse the line the slow way (a may hold
 * garbage then).  max_bytes bounds the document in memory as
 * kg_doc_limits.max_doc_bytes does (text, and KG_DOC_NODE_BYTES a node):
 * over it, the slow way reports the limit. */
bool kg_jsonl_parse(kg_arena *a, kg_jsonl_scratch *s, const char *line,
                    size_t n, unsigned line_no, size_t max_bytes,
                    const kg_node **root);

#endif
