/* termgen.h - turning term maps into RDF terms for one record.
 *
 * RML-Core 7-8: a term map applied to a record yields zero or more terms:
 * a null or missing reference yields none, a reference selecting several
 * values yields one term each, a template yields the product of its
 * references' values.  Every string lives in the caller's scratch arena,
 * which the evaluator resets for each record. */
#ifndef KG_TERMGEN_H
#define KG_TERMGEN_H

#include "mapping.h"
#include "term.h"

/* Default limits of one record, against cartesian products of arrays: a
 * template yields at most KG_MAX_TERMS values (kg_gen.max_values), a
 * record at most KG_MAX_RECORD_STATEMENTS statements (eval.c, counted as
 * the product of term counts before any is made); more is KG_ERR_LIMIT.
 * Without a bound, "$(a[*])$(a[*])$(a[*])" over 200 items is 8 million
 * terms. */
#define KG_MAX_TERMS 1000000u
#define KG_MAX_RECORD_STATEMENTS 1000000u

typedef struct kg_terms {
  kg_term *v;
  size_t n;
} kg_terms;

typedef struct kg_strs {
  const char **s;
  size_t *len;
  size_t n;
} kg_strs;

typedef struct kg_gen {
  kg_arena *scratch;         /* per-record allocations */
  const kg_doc *doc;         /* the document being read */
  const kg_node *rec;        /* the record (the iterator's current node) */
  const kg_triples_map *map; /* the map whose term maps are applied */
  const char *base;          /* effective base IRI of map, or NULL */
  size_t map_index, rec_index;
  bool expand_arrays; /* an array reference yields its items */
  kg_diag *d;
  kg_buf *text;      /* reusable working text (templates); NULL: a local one */
  size_t max_values; /* 0: KG_MAX_TERMS */
  size_t max_steps;  /* of one reference, 0: KG_JSONPATH_MAX_STEPS */
} kg_gen;

/* Append the terms tm yields for g->rec to *out. */
kg_status kg_gen_terms(kg_gen *g, const kg_term_map *tm, kg_terms *out);

/* Append the raw string values tm yields (join keys: no IRI encoding, no
 * base resolution). */
kg_status kg_gen_strings(kg_gen *g, const kg_term_map *tm, kg_strs *out);

#endif
