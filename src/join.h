/* join.h - the hash index behind referencing object maps.
 *
 * A join index maps a key (the tuple of parent join values) to the parent
 * subjects that carry it.  It is built in one pass over the parent's
 * source before the main pass; its memory is the parent side's distinct
 * keys plus its subject terms, independent of the child side. */
#ifndef KG_JOIN_H
#define KG_JOIN_H

#include "term.h"

typedef struct kg_join_index kg_join_index;

/// Returns a new, empty index; the caller frees it with kg_join_index_free().
kg_join_index *kg_join_index_new(void);
void kg_join_index_free(kg_join_index *ix);

/* Add term t under key (len bytes); both are copied. */
void kg_join_index_add(kg_join_index *ix, const char *key, size_t len,
                       const kg_term *t);

/* Visit every term stored under key, in insertion order. */
typedef kg_status (*kg_join_visit_fn)(void *h, const kg_term *t);
kg_status kg_join_index_find(const kg_join_index *ix, const char *key,
                             size_t len, kg_join_visit_fn fn, void *h);

/* Number of keys and terms, and bytes held (for -v and benchmarks). */
size_t kg_join_index_terms(const kg_join_index *ix);
size_t kg_join_index_bytes(const kg_join_index *ix);

#endif
