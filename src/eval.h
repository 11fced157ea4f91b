/* eval.h - the evaluator: runs a mapping over its sources and pushes every
 * statement into a sink.  Each source file is read once, document by
 * document; every triples map over that file runs its iterator on each
 * document.  Joins are hash joins over the parent's source, built before
 * the pass. */
#ifndef KG_EVAL_H
#define KG_EVAL_H

#include "mapping.h"
#include "term.h"

/* A sink that is told where each statement goes: to the targets in set
 * (bit i: the mapping's targets[i]) and, with KG_TARGET_DEFAULT, to the
 * default output.  A statement reaches each place once per record. */
typedef kg_status (*kg_route_fn)(void *h, kg_target_set set, const kg_term *s,
                                 const kg_term *p, const kg_term *o,
                                 const kg_term *g);

typedef struct kg_eval_stats {
  size_t documents;
  size_t records;
  size_t statements;
  size_t skipped; /* records whose subject map gave no term (a null or
                     missing reference): RML-Core makes no triple of them */
} kg_eval_stats;

/* Called every KG_EVAL_PROGRESS_EVERY records with the counts so far. */
typedef void (*kg_eval_progress_fn)(void *h, const kg_eval_stats *stats);
#define KG_EVAL_PROGRESS_EVERY 256

typedef struct kg_eval_options {
  const char *base; /* base IRI for relative IRIs; NULL: mapping's base */
  kg_doc_limits limits;
  kg_route_fn route; /* if set, receives every statement instead of the
                        sink of kg_eval (targets, target.h) */
  void *route_h;
  kg_eval_progress_fn progress; /* may be NULL */
  void *progress_h;
  /* Each NULL or an array of m->nmaps counters, zeroed by the caller: the
   * statements each triples map wrote and the records it skipped. */
  size_t *map_statements;
  size_t *map_skipped;
} kg_eval_options;

/* stats may be NULL. */
kg_status kg_eval(const kg_mapping *m, const kg_eval_options *opt,
                  kg_sink_fn sink, void *sink_h, kg_eval_stats *stats,
                  kg_diag *d);

#endif
