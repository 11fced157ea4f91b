/* jsonpath.h - JSONPath (RFC 9535) over the document model.
 *
 * Used for logical-source iterators (`$.items[*]`) and for references
 * inside a mapping, which are evaluated with the iterated record as `$`:
 * a reference may be written `name`, `$.name`, `country.code`,
 * `participants[*].id` or `['ISO 3166']` (a relative reference is read as
 * if `$.` or `$` stood before it). */
#ifndef KG_JSONPATH_H
#define KG_JSONPATH_H

#include "doc.h"
#include "kg.h"

typedef struct kg_jsonpath kg_jsonpath;

typedef struct kg_jsonpath_error {
  size_t offset; /* 0-based byte offset of the problem in the expression */
  char msg[160];
} kg_jsonpath_error;

/* Compile expr (len bytes).  relative: accept references without a
 * leading `$` (see above); iterators are compiled with relative = false.
 * On failure returns KG_ERR_SYNTAX and fills *err; nothing is allocated.
 * Expressions beyond kgmap's limits (more than 64 nested filters,
 * parentheses and function calls, or more than 1024 segments in all) are
 * KG_ERR_LIMIT, reported the same way.  err may be NULL.  Supported: all of
 * RFC 9535, with the functions length, count, value, match and search
 * (I-Regexp run as POSIX extended regular expressions; \p{..} classes are
 * not supported and never match).
/// Returns a new path in *out; the caller frees it with kg_jsonpath_free().
 */
kg_status kg_jsonpath_compile(kg_jsonpath **out, const char *expr, size_t len,
                              bool relative, kg_jsonpath_error *err);

void kg_jsonpath_free(kg_jsonpath *p);

/* Called for each node selected, in RFC 9535 result order; a non-zero
 * return stops the evaluation and is returned by kg_jsonpath_eval. */
typedef int (*kg_jsonpath_visit_fn)(void *h, const kg_node *node);

/* What kg_jsonpath_eval returns when it gives up: never a visitor's value
 * (visitors return 0 or a positive number). */
#define KG_JSONPATH_TOO_LONG (-1)

/* Evaluate with `root` as `$`.  Returns 0, the visitor's non-zero, or
 * KG_JSONPATH_TOO_LONG after 30 million steps (selector applications and nodes
 * walked by descendant segments, filters included): `$..*..*..*` over a
 * deep document takes time exponential in its descendant segments.  The
 * visitor may have seen some nodes then; the caller reports an error.
 * Does not allocate, except for documents nested deeper than 32 levels
 * under a descendant segment or a deep comparison, and for match/search
 * patterns taken from the document.  Never recurses with the document's
 * depth.  Order: RFC 9535, document order; a descendant segment visits a
 * node before its descendants, depth first. */
int kg_jsonpath_eval(const kg_jsonpath *p, const kg_node *root,
                     kg_jsonpath_visit_fn visit, void *h);

/* The default budget of one evaluation, in steps. */
#define KG_JSONPATH_MAX_STEPS 30000000u

/* The budget a max_steps option stands for (0: the default). */
static inline size_t kg_jsonpath_budget(size_t max_steps) {
  return max_steps ? max_steps : KG_JSONPATH_MAX_STEPS;
}

/* kg_jsonpath_eval with a budget of max_steps steps (0: the default). */
int kg_jsonpath_eval_max(const kg_jsonpath *p, const kg_node *root,
                         kg_jsonpath_visit_fn visit, void *h, size_t max_steps);

/* True when the path can select at most one node (RFC 9535 singular
 * query: only name and index segments). */
bool kg_jsonpath_is_singular(const kg_jsonpath *p);

/* The node a singular path selects with root as `$`, or NULL when it
 * selects none: kg_jsonpath_eval's result without a visitor (a few steps,
 * one per segment).  p must be singular. */
const kg_node *kg_jsonpath_get(const kg_jsonpath *p, const kg_node *root);

/* The expression as compiled (for messages). */
const char *kg_jsonpath_text(const kg_jsonpath *p);

#endif
